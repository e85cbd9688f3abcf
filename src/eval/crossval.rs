//! K-fold cross-validation of a trained head against the zero-shot classifier, on the same deterministic folds,
//! scored with the evaluation's label metrics.

use super::labels::{LabelPair, LabelReport, MultiLabelReport};
use crate::classify::assigned_labels;
use crate::classify::head::{fit_head, Example, FitOptions, ZeroShotBase};
use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// Accuracy and macro-F1 of one system on one fold.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FoldScores {
    /// Articles in the fold.
    pub count: usize,
    /// Share of articles given their gold label.
    pub accuracy: f64,
    /// Mean F1 over the labels occurring in the fold's gold or predictions.
    pub macro_f1: f64,
}

/// One system's cross-validated scores.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scores {
    /// Mean of the per-fold accuracies.
    pub accuracy: f64,
    /// Mean of the per-fold macro-F1.
    pub macro_f1: f64,
    /// Accuracy over all held-out predictions pooled.
    pub pooled_accuracy: f64,
    /// Macro-F1 over all held-out predictions pooled.
    pub pooled_macro_f1: f64,
    /// Scores per fold, in fold order.
    pub folds: Vec<FoldScores>,
}

/// The trained head against the zero-shot classifier on the same folds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossValidation {
    /// Number of folds.
    pub folds: usize,
    /// Labelled articles.
    pub examples: usize,
    /// The head, trained on the other folds each time.
    pub head: Scores,
    /// The zero-shot classifier (it needs no training, so only the grouping into folds applies).
    pub zero_shot: Scores,
    /// Label-set scores of both systems over all held-out predictions pooled, when some example has several
    /// labels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_label: Option<MultiLabelComparison>,
    /// Every article that the head (held out) or the zero-shot classifier got wrong, in input order.
    pub mistakes: Vec<Mistake>,
}

/// The head's and the zero-shot classifier's label sets against multi-label gold: each system's sets are its
/// top label plus every other label whose score reaches the secondary score (see
/// [`crate::classify::LabelSet::assigned`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MultiLabelComparison {
    /// The head (held out).
    pub head: MultiLabelReport,
    /// The zero-shot classifier.
    pub zero_shot: MultiLabelReport,
}

/// An article at least one of the two systems labelled wrongly.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mistake {
    /// The article id.
    pub id: String,
    /// Its gold label.
    pub gold: String,
    /// The head's label, from the fold that held the article out.
    pub head: String,
    /// The zero-shot label.
    pub zero_shot: String,
}

/// Assigns each example a fold in `0..folds`, stratified by label: within each label (in sorted order) the
/// examples are sorted by id and dealt out in turn, the deal continuing from label to label, so fold sizes
/// differ by at most one and every label is spread evenly.
pub fn stratified_folds(examples: &[Example], folds: usize) -> Vec<usize> {
    let mut by_label: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, example) in examples.iter().enumerate() {
        by_label.entry(&example.label).or_default().push(index);
    }
    let mut assignment = vec![0; examples.len()];
    let mut dealt = 0;
    for members in by_label.values_mut() {
        members.sort_by(|&a, &b| examples[a].id.cmp(&examples[b].id).then(a.cmp(&b)));
        for &index in members.iter() {
            assignment[index] = dealt % folds;
            dealt += 1;
        }
    }
    assignment
}

