//! Each stage on real text with the real model: embedding, classification, extractive summary, output.

mod common;

use common::{dev_articles, ids, jsonl_records};
use newsdigest::article::Article;
use newsdigest::classify::{Classifier, EmbeddingClassifier, LabelSet};
use newsdigest::embed::{cosine, Embedder, MiniLmEmbedder, Precision, CLOSE_CALL};
use newsdigest::ingest::{decode_lines, Document, Dump};
use newsdigest::models::default_embedding_model_dir;
use newsdigest::output::{ArticleRecord, ArticleWriter, OutputFormat, RunInfo};
use newsdigest::pipeline::{Annotated, Pipeline, PipelineOptions};
use newsdigest::summarize::{ExtractiveOptions, ExtractiveSummarizer, Summarizer};
use serde_json::Value;

fn embedder() -> MiniLmEmbedder {
    MiniLmEmbedder::load(&default_embedding_model_dir(), Precision::Fp32)
        .expect("run scripts/setup first")
}

#[test]
fn embeddings_are_unit_vectors_that_rank_paraphrases_first() {
    let mut model = embedder();
    let texts = [
        "Floods have killed dozens of people in northern Bangladesh.",
        "Dozens died when rivers burst their banks in Bangladesh's north.",
        "The central bank kept interest rates unchanged on Tuesday.",
    ];
    let vectors = model.embed(&texts).unwrap();
    assert_eq!(vectors.len(), 3);
    for vector in &vectors {
        assert_eq!(vector.len(), model.dimension());
        let norm: f32 = vector.iter().map(|v| v * v).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4);
    }
    assert!(cosine(&vectors[0], &vectors[1]) > cosine(&vectors[0], &vectors[2]) + 0.3);
}

#[test]
fn a_text_embeds_the_same_alone_or_in_a_padded_batch() {
    let mut model = embedder();
    let short = "Aid trucks reached Gaza.";
    let long = "The UN said on Monday that 6,000 trucks loaded with food were waiting at the border, \
                enough to feed the population for three months, while the humanitarian situation worsened.";
    let alone = model.embed(&[short]).unwrap().remove(0);
    let batched = model.embed(&[long, short]).unwrap().remove(1);
    let largest_gap = alone
        .iter()
        .zip(&batched)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(
        largest_gap < 1e-5,
        "padding changed the embedding by {largest_gap}"
    );
}

#[test]
fn texts_longer_than_the_window_are_truncated_not_rejected() {
    let mut model = embedder();
    let long = "The relief operation continued. ".repeat(400);
    let vectors = model.embed(&[long.as_str()]).unwrap();
    assert_eq!(vectors[0].len(), model.dimension());
}

#[test]
fn the_zero_shot_classifier_labels_real_briefs() {
    let mut model = embedder();
    let pipeline = Pipeline::new(PipelineOptions::default()).unwrap();
    let brief = |id: &str, text: &str| Article {
        id: id.to_string(),
        source: "test".to_string(),
        start_line: None,
        end_line: None,
        title: None,
        text: text.to_string(),
        metadata: Default::default(),
        known_sentences: Default::default(),
    };
    let articles = vec![
        brief("quake", "A magnitude 6.4 earthquake struck eastern Turkey overnight, toppling buildings and killing at least 30 people, as rescuers searched the rubble for survivors."),
        brief("shelling", "Artillery shelling and drone attacks killed five soldiers near the front line, the army said, as fighting between government forces and rebels intensified."),
        brief("aid", "The World Food Programme said it had delivered food rations and clean water to 200,000 displaced families in camps, but warned that funding would run out next month."),
        brief("football", "The home side scored twice in the second half to win the league title on the final day of the season in front of a sold-out stadium."),
    ];
    let embedded = pipeline.embed(articles).unwrap();
    let mut classifier = EmbeddingClassifier::new(&LabelSet::default(), &mut model).unwrap();
    let labels: Vec<String> = classifier
        .classify(&embedded)
        .unwrap()
        .into_iter()
        .map(|p| p.label)
        .collect();
    assert_eq!(labels, ["disaster", "conflict", "humanitarian", "other"]);
}

