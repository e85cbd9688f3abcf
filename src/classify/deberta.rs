//! DeBERTa and DeBERTa-v2/v3 sequence classifiers (the MNLI checkpoints the NLI classifier runs), written on tch
//! after transformers' `modeling_deberta.py` and `modeling_deberta_v2.py`. rust-bert 0.23's versions compute other
//! logits than transformers from the same weights and input ids (up to 0.7 apart on the tiny checkpoints of
//! `tests/data/checkpoints`): its DeBERTa takes the attention span from the number of heads instead of the input
//! length, and its DeBERTa-v2 leaves the span offset out of the content-to-position index, divides the position
//! scores by `d·s` instead of its square root, and takes the log buckets' base from an integer division. The two
//! versions differ in a few settings that live in the layers that use them; the weights load by their Hugging
//! Face names (`deberta.encoder.layer.0.attention.self.in_proj.weight`, ...) through
//! [`crate::checkpoint::Checkpoint::load_into`].

use crate::embed::Activation;
use crate::error::{Error, Result};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use tch::nn;
use tch::{Kind, Tensor};

/// The DeBERTa generation a `config.json` is for (its `model_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Version {
    /// DeBERTa: one fused query/key/value projection, relative positions unbucketed.
    #[serde(rename = "deberta")]
    V1,
    /// DeBERTa-v2 and v3: separate projections, log-bucketed relative positions, optional convolution.
    #[serde(rename = "deberta-v2")]
    V2,
}

/// The position terms added to DeBERTa's attention scores (`pos_att_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum PositionAttention {
    /// Content-to-position: each query against the relative positions of the keys.
    #[serde(rename = "c2p")]
    ContentToPosition,
    /// Position-to-content: each key against the relative position of the query.
    #[serde(rename = "p2c")]
    PositionToContent,
}

/// How the relative position embeddings are normalised before use (`norm_rel_ebd`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RelativeEmbeddingNorm {
    /// Used as stored.
    #[default]
    None,
    /// Through the encoder's own LayerNorm (DeBERTa-v2/v3).
    LayerNorm,
}

/// The fields of a DeBERTa or DeBERTa-v2 `config.json` the classifier needs, with transformers' defaults for
/// those that `save_pretrained` leaves out when they have their default value.
#[derive(Debug, Deserialize)]
pub struct DebertaConfig {
    /// `deberta` or `deberta-v2`.
    pub model_type: Version,
    /// Rows of the token embedding.
    pub vocab_size: i64,
    /// Width of every token vector.
    pub hidden_size: i64,
    /// Encoder layers.
    pub num_hidden_layers: i64,
    /// Attention heads per layer.
    pub num_attention_heads: i64,
    /// Width of one head (DeBERTa-v2; default `hidden_size / num_attention_heads`).
    pub attention_head_size: Option<i64>,
    /// Width of the feed-forward layer.
    pub intermediate_size: i64,
    /// Feed-forward activation.
    #[serde(default)]
    pub hidden_act: Activation,
    /// LayerNorm epsilon.
    #[serde(default = "default_layer_norm_eps")]
    pub layer_norm_eps: f64,
    /// Rows of the absolute position embedding, and the longest input.
    #[serde(default = "default_max_position_embeddings")]
    pub max_position_embeddings: i64,
    /// Token type (segment) embeddings; only 0 (none) is supported.
    #[serde(default)]
    pub type_vocab_size: i64,
    /// Whether absolute position embeddings are added to the token embeddings.
    #[serde(default = "yes")]
    pub position_biased_input: bool,
    /// Width of the token embedding when it differs from `hidden_size` (then projected).
    pub embedding_size: Option<i64>,
    /// Whether attention has the relative position terms of `pos_att_type`.
    #[serde(default)]
    pub relative_attention: bool,
    /// Farthest relative distance embedded; below 1 means `max_position_embeddings`.
    #[serde(default = "minus_one")]
    pub max_relative_positions: i64,
    /// Log buckets of the relative distances (DeBERTa-v2/v3); below 1 means none.
    #[serde(default = "minus_one")]
    pub position_buckets: i64,
    /// The position terms; a list or a `|`-separated string, as transformers reads it.
    #[serde(default, deserialize_with = "position_attention")]
    pub pos_att_type: Vec<PositionAttention>,
    /// Whether the relative embeddings go through the content query and key projections (DeBERTa-v2/v3).
    #[serde(default)]
    pub share_att_key: bool,
    /// Normalisation of the relative embeddings (DeBERTa-v2/v3).
    #[serde(default, deserialize_with = "relative_embedding_norm")]
    pub norm_rel_ebd: RelativeEmbeddingNorm,
    /// Kernel of the convolution after the first layer (DeBERTa-v2 xlarge); 0 means none.
    #[serde(default)]
    pub conv_kernel_size: i64,
    /// Groups of that convolution.
    #[serde(default = "one")]
    pub conv_groups: i64,
    /// Activation of that convolution.
    #[serde(default = "tanh")]
    pub conv_act: Activation,
    /// Width of the pooler (default `hidden_size`).
    pub pooler_hidden_size: Option<i64>,
    /// Activation of the pooler.
    #[serde(default)]
    pub pooler_hidden_act: Activation,
    /// Talking-heads attention; no released checkpoint uses it, and it is refused.
    #[serde(default)]
    pub talking_head: bool,
    /// The classes, whose number sizes the classifier.
    pub id2label: Option<BTreeMap<String, String>>,
    /// The number of classes when `id2label` is absent.
    pub num_labels: Option<i64>,
}

