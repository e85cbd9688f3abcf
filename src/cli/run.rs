//! `newsdigest run`: the main job.

use super::checkpoints::CheckpointArgs;
use super::common::{progress_bar, report_warning, report_warning_count, InputArgs};
use super::EXIT_INPUT_WARNINGS;
use anyhow::Context;
use newsdigest::classify::{Head, LabelSet};
use newsdigest::embed::{native_bf16, Precision};
use newsdigest::ingest::{InputStream, Warning};
use newsdigest::output::{
    check_output_path, ArticleRecord, ArticleWriter, Fingerprint, ModelInfo, OutputFormat,
    PartialFile, RunInfo,
};
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use newsdigest::stream::{annotate_stream, Finished, Shard, StreamOptions, StreamSink};
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
    /// Torch threads shared by the workers. With more than 1 the output may differ in the last digits of the
    /// scores between runs with different thread counts; `--threads 1 --torch-threads 2` uses two cores with
    /// one model in memory.
    #[arg(long, default_value_t = 1)]
    torch_threads: usize,
    /// Label set file (.toml or .json) replacing the built-in one.
    #[arg(long)]
    labels: Option<PathBuf>,
    /// Classifier head from `newsdigest fit`: labels articles instead of the label set (the head carries the
    /// label set it was trained over).
    #[arg(long, conflicts_with_all = ["labels", "min_score"])]
    head: Option<PathBuf>,
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
    /// Continue an interrupted JSONL run into the same `--output`: the articles it already wrote are checked
    /// and skipped, the rest appended.
    #[arg(long, requires = "output")]
    resume: bool,
    /// Annotate only shard I of N (0-based), chosen by a stable hash of the article id, e.g. `--shard 0/4`.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    /// Precision of the embedding model: bf16 is over twice as fast on CPUs with AVX512-BF16/AMX but may flip
    /// borderline labels; bf16-checked re-embeds those in fp32. Default: bf16-checked on CPUs with native bf16,
    /// fp32 elsewhere (pass fp32 for the same scores on every machine).
    #[arg(long, value_enum)]
    precision: Option<Precision>,
    /// JSONL records or dump files read, annotated and written together (with at most 4 MiB of text): memory and
    /// the delay before output grow with it. Articles are annotated in whole groups of 256 whatever this is.
    #[arg(long, default_value_t = newsdigest::limits::CHUNK_ARTICLES)]
    chunk_articles: usize,
}

