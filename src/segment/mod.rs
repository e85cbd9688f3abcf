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
use crate::embed::{normalized_mean, Embedder};
use crate::error::Result;
use crate::ingest::Dump;
use crate::sentences::SentenceSplitter;
use rayon::prelude::*;
use std::collections::BTreeSet;
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

/// Carries article numbers and line numbers over the windows of one dump (see [`crate::ingest::InputStream`]),
/// so a dump segmented in windows gets the ids `<stem>#<n>` and line numbers it would get whole.
#[derive(Debug, Default)]
pub struct WindowNumbering {
    articles_before: usize,
}

impl WindowNumbering {
    /// Renumbers one window's segmentation in place: ids continue from the dump's earlier windows, and every
    /// line number becomes a line number of the whole dump. Windows must come in order.
    pub fn place(&mut self, window: &Dump, segmentation: &mut Segmentation) {
        if window.line_offset == 0 {
            self.articles_before = 0;
        } else {
            let offset = window.line_offset;
            for (n, article) in (self.articles_before + 1..).zip(&mut segmentation.articles) {
                article.id = format!("{}#{n}", window.stem);
                article.start_line = article.start_line.map(|l| l + offset);
                article.end_line = article.end_line.map(|l| l + offset);
            }
            for boundary in &mut segmentation.boundaries {
                boundary.line += offset;
            }
            for line in segmentation
                .dropped
                .iter_mut()
                .chain(&mut segmentation.omitted)
            {
                line.line += offset;
            }
        }
        self.articles_before += segmentation.articles.len();
    }
}

/// Splits a dump into articles, in two steps around the embeddings, so that a caller can embed the sentences
/// of many dumps together (in fewer, better-filled batches) before finishing each.
pub trait Segmenter: Send + Sync {
    /// Everything up to the embeddings: the dump's units and the sentences (from `splitter`) to embed.
    fn prepare(&self, dump: &Dump, splitter: &dyn SentenceSplitter) -> PreparedDump;

    /// The rest, given one L2-normalised vector per sentence of [`PreparedDump::sentences`], in order. The
    /// articles keep those vectors (see [`crate::article::KnownSentences`]).
    fn finish(
        &self,
        dump: &Dump,
        prepared: PreparedDump,
        vectors: Vec<Vec<f32>>,
        dimension: usize,
    ) -> Segmentation;

    /// The units whose vectors decide a call (a split, a merge, where a split falls) that a change of less than
    /// `margin` in every similarity could turn the other way: embedding those units more precisely settles
    /// the call. `vectors` as for [`Segmenter::finish`].
    fn close_calls(
        &self,
        prepared: &PreparedDump,
        vectors: &[Vec<f32>],
        dimension: usize,
        margin: f32,
    ) -> BTreeSet<usize>;

    /// Segments one dump, embedding its sentences with `embedder`.
    fn segment(
        &self,
        dump: &Dump,
        splitter: &dyn SentenceSplitter,
        embedder: &mut dyn Embedder,
    ) -> Result<Segmentation> {
        let prepared = self.prepare(dump, splitter);
        let vectors = embedder.embed(&prepared.sentences().collect::<Vec<_>>())?;
        Ok(self.finish(dump, prepared, vectors, embedder.dimension()))
    }
}

/// Makes the segmentation of dumps whose sentence vectors are approximate (bf16) that of precise vectors:
/// the units behind every call within `margin` of flipping (see [`Segmenter::close_calls`]) get their
/// sentences embedded again by `precise`, and the calls are looked at again, until every close call rests on
/// precise vectors. `vectors` holds each dump's sentence vectors, updated in place.
pub fn settle_close_calls(
    segmenter: &dyn Segmenter,
    prepared: &[PreparedDump],
    vectors: &mut [Vec<Vec<f32>>],
    dimension: usize,
    margin: f32,
    precise: impl Fn(&[&str]) -> Result<Vec<Vec<f32>>>,
) -> Result<()> {
    let mut settled: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); prepared.len()];
    let sentences: Vec<Vec<&str>> = prepared.iter().map(|p| p.sentences().collect()).collect();
    let ranges: Vec<Vec<Range<usize>>> = prepared
        .iter()
        .map(PreparedDump::unit_sentence_ranges)
        .collect();
    loop {
        let wanted: Vec<Vec<usize>> = prepared
            .par_iter()
            .zip(&*vectors)
            .zip(&settled)
            .map(|((prepared, vectors), settled)| {
                let close = segmenter.close_calls(prepared, vectors, dimension, margin);
                close.difference(settled).copied().collect()
            })
            .collect();
        if wanted.iter().all(Vec::is_empty) {
            return Ok(());
        }
        // (dump, sentence) of every sentence of the wanted units, and its text.
        let mut targets: Vec<(usize, usize)> = Vec::new();
        for (d, units) in wanted.iter().enumerate() {
            targets.extend(
                units
                    .iter()
                    .flat_map(|&u| ranges[d][u].clone())
                    .map(|s| (d, s)),
            );
        }
        let texts: Vec<&str> = targets.iter().map(|&(d, s)| sentences[d][s]).collect();
        for ((d, s), vector) in targets.into_iter().zip(precise(&texts)?) {
            vectors[d][s] = vector;
        }
        for (settled, units) in settled.iter_mut().zip(wanted) {
            settled.extend(units);
        }
    }
}

