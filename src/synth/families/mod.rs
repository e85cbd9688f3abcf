//! The layout families: one renderer each, grouped by kind in the files beside this one, all writing through a
//! [`DumpWriter`] so their gold is what they printed. Per-dump choices ([`Dress`], [`Separator`], [`Body`])
//! keep a dump consistent, as real dumps are; per-article draws vary within it.

mod feeds;
mod mail;
mod markup;
mod plain;
mod print;
mod wire;

use super::source::{Block, BlockKind, SourceArticle};
use super::style::{self, HeadlineCase, Moment};
use super::DumpWriter;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};
use std::cell::Cell;

/// A layout family: how the articles of a dump are laid out and what surrounds them. The kebab-case name is
/// what `newsdigest synth --families` takes and what gold records carry, so that a model can be trained on
/// some families and measured on the others.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Paragraphs separated by a blank line; articles by blank lines or a separator line; headlines mostly.
    BlankParagraphs,
    /// One paragraph per line, no blank line inside an article, a blank line (or a separator) between articles.
    ParagraphLines,
    /// One sentence per line, a blank line between articles (the layout of `cnndm/dumps/blank`).
    SentenceLines,
    /// One sentence per line and nothing between articles: no headline, no blank line, only the topic changes
    /// (the layout of `cnndm/dumps/flat`).
    SentenceLinesFlat,
    /// One paragraph per line and nothing between articles: only the topic changes.
    ParagraphLinesFlat,
    /// Hard-wrapped at 60 to 100 columns, no hyphenation.
    HardWrapped,
    /// Hard-wrapped at 60 to 100 columns, long words split with a hyphen at the line end.
    HardWrappedHyphenated,
    /// A numbered digest of briefs (`1) Headline: text`, `2. Headline - text`), with a header and a footer.
    NumberedDigest,
    /// Markdown clippings: `#`/`##` headings, emphasised bylines and `*Source - date*` lines, block quotes,
    /// lists, links.
    Markdown,
    /// An e-mail newsletter: headers, greeting, stories, signature, unsubscribe footer; at times quoted in a
    /// reply.
    Newsletter,
    /// Text extracted from a PDF bulletin: running heads, page numbers, footnotes, hyphenation, page breaks
    /// mid-paragraph.
    PdfText,
    /// Web copy: navigation, cookie notices, breadcrumbs, captions, "Advertisement" and "Read more" lines,
    /// share bars, related links, footers.
    WebPage,
    /// Wire copy: slugs, datelines, end marks (`ENDS`, `-30-`, `###`, `(c) Agency`).
    WireCopy,
    /// A live blog: timestamped entries, newest first.
    LiveBlog,
    /// A news river: short items with a time in front of the headline or text.
    NewsRiver,
    /// Two layouts in one file: the first articles in one family, the rest in another.
    TwoLayouts,
    /// One article per file (a folder of files, each one story), in a plain layout.
    SingleArticle,
}

impl Family {
    /// Every family, in a fixed order (the two that combine others last).
    pub const ALL: [Family; 17] = [
        Family::BlankParagraphs,
        Family::ParagraphLines,
        Family::SentenceLines,
        Family::SentenceLinesFlat,
        Family::ParagraphLinesFlat,
        Family::HardWrapped,
        Family::HardWrappedHyphenated,
        Family::NumberedDigest,
        Family::Markdown,
        Family::Newsletter,
        Family::PdfText,
        Family::WebPage,
        Family::WireCopy,
        Family::LiveBlog,
        Family::NewsRiver,
        Family::TwoLayouts,
        Family::SingleArticle,
    ];

