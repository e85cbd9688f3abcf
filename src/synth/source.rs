//! Real articles to render: loaded from the development corpora (`dev`, `cnndm`, `xsum`, `reliefweb`,
//! `crisis-news`) into one shape, and split into training and validation stories by a stable hash of their id.

use crate::error::{Error, Result};
use crate::sentences::SentenceSplitter;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a block of an article body is, so that renderers can dress it (a markdown `##`, a list bullet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    /// A running paragraph.
    Paragraph,
    /// An in-text subheading (part of the body, as in dev dump05 #5).
    Subheading,
    /// One item of a list.
    ListItem,
}

/// One paragraph-like block of an article body, kept as its sentences so that sentence-per-line layouts can
/// print them one by one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// The block's sentences, in order, none empty, none holding a line break.
    pub sentences: Vec<String>,
}

impl Block {
    /// The block as one line of text.
    pub fn text(&self) -> String {
        self.sentences.join(" ")
    }
}

/// Which corpus an article came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Corpus {
    /// The hand-written dev set (`dev/articles.jsonl`).
    Dev,
    /// CNN/DailyMail (`cnndm/articles.jsonl`).
    Cnndm,
    /// BBC articles of XSum (`xsum/articles.jsonl`).
    Xsum,
    /// ReliefWeb reports (`reliefweb/reports.jsonl`).
    Reliefweb,
    /// One-sentence news snippets (`crisis-news/dev.jsonl`), rendered as short briefs.
    CrisisNews,
}

impl Corpus {
    /// Every corpus, with its file under the data folder.
    pub const ALL: [(Corpus, &'static str); 5] = [
        (Corpus::Dev, "dev/articles.jsonl"),
        (Corpus::Cnndm, "cnndm/articles.jsonl"),
        (Corpus::Xsum, "xsum/articles.jsonl"),
        (Corpus::Reliefweb, "reliefweb/reports.jsonl"),
        (Corpus::CrisisNews, "crisis-news/dev.jsonl"),
    ];
}

/// A real article ready to render: an optional headline and a body of blocks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceArticle {
    /// The id in its corpus (unique across corpora: the corpora's ids do not collide).
    pub id: String,
    /// The corpus it came from.
    pub corpus: Corpus,
    /// The headline, when the corpus has one; renderers synthesise one otherwise (or print none).
    pub title: Option<String>,
    /// The body, in order; never empty.
    pub blocks: Vec<Block>,
    /// The topic label, when the corpus gives one in newsdigest's label set.
    pub label: Option<String>,
}

impl SourceArticle {
    /// Builds an article from plain text whose lines are paragraphs (blank lines ignored), splitting each
    /// paragraph into sentences. Markdown emphasis is stripped; `#` headings and bold-only lines become
    /// subheadings, `*`/`-`/`•` and `1.` lines list items. Returns `None` when the text holds no words.
    pub fn from_text(
        id: &str,
        corpus: Corpus,
        title: Option<&str>,
        text: &str,
        label: Option<&str>,
        splitter: &dyn SentenceSplitter,
    ) -> Option<SourceArticle> {
        let blocks: Vec<Block> = text
            .split('\n')
            .filter_map(|line| block_of_line(line, splitter))
            .collect();
        if blocks.is_empty() {
            return None;
        }
        Some(SourceArticle {
            id: id.to_string(),
            corpus,
            title: title.map(clean_inline).filter(|t| !t.is_empty()),
            blocks,
            label: label.map(str::to_string),
        })
    }

    /// Which side of the train/validation split the story is on (see [`Split::of`]).
    pub fn split(&self) -> Split {
        Split::of(&self.id)
    }
}

/// Removes markdown emphasis and line-breaking characters the renderers must not see.
fn clean_inline(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\t' => ' ',
            c => c,
        })
        .collect();
    let text = text.replace("**", "").replace("__", "");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn block_of_line(line: &str, splitter: &dyn SentenceSplitter) -> Option<Block> {
    let trimmed = line.trim();
    let (kind, rest) = if let Some(rest) = trimmed.strip_prefix('#') {
        (BlockKind::Subheading, rest.trim_start_matches('#'))
    } else if trimmed.len() > 4
        && trimmed.starts_with("**")
        && trimmed.ends_with("**")
        && !trimmed[2..trimmed.len() - 2].contains("**")
    {
        (BlockKind::Subheading, trimmed)
    } else if let Some(rest) = ["* ", "- ", "• "]
        .iter()
        .find_map(|bullet| trimmed.strip_prefix(bullet))
    {
        (BlockKind::ListItem, rest)
    } else {
        let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
        match trimmed[digits..].strip_prefix(". ") {
            Some(rest) if digits > 0 && digits < 3 => (BlockKind::ListItem, rest),
            _ => (BlockKind::Paragraph, trimmed),
        }
    };
    let text = clean_inline(rest);
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    let sentences = match kind {
        BlockKind::Subheading => vec![text],
        _ => splitter.split(&text),
    };
    (!sentences.is_empty()).then_some(Block { kind, sentences })
}

