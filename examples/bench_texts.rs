//! Prints, for each article of the given inputs, the texts newsdigest embeds for it (title, then sentences, after
//! the length limit), one JSON object `{"id", "texts"}` per line. `scripts/bench` feeds these to
//! sentence-transformers so both sides embed exactly the same sentence units.

use newsdigest::ingest::{Document, InputFormat, InputStream};
use newsdigest::pipeline::{embedded_texts, Pipeline, PipelineOptions};
use std::io::Write;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    anyhow::ensure!(!paths.is_empty(), "usage: bench_texts INPUT...");
    let pipeline = Pipeline::new(PipelineOptions {
        threads: 1,
        ..PipelineOptions::default()
    })?;
    let mut input = InputStream::new(&paths, InputFormat::Auto, None)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for document in input.by_ref() {
        let articles = match document {
            Document::Record(article) => vec![article],
            Document::Dump(dump) => pipeline.segment(&[&dump])?.remove(0).articles,
        };
        for mut article in articles {
            newsdigest::limits::truncate_article(&mut article.text);
            let sentences = pipeline.sentences(&article.text);
            let texts: Vec<&str> = embedded_texts(&article, &sentences).collect();
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({"id": article.id, "texts": texts}),
            )?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    for warning in input.take_warnings() {
        eprintln!("bench_texts: warning: {warning}");
    }
    Ok(())
}
