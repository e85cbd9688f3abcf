//! Inputs read as a stream: one file open at a time, JSONL and CSV/TSV one record at a time, and dumps in windows of
//! bounded size, so memory does not grow with the input.
//!
//! A dump larger than the window budget is cut into windows at article breaks: once a window holds the budget,
//! it ends before the next line that follows a run of two or more blank lines or a separator line (a line of
//! three or more characters, none a letter or digit, such as `-----` or `* * *`); past twice the budget a single
//! blank line will do, and past four times the budget the window ends wherever it is. Each window is a [`Dump`]
//! whose `line_offset` says where it starts in the file, so spans and ids can be carried over to the whole file.

use super::utf16::{utf16_bom, Utf16Reader};
use super::walk::{walk_inputs, InputFile};
use super::{
    looks_like_header, parse_record, record_extension, sniff_delimiter, CsvColumns, CsvRecords,
    Document, Dump, InputFormat, UniversalLines, Warning,
};
use crate::article::Article;
use crate::error::Result;
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Bytes sniffed at the start of a file to tell a binary file.
const SNIFF_BYTES: usize = 8192;

/// Reads inputs one document at a time; problems are collected as warnings (see [`InputStream::take_warnings`]).
pub struct InputStream {
    sources: std::vec::IntoIter<InputFile>,
    format: InputFormat,
    window_bytes: Option<usize>,
    current: Option<OpenInput>,
    warnings: Vec<Warning>,
    /// The files the given paths stand for, in reading order.
    files: Vec<InputFile>,
    /// How CSV/TSV columns are found.
    csv_columns: CsvColumns,
    /// Record ids (JSONL and CSV/TSV) seen, with where: a repeated id is reported.
    record_ids: HashMap<String, (String, usize)>,
    /// Bytes read from the inputs so far, shared with the readers (for progress displays).
    bytes_read: Arc<AtomicU64>,
}

/// A reader that adds the bytes it reads to a shared count.
struct Counted {
    reader: Box<dyn Read>,
    count: Arc<AtomicU64>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.reader.read(buf)?;
        self.count.fetch_add(read as u64, Ordering::Relaxed);
        Ok(read)
    }
}

/// What an open input holds.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Jsonl,
    /// CSV or TSV rows, read by the input's [`CsvRecords`].
    Csv,
    Dump,
    /// A file that is one article: read whole, never cut into windows.
    Article,
}

/// The file being read.
struct OpenInput {
    name: String,
    stem: String,
    kind: Kind,
    lines: UniversalLines<Box<dyn BufRead>>,
    /// Lines read but not yet handed out (sniffing, or the first line of the next window).
    lookahead: VecDeque<String>,
    /// Lines of the file handed out in earlier windows.
    lines_done: usize,
    any_text: bool,
    /// The rows of a CSV/TSV input (which then reads its lines through them).
    csv: Option<Box<CsvRecords<Box<dyn BufRead>>>>,
}

impl InputStream {
    /// Streams `paths` (folders walked as [`walk_inputs`] does, `-` for stdin). Dumps are cut in windows of
    /// about `window_bytes`, or read whole when it is `None`. Fails only when no given input exists.
    pub fn new(
        paths: &[PathBuf],
        format: InputFormat,
        window_bytes: Option<usize>,
    ) -> Result<Self> {
        let walk = walk_inputs(paths)?;
        Ok(InputStream {
            sources: walk.files.clone().into_iter(),
            format,
            window_bytes,
            current: None,
            warnings: walk.warnings,
            files: walk.files,
            csv_columns: CsvColumns::default(),
            record_ids: HashMap::new(),
            bytes_read: Arc::default(),
        })
    }

    /// Finds the text, title and id columns of CSV/TSV inputs by these names (where given) rather than by the
    /// common ones.
    pub fn with_csv_columns(mut self, columns: CsvColumns) -> Self {
        self.csv_columns = columns;
        self
    }

