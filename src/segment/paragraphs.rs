//! Stage 2, paragraphs: groups text lines into paragraphs. A blank line, a separator or boilerplate always
//! ends a paragraph; in a hard-wrapped dump consecutive text lines are joined when the first one is full
//! (the next word would not have fitted within the wrap width); otherwise every text line is a paragraph. A
//! paragraph a page break cut goes on over the page's furniture (see [`pages`]).

use super::lines::LineKind;
use super::pages;
use super::shape::first_word;

/// Fewest continued lines needed before a wrap width is believed.
const MIN_WRAPPED_LINES: usize = 4;
/// Widest column a hard-wrapped dump is taken to use; wider lines are paragraphs printed on one line.
const MAX_WRAP_WIDTH: usize = 100;
/// Share of continued lines that must be filled close to the wrap width.
const MIN_FILLED_SHARE: f64 = 0.6;
/// How far below the wrap width a line may stop and still count as filled.
const FILL_TOLERANCE: usize = 20;

/// One paragraph: one or more consecutive text lines, un-wrapped into `text`.
#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    /// 0-based indexes of its lines, consecutive but for the page furniture of a page break that cut the
    /// paragraph (see [`pages::continues_across`]).
    pub lines: Vec<usize>,
    /// The lines joined with single spaces.
    pub text: String,
    /// Blank lines between the previous non-blank line and this paragraph.
    pub blanks_before: usize,
    /// Separator and boilerplate lines between the previous paragraph and this one.
    pub junk_before: Vec<usize>,
}

impl Paragraph {
    /// First line, 0-based.
    pub fn first_line(&self) -> usize {
        self.lines[0]
    }

    /// Last line, 0-based.
    pub fn last_line(&self) -> usize {
        self.lines[self.lines.len() - 1]
    }
}

/// The column a hard-wrapped dump is wrapped at, if it is one: most lines followed by another text line end
/// close to a common width of at most [`MAX_WRAP_WIDTH`] characters.
pub fn wrap_width(lines: &[String], kinds: &[LineKind]) -> Option<usize> {
    let mut continued: Vec<usize> = (0..lines.len().saturating_sub(1))
        .filter(|&i| kinds[i] == LineKind::Text && kinds[i + 1] == LineKind::Text)
        .map(|i| lines[i].trim_end().chars().count())
        .collect();
    if continued.len() < MIN_WRAPPED_LINES {
        return None;
    }
    continued.sort_unstable();
    let width = continued[(continued.len() * 95 / 100).min(continued.len() - 1)];
    let filled = continued
        .iter()
        .filter(|&&len| len + FILL_TOLERANCE >= width && len <= width)
        .count();
    (width <= MAX_WRAP_WIDTH && filled as f64 >= MIN_FILLED_SHARE * continued.len() as f64)
        .then_some(width)
}

/// Groups the text lines into paragraphs, un-wrapping them when the dump is hard-wrapped at `wrap`.
pub fn group_paragraphs(
    lines: &[String],
    kinds: &[LineKind],
    wrap: Option<usize>,
) -> Vec<Paragraph> {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut blanks = 0;
    let mut junk = Vec::new();
    let mut previous_text: Option<usize> = None;
    for (i, kind) in kinds.iter().enumerate() {
        match kind {
            LineKind::Blank => blanks += 1,
            LineKind::Separator | LineKind::Boilerplate(_) => {
                junk.push(i);
                blanks = 0;
            }
            LineKind::Text => {
                let continues = previous_text.is_some_and(|p| {
                    let wrapped = wrap.is_some_and(|width| is_wrapped(&lines[p], &lines[i], width));
                    match p + 1 == i {
                        true => wrapped,
                        false => {
                            pages::continues_across(&lines[p], &lines[i], &kinds[p + 1..i], wrapped)
                        }
                    }
                });
                match paragraphs.last_mut() {
                    Some(paragraph) if continues => {
                        join_wrapped(&mut paragraph.text, lines[i].trim());
                        paragraph.lines.push(i);
                        junk.clear();
                    }
                    _ => paragraphs.push(Paragraph {
                        lines: vec![i],
                        text: lines[i].trim().to_string(),
                        blanks_before: blanks,
                        junk_before: std::mem::take(&mut junk),
                    }),
                }
                blanks = 0;
                previous_text = Some(i);
            }
        }
    }
    paragraphs
}

