//! `credman user delete`

use serde_json::json;

use super::super::input::confirm;
use super::super::output::{print_json, print_line};
use super::super::{Answer, Ctx, UsageError, open_existing};

/// Delete a user and their sessions (the event log keeps their history)
///
/// Asks for confirmation on a terminal; scripts pass --yes. To keep the account but stop its
/// logins, `user lock` it instead.
///
/// Examples:
///   credman user delete bob                     # asks first
///   credman user delete bob --yes
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The user
    name: String,

    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    yes: bool,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_existing(ctx)?;
        app.user(&self.name)?;
        if !self.yes && !confirm(ctx, &format!("delete user '{}'", self.name))? {
            return Err(UsageError("not confirmed; nothing was deleted".into()).into());
        }
        app.delete_user(&self.name)?;
        if ctx.json {
            print_json(&json!({ "user": self.name, "deleted": true }))?;
        } else {
            print_line(format!("deleted '{}'", self.name))?;
        }
        Ok(Answer::Yes)
    }
}
