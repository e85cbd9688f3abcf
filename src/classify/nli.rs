//! Zero-shot labels by natural language inference, as the Hugging Face zero-shot pipeline does: the article is
//! the premise, each label fills a hypothesis template ("This example is about {}."), and a sequence
//! classification checkpoint trained on MNLI (BART, RoBERTa, DeBERTa) says how much the premise entails it.

use super::deberta::{DebertaClassifier, DebertaConfig};
use super::{decide, Classifier, LabelSet, Prediction};
use crate::article::EmbeddedArticle;
use crate::checkpoint::{Architecture, Checkpoint, Task};
use crate::error::{Error, Result};
use rust_bert::bart::{BartConfig, BartForSequenceClassification};
use rust_bert::bert::BertConfig;
use rust_bert::pipelines::common::TokenizerOption;
use rust_bert::roberta::RobertaForSequenceClassification;
use rust_tokenizers::tokenizer::TruncationStrategy;
use std::collections::HashMap;
use std::path::PathBuf;
use tch::{nn::VarStore, Device, Kind, Tensor};

/// The HF zero-shot pipeline's hypothesis template.
pub const DEFAULT_HYPOTHESIS_TEMPLATE: &str = "This example is about {}.";

/// What decides the NLI labels; recorded in the output's run description.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NliOptions {
    /// The checkpoint folder.
    pub model_dir: PathBuf,
    /// The hypothesis, with `{}` where the label name goes.
    pub hypothesis_template: String,
    /// Score each label on its own (entailment against contradiction), so scores do not sum to 1; otherwise
    /// the labels' entailment logits go through one softmax, as for the embedding classifier.
    pub multi_label: bool,
    /// Premise–hypothesis pairs run through the model together.
    pub batch_size: usize,
}

impl NliOptions {
    /// Single-label options with the default template for the checkpoint in `model_dir`.
    pub fn new(model_dir: PathBuf) -> Self {
        NliOptions {
            model_dir,
            hypothesis_template: DEFAULT_HYPOTHESIS_TEMPLATE.to_string(),
            multi_label: false,
            batch_size: 8,
        }
    }
}

/// The NLI-relevant part of `config.json`.
#[derive(serde::Deserialize)]
struct NliConfig {
    label2id: Option<HashMap<String, i64>>,
    max_position_embeddings: Option<usize>,
    pad_token_id: Option<i64>,
}

/// The sequence classifiers of the supported families: rust-bert's for BART and RoBERTa, our own for DeBERTa
/// (whose rust-bert versions compute other logits than transformers; see `deberta.rs`). Boxed: they differ much
/// in size.
enum NliModel {
    Bart(Box<BartForSequenceClassification>),
    Roberta(Box<RobertaForSequenceClassification>),
    Deberta(Box<DebertaClassifier>),
}

impl NliModel {
    fn new(checkpoint: &Checkpoint, vs: &VarStore) -> Result<Self> {
        let root = vs.root();
        Ok(match checkpoint.architecture() {
            Architecture::Bart => NliModel::Bart(Box::new(BartForSequenceClassification::new(
                root,
                &checkpoint.config::<BartConfig>()?,
            )?)),
            Architecture::Roberta => NliModel::Roberta(Box::new(
                RobertaForSequenceClassification::new(root, &checkpoint.config::<BertConfig>()?)?,
            )),
            Architecture::Deberta | Architecture::DebertaV2 => NliModel::Deberta(Box::new(
                DebertaClassifier::new(&root, &checkpoint.config::<DebertaConfig>()?).map_err(
                    |message| Error::Model {
                        path: checkpoint.path().join("config.json"),
                        message,
                    },
                )?,
            )),
            other => {
                return Err(Error::Model {
                    path: checkpoint.path().to_path_buf(),
                    message: format!("{} is not a sequence classifier", other.name()),
                })
            }
        })
    }

    /// Class logits, one row per input.
    fn logits(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
        Ok(match self {
            NliModel::Bart(m) => {
                m.forward_t(ids, Some(mask), None, None, None, false)
                    .decoder_output
            }
            NliModel::Roberta(m) => {
                m.forward_t(Some(ids), Some(mask), None, None, None, false)
                    .logits
            }
            NliModel::Deberta(m) => m.logits(ids, mask)?,
        })
    }
}