    /// The kebab-case name (as in serde and on the command line).
    pub fn name(self) -> &'static str {
        match self {
            Family::BlankParagraphs => "blank-paragraphs",
            Family::ParagraphLines => "paragraph-lines",
            Family::SentenceLines => "sentence-lines",
            Family::SentenceLinesFlat => "sentence-lines-flat",
            Family::ParagraphLinesFlat => "paragraph-lines-flat",
            Family::HardWrapped => "hard-wrapped",
            Family::HardWrappedHyphenated => "hard-wrapped-hyphenated",
            Family::NumberedDigest => "numbered-digest",
            Family::Markdown => "markdown",
            Family::Newsletter => "newsletter",
            Family::PdfText => "pdf-text",
            Family::WebPage => "web-page",
            Family::WireCopy => "wire-copy",
            Family::LiveBlog => "live-blog",
            Family::NewsRiver => "news-river",
            Family::TwoLayouts => "two-layouts",
            Family::SingleArticle => "single-article",
        }
    }

    /// The number of articles every dump of this family holds, when the family fixes it.
    pub fn articles_per_dump(self) -> Option<usize> {
        (self == Family::SingleArticle).then_some(1)
    }

    /// Writes `articles`, in order, into `out`.
    pub fn render(self, articles: &[SourceArticle], rng: &mut dyn RngCore, out: &mut DumpWriter) {
        match self {
            Family::BlankParagraphs => plain::blank_paragraphs(articles, rng, out),
            Family::ParagraphLines => plain::lines(articles, Body::Paragraphs, false, rng, out),
            Family::SentenceLines => plain::lines(articles, Body::Sentences, false, rng, out),
            Family::SentenceLinesFlat => plain::lines(articles, Body::Sentences, true, rng, out),
            Family::ParagraphLinesFlat => plain::lines(articles, Body::Paragraphs, true, rng, out),
            Family::HardWrapped => plain::hard_wrapped(articles, false, rng, out),
            Family::HardWrappedHyphenated => plain::hard_wrapped(articles, true, rng, out),
            Family::NumberedDigest => feeds::numbered_digest(articles, rng, out),
            Family::Markdown => markup::markdown(articles, rng, out),
            Family::Newsletter => mail::newsletter(articles, rng, out),
            Family::PdfText => print::pdf_text(articles, rng, out),
            Family::WebPage => markup::web_page(articles, rng, out),
            Family::WireCopy => wire::wire_copy(articles, rng, out),
            Family::LiveBlog => feeds::live_blog(articles, rng, out),
            Family::NewsRiver => feeds::news_river(articles, rng, out),
            Family::TwoLayouts => {
                // ALL lists the two families that combine others last.
                let simple = &Family::ALL[..Family::ALL.len() - 2];
                let mut pair = simple.choose_multiple(rng, 2).copied();
                let first = pair.next().unwrap_or(Family::BlankParagraphs);
                let second = pair.next().unwrap_or(Family::Markdown);
                let cut = if articles.len() < 2 {
                    articles.len()
                } else {
                    rng.gen_range(1..articles.len())
                };
                first.render(&articles[..cut], rng, out);
                out.blanks(rng.gen_range(1..=2));
                second.render(&articles[cut..], rng, out);
            }
            Family::SingleArticle => {
                let plain = [
                    Family::BlankParagraphs,
                    Family::ParagraphLines,
                    Family::SentenceLines,
                    Family::HardWrapped,
                    Family::HardWrappedHyphenated,
                ];
                let family = plain
                    .choose(rng)
                    .copied()
                    .unwrap_or(Family::BlankParagraphs);
                family.render(articles, rng, out);
            }
        }
    }
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How a dump dresses its articles: how often each has a headline, a byline, a date line, a dateline and an
/// agency tag, in which case headlines are printed, and how much of each body is kept.
#[derive(Clone, Debug)]
pub(crate) struct Dress {
    headline: f64,
    case: HeadlineCase,
    byline: f64,
    date: f64,
    dateline: f64,
    tag: f64,
    /// How often an article opens with a time or date stamp on a line of its own (above the body when there
    /// is no headline, under the headline otherwise), as live blogs and feeds print them.
    stamp: f64,
    /// How often an article is cut to a one-paragraph brief, whatever the family.
    brief: f64,
    /// How often the body opens with a short line of its own (a place, a kicker, a label): story text, not
    /// furniture.
    opener: f64,
    /// How often a headline's date stands on the line above it, outside the story (as blog archives print
    /// it), rather than under it.
    date_above: f64,
    /// How often a headline runs into the first paragraph ("Headline: text", "Headline — text"), as briefs
    /// and digests print them, when nothing stands between the two.
    run_in: f64,
    /// How the dump numbers its stories, if it does (`1. `, `2) `, `[3] `, `#4 ` in front of the headline, or
    /// of the first paragraph when there is none), and the number of the next one.
    numbering: Option<(usize, Cell<usize>)>,
    /// Fewest and most body blocks kept (paragraphs and list items; subheadings come free).
    blocks: (usize, usize),
}

