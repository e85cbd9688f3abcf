//! Randomised details every family draws on: headlines in several cases, bylines, date lines, datelines,
//! agency tags, dates and times, and hard wrapping with or without hyphenated line ends.

use super::source::SourceArticle;
use crate::segment::metadata::{MONTHS, WEEKDAYS};
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};

const FIRST_NAMES: [&str; 24] = [
    "Amina", "David", "Lucia", "Tomás", "Mei", "Kwame", "Sarah", "Ahmed", "Olga", "Rahul", "Grace",
    "Pierre", "Fatima", "John", "Ingrid", "Samuel", "Leila", "Marco", "Aisha", "Peter", "Hana",
    "Diego", "Nadia", "Emeka",
];
const LAST_NAMES: [&str; 24] = [
    "Okafor",
    "Miller",
    "Fernández",
    "Chen",
    "Mensah",
    "Haddad",
    "Ivanova",
    "Sharma",
    "Dubois",
    "Nakamura",
    "Kowalski",
    "Abebe",
    "Rossi",
    "Johnson",
    "Lindqvist",
    "Hussein",
    "Tan",
    "Moreau",
    "Nguyen",
    "Keller",
    "Banda",
    "Silva",
    "O'Brien",
    "Petrov",
];
const AGENCIES: [(&str, &str); 10] = [
    ("Reuters", "Reuters"),
    ("Agence France-Presse", "AFP"),
    ("Associated Press", "AP"),
    ("Meridian Press", "MP"),
    ("Sahel Wire", "SW"),
    ("Kenya News Service", "KNS"),
    ("Pacific News Agency", "PNA"),
    ("Deutsche Presse-Agentur", "dpa"),
    ("Anadolu Agency", "AA"),
    ("Press Trust of India", "PTI"),
];

/// Countries printed after the city in a dateline ("SYLHET, Bangladesh, May 10 (NWA) - ").
const COUNTRIES: [&str; 10] = [
    "Bangladesh",
    "Kenya",
    "Sudan",
    "Philippines",
    "Nigeria",
    "Pakistan",
    "Colombia",
    "Ukraine",
    "Haiti",
    "Myanmar",
];

/// Cities of datelines.
const CITIES: [&str; 24] = [
    "NAIROBI",
    "GENEVA",
    "KABUL",
    "DHAKA",
    "BEIRUT",
    "LONDON",
    "MANILA",
    "KHARTOUM",
    "JAKARTA",
    "LIMA",
    "ADDIS ABABA",
    "NEW YORK",
    "BRUSSELS",
    "KYIV",
    "LAGOS",
    "ISLAMABAD",
    "BANGKOK",
    "CAIRO",
    "NIAMEY",
    "PORT-AU-PRINCE",
    "YANGON",
    "ROME",
    "MEXICO CITY",
    "SYDNEY",
];
const ROLES: [&str; 8] = [
    "Staff writer",
    "Correspondent",
    "Senior reporter",
    "Africa editor",
    "Health reporter",
    "Political editor",
    "News desk",
    "Foreign affairs correspondent",
];

/// A calendar date with a time of day, drawn at random; printed in many forms.
#[derive(Clone, Copy, Debug)]
pub struct Moment {
    year: i32,
    month: usize,
    day: u32,
    hour: u32,
    minute: u32,
}

impl Moment {
    /// A random moment between 2012 and 2026.
    pub fn random(rng: &mut dyn RngCore) -> Moment {
        Moment {
            year: rng.gen_range(2012..=2026),
            month: rng.gen_range(1..=12),
            day: rng.gen_range(1..=28),
            hour: rng.gen_range(0..24),
            minute: rng.gen_range(0..60),
        }
    }

