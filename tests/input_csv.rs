//! CSV and TSV exports as input: a header row, one article per row (multi-line bodies in quoted fields), each
//! article with its row's line span. The stories are the seed dump's (seeds/), written out as a news database
//! exports them.

mod common;

use common::{jsonl_records, newsdigest, project_path, run_jsonl};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The seed dump's three stories: headline, paragraphs.
fn seed_stories() -> Vec<(String, Vec<String>)> {
    let dump = std::fs::read_to_string(project_path("seeds/000_aa71b4222196df8c.txt")).unwrap();
    let lines: Vec<&str> = dump.lines().collect();
    let ukraine: Vec<String> = lines[1..14].iter().map(|l| l.to_string()).collect();
    vec![
        (lines[0].to_string(), ukraine),
        (
            "Hamas says aid to Gaza falls short".to_string(),
            vec![lines[15].to_string()],
        ),
        (
            "Floods and landslides kill 604 on Sumatra".to_string(),
            vec![lines[16].to_string()],
        ),
    ]
}

/// An export of the seed stories with `header` (names for id, date, author, title, body), fields split at
/// `delimiter`, rows ended by `terminator`; paragraphs joined by a blank line inside the quoted body. Returns
/// the file's text and each row's (first, last) physical line.
fn export(header: [&str; 5], delimiter: u8, terminator: &str) -> (String, Vec<(u64, u64)>) {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(match terminator {
            "\r\n" => csv::Terminator::CRLF,
            _ => csv::Terminator::Any(b'\n'),
        })
        .from_writer(Vec::new());
    writer.write_record(header).unwrap();
    let mut spans = Vec::new();
    let mut line = 2;
    for (n, (title, paragraphs)) in seed_stories().iter().enumerate() {
        let body = paragraphs.join(&format!("{terminator}{terminator}"));
        let id = format!("story-{}", n + 1);
        let date = format!("2025-12-0{}", n + 1);
        writer
            .write_record([id.as_str(), date.as_str(), "Ana Ribeiro", title, &body])
            .unwrap();
        let last = line + 2 * (paragraphs.len() as u64 - 1);
        spans.push((line, last));
        line = last + 1;
    }
    let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    (text, spans)
}

fn articles(output: &Output) -> Vec<Value> {
    jsonl_records(&String::from_utf8_lossy(&output.stdout))
}

