//! The NLI zero-shot classifier on the tiny random-weight BART, RoBERTa, DeBERTa, DeBERTa-v2 and -v3 MNLI
//! checkpoints that transformers wrote (tests/data/checkpoints, by scripts/make-checkpoint-fixtures), on the dev
//! set's articles: the scores' shape in single- and multi-label mode, the entailment class read from label2id,
//! the fallback, batching, the hypothesis template, premises cut to the window, errors for folders that are not
//! NLI models, and transformers' own input ids and logits on its reference pairs.

mod common;

use common::tiny::{self, fixture, references};
use newsdigest::article::{Article, EmbeddedArticle};
use newsdigest::classify::{
    Classifier, LabelSet, LabelSpec, NliClassifier, NliOptions, Prediction,
};
use std::path::Path;

fn dev_articles(count: usize) -> Vec<EmbeddedArticle> {
    let articles: Vec<Article> = common::dev_articles();
    // The longest article first: longer than every fixture's window, so its premise must be cut.
    let longest = articles
        .iter()
        .max_by_key(|a| a.text.len())
        .cloned()
        .expect("the dev set has articles");
    std::iter::once(longest)
        .chain(articles)
        .take(count)
        .map(|article| EmbeddedArticle {
            article,
            sentences: Vec::new(),
            sentence_vectors: Vec::new(),
            vector: Vec::new(),
        })
        .collect()
}

fn classify(
    options: &NliOptions,
    labels: &LabelSet,
    articles: &[EmbeddedArticle],
) -> Vec<Prediction> {
    NliClassifier::load(options, labels)
        .expect("the checkpoint loads")
        .classify(articles)
        .expect("the articles are classified")
}

fn close(a: &[Prediction], b: &[Prediction]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            a.label == b.label
                && a.scores.keys().eq(b.scores.keys())
                && a.scores
                    .values()
                    .zip(b.scores.values())
                    .all(|(x, y)| (x - y).abs() < 1e-5)
        })
}

fn with_min_score(min_score: f32) -> LabelSet {
    LabelSet {
        min_score,
        ..LabelSet::default()
    }
}

/// The default label set with one more label.
fn with_extra_label() -> LabelSet {
    let mut labels = LabelSet::default();
    labels.labels.push(LabelSpec {
        name: "sports".to_string(),
        descriptions: vec!["A match, a race or a tournament.".to_string()],
        offset: 0.0,
    });
    labels
}

fn top(prediction: &Prediction) -> (&str, f32) {
    prediction
        .scores
        .iter()
        .fold(("", f32::NEG_INFINITY), |best, (name, &score)| {
            if score > best.1 {
                (name.as_str(), score)
            } else {
                best
            }
        })
}

fn check_single_label(model: &Path) {
    let articles = dev_articles(5);
    let options = NliOptions::new(model.to_path_buf());
    let labels = LabelSet::default();
    let predictions = classify(&options, &with_min_score(0.0), &articles);
    assert_eq!(predictions.len(), articles.len());
    for prediction in &predictions {
        assert_eq!(
            prediction
                .scores
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            {
                let mut names = labels.names();
                names.sort();
                names
            }
        );
        assert!((prediction.scores.values().sum::<f32>() - 1.0).abs() < 1e-5);
        assert_eq!(prediction.label, top(prediction).0);
    }
    // Below min_score the fallback is given, with the same scores.
    for (sure, unsure) in
        predictions
            .iter()
            .zip(classify(&options, &with_min_score(1.0), &articles))
    {
        assert_eq!(unsure.label, "other");
        assert_eq!(unsure.scores, sure.scores);
    }
    // One softmax over the labels: another label changes every score.
    let extended = classify(&options, &with_extra_label(), &articles);
    for (before, after) in predictions.iter().zip(&extended) {
        assert!(before
            .scores
            .iter()
            .all(|(name, score)| (after.scores[name] - score).abs() > 1e-7));
    }
}

#[test]
fn bart_and_roberta_give_a_score_per_label_that_sums_to_one() {
    check_single_label(&fixture("bart-mnli"));
    check_single_label(&fixture("roberta-mnli"));
}

