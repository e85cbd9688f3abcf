//! Extractive summaries: the article's leading story sentences, as many as a learned rule expects to help. News
//! is written lead first, and on real news with human highlights no ranking we could learn or compute (learned
//! scorer, directed centrality, word frequency) beat lead order at equal length; what wins is the length (see
//! docs/benchmarks.md), which [`length_model`](super::length_model) decides sentence by sentence. Sentences that
//! are page furniture, or mostly repeat an earlier one (a caption restating the lead), are stepped over, and
//! furniture, photo captions or a dateline opening a sentence are cut.

use super::furniture::story_text;
use super::length_model::{features, predicted_gain, ArticleWords};
use super::{Summarizer, Summary};
use crate::article::EmbeddedArticle;
use crate::error::Result;
use std::collections::HashSet;

/// Knobs of the extractive summariser.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ExtractiveOptions {
    /// Most words in a summary (a first sentence longer than this is kept alone).
    pub max_words: usize,
    /// Most sentences in a summary.
    pub max_sentences: usize,
}

impl Default for ExtractiveOptions {
    /// The bounds the length model was fitted within (`scripts/summary_budget`).
    fn default() -> Self {
        ExtractiveOptions {
            max_words: 100,
            max_sentences: 5,
        }
    }
}

/// One sentence taken into a summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extract<'a> {
    /// Index of the sentence in the article.
    pub index: usize,
    /// Its story text: the sentence without furniture, photo captions or a dateline at its start.
    pub text: &'a str,
}

/// Takes the article's leading story sentences, as many as the length model expects to score best.
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
    /// k, where k (at least 1, at most `max_sentences`, without passing `max_words` unless k is 1) is where the
    /// length model's predicted ROUGE gains, summed from the second sentence on, peak (the smaller k on a
    /// tie). Empty when the article has no story sentence.
    pub fn select<'a>(&self, sentences: &'a [String]) -> Vec<Extract<'a>> {
        let mut candidates = candidates(sentences).take(self.options.max_sentences);
        let Some(first) = candidates.next() else {
            return Vec::new();
        };
        let article = ArticleWords::new(sentences);
        let first_words = crate::script::word_count(first.text);
        let (mut chosen, mut words) = (vec![first], first_words);
        let (mut best, mut best_gain, mut gain) = (1, 0.0, 0.0);
        for (position, next) in (1..).zip(candidates) {
            let next_words = crate::script::word_count(next.text);
            if words + next_words > self.options.max_words {
                break;
            }
            let texts: Vec<&str> = chosen.iter().map(|e| e.text).collect();
            gain += predicted_gain(&features(
                &article,
                &texts,
                next.text,
                position,
                words,
                first_words,
            ));
            chosen.push(next);
            words += next_words;
            if gain > best_gain {
                (best, best_gain) = (chosen.len(), gain);
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

    fn summarizer(max_words: usize, max_sentences: usize) -> ExtractiveSummarizer {
        ExtractiveSummarizer::new(ExtractiveOptions {
            max_words,
            max_sentences,
        })
    }

    /// An article of 20 sentences opening with sentences of the given lengths, then 12-word ones.
    fn article(lead: &[usize]) -> Vec<String> {
        let mut words = lead.to_vec();
        words.resize(20, 12);
        sentences(&words)
    }

    #[test]
    fn a_short_lead_grows_and_a_long_one_stays_alone() {
        // Short sentences: the model keeps adding up to the sentence bound (70 words).
        let short = article(&[10, 15, 15, 15, 15]);
        assert_eq!(indices(&summarizer(100, 5), &short), [0, 1, 2, 3, 4]);
        // A 60-word first sentence already makes a summary; another 40 words would cost ROUGE.
        assert_eq!(indices(&summarizer(100, 5), &article(&[60, 40, 30])), [0]);
    }

    #[test]
    fn the_bounds_cap_the_summary_but_the_first_sentence_stays() {
        let short = article(&[10, 15, 15, 15, 15]);
        assert_eq!(indices(&summarizer(100, 2), &short), [0, 1]);
        // 10 + 15 + 15 = 40 words; one more sentence would pass 40.
        assert_eq!(indices(&summarizer(40, 5), &short), [0, 1, 2]);
        assert_eq!(indices(&summarizer(5, 5), &short), [0]);
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
        let chosen = summarizer(100, 5).select(&text);
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
        assert!(summarizer(100, 5).select(&furniture).is_empty());
    }
}
