//! Exports the boundary model's training data and scores boundary models on gold folders. Run through
//! `scripts/train-segmenter` (which trains the trees in Python from the exported features) and
//! `scripts/segmentation-lolo`.
//!
//! ```text
//! segmenter_data --set NAME=GOLD.jsonl[:DUMPS]... [--features-out FILE.jsonl] [--model MODEL.json]
//!                [--score] [--misses] [--family F] [--cache FILE]
//! ```
//! `--set`: gold spans `{dump, start_line, end_line}` (records may carry `family` and `split`, as
//! `newsdigest synth` writes them) with the dumps under DUMPS (default: GOLD's folder; a dump is looked for
//! there, under `dumps/` and under its family's folder). `--features-out` (and the feature names beside it,
//! `.names`): one JSON line per dump with every
//! candidate line, its label (a gold story starts there) and features, the words before it, and the words of
//! the gold articles. `--score`: segments every dump with `--model` (default: the committed model) and prints
//! boundary F1 and Pk per set and per family (`--family`: only that family's dumps; a `.csv`/`.tsv` file, which
//! newsdigest reads as records, is scored by its rows' spans instead); `--misses`: every gold
//! start missed and every start made that gold has not, with the model's log-odds and strongest features.
//! Sentence vectors are
//! cached by sentence in `--cache` (default `/work/cache/segmenter-vectors.bin`), so each is embedded once;
//! `--also-read FILE` reads more vectors of the same format (never written to).

use anyhow::{bail, Context};
use newsdigest::embed::{Embedder, MiniLmEmbedder, Precision};
use newsdigest::eval::segmentation::{aggregate, score_dump, DumpScore, Span};
use newsdigest::ingest::{decode_lines, read_inputs, Document, Dump, InputFormat};
use newsdigest::segment::features::FEATURE_NAMES;
use newsdigest::segment::model::BoundaryModel;
use newsdigest::segment::{DumpSegmenter, PreparedDump, Segmenter};
use newsdigest::sentences::RuleSplitter;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[path = "common/sentence_vectors.rs"]
mod sentence_vectors;
use sentence_vectors::SentenceVectors;

#[derive(serde::Deserialize)]
struct GoldRecord {
    dump: String,
    start_line: usize,
    end_line: usize,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    split: Option<String>,
}

/// A dump with its gold spans, prepared and embedded.
struct GoldDump {
    name: String,
    family: String,
    split: String,
    dump: Dump,
    gold: Vec<Span>,
    prepared: PreparedDump,
    vectors: Vec<Vec<f32>>,
}

struct Options {
    sets: Vec<(String, PathBuf, PathBuf)>,
    features_out: Option<PathBuf>,
    model: Option<PathBuf>,
    score: bool,
    misses: bool,
    family: Option<String>,
    cache: PathBuf,
    also_read: Vec<PathBuf>,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        sets: Vec::new(),
        features_out: None,
        model: None,
        score: false,
        misses: false,
        family: None,
        cache: PathBuf::from("/work/cache/segmenter-vectors.bin"),
        also_read: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--set" => {
                let spec = value()?;
                let (name, spec) = spec
                    .split_once('=')
                    .with_context(|| format!("--set {spec}: expected NAME=GOLD[:DUMPS]"))?;
                let (gold, dumps) = match spec.split_once(':') {
                    Some((gold, dumps)) => (PathBuf::from(gold), PathBuf::from(dumps)),
                    None => {
                        let gold = PathBuf::from(spec);
                        let folder = gold.parent().map_or(PathBuf::from("."), Path::to_path_buf);
                        (gold, folder)
                    }
                };
                options.sets.push((name.to_string(), gold, dumps));
            }
            "--features-out" => options.features_out = Some(value()?.into()),
            "--model" => options.model = Some(value()?.into()),
            "--score" => options.score = true,
            "--misses" => options.misses = true,
            "--family" => options.family = Some(value()?),
            "--cache" => options.cache = value()?.into(),
            "--also-read" => options.also_read.push(value()?.into()),
            other => bail!(
                "unknown argument {other} (see the doc comment of examples/segmenter_data.rs)"
            ),
        }
    }
    Ok(options)
}

fn read_jsonl(path: &Path) -> anyhow::Result<Vec<GoldRecord>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).with_context(|| format!("{}:{}", path.display(), n + 1))
        })
        .collect()
}

