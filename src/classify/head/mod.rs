//! A classifier head: a softmax layer over the frozen article embeddings, learnt from hand-labelled articles
//! (`newsdigest fit`) so that labels follow the user's examples instead of the label descriptions.
//!
//! By default the head is a correction to the zero-shot classifier: a label's logit is the head's linear score
//! plus the zero-shot similarity over the temperature (see [`ZeroShotBase`]), so with few examples it stays
//! close to the zero-shot labels and with more it follows the user's.
//!
//! The head file is JSON: labels, one weight row and bias per label, the zero-shot label set it corrects (if
//! any), the sha256 of the embedding model the vectors came from (a head is meaningless on another model's
//! vectors, so loading checks it), and how it was trained.

mod base;
mod examples;
mod fit;

pub use base::ZeroShotBase;
pub use examples::{read_gold_spans, read_labeled_jsonl, Example, LabeledArticle};
pub use fit::{fit_head, FitOptions, HeadMethod};

use super::{Classifier, LabelSet, Prediction};
use crate::article::EmbeddedArticle;
use crate::embed::Embedder;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// Version of the head file layout; a file of another version is refused.
pub const HEAD_FORMAT: u32 = 1;

/// A trained head as stored in its file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    /// Layout version ([`HEAD_FORMAT`]).
    pub format: u32,
    /// The labels, in the order of `weights` and `bias`.
    pub labels: Vec<String>,
    /// sha256 of the embedding model whose article vectors the head was trained on.
    pub model_sha256: String,
    /// Length of the article vectors.
    pub dimension: usize,
    /// One row of `dimension` weights per label: the label's logit is `row · vector + bias`.
    pub weights: Vec<Vec<f32>>,
    /// One bias per label.
    pub bias: Vec<f32>,
    /// The zero-shot label set whose similarities, times `base_scale`, are added to the head's logits (`null`:
    /// the head alone). Its `min_score` plays no part: the head always gives its top label.
    pub base: Option<LabelSet>,
    /// The weight of the zero-shot similarities in the logits (learnt by logistic regression, starting from
    /// the inverse of the label set's temperature).
    pub base_scale: f32,
    /// How the head was trained.
    pub training: TrainingInfo,
}

/// Training metadata recorded in the head file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingInfo {
    /// newsdigest's version at training time.
    pub version: String,
    /// The training inputs, as given.
    pub sources: Vec<String>,
    /// Training examples per label.
    pub label_counts: BTreeMap<String, usize>,
    /// The method and its settings.
    pub options: FitOptions,
}

impl Head {
    /// Reads and checks a head file (layout version, shapes, finite numbers).
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let head: Head = serde_json::from_str(&text)
            .map_err(|e| Error::Config(format!("{}: not a head file: {e}", path.display())))?;
        head.validate()
            .map_err(|message| Error::Config(format!("{}: {message}", path.display())))?;
        Ok(head)
    }

    /// The head file's text: pretty JSON, the same head always giving the same bytes.
    pub fn to_json(&self) -> Result<String> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }

    /// Writes the head file.
    pub fn to_file(&self, path: &Path) -> Result<()> {
        std::fs::write(path, self.to_json()?).map_err(|e| Error::io(path, e))
    }

    /// sha256 of [`Head::to_json`] (the file's sha256 when newsdigest wrote it), to identify the head in outputs.
    pub fn sha256(&self) -> Result<String> {
        Ok(format!("{:x}", Sha256::digest(self.to_json()?)))
    }

    fn validate(&self) -> Result<(), String> {
        if self.format != HEAD_FORMAT {
            return Err(format!(
                "head format {} is not supported (expected {HEAD_FORMAT})",
                self.format
            ));
        }
        if self.labels.is_empty() {
            return Err("the head has no labels".to_string());
        }
        if self.weights.len() != self.labels.len() || self.bias.len() != self.labels.len() {
            return Err("the head needs one weight row and one bias per label".to_string());
        }
        if self.weights.iter().any(|row| row.len() != self.dimension) {
            return Err(format!(
                "every weight row must have {} values",
                self.dimension
            ));
        }
        if let Some(base) = &self.base {
            base.clone()
                .validated()
                .map_err(|message| format!("zero-shot base: {message}"))?;
        }
        let numbers = self
            .weights
            .iter()
            .flatten()
            .chain(&self.bias)
            .chain([&self.base_scale]);
        if numbers.into_iter().any(|w| !w.is_finite()) {
            return Err("the head holds a non-finite weight".to_string());
        }
        Ok(())
    }

    /// The highest-scoring label and every label's softmax score, for one article vector; `base` is the head's
    /// zero-shot base, embedded.
    pub fn predict(&self, vector: &[f32], base: Option<&ZeroShotBase>) -> Prediction {
        let mut logits: Vec<f32> = self
            .weights
            .iter()
            .zip(&self.bias)
            .map(|(row, bias)| row.iter().zip(vector).map(|(w, x)| w * x).sum::<f32>() + bias)
            .collect();
        if let Some(base) = base {
            for (logit, similarity) in logits
                .iter_mut()
                .zip(base.similarities(&self.labels, vector))
            {
                *logit += self.base_scale * similarity;
            }
        }
        let scores = softmax(&logits);
        let best = scores
            .iter()
            .enumerate()
            .fold(0, |best, (i, s)| if *s > scores[best] { i } else { best });
        Prediction {
            label: self.labels[best].clone(),
            scores: self.labels.iter().cloned().zip(scores).collect(),
        }
    }
}

