//! Boundary features: what the boundary model sees at every line where a story could start (every text line
//! after the first). Layout features are measured against the dump's own statistics (its usual blank gap,
//! how many of its lines have a blank line before them, its usual line length and wrap width, how common a
//! kind of opening is in it), so that a cue common in one dump and rare in another weighs what it says there;
//! content features compare the sentence vectors of the prose on either side of the line over several window
//! sizes, against the dump's usual similarity across a gap.

use super::boilerplate::Boilerplate;
use super::lines::LineKind;
use super::metadata::{agency_tag, dateline};
use super::shape::{
    ends_sentence, is_all_caps, looks_like_headline, starts_capitalised, word_count,
};
use super::units::{Unit, UnitKind};
use super::UnitVector;
use crate::embed::{cosine, normalized_mean};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// Window sizes (prose units on each side of a gap) of the content features.
pub const WINDOWS: [usize; 4] = [1, 2, 4, 8];
/// Prose units before a gap that make the "story so far" compared with what follows.
const CONTEXT: usize = 16;
/// Window of the story-so-far comparison after the gap.
const CONTEXT_AFTER: usize = 4;

/// Names of the features, in the order of [`Candidate::features`] (also the order the model file names).
pub const FEATURE_NAMES: [&str; 62] = [
    "blank lines before",
    "blank lines beyond the dump's usual gap",
    "blank gap rare in this dump",
    "share of the dump's lines with a blank line before",
    "separator line before",
    "story-closing boilerplate before",
    "other boilerplate before",
    "first line of a paragraph",
    "headline",
    "numbered digest item",
    "byline",
    "date line",
    "source line",
    "prose",
    "prose opening with a dateline",
    "short fragment",
    "byline or date line follows",
    "dateline follows",
    "markdown heading or bold line",
    "line in capitals",
    "opens with a time or date",
    "starts with a capital",
    "headline-shaped line",
    "line ends a sentence",
    "words in the line",
    "line length against the dump's long lines",
    "paragraph words against the dump's usual",
    "previous line ends a sentence",
    "previous line length against the dump's long lines",
    "after a headline",
    "after a byline, date or source line",
    "after a paragraph closed by an agency tag",
    "after a section label",
    "after a short fragment",
    "previous paragraph words against the dump's usual",
    "dump is hard-wrapped",
    "share of the dump's paragraphs that are headlines",
    "opening rare in this dump",
    "list or quote marker",
    "similarity across the gap (1 each side)",
    "similarity across the gap (2 each side)",
    "similarity across the gap (4 each side)",
    "similarity across the gap (8 each side)",
    "dip below neighbouring gaps (1 each side)",
    "dip below neighbouring gaps (2 each side)",
    "dip below neighbouring gaps (4 each side)",
    "dip below neighbouring gaps (8 each side)",
    "similarity to the story so far",
    "raw similarity across the gap (1 each side)",
    "raw similarity across the gap (2 each side)",
    "raw similarity across the gap (4 each side)",
    "dump's usual similarity across gaps",
    "no story text on one side",
    "first prose after the gap",
    "prose paragraphs in the dump",
    "share of the dump's gaps with a layout cue",
    "prose paragraphs since the last layout cue",
    "story-closing line since the last story text",
    "opening shape's share of the dump's paragraphs",
    "opening shape recurs across the dump",
    "numbered in sequence with another opening",
    "paragraphs to the nearest number in sequence",
];

/// Index of the first content feature in [`FEATURE_NAMES`] (those that move when sentence vectors move).
pub const FIRST_CONTENT: usize = 39;
/// Content features: normalised similarities (4), dips (4), story so far, raw similarities (3).
const CONTENT_FEATURES: usize = 12;

static TIME_OR_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\W{0,3}(\d{1,2}[:.]\d{2}(\s?[AaPp]\.?[Mm]\.?)?\b|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})",
    )
    .expect("valid pattern")
});

/// A number opening a line as a list or story number (`3.`, `3)`, `[3]`, `#3`, `(3)`), and its form.
static LEADING_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\W{0,3}?([\[#(]?)(\d{1,3})([.)\]:]?)\s").expect("valid pattern")
});

static LIST_OR_QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(>|[-*•·–] |\d{1,3}[.)] )").expect("valid pattern"));