/// An article dressed for printing.
#[derive(Clone, Debug)]
pub(crate) struct Dressed {
    /// The headline as it will be printed (with the story's number in a numbered dump), if any.
    pub headline: Option<String>,
    /// The headline without the number (the gold title).
    pub title: Option<String>,
    /// Byline and date lines, printed under the headline.
    pub meta: Vec<String>,
    /// A date printed on the line above the headline, outside the story's span.
    pub above: Option<String>,
    /// Bytes at the start of the first block that are the headline run into it (not story text).
    run_in: usize,
    /// The body to print: dateline in front of the first paragraph, agency tag after the last.
    pub blocks: Vec<Block>,
    /// When the article was published.
    pub moment: Moment,
}

impl Dressed {
    /// The clean body as printed: blocks joined by a blank line.
    pub fn text(&self) -> String {
        let text = self
            .blocks
            .iter()
            .map(Block::text)
            .collect::<Vec<_>>()
            .join("\n\n");
        text[self.run_in..].to_string()
    }

    /// Opens the article in `out` with this headline and body, after the date above the headline if any.
    pub fn begin(&self, article: &SourceArticle, out: &mut DumpWriter) {
        out.begin(article, self.title.clone(), self.text());
        if let Some(above) = &self.above {
            out.furniture(above.clone());
        }
    }
}

impl Dress {
    /// A dump's dressing drawn at random: headlines from never to always, and so on.
    pub fn random(rng: &mut dyn RngCore) -> Dress {
        let rate = |rng: &mut dyn RngCore, rates: &[f64]| rates.choose(rng).copied().unwrap_or(0.0);
        Dress {
            headline: rate(rng, &[0.0, 0.0, 0.5, 0.8, 1.0, 1.0, 1.0]),
            case: HeadlineCase::random(rng),
            byline: rate(rng, &[0.0, 0.0, 0.3, 0.7, 1.0]),
            date: rate(rng, &[0.0, 0.0, 0.3, 0.7, 1.0]),
            dateline: rate(rng, &[0.0, 0.0, 0.3, 0.6, 1.0, 1.0]),
            tag: rate(rng, &[0.0, 0.0, 0.0, 0.3, 1.0]),
            stamp: rate(rng, &[0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0]),
            brief: rate(rng, &[0.0, 0.0, 0.0, 0.15, 0.4]),
            opener: rate(rng, &[0.0, 0.0, 0.0, 0.2, 0.5]),
            date_above: rate(rng, &[0.0, 0.0, 0.0, 0.0, 0.0, 0.8]),
            run_in: rate(rng, &[0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0]),
            numbering: rng
                .gen_bool(0.1)
                .then(|| (rng.gen_range(0..4), Cell::new(1))),
            blocks: (3, 30),
        }
    }

    /// No cue at all: no headline, byline, date line, dateline or tag; some dumps cut many stories to
    /// one-paragraph briefs.
    pub fn bare(rng: &mut dyn RngCore) -> Dress {
        Dress {
            headline: 0.0,
            case: HeadlineCase::AsWritten,
            byline: 0.0,
            date: 0.0,
            dateline: 0.0,
            tag: 0.0,
            stamp: 0.0,
            brief: [0.0, 0.0, 0.2, 0.5].choose(rng).copied().unwrap_or(0.0),
            opener: 0.0,
            date_above: 0.0,
            run_in: 0.0,
            numbering: None,
            blocks: (3, 30),
        }
    }

