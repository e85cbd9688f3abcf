//! The stage choices of a pipeline as data: which classifier gives the labels and which summariser writes the
//! summaries, each variant carrying its own settings, so that no two choices can be made at once. They
//! serialise into the output's `run` object as the README documents it.

use crate::classify::{Head, NliOptions};
use crate::summarize::{AbstractiveOptions, ExtractiveOptions};
use serde::ser::{SerializeMap, Serializer};
use std::path::PathBuf;

/// Which classifier gives the labels.
#[derive(Clone, Debug, Default)]
pub enum Labeller {
    /// Zero-shot: the article's embedding against the label set's descriptions.
    #[default]
    ZeroShot,
    /// A head trained by `newsdigest fit`, over the label set it was trained with.
    Head {
        /// The head.
        head: Box<Head>,
        /// The file it was read from, recorded in the run's models.
        file: PathBuf,
    },
    /// Entailment by an NLI checkpoint.
    Nli(NliOptions),
}

/// Which summariser writes the summaries.
#[derive(Clone, Debug, serde::Serialize)]
pub enum Summarizer {
    /// The article's own central sentences; recorded as the run's `summary`.
    #[serde(rename = "summary")]
    Extractive(ExtractiveOptions),
    /// New text from a seq2seq checkpoint; recorded as the run's `abstractive`.
    #[serde(rename = "abstractive")]
    Abstractive(AbstractiveOptions),
}

impl Default for Summarizer {
    fn default() -> Self {
        Summarizer::Extractive(ExtractiveOptions::default())
    }
}

/// Recorded in the run object as `nli` for the NLI classifier; the zero-shot classifier is the label set
/// (recorded beside it) and a head is recorded in the run's models by its hash.
impl serde::Serialize for Labeller {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Labeller::Nli(options) = self {
            map.serialize_entry("nli", options)?;
        }
        map.end()
    }
}
