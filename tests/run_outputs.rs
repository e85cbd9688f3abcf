//! `newsdigest run` outputs for people and pipelines: CSV/TSV that round-trip through a CSV reader, `--limit`,
//! `--dry-run`, the summary line and `--stats`, and a quiet stderr when it is not a terminal.

mod common;

use common::{newsdigest, project_path};
use newsdigest::output::{ArticleRecord, ArticleWriter, OutputFormat, RunInfo};
use newsdigest::pipeline::PipelineOptions;
use serde_json::Value;
use std::collections::BTreeMap;

fn record(id: &str, text: &str, scores: &[(&str, f64)]) -> ArticleRecord {
    ArticleRecord {
        id: id.to_string(),
        source: "news, \"quoted\".txt".to_string(),
        start_line: Some(3),
        end_line: None,
        title: Some("Floods\tin \"Kerala\"".to_string()),
        byline: None,
        dateline: Some("KOCHI —".to_string()),
        published: None,
        source_tag: None,
        text: text.to_string(),
        summary: "Two lines,\nwith a comma.".to_string(),
        summary_chunks: 1,
        summary_truncated: false,
        label: "disaster".to_string(),
        labels: vec!["disaster".to_string()],
        scores: scores.iter().map(|(l, s)| (l.to_string(), *s)).collect(),
        truncated: id.ends_with('2'),
    }
}

#[test]
fn csv_and_tsv_round_trip_through_a_csv_reader() {
    let run = RunInfo::new(&PipelineOptions::default(), "0", vec![]);
    let scores = [("conflict", 0.1234), ("disaster", 0.8), ("other", 0.0766)];
    let records = [
        record("a#1", "Rain fell.\n\nRivers rose, \"fast\".", &scores),
        record("a#2", "水位が上がった。", &scores),
    ];
    for (format, delimiter) in [(OutputFormat::Csv, b','), (OutputFormat::Tsv, b'\t')] {
        let mut writer = ArticleWriter::begin(Vec::new(), format, &run).unwrap();
        for r in &records {
            writer.write(r).unwrap();
        }
        let bytes = writer.finish().unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(bytes.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header,
            [
                "id",
                "source",
                "start_line",
                "end_line",
                "title",
                "byline",
                "dateline",
                "published",
                "source_tag",
                "label",
                "labels",
                "score_conflict",
                "score_disaster",
                "score_other",
                "summary",
                "summary_chunks",
                "summary_truncated",
                "truncated",
                "text"
            ]
        );
        let rows: Vec<BTreeMap<String, String>> =
            reader.deserialize().map(Result::unwrap).collect();
        assert_eq!(rows.len(), records.len());
        for (row, r) in rows.iter().zip(&records) {
            assert_eq!(row["id"], r.id);
            assert_eq!(row["source"], r.source);
            assert_eq!(row["start_line"], "3");
            assert_eq!(row["end_line"], "");
            assert_eq!(row["title"], r.title.clone().unwrap());
            assert_eq!(row["byline"], "");
            assert_eq!(row["text"], r.text);
            assert_eq!(row["summary"], r.summary);
            assert_eq!(row["truncated"], r.truncated.to_string());
            for (label, score) in &r.scores {
                assert_eq!(
                    row[&format!("score_{label}")].parse::<f64>().unwrap(),
                    *score
                );
            }
        }
    }
}

#[test]
fn an_empty_csv_still_has_its_header_with_the_run_labels() {
    let run = RunInfo::new(&PipelineOptions::default(), "0", vec![]);
    let bytes = ArticleWriter::begin(Vec::new(), OutputFormat::Csv, &run)
        .unwrap()
        .finish()
        .unwrap();
    let header = String::from_utf8(bytes).unwrap();
    assert!(
        header.starts_with(
            "id,source,start_line,end_line,title,byline,dateline,published,source_tag,label,labels,score_"
        ),
        "{header}"
    );
    assert!(header.contains("score_other"), "{header}");
    assert_eq!(header.lines().count(), 1);
}

