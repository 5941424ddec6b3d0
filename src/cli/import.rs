//! `credman import`, and the reading of an input file that `audit FILE` shares.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;
use credman::import::{self, Format, Item};
use credman::{Credman, Error, ImportOptions, ImportReport, for_each_foreign_row};
use serde_json::json;

use super::output::{Progress, print_json, print_line, progress_bar};
use super::{Answer, Ctx, open_existing, open_or_create};

/// Add users from htpasswd, /etc/shadow, CSV, JSON Lines or an app's SQLite
///
/// The stored hashes are taken as they are (Werkzeug, Django, passlib, bcrypt, sha-crypt,
/// apr1, ...); users log in with their old passwords at once and move to argon2id as they do.
/// Users that exist are skipped (--update replaces their hash and revokes their sessions). A
/// line that cannot be imported (unrecognised hash, bad user name, a name given twice) is
/// reported with its line number and the others are imported, unless --atomic. Exit 2 if any
/// line was bad.
///
/// Formats: htpasswd (user:hash lines, any user:hash export), shadow (/etc/shadow lines; `!`
/// before the hash imports the user locked; `*`, `!!` and empty are skipped), csv (user,hash;
/// an optional header row), jsonl ({"user": ..., "hash": ...} per line; also username,
/// password). From SQLite, the query's first two columns are the user and the hash.
///
/// Examples:
///   credman import /etc/apache2/.htpasswd --format htpasswd
///   credman import users.csv --format csv --atomic --dry-run
///   credman import --sqlite instance/flaskr.sqlite --query 'SELECT username, password FROM user'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The file to read, `-` for standard input
    #[arg(
        required_unless_present = "sqlite",
        conflicts_with = "sqlite",
        requires = "format",
        value_name = "FILE"
    )]
    file: Option<PathBuf>,

    /// The file's format
    #[arg(
        long,
        value_name = "FORMAT",
        requires = "file",
        value_parser = ["htpasswd", "shadow", "csv", "jsonl"]
    )]
    format: Option<String>,

    /// Read the users from this SQLite database (opened read-only) instead of a file
    #[arg(long, value_name = "APP.db", requires = "query")]
    sqlite: Option<PathBuf>,

    /// With --sqlite: a SELECT whose first two columns are the user name and the stored hash
    #[arg(long, value_name = "SQL", requires = "sqlite")]
    query: Option<String>,

    /// Replace the hash of users that already exist (their sessions are revoked)
    #[arg(long)]
    update: bool,

    /// All or nothing: import no user at all if any line is bad
    #[arg(long)]
    atomic: bool,

    /// Report what would happen, change nothing
    #[arg(long)]
    dry_run: bool,
}

/// How many bad lines are listed on stderr; `--json` lists them all.
const LISTED_BAD_LINES: usize = 50;

/// An input opened for reading: a file (with its size, for the progress bar) or standard input.
pub struct Input {
    name: String,
    reader: Box<dyn Read>,
    len: Option<u64>,
}

