//! E-mail newsletters: mail headers and a greeting, stories, a signature and an unsubscribe footer; at times
//! forwarded or replied to, with the whole newsletter quoted under `> `. Some list the stories' headlines
//! under "IN THIS ISSUE" before the first story, and some print headlines in capitals.

use super::{Body, Dress};
use crate::synth::source::SourceArticle;
use crate::synth::style::{self, Moment};
use crate::synth::DumpWriter;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};

/// An e-mail newsletter. The headers, greeting, signature and footer lie outside every article; a story's
/// span runs from its headline (or first line) to its last line, `> ` prefixes included when quoted.
pub(super) fn newsletter(articles: &[SourceArticle], rng: &mut dyn RngCore, out: &mut DumpWriter) {
    let dress = Dress::random(rng).with_blocks(1, 8);
    let moment = Moment::random(rng);
    let sender = style::person(rng);
    let list = [
        "World Desk",
        "Crisis Watch",
        "Morning Brief",
        "The Weekly Dispatch",
    ]
    .choose(rng)
    .copied()
    .unwrap_or("Morning Brief");
    let address = list.to_lowercase().replace(' ', ".");
    let quoted = rng.gen_bool(0.3);
    let wrapped = rng.gen_bool(0.4);
    let layout = if wrapped {
        Body::Wrapped {
            width: rng.gen_range(66..=78),
            hyphenate: false,
        }
    } else {
        Body::Paragraphs
    };
    let marker = ["", "■ ", "» ", "+++ ", "== "]
        .choose(rng)
        .copied()
        .unwrap_or("");
    let between = ["", "----------", "* * *", "~~~~~~~~~~~~~~~~~~~~"]
        .choose(rng)
        .copied()
        .unwrap_or("");
    if quoted {
        let replier = style::person(rng);
        out.furniture(format!(
            "From: {replier} <{}@example.org>",
            replier.to_lowercase().replace(' ', ".")
        ));
        out.furniture(format!("Subject: Fwd: {list} for {}", moment.date(rng)));
        out.blank();
        out.line(
            *[
                "Thought you'd want to see this one, especially the second item.",
                "FYI, see below.",
                "Sharing for tomorrow's meeting.",
            ]
            .choose(rng)
            .unwrap_or(&"FYI, see below."),
        );
        out.blank();
        out.line(replier.clone());
        out.blank();
        out.furniture(format!(
            "On {}, {list} <{address}@example.com> wrote:",
            moment.date(rng)
        ));
        out.set_prefix("> ");
    }
    out.furniture(format!("From: {list} <{address}@example.com>"));
    out.furniture(format!("Date: {}, {}", moment.date(rng), moment.time(rng)));
    out.furniture(format!("Subject: {list}: today's top stories"));
    out.furniture("To: subscribers@example.org");
    out.blank();
    out.furniture(
        *[
            "Good morning,",
            "Dear reader,",
            "Hello, here is what you need to know today.",
            "Welcome to this week's edition.",
        ]
        .choose(rng)
        .unwrap_or(&"Good morning,"),
    );
    out.blank();
    let gap = usize::from(!rng.gen_bool(0.2));
    // Some newsletters head their stories with a section label, link each story to the full text, and close
    // with a few one-line briefs under a section of their own, one story per bullet.
    let sections = rng.gen_bool(0.4);
    let read_more = rng
        .gen_bool(0.4)
        .then_some([
            "Read the full story: ",
            "Read more: ",
            "Full story: ",
            "Continue reading at ",
        ])
        .and_then(|forms| forms.choose(rng).copied());
    let briefs = if sections && articles.len() > 2 {
        rng.gen_range(0..=(articles.len() - 2).min(3))
    } else {
        0
    };
    let (stories, in_brief) = articles.split_at(articles.len() - briefs);
    let capitals = if rng.gen_bool(0.3) {
        rng.gen_range(0.3..=1.0)
    } else {
        0.0
    };
    let dressed_stories: Vec<_> = stories
        .iter()
        .map(|article| {
            let mut dressed = dress.dress(article, rng);
            if rng.gen_bool(capitals) {
                dressed.headline = dressed.headline.map(|h| h.to_uppercase());
            }
            dressed
        })
        .collect();
    if rng.gen_bool(0.3) {
        out.furniture(
            *["IN THIS ISSUE", "In this issue:", "Today's stories"]
                .choose(rng)
                .unwrap_or(&"IN THIS ISSUE"),
        );
        let bullet = super::bullet(rng);
        for headline in dressed_stories.iter().filter_map(|d| d.headline.as_ref()) {
            out.furniture(format!("{bullet}{headline}"));
        }
        out.blank();
    }
    if sections {
        out.furniture(
            *[
                "TOP STORIES",
                "Top stories",
                "HEADLINES",
                "Today's main stories",
                "IN FOCUS",
            ]
            .choose(rng)
            .unwrap_or(&"TOP STORIES"),
        );
        out.blank();
    }
    for (index, (article, dressed)) in stories.iter().zip(&dressed_stories).enumerate() {
        if index > 0 {
            if between.is_empty() {
                out.blanks(1 + usize::from(rng.gen_bool(0.3)));
            } else {
                out.blank();
                out.furniture(between);
                out.blank();
            }
        }
        dressed.begin(article, out);
        if let Some(headline) = &dressed.headline {
            out.line(format!("{marker}{headline}"));
        }
        for line in &dressed.meta {
            out.line(line.clone());
        }
        let mut first = true;
        for block in &dressed.blocks {
            if !first {
                out.blanks(gap);
            }
            first = false;
            for line in layout.lines(block, "- ", rng) {
                out.line(line);
            }
        }
        out.end();
        if let Some(form) = read_more {
            out.blank();
            out.furniture(format!("{form}{}", super::markup::url(rng)));
        }
    }
    if !in_brief.is_empty() {
        out.blanks(1 + usize::from(rng.gen_bool(0.3)));
        out.furniture(
            *[
                "IN BRIEF",
                "In brief",
                "ALSO TODAY",
                "Briefly",
                "Other news",
            ]
            .choose(rng)
            .unwrap_or(&"IN BRIEF"),
        );
        out.blank();
        let brief = dress
            .clone()
            .with_headlines(0.0)
            .with_blocks(1, 1)
            .without_openers();
        let bullet = super::bullet(rng);
        for article in in_brief {
            let dressed = brief.dress(article, rng);
            dressed.begin(article, out);
            out.line(format!("{bullet}{}", dressed.text()));
            out.end();
        }
    }
    out.blank();
    out.furniture("-- ");
    out.furniture(format!("{sender}, editor, {list}"));
    if rng.gen_bool(0.5) {
        out.furniture("Newsroom Ltd, 12 Harbour Street, London");
    }
    out.blank();
    let footer = [
        "You are receiving this e-mail because you signed up for {list}.",
        "Unsubscribe: https://example.com/unsubscribe?list={address}",
        "To unsubscribe from {list}, reply with UNSUBSCRIBE in the subject line.",
        "Update your preferences or unsubscribe at any time.",
    ];
    let count = rng.gen_range(1..=3);
    for line in footer.choose_multiple(rng, count) {
        out.furniture(line.replace("{list}", list).replace("{address}", &address));
    }
    out.set_prefix("");
}
