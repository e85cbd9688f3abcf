//! Boilerplate: lines that belong to the page, the wire or the newsletter rather than to a story (notices,
//! ads, teasers, share bars, captions, navigation, sign-up boxes, contact and credit lines), recognised by
//! generic phrasing and by repetition across the dump.

use super::shape::{ends_sentence, looks_like_prose, word_count, CLOSERS};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The kind of boilerplate a line is, which says why it was dropped and whether it closes a story.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boilerplate {
    /// Copyright, legal or republication notice.
    Legal,
    /// An advertisement slot ("Advertisement", "Sponsored content").
    Advert,
    /// A link to another story ("Read more: ...", "Related: ...").
    Teaser,
    /// Share-button text ("Share this article: Facebook | X").
    Share,
    /// A photo caption or credit.
    Caption,
    /// Newsletter, subscription or app promotion.
    Promo,
    /// Site or e-mail header, menu, footer links, tags and comment counters ("World | Business | Sport").
    Navigation,
    /// Press contact line closing a release.
    Contact,
    /// A wire mark that the story goes on ("-- more --", "(continued)").
    Continued,
    /// A wire or digest end mark ("ENDS", "-30-", "-- End of digest --").
    EndMark,
    /// Reporting and editing credits ("(Reporting by ...; Editing by ...)").
    Credits,
    /// A printed page's number ("Page 3", "- 3 -", "3 of 12"), left in the text by PDF extraction.
    PageNumber,
    /// A line printed several times in the dump in different places.
    Repeated,
    /// A running head or foot, a folio or a masthead printed on the pages of a PDF (see [`super::pages`]); unlike
    /// other repeated lines it stands wherever a page broke, inside a story too, so it closes none.
    PageFurniture,
    /// A line of nothing but closing quotes or brackets, which sentence splitting left below the sentence
    /// they close: neither a paragraph nor a line a story could start after.
    StrayPunctuation,
    /// A field under a headline printed in a field (a mail's `From:` and `Date:`, front matter's `author:`
    /// and the rule closing it) or a setext heading's underline: the story's header, not a start.
    Header,
    /// A mail signature under its `-- ` delimiter.
    Signature,
}

impl Boilerplate {
    /// The rule that fired, for `segment --explain`.
    pub fn reason(self) -> &'static str {
        match self {
            Boilerplate::Legal => "legal or copyright notice",
            Boilerplate::Advert => "advertisement",
            Boilerplate::Teaser => "link to another story",
            Boilerplate::Share => "share buttons",
            Boilerplate::Caption => "photo caption or credit",
            Boilerplate::Promo => "newsletter or subscription promotion",
            Boilerplate::Navigation => "site or e-mail header, menu, tags or footer links",
            Boilerplate::Contact => "press contact line",
            Boilerplate::Continued => "continuation mark",
            Boilerplate::EndMark => "wire or digest end mark",
            Boilerplate::Credits => "reporting and editing credits",
            Boilerplate::PageNumber => "page number",
            Boilerplate::Repeated => "line repeated across the dump",
            Boilerplate::PageFurniture => {
                "running head or foot, folio or masthead of a printed page"
            }
            Boilerplate::StrayPunctuation => "closing punctuation left alone on a line",
            Boilerplate::Header => "header field or underline under a headline",
            Boilerplate::Signature => "mail signature",
        }
    }

    /// Whether this kind of line is printed after the end of a story, so whatever follows starts a new one.
    /// Ads, teasers, captions and promotions also appear between the paragraphs of one story.
    pub fn ends_story(self) -> bool {
        matches!(
            self,
            Boilerplate::Legal
                | Boilerplate::Share
                | Boilerplate::EndMark
                | Boilerplate::Contact
                | Boilerplate::Credits
                | Boilerplate::Repeated
                | Boilerplate::Signature
        )
    }
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("boilerplate patterns are valid regular expressions")
}

