//! `newsdigest completions SHELL`: the shell completion script, generated from the argument definitions.

use clap::CommandFactory;
use clap_complete::Shell;
use std::process::ExitCode;

/// Arguments of `newsdigest completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for. Bash: save as `~/.local/share/bash-completion/completions/newsdigest`;
    /// zsh: as `_newsdigest` in a folder of `$fpath`; fish: as `~/.config/fish/completions/newsdigest.fish`.
    shell: Shell,
}

/// Prints the completion script to stdout.
pub fn run(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut command = super::Cli::command();
    clap_complete::generate(
        args.shell,
        &mut command,
        "newsdigest",
        &mut std::io::stdout().lock(),
    );
    Ok(ExitCode::SUCCESS)
}
