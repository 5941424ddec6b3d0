//! `credman session check`

use serde_json::json;

use super::super::input::read_stdin_line;
use super::super::output::{print_json, print_line};
use super::super::{Answer, Ctx};

/// Check a session token from stdin; exit 0 and print its user if it is valid
///
/// The token is read from the first line of standard input, never from the command line.
/// Invalid, expired, revoked, unknown and malformed tokens are all the same answer: exit 1.
/// A valid check refreshes the session's last-seen time (at most once a minute).
///
/// Examples:
///   printf '%s\n' "$TOKEN" | credman session check && echo "still logged in"
///   credman session check --json < token.txt
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = super::super::open_existing(ctx)?;
        let line = read_stdin_line("session token")?;
        let session = match std::str::from_utf8(line.as_bytes()) {
            Ok(token) => app.check_session(token)?,
            Err(_) => None,
        };
        drop(line);
        if ctx.json {
            print_json(&json!({
                "valid": session.is_some(),
                "user": session.as_ref().map(|s| &s.user),
                "session": session.as_ref().map(|s| &s.id),
            }))?;
        } else {
            match &session {
                Some(s) => print_line(&s.user)?,
                None => print_line("invalid")?,
            }
        }
        Ok(if session.is_some() {
            Answer::Yes
        } else {
            Answer::No
        })
    }
}
