//! The records written out: one per article, and the run description.

use crate::checkpoint::{Checkpoint, Task};
use crate::pipeline::{Annotated, Labeller, PipelineOptions, Summarizer};
use serde::Serialize;
use std::collections::BTreeMap;

/// One annotated article as written out. Field order is the output order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleRecord {
    /// `<file stem>#<n>` for dumps, the record's id for JSONL input.
    pub id: String,
    /// The input path (`-` for stdin).
    pub source: String,
    /// First line in the dump or of the CSV/TSV row (1-based), `null` for JSONL records.
    pub start_line: Option<usize>,
    /// Last line in the dump or of the CSV/TSV row (1-based, inclusive), `null` for JSONL records.
    pub end_line: Option<usize>,
    /// Headline, or `null`.
    pub title: Option<String>,
    /// Byline, or `null`.
    pub byline: Option<String>,
    /// Dateline opening the text, or `null`.
    pub dateline: Option<String>,
    /// Publication or update date line, or `null`.
    pub published: Option<String>,
    /// Agency tag such as `ILKHA`, or `null`.
    pub source_tag: Option<String>,
    /// The clean article text.
    pub text: String,
    /// The summary.
    pub summary: String,
    /// Pieces the summariser read the article in (more than 1 when it was longer than the model's window).
    pub summary_chunks: usize,
    /// True when text had to be cut to fit the summariser's window.
    pub summary_truncated: bool,
    /// The topic label, or the fallback (`other`).
    pub label: String,
    /// Every label given: `label` first, then the others whose score reaches the label set's
    /// `secondary_min_score`, in score order.
    pub labels: Vec<String>,
    /// Score per label, rounded to 4 decimals ([`super::DECIMALS`]); they sum to 1.
    pub scores: BTreeMap<String, f64>,
    /// Present and `true` when the text was longer than the limit and cut before annotation
    /// (`newsdigest::limits::MAX_ARTICLE_BYTES`); `text` is then the part annotated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl From<Annotated> for ArticleRecord {
    fn from(annotated: Annotated) -> Self {
        let Annotated {
            article,
            summary,
            prediction,
            labels,
        } = annotated;
        ArticleRecord {
            id: article.id,
            source: article.source,
            start_line: article.start_line,
            end_line: article.end_line,
            title: article.title,
            byline: article.metadata.byline,
            dateline: article.metadata.dateline,
            published: article.metadata.published,
            source_tag: article.metadata.source_tag,
            text: article.text,
            summary: summary.text,
            summary_chunks: summary.chunks,
            summary_truncated: summary.truncated,
            label: prediction.label,
            labels,
            scores: prediction
                .scores
                .into_iter()
                .map(|(label, score)| (label, super::round(f64::from(score))))
                .collect(),
            truncated: false,
        }
    }
}

/// A model the run used, identified by its weights' sha256.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelInfo {
    /// What the model does in the pipeline (`embedding`).
    pub role: String,
    /// The model folder.
    pub path: String,
    /// sha256 of the weights file.
    pub sha256: String,
}

/// What produced an output: tool version, models, and the pipeline's options (label set, summariser,
/// classifier, precision).
#[derive(Clone, Debug, Serialize)]
pub struct RunInfo {
    /// newsdigest's version.
    pub version: String,
    /// Models used.
    pub models: Vec<ModelInfo>,
    /// The options the pipeline ran with.
    #[serde(flatten)]
    pub options: PipelineOptions,
    /// The input paths, as given.
    pub inputs: Vec<String>,
}

impl RunInfo {
    /// Describes a run of `options` on `inputs` with an embedding model of the given sha256; the other models
    /// the options name are added by [`RunInfo::with_stage_models`].
    pub fn new(options: &PipelineOptions, model_sha256: &str, inputs: Vec<String>) -> Self {
        RunInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            models: vec![ModelInfo {
                role: "embedding".to_string(),
                path: options.model_dir.display().to_string(),
                sha256: model_sha256.to_string(),
            }],
            options: options.clone(),
            inputs,
        }
    }

    /// Adds the classifier head and the checkpoints the options use to `models`, each identified by the hash
    /// of its content (a checkpoint's as `Checkpoint::content_sha256` computes it, once per run rather than by
    /// every worker that loads it).
    pub fn with_stage_models(mut self) -> crate::Result<Self> {
        let model = |role: &str, path: &std::path::Path, sha256: String| ModelInfo {
            role: role.to_string(),
            path: path.display().to_string(),
            sha256,
        };
        if let Labeller::Head { head, file } = &self.options.labeller {
            self.models
                .push(model("classifier-head", file, head.sha256()?));
        }
        if let Summarizer::Abstractive(options) = &self.options.summarizer {
            let sha256 = Checkpoint::open(&options.model_dir, Task::Summary)?.content_sha256()?;
            self.models
                .push(model("summary", &options.model_dir, sha256));
        }
        if let Labeller::Nli(options) = &self.options.labeller {
            let sha256 = Checkpoint::open(&options.model_dir, Task::Nli)?.content_sha256()?;
            self.models.push(model("nli", &options.model_dir, sha256));
        }
        Ok(self)
    }
}
