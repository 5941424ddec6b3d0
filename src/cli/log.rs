//! `credman log`

use credman::policy::parse_duration;
use serde_json::{Value, json};

use super::output::{print_json, print_table, table, ts};
use super::{Answer, Ctx, UsageError, open_existing};

/// Show the security event log, oldest first
///
/// Every change, login success and failure is logged, with who did it (`cli:<account>` for
/// this command line); never a password, a token or a hash. The newest --limit events are
/// shown. Actions: db.init, config.set, user.add, user.passwd, user.lock, user.unlock,
/// user.rename, user.delete, user.import, import, policy.override, verify.success,
/// verify.failure, user.throttled, hash.upgrade, session.create, session.rotate,
/// session.revoke, session.prune.
///
/// Examples:
///   credman log --user alice --since 7d
///   credman log --json --limit 1000 | jq '.[] | select(.action == "verify.failure")'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only events about this user
    #[arg(long, value_name = "NAME")]
    user: Option<String>,

    /// Only events newer than this (90s, 30m, 12h, 7d, 1h30m)
    #[arg(long, value_name = "DUR")]
    since: Option<String>,

    /// Show at most this many of the newest events
    #[arg(long, value_name = "N", default_value_t = 100)]
    limit: u64,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let since = self
            .since
            .as_deref()
            .map(parse_duration)
            .transpose()
            .map_err(UsageError)?;
        let app = open_existing(ctx)?;
        let since = since.map(|d| app.now() - d);
        let events = app.events(self.user.as_deref(), since, self.limit)?;
        if ctx.json {
            let rows = events
                .iter()
                .map(|e| {
                    json!({
                        "at": ts(e.at),
                        "actor": e.actor,
                        "action": e.action,
                        "user": e.user,
                        "detail": e.detail,
                    })
                })
                .collect();
            print_json(&Value::Array(rows))?;
        } else {
            let mut t = table(["AT", "ACTOR", "ACTION", "USER", "DETAIL"]);
            for e in &events {
                t.add_row([
                    ts(e.at),
                    e.actor.clone(),
                    e.action.clone(),
                    e.user.clone().unwrap_or_default(),
                    e.detail.clone(),
                ]);
            }
            print_table(&t)?;
        }
        Ok(Answer::Yes)
    }
}
