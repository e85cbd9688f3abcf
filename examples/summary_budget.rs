//! Exports what `scripts/summary_budget` fits the extractive summariser's length model on, and prints how the
//! committed model scores.
//!
//! Reads `articles.jsonl` records (`text`, `summary`) of each corpus given and splits articles and references
//! with the pipeline's sentence splitter, as `newsdigest eval` does. With `--export FILE` it writes a first JSON
//! line naming the features, then one line for every article: the corpus, the ROUGE F (1, 2, Lsum) of the lead baseline (Lead-3, or Lead-1 for corpora
//! named `xsum`, whose references are one sentence) and, for each prefix of the summariser's candidate
//! sentences (at most `max_sentences`), its word count, its ROUGE F and the length model's features for adding
//! its last sentence. Then it prints, per corpus, the committed model's mean ROUGE F beside the baseline (on
//! every article: in-sample for the corpora it was fitted on; `xsum` with one-sentence summaries) and the time
//! the summariser takes an article (sentences already split; the mean over 20 passes).
//!
//! With `--time FILE` it only times the summariser, with its default options, on the `text` of every record of a
//! JSONL file (references not needed), and prints one JSON line: articles, sentences, the split texts' and the
//! summariser's seconds (the summariser's the mean of 20 passes). `scripts/bench --summaries` sets this beside
//! the CPU time of a `newsdigest run` on the same records.
//!
//! usage: summary_budget [--export FILE] CORPUS_DIR...
//!        summary_budget --time FILE

use anyhow::{bail, Context};
use newsdigest::eval::rouge::{mean_scores, rouge, RougeScores};
use newsdigest::eval::summaries::{lead3, one_sentence_per_line};
use newsdigest::sentences::{RuleSplitter, SentenceSplitter};
use newsdigest::summarize::length_model::{features, ArticleWords, FEATURE_NAMES};
use newsdigest::summarize::{candidates, ExtractiveOptions, ExtractiveSummarizer};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One article: its sentences and its reference, one sentence per line.
struct Example {
    sentences: Vec<String>,
    reference: String,
}

struct Corpus {
    name: String,
    one_sentence: bool,
    examples: Vec<Example>,
}

fn main() -> anyhow::Result<()> {
    let mut export: Option<PathBuf> = None;
    let mut time: Option<PathBuf> = None;
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--export" => export = Some(args.next().context("--export FILE")?.into()),
            "--time" => time = Some(args.next().context("--time FILE")?.into()),
            _ => dirs.push(arg.into()),
        }
    }
    let splitter = RuleSplitter::default();
    if let Some(path) = time {
        return time_summaries(&splitter, &path);
    }
    if dirs.is_empty() {
        bail!("usage: summary_budget [--export FILE] CORPUS_DIR... | --time FILE");
    }
    let corpora: Vec<Corpus> = dirs
        .iter()
        .map(|dir| read_corpus(&splitter, dir))
        .collect::<anyhow::Result<_>>()?;
    if let Some(path) = export {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?,
        );
        writeln!(out, "{}", serde_json::json!({ "features": FEATURE_NAMES }))?;
        for corpus in &corpora {
            for example in &corpus.examples {
                writeln!(out, "{}", export_record(corpus, example))?;
            }
        }
        out.flush()?;
    }
    println!("committed length model, every article (in-sample where fitted):");
    for corpus in &corpora {
        let defaults = ExtractiveOptions::default();
        let summarizer = ExtractiveSummarizer::new(ExtractiveOptions {
            max_sentences: if corpus.one_sentence {
                1
            } else {
                defaults.max_sentences
            },
            ..defaults
        });
        let (mut system, mut lead, mut words) = (Vec::new(), Vec::new(), Vec::new());
        for example in &corpus.examples {
            let summary: Vec<String> = summarizer
                .select(&example.sentences)
                .iter()
                .map(|extract| extract.text.to_string())
                .collect();
            words.push(
                summary
                    .iter()
                    .map(|s| s.split_whitespace().count())
                    .sum::<usize>(),
            );
            system.push(rouge(&example.reference, &one_sentence_per_line(&summary)));
            lead.push(lead_baseline(corpus, example));
        }
        words.sort_unstable();
        let articles: Vec<&[String]> = corpus.examples.iter().map(|e| &e.sentences[..]).collect();
        let per_article =
            summary_seconds(&summarizer, &articles) * 1000.0 / articles.len().max(1) as f64;
        println!(
            "{:<8} {:>4} articles  summary {} (median {} words, {:.3} ms an article)  {} {}",
            corpus.name,
            corpus.examples.len(),
            triple(&mean_scores(&system)),
            words.get(words.len() / 2).copied().unwrap_or(0),
            per_article,
            if corpus.one_sentence {
                "Lead-1"
            } else {
                "Lead-3"
            },
            triple(&mean_scores(&lead)),
        );
    }
    Ok(())
}

