//! Synthetic news dumps with exact gold: real articles rendered into many layout families with randomised
//! details, the gold spans computed from what was rendered. This is the training and held-out data for the
//! learned segmenter, and a way to measure any segmenter on layouts nobody hand-labelled.
//!
//! - [`source`] loads the real articles and splits the stories into training and validation by id.
//! - [`families`] holds the layout families ([`Family`]), one renderer each, beside one another.
//! - [`style`] draws the details families share: headlines, bylines, date lines, datelines, wrapping.
//! - [`DumpWriter`] records which lines each article occupies while a family writes, so gold is never
//!   computed after the fact.
//!
//! Gold follows the dev set's definition: lines are 1-based and counted by universal newlines; a span runs
//! from the article's headline (or its first body line, dateline included) to its last line, with byline and
//! date lines and any boilerplate *inside* the article; boilerplate, separators and blank lines *around* it
//! stay outside.

pub mod families;
pub mod source;
pub mod style;

pub use families::Family;
pub use source::{load_corpora, Block, BlockKind, Corpus, SourceArticle, Split};

use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Where one article sits in a rendered dump.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoldSpan {
    /// First line of the article, 1-based.
    pub start_line: usize,
    /// Last line of the article, 1-based and inclusive.
    pub end_line: usize,
    /// The headline as printed (without markup such as `#` or `n) `), or `None` when none was printed.
    pub title: Option<String>,
    /// The id of the source article.
    pub source_id: String,
    /// The corpus of the source article.
    pub corpus: Corpus,
    /// The source article's topic label, when its corpus has one.
    pub label: Option<String>,
    /// The body as printed, clean: blocks joined by a blank line, unwrapped, dateline and agency tag kept,
    /// headline, byline, date lines and boilerplate left out (the dev set's `articles.jsonl` `text`).
    pub text: String,
}

/// One rendered dump: its text, exactly as it would be written to a file, and its articles' spans in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthDump {
    /// The layout family it was rendered in.
    pub family: Family,
    /// The file content (line ends and a byte-order mark as drawn).
    pub text: String,
    /// The lines of the text, as the gold counts them (no line ends, no BOM).
    pub lines: Vec<String>,
    /// Every article's span, in dump order, disjoint.
    pub spans: Vec<GoldSpan>,
}

/// Renders `articles` (all of them, in order) into one dump of `family`. Line ends are CRLF in about one dump
/// in six and a UTF-8 byte-order mark leads about one in twenty, whatever the family.
pub fn render_dump(family: Family, articles: &[SourceArticle], rng: &mut dyn RngCore) -> SynthDump {
    let mut writer = DumpWriter::default();
    family.render(articles, rng, &mut writer);
    let crlf = rng.gen_bool(1.0 / 6.0);
    let bom = rng.gen_bool(0.05);
    writer.finish(family, crlf, bom)
}

/// Collects a dump's lines while a family writes them, and the span of every article between [`begin`] and
/// [`end`]: from its first to its last line written with [`line`]. Lines written with [`furniture`] (page
/// furniture, advertisements, captions) and blank lines fall inside a span only when article lines surround
/// them, so boilerplate written before `end` after the last article line stays outside, as the gold wants.
///
/// [`begin`]: DumpWriter::begin
/// [`end`]: DumpWriter::end
/// [`line`]: DumpWriter::line
/// [`furniture`]: DumpWriter::furniture
#[derive(Debug, Default)]
pub struct DumpWriter {
    lines: Vec<String>,
    /// Whether each line belongs to the article text (headline, meta, body) rather than being blank or
    /// furniture.
    article_line: Vec<bool>,
    /// Printed in front of every line (`> ` in a quoted e-mail reply).
    prefix: String,
    spans: Vec<GoldSpan>,
    open: Option<(usize, GoldSpan)>,
}

impl DumpWriter {
    /// Appends one line of text (it must not hold a line break): part of the open article if there is one.
    pub fn line(&mut self, text: impl Into<String>) {
        let text = text.into();
        let filled = !text.trim().is_empty();
        self.push(text, filled);
    }

