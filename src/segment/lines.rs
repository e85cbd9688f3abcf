//! Stage 1, line classification: every line of the dump is blank, a separator, boilerplate or text.

use super::boilerplate::{self, Boilerplate};
use super::metadata::{
    byline, headline_entry, headline_field, headline_text, is_date_line, is_field, is_sender_line,
};
use super::shape::{ends_sentence, looks_like_headline, word_count};
use regex::Regex;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

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
    mark_printed_mail_heads(lines, &mut kinds);
    mark_headline_lists(lines, &mut kinds);
    let candidates: Vec<bool> = kinds
        .iter()
        .zip(lines)
        .map(|(kind, line)| {
            *kind == LineKind::Text && byline(line).is_none() && !is_date_line(line)
        })
        .collect();
    let repeated = boilerplate::repeated_lines(lines, &candidates);
    let headlines = boilerplate::listed_headlines(lines, &repeated);
    for i in repeated {
        if headlines.binary_search(&i).is_err() {
            kinds[i] = LineKind::Boilerplate(Boilerplate::Repeated);
        }
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

/// A message's head as a mail client prints it: the subject on a line of its own (the story's headline), a
/// count of messages in the thread, the sender line (`Name <address>  date`) in place of the `From:` field,
/// then `To:` and other fields. The sender line, the fields set solid under it and a line repeated across the
/// dump just above it (the count, printed with every message) are the message's header, which neither
/// closes the story before nor opens one; the subject above them stays text.
fn mark_printed_mail_heads(lines: &[String], kinds: &mut [LineKind]) {
    let senders: Vec<usize> = (0..lines.len())
        .filter(|&i| kinds[i] == LineKind::Text && is_sender_line(&lines[i]))
        .collect();
    if senders.is_empty() {
        return;
    }
    let key = boilerplate::repetition_key;
    let mut printed: HashMap<String, usize> = HashMap::new();
    for line in lines {
        *printed.entry(key(line)).or_default() += 1;
    }
    let header = LineKind::Boilerplate(Boilerplate::Header);
    for i in senders {
        kinds[i] = header;
        let fields = (i + 1..lines.len())
            .take_while(|&j| kinds[j] != LineKind::Blank && is_field(&lines[j]))
            .count();
        kinds[i + 1..i + 1 + fields].fill(header);
        let count_above = i.checked_sub(1).filter(|&j| {
            kinds[j] == LineKind::Text
                && !lines[j].trim().is_empty()
                && printed[&key(&lines[j])] > 1
        });
        if let Some(j) = count_above {
            kinds[j] = header;
        }
    }
}

/// Words of the label over a list of headlines ("Most read", "Related stories", "In this issue").
const MAX_LABEL_WORDS: usize = 4;
/// Blank lines that may stand between a list's label and its first entry.
const MAX_LABEL_GAP: usize = 2;

/// Lists of headlines are navigation, not stories: two or more list entries set solid, each one link or one
/// headline (`* [Floods hit the north](/story/3)`, ` 1. Talks resume in Geneva`), that are all links or stand
/// under a short label (a heading of a few words: "Most read", "#### Related", "IN THIS ISSUE"). A site's
/// "Related" and "Most read" boxes, a newsletter's table of contents and an e-book's navigation page print
/// other stories' headlines so; the entries and their label are links to other stories, which neither open
/// a story nor close one. Bullets of sentences (a story's own list) are not headlines.
fn mark_headline_lists(lines: &[String], kinds: &mut [LineKind]) {
    let teaser = LineKind::Boilerplate(Boilerplate::Teaser);
    let entries: Vec<Option<bool>> = (0..lines.len())
        .map(|i| (kinds[i] == LineKind::Text).then(|| headline_entry(&lines[i]))?)
        .collect();
    let mut i = 0;
    while i < lines.len() {
        let run = entries[i..].iter().take_while(|e| e.is_some()).count();
        if run < 2 {
            i += 1;
            continue;
        }
        let all_links = entries[i..i + run]
            .iter()
            .all(|&linked| linked == Some(true));
        let label = (0..i)
            .rev()
            .find(|&j| kinds[j] != LineKind::Blank)
            .filter(|&j| i - j - 1 <= MAX_LABEL_GAP && kinds[j] == LineKind::Text)
            .filter(|&j| {
                let text = headline_text(&lines[j]).trim_matches(['*', '_', ':', ' ']);
                (1..=MAX_LABEL_WORDS).contains(&word_count(text)) && !ends_sentence(text)
            });
        if all_links || label.is_some() {
            kinds[i..i + run].fill(teaser);
            if let Some(j) = label {
                kinds[j] = teaser;
            }
        }
        i += run;
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
/// (`Subject: Floods hit the north` reads `Floods hit the north`), a markdown link as its text (`By [Jane
/// Doe](/by/1)` reads `By Jane Doe`, as a reader sees it; images stay), every other line as it is.
pub fn shown_lines<'a>(lines: &'a [String], kinds: &[LineKind]) -> Cow<'a, [String]> {
    let shown = |l: usize| -> Option<Cow<'a, str>> {
        if kinds[l] != LineKind::Text {
            return None;
        }
        if let Some(title) = headline_field(&lines[l]) {
            return Some(Cow::Borrowed(title));
        }
        match INLINE_LINK.replace_all(&lines[l], "$before$text") {
            Cow::Owned(text) => Some(Cow::Owned(text)),
            Cow::Borrowed(_) => None,
        }
    };
    let changed: Vec<(usize, Cow<'a, str>)> = (0..lines.len())
        .filter_map(|l| shown(l).map(|text| (l, text)))
        .collect();
    if changed.is_empty() {
        return Cow::Borrowed(lines);
    }
    let mut owned = lines.to_vec();
    for (l, text) in changed {
        owned[l] = text.into_owned();
    }
    Cow::Owned(owned)
}

/// A markdown link that is not an image (`[text](url)`, not `![alt](src)`): the character before it and
/// its text.
static INLINE_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<before>^|[^!])\[(?P<text>[^\[\]]+)\]\([^()\s]*\)").expect("valid pattern")
});

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

    /// A mail client's printout of an mbox: each message's subject alone on a line, the thread's message
    /// count, the sender line and `To:` (the layout Gmail's "Print all" gives).
    #[test]
    fn a_printed_message_head_is_header_under_its_subject() {
        let message = |subject: &str, body: &str| {
            owned(&[
                subject,
                "1 message",
                "Wire Alerts <alerts@wire.example.com>    Mon, 12 Jan 2026 10:21:00 +0000",
                "To: monitoring@example.org",
                "",
                body,
                "",
            ])
        };
        let mut lines = message(
            "Harbour ferry resumes after a week of repairs",
            "The morning ferry ran again on Monday after engineers replaced its rudder.",
        );
        lines.extend(message(
            "Library extends its opening hours for exams",
            "The town library will stay open until ten in the evening through June.",
        ));
        let kinds = classify_lines(&lines);
        let header = LineKind::Boilerplate(Boilerplate::Header);
        for at in [0, 7] {
            assert_eq!(kinds[at], LineKind::Text, "subject at {at}");
            assert_eq!(&kinds[at + 1..at + 4], &[header; 3], "head at {at}");
            assert_eq!(kinds[at + 5], LineKind::Text);
        }
    }

    /// One text node per line (BeautifulSoup's `get_text`): a front page's headlines stand once above their
    /// stories and again in a "Most read" list; the list repeats them, the headlines stay text.
    #[test]
    fn a_headline_listed_again_elsewhere_stays_text_and_the_list_is_repeated() {
        let lines = owned(&[
            "Harbour Post",
            "Floods close the coastal road near the harbour",
            "By Mei Lin",
            "Heavy rain closed the coastal road on Monday, officials said.",
            "Log in to join the conversation.",
            "Talks resume in Geneva after a week of delays",
            "Delegates met again on Tuesday to discuss the ceasefire.",
            "Log in to join the conversation.",
            "Most read",
            "Floods close the coastal road near the harbour",
            "Talks resume in Geneva after a week of delays",
            "© 2026 Harbour Post",
        ]);
        let kinds = classify_lines(&lines);
        let repeated = LineKind::Boilerplate(Boilerplate::Repeated);
        assert_eq!((kinds[1], kinds[5]), (LineKind::Text, LineKind::Text));
        assert_eq!((kinds[9], kinds[10]), (repeated, repeated));
        assert_eq!((kinds[4], kinds[7]), (repeated, repeated));
    }

    /// A front page through markdownify: a setext-headed story, its "Related" box of linked headlines and a
    /// "Most read" list of numbered ones; a story's own bullet list of sentences stays text.
    #[test]
    fn lists_of_headlines_are_links_to_other_stories_and_links_read_as_their_text() {
        let lines = owned(&[
            "[Floods close the coastal road near the harbour](/story/0)",
            "----------------------------------------------",
            "",
            "By [Mei Lin](/by/0) | 19 June 2024",
            "",
            "Heavy rain closed the coastal road on Monday, officials said.",
            "",
            "* Schools were shut in three districts.",
            "* Two bridges were closed to traffic.",
            "",
            "#### Related",
            "",
            "* [Talks resume in Geneva after a week](/story/r1)",
            "* [Rivers fall below the alert level in the](/story/r2)",
            "",
            "### Most read",
            "",
            " 1. Talks resume in Geneva after a week of delays",
            " 2. Rivers fall below the alert level in the north...",
        ]);
        let kinds = classify_lines(&lines);
        let teaser = LineKind::Boilerplate(Boilerplate::Teaser);
        assert_eq!((kinds[7], kinds[8]), (LineKind::Text, LineKind::Text));
        for i in [10, 12, 13, 15, 17, 18] {
            assert_eq!(kinds[i], teaser, "line {i}");
        }
        let shown = shown_lines(&lines, &kinds);
        assert_eq!(shown[0], "Floods close the coastal road near the harbour");
        assert_eq!(shown[3], "By Mei Lin | 19 June 2024");
        assert_eq!(shown[5], lines[5]);
    }
}
