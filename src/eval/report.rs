//! The evaluation report: every metric of one run against gold, in one serialisable value that the renderers
//! print and `--fail-under` checks.

use super::align::{align, same_file, AlignBy, GoldArticle, PredictedArticle};
use super::labels::{LabelPair, LabelReport};
use super::segmentation::{aggregate, score_dump, AggregateScore, DumpScore, Span};
use super::summaries::{lead3, one_sentence_per_line, SummaryCase, SummaryReport};
use crate::sentences::SentenceSplitter;
use std::collections::{BTreeMap, HashMap};

/// Everything `newsdigest eval` measures. Field names are stable: they are the JSON keys of `--format json`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EvalReport {
    /// How gold and predicted articles were paired, and what was left unpaired.
    pub alignment: AlignmentReport,
    /// Segmentation metrics per dump and over all dumps; `None` when no gold article has a dump and a span
    /// (gold like `articles.jsonl`).
    pub segmentation: Option<SegmentationReport>,
    /// Topic-label metrics over the aligned articles.
    pub labels: LabelReport,
    /// ROUGE of the system summaries and of Lead-3 over the aligned articles with a reference summary.
    pub summaries: SummaryReport,
    /// Every mislabelled article and every missed or extra boundary, to look at one by one.
    pub errors: ErrorLists,
    /// Gold articles each metric left out because the gold (or its prediction) lacks what the metric needs.
    pub left_out: LeftOut,
}

/// How many gold articles each metric left out, so a partial gold is scored on what it holds without hiding
/// what it lacks. Unmatched gold articles are counted in [`AlignmentReport`] instead, not here.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct LeftOut {
    /// Gold articles without a dump and a line span: not in the segmentation scores (all of them when the
    /// report has no segmentation section).
    pub segmentation: usize,
    /// Aligned articles without a gold `label`, or whose prediction has none: not in the label metrics.
    pub labels: usize,
    /// Aligned articles without a gold `summary`: not in the ROUGE scores.
    pub summaries: usize,
}

/// The errors behind the label and boundary metrics.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ErrorLists {
    /// Aligned articles whose predicted label is not the gold primary label, in the order they were paired.
    pub mislabelled: Vec<Mislabelled>,
    /// Gold article starts no predicted article starts on (boundary recall errors), by dump and line.
    pub missed_boundaries: Vec<BoundaryError>,
    /// Predicted article starts that are no gold article start (boundary precision errors), by dump and line.
    pub extra_boundaries: Vec<BoundaryError>,
}

/// A mislabelled article.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Mislabelled {
    /// The gold article.
    #[serde(flatten)]
    pub article: ArticleRef,
    /// The gold primary label.
    pub gold: String,
    /// The gold secondary labels: predicting one of them counts for lenient accuracy.
    pub also: Vec<String>,
    /// The predicted label.
    pub predicted: String,
    /// The predicted scores per label, when the predictions carry them.
    pub scores: BTreeMap<String, f64>,
}

/// A boundary one side has and the other does not.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct BoundaryError {
    /// The gold dump's file name.
    pub dump: String,
    /// The line the article starts on, 1-based.
    pub line: usize,
    /// The headline of the article starting there (gold for missed, predicted for extra), if any.
    pub title: Option<String>,
}

/// Segmentation scores: every gold dump's spans against the spans predicted for the same file.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SegmentationReport {
    /// `dumps` (how many) and `total` (scores summed over all dumps, micro-averaged).
    #[serde(flatten)]
    pub overall: AggregateScore,
    /// Scores of each dump, in gold order.
    pub per_dump: Vec<DumpScore>,
}

impl SegmentationReport {
    /// Scores each dump named by gold. A dump's line count comes from `line_counts` (keyed by file name);
    /// when it is missing, the last line any gold or predicted span of that dump reaches stands in for it.
    /// `None` when no gold article has a dump and a span.
    pub fn score(
        gold: &[GoldArticle],
        predicted: &[PredictedArticle],
        line_counts: &HashMap<String, usize>,
    ) -> Option<Self> {
        let dumps = gold_dumps(gold);
        if dumps.is_empty() {
            return None;
        }
        let per_dump: Vec<DumpScore> = dumps
            .iter()
            .map(|&dump| {
                let (gold_spans, predicted_spans) = dump_spans(dump, gold, predicted);
                let last_line = gold_spans
                    .iter()
                    .chain(&predicted_spans)
                    .map(|s| s.end)
                    .max();
                let lines = line_counts.get(dump).copied().or(last_line).unwrap_or(0);
                score_dump(dump, lines, &gold_spans, &predicted_spans)
            })
            .collect();
        Some(SegmentationReport {
            overall: aggregate(&per_dump),
            per_dump,
        })
    }
}

