//! `newsdigest run`: the main job.

use super::args::{InputArgs, OutputArgs, PipelineArgs};
use super::common::{input_bytes, next_document, report_warning, report_warning_count, OutputFile};
use super::progress::{duration_text, ChunkProgress, Progress, Unit};
use super::EXIT_INPUT_WARNINGS;
use anyhow::Context;
use newsdigest::ingest::{Document, InputStream, Warning};
use newsdigest::output::{
    check_output_path, ArticleRecord, ArticleWriter, Fingerprint, OutputFormat, PartialFile,
    RunInfo, WrittenIds,
};
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use newsdigest::stream::{
    annotate_stream, Finished, Shard, ShardPlan, StreamOptions, StreamReport, StreamSink,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Examples printed after `newsdigest run --help`.
pub const EXAMPLES: &str = "\
Examples:
  newsdigest run dumps/ -o annotated.json
      Segment, summarise and label every .txt and .jsonl file under dumps/.
  newsdigest run news.txt --format jsonl | newsdigest table -
      Stream JSONL and look at it as a table.
  newsdigest run big.jsonl --format jsonl -o out.jsonl --resume
      Continue an interrupted run where it stopped.
  newsdigest run news.txt --format csv --limit 100 -o sample.csv
      The first 100 articles, one spreadsheet row each, one column per label score.
  newsdigest run dumps/ --labels labels.toml -o out.json --dry-run
      Check the inputs, the label set and the output path; annotate nothing.
  newsdigest run news.txt --head head.json --stats stats.json -o out.json
      Label with a head trained by `newsdigest fit`; write the run's counts and timing as JSON.";

/// Arguments of `newsdigest run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Continue an interrupted JSONL run into the same `--output`: the articles it already wrote are checked
    /// and skipped, the rest appended.
    #[arg(long, requires = "output", help_heading = "Input")]
    resume: bool,
    /// Annotate only shard I of N (0-based), e.g. `--shard 0/4`: dump files are dealt out whole (about the same
    /// bytes to each shard, so each segments only its own), records (JSONL, CSV/TSV) and stdin go by a hash of the id.
    #[arg(long, value_name = "I/N", help_heading = "Input")]
    shard: Option<Shard>,
    #[command(flatten)]
    output: OutputArgs,
    /// Annotate only the first N articles (of the shard, with --shard), and read no further than needed.
    #[arg(long, value_name = "N", help_heading = "Input")]
    limit: Option<usize>,
    /// Read and check the inputs, the label set or head and the output path, report what was found, and
    /// annotate nothing (the model is not loaded).
    #[arg(long, help_heading = "Input")]
    dry_run: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json, help_heading = "Output")]
    format: OutputFormat,
    /// Also write the run's counts and timing (the summary line's figures) as JSON to this file.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    stats: Option<PathBuf>,
    #[command(flatten)]
    pipeline: PipelineArgs,
    /// Records (JSONL, CSV/TSV) or dump files read, annotated and written together (with at most 4 MiB of text): memory and
    /// the delay before output grow with it. Articles are annotated in whole groups of 256 whatever this is.
    #[arg(long, value_name = "N", default_value_t = newsdigest::limits::CHUNK_ARTICLES, help_heading = "Model and speed")]
    chunk_articles: usize,
}

