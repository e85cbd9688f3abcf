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
    /// Short descriptions of stories that carry this label; the classifier compares articles with them. When
    /// empty (a label given by its name only), the label set's `templates` around the name stand in for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub descriptions: Vec<String>,
    /// Added to the label's similarity (a cosine) before the softmax: a prior that favours the label (above 0)
    /// or holds it back (below 0). `newsdigest calibrate` sets it for labels given by name only, from the
    /// articles of a corpus (see [`crate::classify::calibrate`]); 0 by default. The zero-shot classifier (and a
    /// head's zero-shot base) use it; NLI entailment scores do not.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub offset: f32,
}

fn is_zero(value: &f32) -> bool {
    *value == 0.0
}

/// Where a label set's offsets came from: written by `newsdigest calibrate`, so a run's output and a reader of
/// the file can tell a calibrated label set, and the model its similarities were measured with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// The number of articles whose similarities set the offsets.
    pub articles: usize,
    /// The sha256 of the embedding model's weights the similarities were measured with.
    pub model_sha256: String,
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
    /// The lowest score at which a further label joins the top one in an article's `labels` (see
    /// [`LabelSet::assigned`]).
    #[serde(default = "default_secondary_min_score")]
    pub secondary_min_score: f32,
    /// Softmax temperature over cosine similarities: lower makes scores more decisive.
    #[serde(default = "default_temperature")]
    pub temperature: f32,
    /// Descriptions of stories that fit none of the labels. When given, the fallback competes with the labels
    /// as one more class (and gets a score); without them it is given only below `min_score`.
    #[serde(default)]
    pub fallback_descriptions: Vec<String>,
    /// Sentences with a `{name}` placeholder that turn the name of a label without descriptions into its
    /// descriptions (default [`DEFAULT_TEMPLATES`]).
    #[serde(default = "default_templates")]
    pub templates: Vec<String>,
    /// Set by `newsdigest calibrate`: the corpus sample and model behind the labels' offsets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
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

/// A second label must take a quarter of the softmax mass, which a story split between two topics does and a
/// clear one does not. A round value, not a tuned one: on the dev articles (12 of 48 with a second gold label)
/// every threshold from 0.2 to 0.4 gave the same label-set F1 within 0.01.
fn default_secondary_min_score() -> f32 {
    0.25
}

/// The templates that make descriptions of labels given by name only. Several phrasings, because one phrasing
/// carries its own bias; a label's similarity pools its closest descriptions (see
/// [`crate::classify::EmbeddingClassifier`]). Chosen on one half of the ReliefWeb themes (names only): four
/// templates gave 0.361 top-label accuracy there against 0.343 for the bare name (0.450 and 0.417 on the
/// other half).
pub const DEFAULT_TEMPLATES: [&str; 4] = [
    "This news story is about {name}.",
    "This article is about {name}.",
    "News about {name}.",
    "A report on {name}.",
];

