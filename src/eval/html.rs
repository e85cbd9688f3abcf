//! The evaluation report as one self-contained HTML page to open in a browser or attach to a review: no
//! scripts, fonts or images from elsewhere, charts drawn as inline SVG. It shows the confusion matrix as a heat
//! map, precision and recall per label as bars, ROUGE of the system beside Lead-3, segmentation per dump, and
//! every error list.
//!
//! Every figure carries `data-metric`, the JSON pointer of the same figure in `--format json` (e.g.
//! `/labels/per_label/0/recall`), so a test or a script can check the page against the JSON report.

use super::render::{number, top_scores, Renderer};
use super::report::{ArticleRef, BoundaryError, EvalReport};
use crate::error::Result;
use std::fmt::Write;

/// Renders the report as a self-contained HTML page.
pub struct HtmlRenderer;

/// Page style: readable on screen and in print, no external fonts.
const STYLE: &str = "
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1d2330; margin: 2rem auto;
       max-width: 1100px; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #d8dce6; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin-top: 1.4rem; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.card { border: 1px solid #d8dce6; border-radius: 6px; padding: .6rem .9rem; min-width: 9rem; }
.card .value { font-size: 1.5rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .name { color: #5b6478; font-size: .85rem; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .9rem; }
th, td { border-bottom: 1px solid #e4e7ee; padding: .25rem .6rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; border-top: 2px solid #c5cad6; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
svg text { font: 12px system-ui, sans-serif; fill: #1d2330; }
.muted { color: #5b6478; }
";

/// Colours of the bars: system / precision, Lead-3 / recall.
const FIRST: &str = "#3b6fd8";
const SECOND: &str = "#f08c3c";

impl Renderer for HtmlRenderer {
    fn render(&self, report: &EvalReport) -> Result<String> {
        let mut page = String::new();
        page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
        page += "<title>newsdigest evaluation</title>\n";
        page += &format!("<style>{STYLE}</style>\n</head>\n<body>\n");
        page += "<h1>newsdigest evaluation</h1>\n";
        page += &overview(report);
        page += &labels_section(report);
        page += &summaries_section(report);
        page += &segmentation_section(report);
        page += &errors_section(report);
        page += "</body>\n</html>\n";
        Ok(page)
    }
}

/// Text with `<`, `>`, `&` and quotes escaped.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => escaped += "&lt;",
            '>' => escaped += "&gt;",
            '&' => escaped += "&amp;",
            '"' => escaped += "&quot;",
            '\'' => escaped += "&#39;",
            c => escaped.push(c),
        }
    }
    escaped
}

/// A figure tagged with its JSON pointer.
fn metric(pointer: &str, text: &str) -> String {
    format!("<span data-metric=\"{pointer}\">{}</span>", escape(text))
}

/// A table cell holding a figure tagged with its JSON pointer.
fn metric_cell(pointer: &str, text: &str) -> String {
    format!(
        "<td class=\"n\" data-metric=\"{pointer}\">{}</td>",
        escape(text)
    )
}

fn card(name: &str, pointer: &str, value: &str) -> String {
    format!(
        "<div class=\"card\"><div class=\"value\">{}</div><div class=\"name\">{}</div></div>\n",
        metric(pointer, value),
        escape(name)
    )
}

fn overview(report: &EvalReport) -> String {
    let a = &report.alignment;
    let by = match a.by {
        super::align::AlignBy::Id => "id",
        super::align::AlignBy::Span => "line span",
    };
    let mut html = format!(
        "<p class=\"muted\">{} gold and {} predicted articles, {} paired by {by}; {} gold and {} predicted \
         left unpaired.</p>\n<div class=\"cards\">\n",
        metric("/alignment/gold", &a.gold.to_string()),
        metric("/alignment/predicted", &a.predicted.to_string()),
        metric("/alignment/matched", &a.matched.to_string()),
        a.unmatched_gold.len(),
        a.unmatched_predicted.len(),
    );
    html += &card(
        "label accuracy",
        "/labels/accuracy",
        &number(report.labels.accuracy),
    );
    html += &card(
        "label macro-F1",
        "/labels/macro_f1",
        &number(report.labels.macro_f1),
    );
    if let Some(segmentation) = &report.segmentation {
        html += &card(
            "boundary F1",
            "/segmentation/total/boundary_f1",
            &number(segmentation.overall.total.boundary_f1),
        );
    }
    if report.summaries.count > 0 {
        html += &card(
            "ROUGE-L F, system",
            "/summaries/system/rougeL/f",
            &number(report.summaries.system.rouge_l.f),
        );
        html += &card(
            "ROUGE-L F, Lead-3",
            "/summaries/lead3/rougeL/f",
            &number(report.summaries.lead3.rouge_l.f),
        );
    }
    html += "</div>\n";
    html
}

fn labels_section(report: &EvalReport) -> String {
    let l = &report.labels;
    let mut html = format!(
        "<h2 id=\"labels\">Labels</h2>\n<p>{} articles: accuracy {}, lenient accuracy {}, macro-F1 {}.</p>\n",
        metric("/labels/count", &l.count.to_string()),
        metric("/labels/accuracy", &number(l.accuracy)),
        metric("/labels/lenient_accuracy", &number(l.lenient_accuracy)),
        metric("/labels/macro_f1", &number(l.macro_f1)),
    );
    if l.count == 0 {
        return html;
    }
    html += "<div class=\"charts\">\n<figure>\n";
    html += &heat_map(report);
    html += "<figcaption>Confusion matrix: gold label (rows) against predicted label (columns).</figcaption>\n";
    html += "</figure>\n<figure>\n";
    let bars: Vec<(String, [(String, f64); 2])> = l
        .per_label
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                s.label.clone(),
                [
                    (format!("/labels/per_label/{i}/precision"), s.precision),
                    (format!("/labels/per_label/{i}/recall"), s.recall),
                ],
            )
        })
        .collect();
    html += &bar_chart(
        "precision and recall per label",
        &bars,
        ["precision", "recall"],
    );
    html += "<figcaption>Precision and recall per label.</figcaption>\n</figure>\n</div>\n";
    html += "<table>\n<tr><th>label</th><th class=\"n\">precision</th><th class=\"n\">recall</th>\
             <th class=\"n\">F1</th><th class=\"n\">support</th></tr>\n";
    for (i, s) in l.per_label.iter().enumerate() {
        let _ = writeln!(
            html,
            "<tr><td>{}</td>{}{}{}{}</tr>",
            escape(&s.label),
            metric_cell(
                &format!("/labels/per_label/{i}/precision"),
                &number(s.precision)
            ),
            metric_cell(&format!("/labels/per_label/{i}/recall"), &number(s.recall)),
            metric_cell(&format!("/labels/per_label/{i}/f1"), &number(s.f1)),
            metric_cell(
                &format!("/labels/per_label/{i}/support"),
                &s.support.to_string()
            ),
        );
    }
    html += "</table>\n";
    html
}

