//! Stage 4, structural splitting: starts a new story at every structural cue — headlines, digest items,
//! datelines, bylines without a headline, separators, notices that close a story, agency tags that close a
//! paragraph and wider blank gaps than the dump uses between paragraphs.

use super::lines::LineKind;
use super::metadata::{agency_tag, dateline};
use super::shape::{is_all_caps, word_count};
use super::units::{Unit, UnitKind};
use super::Draft;

/// Headlines shorter than this, with no other cue around them, may be subheadings inside a story; the topic
/// stage decides.
pub const MIN_STANDALONE_HEADLINE_WORDS: usize = 6;

/// A short line in capitals that is neither headline nor prose ("IN BRIEF", "WORLD") labels a section: what
/// follows it starts a new story.
pub const MAX_SECTION_LABEL_WORDS: usize = 6;

/// Splits the units into draft stories at structural cues. Short headline-shaped lines with no cue around
/// them become [`UnitKind::Subheading`]s.
pub fn split_structure(units: &mut [Unit], kinds: &[LineKind]) -> Vec<Draft> {
    let typical_gap = typical_gap(units);
    let mut drafts: Vec<Draft> = Vec::new();
    for i in 0..units.len() {
        let cue = break_before(units, kinds, i, typical_gap);
        let after_header = i > 0
            && cue.is_none()
            && matches!(
                units[i - 1].kind,
                UnitKind::Headline | UnitKind::Byline(_) | UnitKind::DateLine
            );
        let reason = match &units[i].kind {
            UnitKind::Digest { .. } => Some("numbered digest item".to_string()),
            UnitKind::Headline => {
                let followed_by_header = units.get(i + 1).is_some_and(|next| {
                    next.is_meta() || (next.is_prose() && dateline(&next.paragraph.text).is_some())
                });
                let long = word_count(&units[i].paragraph.text) >= MIN_STANDALONE_HEADLINE_WORDS;
                match (&cue, followed_by_header || long) {
                    (Some(cue), _) => Some(format!("headline ({cue})")),
                    (None, true) => Some("headline".to_string()),
                    (None, false) => {
                        units[i].kind = UnitKind::Subheading;
                        units[i].body = units[i].paragraph.text.clone();
                        None
                    }
                }
            }
            UnitKind::Byline(_) | UnitKind::DateLine | UnitKind::SourceLine if !after_header => {
                Some("byline, date or source line without a headline".to_string())
            }
            UnitKind::Prose if !after_header && dateline(&units[i].paragraph.text).is_some() => {
                Some(match &cue {
                    Some(cue) => format!("dateline ({cue})"),
                    None => "dateline".to_string(),
                })
            }
            _ => cue,
        };
        if let Some(reason) = reason {
            drafts.push(Draft {
                units: i..i + 1,
                reason,
            });
        } else if let Some(draft) = drafts.last_mut() {
            draft.units.end = i + 1;
        }
    }
    drafts
}

/// The whole dump as one story, for inputs that hold one article each (`--input-format article`): the first
/// headline before any prose is its headline; headline-shaped lines further on are subheadings in its text.
pub fn one_story(units: &mut [Unit]) -> Vec<Draft> {
    let mut header = true;
    for unit in units.iter_mut() {
        if unit.kind == UnitKind::Headline && !header {
            unit.kind = UnitKind::Subheading;
            unit.body = unit.paragraph.text.clone();
        }
        header &= !matches!(unit.kind, UnitKind::Headline | UnitKind::Prose);
    }
    if units.is_empty() {
        return Vec::new();
    }
    vec![Draft {
        units: 0..units.len(),
        reason: "one article per input (--input-format article)".to_string(),
    }]
}

/// The number of blank lines the dump usually puts before a paragraph (the most common gap).
fn typical_gap(units: &[Unit]) -> usize {
    let mut counts = std::collections::BTreeMap::new();
    for unit in units.iter().skip(1) {
        *counts.entry(unit.paragraph.blanks_before).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(gap, count)| (count, std::cmp::Reverse(gap)))
        .map_or(0, |(gap, _)| gap)
}

/// Why unit `i` cannot continue the story before it, if it cannot.
fn break_before(
    units: &[Unit],
    kinds: &[LineKind],
    i: usize,
    typical_gap: usize,
) -> Option<String> {
    if i == 0 {
        return Some("first text of the dump".to_string());
    }
    let paragraph = &units[i].paragraph;
    for &line in &paragraph.junk_before {
        match kinds[line] {
            LineKind::Separator => return Some(format!("separator line {}", line + 1)),
            LineKind::Boilerplate(kind) if kind.ends_story() => {
                return Some(format!("after {} on line {}", kind.reason(), line + 1))
            }
            _ => {}
        }
    }
    if paragraph.blanks_before > typical_gap {
        return Some(format!(
            "{} blank lines where paragraphs are {typical_gap} apart",
            paragraph.blanks_before
        ));
    }
    let previous = &units[i - 1];
    if previous.kind == UnitKind::Fragment
        && is_all_caps(&previous.paragraph.text)
        && word_count(&previous.paragraph.text) <= MAX_SECTION_LABEL_WORDS
    {
        return Some(format!(
            "after section label on line {}",
            previous.paragraph.first_line() + 1
        ));
    }
    if previous.is_prose() && agency_tag(&previous.paragraph.text).is_some() {
        return Some(format!(
            "line {} closes with an agency tag",
            previous.paragraph.last_line() + 1
        ));
    }
    None
}
