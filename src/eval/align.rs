//! Alignment of gold articles with predicted ones, the step every metric depends on: by id when the
//! predictions carry the gold ids, otherwise by line-span overlap within the same dump. Nothing is dropped
//! silently: unmatched articles on either side are returned.

use crate::error::{Error, Result};
pub use crate::gold::GoldArticle;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A predicted article as newsdigest writes it (`id`, `source`, `start_line`, `end_line`, `title`, `text`,
/// `summary`, `label`, `scores`); fields eval does not use are ignored.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct PredictedArticle {
    /// The article id.
    pub id: String,
    /// Path of the input the article came from; its file name is matched against the gold `dump`.
    #[serde(default)]
    pub source: Option<String>,
    /// First line of the article in its input, 1-based.
    #[serde(default)]
    pub start_line: Option<usize>,
    /// Last line of the article in its input, 1-based and inclusive.
    #[serde(default)]
    pub end_line: Option<usize>,
    /// Detected headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Article body.
    #[serde(default)]
    pub text: Option<String>,
    /// System summary, one sentence per line for ROUGE-Lsum.
    #[serde(default)]
    pub summary: Option<String>,
    /// Predicted topic label (absent in `newsdigest segment` output); without it the article is left out of the
    /// label metrics.
    #[serde(default)]
    pub label: Option<String>,
    /// Score per label, as `run` writes them (listed beside mislabelled articles).
    #[serde(default)]
    pub scores: BTreeMap<String, f64>,
    /// Every predicted label (`label` first); empty in outputs written before the field existed.
    #[serde(default)]
    pub labels: Vec<String>,
}

/// newsdigest's JSON output document: the run description and the article list.
#[derive(Deserialize)]
struct ArticlesDocument<T> {
    articles: Vec<T>,
}

/// Parses records from newsdigest's JSON output document (`{"run": ..., "articles": [...]}`), from a JSON
/// array, or from JSONL (one object per line, blank lines skipped). `source_name` names the input in errors,
/// which carry the failing line.
pub fn parse_records<T: DeserializeOwned>(source_name: &str, content: &str) -> Result<Vec<T>> {
    let input_error = |line: usize, error: serde_json::Error| Error::Input {
        source_name: source_name.to_string(),
        line,
        message: error.to_string(),
    };
    let trimmed = content.trim_start();
    if trimmed.starts_with('[') {
        return serde_json::from_str(content).map_err(|e| input_error(e.line(), e));
    }
    let first_line_opens_document = trimmed
        .lines()
        .next()
        .is_some_and(|line| line.trim() == "{");
    let is_articles_document = first_line_opens_document
        || serde_json::from_str::<serde_json::Value>(content)
            .is_ok_and(|value| value.get("articles").is_some_and(|a| a.is_array()));
    if is_articles_document {
        return serde_json::from_str::<ArticlesDocument<T>>(content)
            .map(|document| document.articles)
            .map_err(|e| input_error(e.line(), e));
    }
    content
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| serde_json::from_str(line).map_err(|e| input_error(index + 1, e)))
        .collect()
}

/// Reads and parses a predictions file (see [`parse_records`]); gold files are read by [`crate::gold::read_gold`].
pub fn read_records<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let content = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_records(&path.display().to_string(), &content)
}

/// How gold and predicted articles were paired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlignBy {
    /// Every gold id occurs among the predictions; pairs share ids.
    Id,
    /// Pairs are the largest line-span overlaps within the same dump, one-to-one.
    Span,
}

/// One gold article paired with one predicted article (indices into the two input slices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlignedPair {
    /// Index of the gold article.
    pub gold: usize,
    /// Index of the predicted article.
    pub predicted: usize,
}

/// The pairing of gold and predicted articles, with what was left over on each side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alignment {
    /// Which rule paired them.
    pub by: AlignBy,
    /// Pairs in gold order.
    pub pairs: Vec<AlignedPair>,
    /// Indices of gold articles with no predicted partner, ascending.
    pub unmatched_gold: Vec<usize>,
    /// Indices of predicted articles with no gold partner, ascending.
    pub unmatched_predicted: Vec<usize>,
}

/// Pairs gold with predicted articles: by id when every gold id is among the predicted ids (a repeated
/// predicted id pairs its first occurrence) and no id pair contradicts its spans, otherwise by line-span
/// overlap (see [`align_by_span`]). The span check matters because ids of segmented dumps are positional
/// (`<stem>#<n>`): a segmenter that splits a dump differently produces the gold ids for other articles.
pub fn align(gold: &[GoldArticle], predicted: &[PredictedArticle]) -> Alignment {
    let mut first_with_id: HashMap<&str, usize> = HashMap::new();
    for (index, article) in predicted.iter().enumerate() {
        first_with_id.entry(article.id.as_str()).or_insert(index);
    }
    let by_id: Option<Vec<AlignedPair>> = gold
        .iter()
        .enumerate()
        .map(|(g, article)| {
            first_with_id
                .get(article.id.as_str())
                .map(|&p| AlignedPair {
                    gold: g,
                    predicted: p,
                })
        })
        .collect();
    match by_id {
        Some(pairs)
            if !gold.is_empty()
                && pairs.iter().all(|pair| {
                    !spans_contradict(&gold[pair.gold], &predicted[pair.predicted])
                }) =>
        {
            finish(AlignBy::Id, pairs, gold.len(), predicted.len())
        }
        _ => align_by_span(gold, predicted),
    }
}