/// Reads the dumps of a gold file and prepares them (their vectors are filled in by [`embed_all`]).
fn load(gold: &Path, dumps: &Path, family_filter: Option<&str>) -> anyhow::Result<Vec<GoldDump>> {
    let mut by_dump: BTreeMap<String, Vec<GoldRecord>> = BTreeMap::new();
    for record in read_jsonl(gold)? {
        by_dump.entry(record.dump.clone()).or_default().push(record);
    }
    // Preparing needs no model (and the committed one may predate the current features).
    let segmenter = DumpSegmenter::with_model(BoundaryModel::untrained());
    let splitter = RuleSplitter::default();
    let mut loaded = Vec::new();
    for (name, records) in by_dump {
        let family = records[0]
            .family
            .clone()
            .unwrap_or_else(|| "all".to_string());
        if family_filter.is_some_and(|f| f != family) {
            continue;
        }
        let path = [
            dumps.join(&name),
            dumps.join("dumps").join(&name),
            dumps.join(&family).join(&name),
        ]
        .into_iter()
        .find(|p| p.exists())
        .with_context(|| {
            format!(
                "{}: dump {name} not found under {}",
                gold.display(),
                dumps.display()
            )
        })?;
        let bytes = std::fs::read(&path)?;
        let (lines, _) = decode_lines(&path.display().to_string(), &bytes);
        let dump = Dump::new(path.display().to_string(), lines);
        let prepared = segmenter.prepare(&dump, &splitter);
        let mut gold: Vec<Span> = records
            .iter()
            .map(|r| Span {
                start: r.start_line,
                end: r.end_line,
                title: None,
            })
            .collect();
        gold.sort_by_key(|s| s.start);
        loaded.push(GoldDump {
            family,
            split: records[0]
                .split
                .clone()
                .unwrap_or_else(|| "train".to_string()),
            name,
            dump,
            gold,
            prepared,
            vectors: Vec::new(),
        });
    }
    Ok(loaded)
}

/// Embeds the sentences of every dump at once (the new ones in long, length-sorted batches).
fn embed_all(
    dumps: &mut [&mut GoldDump],
    cache: &mut SentenceVectors,
    embedder: &mut dyn Embedder,
) -> anyhow::Result<()> {
    let all: Vec<&str> = dumps.iter().flat_map(|d| d.prepared.sentences()).collect();
    let missing = cache.missing(&all);
    eprintln!("{} sentences to embed", missing.len());
    cache.add(embedder, &missing)?;
    let vectors: Vec<Vec<f32>> = all.iter().map(|t| cache.get(t).to_vec()).collect();
    let mut vectors = vectors.into_iter();
    for d in dumps.iter_mut() {
        d.vectors = vectors.by_ref().take(d.prepared.sentence_count()).collect();
    }
    Ok(())
}

/// One dump's candidates with labels and features, as a JSON line.
fn features_record(set: &str, d: &GoldDump, dimension: usize) -> serde_json::Value {
    let candidates = d.prepared.candidates(&d.vectors, dimension);
    let (words_before, total_words) = d.prepared.words();
    let starts: Vec<usize> = d.gold.iter().map(|g| g.start).collect();
    let labels: Vec<bool> = candidates
        .iter()
        .map(|c| starts.contains(&(c.line + 1)))
        .collect();
    let covered = labels.iter().filter(|&&l| l).count();
    serde_json::json!({
        "set": set, "dump": d.name, "family": d.family, "split": d.split,
        "gold_starts": starts.len(), "covered_starts": covered,
        "lines": candidates.iter().map(|c| c.line + 1).collect::<Vec<_>>(),
        "labels": labels,
        "features": candidates.iter().map(|c| &c.features).collect::<Vec<_>>(),
        "words_before": words_before, "total_words": total_words,
        "article_words": article_words(d),
    })
}

/// Words of each gold article (its non-blank lines).
fn article_words(d: &GoldDump) -> Vec<usize> {
    d.gold
        .iter()
        .map(|g| {
            d.dump.lines[g.start.saturating_sub(1)..g.end.min(d.dump.lines.len())]
                .iter()
                .map(|l| l.split_whitespace().count())
                .sum()
        })
        .collect()
}

/// Prints every gold start the segmenter missed and every start it made that gold has not, with the
/// boundary model's log-odds there and its strongest features, to see what a model has not learned.
fn print_misses(model: &BoundaryModel, dumps: &[&GoldDump], dimension: usize) {
    let segmenter = DumpSegmenter::with_model(model.clone());
    for d in dumps {
        let segmentation =
            segmenter.finish(&d.dump, d.prepared.clone(), d.vectors.clone(), dimension);
        let found: Vec<usize> = segmentation
            .articles
            .iter()
            .filter_map(|a| a.start_line)
            .collect();
        let gold: Vec<usize> = d.gold.iter().map(|g| g.start).collect();
        let candidates = d.prepared.candidates(&d.vectors, dimension);
        let report = |line: usize, what: &str| {
            let text: String = d.dump.lines[line - 1].chars().take(70).collect();
            let Some(candidate) = candidates.iter().find(|c| c.line + 1 == line) else {
                println!("  {what} {line}: (no candidate) {text:?}");
                return;
            };
            let strongest: Vec<String> = model
                .contributions(&candidate.features)
                .iter()
                .take(5)
                .map(|c| format!("{} {:+.1}", c.name, c.value))
                .collect();
            println!(
                "  {what} {line} ({:+.1}): {text:?}\n      {}",
                model.logit(&candidate.features),
                strongest.join(", ")
            );
        };
        let missed: Vec<usize> = gold
            .iter()
            .copied()
            .filter(|g| !found.contains(g))
            .collect();
        let extra: Vec<usize> = found
            .iter()
            .copied()
            .filter(|f| !gold.contains(f))
            .collect();
        if missed.is_empty() && extra.is_empty() {
            continue;
        }
        println!("{} ({}):", d.name, d.family);
        missed.iter().for_each(|&l| report(l, "missed"));
        extra.iter().for_each(|&l| report(l, "false"));
    }
}

