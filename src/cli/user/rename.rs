//! `credman user rename`

use serde_json::json;

use super::super::output::{print_json, print_line};
use super::super::{Answer, Ctx, open_existing};

/// Rename a user; their password, history and lock state stay
///
/// Their sessions stay valid too. The event log records the old name.
///
/// Examples:
///   credman user rename alice alice.smith
///   credman user rename alice alice.smith --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The current name
    old: String,
    /// The new name (1-64 characters, case-sensitive)
    new: String,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        credman::validate_username(&self.new)?;
        open_existing(ctx)?.rename_user(&self.old, &self.new)?;
        if ctx.json {
            print_json(&json!({ "old": self.old, "new": self.new }))?;
        } else {
            print_line(format!("renamed '{}' to '{}'", self.old, self.new))?;
        }
        Ok(Answer::Yes)
    }
}
