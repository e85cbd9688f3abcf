//! Classifier heads with the real model: learning from labels, the model check, determinism, and the CLI.

mod common;

use common::{newsdigest, newsdigest_ok, project_path};
use newsdigest::classify::head::{
    fit_head, read_gold_spans, read_labeled_jsonl, Example, FitOptions, HeadMethod, LabeledArticle,
    ZeroShotBase,
};
use newsdigest::classify::{Classifier, Head, HeadClassifier, LabelSet};
use newsdigest::eval::stratified_folds;
use newsdigest::pipeline::{Labeller, Pipeline, PipelineOptions};
use serde_json::Value;

fn dev(file: &str) -> String {
    project_path("tests/data/dev")
        .join(file)
        .display()
        .to_string()
}

/// The dev articles with their labels and real embeddings.
fn dev_examples(pipeline: &Pipeline) -> Vec<Example> {
    let labeled = read_labeled_jsonl(std::path::Path::new(&dev("articles.jsonl"))).unwrap();
    let (articles, labels): (Vec<_>, Vec<_>) = labeled
        .into_iter()
        .map(|l| (l.article, (l.label, l.also)))
        .unzip();
    pipeline
        .embed(articles)
        .unwrap()
        .into_iter()
        .zip(labels)
        .map(|(embedded, (label, also))| Example {
            id: embedded.article.id,
            label,
            also,
            vector: embedded.vector,
        })
        .collect()
}

#[test]
fn heads_learnt_on_two_thirds_label_the_held_out_third_well_above_chance() {
    let pipeline = Pipeline::new(PipelineOptions::default()).unwrap();
    let examples = dev_examples(&pipeline);
    let folds = stratified_folds(&examples, 3);
    let (held_out, training): (Vec<_>, Vec<_>) = examples
        .iter()
        .cloned()
        .zip(&folds)
        .partition(|(_, fold)| **fold == 0);
    let training: Vec<Example> = training.into_iter().map(|(e, _)| e).collect();
    let held_out: Vec<Example> = held_out.into_iter().map(|(e, _)| e).collect();
    let largest_class = ["conflict", "humanitarian", "disaster", "other"]
        .iter()
        .map(|label| held_out.iter().filter(|e| e.label == *label).count())
        .max()
        .unwrap();
    let chance = largest_class as f64 / held_out.len() as f64;
    let base = pipeline
        .with_embedder(|embedder| ZeroShotBase::new(&LabelSet::default(), embedder))
        .unwrap();

    for method in [HeadMethod::Prototypes, HeadMethod::Logistic] {
        for base in [None, Some(&base)] {
            let options = FitOptions {
                method,
                ..FitOptions::default()
            };
            let head =
                fit_head(&training, &options, base, pipeline.model_sha256(), vec![]).unwrap();
            assert_eq!(
                head.labels,
                ["conflict", "disaster", "humanitarian", "other"]
            );
            let mut classifier = pipeline
                .with_embedder(|embedder| HeadClassifier::new(head, embedder))
                .unwrap();
            let embedded: Vec<_> = held_out.iter().map(embedded_stub).collect();
            let predictions = classifier.classify(&embedded).unwrap();
            let correct = predictions
                .iter()
                .zip(&held_out)
                .filter(|(p, e)| p.label == e.label)
                .count();
            let accuracy = correct as f64 / held_out.len() as f64;
            assert!(
                accuracy >= 0.75 && accuracy > chance + 0.4,
                "{method:?} with base {}: held-out accuracy {accuracy:.3} (chance {chance:.3})",
                base.is_some()
            );
        }
    }
}

/// An embedded article carrying only what a classifier reads: the id and the vector.
fn embedded_stub(example: &Example) -> newsdigest::EmbeddedArticle {
    newsdigest::EmbeddedArticle {
        article: newsdigest::Article {
            id: example.id.clone(),
            source: String::new(),
            start_line: None,
            end_line: None,
            title: None,
            text: String::new(),
            metadata: Default::default(),
            known_sentences: Default::default(),
        },
        sentences: Vec::new(),
        sentence_vectors: Vec::new(),
        vector: example.vector.clone(),
    }
}

#[test]
fn gold_spans_give_the_same_labelled_articles_as_the_clean_texts() {
    let from_spans = read_gold_spans(
        std::path::Path::new(&dev("gold.jsonl")),
        std::path::Path::new(&dev("dumps")),
    )
    .unwrap();
    let clean = read_labeled_jsonl(std::path::Path::new(&dev("articles.jsonl"))).unwrap();
    assert_eq!(from_spans.len(), 48);
    for (span, clean) in from_spans.iter().zip(&clean) {
        assert_eq!(span.article.id, clean.article.id);
        assert_eq!(span.label, clean.label);
        assert_eq!(span.article.title, clean.article.title);
        // The span text holds the clean body (plus bylines and inner boilerplate lines).
        let first_words: String = clean
            .article
            .text
            .split_whitespace()
            .take(8)
            .collect::<Vec<_>>()
            .join(" ");
        let span_words = span
            .article
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            span_words.contains(&first_words),
            "{}: {span_words}",
            span.article.id
        );
        if let Some(title) = &span.article.title {
            assert!(
                !span.article.text.starts_with(title.as_str()),
                "{}",
                span.article.id
            );
        }
    }
}

