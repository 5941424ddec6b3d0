//! `credman generate-assets DIR`: writes `DIR/completions/` and `DIR/man/`, the files that are
//! committed at the top of the repository. For credman's developers: hidden from the help, and
//! not part of `Cli`, so the completions and man pages (made from `Cli::command()`) do not know
//! it. Regenerate after changing any command, flag or help text:
//!
//! ```sh
//! cargo run -- generate-assets .
//! ```
//!
//! `tests/generated.rs` fails while the committed files differ from what this writes.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Arg, ArgMatches, Command, value_parser};

use super::{Answer, completions, man};

pub const NAME: &str = "generate-assets";

/// The hidden subcommand, added to the parser beside `Cli`'s commands.
pub fn command() -> Command {
    Command::new(NAME)
        .hide(true)
        .about("Write the shell completions and man pages under DIR/completions and DIR/man")
        .arg(
            Arg::new("dir")
                .value_name("DIR")
                .required(true)
                .value_parser(value_parser!(PathBuf))
                .help("The repository's top folder"),
        )
}

/// Every generated file, as (path relative to the top folder, contents).
pub fn files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = completions::FILES
        .iter()
        .map(|(shell, name)| (format!("completions/{name}"), completions::script(*shell)))
        .collect();
    files.extend(
        man::pages()
            .into_iter()
            .map(|(name, page)| (format!("man/{name}"), page)),
    );
    files
}

pub fn run(matches: &ArgMatches) -> anyhow::Result<Answer> {
    let dir = matches
        .get_one::<PathBuf>("dir")
        .expect("DIR is a required argument");
    let files = files();
    for folder in ["completions", "man"] {
        let folder = dir.join(folder);
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        remove_stale(&folder, &files, dir)?;
    }
    for (path, contents) in &files {
        let path = dir.join(path);
        std::fs::write(&path, contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "credman: wrote {} files under {}/completions and {}/man",
        files.len(),
        dir.display(),
        dir.display()
    );
    Ok(Answer::Yes)
}

/// Removes the pages and scripts of commands that no longer exist: the files in `folder` named
/// like ours (`credman*`, `_credman*`) that this run does not write.
fn remove_stale(folder: &Path, files: &[(String, Vec<u8>)], dir: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let ours = name.starts_with("credman") || name.starts_with("_credman");
        let written = files.iter().any(|(f, _)| dir.join(f) == path);
        if ours && !written && path.is_file() {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
            eprintln!("credman: removed {}", path.display());
        }
    }
    Ok(())
}