/// Runs the pipeline and writes the annotated articles.
pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    if args.resume && args.format != OutputFormat::Jsonl {
        anyhow::bail!("--resume needs --format jsonl");
    }
    let options = args.pipeline.options()?;
    if args.dry_run {
        return dry_run(&args, &options, started);
    }
    let shard = args
        .shard
        .map(|shard| {
            ShardPlan::dealing_dump_files(shard, &args.input.inputs, args.input.input_format)
        })
        .transpose()
        .context("reading inputs")?;
    // Inputs and output are checked before the model loads, so a wrong path fails at once and writes nothing.
    let mut input = args.input.stream().context("reading inputs")?;
    if let Some(plan) = &shard {
        // Dump files dealt to other shards are never opened.
        input.retain_files(|file| plan.reads(&file.path.display().to_string()));
    }
    let output = match &args.output.output {
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
    let progress = Progress::stderr(args.output.quiet);
    progress.start("loading the model", Unit::Bytes, None);
    let pipeline = match Pipeline::new(options) {
        Ok(pipeline) => pipeline,
        Err(e) => {
            if let Some((file, _)) = output {
                file.abandon();
            }
            return Err(e).context("loading the pipeline");
        }
    };
    progress.suspend(|| super::calibrate::report_on_labels(&pipeline, args.output.quiet));
    let run = RunInfo::new(
        pipeline.options(),
        pipeline.model_sha256(),
        input_names(&args.input.inputs),
    )
    .with_stage_models()?;
    let stream_options = StreamOptions {
        shard,
        chunk_articles: args.chunk_articles.max(1),
        limit: args.limit,
        ..StreamOptions::default()
    };
    let (out, resume) = match (output, &args.output.output) {
        (Some((mut file, written)), Some(path)) => {
            if args.format == OutputFormat::Jsonl {
                let fingerprint = fingerprint(&run, &args, &input)?;
                match &written {
                    Some(written) => file.check_fingerprint(&fingerprint, written)?,
                    None => file.record_fingerprint(&fingerprint)?,
                }
            }
            if let (Some(written), false) = (&written, args.output.quiet) {
                progress.suspend(|| {
                    eprintln!(
                        "newsdigest: resuming {}: {} article(s) already written",
                        PartialFile::partial_path(path).display(),
                        written.count()
                    )
                });
            }
            (OutputFile::File(file), written)
        }
        _ => (OutputFile::create(None)?, None),
    };
    let mut writer = ArticleWriter::begin(out, args.format, &run)?;
    let mut labels = BTreeMap::<String, usize>::new();
    let paths: Vec<PathBuf> = input.files().iter().map(|f| f.path.clone()).collect();
    let total_bytes = input_bytes(&paths);
    let (report, bytes_read) = stream_with_progress(
        &pipeline,
        input,
        total_bytes,
        stream_options,
        resume,
        &progress,
        |article| {
            let mut record = ArticleRecord::from(article.annotated);
            record.truncated = article.truncated;
            *labels.entry(record.label.clone()).or_default() += 1;
            writer.write(&record)
        },
    )?;
    writer.finish()?.finish()?;
    progress.finish();
    let stats = RunStats {
        dry_run: false,
        inputs: run.inputs.clone(),
        input_bytes: bytes_read,
        articles: report.articles,
        written: report.written,
        resumed: report.resumed,
        labels,
        input_problems: report.warnings,
        truncated: report.truncated,
        seconds: rounded_seconds(started),
        output: output_name(args.output.output.as_deref()),
        format: args.format,
        found: None,
    };
    report_warning_count(report.warnings);
    if report.truncated > 0 {
        eprintln!(
            "newsdigest: {} article(s) longer than {} bytes were cut to that length (`truncated: true`)",
            report.truncated,
            newsdigest::limits::MAX_ARTICLE_BYTES
        );
    }
    finish(&args, &stats)
}

/// Prints the summary line unless `--quiet`, writes `--stats`, and gives the exit code.
fn finish(args: &RunArgs, stats: &RunStats) -> anyhow::Result<ExitCode> {
    if !args.output.quiet {
        eprintln!("newsdigest: {}", stats.summary_line());
    }
    if let Some(path) = &args.stats {
        let mut out = OutputFile::create(Some(path))?;
        serde_json::to_writer_pretty(&mut out, stats)?;
        std::io::Write::write_all(&mut out, b"\n")?;
        out.finish()?;
    }
    Ok(if stats.input_problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INPUT_WARNINGS)
    })
}

