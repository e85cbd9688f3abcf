//! The boundary model: gradient-boosted decision trees over [`features`](super::features) giving the
//! log-odds that a story starts at each candidate line, and an article-length prior; [`BoundaryModel::decode`]
//! picks the starts of the whole dump at once by dynamic programming. The trees live in `boundary_model.json`
//! beside this file, trained by `scripts/train-segmenter` on synthesised dumps.

use super::features::{Candidate, FEATURE_NAMES};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Version of the model file format.
pub const MODEL_FORMAT: u32 = 2;

/// Candidates a story may span at most, looking back from a start (keeps decoding linear in the dump).
const MAX_LOOK_BACK: usize = 600;
/// Candidates with log-odds below this never start a story (no article-length gain makes up for it).
const MIN_LOGIT: f32 = -9.0;

/// The committed model.
const COMMITTED: &str = include_str!("boundary_model.json");

/// The log-normal prior on an article's length in words, added for every article of a segmentation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LengthPrior {
    /// Mean of ln(words) over the training articles.
    pub mean_log_words: f32,
    /// Standard deviation of ln(words).
    pub std_log_words: f32,
    /// Weight of the prior's log-density against the boundary log-odds.
    pub weight: f32,
    /// Added for every article (how readily a story starts).
    pub per_article: f32,
}

impl LengthPrior {
    /// The prior's score for an article of `words` words.
    pub fn score(&self, words: usize) -> f32 {
        log_normal_length_score(
            words,
            self.mean_log_words,
            self.std_log_words,
            self.weight,
            self.per_article,
        )
    }
}

/// A log-normal length prior's score for an article of `count` units (words here, sentences for the content
/// segmenter): `per_article` minus `weight` times half the squared z-score of ln(count). One formula for both
/// decoders, so their priors stay comparable.
pub(crate) fn log_normal_length_score(
    count: usize,
    mean_log: f32,
    std_log: f32,
    weight: f32,
    per_article: f32,
) -> f32 {
    let z = ((count.max(1) as f32).ln() - mean_log) / std_log;
    per_article - weight * 0.5 * z * z
}

/// One regression tree. Internal nodes are `0..split_feature.len()`; a child index below zero is the leaf
/// `!child`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    /// Feature tested at each internal node.
    pub split_feature: Vec<usize>,
    /// Go left when the feature is at most this.
    pub threshold: Vec<f32>,
    /// Left child of each internal node.
    pub left: Vec<i32>,
    /// Right child of each internal node.
    pub right: Vec<i32>,
    /// Mean output under each internal node (for explanations).
    pub node_value: Vec<f32>,
    /// Output of each leaf.
    pub leaf_value: Vec<f32>,
}

impl Tree {
    /// The tree's output, calling `visit(feature, change)` at every split on the way down with how much the
    /// split moved the expected output.
    fn walk(&self, x: &[f32], mut visit: impl FnMut(usize, f32)) -> f32 {
        if self.split_feature.is_empty() {
            return self.leaf_value.first().copied().unwrap_or(0.0);
        }
        let mut node = 0usize;
        loop {
            let feature = self.split_feature[node];
            let child = if x[feature] <= self.threshold[node] {
                self.left[node]
            } else {
                self.right[node]
            };
            let here = self.node_value[node];
            let value = if child < 0 {
                self.leaf_value[!child as usize]
            } else {
                self.node_value[child as usize]
            };
            visit(feature, value - here);
            if child < 0 {
                return value;
            }
            node = child as usize;
        }
    }
}

/// How the model was trained (recorded in the file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// What the training dumps were.
    pub data: Vec<String>,
    /// Candidates seen.
    pub candidates: usize,
    /// Story starts among them.
    pub starts: usize,
    /// The booster's settings.
    pub settings: String,
}

/// Boosted trees with the length prior.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoundaryModel {
    /// [`MODEL_FORMAT`].
    pub format: u32,
    /// Feature names, in order (must equal [`FEATURE_NAMES`]).
    pub features: Vec<String>,
    /// Log-odds before any tree.
    pub base: f32,
    /// The trees, summed.
    pub trees: Vec<Tree>,
    /// Article-length prior.
    pub length_prior: LengthPrior,
    /// How it was trained.
    pub training: TrainingRecord,
}