/// Splits a paragraph before each of the `cuts` (lines of it after its first), un-wrapping each part again.
pub fn split_paragraph(lines: &[String], paragraph: Paragraph, cuts: &[usize]) -> Vec<Paragraph> {
    let mut parts: Vec<Paragraph> = Vec::with_capacity(cuts.len() + 1);
    for &i in &paragraph.lines {
        match parts.last_mut() {
            Some(part) if !cuts.contains(&i) => {
                join_wrapped(&mut part.text, lines[i].trim());
                part.lines.push(i);
            }
            _ => parts.push(Paragraph {
                lines: vec![i],
                text: lines[i].trim().to_string(),
                blanks_before: if parts.is_empty() {
                    paragraph.blanks_before
                } else {
                    0
                },
                junk_before: if parts.is_empty() {
                    paragraph.junk_before.clone()
                } else {
                    Vec::new()
                },
            }),
        }
    }
    parts
}

/// A line break is a soft wrap when the line fits the wrap width but the first word of the next line would not
/// have fitted on it. Lines wider than the wrap width (headlines, notices) were never wrapped.
fn is_wrapped(line: &str, next: &str, width: usize) -> bool {
    let used = line.trim_end().chars().count();
    used <= width && used + 1 + first_word(next).chars().count() > width
}

/// Appends a wrapped line; a word hyphenated across the break ("well-" + "known") is joined without a space.
fn join_wrapped(text: &mut String, next: &str) {
    let hyphenated = text.ends_with('-')
        && text.chars().rev().nth(1).is_some_and(char::is_alphabetic)
        && next.chars().next().is_some_and(char::is_lowercase);
    if !hyphenated {
        text.push(' ');
    }
    text.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lines::classify_lines;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    #[test]
    fn hard_wrapped_paragraphs_are_unwrapped() {
        let text = "A landslide set off by days of heavy rain buried dozens of homes in a\n\
                    gold-mining village on the southern Philippine island of Mindanao on\n\
                    Tuesday night, killing at least 19 people and leaving more than 40\n\
                    missing, officials said on Wednesday.\n\
                    \n\
                    Part of a mountainside collapsed onto the village of San Isidro in\n\
                    Pantukan municipality, Davao de Oro province, at about 10:30 p.m.,\n\
                    sweeping away houses and a waiting shed where miners gather before the\n\
                    night shift, the provincial disaster office said.";
        let lines = lines(text);
        let kinds = classify_lines(&lines);
        let wrap = wrap_width(&lines, &kinds);
        assert_eq!(wrap, Some(70));
        let paragraphs = group_paragraphs(&lines, &kinds, wrap);
        assert_eq!(paragraphs.len(), 2);
        assert_eq!(paragraphs[0].lines, vec![0, 1, 2, 3]);
        assert!(paragraphs[0].text.starts_with("A landslide"));
        assert!(paragraphs[0].text.contains("in a gold-mining village"));
        assert_eq!(paragraphs[1].blanks_before, 1);
    }

    #[test]
    fn paragraph_per_line_feeds_are_not_unwrapped() {
        let long = |n: usize| format!("{}paragraph {n} ends here.", "word ".repeat(30 + n));
        let text = format!(
            "Headline of the story here\n{}\n{}\nShort closing line.\n{}",
            long(1),
            long(2),
            long(3)
        );
        let lines = lines(&text);
        let kinds = classify_lines(&lines);
        assert_eq!(wrap_width(&lines, &kinds), None);
        assert_eq!(group_paragraphs(&lines, &kinds, None).len(), 5);
    }

    #[test]
    fn a_paragraph_splits_before_a_chosen_line_and_unwraps_each_part() {
        let lines = lines("Flood warning lifted\nRivers fell below the\nalert level on Monday.");
        let paragraph = Paragraph {
            lines: vec![0, 1, 2],
            text: String::new(),
            blanks_before: 2,
            junk_before: vec![7],
        };
        let parts = split_paragraph(&lines, paragraph, &[1]);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].lines, vec![0]);
        assert_eq!(parts[0].text, "Flood warning lifted");
        assert_eq!(
            (parts[0].blanks_before, parts[0].junk_before.clone()),
            (2, vec![7])
        );
        assert_eq!(parts[1].lines, vec![1, 2]);
        assert_eq!(
            parts[1].text,
            "Rivers fell below the alert level on Monday."
        );
        assert_eq!((parts[1].blanks_before, parts[1].junk_before.len()), (0, 0));
    }

    #[test]
    fn hyphenated_breaks_join_without_space() {
        let mut text = "a well-".to_string();
        join_wrapped(&mut text, "known fact");
        assert_eq!(text, "a well-known fact");
    }
}