/// A dump segmented up to the embeddings: its line kinds, units and structural drafts, and the sentences of
/// each unit that are to be embedded (those of prose units).
#[derive(Clone, Debug)]
pub struct PreparedDump {
    kinds: Vec<lines::LineKind>,
    units: Vec<units::Unit>,
    drafts: Vec<Draft>,
    unit_sentences: Vec<Vec<String>>,
    /// The dump is one article: no brief or topic splitting.
    one_article: bool,
}

impl PreparedDump {
    /// The sentences to embed, in order.
    pub fn sentences(&self) -> impl Iterator<Item = &str> {
        self.unit_sentences.iter().flatten().map(String::as_str)
    }

    /// How many sentences [`PreparedDump::sentences`] yields.
    pub fn sentence_count(&self) -> usize {
        self.unit_sentences.iter().map(Vec::len).sum()
    }

    /// Where each unit's sentences sit in [`PreparedDump::sentences`], by unit index.
    pub fn unit_sentence_ranges(&self) -> Vec<Range<usize>> {
        let mut start = 0;
        self.unit_sentences
            .iter()
            .map(|sentences| {
                start += sentences.len();
                start - sentences.len()..start
            })
            .collect()
    }
}

/// Collects the units behind calls that are too close to trust at the precision the vectors were computed in
/// (see [`Segmenter::close_calls`]). With a margin of 0 (the default) it collects nothing.
#[derive(Debug, Default)]
pub struct CloseCalls {
    margin: f32,
    units: BTreeSet<usize>,
}

impl CloseCalls {
    /// Collects calls that a change of less than `margin` in every similarity could flip.
    pub fn new(margin: f32) -> Self {
        CloseCalls {
            margin,
            units: BTreeSet::new(),
        }
    }

    /// Whether a value `distance` away from its threshold could flip, when it adds up `similarities`
    /// similarities (a depth adds up four: the gap's, twice, and its two peaks).
    pub fn could_flip(&self, distance: f32, similarities: u8) -> bool {
        distance.abs() < self.margin * f32::from(similarities)
    }

    /// Records the units a close call depends on.
    pub fn add(&mut self, units: impl IntoIterator<Item = usize>) {
        self.units.extend(units);
    }

    /// Records `units` when a value `distance` from its threshold [`could flip`](CloseCalls::could_flip).
    pub fn check(
        &mut self,
        distance: f32,
        similarities: u8,
        units: impl IntoIterator<Item = usize>,
    ) {
        if self.could_flip(distance, similarities) {
            self.add(units);
        }
    }

    /// The units recorded.
    pub fn into_units(self) -> BTreeSet<usize> {
        self.units
    }
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
    fn prepare(&self, dump: &Dump, splitter: &dyn SentenceSplitter) -> PreparedDump {
        let kinds = lines::classify_lines(&dump.lines);
        let wrap = paragraphs::wrap_width(&dump.lines, &kinds);
        let mut units =
            units::classify_units(paragraphs::group_paragraphs(&dump.lines, &kinds, wrap));
        let drafts = match dump.one_article {
            true => structure::one_story(&mut units),
            false => structure::split_structure(&mut units, &kinds),
        };
        let unit_sentences = units
            .iter()
            .map(|unit| match unit.is_prose() {
                true => splitter.split(&unit.body),
                false => Vec::new(),
            })
            .collect();
        PreparedDump {
            kinds,
            units,
            drafts,
            unit_sentences,
            one_article: dump.one_article,
        }
    }

