//! Topic segmentation without cues: where stories follow each other with nothing between them (no blank line,
//! headline or separator, only the subject changes), the boundaries come from the content alone, from the
//! sentence (or line, or paragraph) vectors the pipeline computes anyway.
//!
//! [`ContentSegmenter`] does it in two steps:
//! 1. [`ContentSegmenter::gap_scores`]: a logistic regression over [`FEATURE_NAMES`] (similarity across each
//!    gap between consecutive units at windows of 1, 2, 4 and 8 units, TextTiling depth, how far the gap dips
//!    below its neighbours, which side the units next to the gap lean to) gives the log-odds that a new story
//!    starts after each gap;
//! 2. [`ContentSegmenter::decode`]: dynamic programming over the whole sequence picks the starts that maximise
//!    the sum of their log-odds plus a log-normal prior on each article's length in sentences, so boundaries
//!    are chosen jointly, not gap by gap.
//!
//! The weights live in `content_model.json` beside this file, made by `scripts/train_content_segmenter` from
//! synthesised flat dumps of stories that are not CNN/DailyMail's (measured on `cnndm/dumps/flat`).

use crate::embed::cosine;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::ops::Range;

/// Version of the model file format.
pub const MODEL_FORMAT: u32 = 2;

/// Window sizes (units on each side of a gap) the similarity features are computed at.
pub const WINDOWS: [usize; 4] = [1, 2, 4, 8];

/// Units on each side of a gap that the leaning features compare a unit with.
const LEAN_WINDOW: usize = 4;

/// The features of a gap, in order: for each window w of [`WINDOWS`], the similarity of the w units before
/// the gap to the w units after it (`sim_w`), its TextTiling depth (`depth_w`) and how far it lies below the
/// lowest similarity of the w gaps on either side (`dip_w`); then how much more the unit after the gap
/// resembles the units after it than those before it (`lean_after`) and the same for the unit before the gap
/// (`lean_before`, positive when it leans back); and ln(1 + units to the nearer end), as the windows are cut
/// short there (`edge`).
pub const FEATURE_NAMES: [&str; 15] = [
    "sim_1",
    "depth_1",
    "dip_1",
    "sim_2",
    "depth_2",
    "dip_2",
    "sim_4",
    "depth_4",
    "dip_4",
    "sim_8",
    "depth_8",
    "dip_8",
    "lean_after",
    "lean_before",
    "edge",
];

/// How many similarities each feature adds up (its sensitivity to a change in every similarity), for
/// [`ContentSegmenter::sensitivity`]: a depth adds up to four (the gap's twice and two peaks), a dip two, a lean two.
const SIMILARITIES_PER_FEATURE: [f32; 15] = [
    1.0, 4.0, 2.0, 1.0, 4.0, 2.0, 1.0, 4.0, 2.0, 1.0, 4.0, 2.0, 2.0, 2.0, 0.0,
];

/// Longest article the decoder considers, in units (keeps decoding linear in the number of units).
pub const MAX_ARTICLE_UNITS: usize = 400;

/// The committed model.
const COMMITTED: &str = include_str!("content_model.json");

/// The log-normal prior on an article's length in sentences, added once per article of a segmentation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LengthPrior {
    /// Mean of ln(sentences) over the training articles.
    pub mean_log_sentences: f32,
    /// Standard deviation of ln(sentences).
    pub std_log_sentences: f32,
    /// Weight of the prior's log-density against the boundary log-odds.
    pub weight: f32,
    /// Added for every article: how readily a story starts (fitted with `weight`).
    pub per_article: f32,
    /// Weight of every article's cohesion, the length of the sum of its unit vectors (used when decoding with
    /// the vectors): cutting an article raises the total only where its two parts point different ways.
    #[serde(default)]
    pub cohesion: f32,
}

impl LengthPrior {
    /// The prior's score for an article of `sentences` sentences.
    pub fn score(&self, sentences: usize) -> f32 {
        super::model::log_normal_length_score(
            sentences,
            self.mean_log_sentences,
            self.std_log_sentences,
            self.weight,
            self.per_article,
        )
    }
}

