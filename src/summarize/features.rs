//! What the learned sentence scorer sees of a sentence: where it stands, how central it is to the article
//! (to the whole, and in the directed, position-aware sense of PacSum: similarity to what follows against
//! similarity to what came before), its length, and cues of its form that news summaries avoid (quotes,
//! questions, captions, page furniture such as "Scroll down for video", datelines and bylines).
//!
//! Every feature is computed from one article alone, so a sentence scores the same in a batch of one or of
//! thousands.

use crate::article::EmbeddedArticle;
use crate::embed::cosine;
use crate::segment::metadata::{byline, dateline, is_date_line};
use regex::Regex;
use std::sync::LazyLock;

/// Names of the features, in the order of [`sentence_features`]' rows; stored with the scorer's weights so a
/// weights file made for another feature list is refused.
pub const FEATURE_NAMES: [&str; 25] = [
    "inverse_position",
    "in_first_three",
    "relative_position",
    "lead_decay",
    "centrality",
    "forward_similarity",
    "backward_similarity",
    "similarity_to_first",
    "log_words",
    "short",
    "long",
    "has_quote",
    "opens_with_quote",
    "question",
    "page_furniture",
    "caption",
    "no_final_punctuation",
    "digit_share",
    "capitals_share",
    "dateline_or_byline",
    "log_sentences",
    "position_0",
    "position_1",
    "position_2",
    "position_3_or_later",
];

/// Web-page text that is not part of the story: prompts, share bars, sign-up boxes, copyright lines, photo
/// credits. Matched case-insensitively anywhere in a sentence.
static PAGE_FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)scroll down|click here|read more|follow us|watch the video|\bvideo:|advertisement|share this|\bpublished:|\bupdated:|last updated|©|copyright|all rights reserved|subscribe|sign up|newsletter|getty images|\bap photo\b|\bfile photo\b",
    )
    .expect("the furniture pattern is a valid regular expression")
});

/// Photo captions left in the text: "(pictured)", "Pictured: ...", "Photo: ...", "Above: ...".
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(pictured\b|\bpictured (?:above|below|left|right|here)|^(?:pictured|photo|picture|image|above|below|left|right|top|bottom)\s*:")
        .expect("the caption pattern is a valid regular expression")
});

const QUOTE_MARKS: [char; 4] = ['"', '“', '”', '„'];

/// One row of [`FEATURE_NAMES`] per sentence of the article, in sentence order.
pub fn sentence_features(article: &EmbeddedArticle) -> Vec<Vec<f32>> {
    let vectors = &article.sentence_vectors;
    let count = vectors.len();
    let similarity: Vec<Vec<f32>> = vectors
        .iter()
        .map(|a| vectors.iter().map(|b| cosine(a, b)).collect())
        .collect();
    let mean = |values: &[f32]| {
        if values.is_empty() {
            0.0
        } else {
            values.iter().sum::<f32>() / values.len() as f32
        }
    };
    article
        .sentences
        .iter()
        .enumerate()
        .map(|(i, sentence)| {
            let text = sentence.trim();
            let words = text.split_whitespace().count();
            let position = i as f32;
            let characters = text.chars().count().max(1) as f32;
            let capitalised = text
                .split_whitespace()
                .filter(|w| w.chars().count() > 1 && w.chars().all(|c| !c.is_lowercase()))
                .filter(|w| w.chars().any(char::is_uppercase))
                .count();
            let flag = |b: bool| if b { 1.0 } else { 0.0 };
            vec![
                1.0 / (position + 1.0),
                flag(i < 3),
                position / (count.max(2) - 1) as f32,
                (-position / 3.0).exp(),
                cosine(&vectors[i], &article.vector),
                mean(&similarity[i][i + 1..]),
                mean(&similarity[i][..i]),
                similarity[i][0],
                (words as f32 + 1.0).ln(),
                flag(words < 6),
                flag(words > 40),
                flag(text.contains(QUOTE_MARKS)),
                flag(text.starts_with(QUOTE_MARKS) || text.starts_with('\'')),
                flag(text.ends_with('?') || text.ends_with("?\"") || text.ends_with("?”")),
                flag(PAGE_FURNITURE.is_match(text)),
                flag(CAPTION.is_match(text)),
                flag(!text.ends_with(['.', '!', '?', '"', '”', '\'', '’', ')'])),
                text.chars().filter(char::is_ascii_digit).count() as f32 / characters,
                capitalised as f32 / words.max(1) as f32,
                flag(dateline(text).is_some() || byline(text).is_some() || is_date_line(text)),
                (count as f32 + 1.0).ln(),
                flag(i == 0),
                flag(i == 1),
                flag(i == 2),
                flag(i >= 3),
            ]
        })
        .collect()
}
