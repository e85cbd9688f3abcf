//! Tiny random-weight transformer checkpoints in the Hugging Face folder layout, for tests of the abstractive
//! summariser and the NLI classifier: a byte-level BPE vocabulary trained on the seed dump, a `config.json` of
//! a few small layers, weights saved by tch as `model.safetensors`. Weights are seeded, so a folder built twice
//! is the same.

use rust_bert::bart::{BartConfig, BartForConditionalGeneration, BartForSequenceClassification};
use rust_bert::bert::BertConfig;
use rust_bert::deberta::{DebertaConfig, DebertaForSequenceClassification};
use rust_bert::deberta_v2::{DebertaV2Config, DebertaV2ForSequenceClassification};
use rust_bert::pegasus::{PegasusConfig, PegasusForConditionalGeneration};
use rust_bert::roberta::RobertaForSequenceClassification;
use rust_bert::t5::{T5Config, T5ForConditionalGeneration};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tch::{nn::VarStore, Device, Tensor};
use tokenizers::models::bpe::{BpeTrainer, BPE};
use tokenizers::models::TrainerWrapper;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::processors::roberta::RobertaProcessing;
use tokenizers::processors::template::TemplateProcessing;
use tokenizers::{AddedToken, PostProcessorWrapper, Tokenizer};

/// Size of the trained vocabulary (256 bytes, the special tokens and merges).
const VOCAB_SIZE: usize = 600;

/// Which tokenizer files a tiny checkpoint gets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TokenizerFiles {
    /// `tokenizer.json` + `special_tokens_map.json`.
    HuggingFace,
    /// `vocab.json` + `merges.txt` (BART and RoBERTa's own format).
    VocabMerges,
}

/// Special tokens of BART and RoBERTa, at ids 0..=4.
const BART_SPECIALS: [&str; 5] = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"];
/// Special tokens of T5 and Pegasus, at ids 0..=2.
const T5_SPECIALS: [&str; 3] = ["<pad>", "</s>", "<unk>"];

fn seed_files() -> Vec<String> {
    let dir = super::project_path("seeds");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("the seeds folder exists")
        .map(|entry| entry.expect("a seeds entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .map(|path| path.display().to_string())
        .collect();
    files.sort();
    files
}

/// Trains a byte-level BPE on the seed dumps with `specials` first, writes the tokenizer files and returns
/// the vocabulary size.
fn write_tokenizer(
    dir: &Path,
    specials: &[&str],
    post_processor: PostProcessorWrapper,
    files: TokenizerFiles,
) -> i64 {
    let mut trainer: TrainerWrapper = BpeTrainer::builder()
        .vocab_size(VOCAB_SIZE)
        .min_frequency(2)
        .show_progress(false)
        .special_tokens(
            specials
                .iter()
                .map(|t| AddedToken::from(t.to_string(), true))
                .collect(),
        )
        .initial_alphabet(ByteLevel::alphabet())
        .build()
        .into();
    let mut tokenizer = Tokenizer::new(BPE::default());
    tokenizer.with_pre_tokenizer(Some(ByteLevel::new(false, true, true)));
    tokenizer.with_decoder(Some(ByteLevel::default()));
    tokenizer.with_post_processor(Some(post_processor));
    tokenizer
        .train_from_files(&mut trainer, seed_files())
        .expect("the tokenizer trains on the seeds");
    for (id, token) in specials.iter().enumerate() {
        assert_eq!(tokenizer.token_to_id(token), Some(id as u32));
    }
    match files {
        TokenizerFiles::HuggingFace => {
            tokenizer
                .save(dir.join("tokenizer.json"), false)
                .expect("tokenizer.json is written");
            let mut map = json!({
                "unk_token": "<unk>",
                "pad_token": "<pad>",
                "eos_token": "</s>",
                "sep_token": "</s>",
            });
            if specials.contains(&"<s>") {
                map["bos_token"] = json!("<s>");
                map["cls_token"] = json!("<s>");
                map["mask_token"] = json!("<mask>");
            }
            write_json(&dir.join("special_tokens_map.json"), &map);
        }
        TokenizerFiles::VocabMerges => {
            tokenizers::Model::save(tokenizer.get_model(), dir, None)
                .expect("vocab.json and merges.txt are written");
        }
    }
    tokenizer.get_vocab_size(true) as i64
}

fn bart_tokenizer(dir: &Path, files: TokenizerFiles) -> i64 {
    let post = RobertaProcessing::new(("</s>".to_string(), 2), ("<s>".to_string(), 0))
        .add_prefix_space(false);
    write_tokenizer(dir, &BART_SPECIALS, post.into(), files)
}

fn t5_tokenizer(dir: &Path) -> i64 {
    let post = TemplateProcessing::builder()
        .try_single("$A </s>")
        .and_then(|b| b.try_pair("$A </s> $B </s>"))
        .expect("valid templates")
        .special_tokens(vec![("</s>", 1)])
        .build()
        .expect("a valid template processor");
    write_tokenizer(dir, &T5_SPECIALS, post.into(), TokenizerFiles::HuggingFace)
}

/// Writes pretty JSON.
pub fn write_json(path: &Path, value: &Value) {
    std::fs::write(
        path,
        serde_json::to_string_pretty(value).expect("JSON serialises"),
    )
    .expect("the JSON file is written");
}

/// Reads a JSON file.
pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("the JSON file reads"))
        .expect("valid JSON")
}

