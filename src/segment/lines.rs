//! Stage 1, line classification: every line of the dump is blank, a separator, boilerplate or text.

use super::boilerplate::{self, Boilerplate};
use super::metadata::{byline, headline_field, headline_text, is_date_line, is_field};
use super::shape::{ends_sentence, looks_like_headline};
use std::borrow::Cow;

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
/// different places as boilerplate too (bylines and date lines excepted: one author writes many stories),
/// and a PDF's page furniture (see [`super::pages`]).
pub fn classify_lines(lines: &[String]) -> Vec<LineKind> {
    let mut kinds: Vec<LineKind> = lines.iter().map(|line| classify_line(line)).collect();
    mark_headers(lines, &mut kinds);
    mark_signatures(lines, &mut kinds);
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
    super::pages::mark_page_furniture(lines, &mut kinds);
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

/// Headlines printed in a field or underlined: in a file of several messages or entries, a mail's `Subject:`
/// or front matter's `title:` line is the story's headline (text, where the field name alone made it a mail
/// header), and the fields set solid under it (`From:`, `Date:`, `author:`), with the rule closing front
/// matter, are its header (the one subject of a single mail names the whole mail, a newsletter perhaps);
/// so is the underline of a setext heading (`Floods hit the north` over `-----`), which is no rule between
/// stories.
fn mark_headers(lines: &[String], kinds: &mut [LineKind]) {
    let header = LineKind::Boilerplate(Boilerplate::Header);
    let fields = lines.iter().filter(|l| headline_field(l).is_some()).count();
    for i in 0..lines.len() {
        if fields >= 2 && headline_field(&lines[i]).is_some() {
            kinds[i] = LineKind::Text;
            let mut j = i + 1;
            while j < lines.len() && is_field(&lines[j]) && headline_field(&lines[j]).is_none() {
                kinds[j] = header;
                j += 1;
            }
            let front_matter = i > 0 && kinds[i - 1] == LineKind::Separator;
            if front_matter && j > i + 1 && kinds.get(j) == Some(&LineKind::Separator) {
                kinds[j] = header;
            }
        } else if i > 0 && kinds[i] == LineKind::Separator && is_underline(&lines[i]) {
            let above = headline_text(&lines[i - 1]);
            if kinds[i - 1] == LineKind::Text && looks_like_headline(above) && !ends_sentence(above)
            {
                kinds[i] = header;
            }
        }
    }
}

/// Most lines a mail signature runs to (the usual netiquette limit).
const MAX_SIGNATURE_LINES: usize = 4;

/// A mail signature: the delimiter line `-- ` (two dashes and a space, as mail software writes it) and the
/// few lines set solid under it, up to the next blank line; it closes the message's story.
fn mark_signatures(lines: &[String], kinds: &mut [LineKind]) {
    for i in 0..lines.len() {
        if lines[i].trim_end_matches(['\r', '\n']) != "-- " {
            continue;
        }
        let end = (i + 1..lines.len())
            .find(|&j| kinds[j] == LineKind::Blank)
            .unwrap_or(lines.len());
        if (2..=MAX_SIGNATURE_LINES + 1).contains(&(end - i)) {
            kinds[i..end].fill(LineKind::Boilerplate(Boilerplate::Signature));
        }
    }
}

/// A setext heading's underline: `-` or `=` only, with nothing else on the line.
fn is_underline(line: &str) -> bool {
    let line = line.trim();
    line.chars().all(|c| c == '-') || line.chars().all(|c| c == '=')
}

/// The lines as the later stages read them: a headline printed in a field without the field's name
/// (`Subject: Floods hit the north` reads `Floods hit the north`), every other line as it is.
pub fn shown_lines<'a>(lines: &'a [String], kinds: &[LineKind]) -> Cow<'a, [String]> {
    let field = |l: usize| (kinds[l] == LineKind::Text).then(|| headline_field(&lines[l]))?;
    if !(0..lines.len()).any(|l| field(l).is_some()) {
        return Cow::Borrowed(lines);
    }
    Cow::Owned(
        (0..lines.len())
            .map(|l| field(l).map_or_else(|| lines[l].clone(), str::to_string))
            .collect(),
    )
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

    fn owned(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_subject_in_a_file_of_messages_is_the_headline_and_its_fields_the_header() {
        let lines = owned(&[
            "Subject: Floods hit the north of the country",
            "From: News Desk <desk@example.org>",
            "Date: Sat, 27 Jun 2026 09:56:00 +0000",
            "To: monitoring@example.org",
            "",
            "Rivers burst their banks on Monday.",
            "",
            "-- ",
            "Sent by the desk. Do not reply.",
            "",
            "Subject: Re: Talks resume in Geneva",
            "From: News Desk <desk@example.org>",
            "",
            "Delegates met again on Tuesday.",
        ]);
        let kinds = classify_lines(&lines);
        let header = LineKind::Boilerplate(Boilerplate::Header);
        assert_eq!(kinds[0], LineKind::Text);
        assert_eq!(&kinds[1..4], &[header; 3]);
        assert_eq!(kinds[5], LineKind::Text);
        let signature = LineKind::Boilerplate(Boilerplate::Signature);
        assert_eq!(&kinds[7..9], &[signature; 2]);
        assert_eq!((kinds[10], kinds[11]), (LineKind::Text, header));
        let shown = shown_lines(&lines, &kinds);
        assert_eq!(shown[0], "Floods hit the north of the country");
        assert_eq!(shown[10], "Talks resume in Geneva");
        assert_eq!(shown[5], lines[5]);
    }

    #[test]
    fn the_one_subject_of_a_single_mail_stays_a_mail_header() {
        let lines = owned(&[
            "From: World Roundup <news@example.org>",
            "Subject: World Roundup: floods and talks",
            "",
            "Rivers burst their banks on Monday.",
        ]);
        let kinds = classify_lines(&lines);
        let navigation = LineKind::Boilerplate(Boilerplate::Navigation);
        assert_eq!(&kinds[..2], &[navigation; 2]);
        assert!(matches!(shown_lines(&lines, &kinds), Cow::Borrowed(_)));
    }

    #[test]
    fn front_matter_opens_at_its_title() {
        let story = |title: &str| {
            owned(&[
                "---",
                title,
                "author: Tom Hale",
                "date: \"2025-05-04\"",
                "fingerprint: \"20020a2421205755\"",
                "---",
                "Rivers burst their banks on Monday.",
                "",
            ])
        };
        let mut lines = story("title: Floods hit the north of the country");
        lines.extend(story("title: Talks resume in Geneva"));
        let kinds = classify_lines(&lines);
        let header = LineKind::Boilerplate(Boilerplate::Header);
        assert_eq!(&kinds[..2], &[LineKind::Separator, LineKind::Text]);
        assert_eq!(&kinds[2..6], &[header; 4]);
        assert_eq!(kinds[8], LineKind::Separator);
        assert_eq!(shown_lines(&lines, &kinds)[9], "Talks resume in Geneva");
    }

    #[test]
    fn a_setext_underline_is_the_headings_not_a_rule_between_stories() {
        let lines = owned(&[
            "[Floods hit the north of the country](/story/1)",
            "-----------------------------------",
            "",
            "Rivers burst their banks on Monday.",
            "-----",
            "Talks resume in Geneva",
            "=====",
        ]);
        let kinds = classify_lines(&lines);
        let header = LineKind::Boilerplate(Boilerplate::Header);
        assert_eq!(kinds[1], header);
        assert_eq!(kinds[4], LineKind::Separator);
        assert_eq!(kinds[6], header);
    }
}