/// Labels articles with an NLI checkpoint.
pub struct NliClassifier {
    model: NliModel,
    tokenizer: TokenizerOption,
    entailment: i64,
    contradiction: Option<i64>,
    pad_id: i64,
    window: usize,
    names: Vec<String>,
    hypotheses: Vec<String>,
    labels: LabelSet,
    options: NliOptions,
    // Keeps the weights alive for `model`.
    _vs: VarStore,
}

impl NliClassifier {
    /// Loads the checkpoint of `options.model_dir` and fills the template with each label's name. The
    /// entailment (and contradiction) class is found in `label2id` of `config.json`.
    pub fn load(options: &NliOptions, labels: &LabelSet) -> Result<Self> {
        if !options.hypothesis_template.contains("{}") {
            return Err(Error::Config(format!(
                "the hypothesis template `{}` has no `{{}}` for the label",
                options.hypothesis_template
            )));
        }
        if options.batch_size == 0 {
            return Err(Error::Config(
                "the NLI batch size must be at least 1".to_string(),
            ));
        }
        let checkpoint = Checkpoint::open(&options.model_dir, Task::Nli)?;
        let config: NliConfig = checkpoint.config()?;
        let label2id = config.label2id.unwrap_or_default();
        let class = |prefix: &str| {
            label2id
                .iter()
                .find(|(name, _)| name.to_lowercase().starts_with(prefix))
                .map(|(_, &id)| id)
        };
        let entailment = class("entail").ok_or_else(|| Error::Model {
            path: checkpoint.path().to_path_buf(),
            message: "config.json label2id has no entailment label: not an NLI model".to_string(),
        })?;
        let mut vs = VarStore::new(Device::Cpu);
        let model = NliModel::new(&checkpoint, &vs)?;
        checkpoint.load_into(&mut vs)?;
        vs.freeze();
        let tokenizer = checkpoint.tokenizer()?;
        // RoBERTa numbers positions from pad_token_id + 1, which takes two of its position embeddings.
        let reserved = match checkpoint.architecture() {
            Architecture::Roberta => 2,
            _ => 0,
        };
        let window = config
            .max_position_embeddings
            .unwrap_or(512)
            .saturating_sub(reserved);
        let names: Vec<String> = labels.labels.iter().map(|l| l.name.clone()).collect();
        let hypotheses = names
            .iter()
            .map(|name| options.hypothesis_template.replace("{}", name))
            .collect();
        Ok(NliClassifier {
            model,
            entailment,
            contradiction: class("contradict"),
            pad_id: tokenizer
                .get_pad_id()
                .or(config.pad_token_id)
                .unwrap_or_default(),
            tokenizer,
            window,
            names,
            hypotheses,
            labels: labels.clone(),
            options: options.clone(),
            _vs: vs,
        })
    }

    fn encode(&self, premise: &str, hypothesis: &str) -> Vec<i64> {
        self.tokenizer
            .encode_pair_list(
                &[(premise, hypothesis)],
                usize::MAX,
                &TruncationStrategy::DoNotTruncate,
                0,
            )
            .into_iter()
            .next()
            .map(|input| input.token_ids)
            .unwrap_or_default()
    }

    /// The premise for an article: its title and text, cut after the most words that fit the model window
    /// with the longest hypothesis (as the HF pipeline truncates the premise only).
    fn premise(&self, article: &EmbeddedArticle) -> String {
        let full = match &article.article.title {
            Some(title) => format!("{title}\n{}", article.article.text),
            None => article.article.text.clone(),
        };
        let longest = self
            .hypotheses
            .iter()
            .max_by_key(|h| h.len())
            .map_or("", String::as_str);
        if self.encode(&full, longest).len() <= self.window {
            return full;
        }
        let words: Vec<&str> = full.split_whitespace().collect();
        let (mut fits, mut too_long) = (0, words.len());
        while too_long - fits > 1 {
            let middle = (fits + too_long) / 2;
            if self.encode(&words[..middle].join(" "), longest).len() <= self.window {
                fits = middle;
            } else {
                too_long = middle;
            }
        }
        words[..fits].join(" ")
    }

    /// The class logits of premise–hypothesis pairs, in the order of `id2label`: the raw output behind the
    /// scores, for comparison with another implementation of the same checkpoint.
    pub fn logits(&self, pairs: &[(&str, &str)]) -> Result<Vec<Vec<f32>>> {
        let encoded: Vec<Vec<i64>> = pairs
            .iter()
            .map(|(premise, hypothesis)| self.encode(premise, hypothesis))
            .collect();
        self.pair_logits(&encoded)
    }

