//! Hugging Face transformer checkpoints on disk, for the abstractive summariser and the NLI classifier: the
//! architecture named by `config.json`, the tokenizer from whichever tokenizer files the folder has, and the
//! weights with the tensors that checkpoints leave out because they are tied to the shared token embedding.

use crate::error::{Error, Result};
use crate::models::ModelDir;
use rust_bert::pipelines::common::{ModelResource, ModelType, TokenizerOption};
use rust_bert::resources::{BufferResource, LocalResource};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use tch::{nn::VarStore, Tensor};

/// Weight files a checkpoint may hold, in order of preference: a single safetensors file, a sharded safetensors
/// index, PyTorch's pickle (single or sharded), rust-bert's converted format.
const WEIGHT_FILES: [&str; 5] = [
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
    "rust_model.ot",
];

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

/// The tokenizer file of the HF tokenizers library.
const HF_TOKENIZER_FILE: &str = "tokenizer.json";

/// Files that name the special tokens (`unk_token`, `pad_token`, ...), later ones overriding earlier ones, as
/// transformers reads them.
const SPECIAL_TOKEN_FILES: [&str; 2] = ["tokenizer_config.json", "special_tokens_map.json"];

/// Token ids that `generation_config.json` may set for generation, overriding `config.json`.
const GENERATION_TOKEN_IDS: [&str; 6] = [
    "bos_token_id",
    "eos_token_id",
    "pad_token_id",
    "decoder_start_token_id",
    "forced_bos_token_id",
    "forced_eos_token_id",
];

/// Which tokenizer files a folder has.
enum TokenizerFiles {
    /// `tokenizer.json`, the special tokens taken from `tokenizer_config.json` and `special_tokens_map.json`.
    HuggingFace,
    /// The family's own vocabulary files, vocabulary first.
    Native(&'static [&'static str]),
}

/// What a checkpoint is loaded for; decides the architectures and model heads accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// Abstractive summaries: a sequence-to-sequence model with a language-model head.
    Summary,
    /// Natural language inference: a sequence-pair classifier.
    Nli,
}

impl Task {
    /// The architectures that can do the task.
    pub fn architectures(self) -> &'static [Architecture] {
        match self {
            Task::Summary => &[Architecture::Bart, Architecture::T5, Architecture::Pegasus],
            Task::Nli => &[
                Architecture::Bart,
                Architecture::Roberta,
                Architecture::Deberta,
                Architecture::DebertaV2,
            ],
        }
    }

    /// The transformers model classes (`architectures` in `config.json`) of `architecture` for the task.
    fn classes(self, architecture: Architecture) -> &'static [&'static str] {
        match (self, architecture) {
            (Task::Summary, Architecture::Bart) => &["BartForConditionalGeneration"],
            (Task::Summary, Architecture::T5) => {
                &["T5ForConditionalGeneration", "T5WithLMHeadModel"]
            }
            (Task::Summary, Architecture::Pegasus) => &["PegasusForConditionalGeneration"],
            (Task::Nli, Architecture::Bart) => &["BartForSequenceClassification"],
            (Task::Nli, Architecture::Roberta) => &["RobertaForSequenceClassification"],
            (Task::Nli, Architecture::Deberta) => &["DebertaForSequenceClassification"],
            (Task::Nli, Architecture::DebertaV2) => &["DebertaV2ForSequenceClassification"],
            _ => &[],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Task::Summary => "summaries",
            Task::Nli => "NLI",
        }
    }
}

/// The model families the tool can run, read from `model_type` in `config.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Architecture {
    /// BART and DistilBART (summaries; sequence classification for NLI).
    Bart,
    /// T5 v1 and v1.1 / FLAN-T5 (summaries).
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

    /// The family's own tokenizer files, vocabulary first.
    fn native_tokenizer_files(self) -> &'static [&'static str] {
        match self {
            Architecture::Bart | Architecture::Roberta | Architecture::Deberta => {
                &["vocab.json", "merges.txt"]
            }
            Architecture::T5 | Architecture::Pegasus => &["spiece.model"],
            Architecture::DebertaV2 => &["spm.model"],
        }
    }
}

