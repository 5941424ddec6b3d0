//! `credman user passwd`

use serde_json::json;

use super::super::{Answer, Ctx, open_existing};
use super::{PasswordSource, report};

/// Set a user's password; their sessions are revoked
///
/// The password is prompted for twice, read from stdin (--password-stdin), or generated
/// (--generate, printed once), and must pass the policy unless --allow-weak. Every session of
/// the user is revoked and their failed-attempt throttling is cleared; a lock stays (see
/// `user unlock`).
///
/// Examples:
///   credman user passwd alice                   # prompts twice
///   printf '%s\n' "$PW" | credman user passwd alice --password-stdin
///   credman user passwd alice --generate --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The user
    name: String,

    #[command(flatten)]
    source: PasswordSource,

    /// Accept a password the policy refuses (recorded in the event log)
    #[arg(long)]
    allow_weak: bool,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_existing(ctx)?;
        app.user(&self.name)?;
        let (password, generated) = self.source.read(ctx, &app, &self.name)?;
        app.set_password(&self.name, &password, self.allow_weak)?;
        let doc = json!({ "user": self.name, "changed": true });
        let line = format!("password changed for '{}'", self.name);
        report(ctx, doc, line, &password, generated)?;
        Ok(Answer::Yes)
    }
}
