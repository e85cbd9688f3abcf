//! Streaming runs: inputs of any size through the pipeline with bounded memory, results in source order.
//!
//! Documents are read until they hold [`limits::CHUNK_BYTES`] of text or [`limits::CHUNK_ARTICLES`] records or
//! dumps; the chunk's dumps are segmented in parallel, its articles annotated in the pipeline's fixed groups of
//! [`GROUP_SIZE`], and the finished articles handed out in source order before the next chunk is read.
//! Groups never straddle chunks (a chunk's last partial group waits for the next chunk), so results are the
//! same whatever the chunk size, thread count, shard or resume point.

mod numbering;
mod shard;

pub use numbering::WindowNumbering;
pub use shard::{Shard, ShardPlan};

use crate::article::Article;
use crate::error::{Error, Result};
use crate::ingest::{Document, InputStream, Warning};
use crate::limits::{self, GROUP_SIZE};
use crate::models::ENGLISH_ONLY_WEIGHTS;
use crate::output::WrittenIds;
use crate::pipeline::{Annotated, Pipeline};
use crate::script::ScriptTally;

/// An annotated article as the stream hands it out.
#[derive(Clone, Debug)]
pub struct Finished {
    /// The article and its annotations.
    pub annotated: Annotated,
    /// Whether its text was cut to [`limits::MAX_ARTICLE_BYTES`].
    pub truncated: bool,
}

/// Receives what a streaming run produces, in source order.
pub trait StreamSink {
    /// An input problem that was skipped or repaired.
    fn warning(&mut self, warning: Warning);
    /// `count` more articles were found that this run will annotate.
    fn found(&mut self, count: usize);
    /// One finished article.
    fn finished(&mut self, article: Finished) -> Result<()>;
    /// A chunk of input was read and is about to be segmented; `bytes_read` is the stream's
    /// [`InputStream::bytes_read`] so far (for progress displays).
    fn chunk_read(&mut self, bytes_read: u64) {
        let _ = bytes_read;
    }
    /// Called from the workers with the number of articles each finished annotation task held, while a chunk
    /// is annotated (for progress displays; the articles are handed to [`StreamSink::finished`] afterwards).
    fn annotation_progress(&self) -> &(dyn Fn(usize) + Sync) {
        &|_| {}
    }
}

/// How a streaming run splits its work.
#[derive(Clone, Debug)]
pub struct StreamOptions {
    /// Only the articles of this shard, if set; dump files dealt to other shards are skipped unread.
    pub shard: Option<ShardPlan>,
    /// Input text read before the chunk is processed.
    pub chunk_bytes: usize,
    /// Records or dumps read before the chunk is processed (articles are annotated in whole groups).
    pub chunk_articles: usize,
    /// Annotate only the first this many articles of the run's share, and read no further than needed.
    pub limit: Option<usize>,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            shard: None,
            chunk_bytes: limits::CHUNK_BYTES,
            chunk_articles: limits::CHUNK_ARTICLES,
            limit: None,
        }
    }
}

/// What a streaming run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StreamReport {
    /// Articles in the run's share (all of them without a shard).
    pub articles: usize,
    /// Of those, already in the resumed output and not written again.
    pub resumed: usize,
    /// Of those, handed out now.
    pub written: usize,
    /// Of those written, how many were cut to the length limit.
    pub truncated: usize,
    /// Input problems reported.
    pub warnings: usize,
}

/// Runs `pipeline` over everything `input` yields. With `resume`, the articles the output already holds are
/// checked against the input (same ids in the same order) and not handed out again.
pub fn annotate_stream(
    pipeline: &Pipeline,
    input: &mut InputStream,
    options: StreamOptions,
    resume: Option<WrittenIds>,
    sink: &mut dyn StreamSink,
) -> Result<StreamReport> {
    let mut run = StreamRun {
        pipeline,
        options: options.clone(),
        resume,
        sink,
        report: StreamReport::default(),
        numbering: WindowNumbering::default(),
        pending: Vec::new(),
        pending_start: 0,
    };
    let mut documents = Vec::new();
    let mut bytes = 0;
    let mut articles = 0;
    let mut scripts = ScriptTally::default();
    loop {
        let limit_reached = options
            .limit
            .is_some_and(|limit| run.report.articles >= limit);
        let document = if limit_reached { None } else { input.next() };
        for warning in input.take_warnings() {
            run.report.warnings += 1;
            run.sink.warning(warning);
        }
        let done = document.is_none();
        if let Some(document) = document {
            scripts.add_document(&document);
            bytes += document_bytes(&document);
            articles += match &document {
                Document::Record(_) => 1,
                Document::Dump(_) => 1,
            };
            documents.push(document);
        }
        if done || bytes >= options.chunk_bytes || articles >= options.chunk_articles {
            run.sink.chunk_read(input.bytes_read());
            run.segment(std::mem::take(&mut documents))?;
            run.annotate(done)?;
            bytes = 0;
            articles = 0;
        }
        if done {
            if let Some(warning) = english_only_warning(pipeline, &scripts)? {
                run.sink.warning(warning);
            }
            let held = run.resume.as_ref().map_or(0, WrittenIds::count);
            if held > run.report.articles {
                return Err(Error::Config(format!(
                    "cannot resume: the partial output holds {held} records but the inputs have only {} \
                     articles; these are not the inputs and options of the interrupted run",
                    run.report.articles
                )));
            }
            return Ok(run.report);
        }
    }
}

