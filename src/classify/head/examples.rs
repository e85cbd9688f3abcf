//! Training data for a head: hand-labelled articles, from JSONL records or from gold spans over dumps.

use crate::article::{Article, Metadata};
use crate::error::{Error, Result};
use crate::ingest::{decode_lines, Dump};
use serde::Deserialize;
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

#[derive(Deserialize)]
struct LabeledRecord {
    id: Option<serde_json::Value>,
    title: Option<String>,
    text: String,
    label: OneOrMany,
    #[serde(default)]
    also: Vec<String>,
}

/// A gold label: one name, or a list of names whose first is the primary label.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// The primary label and the further ones (`also` after the rest of a list), each once.
    fn split(self, also: Vec<String>) -> (String, Vec<String>) {
        let mut names = match self {
            OneOrMany::One(name) => vec![name],
            OneOrMany::Many(names) => names,
        }
        .into_iter()
        .chain(also)
        .map(|name| name.trim().to_string());
        let primary = names.next().unwrap_or_default();
        let mut further: Vec<String> = Vec::new();
        for name in names {
            if name != primary && !name.is_empty() && !further.contains(&name) {
                further.push(name);
            }
        }
        (primary, further)
    }
}

/// Reads JSONL records `{text, label, also?, title?, id?}` (other fields are ignored); `label` is a name or a
/// list of names (the first is the primary label), `also` a list of further labels. Training data must be clean:
/// the first unusable line is an error naming it. A record without `id` gets `<file stem>:<line>`.
pub fn read_labeled_jsonl(path: &Path) -> Result<Vec<LabeledArticle>> {
    let source = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let (lines, _) = decode_lines(&source, &bytes);
    let stem = Dump::new(source.clone(), Vec::new()).stem;
    let mut articles = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: LabeledRecord = serde_json::from_str(line).map_err(|e| Error::Input {
            source_name: source.clone(),
            line: index + 1,
            message: format!("not a labelled record {{text, label, also?, title?, id?}}: {e}"),
        })?;
        let id = match record.id {
            Some(serde_json::Value::String(id)) => id,
            Some(other) => other.to_string(),
            None => format!("{stem}:{}", index + 1),
        };
        articles.push(labeled(
            id,
            &source,
            record.title,
            record.text,
            record.label.split(record.also),
            &source,
            index + 1,
        )?);
    }
    Ok(articles)
}

#[derive(Deserialize)]
struct GoldSpan {
    dump: String,
    id: String,
    start_line: usize,
    end_line: usize,
    title: Option<String>,
    label: OneOrMany,
    #[serde(default)]
    also: Vec<String>,
}

/// Reads gold spans (`gold.jsonl`: `{dump, id, start_line, end_line, title?, label}` per line) and takes each
/// article's text from its span in `dumps/<dump>`. The headline is taken out of the span's first line when it
/// is printed there; byline or boilerplate lines inside the span stay in the text.
pub fn read_gold_spans(gold: &Path, dumps: &Path) -> Result<Vec<LabeledArticle>> {
    let source = gold.display().to_string();
    let bytes = std::fs::read(gold).map_err(|e| Error::io(gold, e))?;
    let (lines, _) = decode_lines(&source, &bytes);
    let mut dump_lines: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut articles = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| Error::Input {
            source_name: source.clone(),
            line: index + 1,
            message,
        };
        let span: GoldSpan = serde_json::from_str(line).map_err(|e| {
            bad(format!(
                "not a gold span {{dump, id, start_line, end_line, label}}: {e}"
            ))
        })?;
        if !dump_lines.contains_key(&span.dump) {
            let path = dumps.join(&span.dump);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            let (decoded, _) = decode_lines(&path.display().to_string(), &bytes);
            dump_lines.insert(span.dump.clone(), decoded);
        }
        let lines = &dump_lines[&span.dump];
        if span.start_line == 0 || span.start_line > span.end_line || span.end_line > lines.len() {
            return Err(bad(format!(
                "span {}-{} is not inside {} ({} lines)",
                span.start_line,
                span.end_line,
                span.dump,
                lines.len()
            )));
        }
        let mut body: Vec<&str> = lines[span.start_line - 1..span.end_line]
            .iter()
            .map(String::as_str)
            .collect();
        if let Some(title) = span.title.as_deref().filter(|t| !t.trim().is_empty()) {
            if let Some(at) = body[0].find(title) {
                body[0] = body[0][at + title.len()..]
                    .trim_start_matches([':', ' ', '-', '\u{2013}', '\u{2014}']);
            }
        }
        let text = unwrap_paragraphs(&body);
        let dump_source = dumps.join(&span.dump).display().to_string();
        let mut article = labeled(
            span.id,
            &dump_source,
            span.title,
            text,
            span.label.split(span.also),
            &source,
            index + 1,
        )?;
        article.article.start_line = Some(span.start_line);
        article.article.end_line = Some(span.end_line);
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
    (label, also): (String, Vec<String>),
    file: &str,
    line: usize,
) -> Result<LabeledArticle> {
    let bad = |message: &str| Error::Input {
        source_name: file.to_string(),
        line,
        message: message.to_string(),
    };
    if label.trim().is_empty() {
        return Err(bad("empty label"));
    }
    if text.trim().is_empty() {
        return Err(bad("empty text"));
    }
    Ok(LabeledArticle {
        article: Article {
            id,
            source: source.to_string(),
            start_line: None,
            end_line: None,
            title: title.filter(|t| !t.trim().is_empty()),
            text,
            metadata: Metadata::default(),
            known_sentences: Default::default(),
        },
        label: label.trim().to_string(),
        also,
    })
}

/// Joins printed lines into the article text layout: lines of one paragraph (hard-wrapped or not) joined by a
/// space, paragraphs (separated by blank lines) by a blank line.
fn unwrap_paragraphs(lines: &[&str]) -> String {
    lines
        .split(|line| line.trim().is_empty())
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| {
            paragraph
                .iter()
                .map(|line| line.trim())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
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
