//! `newsdigest table`: a short human-readable table of an output file, one article per line, fitted to the
//! terminal.

use super::args::OutputArgs;
use super::common::OutputFile;
use anyhow::Context;
use serde::Deserialize;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Examples printed after `newsdigest table --help`.
pub const EXAMPLES: &str = "\
Examples:
  newsdigest table annotated.json
      One line per article, as wide as the terminal.
  newsdigest run news.txt --format jsonl | newsdigest table -
      Read the output of a run from stdin.
  newsdigest table annotated.json --width 200 -o table.txt
      A wider table, into a file.";

/// Table width when stdout is not a terminal and `--width` is not given.
const DEFAULT_WIDTH: usize = 120;

/// Arguments of `newsdigest table`.
#[derive(Debug, clap::Args)]
pub struct TableArgs {
    /// A `newsdigest run` output file (JSON or JSONL), or `-` for stdin.
    #[arg(value_name = "FILE", help_heading = "Input")]
    file: PathBuf,
    #[command(flatten)]
    output: OutputArgs,
    /// Width of the table in terminal columns [default: the terminal's width, or 120 when stdout is not a
    /// terminal].
    #[arg(long, value_name = "COLUMNS", help_heading = "Output")]
    width: Option<usize>,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    label: String,
    title: Option<String>,
    text: String,
    summary: String,
}

#[derive(Deserialize)]
struct Document {
    articles: Vec<Row>,
}

/// Prints id, label, title (or first words) and summary, one article per line.
pub fn run(args: TableArgs) -> anyhow::Result<ExitCode> {
    let name = args.file.display().to_string();
    let mut content = String::new();
    if args.file.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut content)
            .context("reading stdin")?;
    } else {
        content = std::fs::read_to_string(&args.file).with_context(|| format!("reading {name}"))?;
    }
    let rows = parse_rows(&name, &content)?;
    let width = args.width.unwrap_or_else(|| {
        let terminal = std::io::stdout().is_terminal() && args.output.output.is_none();
        terminal
            .then(terminal_size::terminal_size)
            .flatten()
            .map_or(DEFAULT_WIDTH, |(w, _)| usize::from(w.0))
    });
    let mut out = OutputFile::create(args.output.output.as_deref())?;
    for line in render(&rows, width) {
        writeln!(out, "{line}")?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// Rows of a JSON output document or of JSONL, one article per line.
fn parse_rows(name: &str, content: &str) -> anyhow::Result<Vec<Row>> {
    if let Ok(document) = serde_json::from_str::<Document>(content) {
        return Ok(document.articles);
    }
    content
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).with_context(|| format!("{name}:{}: not an article", i + 1))
        })
        .collect()
}

/// The table's lines, none wider than `width` display columns (unless even the id and label columns do not
/// fit): id and label in full, the rest shared by title (two fifths) and summary (three fifths).
fn render(rows: &[Row], width: usize) -> Vec<String> {
    let escaped = |text: &str| newsdigest::terminal::escape_controls(text).width();
    let id_width = column_width("id", rows.iter().map(|r| escaped(&r.id)));
    let label_width = column_width("label", rows.iter().map(|r| escaped(&r.label)));
    let rest = width.saturating_sub(id_width + label_width + 6);
    let title_width = (rest * 2 / 5).max(5);
    let summary_width = rest.saturating_sub(title_width).max(7);
    let line = |id: &str, label: &str, title: &str, summary: &str| {
        let line = format!(
            "{}  {}  {}  {}",
            pad(id, id_width),
            pad(label, label_width),
            pad(&clip(title, title_width), title_width),
            clip(summary, summary_width)
        );
        line.trim_end().to_string()
    };
    std::iter::once(line("id", "label", "title", "summary"))
        .chain(rows.iter().map(|row| {
            let title = row.title.as_deref().unwrap_or(&row.text);
            let id = newsdigest::terminal::escape_controls(&row.id);
            let label = newsdigest::terminal::escape_controls(&row.label);
            line(&id, &label, title, &row.summary)
        }))
        .collect()
}

/// The widest display width among a header and its cells.
fn column_width(header: &str, cells: impl Iterator<Item = usize>) -> usize {
    cells.fold(header.width(), usize::max)
}

/// `text` padded with spaces to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    let padding = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(padding))
}

/// `text` on one line in at most `width` display columns, with an ellipsis when cut (wide characters such as
/// CJK count two columns).
fn clip(text: &str, width: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = newsdigest::terminal::escape_controls(&flat).into_owned();
    if flat.width() <= width {
        return flat;
    }
    let mut clipped = String::new();
    let mut used = 0;
    for c in flat.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        clipped.push(c);
        used += w;
    }
    clipped.push('…');
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, title: &str, summary: &str) -> Row {
        Row {
            id: id.to_string(),
            label: "conflict".to_string(),
            title: Some(title.to_string()),
            text: String::new(),
            summary: summary.to_string(),
        }
    }

    #[test]
    fn every_line_fits_the_width_in_display_columns() {
        let rows = [
            row(
                "a#1",
                &"A long English headline ".repeat(10),
                &"word ".repeat(80),
            ),
            row(
                "b#2",
                &"東京で大きな地震が発生しました".repeat(4),
                &"被害の状況を調べています。".repeat(10),
            ),
            row("c#3", "Short", "Short summary."),
        ];
        for width in [60, 80, 120, 200] {
            let lines = render(&rows, width);
            assert_eq!(lines.len(), 4);
            for line in &lines {
                assert!(
                    line.width() <= width,
                    "{width}: {line:?} is {} wide",
                    line.width()
                );
            }
            assert!(lines[2].contains('…'), "{}", lines[2]);
            assert!(lines[3].ends_with("Short summary."), "{}", lines[3]);
        }
    }

    #[test]
    fn columns_line_up_in_display_width_with_wide_characters() {
        let rows = [row("a#1", "東京の地震", "s"), row("b#2", "Quake", "s")];
        let lines = render(&rows, 80);
        let summary_column = |line: &str| line[..line.rfind('s').unwrap()].width();
        assert_eq!(summary_column(&lines[1]), summary_column(&lines[2]));
    }

    #[test]
    fn clip_keeps_short_text_and_marks_cuts() {
        assert_eq!(clip("a  b\nc", 10), "a b c");
        assert_eq!(clip("abcdefghij", 5), "abcd…");
        assert_eq!(clip("地震地震地震", 5), "地震…");
    }
}
