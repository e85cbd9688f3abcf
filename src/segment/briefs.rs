//! Stage 5, briefs: in a paragraph-per-line feed, a story without a headline that follows another story is a
//! one-paragraph brief, and so is each paragraph after it unless it clearly continues the one before.

use super::units::{Unit, UnitKind};
use super::Draft;
use crate::embed::cosine;

/// A headline-less paragraph continues the previous one only when they are at least this similar. Paragraphs
/// of one story are usually closer (median about 0.35 on the dev set, adjacent briefs at most 0.29), so a
/// high bar keeps only clear continuations together, as briefs are the norm in such runs.
pub const MIN_CONTINUATION_SIMILARITY: f32 = 0.45;

/// Splits every headline-less draft made of paragraphs with no blank lines between them into one-paragraph
/// briefs, except where a paragraph is close in meaning to the one before it.
pub fn split_briefs(
    drafts: Vec<Draft>,
    units: &[Unit],
    vectors: &[Option<Vec<f32>>],
) -> Vec<Draft> {
    let mut split = Vec::with_capacity(drafts.len());
    for draft in drafts {
        if !is_brief_run(&draft, units) {
            split.push(draft);
            continue;
        }
        let mut current = Draft {
            units: draft.units.start..draft.units.start + 1,
            reason: draft.reason,
        };
        for i in draft.units.start + 1..draft.units.end {
            let similarity = match (&vectors[i - 1], &vectors[i]) {
                (Some(a), Some(b)) => cosine(a, b),
                _ => 1.0,
            };
            if similarity < MIN_CONTINUATION_SIMILARITY {
                split.push(std::mem::replace(
                    &mut current,
                    Draft {
                        units: i..i + 1,
                        reason: format!(
                            "one-paragraph brief (similarity {similarity:.2} to the paragraph before)"
                        ),
                    },
                ));
            } else {
                current.units.end = i + 1;
            }
        }
        split.push(current);
    }
    split
}

/// A draft that opens with prose (no headline) and holds two or more one-line paragraphs printed back to back.
fn is_brief_run(draft: &Draft, units: &[Unit]) -> bool {
    let run = &units[draft.units.clone()];
    run.len() >= 2
        && run
            .iter()
            .all(|unit| unit.kind == UnitKind::Prose && unit.paragraph.lines.len() == 1)
        && run
            .iter()
            .skip(1)
            .all(|unit| unit.paragraph.blanks_before == 0)
}