/// A BART-family `config.json` body of two small layers each side.
fn bart_config(vocab_size: i64, max_positions: i64) -> Value {
    json!({
        "model_type": "bart",
        "vocab_size": vocab_size,
        "d_model": 32,
        "encoder_layers": 2,
        "decoder_layers": 2,
        "num_hidden_layers": 2,
        "encoder_attention_heads": 4,
        "decoder_attention_heads": 4,
        "encoder_ffn_dim": 64,
        "decoder_ffn_dim": 64,
        "activation_function": "gelu",
        "dropout": 0.1,
        "attention_dropout": 0.0,
        "activation_dropout": 0.0,
        "encoder_layerdrop": 0.0,
        "decoder_layerdrop": 0.0,
        "init_std": 0.2,
        "max_position_embeddings": max_positions,
        "scale_embedding": false,
        "bos_token_id": 0,
        "pad_token_id": 1,
        "eos_token_id": 2,
        "decoder_start_token_id": 2,
        "forced_bos_token_id": 0,
        "forced_eos_token_id": 2,
    })
}

/// Builds the model in a seeded variable store with `build` and saves it as `model.safetensors`.
fn save_weights(dir: &Path, seed: i64, build: impl FnOnce(&VarStore)) {
    tch::manual_seed(seed);
    let vs = VarStore::new(Device::Cpu);
    build(&vs);
    vs.save(dir.join("model.safetensors"))
        .expect("model.safetensors is written");
}

/// A tiny BART summariser (the layout of distilbart-cnn / bart-large-cnn) with generation settings in
/// `task_specific_params.summarization` like bart-large-cnn's: 2 beams, lengths 4..=24, no repeated trigram.
pub fn bart_summarizer(dir: &Path, files: TokenizerFiles) -> PathBuf {
    std::fs::create_dir_all(dir).expect("the folder is created");
    let vocab_size = bart_tokenizer(dir, files);
    let mut config = bart_config(vocab_size, 1024);
    config["task_specific_params"] = json!({"summarization": {
        "num_beams": 2, "length_penalty": 2.0, "min_length": 4, "max_length": 24,
        "no_repeat_ngram_size": 3, "early_stopping": true
    }});
    write_json(&dir.join("config.json"), &config);
    let parsed: BartConfig = serde_json::from_value(config).expect("a valid BART config");
    save_weights(dir, 1, |vs| {
        BartForConditionalGeneration::new(vs.root(), &parsed);
    });
    dir.to_path_buf()
}

