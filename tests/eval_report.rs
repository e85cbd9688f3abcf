//! The evaluation report end to end on small hand-checked inputs: alignment, labels, summaries beside Lead-3,
//! the three renderers and `--fail-under` thresholds.

use newsdigest::eval::align::parse_records;
use newsdigest::eval::{
    check_thresholds, AlignBy, Bound, EvalReport, GoldArticle, PredictedArticle, ReportFormat,
    Threshold,
};
use newsdigest::sentences::RuleSplitter;
use std::collections::HashMap;

const GOLD: &str = r#"{"dump": "d1.txt", "id": "d1#1", "start_line": 1, "end_line": 4, "title": "Floods", "label": "disaster", "also": ["humanitarian"], "summary": "Floods hit the delta. Thousands fled."}
{"dump": "d1.txt", "id": "d1#2", "start_line": 6, "end_line": 9, "title": "Talks", "label": "conflict", "also": [], "summary": "Peace talks resumed in Geneva."}
{"dump": "d1.txt", "id": "d1#3", "start_line": 11, "end_line": 12, "title": null, "label": "other", "also": [], "summary": "A football club won the cup."}
"#;

const PREDICTED: &str = r#"{"id": "x1", "source": "/data/d1.txt", "start_line": 1, "end_line": 5, "title": "Floods", "text": "Floods hit the delta on Monday. Thousands fled their homes. Aid arrived late. Rain continued.", "summary": "Floods hit the delta. Thousands fled their homes.", "label": "humanitarian", "scores": {}}
{"id": "x2", "source": "/data/d1.txt", "start_line": 6, "end_line": 8, "title": "Talks", "text": "Peace talks resumed in Geneva on Tuesday. Delegates met for hours.", "summary": "Delegates met for hours.", "label": "conflict", "scores": {}}
{"id": "x3", "source": "/data/d1.txt", "start_line": 20, "end_line": 22, "title": "Ad", "text": "Subscribe now.", "summary": "Subscribe now.", "label": "other", "scores": {}}
"#;

fn report() -> EvalReport {
    let gold: Vec<GoldArticle> = parse_records("gold.jsonl", GOLD).unwrap();
    let predicted: Vec<PredictedArticle> = parse_records("out.jsonl", PREDICTED).unwrap();
    let line_counts = HashMap::from([("d1.txt".to_string(), 24)]);
    EvalReport::evaluate(&gold, &predicted, &RuleSplitter::default(), &line_counts)
}

#[test]
fn scores_segmentation_of_every_gold_dump() {
    let segmentation = report().segmentation.expect("gold has spans");
    assert_eq!(segmentation.overall.dumps, 1);
    assert_eq!(segmentation.per_dump[0].counts.dump, "d1.txt");
    let total = &segmentation.overall.total;
    // Predicted starts 1, 6, 20 against gold starts 1, 6, 11; no span exact; both found starts keep their title.
    assert_eq!(
        (
            total.counts.gold_articles,
            total.counts.predicted_articles,
            total.counts.boundary_hits
        ),
        (3, 3, 2)
    );
    assert_eq!(total.boundary_f1, 2.0 / 3.0);
    assert_eq!(total.exact_span_accuracy, 0.0);
    assert_eq!(total.title_accuracy, 2.0 / 3.0);
    assert_eq!(report().metric("segmentation.boundary_f1"), Some(2.0 / 3.0));
}

#[test]
fn aligns_by_span_and_lists_what_is_unmatched() {
    let report = report();
    let alignment = &report.alignment;
    assert_eq!(alignment.by, AlignBy::Span);
    assert_eq!(
        (alignment.gold, alignment.predicted, alignment.matched),
        (3, 3, 2)
    );
    let unmatched_gold: Vec<&str> = alignment
        .unmatched_gold
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    let unmatched_predicted: Vec<&str> = alignment
        .unmatched_predicted
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(unmatched_gold, ["d1#3"]);
    assert_eq!(unmatched_predicted, ["x3"]);
}

#[test]
fn scores_labels_over_the_aligned_pairs() {
    let labels = report().labels;
    assert_eq!(labels.count, 2);
    assert_eq!(labels.accuracy, 0.5);
    assert_eq!(labels.lenient_accuracy, 1.0);
    assert_eq!(
        labels.confusion.labels,
        ["conflict", "disaster", "humanitarian"]
    );
    assert_eq!(labels.macro_f1, 1.0 / 3.0);
}

