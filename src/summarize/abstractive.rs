//! Abstractive summaries written by a local sequence-to-sequence checkpoint (BART, DistilBART, T5, Pegasus)
//! through rust-bert's generation utilities, with the generation settings of the Hugging Face summarisation
//! pipeline.
//!
//! Nothing is silently cut: an article longer than the model's input window is split on sentence boundaries
//! into pieces that fit, each piece is summarised, and the piece summaries are joined, or summarised again
//! while the joined text is longer than the summary bound. Pieces of all the articles of a call are sorted by
//! length and generated in batches; results come back in article order.

use super::chunking::{pack, Piece};
use super::{Summarizer, Summary};
use crate::article::EmbeddedArticle;
use crate::checkpoint::{Architecture, Checkpoint, Task};
use crate::error::{Error, Result};
use rust_bert::bart::{BartConfig, BartForConditionalGeneration, BartGenerator};
use rust_bert::pegasus::{
    PegasusConditionalGenerator, PegasusConfig, PegasusForConditionalGeneration,
};
use rust_bert::pipelines::common::{ModelResource, TokenizerOption};
use rust_bert::pipelines::generation_utils::{GenerateConfig, LanguageGenerator};
use rust_bert::resources::LocalResource;
use rust_bert::t5::{T5Config, T5ForConditionalGeneration, T5Generator};
use rust_tokenizers::tokenizer::TruncationStrategy;
use std::path::PathBuf;
use tch::{nn::VarStore, Device};

/// Input window used when `config.json` gives no position limit (T5's relative positions): T5's training length.
const DEFAULT_WINDOW: usize = 512;

/// The task prefix T5 needs when its config does not name one: T5 is multi-task and picks the task from it.
const T5_SUMMARY_PREFIX: &str = "summarize: ";

/// Beam-search settings of the HF summarisation pipeline. Each is optional so that layers can be stacked:
/// `config.json`, then `generation_config.json`, then `task_specific_params.summarization`, then the options
/// given to the tool; what no layer sets takes the HF default (1 beam, length penalty 1, lengths 0..20, no
/// n-gram blocking, no early stopping).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GenerationSettings {
    /// Beams of the beam search (1 is greedy decoding).
    pub num_beams: Option<i64>,
    /// Exponent of the length normalisation of beam scores; above 1 favours longer summaries.
    pub length_penalty: Option<f64>,
    /// Fewest tokens generated (the end token is blocked before).
    pub min_length: Option<i64>,
    /// Most tokens generated.
    pub max_length: Option<i64>,
    /// No n-gram of this size is generated twice (0 turns it off).
    pub no_repeat_ngram_size: Option<i64>,
    /// Stop the beam search once `num_beams` finished hypotheses exist.
    pub early_stopping: Option<bool>,
}

impl GenerationSettings {
    /// These settings, with the unset ones taken from `below`.
    pub fn over(self, below: GenerationSettings) -> GenerationSettings {
        GenerationSettings {
            num_beams: self.num_beams.or(below.num_beams),
            length_penalty: self.length_penalty.or(below.length_penalty),
            min_length: self.min_length.or(below.min_length),
            max_length: self.max_length.or(below.max_length),
            no_repeat_ngram_size: self.no_repeat_ngram_size.or(below.no_repeat_ngram_size),
            early_stopping: self.early_stopping.or(below.early_stopping),
        }
    }
}

/// What decides the abstractive summaries; recorded in the output's run description.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AbstractiveOptions {
    /// The checkpoint folder.
    pub model_dir: PathBuf,
    /// Settings that override the checkpoint's own.
    pub generation: GenerationSettings,
    /// Pieces generated together in one batch.
    pub batch_size: usize,
    /// A smaller input window than the model's (tokens), to trade context for speed.
    pub max_input_tokens: Option<usize>,
}

impl AbstractiveOptions {
    /// Options for the checkpoint in `model_dir` with its own generation settings.
    pub fn new(model_dir: PathBuf) -> Self {
        AbstractiveOptions {
            model_dir,
            generation: GenerationSettings::default(),
            batch_size: 4,
            max_input_tokens: None,
        }
    }
}