    /// The token ids the model reads for a premise–hypothesis pair.
    pub fn input_ids(&self, premise: &str, hypothesis: &str) -> Vec<i64> {
        self.encode(premise, hypothesis)
    }

    /// Logits of every pair, batched by similar length; rows in input order.
    fn pair_logits(&self, pairs: &[Vec<i64>]) -> Result<Vec<Vec<f32>>> {
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        order.sort_by_key(|&i| pairs[i].len());
        let mut rows = vec![Vec::new(); pairs.len()];
        for batch in order.chunks(self.options.batch_size) {
            let longest = batch.iter().map(|&i| pairs[i].len()).max().unwrap_or(0);
            let mut ids = Vec::with_capacity(batch.len() * longest);
            let mut mask = Vec::with_capacity(batch.len() * longest);
            for &i in batch {
                let padding = longest - pairs[i].len();
                ids.extend(&pairs[i]);
                ids.extend(std::iter::repeat_n(self.pad_id, padding));
                mask.extend(std::iter::repeat_n(1i64, pairs[i].len()));
                mask.extend(std::iter::repeat_n(0i64, padding));
            }
            let shape = [batch.len() as i64, longest as i64];
            let logits = tch::no_grad(|| {
                self.model.logits(
                    &Tensor::from_slice(&ids).view(shape),
                    &Tensor::from_slice(&mask).view(shape),
                )
            })?
            .to_kind(Kind::Float);
            let classes = logits.size().last().copied().unwrap_or(0) as usize;
            let flat = Vec::<f32>::try_from(logits.contiguous().view(-1))?;
            for (&i, row) in batch.iter().zip(flat.chunks(classes.max(1))) {
                rows[i] = row.to_vec();
            }
        }
        Ok(rows)
    }

    fn class_logit(&self, row: &[f32], class: i64) -> Result<f32> {
        row.get(class as usize)
            .copied()
            .ok_or_else(|| Error::Model {
                path: self.options.model_dir.clone(),
                message: format!(
                    "label2id names class {class}, but the model has {} classes",
                    row.len()
                ),
            })
    }

    /// A label's score in multi-label mode: entailment against contradiction (against all classes when the
    /// model has no contradiction class).
    fn multi_label_score(&self, row: &[f32]) -> Result<f32> {
        let entailment = self.class_logit(row, self.entailment)?;
        let competing: Vec<f32> = match self.contradiction {
            Some(contradiction) => vec![self.class_logit(row, contradiction)?, entailment],
            None => row.to_vec(),
        };
        let top = competing.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let total: f32 = competing.iter().map(|l| (l - top).exp()).sum();
        Ok((entailment - top).exp() / total)
    }

    fn predict(&self, rows: &[Vec<f32>]) -> Result<Prediction> {
        if !self.options.multi_label {
            let entailment = rows
                .iter()
                .map(|row| self.class_logit(row, self.entailment))
                .collect::<Result<Vec<f32>>>()?;
            return Ok(decide(
                &self.names,
                &entailment,
                1.0,
                self.labels.min_score,
                &self.labels.fallback,
            ));
        }
        let scores = rows
            .iter()
            .map(|row| self.multi_label_score(row))
            .collect::<Result<Vec<f32>>>()?;
        let best =
            (0..scores.len()).fold(0, |best, i| if scores[i] > scores[best] { i } else { best });
        let label = match scores.get(best) {
            Some(&score) if score >= self.labels.min_score => self.names[best].clone(),
            _ => self.labels.fallback.clone(),
        };
        Ok(Prediction {
            label,
            scores: self.names.iter().cloned().zip(scores).collect(),
        })
    }
}

impl Classifier for NliClassifier {
    fn classify(&mut self, articles: &[EmbeddedArticle]) -> Result<Vec<Prediction>> {
        let mut pairs = Vec::with_capacity(articles.len() * self.hypotheses.len());
        for article in articles {
            let premise = self.premise(article);
            pairs.extend(self.hypotheses.iter().map(|h| self.encode(&premise, h)));
        }
        let rows = self.pair_logits(&pairs)?;
        rows.chunks(self.hypotheses.len().max(1))
            .map(|article_rows| self.predict(article_rows))
            .collect()
    }
}
