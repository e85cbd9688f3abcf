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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::paragraphs::Paragraph;

    fn prose(line: usize) -> Unit {
        Unit {
            paragraph: Paragraph {
                lines: vec![line],
                text: "A paragraph.".to_string(),
                blanks_before: 0,
                junk_before: Vec::new(),
            },
            kind: UnitKind::Prose,
            body: "A paragraph.".to_string(),
        }
    }

    /// Three back-to-back paragraphs whose neighbours have the given similarities.
    fn split_run(similarities: [f32; 2], margin: f32) -> (usize, Vec<usize>) {
        let units = vec![prose(0), prose(1), prose(2)];
        let angle = |s: f32| s.acos();
        let (first, second) = (
            angle(similarities[0]),
            angle(similarities[0]) + angle(similarities[1]),
        );
        let vectors = [0.0, first, second]
            .map(|a: f32| Some(vec![a.cos(), a.sin()]))
            .to_vec();
        let drafts = vec![Draft {
            units: 0..3,
            reason: "start".to_string(),
        }];
        let mut close_calls = CloseCalls::new(margin);
        let split = BriefSplitter::default().split(drafts, &units, &vectors, &mut close_calls);
        (split.len(), close_calls.into_units().into_iter().collect())
    }

    #[test]
    fn similarities_near_the_bar_are_close_calls() {
        // 0.44 splits, 0.46 continues; both are within 0.015 of the 0.45 bar.
        assert_eq!(split_run([0.44, 0.46], 0.015), (2, vec![0, 1, 2]));
        // 0.2 splits and 0.9 continues, far from the bar.
        assert_eq!(split_run([0.2, 0.9], 0.015), (2, vec![]));
        // Without a margin nothing is recorded.
        assert_eq!(split_run([0.44, 0.46], 0.0), (2, vec![]));
    }
}
