//! `credman session list`

use std::io;

use credman::Session;

use super::super::output::{JsonArray, StreamingTable, session_json, ts};
use super::super::{Answer, Ctx, open_existing};

/// List active sessions (with --all, expired and revoked ones too)
///
/// Rows are streamed: a million sessions start printing at once. Tokens are never shown; the
/// ID is what `session revoke` and `session rotate` take.
///
/// Examples:
///   credman session list --user alice
///   credman session list --all --json | jq '.[] | select(.state == "revoked")'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only this user's sessions
    #[arg(long, value_name = "NAME")]
    user: Option<String>,

    /// Include expired and revoked sessions
    #[arg(long)]
    all: bool,
}

const HEADER: [&str; 8] = [
    "ID",
    "USER",
    "STATE",
    "CREATED",
    "LAST SEEN",
    "EXPIRES",
    "IP",
    "LABEL",
];

fn cells(s: &Session) -> [String; 8] {
    [
        s.id.clone(),
        s.user.clone(),
        s.state.as_str().into(),
        ts(s.created_at),
        ts(s.last_seen_at),
        ts(s.expires_at.min(s.idle_expires_at)),
        s.ip.clone().unwrap_or_default(),
        s.label.clone().unwrap_or_default(),
    ]
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_existing(ctx)?;
        if let Some(name) = &self.user {
            app.user(name)?;
        }
        let user = self.user.as_deref();
        let mut out = io::stdout().lock();
        if ctx.json {
            let mut array = JsonArray::start(&mut out)?;
            app.for_each_session(user, self.all, |s| -> anyhow::Result<()> {
                Ok(array.push(&mut out, &session_json(&s))?)
            })?;
            array.finish(&mut out)?;
        } else {
            let mut table = StreamingTable::new(HEADER);
            app.for_each_session(user, self.all, |s| -> anyhow::Result<()> {
                Ok(table.push(&mut out, cells(&s))?)
            })?;
            table.finish(&mut out)?;
        }
        Ok(Answer::Yes)
    }
}
