//! `credman audit`

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::ValueEnum;
use credman::{Auditor, Error, FailOn, Finding, Policy};
use serde_json::{Map, Value};

use super::import::Input;
use super::output::{Progress, StreamingTable, progress_bar, table, write_table};
use super::{Answer, Ctx, open_existing};

/// Judge stored hashes: OWASP verdict, needed rehashes, shared hashes and salts
///
/// Prints a summary (how many hashes are strong, weak, legacy, plaintext, malformed) and the
/// users that deserve attention; never a hash. With --fail-on, exits 1 when a finding reaches
/// the threshold, for cron and CI. With FILE, judges the hashes of a file instead of the
/// database's (against the database's policy when there is one); findings then name lines.
///
/// Examples:
///   credman audit
///   credman audit --fail-on weak --json
///   credman audit --stale 90      # needs a rehash, no login for 90 days: upgrade won't reach them
///   credman audit /etc/apache2/.htpasswd --format htpasswd
///   sudo credman audit /etc/shadow --format shadow --fail-on legacy
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Exit 1 when a finding is at least this bad
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<Level>,

    /// Only users whose hash needs a rehash and who have not logged in for DAYS
    #[arg(long, value_name = "DAYS", conflicts_with = "file")]
    stale: Option<u64>,

    /// Audit the hashes in this file (`-` for standard input) instead of the database
    #[arg(requires = "format", value_name = "FILE")]
    file: Option<PathBuf>,

    /// The file's format: lines holds one bare hash per line
    #[arg(
        long,
        value_name = "FORMAT",
        requires = "file",
        value_parser = ["htpasswd", "shadow", "csv", "jsonl", "lines"]
    )]
    format: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Level {
    /// weak, legacy, plaintext or malformed hashes
    Weak,
    /// legacy, plaintext or malformed hashes
    Legacy,
    /// any finding, a needed rehash or a shared hash included
    Any,
}

/// Writes one finding as a JSON object. By hand rather than through a `serde_json::Value`: a
/// million findings would build and drop a million maps (a second of the audit's time).
/// Strings go through serde_json, which escapes them.
fn write_finding_json(out: &mut impl Write, f: &Finding) -> io::Result<()> {
    let text =
        |out: &mut dyn Write, s: &str| serde_json::to_writer(out, s).map_err(io::Error::from);
    out.write_all(b"{")?;
    if let Some(user) = &f.user {
        out.write_all(b"\"user\":")?;
        text(out, user)?;
        out.write_all(b",")?;
    }
    if let Some(line) = f.line {
        write!(out, "\"line\":{line},")?;
    }
    write!(out, "\"scheme\":\"{}\",\"params\":{{", f.scheme)?;
    for (i, (key, value)) in f.params.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        text(out, key)?;
        out.write_all(b":")?;
        text(out, value)?;
    }
    write!(
        out,
        "}},\"verdict\":\"{}\",\"reasons\":[",
        f.verdict.as_str()
    )?;
    for (i, reason) in f.reasons.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        text(out, reason)?;
    }
    write!(out, "],\"needs_rehash\":{}}}", f.needs_rehash)
}

/// What a finding is about: the user, or the line of a file (and its user, if it names one).
fn subject(f: &Finding) -> String {
    match (&f.user, f.line) {
        (Some(user), None) => user.clone(),
        (Some(user), Some(line)) => format!("{line}: {user}"),
        (None, Some(line)) => line.to_string(),
        (None, None) => String::new(),
    }
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let report = match (&self.file, &self.format) {
            (Some(file), Some(format)) => {
                let input = Input::open(file)?;
                // The database's policy when there is one: its argon2id parameters decide
                // what needs a rehash.
                let policy = match open_existing(ctx) {
                    Ok(app) => app.policy()?,
                    Err(e) if matches!(e.downcast_ref(), Some(Error::NoDatabase(_))) => {
                        Policy::default()
                    }
                    Err(e) => return Err(e),
                };
                let mut auditor = Auditor::new(policy);
                input.read(format.parse()?, |item| {
                    auditor.add_item(item);
                    true
                })?;
                auditor.finish()
            }
            _ => {
                let app = open_existing(ctx)?;
                let bar = progress_bar(Progress::Rows(None));
                let report = app.audit_with_progress(self.stale, |n| bar.set_position(n));
                bar.finish_and_clear();
                report?
            }
        };
        let who = if self.file.is_some() { "LINE" } else { "USER" };
        // A million findings: buffered, streamed, never one document tree in memory.
        let mut out = BufWriter::new(io::stdout().lock());
        if ctx.json {
            let summary: Map<String, Value> = report
                .summary
                .iter()
                .map(|(v, n)| (v.as_str().to_owned(), (*n).into()))
                .collect();
            write!(
                out,
                "{{\"summary\":{},\"findings\":",
                Value::Object(summary)
            )?;
            out.write_all(b"[")?;
            for (i, f) in report.findings.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                write_finding_json(&mut out, f)?;
            }
            out.write_all(b"]")?;
            writeln!(out, "}}")?;
        } else {
            let mut t = table(["VERDICT", "HASHES"]);
            for (verdict, n) in &report.summary {
                t.add_row([verdict.as_str().to_owned(), n.to_string()]);
            }
            write_table(&mut out, &t)?;
            if !report.findings.is_empty() {
                writeln!(out)?;
                let mut t = StreamingTable::new([who, "SCHEME", "VERDICT", "REHASH", "REASONS"]);
                for f in &report.findings {
                    let row = [
                        subject(f),
                        f.scheme.to_owned(),
                        f.verdict.as_str().to_owned(),
                        if f.needs_rehash { "yes" } else { "no" }.to_owned(),
                        f.reasons.join("; "),
                    ];
                    t.push(&mut out, row)?;
                }
                t.finish(&mut out)?;
            }
        }
        out.flush()?;
        let threshold = self.fail_on.map(|level| match level {
            Level::Weak => FailOn::Weak,
            Level::Legacy => FailOn::Legacy,
            Level::Any => FailOn::Any,
        });
        Ok(match threshold {
            Some(threshold) if report.fails(threshold) => Answer::No,
            _ => Answer::Yes,
        })
    }
}
