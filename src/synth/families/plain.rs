//! Plain-text families: blank-line paragraphs, a paragraph or a sentence per line (with or without anything
//! between articles), and hard-wrapped text.

use super::{bullet, Body, BriefRun, Dress, Dressed, Separator};
use crate::synth::source::SourceArticle;
use crate::synth::{style, DumpWriter};
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};

/// Header lines an export may begin with (outside every article).
fn feed_header(rng: &mut dyn RngCore, out: &mut DumpWriter) {
    if rng.gen_bool(0.3) {
        let header = [
            "NEWS ARCHIVE EXPORT",
            "Press clippings",
            "=== Feed: world news ===",
            "Saved articles",
            "Monitoring digest (automated export)",
        ];
        out.line(header.choose(rng).copied().unwrap_or("Saved articles"));
        out.blanks(rng.gen_range(1..=2));
    }
}

/// Lines some exports print around every story whatever their layout (outside the story): a slug, section or
/// breadcrumb line before it, an end mark, copyright, share or "Read more" line after it. Most dumps have none;
/// the cue is shared with the wire, web and feed families so that a model learns it as a cue of its own.
struct Trim {
    before: Option<usize>,
    after: Option<usize>,
}

impl Trim {
    fn random(rng: &mut dyn RngCore) -> Trim {
        if rng.gen_bool(0.75) {
            return Trim {
                before: None,
                after: None,
            };
        }
        Trim {
            before: rng.gen_bool(0.5).then(|| rng.gen_range(0..4)),
            after: rng.gen_bool(0.7).then(|| rng.gen_range(0..7)),
        }
    }

    fn before(&self, index: usize, total: usize, rng: &mut dyn RngCore, out: &mut DumpWriter) {
        const SECTIONS: [&str; 6] = ["World", "Africa", "Asia", "Politics", "Health", "Climate"];
        let section = SECTIONS.choose(rng).copied().unwrap_or("World");
        match self.before {
            Some(0) => out.furniture(format!("BC-{section}-{}", rng.gen_range(100..999))),
            Some(1) => out.furniture(format!("Home > {section}")),
            Some(2) => out.furniture(section.to_uppercase()),
            Some(_) => out.furniture(format!("Story {} of {total}", index + 1)),
            None => {}
        }
    }

    fn after(&self, dressed: &Dressed, rng: &mut dyn RngCore, out: &mut DumpWriter) {
        let line = match self.after {
            Some(0) => "ENDS".to_string(),
            Some(1) => "-30-".to_string(),
            Some(2) => format!("(c) {} {}", dressed.moment.year(), style::agency(rng).0),
            Some(3) => "Share | Copy link".to_string(),
            Some(4) => "Read more".to_string(),
            // The full notice agencies print under each story.
            Some(5) => format!(
                "Copyright {} {}. All rights reserved. This material may not be published, broadcast, \
                 rewritten or redistributed without written permission.",
                dressed.moment.year(),
                style::agency(rng).0
            ),
            Some(_) => "###".to_string(),
            None => return,
        };
        out.furniture(line);
    }
}

/// Prints the headline and meta lines of a dressed article, then `gap` blank lines when there were any.
fn head(dressed: &Dressed, gap: usize, out: &mut DumpWriter) {
    if let Some(headline) = &dressed.headline {
        out.line(headline.clone());
    }
    for line in &dressed.meta {
        out.line(line.clone());
    }
    if dressed.headline.is_some() || !dressed.meta.is_empty() {
        out.blanks(gap);
    }
}

/// Writes the body blocks, `gap` blank lines between them (list items follow each other without a gap).
fn body(dressed: &Dressed, layout: Body, gap: usize, rng: &mut dyn RngCore, out: &mut DumpWriter) {
    let bullet = bullet(rng);
    let mut previous_was_item = false;
    for (index, block) in dressed.blocks.iter().enumerate() {
        let is_item = block.kind == crate::synth::BlockKind::ListItem;
        if index > 0 && !(is_item && previous_was_item) {
            out.blanks(gap);
        }
        for line in layout.lines(block, bullet, rng) {
            out.line(line);
        }
        previous_was_item = is_item;
    }
}

/// How a plain family sets its stories one after another: the separator between stories, the lines a dump
/// prints around each story, and a run of briefs set as the family sets paragraphs (the dump's lines stand
/// around the run, not between its briefs). The family writes each story's head and body.
struct Stories<'a> {
    dress: &'a Dress,
    briefs: &'a BriefRun,
    separator: &'a Separator,
    /// Blank lines between two briefs of a run: the family's paragraph gap.
    brief_gap: usize,
    trim: &'a Trim,
}

