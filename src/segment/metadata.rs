//! Metadata cues: bylines, date lines, datelines, agency tags and numbered digest items, recognised by their
//! printed form.

use super::shape::{ends_sentence, looks_like_headline, word_count};
use regex::Regex;
use std::sync::LazyLock;

const MONTH: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?";
const WEEKDAY: &str = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?";

/// The days of the week, Monday first: capitalised words that name no story in particular (also used by
/// the dump synthesiser to print dates).
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

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("metadata patterns are valid regular expressions")
}

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let place = r"\p{Lu}[\p{Lu}'’.]*(?:[ /-]\p{Lu}[\p{Lu}'’.]*)*";
    let region = r"(?:,\s+\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3})?";
    let date =
        format!(r"(?:{MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{MONTH}(?:\s+\d{{4}})?)");
    let agency = r"\([^()]{1,40}\)";
    let titled_place = r"\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){0,2}";
    regex(&format!(
        r"^({place}{region}(?:(?:,\s+{date})(?:\s*{agency})?|\s*{agency})\s*[-–—]{{1,2}}|{place}{region}\s+—|{titled_place},\s+{date}\s*{agency}\s*[-–—]{{1,2}})\s+\S"
    ))
});
static AGENCY_TAG: LazyLock<Regex> =
    LazyLock::new(|| regex(r"[.!?…]['’”\x22]?\s*\((\p{Lu}[\p{L}&.' -]{0,38}[\p{L}.])\)\s*$"));
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^(?:By|BY|Written by|Words by|Posted by|Reported by|Words:|Reporting by)\s+(\p{Lu}.*)$")
});
/// A name, then the writer's role after a bar, comma or dash: "Jane Doe | Staff writer", "Jane Doe, Health
/// reporter".
static ROLE_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^(\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){1,3})\s*[|,–—-]\s*(?:[\p{L}'’-]+\s+){0,3}(?i:writer|correspondent|reporter|editor|desk|columnist|contributor|journalist|staff)$",
    )
});
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i)^(published|updated|last updated|posted|first published|modified)\b")
});
static DATE_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?i)^(?:{MONTH}|{WEEKDAY}|\d{{1,4}}(?:[./:-]\d{{1,4}}){{0,2}}(?:am|pm)?|[+-]\d{{4}}|[ap]\.?m\.?|hours?|hrs?|minutes?|mins?|days?|ago|gmt|utc|bst|cet|cest|est|edt|pst|pdt|eat|wat|cat|ist|local|time|at|on|\||·|-|–|—)[,.]?$"
    ))
});
/// A credit before a date: one to four capitalised words (an agency, a paper, a place) and a comma or a dash,
/// the whole perhaps in markdown emphasis.
static DATE_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^[*_]*\p{Lu}[\p{L}&.'’-]*(?:\s+(?:\p{Lu}[\p{L}&.'’-]*|of|the|and|de|al|el)){0,3}\s*(?:,|\s[-–—|·])\s*(\S.*?)[*_]*$",
    )
});
/// A date, then after a bar or a dot the name of whoever wrote the story, as feed readers print an entry's
/// date and author: `Thu, 05 Feb 2026 10:00:00 +0000 | Amina Yusuf`.
static DATE_THEN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^(.*\d.*?)\s+[|·•]\s+\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}$")
});
static SOURCE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^(source|sources|via|agency|origin|filed( from)?|location|section)\s*:\s*\S.{0,60}$",
    )
});
/// A field printed above a story whose value is its headline: a mail's `Subject:` (after any `Re:` or
/// `Fwd:`), front matter's `title:`, perhaps quoted.
static HEADLINE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"^(?i:subject|title|headline)\s*:\s+(?:(?i:re|fwd?|fw|aw|wg)\s*:\s*)*["']?(\S.*?)["']?\s*$"#,
    )
});
/// A `name: value` field of a mail header or front matter: one word, a colon, then the value or nothing.
static FIELD: LazyLock<Regex> = LazyLock::new(|| regex(r"^[A-Za-z][A-Za-z0-9_-]{0,30}:(?:\s|$)"));
/// A mail's sender as a mail client prints it above a message (a name, an address in angle brackets, then
/// perhaps the date it was sent): the address and what follows it.
static SENDER: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[^<>@|:]{0,60}<[^<>\s@]+@[^<>\s]+>\s*(.*)$"));
/// A line that is one markdown link, `[Floods hit the north](/story/1)`: its text.
static LINK: LazyLock<Regex> = LazyLock::new(|| regex(r"^\[([^\[\]]+)\]\([^()\s]*\)$"));
/// A list item: a bullet (`*`, `-`, `+`, `•`, `·`, `–`) or a number (`3.`, `3)`) and the item's text.
static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^\s*(?:[-*+•·–]|\d{1,3}[.)])\s+(\S.*?)\s*$"));
static HEADLINE_NUMBER: LazyLock<Regex> = LazyLock::new(|| regex(r"^\d{1,3}[.)]\s+"));
static DIGEST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^\s*\d{1,3}[.)]\s+([^:]{3,200}?):\s+(\S.*)$"));

