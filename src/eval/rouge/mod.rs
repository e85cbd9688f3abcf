//! ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum exactly as Google's `rouge-score` package (0.1.2) computes them
//! with `use_stemmer=True`, so newsdigest's summary scores can be compared with published numbers.
//!
//! Tokens: the text is lower-cased, every run of characters other than `a-z`/`0-9` becomes a break, and tokens
//! longer than three characters are stemmed with NLTK's Porter stemmer ([`porter`]).
//!
//! ROUGE-Lsum reads one sentence per line: **the caller puts each sentence of a summary on its own line**
//! (split on `\n`; empty lines are ignored), as `rouge-score` expects. Text without newlines is one sentence,
//! and then ROUGE-Lsum equals ROUGE-L.

pub mod porter;

use std::collections::HashMap;

/// Precision, recall and F1 of one ROUGE variant for one prediction against one reference.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct PrfScore {
    /// Matched units over the prediction's units.
    pub precision: f64,
    /// Matched units over the reference's units.
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f: f64,
}

impl PrfScore {
    /// Builds a score from precision and recall, with F1 computed as `rouge-score` does.
    fn new(precision: f64, recall: f64) -> Self {
        let f = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        PrfScore {
            precision,
            recall,
            f,
        }
    }

    /// The three parts under the names reports and thresholds use: `precision`, `recall`, `f`.
    pub fn named_parts(&self) -> [(&'static str, f64); 3] {
        [
            ("precision", self.precision),
            ("recall", self.recall),
            ("f", self.f),
        ]
    }
}

/// The four ROUGE variants for one prediction against one reference.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct RougeScores {
    /// Unigram overlap.
    pub rouge1: PrfScore,
    /// Bigram overlap.
    pub rouge2: PrfScore,
    /// Longest common subsequence over the whole text.
    #[serde(rename = "rougeL")]
    pub rouge_l: PrfScore,
    /// Summary-level LCS: union LCS of each reference sentence (line) against all predicted sentences.
    #[serde(rename = "rougeLsum")]
    pub rouge_lsum: PrfScore,
}