/// One feature's share of a decision, for `segment --explain`.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    /// The feature's name.
    pub name: &'static str,
    /// What it adds to the log-odds.
    pub value: f32,
}

/// The starts a decoding picked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decoded {
    /// Indexes into the candidates of the chosen starts, in order.
    pub starts: Vec<usize>,
    /// Log-odds of every candidate.
    pub logits: Vec<f32>,
}

impl BoundaryModel {
    /// The model committed with the source.
    pub fn committed() -> Self {
        Self::from_json(COMMITTED).expect("the committed boundary model is valid")
    }

    /// A model without trees or length prior (every candidate at log-odds 0). Preparing dumps and exporting
    /// their features needs no trained model, and must not need one: after the features change, the committed
    /// model no longer loads until it is retrained from those very features.
    pub fn untrained() -> Self {
        BoundaryModel {
            format: MODEL_FORMAT,
            features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
            base: 0.0,
            trees: Vec::new(),
            length_prior: LengthPrior {
                mean_log_words: 0.0,
                std_log_words: 1.0,
                weight: 0.0,
                per_article: 0.0,
            },
            training: TrainingRecord {
                data: Vec::new(),
                candidates: 0,
                starts: 0,
                settings: "untrained".to_string(),
            },
        }
    }

    /// Reads a model file's text, checking its format, features and trees.
    pub fn from_json(text: &str) -> Result<Self> {
        let model: BoundaryModel = serde_json::from_str(text)
            .map_err(|e| Error::Config(format!("boundary model: {e}")))?;
        if model.format != MODEL_FORMAT {
            return Err(Error::Config(format!(
                "boundary model format {} (this build reads {MODEL_FORMAT})",
                model.format
            )));
        }
        if model.features.iter().map(String::as_str).ne(FEATURE_NAMES) {
            return Err(Error::Config(
                "boundary model: its features are not this build's (retrain it with scripts/train-segmenter)"
                    .to_string(),
            ));
        }
        for tree in &model.trees {
            let internal = tree.split_feature.len();
            let leaves = tree.leaf_value.len() as i32;
            let child_ok = |c: &i32| (0..internal as i32).contains(c) || (0..leaves).contains(&!*c);
            if [
                &tree.threshold.len(),
                &tree.left.len(),
                &tree.right.len(),
                &tree.node_value.len(),
            ]
            .iter()
            .any(|&&n| n != internal)
                || tree.split_feature.iter().any(|&f| f >= FEATURE_NAMES.len())
                || !tree.left.iter().chain(&tree.right).all(child_ok)
                || leaves == 0
            {
                return Err(Error::Config(
                    "boundary model: a malformed tree".to_string(),
                ));
            }
        }
        Ok(model)
    }

    /// Log-odds that a story starts at a candidate with these features.
    pub fn logit(&self, features: &[f32]) -> f32 {
        self.base
            + self
                .trees
                .iter()
                .map(|t| t.walk(features, |_, _| ()))
                .sum::<f32>()
    }

    /// Each feature's contribution to the log-odds (the change in expected output at the splits on it along
    /// the decision paths), largest in size first.
    pub fn contributions(&self, features: &[f32]) -> Vec<Contribution> {
        let mut values = vec![0.0f32; FEATURE_NAMES.len()];
        for tree in &self.trees {
            tree.walk(features, |f, change| values[f] += change);
        }
        let mut contributions: Vec<Contribution> = FEATURE_NAMES
            .iter()
            .zip(values)
            .map(|(name, value)| Contribution { name, value })
            .collect();
        contributions.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));
        contributions
    }

    /// How far a candidate's log-odds (`logit`, already at hand wherever this is asked) can move when every
    /// similarity moves by at most `margin` (all up or all down).
    pub fn sensitivity(&self, candidate: &Candidate, logit: f32, margin: f32) -> f32 {
        [margin, -margin]
            .iter()
            .map(|&m| {
                let moved: Vec<f32> = candidate
                    .features
                    .iter()
                    .zip(&candidate.sensitivity)
                    .map(|(x, s)| x + s * m)
                    .collect();
                (self.logit(&moved) - logit).abs()
            })
            .fold(0.0, f32::max)
    }

    /// Picks the starts that maximise the sum of their log-odds plus the length prior of every article.
    /// `words_before[c]` is the number of words before candidate c's line, `total_words` the dump's.
    pub fn decode(
        &self,
        candidates: &[Candidate],
        words_before: &[usize],
        total_words: usize,
    ) -> Decoded {
        let logits: Vec<f32> = candidates.iter().map(|c| self.logit(&c.features)).collect();
        let lattice = Lattice::new(self, &logits, words_before, total_words);
        let starts = lattice.best_path();
        Decoded { starts, logits }
    }

    /// The candidates (indexes) whose decision a change of at most `margin` in every similarity could flip:
    /// those on the best path with a rival path without them, or off it with a rival path through them, that
    /// scores within the change such a margin can make.
    pub fn close_calls(
        &self,
        candidates: &[Candidate],
        words_before: &[usize],
        total_words: usize,
        margin: f32,
    ) -> Vec<usize> {
        if margin <= 0.0 || candidates.is_empty() {
            return Vec::new();
        }
        let logits: Vec<f32> = candidates.iter().map(|c| self.logit(&c.features)).collect();
        let lattice = Lattice::new(self, &logits, words_before, total_words);
        let reach: Vec<f32> = candidates
            .iter()
            .zip(&logits)
            .map(|(c, &logit)| self.sensitivity(c, logit, margin))
            .collect();
        lattice.close_calls(&reach)
    }
}