/// The train/validation split of stories, by a stable hash of the article id, so that a validation dump never
/// holds a story any training dump holds, whatever the seed and options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Split {
    /// About 80 % of the stories.
    Train,
    /// The other 20 %.
    Validation,
}

impl Split {
    /// The split of the story with this id: validation when xxh3-64 of the id modulo 5 is 0.
    pub fn of(id: &str) -> Split {
        if xxhash_rust::xxh3::xxh3_64(id.as_bytes()).is_multiple_of(5) {
            Split::Validation
        } else {
            Split::Train
        }
    }
}

#[derive(Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    title: Option<String>,
    text: String,
    #[serde(default)]
    label: Option<String>,
}

/// Loads every corpus found under `data_dir` (the `../shared/data` folder); a missing corpus file is
/// skipped, a malformed record is an error naming its file and line. Articles come in corpus order, then file
/// order.
pub fn load_corpora(
    data_dir: &Path,
    splitter: &dyn SentenceSplitter,
) -> Result<Vec<SourceArticle>> {
    let mut articles = Vec::new();
    for (corpus, file) in Corpus::ALL {
        let path = data_dir.join(file);
        if !path.exists() {
            continue;
        }
        articles.extend(load_corpus(&path, corpus, splitter)?);
    }
    Ok(articles)
}

/// Loads one corpus file (JSONL of `{id, title?, text, label?}`), reshaping each record as the corpus needs:
/// CNN/DailyMail's single block is cut into paragraphs of one to three sentences, XSum's BBC share-bar text is
/// dropped, a ReliefWeb report's title is cut from its run-on body where a bold heading follows it.
pub fn load_corpus(
    path: &Path,
    corpus: Corpus,
    splitter: &dyn SentenceSplitter,
) -> Result<Vec<SourceArticle>> {
    let content = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut articles = Vec::new();
    for (index, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: Record = serde_json::from_str(line).map_err(|e| Error::Input {
            source_name: path.display().to_string(),
            line: index + 1,
            message: e.to_string(),
        })?;
        let label = record
            .label
            .as_deref()
            .filter(|label| ["conflict", "humanitarian", "disaster", "other"].contains(label));
        let (title, text) = match corpus {
            Corpus::Cnndm => (
                None,
                paragraphs_of_block(&record.id, &record.text, splitter),
            ),
            Corpus::Xsum => (None, rejoin_quote_openers(&without_share_bar(&record.text))),
            Corpus::Reliefweb => {
                let (title, body) = split_run_on_title(&record.text);
                (title, unwrap_markdown(&body))
            }
            Corpus::Dev | Corpus::CrisisNews => (record.title.clone(), record.text.clone()),
        };
        if let Some(article) =
            SourceArticle::from_text(&record.id, corpus, title.as_deref(), &text, label, splitter)
        {
            articles.push(article);
        }
    }
    Ok(articles)
}

/// Cuts one block of text into paragraphs of one to three sentences, the sizes drawn from the id's hash so that
/// the cut is the same on every run.
fn paragraphs_of_block(id: &str, text: &str, splitter: &dyn SentenceSplitter) -> String {
    let sentences = splitter.split(text);
    let mut state = xxhash_rust::xxh3::xxh3_64(id.as_bytes());
    let mut paragraphs = Vec::new();
    let mut rest = &sentences[..];
    while !rest.is_empty() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let take = (1 + (state >> 33) % 3) as usize;
        let (paragraph, tail) = rest.split_at(take.min(rest.len()));
        paragraphs.push(paragraph.join(" "));
        rest = tail;
    }
    paragraphs.join("\n")
}

/// Drops the BBC page text some XSum articles begin with ("Share this with Email Facebook ... Copy\nthis link").
fn without_share_bar(text: &str) -> String {
    match text.strip_prefix("Share this with") {
        Some(rest) => {
            let after_first_line = rest.split_once('\n').map_or("", |(_, tail)| tail);
            after_first_line
                .strip_prefix("this link")
                .unwrap_or(after_first_line)
                .to_string()
        }
        None => text.to_string(),
    }
}

