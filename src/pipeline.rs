//! The pipeline: runs segmentation, sentence splitting, embedding, classification and summarisation over
//! documents, in parallel across articles, with one set of models per worker thread.
//!
//! Results do not depend on the thread count: articles are embedded in fixed groups of [`GROUP_SIZE`] taken
//! in source order, whichever workers run the batches, and results are returned in source order. The threads
//! and their models are the [`pool`]'s; the allocator settings are [`crate::memory`]'s.

mod pool;
mod stages;

pub use stages::{Labeller, Summarizer};

use crate::article::{Article, EmbeddedArticle};
use crate::classify::{LabelSet, Prediction};
use crate::embed::{
    embed_length_sorted, normalized_mean, Embedder, MiniLmTokenizer, Precision, CLOSE_CALL,
    SEGMENTATION_CLOSE_CALL,
};
use crate::error::Result;
use crate::ingest::{Document, Dump};
use crate::limits::GROUP_SIZE;
use crate::memory::{keep_freed_memory, release_freed_memory};
use crate::segment::{settle_close_calls, DumpSegmenter, PreparedDump, Segmentation, Segmenter};
use crate::sentences::{RuleSplitter, SentenceSplitter};
use crate::summarize::Summary;
use pool::{Pass, Worker, WorkerPool};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;

/// Embedded articles classified and summarised by one worker task.
const TASK_SIZE: usize = 16;

/// Everything that decides what the pipeline produces. Serialised, it is the options part of the output's `run`
/// object (in the README's field order); the worker count and the model folder are left out (the output does
/// not depend on the first, the second is recorded with its hash among the run's models).
#[derive(Clone, Debug, serde::Serialize)]
pub struct PipelineOptions {
    /// Worker threads (each with its own models); 0 means one per core.
    #[serde(skip)]
    pub threads: usize,
    /// The embedding model folder.
    #[serde(skip)]
    pub model_dir: PathBuf,
    /// The label set: what the zero-shot and NLI classifiers choose from, the labels a head was trained over.
    pub labels: LabelSet,
    /// The summariser and its options.
    #[serde(flatten)]
    pub summarizer: Summarizer,
    /// The classifier and its options.
    #[serde(flatten)]
    pub labeller: Labeller,
    /// Precision of the embedding model.
    pub precision: Precision,
    /// Torch intra-op threads, shared by the workers. 1, the default, keeps the output byte-identical whatever
    /// the worker count; more lets fewer workers (less memory) use every core, at the price of that guarantee.
    pub torch_threads: usize,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            threads: 0,
            torch_threads: 1,
            model_dir: crate::models::default_embedding_model_dir(),
            labels: LabelSet::default(),
            summarizer: Summarizer::default(),
            labeller: Labeller::default(),
            precision: Precision::for_this_cpu(),
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
    /// Every label it is given: the top one, then the others above the label set's `secondary_min_score`
    /// (see [`LabelSet::assigned`]).
    pub labels: Vec<String>,
}

/// The configured pipeline, with its thread pool and a pool of per-thread models.
pub struct Pipeline {
    options: PipelineOptions,
    pool: WorkerPool,
    splitter: RuleSplitter,
    segmenter: DumpSegmenter,
    model_sha256: String,
    dimension: usize,
    tokenizer: MiniLmTokenizer,
}