/// A line where a story could start and what the model sees there.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// 0-based line of the dump.
    pub line: usize,
    /// The unit holding the line.
    pub unit: usize,
    /// One value per name in [`FEATURE_NAMES`].
    pub features: Vec<f32>,
    /// Prose units before the line, when it opens a unit with prose on both sides (where the content
    /// features are measured).
    pub gap: Option<usize>,
    /// The units whose vectors the content features come from.
    pub depends_on: Range<usize>,
    /// For each feature, how far it moves when every similarity rises by one (dips fall: negative).
    pub sensitivity: Vec<f32>,
}

/// Similarities between prose windows on either side of each gap between prose units, for one window size.
struct GapSimilarities {
    /// Gap g (1..prose count) sits before prose unit g; index 0 is unused.
    values: Vec<f32>,
    median: f32,
    spread: f32,
}

impl GapSimilarities {
    fn new(prose: &[&[f32]], window: usize, dimension: usize) -> Self {
        let centroid =
            |range: Range<usize>| normalized_mean(prose[range].iter().copied(), dimension);
        let mut values = vec![0.0; prose.len().max(1)];
        for (g, value) in values.iter_mut().enumerate().skip(1) {
            let left = centroid(g.saturating_sub(window)..g);
            let right = centroid(g..(g + window).min(prose.len()));
            *value = cosine(&left, &right);
        }
        let (median, spread) = robust_scale(&values[1.min(values.len())..]);
        GapSimilarities {
            values,
            median,
            spread,
        }
    }

    /// The similarity at gap g, against the dump's usual, in units of its spread.
    fn normalised(&self, g: usize) -> f32 {
        (self.values[g] - self.median) / self.spread
    }

    /// How far gap g dips below the highest gaps within `radius` on each side, in units of the spread.
    fn dip(&self, g: usize, radius: usize) -> f32 {
        let last = self.values.len() - 1;
        let left = self.values[g.saturating_sub(radius).max(1)..=g]
            .iter()
            .fold(f32::MIN, |a, &b| a.max(b));
        let right = self.values[g..=(g + radius).min(last)]
            .iter()
            .fold(f32::MIN, |a, &b| a.max(b));
        (left + right - 2.0 * self.values[g]) / self.spread
    }
}

/// Median and a spread (mean absolute deviation from it, at least 0.02) of some values.
fn robust_scale(values: &[f32]) -> (f32, f32) {
    if values.is_empty() {
        return (0.0, 1.0);
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f32::total_cmp);
    let median = sorted[sorted.len() / 2];
    let spread = values.iter().map(|v| (v - median).abs()).sum::<f32>() / values.len() as f32;
    (median, spread.max(0.02))
}

/// The shape of a line's opening, to count how often the same opening recurs in a dump: the class of each of
/// its first two words (a time, a number, a word in capitals, a capitalised or a lower-case word, or the
/// punctuation it opens with) with the punctuation the first ends with, and whether the line is short.
fn opening_shape(text: &str) -> String {
    let mut shape = String::new();
    for word in text.split_whitespace().take(2) {
        let core = word.trim_matches(|c: char| !c.is_alphanumeric());
        let class = if TIME_OR_DATE.is_match(word) {
            "T".to_string()
        } else if core.chars().all(|c| c.is_ascii_digit()) && !core.is_empty() {
            "N".to_string()
        } else if core.is_empty() {
            word.chars().take(2).collect()
        } else if is_all_caps(core) && core.chars().count() > 1 {
            "A".to_string()
        } else if starts_capitalised(core) {
            "C".to_string()
        } else {
            "l".to_string()
        };
        let lead: String = word.chars().take_while(|c| !c.is_alphanumeric()).collect();
        let tail: String = word
            .chars()
            .rev()
            .take_while(|c| !c.is_alphanumeric())
            .collect();
        shape.push_str(&format!("{lead}{class}{tail} "));
    }
    shape.push(if word_count(text) <= 4 { 's' } else { 'l' });
    shape
}

