//! The whole tool, through the binary, with the real model: the seed dump, output fields, determinism, labels.

mod common;

use common::{jsonl_records, newsdigest, newsdigest_ok, project_path};
use newsdigest::sentences::{RuleSplitter, SentenceSplitter};
use serde_json::Value;
use std::collections::BTreeMap;

fn run_json(args: &[&str]) -> Value {
    let mut all = vec!["run", "--quiet"];
    all.extend_from_slice(args);
    serde_json::from_str(&newsdigest_ok(&all)).expect("run prints one JSON document")
}

#[test]
fn the_seed_dump_becomes_four_labelled_articles() {
    let seeds = project_path("seeds");
    let output = run_json(&[seeds.to_str().unwrap()]);
    let articles = output["articles"].as_array().unwrap();
    let summary: Vec<(String, i64, i64, String)> = articles
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_string(),
                a["start_line"].as_i64().unwrap(),
                a["end_line"].as_i64().unwrap(),
                a["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let stem = "000_aa71b4222196df8c";
    assert_eq!(
        summary,
        [
            (format!("{stem}#1"), 1, 14, "conflict".to_string()),
            (format!("{stem}#2"), 16, 16, "humanitarian".to_string()),
            (format!("{stem}#3"), 17, 17, "disaster".to_string()),
            (format!("{stem}#4"), 18, 18, "humanitarian".to_string()),
        ]
    );
    assert_eq!(
        articles[0]["title"],
        "Trump envoys to meet Putin amid intensified push to end Ukraine war"
    );
    assert_eq!(articles[0]["source_tag"], "ILKHA");
    for article in articles {
        assert!(!article["text"].as_str().unwrap().contains("LEGAL WARNING"));
    }
}

#[test]
fn every_article_has_the_documented_fields_and_scores_sum_to_one() {
    let seeds = project_path("seeds");
    let output = run_json(&[seeds.to_str().unwrap()]);
    let run = &output["run"];
    assert_eq!(run["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["models"][0]["role"], "embedding");
    assert_eq!(run["models"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(run["labels"]["fallback"], "other");
    let fields = [
        "id",
        "source",
        "start_line",
        "end_line",
        "title",
        "byline",
        "dateline",
        "published",
        "source_tag",
        "text",
        "summary",
        "label",
        "labels",
        "scores",
    ];
    for article in output["articles"].as_array().unwrap() {
        let keys: Vec<&str> = article
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for field in fields {
            assert!(keys.contains(&field), "missing {field} in {keys:?}");
        }
        assert_eq!(article["labels"][0], article["label"]);
        let scores: BTreeMap<String, f64> =
            serde_json::from_value(article["scores"].clone()).unwrap();
        assert_eq!(
            scores.keys().map(String::as_str).collect::<Vec<_>>(),
            ["conflict", "disaster", "humanitarian", "other"]
        );
        assert!(
            (scores.values().sum::<f64>() - 1.0).abs() < 1e-3,
            "{scores:?}"
        );
        let summary = article["summary"].as_str().unwrap();
        let text = article["text"].as_str().unwrap();
        let chosen = whole_sentences_of(text, summary)
            .unwrap_or_else(|| panic!("{summary:?} is not made of sentences of {text:?}"));
        let defaults = newsdigest::summarize::ExtractiveOptions::default();
        assert!(
            (1..=defaults.max_sentences).contains(&chosen),
            "{chosen} sentences"
        );
        assert!(chosen == 1 || summary.split_whitespace().count() <= defaults.max_words);
    }
}

/// How many of `text`'s sentences, in order, make up `summary` exactly, each whole but for page furniture or a
/// dateline cut from its start; `None` if it is not so made.
fn whole_sentences_of(text: &str, summary: &str) -> Option<usize> {
    let mut rest = summary;
    let mut used = 0;
    for sentence in RuleSplitter::default().split(text) {
        let story = newsdigest::summarize::story_text(&sentence).unwrap_or_default();
        if let Some(after) = rest.strip_prefix(story).filter(|_| !story.is_empty()) {
            rest = after.trim_start();
            used += 1;
        }
    }
    rest.is_empty().then_some(used)
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let dumps = project_path("tests/data/dev/dumps");
    let articles = project_path("tests/data/dev/articles.jsonl");
    let args = |threads: &'static str| {
        vec![
            "run",
            "--quiet",
            "--format",
            "jsonl",
            "--threads",
            threads,
            dumps.to_str().unwrap(),
            articles.to_str().unwrap(),
        ]
    };
    let one = newsdigest_ok(&args("1"));
    let two = newsdigest_ok(&args("2"));
    assert!(one.lines().count() > 90);
    assert!(one == two, "--threads 1 and --threads 2 differ");
}

#[test]
fn default_labels_reach_80_percent_on_the_dev_articles() {
    let path = project_path("tests/data/dev/articles.jsonl");
    let gold: BTreeMap<String, String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|line| {
            let record: Value = serde_json::from_str(line).unwrap();
            (
                record["id"].as_str().unwrap().to_string(),
                record["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let output = run_json(&[path.to_str().unwrap()]);
    let report = multi_label_report(&output, &path);
    assert_eq!(report["multi_label_gold"], 12);
    let example_f1 = report["example_f1"].as_f64().unwrap();
    // eval's JSON rounds to 4 decimals.
    assert!((multi_label_f1_of(&output, &path) - example_f1).abs() <= 5e-5);
    assert!(report["micro_f1"].as_f64().unwrap() > 0.8, "{report}");
    let mut per_label: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for article in output["articles"].as_array().unwrap() {
        let expected = &gold[article["id"].as_str().unwrap()];
        let entry = per_label.entry(expected.clone()).or_default();
        entry.1 += 1;
        if article["label"] == expected.as_str() {
            entry.0 += 1;
        }
    }
    let correct: usize = per_label.values().map(|v| v.0).sum();
    let total: usize = per_label.values().map(|v| v.1).sum();
    println!("per label (correct, total): {per_label:?}");
    assert_eq!(total, 48);
    assert!(
        correct as f64 / total as f64 >= 0.8,
        "accuracy {correct}/{total}: {per_label:?}"
    );
}

/// The label-set metrics `eval` reports for a saved run against the multi-label gold at `gold` (`also`).
fn multi_label_report(output: &Value, gold: &std::path::Path) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("pred.json");
    std::fs::write(&pred, output.to_string()).unwrap();
    let report: Value = serde_json::from_str(&newsdigest_ok(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--pred",
        pred.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    report["labels"]["multi_label"].clone()
}

/// Example-based F1 of the run's `labels` against gold `label` + `also`, computed here from the records, and
/// checked to hold each article's top label first and no label twice.
fn multi_label_f1_of(output: &Value, gold: &std::path::Path) -> f64 {
    let gold: BTreeMap<String, Vec<String>> = std::fs::read_to_string(gold)
        .unwrap()
        .lines()
        .map(|line| {
            let record: Value = serde_json::from_str(line).unwrap();
            let mut set = vec![record["label"].as_str().unwrap().to_string()];
            set.extend(
                record["also"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l.as_str().unwrap().to_string()),
            );
            (record["id"].as_str().unwrap().to_string(), set)
        })
        .collect();
    let articles = output["articles"].as_array().unwrap();
    let mut total = 0.0;
    for article in articles {
        let labels: Vec<&str> = article["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(labels[0], article["label"]);
        let unique: std::collections::BTreeSet<&str> = labels.iter().copied().collect();
        assert_eq!(unique.len(), labels.len(), "{labels:?}");
        let expected = &gold[article["id"].as_str().unwrap()];
        let overlap = expected
            .iter()
            .filter(|l| unique.contains(l.as_str()))
            .count();
        total += 2.0 * overlap as f64 / (expected.len() + labels.len()) as f64;
    }
    let f1 = total / articles.len() as f64;
    assert!(f1 > 0.85, "example F1 {f1}");
    f1
}

/// Runs the dev articles with the label file `text`.
fn run_dev_articles_with_labels(text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels.toml");
    std::fs::write(&labels, text).unwrap();
    let articles = project_path("tests/data/dev/articles.jsonl");
    run_json(&[
        "--labels",
        labels.to_str().unwrap(),
        articles.to_str().unwrap(),
    ])
}

/// The label the run gave the article `id`.
fn label_of(output: &Value, id: &str) -> String {
    output["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .map(|a| a["label"].as_str().unwrap().to_string())
        .unwrap()
}

#[test]
fn labels_given_by_name_only_are_described_by_templates() {
    let output = run_dev_articles_with_labels(
        "min_score = 0.0\n\
         [[label]]\nname = \"War and armed conflict\"\n\
         [[label]]\nname = \"Natural disasters\"\n\
         [[label]]\nname = \"Sport\"\n\
         [[label]]\nname = \"Financial markets\"\n",
    );
    for (id, expected) in [
        ("dump01_meridian_wire#1", "War and armed conflict"),
        ("dump01_meridian_wire#3", "Natural disasters"),
        ("dump01_meridian_wire#4", "Financial markets"),
        ("dump02_archive_separators_crlf#4", "Sport"),
    ] {
        assert_eq!(label_of(&output, id), expected, "{id}");
    }
    let run_labels = &output["run"]["labels"];
    assert_eq!(
        run_labels["templates"][0],
        "This news story is about {name}."
    );
    assert!(run_labels["label"][0].get("descriptions").is_none());
}

#[test]
fn a_label_file_replaces_the_built_in_set() {
    let output = run_dev_articles_with_labels(
        r#"
fallback = "none"
min_score = 0.0
[[label]]
name = "markets"
descriptions = ["Stock markets, shares, currencies and oil prices."]
[[label]]
name = "sport"
descriptions = ["A football match, a marathon or a championship."]
"#,
    );
    assert_eq!(label_of(&output, "dump01_meridian_wire#4"), "markets");
    assert_eq!(
        label_of(&output, "dump02_archive_separators_crlf#4"),
        "sport"
    );
    assert_eq!(output["run"]["labels"]["fallback"], "none");
}

#[test]
fn a_missing_model_folder_is_a_clear_error() {
    let output = newsdigest(&["run", "--model-dir", "/nonexistent/model", "seeds"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent/model"), "{stderr}");
}

#[test]
fn segment_explain_gives_a_reason_for_every_boundary_and_left_out_line() {
    let seeds = project_path("seeds");
    let stdout = newsdigest_ok(&["segment", "--explain", seeds.to_str().unwrap()]);
    let records = jsonl_records(&stdout);
    let articles: Vec<&Value> = records.iter().filter(|r| r["kind"] == "article").collect();
    assert!((3..=4).contains(&articles.len()), "{articles:?}");
    assert!(articles
        .iter()
        .all(|a| !a["reason"].as_str().unwrap().is_empty()));
    let legal = records
        .iter()
        .find(|r| r["kind"] == "line" && r["line"] == 15)
        .expect("line 15 is explained");
    assert_eq!(legal["status"], "dropped");
    assert!(legal["text"].as_str().unwrap().starts_with("LEGAL WARNING"));
    let plain = newsdigest_ok(&["segment", seeds.to_str().unwrap()]);
    assert_eq!(plain.lines().count(), articles.len());
    assert!(!plain.contains("\"reason\""));
}
