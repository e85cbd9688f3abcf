//! Output: annotated articles as JSON (one document), JSONL (one article per line), or CSV/TSV (one row per
//! article, one column per label score), field by field as the README documents them.

mod partial;
mod record;

pub use crate::rounding::{round, to_rounded_json, to_rounded_value, DECIMALS};
pub use partial::{check_output_path, Fingerprint, PartialFile, WrittenIds};
pub use record::{ArticleRecord, ModelInfo, RunInfo};

use crate::error::{Error, Result};
use std::io::Write;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// One JSON document `{"run": {...}, "articles": [...]}`, pretty-printed.
    #[default]
    Json,
    /// One compact JSON article per line; no run object.
    Jsonl,
    /// Comma-separated values with a header row: one row per article, one `score_<label>` column per label.
    Csv,
    /// Tab-separated values, otherwise as csv.
    Tsv,
}

/// Writes articles as they come, in the chosen format.
pub struct ArticleWriter<W: Write> {
    sink: Sink<W>,
    written: usize,
}

/// The writer of one format.
enum Sink<W: Write> {
    Json(W),
    Jsonl(W),
    /// CSV or TSV; the columns are fixed by the first article (or the run's label set when there is none).
    Delimited {
        writer: Box<csv::Writer<W>>,
        columns: Option<Vec<String>>,
        labels: Vec<String>,
    },
}

impl<W: Write> ArticleWriter<W> {
    /// Starts the output; for JSON this writes the run object and opens the article list.
    pub fn begin(mut out: W, format: OutputFormat, run: &RunInfo) -> Result<Self> {
        let sink = match format {
            OutputFormat::Json => {
                let run = serde_json::to_string_pretty(run)?;
                write!(out, "{{\n  \"run\": {},\n  \"articles\": [", indent(&run))
                    .map_err(write_error)?;
                Sink::Json(out)
            }
            OutputFormat::Jsonl => Sink::Jsonl(out),
            OutputFormat::Csv | OutputFormat::Tsv => {
                let delimiter = if format == OutputFormat::Csv {
                    b','
                } else {
                    b'\t'
                };
                let mut labels: Vec<String> = run
                    .options
                    .labels
                    .names()
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                labels.push(run.options.labels.fallback.clone());
                Sink::Delimited {
                    writer: Box::new(
                        csv::WriterBuilder::new()
                            .delimiter(delimiter)
                            .from_writer(out),
                    ),
                    columns: None,
                    labels,
                }
            }
        };
        Ok(ArticleWriter { sink, written: 0 })
    }

    /// Writes one article.
    pub fn write(&mut self, record: &ArticleRecord) -> Result<()> {
        match &mut self.sink {
            Sink::Json(out) => {
                let separator = if self.written == 0 { "" } else { "," };
                let article = serde_json::to_string_pretty(record)?;
                write!(out, "{separator}\n    {}", indent(&indent(&article)))
                    .map_err(write_error)?;
            }
            Sink::Jsonl(out) => {
                serde_json::to_writer(&mut *out, record)?;
                writeln!(out).map_err(write_error)?;
            }
            Sink::Delimited {
                writer, columns, ..
            } => {
                let cells = flat_cells(record);
                let columns = match columns {
                    Some(columns) => columns,
                    None => {
                        let header = cells.iter().map(|(name, _)| name.clone()).collect();
                        writer.write_record(&header).map_err(csv_error)?;
                        columns.insert(header)
                    }
                };
                let row = row_in_columns(cells, columns)?;
                writer.write_record(&row).map_err(csv_error)?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Closes the document and flushes; returns the writer.
    pub fn finish(self) -> Result<W> {
        let mut out = match self.sink {
            Sink::Json(mut out) => {
                let close = if self.written == 0 {
                    "]\n}\n"
                } else {
                    "\n  ]\n}\n"
                };
                out.write_all(close.as_bytes()).map_err(write_error)?;
                out
            }
            Sink::Jsonl(out) => out,
            Sink::Delimited {
                mut writer,
                columns,
                labels,
            } => {
                if columns.is_none() {
                    writer
                        .write_record(empty_header(&labels))
                        .map_err(csv_error)?;
                }
                writer
                    .into_inner()
                    .map_err(|e| write_error(e.into_error()))?
            }
        };
        out.flush().map_err(write_error)?;
        Ok(out)
    }
}

/// One article as (column, cell) pairs in output order: the fields of [`ArticleRecord`] with one
/// `score_<label>` column per label in place of `scores`, and the long `text` last; `null` is an empty cell.
fn flat_cells(record: &ArticleRecord) -> Vec<(String, String)> {
    let optional = |value: &Option<String>| value.clone().unwrap_or_default();
    let line = |value: Option<usize>| value.map(|l| l.to_string()).unwrap_or_default();
    let mut cells = vec![
        ("id".to_string(), record.id.clone()),
        ("source".to_string(), record.source.clone()),
        ("start_line".to_string(), line(record.start_line)),
        ("end_line".to_string(), line(record.end_line)),
        ("title".to_string(), optional(&record.title)),
        ("byline".to_string(), optional(&record.byline)),
        ("dateline".to_string(), optional(&record.dateline)),
        ("published".to_string(), optional(&record.published)),
        ("source_tag".to_string(), optional(&record.source_tag)),
        ("label".to_string(), record.label.clone()),
        ("labels".to_string(), record.labels.join(";")),
    ];
    cells.extend(
        record
            .scores
            .iter()
            .map(|(label, score)| (format!("score_{label}"), score.to_string())),
    );
    cells.extend([
        ("summary".to_string(), record.summary.clone()),
        (
            "summary_chunks".to_string(),
            record.summary_chunks.to_string(),
        ),
        (
            "summary_truncated".to_string(),
            record.summary_truncated.to_string(),
        ),
        ("truncated".to_string(), record.truncated.to_string()),
        ("text".to_string(), record.text.clone()),
    ]);
    cells
}

/// The cells in the order of the header; an article with other columns than the first is an error.
fn row_in_columns(cells: Vec<(String, String)>, columns: &[String]) -> Result<Vec<String>> {
    if cells.len() != columns.len() || cells.iter().zip(columns).any(|((name, _), c)| name != c) {
        let names: Vec<&str> = cells.iter().map(|(name, _)| name.as_str()).collect();
        return Err(Error::Config(format!(
            "an article has the columns {names:?}, not those of the first article ({columns:?})"
        )));
    }
    Ok(cells.into_iter().map(|(_, value)| value).collect())
}

/// The header of a CSV with no articles: the columns an article would have, with the run's labels.
fn empty_header(labels: &[String]) -> Vec<String> {
    let record = ArticleRecord {
        id: String::new(),
        source: String::new(),
        start_line: None,
        end_line: None,
        title: None,
        byline: None,
        dateline: None,
        published: None,
        source_tag: None,
        text: String::new(),
        summary: String::new(),
        summary_chunks: 0,
        summary_truncated: false,
        label: String::new(),
        labels: Vec::new(),
        scores: labels.iter().map(|l| (l.clone(), 0.0)).collect(),
        truncated: false,
    };
    flat_cells(&record)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => write_error(e),
        other => Error::Config(format!("writing CSV: {other:?}")),
    }
}

/// Indents every line after the first by two spaces (pretty JSON nested one level deeper).
fn indent(json: &str) -> String {
    json.replace('\n', "\n  ")
}

fn write_error(e: std::io::Error) -> Error {
    Error::io("output", e)
}
