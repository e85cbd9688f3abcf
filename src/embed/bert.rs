//! The BERT encoder of a sentence-transformers folder, written on tch's fused kernels. rust-bert's `BertModel`
//! computes GELU as five element-wise passes and attention as separate matmul, scale, mask and softmax steps;
//! at MiniLM's size those passes cost more than the matrix products. Here GELU is one kernel, attention is
//! libtorch's `scaled_dot_product_attention`, and the query, key and value projections are one matrix product
//! (the speed-up is measured in docs/benchmarks.md). The arithmetic is BERT's, and the weights load by their
//! Hugging Face names from `model.safetensors`.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tch::{Kind, Tensor};

/// The fields of a Hugging Face BERT `config.json` the encoder needs.
#[derive(Debug, serde::Deserialize)]
pub struct BertConfig {
    /// Width of every token vector.
    pub hidden_size: i64,
    /// Attention heads per layer; `hidden_size` splits evenly between them.
    pub num_attention_heads: i64,
    /// Encoder layers.
    pub num_hidden_layers: i64,
    /// Longest input the position embeddings cover.
    pub max_position_embeddings: usize,
    /// Feed-forward activation.
    pub hidden_act: Activation,
    /// LayerNorm epsilon.
    #[serde(default = "default_layer_norm_eps")]
    pub layer_norm_eps: f64,
    /// How token positions are embedded.
    #[serde(default)]
    pub position_embedding_type: PositionEmbeddingType,
}

fn default_layer_norm_eps() -> f64 {
    1e-12
}

/// The activations transformer configs name (`hidden_act`, and DeBERTa's `pooler_hidden_act`, `conv_act`);
/// another name fails when the config is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub enum Activation {
    /// Exact GELU (erf), transformers' `gelu`.
    #[default]
    #[serde(rename = "gelu")]
    Gelu,
    /// GELU's tanh approximation.
    #[serde(rename = "gelu_new", alias = "gelu_pytorch_tanh", alias = "gelu_fast")]
    GeluTanh,
    /// max(0, x).
    #[serde(rename = "relu")]
    Relu,
    /// tanh, as DeBERTa's pooler uses.
    #[serde(rename = "tanh")]
    Tanh,
}

/// How token positions are embedded (`position_embedding_type`). Only BERT's learnt absolute position
/// embeddings are implemented; a config with relative positions fails when it is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub enum PositionEmbeddingType {
    /// One learnt vector per position, added to the token's.
    #[default]
    #[serde(rename = "absolute")]
    Absolute,
}

/// A BERT encoder: token ids and attention mask in, one vector per token out.
pub struct BertEncoder {
    embeddings: Embeddings,
    layers: Vec<EncoderLayer>,
}

impl BertEncoder {
    /// Loads the weights of `config` from a `model.safetensors` file, converted to `kind` (`Float` or
    /// `BFloat16`).
    pub fn load(weights_file: &Path, config: &BertConfig, kind: Kind) -> Result<Self> {
        let invalid = |message: String| Error::Model {
            path: weights_file.to_path_buf(),
            message,
        };
        if config.num_attention_heads <= 0 || config.hidden_size % config.num_attention_heads != 0 {
            return Err(invalid(format!(
                "hidden_size {} does not split into {} attention heads",
                config.hidden_size, config.num_attention_heads
            )));
        }
        // The only position embeddings there are; another kind fails when the config is read.
        let PositionEmbeddingType::Absolute = config.position_embedding_type;
        let mut weights = Weights::read(weights_file, kind)?;
        let embeddings = Embeddings::take(&mut weights, config.layer_norm_eps)?;
        let layers = (0..config.num_hidden_layers)
            .map(|i| EncoderLayer::take(&mut weights, i, config))
            .collect::<Result<_>>()?;
        Ok(BertEncoder { embeddings, layers })
    }