    /// The same dressing with the body cut to between `fewest` and `most` blocks (briefs).
    pub fn with_blocks(self, fewest: usize, most: usize) -> Dress {
        Dress {
            blocks: (fewest, most),
            ..self
        }
    }

    /// The same dressing with headlines at this rate.
    pub fn with_headlines(self, rate: f64) -> Dress {
        Dress {
            headline: rate,
            ..self
        }
    }

    /// The same dressing without numbered stories (for families that number stories their own way).
    pub fn unnumbered(self) -> Dress {
        Dress {
            numbering: None,
            ..self
        }
    }

    /// The same dressing with nothing above the headline or the first paragraph (for families that run the
    /// headline into the text).
    pub fn without_openers(self) -> Dress {
        Dress {
            opener: 0.0,
            date_above: 0.0,
            run_in: 0.0,
            ..self
        }
    }

    /// The next story's number as printed in front of its opening line, in a numbered dump.
    fn next_number(&self) -> Option<String> {
        let (style, next) = self.numbering.as_ref()?;
        let number = next.get();
        next.set(number + 1);
        Some(match style {
            0 => format!("{number}. "),
            1 => format!("{number}) "),
            2 => format!("[{number}] "),
            _ => format!("#{number} "),
        })
    }

    /// Dresses one article.
    pub fn dress(&self, article: &SourceArticle, rng: &mut dyn RngCore) -> Dressed {
        let moment = Moment::random(rng);
        let title = rng
            .gen_bool(self.headline)
            .then(|| self.case.apply(&style::headline_for(article, rng)));
        let number = self.next_number();
        let headline = title
            .as_ref()
            .map(|t| format!("{}{t}", number.as_deref().unwrap_or("")));
        let mut meta = Vec::new();
        // Bylines and date lines stand under a headline; without one the body opens the article.
        let byline = if headline.is_some() { self.byline } else { 0.0 };
        let date = if headline.is_some() { self.date } else { 0.0 };
        if rng.gen_bool(byline) {
            meta.push(style::byline(rng));
        }
        let above = (headline.is_some() && rng.gen_bool(self.date_above))
            .then(|| style::date_line(moment, rng));
        if above.is_none() && rng.gen_bool(date) {
            let line = style::date_line(moment, rng);
            if rng.gen_bool(0.3) {
                meta.insert(0, line);
            } else {
                meta.push(line);
            }
        }
        // A stamp stands on a line of its own, or in front of the headline (or of the text without one).
        let stamp = rng.gen_bool(self.stamp).then(|| {
            if rng.gen_bool(0.7) {
                moment.time(rng)
            } else {
                format!("{} {}", moment.date(rng), moment.time(rng))
            }
        });
        let stamp_in_front = match stamp {
            Some(stamp) if rng.gen_bool(0.5) => Some(
                [
                    format!("{stamp} | "),
                    format!("[{stamp}] "),
                    format!("{stamp} — "),
                ]
                .choose(rng)
                .cloned()
                .unwrap_or_default(),
            ),
            Some(stamp) => {
                meta.insert(0, stamp);
                None
            }
            None => None,
        };
        let headline = match (headline, &stamp_in_front) {
            (Some(headline), Some(front)) => Some(format!("{front}{headline}")),
            (headline, _) => headline,
        };
        let keep = if rng.gen_bool(self.brief) {
            1
        } else {
            rng.gen_range(self.blocks.0..=self.blocks.1.max(self.blocks.0))
        };
        let mut blocks = Vec::new();
        let mut kept = 0;
        // Without a headline, an opening subheading ("Summary", "Highlights") would read as one: start at the
        // text.
        let skip = if headline.is_none() {
            article
                .blocks
                .iter()
                .take_while(|b| b.kind == BlockKind::Subheading)
                .count()
                .min(article.blocks.len() - 1)
        } else {
            0
        };
        for block in &article.blocks[skip..] {
            if kept >= keep {
                break;
            }
            if block.kind != BlockKind::Subheading {
                kept += 1;
            }
            blocks.push(block.clone());
        }
        if blocks
            .last()
            .is_some_and(|b| b.kind == BlockKind::Subheading)
            && blocks.len() > 1
        {
            blocks.pop();
        }
        let dateline = rng.gen_bool(self.dateline);
        if dateline {
            if let Some(first) = blocks
                .first_mut()
                .filter(|b| b.kind == BlockKind::Paragraph)
                .and_then(|b| b.sentences.first_mut())
            {
                *first = style::dateline(moment, rng) + first;
            }
        }
        if rng.gen_bool(self.tag) {
            if let Some(last) = blocks
                .last_mut()
                .filter(|b| b.kind == BlockKind::Paragraph)
                .and_then(|b| b.sentences.last_mut())
            {
                last.push_str(&style::agency_tag(rng));
            }
        }
        let run_in = meta.is_empty()
            && headline.is_some()
            && blocks
                .first()
                .is_some_and(|b| b.kind == BlockKind::Paragraph)
            && rng.gen_bool(self.run_in);
        // Not above a dateline, which opens a story on its own, nor under a headline run into the text.
        if !dateline && !run_in && rng.gen_bool(self.opener) && !blocks.is_empty() {
            blocks.insert(
                0,
                Block {
                    kind: BlockKind::Paragraph,
                    sentences: vec![style::opener(article, rng)],
                },
            );
        }
        if headline.is_none() {
            let front = format!(
                "{}{}",
                number.as_deref().unwrap_or(""),
                stamp_in_front.as_deref().unwrap_or("")
            );
            if let Some(first) = blocks
                .first_mut()
                .filter(|b| b.kind == BlockKind::Paragraph)
                .and_then(|b| b.sentences.first_mut())
            {
                *first = format!("{front}{first}");
            }
        }
        let mut run_in_bytes = 0;
        let headline = match headline {
            Some(headline) if run_in => {
                let joint = [": ", " — ", " - ", ". "]
                    .choose(rng)
                    .copied()
                    .unwrap_or(": ");
                if let Some(first) = blocks.first_mut().and_then(|b| b.sentences.first_mut()) {
                    let front = format!("{headline}{joint}");
                    run_in_bytes = front.len();
                    *first = front + first;
                }
                None
            }
            headline => headline,
        };
        Dressed {
            headline,
            title,
            meta,
            above,
            run_in: run_in_bytes,
            blocks,
            moment,
        }
    }
}

