//! Bad input never stops a run or loses good articles: each kind of bad input, through the binary with the
//! real model, is skipped or repaired, reported on stderr, and turns the exit code into 3.

mod common;

use common::{ids, jsonl_records, project_path, run_jsonl};
use serde_json::Value;

/// Exit code when inputs were skipped or repaired (`EXIT_INPUT_WARNINGS`).
const EXIT_INPUT_WARNINGS: i32 = 3;

/// The first `n` dev articles as JSONL lines.
fn dev_records(n: usize) -> Vec<String> {
    std::fs::read_to_string(project_path("tests/data/dev/articles.jsonl"))
        .unwrap()
        .lines()
        .take(n)
        .map(str::to_string)
        .collect()
}

#[test]
fn clean_inputs_exit_0_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.jsonl");
    std::fs::write(&good, dev_records(2).join("\n")).unwrap();
    let (code, records, stderr) = run_jsonl(&[&good]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(records.len(), 2);
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn invalid_utf8_is_replaced_reported_and_the_article_kept() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("latin1.txt");
    let mut bytes = b"Floods cut the main road to the port\n\n".to_vec();
    bytes.extend_from_slice(
        b"Rescue teams in Ca\xF1on reached 300 families cut off by floods on Monday.\n",
    );
    std::fs::write(&dump, bytes).unwrap();
    let (code, records, stderr) = run_jsonl(&[&dump]);
    assert_eq!(code, EXIT_INPUT_WARNINGS, "{stderr}");
    assert!(
        stderr.contains("latin1.txt:3: invalid UTF-8 replaced with U+FFFD"),
        "{stderr}"
    );
    assert!(
        records.iter().any(|r| r["text"]
            .as_str()
            .unwrap()
            .contains("Rescue teams in Ca\u{FFFD}on reached")),
        "{records:?}"
    );
}

#[test]
fn binary_empty_and_unreadable_inputs_are_skipped_and_the_good_one_kept() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.jsonl");
    std::fs::write(&good, dev_records(2).join("\n")).unwrap();
    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n  \n\n").unwrap();
    let missing = dir.path().join("missing.jsonl");
    let (code, records, stderr) = run_jsonl(&[&binary, &good, &empty, &missing]);
    assert_eq!(code, EXIT_INPUT_WARNINGS, "{stderr}");
    assert_eq!(records.len(), 2);
    assert!(
        stderr.contains("photo.txt: skipped: binary file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("empty.txt: skipped: empty input"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing.jsonl: skipped: cannot read"),
        "{stderr}"
    );
    assert!(stderr.contains("3 input problem(s)"), "{stderr}");
}

#[test]
fn bad_jsonl_lines_are_reported_by_file_and_line_and_good_lines_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mixed = dir.path().join("mixed.jsonl");
    let good = dev_records(2);
    let lines = [
        good[0].as_str(),
        "{\"id\": \"cut\", \"text\": \"The convoy reach",
        "{\"id\": \"no-text\", \"body\": \"A record without text.\"}",
        "",
        good[1].as_str(),
    ];
    std::fs::write(&mixed, lines.join("\n")).unwrap();
    let (code, records, stderr) = run_jsonl(&[&mixed]);
    assert_eq!(code, EXIT_INPUT_WARNINGS, "{stderr}");
    assert!(
        stderr.contains("mixed.jsonl:2: skipped: not a JSON object"),
        "{stderr}"
    );
    assert!(
        stderr.contains("mixed.jsonl:3: skipped: record has no string field `text`"),
        "{stderr}"
    );
    assert_eq!(ids(&records), ids(&jsonl_records(&good.join("\n"))));
}

#[test]
fn a_million_character_article_is_cut_marked_truncated_and_the_others_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("huge.jsonl");
    let record: Value = serde_json::from_str(&dev_records(1)[0]).unwrap();
    let story = record["text"].as_str().unwrap();
    let mut long = String::new();
    while long.chars().count() < 1_000_000 {
        long.push_str(story);
        long.push_str("\n\n");
    }
    let huge = serde_json::json!({"id": "huge", "title": record["title"], "text": long});
    let lines = [
        serde_json::to_string(&huge).unwrap(),
        dev_records(1)[0].clone(),
    ];
    std::fs::write(&input, lines.join("\n")).unwrap();
    let (code, records, stderr) = run_jsonl(&[&input]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(records.len(), 2);
    let text = records[0]["text"].as_str().unwrap();
    assert_eq!(records[0]["truncated"], true);
    assert!(text.len() <= newsdigest::limits::MAX_ARTICLE_BYTES);
    assert!(long.starts_with(text));
    assert_eq!(
        records[0]["label"], records[1]["label"],
        "the story repeated reads as the story"
    );
    assert!(!records[0]["summary"].as_str().unwrap().is_empty());
    assert!(records[1].get("truncated").is_none());
    assert!(stderr.contains("1 article(s) longer than"), "{stderr}");
}
