//! `credman completions SHELL`

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Answer, Cli, Ctx};

/// Print the completion script for a shell; no database needed
///
/// The script completes commands, options and their values. Write it where your shell looks for
/// completions, then start a new shell:
///
/// Examples:
///   credman completions bash > ~/.local/share/bash-completion/completions/credman
///   credman completions zsh > ~/.zfunc/_credman   # with fpath=(~/.zfunc $fpath) before compinit
///   credman completions fish > ~/.config/fish/completions/credman.fish
///   credman completions powershell >> $PROFILE
///   echo 'eval (credman completions elvish | slurp)' >> ~/.config/elvish/rc.elv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The shell to print the script for
    #[arg(value_enum)]
    shell: Shell,
}

impl Args {
    pub fn run(self, _ctx: &Ctx) -> anyhow::Result<Answer> {
        let mut out = std::io::stdout().lock();
        out.write_all(&script(self.shell))?;
        out.flush()?;
        Ok(Answer::Yes)
    }
}

/// The shells, and the file name each one's script has under `completions/`.
pub const FILES: [(Shell, &str); 5] = [
    (Shell::Bash, "credman.bash"),
    (Shell::Zsh, "_credman"),
    (Shell::Fish, "credman.fish"),
    (Shell::PowerShell, "_credman.ps1"),
    (Shell::Elvish, "credman.elv"),
];

/// The completion script for `shell`, from the clap definitions.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "credman", &mut out);
    out
}