#[test]
fn extractive_summaries_respect_the_budget_and_keep_article_order() {
    let pipeline = Pipeline::new(PipelineOptions::default()).unwrap();
    let embedded = pipeline.embed(dev_articles()).unwrap();
    let options = ExtractiveOptions {
        max_words: 45,
        max_sentences: 2,
    };
    let summarizer = ExtractiveSummarizer::new(options.clone());
    for article in &embedded {
        let chosen = summarizer.select(&article.sentences);
        assert!(
            !chosen.is_empty() && chosen.len() <= 2,
            "{}",
            article.article.id
        );
        assert!(chosen.windows(2).all(|w| w[0].index < w[1].index));
        // The dev articles are clean prose: their leading sentences, whole but for an opening dateline.
        for (rank, extract) in chosen.iter().enumerate() {
            assert_eq!(extract.index, rank, "{}", article.article.id);
            let sentence = article.sentences[rank].trim();
            let cut = sentence.strip_suffix(extract.text).unwrap_or(sentence);
            assert!(
                cut.is_empty()
                    || (rank == 0
                        && cut.trim_end().ends_with(['-', '–', '—'])
                        && cut.split_whitespace().count() <= 8),
                "{}: {:?} from {sentence:?}",
                article.article.id,
                extract.text
            );
        }
        let words: usize = chosen
            .iter()
            .map(|e| e.text.split_whitespace().count())
            .sum();
        assert!(
            chosen.len() == 1 || words <= 45,
            "{}: {words} words",
            article.article.id
        );
    }
    let summaries = ExtractiveSummarizer::new(options)
        .summarize(&embedded)
        .unwrap();
    assert_eq!(summaries.len(), embedded.len());
}

/// Mean ROUGE of the default extractive summaries and of Lead-3 against `(text, reference)` pairs, split as
/// `newsdigest eval` splits them.
fn summary_and_lead3_rouge(
    pairs: &[(String, String)],
) -> (
    newsdigest::eval::rouge::RougeScores,
    newsdigest::eval::rouge::RougeScores,
) {
    use newsdigest::eval::rouge::{mean_scores, rouge};
    use newsdigest::eval::summaries::{lead3, one_sentence_per_line};
    use newsdigest::sentences::{RuleSplitter, SentenceSplitter};
    let splitter = RuleSplitter::default();
    let summarizer = ExtractiveSummarizer::default();
    let (mut system, mut lead) = (Vec::new(), Vec::new());
    for (text, reference) in pairs {
        let sentences = splitter.split(text);
        let reference = one_sentence_per_line(&splitter.split(reference));
        let chosen: Vec<String> = summarizer
            .select(&sentences)
            .iter()
            .map(|e| e.text.to_string())
            .collect();
        system.push(rouge(&reference, &one_sentence_per_line(&chosen)));
        lead.push(rouge(&reference, &lead3(&sentences)));
    }
    (mean_scores(&system), mean_scores(&lead))
}

