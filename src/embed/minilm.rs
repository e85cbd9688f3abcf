//! all-MiniLM-L6-v2 (or any BERT-style sentence-transformers folder) through [`BertEncoder`]:
//! WordPiece tokens from `tokenizer.json`, mean pooling over real tokens, then L2 normalisation, which
//! reproduces sentence-transformers' embeddings.

use super::bert::{BertConfig, BertEncoder};
use super::{embed_length_sorted, normalize, padded_length, Embedder, Precision};
use crate::error::{Error, Result};
use crate::models::ModelDir;
use std::path::Path;
use tch::{Kind, Tensor};
use tokenizers::{Tokenizer, TruncationParams};

/// The WordPiece tokenizer of a sentence-transformers folder, set up for its model. Unlike the model it is
/// `Sync`, so one copy serves every worker.
#[derive(Clone)]
pub struct MiniLmTokenizer(Tokenizer);

/// Texts tokenised at once: a full `Encoding` (tokens, offsets, masks) weighs about 70 bytes a token, so
/// the tokenizer gets slices and only the ids are kept.
const TOKENIZE_SLICE: usize = 4096;

impl MiniLmTokenizer {
    /// Token ids of each text (with `[CLS]`/`[SEP]`), truncated to the model window.
    pub fn token_ids(&self, texts: &[&str]) -> Result<Vec<Vec<u32>>> {
        let mut ids = Vec::with_capacity(texts.len());
        for slice in texts.chunks(TOKENIZE_SLICE) {
            let encodings = self
                .0
                .encode_batch(slice.to_vec(), true)
                .map_err(|e| Error::Tokenizer(e.to_string()))?;
            ids.extend(encodings.iter().map(|e| e.get_ids().to_vec()));
        }
        Ok(ids)
    }
}

/// A BERT sentence-transformers model loaded from a local folder.
pub struct MiniLmEmbedder {
    model: BertEncoder,
    tokenizer: MiniLmTokenizer,
    dimension: usize,
    /// Positions the model has: no batch is padded beyond them.
    positions: usize,
    sha256: String,
}

impl MiniLmEmbedder {
    /// Loads `config.json`, `model.safetensors` and `tokenizer.json` from `dir`, the weights in `precision`
    /// (bf16-checked loads bf16: the float32 check is a second model). Padding in the tokenizer file is switched
    /// off (we pad per batch) and truncation set to the model's `max_seq_length`, at most its position range.
    pub fn load(dir: &Path, precision: Precision) -> Result<Self> {
        let model_dir =
            ModelDir::open(dir, &["config.json", "model.safetensors", "tokenizer.json"])?;
        let config: BertConfig = model_dir.json("config.json")?;
        let kind = match precision {
            Precision::Fp32 => Kind::Float,
            Precision::Bf16 | Precision::Bf16Checked => Kind::BFloat16,
        };
        let model = BertEncoder::load(&model_dir.file("model.safetensors"), &config, kind)?;
        let mut tokenizer = Tokenizer::from_file(model_dir.file("tokenizer.json"))
            .map_err(|e| Error::Tokenizer(format!("{}: {e}", dir.display())))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: model_dir
                    .max_seq_length()
                    .unwrap_or(256)
                    .min(config.max_position_embeddings),
                ..Default::default()
            }))
            .map_err(|e| Error::Tokenizer(e.to_string()))?;
        Ok(MiniLmEmbedder {
            model,
            tokenizer: MiniLmTokenizer(tokenizer),
            dimension: config.hidden_size as usize,
            positions: config.max_position_embeddings,
            sha256: model_dir.sha256("model.safetensors")?,
        })
    }

    /// Another embedder on the same weights (not copied), for another worker thread.
    pub fn share(&self) -> Self {
        MiniLmEmbedder {
            model: self.model.share(),
            tokenizer: self.tokenizer.clone(),
            dimension: self.dimension,
            positions: self.positions,
            sha256: self.sha256.clone(),
        }
    }

    /// The model's tokenizer, padding off and truncation at the model's `max_seq_length`.
    pub fn tokenizer(&self) -> &MiniLmTokenizer {
        &self.tokenizer
    }

    /// Embeds one batch of token ids (padded to the [`padded_length`] of the longest), one L2-normalised vector
    /// per entry. Callers that spread batches over several models use this with [`super::embed_length_sorted`].
    pub fn embed_tokens(&self, batch: &[&[u32]]) -> Result<Vec<Vec<f32>>> {
        let longest = batch.iter().map(|ids| ids.len()).max().unwrap_or(0);
        let longest = padded_length(longest).min(self.positions).max(longest);
        let mut ids = Vec::with_capacity(batch.len() * longest);
        let mut mask = Vec::with_capacity(batch.len() * longest);
        for tokens in batch {
            ids.extend(tokens.iter().map(|&t| i64::from(t)));
            ids.extend(std::iter::repeat_n(0, longest - tokens.len()));
            mask.extend(std::iter::repeat_n(1i64, tokens.len()));
            mask.extend(std::iter::repeat_n(0, longest - tokens.len()));
        }
        let shape = [batch.len() as i64, longest as i64];
        let input_ids = Tensor::from_slice(&ids).view(shape);
        let attention_mask = Tensor::from_slice(&mask).view(shape);
        let hidden = self
            .model
            .forward(&input_ids, &attention_mask)?
            .to_kind(Kind::Float);
        let mask = attention_mask.unsqueeze(-1).to_kind(Kind::Float);
        let pooled = (hidden * &mask).sum_dim_intlist(1, false, Kind::Float)
            / mask.sum_dim_intlist(1, false, Kind::Float).clamp_min(1e-9);
        let flat = Vec::<f32>::try_from(pooled.contiguous().view(-1))?;
        Ok(flat
            .chunks(self.dimension)
            .map(|chunk| {
                let mut vector = chunk.to_vec();
                normalize(&mut vector);
                vector
            })
            .collect())
    }
}

impl Embedder for MiniLmEmbedder {
    fn dimension(&self) -> usize {
        self.dimension
    }

    fn embed(&mut self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let tokens = self.tokenizer.token_ids(texts)?;
        embed_length_sorted(&tokens, |batches| {
            batches
                .iter()
                .map(|batch| self.embed_tokens(batch))
                .collect()
        })
    }

    fn model_sha256(&self) -> &str {
        &self.sha256
    }
}
