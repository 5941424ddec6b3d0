//! Output: tables for people, one JSON document for programs, timestamps in RFC 3339 UTC.

use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use comfy_table::{Table, presets};
use credman::{Session, User, rfc3339};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
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
    write_table(&mut io::stdout().lock(), table)
}

pub fn write_table(out: &mut impl Write, table: &Table) -> io::Result<()> {
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Up to this many rows are laid out by comfy-table; a longer list streams in columns sized
/// from these first rows, so a million rows start printing at once and memory stays flat.
const TABLE_ROWS: usize = 1000;

/// A table whose rows arrive one by one from the database.
pub struct StreamingTable<'h, const N: usize> {
    header: [&'h str; N],
    head: Vec<[String; N]>,
    widths: Option<[usize; N]>,
}

impl<'h, const N: usize> StreamingTable<'h, N> {
    pub fn new(header: [&'h str; N]) -> Self {
        Self {
            header,
            head: Vec::new(),
            widths: None,
        }
    }

    pub fn push(&mut self, out: &mut impl Write, row: [String; N]) -> io::Result<()> {
        if let Some(widths) = &self.widths {
            return write_row(out, widths, &row);
        }
        self.head.push(row);
        if self.head.len() > TABLE_ROWS {
            let widths = column_widths(&self.header, &self.head);
            write_row(out, &widths, &self.header.map(String::from))?;
            for row in self.head.drain(..) {
                write_row(out, &widths, &row)?;
            }
            self.widths = Some(widths);
        }
        Ok(())
    }

    pub fn finish(self, out: &mut impl Write) -> io::Result<()> {
        if self.widths.is_some() {
            return Ok(());
        }
        let mut t = table(self.header);
        for row in self.head {
            t.add_row(row);
        }
        write_table(out, &t)
    }
}

fn column_widths<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> [usize; N] {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    widths
}

fn write_row<const N: usize>(
    out: &mut impl Write,
    widths: &[usize; N],
    row: &[String; N],
) -> io::Result<()> {
    // Straight into the writer: a million rows, no string built per cell. Empty cells at the
    // end are left out, and the last cell is not padded, so no line ends in spaces.
    let last = row.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
    for (i, (cell, w)) in row.iter().zip(widths).enumerate().take(last + 1) {
        if i == last {
            out.write_all(cell.as_bytes())?;
        } else {
            write!(out, "{cell:<w$}  ")?;
        }
    }
    out.write_all(b"\n")
}

/// A JSON array whose elements are written as they arrive: one document, streamed.
pub struct JsonArray {
    first: bool,
}

impl JsonArray {
    pub fn start(out: &mut impl Write) -> io::Result<Self> {
        out.write_all(b"[")?;
        Ok(Self { first: true })
    }

    pub fn push(&mut self, out: &mut impl Write, value: &Value) -> io::Result<()> {
        if !std::mem::take(&mut self.first) {
            out.write_all(b",")?;
        }
        // `io::Error::from` keeps the kind of an I/O failure (a broken pipe stays one).
        serde_json::to_writer(&mut *out, value).map_err(io::Error::from)
    }

    pub fn finish(self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(b"]\n")
    }
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

/// The JSON shape of a session (SPEC §2: `session list`); never a token.
pub fn session_json(s: &Session) -> Value {
    json!({
        "id": s.id,
        "user": s.user,
        "created_at": ts(s.created_at),
        "last_seen_at": ts(s.last_seen_at),
        "expires_at": ts(s.expires_at),
        "idle_expires_at": ts(s.idle_expires_at),
        "idle_timeout": s.idle_timeout,
        "revoked_at": opt_ts(s.revoked_at),
        "label": s.label,
        "ip": s.ip,
        "user_agent": s.user_agent,
        "state": s.state.as_str(),
    })
}

/// What a progress bar counts.
pub enum Progress {
    /// Bytes of a file of this size, when known.
    Bytes(Option<u64>),
    /// Rows, of this many when known.
    Rows(Option<u64>),
    /// Steps of a known number, with a label.
    Steps(u64, &'static str),
    /// One long step: a spinner with this label, ticking on its own.
    Busy(&'static str),
}

/// A progress bar (a spinner when the total is unknown) for import, audit, prune and calibrate,
/// drawn on stderr only when stderr is a terminal, so pipes and logs never see it. Plain text:
/// there is no colour for `NO_COLOR` to turn off.
pub fn progress_bar(counting: Progress) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match counting {
        Progress::Bytes(Some(len)) => (
            ProgressBar::new(len),
            "{bar:40} {bytes}/{total_bytes}, {eta} left".to_owned(),
        ),
        Progress::Bytes(None) => (ProgressBar::new_spinner(), "{spinner} {bytes} read".into()),
        Progress::Rows(Some(len)) => (
            ProgressBar::new(len),
            "{bar:40} {human_pos}/{human_len} rows, {eta} left".into(),
        ),
        Progress::Rows(None) => (
            ProgressBar::new_spinner(),
            "{spinner} {human_pos} rows".into(),
        ),
        Progress::Steps(len, label) => (
            ProgressBar::new(len),
            format!("{label} {{msg}} [{{pos}}/{{len}}]"),
        ),
        Progress::Busy(label) => {
            let bar = ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(120));
            (bar, format!("{{spinner}} {label}"))
        }
    };
    let bar = bar.with_style(ProgressStyle::with_template(&template).expect("a valid template"));
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar
}