fn default_layer_norm_eps() -> f64 {
    1e-7
}

fn default_max_position_embeddings() -> i64 {
    512
}

fn yes() -> bool {
    true
}

fn minus_one() -> i64 {
    -1
}

fn one() -> i64 {
    1
}

fn tanh() -> Activation {
    Activation::Tanh
}

/// `pos_att_type` as a list (`["c2p", "p2c"]`), a string (`"c2p|p2c"`), or null.
fn position_attention<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<PositionAttention>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        List(Vec<String>),
        Joined(String),
    }
    let names: Vec<String> = match Option::<Form>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(Form::List(names)) => names,
        Some(Form::Joined(joined)) => joined.split('|').map(str::to_string).collect(),
    };
    names
        .iter()
        .map(|name| {
            PositionAttention::deserialize(serde::de::value::StrDeserializer::<D::Error>::new(
                name.trim().to_lowercase().as_str(),
            ))
        })
        .collect()
}

/// `norm_rel_ebd`: `|`-separated names of which `layer_norm` is the one transformers acts on.
fn relative_embedding_norm<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<RelativeEmbeddingNorm, D::Error> {
    let names = Option::<String>::deserialize(deserializer)?.unwrap_or_default();
    let mut norm = RelativeEmbeddingNorm::None;
    for name in names.split('|').map(|n| n.trim().to_lowercase()) {
        match name.as_str() {
            "layer_norm" => norm = RelativeEmbeddingNorm::LayerNorm,
            "none" | "" => {}
            other => {
                return Err(serde::de::Error::custom(format!(
                    "norm_rel_ebd {other:?} is not supported (none, layer_norm)"
                )))
            }
        }
    }
    Ok(norm)
}

impl DebertaConfig {
    fn classes(&self) -> i64 {
        self.id2label
            .as_ref()
            .map(|labels| labels.len() as i64)
            .or(self.num_labels)
            .unwrap_or(2)
    }

    fn has(&self, term: PositionAttention) -> bool {
        self.pos_att_type.contains(&term)
    }

    /// What the model cannot run, if anything.
    fn unsupported(&self) -> Option<String> {
        if self.num_attention_heads <= 0 || self.hidden_size % self.num_attention_heads != 0 {
            return Some(format!(
                "hidden_size {} does not split into {} attention heads",
                self.hidden_size, self.num_attention_heads
            ));
        }
        if self.type_vocab_size > 0 {
            return Some(format!(
                "type_vocab_size {}: token type embeddings are not supported (MNLI checkpoints have none)",
                self.type_vocab_size
            ));
        }
        if self.talking_head {
            return Some("talking_head attention is not supported".to_string());
        }
        None
    }
}