/// Softmax of `logits`, shifted by their maximum so it cannot overflow.
fn softmax(logits: &[f32]) -> Vec<f32> {
    let top = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let weights: Vec<f32> = logits.iter().map(|l| (l - top).exp()).collect();
    let total: f32 = weights.iter().sum();
    weights.iter().map(|w| w / total).collect()
}

/// Labels articles with a trained [`Head`]: every label of the head is an ordinary class (`other` included),
/// and the top one wins.
#[derive(Clone, Debug)]
pub struct HeadClassifier {
    head: Head,
    base: Option<ZeroShotBase>,
}

impl HeadClassifier {
    /// Wraps `head` for `embedder`, the model that embeds the articles: refuses a head trained on another
    /// model's vectors, and embeds the descriptions of the head's zero-shot base.
    pub fn new(head: Head, embedder: &mut dyn Embedder) -> Result<Self> {
        if head.model_sha256 != embedder.model_sha256() {
            return Err(Error::Config(format!(
                "the classifier head was trained on the embedding model with sha256 {}, but the loaded model \
                 has sha256 {}: fit the head again with this model (newsdigest fit)",
                head.model_sha256,
                embedder.model_sha256()
            )));
        }
        if head.dimension != embedder.dimension() {
            return Err(Error::Config(format!(
                "the classifier head expects {}-dimensional vectors, the model gives {}",
                head.dimension,
                embedder.dimension()
            )));
        }
        let base = head
            .base
            .as_ref()
            .map(|labels| ZeroShotBase::new(labels, embedder))
            .transpose()?;
        Ok(HeadClassifier { head, base })
    }
}

impl Classifier for HeadClassifier {
    fn classify(&mut self, articles: &[EmbeddedArticle]) -> Result<Vec<Prediction>> {
        Ok(articles
            .iter()
            .map(|article| self.head.predict(&article.vector, self.base.as_ref()))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> Head {
        Head {
            format: HEAD_FORMAT,
            labels: vec!["a".to_string(), "b".to_string()],
            model_sha256: "sha".to_string(),
            dimension: 2,
            weights: vec![vec![10.0, 0.0], vec![0.0, 10.0]],
            bias: vec![0.0, 1.0],
            base: None,
            base_scale: 0.0,
            training: TrainingInfo {
                version: "0".to_string(),
                sources: vec![],
                label_counts: BTreeMap::new(),
                options: FitOptions::default(),
            },
        }
    }

    #[test]
    fn the_top_logit_wins_and_scores_are_a_softmax() {
        let prediction = head().predict(&[1.0, 0.0], None);
        assert_eq!(prediction.label, "a");
        let expected = 1.0 / (1.0 + (1.0f32 - 10.0).exp());
        assert!((prediction.scores["a"] - expected).abs() < 1e-6);
        assert_eq!(head().predict(&[0.0, 0.0], None).label, "b");
    }

    #[test]
    fn head_files_round_trip_and_malformed_ones_name_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("head.json");
        head().to_file(&path).unwrap();
        assert_eq!(Head::from_file(&path).unwrap(), head());
        assert_eq!(
            head().sha256().unwrap(),
            format!("{:x}", Sha256::digest(std::fs::read(&path).unwrap()))
        );

        let mut short_row = head();
        short_row.weights[1].pop();
        let mut no_bias = head();
        no_bias.bias.pop();
        let mut other_format = head();
        other_format.format = HEAD_FORMAT + 1;
        for (broken, expected) in [
            (short_row, "2 values"),
            (no_bias, "one bias per label"),
            (other_format, "not supported"),
        ] {
            broken.to_file(&path).unwrap();
            let err = Head::from_file(&path).unwrap_err().to_string();
            assert!(err.contains("head.json") && err.contains(expected), "{err}");
        }
        std::fs::write(&path, "{\"labels\": []}").unwrap();
        let err = Head::from_file(&path).unwrap_err().to_string();
        assert!(err.contains("not a head file"), "{err}");
    }
}
