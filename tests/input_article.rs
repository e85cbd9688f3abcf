//! `--input-format article`: every input file (and stdin) is one article, never segmented; its headline comes
//! from the first line when that looks like one. Tried on real BBC articles (`../shared/data/xsum`), one per
//! file, which the dump segmenter cuts into several articles each.

mod common;

use common::newsdigest;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const ARTICLES: usize = 10;

/// Writes the first xsum articles one per file (a sentence or paragraph per line, as published), the first
/// under a headline line; returns the file stems in name order.
fn one_article_per_file(dir: &Path) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/xsum/articles.jsonl");
    let records =
        std::fs::read_to_string(&path).expect("../shared/data/xsum is beside the checkout");
    let mut stems = Vec::new();
    for (i, line) in records.lines().take(ARTICLES).enumerate() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let stem = record["id"].as_str().unwrap().to_string();
        let text = record["text"].as_str().unwrap();
        let body = match i {
            0 => format!("Craig Venter: the scientist who raced to map the genome\n\n{text}\n"),
            _ => format!("{text}\n"),
        };
        std::fs::write(dir.join(format!("{stem}.txt")), body).unwrap();
        stems.push(stem);
    }
    stems.sort();
    stems
}

fn records(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &serde_json::Value| r["kind"] != "line")
        .collect()
}

#[test]
fn every_file_of_a_folder_is_one_article_with_its_headline() {
    let dir = tempfile::tempdir().unwrap();
    let stems = one_article_per_file(dir.path());
    let folder = dir.path().to_str().unwrap();

    let as_dumps = newsdigest(&["segment", "--quiet", folder]);
    assert!(
        records(&as_dumps.stdout).len() > ARTICLES,
        "the dump segmenter cuts these files into several articles each"
    );

    let segmented = newsdigest(&["segment", "--quiet", "--input-format", "article", folder]);
    assert!(
        segmented.status.success(),
        "{}",
        String::from_utf8_lossy(&segmented.stderr)
    );
    let found = records(&segmented.stdout);
    let ids: Vec<&str> = found.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let expected: Vec<String> = stems.iter().map(|s| format!("{s}#1")).collect();
    assert_eq!(ids, expected, "one article per file");
    for record in &found {
        let source = record["source"].as_str().unwrap();
        let lines = std::fs::read_to_string(source).unwrap().lines().count() as u64;
        // The whole file, but for a short closing line dropped as boilerplate.
        let (start, end) = (
            record["start_line"].as_u64().unwrap(),
            record["end_line"].as_u64().unwrap(),
        );
        assert!(
            start <= 2 && end + 2 >= lines,
            "{source}: lines {start}-{end} of {lines}"
        );
    }
    let headed = &found[stems
        .iter()
        .position(|s| s == "frank-xsum-10138849")
        .unwrap()];
    assert_eq!(
        headed["title"],
        "Craig Venter: the scientist who raced to map the genome"
    );
    assert!(headed["first_words"]
        .as_str()
        .unwrap()
        .starts_with("The biologist and entrepreneur"));
    for record in &found {
        let title = record["title"].as_str().unwrap_or("");
        assert!(
            !title.ends_with('.'),
            "a first sentence is not a headline: {title}"
        );
    }
}

#[test]
fn shards_deal_article_files_whole_and_stdin_is_one_article() {
    let dir = tempfile::tempdir().unwrap();
    let stems = one_article_per_file(dir.path());
    let folder = dir.path().to_str().unwrap();
    let run = |shard: &str| {
        let output = newsdigest(&[
            "run",
            "--quiet",
            "--format",
            "jsonl",
            "--input-format",
            "article",
            "--shard",
            shard,
            folder,
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        records(&output.stdout)
    };
    let (first, second) = (run("0/2"), run("1/2"));
    assert!(!first.is_empty() && !second.is_empty());
    let mut ids: Vec<String> = first
        .iter()
        .chain(&second)
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    let expected: Vec<String> = stems.iter().map(|s| format!("{s}#1")).collect();
    assert_eq!(ids, expected);
    for record in first.iter().chain(&second) {
        assert!(!record["summary"].as_str().unwrap().is_empty());
        assert!(record["label"].is_string());
    }

    let text = std::fs::read(dir.path().join(format!("{}.txt", stems[1]))).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(["segment", "--quiet", "--input-format", "article", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let output = child.wait_with_output().unwrap();
    let found = records(&output.stdout);
    assert_eq!(
        found.len(),
        1,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(found[0]["id"], "stdin#1");
}