/// Largest size of a boundary-model log-odds joined to a gap's content log-odds (see
/// [`WithBoundaryModel::weight`]): beyond it the boundary model is sure either way.
pub const BOUNDARY_LOGIT_LIMIT: f32 = 8.0;

/// How [`DumpSegmenter`](super::DumpSegmenter) combines the content segmenter with the boundary model in a
/// dump without layout cues: the boundary model's surer starts stand, and at every other gap a logistic
/// regression over the two models' log-odds gives the log-odds the joint decoding takes. Fitted by
/// `scripts/train_content_segmenter` on synthesised cue-less dumps of stories neither model trained on (so
/// the boundary model's log-odds are as sure there as on a new dump).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WithBoundaryModel {
    /// Log-odds of the boundary model above which its start stands whatever the content says (0: the
    /// boundary model gives it even odds or better); the join decides the other gaps.
    pub keep_logit: f32,
    /// Weight of the gap's content log-odds.
    #[serde(default = "one")]
    pub content_weight: f32,
    /// Weight of the boundary model's log-odds at a gap (the highest of the candidate lines whose start
    /// begins the unit after the gap, clamped to ±[`BOUNDARY_LOGIT_LIMIT`]; -[`BOUNDARY_LOGIT_LIMIT`] where
    /// there is none).
    pub weight: f32,
    /// Intercept of the joined log-odds.
    #[serde(default)]
    pub bias: f32,
}

fn one() -> f32 {
    1.0
}

impl WithBoundaryModel {
    /// The joined log-odds of a gap whose content log-odds are `content` and the boundary model's `boundary`.
    pub fn join(&self, content: f32, boundary: f32) -> f32 {
        self.bias
            + self.content_weight * content
            + self.weight * boundary.clamp(-BOUNDARY_LOGIT_LIMIT, BOUNDARY_LOGIT_LIMIT)
    }
}

/// How a model was trained (recorded in the file, for whoever retrains it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// The command and data it was trained on.
    pub data: String,
    /// Gaps seen.
    pub gaps: usize,
    /// Story starts among them.
    pub starts: usize,
    /// L2 penalty on the standardised weights.
    pub l2: f64,
}

/// A logistic regression over standardised [`FEATURE_NAMES`] and the length prior: the contents of
/// `content_model.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentModel {
    /// [`MODEL_FORMAT`].
    pub format: u32,
    /// Feature names, in order (must equal [`FEATURE_NAMES`]).
    pub features: Vec<String>,
    /// Per-feature mean subtracted before weighting.
    pub mean: Vec<f32>,
    /// Per-feature scale divided by before weighting (positive).
    pub scale: Vec<f32>,
    /// Per-feature weights on the standardised values.
    pub weights: Vec<f32>,
    /// Intercept.
    pub bias: f32,
    /// Article-length prior used by [`ContentSegmenter::decode`].
    pub length_prior: LengthPrior,
    /// How the boundary model's log-odds join in inside [`DumpSegmenter`](super::DumpSegmenter).
    pub with_boundary_model: WithBoundaryModel,
    /// How it was trained.
    pub training: TrainingRecord,
}

/// Finds story boundaries in a sequence of unit vectors (sentences, lines or paragraphs, in order) from their
/// content alone. See the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct ContentSegmenter {
    model: ContentModel,
}

impl ContentSegmenter {
    /// The segmenter with the committed weights (`src/segment/content_model.json`).
    pub fn load() -> Self {
        Self::from_json(COMMITTED).expect("the committed content model is valid")
    }

    /// A segmenter with the weights of a model file's text (as written by `scripts/train_content_segmenter`),
    /// checking its format and features.
    pub fn from_json(text: &str) -> Result<Self> {
        let model: ContentModel =
            serde_json::from_str(text).map_err(|e| Error::Config(format!("content model: {e}")))?;
        Self::new(model)
    }

