//! CSV and TSV exports: a header row, then one article per row, its text in a column found by name.
//!
//! The file is read through [`UniversalLines`] like every other input (BOM, UTF-16, CRLF or CR line ends,
//! invalid UTF-8 and NUL bytes replaced and reported on their line), then parsed by the `csv` crate, so a
//! quoted field may span lines. Each article keeps its row's span in the file: the row's first and last
//! physical line.

use super::{UniversalLines, Warning};
use crate::article::Article;
use std::collections::VecDeque;
use std::io::{BufRead, Read};

/// Header names (compared case-insensitively, `_` and `-` as spaces) that hold an article's text, most
/// specific first.
const TEXT_NAMES: &[&str] = &[
    "text",
    "body",
    "content",
    "article",
    "story",
    "full text",
    "fulltext",
    "article text",
    "article body",
    "body text",
    "story text",
    "main text",
    "maintext",
    "news",
    "message",
    "description",
];
/// Header names of the headline.
const TITLE_NAMES: &[&str] = &["title", "headline", "heading", "subject", "head", "hed"];
/// Header names of the article's id.
const ID_NAMES: &[&str] = &[
    "id",
    "guid",
    "uuid",
    "article id",
    "story id",
    "doc id",
    "document id",
    "key",
    "url",
    "link",
    "permalink",
];
/// Header names of the publication date, kept as [`crate::article::Metadata::published`].
const DATE_NAMES: &[&str] = &[
    "date",
    "published",
    "publish date",
    "published at",
    "publication date",
    "pubdate",
    "pub date",
    "datetime",
    "timestamp",
    "time",
    "created",
    "created at",
];
/// Header names of the author, kept as [`crate::article::Metadata::byline`].
const AUTHOR_NAMES: &[&str] = &["author", "authors", "byline", "by", "writer", "creator"];
/// Header names of the publisher or agency, kept as [`crate::article::Metadata::source_tag`].
const SOURCE_NAMES: &[&str] = &[
    "source",
    "publisher",
    "agency",
    "outlet",
    "publication",
    "site",
    "domain",
    "feed",
];

/// Column names given by the user (`--text-column`, `--title-column`, `--id-column`) for exports whose
/// headers are not among the common names; compared case-insensitively.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvColumns {
    /// The column holding the article's text.
    pub text: Option<String>,
    /// The column holding the headline.
    pub title: Option<String>,
    /// The column holding the article's id.
    pub id: Option<String>,
}