/// Where the weights are: one file, or the shards an index names.
#[derive(Clone, Debug)]
struct WeightFiles {
    /// The file found (`model.safetensors`, an index, ...).
    main: PathBuf,
    /// The files holding tensors: `main` itself, or the shards of the index.
    shards: Vec<PathBuf>,
    /// For an index, the tensor names it lists.
    indexed_names: Option<BTreeSet<String>>,
}

impl WeightFiles {
    fn find(dir: &ModelDir) -> Result<Self> {
        let main = WEIGHT_FILES
            .iter()
            .map(|name| dir.file(name))
            .find(|file| file.is_file())
            .ok_or_else(|| {
                model_error(
                    dir.path(),
                    &format!("missing weights: none of {}", WEIGHT_FILES.join(", ")),
                )
            })?;
        if !main.to_string_lossy().ends_with(".index.json") {
            return Ok(WeightFiles {
                shards: vec![main.clone()],
                main,
                indexed_names: None,
            });
        }
        #[derive(serde::Deserialize)]
        struct Index {
            weight_map: BTreeMap<String, String>,
        }
        let name = main
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_string());
        let index: Index = dir.json(&name)?;
        let shard_names: BTreeSet<&String> = index.weight_map.values().collect();
        let mut shards = Vec::new();
        for shard in shard_names {
            let path = dir.file(shard);
            if !path.is_file() {
                return Err(model_error(
                    &main,
                    &format!("weight_map names the shard {shard}, which is missing"),
                ));
            }
            shards.push(path);
        }
        Ok(WeightFiles {
            main,
            shards,
            indexed_names: Some(index.weight_map.into_keys().collect()),
        })
    }

    fn is_safetensors(path: &Path) -> bool {
        path.extension().is_some_and(|e| e == "safetensors")
    }

    /// True for a single file rust-bert's loader reads as it is.
    fn is_single_loadable(&self) -> bool {
        self.indexed_names.is_none()
            && (Self::is_safetensors(&self.main)
                || self.main.extension().is_some_and(|e| e == "ot"))
    }

    /// The names of the stored tensors; from the index or safetensors headers when there are such.
    fn names(&self) -> Result<BTreeSet<String>> {
        if let Some(names) = &self.indexed_names {
            return Ok(names.clone());
        }
        if Self::is_safetensors(&self.main) {
            return safetensors_names(&self.main);
        }
        Ok(self.read()?.into_keys().collect())
    }

    /// Every stored tensor.
    fn read(&self) -> Result<HashMap<String, Tensor>> {
        let mut tensors = HashMap::new();
        for shard in &self.shards {
            let read = if Self::is_safetensors(shard) {
                Tensor::read_safetensors(shard)
            } else if shard.extension().is_some_and(|e| e == "bin") {
                // PyTorch's `torch.save` zip archive of the state dict.
                Tensor::loadz_multi(shard)
            } else {
                Tensor::load_multi(shard)
            };
            tensors.extend(read.map_err(|e| model_error(shard, &e.to_string()))?);
        }
        Ok(tensors)
    }

    /// All the files, for the content hash.
    fn all(&self) -> Vec<PathBuf> {
        let mut files = vec![self.main.clone()];
        files.extend(self.shards.iter().filter(|s| **s != self.main).cloned());
        files
    }
}

/// A checked checkpoint folder: `config.json`, weights and tokenizer files are present and the architecture and
/// model head are ones the task runs.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    dir: ModelDir,
    architecture: Architecture,
    weights: WeightFiles,
    /// `config.json` with the generation token ids of `generation_config.json` laid over it.
    config: serde_json::Value,
}