    /// The same day, some minutes later (for feeds whose entries move on through the day); wraps at midnight.
    pub fn later(self, minutes: u32) -> Moment {
        let total = (self.hour * 60 + self.minute + minutes) % (24 * 60);
        Moment {
            hour: total / 60,
            minute: total % 60,
            ..self
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    fn month_name(self) -> &'static str {
        MONTHS[self.month - 1]
    }

    fn weekday(self) -> &'static str {
        // Sakamoto's method; 0 = Sunday.
        const OFFSETS: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let year = if self.month < 3 {
            self.year - 1
        } else {
            self.year
        };
        let sunday_based =
            (year + year / 4 - year / 100 + year / 400 + OFFSETS[self.month - 1] + self.day as i32)
                .rem_euclid(7) as usize;
        WEEKDAYS[(sunday_based + 6) % 7]
    }

    /// The date in one of several printed forms ("12 March 2026", "March 12, 2026", "2026-03-12", "Thursday
    /// 12 March 2026", "12/03/2026").
    pub fn date(self, rng: &mut dyn RngCore) -> String {
        let (y, m, d) = (self.year, self.month, self.day);
        match rng.gen_range(0..6) {
            0 => format!("{d} {} {y}", self.month_name()),
            1 => format!("{} {d}, {y}", self.month_name()),
            2 => format!("{y}-{m:02}-{d:02}"),
            3 => format!("{} {d} {} {y}", self.weekday(), self.month_name()),
            4 => format!("{d:02}/{m:02}/{y}"),
            _ => format!("{}, {} {d}, {y}", self.weekday(), &self.month_name()[..3]),
        }
    }

    /// The time of day in one of several forms ("14:05", "2:05 PM", "14:05 GMT", "2.05pm").
    pub fn time(self, rng: &mut dyn RngCore) -> String {
        let (h, min) = (self.hour, self.minute);
        let twelve = if h % 12 == 0 { 12 } else { h % 12 };
        let half = if h < 12 { "am" } else { "pm" };
        match rng.gen_range(0..5) {
            0 => format!("{h:02}:{min:02}"),
            1 => format!("{twelve}:{min:02} {}", half.to_uppercase()),
            2 => format!("{h:02}:{min:02} GMT"),
            3 => format!("{twelve}.{min:02}{half}"),
            _ => format!("{h:02}:{min:02} UTC"),
        }
    }

    /// A short dateline date ("May 9", "9 May").
    fn short_date(self, rng: &mut dyn RngCore) -> String {
        if rng.gen_bool(0.5) {
            format!("{} {}", self.month_name(), self.day)
        } else {
            format!("{} {}", self.day, self.month_name())
        }
    }
}

/// A person's name.
pub fn person(rng: &mut dyn RngCore) -> String {
    format!(
        "{} {}",
        FIRST_NAMES.choose(rng).copied().unwrap_or("Amina"),
        LAST_NAMES.choose(rng).copied().unwrap_or("Okafor")
    )
}

/// A news agency: its full name and its short tag.
pub fn agency(rng: &mut dyn RngCore) -> (&'static str, &'static str) {
    AGENCIES.choose(rng).copied().unwrap_or(AGENCIES[0])
}

/// A byline in one of several forms ("By Amina Okafor", "By AMINA OKAFOR, Reuters", "Amina Okafor | Staff
/// writer", "Words: Amina Okafor").
pub fn byline(rng: &mut dyn RngCore) -> String {
    let name = person(rng);
    match rng.gen_range(0..6) {
        0 => format!("By {name}"),
        1 => format!("By {}, {}", name.to_uppercase(), agency(rng).0),
        2 => format!(
            "{name} | {}",
            ROLES.choose(rng).copied().unwrap_or("Staff writer")
        ),
        3 => format!("By {name} and {}", person(rng)),
        4 => format!("Words: {name}"),
        _ => format!(
            "{name}, {}",
            ROLES.choose(rng).copied().unwrap_or("Correspondent")
        ),
    }
}

/// A date line in one of several forms ("Published 12 March 2026", "Updated: 2026-03-12 14:05", "12 March
/// 2026, 14:05", "Posted on Thursday 12 March 2026").
pub fn date_line(moment: Moment, rng: &mut dyn RngCore) -> String {
    let date = moment.date(rng);
    match rng.gen_range(0..6) {
        0 => format!("Published {date}"),
        1 => format!("Updated: {date} {}", moment.time(rng)),
        2 => format!("{date}, {}", moment.time(rng)),
        3 => format!("Posted on {date}"),
        4 => date,
        _ => format!("Last updated {date} at {}", moment.time(rng)),
    }
}

