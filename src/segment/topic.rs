//! Stage 6, topic shifts: finds where one story runs into the next with no structural cue, TextTiling-style:
//! the similarity between the paragraphs before and after each gap (sentence-embedding centroids of a small
//! window), and how deep that similarity dips below the peaks on either side.

use super::units::{Unit, UnitKind};
use super::Draft;
use crate::embed::{cosine, normalized_mean};
use std::collections::HashSet;

/// Splits drafts where the subject changes, judged on sentence embeddings of the paragraphs.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct TopicShiftSplitter {
    /// Paragraphs on each side of a gap that are averaged into the two compared centroids.
    pub window: usize,
    /// Fewest paragraphs a story keeps on each side of a topic split.
    pub min_side: usize,
    /// A gap is a topic shift when its depth is at least this (the one unmarked story change in the dev set
    /// dips 0.74; gaps inside stories reach 0.61, and those deep ones stay above `max_similarity`) ...
    pub min_depth: f32,
    /// ... and the similarity across it at most this.
    pub max_similarity: f32,
    /// Depth enough to split at a short heading between paragraphs (the heading is itself a cue; real
    /// subheadings in the dev set dip at most 0.24).
    pub min_depth_at_heading: f32,
}

impl Default for TopicShiftSplitter {
    fn default() -> Self {
        TopicShiftSplitter {
            window: 2,
            min_side: 2,
            min_depth: 0.55,
            max_similarity: 0.25,
            min_depth_at_heading: 0.35,
        }
    }
}

/// A scored gap between two paragraphs of a draft.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// Index of the first unit after the gap.
    pub unit: usize,
    /// Similarity of the centroids on each side.
    pub similarity: f32,
    /// TextTiling depth: how far the similarity dips below the nearest peaks on both sides.
    pub depth: f32,
}

impl TopicShiftSplitter {
    /// Splits drafts at topic shifts. A short heading where a new story starts becomes its headline.
    pub fn split(
        &self,
        drafts: Vec<Draft>,
        units: &mut [Unit],
        vectors: &[Option<Vec<f32>>],
    ) -> Vec<Draft> {
        let mut split = Vec::with_capacity(drafts.len());
        for draft in drafts {
            let mut cuts: Vec<(usize, String)> = self
                .shifts(&draft, units, vectors)
                .into_iter()
                .map(|gap| {
                    let heading = units[gap.unit].kind == UnitKind::Subheading;
                    let reason = format!(
                        "topic shift{}: similarity {:.2}, depth {:.2}",
                        if heading { " at a short heading" } else { "" },
                        gap.similarity,
                        gap.depth
                    );
                    (gap.unit, reason)
                })
                .collect();
            cuts.sort_by_key(|cut| cut.0);
            for &(cut, _) in &cuts {
                if units[cut].kind == UnitKind::Subheading {
                    units[cut].kind = UnitKind::Headline;
                    units[cut].body.clear();
                }
            }
            let mut start = draft.units.start;
            let mut reason = draft.reason;
            for (cut, cut_reason) in cuts {
                split.push(Draft {
                    units: start..cut,
                    reason: std::mem::replace(&mut reason, cut_reason),
                });
                start = cut;
            }
            split.push(Draft {
                units: start..draft.units.end,
                reason,
            });
        }
        split
    }

    /// The accepted topic-shift gaps of one draft.
    pub fn shifts(&self, draft: &Draft, units: &[Unit], vectors: &[Option<Vec<f32>>]) -> Vec<Gap> {
        let body: Vec<usize> = draft
            .units
            .clone()
            .filter(|&i| units[i].is_prose() && vectors[i].is_some())
            .collect();
        let gaps = self.score_gaps(&body, vectors);
        let mut accepted: Vec<(usize, &Gap)> = Vec::new();
        let mut order: Vec<(usize, &Gap)> = gaps.iter().enumerate().collect();
        order.sort_by(|a, b| b.1.depth.total_cmp(&a.1.depth));
        for (g, gap) in order {
            let position = g + 1;
            let heading = units[body[position - 1] + 1..gap.unit]
                .iter()
                .any(|unit| unit.kind == UnitKind::Subheading);
            let min_depth = if heading {
                self.min_depth_at_heading
            } else {
                self.min_depth
            };
            let far_enough = accepted
                .iter()
                .all(|&(other, _)| other.abs_diff(position) >= self.min_side);
            if gap.depth >= min_depth
                && gap.similarity <= self.max_similarity
                && position >= self.min_side
                && body.len() - position >= self.min_side
                && far_enough
            {
                accepted.push((position, gap));
            }
        }
        accepted
            .into_iter()
            .map(|(position, gap)| {
                let heading = units[body[position - 1] + 1..gap.unit]
                    .iter()
                    .position(|unit| unit.kind == UnitKind::Subheading)
                    .map(|offset| body[position - 1] + 1 + offset);
                let prose: Vec<&Unit> = body.iter().map(|&i| &units[i]).collect();
                let unit =
                    heading.unwrap_or_else(|| body[self.refine(&prose, &body, vectors, position)]);
                Gap {
                    unit,
                    ..gap.clone()
                }
            })
            .collect()
    }

