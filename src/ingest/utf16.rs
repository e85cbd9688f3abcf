//! UTF-16 files (as Windows tools save "Unicode" text): recognised by their byte-order mark and transcoded to
//! UTF-8 as they are read, so the rest of ingest sees one encoding.

use std::io::Read;

/// The byte order a UTF-16 byte-order mark at the start of `head` announces, if it starts with one.
pub fn utf16_bom(head: &[u8]) -> Option<ByteOrder> {
    match head {
        [0xFF, 0xFE, ..] => Some(ByteOrder::Little),
        [0xFE, 0xFF, ..] => Some(ByteOrder::Big),
        _ => None,
    }
}

/// The order of the two bytes of a UTF-16 code unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteOrder {
    /// UTF-16LE (mark `FF FE`).
    Little,
    /// UTF-16BE (mark `FE FF`).
    Big,
}

/// Reads UTF-16 (mark included) and yields UTF-8 without the mark. An unpaired surrogate or a dangling last
/// byte becomes the byte 0xFF, which is invalid UTF-8, so the line reader replaces and reports it on its line.
pub struct Utf16Reader<R> {
    inner: R,
    order: ByteOrder,
    /// UTF-8 bytes decoded but not yet read.
    out: Vec<u8>,
    out_start: usize,
    /// A code unit's first byte, when a read ended between its two bytes.
    odd_byte: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    at_start: bool,
    done: bool,
}

impl<R: Read> Utf16Reader<R> {
    /// Decodes `inner`, whose bytes are UTF-16 in `order`.
    pub fn new(inner: R, order: ByteOrder) -> Self {
        Utf16Reader {
            inner,
            order,
            out: Vec::new(),
            out_start: 0,
            odd_byte: None,
            high: None,
            at_start: true,
            done: false,
        }
    }

    fn push_char(&mut self, c: char) {
        let mut buffer = [0; 4];
        self.out
            .extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
    }

    fn push_unit(&mut self, unit: u16) {
        if self.at_start {
            self.at_start = false;
            if unit == 0xFEFF {
                return;
            }
        }
        if let Some(high) = self.high.take() {
            if (0xDC00..0xE000).contains(&unit) {
                let code =
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                if let Some(c) = char::from_u32(code) {
                    self.push_char(c);
                }
                return;
            }
            self.out.push(0xFF);
        }
        match unit {
            0xD800..=0xDBFF => self.high = Some(unit),
            0xDC00..=0xDFFF => self.out.push(0xFF),
            _ => {
                if let Some(c) = char::from_u32(u32::from(unit)) {
                    self.push_char(c);
                }
            }
        }
    }

    /// Decodes the next block of input into `out`; false at the end.
    fn fill(&mut self) -> std::io::Result<bool> {
        let mut block = [0u8; 1 << 14];
        let read = loop {
            match self.inner.read(&mut block) {
                Ok(read) => break read,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.out.clear();
        self.out_start = 0;
        if read == 0 {
            self.done = true;
            if self.high.take().is_some() || self.odd_byte.take().is_some() {
                self.out.push(0xFF);
            }
            return Ok(!self.out.is_empty());
        }
        let mut bytes = &block[..read];
        if let Some(first) = self.odd_byte.take() {
            self.push_pair(first, bytes[0]);
            bytes = &bytes[1..];
        }
        let mut pairs = bytes.chunks_exact(2);
        for pair in &mut pairs {
            self.push_pair(pair[0], pair[1]);
        }
        self.odd_byte = pairs.remainder().first().copied();
        Ok(true)
    }

    fn push_pair(&mut self, a: u8, b: u8) {
        let unit = match self.order {
            ByteOrder::Little => u16::from_le_bytes([a, b]),
            ByteOrder::Big => u16::from_be_bytes([a, b]),
        };
        self.push_unit(unit);
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out_start == self.out.len() {
            if self.done || !self.fill()? {
                return Ok(0);
            }
        }
        let available = &self.out[self.out_start..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Vec<u8> {
        let order = utf16_bom(bytes).unwrap();
        let mut out = Vec::new();
        // A one-byte inner reader splits code units and surrogate pairs across reads.
        let inner = std::io::BufReader::with_capacity(1, bytes);
        Utf16Reader::new(inner, order)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn both_byte_orders_decode_with_surrogate_pairs_and_no_mark() {
        let text = "Flood in Đà Nẵng 🌊\r\nline two\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode(&le), text.as_bytes());
        assert_eq!(decode(&be), text.as_bytes());
    }

    #[test]
    fn an_unpaired_surrogate_and_a_dangling_byte_become_invalid_utf8() {
        let bytes = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0, b'c'];
        assert_eq!(decode(&bytes), [b'a', 0xFF, b'b', 0xFF]);
    }
}
