//! Renderers of an [`EvalReport`]: a plain-text table for the terminal, markdown for pull requests and notes,
//! JSON for scripts. Text and markdown print the same tables, built once.

use super::report::{ArticleRef, EvalReport, SegmentationReport};
use crate::error::Result;

/// Turns a report into text in one output format.
pub trait Renderer {
    /// Renders the whole report, ending with a newline.
    fn render(&self, report: &EvalReport) -> Result<String>;
}

/// Aligned plain-text columns, for reading in a terminal.
pub struct TextRenderer;

/// GitHub-flavoured markdown tables under `###` headings.
pub struct MarkdownRenderer;

/// The report serialised as pretty-printed JSON, with the field names of [`EvalReport`].
pub struct JsonRenderer;

/// The output formats, for choosing a renderer from a command-line option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportFormat {
    /// [`TextRenderer`]: aligned plain-text tables for a person to read.
    #[default]
    Table,
    /// [`MarkdownRenderer`].
    Markdown,
    /// [`JsonRenderer`].
    Json,
}

impl ReportFormat {
    /// The renderer for this format.
    pub fn renderer(self) -> Box<dyn Renderer> {
        match self {
            ReportFormat::Table => Box::new(TextRenderer),
            ReportFormat::Markdown => Box::new(MarkdownRenderer),
            ReportFormat::Json => Box::new(JsonRenderer),
        }
    }
}

impl Renderer for TextRenderer {
    fn render(&self, report: &EvalReport) -> Result<String> {
        let blocks: Vec<String> = tables(report)
            .iter()
            .map(|table| {
                let widths = table.column_widths();
                let mut lines = vec![table.title.clone()];
                for row in std::iter::once(&table.header).chain(&table.rows) {
                    let cells: Vec<String> = row
                        .iter()
                        .zip(&widths)
                        .enumerate()
                        .map(|(i, (cell, &width))| match table.alignments[i] {
                            Align::Left => format!("{cell:<width$}"),
                            Align::Right => format!("{cell:>width$}"),
                        })
                        .collect();
                    lines.push(format!("  {}", cells.join("  ").trim_end()));
                }
                lines.join("\n")
            })
            .collect();
        Ok(blocks.join("\n\n") + "\n")
    }
}

impl Renderer for MarkdownRenderer {
    fn render(&self, report: &EvalReport) -> Result<String> {
        let blocks: Vec<String> = tables(report)
            .iter()
            .map(|table| {
                let row = |cells: &[String]| {
                    let escaped: Vec<String> =
                        cells.iter().map(|c| c.replace('|', "\\|")).collect();
                    format!("| {} |", escaped.join(" | "))
                };
                let rule: Vec<&str> = table
                    .alignments
                    .iter()
                    .map(|a| match a {
                        Align::Left => "---",
                        Align::Right => "---:",
                    })
                    .collect();
                let mut lines = vec![
                    format!("### {}", table.title),
                    String::new(),
                    row(&table.header),
                    format!("| {} |", rule.join(" | ")),
                ];
                lines.extend(table.rows.iter().map(|r| row(r)));
                lines.join("\n")
            })
            .collect();
        Ok(blocks.join("\n\n") + "\n")
    }
}

impl Renderer for JsonRenderer {
    fn render(&self, report: &EvalReport) -> Result<String> {
        Ok(serde_json::to_string_pretty(report)? + "\n")
    }
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Right,
}

/// A titled table of strings; text columns are left-aligned, numbers right-aligned.
struct Table {
    title: String,
    header: Vec<String>,
    alignments: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(title: String, header: &[&str], alignments: Vec<Align>) -> Self {
        Table {
            title,
            header: header.iter().map(|h| h.to_string()).collect(),
            alignments,
            rows: Vec::new(),
        }
    }

