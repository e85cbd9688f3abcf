//! JSONL records `{id, title?, text}`: one ready article per line.

use super::Warning;
use crate::article::Article;
use serde_json::Value;

/// Parses JSONL lines into articles. A line that is not a JSON object, or has no string `text`, is skipped and
/// reported with its line number; the other lines are kept. A record without `id` gets `<file stem>:<line>`.
pub fn parse_jsonl(source: &str, lines: &[String]) -> (Vec<Article>, Vec<Warning>) {
    let stem = super::Dump::new(source.to_string(), Vec::new()).stem;
    let mut articles = Vec::new();
    let mut warnings = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let (article, problems) = parse_record(source, &stem, index + 1, line);
        articles.extend(article);
        warnings.extend(problems);
    }
    (articles, warnings)
}

/// The JSON type of a value, as messages name it.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses line `line_no` of a JSONL file into its article, if it has one, and the problems met. A blank line
/// gives neither. The record is skipped when the line is not a JSON object or `text` is not a string with some
/// text in it; a `title` that is not a string is dropped and the record kept. `id` may be a string or a number.
pub fn parse_record(
    source: &str,
    stem: &str,
    line_no: usize,
    line: &str,
) -> (Option<Article>, Vec<Warning>) {
    if line.trim().is_empty() {
        return (None, Vec::new());
    }
    let warn = |message: String| Warning {
        source: source.to_string(),
        line: Some(line_no),
        message,
    };
    let skip = |message: String| (None, vec![warn(message)]);
    let mut record = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(record)) => record,
        Ok(other) => {
            return skip(format!(
                "skipped: not a JSON object but {}",
                type_name(&other)
            ))
        }
        Err(e) => return skip(format!("skipped: not a JSON object ({e})")),
    };
    let text = match record.remove("text") {
        Some(Value::String(text)) if text.trim().is_empty() => {
            return skip("skipped: field `text` is empty".to_string())
        }
        Some(Value::String(text)) => text,
        Some(other) => {
            return skip(format!(
                "skipped: field `text` is {}, not a string",
                type_name(&other)
            ))
        }
        None => return skip("skipped: record has no string field `text`".to_string()),
    };
    let id = match record.remove("id") {
        Some(Value::String(id)) => id,
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => format!("{stem}:{line_no}"),
        Some(other) => {
            return skip(format!(
                "skipped: field `id` is {}, not a string or number",
                type_name(&other)
            ))
        }
    };
    let mut warnings = Vec::new();
    let title = match record.remove("title") {
        Some(Value::String(title)) => Some(title),
        None | Some(Value::Null) => None,
        Some(other) => {
            warnings.push(warn(format!(
                "field `title` is {}, not a string: the title was dropped, the record kept",
                type_name(&other)
            )));
            None
        }
    };
    let article = Article::from_record(id, source, title, text);
    (Some(article), warnings)
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

    #[test]
    fn field_type_errors_name_the_field_and_its_type() {
        let lines: Vec<String> = [
            r#"{"id": "a", "title": 5, "text": "Body one."}"#,
            r#"{"id": "b", "text": 12345}"#,
            r#"{"id": "c", "text": "  "}"#,
            r#"[1, 2]"#,
            r#"{"id": ["x"], "text": "Body."}"#,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (articles, warnings) = parse_jsonl("in.jsonl", &lines);
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].id, "a");
        assert_eq!(articles[0].title, None);
        let messages: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            messages,
            [
                "in.jsonl:1: field `title` is a number, not a string: the title was dropped, the record kept",
                "in.jsonl:2: skipped: field `text` is a number, not a string",
                "in.jsonl:3: skipped: field `text` is empty",
                "in.jsonl:4: skipped: not a JSON object but an array",
                "in.jsonl:5: skipped: field `id` is an array, not a string or number",
            ]
        );
    }
}