impl Stories<'_> {
    fn write(
        &self,
        articles: &[SourceArticle],
        rng: &mut dyn RngCore,
        out: &mut DumpWriter,
        mut story: impl FnMut(&Dressed, &mut dyn RngCore, &mut DumpWriter),
    ) {
        for (index, article) in articles.iter().enumerate() {
            if self.briefs.continues(index) {
                out.blanks(self.brief_gap);
            } else {
                if index > 0 {
                    self.separator.write(out);
                }
                self.trim.before(index, articles.len(), rng, out);
            }
            let dressed = self.briefs.dress(index, self.dress, article, rng);
            dressed.begin(article, out);
            story(&dressed, rng, out);
            out.end();
            if !self.briefs.continues(index + 1) {
                self.trim.after(&dressed, rng, out);
            }
        }
    }
}

/// Paragraphs separated by a blank line (sometimes two); articles separated as the dump's [`Separator`] says,
/// at times by the same single blank line as paragraphs, when only the headline or dateline tells them apart.
pub(super) fn blank_paragraphs(
    articles: &[SourceArticle],
    rng: &mut dyn RngCore,
    out: &mut DumpWriter,
) {
    let dress = Dress::random(rng);
    let paragraph_gap = if rng.gen_bool(0.85) { 1 } else { 2 };
    // At times articles are apart by the paragraph gap only: the headline, dateline or stamp tells them apart.
    let separator = if rng.gen_bool(0.2) {
        Separator::Blanks(paragraph_gap)
    } else {
        Separator::random(rng, paragraph_gap)
    };
    let head_gap = rng.gen_range(0..=1);
    let trim = Trim::random(rng);
    let briefs = BriefRun::random(articles.len(), &dress, rng);
    feed_header(rng, out);
    let stories = Stories {
        dress: &dress,
        briefs: &briefs,
        separator: &separator,
        brief_gap: paragraph_gap,
        trim: &trim,
    };
    stories.write(articles, rng, out, |dressed, rng, out| {
        head(dressed, head_gap, out);
        body(dressed, Body::Paragraphs, paragraph_gap, rng, out);
    });
}

/// One paragraph (or sentence) per line with no blank line inside an article. With `flat`, nothing separates
/// articles and nothing dresses them (the topic change is the only cue); otherwise a blank line (at times two,
/// or a separator line, or in some exports nothing at all) comes between articles and headlines, datelines,
/// agency tags and the lines around stories appear at the dump's rates.
pub(super) fn lines(
    articles: &[SourceArticle],
    layout: Body,
    flat: bool,
    rng: &mut dyn RngCore,
    out: &mut DumpWriter,
) {
    let (dress, separator) = if flat {
        (Dress::bare(rng), Separator::Nothing)
    } else {
        let separator = match rng.gen_range(0..8) {
            0..=3 => Separator::Blanks(1),
            4 | 5 => Separator::Nothing,
            _ => Separator::random(rng, 1),
        };
        (Dress::random(rng), separator)
    };
    let trim = if flat {
        Trim {
            before: None,
            after: None,
        }
    } else {
        feed_header(rng, out);
        Trim::random(rng)
    };
    // Runs of briefs one paragraph a line, set solid like the paragraphs (not where a sentence is a line: a
    // brief there is several lines, and nothing but the subject would tell it from the next).
    let briefs = match layout {
        Body::Paragraphs if !flat => BriefRun::random(articles.len(), &dress, rng),
        _ => BriefRun::random(0, &dress, rng),
    };
    let stories = Stories {
        dress: &dress,
        briefs: &briefs,
        separator: &separator,
        brief_gap: 0,
        trim: &trim,
    };
    stories.write(articles, rng, out, |dressed, rng, out| {
        head(dressed, 0, out);
        body(dressed, layout, 0, rng, out);
    });
}

/// Hard-wrapped at a width of 60 to 100 columns (headlines, bylines and separators are not wrapped, as in dev
/// dump05); paragraphs separated by a blank line or, in some dumps, by an indented first line only.
pub(super) fn hard_wrapped(
    articles: &[SourceArticle],
    hyphenate: bool,
    rng: &mut dyn RngCore,
    out: &mut DumpWriter,
) {
    let dress = Dress::random(rng);
    let width = rng.gen_range(60..=100);
    let indented = rng.gen_bool(0.2);
    let paragraph_gap = usize::from(!indented);
    let separator = Separator::random(rng, 2);
    let head_gap = rng.gen_range(0..=1);
    let layout = Body::Wrapped { width, hyphenate };
    let trim = Trim::random(rng);
    let briefs = BriefRun::random(articles.len(), &dress, rng);
    feed_header(rng, out);
    let stories = Stories {
        dress: &dress,
        briefs: &briefs,
        separator: &separator,
        brief_gap: paragraph_gap,
        trim: &trim,
    };
    stories.write(articles, rng, out, |dressed, rng, out| {
        head(dressed, head_gap, out);
        if indented {
            let bullet = super::bullet(rng);
            for block in &dressed.blocks {
                for (i, line) in layout.lines(block, bullet, rng).into_iter().enumerate() {
                    out.line(if i == 0 { format!("    {line}") } else { line });
                }
            }
        } else {
            body(dressed, layout, paragraph_gap, rng, out);
        }
    });
}