/// The dateline opening a paragraph, such as `NAIROBI, March 4 (Agency) -`: a place in capitals, then a
/// date, an agency in brackets or both, then a dash.
pub fn dateline(paragraph: &str) -> Option<&str> {
    DATELINE
        .captures(paragraph)
        .and_then(|captures| captures.get(1))
        .map(|m| m.as_str().trim_end())
}

/// The agency tag closing a paragraph, such as `KNS` from `... on Tuesday. (KNS)`.
pub fn agency_tag(paragraph: &str) -> Option<&str> {
    AGENCY_TAG
        .captures(paragraph.trim_end())
        .and_then(|captures| captures.get(1))
        .map(|m| m.as_str())
}

/// The name in a byline line (`By Jane Doe` or `Jane Doe | Staff writer` gives `Jane Doe`): a short line that
/// does not read as a sentence.
pub fn byline(line: &str) -> Option<&str> {
    let line = line.trim();
    let captures = BYLINE
        .captures(line)
        .or_else(|| ROLE_BYLINE.captures(line))?;
    let name = captures.get(1)?.as_str().trim();
    let words = word_count(name);
    (words <= 10 && !(ends_sentence(name) && words > 4)).then_some(name)
}

/// Whether the line only gives a publication date or time: "Published 3 April 2026", "Updated: 10:02 GMT",
/// "July 14, 2026 6:20 PM", "Thursday, 14 May 2026", also after the credit that clippings, Word reports and
/// PDF bulletins print above a story ("Reuters, 3 May 2025", "*AFP - 14 March 2026*").
pub fn is_date_line(line: &str) -> bool {
    let line = line.trim();
    if word_count(line) > 12 {
        return false;
    }
    only_date(line)
        || DATE_THEN_NAME
            .captures(line)
            .and_then(|captures| captures.get(1))
            .is_some_and(|date| only_date(date.as_str()))
        || DATE_CREDIT
            .captures(line)
            .and_then(|captures| captures.get(1))
            .is_some_and(|date| only_date(date.as_str()))
}

fn only_date(line: &str) -> bool {
    let rest = DATE_LABEL.replace(line, "");
    let tokens: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty() && *t != ":")
        .collect();
    let has_date = tokens.iter().any(|t| t.chars().any(|c| c.is_ascii_digit()));
    has_date
        && tokens
            .iter()
            .all(|t| DATE_TOKEN.is_match(t.trim_start_matches(':')))
}

/// Whether the line names where a story comes from: "Source: Indus Daily", "Via: Harbour Markets".
pub fn is_source_line(line: &str) -> bool {
    let line = line.trim();
    word_count(line) <= 8 && SOURCE_LINE.is_match(line)
}

/// The headline in a field that holds it (`Subject: Floods hit the north` gives `Floods hit the north`):
/// mail, front matter and feed exports print a story's headline so, above the story's other fields.
pub fn headline_field(line: &str) -> Option<&str> {
    HEADLINE_FIELD
        .captures(line.trim())
        .and_then(|captures| captures.get(1))
        .map(|m| m.as_str())
        .filter(|title| word_count(title) >= 2)
}

/// Whether the line is a `name: value` field (`From: Desk <desk@example.org>`, `author: Jane Doe`,
/// `fingerprint: "20020a24"`), as printed in a mail header or front matter.
pub fn is_field(line: &str) -> bool {
    FIELD.is_match(line.trim())
}