/// `--dry-run`: reads every input and checks the label set (already loaded into `options`), the model folder
/// and the output path, without loading the model or writing any article.
fn dry_run(
    args: &RunArgs,
    options: &PipelineOptions,
    started: Instant,
) -> anyhow::Result<ExitCode> {
    if !options.model_dir.is_dir() {
        anyhow::bail!(
            "{}: the embedding model folder does not exist",
            options.model_dir.display()
        );
    }
    if let Some(path) = &args.output.output {
        check_writable(path)?;
    }
    let mut input = args.input.stream().context("reading inputs")?;
    if let Some(path) = &args.output.output {
        check_output_path(path, input.files())?;
    }
    let mut found = Found::default();
    let mut dumps = BTreeSet::new();
    let mut warnings = 0;
    // Nothing to show progress of: the hidden display only passes the warnings through.
    let progress = Progress::stderr(true);
    loop {
        match next_document(&mut input, &progress, &mut warnings) {
            None => break,
            Some(Document::Record(_)) => found.records += 1,
            Some(Document::Dump(dump)) => {
                dumps.insert(dump.source.clone());
                found.dump_lines += dump.lines.len();
            }
        }
    }
    found.dumps = dumps.len();
    found.labels = options
        .labels
        .names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    found.labels.push(options.labels.fallback.clone());
    report_warning_count(warnings);
    let stats = RunStats {
        dry_run: true,
        inputs: input_names(&args.input.inputs),
        input_bytes: input.bytes_read(),
        articles: 0,
        written: 0,
        resumed: 0,
        labels: BTreeMap::new(),
        input_problems: warnings,
        truncated: 0,
        seconds: rounded_seconds(started),
        output: output_name(args.output.output.as_deref()),
        format: args.format,
        found: Some(found),
    };
    finish(args, &stats)
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
    let mut reading = serde_json::json!({
        "input_format": args.input.input_format,
        "shard": args.shard.map(|s| format!("{}/{}", s.index, s.count)),
    });
    // Only when given, so the fingerprints of runs without them stay as they were.
    let columns = [
        ("text_column", &args.input.text_column),
        ("title_column", &args.input.title_column),
        ("id_column", &args.input.id_column),
    ];
    for (key, column) in columns {
        if let Some(name) = column {
            reading[key] = name.as_str().into();
        }
    }
    Ok(Fingerprint::new(
        vec![("run", run), ("reading", reading)],
        input.files(),
    ))
}

/// Fails unless `path` can be written: creates its `.partial` (and removes it again) unless one is already
/// there, which `--resume` would continue.
fn check_writable(path: &Path) -> anyhow::Result<()> {
    if path.is_dir() {
        anyhow::bail!("{}: the output is a directory", path.display());
    }
    let partial = PartialFile::partial_path(path);
    if partial.exists() {
        std::fs::OpenOptions::new()
            .append(true)
            .open(&partial)
            .with_context(|| format!("{}: cannot write", partial.display()))?;
    } else {
        drop(PartialFile::create(path)?);
        std::fs::remove_file(&partial)
            .with_context(|| format!("removing {}", partial.display()))?;
    }
    Ok(())
}

/// The inputs as given, for the record of the run.
fn input_names(inputs: &[PathBuf]) -> Vec<String> {
    inputs.iter().map(|p| p.display().to_string()).collect()
}

/// The output path, or `None` for stdout.
fn output_name(path: Option<&Path>) -> Option<String> {
    path.map(|p| p.display().to_string())
}

/// Seconds since `started`, to the hundredth.
fn rounded_seconds(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 100.0).round() / 100.0
}

/// What a run did: printed as the summary line on stderr and written by `--stats` as JSON (fields documented
/// in the README).
#[derive(Debug, Serialize)]
struct RunStats {
    /// True for `--dry-run`: nothing was annotated.
    dry_run: bool,
    /// The inputs as given.
    inputs: Vec<String>,
    /// Bytes read from the inputs.
    input_bytes: u64,
    /// Articles in the run's share (after --shard and --limit).
    articles: usize,
    /// Articles written by this run.
    written: usize,
    /// Articles already in the output of a resumed run, not written again.
    resumed: usize,
    /// Articles written per label.
    labels: BTreeMap<String, usize>,
    /// Input problems that were skipped or repaired (each printed as a warning).
    input_problems: usize,
    /// Articles cut to the length limit.
    truncated: usize,
    /// Wall-clock time of the run, in seconds.
    seconds: f64,
    /// The output file, or `null` for stdout.
    output: Option<String>,
    /// The output format.
    format: OutputFormat,
    /// What `--dry-run` found in the inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    found: Option<Found>,
}

