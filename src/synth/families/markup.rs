//! Families with markup or page furniture: markdown clippings and web copy.

use super::{Dress, Dressed};
use crate::synth::source::{BlockKind, SourceArticle};
use crate::synth::style::{self, Moment};
use crate::synth::DumpWriter;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};

/// A made-up link address.
pub(super) fn url(rng: &mut dyn RngCore) -> String {
    let site = [
        "news.example.org",
        "example.com",
        "wire.example.net",
        "reliefnews.example",
    ]
    .choose(rng)
    .copied()
    .unwrap_or("example.com");
    format!(
        "https://{site}/{}/{}",
        rng.gen_range(2012..=2026),
        rng.gen_range(10_000..99_999)
    )
}

/// Markdown clippings: `#`/`##` headings (or a bold line) for headlines, emphasised bylines and
/// `*Source - date*` lines, `###` subheadings, `>` block quotes for quoted paragraphs, `-` lists, inline links,
/// and between articles a rule, blank lines or a source link (outside the article).
pub(super) fn markdown(articles: &[SourceArticle], rng: &mut dyn RngCore, out: &mut DumpWriter) {
    let dress = Dress::random(rng).with_headlines([0.6, 1.0].choose(rng).copied().unwrap_or(1.0));
    let level = ["# ", "## ", "### ", "**"]
        .choose(rng)
        .copied()
        .unwrap_or("## ");
    let emphasis = ["*", "_"].choose(rng).copied().unwrap_or("*");
    let source_line = rng.gen_bool(0.6);
    let link_rate = rng.gen_range(0.0..0.4);
    let rule = ["---", "***", "* * *", ""]
        .choose(rng)
        .copied()
        .unwrap_or("");
    let source_after = rng.gen_bool(0.3);
    if rng.gen_bool(0.4) {
        let moment = Moment::random(rng);
        out.line(format!("# Press clippings, {}", moment.date(rng)));
        out.blank();
    }
    for (index, article) in articles.iter().enumerate() {
        if index > 0 {
            if rule.is_empty() {
                out.blanks(rng.gen_range(1..=2));
            } else {
                out.blank();
                out.line(rule);
                out.blank();
            }
        }
        let dressed = dress.dress(article, rng);
        dressed.begin(article, out);
        if let Some(headline) = &dressed.headline {
            if level == "**" {
                out.line(format!("**{headline}**"));
            } else {
                out.line(format!("{level}{headline}"));
            }
            out.blank();
        }
        let mut meta = dressed.meta.clone();
        if source_line && dressed.headline.is_some() {
            let (agency, _) = style::agency(rng);
            meta.push(format!("{agency} - {}", dressed.moment.date(rng)));
        }
        for line in &meta {
            out.line(format!("{emphasis}{line}{emphasis}"));
        }
        if !meta.is_empty() {
            out.blank();
        }
        write_markdown_body(&dressed, link_rate, rng, out);
        out.end();
        if source_after {
            out.blank();
            out.furniture(format!("Source: [{}]({})", style::agency(rng).0, url(rng)));
        }
    }
}

fn write_markdown_body(
    dressed: &Dressed,
    link_rate: f64,
    rng: &mut dyn RngCore,
    out: &mut DumpWriter,
) {
    let mut previous_was_item = false;
    for (index, block) in dressed.blocks.iter().enumerate() {
        let is_item = block.kind == BlockKind::ListItem;
        if index > 0 && !(is_item && previous_was_item) {
            out.blank();
        }
        previous_was_item = is_item;
        let mut text = block.text();
        if block.kind == BlockKind::Paragraph && rng.gen_bool(link_rate) {
            text = with_link(&text, rng);
        }
        match block.kind {
            BlockKind::Subheading => out.line(format!("### {text}")),
            BlockKind::ListItem => out.line(format!("- {text}")),
            BlockKind::Paragraph if text.starts_with(['"', '“']) && rng.gen_bool(0.7) => {
                out.line(format!("> {text}"))
            }
            BlockKind::Paragraph => out.line(text),
        }
    }
}

