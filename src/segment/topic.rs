//! Stage 6, topic shifts: finds where one story runs into the next with no structural cue, TextTiling-style:
//! the similarity between the paragraphs before and after each gap (sentence-embedding centroids of a small
//! window), and how deep that similarity dips below the peaks on either side.

use super::units::{Unit, UnitKind};
use super::{CloseCalls, Draft};
use crate::embed::{cosine, normalized_mean};
use std::collections::HashSet;
use std::ops::Range;

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
    /// The body paragraphs (positions in the draft's prose) whose vectors the similarity and depth come from:
    /// the windows of the gap and of both peaks.
    pub depends_on: Range<usize>,
}

impl TopicShiftSplitter {
    /// Splits drafts at topic shifts. A short heading where a new story starts becomes its headline. Gaps
    /// and placements near a threshold go to `close_calls`.
    pub fn split(
        &self,
        drafts: Vec<Draft>,
        units: &mut [Unit],
        vectors: &[Option<Vec<f32>>],
        close_calls: &mut CloseCalls,
    ) -> Vec<Draft> {
        let mut split = Vec::with_capacity(drafts.len());
        for draft in drafts {
            let mut cuts: Vec<(usize, String)> = self
                .shifts(&draft, units, vectors, close_calls)
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

    /// The accepted topic-shift gaps of one draft. A gap that a change of less than the margin of
    /// `close_calls` in each similarity could accept or reject (or let a rival win) goes to `close_calls`.
    pub fn shifts(
        &self,
        draft: &Draft,
        units: &[Unit],
        vectors: &[Option<Vec<f32>>],
        close_calls: &mut CloseCalls,
    ) -> Vec<Gap> {
        let body: Vec<usize> = draft
            .units
            .clone()
            .filter(|&i| units[i].is_prose() && vectors[i].is_some())
            .collect();
        let gaps = self.score_gaps(&body, vectors);
        let close = |close_calls: &mut CloseCalls, gap: &Gap| {
            close_calls.add(body[gap.depends_on.clone()].iter().copied())
        };
        let mut accepted: Vec<(usize, &Gap)> = Vec::new();
        let mut order: Vec<(usize, &Gap)> = gaps.iter().enumerate().collect();
        order.sort_by(|a, b| b.1.depth.total_cmp(&a.1.depth));
        for (g, gap) in order {
            let position = g + 1;
            if position < self.min_side || body.len() - position < self.min_side {
                continue;
            }
            let heading = units[body[position - 1] + 1..gap.unit]
                .iter()
                .any(|unit| unit.kind == UnitKind::Subheading);
            let min_depth = if heading {
                self.min_depth_at_heading
            } else {
                self.min_depth
            };
            let (deep, shallow_call) = (gap.depth >= min_depth, gap.depth - min_depth);
            let (low, low_call) = (
                gap.similarity <= self.max_similarity,
                gap.similarity - self.max_similarity,
            );
            let deep_could_flip = close_calls.could_flip(shallow_call, 4);
            let low_could_flip = close_calls.could_flip(low_call, 1);
            let qualifies_or_could = (deep || deep_could_flip) && (low || low_could_flip);
            if qualifies_or_could && (deep_could_flip || low_could_flip) {
                close(close_calls, gap);
            }
            let rival = accepted
                .iter()
                .find(|&&(other, _)| other.abs_diff(position) < self.min_side);
            if let Some(&(_, rival)) = rival {
                // Depth order decides between two gaps too near each other.
                if qualifies_or_could && close_calls.could_flip(rival.depth - gap.depth, 8) {
                    close(close_calls, gap);
                    close(close_calls, rival);
                }
            } else if deep && low {
                accepted.push((position, gap));
            }
        }
        let mut shifts = Vec::with_capacity(accepted.len());
        let prose: Vec<&Unit> = body.iter().map(|&i| &units[i]).collect();
        for (position, gap) in accepted {
            let heading = units[body[position - 1] + 1..gap.unit]
                .iter()
                .position(|unit| unit.kind == UnitKind::Subheading)
                .map(|offset| body[position - 1] + 1 + offset);
            let unit = match heading {
                Some(heading) => heading,
                None => body[self.refine(&prose, &body, vectors, position, close_calls)],
            };
            shifts.push(Gap {
                unit,
                ..gap.clone()
            });
        }
        shifts
    }

    /// Moves a split by up to `window` paragraphs so that the paragraphs next to it sit with the side they
    /// resemble more: the smoothing windows can put a short closing paragraph of one story (whose own
    /// similarity to its neighbours is low) into the next. Resemblance is the embedding similarity to the
    /// nearby paragraphs plus the share of the paragraph's proper names found on each side of the draft.
    /// Leanings near 0 go to `close_calls`.
    fn refine(
        &self,
        draft: &[&Unit],
        body: &[usize],
        vectors: &[Option<Vec<f32>>],
        position: usize,
        close_calls: &mut CloseCalls,
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
        let mut leaning = |at: usize| {
            let (from, to) = (
                at.saturating_sub(self.window),
                (at + 1 + self.window).min(body.len()),
            );
            let before = centroid(from..at);
            let after = centroid(at + 1..to);
            let own = &names[at];
            let (left, right) = (side_names(0..at), side_names(at + 1..body.len()));
            let shared = |side: &HashSet<&String>| own.iter().filter(|n| side.contains(n)).count();
            let name_lean =
                (shared(&left) as f32 - shared(&right) as f32) / own.len().max(1) as f32;
            let leaning = cosine(vector(at), &before) - cosine(vector(at), &after) + name_lean;
            close_calls.check(leaning, 2, body[from..to].iter().copied());
            leaning
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
            .map(|(g, &similarity)| {
                let (depth, peaks) = depth(&similarities, g);
                // Gap g compares body[g + 1 - window..g + 1] with body[g + 1..g + 1 + window].
                let depends_on = (peaks.start + 1).saturating_sub(self.window)
                    ..(peaks.end + 1 + self.window).min(body.len());
                Gap {
                    unit: body[g + 1],
                    similarity,
                    depth,
                    depends_on,
                }
            })
            .collect()
    }
}

/// The days of the week, Monday first: capitalised words that name no story in particular (also used by
/// [`crate::synth`] to print dates).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The months, January first: like [`WEEKDAYS`], no story's own words.
pub const MONTHS: [&str; 12] = [
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
            && !WEEKDAYS.contains(&word)
            && !MONTHS.contains(&word)
        {
            names.insert(word.to_string());
        }
        let closing = token.trim_end_matches(['"', '\'', '”', '’', ')']);
        sentence_start = closing.ends_with(['.', '!', '?', ':']);
    }
    names
}

/// TextTiling depth of gap `g`: climb to the highest similarity reachable on each side without going down,
/// and add how far the gap lies below both peaks. Also returns the gaps from the left peak to the right one.
pub fn depth(similarities: &[f32], g: usize) -> (f32, Range<usize>) {
    let here = similarities[g];
    let (mut left, mut left_peak) = (here, g);
    for (at, &s) in similarities[..g].iter().enumerate().rev() {
        if s < left {
            break;
        }
        (left, left_peak) = (s, at);
    }
    let (mut right, mut right_peak) = (here, g);
    for (at, &s) in similarities.iter().enumerate().skip(g + 1) {
        if s < right {
            break;
        }
        (right, right_peak) = (s, at);
    }
    ((left - here) + (right - here), left_peak..right_peak + 1)
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
        let (deep, peaks) = depth(&similarities, 2);
        assert!((deep - (0.4 + 0.2)).abs() < 1e-6);
        assert_eq!(peaks, 1..4);
        assert!((depth(&similarities, 1).0 - 0.0).abs() < 1e-6);
        let (shallow, peaks) = depth(&similarities, 4);
        assert!((shallow - 0.1).abs() < 1e-6);
        assert_eq!(peaks, 3..5);
    }
}
