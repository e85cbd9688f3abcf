//! Sentences: the unit that is embedded, scored for the summary and counted by Lead-3.

use sentencex::segment;

/// Splits text into sentences.
pub trait SentenceSplitter: Send + Sync {
    /// The sentences of `text`, trimmed, in order, none empty.
    fn split(&self, text: &str) -> Vec<String>;
}

/// Rule-based splitting with per-language abbreviation lists (Wikimedia's sentencex), applied per paragraph so
/// that a paragraph break always ends a sentence. Chinese and Japanese sentence ends (`。！？`, which need no
/// space after them) end a sentence whatever the language.
#[derive(Clone, Debug)]
pub struct RuleSplitter {
    language: String,
}

impl RuleSplitter {
    /// A splitter for a language code such as `en`.
    pub fn new(language: &str) -> Self {
        RuleSplitter {
            language: language.to_string(),
        }
    }
}

impl Default for RuleSplitter {
    fn default() -> Self {
        RuleSplitter::new("en")
    }
}

impl SentenceSplitter for RuleSplitter {
    fn split(&self, text: &str) -> Vec<String> {
        text.split('\n')
            .filter(|paragraph| !paragraph.trim().is_empty())
            .flat_map(after_full_width_ends)
            .flat_map(|piece| match piece.contains(FULL_WIDTH_ENDS) {
                // Already cut at its end; sentencex would also cut inside its quotations.
                true => vec![piece],
                false => segment(&self.language, piece),
            })
            .map(|sentence| sentence.trim().to_string())
            .filter(|sentence| !sentence.is_empty())
            .collect()
    }
}

/// Full-width sentence ends: the ideographic full stop and the full-width `!` and `?` of Chinese and Japanese
/// (and the half-width ideographic stop). The full-width `．` is left out: it also writes decimal points.
/// Chinese quotations close after the stop (`“……！”他说。`), so a stop inside quotation marks waits for them.
const FULL_WIDTH_ENDS: &[char] = &['。', '！', '？', '｡'];

/// Quotes and brackets that open a quotation: a full-width sentence end inside one does not end the sentence
/// around it (`首相は「被害は甚大だ。」と述べた。` is one sentence).
const OPENERS: &[char] = &['「', '『', '（', '【', '《', '〈', '〔', '“'];

/// The closing counterparts of [`OPENERS`], which stay with the sentence they close.
const CLOSERS: &[char] = &['」', '』', '）', '】', '》', '〉', '〕', '”'];

/// Cuts a paragraph after each run of full-width sentence ends outside quotations (with the closing quotes
/// right after it).
fn after_full_width_ends(paragraph: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut chars = paragraph.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if OPENERS.contains(&c) {
            depth += 1;
        } else if CLOSERS.contains(&c) {
            depth = depth.saturating_sub(1);
        }
        if depth > 0 || !FULL_WIDTH_ENDS.contains(&c) {
            continue;
        }
        while let Some(&(_, next)) = chars.peek() {
            if FULL_WIDTH_ENDS.contains(&next) || next == '"' {
                chars.next();
            } else {
                break;
            }
        }
        let end = chars.peek().map_or(paragraph.len(), |&(at, _)| at);
        pieces.push(&paragraph[start..end]);
        start = end;
    }
    if start < paragraph.len() {
        pieces.push(&paragraph[start..]);
    }
    pieces
        .into_iter()
        .filter(|piece| !piece.trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<String> {
        RuleSplitter::default().split(text)
    }

    #[test]
    fn abbreviations_initials_and_decimals_do_not_end_sentences() {
        let text = "U.S. President Donald Trump met Dr. Smith at 3.5 p.m. on Monday. \
                    The envoy, John F. Kennedy Jr., said talks were useful. Prices rose 2.4 percent.";
        assert_eq!(
            split(text),
            [
                "U.S. President Donald Trump met Dr. Smith at 3.5 p.m. on Monday.",
                "The envoy, John F. Kennedy Jr., said talks were useful.",
                "Prices rose 2.4 percent."
            ]
        );
    }

    #[test]
    fn a_quotation_stays_whole_and_paragraphs_split() {
        let text = "\"We heard the planes first. Then the bombs fell,\" he said. Officials declined to comment.\n\nA new paragraph";
        assert_eq!(
            split(text),
            [
                "\"We heard the planes first. Then the bombs fell,\" he said.",
                "Officials declined to comment.",
                "A new paragraph"
            ]
        );
    }

    #[test]
    fn chinese_and_japanese_sentences_end_at_full_width_stops() {
        assert_eq!(
            split("今年第11号台风“海葵”5日上午在福建登陆，风力有12级。福建已将应急响应提升至一级！还会更强吗？专家说不会。"),
            [
                "今年第11号台风“海葵”5日上午在福建登陆，风力有12级。",
                "福建已将应急响应提升至一级！",
                "还会更强吗？",
                "专家说不会。"
            ]
        );
        assert_eq!(
            split("首相は「被害は甚大だ。」と述べた。マグニチュードは7.6と推定される"),
            [
                "首相は「被害は甚大だ。」と述べた。",
                "マグニチュードは7.6と推定される"
            ]
        );
    }
}