/// The summarisation-relevant part of `config.json`.
#[derive(serde::Deserialize)]
struct SummaryConfig {
    #[serde(flatten)]
    generation: GenerationSettings,
    max_position_embeddings: Option<usize>,
    n_positions: Option<usize>,
}

/// `task_specific_params.summarization` of `config.json`: what the HF summarisation pipeline applies.
#[derive(serde::Deserialize)]
struct SummarizationParams {
    #[serde(flatten)]
    generation: GenerationSettings,
    prefix: Option<String>,
}

/// rust-bert's generators of the supported families.
enum Generator {
    Bart(BartGenerator),
    T5(T5Generator),
    Pegasus(PegasusConditionalGenerator),
}

impl Generator {
    fn tokenizer(&self) -> &TokenizerOption {
        match self {
            Generator::Bart(g) => g.get_tokenizer(),
            Generator::T5(g) => g.get_tokenizer(),
            Generator::Pegasus(g) => g.get_tokenizer(),
        }
    }

    /// The generated token ids of each text.
    fn generate(&self, texts: &[&str]) -> Result<Vec<Vec<i64>>> {
        let outputs = tch::no_grad(|| match self {
            Generator::Bart(g) => g.generate_indices(Some(texts), None),
            Generator::T5(g) => g.generate_indices(Some(texts), None),
            Generator::Pegasus(g) => g.generate_indices(Some(texts), None),
        })?;
        Ok(outputs.into_iter().map(|o| o.indices).collect())
    }
}

/// Summarises with a local seq2seq checkpoint.
pub struct AbstractiveSummarizer {
    generator: Generator,
    /// The end token greedy decoding must end on at `max_length`, where rust-bert does not force it itself.
    forced_eos: Option<i64>,
    prefix: String,
    window: usize,
    max_length: usize,
    batch_size: usize,
}

impl AbstractiveSummarizer {
    /// Loads the checkpoint of `options.model_dir`; an incomplete or unsupported folder, or settings the
    /// generator cannot use, fail with an error that says which.
    pub fn load(options: &AbstractiveOptions) -> Result<Self> {
        let checkpoint = Checkpoint::open(&options.model_dir, Task::Summary)?;
        let config: SummaryConfig = checkpoint.config()?;
        let generation_file: Option<GenerationSettings> =
            checkpoint.optional_json("generation_config.json")?;
        let task = checkpoint.task_params::<SummarizationParams>("summarization")?;
        let (task_generation, task_prefix) = match task {
            Some(params) => (params.generation, params.prefix),
            None => (GenerationSettings::default(), None),
        };
        let settings = options.generation.clone().over(
            task_generation.over(generation_file.unwrap_or_default().over(config.generation)),
        );
        let resolved = Resolved::from(settings)?;
        let model_window = config
            .max_position_embeddings
            .or(config.n_positions)
            .unwrap_or(DEFAULT_WINDOW);
        let window = options
            .max_input_tokens
            .map_or(model_window, |w| w.min(model_window));
        if resolved.max_length as usize * 2 > window {
            return Err(Error::Config(format!(
                "summary max_length {} must be at most half the input window ({window} tokens), so that \
                 summaries of long articles can be summarised again",
                resolved.max_length
            )));
        }
        if options.batch_size == 0 {
            return Err(Error::Config(
                "the summary batch size must be at least 1".to_string(),
            ));
        }
        let prefix = match (task_prefix, checkpoint.architecture()) {
            (Some(prefix), _) => prefix,
            (None, Architecture::T5) => T5_SUMMARY_PREFIX.to_string(),
            (None, _) => String::new(),
        };
        let forced_eos = unforced_eos(&checkpoint)?;
        let generator = build_generator(&checkpoint, &resolved, forced_eos.is_some())?;
        Ok(AbstractiveSummarizer {
            generator,
            forced_eos,
            prefix,
            window,
            max_length: resolved.max_length as usize,
            batch_size: options.batch_size,
        })
    }

