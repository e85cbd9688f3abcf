//! Ingest: turns files, directories and stdin into dumps (plain text to segment) and records (JSONL articles).
//!
//! Bad input never stops a run: undecodable bytes are replaced, unusable lines and files are skipped, and each
//! problem is returned as a [`Warning`] naming the file and line, beside the good documents.

mod jsonl;
mod lines;
mod stream;
mod text;

pub use jsonl::{parse_jsonl, parse_record};
pub use lines::{UniversalLines, MAX_LINE_BYTES};
pub use stream::InputStream;
pub use text::{decode_lines, Dump};

use crate::article::Article;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// How to read an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// By file extension: `.jsonl` is JSONL, anything else a dump; stdin is sniffed from its first byte.
    #[default]
    Auto,
    /// A plain-text dump to segment.
    Dump,
    /// JSONL records `{id, title?, text}`, one article per line.
    Jsonl,
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

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.source, line, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

/// One input unit after reading.
#[derive(Clone, Debug)]
pub enum Document {
    /// A plain-text dump, still to be segmented.
    Dump(Dump),
    /// A ready article from a JSONL record.
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

/// Expands the given paths: a directory contributes its `.txt` and `.jsonl` files (recursively, sorted by path).
/// `-` stands for stdin and is kept as is.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut expanded = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" || !path.is_dir() {
            expanded.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        collect_dir(path, &mut found)?;
        found.sort();
        expanded.extend(found);
    }
    Ok(expanded)
}

fn collect_dir(dir: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            collect_dir(&path, found)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("txt" | "jsonl")
        ) {
            found.push(path);
        }
    }
    Ok(())
}

/// Reads every input whole. Unreadable or binary files become warnings; the other inputs are still read.
pub fn read_inputs(paths: &[PathBuf], format: InputFormat) -> Result<Ingested> {
    Ok(collect(InputStream::new(paths, format, None)?))
}

/// Reads one input's bytes into `ingested`, choosing the format as `format` says.
pub fn read_bytes(name: &str, bytes: &[u8], format: InputFormat, ingested: &mut Ingested) {
    let read = collect(InputStream::from_bytes(name, bytes.to_vec(), format));
    ingested.documents.extend(read.documents);
    ingested.warnings.extend(read.warnings);
}

fn collect(mut stream: InputStream) -> Ingested {
    let documents: Vec<Document> = stream.by_ref().collect();
    Ingested {
        documents,
        warnings: stream.take_warnings(),
    }
}
