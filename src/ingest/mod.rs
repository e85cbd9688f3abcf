//! Ingest: turns files, directories and stdin into dumps (plain text to segment) and records (articles from JSONL
//! lines or CSV/TSV rows).
//!
//! Bad input never stops a run: undecodable bytes are replaced, unusable lines and files are skipped, and each
//! problem is returned as a [`Warning`] naming the file and line, beside the good documents.

mod delimited;
mod jsonl;
mod lines;
mod stream;
mod text;
mod utf16;
mod walk;

pub use delimited::{looks_like_header, parse_csv, sniff_delimiter, CsvColumns, CsvRecords};
pub use jsonl::{parse_jsonl, parse_record};
pub use lines::{UniversalLines, MAX_LINE_BYTES};
pub use stream::InputStream;
pub use text::{decode_lines, Dump};
pub use walk::{walk_inputs, InputFile, Walk};

use crate::article::Article;
use crate::error::Result;
use crate::terminal::escape_controls;
use std::path::PathBuf;

/// How to read an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// By file extension: `.jsonl` is JSONL, `.csv` CSV, `.tsv` TSV, anything else a dump; stdin is sniffed
    /// from its first line (`{` starts JSONL, a header row naming a text column starts CSV/TSV).
    #[default]
    Auto,
    /// A plain-text dump to segment.
    Dump,
    /// JSONL records `{id, title?, text}`, one article per line.
    Jsonl,
    /// A CSV export: a header row, then one article per row; the delimiter (comma, semicolon or tab) is
    /// taken from the header.
    Csv,
    /// A TSV export: as CSV, tab-separated.
    Tsv,
    /// Every file (and stdin) is one article, not segmented: its first line is the headline when it looks like
    /// one, bylines and date lines are metadata, and boilerplate lines are dropped, as in a dump.
    Article,
}

impl InputFormat {
    /// Whether a file read in this format holds ready articles (records) rather than a dump to segment; under
    /// `Auto` the file's extension decides. Stdin (`-`), whose format may be sniffed, is not a file here.
    pub fn reads_records(self, path: &std::path::Path) -> bool {
        match self {
            InputFormat::Jsonl | InputFormat::Csv | InputFormat::Tsv => true,
            InputFormat::Dump | InputFormat::Article => false,
            InputFormat::Auto => record_extension(path).is_some(),
        }
    }
}

/// The record format a file's extension names (`.jsonl`, `.csv`, `.tsv`, in any case), if any.
pub(crate) fn record_extension(path: &std::path::Path) -> Option<InputFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "jsonl" => Some(InputFormat::Jsonl),
        "csv" => Some(InputFormat::Csv),
        "tsv" => Some(InputFormat::Tsv),
        _ => None,
    }
}

/// A problem with some input that was skipped or repaired; the run goes on.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Warning {
    /// The file (or `-`).
    pub source: String,
    /// 1-based line, when the problem is on one line.
    pub line: Option<usize>,
    /// What was wrong and what was done about it.
    pub message: String,
}

/// One line for a terminal: control characters in the file name and message are escaped, so a file name
/// holding a line break or an escape sequence cannot forge or hide warning lines.
impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let source = escape_controls(&self.source);
        let message = escape_controls(&self.message);
        match self.line {
            Some(line) => write!(f, "{source}:{line}: {message}"),
            None => write!(f, "{source}: {message}"),
        }
    }
}

/// One input unit after reading.
#[derive(Clone, Debug)]
pub enum Document {
    /// A plain-text dump, still to be segmented.
    Dump(Dump),
    /// A ready article from a JSONL record or a CSV/TSV row (a row keeps its line span in the file).
    Record(Article),
}

/// What reading the inputs produced: documents in input order, plus every warning.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Dumps and records in the order the inputs were given (directory entries sorted by name).
    pub documents: Vec<Document>,
    /// Problems that were skipped or repaired.
    pub warnings: Vec<Warning>,
}

/// Reads every input whole. Unreadable or binary files become warnings; the other inputs are still read.
pub fn read_inputs(paths: &[PathBuf], format: InputFormat) -> Result<Ingested> {
    Ok(collect(InputStream::new(paths, format, None)?))
}

fn collect(mut stream: InputStream) -> Ingested {
    let documents: Vec<Document> = stream.by_ref().collect();
    Ingested {
        documents,
        warnings: stream.take_warnings(),
    }
}
