//! `credman who`

use serde_json::{Value, json};

use super::output::{print_json, print_table, table, ts};
use super::{Answer, Ctx, open_existing};

/// Who is logged in: one row per user with active sessions
///
/// Shows how many sessions each user has, when the latest was last seen, and where from.
/// To throw someone out: `credman session revoke --user NAME`.
///
/// Examples:
///   credman who
///   credman who --json | jq -r '.[].user'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let rows = open_existing(ctx)?.who()?;
        if ctx.json {
            let rows = rows
                .iter()
                .map(|w| {
                    json!({
                        "user": w.user,
                        "sessions": w.sessions,
                        "last_seen_at": ts(w.last_seen_at),
                        "ip": w.ip,
                        "user_agent": w.user_agent,
                    })
                })
                .collect();
            print_json(&Value::Array(rows))?;
        } else {
            let mut t = table(["USER", "SESSIONS", "LAST SEEN", "FROM", "USER AGENT"]);
            for w in &rows {
                t.add_row([
                    w.user.clone(),
                    w.sessions.to_string(),
                    ts(w.last_seen_at),
                    w.ip.clone().unwrap_or_default(),
                    w.user_agent.clone().unwrap_or_default(),
                ]);
            }
            print_table(&t)?;
        }
        Ok(Answer::Yes)
    }
}
