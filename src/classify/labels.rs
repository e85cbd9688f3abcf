//! The label set: names, the descriptions a zero-shot classifier compares articles with, and the fallback.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One topic label and the texts that describe it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelSpec {
    /// The label written to the output, such as `conflict`.
    pub name: String,
    /// Short descriptions of stories that carry this label; the classifier compares articles with them.
    pub descriptions: Vec<String>,
}

/// The labels an article may get, and when to give none of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelSet {
    /// The label given when no label is confident enough (default `other`).
    #[serde(default = "default_fallback")]
    pub fallback: String,
    /// The lowest top score (scores sum to 1 over `labels`) that still assigns a label; below it, `fallback`.
    #[serde(default = "default_min_score")]
    pub min_score: f32,
    /// Softmax temperature over cosine similarities: lower makes scores more decisive.
    #[serde(default = "default_temperature")]
    pub temperature: f32,
    /// Descriptions of stories that fit none of the labels. When given, the fallback competes with the labels
    /// as one more class (and gets a score); without them it is given only below `min_score`.
    #[serde(default)]
    pub fallback_descriptions: Vec<String>,
    /// The labels, in output order.
    #[serde(rename = "label")]
    pub labels: Vec<LabelSpec>,
}

fn default_fallback() -> String {
    "other".to_string()
}

fn default_min_score() -> f32 {
    0.5
}

/// Chosen on the dev articles: 0.03 gave the lowest log-loss of the true label (0.133, against 0.160 at 0.02
/// and 0.165 at 0.05) at the same accuracy.
fn default_temperature() -> f32 {
    0.03
}

/// The built-in label set, in the file format of `--labels`.
pub const DEFAULT_LABELS_TOML: &str = include_str!("default_labels.toml");

impl Default for LabelSet {
    fn default() -> Self {
        toml::from_str(DEFAULT_LABELS_TOML).expect("the built-in label set is valid TOML")
    }
}

/// Longest description kept, in characters: the embedding model reads at most 256 tokens (about 1,000
/// characters of English) of a text, so a longer description only costs time and memory.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;

/// The range `min_score` must be in: scores are probabilities.
const MIN_SCORE_RANGE: (f64, f64) = (0.0, 1.0);

/// The range `temperature` must be in: below it the softmax overflows, above it every score is the same.
const TEMPERATURE_RANGE: (f64, f64) = (0.001, 100.0);

impl LabelSet {
    /// Reads a label set from a `.toml` or `.json` file; see [`LabelSet::from_file_with_warnings`].
    pub fn from_file(path: &Path) -> Result<Self> {
        Self::from_file_with_warnings(path).map(|(set, _)| set)
    }

