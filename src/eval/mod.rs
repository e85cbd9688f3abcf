//! Evaluation: scores pipeline outputs against hand-written gold.

pub mod segmentation;