/// How each unit's opening shape recurs in the dump: the share of units opening with the same shape, and
/// how far apart (as a share of the dump's units) its first and last occurrences lie.
fn shape_recurrence(units: &[Unit], lines: &[String]) -> Vec<(f32, f32)> {
    let shapes: Vec<String> = units
        .iter()
        .map(|u| opening_shape(lines[u.paragraph.first_line()].trim()))
        .collect();
    let mut seen: std::collections::HashMap<&str, (usize, usize, usize)> =
        std::collections::HashMap::new();
    for (u, shape) in shapes.iter().enumerate() {
        let entry = seen.entry(shape.as_str()).or_insert((0, u, u));
        entry.0 += 1;
        entry.2 = u;
    }
    let total = units.len().max(1) as f32;
    shapes
        .iter()
        .map(|shape| {
            let (count, first, last) = seen[shape.as_str()];
            (count as f32 / total, (last - first) as f32 / total)
        })
        .collect()
}

/// For each unit opening with a number, whether another opening of the same form carries the next or the
/// previous number, and how many units away the nearest such one is.
fn number_sequences(units: &[Unit], lines: &[String]) -> Vec<Option<usize>> {
    let numbers: Vec<Option<(String, u32)>> = units
        .iter()
        .map(|u| {
            let captures = LEADING_NUMBER.captures(lines[u.paragraph.first_line()].trim())?;
            let form = format!("{}{}", &captures[1], &captures[3]);
            Some((form, captures[2].parse().ok()?))
        })
        .collect();
    (0..units.len())
        .map(|u| {
            let (form, n) = numbers[u].as_ref()?;
            let neighbour = |other: &Option<(String, u32)>, wanted: u32| {
                other
                    .as_ref()
                    .is_some_and(|(f, m)| f == form && *m == wanted)
            };
            let before = (0..u)
                .rev()
                .find(|&v| numbers[v].is_some())
                .filter(|&v| neighbour(&numbers[v], n.wrapping_sub(1)))
                .map(|v| u - v);
            let after = (u + 1..units.len())
                .find(|&v| numbers[v].is_some())
                .filter(|&v| neighbour(&numbers[v], n + 1))
                .map(|v| v - u);
            before.into_iter().chain(after).min()
        })
        .collect()
}

/// What kind of opening a unit makes, for counting how common each is in the dump.
fn opening_kind(unit: &Unit) -> usize {
    match unit.kind {
        UnitKind::Headline | UnitKind::Subheading => 0,
        UnitKind::Digest { .. } => 1,
        UnitKind::Byline(_) | UnitKind::DateLine | UnitKind::SourceLine => 2,
        UnitKind::Prose if dateline(&unit.paragraph.text).is_some() => 3,
        UnitKind::Prose => 4,
        UnitKind::Fragment => 5,
    }
}

/// The dump's own statistics the layout features are measured against.
struct DumpProfile {
    typical_gap: usize,
    /// Share of text lines (after the first) with at least n blank lines before them, by n.
    blank_share: Vec<f32>,
    median_words: f32,
    long_line: f32,
    headline_share: f32,
    opening_share: [f32; 6],
}

impl DumpProfile {
    fn new(units: &[Unit], blanks: &[usize], text_lines: &[usize], lengths: &[usize]) -> Self {
        let mut counts = std::collections::BTreeMap::new();
        for unit in units.iter().skip(1) {
            *counts.entry(unit.paragraph.blanks_before).or_insert(0usize) += 1;
        }
        let typical_gap = counts
            .iter()
            .max_by_key(|&(&gap, &count)| (count, std::cmp::Reverse(gap)))
            .map_or(0, |(&gap, _)| gap);
        let gaps: Vec<usize> = text_lines.iter().skip(1).map(|&l| blanks[l]).collect();
        let blank_share = (0..=9)
            .map(|n| {
                let at_least = gaps.iter().filter(|&&g| g >= n.max(1)).count();
                at_least as f32 / gaps.len().max(1) as f32
            })
            .collect();
        let mut words: Vec<usize> = units
            .iter()
            .map(|u| word_count(&u.paragraph.text))
            .collect();
        words.sort_unstable();
        let median_words = words.get(words.len() / 2).copied().unwrap_or(1).max(1) as f32;
        let mut long: Vec<usize> = text_lines.iter().map(|&l| lengths[l]).collect();
        long.sort_unstable();
        let long_line = long.get(long.len() * 9 / 10).copied().unwrap_or(1).max(1) as f32;
        let share = |n: usize| n as f32 / units.len().max(1) as f32;
        let mut opening_share = [0.0; 6];
        for unit in units {
            opening_share[opening_kind(unit)] += share(1);
        }
        DumpProfile {
            typical_gap,
            blank_share,
            median_words,
            long_line,
            headline_share: share(
                units
                    .iter()
                    .filter(|u| u.kind == UnitKind::Headline)
                    .count(),
            ),
            opening_share,
        }
    }