static LEGAL: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\s*(©|\(c\)\s*\d{4}|copyright\b)|all rights\b.{0,80}\breserved|^\s*[A-Z .'’-]{0,40}\b(LEGAL|COPYRIGHT)\s+(NOTICE|WARNING)\b|\b(may|can) not be (reproduced|republished|redistributed|rewritten|rebroadcast)",
    )
});
static ADVERT: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\s*(advertisement|advertising|sponsored( content)?|paid content|ad|story continues below( advertisement)?|continue reading below|scroll to continue)\s*$",
    )
});
static TEASER: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\s*(read more|read also|also read|read (the )?(full|whole|rest of the) (story|article|report)|more on this( story)?|see also|related( stories| articles| coverage)?|recommended|most read|trending|watch|listen|more from [\w ]+)\s*[:|»>–—-]|^\s*(https?://|www\.)\S+\s*$",
    )
});
static SHARE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i)^\s*(share|share this( article| story| page)?|follow us( on)?)\s*[:|·]")
});
static SOCIAL: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)\b(facebook|twitter|whatsapp|linkedin|telegram|reddit|email|print|copy link|instagram)\b",
    )
});
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\s*\(?(photo|photos|image|picture|caption|file photo|pictured|video|graphic|credit|illustration)( credit)?\s*[:|]|\b(photo|image) (by|credit|courtesy)\b|/\s*(AFP|AP|Reuters|Getty Images|EPA|Anadolu|Xinhua)\s*\)?\s*$",
    )
});
static PROMO: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)\b(subscribe|unsubscribe|newsletter|sign up (for|to)|in your inbox|(manage|update) (your )?preferences|you (received|are receiving) this|download (our|the) app|follow us on|view (this|it) (e-?mail )?in (your|a) browser|forward this (e-?mail|newsletter|message))\b",
    )
});
static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\s*(for (more|further) information|media (contact|enquiries|inquiries)|press (contact|office)|contact:|for media)\b|\S+@\S+\.\w+\s*$",
    )
});
static CONTINUED: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\s*(-{1,3}\s*more\s*-{1,3}|\(?more\)?|\(?continued( on [\w ]+)?\)?|(story )?continues (below|after [\w ]+))\s*$",
    )
});
static END_MARK: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\s*(-{2,}.*-{2,}|ends|\[?end\]?|-30-|\(end\)|end of (story|article|transmission|item))\s*$",
    )
});
static CREDITS: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\s*\(?\s*((additional )?reporting|writing|editing|compiled|produced) by\b.*\)?\s*$",
    )
});
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\s*(?:(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*(?:\d{1,4}|\?))?|[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}\s*(?:of|/)\s*\d{1,4}|\d{1,3})\s*$",
    )
});
static SITE_FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\s*((subject|from|to|cc|date|sent|reply-to)\s*:\s|(tags|tagged|filed under|categories|category|posted in|topics)\s*:|(older|newer|previous|next) (posts|entries|page|articles|stories)\b|\d+\s+comments?\s*$|(leave|post|add) a (comment|reply)\s*$|no comments( yet)?\s*$|comments\s*\(\d+\)\s*$)",
    )
});
/// A comment counter printed as a cell of a post's footer or a story's toolbar (`| 3 comments |`,
/// `[0 comments](/post#comments)`), wherever it stands in the line.
static COMMENT_COUNT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)(^|[|·•\[]\s*)\d+\s+comments?\s*(\]|[|·•]|$)"));
/// Fewest words of a headline that a list elsewhere in the dump prints again (a kicker is one or two).
const MIN_HEADLINE_WORDS: usize = 3;
/// Lines shorter than this are not judged by repetition ("--", "OK").
const MIN_REPEATED_CHARS: usize = 4;

/// Words at the start of a neighbouring line that say whether two places have the same neighbour.
const NEIGHBOUR_WORDS: usize = 6;
/// Occurrences of one line compared pairwise for different surroundings (keeps huge dumps linear).
const MAX_COMPARED_OCCURRENCES: usize = 50;

static MENU_SEPARATOR: LazyLock<Regex> = LazyLock::new(|| regex(r"\s[|·•]\s"));