fn linear(p: nn::Path, inputs: i64, outputs: i64, bias: bool) -> nn::Linear {
    nn::linear(
        p,
        inputs,
        outputs,
        nn::LinearConfig {
            bias,
            ..Default::default()
        },
    )
}

fn layer_norm(p: nn::Path, size: i64, eps: f64) -> nn::LayerNorm {
    nn::layer_norm(
        p,
        vec![size],
        nn::LayerNormConfig {
            eps,
            ..Default::default()
        },
    )
}

/// A linear layer on the same weights as `other` (DeBERTa-v2's shared position and content projections).
fn share(other: &nn::Linear) -> nn::Linear {
    nn::Linear {
        ws: other.ws.shallow_clone(),
        bs: other.bs.as_ref().map(Tensor::shallow_clone),
    }
}

/// Token embeddings, with absolute positions when the config adds them, normalised and zeroed at padding.
struct Embeddings {
    word: nn::Embedding,
    position: Option<nn::Embedding>,
    projection: Option<nn::Linear>,
    norm: nn::LayerNorm,
}

impl Embeddings {
    fn new(p: nn::Path, config: &DebertaConfig) -> Self {
        let width = config.embedding_size.unwrap_or(config.hidden_size);
        Embeddings {
            word: nn::embedding(
                &p / "word_embeddings",
                config.vocab_size,
                width,
                Default::default(),
            ),
            position: config.position_biased_input.then(|| {
                nn::embedding(
                    &p / "position_embeddings",
                    config.max_position_embeddings,
                    width,
                    Default::default(),
                )
            }),
            projection: (width != config.hidden_size)
                .then(|| linear(&p / "embed_proj", width, config.hidden_size, false)),
            norm: layer_norm(&p / "LayerNorm", config.hidden_size, config.layer_norm_eps),
        }
    }

    fn forward(&self, input_ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let mut embeddings = input_ids.apply(&self.word);
        if let Some(position) = &self.position {
            let length = input_ids.size2()?.1;
            let positions = Tensor::f_arange(length, (Kind::Int64, input_ids.device()))?;
            embeddings = embeddings.f_add(&positions.f_unsqueeze(0)?.apply(position))?;
        }
        if let Some(projection) = &self.projection {
            embeddings = embeddings.apply(projection);
        }
        let embeddings = embeddings.apply(&self.norm);
        Ok(embeddings.f_mul(&mask.f_unsqueeze(2)?.f_to_kind(embeddings.kind())?)?)
    }
}

/// The relative distances between positions as the attention indexes its position embeddings.
#[derive(Clone, Copy)]
struct RelativePositions {
    version: Version,
    /// `max_relative_positions`, or `max_position_embeddings` when that is below 1.
    max_distance: i64,
    /// Log buckets, or none when below 1.
    buckets: i64,
}

impl RelativePositions {
    /// Query position minus key position, `[length, length]`, in log buckets when the config has them (by
    /// transformers' `make_log_bucket_position`, float32 step by step, so the buckets fall at the same places).
    fn between(&self, length: i64, device: tch::Device) -> Result<Tensor> {
        let ids = Tensor::f_arange(length, (Kind::Int64, device))?;
        let distance = ids.f_unsqueeze(1)?.f_sub(&ids.f_unsqueeze(0)?)?;
        if self.buckets <= 0 || self.max_distance <= 0 {
            return Ok(distance);
        }
        let middle = self.buckets / 2;
        let near = distance
            .f_lt(middle)?
            .f_logical_and(&distance.f_gt(-middle)?)?;
        let magnitude = distance
            .f_abs()?
            .f_masked_fill(&near, middle - 1)?
            .f_to_kind(Kind::Float)?;
        let base = Tensor::from(((self.max_distance - 1) as f64 / middle as f64) as f32).f_log()?;
        let far = magnitude
            .f_div_scalar(middle as f64)?
            .f_log()?
            .f_div(&base)?
            .f_mul_scalar((middle - 1) as f64)?
            .f_ceil()?
            .f_add_scalar(middle as f64)?
            .f_mul(&distance.f_sign()?.f_to_kind(Kind::Float)?)?;
        Ok(distance
            .f_to_kind(Kind::Float)?
            .f_where_self(&magnitude.f_le(middle)?, &far)?
            .f_to_kind(Kind::Int64)?)
    }

