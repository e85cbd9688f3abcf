//! Helpers for tests on the transformers-made checkpoints of tests/data/checkpoints
//! (scripts/make-checkpoint-fixtures): copying a folder, and editing its JSON files and weights to make the
//! variants a user may have (renamed tied tensors, missing tensors, other class names, broken configs).

use serde_json::Value;
use std::path::{Path, PathBuf};
use tch::Tensor;

/// A fixture folder of tests/data/checkpoints.
pub fn fixture(name: &str) -> PathBuf {
    super::project_path(&format!("tests/data/checkpoints/{name}"))
}

/// What transformers computed with the fixtures, loaded back from their folders: input ids, generated token
/// ids and NLI logits on fixed inputs (`references.json`).
pub fn references() -> Value {
    read_json(&fixture("references.json"))
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
