//! Stage 1, line classification: every line of the dump is blank, a separator, boilerplate or text.

use super::boilerplate::{self, Boilerplate};
use super::metadata::{byline, is_date_line};

/// What a single line of the dump is, before lines are grouped into paragraphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Empty or whitespace only.
    Blank,
    /// A rule between stories: `---`, `* * *`, `###`, `=====` and the like.
    Separator,
    /// A line that belongs to the page or wire, not to a story.
    Boilerplate(Boilerplate),
    /// Anything else: headline, byline, paragraph text.
    Text,
}

/// Classifies every line: separators and boilerplate by their form, then lines printed repeatedly in
/// different places as boilerplate too (bylines and date lines excepted: one author writes many stories).
pub fn classify_lines(lines: &[String]) -> Vec<LineKind> {
    let mut kinds: Vec<LineKind> = lines.iter().map(|line| classify_line(line)).collect();
    let candidates: Vec<bool> = kinds
        .iter()
        .zip(lines)
        .map(|(kind, line)| {
            *kind == LineKind::Text && byline(line).is_none() && !is_date_line(line)
        })
        .collect();
    for i in boilerplate::repeated_lines(lines, &candidates) {
        kinds[i] = LineKind::Boilerplate(Boilerplate::Repeated);
    }
    kinds
}

fn classify_line(line: &str) -> LineKind {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        LineKind::Blank
    } else if is_separator(trimmed) {
        LineKind::Separator
    } else if let Some(kind) = boilerplate::classify(trimmed) {
        LineKind::Boilerplate(kind)
    } else {
        LineKind::Text
    }
}

/// A line made only of rule characters, with at least three of them.
fn is_separator(trimmed: &str) -> bool {
    let marks = trimmed.chars().filter(|c| !c.is_whitespace()).count();
    marks >= 3
        && trimmed
            .chars()
            .all(|c| c.is_whitespace() || "-=*#_~+•·.<>—–─━═".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_boilerplate_and_text_are_told_apart() {
        let lines: Vec<String> = [
            "* * *",
            "---",
            "###",
            "=====",
            "",
            "Advertisement",
            "A story line.",
            "--",
        ]
        .map(String::from)
        .to_vec();
        let kinds = classify_lines(&lines);
        assert_eq!(&kinds[..4], &[LineKind::Separator; 4]);
        assert_eq!(kinds[4], LineKind::Blank);
        assert_eq!(kinds[5], LineKind::Boilerplate(Boilerplate::Advert));
        assert_eq!(kinds[6], LineKind::Text);
        assert_eq!(kinds[7], LineKind::Text);
    }
}
