//! `newsdigest fit`: trains a classifier head on hand-labelled articles, and cross-validates it against the
//! zero-shot classifier.

use anyhow::{bail, Context};
use newsdigest::classify::head::{
    cross_validate, fit_head, read_gold_spans, read_labeled_jsonl, Example, FitOptions, HeadMethod,
    ZeroShotBase,
};
use newsdigest::classify::LabelSet;
use newsdigest::embed::Precision;
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `newsdigest fit`.
#[derive(Debug, clap::Args)]
pub struct FitArgs {
    /// Labelled articles: JSONL `{text, label, title?, id?}`, or gold spans `{dump, id, start_line, end_line,
    /// title?, label}` with --dumps.
    #[arg(long)]
    train: PathBuf,
    /// Folder of the dumps the gold spans of --train point into; the article texts are taken from the spans.
    #[arg(long)]
    dumps: Option<PathBuf>,
    /// Write the trained head (JSON) to this file.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Also report K-fold cross-validated accuracy and macro-F1 of the head against the zero-shot classifier
    /// (JSON on stdout).
    #[arg(long, value_name = "K")]
    cv: Option<usize>,
    /// Training method.
    #[arg(long, value_enum, default_value_t = FitOptions::default().method)]
    method: HeadMethod,
    /// Logistic regression: L2 penalty on the weights.
    #[arg(long, default_value_t = FitOptions::default().l2)]
    l2: f64,
    /// Logistic regression: gradient steps.
    #[arg(long, default_value_t = FitOptions::default().iterations)]
    iterations: usize,
    /// Label set of the zero-shot classifier the head corrects and is compared with (default: the built-in
    /// one).
    #[arg(long)]
    labels: Option<PathBuf>,
    /// Learn the head alone instead of as a correction to the zero-shot classifier.
    #[arg(long)]
    standalone: bool,
    /// Embedding model folder (default: $NEWSDIGEST_MODEL_DIR or the project's models/all-minilm-l6-v2).
    #[arg(long)]
    model_dir: Option<PathBuf>,
    /// Worker threads, each with its own model (default: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

/// Embeds the labelled articles, cross-validates if asked, and writes the head trained on all of them.
pub fn run(args: FitArgs) -> anyhow::Result<ExitCode> {
    if args.output.is_none() && args.cv.is_none() {
        bail!("nothing to do: give -o FILE to write a head, --cv K to cross-validate, or both");
    }
    newsdigest::limits::check_range("--l2", args.l2, 0.0, 1e6)?;
    let (threads, warning) = newsdigest::limits::cap_threads(args.threads);
    if let Some(warning) = warning {
        eprintln!("newsdigest: warning: {warning}");
    }
    let labeled = match &args.dumps {
        Some(dumps) => read_gold_spans(&args.train, dumps),
        None => read_labeled_jsonl(&args.train),
    }
    .context("reading the training data")?;
    if labeled.is_empty() {
        bail!("{}: no labelled articles", args.train.display());
    }
    let defaults = PipelineOptions::default();
    let labels = match &args.labels {
        Some(path) => {
            let (labels, warnings) = LabelSet::from_file_with_warnings(path)?;
            for warning in warnings {
                eprintln!(
                    "newsdigest: warning: {}",
                    newsdigest::terminal::escape_controls(&warning)
                );
            }
            labels
        }
        None => defaults.labels.clone(),
    };
    let pipeline = Pipeline::new(PipelineOptions {
        threads,
        model_dir: args.model_dir.clone().unwrap_or(defaults.model_dir.clone()),
        labels,
        // A head learns float32's embeddings, the reference that bf16-checked runs fall back to on close calls.
        precision: Precision::Fp32,
        ..defaults
    })
    .context("loading the embedding model")?;
    let (articles, targets): (Vec<_>, Vec<_>) =
        labeled.into_iter().map(|l| (l.article, l.label)).unzip();
    let embedded = pipeline.embed(articles)?;
    let examples: Vec<Example> = embedded
        .iter()
        .zip(targets)
        .map(|(e, label)| Example {
            id: e.article.id.clone(),
            label,
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
    if let Some(folds) = args.cv {
        let zero_shot: Vec<String> = pipeline
            .classify(&embedded)?
            .into_iter()
            .map(|p| p.label)
            .collect();
        let report = cross_validate(&examples, &zero_shot, folds, &options, base.as_ref())?;
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    if let Some(path) = &args.output {
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
        eprintln!(
            "newsdigest: wrote a head for {} labels ({}) trained on {} articles to {}",
            head.labels.len(),
            head.labels.join(", "),
            examples.len(),
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