    fn blank_share(&self, blanks: usize) -> f32 {
        self.blank_share[blanks.min(self.blank_share.len() - 1)]
    }
}

/// The story-so-far similarity at each prose gap, with its median and spread.
fn context_similarities(prose: &[&[f32]], dimension: usize) -> (Vec<f32>, f32, f32) {
    let context: Vec<f32> = (0..prose.len())
        .map(|g| {
            if g == 0 {
                return 0.0;
            }
            let centroid =
                |range: Range<usize>| normalized_mean(prose[range].iter().copied(), dimension);
            cosine(
                &centroid(g.saturating_sub(CONTEXT)..g),
                &centroid(g..(g + CONTEXT_AFTER).min(prose.len())),
            )
        })
        .collect();
    let (median, spread) = robust_scale(context.get(1..).unwrap_or(&[]));
    (context, median, spread)
}

/// Lines looked back over for a story-closing line before a candidate.
const CLOSING_REACH: usize = 6;

/// Whether a story-closing line (an end mark, a copyright or share line, a separator) stands between line `l`
/// and the last story text before it, looking back over blank lines and short fragments (a slug, a section
/// label, a breadcrumb) only. Lines that merely repeat are left out: in real text short fragments repeat too
/// (a quote mark, a name cut off by a broken sentence split).
fn closed_before(l: usize, kinds: &[LineKind], units: &[Unit], unit_of_line: &[usize]) -> bool {
    (0..l)
        .rev()
        .filter(|&j| kinds[j] != LineKind::Blank)
        .take(CLOSING_REACH)
        .map(|j| match kinds[j] {
            LineKind::Separator => Some(true),
            LineKind::Boilerplate(Boilerplate::Repeated) => None,
            LineKind::Boilerplate(b) if b.ends_story() => Some(true),
            LineKind::Boilerplate(_) => None,
            _ => match units.get(unit_of_line[j]).map(|u| &u.kind) {
                Some(UnitKind::Fragment) => None,
                _ => Some(false),
            },
        })
        .find_map(|closed| closed)
        .unwrap_or(false)
}

/// Whether a unit opens with a strong layout cue: a blank gap wider than usual, a separator, a headline, a
/// digest item, a dateline.
fn cued(unit: &Unit, kinds: &[LineKind], typical_gap: usize) -> bool {
    unit.paragraph.blanks_before > typical_gap
        || (unit.kind == UnitKind::Prose && dateline(&unit.paragraph.text).is_some())
        || unit
            .paragraph
            .junk_before
            .iter()
            .any(|&l| kinds[l] == LineKind::Separator)
        || matches!(unit.kind, UnitKind::Headline | UnitKind::Digest { .. })
}