    /// Moves a split by up to `window` paragraphs so that the paragraphs next to it sit with the side they
    /// resemble more: the smoothing windows can put a short closing paragraph of one story (whose own
    /// similarity to its neighbours is low) into the next. Resemblance is the embedding similarity to the
    /// nearby paragraphs plus the share of the paragraph's proper names found on each side of the draft.
    fn refine(
        &self,
        draft: &[&Unit],
        body: &[usize],
        vectors: &[Option<Vec<f32>>],
        position: usize,
    ) -> usize {
        let vector = |at: usize| vectors[body[at]].as_deref().unwrap_or(&[]);
        let dimension = vector(0).len();
        let centroid =
            |range: std::ops::Range<usize>| normalized_mean(range.map(&vector), dimension);
        let names: Vec<HashSet<String>> =
            draft.iter().map(|unit| proper_names(&unit.body)).collect();
        let side_names = |range: std::ops::Range<usize>| -> HashSet<&String> {
            range.flat_map(|at| names[at].iter()).collect()
        };
        // Positive when paragraph `at` is closer to the paragraphs before it than to those after it.
        let leaning = |at: usize| {
            let before = centroid(at.saturating_sub(self.window)..at);
            let after = centroid(at + 1..(at + 1 + self.window).min(body.len()));
            let own = &names[at];
            let (left, right) = (side_names(0..at), side_names(at + 1..body.len()));
            let shared = |side: &HashSet<&String>| own.iter().filter(|n| side.contains(n)).count();
            let name_lean =
                (shared(&left) as f32 - shared(&right) as f32) / own.len().max(1) as f32;
            cosine(vector(at), &before) - cosine(vector(at), &after) + name_lean
        };
        let mut refined = position;
        while refined + 1 < body.len() && refined < position + self.window && leaning(refined) > 0.0
        {
            refined += 1;
        }
        if refined == position {
            while refined > 1 && refined + self.window > position && leaning(refined - 1) < 0.0 {
                refined -= 1;
            }
        }
        refined
    }

    /// Similarity and depth at each gap between consecutive body paragraphs (`body` holds unit indexes).
    pub fn score_gaps(&self, body: &[usize], vectors: &[Option<Vec<f32>>]) -> Vec<Gap> {
        let Some(dimension) = body.iter().find_map(|&i| vectors[i].as_ref()).map(Vec::len) else {
            return Vec::new();
        };
        let centroid = |range: std::ops::Range<usize>| {
            normalized_mean(
                body[range].iter().filter_map(|&i| vectors[i].as_deref()),
                dimension,
            )
        };
        let similarities: Vec<f32> = (1..body.len())
            .map(|g| {
                let left = centroid(g.saturating_sub(self.window)..g);
                let right = centroid(g..(g + self.window).min(body.len()));
                cosine(&left, &right)
            })
            .collect();
        similarities
            .iter()
            .enumerate()
            .map(|(g, &similarity)| Gap {
                unit: body[g + 1],
                similarity,
                depth: depth(&similarities, g),
            })
            .collect()
    }
}

/// Capitalised words that name no story in particular.
const CALENDAR_WORDS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Capitalised words that do not open a sentence (names of people, places, organisations), without
/// possessive endings, days and months.
pub fn proper_names(text: &str) -> HashSet<String> {
    let mut names = HashSet::new();
    let mut sentence_start = true;
    for token in text.split_whitespace() {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        let word = word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("’s"))
            .unwrap_or(word);
        if !sentence_start
            && word.chars().count() >= 3
            && word.chars().next().is_some_and(char::is_uppercase)
            && !CALENDAR_WORDS.contains(&word)
        {
            names.insert(word.to_string());
        }
        let closing = token.trim_end_matches(['"', '\'', '”', '’', ')']);
        sentence_start = closing.ends_with(['.', '!', '?', ':']);
    }
    names
}

/// TextTiling depth of gap `g`: climb to the highest similarity reachable on each side without going down,
/// and add how far the gap lies below both peaks.
pub fn depth(similarities: &[f32], g: usize) -> f32 {
    let here = similarities[g];
    let mut left = here;
    for &s in similarities[..g].iter().rev() {
        if s < left {
            break;
        }
        left = s;
    }
    let mut right = here;
    for &s in &similarities[g + 1..] {
        if s < right {
            break;
        }
        right = s;
    }
    (left - here) + (right - here)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proper_names_skip_sentence_openers() {
        let names = proper_names(
            "The win earns Riverside's team a place. Kings Park lost to Riverside on Monday.",
        );
        let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["Park", "Riverside"]);
    }

    #[test]
    fn depth_climbs_to_the_nearest_peaks() {
        let similarities = [0.5, 0.6, 0.2, 0.4, 0.3];
        assert!((depth(&similarities, 2) - (0.4 + 0.2)).abs() < 1e-6);
        assert!((depth(&similarities, 1) - 0.0).abs() < 1e-6);
        assert!((depth(&similarities, 4) - 0.1).abs() < 1e-6);
    }
}