    /// A segmenter with the given weights, checked as [`ContentSegmenter::from_json`] does.
    pub fn new(model: ContentModel) -> Result<Self> {
        if model.format != MODEL_FORMAT {
            return Err(Error::Config(format!(
                "content model format {} (this build reads {MODEL_FORMAT})",
                model.format
            )));
        }
        let n = FEATURE_NAMES.len();
        if model.features.iter().map(String::as_str).ne(FEATURE_NAMES)
            || [&model.mean, &model.scale, &model.weights]
                .iter()
                .any(|v| v.len() != n)
            || !model.scale.iter().all(|&s| s > 0.0)
            || model.length_prior.std_log_sentences <= 0.0
        {
            return Err(Error::Config(
                "content model: its features are not this build's (retrain it with scripts/train_content_segmenter)"
                    .to_string(),
            ));
        }
        Ok(ContentSegmenter { model })
    }

    /// The weights.
    pub fn model(&self) -> &ContentModel {
        &self.model
    }

    /// The features of every gap between consecutive `vectors` (L2-normalised, all of one dimension): row g
    /// describes the gap before unit g + 1. Empty for fewer than two vectors.
    pub fn features<V: AsRef<[f32]>>(vectors: &[V]) -> Vec<[f32; FEATURE_NAMES.len()]> {
        let n = vectors.len();
        if n < 2 {
            return Vec::new();
        }
        let sums = PrefixSums::new(vectors);
        let mut rows = vec![[0.0f32; FEATURE_NAMES.len()]; n - 1];
        for (w, &window) in WINDOWS.iter().enumerate() {
            let similarities: Vec<f32> = (1..n)
                .map(|start| {
                    let before = start.saturating_sub(window)..start;
                    let after = start..(start + window).min(n);
                    sums.similarity(before, after)
                })
                .collect();
            for (g, row) in rows.iter_mut().enumerate() {
                let here = similarities[g];
                let neighbours = similarities[g.saturating_sub(window)..g]
                    .iter()
                    .chain(similarities.iter().skip(g + 1).take(window));
                let lowest = neighbours.copied().fold(f32::INFINITY, f32::min);
                row[3 * w] = here;
                row[3 * w + 1] = depth(&similarities, g);
                row[3 * w + 2] = if lowest.is_finite() {
                    lowest - here
                } else {
                    0.0
                };
            }
        }
        for (g, row) in rows.iter_mut().enumerate() {
            let start = g + 1;
            // How much unit `at` resembles the units after `split` more than those before it.
            let lean = |at: usize, split_before: usize, split_after: usize| {
                let before = sums.similarity_to(
                    vectors[at].as_ref(),
                    split_before.saturating_sub(LEAN_WINDOW)..split_before,
                );
                let after = sums.similarity_to(
                    vectors[at].as_ref(),
                    split_after..(split_after + LEAN_WINDOW).min(n),
                );
                after - before
            };
            row[12] = lean(start, start, start + 1);
            row[13] = -lean(g, g, start);
            row[14] = ((start.min(n - start) + 1) as f32).ln();
        }
        rows
    }

    /// The log-odds that a new story starts after each gap between consecutive `vectors` (L2-normalised): entry
    /// g is for a start at unit g + 1. Empty for fewer than two vectors.
    pub fn gap_scores<V: AsRef<[f32]>>(&self, vectors: &[V]) -> Vec<f32> {
        Self::features(vectors)
            .iter()
            .map(|row| self.logit(row))
            .collect()
    }

    /// The log-odds of one gap's features.
    pub fn logit(&self, features: &[f32]) -> f32 {
        let model = &self.model;
        model.bias
            + features
                .iter()
                .zip(model.mean.iter().zip(&model.scale))
                .zip(&model.weights)
                .map(|((x, (m, s)), w)| w * (x - m) / s)
                .sum::<f32>()
    }

