//! Hand-written gold: the one schema and the one reader for the files `eval` scores against and `fit` trains on
//! (`gold.jsonl`'s dump spans, `articles.jsonl`'s articles), and how a gold span's text is taken from its dump.

use crate::error::{Error, Result};
use crate::ingest::{decode_lines, Dump};
use serde::Deserialize;
use std::path::Path;

/// A gold article: a `gold.jsonl` record (`dump`, `id`, `start_line`, `end_line`, `title`, `label`, `also`,
/// `summary`) or an `articles.jsonl` record (`id`, `title`, `text`, `label`, `also`, `summary`). Every field is
/// optional: each use takes the records that hold what it needs (spans for segmentation, `label` for labels,
/// `summary` for ROUGE, `text` or a span for training) and says what is missing. `label` may be one name or a
/// list whose first name is the primary label; the others join `also`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(from = "GoldRecord")]
pub struct GoldArticle {
    /// The article id (`<dump stem>#<n>` in the dev set); `<file stem>:<line>` when the record has none.
    pub id: String,
    /// File name of the dump holding the article, for span alignment.
    pub dump: Option<String>,
    /// First line of the article in the dump, 1-based.
    pub start_line: Option<usize>,
    /// Last line of the article in the dump, 1-based and inclusive.
    pub end_line: Option<usize>,
    /// Headline, if the article has one.
    pub title: Option<String>,
    /// Clean body text (articles.jsonl only).
    pub text: Option<String>,
    /// Primary topic label.
    pub label: Option<String>,
    /// Secondary topic labels, each once, without the primary one.
    pub also: Vec<String>,
    /// Reference summary.
    pub summary: Option<String>,
    /// The line of the gold file the record was read from (0 for a record made in code).
    pub line: usize,
}

/// A gold record as written, before its label is split and its id settled.
#[derive(Deserialize)]
struct GoldRecord {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    dump: Option<String>,
    #[serde(default)]
    start_line: Option<usize>,
    #[serde(default)]
    end_line: Option<usize>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    label: Option<OneOrMany>,
    #[serde(default)]
    also: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
}

/// A gold label: one name, or a list of names whose first is the primary label.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl From<GoldRecord> for GoldArticle {
    fn from(record: GoldRecord) -> Self {
        let (label, also) = match record.label {
            Some(label) => {
                let (primary, further) = split_labels(label, record.also);
                (Some(primary), further)
            }
            None => (None, record.also),
        };
        GoldArticle {
            id: match record.id {
                Some(serde_json::Value::String(id)) => id,
                Some(other) => other.to_string(),
                None => String::new(),
            },
            dump: record.dump,
            start_line: record.start_line,
            end_line: record.end_line,
            title: record.title,
            text: record.text,
            label,
            also,
            summary: record.summary,
            line: 0,
        }
    }
}

/// The primary label and the further ones (`also` after the rest of a list), trimmed, each once.
fn split_labels(label: OneOrMany, also: Vec<String>) -> (String, Vec<String>) {
    let mut names = match label {
        OneOrMany::One(name) => vec![name],
        OneOrMany::Many(names) => names,
    }
    .into_iter()
    .chain(also)
    .map(|name| name.trim().to_string());
    let primary = names.next().unwrap_or_default();
    let mut further: Vec<String> = Vec::new();
    for name in names {
        if name != primary && !name.is_empty() && !further.contains(&name) {
            further.push(name);
        }
    }
    (primary, further)
}

/// Reads a gold file: JSONL, one record per line (blank lines skipped; a byte-order mark or UTF-16 is
/// decoded). Gold must be clean: the first unusable line is an error naming it. A record without `id` gets
/// `<file stem>:<line>`.
pub fn read_gold(path: &Path) -> Result<Vec<GoldArticle>> {
    let source = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let (lines, _) = decode_lines(&source, &bytes);
    let stem = Dump::new(source.clone(), Vec::new()).stem;
    let mut gold = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut article: GoldArticle = serde_json::from_str(line).map_err(|e| Error::Input {
            source_name: source.clone(),
            line: index + 1,
            message: format!("not a gold record: {e}"),
        })?;
        if article.id.is_empty() {
            article.id = format!("{stem}:{}", index + 1);
        }
        article.line = index + 1;
        gold.push(article);
    }
    Ok(gold)
}

/// The text of a gold span: lines `start..=end` (1-based) of its dump, without the headline when it is printed
/// in the first line, paragraphs unwrapped (see [`unwrap_paragraphs`]). Byline or boilerplate lines inside the
/// span stay. Returns a message when the span is not inside the dump.
pub fn span_text(
    dump_lines: &[String],
    start: usize,
    end: usize,
    title: Option<&str>,
) -> std::result::Result<String, String> {
    if start == 0 || start > end || end > dump_lines.len() {
        return Err(format!(
            "span {start}-{end} is not inside the dump ({} lines)",
            dump_lines.len()
        ));
    }
    let mut body: Vec<&str> = dump_lines[start - 1..end]
        .iter()
        .map(String::as_str)
        .collect();
    if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
        if let Some(at) = body[0].find(title) {
            body[0] = body[0][at + title.len()..]
                .trim_start_matches([':', ' ', '-', '\u{2013}', '\u{2014}']);
        }
    }
    Ok(unwrap_paragraphs(&body))
}

/// Joins printed lines into the article text layout: lines of one paragraph (hard-wrapped or not) joined by a
/// space, paragraphs (separated by blank lines) by a blank line. Deliberately simpler than the segmenter's
/// paragraph rules (`segment::paragraphs`): gold spans are cut by hand, and the text trained on must not depend
/// on the segmenter that gold is there to score.
fn unwrap_paragraphs(lines: &[&str]) -> String {
    lines
        .split(|line| line.trim().is_empty())
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| {
            paragraph
                .iter()
                .map(|line| line.trim())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}
