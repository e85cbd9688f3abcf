//! Options of `newsdigest run` that swap in local transformer checkpoints: an abstractive summariser and an
//! NLI classifier (see docs/checkpoints.md).

use newsdigest::classify::{NliOptions, DEFAULT_HYPOTHESIS_TEMPLATE};
use newsdigest::pipeline::Summarizer;
use newsdigest::summarize::{AbstractiveOptions, ExtractiveOptions, GenerationSettings};
use std::path::PathBuf;

/// Which summariser writes the summaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SummarizerKind {
    /// The article's own central sentences.
    Extractive,
    /// New text written by a seq2seq checkpoint (`--summary-model`).
    Abstractive,
}

/// Which classifier gives the labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ClassifierKind {
    /// Similarity of embeddings with the label descriptions.
    Embedding,
    /// Entailment of "This example is about <label>." by an NLI checkpoint (`--nli-model`).
    Nli,
}

/// Summariser and classifier choice, and the checkpoints' settings.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Abstractive summaries and NLI")]
pub struct CheckpointArgs {
    /// Summariser.
    #[arg(long, value_enum, default_value_t = SummarizerKind::Extractive)]
    summarizer: SummarizerKind,
    /// Checkpoint folder of the abstractive summariser (BART, DistilBART, T5, Pegasus).
    #[arg(long, required_if_eq("summarizer", "abstractive"))]
    summary_model: Option<PathBuf>,
    /// Beams of the beam search (default: the checkpoint's setting).
    #[arg(long)]
    num_beams: Option<i64>,
    /// Length penalty of the beam search (default: the checkpoint's setting).
    #[arg(long)]
    length_penalty: Option<f64>,
    /// Fewest summary tokens (default: the checkpoint's setting).
    #[arg(long)]
    min_length: Option<i64>,
    /// Most summary tokens (default: the checkpoint's setting).
    #[arg(long)]
    max_length: Option<i64>,
    /// Never repeat an n-gram of this size; 0 allows repeats (default: the checkpoint's setting).
    #[arg(long)]
    no_repeat_ngram_size: Option<i64>,
    /// Stop the beam search once enough hypotheses are finished (default: the checkpoint's setting).
    #[arg(long)]
    early_stopping: Option<bool>,
    /// Article pieces summarised together in one batch.
    #[arg(long, default_value_t = 4)]
    summary_batch_size: usize,
    /// Read at most this many tokens at once (default: the model's window); longer articles go in pieces.
    #[arg(long)]
    max_input_tokens: Option<usize>,
    /// Classifier.
    #[arg(long, value_enum, default_value_t = ClassifierKind::Embedding)]
    classifier: ClassifierKind,
    /// Checkpoint folder of the NLI classifier (BART, RoBERTa or DeBERTa fine-tuned on MNLI).
    #[arg(long, required_if_eq("classifier", "nli"))]
    nli_model: Option<PathBuf>,
    /// NLI hypothesis; `{}` is replaced by the label name.
    #[arg(long, default_value = DEFAULT_HYPOTHESIS_TEMPLATE)]
    hypothesis_template: String,
    /// Score each label on its own (entailment against contradiction) instead of one softmax over labels.
    #[arg(long)]
    multi_label: bool,
    /// Premise–hypothesis pairs classified together in one batch.
    #[arg(long, default_value_t = 8)]
    nli_batch_size: usize,
}

impl CheckpointArgs {
    /// The summariser chosen: the extractive one with `extractive`, or the abstractive one with its
    /// checkpoint; a checkpoint given for the extractive summariser is an error rather than silently unused.
    pub fn summarizer(&self, extractive: ExtractiveOptions) -> anyhow::Result<Summarizer> {
        match (self.summarizer, self.summary_model.clone()) {
            (SummarizerKind::Extractive, None) => Ok(Summarizer::Extractive(extractive)),
            (SummarizerKind::Extractive, Some(_)) => {
                anyhow::bail!("--summary-model needs --summarizer abstractive")
            }
            (SummarizerKind::Abstractive, None) => {
                anyhow::bail!("--summarizer abstractive needs --summary-model")
            }
            (SummarizerKind::Abstractive, Some(model_dir)) => {
                Ok(Summarizer::Abstractive(AbstractiveOptions {
                    generation: GenerationSettings {
                        num_beams: self.num_beams,
                        length_penalty: self.length_penalty,
                        min_length: self.min_length,
                        max_length: self.max_length,
                        no_repeat_ngram_size: self.no_repeat_ngram_size,
                        early_stopping: self.early_stopping,
                    },
                    batch_size: self.summary_batch_size,
                    max_input_tokens: self.max_input_tokens,
                    ..AbstractiveOptions::new(model_dir)
                }))
            }
        }
    }

    /// The NLI classifier, when it was chosen (`None`: the embedding classifier); a checkpoint given for the
    /// embedding classifier is an error rather than silently unused.
    pub fn nli(&self) -> anyhow::Result<Option<NliOptions>> {
        match (self.classifier, self.nli_model.clone()) {
            (ClassifierKind::Embedding, None) => Ok(None),
            (ClassifierKind::Embedding, Some(_)) => {
                anyhow::bail!("--nli-model needs --classifier nli")
            }
            (ClassifierKind::Nli, None) => anyhow::bail!("--classifier nli needs --nli-model"),
            (ClassifierKind::Nli, Some(model_dir)) => Ok(Some(NliOptions {
                hypothesis_template: self.hypothesis_template.clone(),
                multi_label: self.multi_label,
                batch_size: self.nli_batch_size,
                ..NliOptions::new(model_dir)
            })),
        }
    }
}
