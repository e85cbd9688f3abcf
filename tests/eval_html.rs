//! `newsdigest eval` error lists and the HTML report: predictions made from the dev gold with known mistakes
//! (a wrong label, a shifted start, a missed and an extra article), scored through the binary; the HTML page
//! is parsed and every figure it shows must equal the JSON report's.

mod common;

use common::{newsdigest_ok, project_path};
use scraper::{Html, Selector};
use serde_json::{json, Value};

struct Scored {
    json: Value,
    json_text: String,
    html: String,
    markdown: String,
}

/// Writes predictions with known mistakes and scores them in JSON, HTML and markdown.
fn score_known_mistakes() -> Scored {
    let dir = tempfile::tempdir().unwrap();
    let gold_path = project_path("tests/data/dev/gold.jsonl");
    let gold: Vec<Value> = std::fs::read_to_string(&gold_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut predicted = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        let mut label = g["label"].as_str().unwrap().to_string();
        let mut start = g["start_line"].as_u64().unwrap();
        match i {
            // Mislabelled: conflict <-> disaster, with scores that say so.
            1 => {
                label = if label == "disaster" {
                    "conflict"
                } else {
                    "disaster"
                }
                .to_string()
            }
            // Starts a line late (in a nine-line article): a missed gold boundary and an extra predicted one.
            0 => start += 1,
            // Missed altogether.
            6 => continue,
            _ => {}
        }
        let mut scores = serde_json::Map::new();
        for name in ["conflict", "disaster", "humanitarian", "other"] {
            scores.insert(
                name.to_string(),
                json!(if name == label { 0.7 } else { 0.1 }),
            );
        }
        predicted.push(json!({
            "id": g["id"],
            "source": format!("tests/data/dev/dumps/{}", g["dump"].as_str().unwrap()),
            "start_line": start,
            "end_line": g["end_line"],
            "title": g["title"],
            "summary": g["summary"].as_str().unwrap().split(". ").next().unwrap(),
            "label": label,
            "scores": scores,
        }));
    }
    let pred_path = dir.path().join("pred.jsonl");
    let lines: Vec<String> = predicted.iter().map(Value::to_string).collect();
    std::fs::write(&pred_path, lines.join("\n")).unwrap();
    let html_path = dir.path().join("report.html");
    let (gold_arg, pred_arg) = (gold_path.to_str().unwrap(), pred_path.to_str().unwrap());
    let eval = |extra: &[&str]| {
        let mut args = vec!["eval", "--gold", gold_arg, "--pred", pred_arg];
        args.extend_from_slice(extra);
        newsdigest_ok(&args)
    };
    let json_text = eval(&["--format", "json"]);
    eval(&["--format", "html", "-o", html_path.to_str().unwrap()]);
    Scored {
        json: serde_json::from_str(&json_text).unwrap(),
        json_text,
        html: std::fs::read_to_string(&html_path).unwrap(),
        markdown: eval(&["--format", "markdown"]),
    }
}

