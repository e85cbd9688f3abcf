//! Page structure of text extracted from a PDF: where the pages break, which lines are the page's furniture
//! (running heads and feet, folios), and where a paragraph goes on across a page break.
//!
//! Nothing here knows an extractor's strings. Pages are found from the dump's own statistics: a form feed, a
//! printed page number, or a short line whose words recur through the dump while a number in it counts up
//! (a folio: "A2", "Page 3 of 9", "THE TIMES | 20 March 2025 | 4"). A short line that recurs (its digits
//! aside) is furniture when it keeps to those breaks, or when it recurs and breaks a sentence in two, which a
//! notice between stories never does; so is a paper's name set under its running head (a masthead).
//! Furniture never opens or splits a story: it is boilerplate that does
//! not end one, and a paragraph the page break cut is joined again over it (see [`continues_across`]).

use super::boilerplate::Boilerplate;
use super::lines::LineKind;
use super::shape::{ends_sentence, first_word, word_count};
use std::collections::HashMap;

/// Longest line (in words) taken for a running head or foot.
const MAX_FURNITURE_WORDS: usize = 14;
/// Non-blank lines between a recurring line and a page break for the line to count as at the break.
const NEAR_BREAK: usize = 2;
/// Largest step between the numbers of successive folios (a page without one, a skipped page).
const MAX_FOLIO_STEP: u64 = 3;
/// Fewest occurrences of a recurring line that breaks a sentence before it is taken for furniture without
/// a page break beside it.
const MIN_INTERRUPTING_OCCURRENCES: usize = 3;

/// A line as furniture is compared: lower case, runs of white space as one space, every run of digits as
/// `#`; with the numbers it held, in order.
fn furniture_key(line: &str) -> (String, Vec<u64>) {
    let (mut key, mut numbers) = (String::new(), Vec::new());
    let mut digits = String::new();
    for word in line.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        for c in word.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            if !digits.is_empty() {
                numbers.push(digits.parse().unwrap_or(u64::MAX));
                digits.clear();
                key.push('#');
            }
            key.extend(c.to_lowercase());
        }
        if !digits.is_empty() {
            numbers.push(digits.parse().unwrap_or(u64::MAX));
            digits.clear();
            key.push('#');
        }
    }
    (key, numbers)
}

/// Whether the numbers of a recurring line count pages: at some place in the line the number rises by a
/// small step from each occurrence to the next, and every other number stays the same.
fn counts_pages(numbers: &[&[u64]]) -> bool {
    let width = numbers[0].len();
    if numbers.len() < 2 || numbers.iter().any(|n| n.len() != width) {
        return false;
    }
    let rises = |p: usize| {
        numbers
            .windows(2)
            .all(|w| w[1][p] > w[0][p] && w[1][p] - w[0][p] <= MAX_FOLIO_STEP)
    };
    let constant = |p: usize| numbers.windows(2).all(|w| w[1][p] == w[0][p]);
    (0..width).any(|p| rises(p) && (0..width).all(|q| q == p || constant(q)))
}

