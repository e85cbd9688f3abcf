//! `--shard I/N` splits a corpus into disjoint shares that together hold every article, the same whether read
//! from files or streamed stdin → stdout.

mod common;

use common::{newsdigest_ok, project_path};
use std::io::Write;
use std::process::{Command, Stdio};

fn ids(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| {
            let record: serde_json::Value = serde_json::from_str(l).unwrap();
            record["id"].as_str().unwrap().to_string()
        })
        .collect()
}

fn run_ids(extra: &[&str]) -> Vec<String> {
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
    ids(&newsdigest_ok(&args))
}

#[test]
fn shards_partition_the_articles_and_keep_source_order() {
    let all = run_ids(&[]);
    let shards: Vec<Vec<String>> = (0..3)
        .map(|i| run_ids(&["--shard", &format!("{i}/3")]))
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
    let streamed = ids(&String::from_utf8(output.stdout).unwrap());
    let path = project_path("tests/data/dev/articles.jsonl");
    let from_file = ids(&newsdigest_ok(&[
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