/// The dumps gold locates articles in (with a dump and a span), in gold order.
fn gold_dumps(gold: &[GoldArticle]) -> Vec<&str> {
    let mut dumps: Vec<&str> = Vec::new();
    for article in gold {
        let located = located_span(article.start_line, article.end_line, None).is_some();
        if let Some(name) = article
            .dump
            .as_deref()
            .filter(|name| located && !dumps.contains(name))
        {
            dumps.push(name);
        }
    }
    dumps
}

/// The gold and the predicted spans of one dump.
fn dump_spans(
    dump: &str,
    gold: &[GoldArticle],
    predicted: &[PredictedArticle],
) -> (Vec<Span>, Vec<Span>) {
    let gold_spans = gold
        .iter()
        .filter(|g| g.dump.as_deref() == Some(dump))
        .filter_map(|g| located_span(g.start_line, g.end_line, g.title.as_deref()))
        .collect();
    let predicted_spans = predicted
        .iter()
        .filter(|p| {
            p.source
                .as_deref()
                .is_some_and(|source| same_file(source, dump))
        })
        .filter_map(|p| located_span(p.start_line, p.end_line, p.title.as_deref()))
        .collect();
    (gold_spans, predicted_spans)
}

/// Gold starts no prediction starts on (missed) and predicted starts on no gold start (extra), dump by dump:
/// the errors behind boundary recall and precision.
fn boundary_errors(
    gold: &[GoldArticle],
    predicted: &[PredictedArticle],
) -> (Vec<BoundaryError>, Vec<BoundaryError>) {
    let (mut missed, mut extra) = (Vec::new(), Vec::new());
    for dump in gold_dumps(gold) {
        let (gold_spans, predicted_spans) = dump_spans(dump, gold, predicted);
        let unmatched = |spans: &[Span], other: &[Span]| -> Vec<BoundaryError> {
            let mut errors: Vec<BoundaryError> = spans
                .iter()
                .filter(|s| !other.iter().any(|o| o.start == s.start))
                .map(|s| BoundaryError {
                    dump: dump.to_string(),
                    line: s.start,
                    title: s.title.clone(),
                })
                .collect();
            errors.sort_by_key(|e| e.line);
            errors.dedup_by_key(|e| e.line);
            errors
        };
        missed.extend(unmatched(&gold_spans, &predicted_spans));
        extra.extend(unmatched(&predicted_spans, &gold_spans));
    }
    (missed, extra)
}

/// A span from optional line numbers, when both are present.
fn located_span(start: Option<usize>, end: Option<usize>, title: Option<&str>) -> Option<Span> {
    Some(Span {
        start: start?,
        end: end?,
        title: title.map(str::to_string),
    })
}

/// Counts of the alignment and the articles it could not pair.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AlignmentReport {
    /// `id` or `span`: the rule that paired the articles.
    pub by: AlignBy,
    /// Gold articles read.
    pub gold: usize,
    /// Predicted articles read.
    pub predicted: usize,
    /// Pairs formed; every other metric is computed over these.
    pub matched: usize,
    /// Gold articles no prediction was paired with (missed articles), in input order.
    pub unmatched_gold: Vec<ArticleRef>,
    /// Predicted articles paired with no gold article (spurious articles), in input order.
    pub unmatched_predicted: Vec<ArticleRef>,
}

/// Enough about an article to find it again: id, file and line span, headline.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ArticleRef {
    /// The article id.
    pub id: String,
    /// Gold `dump` or predicted `source`.
    pub file: Option<String>,
    /// First line, 1-based.
    pub start_line: Option<usize>,
    /// Last line, 1-based and inclusive.
    pub end_line: Option<usize>,
    /// Headline, if any.
    pub title: Option<String>,
}

