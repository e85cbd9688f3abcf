//! Hostile input trees and files, read through the library (no model): link loops, aliases, FIFOs, unreadable
//! folders, UTF-16, NUL bytes, mistyped JSONL fields and ids that would collide. Nothing hangs, each file is
//! read once, and every skip is a warning naming the file. Property tests walk random trees of folders, files,
//! links and FIFOs.

use newsdigest::ingest::{walk_inputs, Document, InputFormat, InputStream, Warning};
use proptest::prelude::*;
use std::collections::{HashSet, VecDeque};
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Reads `paths` fully on another thread and fails the test if that takes more than 20 s (a hang).
fn read_all(paths: &[PathBuf]) -> (Vec<Document>, Vec<Warning>) {
    let paths = paths.to_vec();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut stream = InputStream::new(&paths, InputFormat::Auto, None).unwrap();
        let documents: Vec<Document> = stream.by_ref().collect();
        let _ = send.send((documents, stream.take_warnings()));
    });
    receive
        .recv_timeout(Duration::from_secs(20))
        .expect("reading the inputs hung")
}

fn sources(documents: &[Document]) -> Vec<String> {
    documents
        .iter()
        .map(|d| match d {
            Document::Dump(dump) => dump.source.clone(),
            Document::Record(article) => article.source.clone(),
        })
        .collect()
}

fn mkfifo(path: &Path) {
    let name = CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0, "mkfifo");
}

fn dump(text: &str) -> String {
    format!("Floods cut the road to {text}\n\nRescue teams reached {text} on Monday after the river rose.\n")
}

#[test]
fn two_links_to_the_folder_itself_end_and_read_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), dump("Avon")).unwrap();
    symlink(".", dir.path().join("l1")).unwrap();
    symlink(".", dir.path().join("l2")).unwrap();
    let (documents, warnings) = read_all(&[dir.path().to_path_buf()]);
    assert_eq!(
        sources(&documents),
        [dir.path().join("a.txt").display().to_string()]
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings.iter().all(|w| w.message.contains("(a loop)")),
        "{warnings:?}"
    );
}

#[test]
fn a_link_named_self_reads_the_file_once_with_one_id_series() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), dump("Avon")).unwrap();
    symlink(".", dir.path().join("self")).unwrap();
    let (documents, warnings) = read_all(&[dir.path().to_path_buf()]);
    assert_eq!(documents.len(), 1);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].source.ends_with("self"), "{warnings:?}");
}

#[test]
fn a_fifo_in_a_folder_is_skipped_and_a_named_one_is_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), dump("Avon")).unwrap();
    let fifo = dir.path().join("pipe.txt");
    mkfifo(&fifo);
    let (documents, warnings) = read_all(&[dir.path().to_path_buf()]);
    assert_eq!(documents.len(), 1);
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0]
            .message
            .contains("a named pipe, not a regular file"),
        "{warnings:?}"
    );

    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, dump("Severn")).unwrap())
    };
    let (documents, warnings) = read_all(&[fifo]);
    writer.join().unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    match &documents[..] {
        [Document::Dump(dump)] => assert!(dump.lines.join("\n").contains("Severn")),
        other => panic!("{other:?}"),
    }
}

/// Drops every capability of the calling thread (Linux keeps them per thread), so even root obeys file
/// permissions there: the unreadable-folder tests mean the same under CI's root as for a user.
fn drop_capabilities() {
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    let mut header = Header {
        version: 0x2008_0522,
        pid: 0,
    };
    let data = [Data {
        effective: 0,
        permitted: 0,
        inheritable: 0,
    }; 2];
    // SAFETY: capset with a version-3 header and two data words, as capset(2) documents.
    let result = unsafe { libc::syscall(libc::SYS_capset, &mut header, data.as_ptr()) };
    assert_eq!(result, 0, "capset");
}

#[test]
fn an_unreadable_subfolder_is_reported_and_the_files_beside_it_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.txt"), dump("Avon")).unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("hidden.txt"), dump("Tees")).unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let root = dir.path().to_path_buf();
    let (documents, warnings) = std::thread::spawn(move || {
        drop_capabilities();
        assert!(
            std::fs::read_dir(&locked).is_err(),
            "the locked folder must be unreadable in this thread"
        );
        read_all(&[root])
    })
    .join()
    .unwrap();
    std::fs::set_permissions(
        dir.path().join("locked"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    assert_eq!(
        sources(&documents),
        [dir.path().join("good.txt").display().to_string()]
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].source.ends_with("locked"));
    assert!(
        warnings[0].message.contains("skipped folder: cannot read")
            && warnings[0].message.contains("denied"),
        "{warnings:?}"
    );
}

#[test]
fn a_dangling_link_in_a_folder_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.txt"), dump("Avon")).unwrap();
    symlink("nowhere", dir.path().join("gone.txt")).unwrap();
    let (documents, warnings) = read_all(&[dir.path().to_path_buf()]);
    assert_eq!(documents.len(), 1);
    assert!(
        warnings[0].message.contains("leads nowhere"),
        "{warnings:?}"
    );
}