#[test]
fn deberta_v1_v2_and_v3_give_a_score_per_label_that_sums_to_one() {
    for name in [
        "deberta-mnli",
        "deberta-v2-mnli",
        "deberta-v2-xlarge-mnli",
        "deberta-v3-mnli",
    ] {
        check_single_label(&fixture(name));
    }
}

#[test]
fn multi_label_scores_each_label_on_its_own() {
    let model = fixture("bart-mnli");
    let articles = dev_articles(4);
    let options = NliOptions {
        multi_label: true,
        ..NliOptions::new(model)
    };
    let predictions = classify(&options, &with_min_score(0.0), &articles);
    let extended = classify(&options, &with_extra_label(), &articles);
    for (prediction, wider) in predictions.iter().zip(&extended) {
        assert!(prediction.scores.values().all(|s| *s > 0.0 && *s < 1.0));
        assert_eq!(prediction.label, top(prediction).0);
        for (name, score) in &prediction.scores {
            assert!(
                (wider.scores[name] - score).abs() < 1e-5,
                "{name}: {score} vs {}",
                wider.scores[name]
            );
        }
    }
    // The top label is given only when its own score reaches min_score.
    let (label, score) = top(&predictions[0]);
    let first = std::slice::from_ref(&articles[0]);
    assert_eq!(
        classify(&options, &with_min_score(score - 1e-3), first)[0].label,
        label
    );
    assert_eq!(
        classify(&options, &with_min_score(score + 1e-3), first)[0].label,
        "other"
    );
}

#[test]
fn the_entailment_class_comes_from_label2id() {
    let dir = tempfile::tempdir().unwrap();
    let mnli = fixture("bart-mnli");
    // The same weights, with the classes named in the other order: entailment is now class 0.
    let reordered = tiny::copy_folder(&mnli, &dir.path().join("reordered"));
    let mut config = tiny::read_json(&reordered.join("config.json"));
    assert_eq!(config["label2id"]["entailment"], 2);
    config["label2id"] = serde_json::json!({"entailment": 0, "neutral": 1, "contradiction": 2});
    tiny::write_json(&reordered.join("config.json"), &config);

    let articles = dev_articles(3);
    let labels = with_min_score(0.0);
    let original = classify(&NliOptions::new(mnli), &labels, &articles);
    let swapped = classify(&NliOptions::new(reordered), &labels, &articles);
    for (a, b) in original.iter().zip(&swapped) {
        assert!(a
            .scores
            .iter()
            .all(|(name, score)| (b.scores[name] - score).abs() > 1e-6));
    }
}

#[test]
fn batches_equal_one_by_one_and_the_template_matters() {
    let model = fixture("roberta-mnli");
    let articles = dev_articles(5);
    let labels = LabelSet::default();
    let options = NliOptions {
        batch_size: 4,
        ..NliOptions::new(model.clone())
    };
    let batched = classify(&options, &labels, &articles);
    let mut classifier = NliClassifier::load(
        &NliOptions {
            batch_size: 1,
            ..options.clone()
        },
        &labels,
    )
    .unwrap();
    let one_by_one: Vec<Prediction> = articles
        .iter()
        .map(|a| {
            classifier
                .classify(std::slice::from_ref(a))
                .unwrap()
                .remove(0)
        })
        .collect();
    assert!(close(&batched, &one_by_one), "{batched:?}\n{one_by_one:?}");

    let other_template = NliOptions {
        hypothesis_template: "The story is on {} news.".to_string(),
        ..options.clone()
    };
    assert!(!close(
        &classify(&other_template, &labels, &articles),
        &batched
    ));

    let no_slot = NliOptions {
        hypothesis_template: "This example is about things.".to_string(),
        ..options
    };
    let error = NliClassifier::load(&no_slot, &labels)
        .err()
        .expect("refused")
        .to_string();
    assert!(error.contains("has no `{}`"), "{error}");
}