#[test]
fn scores_system_summaries_beside_lead3_on_the_same_articles() {
    let summaries = report().summaries;
    assert_eq!(summaries.count, 2);
    // d1#1: the system summary holds every reference token ("floods hit the delta thousands fled") plus
    // "their homes" (recall 1, precision 6/8); d1#2: no overlap with "delegates met for hours".
    assert_eq!(summaries.system.rouge1.recall, 0.5);
    assert_eq!(summaries.system.rouge1.precision, 0.375);
    // Lead-3 of d1#2 is the whole article, which contains the reference sentence.
    assert!(summaries.lead3.rouge1.recall > summaries.system.rouge1.recall);
}

#[test]
fn renders_text_markdown_and_json() {
    let report = report();
    let text = ReportFormat::Table.renderer().render(&report).unwrap();
    assert!(text.contains("Alignment (by span)"), "{text}");
    assert!(text.contains("Unmatched gold articles (1)"), "{text}");
    assert!(text.contains("Segmentation (1 dumps)"), "{text}");
    let rouge1_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("rouge1"))
        .unwrap();
    assert_eq!(rouge1_line.split_whitespace().count(), 7, "{rouge1_line}");
    let labels_block = text
        .split("\n\n")
        .find(|b| b.starts_with("Labels"))
        .unwrap();
    let label_lines: Vec<&str> = labels_block.lines().skip(1).collect();
    assert_eq!(label_lines.len(), 4, "{labels_block}");
    let widths: Vec<usize> = label_lines.iter().map(|l| l.len()).collect();
    assert!(
        widths.windows(2).all(|w| w[0] == w[1]),
        "columns not aligned:\n{text}"
    );

    let markdown = ReportFormat::Markdown.renderer().render(&report).unwrap();
    assert!(
        markdown.contains("| label | precision | recall | f1 | support |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| --- | ---: | ---: | ---: | ---: |"),
        "{markdown}"
    );

    let json = ReportFormat::Json.renderer().render(&report).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["labels"]["accuracy"], 0.5);
    assert_eq!(value["alignment"]["by"], "span");
    assert_eq!(value["summaries"]["system"]["rouge1"]["precision"], 0.375);
    assert!(value["summaries"]["lead3"]["rougeLsum"]["f"].is_number());
    assert_eq!(value["alignment"]["unmatched_predicted"][0]["id"], "x3");
    assert_eq!(value["segmentation"]["total"]["boundary_hits"], 2);
    assert_eq!(value["segmentation"]["per_dump"][0]["dump"], "d1.txt");
}

#[test]
fn fail_under_reports_only_the_metrics_below_their_minimum() {
    let report = report();
    let thresholds: Vec<Threshold> = [
        "label.accuracy=0.6",
        "label.lenient_accuracy=1",
        "rouge1.precision=0.3",
    ]
    .iter()
    .map(|t| t.parse().unwrap())
    .collect();
    let failures = check_thresholds(&report, &thresholds).unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].metric, "label.accuracy");
    assert_eq!((failures[0].limit, failures[0].actual), (0.6, 0.5));
    assert_eq!(failures[0].bound, Bound::Minimum);
}

#[test]
fn fail_under_rejects_malformed_thresholds() {
    for bad in [
        "label.accuracy",
        "label.accurracy=0.5",
        "rouge1.f=high",
        "rouge1.f=NaN",
        "rouge3.f=0.1",
    ] {
        assert!(bad.parse::<Threshold>().is_err(), "{bad} accepted");
    }
    let threshold: Threshold = " rougeLsum.f = 0.25 ".parse().unwrap();
    assert_eq!(
        (threshold.metric.as_str(), threshold.limit),
        ("rougeLsum.f", 0.25)
    );
    // Pk is an error rate: a minimum on it is refused with the option that takes it.
    let error = "segmentation.pk=0.1".parse::<Threshold>().unwrap_err();
    assert!(error.to_string().contains("--fail-over"), "{error}");
}

