//! Output files that are never half-written under their final name: the output is written to
//! `<name>.partial` beside it and renamed over the final path only once complete. A run killed at any moment
//! leaves the old output untouched, and a JSONL `.partial` that [`PartialFile::resume`] continues.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// An output being written to its `.partial` file.
pub struct PartialFile {
    path: PathBuf,
    partial: PathBuf,
    file: BufWriter<File>,
}

impl PartialFile {
    /// `<path>.partial`: in the same folder, so the final rename stays on one file system and is atomic.
    pub fn partial_path(path: &Path) -> PathBuf {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".partial");
        path.with_file_name(name)
    }

    /// Starts a fresh output for `path` (its folder is created if needed; an old `.partial` is discarded).
    pub fn create(path: &Path) -> Result<Self> {
        create_parent(path)?;
        let partial = Self::partial_path(path);
        let file = File::create(&partial).map_err(|e| Error::io(&partial, e))?;
        Ok(PartialFile {
            path: path.to_path_buf(),
            partial,
            file: BufWriter::new(file),
        })
    }

    /// Continues a JSONL output for `path`: from its `.partial` if there is one, else from the complete output
    /// if there is one, else from nothing. A torn or unreadable last line is cut off, so the file holds whole
    /// records only. Returns the file, positioned at its end, and the ids it already holds.
    pub fn resume(path: &Path) -> Result<(Self, WrittenIds)> {
        create_parent(path)?;
        let partial = Self::partial_path(path);
        if !partial.exists() && path.exists() {
            std::fs::copy(path, &partial).map_err(|e| Error::io(&partial, e))?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&partial)
            .map_err(|e| Error::io(&partial, e))?;
        let (valid_bytes, count) = whole_records(&mut file).map_err(|e| Error::io(&partial, e))?;
        file.set_len(valid_bytes)
            .map_err(|e| Error::io(&partial, e))?;
        file.seek(std::io::SeekFrom::End(0))
            .map_err(|e| Error::io(&partial, e))?;
        let reader = File::open(&partial).map_err(|e| Error::io(&partial, e))?;
        let written = WrittenIds {
            lines: BufReader::new(reader.take(valid_bytes)),
            count,
            source: partial.clone(),
        };
        Ok((
            PartialFile {
                path: path.to_path_buf(),
                partial,
                file: BufWriter::new(file),
            },
            written,
        ))
    }

    /// Flushes, syncs to disk and renames the `.partial` over the final path.
    pub fn commit(self) -> Result<()> {
        let file = self
            .file
            .into_inner()
            .map_err(|e| Error::io(&self.partial, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&self.partial, e))?;
        std::fs::rename(&self.partial, &self.path).map_err(|e| Error::io(&self.path, e))
    }
}

impl Write for PartialFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// The ids of the records a resumed output already holds, read back in order as the run reaches them.
pub struct WrittenIds {
    lines: BufReader<std::io::Take<File>>,
    count: usize,
    source: PathBuf,
}

impl WrittenIds {
    /// How many records the output holds.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The id of the next record held, or `None` past the last.
    pub fn next_id(&mut self) -> Result<Option<String>> {
        let mut line = Vec::new();
        let read = self
            .lines
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(&self.source, e))?;
        if read == 0 {
            return Ok(None);
        }
        Ok(record_id(&line))
    }
}

/// The `id` of a JSONL record line, if it is a JSON object with a string id.
fn record_id(line: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: String,
    }
    serde_json::from_slice::<Id>(line)
        .ok()
        .map(|record| record.id)
}

/// Length of the leading run of whole records (lines ending in a line break, each a JSON object with an id),
/// and their number.
fn whole_records(file: &mut File) -> std::io::Result<(u64, usize)> {
    let mut reader = BufReader::new(&*file);
    let mut line = Vec::new();
    let mut valid = 0u64;
    let mut count = 0;
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)?;
        if read == 0 || !line.ends_with(b"\n") || record_id(&line).is_none() {
            break;
        }
        valid += read as u64;
        count += 1;
    }
    Ok((valid, count))
}

fn create_parent(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_cuts_a_torn_last_line_and_lists_the_ids_held() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.jsonl");
        std::fs::write(
            PartialFile::partial_path(&out),
            "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"te",
        )
        .unwrap();
        let (mut file, mut written) = PartialFile::resume(&out).unwrap();
        assert_eq!(written.count(), 2);
        assert_eq!(written.next_id().unwrap().as_deref(), Some("a"));
        assert_eq!(written.next_id().unwrap().as_deref(), Some("b"));
        assert_eq!(written.next_id().unwrap(), None);
        writeln!(file, "{{\"id\":\"c\"}}").unwrap();
        file.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n"
        );
        assert!(!PartialFile::partial_path(&out).exists());
    }

    #[test]
    fn a_fresh_output_replaces_the_old_one_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.json");
        std::fs::write(&out, "old").unwrap();
        let mut file = PartialFile::create(&out).unwrap();
        file.write_all(b"new").unwrap();
        file.flush().unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
        file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
    }
}