/// The warning [`ScriptTally::english_only_warning`] gives, when the pipeline's embedding model is one of the
/// English-only ones ([`ENGLISH_ONLY_WEIGHTS`]). It is not an input problem: the output is complete.
pub fn english_only_warning(pipeline: &Pipeline, scripts: &ScriptTally) -> Result<Option<Warning>> {
    let Some(warning) = scripts.english_only_warning() else {
        return Ok(None);
    };
    let english_only =
        pipeline.with_embedder(|e| Ok(ENGLISH_ONLY_WEIGHTS.contains(&e.model_sha256())))?;
    Ok(english_only.then_some(warning))
}

/// The state of one streaming run.
struct StreamRun<'a> {
    pipeline: &'a Pipeline,
    options: StreamOptions,
    resume: Option<WrittenIds>,
    sink: &'a mut dyn StreamSink,
    report: StreamReport,
    numbering: WindowNumbering,
    /// Articles of the share not yet annotated, with whether they were truncated.
    pending: Vec<(Article, bool)>,
    /// Position in the share of the first pending article (a multiple of [`GROUP_SIZE`]).
    pending_start: usize,
}

impl StreamRun<'_> {
    /// Segments the chunk's dumps in parallel (not those of dump files dealt to other shards) and queues its
    /// articles of the share, in source order.
    fn segment(&mut self, mut documents: Vec<Document>) -> Result<()> {
        if let Some(shard) = &self.options.shard {
            documents.retain(|document| match document {
                Document::Dump(dump) => shard.reads(&dump.source),
                Document::Record(_) => true,
            });
        }
        let pipeline = self.pipeline;
        for (document, segmentation) in pipeline.segment_documents(&documents)? {
            let (source, articles) = match (document, segmentation) {
                (Document::Dump(dump), Some(mut segmentation)) => {
                    self.numbering.place(dump, &mut segmentation);
                    (Some(dump.source.as_str()), segmentation.articles)
                }
                (Document::Record(article), _) => (None, vec![article.clone()]),
                (Document::Dump(_), None) => (None, Vec::new()),
            };
            for article in articles {
                if self
                    .options
                    .shard
                    .as_ref()
                    .is_none_or(|shard| shard.keeps(source, &article.id))
                {
                    self.queue(article)?;
                }
            }
        }
        Ok(())
    }

    /// Queues an article of the share, checking it against the resumed output.
    fn queue(&mut self, mut article: Article) -> Result<()> {
        if self
            .options
            .limit
            .is_some_and(|limit| self.report.articles >= limit)
        {
            return Ok(());
        }
        let position = self.report.articles;
        self.report.articles += 1;
        if let Some(resume) = &mut self.resume {
            if position < resume.count() {
                let held = resume.next_id()?;
                if held.as_deref() != Some(article.id.as_str()) {
                    return Err(Error::Config(format!(
                        "cannot resume: record {} of the partial output is {}, but the input's article there is \
                         {}; these are not the inputs and options of the interrupted run",
                        position + 1,
                        held.unwrap_or_else(|| "unreadable".to_string()),
                        article.id
                    )));
                }
                self.report.resumed += 1;
            }
        }
        let truncated = limits::truncate_article(&mut article.text);
        self.pending.push((article, truncated));
        Ok(())
    }

    /// Annotates the pending articles in whole groups (all of them when `last`), skipping groups the resumed
    /// output already holds entirely, and hands out the articles it does not hold.
    fn annotate(&mut self, last: bool) -> Result<()> {
        let ready = if last {
            self.pending.len()
        } else {
            self.pending.len() / GROUP_SIZE * GROUP_SIZE
        };
        let held = self.resume.as_ref().map_or(0, WrittenIds::count);
        let held_groups = held.saturating_sub(self.pending_start).min(ready) / GROUP_SIZE;
        let skipped = held_groups * GROUP_SIZE;
        let batch: Vec<(Article, bool)> = self.pending.drain(..ready).skip(skipped).collect();
        let first = self.pending_start + skipped;
        self.pending_start += ready;
        let (articles, truncated): (Vec<Article>, Vec<bool>) = batch.into_iter().unzip();
        let fresh = articles.len() - held.saturating_sub(first).min(articles.len());
        self.sink.found(fresh);
        let annotated = self
            .pipeline
            .annotate(articles, self.sink.annotation_progress())?;
        for (position, (annotated, truncated)) in
            (first..).zip(annotated.into_iter().zip(truncated))
        {
            if position < held {
                continue;
            }
            self.report.written += 1;
            self.report.truncated += usize::from(truncated);
            self.sink.finished(Finished {
                annotated,
                truncated,
            })?;
        }
        Ok(())
    }
}

/// Bytes of text a document holds.
fn document_bytes(document: &Document) -> usize {
    match document {
        Document::Record(article) => {
            article.text.len() + article.title.as_ref().map_or(0, String::len)
        }
        Document::Dump(dump) => dump.lines.iter().map(|l| l.len() + 1).sum(),
    }
}
