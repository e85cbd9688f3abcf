//! newsdigest: turns raw news dumps into annotated articles (spans, headline, summary, topic label) offline,
//! and scores the result against hand-written gold.
//!
//! The pipeline has one module per stage, each a small trait with its implementations beside it:
//! [`ingest`] → [`segment`] → sentences → embed → classify → summarize → output, and eval beside them.

pub mod article;
pub mod error;
pub mod ingest;
pub mod segment;

pub use article::{Article, Metadata};
pub use error::{Error, Result};
