//! `newsdigest eval`: scores predictions (a run's output, or a run made on the spot) against gold.

use super::common::{ingest, InputArgs};
use anyhow::{bail, Context};
use newsdigest::eval::{
    check_thresholds, read_records, EvalReport, GoldArticle, PredictedArticle, ReportFormat,
    Threshold,
};
use newsdigest::ingest::Document;
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use newsdigest::sentences::RuleSplitter;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code when the report is below a `--fail-under` minimum.
pub const EXIT_BELOW_THRESHOLD: u8 = 2;

/// Arguments of `newsdigest eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Gold JSONL: dump spans as in gold.jsonl (`dump`, `start_line`, `end_line`, `label`, `also`, `summary`,
    /// `title`), or articles by id as in articles.jsonl.
    #[arg(long)]
    gold: PathBuf,
    /// newsdigest's output (JSON or JSONL) to score. Without it, the INPUTs are run through the pipeline.
    #[arg(long, conflicts_with = "inputs")]
    pred: Option<PathBuf>,
    /// Inputs to run and score in one go (as for `newsdigest run`).
    inputs: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Write the report to this file instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Fail (exit 2) when a metric is below a minimum, e.g. `label.macro_f1=0.8`; repeatable.
    #[arg(long, value_name = "METRIC=VALUE")]
    fail_under: Vec<Threshold>,
    /// Worker threads for a run made on the spot.
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

/// Builds the report, writes it, and checks the thresholds.
pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let gold: Vec<GoldArticle> = read_records(&args.gold)?;
    if gold.is_empty() {
        bail!("{}: no gold articles", args.gold.display());
    }
    // Only the files given are read: the `source` paths a prediction names are never opened (they may be
    // anything, `/dev/zero` included), so a dump's line count is taken from the spans.
    let (predicted, line_counts) = match &args.pred {
        Some(path) => (read_records(path)?, HashMap::new()),
        None if args.inputs.is_empty() => bail!("give --pred PRED or the INPUTs to run"),
        None => run_pipeline(&args)?,
    };
    let report = EvalReport::evaluate(&gold, &predicted, &RuleSplitter::default(), &line_counts);
    if report.alignment.matched == 0 {
        bail!(
            "nothing matched: none of the {} gold article(s) in {} matches any of the {} predicted (by id, or by \
             dump file name and line span)",
            gold.len(),
            args.gold.display(),
            predicted.len()
        );
    }
    let rendered = args.format.renderer().render(&report)?;
    match &args.output {
        Some(path) => std::fs::write(path, &rendered)
            .with_context(|| format!("writing {}", path.display()))?,
        None => print!("{rendered}"),
    }
    let failures = check_thresholds(&report, &args.fail_under)?;
    for failure in &failures {
        eprintln!(
            "newsdigest: {} = {:.4} is below the minimum {}",
            failure.metric, failure.actual, failure.minimum
        );
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_BELOW_THRESHOLD)
    })
}

/// Runs the pipeline on the inputs; returns its articles as predictions and each dump's line count.
fn run_pipeline(
    args: &EvalArgs,
) -> anyhow::Result<(Vec<PredictedArticle>, HashMap<String, usize>)> {
    let (threads, warning) = newsdigest::limits::cap_threads(args.threads);
    if let Some(warning) = warning {
        eprintln!("newsdigest: warning: {warning}");
    }
    let pipeline = Pipeline::new(PipelineOptions {
        threads,
        ..PipelineOptions::default()
    })
    .context("loading the pipeline")?;
    let ingested = ingest(&InputArgs {
        inputs: args.inputs.clone(),
        input_format: Default::default(),
    })?;
    let mut line_counts = HashMap::new();
    for document in &ingested.documents {
        if let Document::Dump(dump) = document {
            line_counts.insert(file_name(&dump.source), dump.lines.len());
        }
    }
    let articles = pipeline.articles(ingested.documents)?;
    let predicted = pipeline
        .annotate(articles, &|_| {})?
        .into_iter()
        .map(|annotated| PredictedArticle {
            id: annotated.article.id,
            source: Some(annotated.article.source),
            start_line: annotated.article.start_line,
            end_line: annotated.article.end_line,
            title: annotated.article.title,
            text: Some(annotated.article.text),
            summary: Some(annotated.summary.text),
            label: annotated.prediction.label,
        })
        .collect();
    Ok((predicted, line_counts))
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}