/// Recognises a boilerplate line by its phrasing alone (repetition is found by [`mark_repeated`]).
pub fn classify(line: &str) -> Option<Boilerplate> {
    let marks = line.trim();
    if !marks.is_empty()
        && marks
            .chars()
            .all(|c| c.is_whitespace() || CLOSERS.contains(&c))
    {
        return Some(Boilerplate::StrayPunctuation);
    }
    let words = crate::script::word_count(line);
    let short = words <= 25;
    if LEGAL.is_match(line) && (words <= 80) {
        return Some(Boilerplate::Legal);
    }
    if ADVERT.is_match(line) {
        return Some(Boilerplate::Advert);
    }
    if short && TEASER.is_match(line) {
        return Some(Boilerplate::Teaser);
    }
    if short && (SHARE.is_match(line) || SOCIAL.find_iter(line).count() >= 3) {
        return Some(Boilerplate::Share);
    }
    if short && CAPTION.is_match(line) {
        return Some(Boilerplate::Caption);
    }
    if short && PROMO.is_match(line) {
        return Some(Boilerplate::Promo);
    }
    if short && CONTACT.is_match(line) {
        return Some(Boilerplate::Contact);
    }
    if CONTINUED.is_match(line) {
        return Some(Boilerplate::Continued);
    }
    if END_MARK.is_match(line) {
        return Some(Boilerplate::EndMark);
    }
    if short && CREDITS.is_match(line) {
        return Some(Boilerplate::Credits);
    }
    if PAGE_NUMBER.is_match(line) {
        return Some(Boilerplate::PageNumber);
    }
    if is_menu(line) || (short && (SITE_FURNITURE.is_match(line) || COMMENT_COUNT.is_match(line))) {
        return Some(Boilerplate::Navigation);
    }
    None
}

/// A line of three or more short items between `|`, `·` or `•` (a menu, a footer, a feed header).
fn is_menu(line: &str) -> bool {
    let items: Vec<&str> = MENU_SEPARATOR.split(line.trim()).collect();
    items.len() >= 3
        && items
            .iter()
            .all(|item| item.split_whitespace().count() <= 6)
}