/// Whether both articles are located (file and span) and the locations do not share a line.
fn spans_contradict(gold: &GoldArticle, predicted: &PredictedArticle) -> bool {
    match (
        gold.dump
            .as_deref()
            .zip(span(gold.start_line, gold.end_line)),
        predicted
            .source
            .as_deref()
            .zip(span(predicted.start_line, predicted.end_line)),
    ) {
        (Some((dump, gold_span)), Some((source, predicted_span))) => {
            !same_file(source, dump) || overlap_lines(gold_span, predicted_span) == 0
        }
        _ => false,
    }
}

/// Whether a predicted `source` path names the gold `dump` file.
pub(super) fn same_file(source: &str, dump: &str) -> bool {
    Path::new(source)
        .file_name()
        .is_some_and(|name| name.to_string_lossy() == dump)
}

/// Pairs each gold article with the predicted article of the same dump (predicted `source` file name equal to
/// gold `dump`) overlapping its line span most, one-to-one: candidate pairs are taken greedily by overlap in
/// lines, ties going to the earlier gold article, then the earlier predicted one. Articles without a dump or
/// span cannot be paired and stay unmatched.
pub fn align_by_span(gold: &[GoldArticle], predicted: &[PredictedArticle]) -> Alignment {
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
    for (g, gold_article) in gold.iter().enumerate() {
        let (Some(dump), Some(gold_span)) = (
            &gold_article.dump,
            span(gold_article.start_line, gold_article.end_line),
        ) else {
            continue;
        };
        for (p, predicted_article) in predicted.iter().enumerate() {
            let same_dump = predicted_article
                .source
                .as_deref()
                .is_some_and(|source| same_file(source, dump));
            let Some(predicted_span) =
                span(predicted_article.start_line, predicted_article.end_line)
            else {
                continue;
            };
            let overlap = overlap_lines(gold_span, predicted_span);
            if same_dump && overlap > 0 {
                candidates.push((overlap, g, p));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut gold_taken = vec![false; gold.len()];
    let mut predicted_taken = vec![false; predicted.len()];
    let mut pairs = Vec::new();
    for (_, g, p) in candidates {
        if !gold_taken[g] && !predicted_taken[p] {
            gold_taken[g] = true;
            predicted_taken[p] = true;
            pairs.push(AlignedPair {
                gold: g,
                predicted: p,
            });
        }
    }
    pairs.sort_by_key(|pair| pair.gold);
    finish(AlignBy::Span, pairs, gold.len(), predicted.len())
}

fn span(start: Option<usize>, end: Option<usize>) -> Option<(usize, usize)> {
    start.zip(end).filter(|(start, end)| start <= end)
}

/// Lines shared by two inclusive spans.
fn overlap_lines(a: (usize, usize), b: (usize, usize)) -> usize {
    let start = a.0.max(b.0);
    let end = a.1.min(b.1);
    if start <= end {
        end - start + 1
    } else {
        0
    }
}

fn finish(
    by: AlignBy,
    pairs: Vec<AlignedPair>,
    gold_len: usize,
    predicted_len: usize,
) -> Alignment {
    let mut gold_matched = vec![false; gold_len];
    let mut predicted_matched = vec![false; predicted_len];
    for pair in &pairs {
        gold_matched[pair.gold] = true;
        predicted_matched[pair.predicted] = true;
    }
    let unmatched = |matched: Vec<bool>| -> Vec<usize> {
        matched
            .iter()
            .enumerate()
            .filter(|(_, &m)| !m)
            .map(|(i, _)| i)
            .collect()
    };
    Alignment {
        by,
        pairs,
        unmatched_gold: unmatched(gold_matched),
        unmatched_predicted: unmatched(predicted_matched),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(id: &str, dump: &str, start: usize, end: usize) -> GoldArticle {
        GoldArticle {
            id: id.to_string(),
            dump: Some(dump.to_string()),
            start_line: Some(start),
            end_line: Some(end),
            label: Some("other".to_string()),
            ..GoldArticle::default()
        }
    }

    fn predicted(id: &str, source: &str, start: usize, end: usize) -> PredictedArticle {
        PredictedArticle {
            id: id.to_string(),
            source: Some(source.to_string()),
            start_line: Some(start),
            end_line: Some(end),
            ..PredictedArticle::default()
        }
    }

    #[test]
    fn aligns_by_id_when_all_gold_ids_are_predicted() {
        let gold = [gold("d#1", "d.txt", 1, 5), gold("d#2", "d.txt", 7, 9)];
        let record = |id: &str| PredictedArticle {
            id: id.to_string(),
            source: Some("articles.jsonl".to_string()),
            ..PredictedArticle::default()
        };
        let predicted = [record("d#2"), record("extra"), record("d#1")];
        let alignment = align(&gold, &predicted);
        assert_eq!(alignment.by, AlignBy::Id);
        assert_eq!(
            alignment.pairs,
            [
                AlignedPair {
                    gold: 0,
                    predicted: 2
                },
                AlignedPair {
                    gold: 1,
                    predicted: 0
                }
            ]
        );
        assert_eq!(alignment.unmatched_predicted, [1]);
        assert!(alignment.unmatched_gold.is_empty());
    }

    #[test]
    fn positional_ids_that_contradict_the_spans_fall_back_to_span_alignment() {
        let gold = [gold("d#1", "d.txt", 1, 5), gold("d#2", "d.txt", 7, 9)];
        let predicted = [
            predicted("d#1", "in/d.txt", 1, 1),
            predicted("d#2", "in/d.txt", 2, 5),
            predicted("d#3", "in/d.txt", 7, 9),
        ];
        let alignment = align(&gold, &predicted);
        assert_eq!(alignment.by, AlignBy::Span);
        assert_eq!(
            alignment.pairs,
            [
                AlignedPair {
                    gold: 0,
                    predicted: 1
                },
                AlignedPair {
                    gold: 1,
                    predicted: 2
                }
            ]
        );
        assert_eq!(alignment.unmatched_predicted, [0]);
    }

    #[test]
    fn aligns_by_largest_overlap_one_to_one_within_the_same_dump() {
        let gold = [
            gold("a", "d.txt", 1, 10),
            gold("b", "d.txt", 12, 20),
            gold("c", "e.txt", 1, 10),
            gold("d", "d.txt", 30, 31),
        ];
        let predicted = [
            predicted("p1", "/in/d.txt", 1, 14),
            predicted("p2", "/in/d.txt", 15, 20),
            predicted("p3", "/in/other.txt", 1, 10),
            predicted("p4", "/in/e.txt", 2, 4),
        ];
        let alignment = align(&gold, &predicted);
        assert_eq!(alignment.by, AlignBy::Span);
        assert_eq!(
            alignment.pairs,
            [
                AlignedPair {
                    gold: 0,
                    predicted: 0
                },
                AlignedPair {
                    gold: 1,
                    predicted: 1
                },
                AlignedPair {
                    gold: 2,
                    predicted: 3
                },
            ]
        );
        assert_eq!(alignment.unmatched_gold, [3]);
        assert_eq!(alignment.unmatched_predicted, [2]);
    }

    #[test]
    fn equal_overlaps_go_to_the_earlier_gold_article() {
        let gold = [gold("a", "d.txt", 1, 4), gold("b", "d.txt", 5, 8)];
        let predicted = [predicted("p", "d.txt", 3, 6)];
        let alignment = align(&gold, &predicted);
        assert_eq!(
            alignment.pairs,
            [AlignedPair {
                gold: 0,
                predicted: 0
            }]
        );
        assert_eq!(alignment.unmatched_gold, [1]);
    }

    #[test]
    fn parses_jsonl_arrays_and_output_documents_and_locates_bad_lines() {
        let jsonl = "{\"id\": \"a\", \"label\": \"other\"}\n\n{\"id\": \"b\", \"label\": \"conflict\", \"also\": [\"disaster\"]}\n";
        let records: Vec<GoldArticle> = parse_records("gold.jsonl", jsonl).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].also, ["disaster"]);
        let array: Vec<PredictedArticle> = parse_records(
            "out.json",
            "[{\"id\": \"a\", \"label\": \"other\", \"scores\": {\"x\": 1}}]",
        )
        .unwrap();
        assert_eq!(array[0].id, "a");
        let document: Vec<PredictedArticle> = parse_records(
            "out.json",
            "{\n  \"run\": {\"tool\": \"newsdigest\"},\n  \"articles\": [\n    {\"id\": \"b\", \"label\": \"other\"}\n  ]\n}\n",
        )
        .unwrap();
        assert_eq!(document[0].id, "b");
        let error = parse_records::<GoldArticle>(
            "gold.jsonl",
            "{\"id\": \"a\", \"label\": \"x\"}\n{\"id\": \"b\", \"start_line\": \"x\"}\n",
        )
        .unwrap_err();
        assert!(error.to_string().starts_with("gold.jsonl:2:"), "{error}");
    }
}
