//! Output: tables for people, one JSON document for programs, timestamps in RFC 3339 UTC.

use std::io::{self, Write};

use comfy_table::{Table, presets};
use credman::{User, rfc3339};
use serde_json::{Value, json};

/// Writes one JSON document (compact, one line) to stdout.
pub fn print_json(value: &Value) -> io::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)
}

/// Writes lines of text to stdout.
pub fn print_line(text: impl std::fmt::Display) -> io::Result<()> {
    writeln!(io::stdout().lock(), "{text}")
}

/// A table in the style of `kubectl get`: no borders, a header, columns padded with spaces, so
/// it reads well and still splits cleanly with awk.
pub fn table<const N: usize>(header: [&str; N]) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::NOTHING).set_header(header);
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
}

pub fn print_table(table: &Table) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

pub fn ts(secs: i64) -> String {
    rfc3339(secs)
}

pub fn opt_ts(secs: Option<i64>) -> Value {
    secs.map_or(Value::Null, |s| Value::String(rfc3339(s)))
}

pub fn opt_ts_text(secs: Option<i64>) -> String {
    secs.map_or_else(|| "never".into(), rfc3339)
}

/// The JSON shape of a user (SPEC §2: `user list` / `user show`).
pub fn user_json(user: &User) -> Value {
    json!({
        "name": user.name,
        "created_at": ts(user.created_at),
        "password_changed_at": ts(user.password_changed_at),
        "last_login_at": opt_ts(user.last_login_at),
        "locked": user.locked,
        "lock_reason": user.lock_reason,
        "failed_attempts": user.failed_attempts,
        "throttled_until": opt_ts(user.throttled_until),
        "scheme": user.scheme,
        "needs_rehash": user.needs_rehash,
        "active_sessions": user.active_sessions,
    })
}
