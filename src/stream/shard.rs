//! Sharding: N machines split one corpus without talking to each other. Dump files are dealt out whole, so
//! each shard segments only its own dumps (segmentation is most of a dump's cost); JSONL records, which need no
//! segmentation, and dumps read from stdin go by a stable hash of the article id.

use crate::error::{Error, Result};
use crate::ingest::{walk_inputs, InputFormat};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// Shard `index` of `count` (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Shard {
    /// This shard, from 0 to `count - 1`.
    pub index: u64,
    /// How many shards the corpus is split into.
    pub count: u64,
}

impl Shard {
    /// Whether the article with this id belongs to the shard by id: XXH3-64 of the id's UTF-8 bytes modulo
    /// `count`. XXH3 is fixed by its specification, so every machine, build and version agrees (std's hasher
    /// promises neither).
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

/// Which articles a shard annotates: the articles of the dump files dealt to it, whole, and the JSONL records
/// and other dumps whose id hashes to it.
#[derive(Clone, Debug)]
pub struct ShardPlan {
    shard: Shard,
    /// Every dump file dealt out (as the input stream names it), and those this shard owns.
    dealt: Arc<DealtFiles>,
}

#[derive(Debug, Default)]
struct DealtFiles {
    all: BTreeSet<String>,
    owned: BTreeSet<String>,
}

impl ShardPlan {
    /// Every article by its id, dumps included: each shard still segments every dump.
    pub fn by_article_id(shard: Shard) -> Self {
        ShardPlan {
            shard,
            dealt: Arc::default(),
        }
    }

    /// Deals the dump files among `paths` (directories expanded as the input stream does) out whole to the
    /// shards, largest first, each to the shard with the fewest bytes so far (ties to the lower shard), so the
    /// shards get about the same amount of text. Every shard computes the same deal from the same file list
    /// and sizes. Record files (JSONL, CSV, TSV: by `format`, or by extension under auto) and stdin are not
    /// dealt: their articles go by id.
    pub fn dealing_dump_files(
        shard: Shard,
        paths: &[PathBuf],
        format: InputFormat,
    ) -> Result<Self> {
        let mut dumps: Vec<(u64, String)> = walk_inputs(paths)?
            .files
            .into_iter()
            .map(|file| file.path)
            .filter(|path| is_dump_file(path, format))
            .map(|path| {
                let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
                (bytes, path.display().to_string())
            })
            .collect();
        // Largest first; equal sizes in path order, so the deal does not depend on how inputs were listed.
        dumps.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        // Shards past the number of files get none (a count of a billion allocates nothing).
        let count = usize::try_from(shard.count).unwrap_or(usize::MAX);
        let mut load = vec![0u64; count.min(dumps.len().max(1))];
        let mut dealt = DealtFiles::default();
        for (bytes, name) in dumps {
            let lightest = load
                .iter()
                .enumerate()
                .min_by_key(|&(i, &total)| (total, i))
                .map_or(0, |(i, _)| i);
            load[lightest] += bytes;
            if lightest as u64 == shard.index {
                dealt.owned.insert(name.clone());
            }
            dealt.all.insert(name);
        }
        Ok(ShardPlan {
            shard,
            dealt: Arc::new(dealt),
        })
    }

    /// The shard.
    pub fn shard(&self) -> Shard {
        self.shard
    }

    /// Whether the shard needs the input named `source` at all (false for dump files dealt to other shards).
    pub fn reads(&self, source: &str) -> bool {
        !self.dealt.all.contains(source) || self.dealt.owned.contains(source)
    }

    /// Whether the shard annotates article `id`, found in input `source` (`None` for a JSONL record).
    pub fn keeps(&self, source: Option<&str>, id: &str) -> bool {
        match source {
            Some(source) if self.dealt.all.contains(source) => self.dealt.owned.contains(source),
            _ => self.shard.contains(id),
        }
    }
}

/// Whether the input stream reads `path` as a dump file (stdin is not a file to deal out).
fn is_dump_file(path: &std::path::Path, format: InputFormat) -> bool {
    if path.as_os_str() == "-" {
        return false;
    }
    !format.reads_records(path)
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

    #[test]
    fn dump_files_are_dealt_whole_by_size_and_records_go_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let sizes = [900, 500, 400, 300, 100, 100];
        for (n, size) in sizes.iter().enumerate() {
            std::fs::write(dir.path().join(format!("d{n}.txt")), "x".repeat(*size)).unwrap();
        }
        std::fs::write(dir.path().join("records.jsonl"), "{}").unwrap();
        let paths = vec![dir.path().to_path_buf()];
        let plans: Vec<ShardPlan> = (0..2)
            .map(|i| {
                let shard = Shard { index: i, count: 2 };
                ShardPlan::dealing_dump_files(shard, &paths, InputFormat::Auto).unwrap()
            })
            .collect();
        let name = |n: usize| dir.path().join(format!("d{n}.txt")).display().to_string();
        let mut bytes = [0; 2];
        for (n, size) in sizes.iter().enumerate() {
            let owners: Vec<usize> = (0..2)
                .filter(|&s| plans[s].keeps(Some(&name(n)), "x#1"))
                .collect();
            assert_eq!(owners.len(), 1, "{} is dealt to {owners:?}", name(n));
            assert!((0..2).all(|s| plans[s].reads(&name(n)) == (s == owners[0])));
            bytes[owners[0]] += size;
        }
        // Largest first, each to the lighter shard: 900 + 300 against 500 + 400 + 100 + 100.
        assert_eq!(bytes, [1200, 1100]);
        let records = dir.path().join("records.jsonl").display().to_string();
        assert!(plans.iter().all(|p| p.reads(&records)));
        for id in ["a", "b", "c", "d", "e", "f", "g"] {
            let owners = (0..2).filter(|&s| plans[s].keeps(None, id)).count();
            assert_eq!(owners, 1);
            assert_eq!(plans[0].keeps(None, id), plans[0].keeps(Some("-"), id));
        }
    }
}
