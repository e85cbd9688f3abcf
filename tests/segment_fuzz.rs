//! Property tests of the segmenter's invariants on arbitrary bytes and on shuffled, duplicated real lines
//! from the dev dumps: no panic, every non-blank line accounted for exactly once (inside one article's span
//! or dropped), spans ordered and non-overlapping, one boundary per article. A small deterministic
//! bag-of-words embedder stands in for the model so that thousands of cases run quickly.

use newsdigest::embed::Embedder;
use newsdigest::ingest::{decode_lines, Dump};
use newsdigest::segment::{DumpSegmenter, Segmentation, Segmenter};
use newsdigest::sentences::RuleSplitter;
use newsdigest::Result;
use proptest::prelude::*;
use std::sync::OnceLock;

/// Hashes each lower-cased word into one of 64 dimensions: texts sharing words are similar.
struct BagOfWordsEmbedder;

impl Embedder for BagOfWordsEmbedder {
    fn dimension(&self) -> usize {
        64
    }

    fn embed(&mut self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        Ok(texts
            .iter()
            .map(|text| {
                let mut vector = vec![0.0f32; 64];
                for word in text.split_whitespace() {
                    let hash = word.to_lowercase().bytes().fold(2166136261u32, |h, b| {
                        (h ^ u32::from(b)).wrapping_mul(16777619)
                    });
                    vector[hash as usize % 64] += 1.0;
                }
                newsdigest::embed::normalize(&mut vector);
                vector
            })
            .collect())
    }

    fn model_sha256(&self) -> &str {
        "bag-of-words"
    }
}

/// Every line of every dev dump, plus blank lines.
fn dev_lines() -> &'static Vec<String> {
    static LINES: OnceLock<Vec<String>> = OnceLock::new();
    LINES.get_or_init(|| {
        let mut lines = vec![String::new()];
        let mut paths: Vec<_> = std::fs::read_dir("tests/data/dev/dumps")
            .expect("dev dumps are readable")
            .map(|entry| entry.expect("dir entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).expect("dump is readable");
            lines.extend(decode_lines("dev", &bytes).0);
        }
        lines
    })
}

fn check_invariants(
    dump: &Dump,
    segmentation: &Segmentation,
) -> std::result::Result<(), TestCaseError> {
    let n = dump.lines.len();
    let mut owner = vec![0usize; n + 1];
    let mut previous_end = 0;
    prop_assert_eq!(segmentation.boundaries.len(), segmentation.articles.len());
    for (k, (article, boundary)) in segmentation
        .articles
        .iter()
        .zip(&segmentation.boundaries)
        .enumerate()
    {
        let (start, end) = (
            article.start_line.unwrap_or(0),
            article.end_line.unwrap_or(0),
        );
        prop_assert!(
            previous_end < start && start <= end && end <= n,
            "span {}-{} after {}",
            start,
            end,
            previous_end
        );
        prop_assert_eq!(boundary.line, start);
        prop_assert_eq!(&article.id, &format!("{}#{}", dump.stem, k + 1));
        prop_assert!(!article.text.trim().is_empty());
        prop_assert!(
            !dump.lines[start - 1].trim().is_empty() && !dump.lines[end - 1].trim().is_empty()
        );
        owner[start..=end].iter_mut().for_each(|count| *count += 1);
        previous_end = end;
    }
    for dropped in &segmentation.dropped {
        prop_assert!(dropped.line >= 1 && dropped.line <= n);
        prop_assert!(
            !dump.lines[dropped.line - 1].trim().is_empty(),
            "blank line {} dropped",
            dropped.line
        );
        owner[dropped.line] += 1;
    }
    for omitted in &segmentation.omitted {
        let inside = segmentation.articles.iter().any(|a| {
            a.start_line.is_some_and(|s| s <= omitted.line)
                && a.end_line.is_some_and(|e| omitted.line <= e)
        });
        prop_assert!(inside, "omitted line {} outside every span", omitted.line);
    }
    for (line, text) in dump.lines.iter().enumerate() {
        if !text.trim().is_empty() {
            let count = owner[line + 1];
            prop_assert_eq!(count, 1, "line {} accounted for {} times", line + 1, count);
        }
    }
    Ok(())
}

fn segment(dump: &Dump) -> Segmentation {
    DumpSegmenter::default()
        .segment(dump, &RuleSplitter::default(), &mut BagOfWordsEmbedder)
        .expect("segmentation of any dump succeeds")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_are_segmented_consistently(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let (lines, _) = decode_lines("fuzz.txt", &bytes);
        let dump = Dump::new("fuzz.txt".to_string(), lines);
        check_invariants(&dump, &segment(&dump))?;
    }

    #[test]
    fn arbitrary_text_lines_are_segmented_consistently(
        lines in proptest::collection::vec("[ -~\u{a0}-\u{17f}“”’–—©|·]{0,120}", 0..60)
    ) {
        let dump = Dump::new("text.txt".to_string(), lines);
        check_invariants(&dump, &segment(&dump))?;
    }

    #[test]
    fn shuffled_and_duplicated_dev_lines_are_segmented_consistently(
        picks in proptest::collection::vec(any::<proptest::sample::Index>(), 0..120)
    ) {
        let pool = dev_lines();
        let lines: Vec<String> = picks.iter().map(|i| pool[i.index(pool.len())].clone()).collect();
        let dump = Dump::new("mix.txt".to_string(), lines);
        let segmentation = segment(&dump);
        check_invariants(&dump, &segmentation)?;
        // The same lines, each ended by CRLF, read back as the same lines and segmented the same way.
        let crlf: String = dump.lines.iter().map(|line| format!("{line}\r\n")).collect();
        let (crlf_lines, _) = decode_lines("mix.txt", crlf.as_bytes());
        let reread = Dump::new("mix.txt".to_string(), crlf_lines);
        prop_assert_eq!(&reread.lines, &dump.lines);
        prop_assert_eq!(segment(&reread), segmentation);
    }
}