/// A dateline printed in front of the first paragraph ("NAIROBI, May 9 (Reuters) - ", "GENEVA (AP) — ",
/// "KABUL — ", "Dhaka, 9 May: ").
pub fn dateline(moment: Moment, rng: &mut dyn RngCore) -> String {
    let city = CITIES.choose(rng).copied().unwrap_or("GENEVA");
    let (name, tag) = agency(rng);
    match rng.gen_range(0..7) {
        0 => format!("{city}, {} ({name}) - ", moment.short_date(rng)),
        5 => format!(
            "{city}, {}, {} ({tag}) - ",
            COUNTRIES.choose(rng).copied().unwrap_or("Kenya"),
            moment.short_date(rng)
        ),
        1 => format!("{city} ({tag}) — "),
        2 => format!("{city} — "),
        3 => format!("{}, {}: ", title_case_word(city), moment.short_date(rng)),
        // The agency run into the text, as scraped copy often has it ("(AP)The ...").
        6 => format!("({tag})"),
        _ => format!("{city}, {} – ", moment.short_date(rng)),
    }
}

/// A short line some stories open with above their first paragraph, on a line of its own: a place ("Dhaka,
/// Bangladesh"), a kicker made of a few of the story's own words with a colon ("Flood relief:"), or a
/// label ("EXCLUSIVE", "Analysis:"). Short first lines of real stories must not read as furniture.
pub fn opener(article: &SourceArticle, rng: &mut dyn RngCore) -> String {
    match rng.gen_range(0..4) {
        0 => format!(
            "{}, {}",
            title_case_word(CITIES.choose(rng).copied().unwrap_or("GENEVA")),
            COUNTRIES.choose(rng).copied().unwrap_or("Kenya")
        ),
        1 => [
            "Exclusive:",
            "Analysis:",
            "EXCLUSIVE",
            "Breaking:",
            "Watch:",
            "Update:",
        ]
        .choose(rng)
        .copied()
        .unwrap_or("Analysis:")
        .to_string(),
        _ => {
            let words = content_words(article);
            let take = rng.gen_range(1..=3).min(words.len());
            let start = rng.gen_range(0..=words.len() - take);
            let kicker = capitalised(&words[start..start + take].join(" "));
            if kicker.is_empty() {
                "In brief:".to_string()
            } else {
                format!("{kicker}:")
            }
        }
    }
}

/// An agency tag printed at the end of the last paragraph (" (KNS)", " - AFP").
pub fn agency_tag(rng: &mut dyn RngCore) -> String {
    let (_, tag) = agency(rng);
    if rng.gen_bool(0.7) {
        format!(" ({tag})")
    } else {
        format!(" - {tag}")
    }
}

