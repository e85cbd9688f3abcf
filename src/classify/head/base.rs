//! The zero-shot classifier as the starting point of a head: its class similarities, scaled, are added to the
//! head's logits, so the head learns a correction to the zero-shot classifier instead of a classifier from
//! scratch.

use crate::classify::{EmbeddingClassifier, LabelSet};
use crate::embed::Embedder;
use crate::error::Result;

/// A label set with its descriptions embedded, giving each head label a zero-shot similarity.
#[derive(Clone, Debug)]
pub struct ZeroShotBase {
    labels: LabelSet,
    classifier: EmbeddingClassifier,
}

impl ZeroShotBase {
    /// Embeds the label set's descriptions with `embedder` (the model the article vectors come from).
    pub fn new(labels: &LabelSet, embedder: &mut dyn Embedder) -> Result<Self> {
        Ok(ZeroShotBase {
            labels: labels.clone(),
            classifier: EmbeddingClassifier::new(labels, embedder)?,
        })
    }

    /// The label set.
    pub fn labels(&self) -> &LabelSet {
        &self.labels
    }

    /// One similarity per head label: the zero-shot similarity (cosine to the closest description) for labels
    /// that are classes of the label set (the fallback counts when it has descriptions), 0 for the others.
    pub fn similarities(&self, head_labels: &[String], vector: &[f32]) -> Vec<f32> {
        let similarities = self.classifier.similarities(vector);
        let names = self.classifier.class_names();
        head_labels
            .iter()
            .map(|label| {
                names
                    .iter()
                    .position(|name| name == label)
                    .map_or(0.0, |class| similarities[class])
            })
            .collect()
    }
}