    /// Bytes read from the inputs so far (raw file bytes, read ahead of the documents handed out by up to a
    /// buffer's worth); against the inputs' sizes, how far the stream has got.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    /// Keeps only the files `keep` accepts (a shard's share of the dump files), before any of them is opened.
    pub fn retain_files(&mut self, keep: impl Fn(&InputFile) -> bool) {
        self.files.retain(&keep);
        let sources: Vec<InputFile> = std::mem::take(&mut self.sources)
            .filter(|file| keep(file))
            .collect();
        self.sources = sources.into_iter();
    }

    /// The files the given paths stand for (folders walked), in reading order; none for bytes in memory.
    pub fn files(&self) -> &[InputFile] {
        &self.files
    }

    /// The warnings gathered since the last call.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    fn open_next(&mut self) -> Option<()> {
        loop {
            let source = self.sources.next()?;
            if let Some(input) = self.open(source) {
                self.current = Some(input);
                return Some(());
            }
        }
    }

    fn warn(&mut self, source: &str, line: Option<usize>, message: String) {
        self.warnings.push(Warning {
            source: source.to_string(),
            line,
            message,
        });
    }

    /// Opens one input, sniffs whether it is binary and which format it holds; `None` when it is skipped.
    fn open(&mut self, file: InputFile) -> Option<OpenInput> {
        let counted = |reader: Box<dyn Read>| -> Box<dyn BufRead> {
            Box::new(BufReader::with_capacity(
                1 << 16,
                Counted {
                    reader,
                    count: self.bytes_read.clone(),
                },
            ))
        };
        let (name, stem, reader): (String, String, Box<dyn BufRead>) =
            if file.path.as_os_str() == "-" {
                (
                    "-".to_string(),
                    file.stem,
                    counted(Box::new(std::io::stdin())),
                )
            } else {
                let name = file.path.display().to_string();
                match std::fs::File::open(&file.path) {
                    Ok(opened) => (name, file.stem, counted(Box::new(opened))),
                    Err(e) => {
                        self.warn(&name, None, format!("skipped: cannot read ({e})"));
                        return None;
                    }
                }
            };
        let reader = match decode_utf16(reader) {
            Ok(reader) => reader,
            Err(e) => {
                self.warn(&name, None, format!("skipped: cannot read ({e})"));
                return None;
            }
        };
        let mut lines = UniversalLines::new(&name, reader);
        match lines.peek() {
            Ok(head) if looks_binary(&head[..head.len().min(SNIFF_BYTES)]) => {
                self.warn(
                    &name,
                    None,
                    "skipped: binary file (its start is not text)".to_string(),
                );
                return None;
            }
            Ok(_) => {}
            Err(e) => {
                self.warn(&name, None, format!("skipped: cannot read ({e})"));
                return None;
            }
        }
        let mut input = OpenInput {
            name,
            stem,
            kind: Kind::Dump,
            lines,
            lookahead: VecDeque::new(),
            lines_done: 0,
            any_text: false,
            csv: None,
        };
        let format = match self.format {
            InputFormat::Auto if input.name == "-" => {
                let first = self.first_text_line(&mut input).unwrap_or_default();
                if first.trim_start().starts_with('{') {
                    InputFormat::Jsonl
                } else if looks_like_header(&first, &self.csv_columns) {
                    InputFormat::Csv
                } else {
                    InputFormat::Dump
                }
            }
            InputFormat::Auto => {
                record_extension(std::path::Path::new(&input.name)).unwrap_or(InputFormat::Dump)
            }
            format => format,
        };
        input.kind = match format {
            InputFormat::Jsonl => Kind::Jsonl,
            InputFormat::Article => Kind::Article,
            InputFormat::Csv | InputFormat::Tsv => {
                let header = self.first_text_line(&mut input).unwrap_or_default();
                let delimiter = match format {
                    InputFormat::Tsv => b'\t',
                    _ => sniff_delimiter(&header),
                };
                let empty: Box<dyn BufRead> = Box::new(std::io::empty());
                let lines = std::mem::replace(&mut input.lines, UniversalLines::new("", empty));
                let pending = std::mem::take(&mut input.lookahead).into();
                input.csv = Some(Box::new(CsvRecords::new(
                    &input.name,
                    &input.stem,
                    lines,
                    pending,
                    delimiter,
                    &self.csv_columns,
                )));
                // The rows report an empty input themselves.
                input.any_text = true;
                Kind::Csv
            }
            InputFormat::Dump | InputFormat::Auto => Kind::Dump,
        };
        Some(input)
    }

    /// Reads `input` up to its first line with text, keeping every line read in its lookahead; that line, or
    /// `None` when the input has none.
    fn first_text_line(&mut self, input: &mut OpenInput) -> Option<String> {
        if let Some(line) = input.lookahead.iter().find(|l| !l.trim().is_empty()) {
            return Some(line.clone());
        }
        loop {
            let line = self.read_line(input)?;
            let text = !line.trim().is_empty();
            input.lookahead.push_back(line.clone());
            if text {
                return Some(line);
            }
        }
    }

    /// Reads the next line of `input` from the file, noting its warning; `None` at the end or on a read error
    /// (reported).
    fn read_line(&mut self, input: &mut OpenInput) -> Option<String> {
        match input.lines.next_line() {
            Ok(Some((line, warning))) => {
                self.warnings.extend(warning);
                input.any_text |= !line.trim().is_empty();
                Some(line)
            }
            Ok(None) => None,
            Err(e) => {
                let line = input.lines.line_number() + 1;
                self.warn(
                    &input.name,
                    Some(line),
                    format!("stopped reading: {e}; the lines before were kept"),
                );
                None
            }
        }
    }

    fn next_line(&mut self, input: &mut OpenInput) -> Option<String> {
        match input.lookahead.pop_front() {
            Some(line) => Some(line),
            None => self.read_line(input),
        }
    }

    /// The next record of a JSONL input, or `None` at its end.
    fn next_record(&mut self, input: &mut OpenInput) -> Option<Document> {
        loop {
            let line = self.next_line(input)?;
            input.lines_done += 1;
            let (article, warnings) =
                parse_record(&input.name, &input.stem, input.lines_done, &line);
            self.warnings.extend(warnings);
            if let Some(article) = article {
                self.note_id(&input.name, input.lines_done, &article);
                return Some(Document::Record(article));
            }
        }
    }

    /// The next row of a CSV/TSV input, or `None` at its end.
    fn next_row(&mut self, input: &mut OpenInput) -> Option<Document> {
        let article = input.csv.as_mut()?.next_article(&mut self.warnings)?;
        self.note_id(&input.name, article.start_line.unwrap_or(0), &article);
        Some(Document::Record(article))
    }

    /// Remembers where a record's id was seen; a repeated id is reported (both records are kept).
    fn note_id(&mut self, source: &str, line: usize, article: &Article) {
        let place = (source.to_string(), line);
        if let Some((file, first)) = self.record_ids.insert(article.id.clone(), place) {
            let message = format!(
                "duplicate id `{}` (also at {file}:{first}); both kept, but ids should be unique",
                article.id
            );
            self.warn(source, Some(line), message);
        }
    }

    /// The next window of a dump input, or `None` at its end.
    fn next_window(&mut self, input: &mut OpenInput) -> Option<Document> {
        let mut lines: Vec<String> = Vec::new();
        let mut bytes = 0;
        let mut blank_run = 0;
        let mut after_separator = false;
        while let Some(line) = self.next_line(input) {
            let blank = line.trim().is_empty();
            if !blank && !lines.is_empty() {
                if let Some(budget) = self.window_bytes.filter(|_| input.kind == Kind::Dump) {
                    let cut = (bytes >= budget && (blank_run >= 2 || after_separator))
                        || (bytes >= 2 * budget && blank_run >= 1)
                        || bytes >= 4 * budget;
                    if cut {
                        input.lookahead.push_front(line);
                        break;
                    }
                }
            }
            if blank {
                blank_run += 1;
            } else {
                blank_run = 0;
                after_separator = is_separator(&line);
            }
            bytes += line.len() + 1;
            lines.push(line);
        }
        if lines.is_empty() {
            return None;
        }
        let line_offset = input.lines_done;
        input.lines_done += lines.len();
        if lines.iter().all(|l| l.trim().is_empty()) {
            return self.next_window(input);
        }
        let mut dump = Dump::new(input.name.clone(), lines);
        dump.stem = input.stem.clone();
        dump.line_offset = line_offset;
        dump.one_article = input.kind == Kind::Article;
        Some(Document::Dump(dump))
    }
}

