//! The `newsdigest` command line: a thin layer over the library.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("newsdigest: error: {error:#}");
            ExitCode::from(cli::EXIT_FAILURE)
        }
    }
}
