//! The help of every subcommand, compared with the snapshots in tests/snapshots/help/ (after a deliberate
//! change, rewrite them with `UPDATE_SNAPSHOTS=1 cargo test --release --test cli_help` and review the diff),
//! and the rules all help follows: examples, headings, plain text, defaults stated once.

mod common;

use common::project_path;
use std::process::Command;

const SUBCOMMANDS: [&str; 6] = ["run", "segment", "eval", "table", "fit", "calibrate"];

/// The help text, wrapped at clap's default width: stdout is a pipe here, and COLUMNS is removed so the
/// caller's terminal does not change it.
fn help(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .env_remove("COLUMNS")
        .env_remove("LINES")
        .output()
        .expect("the newsdigest binary runs");
    assert!(output.status.success(), "{args:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn help_of_every_subcommand_matches_its_snapshot() {
    let mut changed = Vec::new();
    for subcommand in SUBCOMMANDS {
        let text = help(&[subcommand, "--help"]);
        let path = project_path(&format!("tests/snapshots/help/{subcommand}.txt"));
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if text != expected {
            changed.push(format!("--- {}\n{text}", path.display()));
        }
    }
    assert!(
        changed.is_empty(),
        "help changed (UPDATE_SNAPSHOTS=1 to accept):\n{}",
        changed.join("\n")
    );
}

#[test]
fn help_teaches_with_examples_headings_and_plain_text() {
    for args in SUBCOMMANDS
        .iter()
        .flat_map(|s| [vec![*s, "--help"], vec![*s, "-h"]])
        .chain([vec!["--help"]])
    {
        let text = help(&args);
        assert!(
            text.contains("Examples:\n  newsdigest"),
            "{args:?}:\n{text}"
        );
        assert!(!text.contains("[`"), "a rustdoc link in {args:?}:\n{text}");
        for line in text.lines() {
            assert!(
                !(line.contains("(default:") && line.contains("[default:")),
                "a default stated twice in {args:?}: {line}"
            );
        }
    }
    let run = help(&["run", "--help"]);
    for heading in [
        "Input:",
        "Output:",
        "Labels:",
        "Summaries:",
        "Model and speed:",
        "Abstractive summaries and NLI:",
    ] {
        assert!(run.contains(&format!("\n{heading}\n")), "{heading}:\n{run}");
    }
    // The core options come before the checkpoint ones.
    assert!(run.find("--labels").unwrap() < run.find("--summary-model").unwrap());
}

#[test]
fn the_same_option_is_offered_wherever_it_applies() {
    let everywhere = ["-o, --output", "-q, --quiet"];
    for subcommand in SUBCOMMANDS {
        let text = help(&[subcommand, "--help"]);
        for option in everywhere {
            assert!(text.contains(option), "{subcommand} lacks {option}");
        }
    }
    for subcommand in ["run", "segment", "eval", "fit"] {
        let text = help(&[subcommand, "--help"]);
        for option in ["--model-dir", "--precision", "--threads", "--torch-threads"] {
            assert!(text.contains(option), "{subcommand} lacks {option}");
        }
    }
    // eval takes every option run takes to build the pipeline.
    let eval = help(&["eval", "--help"]);
    for option in [
        "--labels",
        "--head",
        "--min-score",
        "--input-format",
        "--summary-words",
        "--summarizer",
        "--classifier",
    ] {
        assert!(eval.contains(option), "eval lacks {option}");
    }
}
