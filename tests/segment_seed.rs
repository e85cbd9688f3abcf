//! The project's seed dump through the segmenter with the real MiniLM model: one long wire story closed by an
//! agency tag and a legal notice, then three one-line briefs. The same stories must come out of the dump
//! saved with CRLF and a BOM, and of the dump with its long story hard-wrapped at 72 columns (blank lines
//! between paragraphs; in a wrapped feed with no blank lines at all, a paragraph whose last line happens to
//! be full cannot be told from a wrapped one).

use newsdigest::embed::{MiniLmEmbedder, Precision};
use newsdigest::ingest::{decode_lines, Dump};
use newsdigest::segment::{DumpSegmenter, Segmentation, Segmenter};
use newsdigest::sentences::RuleSplitter;

const SEED: &str = "seeds/000_aa71b4222196df8c.txt";

fn segment(name: &str, bytes: &[u8], embedder: &mut MiniLmEmbedder) -> Segmentation {
    let (lines, _) = decode_lines(name, bytes);
    DumpSegmenter::default()
        .segment(
            &Dump::new(name.to_string(), lines),
            &RuleSplitter::default(),
            embedder,
        )
        .expect("segmentation runs")
}

fn embedder() -> MiniLmEmbedder {
    MiniLmEmbedder::load(
        &newsdigest::models::default_embedding_model_dir(),
        Precision::Fp32,
    )
    .expect("MiniLM model loads")
}

/// Greedy word wrap at `width` columns.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("never empty");
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// The seed holds one story and three one-line briefs (lines 16, 17, 18), with nothing but the topic between
/// the briefs.
#[test]
fn seed_comes_out_as_one_story_and_its_briefs() {
    let bytes = std::fs::read(SEED).expect("seed dump is readable");
    let segmentation = segment(SEED, &bytes, &mut embedder());
    let spans: Vec<(Option<usize>, Option<usize>)> = segmentation
        .articles
        .iter()
        .map(|a| (a.start_line, a.end_line))
        .collect();
    assert_eq!(
        spans,
        [
            (Some(1), Some(14)),
            (Some(16), Some(16)),
            (Some(17), Some(17)),
            (Some(18), Some(18)),
        ]
    );
    let first = &segmentation.articles[0];
    assert_eq!(first.id, "000_aa71b4222196df8c#1");
    assert_eq!(
        first.title.as_deref(),
        Some("Trump envoys to meet Putin amid intensified push to end Ukraine war")
    );
    assert_eq!(first.metadata.source_tag.as_deref(), Some("ILKHA"));
    assert!(first
        .text
        .starts_with("Senior envoys for U.S. President Donald Trump"));
    assert!(first.text.ends_with("now in its fourth year. (ILKHA)"));
    assert_eq!(first.text.split("\n\n").count(), 13);
    assert!(segmentation.articles[1..].iter().all(|a| a.title.is_none()));
    assert!(segmentation.articles[1]
        .text
        .starts_with("The Hamas Movement"));
    assert!(!segmentation.articles[1].text.contains('\n'));
    assert!(segmentation.articles[2]
        .text
        .starts_with("Indonesia is facing"));
    assert!(segmentation.articles[3]
        .text
        .starts_with("The UN Relief and Works Agency"));
    let dropped: Vec<usize> = segmentation.dropped.iter().map(|d| d.line).collect();
    assert_eq!(dropped, [15]);
    assert_eq!(segmentation.dropped[0].reason, "legal or copyright notice");
    let starts: Vec<usize> = segmentation.boundaries.iter().map(|b| b.line).collect();
    assert_eq!(starts, spans.iter().filter_map(|s| s.0).collect::<Vec<_>>());
}

#[test]
fn crlf_bom_and_hard_wrapped_copies_of_the_seed_give_the_same_stories() {
    let mut embedder = embedder();
    let bytes = std::fs::read(SEED).expect("seed dump is readable");
    let original = segment(SEED, &bytes, &mut embedder);

    let text = String::from_utf8(bytes).expect("seed is UTF-8");
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    assert_eq!(
        segment(SEED, crlf.as_bytes(), &mut embedder).articles,
        original.articles
    );

    let story = &original.articles[0];
    let (first, last) = (story.start_line.unwrap_or(0), story.end_line.unwrap_or(0));
    let mut wrapped = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if first <= i && i < last {
            wrapped.push(String::new());
            wrapped.extend(wrap(line, 72));
        } else {
            wrapped.push(line.to_string());
        }
    }
    let rewrapped = segment(SEED, wrapped.join("\n").as_bytes(), &mut embedder);
    let stories = |s: &Segmentation| -> Vec<(Option<String>, String, Option<String>)> {
        s.articles
            .iter()
            .map(|a| {
                (
                    a.title.clone(),
                    a.text.clone(),
                    a.metadata.source_tag.clone(),
                )
            })
            .collect()
    };
    assert_eq!(stories(&rewrapped), stories(&original));
}