/// A header name as compared: trimmed, lower case, `_` and `-` read as spaces, runs of spaces as one.
fn normalise(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .replace(['_', '-', '.'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The delimiter of a header line: whichever of tab, semicolon and comma splits it into the most fields
/// (outside quotes), comma when none does.
pub fn sniff_delimiter(header: &str) -> u8 {
    let mut counts = [(b'\t', 0usize), (b';', 0), (b',', 0)];
    let mut quoted = false;
    for byte in header.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (delimiter, count) in &mut counts {
                *count += usize::from(byte == *delimiter);
            }
        }
    }
    // The most fields; on a tie the later (comma) wins.
    counts
        .iter()
        .max_by_key(|&&(_, count)| count)
        .filter(|&&(_, count)| count > 0)
        .map_or(b',', |&(delimiter, _)| delimiter)
}

/// Whether a line reads as the header row of a CSV/TSV export (for stdin, which has no file name): at least two
/// fields, each a short name rather than prose, one of them a text column (the one `columns` names, or a
/// common text name).
pub fn looks_like_header(line: &str, columns: &CsvColumns) -> bool {
    let delimiter = sniff_delimiter(line) as char;
    let fields: Vec<String> = line
        .split(delimiter)
        .map(|f| normalise(f.trim().trim_matches('"')))
        .collect();
    let name_like = |f: &String| {
        !f.is_empty()
            && f.chars().count() <= 40
            && f.split(' ').count() <= 4
            && f.chars().all(|c| c.is_alphanumeric() || c == ' ')
    };
    let text_name = |f: &String| match &columns.text {
        Some(name) => *f == normalise(name),
        None => TEXT_NAMES.contains(&f.as_str()),
    };
    fields.len() >= 2 && fields.iter().all(name_like) && fields.iter().any(text_name)
}

/// Where each field of a row goes, found from the header.
#[derive(Clone, Debug)]
struct Layout {
    text: usize,
    title: Option<usize>,
    id: Option<usize>,
    date: Option<usize>,
    author: Option<usize>,
    source: Option<usize>,
    /// The header's names, for messages.
    names: Vec<String>,
}

impl Layout {
    /// The layout of a header, or the message explaining why no text column could be chosen.
    fn of(header: &[String], columns: &CsvColumns) -> Result<Layout, String> {
        let normalised: Vec<String> = header.iter().map(|h| normalise(h)).collect();
        let found = || {
            header
                .iter()
                .map(|h| format!("`{h}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let by_names = |names: &[&str], taken: &[usize]| {
            names.iter().find_map(|name| {
                normalised
                    .iter()
                    .enumerate()
                    .position(|(i, h)| h == name && !taken.contains(&i))
            })
        };
        let named = |given: &Option<String>, flag: &str| -> Result<Option<usize>, String> {
            match given {
                None => Ok(None),
                Some(name) => normalised
                    .iter()
                    .position(|h| *h == normalise(name))
                    .map(Some)
                    .ok_or_else(|| {
                        format!("no column `{name}` ({flag}); the columns are {}", found())
                    }),
            }
        };
        let text = match named(&columns.text, "--text-column")? {
            Some(i) => i,
            None => by_names(TEXT_NAMES, &[]).ok_or_else(|| {
                format!(
                    "no text column: the columns are {}; name the one holding the articles' text with \
                     --text-column",
                    found()
                )
            })?,
        };
        let mut taken = vec![text];
        let mut pick = |given: Option<usize>, names: &[&str]| {
            let chosen = given.or_else(|| by_names(names, &taken));
            taken.extend(chosen);
            chosen
        };
        let title = pick(named(&columns.title, "--title-column")?, TITLE_NAMES);
        let id = pick(named(&columns.id, "--id-column")?, ID_NAMES);
        let date = pick(None, DATE_NAMES);
        let author = pick(None, AUTHOR_NAMES);
        let source = pick(None, SOURCE_NAMES);
        Ok(Layout {
            text,
            title,
            id,
            date,
            author,
            source,
            names: header.to_vec(),
        })
    }
}

/// Feeds the lines of a [`UniversalLines`] reader to the CSV parser, each ended by `\n`, so the parser's line
/// numbers are the file's physical lines; the lines' repair warnings are kept for the caller.
struct LineFeed<R> {
    lines: UniversalLines<R>,
    /// Lines already read from the file (while sniffing), fed first.
    pending: VecDeque<String>,
    buffer: Vec<u8>,
    at: usize,
    warnings: Vec<Warning>,
    /// The lines fed since the start of the row being read (the parser reads ahead), the first of them
    /// line `history_start`; a row that went wrong is read again from them.
    history: VecDeque<String>,
    history_start: usize,
}

impl<R> LineFeed<R> {
    /// Forgets the lines before line `line`.
    fn forget_before(&mut self, line: usize) {
        while self.history_start < line && self.history.pop_front().is_some() {
            self.history_start += 1;
        }
    }

    /// Lines `first..=last` of the file, of those still remembered.
    fn lines(&self, first: usize, last: usize) -> Vec<&str> {
        let skip = first.saturating_sub(self.history_start);
        let take = (last + 1).saturating_sub(first.max(self.history_start));
        self.history
            .iter()
            .skip(skip)
            .take(take)
            .map(String::as_str)
            .collect()
    }
}

impl<R: BufRead> Read for LineFeed<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.buffer.len() {
            let line = match self.pending.pop_front() {
                Some(line) => line,
                None => match self.lines.next_line()? {
                    Some((line, warning)) => {
                        self.warnings.extend(warning);
                        line
                    }
                    None => return Ok(0),
                },
            };
            self.buffer.clear();
            self.buffer.extend_from_slice(line.as_bytes());
            self.buffer.push(b'\n');
            self.at = 0;
            self.history.push_back(line);
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The rows of one CSV/TSV input, read one at a time as articles.
pub struct CsvRecords<R> {
    reader: csv::Reader<LineFeed<R>>,
    source: String,
    stem: String,
    columns: CsvColumns,
    /// Set once the header is read; `None` before.
    layout: Option<Layout>,
    delimiter: u8,
    rows: usize,
    done: bool,
    /// Rows read again from the lines a bad row swallowed, handed out before reading on.
    recovered: VecDeque<Result<Article, Warning>>,
}

/// The physical lines a row spans past its first: the line breaks inside its (quoted) fields.
fn extra_lines(record: &csv::StringRecord) -> usize {
    record.iter().map(|f| f.matches('\n').count()).sum()
}

impl<R: BufRead> CsvRecords<R> {
    /// Reads rows from `lines`, after the lines already taken from it (`pending`, the file's first lines);
    /// fields are split at `delimiter`. Ids default to `<stem>:<line>`; warnings name `source`.
    pub fn new(
        source: &str,
        stem: &str,
        lines: UniversalLines<R>,
        pending: Vec<String>,
        delimiter: u8,
        columns: &CsvColumns,
    ) -> Self {
        let feed = LineFeed {
            lines,
            pending: pending.into(),
            buffer: Vec::new(),
            at: 0,
            warnings: Vec::new(),
            history: VecDeque::new(),
            history_start: 1,
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(feed);
        CsvRecords {
            reader,
            source: source.to_string(),
            stem: stem.to_string(),
            columns: columns.clone(),
            layout: None,
            delimiter,
            rows: 0,
            done: false,
            recovered: VecDeque::new(),
        }
    }

    fn warning(&self, line: Option<usize>, message: String) -> Warning {
        Warning {
            source: self.source.clone(),
            line,
            message,
        }
    }

    /// The next row's article, or `None` at the end. Rows that cannot be used are skipped with a warning
    /// naming their line, as are lines repaired on the way; a header without a text column ends the input with
    /// one warning listing its columns. A row spanning several lines with the wrong number of fields (a quote
    /// opened and never closed swallows the rows after it) is read again line by line when those lines hold
    /// rows of the right width, so the good rows it swallowed are kept.
    pub fn next_article(&mut self, warnings: &mut Vec<Warning>) -> Option<Article> {
        let mut record = csv::StringRecord::new();
        loop {
            match self.recovered.pop_front() {
                Some(Ok(article)) => {
                    self.rows += 1;
                    return Some(article);
                }
                Some(Err(warning)) => {
                    warnings.push(warning);
                    continue;
                }
                None if self.done => return None,
                None => {}
            }
            let read = self.reader.read_record(&mut record);
            warnings.append(&mut self.reader.get_mut().warnings);
            match read {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    if self.layout.is_some() && self.rows == 0 {
                        warnings.push(self.warning(None, "no rows after the header".to_string()));
                    } else if self.layout.is_none() {
                        warnings.push(self.warning(None, "skipped: empty input".to_string()));
                    }
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    let line = e.position().map(|p| p.line() as usize);
                    let message = format!("stopped reading: {e}; the rows before were kept");
                    warnings.push(self.warning(line, message));
                    return None;
                }
            }
            // Every line is fed with its `\n`, so the reader stands at the start of the line after the row
            // (the row's own position may be that of blank lines skipped before it).
            let end = (self.reader.position().line() as usize).saturating_sub(1);
            let start = end - extra_lines(&record);
            self.reader.get_mut().forget_before(start);
            let Some(layout) = &self.layout else {
                let header: Vec<String> = record.iter().map(str::to_string).collect();
                match Layout::of(&header, &self.columns) {
                    Ok(layout) => self.layout = Some(layout),
                    Err(message) => {
                        self.done = true;
                        warnings.push(self.warning(Some(start), format!("skipped: {message}")));
                    }
                }
                continue;
            };
            let wrong_width = record.len() != layout.names.len();
            let reread = (wrong_width && end > start)
                .then(|| self.reread(layout, start + 1, end))
                .flatten();
            match (self.article(layout, &record, start, end), reread) {
                (Ok(article), _) => {
                    self.rows += 1;
                    return Some(article);
                }
                (Err(_), Some(rows)) => {
                    let message = format!(
                        "skipped row: a quote opened on this line is not closed where it should be \
                         ({} fields where the header has {}); lines {}-{end} were read again as rows",
                        record.len(),
                        layout.names.len(),
                        start + 1
                    );
                    warnings.push(self.warning(Some(start), message));
                    self.recovered.extend(rows);
                }
                (Err(message), None) => warnings.push(self.warning(Some(start), message)),
            }
        }
    }

    /// Lines `first..=last` read again as rows, when every row found there has the header's width.
    fn reread(
        &self,
        layout: &Layout,
        first: usize,
        last: usize,
    ) -> Option<Vec<Result<Article, Warning>>> {
        let mut text = self.reader.get_ref().lines(first, last).join("\n");
        text.push('\n');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).ok()? {
            if record.len() != layout.names.len() {
                return None;
            }
            let end = first - 2 + reader.position().line() as usize;
            let start = end - extra_lines(&record);
            let row = self.article(layout, &record, start, end);
            rows.push(row.map_err(|message| self.warning(Some(start), message)));
        }
        (!rows.is_empty()).then_some(rows)
    }

    /// The article of one row, or why the row was skipped.
    fn article(
        &self,
        layout: &Layout,
        record: &csv::StringRecord,
        start: usize,
        end: usize,
    ) -> Result<Article, String> {
        let span = if end > start {
            format!(" (lines {start}-{end})")
        } else {
            String::new()
        };
        if record.len() != layout.names.len() {
            return Err(format!(
                "skipped row{span}: {} fields where the header has {}",
                record.len(),
                layout.names.len()
            ));
        }
        let field = |column: Option<usize>| {
            column
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_string)
        };
        let Some(text) = field(Some(layout.text)) else {
            return Err(format!(
                "skipped row{span}: column `{}` is empty",
                layout.names[layout.text]
            ));
        };
        let id = field(layout.id).unwrap_or_else(|| format!("{}:{start}", self.stem));
        let mut article = Article::from_record(id, &self.source, field(layout.title), text);
        article.start_line = Some(start);
        article.end_line = Some(end);
        article.metadata.published = field(layout.date);
        article.metadata.byline = field(layout.author);
        article.metadata.source_tag = field(layout.source);
        Ok(article)
    }
}

/// Parses a whole CSV/TSV file held in memory into its articles and warnings, as the input stream reads it
/// (delimiter from the header line when `delimiter` is `None`).
pub fn parse_csv(
    source: &str,
    bytes: &[u8],
    delimiter: Option<u8>,
    columns: &CsvColumns,
) -> (Vec<Article>, Vec<Warning>) {
    let mut lines = UniversalLines::new(source, bytes);
    let mut pending = Vec::new();
    let mut warnings = Vec::new();
    // Reading from memory cannot fail.
    while let Ok(Some((line, warning))) = lines.next_line() {
        warnings.extend(warning);
        let blank = line.trim().is_empty();
        pending.push(line);
        if !blank {
            break;
        }
    }
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(pending.last().map_or("", |l| l)));
    let stem = super::Dump::new(source.to_string(), Vec::new()).stem;
    let mut rows = CsvRecords::new(source, &stem, lines, pending, delimiter, columns);
    let mut articles = Vec::new();
    while let Some(article) = rows.next_article(&mut warnings) {
        articles.push(article);
    }
    (articles, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<Article>, Vec<String>) {
        let (articles, warnings) =
            parse_csv("x.csv", text.as_bytes(), None, &CsvColumns::default());
        (articles, warnings.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn quoted_multi_line_fields_keep_their_rows_line_span() {
        let text = "\u{FEFF}ID,Headline,Published,Body\r\n\
                    7,First,2024-01-02,\"One paragraph.\r\n\r\nAnother, with a \"\"quote\"\".\"\r\n\
                    8,Second,,Short body.\r\n";
        let (articles, warnings) = parse(text);
        assert!(warnings.is_empty(), "{warnings:?}");
        let spans: Vec<_> = articles
            .iter()
            .map(|a| (a.start_line, a.end_line))
            .collect();
        assert_eq!(spans, [(Some(2), Some(4)), (Some(5), Some(5))]);
        assert_eq!(articles[0].id, "7");
        assert_eq!(articles[0].title.as_deref(), Some("First"));
        assert_eq!(
            articles[0].text,
            "One paragraph.\n\nAnother, with a \"quote\"."
        );
        assert_eq!(
            articles[0].metadata.published.as_deref(),
            Some("2024-01-02")
        );
        assert_eq!(articles[1].metadata.published, None);
    }

    #[test]
    fn delimiters_are_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter("id;title;text"), b';');
        assert_eq!(sniff_delimiter("id\ttitle\ttext"), b'\t');
        assert_eq!(sniff_delimiter("\"a;b\",c,text"), b',');
        assert_eq!(sniff_delimiter("text"), b',');
        let (articles, _) = parse("\n\nkey;story\na;Text one; with a semicolon? no\n");
        assert!(articles.is_empty(), "a row with three fields is skipped");
        let (articles, warnings) = parse("key;story\na;\"Text; quoted\"\n");
        assert_eq!(articles[0].text, "Text; quoted");
        assert_eq!(articles[0].start_line, Some(2));
        assert!(warnings.is_empty());
    }

    #[test]
    fn a_missing_text_column_lists_the_columns_found() {
        let (articles, warnings) = parse("id,headline,summary\n1,a,b\n");
        assert!(articles.is_empty());
        assert_eq!(
            warnings,
            ["x.csv:1: skipped: no text column: the columns are `id`, `headline`, `summary`; name the one \
              holding the articles' text with --text-column"]
        );
    }

    #[test]
    fn bad_rows_are_reported_and_the_rows_around_them_kept() {
        let text = "id,title,text\n1,A,Good one.\n2,B,too,many\n3,C,\n4,D,Good two.\n";
        let (articles, warnings) = parse(text);
        let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["1", "4"]);
        assert_eq!(articles[1].start_line, Some(5));
        assert_eq!(
            warnings,
            [
                "x.csv:3: skipped row: 4 fields where the header has 3",
                "x.csv:4: skipped row: column `text` is empty",
            ]
        );
    }

    #[test]
    fn rows_swallowed_by_an_unclosed_quote_are_read_again() {
        let text = "id,title,text\n\n1,A,Good one.\n2,B,\"broken quote\n3,C,Fine row.\n\
                    4,D,Also fine.\n5,E,\"quoted, ok\"\n6,F,\"Two\n\nparagraphs.\"";
        let (articles, warnings) = parse(text);
        let rows: Vec<_> = articles
            .iter()
            .map(|a| (a.id.as_str(), a.start_line.unwrap(), a.end_line.unwrap()))
            .collect();
        assert_eq!(
            rows,
            [
                ("1", 3, 3),
                ("3", 5, 5),
                ("4", 6, 6),
                ("5", 7, 7),
                ("6", 8, 10),
            ]
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("x.csv:4: skipped row: a quote opened on this line"),
            "{warnings:?}"
        );
    }

    #[test]
    fn named_columns_override_the_common_names_and_ids_default_to_the_line() {
        let columns = CsvColumns {
            text: Some("Volltext".to_string()),
            title: Some("Überschrift".to_string()),
            id: None,
        };
        let text = "Überschrift,Volltext,text\nKopf,Der Text.,other\n";
        let (articles, warnings) = parse_csv("in/x.csv", text.as_bytes(), None, &columns);
        assert!(warnings.is_empty());
        assert_eq!(articles[0].text, "Der Text.");
        assert_eq!(articles[0].title.as_deref(), Some("Kopf"));
        assert_eq!(articles[0].id, "x:2");
        let missing = CsvColumns {
            text: Some("nope".to_string()),
            ..CsvColumns::default()
        };
        let (_, warnings) = parse_csv("x.csv", text.as_bytes(), None, &missing);
        assert!(warnings[0]
            .message
            .contains("no column `nope` (--text-column)"));
    }

    #[test]
    fn only_header_like_lines_are_taken_for_a_header() {
        let none = CsvColumns::default();
        assert!(looks_like_header("id,title,text", &none));
        assert!(looks_like_header("\"ID\"\t\"Body\"", &none));
        assert!(!looks_like_header("text", &none));
        assert!(!looks_like_header(
            "Story, text and pictures: a day in Kyiv",
            &none
        ));
        assert!(!looks_like_header("Hello, world", &none));
    }
}
