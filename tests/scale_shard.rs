//! `--shard I/N` splits a corpus into disjoint shares that together hold every article, the same whether read
//! from files or streamed stdin → stdout.

mod common;

use common::{ids, jsonl_records, newsdigest_ok, project_path};
use std::io::Write;
use std::process::{Command, Stdio};

/// The ids of the records of a JSONL output.
fn jsonl_ids(jsonl: &str) -> Vec<String> {
    ids(&jsonl_records(jsonl))
}

fn run_records(extra: &[&str]) -> Vec<String> {
    let articles = project_path("tests/data/dev/articles.jsonl");
    let dump = project_path("tests/data/dev/dumps/dump03_datelines.txt");
    let mut args = vec![
        "run",
        "--quiet",
        "--format",
        "jsonl",
        articles.to_str().unwrap(),
        dump.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    newsdigest_ok(&args).lines().map(str::to_string).collect()
}

/// The shards' records, and those of a run in other chunks, are byte for byte the full run's, at the default
/// precision (bf16-checked on CPUs with native bf16): scores included.
#[test]
fn shards_partition_the_articles_and_keep_source_order() {
    let full = run_records(&[]);
    let all = jsonl_ids(&full.join("\n"));
    let shard_records: Vec<Vec<String>> = (0..3)
        .map(|i| run_records(&["--shard", &format!("{i}/3")]))
        .collect();
    for records in &shard_records {
        for record in records {
            assert!(full.contains(record), "not in the full run: {record}");
        }
    }
    assert_eq!(run_records(&["--chunk-articles", "5"]), full);
    let shards: Vec<Vec<String>> = shard_records
        .iter()
        .map(|r| jsonl_ids(&r.join("\n")))
        .collect();
    for shard in &shards {
        assert!(!shard.is_empty());
        let mut in_order = all.iter();
        assert!(
            shard.iter().all(|id| in_order.any(|a| a == id)),
            "{shard:?} is not in source order"
        );
    }
    let mut union: Vec<String> = shards.concat();
    union.sort();
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(
        union, expected,
        "the shards together hold every article exactly once"
    );
}

#[test]
fn a_shard_streams_from_stdin_to_stdout() {
    let articles = std::fs::read(project_path("tests/data/dev/articles.jsonl")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(["run", "--quiet", "--format", "jsonl", "--shard", "1/2", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&articles).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let streamed = jsonl_ids(&String::from_utf8(output.stdout).unwrap());
    let path = project_path("tests/data/dev/articles.jsonl");
    let from_file = jsonl_ids(&newsdigest_ok(&[
        "run",
        "--quiet",
        "--format",
        "jsonl",
        "--shard",
        "1/2",
        path.to_str().unwrap(),
    ]));
    assert_eq!(streamed, from_file);
    assert!(!streamed.is_empty() && streamed.len() < 48);
}

/// Id, source, first and last line, and text of every record of a JSONL output.
fn spans(jsonl: &str) -> Vec<(String, String, u64, u64, String)> {
    jsonl_records(jsonl)
        .into_iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["source"].as_str().unwrap_or("").to_string(),
                r["start_line"].as_u64().unwrap_or(0),
                r["end_line"].as_u64().unwrap_or(0),
                r["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn dump_files_are_dealt_whole_to_shards_with_the_ids_and_spans_of_a_full_run() {
    let dumps = project_path("tests/data/dev/dumps");
    let dir = tempfile::tempdir().unwrap();
    // A binary file among the dumps: only the shard it is dealt to opens it (and warns).
    std::fs::write(dir.path().join("broken.txt"), b"\0\0\0 not a dump").unwrap();
    let args = |shard: Option<String>| {
        let mut args = vec![
            "run".to_string(),
            "--quiet".to_string(),
            "--format".to_string(),
            "jsonl".to_string(),
            dumps.display().to_string(),
            dir.path().display().to_string(),
        ];
        args.extend(shard.into_iter().flat_map(|s| ["--shard".to_string(), s]));
        args
    };
    let run = |args: Vec<String>| {
        let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert!(
            output.status.code().is_some_and(|c| c == 0 || c == 3),
            "{stderr}"
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        let lines: Vec<String> = stdout.lines().map(str::to_string).collect();
        (spans(&stdout), stderr, lines)
    };
    let (all, _, all_lines) = run(args(None));
    let stems =
        |records: &[(String, String, u64, u64, String)]| -> std::collections::BTreeSet<String> {
            records.iter().map(|r| r.1.clone()).collect()
        };
    assert_eq!(stems(&all).len(), 8, "every dev dump has articles");
    let shards: Vec<_> = (0..2).map(|i| run(args(Some(format!("{i}/2"))))).collect();
    let warned = shards
        .iter()
        .filter(|(_, stderr, _)| stderr.contains("broken.txt"))
        .count();
    assert_eq!(warned, 1, "only the owner of broken.txt reads it");
    let mut seen = std::collections::BTreeSet::new();
    for (records, _, lines) in &shards {
        assert!(!records.is_empty(), "every shard gets dumps");
        for record in lines {
            assert!(all_lines.contains(record), "not in the full run: {record}");
        }
        for source in stems(records) {
            assert!(seen.insert(source.clone()), "{source} is in two shards");
            let whole: Vec<_> = all.iter().filter(|r| r.1 == source).collect();
            let here: Vec<_> = records.iter().filter(|r| r.1 == source).collect();
            assert_eq!(
                here, whole,
                "{source}: ids, spans and text as in the full run"
            );
        }
    }
    assert_eq!(seen, stems(&all), "the shards together hold every dump");
}