/// A run of one-paragraph briefs among a dump's stories: many digests set a few briefs one after another after
/// (or before) their long stories, each a single paragraph with no headline (at times with one run into the
/// text), spaced as the paragraphs of a story are, with no separator between them, so that only the change of
/// subject (and the brief's own opening) tells one from the next. The briefs' subjects are whatever the dump
/// draws: related ones in the dumps that keep to one topic, unrelated ones elsewhere.
#[derive(Clone, Debug)]
pub(crate) struct BriefRun {
    /// The indexes of the dump's articles set as briefs, consecutive.
    briefs: std::ops::Range<usize>,
    /// How the briefs are dressed: the dump's dress, cut to one paragraph, without headline or meta lines.
    dress: Dress,
}

impl BriefRun {
    /// Drawn for a dump of `count` articles dressed as `dress`: in about one dump in three of three articles or
    /// more, two to four consecutive articles (at least one story stays whole) at the end, the start or inside;
    /// none in the others.
    pub fn random(count: usize, dress: &Dress, rng: &mut dyn RngCore) -> BriefRun {
        let run_in = [0.0, 0.0, 0.0, 1.0].choose(rng).copied().unwrap_or(0.0);
        let dress = Dress {
            headline: run_in,
            byline: 0.0,
            date: 0.0,
            stamp: 0.0,
            brief: 1.0,
            opener: 0.0,
            date_above: 0.0,
            run_in,
            ..dress.clone()
        }
        .unnumbered();
        if count < 3 || !rng.gen_bool(0.35) {
            return BriefRun {
                briefs: 0..0,
                dress,
            };
        }
        let length = rng.gen_range(2..=(count - 1).min(4));
        let first = match rng.gen_range(0..4) {
            0 | 1 => count - length,
            2 => 0,
            _ => rng.gen_range(0..=count - length),
        };
        BriefRun {
            briefs: first..first + length,
            dress,
        }
    }

