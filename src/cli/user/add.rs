//! `credman user add`

use super::super::output::user_json;
use super::super::{Answer, Ctx, open_or_create};
use super::{PasswordSource, report};

/// Create a user with a password
///
/// The password is prompted for twice, read from stdin (--password-stdin), or generated
/// (--generate, printed once). It must pass the policy (at least 15 characters, not common,
/// not built on the user name) unless --allow-weak, which the event log records. Creates the
/// database if it does not exist yet.
///
/// Examples:
///   credman user add alice                      # prompts twice
///   printf '%s\n' "$PW" | credman user add alice --password-stdin
///   credman user add svc-backup --generate --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The new user's name (1-64 characters, case-sensitive)
    name: String,

    #[command(flatten)]
    source: PasswordSource,

    /// Accept a password the policy refuses (recorded in the event log)
    #[arg(long)]
    allow_weak: bool,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        credman::validate_username(&self.name)?;
        let app = open_or_create(ctx)?;
        // Before asking for a password that could not be used.
        if app.user_exists(&self.name)? {
            return Err(credman::Error::AlreadyExists(self.name).into());
        }
        let (password, generated) = self.source.read(ctx, &app, &self.name)?;
        let user = app.add_user(&self.name, &password, self.allow_weak)?;
        let line = format!("created user '{}'", user.name);
        report(ctx, user_json(&user), line, &password, generated)?;
        Ok(Answer::Yes)
    }
}