/// Marks the page furniture of the dump as [`Boilerplate::PageFurniture`]: folios, and the short lines that
/// recur at the page breaks or recur breaking sentences (see the module doc). Lines already taken for
/// repetition alone are re-marked when they are furniture, so that a running head does not end a story.
pub fn mark_page_furniture(lines: &[String], kinds: &mut [LineKind]) {
    let eligible = |i: usize| {
        matches!(
            kinds[i],
            LineKind::Text | LineKind::Boilerplate(Boilerplate::Repeated)
        ) && (1..=MAX_FURNITURE_WORDS).contains(&word_count(lines[i].trim()))
    };
    let mut places: HashMap<String, Vec<(usize, Vec<u64>)>> = HashMap::new();
    for i in (0..lines.len()).filter(|&i| eligible(i)) {
        let (key, numbers) = furniture_key(&lines[i]);
        places.entry(key).or_default().push((i, numbers));
    }
    places.retain(|_, at| at.len() >= 2);
    if places.is_empty() {
        return;
    }
    let folios: Vec<&String> = places
        .iter()
        .filter(|(_, at)| counts_pages(&at.iter().map(|(_, n)| n.as_slice()).collect::<Vec<_>>()))
        .map(|(key, _)| key)
        .collect();
    // Page breaks, as positions among the non-blank lines: form feeds, printed page numbers and folios.
    let mut position = vec![usize::MAX; lines.len()];
    let non_blank: Vec<usize> = (0..lines.len())
        .filter(|&i| kinds[i] != LineKind::Blank)
        .collect();
    for (p, &i) in non_blank.iter().enumerate() {
        position[i] = p;
    }
    let mut breaks: Vec<usize> = non_blank
        .iter()
        .filter(|&&i| {
            lines[i].contains('\u{c}') || kinds[i] == LineKind::Boilerplate(Boilerplate::PageNumber)
        })
        .map(|&i| position[i])
        .collect();
    breaks.extend(
        folios
            .iter()
            .flat_map(|key| places[*key].iter().map(|&(i, _)| position[i])),
    );
    breaks.sort_unstable();
    let at_break = |i: usize| {
        let p = position[i];
        lines[i].contains('\u{c}')
            || breaks
                .iter()
                .any(|&b| b != p && b.abs_diff(p) <= NEAR_BREAK)
    };
    let mut furniture: Vec<usize> = Vec::new();
    for (key, at) in &places {
        let near = at.iter().filter(|&&(i, _)| at_break(i)).count();
        let interrupting = at
            .iter()
            .filter(|&&(i, _)| breaks_sentence(lines, kinds, i))
            .count();
        if folios.contains(&key)
            || 2 * near >= at.len()
            || (at.len() >= MIN_INTERRUPTING_OCCURRENCES && interrupting >= 1)
        {
            furniture.extend(at.iter().map(|&(i, _)| i));
        }
    }
    for &i in &furniture {
        kinds[i] = LineKind::Boilerplate(Boilerplate::PageFurniture);
    }
    mark_mastheads(lines, kinds, &furniture, &non_blank, &position);
}

/// Longest line (in words) taken for a masthead.
const MAX_MASTHEAD_WORDS: usize = 5;

/// The words of a line that are made of letters, in lower case.
fn letter_words(line: &str) -> Vec<String> {
    line.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
        .filter(|w| !w.is_empty() && w.chars().all(char::is_alphabetic))
        .collect()
}

/// Marks the masthead under a running head as furniture: the short text lines just below a furniture line
/// (past other furniture) whose every word is a word of that line, as a paper's name set large on its first
/// page repeats the running head ("Regional" / "Observer" under "REGIONAL OBSERVER | 18 April 2024").
fn mark_mastheads(
    lines: &[String],
    kinds: &mut [LineKind],
    furniture: &[usize],
    non_blank: &[usize],
    position: &[usize],
) {
    for &f in furniture {
        let head = letter_words(&lines[f]);
        let below = non_blank[position[f] + 1..]
            .iter()
            .copied()
            .skip_while(|&j| kinds[j] == LineKind::Boilerplate(Boilerplate::PageFurniture))
            .take(NEAR_BREAK);
        for j in below.collect::<Vec<_>>() {
            let words = letter_words(&lines[j]);
            let masthead = kinds[j] == LineKind::Text
                && !words.is_empty()
                && word_count(lines[j].trim()) == words.len()
                && words.len() <= MAX_MASTHEAD_WORDS
                && words.iter().all(|w| head.contains(w));
            if !masthead {
                break;
            }
            kinds[j] = LineKind::Boilerplate(Boilerplate::PageFurniture);
        }
    }
}