impl Iterator for InputStream {
    type Item = Document;

    fn next(&mut self) -> Option<Document> {
        loop {
            if self.current.is_none() {
                self.open_next()?;
            }
            let mut input = self.current.take()?;
            let document = match input.kind {
                Kind::Jsonl => self.next_record(&mut input),
                Kind::Csv => self.next_row(&mut input),
                Kind::Dump | Kind::Article => self.next_window(&mut input),
            };
            if document.is_some() {
                self.current = Some(input);
                return document;
            }
            if !input.any_text {
                self.warn(&input.name, None, "skipped: empty input".to_string());
            }
        }
    }
}

/// Reads UTF-16 input (recognised by its byte-order mark) as UTF-8; other input as it is.
fn decode_utf16(mut reader: Box<dyn BufRead>) -> std::io::Result<Box<dyn BufRead>> {
    Ok(match utf16_bom(reader.fill_buf()?) {
        Some(order) => Box::new(BufReader::with_capacity(
            1 << 16,
            Utf16Reader::new(reader, order),
        )),
        None => reader,
    })
}

/// Whether the first bytes of an input say it is not text: at least 4 and more than 15% of them are neither text
/// nor common whitespace (NUL and other control bytes, invalid UTF-8), as in images, archives and executables.
/// A few stray NUL bytes in text are not enough: they are replaced and reported on their line, wherever they are
/// (see [`UniversalLines`]).
fn looks_binary(head: &[u8]) -> bool {
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    let mut invalid = 0;
    let mut rest = head;
    while let Err(e) = std::str::from_utf8(rest) {
        let bad = e.error_len().unwrap_or(rest.len() - e.valid_up_to());
        invalid += bad;
        rest = &rest[e.valid_up_to() + bad..];
    }
    let not_text = control + invalid;
    not_text >= 4 && not_text * 100 > head.len() * 15
}

