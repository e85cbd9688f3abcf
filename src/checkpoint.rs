//! Hugging Face transformer checkpoints on disk, for the abstractive summariser and the NLI classifier: the
//! architecture named by `config.json`, the tokenizer from whichever tokenizer files the folder has, and the
//! weights with the tensors that checkpoints leave out because they are tied to the shared token embedding.

use crate::error::{Error, Result};
use crate::models::ModelDir;
use rust_bert::pipelines::common::{ModelResource, ModelType, TokenizerOption};
use rust_bert::resources::{BufferResource, LocalResource};
use serde::de::DeserializeOwned;
use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use tch::{nn::VarStore, Tensor};

/// Weight files a checkpoint may hold, in order of preference.
const WEIGHT_FILES: [&str; 2] = ["model.safetensors", "rust_model.ot"];

/// Tensor names of the token embedding that models share between encoder, decoder and output layer; a
/// checkpoint stores one of them.
const TIED_EMBEDDINGS: [&str; 7] = [
    "model.shared.weight",
    "model.encoder.embed_tokens.weight",
    "model.decoder.embed_tokens.weight",
    "shared.weight",
    "encoder.embed_tokens.weight",
    "decoder.embed_tokens.weight",
    "lm_head.weight",
];

/// The bias BART-family models add to their output logits; a buffer of zeros unless fine-tuned, so some
/// checkpoints omit it.
const FINAL_LOGITS_BIAS: &str = "final_logits_bias";

/// The files of a tokenizer in the HF tokenizers library's format.
const HF_TOKENIZER_FILES: [&str; 2] = ["tokenizer.json", "special_tokens_map.json"];

/// Which tokenizer files a folder has.
enum TokenizerFiles {
    /// `tokenizer.json` + `special_tokens_map.json`.
    HuggingFace,
    /// The family's own vocabulary files, vocabulary first.
    Native(&'static [&'static str]),
}

/// The model families the tool can run, read from `model_type` in `config.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Architecture {
    /// BART and DistilBART (summaries; sequence classification for NLI).
    Bart,
    /// T5 (summaries).
    T5,
    /// Pegasus (summaries).
    Pegasus,
    /// RoBERTa sequence classification (NLI).
    Roberta,
    /// DeBERTa sequence classification (NLI).
    Deberta,
    /// DeBERTa-v2/v3 sequence classification (NLI).
    DebertaV2,
}

impl Architecture {
    const ALL: [Architecture; 6] = [
        Architecture::Bart,
        Architecture::T5,
        Architecture::Pegasus,
        Architecture::Roberta,
        Architecture::Deberta,
        Architecture::DebertaV2,
    ];

    /// The family's `model_type` in `config.json`.
    pub fn name(self) -> &'static str {
        match self {
            Architecture::Bart => "bart",
            Architecture::T5 => "t5",
            Architecture::Pegasus => "pegasus",
            Architecture::Roberta => "roberta",
            Architecture::Deberta => "deberta",
            Architecture::DebertaV2 => "deberta-v2",
        }
    }

    fn from_model_type(model_type: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == model_type)
    }

    /// rust-bert's name for the family, which selects its native tokenizer.
    pub fn model_type(self) -> ModelType {
        match self {
            Architecture::Bart => ModelType::Bart,
            Architecture::T5 => ModelType::T5,
            Architecture::Pegasus => ModelType::Pegasus,
            Architecture::Roberta => ModelType::Roberta,
            Architecture::Deberta => ModelType::Deberta,
            Architecture::DebertaV2 => ModelType::DebertaV2,
        }
    }
}

/// A checked checkpoint folder: `config.json`, a weight file and tokenizer files are present and the
/// architecture is one the tool runs.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    dir: ModelDir,
    architecture: Architecture,
    weights: PathBuf,
}