/// Seconds the summariser takes to summarise all these articles, sentences already split: the mean of 20 passes.
fn summary_seconds(summarizer: &ExtractiveSummarizer, articles: &[&[String]]) -> f64 {
    let passes = 20;
    let started = Instant::now();
    for _ in 0..passes {
        for sentences in articles {
            std::hint::black_box(summarizer.select(sentences));
        }
    }
    started.elapsed().as_secs_f64() / f64::from(passes)
}

/// `--time FILE`: splits the `text` of every JSONL record and times the default summariser on them.
fn time_summaries(splitter: &RuleSplitter, path: &Path) -> anyhow::Result<()> {
    let records = jsonl_records(path)?;
    let started = Instant::now();
    let mut articles = Vec::new();
    for (line, value) in &records {
        let text = value["text"]
            .as_str()
            .with_context(|| format!("{}:{line}: a record needs text", path.display()))?;
        articles.push(splitter.split(text));
    }
    let split_seconds = started.elapsed().as_secs_f64();
    let slices: Vec<&[String]> = articles.iter().map(|a| &a[..]).collect();
    let seconds = summary_seconds(&ExtractiveSummarizer::default(), &slices);
    println!(
        "{}",
        serde_json::json!({
            "articles": articles.len(),
            "sentences": articles.iter().map(Vec::len).sum::<usize>(),
            "split_seconds": split_seconds,
            "summary_seconds": seconds,
        })
    );
    Ok(())
}

fn f_scores(s: &RougeScores) -> [f64; 3] {
    [s.rouge1.f, s.rouge2.f, s.rouge_lsum.f]
}

fn triple(s: &RougeScores) -> String {
    format!(
        "{:.2} / {:.2} / {:.2}",
        100.0 * s.rouge1.f,
        100.0 * s.rouge2.f,
        100.0 * s.rouge_lsum.f
    )
}

/// The article's export line: baseline scores and, per prefix of candidates, words, scores and features.
fn export_record(corpus: &Corpus, example: &Example) -> serde_json::Value {
    let max_sentences = ExtractiveOptions::default().max_sentences;
    let chosen: Vec<_> = candidates(&example.sentences).take(max_sentences).collect();
    let article = ArticleWords::new(&example.sentences);
    let first_words = chosen
        .first()
        .map_or(0, |e| newsdigest::script::word_count(e.text));
    let mut words = 0;
    let mut prefixes = Vec::new();
    for (k, extract) in chosen.iter().enumerate() {
        let texts: Vec<&str> = chosen[..k].iter().map(|e| e.text).collect();
        let added = features(&article, &texts, extract.text, k, words, first_words);
        words += newsdigest::script::word_count(extract.text);
        let summary: Vec<String> = chosen[..=k].iter().map(|e| e.text.to_string()).collect();
        prefixes.push(serde_json::json!({
            "words": words,
            "rouge": f_scores(&rouge(&example.reference, &one_sentence_per_line(&summary))),
            "features": added,
        }));
    }
    serde_json::json!({
        "corpus": corpus.name,
        "baseline": f_scores(&lead_baseline(corpus, example)),
        "prefixes": prefixes,
    })
}

/// ROUGE of Lead-3, or Lead-1 for one-sentence corpora.
fn lead_baseline(corpus: &Corpus, example: &Example) -> RougeScores {
    let lead = if corpus.one_sentence {
        one_sentence_per_line(&example.sentences[..example.sentences.len().min(1)])
    } else {
        lead3(&example.sentences)
    };
    rouge(&example.reference, &lead)
}

/// Reads `DIR/articles.jsonl`, splitting texts and references into sentences.
fn read_corpus(splitter: &RuleSplitter, dir: &Path) -> anyhow::Result<Corpus> {
    let path = dir.join("articles.jsonl");
    let name = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut examples = Vec::new();
    for (line, value) in jsonl_records(&path)? {
        let (Some(text), Some(summary)) = (value["text"].as_str(), value["summary"].as_str())
        else {
            bail!("{}:{line}: a record needs text and summary", path.display());
        };
        examples.push(Example {
            sentences: splitter.split(text),
            reference: one_sentence_per_line(&splitter.split(summary)),
        });
    }
    Ok(Corpus {
        one_sentence: name == "xsum",
        name,
        examples,
    })
}

/// The records of a JSONL file with their line numbers (from 1), blank lines skipped.
fn jsonl_records(path: &Path) -> anyhow::Result<Vec<(usize, serde_json::Value)>> {
    let content =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    content
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, record)| {
            serde_json::from_str(record)
                .map(|value| (i + 1, value))
                .with_context(|| format!("{}:{}", path.display(), i + 1))
        })
        .collect()
}
