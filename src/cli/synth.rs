//! `newsdigest synth`: renders real articles into synthetic dumps of many layout families, with their gold.

use anyhow::{bail, Context};
use newsdigest::sentences::RuleSplitter;
use newsdigest::synth::{self, Family, Split, SynthOptions};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `newsdigest synth`.
#[derive(Debug, clap::Args)]
pub struct SynthArgs {
    /// Folder to write `<family>/<family>-NNN.txt`, `gold.jsonl` and `gold-<family>.jsonl` into (created).
    #[arg(long)]
    out: PathBuf,
    /// The data folder holding dev/, cnndm/, xsum/, reliefweb/ and crisis-news/.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Families to render, comma-separated (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    families: Vec<Family>,
    /// Dumps to write per family.
    #[arg(long, default_value_t = 10)]
    dumps_per_family: usize,
    /// Articles per dump, `MIN-MAX` (or one number).
    #[arg(long, default_value = "4-12", value_parser = parse_range)]
    articles_per_dump: (usize, usize),
    /// Seed of every random choice: the same seed and options give byte-identical files.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Which stories to render: validation stories never appear in training dumps.
    #[arg(long, value_enum, default_value_t = Split::Train)]
    split: Split,
}

fn parse_range(text: &str) -> Result<(usize, usize), String> {
    let (low, high) = text.split_once('-').unwrap_or((text, text));
    let number = |part: &str| {
        part.trim()
            .parse::<usize>()
            .map_err(|_| format!("`{text}` is not MIN-MAX (two whole numbers)"))
    };
    let (low, high) = (number(low)?, number(high)?);
    if low == 0 || low > high {
        return Err(format!("`{text}`: need 1 <= MIN <= MAX"));
    }
    Ok((low, high))
}

/// One gold record, as `newsdigest eval --gold` reads it.
#[derive(Serialize)]
struct GoldRecord<'a> {
    dump: String,
    id: String,
    start_line: usize,
    end_line: usize,
    title: Option<&'a str>,
    family: Family,
    /// Required by eval; `unlabelled` when the source corpus has no topic label.
    label: &'a str,
    source_id: &'a str,
    corpus: synth::Corpus,
}

/// Loads the corpora, renders the dumps and writes them with their gold.
pub fn run(args: SynthArgs) -> anyhow::Result<ExitCode> {
    let pool = synth::load_corpora(&args.data, &RuleSplitter::default())?;
    if pool.is_empty() {
        bail!(
            "no articles under {}: expected dev/articles.jsonl, cnndm/articles.jsonl, ... (give --data)",
            args.data.display()
        );
    }
    let families = if args.families.is_empty() {
        Family::ALL.to_vec()
    } else {
        args.families.clone()
    };
    let options = SynthOptions {
        families: families.clone(),
        dumps_per_family: args.dumps_per_family,
        articles_per_dump: args.articles_per_dump,
        seed: args.seed,
        split: args.split,
    };
    let dumps = synth::generate(&pool, &options);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let mut all_gold = String::new();
    let mut family_gold: Vec<(Family, String)> =
        families.iter().map(|&f| (f, String::new())).collect();
    let mut counters = std::collections::HashMap::<Family, usize>::new();
    for dump in &dumps {
        let number = counters.entry(dump.family).or_default();
        let stem = format!("{}-{:03}", dump.family, *number);
        *number += 1;
        let folder = args.out.join(dump.family.name());
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("creating {}", folder.display()))?;
        let file = format!("{stem}.txt");
        write(&folder.join(&file), dump.text.as_bytes())?;
        for (index, span) in dump.spans.iter().enumerate() {
            let record = GoldRecord {
                dump: file.clone(),
                id: format!("{stem}#{}", index + 1),
                start_line: span.start_line,
                end_line: span.end_line,
                title: span.title.as_deref(),
                family: dump.family,
                label: span.label.as_deref().unwrap_or("unlabelled"),
                source_id: &span.source_id,
                corpus: span.corpus,
            };
            let line = serde_json::to_string(&record)? + "\n";
            all_gold.push_str(&line);
            if let Some((_, gold)) = family_gold.iter_mut().find(|(f, _)| *f == dump.family) {
                gold.push_str(&line);
            }
        }
    }
    write(&args.out.join("gold.jsonl"), all_gold.as_bytes())?;
    for (family, gold) in &family_gold {
        write(
            &args.out.join(format!("gold-{family}.jsonl")),
            gold.as_bytes(),
        )?;
    }
    let articles: usize = dumps.iter().map(|d| d.spans.len()).sum();
    eprintln!(
        "newsdigest: wrote {} dumps ({articles} articles, {:?} split) of {} families to {}",
        dumps.len(),
        args.split,
        families.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}
