//! Text from input files made safe to print on a terminal: a headline holding an escape sequence, or a file
//! name holding a line break, must not move the cursor, recolour the screen or forge lines of output.

use std::borrow::Cow;

/// Whether printing `c` as it is could change what a terminal shows beyond the character itself: control
/// characters (C0, DEL, C1) and the bidirectional overrides and isolates that reorder the rest of a line.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as a Rust-style escape (`\n`, `\t`, `\u{1b}`); text without one
/// is returned as it is.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            escaped.extend(c.escape_debug());
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_overrides_and_keeps_the_rest() {
        assert_eq!(escape_controls("Flood — Đà Nẵng"), "Flood — Đà Nẵng");
        assert_eq!(
            escape_controls("a\nb\tc\u{1b}[2J\u{202E}d\u{9b}"),
            "a\\nb\\tc\\u{1b}[2J\\u{202e}d\\u{9b}"
        );
    }
}
