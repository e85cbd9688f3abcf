//! The learned sentence scorer: logistic regression over [`sentence_features`], trained on sentences a
//! ROUGE oracle picks from real news and hand-written summaries (`scripts/train_sentence_scorer`). The weights
//! are a small versioned file compiled into the binary.

use super::features::{sentence_features, FEATURE_NAMES};
use crate::article::EmbeddedArticle;
use crate::error::{Error, Result};
use crate::eval::rouge::rouge;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The weights `newsdigest` ships, made by `scripts/train_sentence_scorer`.
const BUILTIN_WEIGHTS: &str = include_str!("sentence_scorer.json");

static BUILTIN: LazyLock<SentenceScorer> = LazyLock::new(|| {
    SentenceScorer::from_json(BUILTIN_WEIGHTS)
        .expect("the built-in sentence scorer matches the feature list it was compiled with")
});

/// Logistic regression on standardised sentence features: the higher the score, the likelier the sentence
/// belongs in a summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentenceScorer {
    /// The feature names the weights were trained on, in order; must equal [`FEATURE_NAMES`].
    pub features: Vec<String>,
    /// Mean of each feature over the training sentences (subtracted before weighting).
    pub mean: Vec<f32>,
    /// Standard deviation of each feature over the training sentences (divided by before weighting).
    pub scale: Vec<f32>,
    /// One weight per standardised feature.
    pub weights: Vec<f32>,
    /// The intercept.
    pub bias: f32,
    /// What the weights were fitted on and how, for the record.
    pub trained_on: String,
}

/// One training sentence: its features and whether the oracle picked it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoredSentence {
    /// A row of [`sentence_features`].
    pub features: Vec<f32>,
    /// Whether the ROUGE oracle picked the sentence for its article's summary.
    pub picked: bool,
}

impl SentenceScorer {
    /// The scorer compiled into newsdigest.
    pub fn builtin() -> &'static SentenceScorer {
        &BUILTIN
    }

    /// Parses weights written by [`SentenceScorer::to_json`], refusing a file made for other features.
    pub fn from_json(json: &str) -> Result<Self> {
        let scorer: SentenceScorer = serde_json::from_str(json)?;
        let dimension = FEATURE_NAMES.len();
        if scorer.features != FEATURE_NAMES {
            return Err(Error::Config(format!(
                "sentence scorer weights are for the features {:?}, this build computes {FEATURE_NAMES:?}",
                scorer.features
            )));
        }
        if [&scorer.mean, &scorer.scale, &scorer.weights]
            .iter()
            .any(|v| v.len() != dimension)
            || !scorer.scale.iter().all(|&s| s > 0.0)
        {
            return Err(Error::Config(
                "sentence scorer weights: mean, scale and weights need one positive-scaled entry per feature"
                    .to_string(),
            ));
        }
        Ok(scorer)
    }

    /// The weights as pretty-printed JSON, the form of the built-in file.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)? + "\n")
    }

    /// The score (log-odds) of each sentence of the article, in sentence order.
    pub fn score_article(&self, article: &EmbeddedArticle) -> Vec<f32> {
        sentence_features(article)
            .iter()
            .map(|row| self.score(row))
            .collect()
    }

    /// The log-odds that a sentence with these features belongs in the summary.
    pub fn score(&self, features: &[f32]) -> f32 {
        features
            .iter()
            .zip(self.mean.iter().zip(&self.scale))
            .zip(&self.weights)
            .map(|((x, (mean, scale)), weight)| weight * (x - mean) / scale)
            .sum::<f32>()
            + self.bias
    }

    /// Fits the scorer by full-batch gradient descent on the mean log-loss plus `penalty / 2` times the
    /// squared weights (the intercept is not penalised): deterministic, so the same sentences give the same
    /// weights. `None` when there are no sentences, or none or all of them picked.
    pub fn fit(sentences: &[ScoredSentence], penalty: f32, trained_on: &str) -> Option<Self> {
        let positives = sentences.iter().filter(|s| s.picked).count();
        if positives == 0 || positives == sentences.len() {
            return None;
        }
        let dimension = FEATURE_NAMES.len();
        let count = sentences.len() as f64;
        let mut mean = vec![0.0f64; dimension];
        for s in sentences {
            for (m, &x) in mean.iter_mut().zip(&s.features) {
                *m += f64::from(x) / count;
            }
        }
        let mut variance = vec![0.0f64; dimension];
        for s in sentences {
            for ((v, &x), m) in variance.iter_mut().zip(&s.features).zip(&mean) {
                *v += (f64::from(x) - m).powi(2) / count;
            }
        }
        // A constant feature gets scale 1, so it stays 0 after centring and its weight decays to 0.
        let scale: Vec<f64> = variance
            .iter()
            .map(|v| if *v > 1e-12 { v.sqrt() } else { 1.0 })
            .collect();
        let rows: Vec<(Vec<f64>, f64)> = sentences
            .iter()
            .map(|s| {
                let row = s
                    .features
                    .iter()
                    .zip(mean.iter().zip(&scale))
                    .map(|(&x, (m, sd))| (f64::from(x) - m) / sd)
                    .collect();
                (row, if s.picked { 1.0 } else { 0.0 })
            })
            .collect();
        let mut weights = vec![0.0f64; dimension];
        let mut bias = 0.0f64;
        let penalty = f64::from(penalty);
        for _ in 0..FIT_ITERATIONS {
            let mut gradient = vec![0.0f64; dimension];
            let mut bias_gradient = 0.0;
            for (row, target) in &rows {
                let logit: f64 = row.iter().zip(&weights).map(|(x, w)| x * w).sum::<f64>() + bias;
                let error = 1.0 / (1.0 + (-logit).exp()) - target;
                for (g, x) in gradient.iter_mut().zip(row) {
                    *g += error * x / count;
                }
                bias_gradient += error / count;
            }
            for (w, g) in weights.iter_mut().zip(&gradient) {
                *w -= FIT_STEP * (g + penalty * *w);
            }
            bias -= FIT_STEP * bias_gradient;
        }
        let narrow = |v: &[f64]| v.iter().map(|&x| x as f32).collect();
        Some(SentenceScorer {
            features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
            mean: narrow(&mean),
            scale: narrow(&scale),
            weights: narrow(&weights),
            bias: bias as f32,
            trained_on: trained_on.to_string(),
        })
    }
}

