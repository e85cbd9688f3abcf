//! Segmentation: splits a dump into articles, with their line spans, headline and metadata, and drops
//! boilerplate.
//!
//! [`DumpSegmenter`] is the stage's one entry point. It runs small steps, each in its own file:
//! [`lines`] (blank, separator, boilerplate or text, using [`boilerplate`]) → [`paragraphs`] (grouping and
//! un-wrapping) → [`units`] (headline, byline, date line, digest item, prose, using [`shape`] and
//! [`metadata`]) → [`features`] (what the boundary model sees at every line where a story could start:
//! layout measured against the dump's own statistics, and sentence-vector similarities across the gap) →
//! [`model`] (boosted trees trained on synthesised dumps, decoded over the whole dump with an article-length
//! prior; in a dump with no blank line between paragraphs, only its surer starts stand and [`content`] finds
//! the rest from the topic shifts of the prose's sentence vectors, with the boundary model's log-odds joined
//! in) → [`assemble`] (articles, dropped lines and the reasons for every decision).

pub mod assemble;
pub mod boilerplate;
pub mod content;
pub mod features;
pub mod lines;
pub mod metadata;
pub mod model;
pub mod pages;
pub mod paragraphs;
pub mod shape;
pub mod units;

use crate::article::Article;
use crate::embed::{normalized_mean, Embedder};
use crate::error::Result;
use crate::ingest::Dump;
use crate::sentences::SentenceSplitter;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

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
    /// Why a story starts here: the boundary model's probability and its strongest features ("boundary model p
    /// 0.95: words in the line +1.5, dip below neighbouring gaps (4 each side) +0.8"), or "first text of the
    /// dump".
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

/// A dump segmented up to the embeddings: its line kinds, units, the candidate lines with their layout
/// features, and the sentences of each unit that are to be embedded (those of prose units).
#[derive(Clone, Debug)]
pub struct PreparedDump {
    kinds: Vec<lines::LineKind>,
    units: Vec<units::Unit>,
    candidates: Vec<features::Candidate>,
    /// Words before each candidate's line, and in the whole dump (for the length prior).
    words_before: Vec<usize>,
    total_words: usize,
    unit_sentences: Vec<Vec<String>>,
    /// The dump is one article: no brief or topic splitting.
    one_article: bool,
    /// No blank line stands between any two paragraphs: the content segmenter finds the stories between the
    /// boundary model's surer starts (see [`DumpSegmenter`]).
    cueless: bool,
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

    /// The lines where a story could start, with all the boundary model's features, given the sentence
    /// vectors (for training and evaluating the model).
    pub fn candidates(&self, vectors: &[Vec<f32>], dimension: usize) -> Vec<features::Candidate> {
        self.candidates_with(&self.unit_vectors(vectors, dimension))
    }

    /// [`PreparedDump::candidates`] given each unit's vector.
    fn candidates_with(&self, unit_vectors: &[UnitVector]) -> Vec<features::Candidate> {
        let mut candidates = self.candidates.clone();
        features::add_content(&mut candidates, unit_vectors);
        candidates
    }

    /// Each prose unit's vector (see [`unit_vectors`]).
    fn unit_vectors(&self, vectors: &[Vec<f32>], dimension: usize) -> Vec<UnitVector> {
        unit_vectors(&self.units, &self.unit_sentences, vectors, dimension)
    }

    /// Words before each candidate's line, and in the whole dump.
    pub fn words(&self) -> (&[usize], usize) {
        (&self.words_before, self.total_words)
    }
}

/// A story in the making: a range of units and why it starts there.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// Indexes into the dump's units.
    pub units: Range<usize>,
    /// Why a story starts at the first unit.
    pub reason: String,
    /// Whether the boundary model chose this start: the story then starts there even on a short line (the
    /// dump's first story starts at its first line and sheds short lines such as feed headers).
    pub chosen: bool,
}

/// The segmenter for raw dumps: a boundary model scores every line where a story could start, and the
/// starts of the whole dump are chosen together.
#[derive(Clone, Debug)]
pub struct DumpSegmenter {
    model: Arc<model::BoundaryModel>,
    content: Arc<content::ContentSegmenter>,
}