/// XSum's text breaks the line after a paragraph's opening quoted word (`"The` / `fact that ...`), over 300
/// times; such a line is joined to the next.
fn rejoin_quote_openers(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut pending: Option<&str> = None;
    for line in text.split('\n') {
        let joined = match pending.take() {
            Some(opener) => format!("{opener} {line}"),
            None => line.to_string(),
        };
        let trimmed = joined.trim();
        if trimmed.starts_with(['"', '“']) && !trimmed.contains(' ') && trimmed.len() < 20 {
            pending = Some(line);
            continue;
        }
        lines.push(joined);
    }
    lines.extend(pending.map(str::to_string));
    lines.join("\n")
}

/// Joins markdown's soft-wrapped lines, so that each line of the result is one paragraph, heading or list item:
/// a new unit starts after a blank line, at a heading or list marker, and after a line ending in a hard break
/// (two spaces).
fn unwrap_markdown(text: &str) -> String {
    let mut units: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.split('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            open = false;
            continue;
        }
        let starts_unit = trimmed.starts_with(['#', '*', '-', '•', '|'])
            || trimmed.split_once(". ").is_some_and(|(n, _)| {
                !n.is_empty() && n.len() < 3 && n.chars().all(|c| c.is_ascii_digit())
            });
        match units.last_mut() {
            Some(last) if open && !starts_unit => {
                last.push(' ');
                last.push_str(trimmed);
            }
            _ => units.push(trimmed.to_string()),
        }
        let heading = trimmed.starts_with('#')
            || (trimmed.len() > 4 && trimmed.starts_with("**") && trimmed.ends_with("**"));
        open = !line.ends_with("  ") && !heading;
    }
    units.join("\n")
}

/// ReliefWeb runs the title into the body ("Malawi Nutrition Update - December 2017 **Highlights**"): the title
/// is what precedes a bold heading on the first line, when that is short; otherwise the report has no title.
fn split_run_on_title(text: &str) -> (Option<String>, String) {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    if let Some(at) = first.find(" **") {
        let title = first[..at].trim();
        if !title.is_empty() && title.len() <= 160 {
            return (Some(title.to_string()), format!("{}\n{rest}", &first[at..]));
        }
    }
    (None, text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentences::RuleSplitter;

    #[test]
    fn markdown_lines_become_kinds_and_emphasis_goes() {
        let article = SourceArticle::from_text(
            "x",
            Corpus::Reliefweb,
            None,
            "**OVERVIEW**\n\n* 3,130 children were **treated**.\n2. Second item here.\nPlain text. Two sentences.",
            None,
            &RuleSplitter::default(),
        )
        .unwrap();
        let kinds: Vec<BlockKind> = article.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Subheading,
                BlockKind::ListItem,
                BlockKind::ListItem,
                BlockKind::Paragraph
            ]
        );
        assert_eq!(article.blocks[0].text(), "OVERVIEW");
        assert_eq!(article.blocks[1].text(), "3,130 children were treated.");
        assert_eq!(article.blocks[3].sentences.len(), 2);
    }

    #[test]
    fn run_on_titles_and_share_bars_are_cut() {
        let (title, body) = split_run_on_title("Malawi Update - 2017 **Highlights**\n\nBody.");
        assert_eq!(title.as_deref(), Some("Malawi Update - 2017"));
        assert!(body.starts_with(" **Highlights**"));
        assert_eq!(
            without_share_bar("Share this withEmailCopy\nthis linkResearchers found.\nMore."),
            "Researchers found.\nMore."
        );
    }

    #[test]
    fn soft_wraps_and_split_quote_openers_are_joined() {
        assert_eq!(
            unwrap_markdown(
                "A para\nwrapped here.\n\n* item one\ncontinued\n* item two  \nNext line"
            ),
            "A para wrapped here.\n* item one continued\n* item two\nNext line"
        );
        assert_eq!(
            rejoin_quote_openers("Intro.\n\"The\nfact is, he said.\nEnd."),
            "Intro.\n\"The fact is, he said.\nEnd."
        );
    }

    #[test]
    fn the_split_is_stable_and_about_one_in_five() {
        let validation = (0..1000)
            .filter(|i| Split::of(&format!("id-{i}")) == Split::Validation)
            .count();
        assert!((150..250).contains(&validation), "{validation}");
        assert_eq!(Split::of("id-7"), Split::of("id-7"));
    }
}
