//! `newsdigest segment`: the articles segmentation finds, as JSONL, and with `--explain` why.

use super::common::{report_warning, report_warning_count, InputArgs};
use super::EXIT_INPUT_WARNINGS;
use anyhow::Context;
use newsdigest::article::Article;
use newsdigest::ingest::{Document, InputStream};
use newsdigest::pipeline::{Pipeline, PipelineOptions};
use newsdigest::segment::{Segmentation, WindowNumbering};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `newsdigest segment`.
#[derive(Debug, clap::Args)]
pub struct SegmentArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Also print why each article starts where it does, and one record per line left out (dropped
    /// around articles, or omitted from an article's text), with the rule that decided it.
    #[arg(long)]
    explain: bool,
    /// Embedding model folder, used to find topic shifts.
    #[arg(long)]
    model_dir: Option<PathBuf>,
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
        first_words: article
            .text
            .split_whitespace()
            .take(12)
            .collect::<Vec<_>>()
            .join(" "),
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

/// Segments every dump (JSONL records pass through as they are) and prints the result, as a stream: one input
/// at a time, large dumps in windows, so memory stays flat.
pub fn run(args: SegmentArgs) -> anyhow::Result<ExitCode> {
    // The inputs are found before the model loads, so a wrong path fails at once.
    let mut input = InputStream::new(
        &args.input.inputs,
        args.input.input_format,
        Some(newsdigest::limits::DUMP_WINDOW_BYTES),
    )
    .context("reading inputs")?;
    let defaults = PipelineOptions::default();
    let pipeline = Pipeline::new(PipelineOptions {
        model_dir: args.model_dir.clone().unwrap_or(defaults.model_dir),
        ..defaults
    })
    .context("loading the embedding model")?;
    let mut numbering = WindowNumbering::default();
    let mut warnings = 0;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    loop {
        let document = input.next();
        for warning in input.take_warnings() {
            report_warning(&warning);
            warnings += 1;
        }
        match document {
            None => break,
            Some(Document::Record(article)) => {
                serde_json::to_writer(&mut out, &article_record(&article, None))?;
                writeln!(out)?;
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
            }
        }
    }
    out.flush()?;
    report_warning_count(warnings);
    Ok(if warnings == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INPUT_WARNINGS)
    })
}
