//! Training data for a head: hand-labelled articles, from JSONL records or from gold spans over dumps.

use crate::article::Article;
use crate::error::{Error, Result};
use crate::gold::{read_gold, span_text};
use crate::ingest::decode_lines;
use std::path::Path;

/// An article with the label a person gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct LabeledArticle {
    /// The article.
    pub article: Article,
    /// Its label.
    pub label: String,
    /// Further labels it also carries (multi-label gold: `also`, or the rest of a `label` list).
    pub also: Vec<String>,
}

/// A labelled article reduced to what training needs: its id (for fold assignment), label and vector.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The article id.
    pub id: String,
    /// The label.
    pub label: String,
    /// Further labels the article also carries; the head learns from `label`, cross-validation scores the
    /// label sets too.
    pub also: Vec<String>,
    /// The article embedding.
    pub vector: Vec<f32>,
}

/// Reads labelled articles, gold records with `text` and `label` (see [`crate::gold::GoldArticle`]; `label` is a
/// name or a list of names whose first is the primary label, `also` a list of further labels). Training data must
/// be clean: the first unusable line is an error naming it.
pub fn read_labeled_jsonl(path: &Path) -> Result<Vec<LabeledArticle>> {
    let source = path.display().to_string();
    read_gold(path)?
        .into_iter()
        .map(|gold| {
            let text = gold.text.unwrap_or_default();
            labeled(
                gold.id,
                &source,
                gold.title,
                text,
                (gold.label, gold.also),
                &source,
                gold.line,
            )
        })
        .collect()
}

/// Reads gold spans (`gold.jsonl`: `{dump, id, start_line, end_line, title?, label}` per line) and takes each
/// article's text from its span in `dumps/<dump>` (see [`span_text`]).
pub fn read_gold_spans(gold: &Path, dumps: &Path) -> Result<Vec<LabeledArticle>> {
    let source = gold.display().to_string();
    let mut dump_lines: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut articles = Vec::new();
    for record in read_gold(gold)? {
        let bad = |message: String| Error::Input {
            source_name: source.clone(),
            line: record.line,
            message,
        };
        let (Some(dump), Some(start), Some(end)) =
            (record.dump.clone(), record.start_line, record.end_line)
        else {
            return Err(bad(
                "not a gold span {dump, id, start_line, end_line, label}".to_string(),
            ));
        };
        if !dump_lines.contains_key(&dump) {
            let path = dumps.join(&dump);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            let (decoded, _) = decode_lines(&path.display().to_string(), &bytes);
            dump_lines.insert(dump.clone(), decoded);
        }
        let text = span_text(&dump_lines[&dump], start, end, record.title.as_deref())
            .map_err(|message| bad(format!("{dump}: {message}")))?;
        let dump_source = dumps.join(&dump).display().to_string();
        let mut article = labeled(
            record.id,
            &dump_source,
            record.title,
            text,
            (record.label, record.also),
            &source,
            record.line,
        )?;
        article.article.start_line = Some(start);
        article.article.end_line = Some(end);
        articles.push(article);
    }
    Ok(articles)
}

