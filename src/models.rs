//! Local model folders: finding them, checking they are complete, and identifying their weights by sha256.

use crate::error::{Error, Result};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Environment variable that overrides where the default embedding model is looked for.
pub const MODEL_DIR_ENV: &str = "NEWSDIGEST_MODEL_DIR";

/// The folder of the default embedding model: `$NEWSDIGEST_MODEL_DIR` if set, else the project's
/// `models/all-minilm-l6-v2`, where `scripts/setup` installs it.
pub fn default_embedding_model_dir() -> PathBuf {
    std::env::var_os(MODEL_DIR_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("models/all-minilm-l6-v2"))
}

/// A model folder in the Hugging Face layout, checked to hold the files a loader needs.
#[derive(Clone, Debug)]
pub struct ModelDir {
    path: PathBuf,
}

impl ModelDir {
    /// Opens `path`, failing with the list of `required` files that are missing.
    pub fn open(path: &Path, required: &[&str]) -> Result<Self> {
        if !path.is_dir() {
            return Err(Error::Model {
                path: path.to_path_buf(),
                message: "not a folder (run scripts/setup to install the default model)"
                    .to_string(),
            });
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|file| !path.join(file).is_file())
            .collect();
        if !missing.is_empty() {
            return Err(Error::Model {
                path: path.to_path_buf(),
                message: format!("missing {}", missing.join(", ")),
            });
        }
        Ok(ModelDir {
            path: path.to_path_buf(),
        })
    }

    /// The folder itself.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Path of a file inside the folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Reads and parses a JSON file of the folder (such as `config.json`).
    pub fn json<T: DeserializeOwned>(&self, name: &str) -> Result<T> {
        let path = self.file(name);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        serde_json::from_str(&text).map_err(|e| Error::Model {
            path,
            message: format!("invalid JSON: {e}"),
        })
    }

    /// The sentence-transformers `max_seq_length`, if the folder says.
    pub fn max_seq_length(&self) -> Option<usize> {
        #[derive(serde::Deserialize)]
        struct SentenceBertConfig {
            max_seq_length: usize,
        }
        self.json::<SentenceBertConfig>("sentence_bert_config.json")
            .ok()
            .map(|c| c.max_seq_length)
    }

    /// The sha256 of a file, taken from the folder's `manifest.toml` when it pins one (set-up verified it),
    /// otherwise computed.
    pub fn sha256(&self, name: &str) -> Result<String> {
        if let Some(pinned) = self.pinned_sha256(name) {
            return Ok(pinned);
        }
        let path = self.file(name);
        let mut file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        let mut hasher = Sha256::new();
        std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(&path, e))?;
        Ok(format!("{:x}", hasher.finalize()))
    }

    fn pinned_sha256(&self, name: &str) -> Option<String> {
        // Only trust the manifest once set-up has verified the files against it.
        if !self.file(".installed").is_file() {
            return None;
        }
        let manifest: toml::Table = std::fs::read_to_string(self.file("manifest.toml"))
            .ok()?
            .parse()
            .ok()?;
        manifest
            .get("files")?
            .get(name)?
            .as_str()
            .map(str::to_string)
    }
}
