//! `newsdigest eval` through the binary: scoring a saved run, formats, and `--fail-under` as a gate.

mod common;

use common::{newsdigest, newsdigest_ok, project_path};
use serde_json::Value;

#[test]
fn eval_scores_a_saved_run_and_gates_on_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("pred.jsonl");
    let dump = project_path("tests/data/dev/dumps/dump01_meridian_wire.txt");
    let gold_all = std::fs::read_to_string(project_path("tests/data/dev/gold.jsonl")).unwrap();
    let gold = dir.path().join("gold.jsonl");
    let dump01: Vec<&str> = gold_all
        .lines()
        .filter(|l| l.contains("\"dump01_meridian_wire.txt\""))
        .collect();
    std::fs::write(&gold, dump01.join("\n")).unwrap();
    newsdigest_ok(&[
        "run",
        "--quiet",
        "--format",
        "jsonl",
        "-o",
        pred.to_str().unwrap(),
        dump.to_str().unwrap(),
    ]);

    let (gold, pred) = (gold.to_str().unwrap(), pred.to_str().unwrap());
    let eval = |extra: &[&str]| {
        let mut args = vec!["eval", "--gold", gold, "--pred", pred];
        args.extend_from_slice(extra);
        newsdigest(&args)
    };
    let stdout = |output: std::process::Output| {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };

    let report: Value = serde_json::from_str(&stdout(eval(&["--format", "json"]))).unwrap();
    assert_eq!(report["alignment"]["matched"], 7);
    assert_eq!(report["segmentation"]["total"]["boundary_f1"], 1.0);
    assert!(report["labels"]["accuracy"].as_f64().unwrap() >= 5.0 / 7.0);
    for metric in ["rouge1", "rouge2", "rougeL", "rougeLsum"] {
        let system = report["summaries"]["system"][metric]["f"].as_f64().unwrap();
        let lead3 = report["summaries"]["lead3"][metric]["f"].as_f64().unwrap();
        assert!(system > 0.1 && lead3 > 0.1, "{metric}: {system} {lead3}");
    }

    let markdown = stdout(eval(&["--format", "markdown"]));
    assert!(markdown.contains("| --- |"), "{markdown}");
    assert!(markdown.contains("| conflict |"), "{markdown}");

    let gate = eval(&["--fail-under", "label.accuracy=1.01"]);
    assert_eq!(gate.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&gate.stderr).contains("label.accuracy"));

    let unknown = eval(&["--fail-under", "label.nonsense=0.5"]);
    assert!(!unknown.status.success());
}