/// Gradient steps of [`SentenceScorer::fit`]; on standardised features the loss has settled well before.
const FIT_ITERATIONS: usize = 2000;
/// Step size of [`SentenceScorer::fit`].
const FIT_STEP: f64 = 0.5;

/// The sentences a greedy ROUGE oracle picks for `reference`: repeatedly the sentence that raises ROUGE-1 F
/// plus ROUGE-2 F of the picked set most, until none raises it or `most` are picked; in pick order. These are
/// the training labels of the scorer.
pub fn oracle_sentences(sentences: &[String], reference: &str, most: usize) -> Vec<usize> {
    let mut picked: Vec<usize> = Vec::new();
    let mut best = 0.0;
    while picked.len() < most {
        let mut improvement: Option<(usize, f64)> = None;
        for candidate in (0..sentences.len()).filter(|i| !picked.contains(i)) {
            let mut set = picked.clone();
            set.push(candidate);
            set.sort_unstable();
            let text: Vec<&str> = set.iter().map(|&i| sentences[i].as_str()).collect();
            let scores = rouge(reference, &text.join("\n"));
            let value = scores.rouge1.f + scores.rouge2.f;
            if value > improvement.map_or(best, |(_, v)| v) {
                improvement = Some((candidate, value));
            }
        }
        let Some((candidate, value)) = improvement else {
            break;
        };
        picked.push(candidate);
        best = value;
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(first: f32, picked: bool) -> ScoredSentence {
        let mut features = vec![0.5; FEATURE_NAMES.len()];
        features[0] = first;
        ScoredSentence { features, picked }
    }

    #[test]
    fn fitting_separates_picked_from_unpicked_sentences_deterministically() {
        let sentences: Vec<ScoredSentence> = (0..40)
            .map(|i| sentence(i as f32 / 40.0, i >= 25))
            .collect();
        let scorer = SentenceScorer::fit(&sentences, 0.01, "test").unwrap();
        assert!(scorer.score(&sentence(0.9, true).features) > 0.0);
        assert!(scorer.score(&sentence(0.1, false).features) < 0.0);
        // The constant features carry no weight.
        assert!(scorer.weights[1..].iter().all(|w| w.abs() < 1e-6));
        assert_eq!(
            SentenceScorer::fit(&sentences, 0.01, "test"),
            Some(scorer.clone())
        );
        let json = scorer.to_json().unwrap();
        assert_eq!(SentenceScorer::from_json(&json).unwrap(), scorer);
        assert!(SentenceScorer::fit(&sentences[..25], 0.01, "test").is_none());
    }

    #[test]
    fn weights_for_other_features_are_refused() {
        let mut scorer = SentenceScorer::builtin().clone();
        scorer.features.pop();
        let error = SentenceScorer::from_json(&scorer.to_json().unwrap()).unwrap_err();
        assert!(error.to_string().contains("features"), "{error}");
    }

    #[test]
    fn the_oracle_picks_the_sentences_that_cover_the_reference() {
        let sentences: Vec<String> = [
            "The minister visited the port.",
            "Floods destroyed thousands of homes in the delta.",
            "Rescue teams reached the villages on Monday.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let picked = oracle_sentences(
            &sentences,
            "Floods destroyed thousands of homes. Rescue teams reached villages.",
            3,
        );
        assert_eq!(picked, [1, 2]);
    }
}
