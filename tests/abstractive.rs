//! The abstractive summariser end to end on the tiny random-weight BART, DistilBART, T5 and Pegasus checkpoints
//! that transformers wrote (tests/data/checkpoints, by scripts/make-checkpoint-fixtures), on the dev set's
//! articles: lengths within the configured bounds, articles longer than the window summarised in pieces,
//! batches equal to one-by-one under greedy decoding, source order, tied weights left out of the file, errors
//! for broken folders, and transformers' own token ids on its reference inputs.

mod common;

use common::dev_articles;
use common::tiny::{self, fixture, references};
use newsdigest::article::{Article, EmbeddedArticle};
use newsdigest::sentences::{RuleSplitter, SentenceSplitter};
use newsdigest::summarize::{
    AbstractiveOptions, AbstractiveSummarizer, GenerationSettings, Summarizer, Summary,
};
use std::path::Path;

/// Articles with their sentences; the abstractive summariser does not use embeddings.
fn embedded(articles: &[Article]) -> Vec<EmbeddedArticle> {
    let splitter = RuleSplitter::default();
    articles
        .iter()
        .map(|article| EmbeddedArticle {
            article: article.clone(),
            sentences: splitter.split(&article.text),
            sentence_vectors: Vec::new(),
            vector: Vec::new(),
        })
        .collect()
}

/// The dev articles of at most `max_words` words, the first `count` of them.
fn short_articles(count: usize, max_words: usize) -> Vec<EmbeddedArticle> {
    let articles: Vec<Article> = dev_articles()
        .into_iter()
        .filter(|a| a.text.split_whitespace().count() <= max_words)
        .take(count)
        .collect();
    assert_eq!(
        articles.len(),
        count,
        "the dev set has enough short articles"
    );
    embedded(&articles)
}

fn longest_article() -> EmbeddedArticle {
    let article = dev_articles()
        .into_iter()
        .max_by_key(|a| a.text.split_whitespace().count())
        .expect("the dev set has articles");
    embedded(&[article]).remove(0)
}

fn greedy(model_dir: &Path, max_length: i64) -> AbstractiveOptions {
    AbstractiveOptions {
        generation: GenerationSettings {
            num_beams: Some(1),
            max_length: Some(max_length),
            ..GenerationSettings::default()
        },
        ..AbstractiveOptions::new(model_dir.to_path_buf())
    }
}

fn summarize(options: &AbstractiveOptions, articles: &[EmbeddedArticle]) -> Vec<Summary> {
    AbstractiveSummarizer::load(options)
        .expect("the checkpoint loads")
        .summarize(articles)
        .expect("the articles are summarised")
}

fn words(summary: &Summary) -> usize {
    summary.text.split_whitespace().count()
}

/// Every summary has text and no more words than `max_length` tokens, and nothing was cut.
fn assert_within_bounds(summaries: &[Summary], max_length: usize) {
    for summary in summaries {
        assert!(!summary.text.is_empty(), "{summary:?}");
        assert!(words(summary) <= max_length, "{summary:?}");
        assert!(summary.chunks >= 1 && !summary.truncated, "{summary:?}");
    }
}

#[test]
fn bart_takes_its_settings_from_config_json_and_flags_override_them() {
    let model = fixture("distilbart");
    let articles = short_articles(4, 200);

    // task_specific_params.summarization: 2 beams, max_length 20.
    let from_config = summarize(&AbstractiveOptions::new(model.clone()), &articles);
    assert_eq!(from_config.len(), articles.len());
    assert_within_bounds(&from_config, 20);

    let mut options = AbstractiveOptions::new(model);
    options.generation.max_length = Some(6);
    let overridden = summarize(&options, &articles);
    assert_within_bounds(&overridden, 6);
    // The tiny model never emits end-of-sequence early, so the config's 20 tokens give longer text than 6.
    let length = |summaries: &[Summary]| {
        summaries
            .iter()
            .map(|s| s.text.chars().count())
            .sum::<usize>()
    };
    assert!(
        length(&from_config) > length(&overridden),
        "{from_config:?} vs {overridden:?}"
    );
}

