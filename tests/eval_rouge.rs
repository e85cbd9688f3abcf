//! Agreement with Google's `rouge-score` 0.1.2 (Porter stemming via nltk 3.10.4): every fixture pair and every
//! metric to 1e-6, and every stem of the fixture vocabulary exactly. The fixtures are written by
//! `scripts/rouge_fixtures.py`.

use newsdigest::eval::rouge::{porter, rouge, PrfScore};
use serde::Deserialize;

#[derive(Deserialize)]
struct ReferenceScore {
    precision: f64,
    recall: f64,
    fmeasure: f64,
}

#[derive(Deserialize)]
struct Fixture {
    name: String,
    target: String,
    prediction: String,
    rouge1: ReferenceScore,
    rouge2: ReferenceScore,
    #[serde(rename = "rougeL")]
    rouge_l: ReferenceScore,
    #[serde(rename = "rougeLsum")]
    rouge_lsum: ReferenceScore,
}

fn disagreements(
    name: &str,
    metric: &str,
    ours: PrfScore,
    reference: &ReferenceScore,
) -> Vec<String> {
    [
        ("precision", ours.precision, reference.precision),
        ("recall", ours.recall, reference.recall),
        ("f", ours.f, reference.fmeasure),
    ]
    .iter()
    .filter(|(_, ours, reference)| (ours - reference).abs() > 1e-6)
    .map(|(part, ours, reference)| {
        format!("{name} {metric}.{part}: ours {ours}, rouge-score {reference}")
    })
    .collect()
}

#[test]
fn every_fixture_pair_agrees_with_rouge_score_on_every_metric() {
    let content = std::fs::read_to_string("tests/data/rouge/fixtures.jsonl").expect("fixtures");
    let fixtures: Vec<Fixture> = content
        .lines()
        .map(|line| serde_json::from_str(line).expect("fixture line"))
        .collect();
    assert!(fixtures.len() >= 100, "only {} fixtures", fixtures.len());
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let ours = rouge(&fixture.target, &fixture.prediction);
        failures.extend(disagreements(
            &fixture.name,
            "rouge1",
            ours.rouge1,
            &fixture.rouge1,
        ));
        failures.extend(disagreements(
            &fixture.name,
            "rouge2",
            ours.rouge2,
            &fixture.rouge2,
        ));
        failures.extend(disagreements(
            &fixture.name,
            "rougeL",
            ours.rouge_l,
            &fixture.rouge_l,
        ));
        failures.extend(disagreements(
            &fixture.name,
            "rougeLsum",
            ours.rouge_lsum,
            &fixture.rouge_lsum,
        ));
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_word_stems_as_nltk_porter_stems_it() {
    let content = std::fs::read_to_string("tests/data/rouge/stems.tsv").expect("stems");
    let mut failures = Vec::new();
    let mut words = 0;
    for line in content.lines() {
        let (word, expected) = line.split_once('\t').expect("word<TAB>stem");
        words += 1;
        let ours = porter::stem(word);
        if ours != expected {
            failures.push(format!("{word}: ours {ours}, nltk {expected}"));
        }
    }
    assert!(words > 1000, "only {words} words");
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