impl Checkpoint {
    /// Opens `path` for `task`; every failure names the file and field that are missing or unsupported, and
    /// what is supported.
    pub fn open(path: &Path, task: Task) -> Result<Self> {
        #[cfg(feature = "remote")]
        let path = remote::fetch_if_name(path)?;
        #[cfg(feature = "remote")]
        let path = path.as_path();
        let dir = ModelDir::open(path, &["config.json"])?;
        let config_path = dir.file("config.json");
        let mut config: serde_json::Value = dir.json("config.json")?;
        let supported = || {
            task.architectures()
                .iter()
                .map(|a| a.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let model_type = config
            .get("model_type")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| {
                model_error(
                    &config_path,
                    &format!(
                        "no model_type field: cannot tell the architecture (supported for {}: {})",
                        task.name(),
                        supported()
                    ),
                )
            })?
            .to_string();
        let architecture = Architecture::from_model_type(&model_type)
            .filter(|a| task.architectures().contains(a))
            .ok_or_else(|| {
                model_error(
                    &config_path,
                    &format!(
                        "model_type `{model_type}` is not supported for {} (supported: {})",
                        task.name(),
                        supported()
                    ),
                )
            })?;
        check_head(&config_path, &config, task, architecture)?;
        if dir.file("generation_config.json").is_file() {
            let generation: serde_json::Value = dir.json("generation_config.json")?;
            lay_generation_ids_over(&mut config, &generation);
        }
        let weights = WeightFiles::find(&dir)?;
        let checkpoint = Checkpoint {
            dir,
            architecture,
            weights,
            config,
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

    /// `config.json` parsed as `T`, with the generation token ids of `generation_config.json` laid over it and
    /// without `task_specific_params` (read on its own by the summariser; rust-bert's T5 config would refuse one
    /// without all four of T5's original tasks). A file that does not fit gets an error naming the field.
    pub fn config<T: DeserializeOwned>(&self) -> Result<T> {
        let mut config = self.config.clone();
        if let Some(object) = config.as_object_mut() {
            object.remove("task_specific_params");
        }
        serde_json::from_value(config).map_err(|e| {
            model_error(
                &self.dir.file("config.json"),
                &format!(
                    "cannot be read as a {} config: {e}",
                    self.architecture.name()
                ),
            )
        })
    }

    /// The same as [`Checkpoint::config`], written to a temporary file for rust-bert's loaders, which read
    /// their configuration from a file; the file is removed when the value is dropped.
    pub fn config_file(&self) -> Result<tempfile::NamedTempFile> {
        let mut config = self.config.clone();
        if let Some(object) = config.as_object_mut() {
            object.remove("task_specific_params");
        }
        write_temporary_json(&config)
    }

    /// `task_specific_params.<task>` of `config.json`, if present.
    pub fn task_params<T: DeserializeOwned>(&self, task: &str) -> Result<Option<T>> {
        match self
            .config
            .get("task_specific_params")
            .and_then(|p| p.get(task))
        {
            None => Ok(None),
            Some(params) => serde_json::from_value(params.clone())
                .map(Some)
                .map_err(|e| {
                    model_error(
                        &self.dir.file("config.json"),
                        &format!("task_specific_params.{task}: {e}"),
                    )
                }),
        }
    }

    /// Another JSON file of the folder, if present (such as `generation_config.json`).
    pub fn optional_json<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        if self.dir.file(name).is_file() {
            self.dir.json(name).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The tokenizer: `tokenizer.json` (the HF tokenizers library) with the special tokens named in
    /// `tokenizer_config.json` and `special_tokens_map.json`, else the family's native files (`vocab.json` +
    /// `merges.txt`, `spiece.model`), or for DeBERTa-v2/v3 `spm.model` converted to a `tokenizer.json` as
    /// transformers converts it.
    pub fn tokenizer(&self) -> Result<TokenizerOption> {
        let path = |name: &str| self.dir.file(name).display().to_string();
        let tokenizer = match self.tokenizer_files()? {
            TokenizerFiles::HuggingFace => {
                let special_tokens = write_temporary_json(&self.special_tokens()?)?;
                TokenizerOption::from_hf_tokenizer_file(
                    self.dir.file(HF_TOKENIZER_FILE),
                    special_tokens.path(),
                )
            }
            TokenizerFiles::Native(files) if self.architecture == Architecture::DebertaV2 => {
                let converted =
                    write_temporary_json(&self.converted_deberta_v2_tokenizer(files[0])?)?;
                let special_tokens = write_temporary_json(&self.special_tokens()?)?;
                TokenizerOption::from_hf_tokenizer_file(converted.path(), special_tokens.path())
            }
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

    /// The `tokenizer.json` transformers makes of a DeBERTa-v2/v3 folder's sentencepiece file `spm_model`.
    fn converted_deberta_v2_tokenizer(&self, spm_model: &str) -> Result<serde_json::Value> {
        let path = self.dir.file(spm_model);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let config = self
            .optional_json::<serde_json::Value>("tokenizer_config.json")?
            .unwrap_or_default();
        deberta_v2_tokenizer::convert(&bytes, &config)
            .map_err(|message| model_error(&path, &message))
    }

    /// The special tokens as rust-bert's HF tokenizer reads them: plain strings, whether the files give strings
    /// or transformers' AddedToken objects (`{"content": "<s>", "lstrip": false, ...}`).
    fn special_tokens(&self) -> Result<serde_json::Value> {
        let mut tokens = serde_json::Map::new();
        for name in SPECIAL_TOKEN_FILES {
            let Some(serde_json::Value::Object(file)) =
                self.optional_json::<serde_json::Value>(name)?
            else {
                continue;
            };
            for (key, value) in file {
                let value = match (key.as_str(), value) {
                    ("additional_special_tokens", serde_json::Value::Array(list)) => list
                        .iter()
                        .filter_map(token_content)
                        .map(serde_json::Value::String)
                        .collect(),
                    (key, value) if key.ends_with("_token") => match token_content(&value) {
                        Some(content) => content.into(),
                        None => continue,
                    },
                    _ => continue,
                };
                tokens.insert(key, value);
            }
        }
        if !tokens.contains_key("unk_token") {
            return Err(model_error(
                self.path(),
                &format!(
                    "no unk_token in {}: the tokenizer needs its unknown token",
                    SPECIAL_TOKEN_FILES.join(" or ")
                ),
            ));
        }
        Ok(tokens.into())
    }

    fn tokenizer_files(&self) -> Result<TokenizerFiles> {
        let native = self.architecture.native_tokenizer_files();
        let present = |files: &[&str]| files.iter().all(|f| self.dir.file(f).is_file());
        if present(&[HF_TOKENIZER_FILE]) {
            self.special_tokens()?;
            Ok(TokenizerFiles::HuggingFace)
        } else if present(native) {
            Ok(TokenizerFiles::Native(native))
        } else {
            Err(model_error(
                self.path(),
                &format!(
                    "missing tokenizer files: {} or {} (for {})",
                    HF_TOKENIZER_FILE,
                    native.join(" + "),
                    self.architecture.name()
                ),
            ))
        }
    }

    /// A sha256 of the checkpoint's content: of the lines `<sha256>  <file>` (as `sha256sum` prints them), sorted
    /// by file name, of every file the checkpoint is loaded from (configuration, weights, tokenizer).
    pub fn content_sha256(&self) -> Result<String> {
        let mut files: Vec<PathBuf> = ["config.json", "generation_config.json"]
            .iter()
            .chain(SPECIAL_TOKEN_FILES.iter())
            .map(|name| self.dir.file(name))
            .collect();
        files.extend(self.weights.all());
        match self.tokenizer_files()? {
            TokenizerFiles::HuggingFace => files.push(self.dir.file(HF_TOKENIZER_FILE)),
            TokenizerFiles::Native(native) => files.extend(native.iter().map(|f| self.dir.file(f))),
        }
        let mut lines = Vec::new();
        for file in files.into_iter().filter(|f| f.is_file()) {
            let name = file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().to_string());
            lines.push(format!("{}  {name}\n", sha256_file(&file)?));
        }
        lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
        lines.dedup();
        Ok(format!("{:x}", Sha256::digest(lines.concat().as_bytes())))
    }

    /// Loads the weights into `vs`, whose variables the model has created. Tensors tied to the shared
    /// embedding and a zero `final_logits_bias` are filled in when the file leaves them out; any other missing
    /// tensor is an error that names it.
    pub fn load_into(&self, vs: &mut VarStore) -> Result<()> {
        let mut tensors = self.complete_tensors(vs)?;
        tch::no_grad(|| -> Result<()> {
            for (name, mut variable) in vs.variables() {
                if let Some(tensor) = tensors.remove(&name) {
                    variable.f_copy_(&tensor).map_err(|e| {
                        model_error(&self.weights.main, &format!("tensor {name}: {e}"))
                    })?;
                }
            }
            Ok(())
        })
    }

    /// The weights as rust-bert's pipelines load them: the file itself when it is a single file that holds
    /// every tensor the model in `vs` needs, else an in-memory copy with the tied tensors filled in.
    pub fn weights_for(&self, vs: &VarStore) -> Result<ModelResource> {
        let needed: BTreeSet<String> = vs.variables().into_keys().collect();
        if self.weights.is_single_loadable() && self.weights.names()?.is_superset(&needed) {
            return Ok(ModelResource::Torch(Box::new(LocalResource::from(
                self.weights.main.clone(),
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

    /// The tensors of the file, restricted to the variables of `vs`, with tied ones filled in.
    fn complete_tensors(&self, vs: &VarStore) -> Result<HashMap<String, Tensor>> {
        let mut stored = self.weights.read()?;
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
                &self.weights.main,
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

/// Refuses a `config.json` whose `architectures` names only model classes without the task's head (a BART
/// summariser given as NLI model, say), which would otherwise load with a random or missing head.
fn check_head(
    config_path: &Path,
    config: &serde_json::Value,
    task: Task,
    architecture: Architecture,
) -> Result<()> {
    let Some(classes) = config.get("architectures").and_then(|a| a.as_array()) else {
        return Ok(());
    };
    let named: Vec<&str> = classes.iter().filter_map(|c| c.as_str()).collect();
    let accepted = task.classes(architecture);
    if named.is_empty() || named.iter().any(|c| accepted.contains(c)) {
        return Ok(());
    }
    Err(model_error(
        config_path,
        &format!(
            "architectures [{}] has no model head for {} (supported: {})",
            named.join(", "),
            task.name(),
            accepted.join(", ")
        ),
    ))
}

/// Lays the token ids `generation_config.json` sets over `config.json`'s, as transformers' `generate` uses
/// them; a list of end tokens gives its first.
fn lay_generation_ids_over(config: &mut serde_json::Value, generation: &serde_json::Value) {
    let Some(object) = config.as_object_mut() else {
        return;
    };
    for key in GENERATION_TOKEN_IDS {
        if let Some(value) = generation.get(key) {
            let value = match value {
                serde_json::Value::Array(ids) => ids.first().cloned().unwrap_or_default(),
                other => other.clone(),
            };
            object.insert(key.to_string(), value);
        }
    }
}

/// The text of a special token given as a string or as an AddedToken object.
fn token_content(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Object(token) => token
            .get("content")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

fn write_temporary_json(value: &serde_json::Value) -> Result<tempfile::NamedTempFile> {
    let mut file = tempfile::Builder::new()
        .prefix("newsdigest-")
        .suffix(".json")
        .tempfile()
        .map_err(|e| Error::io(std::env::temp_dir(), e))?;
    serde_json::to_writer(&mut file, value)?;
    file.flush().map_err(|e| Error::io(file.path(), e))?;
    Ok(file)
}

fn sha256_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(path, e))?;
    Ok(format!("{:x}", hasher.finalize()))
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
    const OPTIONAL_FILES: [&str; 8] = [
        "generation_config.json",
        "tokenizer.json",
        "tokenizer_config.json",
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
        // Sharded weights are not fetched: their index would be downloaded without the shards.
        let (weights_name, weights) = WEIGHT_FILES
            .iter()
            .filter(|file| !file.ends_with(".index.json"))
            .find_map(|file| fetch(file).ok().map(|cached| (*file, cached)))
            .ok_or_else(|| {
                model_error(
                    path,
                    "the hub has none of model.safetensors, pytorch_model.bin, rust_model.ot",
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

/// transformers' conversion of a DeBERTa-v2/v3 `spm.model` to a `tokenizer.json` (its `DebertaV2Converter`), for
/// folders that have only the sentencepiece file. rust-bert's own DeBERTa-v2 tokenizer gives other ids than
/// transformers where characters are missing from the vocabulary ("Zoë's": one unknown token for transformers
/// and sentencepiece, three for rust-bert), while the converted file runs through the HF tokenizers library as
/// transformers' fast tokenizer does.
mod deberta_v2_tokenizer {
    use serde_json::{json, Value};

    /// One field of a protocol buffer message.
    enum Field<'a> {
        Varint(u64),
        Fixed32(u32),
        Fixed64,
        Bytes(&'a [u8]),
    }

    fn varint(bytes: &mut &[u8]) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = bytes.split_first()?;
            *bytes = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// The fields of a message, by number; `None` if it is not a well-formed message.
    fn fields(mut bytes: &[u8]) -> Option<Vec<(u64, Field<'_>)>> {
        let mut fields = Vec::new();
        while !bytes.is_empty() {
            let key = varint(&mut bytes)?;
            let field = match key & 7 {
                0 => Field::Varint(varint(&mut bytes)?),
                1 => {
                    bytes = bytes.get(8..)?;
                    Field::Fixed64
                }
                2 => {
                    let length = usize::try_from(varint(&mut bytes)?).ok()?;
                    let (value, rest) = (bytes.get(..length)?, bytes.get(length..)?);
                    bytes = rest;
                    Field::Bytes(value)
                }
                5 => {
                    let (value, rest) = (bytes.get(..4)?, bytes.get(4..)?);
                    bytes = rest;
                    Field::Fixed32(u32::from_le_bytes(value.try_into().ok()?))
                }
                _ => return None,
            };
            fields.push((key >> 3, field));
        }
        Some(fields)
    }

    /// What the conversion reads from sentencepiece's `ModelProto`.
    struct SentencePiece {
        /// Pieces and their scores, in id order.
        pieces: Vec<(String, f32)>,
        unk_id: u64,
        /// 1 for unigram, the only kind DeBERTa-v2/v3 vocabularies are.
        model_type: u64,
        precompiled_charsmap: Vec<u8>,
    }

    fn read(bytes: &[u8]) -> Option<SentencePiece> {
        let mut model = SentencePiece {
            pieces: Vec::new(),
            unk_id: 0,
            model_type: 1,
            precompiled_charsmap: Vec::new(),
        };
        for (number, field) in fields(bytes)? {
            match (number, field) {
                (1, Field::Bytes(message)) => {
                    let (mut piece, mut score) = (String::new(), 0.0);
                    for entry in fields(message)? {
                        match entry {
                            (1, Field::Bytes(text)) => {
                                piece = String::from_utf8(text.to_vec()).ok()?
                            }
                            (2, Field::Fixed32(bits)) => score = f32::from_bits(bits),
                            _ => {}
                        }
                    }
                    model.pieces.push((piece, score));
                }
                (2, Field::Bytes(trainer)) => {
                    for entry in fields(trainer)? {
                        match entry {
                            (3, Field::Varint(kind)) => model.model_type = kind,
                            (40, Field::Varint(id)) => model.unk_id = id,
                            _ => {}
                        }
                    }
                }
                (3, Field::Bytes(normalizer)) => {
                    for entry in fields(normalizer)? {
                        if let (2, Field::Bytes(map)) = entry {
                            model.precompiled_charsmap = map.to_vec();
                        }
                    }
                }
                _ => {}
            }
        }
        Some(model)
    }

    /// The `tokenizer.json` transformers makes of `spm_model` (the file's bytes) with the settings of
    /// `tokenizer_config.json` (`do_lower_case`, `split_by_punct`, `added_tokens_decoder`), or why it cannot.
    pub(super) fn convert(spm_model: &[u8], tokenizer_config: &Value) -> Result<Value, String> {
        let model = read(spm_model).ok_or("not a sentencepiece model")?;
        if model.model_type != 1 {
            return Err(format!(
                "sentencepiece model type {} is not supported (only unigram, 1)",
                model.model_type
            ));
        }
        let flag = |name: &str| tokenizer_config[name].as_bool().unwrap_or(false);
        let mut normalizers = Vec::new();
        if flag("do_lower_case") {
            normalizers.push(json!({"type": "Lowercase"}));
        }
        normalizers.push(json!({"type": "Strip", "strip_left": true, "strip_right": true}));
        if !model.precompiled_charsmap.is_empty() {
            let precompiled =
                tokenizers::normalizers::Precompiled::from(&model.precompiled_charsmap)
                    .map_err(|e| format!("precompiled_charsmap: {e}"))?;
            normalizers.push(
                serde_json::to_value(tokenizers::NormalizerWrapper::from(precompiled))
                    .map_err(|e| e.to_string())?,
            );
        }
        normalizers.push(json!({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}));
        let metaspace = json!({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true});
        let mut pre_tokenizers = Vec::new();
        if flag("split_by_punct") {
            pre_tokenizers.push(json!({"type": "Punctuation", "behavior": "Isolated"}));
        }
        pre_tokenizers.push(metaspace.clone());
        let id = |token: &str| {
            model
                .pieces
                .iter()
                .position(|(piece, _)| piece == token)
                .ok_or_else(|| format!("the vocabulary has no {token}"))
        };
        let (cls, sep) = (id("[CLS]")?, id("[SEP]")?);
        let special =
            |name: &str, type_id: u8| json!({"SpecialToken": {"id": name, "type_id": type_id}});
        let sequence =
            |name: &str, type_id: u8| json!({"Sequence": {"id": name, "type_id": type_id}});
        // The tokens of added_tokens_decoder, by id, as transformers adds them to the fast tokenizer.
        let mut added: Vec<(u64, Value)> = tokenizer_config["added_tokens_decoder"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(id, token)| {
                let id = id.parse::<u64>().ok()?;
                let mut token = token.as_object()?.clone();
                token.insert("id".to_string(), id.into());
                Some((id, Value::Object(token)))
            })
            .collect();
        added.sort_by_key(|(id, _)| *id);
        Ok(json!({
            "version": "1.0",
            "truncation": null,
            "padding": null,
            "added_tokens": added.into_iter().map(|(_, token)| token).collect::<Vec<_>>(),
            "normalizer": {"type": "Sequence", "normalizers": normalizers},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": pre_tokenizers},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0)],
                "pair": [special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0), sequence("B", 1),
                         special("[SEP]", 1)],
                "special_tokens": {
                    "[CLS]": {"id": "[CLS]", "ids": [cls], "tokens": ["[CLS]"]},
                    "[SEP]": {"id": "[SEP]", "ids": [sep], "tokens": ["[SEP]"]},
                },
            },
            "decoder": metaspace,
            "model": {
                "type": "Unigram",
                "unk_id": model.unk_id,
                "vocab": model.pieces.iter().map(|(piece, score)| json!([piece, f64::from(*score)])).collect::<Vec<_>>(),
                "byte_fallback": false,
            },
        }))
    }
}
