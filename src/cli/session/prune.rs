//! `credman session prune`

use serde_json::json;

use super::super::output::{Progress, print_json, print_line, progress_bar};
use super::super::{Answer, Ctx, open_existing};

/// Delete expired and revoked sessions; print how many
///
/// Nothing else deletes sessions, so `session list --all` shows the history until a prune.
///
/// Examples:
///   credman session prune
///   credman session prune --json                # nightly, from cron
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_existing(ctx)?;
        // One statement, however many rows: a spinner, not a count.
        let bar = progress_bar(Progress::Busy("pruning sessions"));
        let pruned = app.prune_sessions();
        bar.finish_and_clear();
        let pruned = pruned?;
        if ctx.json {
            print_json(&json!({ "pruned": pruned }))?;
        } else {
            print_line(format!("pruned {pruned} sessions"))?;
        }
        Ok(Answer::Yes)
    }
}
