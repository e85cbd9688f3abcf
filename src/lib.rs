//! newsdigest: turns raw news dumps into annotated articles (spans, headline, summary, topic label) offline,
//! and scores the result against hand-written gold.
//!
//! The pipeline has one module per stage, each a small trait with its implementations beside it:
//! [`ingest`] → [`segment`] → [`sentences`] → [`embed`] → [`classify`] → [`summarize`] → [`output`],
//! driven by [`pipeline`]; [`eval`] scores outputs against gold.

pub mod article;
pub mod embed;
pub mod error;
pub mod eval;
pub mod ingest;
pub mod models;
pub mod segment;

pub use article::{Article, Metadata};
pub use error::{Error, Result};
