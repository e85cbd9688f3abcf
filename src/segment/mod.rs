//! Segmentation: splits a dump into articles, with their line spans, headline and metadata, and drops boilerplate.

use crate::article::Article;
use crate::embed::Embedder;
use crate::error::Result;
use crate::ingest::Dump;

/// Why a line was left out of every article.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DroppedLine {
    /// 1-based line number in the dump.
    pub line: usize,
    /// The rule that dropped it (for `segment --explain`).
    pub reason: String,
}

/// The result of segmenting one dump: every non-blank line is either in exactly one article's span or dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Segmentation {
    /// Articles in source order, with ids `<stem>#<n>`.
    pub articles: Vec<Article>,
    /// Lines outside every article, with the reason.
    pub dropped: Vec<DroppedLine>,
}

/// Splits a dump into articles.
pub trait Segmenter: Send + Sync {
    /// Segments one dump; `embedder` is there for topic-shift detection.
    fn segment(&self, dump: &Dump, embedder: &mut dyn Embedder) -> Result<Segmentation>;
}

/// Placeholder until the rule segmenter lands: one article per blank-line-separated block.
#[derive(Default)]
pub struct DumpSegmenter;

impl Segmenter for DumpSegmenter {
    fn segment(&self, dump: &Dump, _embedder: &mut dyn Embedder) -> Result<Segmentation> {
        let mut articles = Vec::new();
        let mut start = None;
        for (i, line) in dump
            .lines
            .iter()
            .chain(std::iter::once(&String::new()))
            .enumerate()
        {
            match (line.trim().is_empty(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    articles.push(Article {
                        id: format!("{}#{}", dump.stem, articles.len() + 1),
                        source: dump.source.clone(),
                        start_line: Some(s + 1),
                        end_line: Some(i),
                        title: None,
                        text: dump.lines[s..i].join("\n\n"),
                        metadata: Default::default(),
                    });
                    start = None;
                }
                _ => {}
            }
        }
        Ok(Segmentation {
            articles,
            dropped: Vec::new(),
        })
    }
}