impl Default for DumpSegmenter {
    /// The segmenter with the committed boundary model and content segmenter.
    fn default() -> Self {
        static COMMITTED: LazyLock<Arc<model::BoundaryModel>> =
            LazyLock::new(|| Arc::new(model::BoundaryModel::committed()));
        DumpSegmenter {
            model: Arc::clone(&COMMITTED),
            content: committed_content(),
        }
    }
}

/// The committed content segmenter, loaded once.
fn committed_content() -> Arc<content::ContentSegmenter> {
    static COMMITTED_CONTENT: LazyLock<Arc<content::ContentSegmenter>> =
        LazyLock::new(|| Arc::new(content::ContentSegmenter::load()));
    Arc::clone(&COMMITTED_CONTENT)
}

impl DumpSegmenter {
    /// A segmenter with another boundary model (one being trained or evaluated). The committed boundary model
    /// is not loaded: it may predate this build's features until it is retrained.
    pub fn with_model(model: model::BoundaryModel) -> Self {
        DumpSegmenter {
            model: Arc::new(model),
            content: committed_content(),
        }
    }

    /// This segmenter with another content segmenter (one being tuned or evaluated).
    pub fn with_content(self, content: content::ContentSegmenter) -> Self {
        DumpSegmenter {
            content: Arc::new(content),
            ..self
        }
    }

    /// The boundary model.
    pub fn model(&self) -> &model::BoundaryModel {
        &self.model
    }

    /// Why a story starts at a candidate: its probability and, given its features, those that weighed most
    /// for it.
    fn explain(&self, candidate: Option<&features::Candidate>, logit: f32) -> String {
        let probability = format!("boundary model p {:.2}", 1.0 / (1.0 + (-logit).exp()));
        let Some(candidate) = candidate else {
            return probability;
        };
        let strongest: Vec<String> = self
            .model
            .contributions(&candidate.features)
            .into_iter()
            .filter(|c| c.value > 0.0)
            .take(3)
            .map(|c| format!("{} {:+.1}", c.name, c.value))
            .collect();
        format!("{probability}: {}", strongest.join(", "))
    }

    /// What the content segmenter reads of a dump without layout cues (no blank line between any two
    /// paragraphs: stories may follow each other with only the subject changing); `None` for other dumps.
    /// `vectors` as for [`Segmenter::finish`].
    pub fn cueless_prose(
        &self,
        prepared: &PreparedDump,
        vectors: &[Vec<f32>],
        dimension: usize,
    ) -> Option<CuelessProse> {
        let unit_vectors = prepared.unit_vectors(vectors, dimension);
        let candidates = prepared.candidates_with(&unit_vectors);
        self.cueless_prose_with(prepared, unit_vectors, &candidates)
    }

    /// [`DumpSegmenter::cueless_prose`] from the dump's unit vectors and candidates with their features.
    fn cueless_prose_with(
        &self,
        prepared: &PreparedDump,
        unit_vectors: Vec<UnitVector>,
        candidates: &[features::Candidate],
    ) -> Option<CuelessProse> {
        if !prepared.cueless || prepared.one_article {
            return None;
        }
        let (mut units, mut vectors, mut sentences) = (Vec::new(), Vec::new(), Vec::new());
        for (u, vector) in unit_vectors.into_iter().enumerate() {
            if let Some(vector) = vector {
                units.push(u);
                vectors.push(vector);
                sentences.push(prepared.unit_sentences[u].len().max(1));
            }
        }
        // A story found at a prose unit takes along the lines that are not prose before it (a headline, a
        // short line).
        let start_lines = units
            .iter()
            .enumerate()
            .map(|(p, &u)| match p {
                0 => prepared.units[u].paragraph.first_line(),
                _ => prepared.units[units[p - 1] + 1].paragraph.first_line(),
            })
            .collect();
        // A start at a candidate begins the first prose unit at or after its line.
        let candidates = candidates
            .iter()
            .map(|c| CandidateStart {
                line: c.line,
                logit: self.model.logit(&c.features),
                prose_unit: units
                    .partition_point(|&u| prepared.units[u].paragraph.last_line() < c.line),
            })
            .collect();
        Some(CuelessProse {
            units,
            vectors,
            sentences,
            start_lines,
            candidates,
        })
    }