    /// The attention span (rows of the position table on each side of distance 0) and the first table row
    /// used, for an input of `length` tokens: DeBERTa uses as many as the input needs, DeBERTa-v2 all of them.
    fn window(&self, length: i64) -> (i64, i64) {
        match self.version {
            Version::V1 => {
                let span = length.min(self.max_distance);
                (span, self.max_distance - span)
            }
            Version::V2 => {
                let span = if self.buckets > 0 {
                    self.buckets
                } else {
                    self.max_distance
                };
                (span, 0)
            }
        }
    }
}

/// Query, key and value projections of one attention layer.
enum Projections {
    /// DeBERTa: one matrix, per head query, key and value in turn, and biases for query and value only.
    Fused {
        in_proj: nn::Linear,
        query_bias: Tensor,
        value_bias: Tensor,
    },
    /// DeBERTa-v2/v3: three matrices with biases.
    Separate {
        query: nn::Linear,
        key: nn::Linear,
        value: nn::Linear,
    },
}

/// Splits `[batch, length, heads × width]` into `[batch, heads, length, width]`.
fn split_heads(xs: &Tensor, heads: i64) -> Result<Tensor> {
    let (batch, length, _) = xs.size3()?;
    Ok(xs
        .f_view([batch, length, heads, -1])?
        .f_permute([0, 2, 1, 3])?)
}

impl Projections {
    fn new(p: &nn::Path, config: &DebertaConfig, all_heads: i64) -> Self {
        match config.model_type {
            Version::V1 => Projections::Fused {
                in_proj: linear(p / "in_proj", config.hidden_size, 3 * all_heads, false),
                query_bias: p.zeros("q_bias", &[all_heads]),
                value_bias: p.zeros("v_bias", &[all_heads]),
            },
            Version::V2 => Projections::Separate {
                query: linear(p / "query_proj", config.hidden_size, all_heads, true),
                key: linear(p / "key_proj", config.hidden_size, all_heads, true),
                value: linear(p / "value_proj", config.hidden_size, all_heads, true),
            },
        }
    }

    /// Query, key and value, each `[batch, heads, length, width]`.
    fn apply(&self, hidden: &Tensor, heads: i64) -> Result<(Tensor, Tensor, Tensor)> {
        Ok(match self {
            Projections::Fused {
                in_proj,
                query_bias,
                value_bias,
            } => {
                let mut parts = split_heads(&hidden.apply(in_proj), heads)?.f_chunk(3, -1)?;
                let (Some(value), Some(key), Some(query)) = (parts.pop(), parts.pop(), parts.pop())
                else {
                    return Err(Error::Config("in_proj does not split in three".to_string()));
                };
                let bias = |b: &Tensor| split_heads(&b.f_view([1, 1, -1])?, heads);
                (
                    query.f_add(&bias(query_bias)?)?,
                    key,
                    value.f_add(&bias(value_bias)?)?,
                )
            }
            Projections::Separate { query, key, value } => (
                split_heads(&hidden.apply(query), heads)?,
                split_heads(&hidden.apply(key), heads)?,
                split_heads(&hidden.apply(value), heads)?,
            ),
        })
    }
}

/// DeBERTa's disentangled self-attention: content scores plus, with relative attention, the
/// content-to-position and position-to-content scores, each divided by `sqrt(width × (1 + terms))`.
struct Attention {
    projections: Projections,
    /// Projects relative embeddings to keys for content-to-position scores.
    position_key: Option<nn::Linear>,
    /// Projects relative embeddings to queries for position-to-content scores.
    position_query: Option<nn::Linear>,
    heads: i64,
    scale: f64,
    output: nn::Linear,
    norm: nn::LayerNorm,
}

