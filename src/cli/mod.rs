//! The command-line layer: clap definitions, the run context, output and secret input. One
//! module per command; the library knows nothing of any of it.

mod assets;
mod audit;
mod calibrate;
mod completions;
mod config;
mod hash;
mod import;
mod init;
mod input;
mod log;
mod man;
mod output;
mod session;
mod user;
mod verify;
mod who;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use credman::{Credman, OpenMode};

const EXIT_STATUS: &str = "\
Exit status:
  0  success; for a question (verify, hash verify): yes, the password is valid
  1  a clean \"no\" from a question (verify, hash verify, session create, session check,
     audit --fail-on): wrong password, unknown, locked or throttled user, invalid or
     expired session, audit findings at or above the threshold
  2  any error: bad usage or input, policy refusal, no such user, database unavailable";

/// Manage the users, passwords and login sessions of a web application, from a shell
///
/// credman keeps users, their argon2id password hashes, their sessions and a security event
/// log in one SQLite database, shared with the web application that links the credman library.
/// Passwords are never taken from the command line: they are prompted for on the terminal or
/// read from standard input with --password-stdin. `credman COMMAND --help` shows examples.
///
/// Examples:
///   credman init                                # create the database, print its path
///   credman user add alice                      # prompts for the password twice
///   printf '%s\n' "$PW" | credman verify alice --password-stdin && echo valid
///   credman --db /var/lib/myapp/users.db audit --fail-on weak
#[derive(Debug, Parser)]
#[command(
    name = "credman",
    version,
    verbatim_doc_comment,
    // Examples and the exit codes are wrapped by hand at 100 columns: wider, the rest of the help
    // would not line up with them.
    max_term_width = 100,
    after_help = EXIT_STATUS,
    after_long_help = EXIT_STATUS
)]
pub struct Cli {
    /// The database file [default: <data dir>/credman/credman.db]
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        env = "CREDMAN_DB",
        hide_env_values = true
    )]
    db: Option<PathBuf>,

    /// Print exactly one JSON document on stdout, and nothing else
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Init(init::Args),
    #[command(subcommand)]
    User(user::Command),
    Verify(verify::Args),
    #[command(subcommand)]
    Session(session::Command),
    Who(who::Args),
    Hash(hash::Args),
    Audit(audit::Args),
    Import(import::Args),
    #[command(subcommand)]
    Config(config::Command),
    Log(log::Args),
    Completions(completions::Args),
}

/// The answer of a command that asks a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
}

/// What every command gets: resolved options and the state of the terminal.
pub struct Ctx {
    db: Option<PathBuf>,
    pub json: bool,
    pub stdin_is_tty: bool,
    actor: String,
}

impl Ctx {
    fn new(cli: &Cli) -> Self {
        Self {
            db: cli.db.clone(),
            json: cli.json,
            stdin_is_tty: std::io::stdin().is_terminal(),
            actor: actor(),
        }
    }

    pub fn db_path(&self) -> anyhow::Result<PathBuf> {
        match &self.db {
            Some(path) => Ok(path.clone()),
            None => Ok(credman::default_db_path()?),
        }
    }

    /// Opens the database; `Create` makes it (and its folder) on first write.
    pub fn open(&self, mode: OpenMode) -> anyhow::Result<Credman> {
        let app = Credman::open_as(&self.db_path()?, mode, self.actor.clone())?;
        if let Some(warning) = app.store().permissions_warning() {
            eprintln!("credman: warning: {warning}");
        }
        Ok(app)
    }
}

/// `cli:<login>` for the event log: the account the process runs as (not `$USER`, which the
/// caller sets at will), naming the admin behind sudo too.
fn actor() -> String {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let uid = unsafe { libc::geteuid() };
    let user = login_name(uid).unwrap_or_else(|| format!("uid {uid}"));
    match std::env::var("SUDO_USER") {
        Ok(admin) if admin != user => format!("cli:{user} (sudo from {admin})"),
        _ => format!("cli:{user}"),
    }
}

/// The account name of `uid` from the system's user database.
fn login_name(uid: libc::uid_t) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: a zeroed passwd is a valid out-parameter (plain C struct of pointers and ints).
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call and `buf` outlives the use of `pwd`'s fields;
    // getpwuid_r is the reentrant form, safe to call from any thread.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut found) };
    if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: on success pw_name points at a NUL-terminated string inside `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}

/// An error the user made in how they called credman (exit 2, like clap's own).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

pub fn main() -> ExitCode {
    // `Cli` plus the hidden generator, which the completions and man pages leave out.
    let parser = Cli::command().subcommand(assets::command());
    let matches = match parser.try_get_matches() {
        Ok(matches) => matches,
        Err(e) => return clap_exit(e),
    };
    let outcome = match matches.subcommand() {
        Some((assets::NAME, args)) => assets::run(args),
        _ => match Cli::from_arg_matches(&matches) {
            Ok(cli) => run(&Ctx::new(&cli), cli.command),
            Err(e) => return clap_exit(e.format(&mut Cli::command())),
        },
    };
    match outcome {
        Ok(Answer::Yes) => ExitCode::SUCCESS,
        Ok(Answer::No) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, whatever the error chain holds.
            let message = format!("{e:#}").replace(['\n', '\r'], " ");
            eprintln!("credman: error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(ctx: &Ctx, command: Command) -> anyhow::Result<Answer> {
    match command {
        Command::Init(args) => args.run(ctx),
        Command::User(cmd) => cmd.run(ctx),
        Command::Verify(args) => args.run(ctx),
        Command::Session(cmd) => cmd.run(ctx),
        Command::Who(args) => args.run(ctx),
        Command::Hash(args) => args.run(ctx),
        Command::Audit(args) => args.run(ctx),
        Command::Import(args) => args.run(ctx),
        Command::Config(cmd) => cmd.run(ctx),
        Command::Log(args) => args.run(ctx),
        Command::Completions(args) => args.run(ctx),
    }
}

/// Help and version go to stdout with exit 0; a usage error becomes one line on stderr and
/// exit 2.
fn clap_exit(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let rendered = e.render().to_string();
    // The command being parsed, from the words on the command line that name subcommands.
    let mut cmd = Cli::command();
    let mut path = vec!["credman".to_owned()];
    for arg in std::env::args().skip(1) {
        if let Some(sub) = cmd.find_subcommand(&arg).cloned() {
            path.push(arg);
            cmd = sub;
        }
    }
    let message = if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
        format!(
            "`{}` needs a subcommand: {}",
            path.join(" "),
            names.join(", ")
        )
    } else {
        // clap's message, up to its usage line, on one line; its tips are left out.
        rendered
            .lines()
            .map(str::trim)
            .take_while(|l| !l.starts_with("Usage:"))
            .filter(|l| {
                !l.is_empty() && !l.starts_with("tip:") && !l.starts_with("For more information")
            })
            .collect::<Vec<_>>()
            .join(" ")
            .trim_start_matches("error: ")
            .to_owned()
    };
    eprintln!(
        "credman: error: {message} (see `{} --help`)",
        path.join(" ")
    );
    ExitCode::from(2)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Opens the database for a command that only reads it.
pub fn open_existing(ctx: &Ctx) -> anyhow::Result<Credman> {
    ctx.open(OpenMode::Existing)
}

/// Opens the database for a command that writes, creating it on first use.
pub fn open_or_create(ctx: &Ctx) -> anyhow::Result<Credman> {
    ctx.open(OpenMode::Create)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
