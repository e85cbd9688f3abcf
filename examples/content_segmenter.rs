//! Trains and measures the content segmenter (`src/segment/content.rs`) on dumps with gold spans whose
//! stories follow each other with nothing between them (`newsdigest synth --families sentence-lines-flat,...`,
//! `cnndm/dumps/flat`). Every non-blank line of a dump is one unit; its vector is the normalised mean of the
//! MiniLM (float32) vectors of its sentences, cached per sentence text in the `--cache` file so reruns embed
//! nothing new. Driven by `scripts/train_content_segmenter`.
//!
//! usage:
//!   content_segmenter export  --cache FILE --out FEATURES.jsonl (--dumps DIR GOLD)...
//!       writes each dump's gap features, gold starts and sentences per unit, for the fit
//!   content_segmenter tune    --cache FILE --model JSON (--dumps DIR GOLD)...
//!       chooses the length prior's weight and per-article score on these dumps (lowest mean Pk, then
//!       highest F1) and rewrites the model file
//!   content_segmenter measure --cache FILE [--model JSON] [--combined] (--dumps NAME DIR GOLD)...
//!       prints articles, boundary F1, Pk and WindowDiff per named set of dumps: of the content segmenter
//!       alone on lines, or (`--combined`) as `DumpSegmenter` combines it with the boundary model
//!   content_segmenter whole-stories --data DIR --out DIR --seed N [--split validation]
//!       writes dumps without layout cues of whole stories (not cut to a few paragraphs, as `newsdigest
//!       synth` cuts them): `sentence-lines-flat-whole/` (a sentence per line) and
//!       `paragraph-lines-flat-whole/` (a paragraph per line), 40 dumps each of 4-10 stories of at least
//!       15 sentences (the first 80 kept) from the corpora under DIR's training split (or validation),
//!       with `gold-<layout>.jsonl`; long stories change subject inside, as real ones do
//!   content_segmenter export-join --cache FILE [--model JSON] --out FEATURES.jsonl (--dumps DIR GOLD)...
//!       writes, for every gap between prose units of these dumps read the way `DumpSegmenter` reads a dump
//!       without layout cues, the content log-odds, the committed boundary model's log-odds and whether a
//!       gold story starts there: what `fit_content_segmenter.py --join` fits the join of the two on

use anyhow::{bail, Context};
use newsdigest::embed::{normalized_mean, MiniLmEmbedder, Precision};
use newsdigest::eval::segmentation::{aggregate, score_dump, AggregateScore, Span};
use newsdigest::ingest::{decode_lines, Dump};
use newsdigest::segment::content::{ContentModel, ContentSegmenter};
use newsdigest::segment::{CuelessProse, DumpSegmenter, PreparedDump, Segmenter};
use newsdigest::sentences::{RuleSplitter, SentenceSplitter};
use newsdigest::synth::{load_corpora, SourceArticle, Split};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "common/sentence_vectors.rs"]
mod sentence_vectors;
use sentence_vectors::SentenceVectors;

/// One dump ready for the segmenter: its units and their gold.
struct UnitDump {
    name: String,
    lines: usize,
    /// 1-based line of each unit.
    unit_lines: Vec<usize>,
    vectors: Vec<Vec<f32>>,
    sentences: Vec<usize>,
    gold: Vec<Span>,
}

impl UnitDump {
    /// Whether a gold story starts at each unit after the first.
    fn starts(&self) -> Vec<bool> {
        self.unit_lines[1..]
            .iter()
            .map(|line| self.gold.iter().any(|g| g.start == *line))
            .collect()
    }

    /// Sentences of each gold article.
    fn article_sentences(&self) -> Vec<usize> {
        self.gold
            .iter()
            .map(|g| {
                self.unit_lines
                    .iter()
                    .zip(&self.sentences)
                    .filter(|(line, _)| g.start <= **line && **line <= g.end)
                    .map(|(_, s)| s)
                    .sum()
            })
            .collect()
    }