/// Whether the line is a message's sender as a mail client prints it in place of the `From:` field
/// (`Reuters Alerts <alerts@wire.example.com>    Mon, 12 Jan 2026 10:21:00 +0000`): a name, an address in
/// angle brackets and nothing after it but the date.
pub fn is_sender_line(line: &str) -> bool {
    SENDER
        .captures(line.trim())
        .and_then(|captures| captures.get(1))
        .is_some_and(|rest| rest.as_str().is_empty() || only_date(rest.as_str()))
}

/// The entry of a list of headlines (`* [Floods hit the north](/story/3)`, ` 2. Talks resume in Geneva`,
/// `- Rivers fall below the alert level...`): a bulleted or numbered item that is one link, or a headline
/// (perhaps cut short with an ellipsis, as lists of other stories print them); whether it is a link.
pub fn headline_entry(line: &str) -> Option<bool> {
    let item = LIST_ITEM.captures(line)?.get(1)?.as_str();
    if LINK.is_match(item) {
        return Some(true);
    }
    let cut = item.trim_end_matches(['.', '…']).trim_end();
    (looks_like_headline(cut) && (cut.len() == item.len() || !ends_sentence(cut))).then_some(false)
}

/// A headline as it should be kept as a title: without markdown heading marks, list numbering, bold
/// markers or a link around it.
pub fn headline_text(line: &str) -> &str {
    let line = line.trim().trim_start_matches('#').trim_start();
    let line = LINK
        .captures(line)
        .and_then(|captures| captures.get(1))
        .map_or(line, |m| m.as_str().trim());
    let line = HEADLINE_NUMBER
        .find(line)
        .map_or(line, |m| &line[m.end()..]);
    let bold = ["**", "__"]
        .iter()
        .find_map(|mark| line.strip_prefix(mark).and_then(|l| l.strip_suffix(mark)));
    bold.unwrap_or(line).trim()
}