#[test]
fn files_named_alike_in_two_subfolders_get_distinct_ids_from_their_relative_paths() {
    let dir = tempfile::tempdir().unwrap();
    for (folder, river) in [("a", "Avon"), ("b", "Tees")] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("x.txt"), dump(river)).unwrap();
    }
    let (documents, _) = read_all(&[dir.path().to_path_buf()]);
    let stems: Vec<&str> = documents
        .iter()
        .map(|d| match d {
            Document::Dump(dump) => dump.stem.as_str(),
            Document::Record(_) => panic!("a dump read as records"),
        })
        .collect();
    assert_eq!(stems, ["a/x", "b/x"]);
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded_in_both_orders() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Séisme à Đà Nẵng\r\n\r\nLes secours sont arrivés lundi.\r\n";
    for (name, mark, big) in [
        ("le.txt", [0xFF, 0xFE], false),
        ("be.txt", [0xFE, 0xFF], true),
    ] {
        let mut bytes = mark.to_vec();
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let (documents, warnings) = read_all(&[dir.path().join("le.txt"), dir.path().join("be.txt")]);
    assert!(warnings.is_empty(), "{warnings:?}");
    for document in &documents {
        let Document::Dump(dump) = document else {
            panic!("a dump read as records")
        };
        assert_eq!(
            dump.lines,
            ["Séisme à Đà Nẵng", "", "Les secours sont arrivés lundi."]
        );
    }
    assert_eq!(documents.len(), 2);
}

#[test]
fn a_nul_byte_is_replaced_and_reported_on_its_line_wherever_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let early = dir.path().join("early.txt");
    let late = dir.path().join("late.txt");
    let body = dump("Avon");
    std::fs::write(&early, format!("Floods\0 hit\n{body}")).unwrap();
    let filler = "Another paragraph about the floods and the roads that were cut.\n".repeat(200);
    std::fs::write(&late, format!("{body}{filler}Floods\0 hit\n")).unwrap();
    let (documents, warnings) = read_all(&[early.clone(), late.clone()]);
    assert_eq!(
        documents.len(),
        2,
        "neither file is skipped as binary: {warnings:?}"
    );
    let texts: Vec<String> = documents
        .iter()
        .map(|d| match d {
            Document::Dump(dump) => dump.lines.join("\n"),
            Document::Record(_) => unreachable!(),
        })
        .collect();
    assert!(texts
        .iter()
        .all(|t| t.contains("Floods\u{FFFD} hit") && !t.contains('\0')));
    let messages: Vec<String> = warnings.iter().map(Warning::to_string).collect();
    assert_eq!(
        messages,
        [
            format!("{}:1: NUL bytes replaced with U+FFFD", early.display()),
            format!("{}:204: NUL bytes replaced with U+FFFD", late.display()),
        ]
    );
    // A real binary file is still skipped whole.
    let png = dir.path().join("photo.txt");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00").unwrap();
    let (documents, warnings) = read_all(&[png]);
    assert!(documents.is_empty());
    assert!(warnings[0].message.contains("binary file"));
}

#[test]
fn jsonl_type_errors_duplicates_and_empty_texts_are_reported_and_the_rest_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.jsonl");
    let lines = [
        r#"{"id": "a", "title": 5, "text": "Floods cut the road."}"#,
        r#"{"id": "b", "text": 12345}"#,
        r#"{"id": "a", "text": "Second story with a repeated id."}"#,
        r#"{"id": "c", "text": ""}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    let (documents, warnings) = read_all(&[path]);
    let ids: Vec<(String, Option<String>)> = documents
        .iter()
        .map(|d| match d {
            Document::Record(article) => (article.id.clone(), article.title.clone()),
            Document::Dump(_) => panic!("records read as a dump"),
        })
        .collect();
    assert_eq!(ids, [("a".to_string(), None), ("a".to_string(), None)]);
    let messages: Vec<String> = warnings
        .iter()
        .map(|w| format!("{}: {}", w.line.unwrap(), w.message))
        .collect();
    assert!(
        messages[0].starts_with("1: field `title` is a number"),
        "{messages:?}"
    );
    assert!(
        messages[1].starts_with("2: skipped: field `text` is a number"),
        "{messages:?}"
    );
    assert!(
        messages[2].starts_with("3: duplicate id `a`"),
        "{messages:?}"
    );
    assert!(
        messages[3].starts_with("4: skipped: field `text` is empty"),
        "{messages:?}"
    );
}

#[test]
fn control_characters_in_file_names_and_messages_are_escaped_in_warnings() {
    let warning = Warning {
        source: "evil\nnewsdigest: warning: forged.txt".to_string(),
        line: Some(3),
        message: "duplicate id `\u{1b}[2J`".to_string(),
    };
    let shown = warning.to_string();
    assert!(
        !shown.contains('\n') && !shown.contains('\u{1b}'),
        "{shown}"
    );
    assert_eq!(
        shown,
        "evil\\nnewsdigest: warning: forged.txt:3: duplicate id `\\u{1b}[2J`"
    );
}