impl Checkpoint {
    /// Opens `path`, accepting only the architectures in `supported`; every failure names the folder and what
    /// is missing or unsupported.
    pub fn open(path: &Path, supported: &[Architecture]) -> Result<Self> {
        #[cfg(feature = "remote")]
        let path = remote::fetch_if_name(path)?;
        #[cfg(feature = "remote")]
        let path = path.as_path();
        let dir = ModelDir::open(path, &["config.json"])?;
        #[derive(serde::Deserialize)]
        struct ModelTypeField {
            model_type: Option<String>,
        }
        let model_type = dir
            .json::<ModelTypeField>("config.json")?
            .model_type
            .ok_or_else(|| model_error(path, "config.json has no model_type"))?;
        let architecture = Architecture::from_model_type(&model_type)
            .filter(|a| supported.contains(a))
            .ok_or_else(|| {
                let names: Vec<&str> = supported.iter().map(|a| a.name()).collect();
                model_error(
                    path,
                    &format!(
                        "model_type `{model_type}` is not supported here (supported: {})",
                        names.join(", ")
                    ),
                )
            })?;
        let weights = WEIGHT_FILES
            .iter()
            .map(|name| dir.file(name))
            .find(|file| file.is_file())
            .ok_or_else(|| model_error(path, "missing model.safetensors (or rust_model.ot)"))?;
        let checkpoint = Checkpoint {
            dir,
            architecture,
            weights,
        };
        checkpoint.tokenizer_files()?;
        Ok(checkpoint)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The architecture `config.json` names.
    pub fn architecture(&self) -> Architecture {
        self.architecture
    }

    /// `config.json` parsed as `T`; a file that does not fit gets an error naming the field (rust-bert's own
    /// `Config::from_file` would panic).
    pub fn config<T: DeserializeOwned>(&self) -> Result<T> {
        self.dir.json("config.json")
    }

    /// Another JSON file of the folder, if present (such as `generation_config.json`).
    pub fn optional_json<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        if self.dir.file(name).is_file() {
            self.dir.json(name).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The tokenizer: `tokenizer.json` with `special_tokens_map.json` (the HF tokenizers library), else the
    /// family's native files (`vocab.json` + `merges.txt`, `spiece.model` or `spm.model`).
    pub fn tokenizer(&self) -> Result<TokenizerOption> {
        let path = |name: &str| self.dir.file(name).display().to_string();
        let tokenizer = match self.tokenizer_files()? {
            TokenizerFiles::HuggingFace => TokenizerOption::from_hf_tokenizer_file(
                self.dir.file("tokenizer.json"),
                self.dir.file("special_tokens_map.json"),
            ),
            TokenizerFiles::Native(files) => TokenizerOption::from_file(
                self.architecture.model_type(),
                &path(files[0]),
                files.get(1).map(|merges| path(merges)).as_deref(),
                false,
                None,
                None,
            ),
        };
        tokenizer.map_err(|e| model_error(self.path(), &format!("tokenizer: {e}")))
    }

    fn tokenizer_files(&self) -> Result<TokenizerFiles> {
        let native: &'static [&'static str] = match self.architecture {
            Architecture::Bart | Architecture::Roberta | Architecture::Deberta => {
                &["vocab.json", "merges.txt"]
            }
            Architecture::T5 | Architecture::Pegasus => &["spiece.model"],
            Architecture::DebertaV2 => &["spm.model"],
        };
        let present = |files: &[&str]| files.iter().all(|f| self.dir.file(f).is_file());
        if present(&HF_TOKENIZER_FILES) {
            Ok(TokenizerFiles::HuggingFace)
        } else if present(native) {
            Ok(TokenizerFiles::Native(native))
        } else {
            Err(model_error(
                self.path(),
                &format!(
                    "missing tokenizer files: {} or {}",
                    HF_TOKENIZER_FILES.join(" + "),
                    native.join(" + ")
                ),
            ))
        }
    }

    /// Loads the weights into `vs`, whose variables the model has created. Tensors tied to the shared
    /// embedding and a zero `final_logits_bias` are filled in when the file leaves them out; any other missing
    /// tensor is an error that names it.
    pub fn load_into(&self, vs: &mut VarStore) -> Result<()> {
        let mut tensors = self.complete_tensors(vs)?;
        tch::no_grad(|| -> Result<()> {
            for (name, mut variable) in vs.variables() {
                if let Some(tensor) = tensors.remove(&name) {
                    variable
                        .f_copy_(&tensor)
                        .map_err(|e| model_error(&self.weights, &format!("tensor {name}: {e}")))?;
                }
            }
            Ok(())
        })
    }

    /// The weights as rust-bert's pipelines load them: the file itself when it holds every tensor the model
    /// in `vs` needs, else an in-memory copy with the tied tensors filled in.
    pub fn weights_for(&self, vs: &VarStore) -> Result<ModelResource> {
        let needed: BTreeSet<String> = vs.variables().into_keys().collect();
        if self.stored_names()?.is_superset(&needed) {
            return Ok(ModelResource::Torch(Box::new(LocalResource::from(
                self.weights.clone(),
            ))));
        }
        let tensors = self.complete_tensors(vs)?;
        let mut buffer = Vec::new();
        let named: Vec<(&str, &Tensor)> = tensors.iter().map(|(n, t)| (n.as_str(), t)).collect();
        Tensor::save_multi_to_stream(&named, &mut buffer)?;
        Ok(ModelResource::Torch(Box::new(BufferResource {
            data: Arc::new(RwLock::new(buffer)),
        })))
    }

    /// The names of the tensors in the weight file; for safetensors read from the header alone.
    fn stored_names(&self) -> Result<BTreeSet<String>> {
        if self.weights.extension().is_some_and(|e| e == "safetensors") {
            safetensors_names(&self.weights)
        } else {
            Ok(self.read_tensors()?.into_keys().collect())
        }
    }

    fn read_tensors(&self) -> Result<HashMap<String, Tensor>> {
        let tensors = if self.weights.extension().is_some_and(|e| e == "safetensors") {
            Tensor::read_safetensors(&self.weights)
        } else {
            Tensor::load_multi(&self.weights)
        };
        Ok(tensors
            .map_err(|e| model_error(&self.weights, &e.to_string()))?
            .into_iter()
            .collect())
    }

    /// The tensors of the file, restricted to the variables of `vs`, with tied ones filled in.
    fn complete_tensors(&self, vs: &VarStore) -> Result<HashMap<String, Tensor>> {
        let mut stored = self.read_tensors()?;
        let shared = TIED_EMBEDDINGS
            .iter()
            .find_map(|name| stored.get(*name))
            .map(|t| t.shallow_clone());
        let mut tensors = HashMap::new();
        let mut missing = Vec::new();
        for (name, variable) in vs.variables() {
            let tensor = match stored.remove(&name) {
                Some(tensor) => Some(tensor),
                None if TIED_EMBEDDINGS.contains(&name.as_str()) => {
                    shared.as_ref().map(Tensor::shallow_clone)
                }
                None if name == FINAL_LOGITS_BIAS => Some(variable.zeros_like()),
                None => None,
            };
            match tensor {
                Some(tensor) => {
                    tensors.insert(name, tensor);
                }
                None => missing.push(name),
            }
        }
        if !missing.is_empty() {
            missing.sort();
            return Err(model_error(
                &self.weights,
                &format!(
                    "the weights do not fit the {} model in config.json: missing {}",
                    self.architecture.name(),
                    missing.join(", ")
                ),
            ));
        }
        Ok(tensors)
    }
}

/// The tensor names in a safetensors file's header (an 8-byte little-endian length, then a JSON object).
fn safetensors_names(path: &Path) -> Result<BTreeSet<String>> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut length = [0u8; 8];
    file.read_exact(&mut length)
        .map_err(|e| Error::io(path, e))?;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let header_length = u64::from_le_bytes(length);
    if header_length > size {
        return Err(model_error(
            path,
            "invalid safetensors header: longer than the file",
        ));
    }
    let mut header = vec![0u8; header_length as usize];
    file.read_exact(&mut header)
        .map_err(|e| Error::io(path, e))?;
    let header: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&header)
        .map_err(|e| model_error(path, &format!("invalid safetensors header: {e}")))?;
    Ok(header
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name != "__metadata__")
        .collect())
}

