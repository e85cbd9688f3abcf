//! Extractive summaries: the article's own sentences, picked by centrality with a lead prior and a redundancy
//! penalty (maximal marginal relevance), within a word budget, kept in article order.

use super::{Summarizer, Summary};
use crate::article::EmbeddedArticle;
use crate::embed::cosine;
use crate::error::Result;

/// Knobs of the extractive summariser.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ExtractiveOptions {
    /// Most words in a summary (the first chosen sentence is kept even if longer).
    pub max_words: usize,
    /// Most sentences in a summary.
    pub max_sentences: usize,
    /// Weight of the lead prior: news puts the essentials first.
    pub lead_weight: f32,
    /// Weight of the redundancy penalty against sentences already chosen.
    pub redundancy_weight: f32,
}

impl Default for ExtractiveOptions {
    fn default() -> Self {
        ExtractiveOptions {
            max_words: 60,
            max_sentences: 3,
            lead_weight: 0.2,
            redundancy_weight: 0.5,
        }
    }
}

/// Picks sentences by centrality to the article embedding.
#[derive(Clone, Debug, Default)]
pub struct ExtractiveSummarizer {
    options: ExtractiveOptions,
}

impl ExtractiveSummarizer {
    /// A summariser with the given options.
    pub fn new(options: ExtractiveOptions) -> Self {
        ExtractiveSummarizer { options }
    }

    /// Indices of the chosen sentences, in article order.
    pub fn select(&self, article: &EmbeddedArticle) -> Vec<usize> {
        let words: Vec<usize> = article
            .sentences
            .iter()
            .map(|s| s.split_whitespace().count())
            .collect();
        let relevance: Vec<f32> = article
            .sentence_vectors
            .iter()
            .enumerate()
            .map(|(i, v)| {
                cosine(v, &article.vector) + self.options.lead_weight * (-(i as f32) / 3.0).exp()
            })
            .collect();
        let mut chosen: Vec<usize> = Vec::new();
        let mut used_words = 0;
        while chosen.len() < self.options.max_sentences {
            let candidate = (0..relevance.len())
                .filter(|i| !chosen.contains(i))
                .filter(|&i| chosen.is_empty() || used_words + words[i] <= self.options.max_words)
                .map(|i| {
                    let redundancy = chosen
                        .iter()
                        .map(|&j| {
                            cosine(&article.sentence_vectors[i], &article.sentence_vectors[j])
                        })
                        .fold(0.0f32, f32::max);
                    (
                        i,
                        relevance[i] - self.options.redundancy_weight * redundancy,
                    )
                })
                .fold(None, |best: Option<(usize, f32)>, (i, score)| match best {
                    Some((_, best_score)) if best_score >= score => best,
                    _ => Some((i, score)),
                });
            let Some((index, _)) = candidate else { break };
            used_words += words[index];
            chosen.push(index);
        }
        chosen.sort_unstable();
        chosen
    }
}

impl Summarizer for ExtractiveSummarizer {
    fn summarize(&mut self, articles: &[EmbeddedArticle]) -> Result<Vec<Summary>> {
        Ok(articles
            .iter()
            .map(|article| Summary {
                text: self
                    .select(article)
                    .iter()
                    .map(|&i| article.sentences[i].as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                chunks: usize::from(!article.sentences.is_empty()),
                truncated: false,
            })
            .collect())
    }
}