    /// The input window in tokens: longer articles are summarised in pieces.
    pub fn window(&self) -> usize {
        self.window
    }

    /// Tokens the model reads for `text`, with the task prefix and special tokens.
    pub fn input_tokens(&self, text: &str) -> usize {
        self.token_count(&format!("{}{text}", self.prefix))
    }

    fn token_count(&self, text: &str) -> usize {
        self.token_ids(text).len()
    }

    fn token_ids(&self, text: &str) -> Vec<i64> {
        self.generator
            .tokenizer()
            .encode_list(&[text], usize::MAX, &TruncationStrategy::DoNotTruncate, 0)
            .into_iter()
            .next()
            .map_or_else(Vec::new, |input| input.token_ids)
    }

    /// The token ids the model reads for `text` (task prefix and special tokens included), for comparison with
    /// another implementation of the same checkpoint.
    pub fn input_ids(&self, text: &str) -> Vec<i64> {
        self.token_ids(&format!("{}{text}", self.prefix))
    }

    /// The token ids generated for each text, as one batch, starting with the decoder's start token: the raw
    /// output behind the summaries, for comparison with another implementation of the same checkpoint. A text
    /// longer than the input window is an error here (summaries cut such texts into pieces first).
    pub fn generate_ids(&self, texts: &[&str]) -> Result<Vec<Vec<i64>>> {
        let prompts: Vec<String> = texts
            .iter()
            .map(|text| format!("{}{text}", self.prefix))
            .collect();
        if let Some((index, tokens)) = prompts
            .iter()
            .map(|prompt| self.token_count(prompt))
            .enumerate()
            .find(|&(_, tokens)| tokens > self.window)
        {
            return Err(Error::Config(format!(
                "text {index} has {tokens} tokens, more than the model's input window of {} tokens",
                self.window
            )));
        }
        let prompts: Vec<&str> = prompts.iter().map(String::as_str).collect();
        self.generate(&prompts)
    }

    /// The generated token ids of each prompt, ending on the forced end token as transformers' do.
    fn generate(&self, prompts: &[&str]) -> Result<Vec<Vec<i64>>> {
        let mut outputs = self.generator.generate(prompts)?;
        if let Some(eos) = self.forced_eos {
            for ids in &mut outputs {
                if !ids.iter().skip(1).any(|&id| id == eos) {
                    ids.push(eos);
                }
            }
        }
        Ok(outputs)
    }

    /// Summaries of `texts`, generated in batches of similar length; results in input order.
    fn generate_sorted(&self, texts: &[String]) -> Result<Vec<String>> {
        let prompts: Vec<String> = texts
            .iter()
            .map(|text| format!("{}{text}", self.prefix))
            .collect();
        let lengths: Vec<usize> = prompts.iter().map(|p| self.token_count(p)).collect();
        let mut order: Vec<usize> = (0..prompts.len()).collect();
        order.sort_by_key(|&i| lengths[i]);
        let mut summaries = vec![String::new(); prompts.len()];
        for batch in order.chunks(self.batch_size) {
            let inputs: Vec<&str> = batch.iter().map(|&i| prompts[i].as_str()).collect();
            for (&i, ids) in batch.iter().zip(self.generate(&inputs)?) {
                summaries[i] = self
                    .generator
                    .tokenizer()
                    .decode(&ids, true, true)
                    .trim()
                    .to_string();
            }
        }
        Ok(summaries)
    }
}

