//! `newsdigest segment`: the articles segmentation finds, as JSONL.

use super::common::{ingest, InputArgs};
use super::EXIT_INPUT_WARNINGS;
use anyhow::Context;
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `newsdigest segment`.
#[derive(Debug, clap::Args)]
pub struct SegmentArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Embedding model folder, used to find topic shifts.
    #[arg(long)]
    model_dir: Option<PathBuf>,
}

/// One segment as printed.
#[derive(Serialize)]
struct SegmentRecord<'a> {
    id: &'a str,
    source: &'a str,
    start_line: Option<usize>,
    end_line: Option<usize>,
    title: Option<&'a str>,
    first_words: String,
}

/// Prints each article's id, source, span, title and first words.
pub fn run(args: SegmentArgs) -> anyhow::Result<ExitCode> {
    let defaults = PipelineOptions::default();
    let pipeline = Pipeline::new(PipelineOptions {
        model_dir: args.model_dir.clone().unwrap_or(defaults.model_dir),
        ..defaults
    })
    .context("loading the embedding model")?;
    let ingested = ingest(&args.input)?;
    let articles = pipeline.articles(ingested.documents)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for article in &articles {
        let record = SegmentRecord {
            id: &article.id,
            source: &article.source,
            start_line: article.start_line,
            end_line: article.end_line,
            title: article.title.as_deref(),
            first_words: article
                .text
                .split_whitespace()
                .take(12)
                .collect::<Vec<_>>()
                .join(" "),
        };
        serde_json::to_writer(&mut out, &record)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(if ingested.warnings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INPUT_WARNINGS)
    })
}