    fn finish(
        &self,
        dump: &Dump,
        prepared: PreparedDump,
        vectors: Vec<Vec<f32>>,
        dimension: usize,
    ) -> Segmentation {
        let PreparedDump {
            kinds,
            mut units,
            drafts,
            unit_sentences,
            one_article,
        } = prepared;
        let drafts = match one_article {
            true => drafts,
            false => {
                let unit_vectors = unit_vectors(&units, &unit_sentences, &vectors, dimension);
                let ignored = &mut CloseCalls::default();
                let drafts = self.briefs.split(drafts, &units, &unit_vectors, ignored);
                self.topics
                    .split(drafts, &mut units, &unit_vectors, ignored)
            }
        };
        let mut vectors = vectors.into_iter();
        let sentences = unit_sentences
            .into_iter()
            .map(|sentences| sentences.into_iter().zip(vectors.by_ref()).collect())
            .collect();
        assemble::assemble(dump, &kinds, &units, sentences, &drafts)
    }

    fn close_calls(
        &self,
        prepared: &PreparedDump,
        vectors: &[Vec<f32>],
        dimension: usize,
        margin: f32,
    ) -> BTreeSet<usize> {
        if prepared.one_article {
            return BTreeSet::new();
        }
        let mut units = prepared.units.clone();
        let unit_vectors = unit_vectors(&units, &prepared.unit_sentences, vectors, dimension);
        let mut close_calls = CloseCalls::new(margin);
        let drafts = self.briefs.split(
            prepared.drafts.clone(),
            &units,
            &unit_vectors,
            &mut close_calls,
        );
        self.topics
            .split(drafts, &mut units, &unit_vectors, &mut close_calls);
        close_calls.into_units()
    }
}

/// The sentences of one unit with their embeddings.
pub type UnitSentences = Vec<(String, Vec<f32>)>;

/// A unit's embedding for brief and topic-shift detection; `None` for units that are not prose.
pub type UnitVector = Option<Vec<f32>>;

/// Each prose unit's vector: the normalised mean of its sentence vectors (`vectors` holds those of all units,
/// in order).
fn unit_vectors(
    units: &[units::Unit],
    unit_sentences: &[Vec<String>],
    vectors: &[Vec<f32>],
    dimension: usize,
) -> Vec<UnitVector> {
    let mut vectors = vectors.iter();
    units
        .iter()
        .zip(unit_sentences)
        .map(|(unit, sentences)| {
            let own = vectors.by_ref().take(sentences.len()).map(Vec::as_slice);
            let mean = normalized_mean(own, dimension);
            unit.is_prose().then_some(mean)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(line_offset: usize) -> Dump {
        Dump {
            line_offset,
            ..Dump::new("feed.txt".to_string(), vec!["x".to_string(); 10])
        }
    }

    fn one_article(start: usize) -> Segmentation {
        let article = Article {
            id: "feed#1".to_string(),
            source: "feed.txt".to_string(),
            start_line: Some(start),
            end_line: Some(start + 2),
            title: None,
            text: "x".to_string(),
            metadata: Default::default(),
            known_sentences: Default::default(),
        };
        let line = |line| DroppedLine {
            line,
            reason: "test".to_string(),
        };
        Segmentation {
            articles: vec![article],
            dropped: vec![line(start + 3)],
            boundaries: vec![Boundary {
                line: start,
                reason: "test".to_string(),
            }],
            omitted: vec![line(start + 1)],
        }
    }

    #[test]
    fn later_windows_continue_ids_and_line_numbers_of_the_whole_dump() {
        let mut numbering = WindowNumbering::default();
        let mut first = one_article(2);
        numbering.place(&window(0), &mut first);
        assert_eq!(first, one_article(2));
        let mut second = one_article(2);
        numbering.place(&window(10), &mut second);
        assert_eq!(second.articles[0].id, "feed#2");
        assert_eq!(second.articles[0].start_line, Some(12));
        assert_eq!(second.articles[0].end_line, Some(14));
        assert_eq!(second.boundaries[0].line, 12);
        assert_eq!(second.omitted[0].line, 13);
        assert_eq!(second.dropped[0].line, 15);
        let mut next_dump = one_article(2);
        numbering.place(&window(0), &mut next_dump);
        assert_eq!(next_dump.articles[0].id, "feed#1");
    }
}
