//! Stage 3, units: decides what each paragraph is (headline, digest item, byline, date line, prose or a
//! stray fragment) from its shape, and confirms headlines by what follows them.

use super::metadata::{byline, digest_item, is_date_line, is_source_line};
use super::paragraphs::Paragraph;
use super::shape::{looks_like_headline, looks_like_prose};

/// What a paragraph is.
#[derive(Clone, Debug, PartialEq)]
pub enum UnitKind {
    /// A headline: headline-shaped, followed (after any byline and date lines) by prose.
    Headline,
    /// A short heading inside a story; part of the story's text.
    Subheading,
    /// A numbered digest item `n) Headline: text`, holding the headline.
    Digest {
        /// The text between the number and the first `": "`.
        title: String,
    },
    /// A byline, holding the name.
    Byline(String),
    /// A publication or update date line.
    DateLine,
    /// A line naming the story's source ("Source: ...").
    SourceLine,
    /// Running text.
    Prose,
    /// A short line that is neither prose nor a confirmed headline (feed headers, orphan labels).
    Fragment,
}

/// A paragraph with its kind and the text it contributes to an article body.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    /// Where it is and what it says.
    pub paragraph: Paragraph,
    /// What it is.
    pub kind: UnitKind,
    /// Its contribution to the article text (the part after the headline for digest items).
    pub body: String,
}

impl Unit {
    /// Whether the unit carries story text that is embedded and scored for topic shifts.
    pub fn is_prose(&self) -> bool {
        matches!(self.kind, UnitKind::Prose | UnitKind::Digest { .. })
    }

    /// Whether the unit follows the one above with no blank line or dropped line between them (set solid, as
    /// the lines of one headline or one block of sentences are).
    pub fn set_solid(&self) -> bool {
        self.paragraph.blanks_before == 0 && self.paragraph.junk_before.is_empty()
    }

    /// Whether the unit is a byline, date line or source line.
    pub fn is_meta(&self) -> bool {
        matches!(
            self.kind,
            UnitKind::Byline(_) | UnitKind::DateLine | UnitKind::SourceLine
        )
    }
}

/// Classifies each paragraph, then keeps as headlines only the headline-shaped lines that lead to prose.
/// A headline-shaped line set solid under story text with a blank gap after it stands closer to the text above
/// than to the text below: it closes that block (a caption) unless the dump sets its headlines so, which shows
/// as most of its blank gaps having such a line above them.
pub fn classify_units(paragraphs: Vec<Paragraph>) -> Vec<Unit> {
    let mut units: Vec<Unit> = paragraphs.into_iter().map(classify).collect();
    let closes_block = |units: &[Unit], i: usize| {
        let block = units[..=i]
            .iter()
            .rev()
            .take_while(|u| u.set_solid())
            .count();
        units[i].kind == UnitKind::Headline
            && units[..i]
                .iter()
                .rev()
                .take(block)
                .any(|u| u.kind == UnitKind::Prose)
            && units
                .get(i + 1)
                .is_some_and(|next| next.paragraph.blanks_before > 0)
    };
    let gaps = units
        .iter()
        .filter(|u| u.paragraph.blanks_before > 0)
        .count();
    let headlines_above_gaps = (0..units.len())
        .filter(|&i| closes_block(&units, i))
        .count();
    let headlines_close_blocks = 2 * headlines_above_gaps > gaps;
    for i in 0..units.len() {
        if units[i].kind == UnitKind::Headline
            && (!leads_to_prose(&units, i) || (!headlines_close_blocks && closes_block(&units, i)))
        {
            units[i].kind = UnitKind::Fragment;
        }
    }
    units
}

fn classify(paragraph: Paragraph) -> Unit {
    let text = strip_bullet(&paragraph.text);
    let one_line = paragraph.lines.len() == 1;
    let (kind, body) = if let Some((title, body)) = digest_item(text) {
        (
            UnitKind::Digest {
                title: title.to_string(),
            },
            body.to_string(),
        )
    } else if let Some(name) = byline(text).filter(|_| one_line) {
        (UnitKind::Byline(name.to_string()), String::new())
    } else if one_line && is_date_line(text) {
        (UnitKind::DateLine, String::new())
    } else if one_line && is_source_line(text) {
        (UnitKind::SourceLine, String::new())
    } else if one_line && looks_like_headline(text) {
        (UnitKind::Headline, String::new())
    } else if looks_like_prose(text) {
        (UnitKind::Prose, text.to_string())
    } else {
        (UnitKind::Fragment, text.to_string())
    };
    Unit {
        paragraph,
        kind,
        body,
    }
}