    /// The spans of the articles starting at the given units (and at unit 0).
    fn spans(&self, starts: &[usize]) -> Vec<Span> {
        let mut firsts: Vec<usize> = vec![self.unit_lines[0]];
        firsts.extend(starts.iter().map(|&u| self.unit_lines[u]));
        let last = *self.unit_lines.last().unwrap_or(&1);
        firsts
            .iter()
            .enumerate()
            .map(|(k, &start)| Span {
                start,
                end: firsts.get(k + 1).map_or(last, |next| next - 1),
                title: None,
            })
            .collect()
    }
}

const DIMENSION: usize = 384;

/// The gold spans of `gold` (JSONL of `dump`, `start_line`, `end_line`) by dump name, each in order.
fn read_gold(gold: &Path) -> anyhow::Result<BTreeMap<String, Vec<Span>>> {
    let text =
        std::fs::read_to_string(gold).with_context(|| format!("reading {}", gold.display()))?;
    let mut spans: BTreeMap<String, Vec<Span>> = Default::default();
    for (index, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let record: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}", gold.display(), index + 1))?;
        let dump = record["dump"]
            .as_str()
            .context("gold record without dump")?;
        spans
            .entry(dump.to_string())
            .or_default()
            .push(serde_json::from_value(record.clone())?);
    }
    for dump in spans.values_mut() {
        dump.sort_by_key(|g| g.start);
    }
    Ok(spans)
}

/// Embeds the sentences of `texts` the cache lacks.
fn embed_missing(cache: &mut SentenceVectors, texts: &[&str]) -> anyhow::Result<()> {
    let missing = cache.missing(texts);
    if !missing.is_empty() {
        eprintln!(
            "content_segmenter: embedding {} new sentences",
            missing.len()
        );
        let mut embedder = MiniLmEmbedder::load(
            &newsdigest::models::default_embedding_model_dir(),
            Precision::Fp32,
        )?;
        cache.add(&mut embedder, &missing)?;
    }
    Ok(())
}

/// Reads every dump of `dir` named in `gold`, in name order, with every non-blank line a unit.
fn read_dumps(
    dir: &Path,
    gold: &Path,
    cache: &mut SentenceVectors,
) -> anyhow::Result<Vec<UnitDump>> {
    let spans = read_gold(gold)?;
    let splitter = RuleSplitter::default();
    let mut raw = Vec::new();
    for (name, gold) in spans {
        let path = dir.join(&name);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let (lines, _) = decode_lines(&name, &bytes);
        let units: Vec<(usize, Vec<String>)> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i + 1, splitter.split(l)))
            .filter(|(_, s)| !s.is_empty())
            .collect();
        raw.push((name, lines.len(), units, gold));
    }
    let all: Vec<&str> = raw
        .iter()
        .flat_map(|(_, _, units, _)| units.iter().flat_map(|(_, s)| s.iter().map(String::as_str)))
        .collect();
    embed_missing(cache, &all)?;
    Ok(raw
        .into_iter()
        .map(|(name, lines, units, gold)| UnitDump {
            name,
            lines,
            unit_lines: units.iter().map(|(l, _)| *l).collect(),
            vectors: units
                .iter()
                .map(|(_, s)| normalized_mean(s.iter().map(|s| cache.get(s)), cache.dimension))
                .collect(),
            sentences: units.iter().map(|(_, s)| s.len()).collect(),
            gold,
        })
        .collect())
}

/// A dump without layout cues as `DumpSegmenter` reads it, with its gold.
struct CuelessDump {
    dump: Dump,
    prepared: PreparedDump,
    vectors: Vec<Vec<f32>>,
    prose: CuelessProse,
    gold: Vec<Span>,
}

