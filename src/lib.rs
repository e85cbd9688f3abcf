//! newsdigest: turns raw news dumps into annotated articles (spans, headline, summary, topic label) offline,
//! and scores the result against hand-written gold.
//!
//! The pipeline has one module per stage, each a small trait with its implementations beside it:
//! [`ingest`] → [`segment`] → [`sentences`] → [`embed`] → [`classify`] → [`summarize`] → [`output`],
//! driven by [`pipeline`].

pub mod article;
pub mod checkpoint;
pub mod classify;
pub mod embed;
pub mod error;
pub mod eval;
pub mod gold;
pub mod ingest;
pub mod limits;
pub mod memory;
pub mod models;
pub mod output;
pub mod pipeline;
pub mod rounding;
pub mod script;
pub mod segment;
pub mod sentences;
pub mod stream;
pub mod summarize;
pub mod synth;
pub mod terminal;

pub use article::{Article, EmbeddedArticle, Metadata};
pub use error::{Error, Result};
