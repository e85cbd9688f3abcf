//! Topic-label metrics: how well predicted labels agree with the gold primary label (and, leniently, with the
//! gold secondary labels), and, when gold gives several labels, how well the predicted label sets agree with
//! the gold sets.

use super::ratio;
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
    /// Every predicted label (output field `labels`); empty means just `predicted`.
    pub predicted_all: Vec<String>,
}

impl LabelPair {
    /// The gold label set: the primary label and the secondary ones.
    fn gold_set(&self) -> BTreeSet<&str> {
        std::iter::once(&self.gold)
            .chain(&self.also)
            .map(String::as_str)
            .collect()
    }

    /// The predicted label set: `predicted_all`, or `predicted` alone when that is empty.
    fn predicted_set(&self) -> BTreeSet<&str> {
        std::iter::once(&self.predicted)
            .chain(&self.predicted_all)
            .map(String::as_str)
            .collect()
    }
}

/// Label-set metrics, for gold that gives some articles several labels.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MultiLabelReport {
    /// Gold articles with more than one label.
    pub multi_label_gold: usize,
    /// Mean over articles of the F1 of the predicted set against the gold set (`2|P∩G| / (|P| + |G|)`).
    pub example_f1: f64,
    /// F1 over all (article, label) decisions pooled: every label counted once per article.
    pub micro_f1: f64,
    /// Unweighted mean over labels of each label's F1 as a per-article yes/no decision.
    pub macro_f1: f64,
    /// Share of articles whose predicted set equals the gold set.
    pub exact_match: f64,
    /// Per-label precision, recall, F1 and support (articles whose gold set holds the label), sorted by label.
    pub per_label: Vec<LabelScores>,
}

impl MultiLabelReport {
    /// Scores the predicted label sets against the gold sets; `None` when no gold article has several labels
    /// (the single-label metrics then say it all).
    pub fn from_pairs(pairs: &[LabelPair]) -> Option<Self> {
        let sets: Vec<(BTreeSet<&str>, BTreeSet<&str>)> = pairs
            .iter()
            .map(|p| (p.gold_set(), p.predicted_set()))
            .collect();
        let multi_label_gold = sets.iter().filter(|(gold, _)| gold.len() > 1).count();
        if multi_label_gold == 0 {
            return None;
        }
        let labels: BTreeSet<&str> = sets
            .iter()
            .flat_map(|(gold, predicted)| gold.union(predicted).copied().collect::<Vec<_>>())
            .collect();
        let per_label: Vec<LabelScores> = labels
            .iter()
            .map(|label| {
                let support = sets.iter().filter(|(g, _)| g.contains(label)).count();
                let predicted = sets.iter().filter(|(_, p)| p.contains(label)).count();
                let correct = sets
                    .iter()
                    .filter(|(g, p)| g.contains(label) && p.contains(label))
                    .count();
                let (precision, recall) = (ratio(correct, predicted), ratio(correct, support));
                LabelScores {
                    label: label.to_string(),
                    precision,
                    recall,
                    f1: harmonic_mean(precision, recall),
                    support,
                }
            })
            .collect();
        let overlap: usize = sets.iter().map(|(g, p)| g.intersection(p).count()).sum();
        let gold_total: usize = sets.iter().map(|(g, _)| g.len()).sum();
        let predicted_total: usize = sets.iter().map(|(_, p)| p.len()).sum();
        let example_f1 = sets
            .iter()
            .map(|(g, p)| 2.0 * g.intersection(p).count() as f64 / (g.len() + p.len()) as f64)
            .sum::<f64>()
            / sets.len() as f64;
        Some(MultiLabelReport {
            multi_label_gold,
            example_f1,
            micro_f1: ratio(2 * overlap, gold_total + predicted_total),
            macro_f1: per_label.iter().map(|s| s.f1).sum::<f64>() / per_label.len() as f64,
            exact_match: ratio(sets.iter().filter(|(g, p)| g == p).count(), sets.len()),
            per_label,
        })
    }
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
    /// Label-set metrics, present when some gold article has several labels (`also`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_label: Option<MultiLabelReport>,
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
            multi_label: MultiLabelReport::from_pairs(pairs),
        }
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
            predicted_all: Vec::new(),
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

    #[test]
    fn label_sets_are_scored_by_hand_checked_example_micro_and_macro_f1() {
        let mut both = pair("humanitarian", &["conflict"], "humanitarian");
        both.predicted_all = vec!["humanitarian".to_string(), "conflict".to_string()];
        let mut extra = pair("disaster", &[], "disaster");
        extra.predicted_all = vec!["disaster".to_string(), "humanitarian".to_string()];
        let half = pair("conflict", &["humanitarian"], "humanitarian");
        let report = LabelReport::from_pairs(&[both, extra, half]);
        let multi = report.multi_label.unwrap();
        assert_eq!(multi.multi_label_gold, 2);
        // Example F1: 1, 2*1/(1+2), 2*1/(2+1).
        assert!((multi.example_f1 - (1.0 + 2.0 / 3.0 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
        // Pooled: overlap 2 + 1 + 1 = 4, gold 2 + 1 + 2 = 5, predicted 2 + 2 + 1 = 5.
        assert!((multi.micro_f1 - 0.8).abs() < 1e-12);
        // conflict: p 1/1, r 1/2; disaster: 1, 1; humanitarian: p 2/3, r 2/2.
        let f1 = |p: f64, r: f64| 2.0 * p * r / (p + r);
        let expected = (f1(1.0, 0.5) + 1.0 + f1(2.0 / 3.0, 1.0)) / 3.0;
        assert!((multi.macro_f1 - expected).abs() < 1e-12);
        assert!((multi.exact_match - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(multi.per_label[2].support, 2);
    }

    #[test]
    fn single_label_gold_has_no_multi_label_report() {
        let report = LabelReport::from_pairs(&[pair("conflict", &[], "conflict")]);
        assert!(report.multi_label.is_none());
    }
}