/// What every attention layer reads besides its input.
struct AttentionContext<'a> {
    /// `[batch, 1, length, length]`, true where query and key are both real tokens.
    mask: &'a Tensor,
    /// Relative embeddings and distances, `None` without relative attention.
    relative: Option<(&'a Tensor, &'a Tensor)>,
    positions: RelativePositions,
}

impl Attention {
    fn new(p: nn::Path, config: &DebertaConfig) -> Self {
        let heads = config.num_attention_heads;
        let width = match config.model_type {
            Version::V1 => config.hidden_size / heads,
            Version::V2 => config
                .attention_head_size
                .unwrap_or(config.hidden_size / heads),
        };
        let all_heads = heads * width;
        let own = &p / "self";
        let projections = Projections::new(&own, config, all_heads);
        let relative = config.relative_attention;
        let c2p = relative && config.has(PositionAttention::ContentToPosition);
        let p2c = relative && config.has(PositionAttention::PositionToContent);
        let (position_key, position_query) = match (&projections, config.share_att_key) {
            (Projections::Fused { .. }, _) => (
                c2p.then(|| linear(&own / "pos_proj", config.hidden_size, all_heads, false)),
                p2c.then(|| linear(&own / "pos_q_proj", config.hidden_size, all_heads, true)),
            ),
            (Projections::Separate { query, key, .. }, true) => {
                (c2p.then(|| share(key)), p2c.then(|| share(query)))
            }
            (Projections::Separate { .. }, false) => (
                c2p.then(|| linear(&own / "pos_key_proj", config.hidden_size, all_heads, true)),
                p2c.then(|| linear(&own / "pos_query_proj", config.hidden_size, all_heads, true)),
            ),
        };
        // transformers counts the terms named in pos_att_type, relative attention or not.
        let terms = match config.model_type {
            Version::V1 => config.pos_att_type.len(),
            Version::V2 => [
                PositionAttention::ContentToPosition,
                PositionAttention::PositionToContent,
            ]
            .into_iter()
            .filter(|&term| config.has(term))
            .count(),
        };
        let output = &p / "output";
        Attention {
            projections,
            position_key,
            position_query,
            heads,
            scale: (width as f64 * (1 + terms) as f64).sqrt(),
            output: linear(&output / "dense", all_heads, config.hidden_size, true),
            norm: layer_norm(
                &output / "LayerNorm",
                config.hidden_size,
                config.layer_norm_eps,
            ),
        }
    }

    fn forward(&self, hidden: &Tensor, context: &AttentionContext) -> Result<Tensor> {
        let (query, key, value) = self.projections.apply(hidden, self.heads)?;
        let mut scores = query
            .f_matmul(&key.f_transpose(-1, -2)?)?
            .f_div_scalar(self.scale)?;
        if let Some((embeddings, distances)) = context.relative {
            scores = scores.f_add(&self.position_scores(
                &query,
                &key,
                embeddings,
                distances,
                context.positions,
            )?)?;
        }
        let hidden_mask = context.mask.f_logical_not()?;
        let probabilities = scores
            .f_masked_fill(&hidden_mask, f32::MIN as f64)?
            .f_softmax(-1, scores.kind())?
            .f_masked_fill(&hidden_mask, 0.0)?;
        let (batch, _, length, _) = probabilities.size4()?;
        let attended = probabilities
            .f_matmul(&value)?
            .f_permute([0, 2, 1, 3])?
            .f_contiguous()?
            .f_view([batch, length, -1])?;
        Ok(attended
            .apply(&self.output)
            .f_add(hidden)?
            .apply(&self.norm))
    }