impl Summarizer for AbstractiveSummarizer {
    fn summarize(&mut self, articles: &[EmbeddedArticle]) -> Result<Vec<Summary>> {
        let count = |text: &str| self.input_tokens(text);
        let mut summaries: Vec<Summary> = articles
            .iter()
            .map(|_| Summary {
                text: String::new(),
                chunks: 0,
                truncated: false,
            })
            .collect();
        // Per article still being summarised: the texts to summarise in this round.
        let mut pending: Vec<(usize, Vec<String>)> = articles
            .iter()
            .enumerate()
            .filter(|(_, article)| !article.sentences.is_empty())
            .map(|(i, article)| (i, article.sentences.clone()))
            .collect();
        let mut first_round = true;
        while !pending.is_empty() {
            let pieces: Vec<Vec<Piece>> = pending
                .iter()
                .map(|(_, units)| pack(units, self.window, &count))
                .collect();
            for ((article, _), pieces) in pending.iter().zip(&pieces) {
                let summary = &mut summaries[*article];
                summary.truncated |= pieces.iter().any(|p| p.truncated);
                if first_round {
                    summary.chunks = pieces.len();
                }
            }
            let texts: Vec<String> = pieces.iter().flatten().map(|p| p.text.clone()).collect();
            let mut generated = self.generate_sorted(&texts)?.into_iter();
            let mut next = Vec::new();
            for ((article, units), pieces) in pending.into_iter().zip(&pieces) {
                let piece_summaries: Vec<String> = generated.by_ref().take(pieces.len()).collect();
                let joined = piece_summaries.join(" ");
                // One piece was the whole text; or the joined summaries are short enough; or, summarising
                // summaries, another round would not shrink them (each summary fills a window on its own).
                let done = pieces.len() == 1
                    || self.token_count(&joined) <= self.max_length
                    || (!first_round && pieces.len() >= units.len());
                if done {
                    summaries[article].text = joined;
                } else {
                    next.push((article, piece_summaries));
                }
            }
            pending = next;
            first_round = false;
        }
        Ok(summaries)
    }
}

/// Generation settings with every value decided and checked (rust-bert asserts on bad ones).
struct Resolved {
    num_beams: i64,
    length_penalty: f64,
    min_length: i64,
    max_length: i64,
    no_repeat_ngram_size: i64,
    early_stopping: bool,
}

impl Resolved {
    fn from(settings: GenerationSettings) -> Result<Self> {
        let resolved = Resolved {
            num_beams: settings.num_beams.unwrap_or(1),
            length_penalty: settings.length_penalty.unwrap_or(1.0),
            min_length: settings.min_length.unwrap_or(0),
            max_length: settings.max_length.unwrap_or(20),
            no_repeat_ngram_size: settings.no_repeat_ngram_size.unwrap_or(0),
            early_stopping: settings.early_stopping.unwrap_or(false),
        };
        let problem = if resolved.num_beams < 1 {
            Some("num_beams must be at least 1")
        } else if resolved.length_penalty.is_nan() || resolved.length_penalty <= 0.0 {
            Some("length_penalty must be above 0")
        } else if resolved.max_length < 2 {
            Some("max_length must be at least 2 (it counts the start token)")
        } else if resolved.min_length < 0 || resolved.min_length > resolved.max_length {
            Some("min_length must be between 0 and max_length")
        } else if resolved.no_repeat_ngram_size < 0 {
            Some("no_repeat_ngram_size must be 0 or more")
        } else {
            None
        };
        match problem {
            Some(problem) => Err(Error::Config(format!("summary generation: {problem}"))),
            None => Ok(resolved),
        }
    }
}