fn spans(records: &[Value]) -> Vec<(u64, u64)> {
    records
        .iter()
        .map(|r| {
            (
                r["start_line"].as_u64().unwrap(),
                r["end_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn segment_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(["segment", "--quiet"])
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn each_row_is_one_article_with_its_line_span_in_csv_tsv_and_semicolon_files() {
    let dir = tempfile::tempdir().unwrap();
    let header = ["id", "published", "author", "Title", "Body"];
    let (csv, expected) = export(header, b',', "\r\n");
    let csv = write(dir.path(), "export.csv", &format!("\u{FEFF}{csv}"));
    let (tsv, tsv_spans) = export(header, b'\t', "\n");
    let tsv = write(dir.path(), "export.tsv", &tsv);
    let (semicolons, _) = export(header, b';', "\n");
    let semicolons = write(dir.path(), "semicolons.csv", &semicolons);
    assert_eq!(expected, tsv_spans);
    assert_eq!(expected, [(2, 26), (27, 27), (28, 28)]);

    let as_dump = newsdigest(&["segment", "--quiet", "--input-format", "dump", &csv]);
    assert_ne!(
        spans(&articles(&as_dump)),
        expected,
        "read as a text dump, the rows are not the articles"
    );

    for file in [&csv, &tsv, &semicolons] {
        let output = newsdigest(&["segment", "--quiet", file]);
        assert!(output.status.success(), "{file}: {}", stderr(&output));
        let records = articles(&output);
        assert_eq!(spans(&records), expected, "{file}");
        let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["story-1", "story-2", "story-3"]);
        assert_eq!(records[0]["title"], seed_stories()[0].0.as_str());
        assert!(records[0]["first_words"]
            .as_str()
            .unwrap()
            .starts_with("Senior envoys for U.S. President Donald Trump"));
    }
}

#[test]
fn unusual_column_names_are_given_with_flags_and_a_missing_text_column_lists_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let (text, expected) = export(
        ["Kennung", "Datum", "Autor", "Schlagzeile", "Volltext"],
        b',',
        "\n",
    );
    let file = write(dir.path(), "export.csv", &text);

    let output = newsdigest(&["segment", "--quiet", &file]);
    assert_eq!(output.status.code(), Some(3));
    assert!(articles(&output).is_empty());
    assert!(
        stderr(&output).contains(&format!(
            "{file}:1: skipped: no text column: the columns are `Kennung`, `Datum`, `Autor`, `Schlagzeile`, \
             `Volltext`; name the one holding the articles' text with --text-column"
        )),
        "{}",
        stderr(&output)
    );

    let output = newsdigest(&[
        "segment",
        "--quiet",
        "--text-column",
        "volltext",
        "--title-column",
        "Schlagzeile",
        "--id-column",
        "KENNUNG",
        &file,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let records = articles(&output);
    assert_eq!(spans(&records), expected);
    assert_eq!(records[2]["id"], "story-3");
    assert_eq!(
        records[2]["title"],
        "Floods and landslides kill 604 on Sumatra"
    );

    let output = newsdigest(&["segment", "--quiet", "--text-column", "Inhalt", &file]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output)
            .contains("skipped: no column `Inhalt` (--text-column); the columns are `Kennung`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_bad_row_is_reported_with_file_and_line_and_the_rows_around_it_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (good, _) = export(["id", "date", "author", "title", "text"], b',', "\n");
    let mut lines: Vec<&str> = good.lines().collect();
    // After the first story (lines 2-26): a row with a field too many, one with invalid UTF-8 in its text, and
    // one with no text.
    lines.insert(26, "x1,2025-12-09,Tom Hale,Extra field,Some text.,surplus");
    lines.insert(27, "x2,2025-12-09,Tom Hale,Bad bytes,INVALID");
    lines.insert(28, "x3,2025-12-09,Tom Hale,No text,");
    let mut bytes = (lines.join("\n") + "\n").into_bytes();
    let at = bytes.windows(7).position(|w| w == b"INVALID").unwrap();
    bytes.splice(at..at + 7, *b"caf\xE9 ok");
    let path = dir.path().join("export.csv");
    std::fs::write(&path, &bytes).unwrap();
    let file = path.display().to_string();

    let output = newsdigest(&["segment", "--quiet", &file]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let records = articles(&output);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["story-1", "x2", "story-2", "story-3"]);
    assert_eq!(spans(&records), [(2, 26), (28, 28), (30, 30), (31, 31)]);
    assert_eq!(records[1]["first_words"], "caf\u{FFFD} ok");
    let warnings = stderr(&output);
    for expected in [
        format!("{file}:27: skipped row: 6 fields where the header has 5"),
        format!("{file}:28: invalid UTF-8 replaced with U+FFFD"),
        format!("{file}:29: skipped row: column `text` is empty"),
    ] {
        assert!(warnings.contains(&expected), "{expected}\n{warnings}");
    }
}

#[test]
fn stdin_is_read_as_csv_when_it_starts_with_a_header_row_or_when_told() {
    let (csv, expected) = export(["id", "date", "author", "headline", "story"], b',', "\n");
    let output = segment_stdin(&[], &csv);
    assert!(output.status.success(), "{}", stderr(&output));
    let records = articles(&output);
    assert_eq!(spans(&records), expected);
    assert!(records.iter().all(|r| r["source"] == "-"));

    let (tsv, expected) = export(["Key", "When", "Who", "Subject", "Copy"], b'\t', "\n");
    let told = [
        "--input-format",
        "tsv",
        "--text-column",
        "copy",
        "--id-column",
        "key",
    ];
    let output = segment_stdin(&told, &tsv);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(spans(&articles(&output)), expected);

    // Prose whose first line has commas is still a dump.
    let dump = std::fs::read_to_string(project_path("seeds/000_aa71b4222196df8c.txt")).unwrap();
    let output = segment_stdin(
        &[],
        &format!("Story, text and pictures: a day in Kyiv\n\n{dump}"),
    );
    assert!(articles(&output).len() > 1);
    assert!(articles(&output)[0]["id"].as_str().unwrap().contains('#'));
}

#[test]
fn run_annotates_each_row_and_eval_scores_the_row_spans_against_gold() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, expected) = export(
        ["guid", "pubDate", "byline", "title", "content"],
        b',',
        "\n",
    );
    let file = write(dir.path(), "news.csv", &csv);
    let out = dir.path().join("out.jsonl");
    let (code, records, warnings) = run_jsonl(&[file.as_str()]);
    assert_eq!(code, 0, "{warnings}");
    assert_eq!(records.len(), 3);
    assert_eq!(spans(&records), expected);
    let labels: Vec<&str> = records
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels[0], "conflict", "{labels:?}");
    assert_eq!(labels[2], "disaster", "{labels:?}");
    assert_eq!(records[0]["byline"], "Ana Ribeiro");
    assert_eq!(records[2]["published"], "2025-12-03");
    assert_eq!(
        records[2]["title"],
        "Floods and landslides kill 604 on Sumatra"
    );
    for record in &records {
        let summary = record["summary"].as_str().unwrap();
        let opening: String = summary.chars().take(40).collect();
        assert!(
            record["text"].as_str().unwrap().contains(&opening),
            "{record}"
        );
    }

    std::fs::write(
        &out,
        records
            .iter()
            .map(|r| r.to_string() + "\n")
            .collect::<String>(),
    )
    .unwrap();
    let gold: String = expected
        .iter()
        .map(|(start, end)| {
            serde_json::json!({"dump": "news.csv", "start_line": start, "end_line": end})
                .to_string()
                + "\n"
        })
        .collect();
    let gold_path = write(dir.path(), "gold.jsonl", &gold);
    let output = newsdigest(&[
        "eval",
        "--quiet",
        "--gold",
        &gold_path,
        "--pred",
        out.to_str().unwrap(),
        "--fail-under",
        "segmentation.boundary_f1=1.0",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
}
