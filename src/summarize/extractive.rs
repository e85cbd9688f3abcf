//! Extractive summaries: the article's leading story sentences, as many as bring the summary nearest a target
//! length. News is written lead first, and on real news with human highlights no ranking we could learn or
//! compute (learned scorer, directed centrality, word frequency) beat lead order at equal length; what wins is
//! the length (see docs/benchmarks.md). Sentences that are page furniture, or mostly repeat an earlier one (a
//! caption restating the lead), are stepped over, and furniture or a dateline opening a sentence is cut.

use super::furniture::story_text;
use super::{Summarizer, Summary};
use crate::article::EmbeddedArticle;
use crate::error::Result;
use std::collections::HashSet;

/// Knobs of the extractive summariser.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ExtractiveOptions {
    /// Most words in a summary (a first sentence longer than this is kept alone).
    pub max_words: usize,
    /// Length the summary aims at: the leading sentences whose word count is nearest this are taken.
    pub target_words: usize,
    /// Most sentences in a summary.
    pub max_sentences: usize,
}

impl Default for ExtractiveOptions {
    /// The target was chosen by 5-fold cross-validation over CNN/DailyMail highlights and the dev references
    /// (`scripts/summary_budget`).
    fn default() -> Self {
        ExtractiveOptions {
            max_words: 100,
            target_words: 72,
            max_sentences: 5,
        }
    }
}

/// One sentence taken into a summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extract<'a> {
    /// Index of the sentence in the article.
    pub index: usize,
    /// Its story text: the sentence without furniture or a dateline at its start.
    pub text: &'a str,
}

/// Takes the article's leading story sentences within a length target.
#[derive(Clone, Debug, Default)]
pub struct ExtractiveSummarizer {
    options: ExtractiveOptions,
}

impl ExtractiveSummarizer {
    /// A summariser with the given options.
    pub fn new(options: ExtractiveOptions) -> Self {
        ExtractiveSummarizer { options }
    }

    /// The sentences of the summary, in article order: of the story sentences (see [`candidates`]), the first
    /// k, where k (at least 1, at most `max_sentences`) brings the word count nearest `target_words` (the
    /// smaller k on a tie) without passing `max_words` unless k is 1. Empty when the article has no story
    /// sentence.
    pub fn select<'a>(&self, sentences: &'a [String]) -> Vec<Extract<'a>> {
        let mut chosen = Vec::new();
        let (mut best, mut best_distance) = (0, usize::MAX);
        let mut words = 0;
        for (k, extract) in candidates(sentences)
            .take(self.options.max_sentences)
            .enumerate()
        {
            words += crate::script::word_count(extract.text);
            if k > 0 && words > self.options.max_words {
                break;
            }
            chosen.push(extract);
            let distance = words.abs_diff(self.options.target_words);
            if distance < best_distance {
                (best, best_distance) = (k + 1, distance);
            }
        }
        chosen.truncate(best);
        chosen
    }
}

/// The sentences a summary may take, in article order: each sentence's story text (see [`story_text`]),
/// without whole furniture and without sentences more than half of whose word trigrams an earlier candidate
/// already has. Lazy: a summary reads only as far as it takes.
pub fn candidates(sentences: &[String]) -> impl Iterator<Item = Extract<'_>> {
    let mut seen: HashSet<[String; 3]> = HashSet::new();
    sentences
        .iter()
        .enumerate()
        .filter_map(move |(index, sentence)| {
            let text = story_text(sentence)?;
            let trigrams = word_trigrams(text);
            let repeated = trigrams.iter().filter(|t| seen.contains(*t)).count();
            if 2 * repeated > trigrams.len() {
                return None;
            }
            seen.extend(trigrams);
            Some(Extract { index, text })
        })
}

/// Lower-cased word trigrams of a sentence (words: runs of letters and digits), for redundancy checks.
fn word_trigrams(sentence: &str) -> HashSet<[String; 3]> {
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
                    .select(&article.sentences)
                    .iter()
                    .map(|extract| extract.text)
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

    /// Sentences of the given word counts, each word unique so no trigram repeats.
    fn sentences(words: &[usize]) -> Vec<String> {
        words
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                (0..n)
                    .map(|w| format!("s{i}w{w}"))
                    .collect::<Vec<_>>()
                    .join(" ")
                    + "."
            })
            .collect()
    }

    fn indices(summarizer: &ExtractiveSummarizer, text: &[String]) -> Vec<usize> {
        summarizer.select(text).iter().map(|e| e.index).collect()
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
    fn takes_the_leading_sentences_whose_length_is_nearest_the_target() {
        let text = sentences(&[30, 30, 25, 10, 20]);
        // 30, 60, 85, 95: 60 is nearest 70.
        assert_eq!(indices(&summarizer(100, 70, 5), &text), [0, 1]);
        // 85 is nearest 80.
        assert_eq!(indices(&summarizer(100, 80, 5), &text), [0, 1, 2]);
        // On a tie (30 and 60 around 45) the shorter summary.
        assert_eq!(indices(&summarizer(100, 45, 5), &text), [0]);
        assert_eq!(indices(&summarizer(100, 200, 2), &text), [0, 1]);
        assert_eq!(indices(&summarizer(90, 200, 5), &text), [0, 1, 2]);
        // The first sentence stays whatever its length.
        assert_eq!(indices(&summarizer(10, 5, 5), &text), [0]);
    }

    #[test]
    fn furniture_and_repeats_are_stepped_over() {
        let text: Vec<String> = [
            "Scroll down for video",
            "Floods hit the delta on Monday, killing at least 12 people.",
            "Pictured: floods hit the delta on Monday.",
            "Floods hit the delta on Monday, killing 12.",
            "Scroll down for video Rescue teams reached the villages by boat.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let chosen = summarizer(100, 70, 5).select(&text);
        assert_eq!(
            chosen,
            [
                Extract {
                    index: 1,
                    text: "Floods hit the delta on Monday, killing at least 12 people."
                },
                Extract {
                    index: 4,
                    text: "Rescue teams reached the villages by boat."
                }
            ]
        );
        let furniture = vec!["Scroll down for video".to_string()];
        assert!(summarizer(100, 70, 5).select(&furniture).is_empty());
    }
}
