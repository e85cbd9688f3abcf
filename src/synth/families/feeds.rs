//! Families of short items under one header: numbered digests of briefs.

use super::Dress;
use crate::synth::source::SourceArticle;
use crate::synth::style::{self, Moment};
use crate::synth::DumpWriter;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};

/// A numbered digest: a header, then briefs `1) Headline: text` (or `2. Headline - text`, `[3] Headline: text`,
/// or the numbered headline on its own line), further paragraphs on the following lines, and a footer. The
/// span starts at the numbered line; the title is the text between the number and the separator.
pub(super) fn numbered_digest(
    articles: &[SourceArticle],
    rng: &mut dyn RngCore,
    out: &mut DumpWriter,
) {
    let dress = Dress::random(rng)
        .with_headlines(1.0)
        .with_blocks(1, 3)
        .unnumbered()
        .without_openers();
    let number_style = rng.gen_range(0..4);
    let joint = [": ", " - ", " — "].choose(rng).copied().unwrap_or(": ");
    let headline_alone = rng.gen_bool(0.25);
    let item_gap = rng.gen_range(0..=1);
    let moment = Moment::random(rng);
    let header = [
        format!("Morning Briefing — {}", moment.date(rng)),
        format!("DAILY DIGEST {}", moment.date(rng)),
        "Top stories today".to_string(),
        format!("Your news summary for {}", moment.date(rng)),
        "WORLD IN BRIEF".to_string(),
    ];
    out.line(header.choose(rng).cloned().unwrap_or_default());
    if rng.gen_bool(0.5) {
        out.line(format!(
            "{} stories · compiled by the {} desk",
            articles.len(),
            style::agency(rng).0
        ));
    }
    out.blank();
    for (index, article) in articles.iter().enumerate() {
        if index > 0 {
            out.blanks(item_gap);
        }
        let dressed = dress.dress(article, rng);
        let title = dressed.headline.clone().unwrap_or_default();
        let number = index + 1;
        let numbered = match number_style {
            0 => format!("{number}) {title}"),
            1 => format!("{number}. {title}"),
            2 => format!("[{number}] {title}"),
            _ => format!("#{number} {title}"),
        };
        out.begin(article, Some(title), dressed.text());
        let mut paragraphs = dressed.blocks.iter().map(|block| block.text());
        if headline_alone {
            out.line(numbered);
        } else {
            let first = paragraphs.next().unwrap_or_default();
            out.line(format!("{numbered}{joint}{first}"));
        }
        for paragraph in paragraphs {
            out.line(paragraph);
        }
        out.end();
    }
    out.blank();
    let footers = [
        "You are receiving this digest because you subscribed at our website.",
        "Unsubscribe | Manage preferences | View in browser",
        "To stop receiving these e-mails, reply UNSUBSCRIBE.",
        "© All rights reserved. Forwarding is permitted for personal use only.",
    ];
    let count = rng.gen_range(1..=2);
    for footer in footers.choose_multiple(rng, count) {
        out.line(*footer);
    }
}

/// A live blog: a header, then entries newest first, each opened by its time on a line of its own and holding
/// an optional headline and one to three paragraphs; share links and rules between entries lie outside. As in
/// hand-made gold, a time standing above a headline lies outside the entry (which starts at its headline); an
/// entry without a headline opens with its time, like a date line.
pub(super) fn live_blog(articles: &[SourceArticle], rng: &mut dyn RngCore, out: &mut DumpWriter) {
    let dress = Dress::random(rng)
        .with_blocks(1, 3)
        .with_headlines([0.0, 0.5, 1.0].choose(rng).copied().unwrap_or(0.5));
    let start = Moment::random(rng);
    let step: Vec<u32> = (0..articles.len()).map(|_| rng.gen_range(3..40)).collect();
    let total: u32 = step.iter().sum();
    let mut moment = start.later(total);
    let bold = rng.gen_bool(0.4);
    let share = rng.gen_bool(0.4);
    let rule = rng.gen_bool(0.3);
    out.furniture(
        *[
            "LIVE: Latest updates as the emergency unfolds",
            "Live coverage — all times GMT",
            "As it happened: the day's events",
        ]
        .choose(rng)
        .unwrap_or(&"Live coverage"),
    );
    out.furniture(format!("Last updated {}", start.later(total).time(rng)));
    out.blank();
    for (index, article) in articles.iter().enumerate() {
        if index > 0 {
            if rule {
                out.blank();
                out.furniture("---");
            }
            out.blank();
        }
        let dressed = dress.dress(article, rng);
        dressed.begin(article, out);
        if dressed.headline.is_some() {
            out.furniture(moment.time(rng));
        } else {
            out.line(moment.time(rng));
        }
        if let Some(headline) = &dressed.headline {
            out.line(if bold {
                format!("**{headline}**")
            } else {
                headline.clone()
            });
        }
        for (position, block) in dressed.blocks.iter().enumerate() {
            if position > 0 && rng.gen_bool(0.5) {
                out.blank();
            }
            out.line(block.text());
        }
        out.end();
        if share {
            out.furniture("Share | Copy link");
        }
        moment = moment.later(24 * 60 - step[index]);
    }
}

/// A news river: items with a time (or date and time) in front of the headline or the text, one to two
/// paragraphs each, nothing or a blank line between them, a "Load more" footer. A date and time on a line of
/// their own above the headline lie outside the item, as hand-made gold has it.
pub(super) fn news_river(articles: &[SourceArticle], rng: &mut dyn RngCore, out: &mut DumpWriter) {
    let dress = Dress::random(rng)
        .with_blocks(1, 2)
        .with_headlines([0.5, 1.0, 1.0].choose(rng).copied().unwrap_or(1.0));
    let mut moment = Moment::random(rng);
    let form = rng.gen_range(0..3);
    let gap = rng.gen_range(0..=1);
    out.furniture(
        *[
            "Latest news",
            "Just in",
            "News feed",
            "Breaking news ticker",
        ]
        .choose(rng)
        .unwrap_or(&"Latest news"),
    );
    out.blank();
    for (index, article) in articles.iter().enumerate() {
        if index > 0 {
            out.blanks(gap);
        }
        let dressed = dress.dress(article, rng);
        dressed.begin(article, out);
        let time = moment.time(rng);
        let mut blocks = dressed.blocks.iter().map(|block| block.text());
        match (&dressed.headline, form) {
            (Some(headline), 0) => out.line(format!("[{time}] {headline}")),
            (Some(headline), 1) => out.line(format!("{time} | {headline}")),
            (Some(headline), _) => {
                out.furniture(format!("{} {time}", moment.date(rng)));
                out.line(headline.clone());
            }
            (None, _) => {
                let first = blocks.next().unwrap_or_default();
                out.line(format!("{time} — {first}"));
            }
        }
        for text in blocks {
            out.line(text);
        }
        out.end();
        moment = moment.later(rng.gen_range(2..50));
    }
    out.blank();
    out.furniture("Load more");
}
