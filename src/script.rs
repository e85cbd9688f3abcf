//! Writing systems: which characters are written without spaces between words (so word counts and sentence
//! ends cannot rely on spaces and `.`), and how much of a text is in scripts the default English model was not
//! trained on.

use crate::ingest::{Document, Warning};

/// Whether `c` belongs to a script written without spaces between words: Han ideographs (Chinese, Japanese
/// kanji), Japanese kana, and Thai, Lao, Khmer and Myanmar letters.
pub fn is_spaceless(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}' // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{FF66}'..='\u{FF9D}' // half-width Katakana
        | '\u{20000}'..='\u{3134F}' // CJK Extensions B-G
        | '\u{0E00}'..='\u{0EFF}' // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
    )
}

/// Characters of a spaceless script that make about one word of English: Chinese words average under two
/// characters, Japanese a little over, so a line of 40 characters counts as 20 words.
pub const SPACELESS_CHARS_PER_WORD: usize = 2;

/// Number of words in `text`: whitespace-separated tokens, where a run of spaceless-script characters
/// counts one word per [`SPACELESS_CHARS_PER_WORD`] characters (rounded up) and what is around it in the
/// token (digits, Latin letters, punctuation) one word more when it holds a letter or digit.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .map(|token| {
            let spaceless = token.chars().filter(|&c| is_spaceless(c)).count();
            if spaceless == 0 {
                return 1;
            }
            let other = token
                .chars()
                .any(|c| c.is_alphanumeric() && !is_spaceless(c));
            spaceless.div_ceil(SPACELESS_CHARS_PER_WORD) + usize::from(other)
        })
        .sum()
}

/// The first `n` words of `text` as [`word_count`] counts them, joined by single spaces: a long run of
/// Chinese or Japanese is cut after `n` words' worth of characters.
pub fn first_words(text: &str, n: usize) -> String {
    let mut taken: Vec<&str> = Vec::new();
    let mut left = n;
    for token in text.split_whitespace() {
        if left == 0 {
            break;
        }
        let words = word_count(token);
        if words <= left {
            taken.push(token);
            left -= words;
            continue;
        }
        let keep = left * SPACELESS_CHARS_PER_WORD;
        let mut spaceless = 0;
        let end = token
            .char_indices()
            .find(|&(_, c)| {
                spaceless += usize::from(is_spaceless(c));
                spaceless > keep
            })
            .map_or(token.len(), |(at, _)| at);
        taken.push(&token[..end]);
        break;
    }
    taken.join(" ")
}

/// Whether `c` is a letter of the Latin script (ASCII, Latin-1, Latin Extended-A/B, IPA, Latin Extended
/// Additional, the full-width Latin forms).
fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c,
            '\0'..='\u{02AF}' | '\u{1E00}'..='\u{1EFF}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}')
}

/// The letters of `text`, and how many of them are not Latin.
fn letter_counts(text: &str) -> (usize, usize) {
    let (mut letters, mut other) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        other += usize::from(!is_latin_letter(c));
    }
    (letters, other)
}

/// The share of the letters of `text` that are not Latin (0 when it has no letter).
pub fn non_latin_share(text: &str) -> f64 {
    match letter_counts(text) {
        (0, _) => 0.0,
        (letters, other) => other as f64 / letters as f64,
    }
}

/// A file is named in the English-only warning when at least this share of its letters is not Latin.
pub const NOTABLE_NON_LATIN_SHARE: f64 = 0.2;

/// Files named in the English-only warning, at most (the rest are counted).
const NAMED_FILES: usize = 5;

/// Tallies, file by file, how much of a run's text is in scripts other than Latin, for one warning per run when
/// the embedding model was trained on English only (all-MiniLM-L6-v2, the default): segmentation, sentence
/// splitting and word counts work in every script, but that model's vectors, and so the labels, summaries and
/// topic shifts drawn from them, mean little for Chinese, Japanese, Cyrillic or Arabic text.
#[derive(Clone, Debug, Default)]
pub struct ScriptTally {
    /// Per file, in the order first seen: letters and non-Latin letters.
    files: Vec<(String, usize, usize)>,
}

