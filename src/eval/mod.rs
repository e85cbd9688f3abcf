//! Evaluation against gold: summaries are scored with ROUGE ([`rouge`]).

pub mod rouge;
