//! Chinese and Japanese dumps: articles are found (headlines without Latin words, paragraphs without spaces),
//! split into sentences at `。！？`, labelled and summarised; and one warning per run says the default model is
//! English-only, naming the files.

mod common;

use common::{newsdigest, project_path};
use newsdigest::ingest::{read_inputs, InputFormat};
use newsdigest::pipeline::{Pipeline, PipelineOptions};

/// Id, first line, last line and title of an article.
type Span<'a> = (&'a str, Option<usize>, Option<usize>, Option<&'a str>);

const ZH: &str = "tests/data/cjk/zh_news.txt";
const JA: &str = "tests/data/cjk/ja_news.txt";

#[test]
fn chinese_and_japanese_dumps_give_their_articles_with_headlines_and_sentences() {
    let pipeline = Pipeline::new(PipelineOptions::default()).unwrap();
    let documents = read_inputs(&[project_path(ZH), project_path(JA)], InputFormat::Auto)
        .unwrap()
        .documents;
    let articles = pipeline.articles(documents).unwrap();
    let found: Vec<Span> = articles
        .iter()
        .map(|a| (a.id.as_str(), a.start_line, a.end_line, a.title.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "zh_news#1",
                Some(1),
                Some(7),
                Some("台风“海葵”登陆福建 数万人紧急转移")
            ),
            (
                "zh_news#2",
                Some(10),
                Some(16),
                Some("联合国：苏丹冲突已致千万人流离失所")
            ),
            (
                "ja_news#1",
                Some(1),
                Some(7),
                Some("能登半島で震度６強　住宅倒壊相次ぐ")
            ),
            (
                "ja_news#2",
                Some(10),
                Some(16),
                Some("ガザ北部の病院に空爆　患者ら避難できず")
            ),
        ]
    );
    let sentences = pipeline.sentences(&articles[0].text);
    assert_eq!(sentences.len(), 6, "{sentences:?}");
    assert!(sentences[1].starts_with("福建省防汛抗旱指挥部"));
    assert!(sentences.iter().all(|s| s.ends_with('。')));
    let quoted = pipeline.sentences(&articles[2].text);
    assert!(
        quoted.contains(&"首相は「人命第一で対応する。」と述べた。".to_string()),
        "a stop inside a quotation does not end the sentence: {quoted:?}"
    );

    let annotated = pipeline.annotate(articles, &|_| {}).unwrap();
    for a in &annotated {
        assert!(!a.prediction.label.is_empty());
        let sum: f32 = a.prediction.scores.values().sum();
        assert!(
            (sum - 1.0).abs() < 1e-3,
            "{}: scores sum to {sum}",
            a.article.id
        );
        assert!(
            !a.summary.text.is_empty(),
            "{} has no summary",
            a.article.id
        );
        assert!(
            a.summary.text.chars().count() < a.article.text.chars().count(),
            "{}: the summary is shorter than the article",
            a.article.id
        );
        assert!(a
            .article
            .text
            .contains(a.summary.text.split('。').next().unwrap()));
    }
}

#[test]
fn one_warning_per_run_names_the_files_the_english_model_was_not_trained_for() {
    let english = project_path("tests/data/dev/dumps/dump03_datelines.txt");
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("out.json");
    let run = newsdigest(&[
        "run",
        project_path(ZH).to_str().unwrap(),
        english.to_str().unwrap(),
        project_path(JA).to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.matches("English only").count(), 1, "{stderr}");
    let warning = stderr.lines().find(|l| l.contains("English only")).unwrap();
    assert!(
        warning.contains("zh_news.txt") && warning.contains("ja_news.txt"),
        "{warning}"
    );
    assert!(!warning.contains("dump03"), "{warning}");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    let ids: Vec<&str> = written["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"zh_news#2") && ids.contains(&"ja_news#2"),
        "{ids:?}"
    );

    let segment = newsdigest(&["segment", project_path(JA).to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&segment.stderr);
    assert_eq!(segment.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.matches("English only").count(), 1, "{stderr}");
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&segment.stdout)
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let first_words = first["first_words"].as_str().unwrap().chars().count();
    assert!(
        (24..40).contains(&first_words),
        "12 words of Japanese are 24 characters and their punctuation, not the whole text: {first}"
    );

    let english_only = newsdigest(&["segment", english.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&english_only.stderr).contains("English only"));
}