#[test]
fn greedy_batches_equal_one_by_one_and_keep_source_order() {
    let model = fixture("bart");
    let articles = short_articles(6, 400);
    let mut options = greedy(&model, 16);
    options.batch_size = 4;
    let batched = summarize(&options, &articles);
    assert_within_bounds(&batched, 16);

    options.batch_size = 1;
    let mut summarizer = AbstractiveSummarizer::load(&options).unwrap();
    let one_by_one: Vec<Summary> = articles
        .iter()
        .map(|article| summarizer.summarize(std::slice::from_ref(article)).unwrap()[0].clone())
        .collect();
    assert_eq!(batched, one_by_one);

    let reversed: Vec<EmbeddedArticle> = articles.iter().rev().cloned().collect();
    options.batch_size = 3;
    let mut from_reversed = summarize(&options, &reversed);
    from_reversed.reverse();
    assert_eq!(from_reversed, batched);
    let distinct: std::collections::HashSet<&str> =
        batched.iter().map(|s| s.text.as_str()).collect();
    assert!(
        distinct.len() > 1,
        "different articles, different summaries: {batched:?}"
    );
}

#[test]
fn an_article_longer_than_the_window_is_summarised_in_pieces() {
    // The checkpoint's own window: 256 positions.
    let model = fixture("distilbart");
    let options = greedy(&model, 20);
    let summarizer = AbstractiveSummarizer::load(&options).unwrap();
    assert_eq!(summarizer.window(), 256);

    let long = longest_article();
    let tokens = summarizer.input_tokens(&long.article.text);
    assert!(
        tokens > 3 * 256,
        "the longest dev article has {tokens} tokens"
    );
    let short = short_articles(1, 60).remove(0);
    assert!(summarizer.input_tokens(&short.article.text) <= 256);
    // The raw generation is not cut into pieces: a text over the window is an error, not a panic.
    let error = summarizer
        .generate_ids(&[&short.article.text, &long.article.text])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("text 1 has") && error.contains("input window of 256 tokens"),
        "{error}"
    );

    // The same text as one sentence without a break: split between words instead.
    let unbroken = EmbeddedArticle {
        sentences: vec![long.sentences.join(" ")],
        ..long.clone()
    };
    let summaries = summarize(&options, &[long, short, unbroken]);
    let (long_summary, short_summary) = (&summaries[0], &summaries[1]);
    let unbroken_summary = &summaries[2];
    assert!(
        unbroken_summary.chunks >= tokens.div_ceil(256),
        "{unbroken_summary:?}"
    );
    assert!(!unbroken_summary.truncated);
    assert!(
        !unbroken_summary.text.is_empty() && words(unbroken_summary) <= 20,
        "{unbroken_summary:?}"
    );
    assert!(
        long_summary.chunks >= tokens.div_ceil(256),
        "{tokens} tokens in {} pieces",
        long_summary.chunks
    );
    assert!(!long_summary.truncated);
    assert!(
        !long_summary.text.is_empty() && words(long_summary) <= 20,
        "{long_summary:?}"
    );
    assert_within_bounds(std::slice::from_ref(short_summary), 20);
    assert_eq!(short_summary.chunks, 1);
}

#[test]
fn t5_and_pegasus_summarise_with_their_own_settings() {
    let articles = short_articles(3, 300);
    // Articles that fit both windows, and the generated lengths in tokens (the decoder's start token included,
    // as transformers counts them).
    let fitting = short_articles(3, 60);
    let texts: Vec<&str> = fitting.iter().map(|a| a.article.text.as_str()).collect();
    let lengths = |options: &AbstractiveOptions| -> Vec<usize> {
        let summarizer = AbstractiveSummarizer::load(options).unwrap();
        let ids = summarizer.generate_ids(&texts).unwrap();
        ids.iter().map(Vec::len).collect()
    };

    // Neither names a max_length: transformers' default, 20, which the random weights always reach.
    let t5 = fixture("t5");
    assert_eq!(lengths(&AbstractiveOptions::new(t5.clone())), [20; 3]);
    let mut options = greedy(&t5, 5);
    options.generation.min_length = Some(3);
    assert!(lengths(&options).iter().all(|&n| (3..=5).contains(&n)));
    // Random T5 weights may give only special tokens, so an empty text; the summary is otherwise whole.
    for summary in summarize(&options, &articles) {
        assert!(
            words(&summary) <= 5 && summary.chunks >= 1 && !summary.truncated,
            "{summary:?}"
        );
    }

    let pegasus = AbstractiveOptions::new(fixture("pegasus"));
    assert_eq!(lengths(&pegasus), [20; 3]);
    assert_within_bounds(&summarize(&pegasus, &articles), 20);
}