/// A tiny T5 summariser with separate output weights (`tie_word_embeddings: false`, as in T5 v1.1).
pub fn t5_summarizer(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).expect("the folder is created");
    let vocab_size = t5_tokenizer(dir);
    let config = json!({
        "model_type": "t5",
        "vocab_size": vocab_size,
        "d_model": 32,
        "d_ff": 64,
        "d_kv": 8,
        "num_heads": 4,
        "num_layers": 2,
        "num_decoder_layers": 2,
        "dropout_rate": 0.1,
        "initializer_factor": 1.0,
        "layer_norm_epsilon": 1e-6,
        "relative_attention_num_buckets": 32,
        "relative_attention_max_distance": 128,
        "feed_forward_proj": "relu",
        "tie_word_embeddings": false,
        "pad_token_id": 0,
        "eos_token_id": 1,
        "decoder_start_token_id": 0,
        "n_positions": 512,
        "max_length": 16,
        "min_length": 2,
    });
    write_json(&dir.join("config.json"), &config);
    let parsed: T5Config = serde_json::from_value(config).expect("a valid T5 config");
    save_weights(dir, 2, |vs| {
        T5ForConditionalGeneration::new(vs.root(), &parsed);
    });
    dir.to_path_buf()
}

/// A tiny Pegasus summariser (sinusoidal positions, pre-layer-norm), generation settings in `config.json`.
pub fn pegasus_summarizer(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).expect("the folder is created");
    let vocab_size = t5_tokenizer(dir);
    let mut config = bart_config(vocab_size, 512);
    config["model_type"] = json!("pegasus");
    config["scale_embedding"] = json!(true);
    config["normalize_before"] = json!(true);
    config["pad_token_id"] = json!(0);
    config["eos_token_id"] = json!(1);
    config["decoder_start_token_id"] = json!(0);
    config["forced_eos_token_id"] = json!(1);
    config["bos_token_id"] = Value::Null;
    config["forced_bos_token_id"] = Value::Null;
    config["num_beams"] = json!(2);
    config["max_length"] = json!(20);
    config["length_penalty"] = json!(0.8);
    write_json(&dir.join("config.json"), &config);
    let parsed: PegasusConfig = serde_json::from_value(config).expect("a valid Pegasus config");
    save_weights(dir, 3, |vs| {
        PegasusForConditionalGeneration::new(vs.root(), &parsed);
        // As torch initialises an embedding's padding row: zero. Pegasus starts decoding from the padding
        // token, and a random padding row makes a random model repeat it forever.
        let mut padding_row = vs.variables()["model.shared.weight"].get(0);
        tch::no_grad(|| padding_row.copy_(&padding_row.zeros_like()));
    });
    dir.to_path_buf()
}

/// MNLI's classes in the order of `label2id` ids 0, 1, 2.
pub const BART_MNLI_CLASSES: [&str; 3] = ["contradiction", "neutral", "entailment"];
/// The order roberta-large-mnli uses.
pub const ROBERTA_MNLI_CLASSES: [&str; 3] = ["CONTRADICTION", "NEUTRAL", "ENTAILMENT"];

fn label_maps(classes: &[&str]) -> (Value, Value) {
    let id2label: serde_json::Map<String, Value> = classes
        .iter()
        .enumerate()
        .map(|(i, c)| (i.to_string(), json!(c)))
        .collect();
    let label2id: serde_json::Map<String, Value> = classes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.to_string(), json!(i)))
        .collect();
    (Value::Object(id2label), Value::Object(label2id))
}

/// A tiny BART sequence classifier with the given MNLI class order (bart-large-mnli's layout).
pub fn bart_nli(dir: &Path, classes: &[&str]) -> PathBuf {
    std::fs::create_dir_all(dir).expect("the folder is created");
    let vocab_size = bart_tokenizer(dir, TokenizerFiles::VocabMerges);
    let mut config = bart_config(vocab_size, 1024);
    let (id2label, label2id) = label_maps(classes);
    config["id2label"] = id2label;
    config["label2id"] = label2id;
    write_json(&dir.join("config.json"), &config);
    let parsed: BartConfig = serde_json::from_value(config).expect("a valid BART config");
    save_weights(dir, 4, |vs| {
        BartForSequenceClassification::new(vs.root(), &parsed).expect("the classifier builds");
    });
    dir.to_path_buf()
}

