//! `credman user passwd`

use serde_json::json;

use super::super::output::{print_json, print_line};
use super::super::{Answer, Ctx, open_existing};
use super::{PasswordSource, show_generated};

/// Set a user's password (and clear their failed-attempt throttling)
///
/// Examples:
///   credman user passwd alice
///   credman user passwd alice --generate
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The user
    name: String,

    #[command(flatten)]
    source: PasswordSource,

    /// Accept a password the policy refuses (recorded in the event log)
    #[arg(long)]
    allow_weak: bool,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_existing(ctx)?;
        app.user(&self.name)?;
        let (password, generated) = self.source.read(ctx, &app, &self.name)?;
        app.set_password(&self.name, &password, self.allow_weak)?;
        if ctx.json {
            let mut doc = json!({ "user": self.name, "changed": true });
            if generated {
                doc["password"] = show_generated(&password).as_str().into();
            }
            print_json(&doc)?;
        } else {
            print_line(format!("password changed for '{}'", self.name))?;
            if generated {
                print_line(format!("password: {}", *show_generated(&password)))?;
            }
        }
        Ok(Answer::Yes)
    }
}
