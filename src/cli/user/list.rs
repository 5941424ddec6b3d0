//! `credman user list`

use std::io::{self, Write};

use credman::User;

use super::super::output::{opt_ts_text, print_table, table, ts, user_json};
use super::super::{Answer, Ctx, open_existing};

/// List users, as a table or a JSON array
///
/// Rows are streamed: a million users start printing at once.
///
/// Examples:
///   credman user list --locked
///   credman user list --json | jq -r '.[] | select(.needs_rehash) | .name'
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only locked users
    #[arg(long)]
    locked: bool,
}

/// Up to this many rows are laid out by comfy-table; a longer list streams in columns sized
/// from these first rows.
const TABLE_ROWS: usize = 1000;

const HEADER: [&str; 8] = [
    "NAME",
    "CREATED",
    "LAST LOGIN",
    "LOCKED",
    "FAILED",
    "SCHEME",
    "REHASH",
    "SESSIONS",
];

fn cells(u: &User) -> [String; 8] {
    [
        u.name.clone(),
        ts(u.created_at),
        opt_ts_text(u.last_login_at),
        if u.locked { "yes" } else { "no" }.into(),
        u.failed_attempts.to_string(),
        u.scheme.into(),
        if u.needs_rehash { "yes" } else { "no" }.into(),
        u.active_sessions.to_string(),
    ]
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let app = open_existing(ctx)?;
        let mut out = io::stdout().lock();
        if ctx.json {
            let mut first = true;
            out.write_all(b"[")?;
            app.for_each_user(self.locked, |u| -> anyhow::Result<()> {
                if !std::mem::take(&mut first) {
                    out.write_all(b",")?;
                }
                serde_json::to_writer(&mut out, &user_json(&u))?;
                Ok(())
            })?;
            out.write_all(b"]\n")?;
            return Ok(Answer::Yes);
        }
        let mut head: Vec<[String; 8]> = Vec::new();
        let mut widths: Option<[usize; 8]> = None;
        app.for_each_user(self.locked, |u| -> anyhow::Result<()> {
            let row = cells(&u);
            if let Some(widths) = &widths {
                return write_row(&mut out, widths, &row);
            }
            head.push(row);
            if head.len() > TABLE_ROWS {
                let w = column_widths(&head);
                write_row(&mut out, &w, &HEADER.map(String::from))?;
                for row in head.drain(..) {
                    write_row(&mut out, &w, &row)?;
                }
                widths = Some(w);
            }
            Ok(())
        })?;
        if widths.is_none() {
            drop(out);
            let mut t = table(HEADER);
            for row in head {
                t.add_row(row);
            }
            print_table(&t)?;
        }
        Ok(Answer::Yes)
    }
}

fn column_widths(rows: &[[String; 8]]) -> [usize; 8] {
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    widths
}

fn write_row(out: &mut impl Write, widths: &[usize; 8], row: &[String; 8]) -> anyhow::Result<()> {
    let mut line = String::new();
    for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
        if i + 1 == row.len() {
            line.push_str(cell);
        } else {
            line.push_str(&format!("{cell:<w$}  "));
        }
    }
    writeln!(out, "{}", line.trim_end())?;
    Ok(())
}
