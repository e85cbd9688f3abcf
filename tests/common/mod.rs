//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod tiny;

use newsdigest::article::Article;
use newsdigest::ingest::{read_inputs, Document, InputFormat};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A path under the project root.
pub fn project_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Runs the newsdigest binary with the given arguments.
pub fn newsdigest(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .output()
        .expect("the newsdigest binary runs")
}

/// Runs the binary, asserting success, and returns stdout as text.
pub fn newsdigest_ok(args: &[&str]) -> String {
    let output = newsdigest(args);
    assert!(
        output.status.success(),
        "newsdigest {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("output is UTF-8")
}

/// The 48 hand-labelled dev articles (tests/data/dev/articles.jsonl), in file order.
pub fn dev_articles() -> Vec<Article> {
    let path = project_path("tests/data/dev/articles.jsonl");
    read_inputs(&[path], InputFormat::Auto)
        .expect("the dev articles read")
        .documents
        .into_iter()
        .filter_map(|document| match document {
            Document::Record(article) => Some(article),
            Document::Dump(_) => None,
        })
        .collect()
}

/// The records of JSONL text, one JSON object per line.
pub fn jsonl_records(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).expect("each line is a JSON record"))
        .collect()
}

/// The `id` of every record, in order.
pub fn ids(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|record| record["id"].as_str().expect("a string id").to_string())
        .collect()
}

/// Runs `newsdigest run --quiet --format jsonl` with `args` (options and inputs); returns the exit code, the
/// records and stderr.
pub fn run_jsonl<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (i32, Vec<Value>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(["run", "--quiet", "--format", "jsonl"])
        .args(args)
        .output()
        .expect("the newsdigest binary runs");
    (
        output.status.code().expect("an exit code"),
        jsonl_records(&String::from_utf8(output.stdout).expect("output is UTF-8")),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}
