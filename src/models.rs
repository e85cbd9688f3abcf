//! Local model folders: finding them, checking they are complete, and identifying their weights by sha256.

use crate::error::{Error, Result};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Environment variable that overrides where the default embedding model is looked for.
pub const MODEL_DIR_ENV: &str = "NEWSDIGEST_MODEL_DIR";

/// Folder name of the default embedding model, under a `models/` folder.
pub const EMBEDDING_MODEL_NAME: &str = "all-minilm-l6-v2";

/// The sha256 of the weights of embedding models trained on English text only (all-MiniLM-L6-v2, the
/// default): runs with one of these warn when much of the input is in other scripts.
pub const ENGLISH_ONLY_WEIGHTS: &[&str] =
    &["53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"];

/// Where `scripts/install` puts the models, relative to the folder of the installed executable.
pub const INSTALLED_MODELS: &str = "../share/newsdigest/models";

/// Why a model folder was chosen: the rules [`locate_embedding_model`] tries, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelOrigin {
    /// `$NEWSDIGEST_MODEL_DIR`.
    Environment,
    /// `../share/newsdigest/models/` beside the executable, as `scripts/install` lays it out.
    BesideExecutable,
    /// The `models/` folder of the source checkout the executable was built in (found by walking up from the
    /// executable to a folder with `Cargo.toml`, or, for a target folder outside the checkout, the folder it
    /// was compiled in).
    Checkout,
}

impl std::fmt::Display for ModelOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ModelOrigin::Environment => "$NEWSDIGEST_MODEL_DIR",
            ModelOrigin::BesideExecutable => "beside the executable",
            ModelOrigin::Checkout => "the checkout's models/",
        })
    }
}

/// The folders the default embedding model is looked for in, in order, each with the rule that names it.
/// Everything is worked out at run time, from the environment and the executable's own path, so a binary that
/// is copied or installed elsewhere still finds its model; the folder the crate was compiled in comes last.
pub fn embedding_model_candidates() -> Vec<(ModelOrigin, PathBuf)> {
    if let Some(dir) = std::env::var_os(MODEL_DIR_ENV).filter(|v| !v.is_empty()) {
        // An explicit setting is used as it is, never skipped for another folder when it is wrong.
        return vec![(ModelOrigin::Environment, PathBuf::from(dir))];
    }
    let mut candidates = Vec::new();
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        candidates.push((
            ModelOrigin::BesideExecutable,
            exe_dir.join(INSTALLED_MODELS).join(EMBEDDING_MODEL_NAME),
        ));
        // `target/release/newsdigest`, `target/release/deps/<test>` and the like sit inside a checkout.
        if let Some(checkout) = exe_dir
            .ancestors()
            .find(|dir| dir.join("Cargo.toml").is_file() && dir.join("models").is_dir())
        {
            candidates.push((
                ModelOrigin::Checkout,
                checkout.join("models").join(EMBEDDING_MODEL_NAME),
            ));
        }
    }
    let compiled_in = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models")
        .join(EMBEDDING_MODEL_NAME);
    if !candidates.iter().any(|(_, path)| *path == compiled_in) {
        candidates.push((ModelOrigin::Checkout, compiled_in));
    }
    candidates
}

/// The default embedding model folder and why it was chosen: the first of [`embedding_model_candidates`] that
/// exists; when none does, the first whose `models/` folder exists (a checkout not set up yet), else the first
/// (loading it then says what is missing).
pub fn locate_embedding_model() -> (ModelOrigin, PathBuf) {
    let mut candidates = embedding_model_candidates();
    let chosen = candidates
        .iter()
        .position(|(_, path)| path.is_dir())
        .or_else(|| {
            candidates
                .iter()
                .position(|(_, path)| path.parent().is_some_and(Path::is_dir))
        })
        .unwrap_or(0);
    // Never empty: the folder the crate was compiled in is always a candidate.
    candidates.swap_remove(chosen)
}

/// The folder of the default embedding model (see [`locate_embedding_model`]); `--model-dir` overrides it.
pub fn default_embedding_model_dir() -> PathBuf {
    locate_embedding_model().1
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
                message: "not a folder (pass --model-dir or set NEWSDIGEST_MODEL_DIR; scripts/setup installs \
                          the default model into a checkout, scripts/install beside an installed binary)"
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