/// The confusion matrix as an SVG heat map: each cell shaded by its share of the row (the gold label).
fn heat_map(report: &EvalReport) -> String {
    let confusion = &report.labels.confusion;
    let n = confusion.labels.len();
    let (cell, left, top) = (56.0, 110.0, 96.0);
    let width = left + cell * n as f64 + 10.0;
    let height = top + cell * n as f64 + 10.0;
    let mut svg = format!(
        "<svg width=\"{width}\" height=\"{height}\" role=\"img\" \
         aria-label=\"confusion matrix\">\n"
    );
    let _ = writeln!(
        svg,
        "<text x=\"{}\" y=\"14\" text-anchor=\"middle\" class=\"muted\">predicted</text>",
        left + cell * n as f64 / 2.0
    );
    for (j, label) in confusion.labels.iter().enumerate() {
        let x = left + cell * (j as f64 + 0.5);
        let _ = writeln!(
            svg,
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"start\" transform=\"rotate(-40 {x} {})\">{}</text>",
            top - 8.0,
            top - 8.0,
            escape(label)
        );
    }
    for (i, (label, row)) in confusion.labels.iter().zip(&confusion.counts).enumerate() {
        let y = top + cell * i as f64;
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + cell / 2.0 + 4.0,
            escape(label)
        );
        let row_total: usize = row.iter().sum();
        for (j, &count) in row.iter().enumerate() {
            let share = if row_total == 0 {
                0.0
            } else {
                count as f64 / row_total as f64
            };
            let x = left + cell * j as f64;
            // Correct predictions in blue, errors in red, darker with their share of the row.
            let (r, g, b) = if i == j {
                (59, 111, 216)
            } else {
                (214, 69, 65)
            };
            let _ = writeln!(
                svg,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"rgb({r},{g},{b})\" \
                 fill-opacity=\"{:.3}\" stroke=\"#ffffff\"/>",
                0.08 + 0.82 * share
            );
            let colour = if share > 0.55 { "#ffffff" } else { "#1d2330" };
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" style=\"fill:{colour}\" \
                 data-metric=\"/labels/confusion/counts/{i}/{j}\">{count}</text>",
                x + cell / 2.0,
                y + cell / 2.0 + 4.0
            );
        }
    }
    svg += "</svg>\n";
    svg
}