fn default_templates() -> Vec<String> {
    DEFAULT_TEMPLATES.iter().map(|t| t.to_string()).collect()
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

/// The range a label's `offset` must be in: cosine similarities differ by at most 2.
const OFFSET_RANGE: (f64, f64) = (-2.0, 2.0);

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
        if self.templates.iter().any(|t| !t.contains("{name}")) {
            return Err("every template needs a `{name}` placeholder".to_string());
        }
        let mut seen = std::collections::HashSet::new();
        for label in &self.labels {
            if label.descriptions.is_empty() && self.templates.is_empty() {
                return Err(format!(
                    "label `{}` has no descriptions and there are no templates to make them from its name",
                    label.name
                ));
            }
            if label.name == self.fallback {
                return Err(format!("label `{}` is also the fallback", label.name));
            }
            if !seen.insert(label.name.as_str()) {
                return Err(format!("two labels are named `{}`", label.name));
            }
            let (low, high) = OFFSET_RANGE;
            crate::limits::check_range(
                &format!("the offset of `{}`", label.name),
                f64::from(label.offset),
                low,
                high,
            )
            .map_err(|e| e.to_string())?;
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

    /// The descriptions a label is compared by: its own, or, for a label given by name only, the templates
    /// filled with its name.
    pub fn descriptions_of(&self, label: &LabelSpec) -> Vec<String> {
        if label.descriptions.is_empty() {
            self.templates
                .iter()
                .map(|t| t.replace("{name}", &label.name))
                .collect()
        } else {
            label.descriptions.clone()
        }
    }

    /// The classes that compete for an article, each with the descriptions it is compared by: the labels, plus
    /// the fallback when it has descriptions.
    pub fn classes(&self) -> Vec<LabelSpec> {
        let mut classes: Vec<LabelSpec> = self
            .labels
            .iter()
            .map(|label| LabelSpec {
                name: label.name.clone(),
                descriptions: self.descriptions_of(label),
                offset: label.offset,
            })
            .collect();
        if !self.fallback_descriptions.is_empty() {
            classes.push(LabelSpec {
                name: self.fallback.clone(),
                descriptions: self.fallback_descriptions.clone(),
                offset: 0.0,
            });
        }
        classes
    }

    /// The labels assigned to an article given its prediction: the top label, then, unless the top label is
    /// the fallback, every other label (never the fallback) whose score reaches `secondary_min_score`, in
    /// score order (ties in name order). Works on any classifier's scores (a trained head's labels too).
    pub fn assigned(
        &self,
        label: &str,
        scores: &std::collections::BTreeMap<String, f32>,
    ) -> Vec<String> {
        assigned_labels(label, scores, &self.fallback, self.secondary_min_score)
    }
}

/// The labels of [`LabelSet::assigned`], for any classifier's top label and scores.
pub fn assigned_labels(
    label: &str,
    scores: &std::collections::BTreeMap<String, f32>,
    fallback: &str,
    secondary_min_score: f32,
) -> Vec<String> {
    let mut assigned = vec![label.to_string()];
    if label == fallback {
        return assigned;
    }
    let mut further: Vec<(&String, &f32)> = scores
        .iter()
        .filter(|(name, score)| {
            name.as_str() != label && name.as_str() != fallback && **score >= secondary_min_score
        })
        .collect();
    further.sort_by(|a, b| b.1.total_cmp(a.1));
    assigned.extend(further.into_iter().map(|(name, _)| name.clone()));
    assigned
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
        std::fs::write(
            &toml,
            "templates = []\n[[label]]\nname = \"x\"\ndescriptions = []\n",
        )
        .unwrap();
        let err = LabelSet::from_file(&toml).unwrap_err().to_string();
        assert!(
            err.contains("labels.toml") && err.contains("no descriptions"),
            "{err}"
        );
        std::fs::write(
            &toml,
            "templates = [\"About it.\"]\n[[label]]\nname = \"x\"\n",
        )
        .unwrap();
        let err = LabelSet::from_file(&toml).unwrap_err().to_string();
        assert!(err.contains("{name}"), "{err}");
    }

    #[test]
    fn names_only_labels_get_descriptions_from_the_templates() {
        let set: LabelSet = toml::from_str(
            "templates = [\"News about {name}.\", \"{name}\"]\n\
             [[label]]\nname = \"Food and Nutrition\"\n\
             [[label]]\nname = \"Health\"\ndescriptions = [\"Hospitals and clinics.\"]\n",
        )
        .unwrap();
        let set = set.validated().unwrap();
        let classes = set.classes();
        assert_eq!(
            classes[0].descriptions,
            ["News about Food and Nutrition.", "Food and Nutrition"]
        );
        assert_eq!(classes[1].descriptions, ["Hospitals and clinics."]);
        let defaults: LabelSet = toml::from_str("[[label]]\nname = \"Gender\"\n").unwrap();
        assert_eq!(
            defaults.classes()[0].descriptions[0],
            "This news story is about Gender."
        );
    }

    #[test]
    fn assigned_labels_are_the_top_one_then_those_above_the_secondary_score() {
        let set = LabelSet::default();
        let scores = |pairs: &[(&str, f32)]| {
            pairs
                .iter()
                .map(|(l, s)| (l.to_string(), *s))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let split = scores(&[
            ("conflict", 0.3),
            ("humanitarian", 0.55),
            ("disaster", 0.05),
            ("other", 0.1),
        ]);
        assert_eq!(
            set.assigned("humanitarian", &split),
            ["humanitarian", "conflict"]
        );
        let unsure = scores(&[
            ("conflict", 0.3),
            ("humanitarian", 0.3),
            ("disaster", 0.3),
            ("other", 0.1),
        ]);
        assert_eq!(set.assigned("other", &unsure), ["other"]);
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