    /// The starts of a dump without layout cues: the candidates (indexes) whose boundary-model log-odds stand
    /// whatever the content says ([`content::WithBoundaryModel::keep_logit`]), and the prose units (indexes
    /// into [`CuelessProse::units`]) where the content segmenter, with the boundary model's log-odds joined
    /// in, starts stories between them, with their combined log-odds.
    pub fn cueless_starts(&self, prose: &CuelessProse) -> (Vec<usize>, Vec<(usize, f32)>) {
        let kept = self.kept_candidates(prose);
        let fixed: Vec<usize> = kept
            .iter()
            .map(|&c| prose.candidates[c].prose_unit)
            .collect();
        let found = self.content.starts_between(
            &prose.vectors,
            &prose.sentences,
            &fixed,
            &prose.boundary_logits(),
        );
        (kept, found)
    }

    /// The candidates whose start stands in a dump without layout cues, by index.
    fn kept_candidates(&self, prose: &CuelessProse) -> Vec<usize> {
        let keep = self.content.model().with_boundary_model.keep_logit;
        (0..prose.candidates.len())
            .filter(|&c| prose.candidates[c].logit > keep)
            .collect()
    }

    /// [`Segmenter::finish`] for a dump without layout cues whose [`CuelessProse`] is at hand (as when
    /// choosing how the two models combine; the boundary model's starts are explained by their probability
    /// alone).
    pub fn finish_cueless(
        &self,
        dump: &Dump,
        prepared: PreparedDump,
        vectors: Vec<Vec<f32>>,
        prose: &CuelessProse,
    ) -> Segmentation {
        let starts = self.content_starts(prose, None);
        articles_from_starts(dump, prepared, vectors, starts)
    }

    /// [`DumpSegmenter::cueless_starts`] as start lines with their reasons (with the boundary model's
    /// strongest features when its `candidates` are given).
    fn content_starts(
        &self,
        prose: &CuelessProse,
        candidates: Option<&[features::Candidate]>,
    ) -> Vec<(usize, String)> {
        let (kept, found) = self.cueless_starts(prose);
        let mut starts: Vec<(usize, String)> = kept
            .into_iter()
            .map(|c| {
                let CandidateStart { line, logit, .. } = prose.candidates[c];
                (line, self.explain(candidates.map(|all| &all[c]), logit))
            })
            .collect();
        // A story found at a prose unit starts where the boundary model would start it (a headline above the
        // unit, not a notice closing the story before), else with the lines that are not prose before it.
        starts.extend(found.into_iter().map(|(p, logit)| {
            let line = prose
                .candidates
                .iter()
                .filter(|c| c.prose_unit == p)
                .max_by(|a, b| a.logit.total_cmp(&b.logit))
                .map_or(prose.start_lines[p], |c| c.line);
            (
                line,
                format!("content segmenter (no layout cues): topic shift, log-odds {logit:.1}"),
            )
        }));
        starts.sort_by_key(|(line, _)| *line);
        starts.dedup_by_key(|(line, _)| *line);
        starts
    }
}

/// A dump without layout cues as the content segmenter reads it: its prose units and where the boundary
/// model would start stories (see [`DumpSegmenter::cueless_prose`]).
#[derive(Clone, Debug)]
pub struct CuelessProse {
    /// Indexes of the prose units in the dump's units.
    pub units: Vec<usize>,
    /// Each prose unit's vector.
    pub vectors: Vec<Vec<f32>>,
    /// Each prose unit's sentence count.
    pub sentences: Vec<usize>,
    /// The line (0-based) where a story the content segmenter starts at each prose unit begins.
    pub start_lines: Vec<usize>,
    /// Every candidate line of the boundary model, in order.
    pub candidates: Vec<CandidateStart>,
}