/// Builds rust-bert's generator for the checkpoint. The model is first built in a scratch variable store to
/// learn which tensors it needs, so that tensors the checkpoint ties to the shared embedding can be filled in.
/// `stop_early` generates one token less than `max_length`, for the end token appended afterwards.
fn build_generator(
    checkpoint: &Checkpoint,
    settings: &Resolved,
    stop_early: bool,
) -> Result<Generator> {
    let architecture = checkpoint.architecture();
    let scratch = VarStore::new(Device::Cpu);
    match architecture {
        Architecture::Bart => {
            BartForConditionalGeneration::new(scratch.root(), &checkpoint.config::<BartConfig>()?);
        }
        Architecture::T5 => {
            check_t5_depth(checkpoint)?;
            T5ForConditionalGeneration::new(scratch.root(), &checkpoint.config::<T5Config>()?);
        }
        Architecture::Pegasus => {
            PegasusForConditionalGeneration::new(
                scratch.root(),
                &checkpoint.config::<PegasusConfig>()?,
            );
        }
        other => return Err(not_a_summarizer(checkpoint, other)),
    }
    let model_resource = checkpoint.weights_for(&scratch)?;
    drop(scratch);
    // rust-bert reads the configuration from a file: the checkpoint's, as `Checkpoint::config` reads it.
    let config_file = checkpoint.config_file()?;
    let mut config = generate_config(
        architecture,
        model_resource,
        config_file.path().to_path_buf(),
        settings,
    );
    if stop_early {
        config.max_length = Some(settings.max_length - 1);
        config.min_length = settings.min_length.min(settings.max_length - 1);
    }
    let tokenizer = checkpoint.tokenizer()?;
    Ok(match architecture {
        Architecture::Bart => {
            Generator::Bart(BartGenerator::new_with_tokenizer(config, tokenizer)?)
        }
        Architecture::T5 => Generator::T5(T5Generator::new_with_tokenizer(config, tokenizer)?),
        Architecture::Pegasus => Generator::Pegasus(
            PegasusConditionalGenerator::new_with_tokenizer(config, tokenizer)?,
        ),
        other => return Err(not_a_summarizer(checkpoint, other)),
    })
}

/// `forced_eos_token_id` of a Pegasus checkpoint. transformers forces that token as the last one when a summary
/// reaches `max_length`; rust-bert 0.23's Pegasus generator never does. Forcing it scores every open beam by its
/// score before the last step, normalised by the length before it: exactly what rust-bert gives beams still open
/// at a `max_length` one shorter. So Pegasus generates with `max_length - 1`, and the end token is appended to the
/// summaries still open.
fn unforced_eos(checkpoint: &Checkpoint) -> Result<Option<i64>> {
    #[derive(serde::Deserialize)]
    struct ForcedEos {
        forced_eos_token_id: Option<i64>,
    }
    if checkpoint.architecture() != Architecture::Pegasus {
        return Ok(None);
    }
    Ok(checkpoint.config::<ForcedEos>()?.forced_eos_token_id)
}

/// rust-bert builds T5's decoder with as many layers as the encoder (`num_layers`); a checkpoint with another
/// `num_decoder_layers` would run with layers missing or left out.
fn check_t5_depth(checkpoint: &Checkpoint) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct Depth {
        num_layers: i64,
        num_decoder_layers: Option<i64>,
    }
    let depth: Depth = checkpoint.config()?;
    match depth.num_decoder_layers {
        Some(decoder) if decoder != depth.num_layers => Err(Error::Model {
            path: checkpoint.path().join("config.json"),
            message: format!(
                "num_decoder_layers {decoder} differs from num_layers {}: T5 is supported only with a decoder as \
                 deep as the encoder (as in t5-*, t5-v1_1-*, flan-t5-*)",
                depth.num_layers
            ),
        }),
        _ => Ok(()),
    }
}

fn not_a_summarizer(checkpoint: &Checkpoint, architecture: Architecture) -> Error {
    Error::Model {
        path: checkpoint.path().to_path_buf(),
        message: format!("{} does not write summaries", architecture.name()),
    }
}

fn generate_config(
    architecture: Architecture,
    model_resource: ModelResource,
    config_path: PathBuf,
    settings: &Resolved,
) -> GenerateConfig {
    GenerateConfig {
        model_type: architecture.model_type(),
        model_resource,
        config_resource: Box::new(LocalResource::from(config_path.clone())),
        // The tokenizer is passed in ready-made; the generators never read this.
        vocab_resource: Box::new(LocalResource::from(config_path)),
        merges_resource: None,
        min_length: settings.min_length,
        max_length: Some(settings.max_length),
        do_sample: false,
        early_stopping: settings.early_stopping,
        num_beams: settings.num_beams,
        temperature: 1.0,
        top_k: 0,
        top_p: 1.0,
        repetition_penalty: 1.0,
        length_penalty: settings.length_penalty,
        no_repeat_ngram_size: settings.no_repeat_ngram_size,
        num_return_sequences: 1,
        num_beam_groups: None,
        diversity_penalty: None,
        device: Device::Cpu,
        kind: None,
    }
}
