//! `newsdigest eval`: scores predictions (a run's output, or a run made on the spot) against gold.

use super::args::{InputArgs, OutputArgs, PipelineArgs};
use super::common::{input_bytes, report_warning_count};
use super::progress::{Progress, Unit};
use super::run::stream_with_progress;
use super::EXIT_BELOW_THRESHOLD;
use anyhow::{bail, Context};
use newsdigest::eval::{
    check_thresholds, read_records, Bound, EvalReport, GoldArticle, PredictedArticle, ReportFormat,
    Threshold,
};
use newsdigest::gold::read_gold;
use newsdigest::ingest::decode_lines;
use newsdigest::output::ArticleRecord;
use newsdigest::pipeline::Pipeline;
use newsdigest::sentences::RuleSplitter;
use newsdigest::stream::StreamOptions;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Examples printed after `newsdigest eval --help`.
pub const EXAMPLES: &str = "\
Examples:
  newsdigest eval --gold gold.jsonl --pred annotated.json
      Score a run's output: segmentation, labels, summaries beside Lead-3, and every error.
  newsdigest eval --gold gold.jsonl dumps/ --head head.json
      Run the pipeline on dumps/ with a trained head and score it in one go.
  newsdigest eval --gold gold.jsonl --pred out.json --format html -o report.html
      One self-contained HTML page with charts, to open in a browser.
  newsdigest eval --gold gold.jsonl --pred out.json --fail-under label.macro_f1=0.8
      Exit with status 2 when macro-F1 is below 0.8 (for CI).";

/// Arguments of `newsdigest eval`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("inputs", |arg| arg.required(false)))]
pub struct EvalArgs {
    /// Gold JSONL: dump spans as in gold.jsonl (`dump`, `start_line`, `end_line`, `label`, `also`, `summary`,
    /// `title`), or articles by id as in articles.jsonl. Only `id` is required: each metric scores the records
    /// that have what it needs and counts the others as left out.
    #[arg(long, value_name = "FILE", help_heading = "Input")]
    gold: PathBuf,
    /// newsdigest's output (JSON or JSONL) to score. Without it, the INPUTs are run through the pipeline with
    /// the options below, as `newsdigest run` would.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "inputs",
        help_heading = "Input"
    )]
    pred: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table, help_heading = "Output")]
    format: ReportFormat,
    /// Fail (exit 2) when a metric is below a minimum, e.g. `label.macro_f1=0.8`; repeatable.
    #[arg(long, value_name = "METRIC=VALUE", help_heading = "Output")]
    fail_under: Vec<Threshold>,
    /// Fail (exit 2) when a lower-is-better metric is above a maximum, e.g. `segmentation.pk=0.1`
    /// (`segmentation.pk`, `segmentation.window_diff`); repeatable.
    #[arg(long, value_name = "METRIC=VALUE", value_parser = parse_maximum, help_heading = "Output")]
    fail_over: Vec<Threshold>,
    #[command(flatten)]
    pipeline: PipelineArgs,
}

/// Builds the report, writes it, and checks the thresholds.
pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let gold: Vec<GoldArticle> = read_gold(&args.gold)?;
    if gold.is_empty() {
        bail!("{}: no gold articles", args.gold.display());
    }
    // Only the files given are read: the `source` paths a prediction file names are never opened (they may be
    // anything, `/dev/zero` included), so with --pred a dump's line count is taken from the spans.
    let (predicted, line_counts) = match &args.pred {
        Some(path) => (read_records(path)?, HashMap::new()),
        None if args.input.inputs.is_empty() => bail!("give --pred PRED or the INPUTs to run"),
        None => {
            let predicted = run_pipeline(&args)?;
            // These sources are the dump files just read from the INPUTs.
            let line_counts = line_counts_of_sources(&predicted);
            (predicted, line_counts)
        }
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
    match &args.output.output {
        Some(path) => std::fs::write(path, &rendered)
            .with_context(|| format!("writing {}", path.display()))?,
        None => print!("{rendered}"),
    }
    let thresholds: Vec<Threshold> = args
        .fail_under
        .iter()
        .chain(&args.fail_over)
        .cloned()
        .collect();
    let failures = check_thresholds(&report, &thresholds)?;
    for failure in &failures {
        let missed = match failure.bound {
            Bound::Minimum => "below the minimum",
            Bound::Maximum => "above the maximum",
        };
        eprintln!(
            "newsdigest: {} = {:.4} is {missed} {}",
            failure.metric, failure.actual, failure.limit
        );
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_BELOW_THRESHOLD)
    })
}

/// Parses a `--fail-over` maximum.
fn parse_maximum(text: &str) -> Result<Threshold, newsdigest::error::Error> {
    Threshold::parse(text, Bound::Maximum)
}

/// Runs the pipeline on the inputs as `newsdigest run` would (streamed, with a progress display); returns its
/// articles as predictions.
fn run_pipeline(args: &EvalArgs) -> anyhow::Result<Vec<PredictedArticle>> {
    let progress = Progress::stderr(args.output.quiet);
    progress.start("loading the model", Unit::Bytes, None);
    let pipeline = Pipeline::new(args.pipeline.options()?).context("loading the pipeline")?;
    let mut predicted = Vec::new();
    let stream = args.input.stream().context("reading inputs")?;
    let (report, _) = stream_with_progress(
        &pipeline,
        stream,
        input_bytes(&args.input.inputs),
        StreamOptions::default(),
        None,
        &progress,
        |finished| {
            let record = ArticleRecord::from(finished.annotated);
            predicted.push(PredictedArticle {
                id: record.id,
                source: Some(record.source),
                start_line: record.start_line,
                end_line: record.end_line,
                title: record.title,
                text: Some(record.text),
                summary: Some(record.summary),
                label: Some(record.label),
                labels: record.labels,
                scores: record.scores,
            });
            Ok(())
        },
    )?;
    progress.finish();
    report_warning_count(report.warnings);
    Ok(predicted)
}

/// Line counts of the dumps the pipeline just read from the INPUTs, by file name.
fn line_counts_of_sources(predicted: &[PredictedArticle]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for source in predicted.iter().filter_map(|p| p.source.as_deref()) {
        let name = file_name(source);
        if counts.contains_key(&name) {
            continue;
        }
        if let Ok(bytes) = std::fs::read(source) {
            counts.insert(name, decode_lines(source, &bytes).0.len());
        }
    }
    counts
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}
