//! Streaming line reader with universal newlines: the one place that decides where a line ends, used both for
//! whole buffers ([`super::decode_lines`]) and for files read as streams ([`super::InputStream`]).

use super::Warning;
use std::io::BufRead;

/// Longest line kept, in bytes; the rest of a longer line is dropped with a warning, so one line without a
/// break (a 1 GB file of one line) cannot exhaust memory.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// Reads lines from a byte stream: a leading UTF-8 BOM is dropped, `\r\n`, `\n` and `\r` each end a line, a
/// final line break does not start an extra line, and invalid UTF-8 is replaced with U+FFFD and reported.
pub struct UniversalLines<R> {
    reader: R,
    source: String,
    line_number: usize,
    at_start: bool,
    after_cr: bool,
}

impl<R: BufRead> UniversalLines<R> {
    /// Reads lines from `reader`; warnings name `source`.
    pub fn new(source: &str, reader: R) -> Self {
        UniversalLines {
            reader,
            source: source.to_string(),
            line_number: 0,
            at_start: true,
            after_cr: false,
        }
    }

    /// The 1-based number of the last line returned.
    pub fn line_number(&self) -> usize {
        self.line_number
    }

    /// The bytes buffered but not yet read, for sniffing the content before reading lines.
    pub fn peek(&mut self) -> std::io::Result<&[u8]> {
        self.reader.fill_buf()
    }

    /// The next line without its break, with a warning when it had to be repaired; `None` at the end.
    pub fn next_line(&mut self) -> std::io::Result<Option<(String, Option<Warning>)>> {
        let mut raw = Vec::new();
        let mut overlong = false;
        let mut ended = false;
        loop {
            let buffer = self.reader.fill_buf()?;
            if buffer.is_empty() {
                break;
            }
            let mut skip = 0;
            if self.at_start {
                self.at_start = false;
                if buffer.starts_with(b"\xEF\xBB\xBF") {
                    skip = 3;
                }
            }
            if self.after_cr {
                self.after_cr = false;
                if buffer[0] == b'\n' {
                    skip = 1;
                }
            }
            if skip > 0 {
                self.reader.consume(skip);
                continue;
            }
            let end = buffer.iter().position(|&b| b == b'\n' || b == b'\r');
            let taken = end.unwrap_or(buffer.len());
            let room = MAX_LINE_BYTES.saturating_sub(raw.len());
            overlong |= taken > room;
            raw.extend_from_slice(&buffer[..taken.min(room)]);
            match end {
                Some(i) => {
                    self.after_cr = buffer[i] == b'\r';
                    self.reader.consume(i + 1);
                    ended = true;
                    break;
                }
                None => self.reader.consume(taken),
            }
        }
        if !ended && raw.is_empty() && !overlong {
            return Ok(None);
        }
        self.line_number += 1;
        let warn = |message: &str| Warning {
            source: self.source.clone(),
            line: Some(self.line_number),
            message: message.to_string(),
        };
        // A NUL byte is never text, wherever it is: replaced and reported like invalid UTF-8.
        let nul = raw.contains(&0);
        if nul {
            raw = replace_nul(&raw);
        }
        let invalid = std::str::from_utf8(&raw).is_err();
        let warning = if overlong {
            Some(warn(&format!(
                "line longer than {MAX_LINE_BYTES} bytes cut to that length"
            )))
        } else {
            match (nul, invalid) {
                (true, true) => Some(warn("NUL bytes and invalid UTF-8 replaced with U+FFFD")),
                (true, false) => Some(warn("NUL bytes replaced with U+FFFD")),
                (false, true) => Some(warn("invalid UTF-8 replaced with U+FFFD")),
                (false, false) => None,
            }
        };
        let line = match String::from_utf8(raw) {
            Ok(line) => line,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        Ok(Some((line, warning)))
    }
}

/// `bytes` with every NUL byte replaced by U+FFFD.
fn replace_nul(bytes: &[u8]) -> Vec<u8> {
    let mut replaced = Vec::with_capacity(bytes.len() + 8);
    for &byte in bytes {
        if byte == 0 {
            replaced.extend_from_slice("\u{FFFD}".as_bytes());
        } else {
            replaced.push(byte);
        }
    }
    replaced
}
