//! Page furniture: text of a web page that is not part of the story (share bars, "Scroll down for video",
//! time stamps, sign-up boxes, photo captions, bylines, the dateline opening a wire story) but that scraped
//! news carries inside its sentences. A summary made of the article's leading sentences must step over it.

use crate::segment::metadata::{byline, dateline, is_date_line};
use regex::Regex;
use std::sync::LazyLock;

/// Furniture glued to the start of a sentence: a share bar ("Share this withEmailFacebook…Copy this link"),
/// "Scroll down for video", a time stamp ("Last updated at 09:22 GMT"), "Advertisement". Whatever follows it
/// is the story.
static LEADING_FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:share this with\w*?copy(?: this link)?|scroll down for (?:the )?videos?|(?:last )?(?:updated|published)(?: at| on)?:?\s*\d{1,2}[:.]\d{2}\s*(?-i:GMT|BST|EST|EDT|UTC|ET)?|advertisement)[\s:.|-]*",
    )
    .expect("the leading furniture pattern is a valid regular expression")
});

/// Prompts, share bars, sign-up boxes, copyright lines and photo credits, matched anywhere; a short sentence
/// holding one is furniture, a long one is a story sentence that mentions, say, a newsletter.
static FURNITURE_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)scroll down|click here|read more|follow us|watch the video|\bvideo:|advertisement|share this|\bpublished:|\bupdated:|last updated|©|copyright|all rights reserved|subscribe|sign up|newsletter|getty images|\bap photo\b|\bfile photo\b",
    )
    .expect("the furniture pattern is a valid regular expression")
});

/// Most words of a sentence that is furniture because it holds a [`FURNITURE_PHRASE`].
const SHORT_SENTENCE_WORDS: usize = 12;

/// A photo caption left in the text: "Pictured: ...", "Photo: ...", "Above: ...".
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:pictured|photo|picture|image|above|below|left|right|top|bottom)\s*:")
        .expect("the caption pattern is a valid regular expression")
});

/// The story part of a sentence: the sentence without the furniture glued to its start, without an opening
/// dateline (`NAIROBI, March 4 (Reuters) -`) and without surrounding white space, or `None` when the whole sentence is furniture (a short sentence holding a furniture phrase, a
/// caption, a byline or a publication date line) or nothing is left.
pub fn story_text(sentence: &str) -> Option<&str> {
    let trimmed = sentence.trim();
    let story = match LEADING_FURNITURE.find(trimmed) {
        Some(found) => trimmed[found.end()..].trim(),
        None => trimmed,
    };
    let story = match dateline(story) {
        Some(place_and_date) => story[place_and_date.len()..].trim_start(),
        None => story,
    };
    let words = story.split_whitespace().count();
    let furniture = words == 0
        || (words <= SHORT_SENTENCE_WORDS && FURNITURE_PHRASE.is_match(story))
        || CAPTION.is_match(story)
        || byline(story).is_some()
        || is_date_line(story);
    (!furniture).then_some(story)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_glued_to_a_sentence_is_cut_and_the_story_kept() {
        assert_eq!(
            story_text("Share this withEmailFacebookMessengerTwitterWhatsAppLinkedinCopy this linkCuadrilla, the firm behind the plan, said drilling would resume."),
            Some("Cuadrilla, the firm behind the plan, said drilling would resume.")
        );
        assert_eq!(
            story_text("Scroll down for video Abase Hussen, left, took his daughter to a rally when she was 13."),
            Some("Abase Hussen, left, took his daughter to a rally when she was 13.")
        );
        assert_eq!(
            story_text(
                "Last updated at 09:22 GMTRichard Blake-Smith and his partner won the final."
            ),
            Some("Richard Blake-Smith and his partner won the final.")
        );
        assert_eq!(
            story_text("KHARKIV, Ukraine, May 11 (NWA) - Russia launched a combined missile and drone attack."),
            Some("Russia launched a combined missile and drone attack.")
        );
        assert_eq!(
            story_text("  Floods hit the delta on Monday.  "),
            Some("Floods hit the delta on Monday.")
        );
    }

    #[test]
    fn whole_furniture_sentences_are_dropped_but_story_sentences_naming_furniture_kept() {
        for furniture in [
            "Share this withEmailFacebookTwitterWhatsAppLinkedinCopy",
            "Scroll down for video",
            "Sign up for our daily newsletter.",
            "Pictured: rescuers search the rubble in Antakya.",
            "By Jane Doe",
            "Published 3 April 2026",
            "   ",
        ] {
            assert_eq!(story_text(furniture), None, "{furniture}");
        }
        let long = "More than 40,000 readers signed up for the council's flood warning newsletter after the river burst its banks last winter.";
        assert_eq!(story_text(long), Some(long));
        assert_eq!(story_text("He was 88."), Some("He was 88."));
    }
}