    fn column_widths(&self) -> Vec<usize> {
        (0..self.header.len())
            .map(|i| {
                std::iter::once(&self.header)
                    .chain(&self.rows)
                    .map(|row| row[i].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }
}

fn number(value: f64) -> String {
    format!("{value:.4}")
}

/// The report's tables, in printing order.
fn tables(report: &EvalReport) -> Vec<Table> {
    let mut tables = vec![alignment_table(report)];
    if let Some(segmentation) = &report.segmentation {
        tables.push(segmentation_table(segmentation));
    }
    // A metric no gold article could be scored on is left out; the left-out table says why.
    if report.labels.count > 0 {
        tables.push(labels_table(report));
        tables.push(confusion_table(report));
    }
    if report.summaries.count > 0 {
        tables.push(summaries_table(report));
    }
    let left_out = &report.left_out;
    if left_out.segmentation + left_out.labels + left_out.summaries > 0 {
        tables.push(left_out_table(report));
    }
    for (title, articles) in [
        ("Unmatched gold articles", &report.alignment.unmatched_gold),
        (
            "Unmatched predicted articles",
            &report.alignment.unmatched_predicted,
        ),
    ] {
        if !articles.is_empty() {
            tables.push(articles_table(title, articles));
        }
    }
    tables
}

fn alignment_table(report: &EvalReport) -> Table {
    let a = &report.alignment;
    let by = match a.by {
        super::align::AlignBy::Id => "id",
        super::align::AlignBy::Span => "span",
    };
    let mut table = Table::new(
        format!("Alignment (by {by})"),
        &[
            "gold",
            "predicted",
            "matched",
            "unmatched gold",
            "unmatched predicted",
        ],
        vec![Align::Right; 5],
    );
    table.rows.push(
        [
            a.gold,
            a.predicted,
            a.matched,
            a.unmatched_gold.len(),
            a.unmatched_predicted.len(),
        ]
        .iter()
        .map(usize::to_string)
        .collect(),
    );
    table
}

fn left_out_table(report: &EvalReport) -> Table {
    let l = &report.left_out;
    let mut table = Table::new(
        "Gold articles left out of a metric (the gold lacks spans, label or summary)".to_string(),
        &["segmentation", "labels", "summaries"],
        vec![Align::Right; 3],
    );
    table.rows.push(vec![
        l.segmentation.to_string(),
        l.labels.to_string(),
        l.summaries.to_string(),
    ]);
    table
}

fn segmentation_table(segmentation: &SegmentationReport) -> Table {
    let mut table = Table::new(
        format!("Segmentation ({} dumps)", segmentation.overall.dumps),
        &[
            "dump",
            "gold",
            "predicted",
            "boundary P",
            "boundary R",
            "boundary F1",
            "Pk",
            "WindowDiff",
            "exact spans",
            "titles",
        ],
        std::iter::once(Align::Left)
            .chain([Align::Right; 9])
            .collect(),
    );
    table.rows = segmentation
        .per_dump
        .iter()
        .chain(std::iter::once(&segmentation.overall.total))
        .map(|s| {
            vec![
                s.counts.dump.clone(),
                s.counts.gold_articles.to_string(),
                s.counts.predicted_articles.to_string(),
                number(s.boundary_precision),
                number(s.boundary_recall),
                number(s.boundary_f1),
                number(s.pk),
                number(s.window_diff),
                number(s.exact_span_accuracy),
                number(s.title_accuracy),
            ]
        })
        .collect();
    table
}

fn labels_table(report: &EvalReport) -> Table {
    let l = &report.labels;
    let mut table = Table::new(
        format!(
            "Labels ({} articles): accuracy {}, lenient accuracy {}, macro-F1 {}",
            l.count,
            number(l.accuracy),
            number(l.lenient_accuracy),
            number(l.macro_f1)
        ),
        &["label", "precision", "recall", "f1", "support"],
        vec![
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
    );
    table.rows = l
        .per_label
        .iter()
        .map(|s| {
            vec![
                s.label.clone(),
                number(s.precision),
                number(s.recall),
                number(s.f1),
                s.support.to_string(),
            ]
        })
        .collect();
    table
}

fn confusion_table(report: &EvalReport) -> Table {
    let confusion = &report.labels.confusion;
    let mut header = vec!["gold \\ predicted"];
    header.extend(confusion.labels.iter().map(String::as_str));
    let mut alignments = vec![Align::Left];
    alignments.extend(confusion.labels.iter().map(|_| Align::Right));
    let mut table = Table::new("Confusion matrix".to_string(), &header, alignments);
    table.rows = confusion
        .labels
        .iter()
        .zip(&confusion.counts)
        .map(|(label, counts)| {
            std::iter::once(label.clone())
                .chain(counts.iter().map(usize::to_string))
                .collect()
        })
        .collect();
    table
}

fn summaries_table(report: &EvalReport) -> Table {
    let s = &report.summaries;
    let mut table = Table::new(
        format!("Summaries ({} articles): system beside Lead-3", s.count),
        &[
            "metric", "system P", "system R", "system F", "lead-3 P", "lead-3 R", "lead-3 F",
        ],
        std::iter::once(Align::Left)
            .chain([Align::Right; 6])
            .collect(),
    );
    table.rows = s
        .system
        .named_variants()
        .iter()
        .zip(s.lead3.named_variants())
        .map(|((name, system), (_, lead3))| {
            std::iter::once(name.to_string())
                .chain(system.named_parts().iter().map(|(_, v)| number(*v)))
                .chain(lead3.named_parts().iter().map(|(_, v)| number(*v)))
                .collect()
        })
        .collect();
    table
}

fn articles_table(title: &str, articles: &[ArticleRef]) -> Table {
    let mut table = Table::new(
        format!("{title} ({})", articles.len()),
        &["id", "file", "lines", "title"],
        vec![Align::Left; 4],
    );
    table.rows = articles
        .iter()
        .map(|a| {
            let lines = match (a.start_line, a.end_line) {
                (Some(start), Some(end)) => format!("{start}-{end}"),
                _ => "-".to_string(),
            };
            vec![
                a.id.clone(),
                a.file.clone().unwrap_or_else(|| "-".to_string()),
                lines,
                a.title.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table
}