/// What `--dry-run` found in the inputs.
#[derive(Debug, Default, Serialize)]
struct Found {
    /// Records: JSONL lines and CSV/TSV rows (one article each).
    records: usize,
    /// Dump files (to be segmented into articles).
    dumps: usize,
    /// Lines in the dumps.
    dump_lines: usize,
    /// The labels articles would get, the fallback last.
    labels: Vec<String>,
}

impl RunStats {
    /// One line for a person: counts, labels, problems, time and where the output went.
    fn summary_line(&self) -> String {
        let output = self.output.as_deref().unwrap_or("stdout");
        let problems = match self.input_problems {
            0 => String::new(),
            n => format!("; {n} input problem(s) skipped or repaired"),
        };
        let time = duration_text(std::time::Duration::from_secs_f64(self.seconds));
        if let Some(found) = &self.found {
            return format!(
                "dry run: {} record(s), {} dump(s) of {} lines, {} bytes read{problems}; labels {}; \
                 would write {} to {output}; nothing annotated ({time})",
                found.records,
                found.dumps,
                found.dump_lines,
                self.input_bytes,
                found.labels.join(", "),
                format_name(self.format),
            );
        }
        let labels: Vec<String> = self
            .labels
            .iter()
            .map(|(label, count)| format!("{label} {count}"))
            .collect();
        let labels = if labels.is_empty() {
            String::new()
        } else {
            format!(" ({})", labels.join(", "))
        };
        let resumed = match self.resumed {
            0 => String::new(),
            n => format!(" after {n} already written"),
        };
        let truncated = match self.truncated {
            0 => String::new(),
            n => format!("; {n} truncated"),
        };
        format!(
            "wrote {} article(s){labels}{resumed} to {output} in {time}{truncated}{problems}",
            self.written
        )
    }
}

fn format_name(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Json => "JSON",
        OutputFormat::Jsonl => "JSONL",
        OutputFormat::Csv => "CSV",
        OutputFormat::Tsv => "TSV",
    }
}

/// Hands finished articles to `each`, reports warnings at once and moves the progress display; what `run` and
/// `eval` stream the pipeline's output into.
pub struct ProgressSink<'a, F: FnMut(Finished) -> newsdigest::Result<()>> {
    progress: &'a Progress,
    chunks: &'a ChunkProgress<'a>,
    annotated: &'a (dyn Fn(usize) + Sync),
    each: F,
}

/// Streams the inputs through `pipeline` into `each`, with a progress display (input bytes when their sizes
/// are known) on `progress`.
pub fn stream_with_progress(
    pipeline: &Pipeline,
    mut stream: InputStream,
    total_bytes: Option<u64>,
    options: StreamOptions,
    resume: Option<WrittenIds>,
    progress: &Progress,
    each: impl FnMut(Finished) -> newsdigest::Result<()>,
) -> anyhow::Result<(StreamReport, u64)> {
    progress.start("reading", Unit::Bytes, total_bytes);
    let chunks = ChunkProgress::new(progress);
    let annotated = |count| chunks.annotated(count);
    let mut sink = ProgressSink {
        progress,
        chunks: &chunks,
        annotated: &annotated,
        each,
    };
    let report = annotate_stream(pipeline, &mut stream, options, resume, &mut sink)?;
    Ok((report, stream.bytes_read()))
}

impl<F: FnMut(Finished) -> newsdigest::Result<()>> StreamSink for ProgressSink<'_, F> {
    fn warning(&mut self, warning: Warning) {
        self.progress.suspend(|| report_warning(&warning));
    }

    fn found(&mut self, count: usize) {
        self.chunks.found(count);
    }

    fn finished(&mut self, article: Finished) -> newsdigest::Result<()> {
        (self.each)(article)
    }

    fn chunk_read(&mut self, bytes_read: u64) {
        self.chunks.chunk_read(bytes_read);
    }

    fn annotation_progress(&self) -> &(dyn Fn(usize) + Sync) {
        self.annotated
    }
}