    /// Each feature's contribution to a gap's log-odds (for explanations), largest in size first.
    pub fn contributions(&self, features: &[f32]) -> Vec<(&'static str, f32)> {
        let model = &self.model;
        let mut contributions: Vec<(&'static str, f32)> = FEATURE_NAMES
            .iter()
            .enumerate()
            .map(|(f, &name)| {
                (
                    name,
                    model.weights[f] * (features[f] - model.mean[f]) / model.scale[f],
                )
            })
            .collect();
        contributions.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        contributions
    }

    /// The units where stories start (besides unit 0, which always starts one), in order: the set that
    /// maximises the sum of their `scores` (from [`ContentSegmenter::gap_scores`]: entry g for a start at unit
    /// g + 1) plus the length prior of every article, an article's length being the sum of `sentences` (the
    /// sentence count of each unit) over its units. `scores` must be one shorter than `sentences`.
    /// The prior's cohesion term needs the vectors and is left out here (see
    /// [`ContentSegmenter::decode_with_vectors`]).
    pub fn decode(&self, scores: &[f32], sentences: &[usize]) -> Vec<usize> {
        Lattice::new(&self.model.length_prior, scores, sentences, None).best_path()
    }

    /// [`ContentSegmenter::decode`] with every article's cohesion (see [`LengthPrior::cohesion`]) measured on
    /// the unit `vectors` the `scores` came from.
    pub fn decode_with_vectors<V: AsRef<[f32]>>(
        &self,
        vectors: &[V],
        scores: &[f32],
        sentences: &[usize],
    ) -> Vec<usize> {
        let sums = PrefixSums::new(vectors);
        Lattice::new(&self.model.length_prior, scores, sentences, Some(&sums)).best_path()
    }

    /// [`ContentSegmenter::gap_scores`] then [`ContentSegmenter::decode_with_vectors`], with one sentence per
    /// unit when `sentences` is `None`.
    pub fn segment<V: AsRef<[f32]>>(
        &self,
        vectors: &[V],
        sentences: Option<&[usize]>,
    ) -> Vec<usize> {
        let ones = vec![1; vectors.len()];
        let scores = self.gap_scores(vectors);
        self.decode_with_vectors(vectors, &scores, sentences.unwrap_or(&ones))
    }

    /// How far a gap's log-odds can move per unit of change in every similarity between unit vectors (a
    /// change of `m` in each moves it by at most `m` times this).
    pub fn sensitivity(&self) -> f32 {
        let model = &self.model;
        SIMILARITIES_PER_FEATURE
            .iter()
            .zip(model.weights.iter().zip(&model.scale))
            .map(|(count, (w, s))| (w / s).abs() * count)
            .sum()
    }

    /// The gaps (entry g: before unit g + 1) whose decision in a decoding with `prior` a small change in the
    /// similarities could turn: for each gap, the best segmentation deciding it the other way falls short of
    /// the best by some amount; the gap is close when a change of `margin` in every similarity could make up
    /// that amount: twice (the two starts that differ) what the similarities move a start's score by
    /// (`margin` times the [`sensitivity`](ContentSegmenter::sensitivity), plus the cohesion weight for every
    /// unit between the neighbouring starts, plus `extra`: what else moves a start's score). For settling
    /// close calls made on approximate (bf16) vectors.
    fn close_gaps<V: AsRef<[f32]>>(
        &self,
        prior: &LengthPrior,
        vectors: &[V],
        scores: &[f32],
        sentences: &[usize],
        margin: f32,
        extra: f32,
    ) -> Vec<usize> {
        // The joined log-odds take the content log-odds times their weight.
        let sensitivity = self.sensitivity() * self.model.with_boundary_model.content_weight.abs();
        let cohesion = prior.cohesion.abs();
        if scores.is_empty() || sensitivity <= 0.0 {
            return Vec::new();
        }
        let sums = PrefixSums::new(vectors);
        let lattice = Lattice::new(prior, scores, sentences, Some(&sums));
        lattice
            .shortfalls()
            .into_iter()
            .enumerate()
            .filter(|&(_, (shortfall, units))| {
                shortfall <= 2.0 * (margin * (sensitivity + cohesion * units.max(1) as f32) + extra)
            })
            .map(|(gap, _)| gap)
            .collect()
    }

    /// Each gap's log-odds joined from its content log-odds and the boundary model's (`boundary`, entry g for
    /// a start at unit g + 1) as [`WithBoundaryModel::join`] says.
    pub fn combined_scores<V: AsRef<[f32]>>(&self, vectors: &[V], boundary: &[f32]) -> Vec<f32> {
        let with = &self.model.with_boundary_model;
        self.gap_scores(vectors)
            .into_iter()
            .zip(boundary)
            .map(|(content, &b)| with.join(content, b))
            .collect()
    }

    /// The starts found inside stretches of units that start a story anyway at each of `fixed` (unit indexes;
    /// unit 0 always starts one), from the [combined scores](ContentSegmenter::combined_scores) (measured over
    /// the whole sequence) decoded stretch by stretch with the length prior. `sentences` as
    /// for [`ContentSegmenter::decode`]. Returns every added start's unit and combined log-odds, in order.
    pub fn starts_between<V: AsRef<[f32]>>(
        &self,
        vectors: &[V],
        sentences: &[usize],
        fixed: &[usize],
        boundary: &[f32],
    ) -> Vec<(usize, f32)> {
        let scores = self.combined_scores(vectors, boundary);
        let prior = &self.model.length_prior;
        stretches(vectors.len(), fixed)
            .flat_map(|r| {
                let sums = PrefixSums::new(&vectors[r.clone()]);
                let starts = Lattice::new(
                    prior,
                    &scores[r.start..r.end - 1],
                    &sentences[r.clone()],
                    Some(&sums),
                )
                .best_path();
                starts.into_iter().map(move |u| r.start + u)
            })
            .map(|u| (u, scores[u - 1]))
            .collect()
    }

    /// The units where [`ContentSegmenter::starts_between`] decides a start (or none) that a change of at
    /// most `margin` in every similarity could turn, given that the boundary log-odds at each gap can move
    /// by `boundary_movement` (see the private `close_gaps`). The units whose vectors such a decision
    /// rests on are [`ContentSegmenter::reach`].
    pub fn close_calls_between<V: AsRef<[f32]>>(
        &self,
        vectors: &[V],
        sentences: &[usize],
        fixed: &[usize],
        boundary: &[f32],
        boundary_movement: &[f32],
        margin: f32,
    ) -> BTreeSet<usize> {
        let weight = self.model.with_boundary_model.weight;
        let scores = self.combined_scores(vectors, boundary);
        stretches(vectors.len(), fixed)
            .flat_map(|r| {
                let gaps = r.start..r.end - 1;
                let extra = weight.abs()
                    * boundary_movement[gaps.clone()]
                        .iter()
                        .copied()
                        .fold(0.0, f32::max);
                let close = self.close_gaps(
                    &self.model.length_prior,
                    &vectors[r.clone()],
                    &scores[gaps],
                    &sentences[r.clone()],
                    margin,
                    extra,
                );
                close.into_iter().map(move |gap| r.start + gap + 1)
            })
            .collect()
    }

    /// The units (of `n`) whose vectors the content log-odds of a start at unit `start` are measured over.
    pub fn reach(start: usize, n: usize) -> Range<usize> {
        start.saturating_sub(FEATURE_REACH)..(start + FEATURE_REACH).min(n)
    }
}
/// Units on either side of a gap that its features are measured over (a dip compares the gap with gaps up to
/// the widest window away, each measured over that window).
const FEATURE_REACH: usize = 2 * WINDOWS[WINDOWS.len() - 1] + 1;

/// The stretches of `0..n` between the starts in `fixed` (and 0) that hold at least two units.
fn stretches(n: usize, fixed: &[usize]) -> impl Iterator<Item = Range<usize>> {
    let mut bounds: Vec<usize> = fixed.iter().copied().filter(|&u| u > 0 && u < n).collect();
    bounds.push(0);
    bounds.push(n);
    bounds.sort_unstable();
    bounds.dedup();
    let pairs: Vec<Range<usize>> = bounds.windows(2).map(|w| w[0]..w[1]).collect();
    pairs.into_iter().filter(|r| r.len() >= 2)
}

/// Running sums of the unit vectors, so that any window's centroid direction costs one subtraction.
struct PrefixSums {
    sums: Vec<Vec<f32>>,
}

impl PrefixSums {
    fn new<V: AsRef<[f32]>>(vectors: &[V]) -> Self {
        let dimension = vectors.first().map_or(0, |v| v.as_ref().len());
        let mut sums = Vec::with_capacity(vectors.len() + 1);
        let mut running = vec![0.0f32; dimension];
        sums.push(running.clone());
        for vector in vectors {
            for (r, v) in running.iter_mut().zip(vector.as_ref()) {
                *r += v;
            }
            sums.push(running.clone());
        }
        PrefixSums { sums }
    }

