//! Helpers shared by subcommands.

use super::progress::Progress;
use newsdigest::ingest::{walk_inputs, Document, InputStream, Warning};
use newsdigest::output::PartialFile;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where a subcommand writes: stdout, or a file that appears under its name only once complete.
pub enum OutputFile {
    /// Standard output, buffered.
    Stdout(std::io::BufWriter<std::io::Stdout>),
    /// A file, written to `<name>.partial` until [`OutputFile::finish`].
    File(PartialFile),
}

impl OutputFile {
    /// Opens `path`, or stdout when there is none.
    pub fn create(path: Option<&Path>) -> anyhow::Result<Self> {
        Ok(match path {
            Some(path) => OutputFile::File(PartialFile::create(path)?),
            None => OutputFile::Stdout(std::io::BufWriter::new(std::io::stdout())),
        })
    }

    /// Flushes, and puts a file in place under its final name.
    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            OutputFile::Stdout(mut out) => out.flush()?,
            OutputFile::File(file) => file.commit()?,
        }
        Ok(())
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            OutputFile::Stdout(out) => out.write(buf),
            OutputFile::File(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            OutputFile::Stdout(out) => out.flush(),
            OutputFile::File(file) => file.flush(),
        }
    }
}

/// Prints one input warning to stderr.
pub fn report_warning(warning: &Warning) {
    eprintln!("newsdigest: warning: {warning}");
}

/// The next document of `input`, after printing the warnings reading it raised (above the progress display)
/// and adding them to `warnings`.
pub fn next_document(
    input: &mut InputStream,
    progress: &Progress,
    warnings: &mut usize,
) -> Option<Document> {
    let document = input.next();
    for warning in input.take_warnings() {
        progress.suspend(|| report_warning(&warning));
        *warnings += 1;
    }
    document
}

/// Prints the one-line summary of input warnings to stderr, if there were any.
pub fn report_warning_count(count: usize) {
    if count > 0 {
        eprintln!(
            "newsdigest: {count} input problem(s): the affected lines or files were skipped or repaired"
        );
    }
}

/// Total size of the inputs in bytes, for a progress bar; `None` when one of them is stdin, whose size is not
/// known in advance. Unreadable files count 0 (they are reported when read).
pub fn input_bytes(inputs: &[PathBuf]) -> Option<u64> {
    let paths: Vec<PathBuf> = walk_inputs(inputs)
        .ok()?
        .files
        .into_iter()
        .map(|file| file.path)
        .collect();
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return None;
    }
    Some(
        paths
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum(),
    )
}