/// A line where the boundary model could start a story, in a dump without layout cues.
#[derive(Clone, Copy, Debug)]
pub struct CandidateStart {
    /// The line, 0-based.
    pub line: usize,
    /// The boundary model's log-odds that a story starts there.
    pub logit: f32,
    /// The prose unit a story starting there begins with (index into [`CuelessProse::units`]; their number
    /// when none follows).
    pub prose_unit: usize,
}

impl CuelessProse {
    /// The boundary model's log-odds at each gap between prose units (entry g: before prose unit g + 1): the
    /// highest of the candidates whose start begins that unit, -[`content::BOUNDARY_LOGIT_LIMIT`] where none
    /// does.
    pub fn boundary_logits(&self) -> Vec<f32> {
        let logits: Vec<f32> = self.candidates.iter().map(|c| c.logit).collect();
        self.per_gap(&logits, -content::BOUNDARY_LOGIT_LIMIT)
    }

    /// The highest of `values` (one per candidate) of the candidates beginning each prose unit after the
    /// first, `none` where none does.
    fn per_gap(&self, values: &[f32], none: f32) -> Vec<f32> {
        let mut gaps = vec![none; self.units.len().saturating_sub(1)];
        for (c, &value) in self.candidates.iter().zip(values) {
            if let Some(gap) = c.prose_unit.checked_sub(1).and_then(|g| gaps.get_mut(g)) {
                *gap = gap.max(value);
            }
        }
        gaps
    }
}

impl Segmenter for DumpSegmenter {
    fn prepare(&self, dump: &Dump, splitter: &dyn SentenceSplitter) -> PreparedDump {
        let kinds = lines::classify_lines(&dump.lines);
        let shown = lines::shown_lines(&dump.lines, &kinds);
        let wrap = paragraphs::wrap_width(&shown, &kinds);
        let units = units::classify_units(paragraphs::group_paragraphs(&shown, &kinds, wrap));
        let candidates = features::candidates(&shown, &kinds, &units, wrap);
        let mut words_before = Vec::with_capacity(candidates.len());
        let mut total_words = 0;
        let mut next = candidates.iter().map(|c| c.line).peekable();
        for (l, (line, kind)) in dump.lines.iter().zip(&kinds).enumerate() {
            if next.peek() == Some(&l) {
                words_before.push(total_words);
                next.next();
            }
            if *kind == lines::LineKind::Text {
                total_words += shape::word_count(line);
            }
        }
        let unit_sentences = units
            .iter()
            .map(|unit| match unit.is_prose() {
                true => splitter.split(&unit.body),
                false => Vec::new(),
            })
            .collect();
        let cueless =
            !dump.one_article && units.iter().skip(1).all(|u| u.paragraph.blanks_before == 0);
        PreparedDump {
            kinds,
            units,
            candidates,
            words_before,
            total_words,
            unit_sentences,
            one_article: dump.one_article,
            cueless,
        }
    }

