//! Embed: turns sentences (or any short texts) into L2-normalised vectors; segmentation, classification and
//! the extractive summariser all work on these vectors, computed once per sentence.

mod bert;
mod minilm;
mod precision;

pub use bert::Activation;
pub use minilm::{MiniLmEmbedder, MiniLmTokenizer};
pub use precision::{native_bf16, Precision, CLOSE_CALL, SEGMENTATION_CLOSE_CALL};

use crate::error::Result;

/// Texts embedded per forward pass, at most.
const BATCH_SIZE: usize = 32;

/// Every batch is padded to a multiple of this many tokens, and holds only texts that pad to the same length.
/// A text's bf16 embedding depends on the padded length of its batch (not on its batch-mates otherwise), so
/// padding each text to a length of its own makes its vector the same whichever texts it is embedded with: the
/// same in a shard, another chunk, or a resumed run as in one run over everything. Multiples of 8 cost about
/// 10% more tokens than padding to the longest of sorted batches.
pub const PAD_MULTIPLE: usize = 8;

/// The length a text of `tokens` tokens is padded to: the next multiple of [`PAD_MULTIPLE`].
pub fn padded_length(tokens: usize) -> usize {
    tokens.next_multiple_of(PAD_MULTIPLE)
}

/// Batches a set of texts is cut into, at least (when it has that many texts): a small set, such as the close
/// calls of a group re-embedded in float32, would otherwise be one batch that keeps a single worker busy while
/// the others wait. The batch size depends only on the number of texts, never on the thread count.
const MIN_BATCHES: usize = 8;

/// A sentence embedding model. Not `Sync`: each worker thread owns its own instance.
pub trait Embedder: Send {
    /// Length of every vector [`Embedder::embed`] returns.
    fn dimension(&self) -> usize;
    /// Embeds the texts, returning one L2-normalised vector per text, in input order.
    fn embed(&mut self, texts: &[&str]) -> Result<Vec<Vec<f32>>>;
    /// The sha256 of the weights file, recorded in outputs and checked by trained heads.
    fn model_sha256(&self) -> &str;
}

/// Embeds tokenised texts in batches of at most [`BATCH_SIZE`] (and at least [`MIN_BATCHES`] of them), sorted
/// by token count first so each batch carries little padding, each batch of one [`padded_length`]; `embed_batches` embeds the batches (one after another, or spread over several models) and
/// returns their vectors in batch order. Results in input order.
pub fn embed_length_sorted(
    token_ids: &[Vec<u32>],
    embed_batches: impl FnOnce(Vec<Vec<&[u32]>>) -> Result<Vec<Vec<Vec<f32>>>>,
) -> Result<Vec<Vec<f32>>> {
    let batches = length_sorted_batches(token_ids);
    let ids = batches
        .iter()
        .map(|batch| batch.iter().map(|&i| token_ids[i].as_slice()).collect())
        .collect();
    Ok(in_input_order(&batches, embed_batches(ids)?))
}

/// Indexes of the texts in batches, sorted by token count (ties keep input order); a batch holds only texts
/// of one [`padded_length`].
fn length_sorted_batches(token_ids: &[Vec<u32>]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..token_ids.len()).collect();
    order.sort_by_key(|&i| token_ids[i].len());
    let size = token_ids.len().div_ceil(MIN_BATCHES).clamp(1, BATCH_SIZE);
    order
        .chunk_by(|&a, &b| padded_length(token_ids[a].len()) == padded_length(token_ids[b].len()))
        .flat_map(|run| run.chunks(size))
        .map(<[usize]>::to_vec)
        .collect()
}

/// Puts the vectors of [`length_sorted_batches`] back in input order.
fn in_input_order(batches: &[Vec<usize>], vectors: Vec<Vec<Vec<f32>>>) -> Vec<Vec<f32>> {
    let mut ordered = vec![Vec::new(); batches.iter().map(Vec::len).sum()];
    for (batch, vectors) in batches.iter().zip(vectors) {
        for (&i, vector) in batch.iter().zip(vectors) {
            ordered[i] = vector;
        }
    }
    ordered
}

/// Cosine similarity of two L2-normalised vectors (their dot product).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The L2-normalised mean of the given vectors: a centroid that is itself comparable by [`cosine`].
pub fn normalized_mean<'a>(
    vectors: impl IntoIterator<Item = &'a [f32]>,
    dimension: usize,
) -> Vec<f32> {
    let mut mean = vec![0.0f32; dimension];
    for vector in vectors {
        for (m, v) in mean.iter_mut().zip(vector) {
            *m += v;
        }
    }
    normalize(&mut mean);
    mean
}

/// Scales a vector to unit length in place (a zero vector stays zero).
pub fn normalize(vector: &mut [f32]) {
    let norm = vector.iter().map(|v| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        vector.iter_mut().for_each(|v| *v /= norm);
    }
}
