//! Stage 5, briefs: in a paragraph-per-line feed, a story without a headline that follows another story is a
//! one-paragraph brief, and so is each paragraph after it unless it clearly continues the one before.

use super::units::{Unit, UnitKind};
use super::{CloseCalls, Draft};
use crate::embed::cosine;

/// Splits headline-less runs of back-to-back paragraphs into one-paragraph briefs.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct BriefSplitter {
    /// A headline-less paragraph continues the previous one only when they are at least this similar.
    /// Adjacent paragraphs of one story have a median similarity of about 0.35 on the dev set and adjacent
    /// briefs at most 0.29; the bar sits above both because briefs are the norm in such runs.
    pub min_continuation_similarity: f32,
}

impl Default for BriefSplitter {
    fn default() -> Self {
        BriefSplitter {
            min_continuation_similarity: 0.45,
        }
    }
}

impl BriefSplitter {
    /// Splits every headline-less draft made of paragraphs with no blank lines between them into
    /// one-paragraph briefs, except where a paragraph is close in meaning to the one before it. Similarities
    /// near the bar go to `close_calls`.
    pub fn split(
        &self,
        drafts: Vec<Draft>,
        units: &[Unit],
        vectors: &[Option<Vec<f32>>],
        close_calls: &mut CloseCalls,
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
                close_calls.check(similarity - self.min_continuation_similarity, 1, [i - 1, i]);
                if similarity < self.min_continuation_similarity {
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
}

/// A draft that opens with prose (no headline) and holds two or more paragraphs printed back to back.
fn is_brief_run(draft: &Draft, units: &[Unit]) -> bool {
    let run = &units[draft.units.clone()];
    run.len() >= 2
        && run.iter().all(|unit| unit.kind == UnitKind::Prose)
        && run
            .iter()
            .skip(1)
            .all(|unit| unit.paragraph.blanks_before == 0)
}
