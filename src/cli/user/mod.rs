//! `credman user ...`

mod add;
mod delete;
mod list;
mod lock;
mod passwd;
mod rename;
mod show;
mod unlock;

use clap::Subcommand;

use super::{Answer, Ctx};

/// Create, list, change, lock and delete users
///
/// A new password is prompted for twice on a terminal, read from the first line of standard
/// input with --password-stdin, or generated with --generate (and printed once); it must pass
/// the policy (`credman config list`) unless --allow-weak. Changing a password, locking and
/// deleting a user revoke their sessions. Every change is recorded in the event log.
///
/// Examples:
///   printf '%s\n' "$PW" | credman user add alice --password-stdin
///   credman user list --json
///   credman user lock alice --reason "laptop stolen, ticket 4711"
#[derive(Debug, Subcommand)]
#[command(verbatim_doc_comment)]
pub enum Command {
    Add(add::Args),
    List(list::Args),
    Show(show::Args),
    Passwd(passwd::Args),
    Lock(lock::Args),
    Unlock(unlock::Args),
    Rename(rename::Args),
    Delete(delete::Args),
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        match self {
            Command::Add(args) => args.run(ctx),
            Command::List(args) => args.run(ctx),
            Command::Show(args) => args.run(ctx),
            Command::Passwd(args) => args.run(ctx),
            Command::Lock(args) => args.run(ctx),
            Command::Unlock(args) => args.run(ctx),
            Command::Rename(args) => args.run(ctx),
            Command::Delete(args) => args.run(ctx),
        }
    }
}

/// How a command that sets a password gets it.
#[derive(Debug, clap::Args)]
#[group(multiple = false)]
pub struct PasswordSource {
    /// Read the password from the first line of standard input instead of prompting
    #[arg(long)]
    password_stdin: bool,

    /// Generate a random password (24 characters from the OS's CSPRNG, or
    /// password.min_length if longer) and print it once
    #[arg(long)]
    generate: bool,
}

impl PasswordSource {
    /// The password to set, and whether it was generated (and so must be shown).
    fn read(
        &self,
        ctx: &Ctx,
        app: &credman::Credman,
        user: &str,
    ) -> anyhow::Result<(credman::Password, bool)> {
        if self.generate {
            return Ok((app.policy()?.generate_password()?, true));
        }
        Ok((
            super::input::new_password(ctx, self.password_stdin, user)?,
            false,
        ))
    }
}

/// Reports a password set by `add` or `passwd`: `doc` with `--json`, else `line`; a generated
/// password is added to either, shown this once.
fn report(
    ctx: &Ctx,
    mut doc: serde_json::Value,
    line: String,
    password: &credman::Password,
    generated: bool,
) -> anyhow::Result<()> {
    use super::output::{print_json, print_line};
    // Generated passwords are base64, so UTF-8.
    let shown = generated.then(|| {
        zeroize::Zeroizing::new(String::from_utf8_lossy(password.as_bytes()).into_owned())
    });
    if ctx.json {
        if let Some(shown) = &shown {
            doc["password"] = shown.as_str().into();
        }
        print_json(&doc)?;
    } else {
        print_line(line)?;
        if let Some(shown) = &shown {
            print_line(format!("password: {}", shown.as_str()))?;
        }
    }
    Ok(())
}