#[test]
fn tensors_tied_to_the_shared_embedding_may_be_left_out_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let articles = short_articles(2, 200);

    // BART stored under another name of its tied embedding, as some exports do.
    let bart = fixture("bart");
    let renamed = tiny::copy_folder(&bart, &dir.path().join("bart-renamed"));
    tiny::rewrite_weights(&renamed, |name| {
        Some(match name {
            "model.shared.weight" => "model.decoder.embed_tokens.weight".to_string(),
            other => other.to_string(),
        })
    });
    assert!(!tiny::weight_names(&renamed).contains(&"model.shared.weight".to_string()));
    assert_eq!(
        summarize(&greedy(&renamed, 12), &articles),
        summarize(&greedy(&bart, 12), &articles)
    );

    // Pegasus without its all-zero final_logits_bias.
    let pegasus = fixture("pegasus");
    let trimmed = tiny::copy_folder(&pegasus, &dir.path().join("pegasus-trimmed"));
    tiny::rewrite_weights(&trimmed, |name| {
        (name != "final_logits_bias").then(|| name.to_string())
    });
    assert_eq!(
        tiny::weight_names(&trimmed).len() + 1,
        tiny::weight_names(&pegasus).len()
    );
    assert_eq!(
        summarize(&greedy(&trimmed, 12), &articles),
        summarize(&greedy(&pegasus, 12), &articles)
    );
}