/// The text without a leading list bullet ("- ", "• ", "* ", "– ").
fn strip_bullet(text: &str) -> &str {
    ["- ", "• ", "* ", "– ", "· "]
        .iter()
        .find_map(|bullet| text.strip_prefix(bullet))
        .map_or(text, str::trim_start)
}

/// Whether the next unit after `i`, past bylines and date lines, is prose.
fn leads_to_prose(units: &[Unit], i: usize) -> bool {
    units[i + 1..]
        .iter()
        .find(|unit| !unit.is_meta())
        .is_some_and(|unit| unit.kind == UnitKind::Prose)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(i: usize, text: &str) -> Paragraph {
        Paragraph {
            lines: vec![i],
            text: text.to_string(),
            blanks_before: 1,
            junk_before: Vec::new(),
        }
    }

    /// A sentence per line, a blank line between stories: a headline-shaped caption set solid under a story's
    /// sentences, with the gap after it, closes that story; where every gap of the dump has such a line above
    /// it, that is how the dump prints its headlines.
    #[test]
    fn a_headline_shaped_line_closing_a_block_is_a_headline_only_by_the_dump_s_convention() {
        let solid = |i: usize, text: &str, blanks_before: usize| Paragraph {
            blanks_before,
            ..paragraph(i, text)
        };
        let story = |at: usize, blanks_before: usize| {
            [
                solid(
                    at,
                    "Heavy rain closed the coastal road on Monday.",
                    blanks_before,
                ),
                solid(at + 1, "Rescue boats near the flooded harbour", 0),
            ]
        };
        let last = solid(5, "The first aid convoy reached the town on Tuesday.", 1);
        let kinds = |paragraphs: Vec<Paragraph>| -> Vec<UnitKind> {
            classify_units(paragraphs)
                .into_iter()
                .map(|u| u.kind)
                .collect()
        };
        let one_caption = [
            story(0, 0).to_vec(),
            vec![
                solid(2, "Officials said the water was falling.", 1),
                last.clone(),
            ],
        ];
        assert_eq!(
            kinds(one_caption.concat()),
            [
                UnitKind::Prose,
                UnitKind::Fragment,
                UnitKind::Prose,
                UnitKind::Prose,
            ]
        );
        let headlines = [story(0, 0).to_vec(), story(3, 1).to_vec(), vec![last]];
        assert_eq!(
            kinds(headlines.concat()),
            [
                UnitKind::Prose,
                UnitKind::Headline,
                UnitKind::Prose,
                UnitKind::Headline,
                UnitKind::Prose,
            ]
        );
    }

    #[test]
    fn headlines_need_prose_after_them() {
        let units = classify_units(vec![
            paragraph(0, "HORIZON DAILY NEWS SERVICE"),
            paragraph(1, "Gaza City bakeries shut as flour runs out"),
            paragraph(2, "By Rania Abu Shamala"),
            paragraph(3, "July 15, 2026 11:05 AM"),
            paragraph(
                4,
                "Most of the bakeries stopped producing bread on Wednesday.",
            ),
            paragraph(
                5,
                "2) Volcano erupts twice: Mount Lewotobi erupted twice on Wednesday.",
            ),
        ]);
        let kinds: Vec<&UnitKind> = units.iter().map(|u| &u.kind).collect();
        assert_eq!(
            kinds,
            [
                &UnitKind::Fragment,
                &UnitKind::Headline,
                &UnitKind::Byline("Rania Abu Shamala".to_string()),
                &UnitKind::DateLine,
                &UnitKind::Prose,
                &UnitKind::Digest {
                    title: "Volcano erupts twice".to_string()
                },
            ]
        );
        assert_eq!(units[5].body, "Mount Lewotobi erupted twice on Wednesday.");
    }
}
