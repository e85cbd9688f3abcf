//! Command-line arguments and the subcommands, each in its own file.

mod checkpoints;
mod common;
mod eval;
mod fit;
mod run;
mod segment;
mod synth;
mod table;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit code when the run could not complete (bad options, missing model, unwritable output).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code when the run completed but some inputs were skipped or repaired (listed on stderr).
pub const EXIT_INPUT_WARNINGS: u8 = 3;

/// Split raw news dumps into articles, summarise and label them offline, and score the result against gold.
#[derive(Debug, Parser)]
#[command(name = "newsdigest", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Segment, summarise and label articles; write annotated JSON or JSONL.
    Run(run::RunArgs),
    /// Print the articles segmentation finds, as JSONL, without summarising or labelling.
    Segment(segment::SegmentArgs),
    /// Score predictions against hand-written gold: labels, summaries (ROUGE beside Lead-3), segmentation.
    Eval(eval::EvalArgs),
    /// Print a short table (id, label, title, summary) of a `run` output file.
    Table(table::TableArgs),
    /// Train a classifier head on hand-labelled articles (for `run --head`); optionally cross-validate it.
    Fit(fit::FitArgs),
    /// Render real articles into synthetic dumps of many layout families, with their gold spans.
    Synth(synth::SynthArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Segment(args) => segment::run(args),
        Command::Table(args) => table::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Fit(args) => fit::run(args),
        Command::Synth(args) => synth::run(args),
    }
}
