//! Output: annotated articles as JSON (one document) or JSONL (one article per line), field by field as the
//! README documents them.

mod partial;
mod record;

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
}

/// Writes articles as they come, in the chosen format.
pub struct ArticleWriter<W: Write> {
    out: W,
    format: OutputFormat,
    written: usize,
}

impl<W: Write> ArticleWriter<W> {
    /// Starts the output; for JSON this writes the run object and opens the article list.
    pub fn begin(mut out: W, format: OutputFormat, run: &RunInfo) -> Result<Self> {
        if format == OutputFormat::Json {
            let run = serde_json::to_string_pretty(run)?;
            write!(out, "{{\n  \"run\": {},\n  \"articles\": [", indent(&run))
                .map_err(write_error)?;
        }
        Ok(ArticleWriter {
            out,
            format,
            written: 0,
        })
    }

    /// Writes one article.
    pub fn write(&mut self, record: &ArticleRecord) -> Result<()> {
        match self.format {
            OutputFormat::Json => {
                let separator = if self.written == 0 { "" } else { "," };
                let article = serde_json::to_string_pretty(record)?;
                write!(self.out, "{separator}\n    {}", indent(&indent(&article)))
                    .map_err(write_error)?;
            }
            OutputFormat::Jsonl => {
                serde_json::to_writer(&mut self.out, record)?;
                writeln!(self.out).map_err(write_error)?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Closes the document and flushes; returns the writer.
    pub fn finish(mut self) -> Result<W> {
        if self.format == OutputFormat::Json {
            let close = if self.written == 0 {
                "]\n}\n"
            } else {
                "\n  ]\n}\n"
            };
            self.out.write_all(close.as_bytes()).map_err(write_error)?;
        }
        self.out.flush().map_err(write_error)?;
        Ok(self.out)
    }
}

/// Indents every line after the first by two spaces (pretty JSON nested one level deeper).
fn indent(json: &str) -> String {
    json.replace('\n', "\n  ")
}

fn write_error(e: std::io::Error) -> Error {
    Error::io("output", e)
}