/// Checkpoints named by their Hugging Face hub id, fetched with rust-bert's remote resources (feature
/// `remote`).
#[cfg(feature = "remote")]
mod remote {
    use super::{model_error, Error, Result, WEIGHT_FILES};
    use rust_bert::resources::{RemoteResource, ResourceProvider};
    use std::path::{Path, PathBuf};

    /// Files fetched when the hub has them, besides `config.json` and the weights.
    const OPTIONAL_FILES: [&str; 7] = [
        "generation_config.json",
        "tokenizer.json",
        "special_tokens_map.json",
        "vocab.json",
        "merges.txt",
        "spiece.model",
        "spm.model",
    ];

    /// `path` itself when it exists or is not of the form `owner/name`; otherwise the hub checkpoint of that
    /// name, downloaded once into rust-bert's cache (`$RUSTBERT_CACHE`, default `~/.cache/.rustbert`) and
    /// linked into a folder in the layout the loaders expect.
    pub fn fetch_if_name(path: &Path) -> Result<PathBuf> {
        let name = path.to_string_lossy().to_string();
        if path.exists() || name.split('/').filter(|part| !part.is_empty()).count() != 2 {
            return Ok(path.to_path_buf());
        }
        let fetch = |file: &str| {
            RemoteResource::new(
                &format!("https://huggingface.co/{name}/resolve/main/{file}"),
                &name,
            )
            .get_local_path()
        };
        let config = fetch("config.json").map_err(|e| {
            model_error(
                path,
                &format!("not a local folder, and not on the hub: {e}"),
            )
        })?;
        let folder = config
            .parent()
            .map_or_else(|| PathBuf::from("checkpoint"), |p| p.join("checkpoint"));
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        link(&config, &folder.join("config.json"))?;
        let (weights_name, weights) = WEIGHT_FILES
            .iter()
            .find_map(|file| fetch(file).ok().map(|cached| (*file, cached)))
            .ok_or_else(|| {
                model_error(
                    path,
                    "the hub has neither model.safetensors nor rust_model.ot",
                )
            })?;
        link(&weights, &folder.join(weights_name))?;
        for file in OPTIONAL_FILES {
            if let Ok(cached) = fetch(file) {
                link(&cached, &folder.join(file))?;
            }
        }
        Ok(folder)
    }

    /// Puts a cached file into the folder under its Hugging Face name: a hard link, or a copy across devices.
    fn link(cached: &Path, target: &Path) -> Result<()> {
        if target.exists() {
            std::fs::remove_file(target).map_err(|e| Error::io(target, e))?;
        }
        std::fs::hard_link(cached, target)
            .or_else(|_| std::fs::copy(cached, target).map(|_| ()))
            .map_err(|e| Error::io(target, e))
    }
}

fn model_error(path: &Path, message: &str) -> Error {
    Error::Model {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}