fn load_error(options: &AbstractiveOptions) -> String {
    match AbstractiveSummarizer::load(options) {
        Ok(_) => panic!("{} loaded", options.model_dir.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn broken_folders_and_settings_fail_with_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    // generation_config.json: max_length 24.
    let good = fixture("bart");
    let variant = |name: &str, change: &dyn Fn(&Path)| {
        let folder = tiny::copy_folder(&good, &dir.path().join(name));
        change(&folder);
        AbstractiveOptions::new(folder)
    };
    let remove =
        |file: &'static str| move |folder: &Path| std::fs::remove_file(folder.join(file)).unwrap();
    let edit_config = |edit: &'static dyn Fn(&mut serde_json::Value)| {
        move |folder: &Path| {
            let mut config = tiny::read_json(&folder.join("config.json"));
            edit(&mut config);
            tiny::write_json(&folder.join("config.json"), &config);
        }
    };

    let cases: Vec<(AbstractiveOptions, &[&str])> = vec![
        (
            AbstractiveOptions::new(dir.path().join("absent")),
            &["absent", "not a folder"],
        ),
        (
            variant("no-config", &remove("config.json")),
            &["missing config.json"],
        ),
        (
            variant("no-weights", &remove("model.safetensors")),
            &["missing weights: none of model.safetensors"],
        ),
        (
            variant("no-merges", &|folder: &Path| {
                remove("tokenizer.json")(folder);
                remove("merges.txt")(folder);
            }),
            &[
                "missing tokenizer files",
                "tokenizer.json or vocab.json + merges.txt",
            ],
        ),
        (
            variant(
                "no-type",
                &edit_config(&|c| {
                    c.as_object_mut().unwrap().remove("model_type");
                }),
            ),
            &["model_type"],
        ),
        (
            variant("gpt2", &edit_config(&|c| c["model_type"] = "gpt2".into())),
            &["gpt2", "not supported"],
        ),
        (
            variant(
                "roberta",
                &edit_config(&|c| c["model_type"] = "roberta".into()),
            ),
            &["roberta", "not supported"],
        ),
        (
            variant(
                "no-d-model",
                &edit_config(&|c| {
                    c.as_object_mut().unwrap().remove("d_model");
                }),
            ),
            &["config.json", "d_model"],
        ),
        (
            variant("bad-json", &|folder: &Path| {
                std::fs::write(folder.join("config.json"), "{\"model_type\": ").unwrap()
            }),
            &["config.json", "invalid JSON"],
        ),
        (
            variant("missing-layer", &|folder: &Path| {
                tiny::rewrite_weights(folder, |name| {
                    (!name.starts_with("model.encoder.layers.1.fc1")).then(|| name.to_string())
                })
            }),
            &[
                "model.safetensors",
                "missing model.encoder.layers.1.fc1.bias, model.encoder.layers.1.fc1.weight",
            ],
        ),
        (
            AbstractiveOptions {
                generation: GenerationSettings {
                    min_length: Some(30),
                    ..GenerationSettings::default()
                },
                ..AbstractiveOptions::new(good.clone())
            },
            &["min_length"],
        ),
        (
            AbstractiveOptions {
                max_input_tokens: Some(40),
                ..AbstractiveOptions::new(good.clone())
            },
            &["max_length 24", "half the input window (40 tokens)"],
        ),
    ];
    for (options, expected) in cases {
        let message = load_error(&options);
        for part in expected {
            assert!(message.contains(part), "{message:?} lacks {part:?}");
        }
    }
}

#[test]
fn the_cli_runs_both_checkpoints_and_records_pieces_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    let (summary_model, nli_model) = (fixture("distilbart"), fixture("roberta-mnli"));
    let input = dir.path().join("articles.jsonl");
    let lines: Vec<String> =
        std::fs::read_to_string(common::project_path("tests/data/dev/articles.jsonl"))
            .unwrap()
            .lines()
            .take(3)
            .map(str::to_string)
            .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let (summary_dir, nli_dir, input) = (
        summary_model.display().to_string(),
        nli_model.display().to_string(),
        input.display().to_string(),
    );
    let output = common::newsdigest_ok(&[
        "run",
        "--quiet",
        "--summarizer",
        "abstractive",
        "--summary-model",
        &summary_dir,
        "--num-beams",
        "1",
        "--max-length",
        "10",
        "--max-input-tokens",
        "256",
        "--classifier",
        "nli",
        "--nli-model",
        &nli_dir,
        "--multi-label",
        &input,
    ]);
    let document: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(
        document["run"]["abstractive"]["generation"]["max_length"],
        10
    );
    assert_eq!(document["run"]["nli"]["multi_label"], true);
    let articles = document["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 3);
    for article in articles {
        let summary = article["summary"].as_str().unwrap();
        assert!(
            !summary.is_empty() && summary.split_whitespace().count() <= 10,
            "{summary:?}"
        );
        assert!(article["summary_chunks"].as_u64().unwrap() >= 1);
        assert_eq!(article["summary_truncated"], false);
        let scores = article["scores"].as_object().unwrap();
        assert_eq!(scores.len(), 3);
        assert!(scores
            .values()
            .all(|s| (0.0..=1.0).contains(&s.as_f64().unwrap())));
    }

    let refused = common::newsdigest(&["run", "--summary-model", &summary_dir, &input]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--summarizer abstractive"));
}

/// The options of a reference case: the checkpoint's own settings, or the fixed ones of `setting`.
fn reference_options(
    folder: &Path,
    references: &serde_json::Value,
    setting: &str,
) -> AbstractiveOptions {
    let mut options = AbstractiveOptions::new(folder.to_path_buf());
    if setting != "checkpoint" {
        options.generation = serde_json::from_value(references["generation"][setting].clone())
            .expect("generation settings");
    }
    options.batch_size = 1;
    options
}

/// Compares token ids and greedy summaries with transformers' for every case of one fixture folder; returns
/// the differences.
fn differences_from_transformers(
    name: &str,
    folder: &Path,
    references: &serde_json::Value,
) -> Vec<String> {
    let mut differences = Vec::new();
    let cases = references["summarizers"][name]["cases"].as_array().unwrap();
    for setting in ["checkpoint", "greedy", "beam", "beam_open"] {
        let options = reference_options(folder, references, setting);
        let mut summarizer = AbstractiveSummarizer::load(&options)
            .unwrap_or_else(|e| panic!("{name} ({setting}): {e}"));
        for case in cases {
            let text = case["text"].as_str().unwrap();
            let input: Vec<i64> = serde_json::from_value(case["input_ids"].clone()).unwrap();
            if summarizer.input_ids(text) != input {
                differences.push(format!("{name}: input ids of {text:?}"));
            }
            let expected: Vec<i64> = serde_json::from_value(case[setting].clone()).unwrap();
            let generated = summarizer.generate_ids(&[text]).unwrap().remove(0);
            if generated != expected {
                differences.push(format!(
                    "{name} ({setting}) {text:?}: {generated:?}, transformers {expected:?}"
                ));
            }
        }
        if setting == "greedy" {
            // Through the Summarizer interface, as the pipeline calls it: the decoded text of the same ids.
            let base = dev_articles().remove(0);
            let articles: Vec<EmbeddedArticle> = cases
                .iter()
                .map(|case| {
                    let text = case["text"].as_str().unwrap();
                    EmbeddedArticle {
                        article: Article {
                            text: text.to_string(),
                            ..base.clone()
                        },
                        sentences: vec![text.to_string()],
                        sentence_vectors: Vec::new(),
                        vector: Vec::new(),
                    }
                })
                .collect();
            for (summary, case) in summarizer.summarize(&articles).unwrap().iter().zip(cases) {
                if summary.text != case["greedy_text"].as_str().unwrap() || summary.chunks != 1 {
                    differences.push(format!(
                        "{name}: summary {summary:?}, transformers {:?}",
                        case["greedy_text"]
                    ));
                }
            }
        }
    }
    differences
}

#[test]
fn every_transformers_checkpoint_generates_what_transformers_generates() {
    let references = references();
    let names: Vec<&String> = references["summarizers"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        names,
        ["bart", "distilbart", "pegasus", "t5", "t5-v1_1"],
        "BART, DistilBART, Pegasus, T5 v1 and v1.1"
    );
    let differences: Vec<String> = names
        .iter()
        .flat_map(|name| differences_from_transformers(name, &fixture(name), &references))
        .collect();
    assert!(differences.is_empty(), "{differences:#?}");
}

#[test]
fn other_hub_layouts_of_the_same_checkpoint_give_the_same_tokens() {
    let references = references();
    let dir = tempfile::tempdir().unwrap();
    // BART with only the slow tokenizer's files (vocab.json + merges.txt), and special_tokens_map.json gone:
    // the special tokens come from tokenizer_config.json.
    let bart = tiny::copy_folder(&fixture("bart"), &dir.path().join("bart"));
    std::fs::remove_file(bart.join("tokenizer.json")).unwrap();
    let bart_hf = tiny::copy_folder(&fixture("bart"), &dir.path().join("bart-no-map"));
    std::fs::remove_file(bart_hf.join("special_tokens_map.json")).unwrap();
    // T5 with only spiece.model.
    let t5 = tiny::copy_folder(&fixture("t5"), &dir.path().join("t5"));
    std::fs::remove_file(t5.join("tokenizer.json")).unwrap();
    let mut differences = differences_from_transformers("bart", &bart, &references);
    differences.extend(differences_from_transformers("bart", &bart_hf, &references));
    differences.extend(differences_from_transformers("t5", &t5, &references));
    assert!(differences.is_empty(), "{differences:#?}");
}

#[test]
fn incomplete_or_unsupported_transformers_folders_name_the_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let variant = |from: &str, name: &str, change: &dyn Fn(&Path)| {
        let folder = tiny::copy_folder(&fixture(from), &dir.path().join(name));
        change(&folder);
        AbstractiveOptions::new(folder)
    };
    let edit_config = |edit: &'static dyn Fn(&mut serde_json::Value)| {
        move |folder: &Path| {
            let mut config = tiny::read_json(&folder.join("config.json"));
            edit(&mut config);
            tiny::write_json(&folder.join("config.json"), &config);
        }
    };
    let cases: Vec<(AbstractiveOptions, &[&str])> = vec![
        (
            variant("t5-v1_1", "missing-shard", &|folder: &Path| {
                std::fs::remove_file(folder.join("model-00002-of-00005.safetensors")).unwrap()
            }),
            &[
                "model.safetensors.index.json",
                "weight_map names the shard model-00002-of-00005.safetensors, which is missing",
            ],
        ),
        (
            variant("distilbart", "no-weights", &|folder: &Path| {
                std::fs::remove_file(folder.join("pytorch_model.bin")).unwrap()
            }),
            &["missing weights: none of model.safetensors, model.safetensors.index.json, pytorch_model.bin"],
        ),
        (
            variant("t5", "no-tokenizer", &|folder: &Path| {
                for file in ["tokenizer.json", "spiece.model"] {
                    std::fs::remove_file(folder.join(file)).unwrap()
                }
            }),
            &["missing tokenizer files: tokenizer.json or spiece.model (for t5)"],
        ),
        (
            variant("pegasus", "no-unk", &|folder: &Path| {
                for file in ["special_tokens_map.json", "tokenizer_config.json"] {
                    let mut map = tiny::read_json(&folder.join(file));
                    map.as_object_mut().unwrap().remove("unk_token");
                    tiny::write_json(&folder.join(file), &map);
                }
            }),
            &["no unk_token in tokenizer_config.json or special_tokens_map.json"],
        ),
        (
            variant("bart", "gpt2", &edit_config(&|c| c["model_type"] = "gpt2".into())),
            &[
                "config.json",
                "model_type `gpt2` is not supported for summaries (supported: bart, t5, pegasus)",
            ],
        ),
        (
            variant(
                "t5",
                "no-model-type",
                &edit_config(&|c| {
                    c.as_object_mut().unwrap().remove("model_type");
                }),
            ),
            &["config.json", "no model_type field", "supported for summaries: bart, t5, pegasus"],
        ),
        (
            variant(
                "t5",
                "no-d-ff",
                &edit_config(&|c| {
                    c.as_object_mut().unwrap().remove("d_ff");
                }),
            ),
            &["config.json", "cannot be read as a t5 config", "missing field `d_ff`"],
        ),
        (
            variant(
                "t5",
                "deeper-decoder",
                &edit_config(&|c| c["num_decoder_layers"] = 3.into()),
            ),
            &["config.json", "num_decoder_layers 3 differs from num_layers 2"],
        ),
        (
            variant(
                "bart",
                "classifier",
                &edit_config(&|c| c["architectures"] = serde_json::json!(["BartForSequenceClassification"])),
            ),
            &[
                "config.json",
                "architectures [BartForSequenceClassification] has no model head for summaries",
                "supported: BartForConditionalGeneration",
            ],
        ),
    ];
    for (options, expected) in cases {
        let message = load_error(&options);
        for part in expected {
            assert!(message.contains(part), "{message:?} lacks {part:?}");
        }
    }
    // A T5 config without task_specific_params (as fine-tuned T5 summarisers have) is not one of them.
    assert!(tiny::read_json(&fixture("t5").join("config.json"))
        .get("task_specific_params")
        .is_none());
}