/// Builds a labelled article, refusing an empty label or text (reported at `line` of `file`).
fn labeled(
    id: String,
    source: &str,
    title: Option<String>,
    text: String,
    (label, also): (Option<String>, Vec<String>),
    file: &str,
    line: usize,
) -> Result<LabeledArticle> {
    let bad = |message: &str| Error::Input {
        source_name: file.to_string(),
        line,
        message: message.to_string(),
    };
    let Some(label) = label else {
        return Err(bad("no label"));
    };
    if label.trim().is_empty() {
        return Err(bad("empty label"));
    }
    if text.trim().is_empty() {
        return Err(bad("empty text"));
    }
    Ok(LabeledArticle {
        article: Article::from_record(id, source, title, text),
        label: label.trim().to_string(),
        also,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_lose_their_headline_and_keep_paragraphs_unwrapped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("dumps")).unwrap();
        std::fs::write(
            dir.path().join("dumps/digest.txt"),
            "\u{feff}DAILY DIGEST\r\n1) Floods hit the delta: Rivers rose\r\novernight.\r\n\r\nTwo \
             towns were cut off.\r\n2) Talks resume: Envoys met.\r\n",
        )
        .unwrap();
        let gold = dir.path().join("gold.jsonl");
        std::fs::write(
            &gold,
            "{\"dump\": \"digest.txt\", \"id\": \"digest#1\", \"start_line\": 2, \"end_line\": 5, \
             \"title\": \"Floods hit the delta\", \"label\": \"disaster\"}\n\
             {\"dump\": \"digest.txt\", \"id\": \"digest#2\", \"start_line\": 6, \"end_line\": 6, \
             \"title\": null, \"label\": \"conflict\"}\n",
        )
        .unwrap();
        let articles = read_gold_spans(&gold, &dir.path().join("dumps")).unwrap();
        assert_eq!(
            articles[0].article.text,
            "Rivers rose overnight.\n\nTwo towns were cut off."
        );
        assert_eq!(
            articles[0].article.title.as_deref(),
            Some("Floods hit the delta")
        );
        assert_eq!(articles[1].article.text, "2) Talks resume: Envoys met.");
        assert_eq!(articles[1].label, "conflict");

        std::fs::write(
            &gold,
            "{\"dump\": \"digest.txt\", \"id\": \"x\", \"start_line\": 5, \"end_line\": 9, \"label\": \"a\"}\n",
        )
        .unwrap();
        let err = read_gold_spans(&gold, &dir.path().join("dumps")).unwrap_err();
        assert!(err.to_string().contains("gold.jsonl:1"), "{err}");
    }

    #[test]
    fn labelled_records_need_text_and_label_and_get_ids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("train.jsonl");
        std::fs::write(
            &path,
            "{\"text\": \"Aid arrived.\", \"label\": \"humanitarian\", \"also\": []}\n\n\
             {\"id\": 7, \"title\": \"\", \"text\": \"Shelling.\", \"label\": \"conflict\"}\n",
        )
        .unwrap();
        let articles = read_labeled_jsonl(&path).unwrap();
        assert_eq!(articles[0].article.id, "train:1");
        assert_eq!(articles[1].article.id, "7");
        assert_eq!(articles[1].article.title, None);

        std::fs::write(&path, "{\"text\": \"No label.\"}\n").unwrap();
        let err = read_labeled_jsonl(&path).unwrap_err().to_string();
        assert!(
            err.contains("train.jsonl:1") && err.contains("label"),
            "{err}"
        );
        std::fs::write(&path, "{\"text\": \" \", \"label\": \"a\"}\n").unwrap();
        let err = read_labeled_jsonl(&path).unwrap_err().to_string();
        assert!(err.contains("empty text"), "{err}");
    }

    #[test]
    fn a_label_list_or_also_gives_the_further_labels_each_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("train.jsonl");
        std::fs::write(
            &path,
            "{\"text\": \"Aid convoy shelled.\", \"label\": [\"humanitarian\", \"conflict\"]}\n\
             {\"text\": \"Quake.\", \"label\": \"disaster\", \"also\": [\"humanitarian\", \"disaster\"]}\n\
             {\"text\": \"Vote.\", \"label\": [\"other\"], \"also\": [\"conflict\"]}\n",
        )
        .unwrap();
        let articles = read_labeled_jsonl(&path).unwrap();
        let labels: Vec<(&str, Vec<&str>)> = articles
            .iter()
            .map(|a| {
                (
                    a.label.as_str(),
                    a.also.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            labels,
            [
                ("humanitarian", vec!["conflict"]),
                ("disaster", vec!["humanitarian"]),
                ("other", vec!["conflict"]),
            ]
        );
        std::fs::write(&path, "{\"text\": \"Nothing.\", \"label\": []}\n").unwrap();
        let err = read_labeled_jsonl(&path).unwrap_err().to_string();
        assert!(err.contains("empty label"), "{err}");
    }
}
