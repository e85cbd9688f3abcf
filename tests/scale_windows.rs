//! A dump too large to segment at once is segmented in windows cut at article breaks; ids and spans run on
//! across windows as if the dump had been segmented whole, and labels, scores and summaries are the same.

use newsdigest::ingest::{InputFormat, InputStream, Warning};
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use newsdigest::stream::{annotate_stream, Finished, Shard, ShardPlan, StreamOptions, StreamSink};
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
    let options = StreamOptions {
        // Annotating a quarter of the articles is enough to compare ids and spans.
        shard: Some(ShardPlan::by_article_id("0/4".parse::<Shard>().unwrap())),
        ..StreamOptions::default()
    };
    let mut sink = Spans::default();
    annotate_stream(pipeline, &mut input, options, None, &mut sink).unwrap();
    sink
}

#[test]
fn a_dump_segmented_in_windows_gets_the_ids_and_spans_of_the_whole_dump() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.txt");
    // One layout repeated: the segmenter reads a dump's layout from the dump as a whole, so windows agree
    // with the whole dump where the layout does not change from one window to the next.
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
    assert!(whole.0.len() > 5);
    // Scores to the last bit, at the default precision (bf16-checked on CPUs with native bf16): the windows
    // embed their sentences in other batches than the whole dump, and a text's vector does not depend on them.
    assert_eq!(windowed.0, whole.0);
}