/// Turns one longer word of the text into a markdown link.
fn with_link(text: &str, rng: &mut dyn RngCore) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let candidates: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].len() > 5 && words[i].chars().all(char::is_alphabetic))
        .collect();
    let Some(&chosen) = candidates.choose(rng) else {
        return text.to_string();
    };
    let link = url(rng);
    words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            if i == chosen {
                format!("[{word}]({link})")
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const SECTIONS: [&str; 10] = [
    "World", "Africa", "Asia", "Europe", "Americas", "Climate", "Business", "Health", "Politics",
    "Sport",
];

/// Web copy pasted page after page: navigation, cookie notice and breadcrumbs before an article; a photo
/// caption, "Advertisement" and "Read more: ..." lines inside it; share bars, related links, newsletter
/// boxes and copyright footers after it.
pub(super) fn web_page(articles: &[SourceArticle], rng: &mut dyn RngCore, out: &mut DumpWriter) {
    let dress = Dress::random(rng).with_headlines([0.7, 1.0].choose(rng).copied().unwrap_or(1.0));
    let site = [
        "The Daily Ledger",
        "World Desk Online",
        "Global Times Review",
        "The Observer Post",
    ]
    .choose(rng)
    .copied()
    .unwrap_or("World Desk Online");
    let nav_every_page = rng.gen_bool(0.5);
    let inner_ads = rng.gen_range(0.0..0.35);
    let captions = rng.gen_range(0.0..0.8);
    let gap = rng.gen_range(0..=1);
    let headlines: Vec<String> = articles
        .iter()
        .map(|a| style::headline_for(a, rng))
        .collect();
    for (index, article) in articles.iter().enumerate() {
        if index == 0 || nav_every_page {
            if index > 0 {
                out.blank();
            }
            out.furniture(site);
            let sections: Vec<&str> = SECTIONS.choose_multiple(rng, 6).copied().collect();
            out.furniture(format!("Home | {}", sections.join(" | ")));
            if rng.gen_bool(0.5) {
                out.furniture("Skip to main content");
            }
            if index == 0 && rng.gen_bool(0.6) {
                out.furniture(
                    *[
                        "We use cookies to improve your experience. Accept all | Manage settings",
                        "This site uses cookies. By continuing to browse you agree to our use of cookies. OK",
                        "Cookie notice: we and our partners store data on your device. [Accept] [Reject]",
                    ]
                    .choose(rng)
                    .unwrap_or(&"Cookies: Accept all"),
                );
            }
            out.blank();
        }
        if rng.gen_bool(0.5) {
            let section = SECTIONS.choose(rng).copied().unwrap_or("World");
            out.furniture(format!("Home > {section}"));
        }
        let dressed = dress.dress(article, rng);
        dressed.begin(article, out);
        if let Some(headline) = &dressed.headline {
            out.line(headline.clone());
        }
        for line in &dressed.meta {
            out.line(line.clone());
        }
        if rng.gen_bool(captions) {
            let caption = [
                "Photo: {agency}",
                "A view of the area on Tuesday. (Photo: {agency})",
                "Image caption: Residents gather outside. Image source, {agency}",
                "(Image: {agency}/Getty)",
            ]
            .choose(rng)
            .copied()
            .unwrap_or("Photo: {agency}")
            .replace("{agency}", style::agency(rng).0);
            out.furniture(caption);
        }
        out.blanks(gap);
        let count = dressed.blocks.len();
        for (position, block) in dressed.blocks.iter().enumerate() {
            out.line(block.text());
            if position + 1 < count {
                out.blanks(gap);
                if rng.gen_bool(inner_ads) {
                    let other = headlines.choose(rng).cloned().unwrap_or_default();
                    out.furniture(if rng.gen_bool(0.5) {
                        "Advertisement".to_string()
                    } else {
                        format!("Read more: {other}")
                    });
                    out.blanks(gap);
                }
            }
        }
        out.end();
        out.blanks(gap.max(usize::from(rng.gen_bool(0.5))));
        let mut after = vec![
            "Share this article: Facebook | X | WhatsApp | Email | Copy link".to_string(),
            format!(
                "Related: {}",
                headlines.choose(rng).cloned().unwrap_or_default()
            ),
            "Sign up for our morning newsletter. Enter your e-mail | Subscribe".to_string(),
            format!(
                "© {} {site}. All rights reserved.",
                dressed.moment.date(rng)
            ),
            "Read more".to_string(),
            "Comments (12) | Report an error".to_string(),
        ];
        after.shuffle(rng);
        after.truncate(rng.gen_range(1..=3));
        for line in after {
            out.furniture(line);
        }
        out.blank();
    }
}