/// A numbered digest item `3) Headline: first paragraph...`: the headline (between the number and the first
/// `": "`) and the text after it.
pub fn digest_item(line: &str) -> Option<(&str, &str)> {
    let captures = DIGEST_ITEM.captures(line)?;
    let title = captures.get(1)?.as_str().trim();
    let body = captures.get(2)?.as_str().trim();
    let one_phrase =
        !title.contains(". ") && (looks_like_headline(title) || word_count(title) <= 2);
    one_phrase.then_some((title, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_in_several_styles() {
        assert_eq!(
            dateline("NIAMEY, May 9 (Sahel Wire) - Gunmen killed at least 17 soldiers."),
            Some("NIAMEY, May 9 (Sahel Wire) -")
        );
        assert_eq!(
            dateline("SYLHET, Bangladesh, May 10 (NWA) - Relief workers used boats."),
            Some("SYLHET, Bangladesh, May 10 (NWA) -")
        );
        assert_eq!(
            dateline("MAPUTO/GENEVA, 16 June 2026 – The Ministry of Health said."),
            Some("MAPUTO/GENEVA, 16 June 2026 –")
        );
        assert_eq!(
            dateline("PORT-AU-PRINCE, June 2 (KNS) - Gang members attacked."),
            Some("PORT-AU-PRINCE, June 2 (KNS) -")
        );
        assert_eq!(
            dateline("GENEVA (Reuters) - The agency said."),
            Some("GENEVA (Reuters) -")
        );
        assert_eq!(
            dateline("UN officials said on Monday - again - that aid was short."),
            None
        );
        assert_eq!(dateline("The UN said on Monday that aid was short."), None);
    }

    #[test]
    fn agency_tags_close_paragraphs() {
        assert_eq!(
            agency_tag("war now in its fourth year. (ILKHA)"),
            Some("ILKHA")
        );
        assert_eq!(
            agency_tag("a rise of 4 percent. (Meridian Press)"),
            Some("Meridian Press")
        );
        assert_eq!(agency_tag("the United Nations (UN)"), None);
        assert_eq!(agency_tag("the agency said. (a note)"), None);
    }

    #[test]
    fn bylines_and_date_lines() {
        assert_eq!(
            byline("By Thandar Aye and Lucas Brenner"),
            Some("Thandar Aye and Lucas Brenner")
        );
        assert_eq!(
            byline("By Miguel Santos | Manila"),
            Some("Miguel Santos | Manila")
        );
        assert_eq!(
            byline("By the next morning the grass was gone, he said. Then the rain came back."),
            None
        );
        assert_eq!(byline("Amina Okafor | Staff writer"), Some("Amina Okafor"));
        assert_eq!(
            byline("Lucas Brenner, Foreign affairs correspondent"),
            Some("Lucas Brenner")
        );
        assert_eq!(byline("Words: Amina Okafor"), Some("Amina Okafor"));
        assert_eq!(byline("Floods in Kenya | Africa"), None);
        assert_eq!(byline("Ministers meet, editor says"), None);
        assert!(is_date_line("Published 3 April 2026 07:40 GMT"));
        assert!(is_date_line("Updated: 8 April 2026 14:45 GMT"));
        assert!(is_date_line("July 14, 2026 6:20 PM"));
        assert!(is_date_line("Thursday, 14 May 2026"));
        assert!(!is_date_line("KNS NEWSWIRE 03.06.2026 09:30"));
        assert!(!is_date_line("Talks resume on 14 May"));
        assert!(is_date_line("2026-09-15 08:12 UTC"));
        assert!(is_date_line("Updated 2 hours ago"));
        assert!(is_date_line("Al Jazeera, 23 July 2025"));
        assert!(is_date_line(
            "Thu, 05 Feb 2026 10:00:00 +0000 | Amina Yusuf"
        ));
        assert!(!is_date_line("Floods in Kenya | Africa"));
        assert!(is_date_line("*Reuters - 3 May 2025*"));
        assert!(is_date_line(
            "The Daily Meridian | Tuesday, 15 September 2026"
        ));
        assert!(!is_date_line(
            "Floods kill 12 in Kerala - 3 May 2025 update"
        ));
        assert!(!is_date_line(
            "Camp Profile - Al Hol governorate, Syria November 2017"
        ));
        assert!(is_source_line("Source: Indus Daily"));
        assert!(!is_source_line(
            "Sources said the talks would resume on Monday after a short break."
        ));
    }

    #[test]
    fn titles_lose_markup_and_numbering() {
        assert_eq!(
            headline_text("## Floods hit the north"),
            "Floods hit the north"
        );
        assert_eq!(
            headline_text("3) Floods hit the north"),
            "Floods hit the north"
        );
        assert_eq!(
            headline_text("**Floods hit the north**"),
            "Floods hit the north"
        );
        assert_eq!(
            headline_text("Magnitude 6.1 earthquake shakes Turkey"),
            "Magnitude 6.1 earthquake shakes Turkey"
        );
    }

    #[test]
    fn headlines_in_fields() {
        assert_eq!(
            headline_field("Subject: Fwd: Re: Floods hit the north"),
            Some("Floods hit the north")
        );
        assert_eq!(
            headline_field("title: \"Floods hit the north\""),
            Some("Floods hit the north")
        );
        assert_eq!(headline_field("Subject: Update"), None);
        assert_eq!(headline_field("Title of the report was changed."), None);
        assert!(is_field("fingerprint: \"20020a24\""));
        assert!(is_field("author:"));
        assert!(!is_field("The agency said: no more trucks."));
        assert_eq!(
            headline_text("## [Floods hit the north](/story/1)"),
            "Floods hit the north"
        );
    }

    #[test]
    fn digest_items_split_at_the_first_colon() {
        assert_eq!(
            digest_item("1) Shelling of convoy halts deliveries: The agency said: no more trucks."),
            Some((
                "Shelling of convoy halts deliveries",
                "The agency said: no more trucks."
            ))
        );
        assert_eq!(
            digest_item("1) The agency said that it would stop. Then: more."),
            None
        );
    }

    #[test]
    fn a_printed_sender_line_is_told_from_a_sentence_with_an_address() {
        assert!(is_sender_line(
            "Reuters Alerts <alerts@wire.example.com>    Mon, 12 Jan 2026 10:21:00 +0000"
        ));
        assert!(is_sender_line("News Desk <desk@example.org>"));
        assert!(!is_sender_line(
            "Write to <desk@example.org> with your questions about the floods."
        ));
        assert!(!is_sender_line("From: News Desk <desk@example.org>"));
    }
}
