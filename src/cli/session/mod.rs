//! `credman session ...`

mod check;
mod create;
mod list;
mod prune;
mod revoke;
mod rotate;

use clap::Subcommand;
use credman::policy::parse_duration;

use super::{Answer, Ctx};

/// Log users in, see their sessions, rotate, revoke and prune them
///
/// A session is what a login leaves behind: a user, an absolute lifetime (session.ttl) and an
/// idle timeout (session.idle). Its token is shown once, when it is created or rotated; only its
/// SHA-256 is stored. The web app checks tokens with the library, `session check` from a
/// shell. IDs (from `session list`) name sessions without being secret.
///
/// Examples:
///   printf '%s\n' "$PW" | credman session create alice --password-stdin --label laptop
///   credman session list --user alice
///   credman session revoke --user alice
///   credman session prune
#[derive(Debug, Subcommand)]
#[command(verbatim_doc_comment)]
pub enum Command {
    Create(create::Args),
    List(list::Args),
    Check(check::Args),
    Rotate(rotate::Args),
    Revoke(revoke::Args),
    Prune(prune::Args),
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        match self {
            Command::Create(args) => args.run(ctx),
            Command::List(args) => args.run(ctx),
            Command::Check(args) => args.run(ctx),
            Command::Rotate(args) => args.run(ctx),
            Command::Revoke(args) => args.run(ctx),
            Command::Prune(args) => args.run(ctx),
        }
    }
}

/// clap value parser for `DUR` arguments (`90s`, `30m`, `12h`, `7d`, `1h30m`).
fn duration(text: &str) -> Result<i64, String> {
    const MAX: i64 = 400 * 86_400;
    match parse_duration(text)? {
        0 => Err("a session lifetime must be at least 1s".into()),
        secs if secs > MAX => Err("a session lifetime is at most 400d".into()),
        secs => Ok(secs),
    }
}
