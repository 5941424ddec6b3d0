//! `credman session create`

use credman::{IssuedSession, SessionOptions};
use serde_json::json;

use super::super::input;
use super::super::output::{print_json, print_line, ts};
use super::super::{Answer, Ctx, open_existing};
use super::duration;

/// Log a user in from the shell: check their password and print a new session token
///
/// The token is printed once (last line, or `token` with --json) and never stored: only its
/// SHA-256 is. A wrong password, an unknown, locked or throttled user all give exit 1 and the
/// same output, as `credman verify` does.
///
/// Examples:
///   credman session create alice                # prompts for alice's password
///   printf '%s\n' "$PW" | credman session create alice --password-stdin --label laptop --json
///   credman session create svc-backup --no-verify --ttl 7d --idle 7d
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The user
    name: String,

    /// Absolute lifetime (90s, 30m, 12h, 7d) [default: session.ttl]
    #[arg(long, value_name = "DUR", value_parser = duration)]
    ttl: Option<i64>,

    /// Idle timeout [default: session.idle]
    #[arg(long, value_name = "DUR", value_parser = duration)]
    idle: Option<i64>,

    /// Read the password from the first line of standard input instead of prompting
    #[arg(long, conflicts_with = "no_verify")]
    password_stdin: bool,

    /// Do not check a password: an admin issuing a session (the event log records it)
    #[arg(long)]
    no_verify: bool,

    /// A note shown in session lists, e.g. the device
    #[arg(long, value_name = "TEXT")]
    label: Option<String>,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_existing(ctx)?;
        let options = SessionOptions {
            ttl: self.ttl,
            idle: self.idle,
            label: self.label.clone(),
            ..SessionOptions::default()
        };
        let (issued, rehashed) = if self.no_verify {
            (app.create_session(&self.name, &options)?, false)
        } else {
            let password = input::password(ctx, self.password_stdin, &self.name)?;
            let login = app.login(&self.name, &password, &options)?;
            match login.session {
                Some(issued) => (issued, login.outcome.rehashed),
                None => {
                    // Every refusal looks the same, as for `verify`.
                    if ctx.json {
                        print_json(&json!({ "user": self.name, "valid": false }))?;
                    } else {
                        print_line("invalid")?;
                    }
                    return Ok(Answer::No);
                }
            }
        };
        show(ctx, &issued, rehashed)?;
        Ok(Answer::Yes)
    }
}

fn show(ctx: &Ctx, issued: &IssuedSession, rehashed: bool) -> anyhow::Result<()> {
    let s = &issued.session;
    if ctx.json {
        print_json(&json!({
            "id": s.id,
            "user": s.user,
            "token": issued.token.as_str(),
            "created_at": ts(s.created_at),
            "expires_at": ts(s.expires_at),
            "idle_timeout": s.idle_timeout,
            "label": s.label,
            "valid": true,
            "rehashed": rehashed,
        }))?;
    } else {
        print_line(format!(
            "session {} for '{}', expires {} (idle timeout {}); its token, shown once:",
            s.id,
            s.user,
            ts(s.expires_at),
            credman::policy::format_duration(s.idle_timeout)
        ))?;
        print_line(issued.token.as_str())?;
    }
    Ok(())
}