    /// Another encoder on the same weights, without copying them, for another worker thread. Tensors are `Send`
    /// but not `Sync`, so every thread needs its own handles; libtorch reads the shared weights from several
    /// threads safely.
    pub fn share(&self) -> Self {
        BertEncoder {
            embeddings: Embeddings {
                word: self.embeddings.word.shallow_clone(),
                position: self.embeddings.position.shallow_clone(),
                token_type: self.embeddings.token_type.shallow_clone(),
                norm: self.embeddings.norm.share(),
            },
            layers: self.layers.iter().map(EncoderLayer::share).collect(),
        }
    }

    /// The last hidden state, `[batch, length, hidden_size]` in the weights' kind, for `input_ids` and
    /// `attention_mask` (1 for a real token, 0 for padding), both `[batch, length]` int64.
    pub fn forward(&self, input_ids: &Tensor, attention_mask: &Tensor) -> Result<Tensor> {
        let _no_grad = tch::no_grad_guard();
        let (batch, length) = input_ids.size2()?;
        // true where a key may be attended to, broadcast over heads and query positions.
        let attend = attention_mask
            .f_to_kind(Kind::Bool)?
            .f_view([batch, 1, 1, length])?;
        let mut hidden = self.embeddings.forward(input_ids, length)?;
        for layer in &self.layers {
            hidden = layer.forward(&hidden, &attend)?;
        }
        Ok(hidden)
    }
}

impl Activation {
    /// The activation applied to `xs`.
    pub fn apply(self, xs: &Tensor) -> Result<Tensor> {
        Ok(match self {
            Activation::Gelu => xs.f_gelu("none")?,
            Activation::GeluTanh => xs.f_gelu("tanh")?,
            Activation::Relu => xs.f_relu()?,
            Activation::Tanh => xs.f_tanh()?,
        })
    }
}

/// The tensors of a safetensors file by name, each taken once.
struct Weights {
    path: PathBuf,
    tensors: HashMap<String, Tensor>,
    kind: Kind,
}

impl Weights {
    fn read(path: &Path, kind: Kind) -> Result<Self> {
        Ok(Weights {
            path: path.to_path_buf(),
            tensors: Tensor::read_safetensors(path)?.into_iter().collect(),
            kind,
        })
    }

    fn take(&mut self, name: &str) -> Result<Tensor> {
        let tensor = self.tensors.remove(name).ok_or_else(|| Error::Model {
            path: self.path.clone(),
            message: format!("no tensor {name}"),
        })?;
        Ok(tensor.f_to_kind(self.kind)?)
    }

    fn linear(&mut self, prefix: &str) -> Result<Linear> {
        Ok(Linear {
            weight: self.take(&format!("{prefix}.weight"))?,
            bias: self.take(&format!("{prefix}.bias"))?,
        })
    }

    fn layer_norm(&mut self, prefix: &str, eps: f64) -> Result<LayerNorm> {
        Ok(LayerNorm {
            weight: self.take(&format!("{prefix}.weight"))?,
            bias: self.take(&format!("{prefix}.bias"))?,
            eps,
        })
    }
}

struct Linear {
    weight: Tensor,
    bias: Tensor,
}

impl Linear {
    fn share(&self) -> Self {
        Linear {
            weight: self.weight.shallow_clone(),
            bias: self.bias.shallow_clone(),
        }
    }

    fn forward(&self, xs: &Tensor) -> Result<Tensor> {
        Ok(xs.f_linear(&self.weight, Some(&self.bias))?)
    }
}

struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    eps: f64,
}

impl LayerNorm {
    fn share(&self) -> Self {
        LayerNorm {
            weight: self.weight.shallow_clone(),
            bias: self.bias.shallow_clone(),
            eps: self.eps,
        }
    }

    fn forward(&self, xs: &Tensor) -> Result<Tensor> {
        let width = self.weight.size();
        Ok(xs.f_layer_norm(width, Some(&self.weight), Some(&self.bias), self.eps, false)?)
    }
}