    fn finish(
        &self,
        dump: &Dump,
        prepared: PreparedDump,
        vectors: Vec<Vec<f32>>,
        dimension: usize,
    ) -> Segmentation {
        let starts: Vec<(usize, String)> = match prepared.one_article {
            true => Vec::new(),
            false => {
                let unit_vectors = prepared.unit_vectors(&vectors, dimension);
                let candidates = prepared.candidates_with(&unit_vectors);
                match self.cueless_prose_with(&prepared, unit_vectors, &candidates) {
                    Some(prose) => self.content_starts(&prose, Some(&candidates)),
                    None => {
                        let decoded = self.model.decode(
                            &candidates,
                            &prepared.words_before,
                            prepared.total_words,
                        );
                        decoded
                            .starts
                            .iter()
                            .map(|&c| {
                                (
                                    candidates[c].line,
                                    self.explain(Some(&candidates[c]), decoded.logits[c]),
                                )
                            })
                            .collect()
                    }
                }
            }
        };
        articles_from_starts(dump, prepared, vectors, starts)
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
        let unit_vectors = prepared.unit_vectors(vectors, dimension);
        let candidates = prepared.candidates_with(&unit_vectors);
        let Some(prose) = self.cueless_prose_with(prepared, unit_vectors, &candidates) else {
            return self
                .model
                .close_calls(
                    &candidates,
                    &prepared.words_before,
                    prepared.total_words,
                    margin,
                )
                .into_iter()
                .flat_map(|c| candidates[c].depends_on.clone())
                .filter(|&u| prepared.units[u].is_prose())
                .collect();
        };
        // Without layout cues, a boundary model's start stands or not by its log-odds alone, and its log-odds
        // join the content segmenter's decisions.
        let keep = self.content.model().with_boundary_model.keep_logit;
        let movement: Vec<f32> = candidates
            .iter()
            .zip(&prose.candidates)
            .map(|(c, start)| self.model.sensitivity(c, start.logit, margin))
            .collect();
        let fixed: Vec<usize> = self
            .kept_candidates(&prose)
            .into_iter()
            .map(|c| prose.candidates[c].prose_unit)
            .collect();
        let close_starts = self.content.close_calls_between(
            &prose.vectors,
            &prose.sentences,
            &fixed,
            &prose.boundary_logits(),
            &prose.per_gap(&movement, 0.0),
            margin,
        );
        let n = prose.units.len();
        let joined = self.content.model().with_boundary_model.weight != 0.0;
        let close_candidates = prose.candidates.iter().zip(&movement).enumerate().filter(
            |&(_, (start, &movement))| {
                (start.logit - keep).abs() <= movement
                    || (joined && close_starts.contains(&start.prose_unit))
            },
        );
        let mut close: BTreeSet<usize> = close_candidates
            .flat_map(|(c, _)| candidates[c].depends_on.clone())
            .filter(|&u| prepared.units[u].is_prose())
            .collect();
        close.extend(
            close_starts
                .into_iter()
                .flat_map(|p| content::ContentSegmenter::reach(p, n))
                .map(|p| prose.units[p]),
        );
        close
    }
}

/// The articles of a dump whose stories start at `starts` (lines, with why a story starts there), from its
/// prepared units and their sentence vectors.
fn articles_from_starts(
    dump: &Dump,
    prepared: PreparedDump,
    vectors: Vec<Vec<f32>>,
    starts: Vec<(usize, String)>,
) -> Segmentation {
    let PreparedDump {
        kinds,
        units,
        unit_sentences,
        one_article,
        ..
    } = prepared;
    let mut vectors = vectors.into_iter();
    let sentences: Vec<UnitSentences> = unit_sentences
        .into_iter()
        .map(|sentences| sentences.into_iter().zip(vectors.by_ref()).collect())
        .collect();
    let (mut units, sentences) = split_units(dump, units, sentences, &starts);
    let mut drafts = vec![Draft {
        units: 0..units.len(),
        reason: match one_article {
            true => "one article per input (--input-format article)",
            false => "first text of the dump",
        }
        .to_string(),
        chosen: false,
    }];
    for (line, reason) in starts {
        let Some(u) = units.iter().position(|u| u.paragraph.first_line() == line) else {
            continue;
        };
        if let Some(last) = drafts.last_mut() {
            last.units.end = u;
        }
        drafts.push(Draft {
            units: u..units.len(),
            reason,
            chosen: true,
        });
    }
    // A headline, byline or date line with no story text before the next start is the header of that
    // story: the start moves up to it (but not over the next story's own headline, numbered digest
    // headlines included, above which a date stands outside the story).
    let mut merged: Vec<Draft> = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let headline_next = units.get(draft.units.start).is_some_and(|u| {
            matches!(
                u.kind,
                units::UnitKind::Headline | units::UnitKind::Digest { .. }
            )
        });
        // The dump's head holding nothing but a headline broken over short lines set solid (its first line
        // is the dump's first text, where no start is chosen) belongs to the story the model starts on a
        // later line of it or on the byline or date line under it.
        let broken_headline_next = units.get(draft.units.start).is_some_and(|u| {
            (u.kind == units::UnitKind::Fragment && u.set_solid())
                || matches!(
                    u.kind,
                    units::UnitKind::Byline(_) | units::UnitKind::DateLine
                )
        });
        let fragments = |d: &Draft| {
            let head = &units[d.units.clone()];
            head.len() >= 2
                && head.iter().all(|u| u.kind == units::UnitKind::Fragment)
                && head.iter().skip(1).all(units::Unit::set_solid)
        };
        match merged.last_mut() {
            Some(last)
                if is_header_only(&units[last.units.clone()], headline_next, !last.chosen)
                    || (!last.chosen && broken_headline_next && fragments(last)) =>
            {
                last.units.end = draft.units.end
            }
            _ => merged.push(draft),
        }
    }
    let drafts = merged;
    // A headline that opens no story is a heading inside one. One article per input keeps the first
    // headline before its text, wherever the header lines put it.
    let mut opening: Vec<usize> = drafts.iter().map(|d| d.units.start).collect();
    if one_article {
        opening.extend(
            units
                .iter()
                .take_while(|u| !u.is_prose())
                .position(|u| u.kind == units::UnitKind::Headline),
        );
    }
    for (u, unit) in units.iter_mut().enumerate() {
        if unit.kind == units::UnitKind::Headline && !opening.contains(&u) {
            unit.kind = units::UnitKind::Subheading;
            unit.body = unit.paragraph.text.clone();
        }
    }
    assemble::assemble(dump, &kinds, &units, sentences, &drafts)
}

