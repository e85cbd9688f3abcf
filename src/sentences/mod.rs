//! Sentences: the unit that is embedded, scored for the summary and counted by Lead-3.

use sentencex::segment;

/// Splits text into sentences.
pub trait SentenceSplitter: Send + Sync {
    /// The sentences of `text`, trimmed, in order, none empty.
    fn split(&self, text: &str) -> Vec<String>;
}

/// Rule-based splitting with per-language abbreviation lists (Wikimedia's sentencex), applied per paragraph so
/// that a paragraph break always ends a sentence.
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
            .flat_map(|paragraph| segment(&self.language, paragraph))
            .map(|sentence| sentence.trim().to_string())
            .filter(|sentence| !sentence.is_empty())
            .collect()
    }
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
}
