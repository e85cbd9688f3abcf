//! `newsdigest info`: what a bug report needs to know about this installation.

use super::EXIT_FAILURE;
use newsdigest::embed::{native_bf16, Embedder, MiniLmEmbedder, Precision};
use newsdigest::models::{embedding_model_candidates, locate_embedding_model};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `newsdigest info`.
#[derive(Debug, clap::Args)]
pub struct InfoArgs {
    /// Embedding model folder to check instead of the default one.
    #[arg(long)]
    model_dir: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Everything `info` reports.
#[derive(Serialize)]
struct Info {
    version: &'static str,
    executable: Option<PathBuf>,
    libtorch: Libtorch,
    models: Vec<Model>,
    precision: PrecisionInfo,
    threads: Threads,
}

#[derive(Serialize)]
struct Libtorch {
    /// The version the binary was built against (tch needs exactly this one).
    version: Option<&'static str>,
    /// The libtorch_cpu library this process loaded.
    path: Option<PathBuf>,
}

#[derive(Serialize)]
struct Model {
    role: &'static str,
    path: PathBuf,
    /// Why this folder: `--model-dir`, `$NEWSDIGEST_MODEL_DIR`, beside the executable or the checkout.
    found_by: String,
    /// The folders looked at, in order, when no `--model-dir` was given.
    searched: Vec<PathBuf>,
    /// sha256 of the weights file, when the model loads.
    sha256: Option<String>,
    /// Why the model does not load.
    error: Option<String>,
}

#[derive(Serialize)]
struct PrecisionInfo {
    /// What `run` uses without `--precision`.
    default: Precision,
    native_bf16: bool,
}

#[derive(Serialize)]
struct Threads {
    cores: usize,
    /// Worker threads without `--threads` (one per core).
    workers: usize,
    /// Torch threads without `--torch-threads`.
    torch_threads: usize,
}

/// Prints the report; fails (after printing it) when the embedding model does not load.
pub fn run(args: InfoArgs) -> anyhow::Result<ExitCode> {
    let defaults = newsdigest::pipeline::PipelineOptions::default();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let info = Info {
        version: env!("CARGO_PKG_VERSION"),
        executable: std::env::current_exe().ok(),
        libtorch: Libtorch {
            version: option_env!("NEWSDIGEST_LIBTORCH_VERSION"),
            path: loaded_library("libtorch_cpu.so"),
        },
        models: vec![embedding_model(args.model_dir)],
        precision: PrecisionInfo {
            default: defaults.precision,
            native_bf16: native_bf16(),
        },
        threads: Threads {
            cores,
            workers: if defaults.threads == 0 {
                cores
            } else {
                defaults.threads
            },
            torch_threads: defaults.torch_threads,
        },
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&info)?);
    } else {
        print!("{}", render(&info));
    }
    let loads = info.models.iter().all(|m| m.error.is_none());
    Ok(if loads {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILURE)
    })
}

/// The embedding model `run` would use, loaded (in float32) to check it is complete.
fn embedding_model(model_dir: Option<PathBuf>) -> Model {
    let (path, found_by, searched) = match model_dir {
        Some(path) => (path, "--model-dir".to_string(), Vec::new()),
        None => {
            let (origin, path) = locate_embedding_model();
            let searched = embedding_model_candidates()
                .into_iter()
                .map(|(_, p)| p)
                .collect();
            (path, origin.to_string(), searched)
        }
    };
    let (sha256, error) = match MiniLmEmbedder::load(&path, Precision::Fp32) {
        Ok(model) => (Some(model.model_sha256().to_string()), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Model {
        role: "embedding",
        path: absolute(&path),
        found_by,
        searched,
        sha256,
        error,
    }
}

/// `path` made absolute and without `..`, for a report read on another machine.
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// The file a shared library named `name` was loaded from, as this process maps it (Linux `/proc`).
fn loaded_library(name: &str) -> Option<PathBuf> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .find(|path| Path::new(path).file_name().is_some_and(|f| f == name))
        .map(PathBuf::from)
}

fn render(info: &Info) -> String {
    let or_unknown = |p: &Option<PathBuf>| {
        p.as_ref()
            .map_or("unknown".to_string(), |p| p.display().to_string())
    };
    let mut out = format!("newsdigest {}\n", info.version);
    out += &format!("executable:      {}\n", or_unknown(&info.executable));
    out += &format!(
        "libtorch:        {}, loaded from {}\n",
        info.libtorch.version.unwrap_or("unknown version"),
        or_unknown(&info.libtorch.path)
    );
    for model in &info.models {
        out += &format!(
            "{} model: {} ({})\n",
            model.role,
            model.path.display(),
            model.found_by
        );
        match (&model.sha256, &model.error) {
            (Some(sha256), _) => out += &format!("  weights sha256: {sha256}\n"),
            (None, Some(error)) => out += &format!("  does not load: {error}\n"),
            (None, None) => {}
        }
        if model.error.is_some() && !model.searched.is_empty() {
            out += "  looked in, in order:\n";
            for path in &model.searched {
                out += &format!("    {}\n", path.display());
            }
        }
    }
    let precision = serde_json::to_value(info.precision.default)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    out += &format!(
        "precision:       {precision} by default ({})\n",
        if info.precision.native_bf16 {
            "this CPU computes bf16 natively"
        } else {
            "this CPU has no native bf16 (AVX512-BF16)"
        }
    );
    out += &format!(
        "threads:         {} worker(s) by default (one per core of {}), {} torch thread(s)\n",
        info.threads.workers, info.threads.cores, info.threads.torch_threads
    );
    out
}
