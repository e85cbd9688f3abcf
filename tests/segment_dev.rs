//! The segmenter on the hand-labelled dev set, with the real MiniLM model: spans, boundaries and titles
//! against gold, and the figures the project targets.

use newsdigest::embed::MiniLmEmbedder;
use newsdigest::eval::segmentation::{aggregate, score_dump, DumpScore, Span};
use newsdigest::ingest::{decode_lines, Dump};
use newsdigest::segment::{DumpSegmenter, Segmenter};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(serde::Deserialize)]
struct GoldArticle {
    dump: String,
    #[serde(flatten)]
    span: Span,
}

fn read_dump(path: &Path) -> Dump {
    let bytes = std::fs::read(path).expect("dump is readable");
    let (lines, _) = decode_lines(&path.display().to_string(), &bytes);
    Dump::new(path.display().to_string(), lines)
}

/// Segments every dump of a gold folder and scores it, printing the figures per dump and overall.
fn score_folder(folder: &Path, embedder: &mut MiniLmEmbedder) -> (Vec<DumpScore>, DumpScore) {
    let gold_text =
        std::fs::read_to_string(folder.join("gold.jsonl")).expect("gold.jsonl is readable");
    let mut gold: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    for line in gold_text.lines().filter(|l| !l.trim().is_empty()) {
        let article: GoldArticle = serde_json::from_str(line).expect("gold line parses");
        gold.entry(article.dump).or_default().push(article.span);
    }
    let mut scores = Vec::new();
    for (name, spans) in &gold {
        let dump = read_dump(&folder.join("dumps").join(name));
        let segmentation = DumpSegmenter
            .segment(&dump, embedder)
            .expect("segmentation runs");
        let predicted: Vec<Span> = segmentation
            .articles
            .iter()
            .filter_map(Span::of_article)
            .collect();
        for (p, b) in predicted.iter().zip(&segmentation.boundaries) {
            println!(
                "  {name}: {}-{} {:?} [{}]",
                p.start, p.end, p.title, b.reason
            );
        }
        for dropped in &segmentation.dropped {
            println!(
                "  {name}: dropped line {}: {}",
                dropped.line, dropped.reason
            );
        }
        let score = score_dump(name, dump.lines.len(), spans, &predicted);
        println!(
            "{name}: P {:.3} R {:.3} F1 {:.3} Pk {:.3} WD {:.3} exact {}/{} titles {}/{}",
            score.boundary_precision,
            score.boundary_recall,
            score.boundary_f1,
            score.pk,
            score.window_diff,
            score.exact_spans,
            score.gold_articles,
            score.titles_correct,
            score.gold_articles
        );
        scores.push(score);
    }
    let total = aggregate(&scores).total;
    println!(
        "ALL {}: P {:.3} R {:.3} F1 {:.3} Pk {:.3} WD {:.3} exact {:.3} titles {:.3}",
        folder.display(),
        total.boundary_precision,
        total.boundary_recall,
        total.boundary_f1,
        total.pk,
        total.window_diff,
        total.exact_span_accuracy,
        total.title_accuracy
    );
    (scores, total)
}

fn embedder() -> MiniLmEmbedder {
    MiniLmEmbedder::load(&newsdigest::models::default_embedding_model_dir())
        .expect("MiniLM model loads")
}

#[test]
fn dev_set_meets_the_segmentation_targets() {
    let mut embedder = embedder();
    let (_, total) = score_folder(Path::new("tests/data/dev"), &mut embedder);
    assert_eq!(total.gold_articles, 48);
    assert!(
        total.boundary_f1 >= 0.97,
        "boundary F1 {:.3}",
        total.boundary_f1
    );
    assert!(total.pk <= 0.03, "Pk {:.3}", total.pk);
    assert!(
        total.exact_span_accuracy >= 0.95,
        "exact spans {:.3}",
        total.exact_span_accuracy
    );
    assert!(
        total.title_accuracy >= 0.95,
        "titles {:.3}",
        total.title_accuracy
    );
}