#[test]
fn a_premise_longer_than_the_window_is_cut_after_the_most_words_that_fit() {
    let labels = with_min_score(0.0);
    let mut article = dev_articles(1).remove(0);
    article.article.title = None;
    let text = article.article.text.clone();
    let words: Vec<&str> = text.split_whitespace().collect();
    let with_text = |count: usize| {
        let mut cut = article.clone();
        cut.article.text = words[..count].join(" ");
        cut
    };
    for name in [
        "bart-mnli",
        "roberta-mnli",
        "deberta-mnli",
        "deberta-v2-mnli",
        "deberta-v2-xlarge-mnli",
        "deberta-v3-mnli",
    ] {
        let config = tiny::read_json(&fixture(name).join("config.json"));
        // RoBERTa numbers positions from pad_token_id + 1: two of its position embeddings are never used.
        let reserved = if name == "roberta-mnli" { 2 } else { 0 };
        let window = config["max_position_embeddings"].as_u64().unwrap() as usize - reserved;
        let options = NliOptions::new(fixture(name));
        let mut classifier = NliClassifier::load(&options, &labels).unwrap();
        // The premise must leave room for the longest hypothesis.
        let hypothesis = options.hypothesis_template.replace("{}", "humanitarian");
        let fits = |count: usize| {
            classifier
                .input_ids(&words[..count].join(" "), &hypothesis)
                .len()
                <= window
        };
        assert!(!fits(words.len()), "{name}: the article fits the window");
        let most = (1..words.len())
            .take_while(|&count| fits(count))
            .last()
            .unwrap();
        let full = classifier.classify(std::slice::from_ref(&article)).unwrap();
        assert_eq!(
            full,
            classifier.classify(&[with_text(most)]).unwrap(),
            "{name}"
        );
        assert_ne!(
            full,
            classifier.classify(&[with_text(most - 1)]).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn folders_that_are_not_nli_models_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let labels = LabelSet::default();
    let no_entailment = tiny::copy_folder(&fixture("bart-mnli"), &dir.path().join("sentiment"));
    let mut config = tiny::read_json(&no_entailment.join("config.json"));
    config["label2id"] = serde_json::json!({"negative": 0, "positive": 1});
    tiny::write_json(&no_entailment.join("config.json"), &config);
    let error = NliClassifier::load(&NliOptions::new(no_entailment), &labels)
        .err()
        .expect("refused")
        .to_string();
    assert!(error.contains("no entailment label"), "{error}");

    let error = NliClassifier::load(&NliOptions::new(fixture("t5")), &labels)
        .err()
        .expect("refused")
        .to_string();
    assert!(error.contains("`t5` is not supported"), "{error}");

    // A DeBERTa with token types, which the pairs are not given, or with a setting transformers rejects.
    for (name, field, value, expected) in [
        (
            "typed",
            "type_vocab_size",
            serde_json::json!(2),
            "type_vocab_size 2",
        ),
        (
            "p2p",
            "pos_att_type",
            serde_json::json!(["c2p", "p2p"]),
            "p2p",
        ),
    ] {
        let folder = tiny::copy_folder(&fixture("deberta-mnli"), &dir.path().join(name));
        let mut config = tiny::read_json(&folder.join("config.json"));
        config[field] = value;
        tiny::write_json(&folder.join("config.json"), &config);
        let error = NliClassifier::load(&NliOptions::new(folder), &labels)
            .err()
            .expect("refused")
            .to_string();
        assert!(
            error.contains("config.json") && error.contains(expected),
            "{error}"
        );
    }
}

/// Compares input ids and logits with transformers' on every reference pair of fixture `name`, run from
/// `folder`; returns the differences.
fn differences_from_transformers(
    name: &str,
    folder: &Path,
    references: &serde_json::Value,
) -> Vec<String> {
    let classifier =
        NliClassifier::load(&NliOptions::new(folder.to_path_buf()), &LabelSet::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    let pairs = references["classifiers"][name]["pairs"].as_array().unwrap();
    let texts: Vec<(&str, &str)> = pairs
        .iter()
        .map(|p| {
            (
                p["premise"].as_str().unwrap(),
                p["hypothesis"].as_str().unwrap(),
            )
        })
        .collect();
    let logits = classifier.logits(&texts).unwrap();
    let mut differences = Vec::new();
    for ((pair, (premise, hypothesis)), row) in pairs.iter().zip(&texts).zip(&logits) {
        let expected_ids: Vec<i64> = serde_json::from_value(pair["input_ids"].clone()).unwrap();
        let ids = classifier.input_ids(premise, hypothesis);
        if ids != expected_ids {
            differences.push(format!(
                "{name}: input ids of {premise:?} / {hypothesis:?}: {ids:?}, transformers {expected_ids:?}"
            ));
        }
        let expected: Vec<f32> = serde_json::from_value(pair["logits"].clone()).unwrap();
        let largest = row
            .iter()
            .zip(&expected)
            .map(|(got, want)| (got - want).abs())
            .fold(0.0f32, f32::max);
        if row.len() != expected.len() || largest >= 1e-4 {
            differences.push(format!(
                "{name}: {premise:?} / {hypothesis:?}: {row:?}, transformers {expected:?}"
            ));
        }
    }
    differences
}

#[test]
fn every_transformers_checkpoint_gives_the_logits_transformers_gives() {
    let references = references();
    let names: Vec<&String> = references["classifiers"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        names,
        [
            "bart-mnli",
            "deberta-mnli",
            "deberta-v2-mnli",
            "deberta-v2-xlarge-mnli",
            "deberta-v3-mnli",
            "roberta-mnli"
        ],
        "BART, DeBERTa, DeBERTa-v2 (two), DeBERTa-v3, RoBERTa"
    );
    // Every fixture, DeBERTa-v2 from sentencepiece alone included (its premises hold "Zoë's", a character
    // the vocabulary lacks next to an apostrophe: one unknown token for transformers, and full-width letters
    // that its nmt_nfkc map rewrites).
    let differences: Vec<String> = names
        .iter()
        .flat_map(|name| differences_from_transformers(name, &fixture(name), &references))
        .collect();
    assert!(differences.is_empty(), "{differences:#?}");
}

#[test]
fn a_deberta_v3_folder_without_tokenizer_json_gives_the_same_ids_and_logits() {
    // spm.model alone, as microsoft/deberta-v3-base and many fine-tunes of it have: converted as transformers
    // converts it, [MASK] from added_tokens_decoder included.
    let references = references();
    let dir = tempfile::tempdir().unwrap();
    let folder = tiny::copy_folder(&fixture("deberta-v3-mnli"), &dir.path().join("v3"));
    std::fs::remove_file(folder.join("tokenizer.json")).unwrap();
    let differences = differences_from_transformers("deberta-v3-mnli", &folder, &references);
    assert!(differences.is_empty(), "{differences:#?}");
    let classifier = NliClassifier::load(&NliOptions::new(folder), &LabelSet::default()).unwrap();
    let masked = classifier.input_ids("[MASK]", "x");
    assert_eq!(&masked[..3], [1, 300, 2], "{masked:?}");
}

#[test]
fn a_summariser_checkpoint_is_refused_for_nli_by_its_architectures() {
    let dir = tempfile::tempdir().unwrap();
    let bart = tiny::copy_folder(
        &common::project_path("tests/data/checkpoints/bart"),
        &dir.path().join("bart"),
    );
    // With an entailment class, only `architectures` tells that the folder has no classification head.
    let mut config = tiny::read_json(&bart.join("config.json"));
    config["label2id"] = serde_json::json!({"entailment": 0, "neutral": 1, "contradiction": 2});
    tiny::write_json(&bart.join("config.json"), &config);
    let error = NliClassifier::load(&NliOptions::new(bart), &LabelSet::default())
        .err()
        .expect("refused")
        .to_string();
    for part in [
        "config.json",
        "architectures [BartForConditionalGeneration]",
        "supported: BartForSequenceClassification",
    ] {
        assert!(error.contains(part), "{error:?} lacks {part:?}");
    }
}
