//! The article: the unit every stage after segmentation works on.

use serde::{Deserialize, Serialize};

/// Metadata found around an article's text. Segmentation fills what it recognises, CSV/TSV input what its date,
/// author and source columns hold; JSONL input leaves it empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// Byline such as "By Jane Doe" (the line as printed, without "By ").
    pub byline: Option<String>,
    /// Dateline opening the first paragraph, such as "NAIROBI, March 4 (Agency) -".
    pub dateline: Option<String>,
    /// Publication or update date line, as printed.
    pub published: Option<String>,
    /// Agency tag such as "ILKHA" from a trailing "(ILKHA)"; the tag also stays in the text.
    pub source_tag: Option<String>,
}

/// One news article: its text and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// `<file stem>#<n>` for dumps (n from 1 in source order), the record's own id for JSONL input.
    pub id: String,
    /// The path the article was read from (`-` for stdin).
    pub source: String,
    /// First line of the article in its dump (or of its CSV/TSV row), 1-based; `None` for JSONL records.
    pub start_line: Option<usize>,
    /// Last line of the article in its dump (or of its CSV/TSV row), 1-based and inclusive; `None` for JSONL
    /// records.
    pub end_line: Option<usize>,
    /// The headline, if the article has one.
    pub title: Option<String>,
    /// The clean body: paragraphs joined by a blank line, without headline, byline or boilerplate.
    pub text: String,
    /// Byline, dateline, date and agency tag.
    pub metadata: Metadata,
    /// Embeddings of sentences of the text that segmentation already computed, so they are not computed twice.
    #[serde(skip)]
    pub known_sentences: KnownSentences,
}

impl Article {
    /// An article read from a record (JSONL input, CSV/TSV rows, labelled examples) rather than cut from a dump:
    /// it has no line span, metadata or known sentences (a CSV/TSV row adds its span and metadata), and a blank
    /// title counts as none.
    pub fn from_record(id: String, source: &str, title: Option<String>, text: String) -> Self {
        Article {
            id,
            source: source.to_string(),
            start_line: None,
            end_line: None,
            title: title.filter(|t| !t.trim().is_empty()),
            text,
            metadata: Metadata::default(),
            known_sentences: KnownSentences::default(),
        }
    }
}

/// Sentences with their L2-normalised embeddings, in text order. Segmentation embeds the sentences of every
/// paragraph of a dump to find topic shifts; the article keeps them and the pipeline embeds only the rest.
#[derive(Clone, Default, PartialEq)]
pub struct KnownSentences(pub Vec<(String, Vec<f32>)>);

impl std::fmt::Debug for KnownSentences {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KnownSentences({} sentences)", self.0.len())
    }
}

/// An article with its sentences and their embeddings: computed once, shared by classification and summary.
#[derive(Clone, Debug)]
pub struct EmbeddedArticle {
    /// The article.
    pub article: Article,
    /// Its text split into sentences.
    pub sentences: Vec<String>,
    /// One L2-normalised embedding per sentence.
    pub sentence_vectors: Vec<Vec<f32>>,
    /// The article's embedding: the normalised mean of its title and sentence embeddings.
    pub vector: Vec<f32>,
}
