//! `newsdigest calibrate`: fits the priors of labels given by name only to a corpus and writes the label set
//! with them, for `run --labels`.

use super::args::{InputArgs, LabelSetArgs, ModelArgs, OutputArgs};
use super::common::{input_bytes, next_document, report_warning_count, OutputFile};
use super::progress::{duration_text, Progress, Unit};
use super::EXIT_INPUT_WARNINGS;
use anyhow::Context;
use newsdigest::article::Article;
use newsdigest::classify::Calibrator;
use newsdigest::output::to_rounded_value;
use newsdigest::pipeline::{Labeller, Pipeline, PipelineOptions};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use xxhash_rust::xxh3::xxh3_64;

/// Examples printed after `newsdigest calibrate --help`.
pub const EXAMPLES: &str = "\
Examples:
  newsdigest calibrate reports/ --labels themes.toml -o themes-calibrated.toml
      Fit the offsets of the labels given by name only to the articles under reports/.
  newsdigest run reports/ --labels themes-calibrated.toml -o out.json
      Label with them (the same labels with --shard or --resume).";

/// Arguments of `newsdigest calibrate`.
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Calibrate on a sample of N articles: those whose text hashes lowest, so the sample is spread over the
    /// whole input whatever its order (a file sorted by topic is sampled evenly) and is the same in any order.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SAMPLE, help_heading = "Input")]
    sample: usize,
    // -o: the calibrated label set (TOML).
    #[command(flatten)]
    output: OutputArgs,
    // The label set to calibrate (--labels); --min-score is carried into the file.
    #[command(flatten)]
    labels: LabelSetArgs,
    #[command(flatten)]
    model: ModelArgs,
}

/// Articles a calibration embeds by default: a few hundred, spread over the corpus, already carry its label
/// priors (ReliefWeb, 19 themes: offsets from 60 reports improve the labels of 60 others in 85% of random
/// draws, docs/benchmarks.md), and a bound keeps a calibration on a large corpus to minutes.
const DEFAULT_SAMPLE: usize = 2_000;

/// Reads the inputs, keeps the sample, measures the labels' similarities on it and writes the calibrated label
/// set.
pub fn run(args: CalibrateArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    anyhow::ensure!(args.sample > 0, "--sample must be at least 1");
    let labels = args.labels.label_set()?;
    let mut input = args.input.stream().context("reading inputs")?;
    let progress = Progress::stderr(args.output.quiet);
    progress.start("loading the model", Unit::Bytes, None);
    let pipeline = Pipeline::new(PipelineOptions {
        labels,
        ..args.model.apply(PipelineOptions::default())
    })
    .context("loading the embedding model")?;
    let mut calibrator =
        pipeline.with_embedder(|embedder| Calibrator::new(&pipeline.options().labels, embedder))?;
    progress.start("reading", Unit::Bytes, input_bytes(&args.input.inputs));
    let mut warnings = 0;
    // The sample so far, by (hash of the text, position in the input): the first `sample` keys are kept.
    let mut sample: BTreeMap<(u64, usize), Article> = BTreeMap::new();
    let mut position = 0;
    while let Some(document) = next_document(&mut input, &progress, &mut warnings) {
        for article in pipeline.articles(vec![document])? {
            sample.insert((xxh3_64(article.text.as_bytes()), position), article);
            position += 1;
            if sample.len() > args.sample {
                sample.pop_last();
            }
        }
        progress.set_position(input.bytes_read());
    }
    progress.start("calibrating", Unit::Articles, Some(sample.len() as u64));
    for embedded in pipeline.embed(sample.into_values().collect())? {
        calibrator.add(&embedded.vector);
    }
    progress.finish();
    let calibrated = calibrator.finish(pipeline.model_sha256())?;
    let mut out = OutputFile::create(args.output.output.as_deref())?;
    writeln!(
        out,
        "# Written by `newsdigest calibrate` from a sample of {} articles: the labels given by name only have\n\
         # offsets that give each the same mean similarity over those articles (README, Labels).",
        calibrated.calibration.as_ref().map_or(0, |c| c.articles),
    )?;
    // Through rounded JSON numbers, so the file says `temperature = 0.03`, not the f32's f64 digits.
    writeln!(out, "{}", toml::to_string(&to_rounded_value(&calibrated)?)?)?;
    out.finish()?;
    report_warning_count(warnings);
    if !args.output.quiet {
        let output = args.output.output.as_deref();
        eprintln!(
            "newsdigest: calibrated {} label(s) given by name only on {} article(s), written to {} in {}",
            calibrated
                .labels
                .iter()
                .filter(|l| l.descriptions.is_empty())
                .count(),
            calibrated.calibration.as_ref().map_or(0, |c| c.articles),
            output.map_or("stdout".to_string(), |o| o.display().to_string()),
            duration_text(started.elapsed())
        );
    }
    Ok(if warnings == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INPUT_WARNINGS)
    })
}

/// What `run` says about its zero-shot label set: a warning when its offsets were calibrated with another
/// embedding model (their scale is that model's), and, unless `quiet`, a note when labels given by name only
/// were never calibrated.
pub fn report_on_labels(pipeline: &Pipeline, quiet: bool) {
    let options = pipeline.options();
    if !matches!(options.labeller, Labeller::ZeroShot) {
        return;
    }
    let labels = &options.labels;
    match &labels.calibration {
        Some(calibration) if calibration.model_sha256 != pipeline.model_sha256() => eprintln!(
            "newsdigest: warning: the label offsets were calibrated with another embedding model (sha256 {}); \
             run `newsdigest calibrate` again with this one",
            calibration.model_sha256
        ),
        Some(_) => {}
        None if !quiet && labels.labels.iter().any(|l| l.descriptions.is_empty()) => eprintln!(
            "newsdigest: note: labels given by name only are not calibrated; `newsdigest calibrate` fits them \
             to your articles (README, Labels)"
        ),
        None => {}
    }
}
