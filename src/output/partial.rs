//! Output files that are never half-written under their final name: the output is written to
//! `<name>.partial` beside it and renamed over the final path only once complete. A run killed at any moment
//! leaves the old output untouched, and a JSONL `.partial` that [`PartialFile::resume`] continues.
//!
//! The `.partial` is always created anew (`O_CREAT | O_EXCL | O_NOFOLLOW`), so a link planted under its name is
//! replaced, never written through. A resumable output records what it was made from (a [`Fingerprint`] in
//! `<name>.resume`), and a resume is refused unless the new run is made from the same.

use crate::error::{Error, Result};
use crate::ingest::InputFile;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// An output being written to its `.partial` file.
pub struct PartialFile {
    path: PathBuf,
    partial: PathBuf,
    file: BufWriter<File>,
    /// Whether this run created the `.partial` (rather than continuing one).
    fresh: bool,
}

/// What a resumable output is made from: the run's models and options, how the inputs are read, and each
/// input file's path, size and modification time. Two runs with equal fingerprints write the same records.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint(serde_json::Map<String, serde_json::Value>);

impl Fingerprint {
    /// A fingerprint of named parts (`run`, `reading`, ...) and of the input files, stamped now.
    pub fn new(parts: Vec<(&str, serde_json::Value)>, files: &[InputFile]) -> Self {
        let mut map = serde_json::Map::new();
        for (name, value) in parts {
            map.insert(name.to_string(), value);
        }
        let stamps: Vec<serde_json::Value> = files
            .iter()
            .map(|file| {
                let mut stamp = serde_json::json!({ "path": file.path.display().to_string() });
                // Stdin and pipes cannot be stamped; a regular file is known by its size and mtime.
                if let Some(metadata) = std::fs::metadata(&file.path).ok().filter(|m| m.is_file()) {
                    stamp["bytes"] = metadata.len().into();
                    stamp["modified_ns"] = (i128::from(metadata.mtime()) * 1_000_000_000
                        + i128::from(metadata.mtime_nsec()))
                    .to_string()
                    .into();
                }
                stamp
            })
            .collect();
        map.insert("inputs".to_string(), stamps.into());
        // Read back from its text, as a recorded fingerprint is: numbers made from f32 (`min_score`) then compare
        // equal to the recorded ones.
        let text = serde_json::Value::Object(map).to_string();
        Fingerprint(serde_json::from_str(&text).unwrap_or_default())
    }

    /// A fingerprint as recorded: parsed from its text.
    #[cfg(test)]
    fn recorded(&self) -> Self {
        serde_json::from_str(&serde_json::to_string(self).unwrap()).unwrap()
    }

    /// The parts that differ from `other`, by name.
    fn differences(&self, other: &Fingerprint) -> Vec<String> {
        let mut names: Vec<&String> = self.0.keys().chain(other.0.keys()).collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter(|name| self.0.get(*name) != other.0.get(*name))
            .map(|name| match name.as_str() {
                "inputs" => "the input files (paths, sizes or modification times)".to_string(),
                other => other.to_string(),
            })
            .collect()
    }
}

/// Refuses an output path that cannot be written as a file, or that would replace an input, before any work is
/// done: a folder (`o/`, `o/.`, `o/new/..`), a path whose folder is a file, or one of the input files.
pub fn check_output_path(path: &Path, inputs: &[InputFile]) -> Result<()> {
    let refuse = |why: &str| Err(Error::Config(format!("-o {}: {why}", path.display())));
    let raw = path.as_os_str().as_encoded_bytes();
    let names_folder = raw.is_empty()
        || raw.ends_with(b"/")
        || matches!(raw, b"." | b"..")
        || raw.ends_with(b"/.")
        || raw.ends_with(b"/..");
    if names_folder || path.is_dir() {
        return refuse("names a folder; give a file name");
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if parent.exists() && !parent.is_dir() {
            return refuse("its folder is not a folder");
        }
    }
    if let Ok(output) = std::fs::metadata(path) {
        let same = |file: &&InputFile| {
            std::fs::metadata(&file.path)
                .is_ok_and(|input| (input.dev(), input.ino()) == (output.dev(), output.ino()))
        };
        if let Some(input) = inputs.iter().find(same) {
            return refuse(&format!(
                "is the input {}; refusing to overwrite an input",
                input.path.display()
            ));
        }
    }
    Ok(())
}

/// `<path><suffix>`, in the same folder.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Creates `path` anew for writing: an old file or link of that name is removed first, and the open fails
/// rather than follow a link planted in between.
fn create_new(path: &Path) -> std::io::Result<File> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    OpenOptions::new()
        .write(true)
        .read(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .mode(0o644)
        .open(path)
}

