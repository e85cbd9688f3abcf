//! Text extracted from a PDF bulletin: pages of a fixed number of lines with a running head, footnotes and a
//! page number, hard-wrapped and hyphenated body text, and page breaks that fall wherever the page is full,
//! mid-paragraph included (that furniture is then inside the article's span). Some bulletins are set in two
//! columns (narrow lines, headlines broken over several short lines, as pdfminer prints them), and some
//! extractors print no blank line at all (as pypdf does), so paragraphs, stories and furniture run together.

use super::{Body, Dress};
use crate::synth::source::SourceArticle;
use crate::synth::style::{self, Moment};
use crate::synth::DumpWriter;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};

/// Lays lines out on pages, writing the page furniture whenever a page fills.
struct Pager {
    lines_per_page: usize,
    on_page: usize,
    page: usize,
    pages: usize,
    head: String,
    number_style: usize,
    footnote_rate: f64,
    form_feed: bool,
    /// Whether the extractor prints blank lines at all.
    blanks: bool,
}

impl Pager {
    fn new(rng: &mut dyn RngCore, articles: usize) -> Pager {
        let moment = Moment::random(rng);
        let organisation = [
            "OCHA",
            "UNHCR",
            "WFP",
            "IFRC",
            "Ministry of Health",
            "The Relief Monitor",
        ]
        .choose(rng)
        .copied()
        .unwrap_or("OCHA");
        let head = match rng.gen_range(0..3) {
            0 => format!(
                "{organisation} Humanitarian Bulletin | {}",
                moment.date(rng)
            ),
            1 => format!(
                "{} | SITUATION REPORT No. {}",
                organisation.to_uppercase(),
                rng.gen_range(2..60)
            ),
            _ => format!("News digest — {}", moment.date(rng)),
        };
        let lines_per_page = rng.gen_range(30..=60);
        Pager {
            lines_per_page,
            on_page: 0,
            page: 1,
            pages: articles * 2 + rng.gen_range(1..6),
            head,
            number_style: rng.gen_range(0..4),
            footnote_rate: rng.gen_range(0.0..0.5),
            form_feed: rng.gen_bool(0.5),
            blanks: true,
        }
    }

    /// Writes the page's foot (footnotes, page number) and the next page's running head.
    fn break_page(&mut self, rng: &mut dyn RngCore, out: &mut DumpWriter) {
        if self.blanks {
            out.blank();
        }
        if rng.gen_bool(self.footnote_rate) {
            for number in 1..=rng.gen_range(1..=2) {
                let note = [
                    "Figures from the national disaster management authority, as of the date of publication.",
                    "Estimates; verification is ongoing.",
                    "See the methodology annex for definitions.",
                    "Source: partner reports compiled by the cluster.",
                ]
                .choose(rng)
                .copied()
                .unwrap_or("Estimates.");
                out.furniture(format!("{number} {note}"));
            }
        }
        let page = self.page;
        out.furniture(match self.number_style {
            0 => format!("Page {page}"),
            1 => format!("- {page} -"),
            2 => format!("{page}"),
            _ => format!("Page {page} of {}", self.pages.max(page)),
        });
        self.page += 1;
        let head = if self.form_feed {
            format!("\u{c}{}", self.head)
        } else {
            self.head.clone()
        };
        out.furniture(head);
        if self.blanks {
            out.blank();
        }
        self.on_page = 0;
    }

    fn before_line(&mut self, rng: &mut dyn RngCore, out: &mut DumpWriter) {
        if self.on_page >= self.lines_per_page {
            self.break_page(rng, out);
        }
        self.on_page += 1;
    }

    fn line(&mut self, text: String, rng: &mut dyn RngCore, out: &mut DumpWriter) {
        self.before_line(rng, out);
        out.line(text);
    }

    fn blank(&mut self, rng: &mut dyn RngCore, out: &mut DumpWriter) {
        if self.blanks {
            self.before_line(rng, out);
            out.blank();
        }
    }
}

/// A bulletin extracted from PDF (see the module doc).
pub(super) fn pdf_text(articles: &[SourceArticle], rng: &mut dyn RngCore, out: &mut DumpWriter) {
    let dress = Dress::random(rng).with_blocks(2, 20);
    let two_columns = rng.gen_bool(0.35);
    let width = if two_columns {
        rng.gen_range(30..=46)
    } else {
        rng.gen_range(64..=96)
    };
    let layout = Body::Wrapped {
        width,
        hyphenate: rng.gen_bool(0.8),
    };
    let paragraph_gap = usize::from(rng.gen_bool(0.6));
    let mut pager = Pager::new(rng, articles.len());
    pager.blanks = rng.gen_bool(0.75);
    out.furniture(pager.head.clone());
    if pager.blanks {
        out.blank();
    }
    for (index, article) in articles.iter().enumerate() {
        if index > 0 {
            for _ in 0..rng.gen_range(1..=2) {
                pager.blank(rng, out);
            }
        }
        let dressed = dress.dress(article, rng);
        dressed.begin(article, out);
        if let Some(headline) = &dressed.headline {
            // A headline is set larger than the body: in a narrow column fewer of its characters fit a line.
            let lines = if two_columns {
                style::wrap(headline, rng.gen_range(width * 2 / 3..=width), false, rng)
            } else {
                vec![headline.clone()]
            };
            for line in lines {
                pager.line(line, rng, out);
            }
        }
        for line in &dressed.meta {
            pager.line(line.clone(), rng, out);
        }
        let bullet = ["• ", "- ", "▪ "].choose(rng).copied().unwrap_or("• ");
        for (position, block) in dressed.blocks.iter().enumerate() {
            if position > 0 {
                for _ in 0..paragraph_gap {
                    pager.blank(rng, out);
                }
            }
            for line in layout.lines(block, bullet, rng) {
                pager.line(line, rng, out);
            }
        }
        out.end();
        if rng.gen_bool(0.2) {
            pager.line(
                format!("Contact: {} ({})", style::person(rng), style::agency(rng).0),
                rng,
                out,
            );
        }
    }
    if pager.blanks {
        out.blank();
    }
    pager.break_page(rng, out);
}
