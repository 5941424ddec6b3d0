//! `credman verify`

use serde_json::json;

use super::input;
use super::output::{print_json, print_line};
use super::{Answer, Ctx, open_existing};

/// Check a user's password; exit 0 if it is valid, 1 if not
///
/// Every denial looks the same (unknown user, wrong password, locked, throttled): same output,
/// exit status 1. A success may upgrade the stored hash to the current policy. Without a
/// terminal, the password must come from standard input (--password-stdin).
///
/// Examples:
///   credman verify alice --explain              # at a terminal: prompts, says why if denied
///   printf '%s\n' "$PASSWORD" | credman verify alice --password-stdin && echo welcome
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The user name
    name: String,

    /// Read the password from the first line of standard input instead of prompting
    #[arg(long)]
    password_stdin: bool,

    /// Say why a denial happened, on stderr (for an admin at a terminal; never pass this
    /// through to a client)
    #[arg(long)]
    explain: bool,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_existing(ctx)?;
        let password = input::password(ctx, self.password_stdin, &self.name)?;
        let outcome = app.verify(&self.name, &password)?;
        drop(password);
        if ctx.json {
            print_json(&json!({
                "user": self.name,
                "valid": outcome.valid,
                "rehashed": outcome.rehashed,
            }))?;
        } else if outcome.valid {
            print_line(if outcome.rehashed {
                "valid (hash upgraded)"
            } else {
                "valid"
            })?;
        } else {
            print_line("invalid")?;
        }
        if let (true, Some(denial)) = (self.explain, &outcome.denial) {
            eprintln!("credman: denied: {denial}");
        }
        Ok(if outcome.valid {
            Answer::Yes
        } else {
            Answer::No
        })
    }
}
