//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod tiny;

use newsdigest::article::Article;
use newsdigest::ingest::{read_inputs, Document, InputFormat};
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
