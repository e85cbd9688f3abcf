//! Wire copy: stories as an agency files them, each under a slug and closed by an end mark.

use super::{Body, Dress};
use crate::synth::source::SourceArticle;
use crate::synth::style;
use crate::synth::DumpWriter;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};

/// Wire copy: a slug line (`BC-Sudan-Talks`, `^Flood-Relief^`, `URGENT`) before each story, the headline, a
/// byline, a dateline on the first paragraph, and after the story an end mark (`ENDS`, `-30-`, `###`,
/// `(c) 2026 Agency`). Slugs and end marks lie outside the article.
pub(super) fn wire_copy(articles: &[SourceArticle], rng: &mut dyn RngCore, out: &mut DumpWriter) {
    let dress = Dress::random(rng).with_blocks(2, 14);
    let dress = Dress {
        dateline: [0.8, 1.0].choose(rng).copied().unwrap_or(1.0),
        headline: [0.9, 1.0].choose(rng).copied().unwrap_or(1.0),
        ..dress
    };
    let (agency, tag) = style::agency(rng);
    let end_mark = rng.gen_range(0..5);
    let slug_style = rng.gen_range(0..4);
    let indented = rng.gen_bool(0.3);
    let wrapped = rng.gen_bool(0.3).then(|| rng.gen_range(64..=80));
    let layout = match wrapped {
        Some(width) => Body::Wrapped {
            width,
            hyphenate: false,
        },
        None => Body::Paragraphs,
    };
    for (index, article) in articles.iter().enumerate() {
        if index > 0 {
            out.blanks(rng.gen_range(1..=2));
        }
        let dressed = dress.dress(article, rng);
        let key: Vec<String> = style::headline_for(article, rng)
            .split_whitespace()
            .take(2)
            .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect())
            .collect();
        let key = key.join("-");
        let slug = match slug_style {
            0 => format!("BC-{key}"),
            1 => format!("^{key}^"),
            2 => format!("{tag}-{}-{key}", rng.gen_range(100..999)),
            _ => format!(
                "{} {key}",
                ["URGENT", "PRIORITY", "ROUTINE"]
                    .choose(rng)
                    .copied()
                    .unwrap_or("ROUTINE")
            ),
        };
        out.furniture(slug);
        if rng.gen_bool(0.3) {
            let words = dressed.text().split_whitespace().count();
            out.furniture(format!("{words} words"));
        }
        dressed.begin(article, out);
        if let Some(headline) = &dressed.headline {
            out.line(headline.clone());
        }
        for line in &dressed.meta {
            out.line(line.clone());
        }
        if dressed.headline.is_some() || !dressed.meta.is_empty() {
            out.blanks(usize::from(!indented));
        }
        for (position, block) in dressed.blocks.iter().enumerate() {
            if position > 0 && !indented {
                out.blank();
            }
            for (i, line) in layout.lines(block, "-- ", rng).into_iter().enumerate() {
                out.line(if indented && i == 0 {
                    format!("   {line}")
                } else {
                    line
                });
            }
        }
        out.end();
        out.blanks(usize::from(rng.gen_bool(0.5)));
        out.furniture(match end_mark {
            0 => "ENDS".to_string(),
            1 => "-30-".to_string(),
            2 => "###".to_string(),
            3 => format!("(c) {} {agency}", dressed.moment.year()),
            _ => format!("Copyright {agency}. All rights reserved."),
        });
    }
}
