//! `credman session rotate`

use credman::IssuedSession;
use serde_json::{Value, json};

use super::super::output::{print_json, print_line};
use super::super::{Answer, Ctx, open_existing};

/// Give a session a new token; the old one stops working at once
///
/// Use it after a privilege change. With --user, every active session of that user is rotated.
/// New tokens are printed once, each after its session's ID.
///
/// Examples:
///   credman session rotate 3f0c9a1be27d40aa51c6e803
///   credman session rotate --user alice --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The session's ID (from `credman session list`)
    #[arg(required_unless_present = "user", conflicts_with = "user")]
    id: Option<String>,

    /// Rotate every active session of this user
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
}

fn issued_json(issued: &IssuedSession) -> Value {
    json!({ "id": issued.session.id, "user": issued.session.user, "token": issued.token.as_str() })
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_existing(ctx)?;
        match (&self.id, &self.user) {
            (Some(id), _) => {
                let issued = app.rotate_session(id)?;
                if ctx.json {
                    print_json(&issued_json(&issued))?;
                } else {
                    print_line(format!("{} {}", issued.session.id, issued.token.as_str()))?;
                }
            }
            (None, Some(user)) => {
                let all = app.rotate_user_sessions(user)?;
                if ctx.json {
                    print_json(&Value::Array(all.iter().map(issued_json).collect()))?;
                } else {
                    for issued in &all {
                        print_line(format!("{} {}", issued.session.id, issued.token.as_str()))?;
                    }
                }
            }
            (None, None) => unreachable!("clap requires an id or --user"),
        }
        Ok(Answer::Yes)
    }
}