/// Runs the pipeline and writes the annotated articles.
pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let mut labels = match &args.labels {
        Some(path) => {
            let (labels, warnings) = LabelSet::from_file_with_warnings(path)?;
            warnings.iter().for_each(|w| report_note(w));
            labels
        }
        None => LabelSet::default(),
    };
    if let Some(min_score) = args.min_score {
        labels = labels.with_min_score(min_score)?;
    }
    if args.resume && args.format != OutputFormat::Jsonl {
        anyhow::bail!("--resume needs --format jsonl");
    }
    let head = args.head.as_deref().map(Head::from_file).transpose()?;
    // The run records the label set the head was trained over.
    if let Some(base) = head.as_ref().and_then(|h| h.base.clone()) {
        labels = base;
    }
    let defaults = PipelineOptions::default();
    let precision = args.precision.unwrap_or(defaults.precision);
    let (threads, warning) = newsdigest::limits::cap_threads(args.threads);
    warning.iter().for_each(|w| report_note(w));
    let options = PipelineOptions {
        threads,
        torch_threads: args.torch_threads,
        model_dir: args.model_dir.clone().unwrap_or(defaults.model_dir),
        labels,
        head,
        summary: ExtractiveOptions {
            max_words: args.summary_words,
            max_sentences: args.summary_sentences,
            ..ExtractiveOptions::default()
        },
        abstractive: args.checkpoints.abstractive()?,
        nli: args.checkpoints.nli()?,
        precision,
    };
    if precision != Precision::Fp32 && !native_bf16() {
        eprintln!(
            "newsdigest: warning: this CPU has no native bf16; bf16 precision will be slower than fp32"
        );
    }
    // Inputs and output are checked before the model loads, so a wrong path fails at once and writes nothing.
    let mut input = InputStream::new(
        &args.input.inputs,
        args.input.input_format,
        Some(newsdigest::limits::DUMP_WINDOW_BYTES),
    )
    .context("reading inputs")?;
    let mut output = match &args.output {
        Some(path) => {
            check_output_path(path, input.files())?;
            Some(if args.resume {
                PartialFile::resume(path)?
            } else {
                (PartialFile::create(path)?, None)
            })
        }
        None => None,
    };
    let pipeline = match Pipeline::new(options) {
        Ok(pipeline) => pipeline,
        Err(e) => {
            if let Some((file, _)) = output {
                file.abandon();
            }
            return Err(e).context("loading the pipeline");
        }
    };
    let inputs = args
        .input
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut run = RunInfo::new(pipeline.options(), pipeline.model_sha256(), inputs);
    if let (Some(path), Some(head)) = (&args.head, &pipeline.options().head) {
        run.models.push(ModelInfo {
            role: "classifier-head".to_string(),
            path: path.display().to_string(),
            sha256: head.sha256()?,
        });
    }
    let stream_options = StreamOptions {
        shard: args.shard,
        chunk_articles: args.chunk_articles.max(1),
        ..StreamOptions::default()
    };
    let bar = progress_bar(0, args.quiet);
    if args.format == OutputFormat::Jsonl {
        if let Some((file, written)) = &mut output {
            let fingerprint = fingerprint(&run, &args, &input)?;
            match written {
                Some(written) => file.check_fingerprint(&fingerprint, written)?,
                None => file.record_fingerprint(&fingerprint)?,
            }
        }
    }
    let report = match (output, &args.output) {
        (Some((file, resume)), Some(path)) => {
            if let (Some(written), false) = (&resume, args.quiet) {
                eprintln!(
                    "newsdigest: resuming {}: {} article(s) already written",
                    PartialFile::partial_path(path).display(),
                    written.count()
                );
            }
            let mut sink = WritingSink {
                writer: ArticleWriter::begin(file, args.format, &run)?,
                bar: &bar,
            };
            let report = annotate_stream(&pipeline, &mut input, stream_options, resume, &mut sink)?;
            sink.writer.finish()?.commit()?;
            report
        }
        _ => {
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut sink = WritingSink {
                writer: ArticleWriter::begin(out, args.format, &run)?,
                bar: &bar,
            };
            let report = annotate_stream(&pipeline, &mut input, stream_options, None, &mut sink)?;
            sink.writer.finish()?;
            report
        }
    };
    bar.finish_and_clear();
    report_warning_count(report.warnings);
    if report.truncated > 0 {
        eprintln!(
            "newsdigest: {} article(s) longer than {} bytes were cut to that length (`truncated: true`)",
            report.truncated,
            newsdigest::limits::MAX_ARTICLE_BYTES
        );
    }
    Ok(if report.warnings == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INPUT_WARNINGS)
    })
}

/// Prints a warning about the options to stderr (input problems go through `report_warning`).
fn report_note(message: &str) {
    eprintln!(
        "newsdigest: warning: {}",
        newsdigest::terminal::escape_controls(message)
    );
}

/// What a JSONL output is made from, for `--resume` to check: the run description (models by sha256, label
/// set, options), how the inputs are read and sharded, and the input files. Threads, chunk size and progress
/// are left out: the records do not depend on them.
fn fingerprint(run: &RunInfo, args: &RunArgs, input: &InputStream) -> anyhow::Result<Fingerprint> {
    let mut run = serde_json::to_value(run)?;
    if let Some(models) = run["models"].as_array_mut() {
        for model in models {
            // Models are known by their weights; moving the folder changes nothing.
            model.as_object_mut().map(|m| m.remove("path"));
        }
    }
    let reading = serde_json::json!({
        "input_format": args.input.input_format,
        "shard": args.shard.map(|s| format!("{}/{}", s.index, s.count)),
    });
    Ok(Fingerprint::new(
        vec![("run", run), ("reading", reading)],
        input.files(),
    ))
}

/// Writes finished articles as they come, reports warnings at once and moves the progress bar.
struct WritingSink<'a, W: Write> {
    writer: ArticleWriter<W>,
    bar: &'a indicatif::ProgressBar,
}

impl<W: Write> StreamSink for WritingSink<'_, W> {
    fn warning(&mut self, warning: Warning) {
        self.bar.suspend(|| report_warning(&warning));
    }

    fn found(&mut self, count: usize) {
        self.bar.inc_length(count as u64);
    }

    fn finished(&mut self, article: Finished) -> newsdigest::Result<()> {
        let mut record = ArticleRecord::from(article.annotated);
        record.truncated = article.truncated;
        self.writer.write(&record)?;
        self.bar.inc(1);
        Ok(())
    }
}