/// `(text, summary)` of each record of a JSONL file.
fn texts_and_summaries(path: &std::path::Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|line| {
            let record: Value = serde_json::from_str(line).unwrap();
            (
                record["text"].as_str().unwrap().to_string(),
                record["summary"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The default summaries against the dev articles' hand-written references: ahead of Lead-3 by more than the
/// issue's margin of 1.0 ROUGE-1 (the length model was fitted on these and CNN/DailyMail; measured in-sample +1.8
/// ROUGE-1 and +1.1 ROUGE-2; held out +1.5 and +0.9, from `scripts/summary_budget`).
#[test]
fn extractive_summaries_beat_lead3_on_the_dev_references() {
    let (system, lead) = summary_and_lead3_rouge(&texts_and_summaries(&common::project_path(
        "tests/data/dev/articles.jsonl",
    )));
    assert!(
        system.rouge1.f >= lead.rouge1.f + 0.015 && system.rouge2.f >= lead.rouge2.f + 0.008,
        "system {system:?} lead-3 {lead:?}"
    );
}

/// The default summaries against the human highlights of 100 real CNN/DailyMail articles (`../shared/data`,
/// beside the clone in CI): ahead of Lead-3 on ROUGE-1 and ROUGE-2 (measured in-sample +1.09 and +0.51; held
/// out +1.02 and +0.40, from `scripts/summary_budget`).
#[test]
fn extractive_summaries_beat_lead3_on_cnn_dailymail_highlights() {
    let path = common::project_path("../shared/data/cnndm/articles.jsonl");
    let (system, lead) = summary_and_lead3_rouge(&texts_and_summaries(&path));
    assert!(
        system.rouge1.f >= lead.rouge1.f + 0.009 && system.rouge2.f >= lead.rouge2.f + 0.004,
        "system {system:?} lead-3 {lead:?}"
    );
}

#[test]
fn json_output_is_one_valid_document_and_jsonl_one_object_per_line() {
    let pipeline = Pipeline::new(PipelineOptions::default()).unwrap();
    let articles: Vec<Article> = dev_articles().into_iter().take(3).collect();
    let annotated: Vec<Annotated> = pipeline.annotate(articles, &|_| {}).unwrap();
    let run = RunInfo::new(
        pipeline.options(),
        pipeline.model_sha256(),
        vec!["x".into()],
    );
    for count in [0, 3] {
        let mut writer = ArticleWriter::begin(Vec::new(), OutputFormat::Json, &run).unwrap();
        for article in annotated.iter().take(count) {
            writer.write(&ArticleRecord::from(article.clone())).unwrap();
        }
        let bytes = writer.finish().unwrap();
        let document: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(document["articles"].as_array().unwrap().len(), count);
    }
    let mut writer = ArticleWriter::begin(Vec::new(), OutputFormat::Jsonl, &run).unwrap();
    for article in &annotated {
        writer.write(&ArticleRecord::from(article.clone())).unwrap();
    }
    let text = String::from_utf8(writer.finish().unwrap()).unwrap();
    assert_eq!(
        ids(&jsonl_records(&text)),
        [
            "dump01_meridian_wire#1",
            "dump01_meridian_wire#2",
            "dump01_meridian_wire#3"
        ]
    );
}

#[test]
fn sentence_embeddings_from_segmentation_are_reused_and_equal_fresh_ones() {
    // One precision for both passes (bf16-checked, the default on bf16 CPUs, segments in float32).
    let pipeline = Pipeline::new(PipelineOptions {
        precision: Precision::Fp32,
        ..PipelineOptions::default()
    })
    .unwrap();
    let path = common::project_path("tests/data/dev/dumps/dump05_hardwrapped_bom.txt");
    let bytes = std::fs::read(&path).unwrap();
    let (lines, _) = decode_lines("dump05", &bytes);
    let articles = pipeline
        .articles(vec![Document::Dump(Dump::new("dump05".to_string(), lines))])
        .unwrap();
    assert_eq!(articles.len(), 6);
    let fresh: Vec<Article> = articles
        .iter()
        .map(|article| Article {
            known_sentences: Default::default(),
            ..article.clone()
        })
        .collect();
    // Prose paragraphs are embedded while segmenting; subheadings ("The war on the roads") are not.
    let (mut known, mut all) = (0, 0);
    for article in &articles {
        let sentences = pipeline.sentences(&article.text);
        let mut rest = sentences.iter();
        for (sentence, _) in &article.known_sentences.0 {
            assert!(rest.any(|s| s == sentence), "{}: {sentence}", article.id);
        }
        known += article.known_sentences.0.len();
        all += sentences.len();
    }
    assert!(known * 10 >= all * 9, "{known} of {all} sentences known");
    let reused = pipeline.embed(articles).unwrap();
    let recomputed = pipeline.embed(fresh).unwrap();
    for (reused, recomputed) in reused.iter().zip(&recomputed) {
        assert_eq!(reused.sentences, recomputed.sentences);
        for (a, b) in reused
            .sentence_vectors
            .iter()
            .zip(&recomputed.sentence_vectors)
        {
            assert!(cosine(a, b) > 0.99999, "{}", reused.article.id);
        }
        assert!(cosine(&reused.vector, &recomputed.vector) > 0.99999);
    }
}

/// Two labels with near-identical descriptions make every war story a close call between them.
const NEAR_TWIN_LABELS: &str = r#"
[[label]]
name = "fighting"
descriptions = ["War, armed conflict and military fighting between armies, rebels or militias."]

[[label]]
name = "war"
descriptions = ["Armed conflict, war and military fighting between rebels, militias or armies."]

[[label]]
name = "relief"
descriptions = ["Humanitarian aid agencies deliver food, water, shelter and medical care to people in need."]
"#;

#[test]
fn bf16_stays_close_to_float32_and_bf16_checked_keeps_float32_labels() {
    let dir = tempfile::tempdir().unwrap();
    let label_file = dir.path().join("labels.toml");
    std::fs::write(&label_file, NEAR_TWIN_LABELS).unwrap();
    let labels = LabelSet::from_file(&label_file).unwrap();
    let with = |precision| {
        Pipeline::new(PipelineOptions {
            precision,
            labels: labels.clone(),
            ..PipelineOptions::default()
        })
        .unwrap()
    };
    let fp32 = with(Precision::Fp32);
    let reference = fp32.embed(dev_articles()).unwrap();
    for (bf16, fp32) in with(Precision::Bf16)
        .embed(dev_articles())
        .unwrap()
        .iter()
        .zip(&reference)
    {
        for (a, b) in bf16.sentence_vectors.iter().zip(&fp32.sentence_vectors) {
            assert!(cosine(a, b) > 0.99, "{}", fp32.article.id);
        }
    }

    let expected = fp32.annotate(dev_articles(), &|_| {}).unwrap();
    let checked = with(Precision::Bf16Checked)
        .annotate(dev_articles(), &|_| {})
        .unwrap();
    let mut close_calls = 0;
    for (checked, expected) in checked.iter().zip(&expected) {
        let id = &expected.article.id;
        assert_eq!(checked.prediction.label, expected.prediction.label, "{id}");
        let mut scores: Vec<f32> = expected.prediction.scores.values().copied().collect();
        scores.sort_by(|a, b| b.total_cmp(a));
        if scores[0] - scores[1] < CLOSE_CALL / 2.0 {
            close_calls += 1;
            for (label, score) in &expected.prediction.scores {
                let diff = (checked.prediction.scores[label] - score).abs();
                assert!(diff < 1e-5, "{id}: a close call keeps float32's scores");
            }
            assert_eq!(checked.summary, expected.summary, "{id}");
        }
    }
    assert!(close_calls >= 5, "only {close_calls} close calls to check");
}

/// The issue-15 case: one-sentence news snippets from a different label source (crowd labels of disaster and
/// humanitarian news, `../shared/data/crisis-news`), where descriptions that cover one facet per sentence matter.
/// The built-in labels get 0.884 of them right (docs/benchmarks.md); the bound leaves room for precision noise,
/// not for the 0.820 of descriptions that swapped disaster and humanitarian snippets.
#[test]
fn built_in_labels_hold_on_one_sentence_crisis_snippets() {
    let path = common::project_path("../shared/data/crisis-news/dev.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the shared data sits beside the clone)",
            path.display()
        )
    });
    let gold: Vec<(String, String)> = text
        .lines()
        .map(|line| {
            let record: Value = serde_json::from_str(line).unwrap();
            let field = |key: &str| record[key].as_str().unwrap().to_string();
            (field("id"), field("label"))
        })
        .collect();
    let articles: Vec<Article> =
        newsdigest::ingest::read_inputs(&[path], newsdigest::ingest::InputFormat::Auto)
            .unwrap()
            .documents
            .into_iter()
            .map(|document| match document {
                Document::Record(article) => article,
                Document::Dump(_) => panic!("crisis-news is JSONL records"),
            })
            .collect();
    assert_eq!(articles.len(), gold.len());
    let pipeline = Pipeline::new(PipelineOptions::default()).unwrap();
    let predictions = pipeline
        .classify(&pipeline.embed(articles.clone()).unwrap())
        .unwrap();
    let mut confusion: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    for ((article, (id, label)), prediction) in articles.iter().zip(&gold).zip(&predictions) {
        assert_eq!(&article.id, id);
        *confusion
            .entry((label, prediction.label.as_str()))
            .or_default() += 1;
    }
    let right: usize = ["disaster", "humanitarian"]
        .iter()
        .map(|l| confusion.get(&(*l, *l)).copied().unwrap_or(0))
        .sum();
    let accuracy = right as f64 / gold.len() as f64;
    assert!(accuracy >= 0.87, "accuracy {accuracy:.3}: {confusion:?}");
    let outside = confusion
        .iter()
        .filter(|((_, predicted), _)| ["conflict", "other"].contains(predicted))
        .map(|(_, n)| n)
        .sum::<usize>();
    assert!(
        outside <= 50,
        "{outside} snippets labelled conflict or other: {confusion:?}"
    );
}