    /// Content-to-position and position-to-content scores, `[batch, heads, length, length]`.
    fn position_scores(
        &self,
        query: &Tensor,
        key: &Tensor,
        embeddings: &Tensor,
        distances: &Tensor,
        positions: RelativePositions,
    ) -> Result<Tensor> {
        let (batch, heads, length, _) = query.size4()?;
        let (span, first) = positions.window(length);
        let table = embeddings.f_narrow(0, first, 2 * span)?.f_unsqueeze(0)?;
        let expanded = |index: Tensor| index.f_expand([batch, heads, length, length], true);
        let mut scores = Tensor::f_zeros([1], (query.kind(), query.device()))?;
        if let Some(projection) = &self.position_key {
            let keys = split_heads(&table.apply(projection), self.heads)?;
            let index = distances.f_add_scalar(span)?.f_clamp(0, 2 * span - 1)?;
            let c2p = query.f_matmul(&keys.f_transpose(-1, -2)?)?.f_gather(
                -1,
                &expanded(index)?,
                false,
            )?;
            scores = scores.f_add(&c2p.f_div_scalar(self.scale)?)?;
        }
        if let Some(projection) = &self.position_query {
            let queries = split_heads(&table.apply(projection), self.heads)?;
            let index = distances
                .f_neg()?
                .f_add_scalar(span)?
                .f_clamp(0, 2 * span - 1)?;
            let p2c = key
                .f_matmul(&queries.f_transpose(-1, -2)?)?
                .f_gather(-1, &expanded(index)?, false)?
                .f_transpose(-1, -2)?;
            scores = scores.f_add(&p2c.f_div_scalar(self.scale)?)?;
        }
        Ok(scores)
    }
}

/// One encoder layer: attention, then the feed-forward block, each with a residual LayerNorm.
struct Layer {
    attention: Attention,
    intermediate: nn::Linear,
    activation: Activation,
    output: nn::Linear,
    norm: nn::LayerNorm,
}

impl Layer {
    fn new(p: nn::Path, config: &DebertaConfig) -> Self {
        let output = &p / "output";
        Layer {
            attention: Attention::new(&p / "attention", config),
            intermediate: linear(
                &p / "intermediate" / "dense",
                config.hidden_size,
                config.intermediate_size,
                true,
            ),
            activation: config.hidden_act,
            output: linear(
                &output / "dense",
                config.intermediate_size,
                config.hidden_size,
                true,
            ),
            norm: layer_norm(
                &output / "LayerNorm",
                config.hidden_size,
                config.layer_norm_eps,
            ),
        }
    }

    fn forward(&self, hidden: &Tensor, context: &AttentionContext) -> Result<Tensor> {
        let attended = self.attention.forward(hidden, context)?;
        let expanded = self.activation.apply(&attended.apply(&self.intermediate))?;
        Ok(expanded
            .apply(&self.output)
            .f_add(&attended)?
            .apply(&self.norm))
    }
}

/// DeBERTa-v2 xlarge's convolution over the embeddings, added to the first layer's output.
struct Convolution {
    conv: nn::Conv1D,
    activation: Activation,
    norm: nn::LayerNorm,
}

impl Convolution {
    fn new(p: nn::Path, config: &DebertaConfig) -> Self {
        let kernel = config.conv_kernel_size;
        Convolution {
            conv: nn::conv1d(
                &p / "conv",
                config.hidden_size,
                config.hidden_size,
                kernel,
                nn::ConvConfig {
                    padding: (kernel - 1) / 2,
                    groups: config.conv_groups,
                    ..Default::default()
                },
            ),
            activation: config.conv_act,
            norm: layer_norm(&p / "LayerNorm", config.hidden_size, config.layer_norm_eps),
        }
    }

    fn forward(&self, embeddings: &Tensor, residual: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let padding = mask.f_logical_not()?.f_unsqueeze(-1)?;
        let convolved = embeddings
            .f_permute([0, 2, 1])?
            .apply(&self.conv)
            .f_permute([0, 2, 1])?
            .f_masked_fill(&padding, 0.0)?;
        let summed = residual.f_add(&self.activation.apply(&convolved)?)?;
        Ok(summed
            .apply(&self.norm)
            .f_mul(&mask.f_unsqueeze(-1)?.f_to_kind(summed.kind())?)?)
    }
}