/// What two printings of one line share: its words, spaces and case aside.
pub fn repetition_key(line: &str) -> String {
    line.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Finds lines that are printed more than once in different surroundings (a notice after every story, a
/// repeated header) and returns their indexes. A story printed twice repeats its lines with the same
/// neighbours, so its lines are not taken; neighbours count as the same when they open with the same words,
/// as a story's lead does where a caption in its own text repeats it with a word changed further on.
pub fn repeated_lines(lines: &[String], candidates: &[bool]) -> Vec<usize> {
    let key = repetition_key;
    let opening = |line: &str| -> String {
        line.split_whitespace()
            .take(NEIGHBOUR_WORDS)
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let non_blank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let mut occurrences: HashMap<String, Vec<(usize, String, String)>> = HashMap::new();
    for (n, &i) in non_blank.iter().enumerate() {
        if candidates[i] && lines[i].trim().chars().count() >= MIN_REPEATED_CHARS {
            let previous = n
                .checked_sub(1)
                .map_or(String::new(), |p| opening(&lines[non_blank[p]]));
            let next = non_blank
                .get(n + 1)
                .map_or(String::new(), |&j| opening(&lines[j]));
            occurrences
                .entry(key(&lines[i]))
                .or_default()
                .push((i, previous, next));
        }
    }
    let mut repeated: Vec<usize> = occurrences
        .into_values()
        .filter(|places| {
            let compared = &places[..places.len().min(MAX_COMPARED_OCCURRENCES)];
            compared.iter().enumerate().any(|(n, (_, prev_a, next_a))| {
                compared[n + 1..]
                    .iter()
                    .any(|(_, prev_b, next_b)| prev_a != prev_b && next_a != next_b)
            })
        })
        .flat_map(|places| places.into_iter().map(|(i, _, _)| i))
        .collect();
    repeated.sort_unstable();
    repeated
}

/// Non-blank lines after a repeated line within which the story text under a headline shows (a kicker,
/// a byline broken over several lines and a date line may stand between).
const HEADLINE_REACH: usize = 8;

/// Of the `repeated` lines (indexes from [`repeated_lines`]), the occurrences that are a story's own headline,
/// printed again elsewhere in the dump in a list of headlines ("Most read", "Related", a table of contents):
/// a line that does not end a sentence, printed several times, of which exactly one occurrence leads to story
/// text (prose within [`HEADLINE_REACH`] lines, before any other repeated line) while the others stand in a
/// list (the next line is repeated too) or lead to no prose at all. Furniture printed after every story
/// leads to text at each place, and a list's items lead to none.
pub fn listed_headlines(lines: &[String], repeated: &[usize]) -> Vec<usize> {
    let is_repeated = |i: usize| repeated.binary_search(&i).is_ok();
    let non_blank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let leads_to_prose = |i: usize| {
        let n = non_blank.partition_point(|&j| j <= i);
        non_blank[n..]
            .iter()
            .take(HEADLINE_REACH)
            .take_while(|&&j| !is_repeated(j))
            .any(|&j| looks_like_prose(lines[j].trim()))
    };
    let key = |i: usize| repetition_key(&lines[i]);
    let mut places: HashMap<String, Vec<usize>> = HashMap::new();
    for &i in repeated {
        let text = lines[i].trim();
        if word_count(text) >= MIN_HEADLINE_WORDS && !ends_sentence(text) {
            places.entry(key(i)).or_default().push(i);
        }
    }
    let mut headlines: Vec<usize> = places
        .into_values()
        .filter_map(|places| {
            let leading: Vec<usize> = places.into_iter().filter(|&i| leads_to_prose(i)).collect();
            (leading.len() == 1).then(|| leading[0])
        })
        .collect();
    headlines.sort_unstable();
    headlines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_boilerplate_phrasing_is_recognised() {
        let cases = [
            (
                "© 2026 Some Paper. All rights reserved.",
                Boilerplate::Legal,
            ),
            (
                "LEGAL WARNING: All rights of the published news are reserved by the agency.",
                Boilerplate::Legal,
            ),
            ("ADVERTISEMENT", Boilerplate::Advert),
            ("Read more: Floods hit the north", Boilerplate::Teaser),
            ("Share: Facebook · X · Email · Print", Boilerplate::Share),
            ("Photo: Rescuers at work. / AFP", Boilerplate::Caption),
            ("Subscribe to our newsletter", Boilerplate::Promo),
            ("World | Asia | Africa | Europe", Boilerplate::Navigation),
            ("Tags: logistics, permits", Boilerplate::Navigation),
            ("4 comments", Boilerplate::Navigation),
            (
                "Posted by Mei Lin at 9:49 AM | [3 comments](/1.html#comments) | Labels: Climate",
                Boilerplate::Navigation,
            ),
            ("Older posts »", Boilerplate::Navigation),
            ("Subject: The Morning Dispatch", Boilerplate::Navigation),
            (
                "Date: Tue, 15 Sep 2026 06:00:00 +0000",
                Boilerplate::Navigation,
            ),
            ("View this email in your browser", Boilerplate::Promo),
            (
                "Read the full story: https://example.org/a",
                Boilerplate::Teaser,
            ),
            ("https://example.org/a-story", Boilerplate::Teaser),
            ("\"", Boilerplate::StrayPunctuation),
            (" ’ ) ", Boilerplate::StrayPunctuation),
            (
                "For more information, please contact the press office.",
                Boilerplate::Contact,
            ),
            ("-- more --", Boilerplate::Continued),
            ("(MORE)", Boilerplate::Continued),
            (
                "-- End of digest. Compiled by the desk. --",
                Boilerplate::EndMark,
            ),
            ("ENDS", Boilerplate::EndMark),
            ("-30-", Boilerplate::EndMark),
            (
                "(Reporting by Jane Doe; Editing by John Roe)",
                Boilerplate::Credits,
            ),
            ("Page 3", Boilerplate::PageNumber),
            ("Page 3 of 12", Boilerplate::PageNumber),
            ("- 14 -", Boilerplate::PageNumber),
            ("7", Boilerplate::PageNumber),
        ];
        for (line, kind) in cases {
            assert_eq!(classify(line), Some(kind), "{line}");
        }
    }

    #[test]
    fn story_sentences_are_not_boilerplate() {
        for line in [
            "The rebels said they would share power with the council.",
            "By the next morning the grass was gone, said a herder.",
            "Officials said the copyright dispute went to court on Monday.",
            "Police fire live rounds at protesters in Nairobi; rights groups say nine killed",
        ] {
            assert_eq!(classify(line), None, "{line}");
        }
    }

    #[test]
    fn repetition_needs_different_surroundings() {
        let lines: Vec<String> = [
            "a", "NOTICE", "b", "NOTICE", "c", "x p1", "x p2", "d", "x p1", "x p2",
        ]
        .map(String::from)
        .to_vec();
        let all = vec![true; lines.len()];
        assert_eq!(repeated_lines(&lines, &all), vec![1, 3]);
    }

    #[test]
    fn a_lead_repeated_with_a_word_changed_is_not_boilerplate() {
        let lines: Vec<String> = [
            "A photo caption about something else",
            "The mayor spent a long day touring the flooded streets",
            "and on Wednesday she opened two shelters in the old market hall by the river.",
            "Scroll down for video",
            "The mayor spent a long day touring the flooded streets",
            "and on Wednesday she opened two shelters in the old market hall by the harbour.",
        ]
        .map(String::from)
        .to_vec();
        let all = vec![true; lines.len()];
        assert!(repeated_lines(&lines, &all).is_empty());
    }
}
