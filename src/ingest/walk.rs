//! Which files the given input paths stand for: folders walked in name order, each file read once, loops and
//! special files skipped, and an id prefix for each file that is unique within the run.

use super::Warning;
use crate::error::{Error, Result};
use std::collections::{HashMap, HashSet};
use std::fs::Metadata;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// One file to read, as the walk found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    /// The path to open (`-` for stdin).
    pub path: PathBuf,
    /// The prefix of the ids of its articles: the path relative to the input given, without extension (`x` for a
    /// file given as `in/x.txt`, `a/x` for `a/x.txt` inside a folder given); when two files would share a
    /// prefix, each of them uses its whole path as given instead.
    pub stem: String,
}

/// A file's identity on disk: the same identity reached twice (by a link, or a folder given twice) is one file.
type Identity = (u64, u64);

fn identity(metadata: &Metadata) -> Identity {
    (metadata.dev(), metadata.ino())
}

/// What walking the inputs found: the files in order, and what was skipped.
#[derive(Debug, Default)]
pub struct Walk {
    /// The files to read, in input order (folder entries in name order).
    pub files: Vec<InputFile>,
    /// Files and folders that were skipped, and why.
    pub warnings: Vec<Warning>,
}

/// Expands the given paths into the files to read. A folder contributes its `.txt`, `.jsonl`, `.csv` and `.tsv` files,
/// recursively and in name order; symbolic links are followed, but a folder already walked (a link loop such as
/// `ln -s . self`) and a file already read are skipped with a warning, as are files that are not regular files
/// (FIFOs, sockets, devices) and folders that cannot be read. A path given by name is read whatever it is (`-`,
/// a named pipe such as `<(cmd)`); one that cannot be found is a warning, unless no given input can be found at
/// all, which is an error.
pub fn walk_inputs(paths: &[PathBuf]) -> Result<Walk> {
    let mut walker = Walker::default();
    let mut first_missing = None;
    let mut any_found = false;
    for path in paths {
        if path.as_os_str() == "-" {
            any_found = true;
            walker.push(path.clone(), "stdin".to_string());
            continue;
        }
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                any_found = true;
                walker.walk_dir(path, Path::new(""), &metadata);
            }
            Ok(metadata) => {
                any_found = true;
                if walker.first_time(path, &metadata) {
                    walker.push(path.clone(), file_stem(path));
                }
            }
            Err(e) => {
                walker.warn(path, format!("skipped: cannot read ({e})"));
                first_missing.get_or_insert((path, e));
            }
        }
    }
    if let (false, Some((path, e))) = (any_found, first_missing) {
        return Err(Error::io(path, e));
    }
    Ok(walker.finish())
}

#[derive(Default)]
struct Walker {
    walk: Walk,
    /// Folders walked, by identity, with the path they were walked as.
    dirs: HashMap<Identity, PathBuf>,
    /// Files taken, by identity, with the path they were taken as.
    files: HashMap<Identity, PathBuf>,
}

impl Walker {
    fn warn(&mut self, path: &Path, message: String) {
        self.walk.warnings.push(Warning {
            source: path.display().to_string(),
            line: None,
            message,
        });
    }

    fn push(&mut self, path: PathBuf, stem: String) {
        self.walk.files.push(InputFile { path, stem });
    }

    /// Whether the file is met for the first time; a second meeting is reported.
    fn first_time(&mut self, path: &Path, metadata: &Metadata) -> bool {
        if let Some(first) = self.files.get(&identity(metadata)) {
            let message = format!("skipped: the same file as {} (read once)", first.display());
            self.warn(path, message);
            return false;
        }
        self.files.insert(identity(metadata), path.to_path_buf());
        true
    }