    /// Whether article `index` follows another brief of the run (and takes the paragraph gap, not the dump's
    /// separator).
    pub fn continues(&self, index: usize) -> bool {
        index > 0 && self.briefs.contains(&index) && self.briefs.contains(&(index - 1))
    }

    /// Dresses article `index`: as a brief when the run holds it, else as the dump dresses its stories.
    pub fn dress(
        &self,
        index: usize,
        dress: &Dress,
        article: &SourceArticle,
        rng: &mut dyn RngCore,
    ) -> Dressed {
        if self.briefs.contains(&index) {
            self.dress.dress(article, rng)
        } else {
            dress.dress(article, rng)
        }
    }
}

/// How body text is broken into lines.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Body {
    /// One paragraph per line.
    Paragraphs,
    /// One sentence per line.
    Sentences,
    /// Hard-wrapped at a width, with or without hyphenated line ends.
    Wrapped { width: usize, hyphenate: bool },
}

impl Body {
    /// The lines of one block (a list item gets `bullet` in front; continuation lines of a wrapped item are
    /// indented to match).
    pub fn lines(self, block: &Block, bullet: &str, rng: &mut dyn RngCore) -> Vec<String> {
        let prefix = if block.kind == BlockKind::ListItem {
            bullet
        } else {
            ""
        };
        match self {
            Body::Paragraphs => vec![format!("{prefix}{}", block.text())],
            Body::Sentences => block
                .sentences
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    if i == 0 {
                        format!("{prefix}{s}")
                    } else {
                        s.clone()
                    }
                })
                .collect(),
            Body::Wrapped { width, hyphenate } => {
                if block.kind == BlockKind::Subheading {
                    return vec![block.text()];
                }
                let indent = " ".repeat(prefix.chars().count());
                style::wrap(&block.text(), width - indent.len(), hyphenate, rng)
                    .into_iter()
                    .enumerate()
                    .map(|(i, line)| {
                        if i == 0 {
                            format!("{prefix}{line}")
                        } else {
                            format!("{indent}{line}")
                        }
                    })
                    .collect()
            }
        }
    }
}

/// What a dump prints between two articles.
#[derive(Clone, Debug)]
pub(crate) enum Separator {
    /// Nothing at all.
    Nothing,
    /// This many blank lines.
    Blanks(usize),
    /// A separator line, with this many blank lines on each side.
    Line(String, usize),
}

impl Separator {
    /// A separator drawn at random; `fewest_blanks` is the smallest blank gap allowed (1 where a single blank
    /// line also separates paragraphs and only the headline or dateline tells articles apart).
    pub fn random(rng: &mut dyn RngCore, fewest_blanks: usize) -> Separator {
        const LINES: [&str; 9] = [
            "* * *",
            "---",
            "========================================",
            "###",
            "~~~",
            "________________________________",
            "— — —",
            "-----------------------------------------------",
            "+++",
        ];
        if rng.gen_bool(0.5) {
            Separator::Blanks(rng.gen_range(fewest_blanks.max(1)..=3))
        } else {
            Separator::Line(
                LINES.choose(rng).copied().unwrap_or("---").to_string(),
                rng.gen_range(0..=1),
            )
        }
    }

    /// Writes the separator.
    pub fn write(&self, out: &mut DumpWriter) {
        match self {
            Separator::Nothing => {}
            Separator::Blanks(count) => out.blanks(*count),
            Separator::Line(line, around) => {
                out.blanks(*around);
                out.line(line.clone());
                out.blanks(*around);
            }
        }
    }
}

/// A bullet style for list items, drawn at random.
pub(crate) fn bullet(rng: &mut dyn RngCore) -> &'static str {
    ["- ", "* ", "• ", "– "]
        .choose(rng)
        .copied()
        .unwrap_or("- ")
}
