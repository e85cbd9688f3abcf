//! Line shape: the cheap, layout-independent cues (length, terminal punctuation, capitalisation) that tell a
//! headline from a paragraph of prose.

use crate::script::is_spaceless;
pub use crate::script::word_count;

/// Characters that may close a sentence after its final punctuation: quotes and brackets, full-width ones
/// included.
pub const CLOSERS: &[char] = &[
    '"', '\'', '”', '’', '»', ')', ']', '」', '』', '）', '】', '》', '〉', '〕', '＂', '］',
];

/// Punctuation that ends a sentence: `.`, `!`, `?`, `…`, and the ideographic full stop and full-width forms
/// (`。` `！` `？` `．` `｡`) of Chinese and Japanese.
pub const SENTENCE_ENDS: &[char] = &['.', '!', '?', '…', '。', '！', '？', '．', '｡'];

/// The first word, or "" for a blank text: the first whitespace-separated token, or its first character when
/// it starts in a script written without spaces.
pub fn first_word(text: &str) -> &str {
    let token = text.split_whitespace().next().unwrap_or("");
    match token.chars().next() {
        Some(c) if is_spaceless(c) => &token[..c.len_utf8()],
        _ => token,
    }
}

/// Whether the text ends like a sentence: one of [`SENTENCE_ENDS`], possibly followed by closing quotes or
/// brackets, or by a bracketed agency tag after the sentence ("... at home. (KNS)").
pub fn ends_sentence(text: &str) -> bool {
    let text = text.trim_end();
    let closes = |t: &str| t.trim_end_matches(CLOSERS).ends_with(SENTENCE_ENDS);
    let after_tag = (text.ends_with(')') || text.ends_with('）'))
        && text
            .rfind(['(', '（'])
            .is_some_and(|open| closes(text[..open].trim_end()));
    closes(text) || after_tag
}

/// Whether the first letter or digit is an upper-case letter, a digit, or a letter of a script without case
/// (Chinese, Japanese, Arabic...); quotes and brackets before it are skipped.
pub fn starts_capitalised(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| !c.is_lowercase())
}

/// Whether the text has upper-case letters and no lower-case one ("EU AGREES ARMS PACKAGE"); text in a
/// script without case is not in capitals.
pub fn is_all_caps(text: &str) -> bool {
    text.chars().any(char::is_uppercase) && !text.chars().any(char::is_lowercase)
}

/// Whether a one-line unit is shaped like a headline: a capitalised phrase of 3 to 25 words with no sentence
/// punctuation at the end (a question or exclamation of up to 15 words also passes).
pub fn looks_like_headline(text: &str) -> bool {
    let text = text.trim();
    let words = word_count(text);
    if !(3..=25).contains(&words) || text.chars().count() > 200 || !starts_capitalised(text) {
        return false;
    }
    if text.ends_with(')') && ends_sentence(text) {
        return false;
    }
    let last = text.trim_end_matches(CLOSERS).chars().last();
    match last {
        Some(
            '.' | ',' | ';' | ':' | '…' | '-' | '–' | '—' | '。' | '，' | '、' | '；' | '：' | '．'
            | '｡',
        ) => false,
        Some('?' | '!' | '？' | '！') => words <= 15,
        Some(_) => true,
        None => false,
    }
}

/// Whether a unit reads as running text: it ends like a sentence, or it is too long to be anything else.
pub fn looks_like_prose(text: &str) -> bool {
    ends_sentence(text) || word_count(text) >= 30
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_and_prose_are_told_apart_by_shape() {
        assert!(looks_like_headline(
            "Flash floods kill 40 in northern Afghanistan"
        ));
        assert!(looks_like_headline(
            "EU AGREES 5 BILLION EURO AMMUNITION PACKAGE FOR UKRAINE"
        ));
        assert!(looks_like_headline("Is the Sahel lost?"));
        assert!(!looks_like_headline(
            "The government declared three days of national mourning."
        ));
        assert!(!looks_like_headline("Advertisement"));
        assert!(looks_like_prose(
            "Forecasters expect the heat to ease on Thursday."
        ));
        assert!(looks_like_prose("\"We have learned that.\""));
        assert!(looks_like_prose("Residents stayed at home. (KNS)"));
        assert!(!looks_like_prose("The war on the roads"));
    }

    #[test]
    fn chinese_and_japanese_headlines_and_prose_are_told_apart_by_shape() {
        assert!(looks_like_headline("台风“海葵”登陆福建 数万人紧急转移"));
        assert!(looks_like_headline("能登半島で震度６強　住宅倒壊相次ぐ"));
        assert!(!looks_like_headline(
            "截至5日中午，福建全省共紧急转移群众4.3万人，沿海渔船全部回港避风。"
        ));
        assert!(looks_like_prose("政府は首相官邸に対策室を設置した。"));
        assert!(looks_like_prose("「被害は甚大だ」と述べた。（共同）"));
        assert!(looks_like_prose("他说：“我们会坚持下去！”"));
        assert!(!is_all_caps("台风登陆"));
        assert!(starts_capitalised("「能登半島"));
        assert_eq!(first_word("能登半島で"), "能");
    }

    #[test]
    fn capitalisation_skips_leading_quotes() {
        assert!(starts_capitalised("\u{201c}We share the view"));
        assert!(starts_capitalised("1) Shelling of convoy"));
        assert!(!starts_capitalised("and then"));
        assert!(is_all_caps("KNS NEWSWIRE 03.06.2026"));
        assert!(!is_all_caps("Kenya's Central Bank"));
    }
}
