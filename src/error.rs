//! The library's error type: every failure names what it was working on.

use std::path::PathBuf;

/// Everything that can go wrong in the library, each variant carrying enough context to act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written. The OS error is part of the message and not given as
    /// the error's source, so a chain of causes prints it once.
    #[error("{path}: {error}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying I/O error.
        error: std::io::Error,
    },
    /// Input that cannot be used, located by file and line.
    #[error("{source_name}:{line}: {message}")]
    Input {
        /// The file (or `-` for stdin) holding the bad input.
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A model folder that is missing files or holds something unusable.
    #[error("model {path}: {message}")]
    Model {
        /// The model folder or file.
        path: PathBuf,
        /// What is missing or wrong.
        message: String,
    },
    /// A configuration file or option with an invalid value.
    #[error("{0}")]
    Config(String),
    /// An error raised by libtorch.
    #[error("torch: {0}")]
    Torch(#[from] tch::TchError),
    /// An error raised by the tokenizer.
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    /// An error raised by rust-bert.
    #[error("rust-bert: {0}")]
    RustBert(#[from] rust_bert::RustBertError),
    /// JSON that could not be written.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error: source,
        }
    }
}