/// The decoding lattice: nodes are the dump start (node 0) and the candidates (node c + 1), an edge from a
/// node to a later one is an article between them.
struct Lattice<'a> {
    model: &'a BoundaryModel,
    /// Node scores: 0 for the dump start, the log-odds for candidates (`None`: never a start).
    node: Vec<Option<f32>>,
    /// Words before each node's line.
    words_before: Vec<usize>,
    total_words: usize,
}

impl<'a> Lattice<'a> {
    fn new(
        model: &'a BoundaryModel,
        logits: &[f32],
        words_before: &[usize],
        total_words: usize,
    ) -> Self {
        let node = std::iter::once(Some(0.0))
            .chain(logits.iter().map(|&l| (l > MIN_LOGIT).then_some(l)))
            .collect();
        let words_before = std::iter::once(0)
            .chain(words_before.iter().copied())
            .collect();
        Lattice {
            model,
            node,
            words_before,
            total_words,
        }
    }

    fn article(&self, from: usize, to_words: usize) -> f32 {
        self.model
            .length_prior
            .score(to_words - self.words_before[from])
    }

    /// Nodes that may start a story, in order.
    fn open(&self) -> Vec<usize> {
        (0..self.node.len())
            .filter(|&n| self.node[n].is_some())
            .collect()
    }

    /// forward[n]: best score of the dump up to node n, with a story starting at n (n's score included).
    fn forward(&self) -> (Vec<f32>, Vec<usize>) {
        let open = self.open();
        let n = self.node.len();
        let mut best = vec![f32::NEG_INFINITY; n];
        let mut back = vec![0; n];
        best[0] = 0.0;
        for (k, &j) in open.iter().enumerate().skip(1) {
            let score = self.node[j].unwrap_or(f32::NEG_INFINITY);
            for &a in &open[k.saturating_sub(MAX_LOOK_BACK)..k] {
                let value = best[a] + self.article(a, self.words_before[j]) + score;
                if value > best[j] {
                    best[j] = value;
                    back[j] = a;
                }
            }
        }
        (best, back)
    }

    /// backward[n]: best score of the dump from node n on, given a story starts at n (n's score excluded).
    fn backward(&self) -> Vec<f32> {
        let open = self.open();
        let mut best = vec![f32::NEG_INFINITY; self.node.len()];
        for (k, &a) in open.iter().enumerate().rev() {
            let mut value = if open.len() - k <= MAX_LOOK_BACK {
                self.article(a, self.total_words)
            } else {
                f32::NEG_INFINITY
            };
            for &b in &open[k + 1..(k + 1 + MAX_LOOK_BACK).min(open.len())] {
                let score = self.node[b].unwrap_or(f32::NEG_INFINITY);
                value = value.max(self.article(a, self.words_before[b]) + score + best[b]);
            }
            best[a] = value;
        }
        best
    }

