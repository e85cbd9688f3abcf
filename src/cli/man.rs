//! `newsdigest man`: the manual pages, generated from the argument definitions so they never disagree with
//! `--help`.

use anyhow::Context;
use clap::CommandFactory;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `newsdigest man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write `newsdigest.1` and one page per subcommand (`newsdigest-run.1`, ...) into this folder, instead of
    /// printing the main page to stdout.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Prints the main page, or writes every page into `--dir`.
pub fn run(args: ManArgs) -> anyhow::Result<ExitCode> {
    let command = super::Cli::command();
    match &args.dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            clap_mangen::generate_to(command, dir)
                .with_context(|| format!("writing the man pages into {}", dir.display()))?;
        }
        None => clap_mangen::Man::new(command)
            .render(&mut std::io::stdout().lock())
            .context("writing the man page")?,
    }
    Ok(ExitCode::SUCCESS)
}