#[test]
fn run_writes_the_first_articles_as_csv_with_a_summary_line_and_stats() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sample.csv");
    let stats = dir.path().join("stats.json");
    let dump = project_path("tests/data/dev/dumps/dump01_meridian_wire.txt");
    let output = newsdigest(&[
        "run",
        dump.to_str().unwrap(),
        "--format",
        "csv",
        "--limit",
        "3",
        "--precision",
        "fp32",
        "-o",
        out.to_str().unwrap(),
        "--stats",
        stats.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    // stderr is a pipe here: no progress frames, only the summary line.
    assert!(
        !stderr.contains('\r') && !stderr.contains('\x1b'),
        "{stderr:?}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("newsdigest: wrote 3 article(s) (")
            && stderr.contains(&format!("to {}", out.display())),
        "{stderr}"
    );

    let mut reader = csv::Reader::from_path(&out).unwrap();
    let rows: Vec<BTreeMap<String, String>> = reader.deserialize().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "dump01_meridian_wire#1",
            "dump01_meridian_wire#2",
            "dump01_meridian_wire#3"
        ]
    );
    for row in &rows {
        let total: f64 = row
            .iter()
            .filter(|(k, _)| k.starts_with("score_"))
            .map(|(_, v)| v.parse::<f64>().unwrap())
            .sum();
        assert!((total - 1.0).abs() < 1e-3, "{row:?}");
        assert!(
            row.contains_key(&format!("score_{}", row["label"])),
            "{row:?}"
        );
    }

    let stats: Value = serde_json::from_str(&std::fs::read_to_string(&stats).unwrap()).unwrap();
    assert_eq!(stats["dry_run"], false);
    assert_eq!(stats["articles"], 3);
    assert_eq!(stats["written"], 3);
    assert_eq!(stats["input_problems"], 0);
    assert_eq!(stats["format"], "csv");
    assert_eq!(stats["output"], out.display().to_string());
    let counted: u64 = stats["labels"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(counted, 3);
    for row in &rows {
        assert!(stats["labels"][&row["label"]].as_u64().unwrap() >= 1);
    }
    assert!(stats["seconds"].as_f64().unwrap() > 0.0);
    assert_eq!(
        stats["input_bytes"].as_u64().unwrap(),
        std::fs::metadata(&dump).unwrap().len()
    );
}

#[test]
fn dry_run_checks_inputs_labels_and_output_and_annotates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nested/out.json");
    let stats = dir.path().join("stats.json");
    let dumps = project_path("tests/data/dev/dumps");
    let jsonl = project_path("tests/data/dev/articles.jsonl");
    let output = newsdigest(&[
        "run",
        dumps.to_str().unwrap(),
        jsonl.to_str().unwrap(),
        "--dry-run",
        "-o",
        out.to_str().unwrap(),
        "--stats",
        stats.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("dry run: 48 record(s), 8 dump(s)"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing annotated"), "{stderr}");
    assert!(!out.exists(), "a dry run writes no output");
    let stats: Value = serde_json::from_str(&std::fs::read_to_string(&stats).unwrap()).unwrap();
    assert_eq!(stats["dry_run"], true);
    assert_eq!(stats["written"], 0);
    assert_eq!(stats["found"]["records"], 48);
    assert_eq!(stats["found"]["dumps"], 8);
    assert_eq!(stats["found"]["labels"][0], "conflict");

    // A bad label file is caught without loading the model.
    let labels = dir.path().join("labels.toml");
    std::fs::write(&labels, "not = [valid").unwrap();
    let bad = newsdigest(&[
        "run",
        jsonl.to_str().unwrap(),
        "--dry-run",
        "--labels",
        labels.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("labels.toml"));

    // An output that is a directory is caught too.
    let to_dir = newsdigest(&[
        "run",
        jsonl.to_str().unwrap(),
        "--dry-run",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(to_dir.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&to_dir.stderr).contains("is a directory"));
}

#[test]
fn quiet_prints_no_summary_line() {
    let jsonl = project_path("tests/data/dev/articles.jsonl");
    let output = newsdigest(&["run", jsonl.to_str().unwrap(), "--dry-run", "-q"]);
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
