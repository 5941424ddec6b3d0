//! `credman init`

use serde_json::json;

use super::output::{print_json, print_line};
use super::{Answer, Ctx, open_or_create};

/// Create the database if it does not exist, and print its path
///
/// Safe to run again: an existing database is left as it is. The file is created with mode
/// 0600 and its folder with 0700. Without --db or CREDMAN_DB it is <data dir>/credman/credman.db:
/// on Linux ~/.local/share/credman/credman.db ($XDG_DATA_HOME in place of ~/.local/share).
///
/// Examples:
///   credman init
///   credman --db /var/lib/myapp/users.db init
///   export CREDMAN_DB=/var/lib/myapp/users.db   # for every command after it
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_or_create(ctx)?;
        let path = app.store().path().display().to_string();
        if ctx.json {
            print_json(&json!({ "path": path, "created": app.store().created() }))?;
        } else {
            print_line(path)?;
        }
        Ok(Answer::Yes)
    }
}
