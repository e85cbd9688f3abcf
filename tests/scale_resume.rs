//! No lost work: a real run killed mid-way leaves the old output in place and a partial JSONL that `--resume`
//! completes into exactly the output of an uninterrupted run.

mod common;

use common::{newsdigest, newsdigest_ok, project_path};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The dev articles eight times over (384 records), with distinct ids: more than one group of 256, so a run can
/// be caught after writing the first group and before the last.
const COPIES: usize = 8;

fn corpus(path: &Path) {
    let records = std::fs::read_to_string(project_path("tests/data/dev/articles.jsonl")).unwrap();
    let mut out = std::fs::File::create(path).unwrap();
    for copy in 0..COPIES {
        for line in records.lines() {
            let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
            record["id"] = format!("copy{copy}/{}", record["id"].as_str().unwrap()).into();
            writeln!(out, "{record}").unwrap();
        }
    }
}

fn complete_lines(path: &Path) -> usize {
    std::fs::read(path).map_or(0, |bytes| bytes.iter().filter(|&&b| b == b'\n').count())
}

#[test]
fn a_run_killed_mid_way_resumes_to_the_uninterrupted_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    corpus(&input);
    let input = input.to_str().unwrap();

    let reference = dir.path().join("reference.jsonl");
    let reference_arg = reference.to_str().unwrap();
    newsdigest_ok(&[
        "run",
        "--quiet",
        "--format",
        "jsonl",
        "-o",
        reference_arg,
        input,
    ]);
    let expected = std::fs::read_to_string(&reference).unwrap();
    assert_eq!(expected.lines().count(), COPIES * 48);

    let output = dir.path().join("out.jsonl");
    let partial = dir.path().join("out.jsonl.partial");
    std::fs::write(&output, "old output\n").unwrap();
    let small_chunks = ["--chunk-articles", "16"];
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(["run", "--quiet", "--format", "jsonl", "-o"])
        .arg(&output)
        .args(small_chunks)
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while complete_lines(&partial) < 20 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "no output appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(std::fs::read_to_string(&output).unwrap(), "old output\n");
    let written = complete_lines(&partial);
    assert!(
        written < COPIES * 48,
        "the run was killed after it finished"
    );
    let mut torn = std::fs::OpenOptions::new()
        .append(true)
        .open(&partial)
        .unwrap();
    write!(torn, "{{\"id\":\"torn record").unwrap();
    drop(torn);

    let resumed = newsdigest(&[
        "run",
        "--format",
        "jsonl",
        "--resume",
        "-o",
        output.to_str().unwrap(),
        input,
    ]);
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(resumed.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("{written} article(s) already written")),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&output).unwrap(), expected);
    assert!(!partial.exists());
}

#[test]
fn resuming_against_other_inputs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out.jsonl");
    std::fs::write(
        dir.path().join("out.jsonl.partial"),
        "{\"id\":\"not-in-the-input\",\"text\":\"x\"}\n",
    )
    .unwrap();
    let input = project_path("tests/data/dev/articles.jsonl");
    let run = newsdigest(&[
        "run",
        "--quiet",
        "--format",
        "jsonl",
        "--resume",
        "-o",
        output.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("cannot resume"), "{stderr}");
    assert!(!output.exists());
}