#[test]
fn the_cli_fits_a_head_cross_validates_it_and_run_uses_it() {
    let dir = tempfile::tempdir().unwrap();
    let head_path = dir.path().join("head.json");
    let head_file = head_path.to_str().unwrap();
    let report: Value = serde_json::from_str(&newsdigest_ok(&[
        "fit",
        "--train",
        &dev("articles.jsonl"),
        "--cv",
        "4",
        "-o",
        head_file,
    ]))
    .unwrap();
    assert_eq!(report["folds"], 4);
    assert_eq!(report["examples"], 48);
    for system in ["head", "zero_shot"] {
        let accuracy = report[system]["accuracy"].as_f64().unwrap();
        let macro_f1 = report[system]["macro_f1"].as_f64().unwrap();
        assert!(accuracy > 0.75 && macro_f1 > 0.7, "{system}: {report}");
        assert_eq!(report[system]["folds"].as_array().unwrap().len(), 4);
        // 12 of the articles have a second gold label (`also`): label sets are scored too.
        let sets = &report["multi_label"][system];
        assert_eq!(sets["multi_label_gold"], 12, "{report}");
        assert!(
            sets["example_f1"].as_f64().unwrap() > 0.8,
            "{system}: {sets}"
        );
    }

    let head = Head::from_file(&head_path).unwrap();
    assert_eq!(head.training.label_counts["other"], 8);
    assert!(head.base.is_some());

    let output: Value = serde_json::from_str(&newsdigest_ok(&[
        "run",
        "--quiet",
        "--head",
        head_file,
        &dev("articles.jsonl"),
    ]))
    .unwrap();
    let models = output["run"]["models"].as_array().unwrap();
    assert!(models
        .iter()
        .any(|m| m["role"] == "classifier-head" && m["sha256"] == head.sha256().unwrap()));
    let gold: Vec<LabeledArticle> =
        read_labeled_jsonl(std::path::Path::new(&dev("articles.jsonl"))).unwrap();
    let articles = output["articles"].as_array().unwrap();
    assert_eq!(articles.len(), gold.len());
    let mut agreeing = 0;
    for (article, gold) in articles.iter().zip(&gold) {
        let scores = article["scores"].as_object().unwrap();
        assert_eq!(
            scores.keys().collect::<Vec<_>>(),
            head.labels.iter().collect::<Vec<_>>()
        );
        let label = article["label"].as_str().unwrap();
        let best = scores
            .iter()
            .max_by(|a, b| a.1.as_f64().partial_cmp(&b.1.as_f64()).unwrap())
            .unwrap();
        assert_eq!(best.0, label);
        agreeing += usize::from(label == gold.label);
    }
    // Trained on these very articles, the head gives nearly all of them their own label.
    assert!(agreeing >= 44, "{agreeing} of {}", gold.len());
}

#[test]
fn the_same_training_data_gives_a_byte_identical_head_from_either_input_form() {
    let dir = tempfile::tempdir().unwrap();
    let fit = |name: &str, extra: &[&str]| {
        let path = dir.path().join(name);
        let mut args = vec!["fit", "--train"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-o", path.to_str().unwrap()]);
        newsdigest_ok(&args);
        std::fs::read(path).unwrap()
    };
    let articles = dev("articles.jsonl");
    let gold = dev("gold.jsonl");
    let dumps = dev("dumps");
    let first = fit("a.json", &[&articles]);
    let second = fit("b.json", &[&articles, "--threads", "1"]);
    assert_eq!(first, second, "same input, same head file");
    let from_spans = fit(
        "c.json",
        &[&gold, "--dumps", &dumps, "--method", "logistic"],
    );
    let again = fit(
        "d.json",
        &[&gold, "--dumps", &dumps, "--method", "logistic"],
    );
    assert_eq!(from_spans, again, "same input, same head file (logistic)");
}

#[test]
fn a_head_trained_on_another_model_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let head_path = dir.path().join("head.json");
    newsdigest_ok(&[
        "fit",
        "--train",
        &dev("articles.jsonl"),
        "-o",
        head_path.to_str().unwrap(),
    ]);
    let mut head = Head::from_file(&head_path).unwrap();
    head.model_sha256 = "0".repeat(64);
    head.to_file(&head_path).unwrap();

    let output = newsdigest(&[
        "run",
        "--quiet",
        "--head",
        head_path.to_str().unwrap(),
        &dev("articles.jsonl"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&"0".repeat(64)) && stderr.contains("fit the head again"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());

    let refused = Pipeline::new(PipelineOptions {
        labeller: Labeller::Head {
            head: Box::new(head),
            file: head_path.clone(),
        },
        ..PipelineOptions::default()
    });
    assert!(refused.is_err());
}