/// Reads every dump of `dir` named in `gold` through `DumpSegmenter` up to the content segmenter (dumps with
/// layout cues are left out, with a note).
fn read_cueless_dumps(
    dir: &Path,
    gold: &Path,
    cache: &mut SentenceVectors,
) -> anyhow::Result<Vec<CuelessDump>> {
    let segmenter = DumpSegmenter::default();
    let splitter = RuleSplitter::default();
    let mut prepared = Vec::new();
    for (name, gold) in read_gold(gold)? {
        let path = dir.join(&name);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let (lines, _) = decode_lines(&name, &bytes);
        let dump = Dump::new(name.clone(), lines);
        prepared.push((segmenter.prepare(&dump, &splitter), dump, gold));
    }
    let all: Vec<&str> = prepared
        .iter()
        .flat_map(|(p, _, _)| p.sentences())
        .collect();
    embed_missing(cache, &all)?;
    let mut dumps = Vec::new();
    for (prepared, dump, gold) in prepared {
        let vectors: Vec<Vec<f32>> = prepared
            .sentences()
            .map(|s| cache.get(s).to_vec())
            .collect();
        let Some(prose) = segmenter.cueless_prose(&prepared, &vectors, cache.dimension) else {
            eprintln!(
                "content_segmenter: {} has layout cues, left out",
                dump.source
            );
            continue;
        };
        dumps.push(CuelessDump {
            dump,
            prepared,
            vectors,
            prose,
            gold,
        });
    }
    Ok(dumps)
}

/// Segments every cue-less dump with `segmenter` and scores it against its gold, summed over the dumps.
fn measure_cueless(segmenter: &DumpSegmenter, dumps: &[CuelessDump]) -> AggregateScore {
    let scores: Vec<_> = dumps
        .par_iter()
        .map(|d| {
            let segmentation =
                segmenter.finish_cueless(&d.dump, d.prepared.clone(), d.vectors.clone(), &d.prose);
            let spans: Vec<Span> = segmentation
                .articles
                .iter()
                .filter_map(Span::of_article)
                .collect();
            score_dump(&d.dump.source, d.dump.lines.len(), &d.gold, &spans)
        })
        .collect();
    aggregate(&scores)
}

/// Whether a gold story starts at each gap between prose units of a cue-less dump (entry g: before prose unit
/// g + 1): at a line from the first after prose unit g to the last before the first after prose unit g + 1.
fn cueless_starts(dump: &CuelessDump) -> Vec<bool> {
    let lines = &dump.prose.start_lines;
    (1..lines.len())
        .map(|p| {
            let end = lines.get(p + 1).copied().unwrap_or(dump.dump.lines.len());
            dump.gold
                .iter()
                .any(|g| (lines[p]..end).contains(&g.start.saturating_sub(1)))
        })
        .collect()
}

/// Segments every dump and scores it against its gold, summed over the dumps.
fn measure(segmenter: &ContentSegmenter, dumps: &[UnitDump]) -> AggregateScore {
    let scores: Vec<_> = dumps
        .iter()
        .map(|d| {
            let starts = segmenter.segment(&d.vectors, Some(&d.sentences));
            score_dump(&d.name, d.lines, &d.gold, &d.spans(&starts))
        })
        .collect();
    aggregate(&scores)
}

/// Stories of fewer sentences are left out of [`write_whole_stories`]' dumps.
const WHOLE_STORY_FEWEST_SENTENCES: usize = 15;
/// Sentences kept of a longer story in [`write_whole_stories`]' dumps (at the end of a block).
const WHOLE_STORY_MOST_SENTENCES: usize = 80;

