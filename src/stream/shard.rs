//! Sharding: a deterministic share of the articles by a stable hash of their id, so N machines can split one
//! corpus without talking to each other.

use crate::error::{Error, Result};

/// Shard `index` of `count` (0-based): the articles whose id hashes to `index` modulo `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Shard {
    /// This shard, from 0 to `count - 1`.
    pub index: u64,
    /// How many shards the corpus is split into.
    pub count: u64,
}

impl Shard {
    /// Whether the article with this id belongs to the shard. XXH3-64 of the id's UTF-8 bytes is fixed by its
    /// specification, so every machine, build and version agrees (std's hasher promises neither).
    pub fn contains(&self, id: &str) -> bool {
        xxhash_rust::xxh3::xxh3_64(id.as_bytes()) % self.count == self.index
    }
}

impl std::str::FromStr for Shard {
    type Err = Error;

    /// Parses `I/N`, such as `0/4`.
    fn from_str(text: &str) -> Result<Self> {
        let invalid = || Error::Config(format!("shard `{text}`: expected I/N with 0 <= I < N"));
        let (index, count) = text.split_once('/').ok_or_else(invalid)?;
        let index: u64 = index.trim().parse().map_err(|_| invalid())?;
        let count: u64 = count.trim().parse().map_err(|_| invalid())?;
        if count == 0 || index >= count {
            return Err(invalid());
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_split_ids_into_disjoint_shares() {
        assert!("4/4".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        let shards: Vec<Shard> = (0..3).map(|i| format!("{i}/3").parse().unwrap()).collect();
        let ids: Vec<String> = (0..300).map(|n| format!("dump#{n}")).collect();
        let mut sizes = [0usize; 3];
        for id in &ids {
            let owners: Vec<usize> = (0..3).filter(|&s| shards[s].contains(id)).collect();
            assert_eq!(owners.len(), 1, "{id} belongs to {owners:?}");
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 50), "{sizes:?}");
    }
}