    /// Appends a boilerplate line: inside the open article only if article lines follow it.
    pub fn furniture(&mut self, text: impl Into<String>) {
        self.push(text.into(), false);
    }

    /// Appends an empty line (just the prefix, in a quoted reply).
    pub fn blank(&mut self) {
        self.push(String::new(), false);
    }

    /// Appends `count` empty lines.
    pub fn blanks(&mut self, count: usize) {
        for _ in 0..count {
            self.blank();
        }
    }

    /// Sets what is printed in front of every following line (`> ` to quote; empty to stop).
    pub fn set_prefix(&mut self, prefix: &str) {
        self.prefix = prefix.to_string();
    }

    /// The number of lines written so far.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether nothing was written yet.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    fn push(&mut self, text: String, article_line: bool) {
        debug_assert!(!text.contains(['\n', '\r']), "line break inside {text:?}");
        let line = if text.is_empty() {
            self.prefix.trim_end().to_string()
        } else {
            format!("{}{text}", self.prefix)
        };
        self.lines.push(line);
        self.article_line.push(article_line);
    }

    /// Opens an article: lines written from here to [`DumpWriter::end`] are its own; `title` is the headline as
    /// printed, if one will be, and `text` the clean body that will be printed.
    pub fn begin(&mut self, article: &SourceArticle, title: Option<String>, text: String) {
        self.end();
        self.open = Some((
            self.lines.len(),
            GoldSpan {
                start_line: 0,
                end_line: 0,
                title,
                source_id: article.id.clone(),
                corpus: article.corpus,
                label: article.label.clone(),
                text,
            },
        ));
    }

    /// Closes the open article, if any, recording its span from its first to its last article line.
    pub fn end(&mut self) {
        let Some((first, mut span)) = self.open.take() else {
            return;
        };
        let is_article = |index: &usize| self.article_line[*index];
        let start = (first..self.lines.len()).find(is_article);
        let end = (first..self.lines.len()).rev().find(is_article);
        if let (Some(start), Some(end)) = (start, end) {
            span.start_line = start + 1;
            span.end_line = end + 1;
            self.spans.push(span);
        }
    }

    fn finish(mut self, family: Family, crlf: bool, bom: bool) -> SynthDump {
        self.end();
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut text = String::from(if bom { "\u{feff}" } else { "" });
        for line in &self.lines {
            text.push_str(line);
            text.push_str(newline);
        }
        SynthDump {
            family,
            text,
            lines: self.lines,
            spans: self.spans,
        }
    }
}

/// What to generate: which families, how many dumps of how many articles, from which split of the stories.
#[derive(Clone, Debug)]
pub struct SynthOptions {
    /// The families to render, each into its own dumps.
    pub families: Vec<Family>,
    /// Dumps per family.
    pub dumps_per_family: usize,
    /// Fewest and most articles per dump (both inclusive).
    pub articles_per_dump: (usize, usize),
    /// The seed every random choice derives from.
    pub seed: u64,
    /// Which stories to draw from.
    pub split: Split,
}

