//! Options and helpers shared by subcommands.

use anyhow::Context;
use newsdigest::ingest::{read_inputs, Ingested, InputFormat, Warning};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Where the input comes from and how to read it.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Dumps (.txt), JSONL files (.jsonl), directories of them, or `-` for stdin.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
}

/// Reads the inputs, printing every warning to stderr.
pub fn ingest(args: &InputArgs) -> anyhow::Result<Ingested> {
    let ingested = read_inputs(&args.inputs, args.input_format).context("reading inputs")?;
    report_warnings(&ingested.warnings);
    Ok(ingested)
}

/// Prints input warnings and a one-line summary to stderr.
pub fn report_warnings(warnings: &[Warning]) {
    warnings.iter().for_each(report_warning);
    report_warning_count(warnings.len());
}

/// Prints one input warning to stderr.
pub fn report_warning(warning: &Warning) {
    eprintln!("newsdigest: warning: {warning}");
}

/// Prints the one-line summary of input warnings to stderr, if there were any.
pub fn report_warning_count(count: usize) {
    if count > 0 {
        eprintln!(
            "newsdigest: {count} input problem(s): the affected lines or files were skipped or repaired"
        );
    }
}

/// A progress bar on stderr, shown only when stderr is a terminal and not `--quiet`.
pub fn progress_bar(total: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} articles ({per_sec}, {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}