    /// Walks folder `dir`, which is `relative` below the folder given.
    fn walk_dir(&mut self, dir: &Path, relative: &Path, metadata: &Metadata) {
        if let Some(first) = self.dirs.get(&identity(metadata)) {
            let message = if dir.starts_with(first) {
                format!(
                    "skipped: a link back to the folder {} (a loop)",
                    first.display()
                )
            } else {
                format!(
                    "skipped: the same folder as {} (read once)",
                    first.display()
                )
            };
            self.warn(dir, message);
            return;
        }
        self.dirs.insert(identity(metadata), dir.to_path_buf());
        let mut entries: Vec<_> = match std::fs::read_dir(dir) {
            Ok(entries) => entries.filter_map(|entry| entry.ok()).collect(),
            Err(e) => {
                self.warn(dir, format!("skipped folder: cannot read ({e})"));
                return;
            }
        };
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            let path = entry.path();
            let relative = relative.join(entry.file_name());
            let wanted = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("txt" | "jsonl" | "csv" | "tsv")
            );
            let metadata = match std::fs::metadata(&path) {
                Ok(metadata) => metadata,
                Err(e) => {
                    let what = if path.is_symlink() {
                        "a symbolic link that leads nowhere"
                    } else {
                        "cannot read"
                    };
                    self.warn(&path, format!("skipped: {what} ({e})"));
                    continue;
                }
            };
            let kind = metadata.file_type();
            if kind.is_dir() {
                self.walk_dir(&path, &relative, &metadata);
            } else if !wanted {
                continue;
            } else if kind.is_file() {
                if self.first_time(&path, &metadata) {
                    self.push(path, without_extension(&relative));
                }
            } else {
                let what = if kind.is_fifo() {
                    "a named pipe"
                } else if kind.is_socket() {
                    "a socket"
                } else {
                    "a device"
                };
                let message = format!("skipped: {what}, not a regular file (name it to read it)");
                self.warn(&path, message);
            }
        }
    }

    /// The files, with stems made unique: those that collide take their whole path as given.
    fn finish(mut self) -> Walk {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for file in &self.walk.files {
            *count.entry(file.stem.as_str()).or_default() += 1;
        }
        let colliding: HashSet<String> = count
            .into_iter()
            .filter(|&(_, n)| n > 1)
            .map(|(stem, _)| stem.to_string())
            .collect();
        for file in &mut self.walk.files {
            if colliding.contains(&file.stem) {
                file.stem = file.path.display().to_string();
            }
        }
        self.walk
    }
}

/// The file name without its extension.
fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A relative path without the extension of its last part, with `/` between parts.
fn without_extension(relative: &Path) -> String {
    relative.with_extension("").display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn stems(walk: &Walk) -> Vec<&str> {
        walk.files.iter().map(|f| f.stem.as_str()).collect()
    }

    #[test]
    fn nested_files_take_their_relative_path_as_stem() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::create_dir_all(dir.path().join("b")).unwrap();
        for name in ["a/x.txt", "b/x.txt", "top.jsonl", "z.csv", "notes.md"] {
            std::fs::write(dir.path().join(name), "text").unwrap();
        }
        let walk = walk_inputs(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(stems(&walk), ["a/x", "b/x", "top", "z"]);
        assert!(walk.warnings.is_empty());
    }

    #[test]
    fn files_given_by_name_with_the_same_stem_use_their_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::create_dir_all(dir.path().join("b")).unwrap();
        let a = dir.path().join("a/x.txt");
        let b = dir.path().join("b/x.txt");
        std::fs::write(&a, "one").unwrap();
        std::fs::write(&b, "two").unwrap();
        let walk = walk_inputs(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(
            stems(&walk),
            [a.display().to_string(), b.display().to_string()]
        );
    }

    #[test]
    fn a_link_to_a_file_already_read_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.txt"), "one").unwrap();
        symlink("x.txt", dir.path().join("y.txt")).unwrap();
        let walk = walk_inputs(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(stems(&walk), ["x"]);
        assert_eq!(walk.warnings.len(), 1);
        assert!(walk.warnings[0].message.contains("the same file as"));
    }

    #[test]
    fn no_input_found_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.txt");
        let err = walk_inputs(&[missing]).unwrap_err().to_string();
        assert!(err.contains("missing.txt"), "{err}");
    }
}