/// Writes the `whole-stories` dumps (see the usage at the top) of the stories of `split` under `data`.
fn write_whole_stories(data: &Path, out: &Path, seed: u64, split: Split) -> anyhow::Result<()> {
    let stories: Vec<SourceArticle> = load_corpora(data, &RuleSplitter::default())?
        .into_iter()
        .filter(|a| a.split() == split)
        .filter(|a| {
            a.blocks.iter().map(|b| b.sentences.len()).sum::<usize>()
                >= WHOLE_STORY_FEWEST_SENTENCES
        })
        .collect();
    if stories.len() < 10 {
        bail!("{}: only {} long stories", data.display(), stories.len());
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for (layout, by_sentence) in [
        ("sentence-lines-flat-whole", true),
        ("paragraph-lines-flat-whole", false),
    ] {
        let folder = out.join(layout);
        std::fs::create_dir_all(&folder)?;
        let mut gold = String::new();
        for number in 0..40 {
            let name = format!("{layout}-{number:03}.txt");
            let count = rng.gen_range(4..=10);
            let mut text = String::new();
            let mut line = 0;
            for story in stories.choose_multiple(&mut rng, count) {
                let first = line + 1;
                let mut sentences = 0;
                for block in &story.blocks {
                    if sentences >= WHOLE_STORY_MOST_SENTENCES {
                        break;
                    }
                    sentences += block.sentences.len();
                    let lines = match by_sentence {
                        true => block.sentences.clone(),
                        false => vec![block.text()],
                    };
                    for l in lines {
                        text.push_str(&l);
                        text.push('\n');
                        line += 1;
                    }
                }
                let record = serde_json::json!({
                    "dump": name, "start_line": first, "end_line": line, "source_id": story.id,
                });
                gold.push_str(&format!("{record}\n"));
            }
            std::fs::write(folder.join(&name), text)?;
        }
        std::fs::write(out.join(format!("gold-{layout}.jsonl")), gold)?;
    }
    eprintln!(
        "content_segmenter: 2 x 40 dumps of whole stories ({} to choose from) in {}",
        stories.len(),
        out.display()
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let (mut cache, mut model, mut out, mut combined) = (None, None, None, false);
    let (mut data, mut seed, mut split) = (None, 0u64, Split::Train);
    let mut sets: Vec<(String, PathBuf, PathBuf)> = Vec::new();
    let named = command == "measure";
    while let Some(arg) = args.next() {
        let mut value = |what: &str| args.next().with_context(|| format!("{arg} needs {what}"));
        match arg.as_str() {
            "--cache" => cache = Some(PathBuf::from(value("FILE")?)),
            "--model" => model = Some(PathBuf::from(value("JSON")?)),
            "--out" => out = Some(PathBuf::from(value("FILE")?)),
            "--combined" => combined = true,
            "--data" => data = Some(PathBuf::from(value("DIR")?)),
            "--seed" => seed = value("N")?.parse()?,
            "--split" => {
                split = match value("train|validation")?.as_str() {
                    "train" => Split::Train,
                    "validation" => Split::Validation,
                    other => bail!("--split {other}: train or validation"),
                }
            }
            "--dumps" => {
                let name = if named { value("NAME")? } else { String::new() };
                let dir = value("DIR")?;
                let gold = value("GOLD")?;
                sets.push((name, dir.into(), gold.into()));
            }
            _ => bail!("unknown argument {arg}"),
        }
    }
    if command == "whole-stories" {
        let out = out.context("whole-stories needs --out")?;
        let data = data.context("whole-stories needs --data")?;
        return write_whole_stories(&data, &out, seed, split);
    }
    let mut cache =
        SentenceVectors::open(&cache.context("--cache FILE is required")?, &[], DIMENSION)?;
    match command.as_str() {
        "export" => {
            let out = out.context("export needs --out")?;
            let mut text = String::new();
            for (_, dir, gold) in &sets {
                for dump in read_dumps(dir, gold, &mut cache)? {
                    let record = serde_json::json!({
                        "dump": format!("{}/{}", dir.display(), dump.name),
                        "features": ContentSegmenter::features(&dump.vectors),
                        "starts": dump.starts(),
                        "sentences": dump.sentences,
                        "article_sentences": dump.article_sentences(),
                    });
                    text.push_str(&format!("{record}\n"));
                }
            }
            std::fs::write(&out, text).with_context(|| format!("writing {}", out.display()))?;
        }
        "tune" => {
            let path = model.context("tune needs --model")?;
            let mut dumps = Vec::new();
            for (_, dir, gold) in &sets {
                dumps.extend(read_dumps(dir, gold, &mut cache)?);
            }
            let text = std::fs::read_to_string(&path)?;
            let mut fitted: ContentModel = serde_json::from_str(&text)?;
            let mut best = (f64::NEG_INFINITY, 0.0, 0.0, 0.0);
            for weight in [0.0, 0.5, 1.0, 2.0] {
                for cohesion in [0.0, 0.05, 0.1, 0.2, 0.4] {
                    for per_article in [-6.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0] {
                        let prior = &mut fitted.length_prior;
                        (prior.weight, prior.cohesion, prior.per_article) =
                            (weight, cohesion, per_article);
                        let total = measure(&ContentSegmenter::new(fitted.clone())?, &dumps).total;
                        let value = total.boundary_f1 - total.pk;
                        eprintln!(
                            "prior weight {weight:4.2} cohesion {cohesion:4.2} per article {per_article:5.2}: \
                             F1 {:.3} Pk {:.3}",
                            total.boundary_f1, total.pk
                        );
                        if value > best.0 + 1e-9 {
                            best = (value, weight, cohesion, per_article);
                        }
                    }
                }
            }
            let prior = &mut fitted.length_prior;
            (prior.weight, prior.cohesion, prior.per_article) = (best.1, best.2, best.3);
            std::fs::write(&path, serde_json::to_string_pretty(&fitted)? + "\n")?;
            eprintln!(
                "content_segmenter: prior weight {}, cohesion {}, per article {}",
                best.1, best.2, best.3
            );
        }
        "export-join" => {
            let out = out.context("export-join needs --out")?;
            let segmenter = match &model {
                Some(path) => ContentSegmenter::from_json(&std::fs::read_to_string(path)?)?,
                None => ContentSegmenter::load(),
            };
            let mut text = String::new();
            for (_, dir, gold) in &sets {
                for dump in read_cueless_dumps(dir, gold, &mut cache)? {
                    let record = serde_json::json!({
                        "dump": format!("{}/{}", dir.display(), dump.dump.source),
                        "content": segmenter.gap_scores(&dump.prose.vectors),
                        "boundary": dump.prose.boundary_logits(),
                        "starts": cueless_starts(&dump),
                    });
                    text.push_str(&format!("{record}\n"));
                }
            }
            std::fs::write(&out, text).with_context(|| format!("writing {}", out.display()))?;
        }
        "measure" => {
            let segmenter = match &model {
                Some(path) => ContentSegmenter::from_json(&std::fs::read_to_string(path)?)?,
                None => ContentSegmenter::load(),
            };
            println!(
                "| {:<28} | {:>5} | {:>8} | {:>5} | {:>5} | {:>5} | {:>5} |",
                "dumps", "dumps", "articles", "found", "F1", "Pk", "WD"
            );
            println!(
                "|{:-<30}|{:-<7}|{:-<10}|{:-<7}|{:-<7}|{:-<7}|{:-<7}|",
                "", "", "", "", "", "", ""
            );
            let whole = DumpSegmenter::default().with_content(segmenter.clone());
            for (name, dir, gold) in &sets {
                let score = match combined {
                    true => measure_cueless(&whole, &read_cueless_dumps(dir, gold, &mut cache)?),
                    false => measure(&segmenter, &read_dumps(dir, gold, &mut cache)?),
                };
                let total = &score.total;
                println!(
                    "| {:<28} | {:>5} | {:>8} | {:>5} | {:>5.3} | {:>5.3} | {:>5.3} |",
                    name,
                    score.dumps,
                    total.counts.gold_articles,
                    total.counts.predicted_articles,
                    total.boundary_f1,
                    total.pk,
                    total.window_diff
                );
            }
        }
        _ => {
            bail!("usage: content_segmenter export|tune|measure --cache FILE ... (see the source)")
        }
    }
    Ok(())
}
