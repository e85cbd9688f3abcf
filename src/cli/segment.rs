//! `newsdigest segment`: the articles segmentation finds, as JSONL, and with `--explain` why.

use super::args::{InputArgs, ModelArgs, OutputArgs};
use super::common::{input_bytes, next_document, report_warning, report_warning_count, OutputFile};
use super::progress::{bytes_text, duration_text, Progress, Unit};
use super::EXIT_INPUT_WARNINGS;
use anyhow::Context;
use newsdigest::article::Article;
use newsdigest::ingest::Document;
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use newsdigest::script::{first_words, ScriptTally};
use newsdigest::segment::Segmentation;
use newsdigest::stream::{english_only_warning, WindowNumbering};
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Examples printed after `newsdigest segment --help`.
pub const EXAMPLES: &str = "\
Examples:
  newsdigest segment news.txt
      One JSON line per article found: id, line span, title, first words.
  newsdigest segment news.txt --explain | grep dropped
      Why each article starts where it does, and every line left out with the rule that decided it.
  newsdigest segment dumps/ -o spans.jsonl
      Segment a folder of dumps into a file.";

/// Arguments of `newsdigest segment`.
#[derive(Debug, clap::Args)]
pub struct SegmentArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Also print why each article starts where it does, and one record per line left out (dropped
    /// around articles, or omitted from an article's text), with the rule that decided it.
    #[arg(long, help_heading = "Output")]
    explain: bool,
    // The embedding model finds topic shifts between stories.
    #[command(flatten)]
    model: ModelArgs,
}

/// One printed record: an article, or with `--explain` a line left out.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Record<'a> {
    /// An article: id, source, span, title, first words; with `--explain` the cue that started it.
    Article {
        id: &'a str,
        source: &'a str,
        start_line: Option<usize>,
        end_line: Option<usize>,
        title: Option<&'a str>,
        first_words: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'a str>,
    },
    /// A line outside every article (`dropped`) or inside a span but not in the text (`omitted`).
    Line {
        source: &'a str,
        line: usize,
        status: &'static str,
        reason: &'a str,
        text: &'a str,
    },
}

fn article_record<'a>(article: &'a Article, reason: Option<&'a str>) -> Record<'a> {
    Record::Article {
        id: &article.id,
        source: &article.source,
        start_line: article.start_line,
        end_line: article.end_line,
        title: article.title.as_deref(),
        first_words: first_words(&article.text, 12),
        reason,
    }
}

/// Prints one dump window's articles and, with `explain`, its left-out lines, all in line order. Line numbers
/// in `segmentation` are the whole dump's; `lines` are the window's, which starts after `line_offset` lines.
fn write_dump(
    out: &mut impl Write,
    segmentation: &Segmentation,
    lines: &[String],
    line_offset: usize,
    source: &str,
    explain: bool,
) -> anyhow::Result<()> {
    let mut records: Vec<(usize, Record)> = segmentation
        .articles
        .iter()
        .zip(&segmentation.boundaries)
        .map(|(article, boundary)| {
            let reason = explain.then_some(boundary.reason.as_str());
            (boundary.line, article_record(article, reason))
        })
        .collect();
    if explain {
        let left_out = [
            ("dropped", &segmentation.dropped),
            ("omitted", &segmentation.omitted),
        ];
        for (status, dropped) in left_out {
            records.extend(dropped.iter().map(|d| {
                let text = (d.line - 1)
                    .checked_sub(line_offset)
                    .and_then(|i| lines.get(i))
                    .map_or("", String::as_str);
                let record = Record::Line {
                    source,
                    line: d.line,
                    status,
                    reason: &d.reason,
                    text,
                };
                (d.line, record)
            }));
        }
    }
    records.sort_by_key(|(line, record)| (*line, matches!(record, Record::Line { .. })));
    for (_, record) in records {
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Segments every dump (records, JSONL or CSV/TSV, pass through as they are) and prints the result, as a stream: one input
/// at a time, large dumps in windows, so memory stays flat.
pub fn run(args: SegmentArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let progress = Progress::stderr(args.output.quiet);
    // The inputs are found before the model loads, so a wrong path fails at once.
    let mut input = args.input.stream().context("reading inputs")?;
    progress.start("loading the model", Unit::Bytes, None);
    let pipeline = Pipeline::new(args.model.apply(PipelineOptions::default()))
        .context("loading the embedding model")?;
    progress.start("segmenting", Unit::Bytes, input_bytes(&args.input.inputs));
    let mut numbering = WindowNumbering::default();
    let (mut warnings, mut articles) = (0, 0);
    let mut scripts = ScriptTally::default();
    let mut out = OutputFile::create(args.output.output.as_deref())?;
    loop {
        let document = next_document(&mut input, &progress, &mut warnings);
        if let Some(document) = &document {
            scripts.add_document(document);
        }
        match document {
            None => break,
            Some(Document::Record(article)) => {
                serde_json::to_writer(&mut out, &article_record(&article, None))?;
                writeln!(out)?;
                articles += 1;
            }
            Some(Document::Dump(dump)) => {
                let mut segmentation = pipeline.segment(&[&dump])?.remove(0);
                numbering.place(&dump, &mut segmentation);
                write_dump(
                    &mut out,
                    &segmentation,
                    &dump.lines,
                    dump.line_offset,
                    &dump.source,
                    args.explain,
                )?;
                articles += segmentation.articles.len();
            }
        }
        progress.set_position(input.bytes_read());
    }
    out.finish()?;
    progress.finish();
    if let Some(warning) = english_only_warning(&pipeline, &scripts)? {
        report_warning(&warning);
    }
    report_warning_count(warnings);
    if !args.output.quiet {
        let output = args.output.output.as_deref().map(Path::display);
        eprintln!(
            "newsdigest: found {articles} article(s) in {} read, written to {} in {}",
            bytes_text(input.bytes_read()),
            output.map_or("stdout".to_string(), |o| o.to_string()),
            duration_text(started.elapsed())
        );
    }
    Ok(if warnings == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INPUT_WARNINGS)
    })
}
