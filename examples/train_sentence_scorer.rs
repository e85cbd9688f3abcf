//! Trains the extractive summariser's sentence scorer and measures it with K-fold cross-validation.
//!
//! Reads `articles.jsonl` records (`id`, `title`, `text`, `summary`) of each corpus given, embeds them with the
//! pipeline's model, labels each article's sentences with a greedy ROUGE oracle against its reference summary
//! (at most 3 sentences; 1 for corpora named `xsum`, whose references are one sentence), then:
//! - cross-validates: articles are dealt into K folds by position within their corpus; each fold is scored by a
//!   scorer fitted on every other fold of every corpus, with the default summariser options (one sentence for
//!   `xsum`), and ROUGE F is printed beside Lead-3 (Lead-1 for `xsum`) per corpus;
//! - fits the scorer on everything and writes it (the built-in weights, `src/summarize/sentence_scorer.json`).
//!
//! Deterministic: the same data gives the same folds, figures and weights.
//!
//! usage: train_sentence_scorer [--folds K] [--penalty L2] [--out FILE] CORPUS_DIR...

use anyhow::{bail, Context};
use newsdigest::article::{Article, Metadata};
use newsdigest::eval::rouge::{mean_scores, rouge, RougeScores};
use newsdigest::eval::summaries::{lead3, one_sentence_per_line};
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use newsdigest::summarize::features::sentence_features;
use newsdigest::summarize::{
    oracle_sentences, ExtractiveOptions, ExtractiveSummarizer, ScoredSentence, SentenceScorer,
};
use std::path::PathBuf;

/// One corpus article ready for training: sentences, features, oracle labels, reference.
struct Example {
    sentences: Vec<String>,
    features: Vec<Vec<f32>>,
    picked: Vec<usize>,
    reference: String,
}

struct Corpus {
    name: String,
    one_sentence: bool,
    examples: Vec<Example>,
}

fn main() -> anyhow::Result<()> {
    let mut folds = 5usize;
    let mut penalty = 0.0001f32;
    let mut out = PathBuf::from("src/summarize/sentence_scorer.json");
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--folds" => folds = args.next().context("--folds K")?.parse()?,
            "--penalty" => penalty = args.next().context("--penalty L2")?.parse()?,
            "--out" => out = args.next().context("--out FILE")?.into(),
            _ => dirs.push(arg.into()),
        }
    }
    if dirs.is_empty() || folds < 2 {
        bail!(
            "usage: train_sentence_scorer [--folds K>=2] [--penalty L2] [--out FILE] CORPUS_DIR..."
        );
    }
    let pipeline = Pipeline::new(PipelineOptions::default())?;
    let corpora: Vec<Corpus> = dirs
        .iter()
        .map(|dir| read_corpus(&pipeline, dir))
        .collect::<anyhow::Result<_>>()?;

    println!(
        "{folds}-fold cross-validation (folds by article within each corpus; fitted on all corpora's other folds)"
    );
    println!(
        "{:<8} {:>8}  {:>24}  {:>24}",
        "corpus", "articles", "system R-1 / R-2 / R-Lsum F", "lead R-1 / R-2 / R-Lsum F"
    );
    for (c, corpus) in corpora.iter().enumerate() {
        let mut system = Vec::new();
        let mut lead = Vec::new();
        for fold in 0..folds {
            let training: Vec<ScoredSentence> = corpora
                .iter()
                .enumerate()
                .flat_map(|(d, other)| {
                    other
                        .examples
                        .iter()
                        .enumerate()
                        .filter(move |(i, _)| d != c || i % folds != fold)
                        .flat_map(|(_, e)| scored(e))
                })
                .collect();
            let scorer = SentenceScorer::fit(&training, penalty, "cross-validation fold")
                .context("no labels")?;
            let summarizer = summarizer_for(corpus, scorer);
            for example in corpus.examples.iter().skip(fold).step_by(folds) {
                let (s, l) = measure(corpus, &summarizer, example);
                system.push(s);
                lead.push(l);
            }
        }
        let (s, l) = (mean_scores(&system), mean_scores(&lead));
        println!(
            "{:<8} {:>8}  {:>8.2} / {:>5.2} / {:>5.2}  {:>8.2} / {:>5.2} / {:>5.2}",
            corpus.name,
            corpus.examples.len(),
            100.0 * s.rouge1.f,
            100.0 * s.rouge2.f,
            100.0 * s.rouge_lsum.f,
            100.0 * l.rouge1.f,
            100.0 * l.rouge2.f,
            100.0 * l.rouge_lsum.f,
        );
    }

    let all: Vec<ScoredSentence> = corpora
        .iter()
        .flat_map(|c| c.examples.iter().flat_map(scored))
        .collect();
    let names: Vec<String> = corpora
        .iter()
        .map(|c| format!("{} ({} articles)", c.name, c.examples.len()))
        .collect();
    let scorer = SentenceScorer::fit(
        &all,
        penalty,
        &format!(
            "scripts/train_sentence_scorer: logistic regression, L2 {penalty}, on ROUGE-oracle sentences of {}",
            names.join(", ")
        ),
    )
    .context("no labels")?;
    std::fs::write(&out, scorer.to_json()?)
        .with_context(|| format!("writing {}", out.display()))?;
    println!("weights written to {}", out.display());
    for (name, weight) in scorer.features.iter().zip(&scorer.weights) {
        println!("  {name:<22} {weight:>8.3}");
    }
    Ok(())
}

