//! `newsdigest table`: a short human-readable table of an output file.

use anyhow::Context;
use serde::Deserialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `newsdigest table`.
#[derive(Debug, clap::Args)]
pub struct TableArgs {
    /// A `newsdigest run` output file (JSON or JSONL).
    file: PathBuf,
    /// Characters shown of the title and of the summary.
    #[arg(long, default_value_t = 70)]
    width: usize,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    label: String,
    title: Option<String>,
    text: String,
    summary: String,
}

#[derive(Deserialize)]
struct Document {
    articles: Vec<Row>,
}

/// Prints id, label, title (or first words) and summary, one article per line.
pub fn run(args: TableArgs) -> anyhow::Result<ExitCode> {
    let content = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let rows = match serde_json::from_str::<Document>(&content) {
        Ok(document) => document.articles,
        Err(_) => content
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, line)| {
                serde_json::from_str(line)
                    .with_context(|| format!("{}:{}: not an article", args.file.display(), i + 1))
            })
            .collect::<anyhow::Result<_>>()?,
    };
    let id_width = rows
        .iter()
        .map(|r| newsdigest::terminal::escape_controls(&r.id).chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    let label_width = rows.iter().map(|r| r.label.len()).max().unwrap_or(5).max(5);
    println!(
        "{:id_width$}  {:label_width$}  {:w$}  summary",
        "id",
        "label",
        "title",
        w = args.width
    );
    for row in rows {
        let title = row.title.unwrap_or(row.text);
        println!(
            "{:id_width$}  {:label_width$}  {:w$}  {}",
            newsdigest::terminal::escape_controls(&row.id),
            newsdigest::terminal::escape_controls(&row.label),
            clip(&title, args.width),
            clip(&row.summary, args.width),
            w = args.width
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The first `width` characters of `text` on one line, with an ellipsis when cut; control characters (an
/// escape sequence in a headline) are escaped, never sent to the terminal.
fn clip(text: &str, width: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = newsdigest::terminal::escape_controls(&flat).into_owned();
    if flat.chars().count() <= width {
        return flat;
    }
    let mut clipped: String = flat.chars().take(width.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}
