//! `credman user unlock`

use serde_json::json;

use super::super::output::{print_json, print_line};
use super::super::{Answer, Ctx, open_existing};

/// Unlock a user and clear their failed-attempt throttling
///
/// Also for a user throttled after too many wrong passwords. Sessions revoked by the lock stay
/// revoked: the user logs in again.
///
/// Examples:
///   credman user unlock alice
///   credman user show alice                     # locked: no, failed attempts: 0
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The user
    name: String,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        open_existing(ctx)?.unlock_user(&self.name)?;
        if ctx.json {
            print_json(&json!({ "user": self.name, "locked": false }))?;
        } else {
            print_line(format!("unlocked '{}'", self.name))?;
        }
        Ok(Answer::Yes)
    }
}
