//! The bounds that keep a run's memory flat and its time linear whatever the input: how much of a dump is
//! segmented at once, how much input is in flight, and how much of one article is embedded.

/// A dump is segmented in windows of about this many bytes, cut at article breaks (see
/// [`crate::ingest::InputStream`]); a dump smaller than this is segmented whole.
pub const DUMP_WINDOW_BYTES: usize = 4 << 20;

/// Input text in flight at once: documents are read until they hold this much, then segmented and annotated
/// together before the next are read.
pub const CHUNK_BYTES: usize = 4 << 20;

/// Articles embedded together: their titles and sentences are sorted by token length and cut into batches that
/// the workers share. Groups are fixed runs of the input in source order, so which texts share a batch does not
/// depend on the thread count, nor on how a stream is chunked or resumed (a text's embedding depends on its
/// batch-mates only in the last bits, through the padded shape of the batch).
pub const GROUP_SIZE: usize = 256;

/// JSONL records or dump files read at once, whatever their size (a multiple of [`GROUP_SIZE`]).
pub const CHUNK_ARTICLES: usize = 4 * GROUP_SIZE;

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

/// The worker threads a run may start: `requested` (0 meaning one per core) capped at the cores available,
/// since more workers than cores only add models in memory and contention. Returns the count and, when the
/// request was cut, a warning saying so.
pub fn cap_threads(requested: usize) -> (usize, Option<String>) {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if requested == 0 {
        return (cores, None);
    }
    if requested > cores {
        let warning = format!(
            "{requested} threads asked for, but only {cores} CPU(s) are available: using {cores}"
        );
        return (cores, Some(warning));
    }
    (requested, None)
}

/// Checks that an option's value is a number in `[low, high]`, naming the option and the range when it is not
/// (NaN and infinities are never in range).
pub fn check_range(option: &str, value: f64, low: f64, high: f64) -> crate::Result<()> {
    if value.is_finite() && (low..=high).contains(&value) {
        return Ok(());
    }
    Err(crate::Error::Config(format!(
        "{option} = {value}: must be a number from {low} to {high}"
    )))
}

#[cfg(test)]
mod option_tests {
    use super::*;

    #[test]
    fn threads_are_capped_at_the_cores_with_a_warning() {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        assert_eq!(cap_threads(0), (cores, None));
        assert_eq!(cap_threads(1), (1, None));
        let (threads, warning) = cap_threads(100_000);
        assert_eq!(threads, cores);
        assert!(warning.unwrap().contains("100000 threads"));
    }

    #[test]
    fn ranges_refuse_nan_infinities_and_values_outside() {
        assert!(check_range("--min-score", 0.5, 0.0, 1.0).is_ok());
        for bad in [f64::NAN, f64::INFINITY, 2.0, -1.0] {
            let err = check_range("--min-score", bad, 0.0, 1.0)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("--min-score") && err.contains("from 0 to 1"),
                "{err}"
            );
        }
    }
}
