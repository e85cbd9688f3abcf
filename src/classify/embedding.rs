//! Zero-shot classification by embedding similarity between an article and each label's descriptions.

use super::{decide, Classifier, LabelSet, Prediction};
use crate::article::EmbeddedArticle;
use crate::embed::{cosine, Embedder};
use crate::error::Result;

/// Descriptions pooled into a class's similarity. One (the closest description alone) lets a single
/// description that happens to sit near an article decide; two asks that a second description agree; the mean
/// of all of them would dilute the match, because a class's descriptions cover different facets and an article
/// matches one or two (figures in docs/benchmarks.md).
pub const POOLED_DESCRIPTIONS: usize = 2;

/// Compares the article embedding with the embeddings of every label description; a class's similarity is the
/// mean of its [`POOLED_DESCRIPTIONS`] closest descriptions' cosines, plus the label's offset.
#[derive(Clone, Debug)]
pub struct EmbeddingClassifier {
    names: Vec<String>,
    descriptions: Vec<Vec<Vec<f32>>>,
    offsets: Vec<f32>,
    labels: LabelSet,
}

impl EmbeddingClassifier {
    /// Embeds the label descriptions once, with the same model that embeds the articles.
    pub fn new(labels: &LabelSet, embedder: &mut dyn Embedder) -> Result<Self> {
        let classes = labels.classes();
        let mut descriptions = Vec::with_capacity(classes.len());
        for class in &classes {
            let texts: Vec<&str> = class.descriptions.iter().map(String::as_str).collect();
            descriptions.push(embedder.embed(&texts)?);
        }
        Ok(EmbeddingClassifier {
            offsets: classes.iter().map(|c| c.offset).collect(),
            names: classes.into_iter().map(|c| c.name).collect(),
            descriptions,
            labels: labels.clone(),
        })
    }

    /// The classes compared, in the order of [`EmbeddingClassifier::similarities`].
    pub fn class_names(&self) -> &[String] {
        &self.names
    }

    /// Each class's similarity to the article vector: the mean cosine of its [`POOLED_DESCRIPTIONS`] closest
    /// descriptions (of all of them when it has fewer), plus the label's offset.
    pub fn similarities(&self, vector: &[f32]) -> Vec<f32> {
        self.descriptions
            .iter()
            .zip(&self.offsets)
            .map(|(class, offset)| {
                let mut cosines: Vec<f32> = class.iter().map(|d| cosine(vector, d)).collect();
                cosines.sort_by(|a, b| b.total_cmp(a));
                let closest = &cosines[..cosines.len().min(POOLED_DESCRIPTIONS)];
                closest.iter().sum::<f32>() / closest.len().max(1) as f32 + offset
            })
            .collect()
    }
}

impl Classifier for EmbeddingClassifier {
    fn classify(&mut self, articles: &[EmbeddedArticle]) -> Result<Vec<Prediction>> {
        Ok(articles
            .iter()
            .map(|article| {
                decide(
                    &self.names,
                    &self.similarities(&article.vector),
                    self.labels.temperature,
                    self.labels.min_score,
                    &self.labels.fallback,
                )
            })
            .collect())
    }
}