impl ScriptTally {
    /// Counts the letters of some text of `source` (a dump window or a record).
    pub fn add(&mut self, source: &str, text: &str) {
        let (letters, other) = letter_counts(text);
        match self
            .files
            .iter_mut()
            .rev()
            .find(|(name, ..)| name == source)
        {
            Some((_, l, o)) => {
                *l += letters;
                *o += other;
            }
            None => self.files.push((source.to_string(), letters, other)),
        }
    }

    /// Counts the letters of a dump window, or of a record's title and text.
    pub fn add_document(&mut self, document: &Document) {
        match document {
            Document::Dump(dump) => dump
                .lines
                .iter()
                .for_each(|line| self.add(&dump.source, line)),
            Document::Record(article) => {
                self.add(&article.source, article.title.as_deref().unwrap_or(""));
                self.add(&article.source, &article.text);
            }
        }
    }

    /// The files where at least [`NOTABLE_NON_LATIN_SHARE`] of the letters are not Latin, in order.
    pub fn notable_files(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter(|(_, letters, other)| {
                *letters > 0 && *other as f64 >= NOTABLE_NON_LATIN_SHARE * *letters as f64
            })
            .map(|(name, ..)| name.as_str())
            .collect()
    }

    /// The warning to give when the model is English-only: `None` when no file is notably in other scripts.
    pub fn english_only_warning(&self) -> Option<Warning> {
        let files = self.notable_files();
        let first = files.first()?;
        let mut named = files[1..files.len().min(NAMED_FILES)].join(", ");
        if files.len() > NAMED_FILES {
            named.push_str(&format!(" and {} more", files.len() - NAMED_FILES));
        }
        let others = match files.len() {
            1 => String::new(),
            _ => format!(" (also {named})"),
        };
        Some(Warning {
            source: first.to_string(),
            line: None,
            message: format!(
                "much of this text{others} is in scripts other than Latin, but the embedding model \
                 (all-MiniLM-L6-v2) was trained on English only: articles are found and split into sentences, \
                 but their labels, summaries and topic-shift splits are unreliable; pass --model-dir with a \
                 multilingual sentence-transformers model for such text"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaceless_scripts_count_two_characters_a_word() {
        assert_eq!(word_count("Flash floods kill 40"), 4);
        assert_eq!(word_count("台风登陆福建"), 3);
        assert_eq!(word_count("新华社福州9月5日电"), 5);
        assert_eq!(word_count("能登半島で震度６強 住宅倒壊"), 7);
        assert_eq!(word_count(""), 0);
        assert_eq!(first_words("One two  three four", 3), "One two three");
        assert_eq!(
            first_words("台风登陆福建 数万人紧急转移", 4),
            "台风登陆福建 数万"
        );
    }

    #[test]
    fn the_share_of_non_latin_letters_is_measured_on_letters_only() {
        assert_eq!(non_latin_share("Café, 2024!"), 0.0);
        assert_eq!(non_latin_share("台风 typhoon"), 2.0 / 9.0);
        assert_eq!(non_latin_share("1234 ..."), 0.0);
        assert!(non_latin_share("Война и мир") > 0.99);
    }

    #[test]
    fn one_warning_names_the_files_mostly_in_other_scripts() {
        let mut tally = ScriptTally::default();
        tally.add(
            "en.txt",
            "Typhoon Haikui made landfall in Fujian (台风海葵).",
        );
        tally.add("zh.txt", "台风“海葵”登陆福建");
        tally.add("ja.jsonl", "An English record.");
        tally.add(
            "ja.jsonl",
            "能登半島で震度６強、住宅倒壊相次ぐ。輪島市で火災",
        );
        assert_eq!(tally.notable_files(), ["zh.txt", "ja.jsonl"]);
        let warning = tally.english_only_warning().unwrap();
        assert_eq!(warning.source, "zh.txt");
        assert!(
            warning.message.contains("(also ja.jsonl)"),
            "{}",
            warning.message
        );
        assert!(warning.message.contains("English only"));
        let mut english = ScriptTally::default();
        english.add("en.txt", "Only English here.");
        assert!(english.english_only_warning().is_none());
    }
}
