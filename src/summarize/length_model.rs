//! How many leading sentences to take: a linear model, fitted by `scripts/summary_budget` on CNN/DailyMail
//! highlights and the dev references, that predicts the ROUGE gain of adding each next story sentence to the
//! summary from what the article shows (the summary's length so far, the sentence's length, how many of its
//! words the summary already has, how common its words are in the article, whether it opens with a quote, the
//! length of the first sentence and of the article). It is the mean of nine ridge regressions (gains in ROUGE-1,
//! ROUGE-2 and their mean, three penalties each), not one chosen among them: choosing by cross-validation on
//! 148 articles made where the summary stops swing with the sample. Its weights live in `length_model.json`.

use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The committed weights.
const COMMITTED: &str = include_str!("length_model.json");

/// Names of the features, in the order of [`features`] and of the weights.
pub const FEATURE_NAMES: [&str; 13] = [
    "bias",
    "summary_words/50",
    "sentence_words/30",
    "total_words/50",
    "(total_words/50)^2",
    "words_already_in_summary",
    "article_frequency_of_words",
    "opens_with_quote",
    "position",
    "first_sentence_words/30",
    "ln_article_sentences",
    "ln_article_sentences*total_words/50",
    "first_sentence_words/30*total_words/50",
];

/// Words too common to say what a sentence is about.
const STOPWORDS: &[&str] = &[
    "the", "and", "for", "with", "from", "was", "were", "been", "are", "its", "that", "this",
    "she", "they", "his", "her", "their", "but", "not", "have", "has", "had", "said", "will",
    "would", "who", "which",
];

/// The weights of the continue rule.
#[derive(Debug, Deserialize)]
struct LengthModelFile {
    features: Vec<String>,
    weights: Vec<f64>,
}

/// The committed weights, checked against [`FEATURE_NAMES`] once.
static WEIGHTS: LazyLock<Vec<f64>> = LazyLock::new(|| {
    let file: LengthModelFile =
        serde_json::from_str(COMMITTED).expect("length_model.json is valid JSON");
    assert_eq!(
        file.features, FEATURE_NAMES,
        "length_model.json lists the features this code computes"
    );
    file.weights
});

/// What the model knows of an article: its sentence count and how many sentences each content word is in.
pub struct ArticleWords {
    sentences: usize,
    sentence_frequency: HashMap<String, usize>,
}

impl ArticleWords {
    /// Counts, for every content word, the sentences of the article holding it.
    pub fn new(sentences: &[String]) -> Self {
        let mut sentence_frequency: HashMap<String, usize> = HashMap::new();
        for sentence in sentences {
            for word in content_words(sentence).into_iter().collect::<HashSet<_>>() {
                *sentence_frequency.entry(word).or_default() += 1;
            }
        }
        ArticleWords {
            sentences: sentences.len(),
            sentence_frequency,
        }
    }
}

/// The features of adding `next` (the candidate at `position`, counting from 0) to a summary of `chosen`
/// candidates that has `summary_words` words; `first_words` is the first candidate's word count.
pub fn features(
    article: &ArticleWords,
    chosen: &[&str],
    next: &str,
    position: usize,
    summary_words: usize,
    first_words: usize,
) -> [f64; 13] {
    let sentence_words = crate::script::word_count(next) as f64;
    let summary = summary_words as f64 / 50.0;
    let total = summary + sentence_words / 50.0;
    let words = content_words(next);
    let distinct: HashSet<&String> = words.iter().collect();
    let in_summary: HashSet<String> = chosen.iter().flat_map(|s| content_words(s)).collect();
    let already = match distinct.len() {
        0 => 0.0,
        n => distinct.iter().filter(|w| in_summary.contains(**w)).count() as f64 / n as f64,
    };
    let sentences = article.sentences.max(1) as f64;
    let frequency = match words.len() {
        0 => 0.0,
        n => {
            words
                .iter()
                .map(|w| article.sentence_frequency.get(w).copied().unwrap_or(0) as f64)
                .sum::<f64>()
                / n as f64
                / sentences
        }
    };
    let quote = f64::from(u8::from(
        next.trim_start().starts_with(['\'', '"', '‘', '“']),
    ));
    let first = first_words as f64 / 30.0;
    let ln_sentences = sentences.ln();
    [
        1.0,
        summary,
        sentence_words / 30.0,
        total,
        total * total,
        already,
        frequency,
        quote,
        position as f64,
        first,
        ln_sentences,
        ln_sentences * total,
        first * total,
    ]
}

/// The ROUGE F the model expects adding the sentence with these features to gain (negative: to lose), a mean
/// over the targets it was fitted on; only its sign and running sum matter.
pub fn predicted_gain(features: &[f64; 13]) -> f64 {
    features
        .iter()
        .zip(WEIGHTS.iter())
        .map(|(f, w)| f * w)
        .sum()
}

/// Lower-cased words of three or more letters and digits, stop words left out.
fn content_words(sentence: &str) -> Vec<String> {
    sentence
        .to_lowercase()
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|w| w.len() > 2 && !STOPWORDS.contains(w))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_weights_match_the_features() {
        assert_eq!(WEIGHTS.len(), FEATURE_NAMES.len());
    }

    #[test]
    fn features_count_repeated_and_common_words() {
        let sentences: Vec<String> = [
            "Floods hit the delta on Monday.",
            "Rescue teams reached the delta villages.",
            "\"We lost everything,\" one farmer said.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let article = ArticleWords::new(&sentences);
        let f = features(&article, &[&sentences[0]], &sentences[1], 1, 6, 6);
        // rescue, teams, reached, delta, villages: one of five is in the summary.
        assert!((f[5] - 0.2).abs() < 1e-9);
        // delta is in two sentences of three, the others in one: (2 + 4) / 5 / 3.
        assert!((f[6] - 0.4).abs() < 1e-9);
        assert_eq!(f[7], 0.0);
        let quote = features(
            &article,
            &sentences[..2]
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            &sentences[2],
            2,
            12,
            6,
        );
        assert_eq!(quote[7], 1.0);
        assert_eq!(quote[8], 2.0);
    }
}
