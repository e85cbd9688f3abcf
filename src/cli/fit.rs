//! `newsdigest fit`: trains a classifier head on hand-labelled articles, and cross-validates it against the
//! zero-shot classifier.

use super::args::{LabelSetArgs, ModelArgs, OutputArgs};
use super::progress::{duration_text, Progress, Unit};
use anyhow::{bail, Context};
use newsdigest::classify::head::{
    fit_head, read_gold_spans, read_labeled_jsonl, Example, FitOptions, HeadMethod, ZeroShotBase,
};
use newsdigest::embed::Precision;
use newsdigest::eval::cross_validate;
use newsdigest::limits::GROUP_SIZE;
use newsdigest::output::to_rounded_json;
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// Examples printed after `newsdigest fit --help`.
pub const EXAMPLES: &str = "\
Examples:
  newsdigest fit --train labelled.jsonl -o head.json
      Train a head on JSONL articles {text, label}; use it with `newsdigest run --head head.json`.
  newsdigest fit --train gold.jsonl --dumps dumps/ --cv 5
      Cross-validate a head on gold spans against the zero-shot classifier; write nothing.
  newsdigest fit --train labelled.jsonl --method prototype --standalone -o head.json
      A nearest-prototype head that ignores the label descriptions.";

/// Arguments of `newsdigest fit`.
#[derive(Debug, clap::Args)]
pub struct FitArgs {
    /// Labelled articles: JSONL `{text, label, title?, id?}`, or gold spans `{dump, id, start_line, end_line,
    /// title?, label}` with --dumps.
    #[arg(long, value_name = "FILE", help_heading = "Input")]
    train: PathBuf,
    /// Folder of the dumps the gold spans of --train point into; the article texts are taken from the spans.
    #[arg(long, value_name = "DIR", help_heading = "Input")]
    dumps: Option<PathBuf>,
    // -o: the trained head (JSON).
    #[command(flatten)]
    output: OutputArgs,
    /// Also report K-fold cross-validated accuracy and macro-F1 of the head against the zero-shot classifier
    /// (JSON on stdout).
    #[arg(long, value_name = "K", help_heading = "Training")]
    cv: Option<usize>,
    /// Training method.
    #[arg(long, value_enum, default_value_t = FitOptions::default().method, help_heading = "Training")]
    method: HeadMethod,
    /// Logistic regression: L2 penalty on the weights.
    #[arg(long, default_value_t = FitOptions::default().l2, help_heading = "Training")]
    l2: f64,
    /// Logistic regression: gradient steps.
    #[arg(long, default_value_t = FitOptions::default().iterations, help_heading = "Training")]
    iterations: usize,
    /// Learn the head alone instead of as a correction to the zero-shot classifier.
    #[arg(long, help_heading = "Training")]
    standalone: bool,
    // The zero-shot classifier the head corrects and is compared with.
    #[command(flatten)]
    labels: LabelSetArgs,
    #[command(flatten)]
    model: ModelArgs,
}

/// Embeds the labelled articles, cross-validates if asked, and writes the head trained on all of them.
pub fn run(args: FitArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    if args.output.output.is_none() && args.cv.is_none() {
        bail!("nothing to do: give -o FILE to write a head, --cv K to cross-validate, or both");
    }
    newsdigest::limits::check_range("--l2", args.l2, 0.0, 1e6)?;
    let labeled = match &args.dumps {
        Some(dumps) => read_gold_spans(&args.train, dumps),
        None => read_labeled_jsonl(&args.train),
    }
    .context("reading the training data")?;
    if labeled.is_empty() {
        bail!("{}: no labelled articles", args.train.display());
    }
    // A head learns float32's embeddings, the reference that bf16-checked runs fall back to on close calls;
    // another precision only when asked for.
    let defaults = PipelineOptions {
        precision: Precision::Fp32,
        ..PipelineOptions::default()
    };
    let progress = Progress::stderr(args.output.quiet);
    progress.start("loading the model", Unit::Articles, None);
    let pipeline = Pipeline::new(PipelineOptions {
        labels: args.labels.label_set()?,
        ..args.model.apply(defaults)
    })
    .context("loading the embedding model")?;
    let (articles, targets): (Vec<_>, Vec<_>) = labeled
        .into_iter()
        .map(|l| (l.article, (l.label, l.also)))
        .unzip();
    progress.start("embedding", Unit::Articles, Some(articles.len() as u64));
    // In the pipeline's own groups, so the vectors are those of one call on every article.
    let mut embedded = Vec::with_capacity(articles.len());
    let mut articles = articles.into_iter().peekable();
    while articles.peek().is_some() {
        let group: Vec<_> = articles.by_ref().take(GROUP_SIZE).collect();
        embedded.extend(pipeline.embed(group)?);
        progress.set_position(embedded.len() as u64);
    }
    let examples: Vec<Example> = embedded
        .iter()
        .zip(targets)
        .map(|(e, (label, also))| Example {
            id: e.article.id.clone(),
            label,
            also,
            vector: e.vector.clone(),
        })
        .collect();
    let base =
        if args.standalone {
            None
        } else {
            Some(pipeline.with_embedder(|embedder| {
                ZeroShotBase::new(&pipeline.options().labels, embedder)
            })?)
        };
    let options = FitOptions {
        method: args.method,
        l2: args.l2,
        iterations: args.iterations,
        ..FitOptions::default()
    };
    progress.finish();
    if let Some(folds) = args.cv {
        let labels = &pipeline.options().labels;
        let zero_shot: Vec<Vec<String>> = pipeline
            .classify(&embedded)?
            .into_iter()
            .map(|p| labels.assigned(&p.label, &p.scores))
            .collect();
        let report = cross_validate(
            &examples,
            &zero_shot,
            folds,
            &options,
            base.as_ref(),
            (&labels.fallback, labels.secondary_min_score),
        )?;
        println!("{}", to_rounded_json(&report)?);
    }
    if let Some(path) = &args.output.output {
        let mut sources = vec![args.train.display().to_string()];
        sources.extend(args.dumps.iter().map(|d| d.display().to_string()));
        let head = fit_head(
            &examples,
            &options,
            base.as_ref(),
            pipeline.model_sha256(),
            sources,
        )?;
        head.to_file(path)
            .with_context(|| format!("writing {}", path.display()))?;
        if !args.output.quiet {
            eprintln!(
                "newsdigest: wrote a head for {} labels ({}) trained on {} articles to {} in {}",
                head.labels.len(),
                head.labels.join(", "),
                examples.len(),
                path.display(),
                duration_text(started.elapsed())
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