/// Whether line `i` stands inside a sentence: the text line before it (past blank lines and boilerplate)
/// does not end a sentence and the text line after it goes on with it.
fn breaks_sentence(lines: &[String], kinds: &[LineKind], i: usize) -> bool {
    let key = furniture_key(&lines[i]).0;
    let text = |j: &usize| kinds[*j] == LineKind::Text && furniture_key(&lines[*j]).0 != key;
    let before = (0..i).rev().find(text);
    let after = (i + 1..lines.len()).find(text);
    match (before, after) {
        (Some(b), Some(a)) => goes_on(&lines[b], &lines[a]),
        _ => false,
    }
}

/// Whether `next` goes on with the sentence `line` left open: `line` does not end a sentence, and either
/// breaks a word with a hyphen, ends on a comma or the like, or `next` opens in lower case.
fn goes_on(line: &str, next: &str) -> bool {
    let line = line.trim_end();
    if ends_sentence(line) || line.is_empty() {
        return false;
    }
    let open = line.ends_with([',', ';', ':', '-', '–', '—', '(']);
    let lower = first_word(next)
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_lowercase);
    open || lower
}

/// Whether the text line `next` goes on with the paragraph whose last line is `line` although only page
/// furniture (and blank lines) stands between them, given the `between` kinds of the lines that do: the page
/// break cut the paragraph, which is joined again over its furniture. In a hard-wrapped dump a full `line`
/// (the next word would not have fitted, `wrapped`) that does not end a sentence goes on too.
pub fn continues_across(line: &str, next: &str, between: &[LineKind], wrapped: bool) -> bool {
    let furniture = |k: &LineKind| {
        matches!(
            k,
            LineKind::Boilerplate(Boilerplate::PageFurniture | Boilerplate::PageNumber)
        )
    };
    between.iter().any(furniture)
        && between
            .iter()
            .all(|k| *k == LineKind::Blank || furniture(k))
        && (goes_on(line, next) || (wrapped && !ends_sentence(line)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lines::classify_lines;
    use crate::segment::paragraphs::{group_paragraphs, wrap_width};

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    #[test]
    fn keys_set_digits_aside() {
        let (key, numbers) = furniture_key("THE  COASTAL TIMES | 20 March 2025   A12");
        assert_eq!(key, "the coastal times | # march # a#");
        assert_eq!(numbers, vec![20, 2025, 12]);
    }

    #[test]
    fn folios_count_up_and_dates_do_not() {
        let pages: [&[u64]; 3] = [&[20, 2025, 1], &[20, 2025, 2], &[20, 2025, 4]];
        assert!(counts_pages(&pages));
        let times: [&[u64]; 3] = [&[10, 32], &[9, 15], &[8, 2]];
        assert!(!counts_pages(&times));
        let same: [&[u64]; 2] = [&[3], &[3]];
        assert!(!counts_pages(&same));
    }

    /// A two-column newspaper page as PyMuPDF prints it: no blank line anywhere, a running head and a
    /// folio on a line of its own at every page break, the break in the middle of a sentence.
    const NEWSPAPER: &str = "\
REGIONAL OBSERVER  |  18 April 2024
A1
Regional
Observer
There is no harvest festival
holiday for most towns as it
falls on a Sunday
BY ANA RIBEIRO
A little-known rule agreed by district
councils in 1998 means that the great
majority of residents will not get a day off
this harvest weekend. Under the rule, no
public holiday is given when the festival
falls on a Sunday, as it does this year.
The head of the Agriculture Department
declared Monday a public holiday for 6,200
staff, but other city agencies such as the
Revenue Service and the Ports Authority will
have to open as usual. For the rest of the
REGIONAL OBSERVER  |  18 April 2024
A2
town, it's back to work on Monday.
The council's refusal of a holiday has
been criticised by some unions and human
resources advisers, who warned of a rise
in staff calling in sick on the day.
Ferry crews vote to strike over pay
BY TOM HALE
Ferry crews at the island operator voted on
Friday to walk out for two days next month
after pay talks collapsed in the week, their
REGIONAL OBSERVER  |  18 April 2024
A3
union told its members on Saturday.";

    #[test]
    fn running_heads_and_folios_are_furniture_and_the_cut_paragraph_is_joined() {
        let lines = lines(NEWSPAPER);
        let kinds = classify_lines(&lines);
        let furniture = LineKind::Boilerplate(Boilerplate::PageFurniture);
        let at = [0, 1, 2, 3, 19, 20, 31, 32];
        for i in at {
            assert_eq!(kinds[i], furniture, "line {}: {}", i + 1, lines[i]);
        }
        assert!(kinds
            .iter()
            .enumerate()
            .all(|(i, k)| at.contains(&i) || *k == LineKind::Text));
        let wrap = wrap_width(&lines, &kinds);
        let paragraphs = group_paragraphs(&lines, &kinds, wrap);
        let cut = paragraphs
            .iter()
            .find(|p| p.lines.contains(&16))
            .expect("the line before the break is in a paragraph");
        assert!(cut.lines.contains(&21), "{:?}", cut.lines);
        assert!(!cut.lines.contains(&19));
        assert!(cut
            .text
            .contains("For the rest of the town, it's back to work on Monday."));
        let last = paragraphs.last().expect("paragraphs");
        assert!(last
            .text
            .ends_with("their union told its members on Saturday."));
    }

    /// A bulletin as pdfminer prints it: blank lines between paragraphs, a page number at the foot and the
    /// running head after a form feed. The head repeats word for word, which alone would make it a line that
    /// closes a story.
    #[test]
    fn a_running_head_after_a_form_feed_does_not_close_the_story() {
        let text = "\
Humanitarian Bulletin - Issue 43 | 5 April 2025

Rains wash away bridges in the east

Heavy rains washed away three bridges on the main road to the
border on Monday, cutting off some 40,000 people from markets
and clinics, local officials said.

Aid agencies said they would bring supplies by boat while the
army builds temporary crossings, which could take up to three

Page 1 of 3

\u{c}Humanitarian Bulletin - Issue 43 | 5 April 2025

weeks if the rain holds off.

Cholera cases fall in the capital

Health workers reported fewer new cholera cases for a fourth week
in a row, crediting a vaccination drive in the poorest districts.

Page 2 of 3

\u{c}Humanitarian Bulletin - Issue 43 | 5 April 2025

The ministry said it would keep the treatment centres open.";
        let lines = lines(text);
        let kinds = classify_lines(&lines);
        let furniture = LineKind::Boilerplate(Boilerplate::PageFurniture);
        assert_eq!(
            (kinds[0], kinds[13], kinds[24]),
            (furniture, furniture, furniture)
        );
        let paragraphs = group_paragraphs(&lines, &kinds, None);
        let cut = paragraphs
            .iter()
            .find(|p| p.lines.contains(&15))
            .expect("the line after the break is in a paragraph");
        // (Too few lines to show a wrap width: each line before the break is a paragraph of its own.)
        assert_eq!(cut.lines, vec![9, 15]);
        assert!(cut
            .text
            .ends_with("which could take up to three weeks if the rain holds off."));
        // A paragraph that ended before the break starts afresh after it.
        let after = paragraphs
            .iter()
            .find(|p| p.lines.contains(&26))
            .expect("the last line is in a paragraph");
        assert_eq!(after.lines, vec![26]);
    }

    #[test]
    fn a_notice_after_every_story_is_not_page_furniture() {
        let text = "\
Rains wash away bridges in the east
Heavy rains washed away three bridges on Monday.
Want more stories like these ones
Cholera cases fall in the capital
Health workers reported fewer new cases for a fourth week.
Want more stories like these ones
Pilots vote to strike over pay
Pilots at the national carrier voted to strike on Friday.
Want more stories like these ones";
        let lines = lines(text);
        let kinds = classify_lines(&lines);
        assert!(!kinds.contains(&LineKind::Boilerplate(Boilerplate::PageFurniture)));
    }
}
