//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod tiny;

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