    /// The sum of the vectors in `range`.
    fn sum(&self, range: std::ops::Range<usize>) -> Vec<f32> {
        self.sums[range.end]
            .iter()
            .zip(&self.sums[range.start])
            .map(|(b, a)| b - a)
            .collect()
    }

    /// Cosine similarity of the centroids of two ranges of units (0 when either is empty).
    fn similarity(&self, a: std::ops::Range<usize>, b: std::ops::Range<usize>) -> f32 {
        let (a, b) = (self.sum(a), self.sum(b));
        let norms = norm(&a) * norm(&b);
        if norms > 0.0 {
            cosine(&a, &b) / norms
        } else {
            0.0
        }
    }

    /// Cosine similarity of one unit vector to the centroid of a range of units (0 when it is empty).
    fn similarity_to(&self, vector: &[f32], range: std::ops::Range<usize>) -> f32 {
        let centroid = self.sum(range);
        let norm = norm(&centroid);
        if norm > 0.0 {
            cosine(vector, &centroid) / norm
        } else {
            0.0
        }
    }
}

/// TextTiling's depth score of gap g: how far its similarity lies below the nearest peak on each side (climbing
/// while the similarity does not fall), summed.
pub fn depth(similarities: &[f32], g: usize) -> f32 {
    let here = similarities[g];
    let climb = |side: &mut dyn Iterator<Item = &f32>| {
        let mut peak = here;
        for &s in side {
            if s < peak {
                break;
            }
            peak = s;
        }
        peak - here
    };
    climb(&mut similarities[..g].iter().rev()) + climb(&mut similarities[g + 1..].iter())
}

fn norm(vector: &[f32]) -> f32 {
    vector.iter().map(|v| v * v).sum::<f32>().sqrt()
}

/// The decoding lattice: node u is "a story starts at unit u" (node 0 always), an edge from node i to a later
/// node j (or to the end) is an article of units i..j, scored by the length prior.
struct Lattice<'a> {
    prior: &'a LengthPrior,
    scores: &'a [f32],
    /// The unit vectors' running sums, for the cohesion term (left out without them).
    sums: Option<&'a PrefixSums>,
    /// Sentences before each unit (and in all, at the end).
    sentences_before: Vec<usize>,
}

