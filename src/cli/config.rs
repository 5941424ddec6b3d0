//! `credman config list | get | set`

use clap::Subcommand;
use serde_json::{Value, json};

use super::output::{print_json, print_line, print_table, table};
use super::{Answer, Ctx, open_existing, open_or_create};

/// Read or change the policy shared with the web app (stored in the database)
///
/// The settings: the password policy (password.*, service.name), throttling after failed
/// logins (lockout.*), session lifetimes (session.*), the argon2id parameters of new hashes
/// (hash.argon2.*) and the highest costs accepted from stored hashes (hash.cap.*). A change
/// applies at once to every program that uses the database, and is recorded in the event log.
///
/// Examples:
///   credman config list
///   credman config get password.min_length
///   credman config set hash.argon2.m 47104
///   credman config set session.idle 15m
#[derive(Debug, Subcommand)]
#[command(verbatim_doc_comment)]
pub enum Command {
    /// Show every setting, its value and its default
    ///
    /// Examples:
    ///   credman config list
    ///   credman config list --json | jq -r '.[] | select(.value != .default) | .key'
    #[command(verbatim_doc_comment)]
    List,
    /// Print one setting's value
    ///
    /// The value in force: the stored one, or the default. Durations print like 30m or 12h.
    ///
    /// Examples:
    ///   credman config get session.ttl
    ///   credman config get hash.argon2.m --json
    #[command(verbatim_doc_comment)]
    Get {
        /// The setting, e.g. password.min_length
        key: String,
    },
    /// Change one setting (validated; the whole policy must stay consistent)
    ///
    /// The value must be in the setting's range (`config list` describes each), and the policy
    /// as a whole must stay consistent: new argon2id parameters, for one, must stay within the
    /// hash.cap.argon2.* caps. The change is recorded in the event log. Creates the database if
    /// it does not exist yet.
    ///
    /// Examples:
    ///   credman config set password.min_length 12
    ///   credman config set session.ttl 7d
    ///   credman config set lockout.threshold 5
    #[command(verbatim_doc_comment)]
    Set {
        /// The setting, e.g. password.min_length
        key: String,
        /// The new value: a number, a duration like 90s, 30m, 12h, 7d, or text (service.name)
        value: String,
    },
}

fn entry_json(e: &credman::ConfigEntry) -> Value {
    json!({ "key": e.key, "value": e.value, "default": e.default, "description": e.help })
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        match self {
            Command::List => {
                let entries = open_existing(ctx)?.config_list()?;
                if ctx.json {
                    print_json(&Value::Array(entries.iter().map(entry_json).collect()))?;
                } else {
                    let mut t = table(["KEY", "VALUE", "DEFAULT", "DESCRIPTION"]);
                    for e in &entries {
                        t.add_row([e.key, &e.value, e.default, e.help]);
                    }
                    print_table(&t)?;
                }
            }
            Command::Get { key } => {
                let entry = open_existing(ctx)?.config_get(&key)?;
                if ctx.json {
                    print_json(&entry_json(&entry))?;
                } else {
                    print_line(&entry.value)?;
                }
            }
            Command::Set { key, value } => {
                let entry = open_or_create(ctx)?.config_set(&key, &value)?;
                if ctx.json {
                    print_json(&entry_json(&entry))?;
                } else {
                    print_line(format!("{} = {}", entry.key, entry.value))?;
                }
            }
        }
        Ok(Answer::Yes)
    }
}