/// A line that only separates: three or more characters, none a letter or digit (`-----`, `* * *`, `####`).
fn is_separator(line: &str) -> bool {
    let line = line.trim();
    line.chars().count() >= 3 && !line.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows(text: &str, budget: usize) -> Vec<Dump> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, text).unwrap();
        InputStream::new(&[path], InputFormat::Auto, Some(budget))
            .unwrap()
            .map(|d| match d {
                Document::Dump(dump) => dump,
                Document::Record(_) => panic!("a dump was read as records"),
            })
            .collect()
    }

    #[test]
    fn a_large_dump_is_cut_at_article_breaks_and_windows_cover_every_line() {
        let article =
            |n: usize| format!("Headline {n}\n\nFirst paragraph {n}.\nSecond line {n}.\n");
        let text: String = (0..30)
            .map(|n| article(n) + if n % 2 == 0 { "\n\n" } else { "-----\n" })
            .collect();
        let all: Vec<&str> = text.lines().collect();
        let windows = windows(&text, 100);
        assert!(windows.len() > 3);
        let mut next_line = 0;
        for window in &windows {
            assert_eq!(window.line_offset, next_line);
            assert!(
                window.lines[0].starts_with("Headline"),
                "{:?}",
                window.lines[0]
            );
            assert_eq!(window.lines, all[next_line..next_line + window.lines.len()]);
            next_line += window.lines.len();
        }
        assert_eq!(next_line, all.len());
    }

    #[test]
    fn a_dump_without_breaks_is_still_cut_within_four_budgets() {
        let text: String = (0..200)
            .map(|n| format!("line {n} of one long paragraph\n"))
            .collect();
        let windows = windows(&text, 300);
        assert!(windows
            .iter()
            .all(|w| w.lines.iter().map(|l| l.len() + 1).sum::<usize>() <= 4 * 300 + 40));
        assert_eq!(windows.iter().map(|w| w.lines.len()).sum::<usize>(), 200);
    }
}
