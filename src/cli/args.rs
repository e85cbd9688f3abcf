//! Argument groups shared by the subcommands, so an option means the same thing, with the same default and the
//! same help, wherever it appears. Each group prints under its own heading in `--help`.

use super::checkpoints::CheckpointArgs;
use anyhow::Context;
use newsdigest::classify::{Head, LabelSet};
use newsdigest::embed::{native_bf16, Precision};
use newsdigest::ingest::{CsvColumns, InputFormat, InputStream};
use newsdigest::limits::cap_threads;
use newsdigest::pipeline::{Labeller, PipelineOptions};
use newsdigest::summarize::ExtractiveOptions;
use newsdigest::terminal::escape_controls;
use std::path::PathBuf;

/// Where the input comes from and how to read it.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Dumps (.txt), JSONL files (.jsonl), CSV/TSV exports (.csv, .tsv), directories of them, or `-` for
    /// stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// How to read the inputs: auto goes by file extension (.jsonl is JSONL, .csv CSV, .tsv TSV, anything else
    /// a dump; stdin by its first line); dump, jsonl; csv, tsv: a header row, then one article per row (the
    /// CSV delimiter, comma, semicolon or tab, taken from the header); article: every file (and stdin) is one
    /// article, not segmented (its first line the headline when it looks like one).
    #[arg(long, value_enum, default_value_t = InputFormat::Auto, hide_possible_values = true)]
    pub input_format: InputFormat,
    /// The CSV/TSV column holding the articles' text [default: the first of text, body, content, article,
    /// story and other common names, in any case].
    #[arg(long, value_name = "NAME")]
    pub text_column: Option<String>,
    /// The CSV/TSV column holding the headlines [default: title, headline, heading, subject].
    #[arg(long, value_name = "NAME")]
    pub title_column: Option<String>,
    /// The CSV/TSV column holding the articles' ids [default: id, guid, uuid, url, link; else
    /// <file stem>:<line>].
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,
}

impl InputArgs {
    /// The inputs as a stream, dumps in windows of the usual size, CSV/TSV columns as named.
    pub fn stream(&self) -> newsdigest::error::Result<InputStream> {
        let columns = CsvColumns {
            text: self.text_column.clone(),
            title: self.title_column.clone(),
            id: self.id_column.clone(),
        };
        Ok(InputStream::new(
            &self.inputs,
            self.input_format,
            Some(newsdigest::limits::DUMP_WINDOW_BYTES),
        )?
        .with_csv_columns(columns))
    }
}

/// Where the output goes, and how much is said on stderr while it is made.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// No progress display and no summary line on stderr (warnings and errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
}

/// The embedding model and how fast it runs.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Model and speed")]
pub struct ModelArgs {
    /// Embedding model folder [default: $NEWSDIGEST_MODEL_DIR, else models/all-minilm-l6-v2].
    #[arg(long, value_name = "DIR")]
    pub model_dir: Option<PathBuf>,
    /// Precision of the embedding model: bf16 is over twice as fast on CPUs with AVX512-BF16/AMX but may flip
    /// borderline labels; bf16-checked re-embeds those in fp32 [default: bf16-checked on CPUs with native
    /// bf16, fp32 elsewhere; pass fp32 for the same scores on every machine].
    #[arg(long, value_enum, hide_possible_values = true)]
    pub precision: Option<Precision>,
    /// Worker threads, each with its own model [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Torch threads shared by the workers. With more than 1 the scores may differ in the last digits between
    /// runs with different thread counts; `--threads 1 --torch-threads 2` uses two cores with one model in
    /// memory.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub torch_threads: usize,
}

impl ModelArgs {
    /// These options over `defaults`; warns when bf16 was asked for on a CPU that only emulates it.
    pub fn apply(&self, defaults: PipelineOptions) -> PipelineOptions {
        let precision = self.precision.unwrap_or(defaults.precision);
        if precision != Precision::Fp32 && !native_bf16() {
            eprintln!(
                "newsdigest: warning: this CPU has no native bf16; bf16 precision will be slower than fp32"
            );
        }
        let (threads, warning) = cap_threads(self.threads.unwrap_or(defaults.threads));
        if let Some(warning) = warning {
            eprintln!("newsdigest: warning: {warning}");
        }
        PipelineOptions {
            threads,
            torch_threads: self.torch_threads,
            model_dir: self.model_dir.clone().unwrap_or(defaults.model_dir.clone()),
            precision,
            ..defaults
        }
    }
}

/// The label set of the zero-shot classifier.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Labels")]
pub struct LabelSetArgs {
    /// Label set file (.toml or .json) replacing the built-in one.
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,
    /// The label set's minimum top score, below which an article gets the fallback label [default: the label
    /// set's].
    #[arg(long, value_name = "SCORE")]
    pub min_score: Option<f32>,
}

impl LabelSetArgs {
    /// The chosen label set with `--min-score` applied.
    pub fn label_set(&self) -> anyhow::Result<LabelSet> {
        let mut labels = match &self.labels {
            Some(path) => {
                let (labels, warnings) = LabelSet::from_file_with_warnings(path)?;
                for warning in warnings {
                    eprintln!("newsdigest: warning: {}", escape_controls(&warning));
                }
                labels
            }
            None => LabelSet::default(),
        };
        if let Some(min_score) = self.min_score {
            labels = labels.with_min_score(min_score)?;
        }
        Ok(labels)
    }
}

/// How articles are labelled: a label set, or a trained head.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Labels")]
pub struct LabelArgs {
    #[command(flatten)]
    pub set: LabelSetArgs,
    /// Classifier head from `newsdigest fit`: labels articles instead of the label set (the head carries the
    /// label set it was trained over).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["labels", "min_score", "nli_model"])]
    pub head: Option<PathBuf>,
}

/// The extractive summariser's length limits.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Summaries")]
pub struct SummaryArgs {
    /// Most words in an extractive summary.
    #[arg(long, value_name = "N", default_value_t = ExtractiveOptions::default().max_words)]
    pub summary_words: usize,
    /// Most sentences in an extractive summary.
    #[arg(long, value_name = "N", default_value_t = ExtractiveOptions::default().max_sentences)]
    pub summary_sentences: usize,
}

/// Everything that decides what the pipeline produces: `run` and `eval` (when it runs the pipeline) take the
/// same options and build the pipeline the same way.
#[derive(Debug, clap::Args)]
pub struct PipelineArgs {
    #[command(flatten)]
    pub labels: LabelArgs,
    #[command(flatten)]
    pub summary: SummaryArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub checkpoints: Box<CheckpointArgs>,
}

impl PipelineArgs {
    /// The pipeline options these arguments ask for; loads the label set and the head.
    pub fn options(&self) -> anyhow::Result<PipelineOptions> {
        let mut labels = self.labels.set.label_set()?;
        let labeller = match (&self.labels.head, self.checkpoints.nli()?) {
            (Some(file), _) => {
                let head = Head::from_file(file).context("reading the classifier head")?;
                // The run records the label set the head was trained over.
                if let Some(base) = &head.base {
                    labels = base.clone();
                }
                Labeller::Head {
                    head: Box::new(head),
                    file: file.clone(),
                }
            }
            (None, Some(nli)) => Labeller::Nli(nli),
            (None, None) => Labeller::ZeroShot,
        };
        let defaults = self.model.apply(PipelineOptions::default());
        Ok(PipelineOptions {
            labels,
            summarizer: self.checkpoints.summarizer(ExtractiveOptions {
                max_words: self.summary.summary_words,
                max_sentences: self.summary.summary_sentences,
            })?,
            labeller,
            ..defaults
        })
    }
}
