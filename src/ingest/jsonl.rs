//! JSONL records `{id, title?, text}`: one ready article per line.

use super::Warning;
use crate::article::{Article, Metadata};
use serde::Deserialize;

#[derive(Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    title: Option<String>,
    text: Option<String>,
}

/// Parses JSONL lines into articles. A line that is not a JSON object, or has no string `text`, is skipped and
/// reported with its line number; the other lines are kept. A record without `id` gets `<file stem>:<line>`.
pub fn parse_jsonl(source: &str, lines: &[String]) -> (Vec<Article>, Vec<Warning>) {
    let stem = super::Dump::new(source.to_string(), Vec::new()).stem;
    let mut articles = Vec::new();
    let mut warnings = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        match parse_record(source, &stem, index + 1, line) {
            Some(Ok(article)) => articles.push(article),
            Some(Err(warning)) => warnings.push(warning),
            None => {}
        }
    }
    (articles, warnings)
}

/// Parses line `line_no` of a JSONL file: `None` for a blank line, else the article or the reason it was skipped.
pub fn parse_record(
    source: &str,
    stem: &str,
    line_no: usize,
    line: &str,
) -> Option<std::result::Result<Article, Warning>> {
    if line.trim().is_empty() {
        return None;
    }
    let warn = |message: String| Warning {
        source: source.to_string(),
        line: Some(line_no),
        message,
    };
    let record: Record = match serde_json::from_str(line) {
        Ok(record) => record,
        Err(e) => return Some(Err(warn(format!("skipped: not a JSON object ({e})")))),
    };
    let Some(text) = record.text else {
        return Some(Err(warn(
            "skipped: record has no string field `text`".to_string(),
        )));
    };
    let id = match record.id {
        Some(serde_json::Value::String(id)) => id,
        Some(other) => other.to_string(),
        None => format!("{stem}:{line_no}"),
    };
    Some(Ok(Article {
        id,
        source: source.to_string(),
        start_line: None,
        end_line: None,
        title: record.title.filter(|t| !t.trim().is_empty()),
        text,
        metadata: Metadata::default(),
        known_sentences: Default::default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_reported_and_good_ones_kept() {
        let lines: Vec<String> = [
            r#"{"id": "a", "title": "T", "text": "Body one."}"#,
            "not json",
            r#"{"id": 7, "body": "no text"}"#,
            r#"{"id": 8, "text": "Body two."}"#,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (articles, warnings) = parse_jsonl("in.jsonl", &lines);
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].title.as_deref(), Some("T"));
        assert_eq!(articles[1].id, "8");
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].to_string().starts_with("in.jsonl:2: skipped"));
        assert!(warnings[1].to_string().starts_with("in.jsonl:3: skipped"));
    }
}
