//! Renderers of an [`EvalReport`]: a plain-text table for the terminal, markdown for pull requests and notes,
//! JSON for scripts, and a self-contained HTML page with charts ([`super::html`]). Text and markdown print the
//! same tables, built once; every format shows numbers rounded to [`crate::rounding::DECIMALS`] decimals.

use super::report::{ArticleRef, BoundaryError, EvalReport, Mislabelled, SegmentationReport};
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

/// The report serialised as pretty-printed JSON, with the field names of [`EvalReport`] and numbers rounded
/// to [`crate::rounding::DECIMALS`] decimals.
pub struct JsonRenderer;

/// The output formats, for choosing a renderer from a command-line option (the doc comments are the
/// command line's help, so they name no Rust items).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportFormat {
    /// Aligned plain-text tables for a person to read.
    #[default]
    Table,
    /// GitHub-flavoured markdown tables.
    Markdown,
    /// Every figure and error list, for scripts (field names as in the README).
    Json,
    /// One self-contained HTML page (no network): heat map, bar charts, tables and error lists.
    Html,
}

impl ReportFormat {
    /// The renderer for this format.
    pub fn renderer(self) -> Box<dyn Renderer> {
        match self {
            ReportFormat::Table => Box::new(TextRenderer),
            ReportFormat::Markdown => Box::new(MarkdownRenderer),
            ReportFormat::Json => Box::new(JsonRenderer),
            ReportFormat::Html => Box::new(super::html::HtmlRenderer),
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
        Ok(crate::rounding::to_rounded_json(report)? + "\n")
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

/// A metric as every table shows it: four decimals, rounded as the JSON report rounds (half away from zero),
/// so the two always agree.
pub(super) fn number(value: f64) -> String {
    format!("{:.4}", crate::rounding::round(value))
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
    let errors = &report.errors;
    if !errors.mislabelled.is_empty() {
        tables.push(mislabelled_table(&errors.mislabelled));
    }
    for (title, boundaries) in [
        ("Missed boundaries", &errors.missed_boundaries),
        ("Extra boundaries", &errors.extra_boundaries),
    ] {
        if !boundaries.is_empty() {
            tables.push(boundaries_table(title, boundaries));
        }
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
    let multi = l.multi_label.as_ref().map_or(String::new(), |m| {
        format!(
            "; label sets ({} gold with several): example F1 {}, micro-F1 {}, macro-F1 {}",
            m.multi_label_gold,
            number(m.example_f1),
            number(m.micro_f1),
            number(m.macro_f1)
        )
    });
    let mut table = Table::new(
        format!(
            "Labels ({} articles): accuracy {}, lenient accuracy {}, macro-F1 {}{multi}",
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

fn mislabelled_table(mislabelled: &[Mislabelled]) -> Table {
    let mut table = Table::new(
        format!("Mislabelled articles ({})", mislabelled.len()),
        &["id", "gold", "predicted", "scores", "title"],
        vec![Align::Left; 5],
    );
    table.rows = mislabelled
        .iter()
        .map(|m| {
            let gold = if m.also.is_empty() {
                m.gold.clone()
            } else {
                format!("{} (also {})", m.gold, m.also.join(", "))
            };
            vec![
                m.article.id.clone(),
                gold,
                m.predicted.clone(),
                top_scores(&m.scores),
                m.article.title.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table
}

/// The three highest scores, highest first: `conflict 0.61, other 0.22, disaster 0.1`.
pub(super) fn top_scores(scores: &std::collections::BTreeMap<String, f64>) -> String {
    let mut sorted: Vec<(&String, &f64)> = scores.iter().collect();
    sorted.sort_by(|a, b| b.1.total_cmp(a.1));
    sorted
        .iter()
        .take(3)
        .map(|(label, score)| format!("{label} {}", crate::rounding::round(**score)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn boundaries_table(title: &str, boundaries: &[BoundaryError]) -> Table {
    let mut table = Table::new(
        format!("{title} ({})", boundaries.len()),
        &["dump", "line", "title"],
        vec![Align::Left, Align::Right, Align::Left],
    );
    table.rows = boundaries
        .iter()
        .map(|b| {
            vec![
                b.dump.clone(),
                b.line.to_string(),
                b.title.clone().unwrap_or_default(),
            ]
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
