//! `credman config list | get | set`

use clap::Subcommand;
use serde_json::{Value, json};

use super::output::{print_json, print_line, print_table, table};
use super::{Answer, Ctx, open_existing, open_or_create};

/// Read or change the policy shared with the web app (stored in the database)
///
/// Examples:
///   credman config list
///   credman config set hash.argon2.m 47104
///   credman config set session.idle 15m
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show every setting, its value and its default
    List,
    /// Print one setting's value
    Get {
        /// The setting, e.g. password.min_length
        key: String,
    },
    /// Change one setting (validated; the whole policy must stay consistent)
    Set {
        /// The setting, e.g. password.min_length
        key: String,
        /// The new value: a number, or a duration like 90s, 30m, 12h, 7d
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