/// Whether a draft holds no story text but a headline, byline or date line: the header of the story after it,
/// unless it is nothing but date lines standing above a story that opens with a headline of its own (in the
/// dump's head, before the first start, short fragments too: a digest's title and date).
fn is_header_only(units: &[units::Unit], headline_next: bool, dump_head: bool) -> bool {
    let dates_above_headline = headline_next
        && units.iter().all(|u| {
            u.kind == units::UnitKind::DateLine
                || (dump_head && u.kind == units::UnitKind::Fragment)
        });
    !units.iter().any(units::Unit::is_prose)
        && !dates_above_headline
        && units
            .iter()
            .any(|u| u.kind == units::UnitKind::Headline || u.is_meta())
}

/// Splits every paragraph that a chosen start line falls inside of (a headline the un-wrapping joined to the
/// paragraph after it, say) into two units, classified afresh; each unit keeps the embedded sentences found in
/// its text.
fn split_units(
    dump: &Dump,
    units: Vec<units::Unit>,
    sentences: Vec<UnitSentences>,
    starts: &[(usize, String)],
) -> (Vec<units::Unit>, Vec<UnitSentences>) {
    let mut split_units = Vec::with_capacity(units.len());
    let mut split_sentences = Vec::with_capacity(units.len());
    for (unit, unit_sentences) in units.into_iter().zip(sentences) {
        let cuts: Vec<usize> = unit.paragraph.lines[1..]
            .iter()
            .copied()
            .filter(|l| starts.iter().any(|(s, _)| s == l))
            .collect();
        if cuts.is_empty() {
            split_units.push(unit);
            split_sentences.push(unit_sentences);
            continue;
        }
        let parts = paragraphs::split_paragraph(&dump.lines, unit.paragraph, &cuts);
        let mut parts: Vec<units::Unit> = units::classify_units(parts);
        let mut remaining = unit_sentences.into_iter().peekable();
        let last = parts.len() - 1;
        for (p, part) in parts.iter_mut().enumerate() {
            let mut own = Vec::new();
            while let Some((sentence, _)) = remaining.peek() {
                if p != last && !part.body.contains(sentence.as_str()) {
                    break;
                }
                own.extend(remaining.next());
            }
            split_sentences.push(own);
        }
        split_units.append(&mut parts);
    }
    (split_units, split_sentences)
}

/// The sentences of one unit with their embeddings.
pub type UnitSentences = Vec<(String, Vec<f32>)>;

/// A unit's embedding for the content features; `None` for units that are not prose.
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