/// Syncs the folder holding `path`, so a rename or creation in it survives a crash.
fn sync_folder(path: &Path) -> std::io::Result<()> {
    let folder = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => parent,
        None => Path::new("."),
    };
    File::open(folder)?.sync_all()
}

impl PartialFile {
    /// `<path>.partial`: in the same folder, so the final rename stays on one file system and is atomic.
    pub fn partial_path(path: &Path) -> PathBuf {
        with_suffix(path, ".partial")
    }

    /// `<path>.resume`: the [`Fingerprint`] of the run writing the `.partial`, beside it.
    pub fn fingerprint_path(path: &Path) -> PathBuf {
        with_suffix(path, ".resume")
    }

    /// Starts a fresh output for `path` (its folder is created if needed; an old `.partial` is discarded).
    /// Errors name `path`, the user's name for the output.
    pub fn create(path: &Path) -> Result<Self> {
        create_parent(path)?;
        let partial = Self::partial_path(path);
        let file = create_new(&partial).map_err(|e| Error::io(path, e))?;
        match std::fs::remove_file(Self::fingerprint_path(path)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(path, e)),
            _ => {}
        }
        Ok(PartialFile {
            path: path.to_path_buf(),
            partial,
            file: BufWriter::new(file),
            fresh: true,
        })
    }

    /// Records what the output is made from, so that [`PartialFile::resume`] can check a later run against it.
    /// Written beside it and renamed into place, so a run killed meanwhile leaves no torn record.
    pub fn record_fingerprint(&self, fingerprint: &Fingerprint) -> Result<()> {
        let path = Self::fingerprint_path(&self.path);
        let temporary = with_suffix(&path, ".tmp");
        let mut file = create_new(&temporary).map_err(|e| Error::io(&temporary, e))?;
        serde_json::to_writer_pretty(&mut file, fingerprint)?;
        file.write_all(b"\n")
            .and_then(|()| file.sync_all())
            .and_then(|()| std::fs::rename(&temporary, &path))
            .and_then(|()| sync_folder(&path))
            .map_err(|e| Error::io(&path, e))
    }

    /// Continues a JSONL output for `path` from its `.partial`, or starts it when there is neither a `.partial`
    /// nor an output. A torn or unreadable last line is cut off, so the file holds whole records only. Returns
    /// the file, positioned at its end, and the ids it already holds; [`PartialFile::check_fingerprint`] must
    /// then confirm the run is the same before anything is written.
    pub fn resume(path: &Path) -> Result<(Self, Option<WrittenIds>)> {
        let partial = Self::partial_path(path);
        let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
        if !exists(&partial) {
            if exists(path) {
                return Err(Error::Config(format!(
                    "cannot resume: {} is complete or was not written by newsdigest (there is no {}); run \
                     without --resume to write it again",
                    path.display(),
                    partial.display()
                )));
            }
            return Ok((Self::create(path)?, None));
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&partial)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::ELOOP) => Error::Config(format!(
                    "cannot resume: {} is a symbolic link, not a partial output",
                    partial.display()
                )),
                _ => Error::io(&partial, e),
            })?;
        let (valid_bytes, count) = whole_records(&mut file).map_err(|e| Error::io(&partial, e))?;
        let reader = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&partial)
            .map_err(|e| Error::io(&partial, e))?;
        let written = WrittenIds {
            lines: BufReader::new(reader.take(valid_bytes)),
            count,
            valid_bytes,
            source: partial.clone(),
        };
        Ok((
            PartialFile {
                path: path.to_path_buf(),
                partial,
                file: BufWriter::new(file),
                fresh: false,
            },
            Some(written),
        ))
    }

    /// Refuses to continue a `.partial` unless it was written by a run with this fingerprint; on success the
    /// torn last line (if any) is cut and the file positioned for appending. A fresh output records it instead.
    pub fn check_fingerprint(
        &mut self,
        fingerprint: &Fingerprint,
        written: &WrittenIds,
    ) -> Result<()> {
        let path = Self::fingerprint_path(&self.path);
        let recorded: Fingerprint = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::Config(format!("cannot resume: {} is unreadable ({e})", path.display()))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Config(format!(
                    "cannot resume: {} has no record of the run that wrote it ({} is missing); run without \
                     --resume to start again",
                    self.partial.display(),
                    path.display()
                )))
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        let differences = recorded.differences(fingerprint);
        if !differences.is_empty() {
            return Err(Error::Config(format!(
                "cannot resume {}: it was written by another run (other {}); run with the same inputs and \
                 options, or without --resume to start again",
                self.partial.display(),
                differences.join(", ")
            )));
        }
        let file = self.file.get_mut();
        let valid = written.valid_bytes;
        file.set_len(valid)
            .map_err(|e| Error::io(&self.partial, e))?;
        file.seek(std::io::SeekFrom::End(0))
            .map_err(|e| Error::io(&self.partial, e))?;
        Ok(())
    }

    /// Gives up an output that was never written to: a `.partial` this run created is removed, one it was
    /// continuing is kept.
    pub fn abandon(self) {
        if self.fresh {
            let _ = std::fs::remove_file(&self.partial);
        }
    }

    /// Flushes, syncs to disk and renames the `.partial` over the final path, then syncs the folder so the
    /// rename itself is durable.
    pub fn commit(self) -> Result<()> {
        let file = self
            .file
            .into_inner()
            .map_err(|e| Error::io(&self.path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&self.path, e))?;
        std::fs::rename(&self.partial, &self.path).map_err(|e| Error::io(&self.path, e))?;
        sync_folder(&self.path).map_err(|e| Error::io(&self.path, e))?;
        match std::fs::remove_file(Self::fingerprint_path(&self.path)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&self.path, e)),
            _ => Ok(()),
        }
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
    /// Length of the whole records at the start of the file.
    valid_bytes: u64,
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
    fn a_fingerprint_with_f32_numbers_equals_itself_recorded() {
        let fresh = Fingerprint::new(vec![("run", serde_json::to_value(0.03f32).unwrap())], &[]);
        assert!(fresh.recorded().differences(&fresh).is_empty());
    }

    fn fingerprint(min_score: f64) -> Fingerprint {
        Fingerprint::new(
            vec![("run", serde_json::json!({ "min_score": min_score }))],
            &[],
        )
    }

    /// A run that recorded `fingerprint(0.5)`, wrote two records and a torn third, and was killed.
    fn interrupted(out: &Path) {
        let mut file = PartialFile::create(out).unwrap();
        file.record_fingerprint(&fingerprint(0.5)).unwrap();
        write!(
            file,
            "{{\"id\":\"a\"}}\n{{\"id\":\"b\"}}\n{{\"id\":\"c\",\"te"
        )
        .unwrap();
        file.flush().unwrap();
    }

    #[test]
    fn resume_cuts_a_torn_last_line_and_lists_the_ids_held() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.jsonl");
        interrupted(&out);
        let (mut file, written) = PartialFile::resume(&out).unwrap();
        let mut written = written.unwrap();
        file.check_fingerprint(&fingerprint(0.5), &written).unwrap();
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
        assert!(!PartialFile::fingerprint_path(&out).exists());
    }

    #[test]
    fn resume_with_other_options_or_without_a_record_is_refused_and_leaves_the_partial() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.jsonl");
        interrupted(&out);
        let before = std::fs::read(PartialFile::partial_path(&out)).unwrap();
        let (mut file, written) = PartialFile::resume(&out).unwrap();
        let err = file
            .check_fingerprint(&fingerprint(0.7), written.as_ref().unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("cannot resume") && err.contains("another run"),
            "{err}"
        );
        assert_eq!(
            std::fs::read(PartialFile::partial_path(&out)).unwrap(),
            before
        );

        std::fs::remove_file(PartialFile::fingerprint_path(&out)).unwrap();
        let (mut file, written) = PartialFile::resume(&out).unwrap();
        let err = file
            .check_fingerprint(&fingerprint(0.5), written.as_ref().unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("has no record of the run"), "{err}");
    }

    #[test]
    fn a_complete_output_is_not_resumed_and_a_missing_one_is_started() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.jsonl");
        let (_, written) = PartialFile::resume(&out).unwrap();
        assert!(written.is_none());
        std::fs::write(&out, "{\"id\":\"raw\",\"text\":\"input\"}\n").unwrap();
        std::fs::remove_file(PartialFile::partial_path(&out)).unwrap();
        let err = PartialFile::resume(&out).err().unwrap().to_string();
        assert!(err.contains("cannot resume"), "{err}");
    }

    #[test]
    fn a_link_planted_at_the_partial_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let out = dir.path().join("out.jsonl");
        std::os::unix::fs::symlink(&victim, PartialFile::partial_path(&out)).unwrap();
        let err = PartialFile::resume(&out).err().unwrap().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        let mut file = PartialFile::create(&out).unwrap();
        file.write_all(b"output").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "output");
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
