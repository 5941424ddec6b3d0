//! `credman session revoke`

use serde_json::json;

use super::super::output::{print_json, print_line};
use super::super::{Answer, Ctx, open_existing};

/// Revoke sessions: by ID, every session of a user, or every session
///
/// A revoked token stops working at once, in every process. An unknown ID revokes nothing.
///
/// Examples:
///   credman session revoke 3f0c9a1be27d40aa51c6e803
///   credman session revoke --user alice
///   credman session revoke --all
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
#[group(id = "which", required = true, multiple = false, args = ["ids", "user", "all"])]
pub struct Args {
    /// Session IDs (from `credman session list`)
    #[arg(value_name = "ID")]
    ids: Vec<String>,

    /// Revoke every session of this user
    #[arg(long, value_name = "NAME")]
    user: Option<String>,

    /// Revoke every session of every user
    #[arg(long)]
    all: bool,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_existing(ctx)?;
        let revoked = if self.all {
            app.revoke_all_sessions()?
        } else if let Some(user) = &self.user {
            app.revoke_user_sessions(user)?
        } else {
            let ids: Vec<&str> = self.ids.iter().map(String::as_str).collect();
            app.revoke_sessions(&ids)?
        };
        if ctx.json {
            print_json(&json!({ "revoked": revoked }))?;
        } else {
            print_line(format!("revoked {revoked} sessions"))?;
        }
        Ok(Answer::Yes)
    }
}
