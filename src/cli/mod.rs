//! Command-line arguments and the subcommands, each in its own file; the argument groups they share are in
//! [`args`].

mod args;
mod calibrate;
mod checkpoints;
mod common;
mod completions;
mod eval;
mod fit;
mod info;
mod man;
mod progress;
mod run;
mod segment;
mod synth;
mod table;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit code when the run could not complete (bad options, missing model, unwritable output).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code when the report is below a `--fail-under` minimum or above a `--fail-over` maximum.
pub const EXIT_BELOW_THRESHOLD: u8 = 2;
/// Exit code when the run completed but some inputs were skipped or repaired (listed on stderr).
pub const EXIT_INPUT_WARNINGS: u8 = 3;

/// Split raw news dumps into articles, summarise and label them offline, and score the result against gold.
#[derive(Debug, Parser)]
#[command(name = "newsdigest", version, about)]
#[command(after_help = "\
Examples:
  newsdigest run dumps/ -o annotated.json          segment, summarise and label
  newsdigest table annotated.json                  look at the result
  newsdigest eval --gold gold.jsonl --pred annotated.json --format html -o report.html
  newsdigest <COMMAND> --help                      options and examples of one command")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Segment, summarise and label articles; write annotated JSON or JSONL.
    #[command(after_help = run::EXAMPLES)]
    Run(run::RunArgs),
    /// Print the articles segmentation finds, as JSONL, without summarising or labelling.
    #[command(after_help = segment::EXAMPLES)]
    Segment(segment::SegmentArgs),
    /// Score predictions against hand-written gold: labels, summaries (ROUGE beside Lead-3), segmentation.
    #[command(after_help = eval::EXAMPLES)]
    Eval(eval::EvalArgs),
    /// Print a short table (id, label, title, summary) of a `run` output file.
    #[command(after_help = table::EXAMPLES)]
    Table(table::TableArgs),
    /// Train a classifier head on hand-labelled articles (for `run --head`); optionally cross-validate it.
    #[command(after_help = fit::EXAMPLES)]
    Fit(fit::FitArgs),
    /// Fit the priors of labels given by name only to a corpus; write the label set for `run --labels`.
    #[command(after_help = calibrate::EXAMPLES)]
    Calibrate(calibrate::CalibrateArgs),
    /// Print the version, libtorch, the models and their hashes, and the defaults this machine gets.
    Info(info::InfoArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff), or write one per subcommand into a folder.
    Man(man::ManArgs),
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
        Command::Calibrate(args) => calibrate::run(args),
        Command::Info(args) => info::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
        Command::Synth(args) => synth::run(args),
    }
}
