//! The `newsdigest` command line: a thin layer over the library.

mod cli;

use clap::Parser;
use std::process::ExitCode;

/// Caps on libtorch's native caches, set before torch runs (a user's own settings win). MKL's fast memory
/// manager keeps the packing buffers of float32 matrix products, and oneDNN caches a compiled kernel for every
/// bf16 matrix shape (1,024 by default; length-sorted batches make many shapes). On a 4 MB synthetic dump at
/// the default precision the peak RSS fell from 1.02/1.09 GB to 0.87/0.91 GB (two runs each), at the same
/// speed.
const NATIVE_CACHE_LIMITS: [(&str, &str); 2] = [
    ("MKL_FAST_MEMORY_LIMIT", "32"),
    ("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "256"),
];

fn main() -> ExitCode {
    // Still single-threaded here, so setting the environment is sound.
    for (name, value) in NATIVE_CACHE_LIMITS {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("newsdigest: error: {error:#}");
            ExitCode::from(cli::EXIT_FAILURE)
        }
    }
}
