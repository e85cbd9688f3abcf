//! The worker pool: a rayon thread pool and the models its threads run with. Torch tensors are not `Sync`, so
//! each task borrows a whole [`Worker`] (its own classifier and summariser, embedding models that share one
//! copy of the weights) and gives it back; a new worker is loaded only when every existing one is busy.

use super::{Labeller, PipelineOptions, Summarizer};
use crate::classify::{Classifier, EmbeddingClassifier, HeadClassifier, NliClassifier};
use crate::embed::{MiniLmEmbedder, Precision};
use crate::error::{Error, Result};
use crate::summarize::{self, AbstractiveSummarizer, ExtractiveSummarizer};
use std::sync::Mutex;

/// The models one worker thread owns.
pub(super) struct Worker {
    pub(super) embedder: MiniLmEmbedder,
    /// A float32 copy of the embedding model under [`Precision::Bf16Checked`], for close calls.
    pub(super) reference: Option<MiniLmEmbedder>,
    pub(super) classifier: Box<dyn Classifier>,
    pub(super) summarizer: Box<dyn summarize::Summarizer>,
}

/// Which of a worker's embedding models a pass runs.
#[derive(Clone, Copy)]
pub(super) enum Pass {
    /// The model at the configured precision.
    Main,
    /// The float32 copy under [`Precision::Bf16Checked`]; the main model otherwise.
    Reference,
}

impl Worker {
    pub(super) fn model(&self, pass: Pass) -> &MiniLmEmbedder {
        match pass {
            Pass::Main => &self.embedder,
            Pass::Reference => self.reference.as_ref().unwrap_or(&self.embedder),
        }
    }
}

/// The embedding models loaded once, whose weights every worker's models share.
struct SharedModels {
    embedder: MiniLmEmbedder,
    /// The float32 model under [`Precision::Bf16Checked`].
    reference: Option<MiniLmEmbedder>,
}

impl SharedModels {
    fn load(options: &PipelineOptions) -> Result<Self> {
        Ok(SharedModels {
            embedder: MiniLmEmbedder::load(&options.model_dir, options.precision)?,
            reference: match options.precision {
                Precision::Bf16Checked => {
                    Some(MiniLmEmbedder::load(&options.model_dir, Precision::Fp32)?)
                }
                Precision::Fp32 | Precision::Bf16 => None,
            },
        })
    }
}

/// The thread pool and the idle workers.
pub(super) struct WorkerPool {
    threads: rayon::ThreadPool,
    shared: Mutex<SharedModels>,
    workers: Mutex<Vec<Worker>>,
}

impl WorkerPool {
    /// Starts the worker threads and loads one worker up front, so a broken model folder fails before any work.
    /// N workers, each running torch on one thread, use N cores and never oversubscribe.
    pub(super) fn new(options: &PipelineOptions) -> Result<Self> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = if options.threads == 0 {
            cores
        } else {
            options.threads
        };
        // One torch thread by default, whatever the worker count: the floating-point reductions then run in
        // the same order for every thread count, which keeps the output byte-identical.
        tch::set_num_threads(i32::try_from(options.torch_threads.max(1)).unwrap_or(i32::MAX));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::Config(format!("cannot start {threads} threads: {e}")))?;
        let shared = SharedModels::load(options)?;
        let first = load_worker(options, &shared)?;
        Ok(WorkerPool {
            threads: pool,
            shared: Mutex::new(shared),
            workers: Mutex::new(vec![first]),
        })
    }

    /// Runs `op` on the pool's threads.
    pub(super) fn install<T: Send>(&self, op: impl FnOnce() -> T + Send) -> T {
        self.threads.install(op)
    }

    /// Runs `task` with a worker's models, loading a new set only when every existing one is busy.
    pub(super) fn with_worker<T>(
        &self,
        options: &PipelineOptions,
        task: impl FnOnce(&mut Worker) -> Result<T>,
    ) -> Result<T> {
        let idle = self.workers.lock().map_err(poisoned)?.pop();
        let mut worker = match idle {
            Some(worker) => worker,
            None => {
                let shared = self.shared.lock().map_err(poisoned)?;
                load_worker(options, &shared)?
            }
        };
        let result = task(&mut worker);
        self.workers.lock().map_err(poisoned)?.push(worker);
        result
    }
}

/// A worker's models: the embedding models on the shared weights, its own classifier and summariser.
fn load_worker(options: &PipelineOptions, shared: &SharedModels) -> Result<Worker> {
    let mut embedder = shared.embedder.share();
    let mut reference = shared.reference.as_ref().map(MiniLmEmbedder::share);
    // Label descriptions are embedded at the reference precision, so checked close calls are float32 through.
    let describing = reference.as_mut().unwrap_or(&mut embedder);
    let classifier: Box<dyn Classifier> = match &options.labeller {
        Labeller::ZeroShot => Box::new(EmbeddingClassifier::new(&options.labels, describing)?),
        Labeller::Head { head, .. } => Box::new(HeadClassifier::new((**head).clone(), describing)?),
        Labeller::Nli(nli) => Box::new(NliClassifier::load(nli, &options.labels)?),
    };
    let summarizer: Box<dyn summarize::Summarizer> = match &options.summarizer {
        Summarizer::Extractive(extractive) => {
            Box::new(ExtractiveSummarizer::new(extractive.clone()))
        }
        Summarizer::Abstractive(abstractive) => Box::new(AbstractiveSummarizer::load(abstractive)?),
    };
    Ok(Worker {
        embedder,
        reference,
        classifier,
        summarizer,
    })
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> Error {
    Error::Config("a worker thread panicked".to_string())
}
