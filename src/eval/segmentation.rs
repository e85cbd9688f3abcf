//! Segmentation metrics against gold spans: boundary precision/recall/F1, Pk and WindowDiff over lines,
//! exact-span accuracy and title accuracy, per dump and aggregated over dumps.

use super::ratio;
use crate::article::Article;
use serde::{Deserialize, Serialize};

/// An article's place in its dump: 1-based inclusive line span and headline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First line, 1-based.
    #[serde(rename = "start_line")]
    pub start: usize,
    /// Last line, 1-based and inclusive.
    #[serde(rename = "end_line")]
    pub end: usize,
    /// The headline, if any.
    #[serde(default)]
    pub title: Option<String>,
}

impl Span {
    /// The span of a segmented article; `None` for articles that did not come from a dump.
    pub fn of_article(article: &Article) -> Option<Span> {
        Some(Span {
            start: article.start_line?,
            end: article.end_line?,
            title: article.title.clone(),
        })
    }
}

/// What was counted on one dump, or summed over several: everything the ratios of [`DumpScore`] come from.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SegmentationCounts {
    /// The dump's name (`"all"` for a sum).
    pub dump: String,
    /// Gold articles.
    pub gold_articles: usize,
    /// Predicted articles.
    pub predicted_articles: usize,
    /// Predicted article starts that are gold start lines.
    pub boundary_hits: usize,
    /// Probe windows where predicted and gold disagree on "same story" (Pk numerator).
    pub pk_errors: usize,
    /// WindowDiff numerator: probe windows where the number of boundaries differs.
    pub window_diff_errors: usize,
    /// Probe windows (denominator of Pk and WindowDiff).
    pub windows: usize,
    /// Gold spans reproduced exactly.
    pub exact_spans: usize,
    /// Gold articles whose start was found with the same title (both `None` counts).
    pub titles_correct: usize,
}

/// Scores of one dump: the counts, kept so dumps can be aggregated, and the ratios computed from them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpScore {
    /// What was counted.
    #[serde(flatten)]
    pub counts: SegmentationCounts,
    /// `boundary_hits / predicted_articles`.
    pub boundary_precision: f64,
    /// `boundary_hits / gold_articles`.
    pub boundary_recall: f64,
    /// Harmonic mean of precision and recall.
    pub boundary_f1: f64,
    /// Pk: share of probe windows that disagree on whether both ends are in the same story.
    pub pk: f64,
    /// WindowDiff: share of probe windows with a different number of boundaries.
    pub window_diff: f64,
    /// `exact_spans / gold_articles`.
    pub exact_span_accuracy: f64,
    /// `titles_correct / gold_articles`.
    pub title_accuracy: f64,
}

impl DumpScore {
    /// Computes the ratios from the counts.
    pub fn new(counts: SegmentationCounts) -> Self {
        let precision = ratio(counts.boundary_hits, counts.predicted_articles);
        let recall = ratio(counts.boundary_hits, counts.gold_articles);
        DumpScore {
            boundary_precision: precision,
            boundary_recall: recall,
            boundary_f1: if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            },
            pk: ratio(counts.pk_errors, counts.windows),
            window_diff: ratio(counts.window_diff_errors, counts.windows),
            exact_span_accuracy: ratio(counts.exact_spans, counts.gold_articles),
            title_accuracy: ratio(counts.titles_correct, counts.gold_articles),
            counts,
        }
    }
}

/// Scores summed over several dumps (micro-averaged: every article and every probe window weighs the same).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AggregateScore {
    /// Number of dumps.
    pub dumps: usize,
    /// The totals, with `dump` set to `"all"`.
    pub total: DumpScore,
}

/// Scores one dump of `lines` lines. Pk and WindowDiff see the dump as a sequence of lines, each belonging to
/// the last story that started at or before it, with window `k` = half the mean gold article length.
pub fn score_dump(dump: &str, lines: usize, gold: &[Span], predicted: &[Span]) -> DumpScore {
    let gold_starts: Vec<usize> = gold.iter().map(|s| s.start).collect();
    let predicted_starts: Vec<usize> = predicted.iter().map(|s| s.start).collect();
    let boundary_hits = predicted_starts
        .iter()
        .filter(|s| gold_starts.contains(s))
        .count();
    let exact_spans = gold
        .iter()
        .filter(|g| {
            predicted
                .iter()
                .any(|p| p.start == g.start && p.end == g.end)
        })
        .count();
    let titles_correct = gold
        .iter()
        .filter(|g| {
            predicted
                .iter()
                .any(|p| p.start == g.start && normalise(&p.title) == normalise(&g.title))
        })
        .count();
    let k = window(gold);
    let (pk_errors, window_diff_errors, windows) =
        window_errors(lines, &gold_starts, &predicted_starts, k);
    DumpScore::new(SegmentationCounts {
        dump: dump.to_string(),
        gold_articles: gold.len(),
        predicted_articles: predicted.len(),
        boundary_hits,
        pk_errors,
        window_diff_errors,
        windows,
        exact_spans,
        titles_correct,
    })
}

/// Adds up per-dump scores and recomputes the ratios from the totals.
pub fn aggregate(scores: &[DumpScore]) -> AggregateScore {
    let sum = |f: fn(&SegmentationCounts) -> usize| scores.iter().map(|s| f(&s.counts)).sum();
    let total = DumpScore::new(SegmentationCounts {
        dump: "all".to_string(),
        gold_articles: sum(|c| c.gold_articles),
        predicted_articles: sum(|c| c.predicted_articles),
        boundary_hits: sum(|c| c.boundary_hits),
        pk_errors: sum(|c| c.pk_errors),
        window_diff_errors: sum(|c| c.window_diff_errors),
        windows: sum(|c| c.windows),
        exact_spans: sum(|c| c.exact_spans),
        titles_correct: sum(|c| c.titles_correct),
    });
    AggregateScore {
        dumps: scores.len(),
        total,
    }
}

