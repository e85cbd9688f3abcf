//! Topic-label metrics: how well predicted labels agree with the gold primary label (and, leniently, with the
//! gold secondary labels).

use std::collections::BTreeSet;

/// One aligned article's labels.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelPair {
    /// The gold primary label.
    pub gold: String,
    /// The gold secondary labels (`also`): themes substantial enough that predicting them is not wrong.
    pub also: Vec<String>,
    /// The predicted label.
    pub predicted: String,
}

/// Precision, recall and F1 of one label, counting it as the positive class.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LabelScores {
    /// The label.
    pub label: String,
    /// Correct predictions of this label over all predictions of it (0 when never predicted).
    pub precision: f64,
    /// Correct predictions of this label over its gold occurrences (0 when it never occurs in gold).
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
    /// How many gold articles carry this primary label.
    pub support: usize,
}

/// Counts of gold label (rows) against predicted label (columns).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ConfusionMatrix {
    /// Row and column labels, sorted: the union of gold and predicted labels.
    pub labels: Vec<String>,
    /// `counts[g][p]`: articles with gold label `labels[g]` predicted as `labels[p]`.
    pub counts: Vec<Vec<usize>>,
}

/// All label metrics over a set of aligned articles.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LabelReport {
    /// Aligned articles scored.
    pub count: usize,
    /// Share of articles whose predicted label equals the gold primary label (0 when there are none).
    pub accuracy: f64,
    /// Share of articles whose predicted label is the gold primary label or one of its secondary labels.
    pub lenient_accuracy: f64,
    /// Unweighted mean of the per-label F1 over every label in the label set.
    pub macro_f1: f64,
    /// Scores for each label of the label set, in sorted order.
    pub per_label: Vec<LabelScores>,
    /// Gold against predicted counts.
    pub confusion: ConfusionMatrix,
}

impl LabelReport {
    /// Scores the predicted labels against gold; the label set is the sorted union of gold and predicted
    /// primary labels.
    pub fn from_pairs(pairs: &[LabelPair]) -> Self {
        let labels: Vec<String> = pairs
            .iter()
            .flat_map(|pair| [pair.gold.clone(), pair.predicted.clone()])
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let index = |label: &str| labels.iter().position(|l| l == label);
        let mut counts = vec![vec![0usize; labels.len()]; labels.len()];
        for pair in pairs {
            if let (Some(g), Some(p)) = (index(&pair.gold), index(&pair.predicted)) {
                counts[g][p] += 1;
            }
        }
        let per_label: Vec<LabelScores> = labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let correct = counts[i][i];
                let support: usize = counts[i].iter().sum();
                let predicted: usize = counts.iter().map(|row| row[i]).sum();
                let precision = ratio(correct, predicted);
                let recall = ratio(correct, support);
                LabelScores {
                    label: label.clone(),
                    precision,
                    recall,
                    f1: harmonic_mean(precision, recall),
                    support,
                }
            })
            .collect();
        let correct = pairs.iter().filter(|p| p.predicted == p.gold).count();
        let lenient = pairs
            .iter()
            .filter(|p| p.predicted == p.gold || p.also.contains(&p.predicted))
            .count();
        let macro_f1 = if per_label.is_empty() {
            0.0
        } else {
            per_label.iter().map(|s| s.f1).sum::<f64>() / per_label.len() as f64
        };
        LabelReport {
            count: pairs.len(),
            accuracy: ratio(correct, pairs.len()),
            lenient_accuracy: ratio(lenient, pairs.len()),
            macro_f1,
            per_label,
            confusion: ConfusionMatrix { labels, counts },
        }
    }
}

/// `part / whole`, or 0 when `whole` is 0.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// F1 from precision and recall, 0 when both are 0.
fn harmonic_mean(precision: f64, recall: f64) -> f64 {
    if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(gold: &str, also: &[&str], predicted: &str) -> LabelPair {
        LabelPair {
            gold: gold.to_string(),
            also: also.iter().map(|s| s.to_string()).collect(),
            predicted: predicted.to_string(),
        }
    }

    #[test]
    fn scores_a_hand_checked_example() {
        let report = LabelReport::from_pairs(&[
            pair("conflict", &[], "conflict"),
            pair("conflict", &[], "humanitarian"),
            pair("humanitarian", &["conflict"], "conflict"),
            pair("humanitarian", &[], "humanitarian"),
            pair("disaster", &[], "other"),
        ]);
        assert_eq!(report.count, 5);
        assert_eq!(report.accuracy, 0.4);
        assert_eq!(report.lenient_accuracy, 0.6);
        let labels: Vec<&str> = report.per_label.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["conflict", "disaster", "humanitarian", "other"]);
        let conflict = &report.per_label[0];
        assert_eq!(
            (conflict.precision, conflict.recall, conflict.f1),
            (0.5, 0.5, 0.5)
        );
        assert_eq!(conflict.support, 2);
        let other = &report.per_label[3];
        assert_eq!(
            (other.precision, other.recall, other.support),
            (0.0, 0.0, 0)
        );
        assert_eq!(report.macro_f1, (0.5 + 0.0 + 0.5 + 0.0) / 4.0);
        assert_eq!(
            report.confusion.counts,
            [[1, 0, 1, 0], [0, 0, 0, 1], [1, 0, 1, 0], [0, 0, 0, 0]]
        );
    }

    #[test]
    fn no_pairs_give_zero_scores_and_no_labels() {
        let report = LabelReport::from_pairs(&[]);
        assert_eq!(
            (report.count, report.accuracy, report.macro_f1),
            (0, 0.0, 0.0)
        );
        assert!(report.confusion.labels.is_empty());
    }
}