/// Grouped horizontal bars on a 0–1 scale: one group per row, two bars each, with their values.
fn bar_chart(label: &str, rows: &[(String, [(String, f64); 2])], series: [&str; 2]) -> String {
    let (left, bar, gap, scale) = (110.0, 13.0, 12.0, 300.0);
    let group = 2.0 * bar + gap;
    let top = 28.0;
    let height = top + group * rows.len() as f64 + 6.0;
    let width = left + scale + 60.0;
    let mut svg = format!(
        "<svg width=\"{width}\" height=\"{height}\" role=\"img\" \
         aria-label=\"{}\">\n",
        escape(label)
    );
    for (k, (name, colour)) in series.iter().zip([FIRST, SECOND]).enumerate() {
        let x = left + 130.0 * k as f64;
        let _ = writeln!(
            svg,
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{colour}\"/>\
             <text x=\"{}\" y=\"14\">{}</text>",
            x + 17.0,
            escape(name)
        );
    }
    for (i, (name, values)) in rows.iter().enumerate() {
        let y = top + group * i as f64;
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + bar + 4.0,
            escape(name)
        );
        for (k, ((pointer, value), colour)) in values.iter().zip([FIRST, SECOND]).enumerate() {
            let bar_y = y + bar * k as f64;
            let length = scale * value.clamp(0.0, 1.0);
            let _ = writeln!(
                svg,
                "<rect x=\"{left}\" y=\"{bar_y}\" width=\"{length:.1}\" height=\"{}\" fill=\"{colour}\"/>\
                 <text x=\"{:.1}\" y=\"{}\" data-metric=\"{pointer}\">{}</text>",
                bar - 1.0,
                left + length + 4.0,
                bar_y + bar - 3.0,
                number(*value)
            );
        }
    }
    svg += "</svg>\n";
    svg
}

fn summaries_section(report: &EvalReport) -> String {
    let s = &report.summaries;
    let mut html = format!(
        "<h2 id=\"summaries\">Summaries</h2>\n<p>ROUGE over {} articles with a reference summary: the \
         system beside the Lead-3 baseline (the article's first three sentences).</p>\n",
        metric("/summaries/count", &s.count.to_string())
    );
    if s.count == 0 {
        return html;
    }
    let rows: Vec<(String, [(String, f64); 2])> = s
        .system
        .named_variants()
        .iter()
        .zip(s.lead3.named_variants())
        .map(|((name, system), (_, lead3))| {
            (
                format!("{name} F"),
                [
                    (format!("/summaries/system/{name}/f"), system.f),
                    (format!("/summaries/lead3/{name}/f"), lead3.f),
                ],
            )
        })
        .collect();
    html += "<figure>\n";
    html += &bar_chart("ROUGE F, system and Lead-3", &rows, ["system", "Lead-3"]);
    html += "<figcaption>ROUGE F1 of the system summaries and of Lead-3.</figcaption>\n</figure>\n";
    html += "<table>\n<tr><th>metric</th><th class=\"n\">system P</th><th class=\"n\">system R</th>\
             <th class=\"n\">system F</th><th class=\"n\">Lead-3 P</th><th class=\"n\">Lead-3 R</th>\
             <th class=\"n\">Lead-3 F</th></tr>\n";
    for ((name, system), (_, lead3)) in s
        .system
        .named_variants()
        .iter()
        .zip(s.lead3.named_variants())
    {
        let _ = write!(html, "<tr><td>{name}</td>");
        for (side, scores) in [("system", system), ("lead3", &lead3)] {
            for (part, value) in scores.named_parts() {
                html += &metric_cell(&format!("/summaries/{side}/{name}/{part}"), &number(value));
            }
        }
        html += "</tr>\n";
    }
    html += "</table>\n";
    html
}