impl<'a> Lattice<'a> {
    fn new(
        prior: &'a LengthPrior,
        scores: &'a [f32],
        sentences: &[usize],
        sums: Option<&'a PrefixSums>,
    ) -> Self {
        let mut sentences_before = Vec::with_capacity(sentences.len() + 1);
        let mut total = 0;
        sentences_before.push(0);
        for &s in sentences {
            total += s;
            sentences_before.push(total);
        }
        Lattice {
            prior,
            scores,
            sums: sums.filter(|_| prior.cohesion != 0.0),
            sentences_before,
        }
    }

    fn units(&self) -> usize {
        self.sentences_before.len() - 1
    }

    /// The score of a start at unit u (0 for the first unit).
    fn node(&self, u: usize) -> f32 {
        if u == 0 {
            0.0
        } else {
            self.scores.get(u - 1).copied().unwrap_or(f32::NEG_INFINITY)
        }
    }

    /// The prior of an article of units i..j, with its cohesion.
    fn edge(&self, i: usize, j: usize) -> f32 {
        let prior = self
            .prior
            .score(self.sentences_before[j] - self.sentences_before[i]);
        match self.sums {
            Some(sums) => prior + self.prior.cohesion * norm(&sums.sum(i..j)),
            None => prior,
        }
    }

    /// forward[u]: the best score of units 0..u segmented with a story starting at u, node u included;
    /// with the back pointer to that story's predecessor start.
    fn forward(&self) -> (Vec<f32>, Vec<usize>) {
        let n = self.units();
        let mut best = vec![f32::NEG_INFINITY; n];
        let mut back = vec![0; n];
        for j in 0..n {
            if j == 0 {
                best[0] = 0.0;
                continue;
            }
            let (top, from) = self.best_before(&best, j);
            best[j] = top + self.node(j);
            back[j] = from;
        }
        (best, back)
    }