#[test]
fn aligns_articles_jsonl_gold_by_id() {
    let gold: Vec<GoldArticle> = parse_records(
        "articles.jsonl",
        r#"{"id": "a", "title": "T", "text": "One. Two. Three. Four.", "label": "other", "also": [], "summary": "One. Two."}"#,
    )
    .unwrap();
    let predicted: Vec<PredictedArticle> = parse_records(
        "out.jsonl",
        r#"{"id": "a", "text": "Four.", "summary": "Four.", "label": "other"}"#,
    )
    .unwrap();
    let report = EvalReport::evaluate(&gold, &predicted, &RuleSplitter::default(), &HashMap::new());
    assert_eq!(report.alignment.by, AlignBy::Id);
    assert!(report.segmentation.is_none());
    let threshold: Threshold = "segmentation.boundary_f1=0.5".parse().unwrap();
    assert!(check_thresholds(&report, &[threshold]).is_err());
    assert_eq!(report.labels.accuracy, 1.0);
    assert_eq!(report.summaries.system.rouge1.f, 0.0);
    // Lead-3 comes from the gold text: "one two three" against "one two".
    assert_eq!(report.summaries.lead3.rouge1.recall, 1.0);
    assert_eq!(report.summaries.lead3.rouge_lsum.precision, 2.0 / 3.0);
}

#[test]
fn every_metric_name_reads_its_value_from_the_report() {
    let report = report();
    for name in newsdigest::eval::metric_names() {
        assert!(report.metric(&name).is_some(), "{name}");
    }
    assert_eq!(report.metric("label.lenient_accuracy"), Some(1.0));
    assert_eq!(report.metric("rouge1.recall"), Some(0.5));
    assert_eq!(report.metric("rouge1.g"), None);
}