fn segmentation_section(report: &EvalReport) -> String {
    let Some(segmentation) = &report.segmentation else {
        return "<h2 id=\"segmentation\">Segmentation</h2>\n<p>The gold has no dumps with line spans.</p>\n"
            .to_string();
    };
    let mut html = format!(
        "<h2 id=\"segmentation\">Segmentation</h2>\n<p>{} dumps. Boundary precision and recall count \
         article starts; Pk and WindowDiff are error rates (lower is better).</p>\n",
        metric("/segmentation/dumps", &segmentation.overall.dumps.to_string())
    );
    html += "<table>\n<tr><th>dump</th><th class=\"n\">gold</th><th class=\"n\">predicted</th>\
             <th class=\"n\">boundary P</th><th class=\"n\">boundary R</th><th class=\"n\">boundary F1</th>\
             <th class=\"n\">Pk</th><th class=\"n\">WindowDiff</th><th class=\"n\">exact spans</th>\
             <th class=\"n\">titles</th></tr>\n";
    let rows = segmentation
        .per_dump
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("/segmentation/per_dump/{i}"), s, ""))
        .chain(std::iter::once((
            "/segmentation/total".to_string(),
            &segmentation.overall.total,
            " class=\"total\"",
        )));
    for (pointer, s, class) in rows {
        let _ = write!(
            html,
            "<tr{class}><td>{}</td>{}{}",
            escape(&s.counts.dump),
            metric_cell(
                &format!("{pointer}/gold_articles"),
                &s.counts.gold_articles.to_string()
            ),
            metric_cell(
                &format!("{pointer}/predicted_articles"),
                &s.counts.predicted_articles.to_string()
            ),
        );
        for (field, value) in [
            ("boundary_precision", s.boundary_precision),
            ("boundary_recall", s.boundary_recall),
            ("boundary_f1", s.boundary_f1),
            ("pk", s.pk),
            ("window_diff", s.window_diff),
            ("exact_span_accuracy", s.exact_span_accuracy),
            ("title_accuracy", s.title_accuracy),
        ] {
            html += &metric_cell(&format!("{pointer}/{field}"), &number(value));
        }
        html += "</tr>\n";
    }
    html += "</table>\n";
    html
}

fn errors_section(report: &EvalReport) -> String {
    let errors = &report.errors;
    let mut html = "<h2 id=\"errors\">Errors</h2>\n".to_string();
    let _ = writeln!(
        html,
        "<h3>Mislabelled articles ({})</h3>",
        errors.mislabelled.len()
    );
    if errors.mislabelled.is_empty() {
        html += "<p class=\"muted\">None.</p>\n";
    } else {
        html += "<table>\n<tr><th>id</th><th>gold</th><th>predicted</th><th>scores</th><th>title</th></tr>\n";
        for m in &errors.mislabelled {
            let gold = if m.also.is_empty() {
                m.gold.clone()
            } else {
                format!("{} (also {})", m.gold, m.also.join(", "))
            };
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&m.article.id),
                escape(&gold),
                escape(&m.predicted),
                escape(&top_scores(&m.scores)),
                escape(m.article.title.as_deref().unwrap_or(""))
            );
        }
        html += "</table>\n";
    }
    for (title, boundaries) in [
        ("Missed boundaries", &errors.missed_boundaries),
        ("Extra boundaries", &errors.extra_boundaries),
    ] {
        html += &boundary_table(title, boundaries);
    }
    for (title, articles) in [
        (
            "Gold articles no prediction was paired with",
            &report.alignment.unmatched_gold,
        ),
        (
            "Predicted articles paired with no gold article",
            &report.alignment.unmatched_predicted,
        ),
    ] {
        html += &article_table(title, articles);
    }
    html
}

fn boundary_table(title: &str, boundaries: &[BoundaryError]) -> String {
    let mut html = format!("<h3>{title} ({})</h3>\n", boundaries.len());
    if boundaries.is_empty() {
        return html + "<p class=\"muted\">None.</p>\n";
    }
    html += "<table>\n<tr><th>dump</th><th class=\"n\">line</th><th>title</th></tr>\n";
    for b in boundaries {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&b.dump),
            b.line,
            escape(b.title.as_deref().unwrap_or(""))
        );
    }
    html + "</table>\n"
}

fn article_table(title: &str, articles: &[ArticleRef]) -> String {
    let mut html = format!("<h3>{title} ({})</h3>\n", articles.len());
    if articles.is_empty() {
        return html + "<p class=\"muted\">None.</p>\n";
    }
    html += "<table>\n<tr><th>id</th><th>file</th><th class=\"n\">lines</th><th>title</th></tr>\n";
    for a in articles {
        let lines = match (a.start_line, a.end_line) {
            (Some(start), Some(end)) => format!("{start}-{end}"),
            _ => "-".to_string(),
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{lines}</td><td>{}</td></tr>",
            escape(&a.id),
            escape(a.file.as_deref().unwrap_or("-")),
            escape(a.title.as_deref().unwrap_or(""))
        );
    }
    html + "</table>\n"
}
