//! `credman user show`

use super::super::output::{opt_ts_text, print_json, print_table, table, ts, user_json};
use super::super::{Answer, Ctx, open_existing};

/// Show one user: dates, lock state, failed attempts, hash scheme
///
/// Never shows the hash itself. "needs rehash" means the stored hash is below the current
/// policy; it is upgraded at the user's next login.
///
/// Examples:
///   credman user show alice
///   credman user show alice --json | jq .last_login_at
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The user
    name: String,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let user = open_existing(ctx)?.user(&self.name)?;
        if ctx.json {
            print_json(&user_json(&user))?;
            return Ok(Answer::Yes);
        }
        let mut t = table(["FIELD", "VALUE"]);
        let locked = match (&user.locked, &user.lock_reason) {
            (true, Some(reason)) => format!("yes ({reason})"),
            (true, None) => "yes".into(),
            (false, _) => "no".into(),
        };
        let rows = [
            ("name", user.name.clone()),
            ("created", ts(user.created_at)),
            ("password changed", ts(user.password_changed_at)),
            ("last login", opt_ts_text(user.last_login_at)),
            ("locked", locked),
            ("failed attempts", user.failed_attempts.to_string()),
            ("throttled until", opt_ts_text(user.throttled_until)),
            ("scheme", user.scheme.to_string()),
            (
                "needs rehash",
                if user.needs_rehash { "yes" } else { "no" }.to_string(),
            ),
            ("active sessions", user.active_sessions.to_string()),
        ];
        for (field, value) in rows {
            t.add_row([field.to_string(), value]);
        }
        print_table(&t)?;
        Ok(Answer::Yes)
    }
}
