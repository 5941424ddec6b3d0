//! `credman user lock`

use serde_json::json;

use super::super::output::{print_json, print_line};
use super::super::{Answer, Ctx, open_existing};

/// Lock a user: they can no longer verify or log in
///
/// Their sessions are revoked at once. The password is kept: `user unlock` lets them in again.
/// The reason shows in `user show` and in the event log.
///
/// Examples:
///   credman user lock alice --reason "laptop stolen, ticket 4711"
///   credman user list --locked
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The user
    name: String,

    /// Why, for the record (shown by `user show` and in the event log)
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        open_existing(ctx)?.lock_user(&self.name, self.reason.as_deref())?;
        if ctx.json {
            print_json(&json!({ "user": self.name, "locked": true }))?;
        } else {
            print_line(format!("locked '{}'", self.name))?;
        }
        Ok(Answer::Yes)
    }
}
