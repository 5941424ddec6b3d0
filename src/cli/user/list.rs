//! `credman user list`

use std::io;

use credman::User;

use super::super::output::{JsonArray, StreamingTable, opt_ts_text, ts, user_json};
use super::super::{Answer, Ctx, open_existing};

/// List users, as a table or a JSON array
///
/// Rows are streamed: a million users start printing at once. REHASH says whether the stored
/// hash is below the current policy (it is upgraded at the user's next login).
///
/// Examples:
///   credman user list
///   credman user list --locked
///   credman user list --json | jq -r '.[] | select(.needs_rehash) | .name'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only locked users
    #[arg(long)]
    locked: bool,
}

const HEADER: [&str; 8] = [
    "NAME",
    "CREATED",
    "LAST LOGIN",
    "LOCKED",
    "FAILED",
    "SCHEME",
    "REHASH",
    "SESSIONS",
];

fn cells(u: &User) -> [String; 8] {
    [
        u.name.clone(),
        ts(u.created_at),
        opt_ts_text(u.last_login_at),
        if u.locked { "yes" } else { "no" }.into(),
        u.failed_attempts.to_string(),
        u.scheme.into(),
        if u.needs_rehash { "yes" } else { "no" }.into(),
        u.active_sessions.to_string(),
    ]
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_existing(ctx)?;
        let mut out = io::stdout().lock();
        if ctx.json {
            let mut array = JsonArray::start(&mut out)?;
            app.for_each_user(self.locked, |u| -> anyhow::Result<()> {
                Ok(array.push(&mut out, &user_json(&u))?)
            })?;
            array.finish(&mut out)?;
        } else {
            let mut table = StreamingTable::new(HEADER);
            app.for_each_user(self.locked, |u| -> anyhow::Result<()> {
                Ok(table.push(&mut out, cells(&u))?)
            })?;
            table.finish(&mut out)?;
        }
        Ok(Answer::Yes)
    }
}