/// The encoder: layers sharing one table of relative position embeddings.
struct Encoder {
    layers: Vec<Layer>,
    relative_embeddings: Option<(nn::Embedding, Option<nn::LayerNorm>)>,
    positions: RelativePositions,
    convolution: Option<Convolution>,
}

impl Encoder {
    fn new(p: nn::Path, config: &DebertaConfig) -> Self {
        let max_distance = if config.max_relative_positions < 1 {
            config.max_position_embeddings
        } else {
            config.max_relative_positions
        };
        let positions = RelativePositions {
            version: config.model_type,
            max_distance,
            buckets: match config.model_type {
                Version::V1 => -1,
                Version::V2 => config.position_buckets,
            },
        };
        let rows = 2 * if positions.buckets > 0 {
            positions.buckets
        } else {
            max_distance
        };
        let v2 = config.model_type == Version::V2;
        Encoder {
            layers: (0..config.num_hidden_layers)
                .map(|i| Layer::new(&p / "layer" / i, config))
                .collect(),
            relative_embeddings: config.relative_attention.then(|| {
                (
                    nn::embedding(
                        &p / "rel_embeddings",
                        rows,
                        config.hidden_size,
                        Default::default(),
                    ),
                    (v2 && config.norm_rel_ebd == RelativeEmbeddingNorm::LayerNorm).then(|| {
                        layer_norm(&p / "LayerNorm", config.hidden_size, config.layer_norm_eps)
                    }),
                )
            }),
            positions,
            convolution: (v2 && config.conv_kernel_size > 0)
                .then(|| Convolution::new(&p / "conv", config)),
        }
    }

    fn forward(&self, embeddings: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (batch, length) = mask.size2()?;
        let real = mask.f_to_kind(Kind::Bool)?;
        let pair_mask = real
            .f_view([batch, 1, 1, length])?
            .f_logical_and(&real.f_view([batch, 1, length, 1])?)?;
        let relative = match &self.relative_embeddings {
            Some((table, norm)) => {
                let table = match norm {
                    Some(norm) => table.ws.apply(norm),
                    None => table.ws.shallow_clone(),
                };
                Some((table, self.positions.between(length, embeddings.device())?))
            }
            None => None,
        };
        let context = AttentionContext {
            mask: &pair_mask,
            relative: relative
                .as_ref()
                .map(|(table, distances)| (table, distances)),
            positions: self.positions,
        };
        let mut hidden = embeddings.shallow_clone();
        for (i, layer) in self.layers.iter().enumerate() {
            hidden = layer.forward(&hidden, &context)?;
            if let (0, Some(convolution)) = (i, &self.convolution) {
                hidden = convolution.forward(embeddings, &hidden, &real)?;
            }
        }
        Ok(hidden)
    }
}

/// A DeBERTa or DeBERTa-v2/v3 sequence classifier: encoder, pooler on the first token, linear classifier.
pub struct DebertaClassifier {
    embeddings: Embeddings,
    encoder: Encoder,
    pooler: nn::Linear,
    pooler_activation: Activation,
    classifier: nn::Linear,
}

impl DebertaClassifier {
    /// Creates the variables of the model in `config` under `p` (to be filled by `Checkpoint::load_into`); the
    /// error says what in the config cannot be run.
    pub fn new(p: &nn::Path, config: &DebertaConfig) -> std::result::Result<Self, String> {
        if let Some(problem) = config.unsupported() {
            return Err(problem);
        }
        let base = p / "deberta";
        let pooled = config.pooler_hidden_size.unwrap_or(config.hidden_size);
        Ok(DebertaClassifier {
            embeddings: Embeddings::new(&base / "embeddings", config),
            encoder: Encoder::new(&base / "encoder", config),
            pooler: linear(p / "pooler" / "dense", pooled, pooled, true),
            pooler_activation: config.pooler_hidden_act,
            classifier: linear(p / "classifier", pooled, config.classes(), true),
        })
    }