/// The candidates of a dump, every text line after the first, with their layout features (the content
/// features zero until [`add_content`]). `units` are the dump's paragraphs, `wrap` its wrap width.
pub fn candidates(
    lines: &[String],
    kinds: &[LineKind],
    units: &[Unit],
    wrap: Option<usize>,
) -> Vec<Candidate> {
    let lengths: Vec<usize> = lines.iter().map(|l| l.trim().chars().count()).collect();
    let text_lines: Vec<usize> = (0..lines.len())
        .filter(|&l| kinds[l] == LineKind::Text)
        .collect();
    if text_lines.len() < 2 {
        return Vec::new();
    }
    let mut unit_of_line = vec![usize::MAX; lines.len()];
    for (u, unit) in units.iter().enumerate() {
        for &l in &unit.paragraph.lines {
            unit_of_line[l] = u;
        }
    }
    // Blank lines between the previous text line and each line, and where that stretch starts.
    let mut blanks = vec![0usize; lines.len()];
    let mut junk_start = vec![0usize; lines.len()];
    let (mut run, mut previous_text) = (0, 0);
    for (l, kind) in kinds.iter().enumerate() {
        match kind {
            LineKind::Blank => run += 1,
            LineKind::Text => {
                blanks[l] = run;
                junk_start[l] = previous_text;
                run = 0;
                previous_text = l + 1;
            }
            _ => run = 0,
        }
    }
    let profile = DumpProfile::new(units, &blanks, &text_lines, &lengths);
    let prose_units: Vec<usize> = (0..units.len()).filter(|&i| units[i].is_prose()).collect();
    // Prose units before each unit, and prose units since the last cued unit.
    let mut prose_before = Vec::with_capacity(units.len());
    let mut since_cue = Vec::with_capacity(units.len());
    let (mut seen, mut since) = (0, 0usize);
    for unit in units {
        if cued(unit, kinds, profile.typical_gap) {
            since = 0;
        }
        prose_before.push(seen);
        since_cue.push(since);
        seen += usize::from(unit.is_prose());
        since += usize::from(unit.is_prose());
    }
    let cue_share = units
        .iter()
        .skip(1)
        .filter(|u| cued(u, kinds, profile.typical_gap))
        .count() as f32
        / (units.len().max(2) - 1) as f32;
    let recurrence = shape_recurrence(units, lines);
    let sequences = number_sequences(units, lines);
    let flag = |b: bool| f32::from(u8::from(b));
    text_lines[1..]
        .iter()
        .map(|&l| {
            let u = unit_of_line[l];
            let unit = &units[u];
            let first = unit.paragraph.first_line() == l;
            let kind = |k: fn(&UnitKind) -> bool| flag(first && k(&unit.kind));
            let text = lines[l].trim();
            let previous_line = lines[junk_start[l].saturating_sub(1)].trim();
            let previous = (u > 0 && first).then(|| &units[u - 1]);
            let after = |k: fn(&Unit) -> bool| flag(previous.is_some_and(k));
            let junk = |test: fn(LineKind) -> bool| {
                flag((junk_start[l]..l).any(|j| kinds[j] != LineKind::Blank && test(kinds[j])))
            };
            let unit_words = word_count(&unit.paragraph.text).max(1) as f32;
            let previous_words = units[u.saturating_sub(1)].paragraph.text.as_str();
            let previous_words = word_count(previous_words).max(1) as f32;
            let g = prose_before[u];
            let has_gap = first && g >= 1 && g < prose_units.len();
            let mut features = vec![
                blanks[l].min(5) as f32,
                blanks[l] as f32 - profile.typical_gap as f32,
                if blanks[l] > 0 {
                    1.0 - profile.blank_share(blanks[l])
                } else {
                    0.0
                },
                profile.blank_share(1),
                junk(|k| k == LineKind::Separator),
                junk(|k| matches!(k, LineKind::Boilerplate(b) if b.ends_story())),
                junk(|k| matches!(k, LineKind::Boilerplate(b) if !b.ends_story())),
                flag(first),
                kind(|k| matches!(k, UnitKind::Headline | UnitKind::Subheading)),
                kind(|k| matches!(k, UnitKind::Digest { .. })),
                kind(|k| matches!(k, UnitKind::Byline(_))),
                kind(|k| *k == UnitKind::DateLine),
                kind(|k| *k == UnitKind::SourceLine),
                kind(|k| *k == UnitKind::Prose),
                flag(first && unit.kind == UnitKind::Prose && dateline(text).is_some()),
                kind(|k| *k == UnitKind::Fragment),
                flag(first && units.get(u + 1).is_some_and(Unit::is_meta)),
                flag(
                    first
                        && units
                            .get(u + 1)
                            .is_some_and(|n| n.is_prose() && dateline(&n.paragraph.text).is_some()),
                ),
                flag(text.starts_with('#') || (text.starts_with("**") && text.ends_with("**"))),
                flag(is_all_caps(text)),
                flag(TIME_OR_DATE.is_match(text)),
                flag(starts_capitalised(text)),
                flag(looks_like_headline(
                    text.trim_start_matches(['#', '*', ' ']),
                )),
                flag(ends_sentence(text)),
                (word_count(text).max(1) as f32).ln(),
                lengths[l] as f32 / profile.long_line,
                (unit_words / profile.median_words).ln().clamp(-3.0, 3.0),
                flag(ends_sentence(previous_line)),
                previous_line.chars().count() as f32 / profile.long_line,
                after(|p| matches!(p.kind, UnitKind::Headline | UnitKind::Subheading)),
                after(Unit::is_meta),
                after(|p| p.is_prose() && agency_tag(&p.paragraph.text).is_some()),
                after(|p| {
                    p.kind == UnitKind::Fragment
                        && is_all_caps(&p.paragraph.text)
                        && word_count(&p.paragraph.text) <= 6
                }),
                after(|p| p.kind == UnitKind::Fragment),
                (previous_words / profile.median_words)
                    .ln()
                    .clamp(-3.0, 3.0),
                flag(wrap.is_some()),
                profile.headline_share,
                if first {
                    1.0 - profile.opening_share[opening_kind(unit)]
                } else {
                    0.0
                },
                flag(LIST_OR_QUOTE.is_match(text)),
            ];
            debug_assert_eq!(features.len(), FIRST_CONTENT);
            features.extend([0.0; CONTENT_FEATURES + 1]);
            features.extend([
                flag(!has_gap),
                flag(has_gap && prose_units[g] == u),
                prose_units.len() as f32,
                cue_share,
                since_cue[u] as f32,
                flag(first && closed_before(l, kinds, units, &unit_of_line)),
                if first { recurrence[u].0 } else { 0.0 },
                if first { recurrence[u].1 } else { 0.0 },
                flag(first && sequences[u].is_some()),
                sequences[u]
                    .filter(|_| first)
                    .map_or(0.0, |d| (d as f32).ln_1p()),
            ]);
            debug_assert_eq!(features.len(), FEATURE_NAMES.len());
            Candidate {
                line: l,
                unit: u,
                gap: has_gap.then_some(g),
                features,
                depends_on: 0..0,
                sensitivity: vec![0.0; FEATURE_NAMES.len()],
            }
        })
        .collect()
}