/// One step building a random tree under a root folder; indices pick among the folders made so far.
#[derive(Clone, Debug)]
enum Step {
    Folder(usize),
    File(usize, bool),
    LinkToFolder(usize, usize),
    LinkToFile(usize, usize, bool),
    Dangling(usize),
    Fifo(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..8usize).prop_map(Step::Folder),
        (0..8usize, any::<bool>()).prop_map(|(f, t)| Step::File(f, t)),
        (0..8usize, 0..8usize).prop_map(|(f, t)| Step::LinkToFolder(f, t)),
        (0..8usize, 0..16usize, any::<bool>()).prop_map(|(f, t, x)| Step::LinkToFile(f, t, x)),
        (0..8usize).prop_map(Step::Dangling),
        (0..8usize).prop_map(Step::Fifo),
    ]
}

/// Builds the tree; returns nothing, the root holds it.
fn build(root: &Path, steps: &[Step]) {
    let mut folders = vec![root.to_path_buf()];
    let mut files: Vec<PathBuf> = Vec::new();
    for (n, step) in steps.iter().enumerate() {
        let pick = |i: usize| folders[i % folders.len()].clone();
        let ext = |txt: bool| if txt { "txt" } else { "md" };
        match *step {
            Step::Folder(parent) => {
                let path = pick(parent).join(format!("d{n}"));
                std::fs::create_dir(&path).unwrap();
                folders.push(path);
            }
            Step::File(parent, txt) => {
                let path = pick(parent).join(format!("f{n}.{}", ext(txt)));
                std::fs::write(&path, dump(&format!("river {n}"))).unwrap();
                files.push(path);
            }
            Step::LinkToFolder(parent, target) => {
                symlink(pick(target), pick(parent).join(format!("l{n}"))).unwrap();
            }
            Step::LinkToFile(parent, target, txt) if !files.is_empty() => {
                let target = files[target % files.len()].clone();
                symlink(target, pick(parent).join(format!("s{n}.{}", ext(txt)))).unwrap();
            }
            Step::LinkToFile(..) => {}
            Step::Dangling(parent) => {
                symlink(
                    format!("missing{n}"),
                    pick(parent).join(format!("x{n}.txt")),
                )
                .unwrap();
            }
            Step::Fifo(parent) => mkfifo(&pick(parent).join(format!("p{n}.txt"))),
        }
    }
}

/// The files a walk should find, by canonical path: every regular file with a `.txt` or `.jsonl` name in every
/// folder reachable from `root` through links, each folder visited once.
fn reachable_files(root: &Path) -> HashSet<PathBuf> {
    let mut seen = HashSet::new();
    let mut files = HashSet::new();
    let mut queue = VecDeque::from([root.canonicalize().unwrap()]);
    while let Some(folder) = queue.pop_front() {
        if !seen.insert(folder.clone()) {
            continue;
        }
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let Ok(metadata) = std::fs::metadata(&path) else {
                continue;
            };
            if metadata.is_dir() {
                queue.push_back(path.canonicalize().unwrap());
            } else if metadata.is_file()
                && path.extension().is_some_and(|e| e == "txt" || e == "jsonl")
            {
                files.insert(path.canonicalize().unwrap());
            }
        }
    }
    files
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Over random trees with loops, aliases, dangling links and FIFOs the walk ends, finds every reachable
    /// file exactly once, never a special file, and gives every file its own id prefix.
    #[test]
    fn random_trees_are_walked_once_per_file(steps in prop::collection::vec(step(), 1..24)) {
        let dir = tempfile::tempdir().unwrap();
        build(dir.path(), &steps);
        let walk = walk_inputs(&[dir.path().to_path_buf()]).unwrap();
        let found: Vec<PathBuf> = walk.files.iter().map(|f| f.path.canonicalize().unwrap()).collect();
        let unique: HashSet<PathBuf> = found.iter().cloned().collect();
        prop_assert_eq!(unique.len(), found.len(), "a file was read twice: {:?}", found);
        prop_assert_eq!(unique, reachable_files(dir.path()));
        let stems: HashSet<&str> = walk.files.iter().map(|f| f.stem.as_str()).collect();
        prop_assert_eq!(stems.len(), walk.files.len());
        for file in &walk.files {
            prop_assert!(std::fs::metadata(&file.path).unwrap().is_file());
        }
        // Every folder is reachable and walked once, so each FIFO is reported exactly once.
        let fifos = steps.iter().filter(|s| matches!(s, Step::Fifo(_))).count();
        let fifo_warnings = walk.warnings.iter().filter(|w| w.message.contains("named pipe")).count();
        prop_assert_eq!(fifo_warnings, fifos, "{:?}", walk.warnings);
    }
}