impl Pipeline {
    /// Sets up the worker pool, loading one worker's models up front (so a broken model folder fails before any
    /// work).
    pub fn new(options: PipelineOptions) -> Result<Self> {
        keep_freed_memory();
        let pool = WorkerPool::new(&options)?;
        let (model_sha256, dimension, tokenizer) = pool.with_worker(&options, |first| {
            Ok((
                first.embedder.model_sha256().to_string(),
                first.embedder.dimension(),
                first.embedder.tokenizer().clone(),
            ))
        })?;
        Ok(Pipeline {
            options,
            pool,
            splitter: RuleSplitter::default(),
            segmenter: DumpSegmenter::default(),
            model_sha256,
            dimension,
            tokenizer,
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

    /// Runs `task` with a worker's models (see [`WorkerPool::with_worker`]).
    fn with_worker<T>(&self, task: impl FnOnce(&mut Worker) -> Result<T>) -> Result<T> {
        self.pool.with_worker(&self.options, task)
    }

    /// Segments dumps; results in input order. The dumps are prepared in parallel, the sentences of all of them
    /// embedded together (length-sorted batches shared by the workers: small dumps alone would make short,
    /// padded batches), the close calls checked (with [`Precision::Bf16Checked`]), then each dump is finished in
    /// parallel.
    pub fn segment(&self, dumps: &[&Dump]) -> Result<Vec<Segmentation>> {
        self.pool.install(|| {
            let prepared: Vec<PreparedDump> = dumps
                .par_iter()
                .map(|dump| self.segmenter.prepare(dump, &self.splitter))
                .collect();
            let texts: Vec<&str> = prepared.iter().flat_map(PreparedDump::sentences).collect();
            let mut vectors = self.embed_texts(&texts, Pass::Main)?.into_iter();
            let mut per_dump: Vec<Vec<Vec<f32>>> = prepared
                .iter()
                .map(|p| vectors.by_ref().take(p.sentence_count()).collect())
                .collect();
            if self.options.precision == Precision::Bf16Checked {
                settle_close_calls(
                    &self.segmenter,
                    &prepared,
                    &mut per_dump,
                    self.dimension,
                    SEGMENTATION_CLOSE_CALL,
                    |texts| self.embed_texts(texts, Pass::Reference),
                )?;
            }
            Ok(dumps
                .par_iter()
                .zip(prepared)
                .zip(per_dump)
                .map(|((dump, prepared), vectors)| {
                    self.segmenter
                        .finish(dump, prepared, vectors, self.dimension)
                })
                .collect())
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

    /// Annotates articles, calling `progress` with the number of articles each finished summary task held;
    /// results in input order. Each group of [`GROUP_SIZE`] is embedded with its batches spread over the
    /// workers, then classified, its close calls checked (with [`Precision::Bf16Checked`]), and summarised, in
    /// tasks of [`TASK_SIZE`] articles.
    pub fn annotate(
        &self,
        articles: Vec<Article>,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<Annotated>> {
        let mut annotated = Vec::with_capacity(articles.len());
        for group in groups(articles) {
            let embedded = self.embed_group(group, Pass::Main)?;
            let mut classified = self.in_tasks(embedded, &|_| {}, classify)?;
            if self.options.precision == Precision::Bf16Checked {
                self.check_close_calls(&mut classified)?;
            }
            annotated.extend(self.in_tasks(classified, progress, |worker, classified| {
                summarize(worker, classified, &self.options.labels)
            })?);
        }
        release_freed_memory();
        Ok(annotated)
    }

    /// Runs `task` on [`TASK_SIZE`] items at a time in parallel, each with a worker's models, calling `progress`
    /// with the size of each finished task; results in input order.
    fn in_tasks<T: Send, U: Send>(
        &self,
        items: Vec<T>,
        progress: &(dyn Fn(usize) + Sync),
        task: impl Fn(&mut Worker, Vec<T>) -> Result<Vec<U>> + Sync,
    ) -> Result<Vec<U>> {
        let done: Vec<Vec<U>> = self.pool.install(|| {
            items
                .into_par_iter()
                .chunks(TASK_SIZE)
                .map(|chunk| {
                    let count = chunk.len();
                    let done = self.with_worker(|w| task(w, chunk));
                    progress(count);
                    done
                })
                .collect::<Result<_>>()
        })?;
        Ok(done.into_iter().flatten().collect())
    }

    /// Embeds the close calls (labels within [`CLOSE_CALL`] of flipping) again in float32 and classifies them
    /// from that, so their labels, scores and summaries are float32's.
    fn check_close_calls(&self, classified: &mut [(EmbeddedArticle, Prediction)]) -> Result<()> {
        let labels = &self.options.labels;
        let close: Vec<usize> = (0..classified.len())
            .filter(|&i| is_close_call(&classified[i].1, labels))
            .collect();
        if close.is_empty() {
            return Ok(());
        }
        let articles = close
            .iter()
            .map(|&i| classified[i].0.article.clone())
            .collect();
        let checked = self.embed_group(articles, Pass::Reference)?;
        for (i, pair) in close
            .into_iter()
            .zip(self.in_tasks(checked, &|_| {}, classify)?)
        {
            classified[i] = pair;
        }
        Ok(())
    }

    /// Embeds articles (titles, sentences and the article vector) group by group, as [`Pipeline::annotate`]
    /// does; results in input order.
    pub fn embed(&self, articles: Vec<Article>) -> Result<Vec<EmbeddedArticle>> {
        let mut embedded = Vec::with_capacity(articles.len());
        for group in groups(articles) {
            embedded.extend(self.embed_group(group, Pass::Main)?);
        }
        Ok(embedded)
    }

    /// Splits one group's articles into sentences and embeds all their titles and sentences together (those
    /// segmentation did not already embed): sorted by token length, cut into batches, the batches shared among
    /// the workers.
    fn embed_group(&self, mut articles: Vec<Article>, pass: Pass) -> Result<Vec<EmbeddedArticle>> {
        self.pool.install(|| {
            let sentences: Vec<Vec<String>> = articles
                .par_iter()
                .map(|a| self.splitter.split(&a.text))
                .collect();
            let mut known: Vec<HashMap<String, Vec<f32>>> = articles
                .iter_mut()
                .map(|a| {
                    std::mem::take(&mut a.known_sentences.0)
                        .into_iter()
                        .collect()
                })
                .collect();
            let mut vectors: Vec<Option<Vec<f32>>> = Vec::new();
            let mut texts: Vec<&str> = Vec::new();
            let mut missing: Vec<usize> = Vec::new();
            for ((article, sentences), known) in articles.iter().zip(&sentences).zip(&mut known) {
                for text in embedded_texts(article, sentences) {
                    let vector = known.remove(text);
                    if vector.is_none() {
                        missing.push(vectors.len());
                        texts.push(text);
                    }
                    vectors.push(vector);
                }
            }
            for (at, vector) in missing.into_iter().zip(self.embed_texts(&texts, pass)?) {
                vectors[at] = Some(vector);
            }
            Ok(attach_vectors(
                articles,
                sentences,
                vectors.into_iter().flatten().collect(),
                self.dimension,
            ))
        })
    }

    /// Embeds texts with all workers: sorted by token length, cut into batches, the batches shared among the
    /// workers; results in input order.
    fn embed_texts(&self, texts: &[&str], pass: Pass) -> Result<Vec<Vec<f32>>> {
        self.pool.install(|| {
            let tokens = self.tokenizer.token_ids(texts)?;
            embed_length_sorted(&tokens, |batches| {
                batches
                    .par_iter()
                    .map(|batch| self.with_worker(|w| w.model(pass).embed_tokens(batch)))
                    .collect()
            })
        })
    }

    /// Classifies embedded articles with the configured classifier (head or label set); results in input order.
    pub fn classify(&self, articles: &[EmbeddedArticle]) -> Result<Vec<Prediction>> {
        self.with_worker(|w| w.classifier.classify(articles))
    }

    /// Runs `task` with one worker's embedder (the float32 one under [`Precision::Bf16Checked`]), for texts
    /// that are not articles, such as label descriptions.
    pub fn with_embedder<T>(&self, task: impl FnOnce(&mut dyn Embedder) -> Result<T>) -> Result<T> {
        self.with_worker(|w| task(w.reference.as_mut().unwrap_or(&mut w.embedder)))
    }

    /// The sentences the pipeline splits `text` into.
    pub fn sentences(&self, text: &str) -> Vec<String> {
        self.splitter.split(text)
    }
}

/// Cuts articles into the fixed groups, in source order, that are embedded together.
fn groups(articles: Vec<Article>) -> Vec<Vec<Article>> {
    let mut articles = articles.into_iter().peekable();
    let mut groups = Vec::new();
    while articles.peek().is_some() {
        groups.push(articles.by_ref().take(GROUP_SIZE).collect());
    }
    groups
}

/// Classifies embedded articles with one worker's classifier.
fn classify(
    worker: &mut Worker,
    embedded: Vec<EmbeddedArticle>,
) -> Result<Vec<(EmbeddedArticle, Prediction)>> {
    let predictions = worker.classifier.classify(&embedded)?;
    Ok(embedded.into_iter().zip(predictions).collect())
}

/// Whether a small change of the scores could change the labels: the top two scores, or the top score and
/// `min_score`, or a further score and `secondary_min_score`, are less than [`CLOSE_CALL`] apart.
fn is_close_call(prediction: &Prediction, labels: &LabelSet) -> bool {
    let mut scores: Vec<f32> = prediction.scores.values().copied().collect();
    scores.sort_by(|a, b| b.total_cmp(a));
    let top = scores.first().copied().unwrap_or(0.0);
    let runner_up = scores.get(1).copied().unwrap_or(0.0);
    top - runner_up < CLOSE_CALL
        || (top - labels.min_score).abs() < CLOSE_CALL
        || scores[1.min(scores.len())..]
            .iter()
            .any(|s| (s - labels.secondary_min_score).abs() < CLOSE_CALL)
}

/// Summarises classified articles with one worker's summariser.
fn summarize(
    worker: &mut Worker,
    classified: Vec<(EmbeddedArticle, Prediction)>,
    labels: &LabelSet,
) -> Result<Vec<Annotated>> {
    let (embedded, predictions): (Vec<EmbeddedArticle>, Vec<Prediction>) =
        classified.into_iter().unzip();
    let summaries = worker.summarizer.summarize(&embedded)?;
    Ok(embedded
        .into_iter()
        .zip(predictions)
        .zip(summaries)
        .map(|((embedded, prediction), summary)| Annotated {
            article: embedded.article,
            summary,
            labels: labels.assigned(&prediction.label, &prediction.scores),
            prediction,
        })
        .collect())
}

/// Pairs articles with their sentences and the vectors of [`embedded_texts`] (all articles' texts in order),
/// and adds each article's vector: the normalised mean of its title and sentence vectors.
fn attach_vectors(
    articles: Vec<Article>,
    sentences: Vec<Vec<String>>,
    vectors: Vec<Vec<f32>>,
    dimension: usize,
) -> Vec<EmbeddedArticle> {
    let mut vectors = vectors.into_iter();
    articles
        .into_iter()
        .zip(sentences)
        .map(|(article, sentences)| {
            let title_vector = article.title.as_ref().and_then(|_| vectors.next());
            let sentence_vectors: Vec<Vec<f32>> = vectors.by_ref().take(sentences.len()).collect();
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
        .collect()
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