/// Cross-validates a head trained with `options` (over `base` when given) against `zero_shot` (the zero-shot
/// labels of each example, top label first), over `folds` stratified folds: each fold is labelled by a head
/// trained on the others. A held-out article's head labels are its top label and every other label (but
/// `fallback`) whose score reaches `secondary_min_score`.
pub fn cross_validate(
    examples: &[Example],
    zero_shot: &[Vec<String>],
    folds: usize,
    options: &FitOptions,
    base: Option<&ZeroShotBase>,
    (fallback, secondary_min_score): (&str, f32),
) -> Result<CrossValidation> {
    if folds < 2 || folds > examples.len() {
        return Err(Error::Config(format!(
            "cross-validation needs between 2 and {} folds (one per example at most), not {folds}",
            examples.len()
        )));
    }
    if zero_shot.len() != examples.len() || zero_shot.iter().any(Vec::is_empty) {
        return Err(Error::Config(
            "one zero-shot label per example is needed".to_string(),
        ));
    }
    let assignment = stratified_folds(examples, folds);
    let mut head_sets = vec![Vec::new(); examples.len()];
    for fold in 0..folds {
        let training: Vec<Example> = examples
            .iter()
            .zip(&assignment)
            .filter(|(_, f)| **f != fold)
            .map(|(e, _)| e.clone())
            .collect();
        let head = fit_head(&training, options, base, "", Vec::new())?;
        for (index, example) in examples.iter().enumerate() {
            if assignment[index] == fold {
                let prediction = head.predict(&example.vector, base);
                head_sets[index] = assigned_labels(
                    &prediction.label,
                    &prediction.scores,
                    fallback,
                    secondary_min_score,
                );
            }
        }
    }
    let head_predictions: Vec<String> = head_sets.iter().map(|set| set[0].clone()).collect();
    let zero_shot_top: Vec<String> = zero_shot.iter().map(|set| set[0].clone()).collect();
    let gold: Vec<&str> = examples.iter().map(|e| e.label.as_str()).collect();
    let set_report = |sets: &[Vec<String>]| {
        let pairs: Vec<LabelPair> = examples
            .iter()
            .zip(sets)
            .map(|(e, set)| LabelPair {
                gold: e.label.clone(),
                also: e.also.clone(),
                predicted: set[0].clone(),
                predicted_all: set.clone(),
            })
            .collect();
        MultiLabelReport::from_pairs(&pairs)
    };
    let multi_label = set_report(&head_sets)
        .zip(set_report(zero_shot))
        .map(|(head, zero_shot)| MultiLabelComparison { head, zero_shot });
    let mistakes = examples
        .iter()
        .zip(head_predictions.iter().zip(&zero_shot_top))
        .filter(|(e, (head, zero_shot))| **head != e.label || **zero_shot != e.label)
        .map(|(e, (head, zero_shot))| Mistake {
            id: e.id.clone(),
            gold: e.label.clone(),
            head: head.clone(),
            zero_shot: zero_shot.clone(),
        })
        .collect();
    Ok(CrossValidation {
        folds,
        examples: examples.len(),
        head: scores(&gold, &head_predictions, &assignment, folds),
        zero_shot: scores(&gold, &zero_shot_top, &assignment, folds),
        multi_label,
        mistakes,
    })
}

fn scores(gold: &[&str], predicted: &[String], assignment: &[usize], folds: usize) -> Scores {
    let predicted: Vec<&str> = predicted.iter().map(String::as_str).collect();
    let per_fold: Vec<FoldScores> = (0..folds)
        .map(|fold| {
            let members: Vec<usize> = (0..gold.len()).filter(|&i| assignment[i] == fold).collect();
            let gold: Vec<&str> = members.iter().map(|&i| gold[i]).collect();
            let predicted: Vec<&str> = members.iter().map(|&i| predicted[i]).collect();
            let (accuracy, macro_f1) = accuracy_and_macro_f1(&gold, &predicted);
            FoldScores {
                count: members.len(),
                accuracy,
                macro_f1,
            }
        })
        .collect();
    let mean = |f: fn(&FoldScores) -> f64| per_fold.iter().map(f).sum::<f64>() / folds as f64;
    let (pooled_accuracy, pooled_macro_f1) = accuracy_and_macro_f1(gold, &predicted);
    Scores {
        accuracy: mean(|s| s.accuracy),
        macro_f1: mean(|s| s.macro_f1),
        pooled_accuracy,
        pooled_macro_f1,
        folds: per_fold,
    }
}

/// Accuracy and macro-F1 by the project's label metrics ([`LabelReport`]).
fn accuracy_and_macro_f1(gold: &[&str], predicted: &[&str]) -> (f64, f64) {
    let pairs: Vec<LabelPair> = gold
        .iter()
        .zip(predicted)
        .map(|(gold, predicted)| LabelPair {
            gold: gold.to_string(),
            also: Vec::new(),
            predicted: predicted.to_string(),
            predicted_all: Vec::new(),
        })
        .collect();
    let report = LabelReport::from_pairs(&pairs);
    (report.accuracy, report.macro_f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(id: &str, label: &str) -> Example {
        Example {
            id: id.to_string(),
            label: label.to_string(),
            also: Vec::new(),
            vector: vec![0.0],
        }
    }

    #[test]
    fn folds_are_stratified_balanced_and_independent_of_input_order() {
        let mut examples: Vec<Example> = (0..7)
            .map(|i| example(&format!("a{i}"), "x"))
            .chain((0..5).map(|i| example(&format!("b{i}"), "y")))
            .collect();
        let folds = stratified_folds(&examples, 3);
        let count = |fold, label| {
            (0..examples.len())
                .filter(|&i| folds[i] == fold && examples[i].label == label)
                .count()
        };
        for fold in 0..3 {
            assert!((2..=3).contains(&count(fold, "x")));
            assert!((1..=2).contains(&count(fold, "y")));
            assert_eq!(count(fold, "x") + count(fold, "y"), 4);
        }
        let by_id: BTreeMap<String, usize> =
            examples.iter().map(|e| e.id.clone()).zip(folds).collect();
        examples.reverse();
        let reversed = stratified_folds(&examples, 3);
        for (example, fold) in examples.iter().zip(reversed) {
            assert_eq!(by_id[&example.id], fold);
        }
    }
}