    /// The best of `best[i]` plus the article i..j over the starts i before j (within
    /// [`MAX_ARTICLE_UNITS`]), and that i.
    fn best_before(&self, best: &[f32], j: usize) -> (f32, usize) {
        let from = j.saturating_sub(MAX_ARTICLE_UNITS);
        best[from..j]
            .iter()
            .enumerate()
            .map(|(k, b)| (b + self.edge(from + k, j), from + k))
            .fold((f32::NEG_INFINITY, j.saturating_sub(1)), |top, value| {
                if value.0 > top.0 {
                    value
                } else {
                    top
                }
            })
    }

    /// What follows a story that ends before unit j: nothing at the end, else a start at j and the best of
    /// the rest (`backward` as [`Lattice::backward`] computes it).
    fn rest(&self, backward: &[f32], j: usize) -> f32 {
        backward.get(j).map_or(0.0, |b| self.node(j) + b)
    }

    /// backward[u]: the best score of units u..n segmented with a story starting at u, node u excluded.
    fn backward(&self) -> Vec<f32> {
        let n = self.units();
        let mut best = vec![f32::NEG_INFINITY; n];
        for i in (0..n).rev() {
            best[i] = (i + 1..=(i + MAX_ARTICLE_UNITS).min(n))
                .map(|j| self.edge(i, j) + self.rest(&best, j))
                .fold(f32::NEG_INFINITY, f32::max);
        }
        best
    }

    fn best_path(&self) -> Vec<usize> {
        let n = self.units();
        if n < 2 {
            return Vec::new();
        }
        let (best, back) = self.forward();
        let (_, last) = self.best_before(&best, n);
        let mut starts = Vec::new();
        let mut at = last;
        while at > 0 {
            starts.push(at);
            at = back[at];
        }
        starts.reverse();
        starts
    }