/// Segments the dumps with `model` and scores them against their gold.
fn score(model: &BoundaryModel, dumps: &[&GoldDump], dimension: usize) -> DumpScore {
    let segmenter = DumpSegmenter::with_model(model.clone());
    let scores: Vec<DumpScore> = dumps
        .iter()
        .map(|d| {
            let predicted = record_spans(&d.dump).unwrap_or_else(|| {
                let segmentation =
                    segmenter.finish(&d.dump, d.prepared.clone(), d.vectors.clone(), dimension);
                segmentation
                    .articles
                    .iter()
                    .filter_map(Span::of_article)
                    .collect()
            });
            score_dump(&d.name, d.dump.lines.len(), &d.gold, &predicted)
        })
        .collect();
    aggregate(&scores).total
}

/// The spans of a file newsdigest reads as records, not as a dump (a CSV/TSV export: one article per row, by
/// its extension), as the CLI reads it; `None` for a dump.
fn record_spans(dump: &Dump) -> Option<Vec<Span>> {
    let path = PathBuf::from(&dump.source);
    if !InputFormat::Auto.reads_records(&path) {
        return None;
    }
    let read = read_inputs(&[path], InputFormat::Auto).ok()?;
    let spans = read.documents.iter().filter_map(|document| match document {
        Document::Record(article) => Span::of_article(article),
        Document::Dump(_) => None,
    });
    Some(spans.collect())
}

fn row(name: &str, dumps: usize, score: &DumpScore) -> String {
    format!(
        "| {name} | {dumps} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
        score.counts.gold_articles,
        score.counts.predicted_articles,
        score.boundary_precision,
        score.boundary_recall,
        score.boundary_f1,
        score.pk,
        score.exact_span_accuracy
    )
}

const HEADER: &str =
    "| data | dumps | gold | found | P | R | F1 | Pk | exact spans |\n|---|---|---|---|---|---|---|---|---|";

fn main() -> anyhow::Result<()> {
    let options = options()?;
    let mut embedder = MiniLmEmbedder::load(
        &newsdigest::models::default_embedding_model_dir(),
        Precision::Fp32,
    )?;
    let dimension = embedder.dimension();
    let mut cache = SentenceVectors::open(&options.cache, &options.also_read, dimension)?;
    let mut sets = Vec::new();
    for (name, gold, dumps) in &options.sets {
        let loaded = load(gold, dumps, options.family.as_deref())?;
        eprintln!("{name}: {} dumps", loaded.len());
        sets.push((name.clone(), loaded));
    }
    let mut all: Vec<&mut GoldDump> = sets
        .iter_mut()
        .flat_map(|(_, dumps)| dumps.iter_mut())
        .collect();
    embed_all(&mut all, &mut cache, &mut embedder)?;
    if let Some(path) = &options.features_out {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        for (name, dumps) in &sets {
            for d in dumps {
                serde_json::to_writer(&mut out, &features_record(name, d, dimension))?;
                out.write_all(b"\n")?;
            }
        }
        out.flush()?;
        let names = path.with_extension("names");
        std::fs::write(&names, FEATURE_NAMES.join("\n") + "\n")?;
    }
    if options.misses {
        let model = match &options.model {
            Some(path) => BoundaryModel::from_json(&std::fs::read_to_string(path)?)?,
            None => BoundaryModel::committed(),
        };
        for (_, dumps) in &sets {
            print_misses(&model, &dumps.iter().collect::<Vec<_>>(), dimension);
        }
    }
    if options.score {
        let model = match &options.model {
            Some(path) => BoundaryModel::from_json(&std::fs::read_to_string(path)?)?,
            None => BoundaryModel::committed(),
        };
        println!("{HEADER}");
        for (name, dumps) in &sets {
            let all: Vec<&GoldDump> = dumps.iter().collect();
            println!("{}", row(name, all.len(), &score(&model, &all, dimension)));
            let mut families: Vec<&str> = dumps.iter().map(|d| d.family.as_str()).collect();
            families.sort_unstable();
            families.dedup();
            if families.len() > 1 {
                for family in families {
                    let some: Vec<&GoldDump> =
                        dumps.iter().filter(|d| d.family == family).collect();
                    println!(
                        "{}",
                        row(
                            &format!("{name}: {family}"),
                            some.len(),
                            &score(&model, &some, dimension)
                        )
                    );
                }
            }
        }
    }
    Ok(())
}