impl RougeScores {
    /// The four variants under `rouge-score`'s names: `rouge1`, `rouge2`, `rougeL`, `rougeLsum`.
    pub fn named_variants(&self) -> [(&'static str, PrfScore); 4] {
        [
            ("rouge1", self.rouge1),
            ("rouge2", self.rouge2),
            ("rougeL", self.rouge_l),
            ("rougeLsum", self.rouge_lsum),
        ]
    }
}

/// Scores `prediction` against the reference `target`; both hold one sentence per line for ROUGE-Lsum.
pub fn rouge(target: &str, prediction: &str) -> RougeScores {
    let target_tokens = tokenize(target);
    let prediction_tokens = tokenize(prediction);
    RougeScores {
        rouge1: rouge_n(&target_tokens, &prediction_tokens, 1),
        rouge2: rouge_n(&target_tokens, &prediction_tokens, 2),
        rouge_l: rouge_l(&target_tokens, &prediction_tokens),
        rouge_lsum: rouge_lsum(&sentence_tokens(target), &sentence_tokens(prediction)),
    }
}

/// `rouge-score`'s tokenizer with stemming: lower-case, split on anything but `a-z0-9`, stem tokens longer
/// than three characters.
pub fn tokenize(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|token| !token.is_empty())
        .map(|token| {
            if token.len() > 3 {
                porter::stem(token)
            } else {
                token.to_string()
            }
        })
        .filter(|token| {
            !token.is_empty()
                && token
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        .collect()
}

/// Tokens of each non-empty line, the sentences ROUGE-Lsum works on.
fn sentence_tokens(text: &str) -> Vec<Vec<String>> {
    text.split('\n')
        .filter(|line| !line.is_empty())
        .map(tokenize)
        .collect()
}

fn ngram_counts(tokens: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    for ngram in tokens.windows(n) {
        *counts.entry(ngram).or_insert(0) += 1;
    }
    counts
}

/// ROUGE-N: clipped n-gram matches over the prediction's (precision) and reference's (recall) n-gram counts.
fn rouge_n(target: &[String], prediction: &[String], n: usize) -> PrfScore {
    let target_counts = ngram_counts(target, n);
    let prediction_counts = ngram_counts(prediction, n);
    let matches: usize = target_counts
        .iter()
        .map(|(ngram, count)| (*count).min(prediction_counts.get(ngram).copied().unwrap_or(0)))
        .sum();
    let target_total: usize = target_counts.values().sum();
    let prediction_total: usize = prediction_counts.values().sum();
    PrfScore::new(
        matches as f64 / prediction_total.max(1) as f64,
        matches as f64 / target_total.max(1) as f64,
    )
}

/// The LCS length table of `reference` (rows) against `candidate` (columns), one extra row and column of 0.
fn lcs_table(reference: &[String], candidate: &[String]) -> Vec<Vec<usize>> {
    let mut table = vec![vec![0; candidate.len() + 1]; reference.len() + 1];
    for i in 1..=reference.len() {
        for j in 1..=candidate.len() {
            table[i][j] = if reference[i - 1] == candidate[j - 1] {
                table[i - 1][j - 1] + 1
            } else {
                table[i - 1][j].max(table[i][j - 1])
            };
        }
    }
    table
}

/// ROUGE-L: LCS length over the prediction's and the reference's token counts.
fn rouge_l(target: &[String], prediction: &[String]) -> PrfScore {
    if target.is_empty() || prediction.is_empty() {
        return PrfScore::default();
    }
    let lcs = lcs_table(target, prediction)[target.len()][prediction.len()];
    PrfScore::new(
        lcs as f64 / prediction.len() as f64,
        lcs as f64 / target.len() as f64,
    )
}

/// Indices into `reference` of one LCS with `candidate`, chosen by `rouge-score`'s backtracking (which LCS is
/// chosen changes the union, so the tie-breaking is kept).
fn lcs_indices(reference: &[String], candidate: &[String]) -> Vec<usize> {
    let table = lcs_table(reference, candidate);
    let (mut i, mut j) = (reference.len(), candidate.len());
    let mut indices = Vec::new();
    while i > 0 && j > 0 {
        if reference[i - 1] == candidate[j - 1] {
            indices.push(i - 1);
            i -= 1;
            j -= 1;
        } else if table[i][j - 1] > table[i - 1][j] {
            j -= 1;
        } else {
            i -= 1;
        }
    }
    indices.reverse();
    indices
}

/// ROUGE-Lsum: for each reference sentence, the union of its LCS with every predicted sentence; a token is a
/// hit only while both sides still have unused occurrences of it (ROUGE-1.5.5's guard against double counts).
fn rouge_lsum(target: &[Vec<String>], prediction: &[Vec<String>]) -> PrfScore {
    let target_total: usize = target.iter().map(Vec::len).sum();
    let prediction_total: usize = prediction.iter().map(Vec::len).sum();
    if target_total == 0 || prediction_total == 0 {
        return PrfScore::default();
    }
    let mut target_left = token_counts(target);
    let mut prediction_left = token_counts(prediction);
    let mut hits = 0usize;
    for sentence in target {
        let mut union: Vec<usize> = prediction
            .iter()
            .flat_map(|candidate| lcs_indices(sentence, candidate))
            .collect();
        union.sort_unstable();
        union.dedup();
        for token in union.iter().map(|&i| sentence[i].as_str()) {
            if let (Some(t), Some(p)) = (target_left.get_mut(token), prediction_left.get_mut(token))
            {
                if *t > 0 && *p > 0 {
                    hits += 1;
                    *t -= 1;
                    *p -= 1;
                }
            }
        }
    }
    PrfScore::new(
        hits as f64 / prediction_total as f64,
        hits as f64 / target_total as f64,
    )
}

fn token_counts(sentences: &[Vec<String>]) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for token in sentences.iter().flatten() {
        *counts.entry(token.as_str()).or_insert(0) += 1;
    }
    counts
}

/// Mean precision, recall and F1 of each ROUGE variant over a set of articles (the plain average per article,
/// as `rouge-score`'s aggregator reports as its mid value).
pub fn mean_scores(scores: &[RougeScores]) -> RougeScores {
    let mean = |pick: fn(&RougeScores) -> PrfScore| {
        if scores.is_empty() {
            return PrfScore::default();
        }
        let n = scores.len() as f64;
        PrfScore {
            precision: scores.iter().map(|s| pick(s).precision).sum::<f64>() / n,
            recall: scores.iter().map(|s| pick(s).recall).sum::<f64>() / n,
            f: scores.iter().map(|s| pick(s).f).sum::<f64>() / n,
        }
    };
    RougeScores {
        rouge1: mean(|s| s.rouge1),
        rouge2: mean(|s| s.rouge2),
        rouge_l: mean(|s| s.rouge_l),
        rouge_lsum: mean(|s| s.rouge_lsum),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_lowercases_splits_and_stems_long_tokens() {
        assert_eq!(
            tokenize("The U.N.'s cease-fire: 18,000 Fled, cats ran!"),
            ["the", "u", "n", "s", "ceas", "fire", "18", "000", "fled", "cat", "ran"]
        );
    }

    #[test]
    fn rouge_n_clips_repeated_ngrams() {
        let scores = rouge("the cat sat", "the the cat");
        assert_eq!(scores.rouge1.precision, 2.0 / 3.0);
        assert_eq!(scores.rouge1.recall, 2.0 / 3.0);
        assert_eq!(scores.rouge2.precision, 0.5);
        assert_eq!(scores.rouge2.recall, 0.5);
    }

    #[test]
    fn rouge_l_uses_the_longest_common_subsequence() {
        let scores = rouge("police said nine died", "nine died police said today");
        assert_eq!(scores.rouge_l.recall, 0.5);
        assert_eq!(scores.rouge_l.precision, 0.4);
        assert!((scores.rouge_l.f - 2.0 * 0.5 * 0.4 / 0.9).abs() < 1e-12);
    }

    #[test]
    fn rouge_lsum_matches_each_reference_sentence_against_all_predicted_ones() {
        let scores = rouge(
            "police said nine died\nrain fell",
            "rain fell\nnine died police said",
        );
        assert_eq!(scores.rouge_lsum.recall, 4.0 / 6.0);
        assert_eq!(scores.rouge_lsum.precision, 4.0 / 6.0);
        assert_eq!(scores.rouge_l.recall, 2.0 / 6.0);
    }

    #[test]
    fn empty_sides_score_zero() {
        assert_eq!(rouge("", "something"), RougeScores::default());
        assert_eq!(rouge("something", "..."), RougeScores::default());
    }
}
