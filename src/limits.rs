//! The bounds that keep a run's memory flat and its time linear whatever the input: how much of a dump is
//! segmented at once, how much input is in flight, and how much of one article is embedded.

/// A dump is segmented in windows of about this many bytes, cut at article breaks (see
/// [`crate::ingest::InputStream`]); a dump smaller than this is segmented whole.
pub const DUMP_WINDOW_BYTES: usize = 4 << 20;

/// Input text in flight at once: documents are read until they hold this much, then segmented and annotated
/// together before the next are read.
pub const CHUNK_BYTES: usize = 4 << 20;

/// JSONL records or dump files read at once, whatever their size (a multiple of the pipeline's group size).
pub const CHUNK_ARTICLES: usize = 4 * crate::pipeline::GROUP_SIZE;

/// Longest article text annotated, in bytes (about 15,000 words, far beyond any news story). A longer text is
/// cut at the last paragraph or sentence break before this length and its record says `truncated: true`.
pub const MAX_ARTICLE_BYTES: usize = 100_000;

/// Cuts `text` to at most [`MAX_ARTICLE_BYTES`], at the last paragraph break, else the last sentence end, else
/// the last space in the second half of the limit (else at the limit); returns whether anything was cut.
pub fn truncate_article(text: &mut String) -> bool {
    if text.len() <= MAX_ARTICLE_BYTES {
        return false;
    }
    let mut limit = MAX_ARTICLE_BYTES;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let head = &text[..limit];
    let late = |i: &usize| *i > limit / 2;
    let end = head
        .rfind('\n')
        .filter(late)
        .or_else(|| head.rfind(". ").map(|i| i + 1).filter(late))
        .or_else(|| head.rfind(char::is_whitespace).filter(late))
        .unwrap_or(limit);
    text.truncate(end);
    let kept = text.trim_end().len();
    text.truncate(kept);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_cut_at_a_sentence_end_within_the_limit() {
        let mut text = "Officials said the road was open again. ".repeat(10_000);
        assert!(truncate_article(&mut text));
        assert!(text.len() <= MAX_ARTICLE_BYTES);
        assert!(text.ends_with("open again."));
        let mut short = "A short story.".to_string();
        assert!(!truncate_article(&mut short));
        assert_eq!(short, "A short story.");
    }
}