#[test]
fn the_cli_lists_the_checkpoints_in_run_models_with_a_content_hash() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("articles.jsonl");
    let lines: Vec<String> =
        std::fs::read_to_string(common::project_path("tests/data/dev/articles.jsonl"))
            .unwrap()
            .lines()
            .take(2)
            .map(str::to_string)
            .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let changed = tiny::copy_folder(&fixture("t5"), &dir.path().join("t5"));
    let mut config = tiny::read_json(&changed.join("generation_config.json"));
    config["max_length"] = 10.into();
    tiny::write_json(&changed.join("generation_config.json"), &config);
    let run = |summary_model: &Path| -> serde_json::Value {
        let output = common::newsdigest_ok(&[
            "run",
            "--quiet",
            "--summarizer",
            "abstractive",
            "--summary-model",
            &summary_model.display().to_string(),
            "--classifier",
            "nli",
            "--nli-model",
            &fixture("deberta-v3-mnli").display().to_string(),
            &input.display().to_string(),
        ]);
        serde_json::from_str(&output).unwrap()
    };
    let original = run(&fixture("t5"));
    let models = original["run"]["models"].as_array().unwrap();
    let roles: Vec<&str> = models.iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["embedding", "summary", "nli"]);
    for model in models {
        let sha = model["sha256"].as_str().unwrap();
        assert!(
            sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()),
            "{model}"
        );
    }
    assert_eq!(models[1]["path"], fixture("t5").display().to_string());
    assert_ne!(models[1]["sha256"], models[2]["sha256"]);
    for article in original["articles"].as_array().unwrap() {
        assert!(article["summary_chunks"].as_u64().unwrap() >= 1);
        assert_eq!(article["scores"].as_object().unwrap().len(), 3);
    }
    // Another generation_config.json is another checkpoint; the NLI model is the same.
    let edited = run(&changed);
    assert_ne!(edited["run"]["models"][1]["sha256"], models[1]["sha256"]);
    assert_eq!(edited["run"]["models"][2]["sha256"], models[2]["sha256"]);
}