#[test]
fn eval_lists_every_mislabelled_article_and_boundary_error() {
    let scored = score_known_mistakes();
    let errors = &scored.json["errors"];
    let gold: Vec<Value> = std::fs::read_to_string(project_path("tests/data/dev/gold.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();

    let mislabelled = errors["mislabelled"].as_array().unwrap();
    assert_eq!(mislabelled.len(), 1, "{mislabelled:?}");
    assert_eq!(mislabelled[0]["id"], gold[1]["id"]);
    assert_eq!(mislabelled[0]["gold"], gold[1]["label"]);
    assert_eq!(mislabelled[0]["title"], gold[1]["title"]);
    let predicted = mislabelled[0]["predicted"].as_str().unwrap();
    assert_eq!(mislabelled[0]["scores"][predicted], 0.7);

    let boundary = |list: &str| -> Vec<(String, u64)> {
        errors[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["dump"].as_str().unwrap().to_string(),
                    b["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let at = |i: usize, shift: u64| {
        (
            gold[i]["dump"].as_str().unwrap().to_string(),
            gold[i]["start_line"].as_u64().unwrap() + shift,
        )
    };
    let mut missed = vec![at(0, 0), at(6, 0)];
    missed.sort();
    let mut found_missed = boundary("missed_boundaries");
    found_missed.sort();
    assert_eq!(found_missed, missed);
    assert_eq!(boundary("extra_boundaries"), [at(0, 1)]);
    assert_eq!(
        scored.json["alignment"]["unmatched_gold"][0]["id"],
        gold[6]["id"]
    );

    for heading in [
        "### Mislabelled articles (1)",
        "### Missed boundaries (2)",
        "### Extra boundaries (1)",
    ] {
        assert!(
            scored.markdown.contains(heading),
            "{heading}:\n{}",
            scored.markdown
        );
    }
    assert!(scored.markdown.contains(gold[1]["id"].as_str().unwrap()));
}

#[test]
fn json_numbers_are_rounded_to_four_decimals() {
    let scored = score_known_mistakes();
    let long_fraction = regex::Regex::new(r"\d\.\d{5,}").unwrap();
    assert!(
        !long_fraction.is_match(&scored.json_text),
        "{:?}",
        long_fraction.find(&scored.json_text)
    );
}

#[test]
fn the_html_report_shows_the_json_reports_numbers_and_needs_no_network() {
    let scored = score_known_mistakes();
    let page = Html::parse_document(&scored.html);
    let tagged = Selector::parse("[data-metric]").unwrap();
    let mut pointers = Vec::new();
    for element in page.select(&tagged) {
        let pointer = element.value().attr("data-metric").unwrap();
        let shown: String = element.text().collect();
        let expected = scored
            .json
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{pointer} is not in the JSON report"));
        let shown_value: f64 = shown.trim().parse().unwrap();
        assert_eq!(
            shown_value,
            expected.as_f64().unwrap(),
            "{pointer}: the page shows {shown}, the JSON has {expected}"
        );
        pointers.push(pointer.to_string());
    }
    let labels = scored.json["labels"]["confusion"]["labels"]
        .as_array()
        .unwrap()
        .len();
    let mut required = vec![
        "/labels/accuracy".to_string(),
        "/labels/macro_f1".to_string(),
        "/summaries/system/rougeL/f".to_string(),
        "/summaries/lead3/rougeL/f".to_string(),
        "/segmentation/total/boundary_f1".to_string(),
    ];
    for i in 0..labels {
        required.push(format!("/labels/per_label/{i}/precision"));
        required.push(format!("/labels/per_label/{i}/recall"));
        for j in 0..labels {
            required.push(format!("/labels/confusion/counts/{i}/{j}"));
        }
    }
    let dumps = scored.json["segmentation"]["per_dump"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(dumps, 8);
    for i in 0..dumps {
        required.push(format!("/segmentation/per_dump/{i}/boundary_f1"));
        required.push(format!("/segmentation/per_dump/{i}/pk"));
    }
    for pointer in &required {
        assert!(
            pointers.contains(pointer),
            "the page does not show {pointer}"
        );
    }

    // Charts are inline SVG: a heat map cell per confusion count, bars for precision/recall and ROUGE.
    let svg = Selector::parse("svg").unwrap();
    assert_eq!(page.select(&svg).count(), 3);
    let cells = Selector::parse("svg rect[fill-opacity]").unwrap();
    assert_eq!(page.select(&cells).count(), labels * labels);

    // The error lists, by id and line.
    let mislabelled_id = scored.json["errors"]["mislabelled"][0]["id"]
        .as_str()
        .unwrap();
    let rows = Selector::parse("#errors ~ table td, h2#errors ~ table td").unwrap();
    let cells: Vec<String> = page.select(&rows).map(|c| c.text().collect()).collect();
    assert!(cells.iter().any(|c| c == mislabelled_id), "{cells:?}");

    // Self-contained: nothing is fetched.
    let html = scored.html.to_lowercase();
    for needle in [
        "<script", "src=", "href=", "http://", "https://", "@import", "url(",
    ] {
        assert!(!html.contains(needle), "the page contains {needle}");
    }
}