/// A tiny RoBERTa sequence classifier (roberta-large-mnli's layout) with a 128-token window.
pub fn roberta_nli(dir: &Path, classes: &[&str]) -> PathBuf {
    std::fs::create_dir_all(dir).expect("the folder is created");
    let vocab_size = bart_tokenizer(dir, TokenizerFiles::HuggingFace);
    let (id2label, label2id) = label_maps(classes);
    let config = json!({
        "model_type": "roberta",
        "vocab_size": vocab_size,
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "intermediate_size": 64,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": 130,
        "type_vocab_size": 1,
        "initializer_range": 0.2,
        "layer_norm_eps": 1e-5,
        "pad_token_id": 1,
        "bos_token_id": 0,
        "eos_token_id": 2,
        "id2label": id2label,
        "label2id": label2id,
    });
    write_json(&dir.join("config.json"), &config);
    let parsed: BertConfig = serde_json::from_value(config).expect("a valid RoBERTa config");
    save_weights(dir, 5, |vs| {
        RobertaForSequenceClassification::new(vs.root(), &parsed).expect("the classifier builds");
    });
    dir.to_path_buf()
}

/// A tiny DeBERTa (`model_type` `deberta`) or DeBERTa-v2/v3 (`deberta-v2`) sequence classifier with relative
/// position attention, as in the MNLI fine-tunes of both, and a 128-token window.
pub fn deberta_nli(dir: &Path, model_type: &str, classes: &[&str]) -> PathBuf {
    std::fs::create_dir_all(dir).expect("the folder is created");
    let vocab_size = bart_tokenizer(dir, TokenizerFiles::HuggingFace);
    let (id2label, label2id) = label_maps(classes);
    let config = json!({
        "model_type": model_type,
        "vocab_size": vocab_size,
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "intermediate_size": 64,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": 128,
        "type_vocab_size": 0,
        "initializer_range": 0.2,
        "layer_norm_eps": 1e-7,
        "relative_attention": true,
        "max_relative_positions": -1,
        "pos_att_type": ["p2c", "c2p"],
        "position_biased_input": false,
        "position_buckets": 32,
        "share_att_key": true,
        "norm_rel_ebd": "layer_norm",
        "pooler_hidden_size": 32,
        "pooler_dropout": 0,
        "pooler_hidden_act": "gelu",
        "pad_token_id": 1,
        "id2label": id2label,
        "label2id": label2id,
    });
    write_json(&dir.join("config.json"), &config);
    if model_type == "deberta" {
        let parsed: DebertaConfig = serde_json::from_value(config).expect("a valid DeBERTa config");
        save_weights(dir, 6, |vs| {
            DebertaForSequenceClassification::new(vs.root(), &parsed)
                .expect("the classifier builds");
        });
    } else {
        let parsed: DebertaV2Config =
            serde_json::from_value(config).expect("a valid DeBERTa-v2 config");
        save_weights(dir, 7, |vs| {
            DebertaV2ForSequenceClassification::new(vs.root(), &parsed)
                .expect("the classifier builds");
        });
    }
    dir.to_path_buf()
}

/// Rewrites a folder's `model.safetensors`, renaming or dropping tensors: `rename` maps a stored name to its
/// new name, or to `None` to drop it.
pub fn rewrite_weights(dir: &Path, rename: impl Fn(&str) -> Option<String>) {
    let path = dir.join("model.safetensors");
    let tensors = Tensor::read_safetensors(&path).expect("the weights read");
    let kept: Vec<(String, Tensor)> = tensors
        .into_iter()
        .filter_map(|(name, tensor)| rename(&name).map(|new| (new, tensor)))
        .collect();
    Tensor::write_safetensors(&kept, &path).expect("the weights are written");
}

/// The names of the tensors in a folder's `model.safetensors`.
pub fn weight_names(dir: &Path) -> Vec<String> {
    Tensor::read_safetensors(dir.join("model.safetensors"))
        .expect("the weights read")
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// Copies a checkpoint folder.
pub fn copy_folder(from: &Path, to: &Path) -> PathBuf {
    std::fs::create_dir_all(to).expect("the folder is created");
    for entry in std::fs::read_dir(from).expect("the folder reads") {
        let entry = entry.expect("a folder entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("the file copies");
    }
    to.to_path_buf()
}
