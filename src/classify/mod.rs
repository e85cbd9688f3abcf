//! Classify: gives each article a topic label and a score for every label.

pub mod calibrate;
mod deberta;
mod embedding;
pub mod head;
mod labels;
mod nli;

pub use calibrate::Calibrator;
pub use embedding::EmbeddingClassifier;
pub use head::{Head, HeadClassifier};
pub use labels::{
    assigned_labels, Calibration, LabelSet, LabelSpec, DEFAULT_LABELS_TOML, DEFAULT_TEMPLATES,
};
pub use nli::{NliClassifier, NliOptions, DEFAULT_HYPOTHESIS_TEMPLATE};

use crate::article::EmbeddedArticle;
use crate::error::Result;
use std::collections::BTreeMap;

/// A label decision with the scores behind it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Prediction {
    /// The chosen label, or the label set's fallback when no label is confident enough.
    pub label: String,
    /// Score per class (the labels, and the fallback when it has descriptions); they sum to 1.
    pub scores: BTreeMap<String, f32>,
}

/// Assigns topic labels.
pub trait Classifier: Send {
    /// One prediction per article, in input order.
    fn classify(&mut self, articles: &[EmbeddedArticle]) -> Result<Vec<Prediction>>;
}

/// Turns per-class similarities into a prediction: softmax at `temperature`, then the top class if its score
/// reaches `min_score`, else `fallback`.
pub fn decide(
    names: &[String],
    similarities: &[f32],
    temperature: f32,
    min_score: f32,
    fallback: &str,
) -> Prediction {
    let top = similarities
        .iter()
        .copied()
        .fold(f32::NEG_INFINITY, f32::max);
    let weights: Vec<f32> = similarities
        .iter()
        .map(|s| ((s - top) / temperature).exp())
        .collect();
    let total: f32 = weights.iter().sum();
    let scores: Vec<f32> = weights.iter().map(|w| w / total).collect();
    let best = scores
        .iter()
        .enumerate()
        .fold(0, |best, (i, s)| if *s > scores[best] { i } else { best });
    let label = if scores[best] >= min_score {
        names[best].clone()
    } else {
        fallback.to_string()
    };
    Prediction {
        label,
        scores: names.iter().cloned().zip(scores).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_sum_to_one_and_low_confidence_falls_back() {
        let names = vec!["a".to_string(), "b".to_string()];
        let sure = decide(&names, &[0.6, 0.3], 0.05, 0.5, "other");
        assert_eq!(sure.label, "a");
        assert!((sure.scores.values().sum::<f32>() - 1.0).abs() < 1e-6);
        let unsure = decide(&names, &[0.40, 0.39], 0.05, 0.6, "other");
        assert_eq!(unsure.label, "other");
    }
}
