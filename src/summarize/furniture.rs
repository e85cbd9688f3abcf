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

/// A photo caption opening a sentence the way DailyMail prints them, glued to what follows without a full stop:
/// a label of one to three words, the first capitalised, a colon and a capitalised description ("Flying high:
/// Half of the kite took to the sky in Chongqing"). A quotation after the colon ("He added: 'We ...") is not a
/// caption.
static CAPTION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][\p{L}'’-]*(?: [\p{L}'’-]+){0,2}: [A-Z]")
        .expect("the caption label pattern is a valid regular expression")
});

/// Where a glued caption ends, after a word that ends without a stop: the next caption's label (group 2), or a
/// capitalised sentence opener, an article before a lower-case word ("... in Raqqa The first ...", not "in The
/// Hague"), a pronoun, a preposition or a conjunction. Group 1 starts where the next caption or the story does.
static CAPTION_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[\p{Ll}\d)’'] +(([A-Z][\p{L}'’-]*(?: [\p{L}'’-]+){0,2}: [A-Z])|(?:The|A|An) [\p{Ll}\d]|(?:In|On|At|He|She|It|They|We|His|Her|Their|This|That|These|Those|However|But|After|When|While|According)\b)",
    )
    .expect("the caption end pattern is a valid regular expression")
});

/// The sentence after the photo captions glued to its start (see [`CAPTION_LABEL`]): the story sentence starts
/// where the last caption ends. Where a caption's end cannot be told, the sentence is kept from that caption on.
fn after_captions(sentence: &str) -> &str {
    let mut rest = sentence;
    while CAPTION_LABEL.is_match(rest) {
        let Some(next) = CAPTION_END.captures(rest) else {
            break;
        };
        let another_caption = next.get(2).is_some();
        if let Some(start) = next.get(1) {
            rest = &rest[start.start()..];
        }
        if !another_caption {
            break;
        }
    }
    rest
}

/// The story part of a sentence: the sentence without the furniture or photo captions glued to its start,
/// without an opening dateline (`NAIROBI, March 4 (Reuters) -`) and without surrounding white space, or `None` when the whole sentence is furniture (a short sentence holding a furniture phrase, a
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
    let story = after_captions(story);
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

    #[test]
    fn captions_glued_to_a_sentence_are_cut_where_they_end() {
        assert_eq!(
            story_text("Flying high: Half of the kite took to the sky in Chongqing last Saturday Skilful: The kite weighs 200 kilograms However, the authorities ruled that it could not be flown."),
            Some("However, the authorities ruled that it could not be flown.")
        );
        assert_eq!(
            story_text("Fighter ace: Douglas Bader's story is to be told in a film dubbed ‘The First Great Escape’ The story of how Bader recovered is remarkable enough."),
            Some("The story of how Bader recovered is remarkable enough.")
        );
        for kept in [
            // No opener says where the caption ends: the sentence stays whole.
            "Wanted: Police in Maryland have issued a warrant Police said he fled the country.",
            // A quotation, and a proper name after a preposition, are not the end of a caption.
            "He added: 'We lost everything in the flood.'",
            "Analysis: Talks in The Hague stalled on Monday.",
            "Floods hit the delta on Monday In the north, rivers rose.",
        ] {
            assert_eq!(story_text(kept), Some(kept));
        }
    }
}
