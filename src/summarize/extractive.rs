//! Extractive summaries: the article's own sentences, ranked by a learned sentence scorer (position, directed
//! centrality, length and form cues; see [`super::features`]), taken in rank order while they bring the
//! summary closer to a target length, skipping any sentence that repeats a word trigram of one already taken,
//! and printed in article order.

use super::scorer::SentenceScorer;
use super::{Summarizer, Summary};
use crate::article::EmbeddedArticle;
use crate::error::Result;
use std::collections::HashSet;

/// Knobs of the extractive summariser.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ExtractiveOptions {
    /// Most words in a summary (the first chosen sentence is kept even if longer).
    pub max_words: usize,
    /// Length the summary aims at: a sentence is added only when it brings the word count closer to this.
    pub target_words: usize,
    /// Most sentences in a summary.
    pub max_sentences: usize,
}

impl Default for ExtractiveOptions {
    fn default() -> Self {
        ExtractiveOptions {
            max_words: 100,
            target_words: 70,
            max_sentences: 5,
        }
    }
}

/// Picks sentences by the learned score within a length target.
#[derive(Clone, Debug)]
pub struct ExtractiveSummarizer {
    options: ExtractiveOptions,
    scorer: SentenceScorer,
}

impl Default for ExtractiveSummarizer {
    fn default() -> Self {
        ExtractiveSummarizer::new(ExtractiveOptions::default())
    }
}

impl ExtractiveSummarizer {
    /// A summariser with the given options and the built-in scorer.
    pub fn new(options: ExtractiveOptions) -> Self {
        ExtractiveSummarizer::with_scorer(options, SentenceScorer::builtin().clone())
    }

    /// A summariser with the given options and scorer (for training and cross-validation).
    pub fn with_scorer(options: ExtractiveOptions, scorer: SentenceScorer) -> Self {
        ExtractiveSummarizer { options, scorer }
    }

    /// The scorer ranking the sentences.
    pub fn scorer(&self) -> &SentenceScorer {
        &self.scorer
    }

    /// Indices of the chosen sentences, in article order.
    pub fn select(&self, article: &EmbeddedArticle) -> Vec<usize> {
        let scores = self.scorer.score_article(article);
        self.select_by_scores(&article.sentences, &scores)
    }

    /// Indices of the sentences chosen for these scores, in article order: in descending score (ties to the
    /// earlier sentence), a sentence is taken when it keeps within `max_sentences` and `max_words`, moves the
    /// word count closer to `target_words`, and shares no word trigram with a sentence already taken. The
    /// first sentence taken is kept whatever its length.
    pub fn select_by_scores(&self, sentences: &[String], scores: &[f32]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..sentences.len().min(scores.len())).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let target = self.options.target_words as i64;
        let mut chosen: Vec<usize> = Vec::new();
        let mut seen_trigrams: HashSet<[String; 3]> = HashSet::new();
        let mut used = 0i64;
        for index in order {
            if chosen.len() >= self.options.max_sentences {
                break;
            }
            let words = crate::script::word_count(&sentences[index]) as i64;
            if words == 0 {
                continue;
            }
            let trigrams = word_trigrams(&sentences[index]);
            if !chosen.is_empty() {
                let closer = (used + words - target).abs() < (used - target).abs();
                let fits = used + words <= self.options.max_words as i64;
                if !closer || !fits || trigrams.iter().any(|t| seen_trigrams.contains(t)) {
                    continue;
                }
            }
            used += words;
            chosen.push(index);
            seen_trigrams.extend(trigrams);
        }
        chosen.sort_unstable();
        chosen
    }
}

/// Lower-cased word trigrams of a sentence (words: runs of letters and digits), for redundancy checks.
fn word_trigrams(sentence: &str) -> Vec<[String; 3]> {
    let words: Vec<String> = sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words
        .windows(3)
        .map(|w| [w[0].clone(), w[1].clone(), w[2].clone()])
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(words: &[usize]) -> Vec<String> {
        words
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                (0..n)
                    .map(|w| format!("s{i}w{w}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    fn summarizer(
        max_words: usize,
        target_words: usize,
        max_sentences: usize,
    ) -> ExtractiveSummarizer {
        ExtractiveSummarizer::new(ExtractiveOptions {
            max_words,
            target_words,
            max_sentences,
        })
    }

    #[test]
    fn takes_sentences_by_score_while_they_bring_the_length_closer_to_the_target() {
        let text = sentences(&[30, 30, 10, 30, 20]);
        let scores = [0.9, 0.8, 0.1, 0.7, 0.6];
        // 30 + 30 = 60 is closer to 70 than 30; a third 30 (90) is not; 20 is no closer (80 vs 60); 10 is.
        assert_eq!(
            summarizer(100, 70, 5).select_by_scores(&text, &scores),
            [0, 1, 2]
        );
        assert_eq!(
            summarizer(100, 70, 2).select_by_scores(&text, &scores),
            [0, 1]
        );
        assert_eq!(
            summarizer(50, 70, 5).select_by_scores(&text, &scores),
            [0, 4]
        );
        // The first pick stays whatever its length.
        assert_eq!(summarizer(10, 5, 5).select_by_scores(&text, &scores), [0]);
    }

    #[test]
    fn a_sentence_repeating_a_trigram_of_a_chosen_one_is_skipped() {
        let text: Vec<String> = [
            "Floods hit the delta on Monday.",
            "Officials said floods hit the delta hard.",
            "Rescue teams arrived.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let chosen = summarizer(100, 70, 3).select_by_scores(&text, &[0.9, 0.8, 0.1]);
        assert_eq!(chosen, [0, 2]);
    }
}