/// Fills in the content features of `candidates` from the units' sentence-vector means (`None` for units that
/// are not prose).
pub fn add_content(candidates: &mut [Candidate], vectors: &[UnitVector]) {
    let prose_units: Vec<usize> = (0..vectors.len())
        .filter(|&i| vectors[i].is_some())
        .collect();
    let prose: Vec<&[f32]> = prose_units
        .iter()
        .filter_map(|&i| vectors[i].as_deref())
        .collect();
    let dimension = prose.first().map_or(0, |v| v.len());
    let windows: Vec<GapSimilarities> = WINDOWS
        .iter()
        .map(|&w| GapSimilarities::new(&prose, w, dimension))
        .collect();
    let (context, context_median, context_spread) = context_similarities(&prose, dimension);
    for candidate in candidates {
        let (features, sensitivity) = (&mut candidate.features, &mut candidate.sensitivity);
        features[FIRST_CONTENT + CONTENT_FEATURES] = windows[1].median;
        let Some(g) = candidate.gap.filter(|&g| g < prose.len()) else {
            continue;
        };
        for (w, sims) in windows.iter().enumerate() {
            features[FIRST_CONTENT + w] = sims.normalised(g).clamp(-6.0, 6.0);
            sensitivity[FIRST_CONTENT + w] = 1.0 / sims.spread;
            features[FIRST_CONTENT + 4 + w] = sims.dip(g, WINDOWS[w]).clamp(0.0, 12.0);
            sensitivity[FIRST_CONTENT + 4 + w] = -2.0 / sims.spread;
        }
        features[FIRST_CONTENT + 8] =
            ((context[g] - context_median) / context_spread).clamp(-6.0, 6.0);
        sensitivity[FIRST_CONTENT + 8] = 1.0 / context_spread;
        for (w, sims) in windows.iter().take(3).enumerate() {
            features[FIRST_CONTENT + 9 + w] = sims.values[g];
            sensitivity[FIRST_CONTENT + 9 + w] = 1.0;
        }
        let reach = WINDOWS[WINDOWS.len() - 1] * 2 + 1;
        let from = g.saturating_sub(reach.max(CONTEXT));
        let to = (g + reach).min(prose.len());
        candidate.depends_on = prose_units[from]..prose_units[to - 1] + 1;
    }
}
