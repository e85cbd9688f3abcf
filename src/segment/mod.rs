//! Segmentation: splits a dump into articles, with their line spans, headline and metadata, and drops
//! boilerplate.
//!
//! [`DumpSegmenter`] runs a pipeline of small stages, each in its own file:
//! [`lines`] (blank, separator, boilerplate or text, using [`boilerplate`]) → [`paragraphs`] (grouping and
//! un-wrapping) → [`units`] (headline, byline, date line, digest item, prose, using [`shape`] and
//! [`metadata`]) → [`structure`] (splits at structural cues) → [`briefs`] (one-paragraph items in
//! paragraph-per-line feeds) → [`topic`] (topic shifts found with sentence embeddings) → [`assemble`]
//! (articles, dropped lines and the reasons for every decision).

pub mod assemble;
pub mod boilerplate;
pub mod briefs;
pub mod lines;
pub mod metadata;
pub mod paragraphs;
pub mod shape;
pub mod structure;
pub mod topic;
pub mod units;

use crate::article::Article;
use crate::embed::Embedder;
use crate::error::Result;
use crate::ingest::Dump;
use std::ops::Range;

/// Why a line was left out of every article, or out of the text of the article whose span holds it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DroppedLine {
    /// 1-based line number in the dump.
    pub line: usize,
    /// The rule that dropped it (for `segment --explain`).
    pub reason: String,
}

/// Where an article starts and the cue that started it (for `segment --explain`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Boundary {
    /// 1-based first line of the article.
    pub line: usize,
    /// The rule that fired ("headline", "separator line 23", "topic shift: similarity 0.16, depth 0.73", ...).
    pub reason: String,
}

/// The result of segmenting one dump: every non-blank line is either in exactly one article's span or dropped.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Segmentation {
    /// Articles in source order, with ids `<stem>#<n>`.
    pub articles: Vec<Article>,
    /// Lines outside every article, with the reason.
    pub dropped: Vec<DroppedLine>,
    /// One entry per article, in the same order: its first line and why a story starts there.
    pub boundaries: Vec<Boundary>,
    /// Non-blank lines inside an article's span that are not in its text (headline, byline, date line,
    /// boilerplate inside the story), with the reason.
    pub omitted: Vec<DroppedLine>,
}

/// Splits a dump into articles.
pub trait Segmenter: Send + Sync {
    /// Segments one dump; `embedder` is there for topic-shift detection.
    fn segment(&self, dump: &Dump, embedder: &mut dyn Embedder) -> Result<Segmentation>;
}

/// A story in the making: a range of units and the cue that started it.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// Indexes into the dump's units.
    pub units: Range<usize>,
    /// Why a story starts at the first unit.
    pub reason: String,
}

/// The rule-and-embedding segmenter for raw dumps: structural cues first, then one-paragraph briefs, then
/// topic shifts. The two embedding-driven stages carry their thresholds; the defaults are the tuned ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct DumpSegmenter {
    /// Splits headline-less runs of back-to-back paragraphs into briefs.
    pub briefs: briefs::BriefSplitter,
    /// Splits stories that run into each other without any structural cue.
    pub topics: topic::TopicShiftSplitter,
}

impl Segmenter for DumpSegmenter {
    fn segment(&self, dump: &Dump, embedder: &mut dyn Embedder) -> Result<Segmentation> {
        let kinds = lines::classify_lines(&dump.lines);
        let wrap = paragraphs::wrap_width(&dump.lines, &kinds);
        let mut units =
            units::classify_units(paragraphs::group_paragraphs(&dump.lines, &kinds, wrap));
        let drafts = structure::split_structure(&mut units, &kinds);
        let vectors = embed_prose(&units, embedder)?;
        let drafts = self.briefs.split(drafts, &units, &vectors);
        let drafts = self.topics.split(drafts, &mut units, &vectors);
        Ok(assemble::assemble(dump, &kinds, &units, &drafts))
    }
}

/// Embeds every prose unit (one vector per unit, `None` for the others) in a single call.
fn embed_prose(
    units: &[units::Unit],
    embedder: &mut dyn Embedder,
) -> Result<Vec<Option<Vec<f32>>>> {
    let prose: Vec<usize> = (0..units.len()).filter(|&i| units[i].is_prose()).collect();
    let mut vectors = vec![None; units.len()];
    if prose.is_empty() {
        return Ok(vectors);
    }
    let texts: Vec<&str> = prose.iter().map(|&i| units[i].body.as_str()).collect();
    for (i, vector) in prose.into_iter().zip(embedder.embed(&texts)?) {
        vectors[i] = Some(vector);
    }
    Ok(vectors)
}
