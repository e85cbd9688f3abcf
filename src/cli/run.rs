//! `newsdigest run`: the main job.

use super::checkpoints::CheckpointArgs;
use super::common::{ingest, progress_bar, InputArgs};
use super::EXIT_INPUT_WARNINGS;
use anyhow::Context;
use newsdigest::classify::LabelSet;
use newsdigest::output::{ArticleRecord, ArticleWriter, OutputFormat, RunInfo};
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use newsdigest::summarize::ExtractiveOptions;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `newsdigest run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    format: OutputFormat,
    /// Write to this file instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Worker threads, each with its own model (default: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Label set file (.toml or .json) replacing the built-in one.
    #[arg(long)]
    labels: Option<PathBuf>,
    /// Override the label set's minimum top score below which the label is the fallback.
    #[arg(long)]
    min_score: Option<f32>,
    /// Embedding model folder (default: $NEWSDIGEST_MODEL_DIR or the project's models/all-minilm-l6-v2).
    #[arg(long)]
    model_dir: Option<PathBuf>,
    /// Most words in an extractive summary.
    #[arg(long, default_value_t = ExtractiveOptions::default().max_words)]
    summary_words: usize,
    /// Most sentences in an extractive summary.
    #[arg(long, default_value_t = ExtractiveOptions::default().max_sentences)]
    summary_sentences: usize,
    #[command(flatten)]
    checkpoints: Box<CheckpointArgs>,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
}

/// Runs the pipeline and writes the annotated articles.
pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let mut labels = match &args.labels {
        Some(path) => LabelSet::from_file(path)?,
        None => LabelSet::default(),
    };
    if let Some(min_score) = args.min_score {
        labels.min_score = min_score;
    }
    let defaults = PipelineOptions::default();
    let options = PipelineOptions {
        threads: args.threads,
        model_dir: args.model_dir.clone().unwrap_or(defaults.model_dir),
        labels,
        summary: ExtractiveOptions {
            max_words: args.summary_words,
            max_sentences: args.summary_sentences,
            ..ExtractiveOptions::default()
        },
        abstractive: args.checkpoints.abstractive()?,
        nli: args.checkpoints.nli()?,
    };
    let pipeline = Pipeline::new(options).context("loading the pipeline")?;
    let ingested = ingest(&args.input)?;
    let articles = pipeline.articles(ingested.documents)?;
    let bar = progress_bar(articles.len(), args.quiet);
    let annotated = pipeline.annotate(articles, &|n| bar.inc(n as u64))?;
    bar.finish_and_clear();

    let inputs = args
        .input
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let run = RunInfo::new(pipeline.options(), pipeline.model_sha256(), inputs);
    let out: Box<dyn Write> = match &args.output {
        Some(path) => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            Box::new(std::io::BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("creating {}", path.display()))?,
            ))
        }
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut writer = ArticleWriter::begin(out, args.format, &run)?;
    for article in annotated {
        writer.write(&ArticleRecord::from(article))?;
    }
    writer.finish()?;
    Ok(if ingested.warnings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INPUT_WARNINGS)
    })
}