    /// For each gap (entry g: before unit g + 1), how far the best segmentation deciding it the other way
    /// falls short of the best, and how many decisions lie between the chosen starts around it (those the
    /// other segmentation may change).
    fn shortfalls(&self) -> Vec<(f32, usize)> {
        let n = self.units();
        if n < 2 {
            return Vec::new();
        }
        let starts = self.best_path();
        let (forward, _) = self.forward();
        let backward = self.backward();
        let best = backward[0];
        let mut chosen = vec![false; n];
        for &s in &starts {
            chosen[s] = true;
        }
        // The nearest chosen start at or before each unit, and at or after it (n: none).
        let mut before = vec![0; n];
        let mut last = 0;
        for (u, slot) in before.iter_mut().enumerate() {
            if chosen[u] {
                last = u;
            }
            *slot = last;
        }
        let mut after = vec![n; n + 1];
        for u in (0..n).rev() {
            after[u] = if chosen[u] { u } else { after[u + 1] };
        }
        (1..n)
            .map(|u| {
                if chosen[u] {
                    // The best segmentation with an article running across unit u's start.
                    let top = (u.saturating_sub(MAX_ARTICLE_UNITS)..u)
                        .flat_map(|i| (u + 1..=(i + MAX_ARTICLE_UNITS).min(n)).map(move |j| (i, j)))
                        .map(|(i, j)| forward[i] + self.edge(i, j) + self.rest(&backward, j))
                        .fold(f32::NEG_INFINITY, f32::max);
                    (best - top, after[u + 1] - before[u - 1])
                } else {
                    (best - (forward[u] + backward[u]), after[u] - before[u])
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prior(weight: f32, per_article: f32) -> LengthPrior {
        LengthPrior {
            mean_log_sentences: 4f32.ln(),
            std_log_sentences: 0.5,
            weight,
            per_article,
            cohesion: 0.0,
        }
    }

    fn decode(prior: &LengthPrior, scores: &[f32], sentences: &[usize]) -> Vec<usize> {
        Lattice::new(prior, scores, sentences, None).best_path()
    }

    #[test]
    fn decoding_takes_clear_starts_and_leaves_clear_non_starts() {
        let mut scores = vec![-6.0; 11];
        scores[3] = 5.0;
        scores[7] = 5.0;
        assert_eq!(decode(&prior(0.0, 0.0), &scores, &[1; 12]), [4, 8]);
        assert!(decode(&prior(0.0, 0.0), &[-3.0; 11], &[1; 12]).is_empty());
    }

    #[test]
    fn the_length_prior_picks_between_weak_starts_jointly() {
        // Every gap mildly negative: without a prior one article; with a strong prior for 4-sentence
        // articles and a bonus per article, three articles of four.
        let scores = vec![-0.5; 11];
        assert!(decode(&prior(0.0, 0.0), &scores, &[1; 12]).is_empty());
        assert_eq!(decode(&prior(8.0, 1.0), &scores, &[1; 12]), [4, 8]);
        // The prior counts sentences, not units: six units of two sentences give three articles of two units.
        assert_eq!(decode(&prior(8.0, 1.0), &scores[..5], &[2; 6]), [2, 4]);
        // A strong start wins over the prior's preferred place nearby.
        let mut shifted = scores.clone();
        shifted[4] = 4.0;
        assert_eq!(decode(&prior(1.0, 1.0), &shifted, &[1; 12])[0], 5);
    }

    #[test]
    fn shortfalls_are_small_only_near_a_tie() {
        let mut scores = vec![-6.0; 11];
        scores[3] = 5.0;
        scores[7] = 0.05;
        let lattice_prior = prior(0.0, 0.0);
        let lattice = Lattice::new(&lattice_prior, &scores, &[1; 12], None);
        assert_eq!(lattice.best_path(), [4, 8]);
        let shortfalls = lattice.shortfalls();
        assert_eq!(shortfalls.len(), 11);
        // Dropping the weak start costs its score; adding any other start costs 6 or more.
        assert!((shortfalls[7].0 - 0.05).abs() < 1e-5);
        assert_eq!(shortfalls[7].1, 12 - 4);
        assert!((shortfalls[3].0 - 5.0).abs() < 1e-5);
        for (gap, (shortfall, _)) in shortfalls.iter().enumerate() {
            if gap != 3 && gap != 7 {
                assert!(*shortfall >= 6.0 - 1e-5, "gap {gap}: {shortfall}");
            }
        }
    }

    #[test]
    fn depth_climbs_to_the_nearest_peaks() {
        let similarities = [0.5, 0.6, 0.2, 0.4, 0.3];
        assert!((depth(&similarities, 2) - (0.4 + 0.2)).abs() < 1e-6);
        assert!(depth(&similarities, 1).abs() < 1e-6);
        assert!((depth(&similarities, 4) - 0.1).abs() < 1e-6);
    }

    #[test]
    fn features_see_a_change_of_subject() {
        // Two "stories": unit vectors near axis 0, then near axis 1.
        let vectors: Vec<Vec<f32>> = (0..12)
            .map(|u| {
                let mut v = vec![0.0f32; 4];
                v[usize::from(u >= 6)] = 1.0;
                v[2 + u % 2] = 0.3;
                crate::embed::normalize(&mut v);
                v
            })
            .collect();
        let rows = ContentSegmenter::features(&vectors);
        assert_eq!(rows.len(), 11);
        let lowest = |f: usize| {
            (0..rows.len())
                .min_by(|&a, &b| rows[a][f].total_cmp(&rows[b][f]))
                .unwrap_or(0)
        };
        for f in [0, 3, 6, 9] {
            assert_eq!(lowest(f), 5, "{}", FEATURE_NAMES[f]);
            assert!(
                rows[5][f + 1] > 0.5,
                "{} at the change",
                FEATURE_NAMES[f + 1]
            );
            assert!(
                rows[5][f + 2] > 0.0,
                "{} at the change",
                FEATURE_NAMES[f + 2]
            );
        }
        assert!(rows[5][12] > 0.5 && rows[5][13] > 0.5);
        assert!(ContentSegmenter::features(&vectors[..1]).is_empty());
    }
}
