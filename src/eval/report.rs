//! The evaluation report: every metric of one run against gold, in one serialisable value that the renderers
//! print and `--fail-under` checks.

use super::align::{align, AlignBy, GoldArticle, PredictedArticle};
use super::labels::{LabelPair, LabelReport};
use super::summaries::{lead3, one_sentence_per_line, SummaryCase, SummaryReport};
use crate::sentences::SentenceSplitter;

/// Everything `newsdigest eval` measures. Field names are stable: they are the JSON keys of `--format json`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EvalReport {
    /// How gold and predicted articles were paired, and what was left unpaired.
    pub alignment: AlignmentReport,
    /// Topic-label metrics over the aligned articles.
    pub labels: LabelReport,
    /// ROUGE of the system summaries and of Lead-3 over the aligned articles with a reference summary.
    pub summaries: SummaryReport,
}

/// Counts of the alignment and the articles it could not pair.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AlignmentReport {
    /// `id` or `span`: the rule that paired the articles.
    pub by: AlignBy,
    /// Gold articles read.
    pub gold: usize,
    /// Predicted articles read.
    pub predicted: usize,
    /// Pairs formed; every other metric is computed over these.
    pub matched: usize,
    /// Gold articles no prediction was paired with (missed articles), in input order.
    pub unmatched_gold: Vec<ArticleRef>,
    /// Predicted articles paired with no gold article (spurious articles), in input order.
    pub unmatched_predicted: Vec<ArticleRef>,
}

/// Enough about an article to find it again: id, file and line span, headline.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ArticleRef {
    /// The article id.
    pub id: String,
    /// Gold `dump` or predicted `source`.
    pub file: Option<String>,
    /// First line, 1-based.
    pub start_line: Option<usize>,
    /// Last line, 1-based and inclusive.
    pub end_line: Option<usize>,
    /// Headline, if any.
    pub title: Option<String>,
}

impl EvalReport {
    /// Aligns predictions with gold and computes every metric over the pairs. `splitter` puts reference and
    /// system summaries one sentence per line for ROUGE-Lsum and gives Lead-3 its sentences (from the gold article text when the gold has one, else the predicted text).
    pub fn evaluate(
        gold: &[GoldArticle],
        predicted: &[PredictedArticle],
        splitter: &dyn SentenceSplitter,
    ) -> Self {
        let alignment = align(gold, predicted);
        let pairs: Vec<(&GoldArticle, &PredictedArticle)> = alignment
            .pairs
            .iter()
            .map(|pair| (&gold[pair.gold], &predicted[pair.predicted]))
            .collect();
        let label_pairs: Vec<LabelPair> = pairs
            .iter()
            .map(|(g, p)| LabelPair {
                gold: g.label.clone(),
                also: g.also.clone(),
                predicted: p.label.clone(),
            })
            .collect();
        let summary_cases: Vec<SummaryCase> = pairs
            .iter()
            .filter_map(|(g, p)| {
                let reference = g.summary.as_deref()?;
                let lines = |text: Option<&str>| {
                    text.map(|t| one_sentence_per_line(&splitter.split(t)))
                        .unwrap_or_default()
                };
                let article_text = g.text.as_deref().or(p.text.as_deref()).unwrap_or("");
                Some(SummaryCase {
                    reference: lines(Some(reference)),
                    system: lines(p.summary.as_deref()),
                    lead3: lead3(&splitter.split(article_text)),
                })
            })
            .collect();
        EvalReport {
            alignment: AlignmentReport {
                by: alignment.by,
                gold: gold.len(),
                predicted: predicted.len(),
                matched: alignment.pairs.len(),
                unmatched_gold: alignment
                    .unmatched_gold
                    .iter()
                    .map(|&i| ArticleRef::from_gold(&gold[i]))
                    .collect(),
                unmatched_predicted: alignment
                    .unmatched_predicted
                    .iter()
                    .map(|&i| ArticleRef::from_predicted(&predicted[i]))
                    .collect(),
            },
            labels: LabelReport::from_pairs(&label_pairs),
            summaries: SummaryReport::from_cases(&summary_cases),
        }
    }
}

impl ArticleRef {
    fn from_gold(article: &GoldArticle) -> Self {
        ArticleRef {
            id: article.id.clone(),
            file: article.dump.clone(),
            start_line: article.start_line,
            end_line: article.end_line,
            title: article.title.clone(),
        }
    }

    fn from_predicted(article: &PredictedArticle) -> Self {
        ArticleRef {
            id: article.id.clone(),
            file: article.source.clone(),
            start_line: article.start_line,
            end_line: article.end_line,
            title: article.title.clone(),
        }
    }
}
