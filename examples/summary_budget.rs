//! Chooses the extractive summariser's target length by K-fold cross-validation and prints what it measures.
//!
//! Reads `articles.jsonl` records (`text`, `summary`) of each corpus given and splits articles and references
//! with the pipeline's sentence splitter, as `newsdigest eval` does. Corpora named `xsum` (one-sentence
//! references) are measured with one-sentence summaries against Lead-1 and take no part in the choice. For the
//! others, articles are dealt into K folds by position; for each fold the target (40 to 100 words, step 2) with
//! the best mean ROUGE-1 F over every other fold of every corpus is chosen and the fold is summarised with it.
//! Prints, per corpus, the held-out ROUGE F beside Lead-3 and the difference per fold; then ROUGE by
//! target on all articles and the target all of them choose (the default of `ExtractiveOptions`).
//!
//! usage: summary_budget [--folds K] CORPUS_DIR...

use anyhow::{bail, Context};
use newsdigest::eval::rouge::{mean_scores, rouge, RougeScores};
use newsdigest::eval::summaries::{lead3, one_sentence_per_line};
use newsdigest::sentences::{RuleSplitter, SentenceSplitter};
use newsdigest::summarize::{ExtractiveOptions, ExtractiveSummarizer};
use std::path::{Path, PathBuf};

/// Candidate targets, in words.
const TARGETS: std::ops::RangeInclusive<usize> = 40..=100;
const TARGET_STEP: usize = 2;

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
    let mut folds = 5usize;
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--folds" => folds = args.next().context("--folds K")?.parse()?,
            _ => dirs.push(arg.into()),
        }
    }
    if dirs.is_empty() || folds < 2 {
        bail!("usage: summary_budget [--folds K>=2] CORPUS_DIR...");
    }
    let splitter = RuleSplitter::default();
    let corpora: Vec<Corpus> = dirs
        .iter()
        .map(|dir| read_corpus(&splitter, dir))
        .collect::<anyhow::Result<_>>()?;
    let targets: Vec<usize> = TARGETS.step_by(TARGET_STEP).collect();
    // scores[c][t][a]: ROUGE of article a of corpus c summarised with target t.
    let scores: Vec<Vec<Vec<RougeScores>>> = corpora
        .iter()
        .map(|corpus| {
            targets
                .iter()
                .map(|&target| summaries(corpus, target))
                .collect()
        })
        .collect();
    let fitted = |c: usize| !corpora[c].one_sentence;
    // Mean ROUGE-1 F of target t over the articles `keep` lets through, pooled over the fitted corpora.
    let pooled_r1 = |t: usize, keep: &dyn Fn(usize, usize) -> bool| {
        let values: Vec<f64> = (0..corpora.len())
            .filter(|&c| fitted(c))
            .flat_map(|c| {
                scores[c][t]
                    .iter()
                    .enumerate()
                    .filter(move |(a, _)| keep(c, *a))
                    .map(|(_, s)| s.rouge1.f)
            })
            .collect();
        values.iter().sum::<f64>() / values.len().max(1) as f64
    };
    let best_target = |keep: &dyn Fn(usize, usize) -> bool| {
        (0..targets.len())
            .max_by(|&a, &b| {
                pooled_r1(a, keep)
                    .total_cmp(&pooled_r1(b, keep))
                    .then(b.cmp(&a))
            })
            .unwrap_or(0)
    };

    println!("{folds}-fold cross-validation of the target length (folds by article; chosen on the other folds of all corpora but xsum)");
    for (c, corpus) in corpora.iter().enumerate() {
        let lead: Vec<RougeScores> = corpus
            .examples
            .iter()
            .map(|e| lead_baseline(corpus, e))
            .collect();
        let mut held_out: Vec<Option<RougeScores>> = vec![None; corpus.examples.len()];
        let mut chosen = Vec::new();
        for fold in 0..folds {
            let t = if fitted(c) {
                best_target(&|d, a| d != c || a % folds != fold)
            } else {
                0
            };
            chosen.push(targets[t]);
            for a in (fold..corpus.examples.len()).step_by(folds) {
                held_out[a] = Some(scores[c][t][a]);
            }
        }
        let held_out: Vec<RougeScores> = held_out.into_iter().flatten().collect();
        let differences: Vec<String> = (0..folds)
            .map(|fold| {
                let pick = |v: &[RougeScores]| {
                    mean_scores(
                        &v.iter()
                            .skip(fold)
                            .step_by(folds)
                            .cloned()
                            .collect::<Vec<_>>(),
                    )
                };
                let (s, l) = (pick(&held_out), pick(&lead));
                format!(
                    "{:+.2}/{:+.2}",
                    100.0 * (s.rouge1.f - l.rouge1.f),
                    100.0 * (s.rouge2.f - l.rouge2.f)
                )
            })
            .collect();
        let (s, l) = (mean_scores(&held_out), mean_scores(&lead));
        println!(
            "{:<8} {:>4} articles  summary {}  {} {}  targets {:?}  R-1/R-2 difference by fold {}",
            corpus.name,
            corpus.examples.len(),
            triple(&s),
            if corpus.one_sentence {
                "Lead-1"
            } else {
                "Lead-3"
            },
            triple(&l),
            if fitted(c) { chosen } else { vec![] },
            differences.join(" "),
        );
    }
    println!("ROUGE-1 / ROUGE-2 F by target on all articles:");
    for (t, target) in targets.iter().enumerate() {
        let row: Vec<String> = (0..corpora.len())
            .filter(|&c| fitted(c))
            .map(|c| {
                let m = mean_scores(&scores[c][t]);
                format!(
                    "{} {:.2} / {:.2}",
                    corpora[c].name,
                    100.0 * m.rouge1.f,
                    100.0 * m.rouge2.f
                )
            })
            .collect();
        println!("  {target:>3} words  {}", row.join("   "));
    }
    println!(
        "target chosen on all articles: {} words",
        targets[best_target(&|_, _| true)]
    );
    Ok(())
}

fn triple(s: &RougeScores) -> String {
    format!(
        "{:.2} / {:.2} / {:.2}",
        100.0 * s.rouge1.f,
        100.0 * s.rouge2.f,
        100.0 * s.rouge_lsum.f
    )
}

/// ROUGE of every article's summary with this target (one sentence for one-sentence corpora).
fn summaries(corpus: &Corpus, target_words: usize) -> Vec<RougeScores> {
    let defaults = ExtractiveOptions::default();
    let summarizer = ExtractiveSummarizer::new(ExtractiveOptions {
        target_words,
        max_sentences: if corpus.one_sentence {
            1
        } else {
            defaults.max_sentences
        },
        ..defaults
    });
    corpus
        .examples
        .iter()
        .map(|example| {
            let summary: Vec<String> = summarizer
                .select(&example.sentences)
                .iter()
                .map(|extract| extract.text.to_string())
                .collect();
            rouge(&example.reference, &one_sentence_per_line(&summary))
        })
        .collect()
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
    let content =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut examples = Vec::new();
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
