//! Plain-text decoding: BOM, universal newlines, invalid UTF-8.

use super::{UniversalLines, Warning};
use std::path::Path;

/// A plain-text dump: its lines, as split by universal newlines, ready to segment.
#[derive(Clone, Debug, PartialEq)]
pub struct Dump {
    /// The path it was read from (`-` for stdin).
    pub source: String,
    /// The file name without extension, used to build article ids (`stdin` for `-`).
    pub stem: String,
    /// The lines, without their line breaks; line `line_offset + i` of the file is `lines[i - 1]`.
    pub lines: Vec<String>,
    /// Lines of the file before these: 0 for a whole dump, more for a later window of a dump too large to
    /// segment at once (see [`super::InputStream`]).
    pub line_offset: usize,
    /// The whole dump is one article (`--input-format article`): the segmenter finds its headline, metadata
    /// and boilerplate but does not split it.
    pub one_article: bool,
}

impl Dump {
    /// Builds a dump from its source name and lines.
    pub fn new(source: String, lines: Vec<String>) -> Self {
        let stem = if source == "-" {
            "stdin".to_string()
        } else {
            Path::new(&source)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| source.clone())
        };
        Dump {
            source,
            stem,
            lines,
            line_offset: 0,
            one_article: false,
        }
    }
}

/// Splits bytes into lines the way the gold spans count them: a leading UTF-8 BOM is dropped, `\r\n`, `\n` and
/// `\r` each end a line, and a final line break does not start an extra line. Invalid UTF-8 is replaced with
/// U+FFFD and reported once per line.
pub fn decode_lines(source: &str, bytes: &[u8]) -> (Vec<String>, Vec<Warning>) {
    let mut reader = UniversalLines::new(source, bytes);
    let mut lines = Vec::new();
    let mut warnings = Vec::new();
    // Reading from memory cannot fail.
    while let Ok(Some((line, warning))) = reader.next_line() {
        lines.push(line);
        warnings.extend(warning);
    }
    (lines, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_lf_cr_and_bom_count_like_universal_newlines() {
        let (lines, warnings) = decode_lines("x", b"\xEF\xBB\xBFone\r\ntwo\nthree\rfour\n");
        assert_eq!(lines, ["one", "two", "three", "four"]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported_with_its_line() {
        let (lines, warnings) = decode_lines("f.txt", b"good\nbad \xFF byte\n");
        assert_eq!(lines[1], "bad \u{FFFD} byte");
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].to_string(),
            "f.txt:2: invalid UTF-8 replaced with U+FFFD"
        );
    }
}
