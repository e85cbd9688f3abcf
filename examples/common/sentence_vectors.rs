//! Sentence vectors kept between runs of the segmentation training examples (`segmenter_data`,
//! `content_segmenter`), so a retrain embeds only the sentences it has not seen: a file of records (the xxh3
//! hash of the sentence as 8 little-endian bytes, then its float32 vector), appended to as sentences are
//! embedded. Both examples read and write the same format, so they can share one file.

use anyhow::{bail, Context};
use newsdigest::embed::Embedder;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The cached vectors, by the hash of their sentence.
pub struct SentenceVectors {
    path: PathBuf,
    vectors: HashMap<u64, Vec<f32>>,
    /// Length of every vector.
    pub dimension: usize,
}

impl SentenceVectors {
    /// Reads the records of `also_read` and of `path` (a file that does not exist yet is an empty cache); new
    /// vectors go to `path`.
    pub fn open(path: &Path, also_read: &[PathBuf], dimension: usize) -> anyhow::Result<Self> {
        let mut vectors = HashMap::new();
        for file in also_read.iter().map(PathBuf::as_path).chain([path]) {
            if !file.exists() {
                continue;
            }
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            for record in bytes.chunks_exact(8 + 4 * dimension) {
                let (key, vector) = record.split_at(8);
                let vector = vector
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect();
                vectors.insert(u64::from_le_bytes(key.try_into()?), vector);
            }
        }
        eprintln!("{} cached sentence vectors", vectors.len());
        Ok(SentenceVectors {
            path: path.to_path_buf(),
            vectors,
            dimension,
        })
    }

    /// The texts with no cached vector, each once, shortest first (batches of similar length pad little).
    pub fn missing<'a>(&self, texts: &[&'a str]) -> Vec<&'a str> {
        let mut missing: Vec<&str> = texts
            .iter()
            .copied()
            .filter(|t| !self.vectors.contains_key(&key(t)))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing.sort_by_key(|t| t.len());
        missing
    }

    /// Embeds `texts` and appends their vectors to the file.
    pub fn add(&mut self, embedder: &mut dyn Embedder, texts: &[&str]) -> anyhow::Result<()> {
        if texts.is_empty() {
            return Ok(());
        }
        if embedder.dimension() != self.dimension {
            bail!(
                "{} holds {}-dimensional vectors, the model gives {}",
                self.path.display(),
                self.dimension,
                embedder.dimension()
            );
        }
        if let Some(folder) = self.path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .with_context(|| format!("opening {}", self.path.display()))?;
        for chunk in texts.chunks(256) {
            let vectors = embedder.embed(chunk)?;
            let mut bytes = Vec::with_capacity(chunk.len() * (8 + 4 * self.dimension));
            for (text, vector) in chunk.iter().zip(vectors) {
                bytes.extend(key(text).to_le_bytes());
                vector.iter().for_each(|v| bytes.extend(v.to_le_bytes()));
                self.vectors.insert(key(text), vector);
            }
            file.write_all(&bytes)?;
            eprintln!("  embedded {} sentences", chunk.len());
        }
        Ok(())
    }

    /// The vector of a sentence, empty when it was never embedded.
    pub fn get(&self, text: &str) -> &[f32] {
        self.vectors.get(&key(text)).map_or(&[], Vec::as_slice)
    }
}

fn key(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}