    /// Class logits `[batch, classes]` for `input_ids` and `attention_mask` (1 for a token, 0 for padding),
    /// both `[batch, length]` int64.
    pub fn logits(&self, input_ids: &Tensor, attention_mask: &Tensor) -> Result<Tensor> {
        let embeddings = self.embeddings.forward(input_ids, attention_mask)?;
        let hidden = self.encoder.forward(&embeddings, attention_mask)?;
        let first = hidden.f_select(1, 0)?.apply(&self.pooler);
        Ok(self
            .pooler_activation
            .apply(&first)?
            .apply(&self.classifier))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: serde_json::Value) -> std::result::Result<DebertaConfig, serde_json::Error> {
        let mut config = serde_json::json!({
            "model_type": "deberta-v2", "vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1,
            "num_attention_heads": 2, "intermediate_size": 16,
        });
        if let (Some(config), Some(extra)) = (config.as_object_mut(), extra.as_object()) {
            config.extend(extra.clone());
        }
        serde_json::from_value(config)
    }

    #[test]
    fn configs_read_as_transformers_reads_them() {
        let defaults = config(serde_json::json!({})).unwrap();
        assert_eq!(defaults.model_type, Version::V2);
        assert!(defaults.pos_att_type.is_empty() && defaults.position_biased_input);
        assert_eq!(
            (defaults.layer_norm_eps, defaults.conv_act),
            (1e-7, Activation::Tanh)
        );
        assert_eq!(defaults.norm_rel_ebd, RelativeEmbeddingNorm::None);
        // Older configs join the position terms and the normalisations with `|`.
        let joined =
            config(serde_json::json!({"pos_att_type": "P2C|c2p", "norm_rel_ebd": "layer_norm"}));
        let joined = joined.unwrap();
        assert_eq!(
            joined.pos_att_type,
            [
                PositionAttention::PositionToContent,
                PositionAttention::ContentToPosition
            ]
        );
        assert_eq!(joined.norm_rel_ebd, RelativeEmbeddingNorm::LayerNorm);
        // Unknown values are errors that name them.
        for (field, value, named) in [
            ("pos_att_type", serde_json::json!(["c2p", "p2p"]), "p2p"),
            (
                "norm_rel_ebd",
                serde_json::json!("batch_norm"),
                "batch_norm",
            ),
            ("hidden_act", serde_json::json!("swish"), "swish"),
            ("model_type", serde_json::json!("bert"), "bert"),
        ] {
            let error = config(serde_json::json!({ field: value }))
                .unwrap_err()
                .to_string();
            assert!(error.contains(named), "{error}");
        }
        let typed = config(serde_json::json!({"type_vocab_size": 2})).unwrap();
        assert!(typed.unsupported().unwrap().contains("type_vocab_size 2"));
    }

    #[test]
    fn log_buckets_fall_where_transformers_puts_them() {
        let references: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/data/checkpoints/references.json"
            ))
            .unwrap(),
        )
        .unwrap();
        let reference = &references["deberta_log_buckets"];
        let positions = RelativePositions {
            version: Version::V2,
            max_distance: reference["max_position"].as_i64().unwrap(),
            buckets: reference["bucket_size"].as_i64().unwrap(),
        };
        let distances: Vec<i64> = serde_json::from_value(reference["distances"].clone()).unwrap();
        let expected: Vec<i64> = serde_json::from_value(reference["buckets"].clone()).unwrap();
        // Row 700 of the [1401, 1401] matrix holds 700 - k for key k: distances 700 down to -700.
        let length = distances.len() as i64;
        let row = positions
            .between(length, tch::Device::Cpu)
            .unwrap()
            .select(0, 700);
        let mut buckets = Vec::<i64>::try_from(row).unwrap();
        buckets.reverse();
        assert_eq!(distances.first(), Some(&-700));
        assert_eq!(buckets, expected);
    }
}
