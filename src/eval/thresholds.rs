//! `--fail-under METRIC=VALUE`: minimum scores a run must reach, so CI can fail when quality drops.

use super::labels::LabelReport;
use super::report::EvalReport;
use super::rouge::RougeScores;
use super::segmentation::DumpScore;
use crate::error::{Error, Result};
use std::str::FromStr;

/// A minimum score for one metric, parsed from `METRIC=VALUE` (e.g. `label.macro_f1=0.6`).
#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    /// A name from [`metric_names`].
    pub metric: String,
    /// The lowest acceptable value; the check fails when the metric is below it.
    pub minimum: f64,
}

/// A threshold the report did not reach.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ThresholdFailure {
    /// The metric name.
    pub metric: String,
    /// The required minimum.
    pub minimum: f64,
    /// The report's value.
    pub actual: f64,
}

/// A label metric's threshold name and how to read it from the label report.
type LabelMetric = (&'static str, fn(&LabelReport) -> f64);

const LABEL_METRICS: [LabelMetric; 6] = [
    ("label.accuracy", |labels| labels.accuracy),
    ("label.lenient_accuracy", |labels| labels.lenient_accuracy),
    ("label.macro_f1", |labels| labels.macro_f1),
    // Label-set metrics read 0 when gold has no article with several labels.
    ("label.example_f1", |labels| {
        labels.multi_label.as_ref().map_or(0.0, |m| m.example_f1)
    }),
    ("label.micro_f1", |labels| {
        labels.multi_label.as_ref().map_or(0.0, |m| m.micro_f1)
    }),
    ("label.multi_macro_f1", |labels| {
        labels.multi_label.as_ref().map_or(0.0, |m| m.macro_f1)
    }),
];

/// A segmentation metric's threshold name and how to read it from the overall scores. Pk and WindowDiff are
/// left out: lower is better for them, so a minimum makes no sense.
type SegmentationMetric = (&'static str, fn(&DumpScore) -> f64);

const SEGMENTATION_METRICS: [SegmentationMetric; 5] = [
    ("segmentation.boundary_precision", |s| s.boundary_precision),
    ("segmentation.boundary_recall", |s| s.boundary_recall),
    ("segmentation.boundary_f1", |s| s.boundary_f1),
    ("segmentation.exact_span_accuracy", |s| {
        s.exact_span_accuracy
    }),
    ("segmentation.title_accuracy", |s| s.title_accuracy),
];

/// Every metric a threshold can name: `label.accuracy`, `label.lenient_accuracy`, `label.macro_f1`,
/// `label.example_f1`, `label.micro_f1`, `label.multi_macro_f1`;
/// `segmentation.boundary_precision`, `.boundary_recall`, `.boundary_f1`, `.exact_span_accuracy`,
/// `.title_accuracy` (over all dumps); and `<variant>.<part>` for the system summaries with variant `rouge1`,
/// `rouge2`, `rougeL`, `rougeLsum` and part `precision`, `recall`, `f`.
pub fn metric_names() -> Vec<String> {
    let rouge = RougeScores::default();
    LABEL_METRICS
        .iter()
        .map(|(name, _)| name.to_string())
        .chain(
            SEGMENTATION_METRICS
                .iter()
                .map(|(name, _)| name.to_string()),
        )
        .chain(rouge.named_variants().iter().flat_map(|(variant, score)| {
            score
                .named_parts()
                .map(|(part, _)| format!("{variant}.{part}"))
        }))
        .collect()
}

impl FromStr for Threshold {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        let (metric, value) = text.split_once('=').ok_or_else(|| {
            Error::Config(format!("--fail-under {text:?}: expected METRIC=VALUE"))
        })?;
        let metric = metric.trim();
        if !metric_names().iter().any(|name| name == metric) {
            return Err(Error::Config(format!(
                "--fail-under {text:?}: unknown metric {metric:?}; known: {}",
                metric_names().join(", ")
            )));
        }
        let minimum: f64 = value
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| {
                Error::Config(format!("--fail-under {text:?}: {value:?} is not a number"))
            })?;
        Ok(Threshold {
            metric: metric.to_string(),
            minimum,
        })
    }
}

impl EvalReport {
    /// The value of a metric named as in [`metric_names`]; `None` for an unknown name, or a segmentation
    /// metric when the report has no segmentation section.
    pub fn metric(&self, name: &str) -> Option<f64> {
        if let Some((_, read)) = SEGMENTATION_METRICS
            .iter()
            .find(|(metric, _)| *metric == name)
        {
            return self.segmentation.as_ref().map(|s| read(&s.overall.total));
        }
        if let Some((_, read)) = LABEL_METRICS
            .iter()
            .find(|(label_metric, _)| *label_metric == name)
        {
            return Some(read(&self.labels));
        }
        let (variant, part) = name.split_once('.')?;
        let (_, score) = self
            .summaries
            .system
            .named_variants()
            .into_iter()
            .find(|(name, _)| *name == variant)?;
        let (_, value) = score
            .named_parts()
            .into_iter()
            .find(|(name, _)| *name == part)?;
        Some(value)
    }
}

/// The thresholds the report falls below, in the order given (empty when all pass); an error when a threshold
/// names a metric the report does not have.
pub fn check_thresholds(
    report: &EvalReport,
    thresholds: &[Threshold],
) -> Result<Vec<ThresholdFailure>> {
    let mut failures = Vec::new();
    for threshold in thresholds {
        let actual = report.metric(&threshold.metric).ok_or_else(|| {
            Error::Config(format!(
                "--fail-under: metric {:?} is not in this report (segmentation needs gold spans)",
                threshold.metric
            ))
        })?;
        if actual < threshold.minimum {
            failures.push(ThresholdFailure {
                metric: threshold.metric.clone(),
                minimum: threshold.minimum,
                actual,
            });
        }
    }
    Ok(failures)
}