impl Input {
    /// Opens `path`; `-` is standard input.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let name = path.display().to_string();
        if path == Path::new("-") {
            return Ok(Self {
                name,
                reader: Box::new(std::io::stdin().lock()),
                len: None,
            });
        }
        let file = File::open(path).with_context(|| format!("cannot read {name}"))?;
        let len = file.metadata().ok().map(|m| m.len());
        Ok(Self {
            name,
            reader: Box::new(file),
            len,
        })
    }

    /// Reads it in `format`, calling `f` with each item until it returns `false`. A progress
    /// bar shows on stderr when it is a terminal.
    pub fn read(self, format: Format, f: impl FnMut(Item) -> bool) -> anyhow::Result<()> {
        let bar = progress_bar(Progress::Bytes(self.len));
        import::read(bar.wrap_read(self.reader), format, f)
            .with_context(|| format!("cannot read {}", self.name))?;
        bar.finish_and_clear();
        Ok(())
    }
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        // The input first: one that cannot be read leaves no database behind.
        let input = match (&self.file, &self.sqlite, &self.query) {
            (Some(file), _, _) => Some(Input::open(file)?),
            (None, Some(db), Some(query)) => {
                // Opens the app's database and checks the query, stopping at the first row.
                for_each_foreign_row(db, query, |_, _| false)
                    .with_context(|| format!("cannot read users from {}", db.display()))?;
                None
            }
            _ => unreachable!("clap requires FILE or --sqlite with --query"),
        };
        // A dry run changes nothing, so it does not create the database either: without one,
        // it runs against an empty one in memory (where every user would be added).
        let app = if self.dry_run {
            match open_existing(ctx) {
                Ok(app) => app,
                Err(e) if matches!(e.downcast_ref(), Some(Error::NoDatabase(_))) => {
                    Credman::open_in_memory()?
                }
                Err(e) => return Err(e),
            }
        } else {
            open_or_create(ctx)?
        };
        let source = match (&self.file, &self.sqlite) {
            (Some(file), _) if file == Path::new("-") => "standard input".to_owned(),
            (Some(file), _) | (None, Some(file)) => file.display().to_string(),
            (None, None) => unreachable!("clap requires a file or --sqlite"),
        };
        let mut importer = app.importer(ImportOptions {
            update: self.update,
            atomic: self.atomic,
            dry_run: self.dry_run,
            source,
        })?;
        let mut failed = None;
        let mut take = |item| match importer.add(item) {
            Ok(()) => true,
            Err(e) => {
                failed = Some(e);
                false
            }
        };
        match (input, &self.format, &self.sqlite, &self.query) {
            (Some(input), Some(format), _, _) => input.read(format.parse()?, &mut take)?,
            (None, _, Some(db), Some(query)) => {
                let bar = progress_bar(Progress::Rows(None));
                for_each_foreign_row(db, query, |row, pair| {
                    bar.inc(1);
                    take(match pair {
                        Ok((user, hash)) => Item::Hash(import::Entry {
                            line: row,
                            user: Some(user),
                            hash: hash.trim().to_owned(),
                            locked: false,
                        }),
                        Err(reason) => Item::Bad(import::BadLine { line: row, reason }),
                    })
                })
                .with_context(|| format!("cannot read users from {}", db.display()))?;
                bar.finish_and_clear();
            }
            _ => unreachable!("clap requires FILE with --format, or --sqlite with --query"),
        }
        if let Some(e) = failed {
            let kept = importer.committed();
            return Err(anyhow::Error::new(e).context(format!(
                "the import stopped: {kept} users were imported before it (run it again to \
                 go on: existing users are skipped)"
            )));
        }
        let report = importer.finish()?;
        print_report(ctx, &report, self.dry_run)?;
        let bad = report.bad.len();
        if bad == 0 {
            return Ok(Answer::Yes);
        }
        let lines = if bad == 1 { "line" } else { "lines" };
        anyhow::bail!(
            "{bad} {lines} could not be imported{}",
            if self.dry_run {
                "; nothing was changed (--dry-run)"
            } else if self.atomic {
                "; nothing was imported (--atomic)"
            } else {
                "; the other users were imported"
            }
        )
    }
}

fn print_report(ctx: &Ctx, r: &ImportReport, dry_run: bool) -> anyhow::Result<()> {
    if ctx.json {
        let bad: Vec<_> = r
            .bad
            .iter()
            .map(|b| json!({ "line": b.line, "reason": b.reason }))
            .collect();
        print_json(&json!({
            "added": r.added,
            "updated": r.updated,
            "skipped": r.skipped,
            "locked": r.locked,
            "no_hash": r.no_hash,
            "bad": bad,
            "dry_run": dry_run,
            "committed": r.committed,
        }))?;
        return Ok(());
    }
    for b in r.bad.iter().take(LISTED_BAD_LINES) {
        eprintln!("credman: line {}: {}", b.line, b.reason);
    }
    if r.bad.len() > LISTED_BAD_LINES {
        eprintln!(
            "credman: ... and {} more bad lines (--json lists them all)",
            r.bad.len() - LISTED_BAD_LINES
        );
    }
    let counts = format!(
        "{} added, {} updated, {} skipped (already there), {} locked, {} without a hash, {} bad",
        r.added,
        r.updated,
        r.skipped,
        r.locked,
        r.no_hash,
        r.bad.len()
    );
    if r.committed {
        print_line(counts)?;
    } else {
        print_line(format!("nothing changed; it would have been: {counts}"))?;
    }
    Ok(())
}