    /// Reads a label set from a `.toml` or `.json` file: unknown keys, duplicate names and values out of range
    /// are errors naming the file; descriptions longer than [`MAX_DESCRIPTION_CHARS`] are cut, each with a
    /// warning returned beside the set.
    pub fn from_file_with_warnings(path: &Path) -> Result<(Self, Vec<String>)> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let parsed: Self = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => serde_json::from_str(&text)
                .map_err(|e| Error::Config(format!("{}: {e}", path.display())))?,
            _ => toml::from_str(&text)
                .map_err(|e| Error::Config(format!("{}: {e}", path.display())))?,
        };
        let mut set = parsed
            .validated()
            .map_err(|message| Error::Config(format!("{}: {message}", path.display())))?;
        let warnings = set.cut_long_descriptions();
        let warnings = warnings
            .into_iter()
            .map(|w| format!("{}: {w}", path.display()))
            .collect();
        Ok((set, warnings))
    }

    /// The set with `min_score` replaced, refused outside 0 to 1.
    pub fn with_min_score(mut self, min_score: f32) -> Result<Self> {
        let (low, high) = MIN_SCORE_RANGE;
        crate::limits::check_range("--min-score", f64::from(min_score), low, high)?;
        self.min_score = min_score;
        Ok(self)
    }

    pub(crate) fn validated(self) -> Result<Self, String> {
        if self.labels.is_empty() {
            return Err("the label set has no labels".to_string());
        }
        let mut seen = std::collections::HashSet::new();
        for label in &self.labels {
            if label.descriptions.is_empty() {
                return Err(format!("label `{}` has no descriptions", label.name));
            }
            if label.name == self.fallback {
                return Err(format!("label `{}` is also the fallback", label.name));
            }
            if !seen.insert(label.name.as_str()) {
                return Err(format!("two labels are named `{}`", label.name));
            }
        }
        let (low, high) = MIN_SCORE_RANGE;
        crate::limits::check_range("min_score", f64::from(self.min_score), low, high)
            .map_err(|e| e.to_string())?;
        let (low, high) = TEMPERATURE_RANGE;
        crate::limits::check_range("temperature", f64::from(self.temperature), low, high)
            .map_err(|e| e.to_string())?;
        Ok(self)
    }

    /// Cuts descriptions longer than [`MAX_DESCRIPTION_CHARS`]; returns a warning for each.
    fn cut_long_descriptions(&mut self) -> Vec<String> {
        let mut warnings = Vec::new();
        let fallback = (self.fallback.clone(), &mut self.fallback_descriptions);
        let labels = self
            .labels
            .iter_mut()
            .map(|l| (l.name.clone(), &mut l.descriptions));
        for (name, descriptions) in labels.chain([fallback]) {
            for (i, description) in descriptions.iter_mut().enumerate() {
                if let Some((cut, _)) = description.char_indices().nth(MAX_DESCRIPTION_CHARS) {
                    warnings.push(format!(
                        "description {} of `{name}` is {} characters long: cut to {MAX_DESCRIPTION_CHARS}",
                        i + 1,
                        description.chars().count()
                    ));
                    description.truncate(cut);
                }
            }
        }
        warnings
    }

    /// The label names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.labels.iter().map(|l| l.name.as_str()).collect()
    }

    /// The classes that compete for an article: the labels, plus the fallback when it has descriptions.
    pub fn classes(&self) -> Vec<LabelSpec> {
        let mut classes = self.labels.clone();
        if !self.fallback_descriptions.is_empty() {
            classes.push(LabelSpec {
                name: self.fallback.clone(),
                descriptions: self.fallback_descriptions.clone(),
            });
        }
        classes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_set_has_the_three_topics_and_other() {
        let set = LabelSet::default();
        assert_eq!(set.names(), ["conflict", "humanitarian", "disaster"]);
        assert_eq!(set.fallback, "other");
        assert!(set.clone().validated().is_ok());
    }

    #[test]
    fn files_in_toml_and_json_load_and_bad_ones_name_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("labels.json");
        std::fs::write(
            &json,
            r#"{"fallback": "none", "label": [{"name": "sports", "descriptions": ["a match"]}]}"#,
        )
        .unwrap();
        let set = LabelSet::from_file(&json).unwrap();
        assert_eq!(set.names(), ["sports"]);
        assert_eq!(set.min_score, 0.5);

        let toml = dir.path().join("labels.toml");
        std::fs::write(&toml, "[[label]]\nname = \"x\"\ndescriptions = []\n").unwrap();
        let err = LabelSet::from_file(&toml).unwrap_err().to_string();
        assert!(
            err.contains("labels.toml") && err.contains("no descriptions"),
            "{err}"
        );
    }

    /// Writes `text` as a label file and reads it: the error, or the warnings.
    fn load(text: &str) -> std::result::Result<Vec<String>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.toml");
        std::fs::write(&path, text).unwrap();
        LabelSet::from_file_with_warnings(&path)
            .map(|(_, warnings)| warnings)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn unknown_keys_duplicates_and_values_out_of_range_are_errors() {
        let label = |name: &str| format!("[[label]]\nname = \"{name}\"\ndescriptions = [\"d\"]\n");
        let colour = format!("{}colour = \"red\"\n", label("a"));
        assert!(load(&colour).unwrap_err().contains("colour"));
        let twice = format!("{}{}", label("a"), label("a"));
        assert!(load(&twice)
            .unwrap_err()
            .contains("two labels are named `a`"));
        for (key, value) in [
            ("min_score", "nan"),
            ("min_score", "2.0"),
            ("min_score", "-1.0"),
            ("temperature", "1e308"),
            ("temperature", "0.0"),
            ("temperature", "inf"),
        ] {
            let err = load(&format!("{key} = {value}\n{}", label("a"))).unwrap_err();
            assert!(
                err.contains(key) && err.contains("must be a number from"),
                "{err}"
            );
        }
        assert!(LabelSet::default().with_min_score(f32::NAN).is_err());
        assert_eq!(
            LabelSet::default().with_min_score(0.3).unwrap().min_score,
            0.3
        );
    }

    #[test]
    fn a_huge_description_is_cut_with_a_warning() {
        let huge = "flood ".repeat(100_000);
        let warnings = load(&format!(
            "[[label]]\nname = \"a\"\ndescriptions = [\"short\", \"{huge}\"]\n"
        ))
        .unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("description 2 of `a` is 600000 characters long"),
            "{}",
            warnings[0]
        );
    }
}
