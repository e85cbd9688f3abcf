//! `--fail-under METRIC=VALUE` and `--fail-over METRIC=VALUE`: the scores a run must reach (or, for error rates
//! such as Pk, stay under), so CI can fail when quality drops.

use super::labels::LabelReport;
use super::report::EvalReport;
use super::rouge::RougeScores;
use super::segmentation::DumpScore;
use crate::error::{Error, Result};
use std::str::FromStr;

/// Which side of its limit a metric must stay on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// `--fail-under`: the metric must not be below the limit (scores where higher is better).
    Minimum,
    /// `--fail-over`: the metric must not be above the limit (error rates where lower is better: Pk,
    /// WindowDiff).
    Maximum,
}

impl Bound {
    /// The command-line option that sets this bound.
    pub fn option(self) -> &'static str {
        match self {
            Bound::Minimum => "--fail-under",
            Bound::Maximum => "--fail-over",
        }
    }

    /// Every metric this bound can be put on: higher-is-better metrics take a minimum, lower-is-better ones
    /// a maximum.
    pub fn metric_names(self) -> Vec<String> {
        match self {
            Bound::Minimum => metric_names(),
            Bound::Maximum => LOWER_IS_BETTER_METRICS
                .iter()
                .map(|(name, _)| name.to_string())
                .collect(),
        }
    }

    fn missed(self, actual: f64, limit: f64) -> bool {
        match self {
            Bound::Minimum => actual < limit,
            Bound::Maximum => actual > limit,
        }
    }
}

/// A limit on one metric, parsed from `METRIC=VALUE` (e.g. `label.macro_f1=0.6` for `--fail-under`,
/// `segmentation.pk=0.1` for `--fail-over`).
#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    /// A name from [`Bound::metric_names`] of `bound`.
    pub metric: String,
    /// Whether `limit` is a minimum or a maximum.
    pub bound: Bound,
    /// The lowest (or highest) acceptable value.
    pub limit: f64,
}

/// A threshold the report missed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ThresholdFailure {
    /// The metric name.
    pub metric: String,
    /// Whether the limit was a minimum or a maximum.
    pub bound: Bound,
    /// The limit.
    pub limit: f64,
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

/// A segmentation metric's threshold name and how to read it from the overall scores.
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

/// Segmentation error rates: lower is better, so they take a maximum (`--fail-over`), never a minimum.
const LOWER_IS_BETTER_METRICS: [SegmentationMetric; 2] = [
    ("segmentation.pk", |s| s.pk),
    ("segmentation.window_diff", |s| s.window_diff),
];

/// Every metric `--fail-under` can name (higher is better): `label.accuracy`, `label.lenient_accuracy`,
/// `label.macro_f1`,
/// `label.example_f1`, `label.micro_f1`, `label.multi_macro_f1`; `segmentation.boundary_precision`, `.boundary_recall`, `.boundary_f1`,
/// `.exact_span_accuracy`, `.title_accuracy` (over all dumps); and `<variant>.<part>` for the system summaries
/// with variant `rouge1`, `rouge2`, `rougeL`, `rougeLsum` and part `precision`, `recall`, `f`. `--fail-over`
/// takes `segmentation.pk` and `segmentation.window_diff` ([`Bound::metric_names`]).
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

impl Threshold {
    /// Parses `METRIC=VALUE` as a limit of the given kind; the metric must be one the bound applies to (a
    /// minimum on Pk, or a maximum on an accuracy, is refused with the option to use instead).
    pub fn parse(text: &str, bound: Bound) -> Result<Self> {
        let option = bound.option();
        let (metric, value) = text
            .split_once('=')
            .ok_or_else(|| Error::Config(format!("{option} {text:?}: expected METRIC=VALUE")))?;
        let metric = metric.trim();
        let names = bound.metric_names();
        if !names.iter().any(|name| name == metric) {
            let other = match bound {
                Bound::Minimum => Bound::Maximum,
                Bound::Maximum => Bound::Minimum,
            };
            let hint = if other.metric_names().iter().any(|name| name == metric) {
                format!(
                    "{metric} is a metric where {} is better: use {}",
                    if other == Bound::Maximum {
                        "lower"
                    } else {
                        "higher"
                    },
                    other.option()
                )
            } else {
                format!("unknown metric {metric:?}")
            };
            return Err(Error::Config(format!(
                "{option} {text:?}: {hint}; {option} takes: {}",
                names.join(", ")
            )));
        }
        let limit: f64 = value
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| {
                Error::Config(format!("{option} {text:?}: {value:?} is not a number"))
            })?;
        Ok(Threshold {
            metric: metric.to_string(),
            bound,
            limit,
        })
    }
}

/// Parses a `--fail-under` minimum.
impl FromStr for Threshold {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        Threshold::parse(text, Bound::Minimum)
    }
}

impl EvalReport {
    /// The value of a metric named as in [`metric_names`] or [`Bound::metric_names`]; `None` for an unknown
    /// name, and for a metric no article was scored on: segmentation without gold spans, labels without gold
    /// labels, ROUGE without gold summaries.
    pub fn metric(&self, name: &str) -> Option<f64> {
        if let Some((_, read)) = SEGMENTATION_METRICS
            .iter()
            .chain(&LOWER_IS_BETTER_METRICS)
            .find(|(metric, _)| *metric == name)
        {
            return self.segmentation.as_ref().map(|s| read(&s.overall.total));
        }
        if let Some((_, read)) = LABEL_METRICS
            .iter()
            .find(|(label_metric, _)| *label_metric == name)
        {
            return (self.labels.count > 0).then(|| read(&self.labels));
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
        (self.summaries.count > 0).then_some(value)
    }
}

/// The thresholds the report misses, in the order given (empty when all pass); an error when a threshold
/// names a metric the report could not compute.
pub fn check_thresholds(
    report: &EvalReport,
    thresholds: &[Threshold],
) -> Result<Vec<ThresholdFailure>> {
    let mut failures = Vec::new();
    for threshold in thresholds {
        let actual = report.metric(&threshold.metric).ok_or_else(|| {
            Error::Config(format!(
                "{}: metric {:?} is not in this report (segmentation needs gold spans, label metrics gold \
                 labels, ROUGE gold summaries)",
                threshold.bound.option(),
                threshold.metric
            ))
        })?;
        if threshold.bound.missed(actual, threshold.limit) {
            failures.push(ThresholdFailure {
                metric: threshold.metric.clone(),
                bound: threshold.bound,
                limit: threshold.limit,
                actual,
            });
        }
    }
    Ok(failures)
}
