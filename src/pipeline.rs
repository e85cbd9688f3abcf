//! The pipeline: runs segmentation, sentence splitting, embedding, classification and summarisation over
//! documents, in parallel across articles, with one set of models per worker thread.
//!
//! Results do not depend on the thread count: articles are embedded in fixed groups of [`GROUP_SIZE`] taken
//! in source order, whichever worker runs them, and results are returned in source order.

use crate::article::{Article, EmbeddedArticle};
use crate::classify::{
    Classifier, EmbeddingClassifier, Head, HeadClassifier, LabelSet, NliClassifier, NliOptions,
    Prediction,
};
use crate::embed::{normalized_mean, Embedder, MiniLmEmbedder, Precision};
use crate::error::{Error, Result};
use crate::ingest::{Document, Dump};
use crate::segment::{DumpSegmenter, Segmentation, Segmenter};
use crate::sentences::{RuleSplitter, SentenceSplitter};
use crate::summarize::{
    AbstractiveOptions, AbstractiveSummarizer, ExtractiveOptions, ExtractiveSummarizer, Summarizer,
    Summary,
};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Mutex;

/// Articles embedded, classified and summarised together by one worker.
pub const GROUP_SIZE: usize = 16;

/// Everything that decides what the pipeline produces, recorded in the output's `run` object.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PipelineOptions {
    /// Worker threads (each with its own models); 0 means one per core.
    pub threads: usize,
    /// The embedding model folder.
    pub model_dir: PathBuf,
    /// The label set.
    pub labels: LabelSet,
    /// A trained classifier head (`newsdigest fit`) that labels articles instead of the label set.
    pub head: Option<Head>,
    /// Options of the extractive summariser.
    pub summary: ExtractiveOptions,
    /// A transformer checkpoint that writes abstractive summaries instead of the extractive summariser.
    pub abstractive: Option<AbstractiveOptions>,
    /// An NLI checkpoint that gives the labels instead of the embedding classifier.
    pub nli: Option<NliOptions>,
    /// Precision of the embedding model.
    pub precision: Precision,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            threads: 0,
            model_dir: crate::models::default_embedding_model_dir(),
            labels: LabelSet::default(),
            head: None,
            summary: ExtractiveOptions::default(),
            abstractive: None,
            nli: None,
            precision: Precision::Fp32,
        }
    }
}

/// An article with everything the pipeline found out about it.
#[derive(Clone, Debug)]
pub struct Annotated {
    /// The article as segmented.
    pub article: Article,
    /// Its summary.
    pub summary: Summary,
    /// Its label and scores.
    pub prediction: Prediction,
}

/// The models one worker thread owns (torch tensors are not `Sync`).
struct Worker {
    embedder: MiniLmEmbedder,
    classifier: Box<dyn Classifier>,
    summarizer: Box<dyn Summarizer>,
}

/// The configured pipeline, with its thread pool and a pool of per-thread models.
pub struct Pipeline {
    options: PipelineOptions,
    threads: rayon::ThreadPool,
    workers: Mutex<Vec<Worker>>,
    splitter: RuleSplitter,
    segmenter: DumpSegmenter,
    model_sha256: String,
}