impl EvalReport {
    /// Aligns predictions with gold and computes every metric: segmentation over all spans of each gold dump
    /// (see [`SegmentationReport::score`], which `line_counts` is for), labels and summaries over the aligned
    /// pairs. `splitter` puts reference and system summaries one sentence per line for ROUGE-Lsum and gives
    /// Lead-3 its sentences (from the gold article text when the gold has one, else the predicted text).
    pub fn evaluate(
        gold: &[GoldArticle],
        predicted: &[PredictedArticle],
        splitter: &dyn SentenceSplitter,
        line_counts: &HashMap<String, usize>,
    ) -> Self {
        let alignment = align(gold, predicted);
        let pairs: Vec<(&GoldArticle, &PredictedArticle)> = alignment
            .pairs
            .iter()
            .map(|pair| (&gold[pair.gold], &predicted[pair.predicted]))
            .collect();
        let label_pairs: Vec<LabelPair> = pairs
            .iter()
            .filter_map(|(g, p)| {
                Some(LabelPair {
                    gold: g.label.clone()?,
                    also: g.also.clone(),
                    predicted: p.label.clone()?,
                    predicted_all: p.labels.clone(),
                })
            })
            .collect();
        let summary_cases: Vec<SummaryCase> = pairs
            .iter()
            .filter_map(|(g, p)| {
                let reference = g.summary.as_deref()?;
                let lines = |text: Option<&str>| {
                    text.map(|t| one_sentence_per_line(&splitter.split(t)))
                        .unwrap_or_default()
                };
                let article_text = g.text.as_deref().or(p.text.as_deref()).unwrap_or("");
                Some(SummaryCase {
                    reference: lines(Some(reference)),
                    system: lines(p.summary.as_deref()),
                    lead3: lead3(&splitter.split(article_text)),
                })
            })
            .collect();
        let segmentation = SegmentationReport::score(gold, predicted, line_counts);
        let left_out = LeftOut {
            segmentation: gold
                .iter()
                .filter(|g| {
                    g.dump.is_none() || located_span(g.start_line, g.end_line, None).is_none()
                })
                .count(),
            labels: pairs.len() - label_pairs.len(),
            summaries: pairs.len() - summary_cases.len(),
        };
        let mislabelled = pairs
            .iter()
            .filter_map(|(g, p)| {
                let (gold_label, predicted_label) = (g.label.as_ref()?, p.label.as_ref()?);
                (gold_label != predicted_label).then(|| Mislabelled {
                    article: ArticleRef::from_gold(g),
                    gold: gold_label.clone(),
                    also: g.also.clone(),
                    predicted: predicted_label.clone(),
                    scores: p.scores.clone(),
                })
            })
            .collect();
        let (missed_boundaries, extra_boundaries) = boundary_errors(gold, predicted);
        EvalReport {
            alignment: AlignmentReport {
                by: alignment.by,
                gold: gold.len(),
                predicted: predicted.len(),
                matched: alignment.pairs.len(),
                unmatched_gold: alignment
                    .unmatched_gold
                    .iter()
                    .map(|&i| ArticleRef::from_gold(&gold[i]))
                    .collect(),
                unmatched_predicted: alignment
                    .unmatched_predicted
                    .iter()
                    .map(|&i| ArticleRef::from_predicted(&predicted[i]))
                    .collect(),
            },
            segmentation,
            labels: LabelReport::from_pairs(&label_pairs),
            summaries: SummaryReport::from_cases(&summary_cases),
            errors: ErrorLists {
                mislabelled,
                missed_boundaries,
                extra_boundaries,
            },
            left_out,
        }
    }
}

impl ArticleRef {
    fn from_gold(article: &GoldArticle) -> Self {
        ArticleRef {
            id: article.id.clone(),
            file: article.dump.clone(),
            start_line: article.start_line,
            end_line: article.end_line,
            title: article.title.clone(),
        }
    }

    fn from_predicted(article: &PredictedArticle) -> Self {
        ArticleRef {
            id: article.id.clone(),
            file: article.source.clone(),
            start_line: article.start_line,
            end_line: article.end_line,
            title: article.title.clone(),
        }
    }
}