fn normalise(title: &Option<String>) -> Option<String> {
    title
        .as_ref()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Half the mean gold article length in lines, rounded, at least 1.
fn window(gold: &[Span]) -> usize {
    if gold.is_empty() {
        return 1;
    }
    let total: usize = gold
        .iter()
        .map(|s| s.end + 1 - s.start.min(s.end + 1))
        .sum();
    ((total as f64 / gold.len() as f64 / 2.0).round() as usize).max(1)
}

/// Story index of each line 1..=lines: how many starts lie at or before it.
fn story_of_lines(lines: usize, starts: &[usize]) -> Vec<usize> {
    (1..=lines)
        .map(|line| starts.iter().filter(|&&s| s <= line).count())
        .collect()
}

/// Pk errors, WindowDiff errors and the number of probe windows `(i, i + k)`.
fn window_errors(
    lines: usize,
    gold: &[usize],
    predicted: &[usize],
    k: usize,
) -> (usize, usize, usize) {
    if lines <= k {
        return (0, 0, 0);
    }
    let gold = story_of_lines(lines, gold);
    let predicted = story_of_lines(lines, predicted);
    let mut pk = 0;
    let mut window_diff = 0;
    for i in 0..lines - k {
        let gold_boundaries = gold[i + k] - gold[i];
        let predicted_boundaries = predicted[i + k] - predicted[i];
        if (gold_boundaries == 0) != (predicted_boundaries == 0) {
            pk += 1;
        }
        if gold_boundaries != predicted_boundaries {
            window_diff += 1;
        }
    }
    (pk, window_diff, lines - k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            title: None,
        }
    }

    #[test]
    fn perfect_segmentation_scores_one_and_zero() {
        let gold = [span(1, 4), span(6, 9)];
        let score = score_dump("d", 10, &gold, &gold);
        assert_eq!(score.boundary_f1, 1.0);
        assert_eq!(score.pk, 0.0);
        assert_eq!(score.window_diff, 0.0);
        assert_eq!(score.exact_span_accuracy, 1.0);
        assert_eq!(score.title_accuracy, 1.0);
    }

    #[test]
    fn a_missed_boundary_by_hand() {
        // Gold: stories start at lines 1 and 5 of 8 (lengths 4 and 4, so k = 2).
        // Predicted: one story 1-8. Windows (i, i+2) for i = 1..6: the gold boundary at 5 lies inside the
        // windows starting at lines 3 and 4, so 2 of 6 windows disagree.
        let gold = [span(1, 4), span(5, 8)];
        let predicted = [span(1, 8)];
        let score = score_dump("d", 8, &gold, &predicted);
        assert_eq!(score.counts.windows, 6);
        assert_eq!(score.counts.pk_errors, 2);
        assert_eq!(score.counts.window_diff_errors, 2);
        assert_eq!(score.counts.boundary_hits, 1);
        assert_eq!(score.boundary_precision, 1.0);
        assert_eq!(score.boundary_recall, 0.5);
        assert!((score.boundary_f1 - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(score.counts.exact_spans, 0);
    }

    #[test]
    fn window_diff_counts_extra_boundaries_that_pk_misses() {
        // Gold: starts 1 and 7 of 12 (k = 3). Predicted: starts 1, 6 and 7. Windows of lines (i, i + 3):
        // (3, 6) has no gold boundary but a predicted one (both metrics count it); (4, 7) and (5, 8) have one
        // gold boundary and two predicted ones (only WindowDiff counts them); the other six agree.
        let gold = [span(1, 6), span(7, 12)];
        let predicted = [span(1, 5), span(6, 6), span(7, 12)];
        let score = score_dump("d", 12, &gold, &predicted);
        assert_eq!(score.counts.windows, 9);
        assert_eq!(score.counts.pk_errors, 1);
        assert_eq!(score.counts.window_diff_errors, 3);
        assert_eq!(score.counts.exact_spans, 1);
        assert!((score.boundary_precision - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn aggregate_is_micro_averaged() {
        let a = score_dump("a", 8, &[span(1, 4), span(5, 8)], &[span(1, 8)]);
        let b = score_dump("b", 8, &[span(1, 8)], &[span(1, 8)]);
        let total = aggregate(&[a, b]).total;
        assert_eq!(total.counts.gold_articles, 3);
        assert_eq!(total.counts.boundary_hits, 2);
        assert!((total.boundary_recall - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(total.counts.windows, 6 + 4);
        assert!((total.pk - 2.0 / 10.0).abs() < 1e-9);
    }

    #[test]
    fn titles_are_compared_where_the_start_matches() {
        let gold = [Span {
            start: 1,
            end: 3,
            title: Some("Floods  hit north".to_string()),
        }];
        let right = [Span {
            start: 1,
            end: 2,
            title: Some("Floods hit north".to_string()),
        }];
        assert_eq!(score_dump("d", 3, &gold, &right).counts.titles_correct, 1);
        assert_eq!(
            score_dump("d", 3, &gold, &[span(1, 3)])
                .counts
                .titles_correct,
            0
        );
    }
}