impl Pipeline {
    /// Loads one worker's models up front (so a broken model folder fails before any work) and sets up the
    /// thread pool: N workers, each running torch on one thread, use N cores and never oversubscribe.
    pub fn new(options: PipelineOptions) -> Result<Self> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = if options.threads == 0 {
            cores
        } else {
            options.threads
        };
        // One torch thread per worker, whatever the worker count: the floating-point reductions then run in
        // the same order for every thread count, which keeps the output byte-identical.
        tch::set_num_threads(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::Config(format!("cannot start {threads} threads: {e}")))?;
        let first = Self::load_worker(&options)?;
        let model_sha256 = first.embedder.model_sha256().to_string();
        Ok(Pipeline {
            options,
            threads: pool,
            workers: Mutex::new(vec![first]),
            splitter: RuleSplitter::default(),
            segmenter: DumpSegmenter::default(),
            model_sha256,
        })
    }

    /// The options the pipeline runs with.
    pub fn options(&self) -> &PipelineOptions {
        &self.options
    }

    /// The sha256 of the embedding model's weights.
    pub fn model_sha256(&self) -> &str {
        &self.model_sha256
    }

    fn load_worker(options: &PipelineOptions) -> Result<Worker> {
        let mut embedder = MiniLmEmbedder::load(&options.model_dir)?;
        embedder.set_precision(options.precision);
        let classifier: Box<dyn Classifier> = match (&options.nli, &options.head) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "an NLI model and a trained head cannot both give the labels".to_string(),
                ))
            }
            (Some(nli), None) => Box::new(NliClassifier::load(nli, &options.labels)?),
            (None, Some(head)) => Box::new(HeadClassifier::new(head.clone(), &mut embedder)?),
            (None, None) => Box::new(EmbeddingClassifier::new(&options.labels, &mut embedder)?),
        };
        let summarizer: Box<dyn Summarizer> = match &options.abstractive {
            Some(abstractive) => Box::new(AbstractiveSummarizer::load(abstractive)?),
            None => Box::new(ExtractiveSummarizer::new(options.summary.clone())),
        };
        Ok(Worker {
            embedder,
            classifier,
            summarizer,
        })
    }

    /// Runs `task` with a worker's models, loading a new set only when every existing one is busy.
    fn with_worker<T>(&self, task: impl FnOnce(&mut Worker) -> Result<T>) -> Result<T> {
        let idle = self.workers.lock().map_err(poisoned)?.pop();
        let mut worker = match idle {
            Some(worker) => worker,
            None => Self::load_worker(&self.options)?,
        };
        let result = task(&mut worker);
        self.workers.lock().map_err(poisoned)?.push(worker);
        result
    }

    /// Segments dumps in parallel; results in input order.
    pub fn segment(&self, dumps: &[&Dump]) -> Result<Vec<Segmentation>> {
        self.threads.install(|| {
            dumps
                .par_iter()
                .map(|dump| self.with_worker(|w| self.segmenter.segment(dump, &mut w.embedder)))
                .collect()
        })
    }

    /// Segments the dumps among `documents` in parallel and pairs every document with its segmentation
    /// (`None` for a JSONL record), in input order.
    pub fn segment_documents<'a>(
        &self,
        documents: &'a [Document],
    ) -> Result<Vec<(&'a Document, Option<Segmentation>)>> {
        let dumps: Vec<&Dump> = documents
            .iter()
            .filter_map(|d| match d {
                Document::Dump(dump) => Some(dump),
                Document::Record(_) => None,
            })
            .collect();
        let mut segmented = self.segment(&dumps)?.into_iter();
        Ok(documents
            .iter()
            .map(|document| match document {
                Document::Record(_) => (document, None),
                Document::Dump(_) => (document, segmented.next()),
            })
            .collect())
    }

    /// Turns documents into articles: dumps are segmented, records pass through; source order is kept.
    pub fn articles(&self, documents: Vec<Document>) -> Result<Vec<Article>> {
        Ok(self
            .segment_documents(&documents)?
            .into_iter()
            .flat_map(|(document, segmentation)| match (document, segmentation) {
                (_, Some(segmentation)) => segmentation.articles,
                (Document::Record(article), None) => vec![article.clone()],
                (Document::Dump(_), None) => Vec::new(),
            })
            .collect())
    }

    /// Annotates articles in parallel, calling `progress` with the number of articles each finished group
    /// held; results in input order.
    pub fn annotate(
        &self,
        articles: Vec<Article>,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<Annotated>> {
        self.in_groups(articles, progress, |w, group| self.annotate_group(w, group))
    }

    /// Embeds articles in parallel, in the same fixed groups as [`Pipeline::annotate`]; results in input order.
    pub fn embed(&self, articles: Vec<Article>) -> Result<Vec<EmbeddedArticle>> {
        self.in_groups(articles, &|_| {}, |w, group| {
            self.embed_articles(&mut w.embedder, group)
        })
    }

    /// Runs `task` on fixed groups of [`GROUP_SIZE`] articles in parallel, each with a worker's models, calling
    /// `progress` with the size of each finished group; results in input order.
    fn in_groups<T: Send>(
        &self,
        articles: Vec<Article>,
        progress: &(dyn Fn(usize) + Sync),
        task: impl Fn(&mut Worker, Vec<Article>) -> Result<Vec<T>> + Sync,
    ) -> Result<Vec<T>> {
        let groups: Vec<Vec<Article>> = articles
            .chunks(GROUP_SIZE)
            .map(|group| group.to_vec())
            .collect();
        let done: Vec<Vec<T>> = self.threads.install(|| {
            groups
                .into_par_iter()
                .map(|group| {
                    let count = group.len();
                    let done = self.with_worker(|w| task(w, group));
                    progress(count);
                    done
                })
                .collect::<Result<_>>()
        })?;
        Ok(done.into_iter().flatten().collect())
    }

    /// Classifies embedded articles with the configured classifier (head or label set); results in input order.
    pub fn classify(&self, articles: &[EmbeddedArticle]) -> Result<Vec<Prediction>> {
        self.with_worker(|w| w.classifier.classify(articles))
    }

    /// Runs `task` with one worker's embedder, for texts that are not articles (such as label descriptions).
    pub fn with_embedder<T>(&self, task: impl FnOnce(&mut dyn Embedder) -> Result<T>) -> Result<T> {
        self.with_worker(|w| task(&mut w.embedder))
    }

    fn annotate_group(&self, worker: &mut Worker, group: Vec<Article>) -> Result<Vec<Annotated>> {
        let embedded = self.embed_articles(&mut worker.embedder, group)?;
        let predictions = worker.classifier.classify(&embedded)?;
        let summaries = worker.summarizer.summarize(&embedded)?;
        Ok(embedded
            .into_iter()
            .zip(predictions)
            .zip(summaries)
            .map(|((embedded, prediction), summary)| Annotated {
                article: embedded.article,
                summary,
                prediction,
            })
            .collect())
    }

    /// The sentences the pipeline splits `text` into.
    pub fn sentences(&self, text: &str) -> Vec<String> {
        self.splitter.split(text)
    }

    /// Splits articles into sentences and embeds the titles and sentences of the whole group in one pass.
    pub fn embed_articles(
        &self,
        embedder: &mut dyn Embedder,
        articles: Vec<Article>,
    ) -> Result<Vec<EmbeddedArticle>> {
        let sentences: Vec<Vec<String>> = articles
            .iter()
            .map(|a| self.splitter.split(&a.text))
            .collect();
        let mut texts: Vec<&str> = Vec::new();
        for (article, sentences) in articles.iter().zip(&sentences) {
            texts.extend(embedded_texts(article, sentences));
        }
        let mut vectors = embedder.embed(&texts)?.into_iter();
        let dimension = embedder.dimension();
        Ok(articles
            .into_iter()
            .zip(sentences)
            .map(|(article, sentences)| {
                let title_vector = article.title.as_ref().and_then(|_| vectors.next());
                let sentence_vectors: Vec<Vec<f32>> =
                    vectors.by_ref().take(sentences.len()).collect();
                let vector = normalized_mean(
                    title_vector
                        .iter()
                        .chain(&sentence_vectors)
                        .map(Vec::as_slice),
                    dimension,
                );
                EmbeddedArticle {
                    article,
                    sentences,
                    sentence_vectors,
                    vector,
                }
            })
            .collect())
    }
}

/// The texts embedded for an article, in order: its title if it has one, then its sentences.
pub fn embedded_texts<'a>(
    article: &'a Article,
    sentences: &'a [String],
) -> impl Iterator<Item = &'a str> {
    article
        .title
        .as_deref()
        .into_iter()
        .chain(sentences.iter().map(String::as_str))
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> Error {
    Error::Config("a worker thread panicked".to_string())
}
