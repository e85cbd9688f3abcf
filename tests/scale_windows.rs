//! A dump too large to segment at once is segmented in windows cut at article breaks; ids and spans run on
//! across windows, and most articles come out as in a whole-dump run, with the same labels, scores and
//! summaries.

use newsdigest::ingest::{InputFormat, InputStream, Warning};
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use newsdigest::stream::{annotate_stream, Finished, StreamOptions, StreamSink};
use std::path::PathBuf;

/// Id, first line, last line, title, scores and summary of an article.
type Span = (
    String,
    Option<usize>,
    Option<usize>,
    Option<String>,
    Vec<(String, f32)>,
    String,
);

#[derive(Default)]
struct Spans(Vec<Span>);

impl StreamSink for Spans {
    fn warning(&mut self, warning: Warning) {
        panic!("unexpected warning: {warning}");
    }

    fn found(&mut self, _count: usize) {}

    fn finished(&mut self, article: Finished) -> newsdigest::Result<()> {
        let annotated = article.annotated;
        let a = annotated.article;
        let scores = annotated.prediction.scores.into_iter().collect();
        let summary = annotated.summary.text;
        self.0
            .push((a.id, a.start_line, a.end_line, a.title, scores, summary));
        Ok(())
    }
}

fn spans(pipeline: &Pipeline, path: &PathBuf, window_bytes: Option<usize>) -> Spans {
    let mut input =
        InputStream::new(std::slice::from_ref(path), InputFormat::Auto, window_bytes).unwrap();
    let mut sink = Spans::default();
    annotate_stream(
        pipeline,
        &mut input,
        StreamOptions::default(),
        None,
        &mut sink,
    )
    .unwrap();
    sink
}

#[test]
fn a_dump_segmented_in_windows_gets_running_ids_and_mostly_the_spans_of_the_whole_dump() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.txt");
    // One layout repeated: the boundary model measures lines against the statistics of the window it is given,
    // so windows agree with the whole dump best where the layout does not change from one window to the next.
    let dump = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/dev/dumps/dump01_meridian_wire.txt"
    );
    let copy = std::fs::read_to_string(dump).unwrap();
    let text = format!("{}\n\n\n", copy.trim_end()).repeat(8);
    std::fs::write(&path, text).unwrap();
    let windows = InputStream::new(std::slice::from_ref(&path), InputFormat::Auto, Some(20_000))
        .unwrap()
        .count();
    assert!(windows >= 3, "{windows} windows");
    let pipeline = Pipeline::new(PipelineOptions::default()).unwrap();
    let whole = spans(&pipeline, &path, None);
    let windowed = spans(&pipeline, &path, Some(20_000));
    assert!(whole.0.len() > 20);
    // Ids run on across windows: archive#1, #2, ... in line order, with spans that never overlap.
    for run in [&whole, &windowed] {
        for (n, article) in run.0.iter().enumerate() {
            assert_eq!(article.0, format!("archive#{}", n + 1));
        }
        for pair in run.0.windows(2) {
            assert!(
                pair[0].2 < pair[1].1,
                "{:?} then {:?}",
                pair[0].1,
                pair[1].1
            );
        }
    }
    // Most articles keep their span; one with the same span gets the same title, scores (to the last bit, at
    // the default precision: a text's vector does not depend on its batch-mates) and summary.
    let same: Vec<&Span> = windowed
        .0
        .iter()
        .filter(|w| {
            whole
                .0
                .iter()
                .any(|a| (a.1, a.2) == (w.1, w.2) && (&a.3, &a.4, &a.5) == (&w.3, &w.4, &w.5))
        })
        .collect();
    assert!(
        same.len() * 4 >= whole.0.len() * 3,
        "{} of {} articles kept their span and annotations",
        same.len(),
        whole.0.len()
    );
}