/// The summariser measured on a corpus: the defaults, or one sentence for one-sentence references.
fn summarizer_for(corpus: &Corpus, scorer: SentenceScorer) -> ExtractiveSummarizer {
    let defaults = ExtractiveOptions::default();
    let options = if corpus.one_sentence {
        ExtractiveOptions {
            max_sentences: 1,
            ..defaults
        }
    } else {
        defaults
    };
    ExtractiveSummarizer::with_scorer(options, scorer)
}

/// ROUGE of the summary and of the lead baseline (Lead-3, or Lead-1 for one-sentence corpora).
fn measure(
    corpus: &Corpus,
    summarizer: &ExtractiveSummarizer,
    example: &Example,
) -> (RougeScores, RougeScores) {
    let scores: Vec<f32> = example
        .features
        .iter()
        .map(|row| summarizer.scorer().score(row))
        .collect();
    let chosen = summarizer.select_by_scores(&example.sentences, &scores);
    let summary: Vec<String> = chosen
        .iter()
        .map(|&i| example.sentences[i].clone())
        .collect();
    let lead = if corpus.one_sentence {
        example
            .sentences
            .iter()
            .take(1)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        lead3(&example.sentences)
    };
    (
        rouge(&example.reference, &one_sentence_per_line(&summary)),
        rouge(&example.reference, &lead),
    )
}

fn scored(example: &Example) -> impl Iterator<Item = ScoredSentence> + '_ {
    example
        .features
        .iter()
        .enumerate()
        .map(|(i, row)| ScoredSentence {
            features: row.clone(),
            picked: example.picked.contains(&i),
        })
}

/// Reads and embeds `DIR/articles.jsonl`, labelling each article with the oracle.
fn read_corpus(pipeline: &Pipeline, dir: &std::path::Path) -> anyhow::Result<Corpus> {
    let path = dir.join("articles.jsonl");
    let name = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let one_sentence = name == "xsum";
    let content =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut articles = Vec::new();
    let mut references = Vec::new();
    for (line, record) in content
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let value: serde_json::Value = serde_json::from_str(record)
            .with_context(|| format!("{}:{}", path.display(), line + 1))?;
        let (Some(text), Some(summary)) = (value["text"].as_str(), value["summary"].as_str())
        else {
            bail!(
                "{}:{}: a record needs text and summary",
                path.display(),
                line + 1
            );
        };
        articles.push(Article {
            id: format!("{name}:{}", line + 1),
            source: path.display().to_string(),
            start_line: None,
            end_line: None,
            title: value["title"].as_str().map(str::to_string),
            text: text.to_string(),
            metadata: Metadata::default(),
            known_sentences: Default::default(),
        });
        references.push(summary.to_string());
    }
    let embedded = pipeline.embed(articles)?;
    let most = if one_sentence { 1 } else { 3 };
    let examples = embedded
        .iter()
        .zip(references)
        .map(|(article, summary)| {
            let reference = one_sentence_per_line(&pipeline.sentences(&summary));
            Example {
                picked: oracle_sentences(&article.sentences, &reference, most),
                features: sentence_features(article),
                sentences: article.sentences.clone(),
                reference,
            }
        })
        .collect();
    eprintln!(
        "train_sentence_scorer: {name}: {} articles embedded",
        embedded.len()
    );
    Ok(Corpus {
        name,
        one_sentence,
        examples,
    })
}
