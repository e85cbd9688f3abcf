//! Summarize: a short summary per article.

mod extractive;

pub use extractive::{ExtractiveOptions, ExtractiveSummarizer};

use crate::article::EmbeddedArticle;
use crate::error::Result;

/// A summary and how it was made.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    /// The summary text.
    pub text: String,
}

/// Writes summaries.
pub trait Summarizer: Send {
    /// One summary per article, in input order.
    fn summarize(&mut self, articles: &[EmbeddedArticle]) -> Result<Vec<Summary>>;
}