/// Renders the dumps `options` ask for from `pool` (articles of every split; only those of `options.split`
/// are used). Each dump draws from its own random stream, derived from the seed, the family and the dump's
/// number, so a family's dumps do not change when other families are added or removed. Returns nothing when
/// the split holds no article.
pub fn generate(pool: &[SourceArticle], options: &SynthOptions) -> Vec<SynthDump> {
    let stories_where =
        |wanted: &dyn Fn(&SourceArticle) -> bool| -> Vec<(f64, Vec<&SourceArticle>)> {
            CORPUS_WEIGHTS
                .iter()
                .map(|&(corpus, weight)| {
                    let stories: Vec<&SourceArticle> = pool
                        .iter()
                        .filter(|a| a.corpus == corpus && a.split() == options.split && wanted(a))
                        .collect();
                    (weight, stories)
                })
                .filter(|(_, stories)| !stories.is_empty())
                .collect()
        };
    let by_corpus = stories_where(&|_| true);
    if by_corpus.is_empty() {
        return Vec::new();
    }
    // Stories of one topic, for dumps that follow a single subject (a crisis monitor's digest): related
    // stories side by side, so that a change of story is not always a change of subject.
    let by_topic: Vec<Vec<(f64, Vec<&SourceArticle>)>> = TOPICS
        .iter()
        .map(|topic| stories_where(&|a| a.label.as_deref() == Some(topic)))
        .filter(|stories| stories.iter().map(|(_, s)| s.len()).sum::<usize>() >= TOPIC_POOL_MIN)
        .collect();
    let (fewest, most) = options.articles_per_dump;
    let mut dumps = Vec::new();
    for &family in &options.families {
        for number in 0..options.dumps_per_family {
            let stream = xxhash_rust::xxh3::xxh3_64(
                format!("{}/{}/{number}", options.seed, family.name()).as_bytes(),
            );
            let mut rng = ChaCha8Rng::seed_from_u64(stream);
            let count = family
                .articles_per_dump()
                .unwrap_or_else(|| rng.gen_range(fewest.max(1)..=most.max(fewest).max(1)));
            // Whether the dump keeps to one topic is drawn apart, so that the other dumps stay as they were.
            let mut topic_rng = ChaCha8Rng::seed_from_u64(stream ^ TOPIC_STREAM);
            let pool = match by_topic.choose(&mut topic_rng) {
                Some(topical) if topic_rng.gen_bool(TOPICAL_SHARE) => topical,
                _ => &by_corpus,
            };
            let chosen = pick_articles(pool, count, &mut rng);
            dumps.push(render_dump(family, &chosen, &mut rng));
        }
    }
    dumps
}

/// The labels a dump that keeps to one topic draws its stories from.
const TOPICS: [&str; 3] = ["conflict", "humanitarian", "disaster"];

/// Share of the dumps that keep to one topic.
const TOPICAL_SHARE: f64 = 0.25;

/// Fewest stories a topic needs in the split to supply a dump of its own.
const TOPIC_POOL_MIN: usize = 20;

/// Mixed into a dump's stream for the draw of whether it keeps to one topic.
const TOPIC_STREAM: u64 = 0x7091_c5ee_d000_0011;

/// How often each corpus supplies an article: by kind of writing, not by corpus size (crisis-news has 1,000
/// one-sentence snippets, which would otherwise fill most dumps).
const CORPUS_WEIGHTS: [(Corpus, f64); 5] = [
    (Corpus::Dev, 0.15),
    (Corpus::Cnndm, 0.25),
    (Corpus::Xsum, 0.3),
    (Corpus::Reliefweb, 0.2),
    (Corpus::CrisisNews, 0.1),
];

/// Draws `count` distinct articles: a corpus by weight, then an article of it (a few retries avoid repeating
/// one within a dump; small pools may still repeat).
fn pick_articles(
    by_corpus: &[(f64, Vec<&SourceArticle>)],
    count: usize,
    rng: &mut dyn RngCore,
) -> Vec<SourceArticle> {
    let total: f64 = by_corpus.iter().map(|(weight, _)| weight).sum();
    let mut chosen: Vec<SourceArticle> = Vec::with_capacity(count);
    for _ in 0..count {
        for attempt in 0..8 {
            let mut draw = rng.gen_range(0.0..total);
            let stories = by_corpus
                .iter()
                .find(|(weight, _)| {
                    draw -= weight;
                    draw < 0.0
                })
                .map_or(&by_corpus[0].1, |(_, stories)| stories);
            let Some(&article) = stories.choose(rng) else {
                continue;
            };
            if attempt == 7 || !chosen.iter().any(|c| c.id == article.id) {
                chosen.push(article.clone());
                break;
            }
        }
    }
    chosen
}