    /// The candidates on the best path, in order.
    fn best_path(&self) -> Vec<usize> {
        let (best, back) = self.forward();
        let open = self.open();
        let last = open[open.len().saturating_sub(MAX_LOOK_BACK)..]
            .iter()
            .copied()
            .filter(|&a| best[a] > f32::NEG_INFINITY)
            .max_by(|&a, &b| {
                let score = |x: usize| best[x] + self.article(x, self.total_words);
                score(a).total_cmp(&score(b)).then(b.cmp(&a))
            })
            .unwrap_or(0);
        let mut path = Vec::new();
        let mut at = last;
        while at > 0 {
            path.push(at - 1);
            at = back[at];
        }
        path.reverse();
        path
    }

    /// Candidates whose decision could flip when each node score moves by up to `reach[c]`: a rival path
    /// differing there scores within the reach of the nodes that differ next to it (the candidate and its
    /// neighbours on the best path), doubled since both paths may move.
    fn close_calls(&self, reach: &[f32]) -> Vec<usize> {
        let (forward, _) = self.forward();
        let backward = self.backward();
        let n = self.node.len();
        let best = (0..n)
            .map(|a| forward[a] + backward[a])
            .fold(f32::NEG_INFINITY, f32::max);
        let mut chosen = vec![false; n];
        for c in self.best_path() {
            chosen[c + 1] = true;
        }
        // Node j (candidate j - 1) moves by at most `reach[j - 1]`; the dump start does not move.
        let moves = |j: usize| if j == 0 { 0.0 } else { reach[j - 1] };
        let path: Vec<usize> = std::iter::once(0)
            .chain((1..n).filter(|&j| chosen[j]))
            .collect();
        let mut close = vec![false; n];
        // Off the path: the best path through the candidate is near the best. The rival replaces the chosen
        // starts around it, so their reach counts with its own.
        for j in 1..n {
            if chosen[j] {
                continue;
            }
            let after = path.partition_point(|&p| p < j);
            let around = moves(path[after - 1]).max(path.get(after).map_or(0.0, |&p| moves(p)));
            if forward[j] + backward[j] >= best - 2.0 * (moves(j) + around) {
                close[j] = true;
            }
        }
        // On the path: a path skipping it (an article from the chosen start before it to the one after it)
        // scores near the best.
        for (k, &j) in path.iter().enumerate().skip(1) {
            let slack = 2.0
                * (moves(j) + moves(path[k - 1]).max(path.get(k + 1).map_or(0.0, |&p| moves(p))));
            let before = path[k - 1];
            let skipped = match path.get(k + 1) {
                Some(&after) => {
                    forward[before]
                        + self.article(before, self.words_before[after])
                        + self.node[after].unwrap_or(f32::NEG_INFINITY)
                        + backward[after]
                }
                None => forward[before] + self.article(before, self.total_words),
            };
            if skipped >= best - slack {
                close[j] = true;
            }
        }
        (1..n).filter(|&j| close[j]).map(|j| j - 1).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_model_loads_and_scores() {
        let model = BoundaryModel::committed();
        assert!(!model.trees.is_empty());
        let zeros = vec![0.0; FEATURE_NAMES.len()];
        assert!(model.logit(&zeros).is_finite());
        let total: f32 = model.contributions(&zeros).iter().map(|c| c.value).sum();
        let mean: f32 = model.base
            + model
                .trees
                .iter()
                .map(|t| t.node_value.first().copied().unwrap_or(0.0))
                .sum::<f32>();
        assert!((mean + total - model.logit(&zeros)).abs() < 1e-3);
    }

    #[test]
    fn decoding_prefers_confident_starts_and_plausible_lengths() {
        let model = BoundaryModel {
            length_prior: LengthPrior {
                mean_log_words: (100.0f32).ln(),
                std_log_words: 0.5,
                weight: 1.0,
                per_article: 0.0,
            },
            ..BoundaryModel::untrained()
        };
        // Ten candidates 20 words apart: with no evidence, the prior makes articles of about 100 words.
        let words: Vec<usize> = (1..=10).map(|c| c * 20).collect();
        let lattice = Lattice::new(&model, &[0.0; 10], &words, 220);
        let path = lattice.best_path();
        assert_eq!(path.len(), 1);
        // A strong candidate wins over the prior's favourite.
        let mut logits = [0.0; 10];
        logits[1] = 5.0;
        logits[6] = 5.0;
        let lattice = Lattice::new(&model, &logits, &words, 220);
        assert_eq!(lattice.best_path(), vec![1, 6]);
    }
}
