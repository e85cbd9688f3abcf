//! Summarize: a short summary per article.

mod abstractive;
mod chunking;
mod extractive;
mod furniture;
pub mod length_model;

pub use abstractive::{AbstractiveOptions, AbstractiveSummarizer, GenerationSettings};
pub use extractive::{candidates, Extract, ExtractiveOptions, ExtractiveSummarizer};
pub use furniture::story_text;

use crate::article::EmbeddedArticle;
use crate::error::Result;

/// A summary and how it was made.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    /// The summary text.
    pub text: String,
    /// Pieces the article was read in: 1 when it fits the model's input window, more when it was split on
    /// sentence boundaries and the piece summaries combined; 0 for an empty article.
    pub chunks: usize,
    /// True when some text had to be cut to fit the model's input window (a single word longer than it).
    pub truncated: bool,
}

/// Writes summaries.
pub trait Summarizer: Send {
    /// One summary per article, in input order.
    fn summarize(&mut self, articles: &[EmbeddedArticle]) -> Result<Vec<Summary>>;
}