fn title_case_word(word: &str) -> String {
    word.split(' ')
        .map(|part| {
            let lower = part.to_lowercase();
            let mut chars = lower.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().collect::<String>() + chars.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a dump prints its headlines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadlineCase {
    /// As written (sentence case).
    AsWritten,
    /// Every Word Capitalised.
    Title,
    /// ALL CAPITALS.
    Upper,
}

impl HeadlineCase {
    /// A case drawn at random, mostly as written.
    pub fn random(rng: &mut dyn RngCore) -> HeadlineCase {
        match rng.gen_range(0..10) {
            0..=5 => HeadlineCase::AsWritten,
            6..=8 => HeadlineCase::Title,
            _ => HeadlineCase::Upper,
        }
    }

    /// The headline in this case.
    pub fn apply(self, headline: &str) -> String {
        match self {
            HeadlineCase::AsWritten => headline.to_string(),
            HeadlineCase::Title => headline
                .split(' ')
                .map(|word| {
                    let mut chars = word.chars();
                    chars.next().map_or_else(String::new, |first| {
                        first.to_uppercase().collect::<String>() + chars.as_str()
                    })
                })
                .collect::<Vec<_>>()
                .join(" "),
            HeadlineCase::Upper => headline.to_uppercase(),
        }
    }
}

const STOP_WORDS: [&str; 40] = [
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "with", "by", "from",
    "that", "this", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it", "its",
    "as", "but", "said", "says", "he", "she", "they", "their", "his", "her", "which", "who",
    "will",
];

/// The article's headline, or one written from its lead when it has none: the lead's content words, in order,
/// five to nine of them, without final punctuation (headline-ese rather than a copy of the first line).
pub fn headline_for(article: &SourceArticle, rng: &mut dyn RngCore) -> String {
    if let Some(title) = &article.title {
        return title.clone();
    }
    let lead = content_words(article);
    let take = rng.gen_range(5..=9).min(lead.len());
    let headline = capitalised(&lead[..take].join(" "));
    if headline.is_empty() {
        "News in brief".to_string()
    } else {
        headline
    }
}

/// The content words of an article's first two sentences, in order.
fn content_words(article: &SourceArticle) -> Vec<&str> {
    article
        .blocks
        .iter()
        .flat_map(|block| block.sentences.iter())
        .take(2)
        .flat_map(|sentence| sentence.split_whitespace())
        // "(CNN)The" and "(AP)" open many leads; they are no headline words.
        .filter(|word| !word.contains(['(', ')']))
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-'))
        .filter(|word| !word.is_empty() && !STOP_WORDS.contains(&word.to_lowercase().as_str()))
        .collect()
}

/// The text with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// Hard-wraps `text` at `width` columns (counted in characters). With `hyphenate`, a long word that would
/// overflow is split with a hyphen at the line end, as typesetting and PDF extraction leave it; a word is only
/// split between letters, leaving at least three on each side.
pub fn wrap(text: &str, width: usize, hyphenate: bool, rng: &mut dyn RngCore) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_len = 0usize;
    for word in text.split_whitespace() {
        let word_len = word.chars().count();
        let needed = if line.is_empty() {
            word_len
        } else {
            line_len + 1 + word_len
        };
        if needed <= width || line.is_empty() {
            if !line.is_empty() {
                line.push(' ');
                line_len += 1;
            }
            line.push_str(word);
            line_len += word_len;
            continue;
        }
        let room = width.saturating_sub(line_len + 2);
        let letters: Vec<char> = word.chars().collect();
        let can_split = hyphenate
            && letters.len() >= 7
            && room >= 3
            && letters.iter().all(|c| c.is_alphabetic())
            && rng.gen_bool(0.8);
        if can_split {
            let cut = room.min(letters.len() - 3);
            let head: String = letters[..cut].iter().collect();
            let tail: String = letters[cut..].iter().collect();
            line.push(' ');
            line.push_str(&head);
            line.push('-');
            lines.push(std::mem::take(&mut line));
            line_len = tail.chars().count();
            line = tail;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
            line_len = word_len;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn weekdays_agree_with_the_calendar() {
        let moment = Moment {
            year: 2026,
            month: 11,
            day: 30,
            hour: 0,
            minute: 0,
        };
        assert_eq!(moment.weekday(), "Monday");
        let leap = Moment {
            year: 2024,
            month: 2,
            day: 29,
            ..moment
        };
        assert_eq!(leap.weekday(), "Thursday");
    }

    #[test]
    fn wrapping_keeps_every_letter_and_the_width() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let text =
            "International organisations coordinated humanitarian deliveries throughout the \
                    mountainous northern provinces yesterday";
        for hyphenate in [false, true] {
            let lines = wrap(text, 30, hyphenate, &mut rng);
            assert!(
                lines.iter().all(|line| line.chars().count() <= 30),
                "{lines:?}"
            );
            let joined = lines.join("\n").replace("-\n", "").replace('\n', " ");
            assert_eq!(joined, text);
        }
    }
}
