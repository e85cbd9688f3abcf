//! Evaluation against gold: pairs predicted articles with gold ones ([`align`]), scores segmentation
//! ([`segmentation`]), topic labels ([`labels`]) and summaries with ROUGE beside the Lead-3 baseline
//! ([`rouge`], [`summaries`]), and gathers
//! everything in an [`EvalReport`] that can be rendered ([`render`]) and checked against minimum scores
//! ([`thresholds`]).
//!
//! Summaries are compared one sentence per line (ROUGE-Lsum reads lines as sentences): the caller supplies the
//! [`crate::sentences::SentenceSplitter`] to [`EvalReport::evaluate`], which also gives Lead-3 its sentences.

pub mod align;
pub mod crossval;
pub mod html;
pub mod labels;
pub mod render;
pub mod report;
pub mod rouge;
pub mod segmentation;
pub mod summaries;
pub mod thresholds;

pub use align::{align, read_records, AlignBy, Alignment, GoldArticle, PredictedArticle};
pub use crossval::{cross_validate, stratified_folds, CrossValidation, FoldScores, Scores};
pub use html::HtmlRenderer;
pub use render::{JsonRenderer, MarkdownRenderer, Renderer, ReportFormat, TextRenderer};
pub use report::{
    AlignmentReport, ArticleRef, BoundaryError, ErrorLists, EvalReport, LeftOut, Mislabelled,
    SegmentationReport,
};
pub use thresholds::{check_thresholds, metric_names, Bound, Threshold, ThresholdFailure};

/// `part / whole`, or 0 when `whole` is 0: a rate over nothing counts as 0.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