#[test]
fn fail_over_fails_when_an_error_rate_is_above_its_maximum() {
    let report = report();
    let pk = report.metric("segmentation.pk").expect("gold has spans");
    let window_diff = report.metric("segmentation.window_diff").unwrap();
    assert!(pk > 0.0 && window_diff > 0.0, "{pk} {window_diff}");
    let maximum = |text: &str| Threshold::parse(text, Bound::Maximum).unwrap();
    let failures = check_thresholds(
        &report,
        &[
            maximum(&format!("segmentation.pk={}", pk / 2.0)),
            maximum(&format!("segmentation.window_diff={window_diff}")),
            "label.accuracy=0.5".parse().unwrap(),
        ],
    )
    .unwrap();
    assert_eq!(
        failures
            .iter()
            .map(|f| (f.metric.as_str(), f.bound, f.limit, f.actual))
            .collect::<Vec<_>>(),
        [("segmentation.pk", Bound::Maximum, pk / 2.0, pk)]
    );
    // A maximum on a score where higher is better, or on an unknown metric, is refused.
    for bad in [
        "segmentation.boundary_f1=0.9",
        "segmentation.pkk=0.1",
        "segmentation.pk",
    ] {
        let error = Threshold::parse(bad, Bound::Maximum).unwrap_err();
        assert!(error.to_string().starts_with("--fail-over"), "{error}");
    }
    // Without gold spans there is no Pk to check.
    let by_id = EvalReport::evaluate(
        &parse_records::<GoldArticle>("g", r#"{"id": "a", "label": "other"}"#).unwrap(),
        &parse_records::<PredictedArticle>("p", r#"{"id": "a", "label": "other"}"#).unwrap(),
        &RuleSplitter::default(),
        &HashMap::new(),
    );
    assert!(check_thresholds(&by_id, &[maximum("segmentation.pk=0.5")]).is_err());
}

/// Evaluates `gold` JSONL against [`PREDICTED`].
fn report_of(gold: &str) -> EvalReport {
    let gold: Vec<GoldArticle> = parse_records("gold.jsonl", gold).unwrap();
    let predicted: Vec<PredictedArticle> = parse_records("out.jsonl", PREDICTED).unwrap();
    let line_counts = HashMap::from([("d1.txt".to_string(), 24)]);
    EvalReport::evaluate(&gold, &predicted, &RuleSplitter::default(), &line_counts)
}

fn rendered(report: &EvalReport) -> String {
    ReportFormat::Table.renderer().render(report).unwrap()
}

#[test]
fn gold_with_summaries_and_no_labels_is_scored_with_rouge_only() {
    let report = report_of(
        r#"{"id": "x1", "summary": "Floods hit the delta. Thousands fled."}
{"id": "x2", "summary": "Peace talks resumed in Geneva."}
"#,
    );
    assert_eq!(report.alignment.matched, 2);
    assert_eq!(report.summaries.count, 2);
    assert!(report.summaries.system.rouge1.f > 0.3);
    assert_eq!(report.labels.count, 0);
    assert_eq!(
        (
            report.left_out.labels,
            report.left_out.summaries,
            report.left_out.segmentation
        ),
        (2, 0, 2)
    );
    assert!(report.segmentation.is_none());
    assert_eq!(report.metric("label.accuracy"), None);
    let error = check_thresholds(&report, &["label.accuracy=0.1".parse().unwrap()]).unwrap_err();
    assert!(error.to_string().contains("gold labels"), "{error}");
    assert!(
        check_thresholds(&report, &["rouge1.f=0.3".parse().unwrap()])
            .unwrap()
            .is_empty()
    );
    let text = rendered(&report);
    assert!(text.contains("Summaries (2 articles)"), "{text}");
    assert!(
        !text.contains("Labels") && !text.contains("Confusion"),
        "{text}"
    );
    assert!(text.contains("left out"), "{text}");
}

#[test]
fn gold_with_labels_and_no_summaries_is_scored_on_labels_only() {
    let report = report_of(
        r#"{"id": "x1", "label": "humanitarian"}
{"id": "x2", "label": "disaster"}
{"id": "x3", "label": "other"}
"#,
    );
    assert_eq!(report.labels.count, 3);
    assert_eq!(report.labels.accuracy, 2.0 / 3.0);
    assert_eq!(report.summaries.count, 0);
    assert_eq!((report.left_out.labels, report.left_out.summaries), (0, 3));
    assert_eq!(report.metric("rouge1.f"), None);
    let text = rendered(&report);
    assert!(text.contains("Labels (3 articles)"), "{text}");
    assert!(!text.contains("Summaries"), "{text}");
}

#[test]
fn gold_with_spans_only_is_scored_on_segmentation_and_partial_records_are_counted() {
    let report = report_of(
        r#"{"dump": "d1.txt", "id": "d1#1", "start_line": 1, "end_line": 4}
{"dump": "d1.txt", "id": "d1#2", "start_line": 6, "end_line": 9, "label": "conflict"}
{"dump": "d1.txt", "id": "d1#3", "start_line": 11, "end_line": 12, "summary": "A football club won the cup."}
{"id": "loose", "label": "other"}
"#,
    );
    let segmentation = report.segmentation.as_ref().expect("gold has spans");
    assert_eq!(segmentation.overall.total.counts.gold_articles, 3);
    // d1#1 and d1#2 pair with x1 and x2 by span; only d1#2 has a label, neither a summary.
    assert_eq!(report.alignment.matched, 2);
    assert_eq!(report.labels.count, 1);
    assert_eq!(report.summaries.count, 0);
    assert_eq!(
        (
            report.left_out.segmentation,
            report.left_out.labels,
            report.left_out.summaries
        ),
        (1, 1, 2)
    );
    let value: serde_json::Value =
        serde_json::from_str(&ReportFormat::Json.renderer().render(&report).unwrap()).unwrap();
    assert_eq!(value["left_out"]["labels"], 1);
}

#[test]
fn predictions_without_labels_are_left_out_of_the_label_metrics() {
    let gold: Vec<GoldArticle> = parse_records("gold.jsonl", GOLD).unwrap();
    let predicted: Vec<PredictedArticle> = parse_records(
        "segments.jsonl",
        r#"{"id": "s1", "source": "d1.txt", "start_line": 1, "end_line": 4}
{"id": "s2", "source": "d1.txt", "start_line": 6, "end_line": 9, "label": "conflict"}
"#,
    )
    .unwrap();
    let report = EvalReport::evaluate(&gold, &predicted, &RuleSplitter::default(), &HashMap::new());
    assert_eq!(report.alignment.matched, 2);
    assert_eq!((report.labels.count, report.left_out.labels), (1, 1));
    assert_eq!(report.labels.accuracy, 1.0);
}