/// Word + position + token-type embeddings, then LayerNorm. Every input is one segment (token type 0).
struct Embeddings {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    norm: LayerNorm,
}

impl Embeddings {
    fn take(weights: &mut Weights, eps: f64) -> Result<Self> {
        Ok(Embeddings {
            word: weights.take("embeddings.word_embeddings.weight")?,
            position: weights.take("embeddings.position_embeddings.weight")?,
            token_type: weights
                .take("embeddings.token_type_embeddings.weight")?
                .f_get(0)?,
            norm: weights.layer_norm("embeddings.LayerNorm", eps)?,
        })
    }

    fn forward(&self, input_ids: &Tensor, length: i64) -> Result<Tensor> {
        let words = Tensor::f_embedding(&self.word, input_ids, -1, false, false)?;
        let positions = self.position.f_narrow(0, 0, length)?;
        self.norm
            .forward(&(words + positions.unsqueeze(0) + &self.token_type))
    }
}

/// Self-attention and feed-forward, each followed by a residual connection and LayerNorm.
struct EncoderLayer {
    /// Attention heads; the width splits evenly between them.
    heads: i64,
    activation: Activation,
    query_key_value: Linear,
    attention_output: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
}

impl EncoderLayer {
    fn share(&self) -> Self {
        EncoderLayer {
            heads: self.heads,
            activation: self.activation,
            query_key_value: self.query_key_value.share(),
            attention_output: self.attention_output.share(),
            attention_norm: self.attention_norm.share(),
            intermediate: self.intermediate.share(),
            output: self.output.share(),
            output_norm: self.output_norm.share(),
        }
    }

    fn take(weights: &mut Weights, index: i64, config: &BertConfig) -> Result<Self> {
        let eps = config.layer_norm_eps;
        let prefix = format!("encoder.layer.{index}");
        let [query, key, value] = ["query", "key", "value"]
            .map(|name| weights.linear(&format!("{prefix}.attention.self.{name}")));
        let (query, key, value) = (query?, key?, value?);
        Ok(EncoderLayer {
            heads: config.num_attention_heads,
            activation: config.hidden_act,
            query_key_value: Linear {
                weight: Tensor::f_cat(&[query.weight, key.weight, value.weight], 0)?,
                bias: Tensor::f_cat(&[query.bias, key.bias, value.bias], 0)?,
            },
            attention_output: weights.linear(&format!("{prefix}.attention.output.dense"))?,
            attention_norm: weights
                .layer_norm(&format!("{prefix}.attention.output.LayerNorm"), eps)?,
            intermediate: weights.linear(&format!("{prefix}.intermediate.dense"))?,
            output: weights.linear(&format!("{prefix}.output.dense"))?,
            output_norm: weights.layer_norm(&format!("{prefix}.output.LayerNorm"), eps)?,
        })
    }

    fn forward(&self, hidden: &Tensor, attend: &Tensor) -> Result<Tensor> {
        let heads = self.heads;
        let (batch, length, width) = hidden.size3()?;
        // [batch, length, 3 * width] -> three [batch, heads, length, head width] views.
        let projected = self
            .query_key_value
            .forward(hidden)?
            .f_view([batch, length, 3, heads, width / heads])?
            .f_permute([2, 0, 3, 1, 4])?;
        let context = Tensor::f_scaled_dot_product_attention(
            &projected.f_get(0)?,
            &projected.f_get(1)?,
            &projected.f_get(2)?,
            Some(attend),
            0.0,
            false,
            None,
        )?
        .f_transpose(1, 2)?
        .f_reshape([batch, length, width])?;
        let attended = self
            .attention_norm
            .forward(&(self.attention_output.forward(&context)? + hidden))?;
        let intermediate = self
            .activation
            .apply(&self.intermediate.forward(&attended)?)?;
        self.output_norm
            .forward(&(self.output.forward(&intermediate)? + &attended))
    }
}
