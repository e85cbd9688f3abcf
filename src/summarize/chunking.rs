//! Splits text too long for a model's input window into pieces that fit, on sentence boundaries, so that no
//! part of an article is silently cut off.

/// A run of consecutive text that fits the window.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    /// The sentences (or words) of the piece, joined by spaces.
    pub text: String,
    /// True when the piece is a single word longer than the window, which the model will cut.
    pub truncated: bool,
}

/// Packs `sentences`, in order, into as few pieces as greedy filling allows, each at most `window` tokens by
/// `count`. A sentence longer than the window on its own is split between words.
pub fn pack(sentences: &[String], window: usize, count: &dyn Fn(&str) -> usize) -> Vec<Piece> {
    let units = sentences.iter().flat_map(|sentence| {
        if count(sentence) <= window {
            vec![Piece {
                text: sentence.clone(),
                truncated: false,
            }]
        } else {
            let words: Vec<Piece> = sentence
                .split_whitespace()
                .map(|word| Piece {
                    text: word.to_string(),
                    truncated: count(word) > window,
                })
                .collect();
            fill(words, window, count)
        }
    });
    fill(units, window, count)
}

/// Greedily joins consecutive units while the joined text fits the window.
fn fill(
    units: impl IntoIterator<Item = Piece>,
    window: usize,
    count: &dyn Fn(&str) -> usize,
) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut current: Option<Piece> = None;
    for unit in units {
        current = Some(match current.take() {
            None => unit,
            Some(open) => {
                let joined = format!("{} {}", open.text, unit.text);
                if count(&joined) <= window {
                    Piece {
                        text: joined,
                        truncated: open.truncated || unit.truncated,
                    }
                } else {
                    pieces.push(open);
                    unit
                }
            }
        });
    }
    pieces.extend(current);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> usize {
        text.split_whitespace().count()
    }

    fn sentences(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn sentences_are_packed_in_order_without_exceeding_the_window() {
        let input = sentences(&[
            "one two three.",
            "four five.",
            "six seven eight nine.",
            "ten.",
        ]);
        let pieces = pack(&input, 5, &words);
        let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            ["one two three. four five.", "six seven eight nine. ten."]
        );
        assert!(pieces.iter().all(|p| !p.truncated));
    }

    #[test]
    fn an_overlong_sentence_is_split_between_words_and_only_an_overlong_word_is_truncated() {
        let input = sentences(&["a b c d e f g.", "h."]);
        let pieces = pack(&input, 3, &words);
        let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["a b c", "d e f", "g. h."]);
        assert!(pieces.iter().all(|p| !p.truncated));

        let by_chars = |text: &str| text.chars().count();
        let pieces = pack(&sentences(&["tiny enormousword"]), 6, &by_chars);
        assert_eq!(
            pieces,
            [
                Piece {
                    text: "tiny".to_string(),
                    truncated: false
                },
                Piece {
                    text: "enormousword".to_string(),
                    truncated: true
                }
            ]
        );
    }
}
