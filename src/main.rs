//! The `newsdigest` command line: a thin layer over the library.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Still single-threaded here, so setting the environment is sound.
    newsdigest::memory::limit_native_caches();
    // Rust ignores SIGPIPE; restoring the default makes `newsdigest ... | head` end quietly when head exits, as
    // other Unix tools do, instead of failing on "Broken pipe" (or panicking in `print!`).
    // SAFETY: setting a signal's disposition to the default has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Usage errors exit 1 like other failures: 2 is kept for `eval --fail-under`'s "below the minimum".
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(cli::EXIT_FAILURE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            // Escaped line by line: a file name holding an escape sequence must not reach the terminal raw,
            // while multi-line messages (a label file's syntax error) keep their lines.
            let message = format!("{error:#}");
            let lines: Vec<_> = message
                .split('\n')
                .map(newsdigest::terminal::escape_controls)
                .collect();
            eprintln!("newsdigest: error: {}", lines.join("\n"));
            ExitCode::from(cli::EXIT_FAILURE)
        }
    }
}
