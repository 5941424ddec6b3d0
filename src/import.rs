//! Users and hashes from elsewhere: htpasswd files, `/etc/shadow`-style lines, CSV, JSON Lines,
//! bare hashes, and a web app's own SQLite database. [`read`] turns an input into [`Item`]s;
//! [`Importer`] stores them as users (`credman import`), and [`crate::audit::audit_items`]
//! judges them without storing anything (`credman audit FILE`).
//!
//! Nothing here ever quotes a line back: a reason says what is wrong and where (the line
//! number), never what the line held, since a misplaced column may be a password.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::str::FromStr;

use serde_json::Value;

use crate::Credman;
use crate::error::{Error, Result};
use crate::events::action;
use crate::hashing::{self, Verdict};
use crate::policy::Policy;
use crate::store::Tx;
use crate::users::validate_username;

/// The longest line read; a longer one is reported as bad and skipped, so a file without
/// newlines cannot make the reader hold all of it.
pub const MAX_LINE: usize = 64 * 1024;

/// How many users a non-atomic import writes per transaction: large enough that the fsync of
/// each commit costs little (about 15 ms on a slow disk), small enough that a web login waiting
/// for the write lock is held up for a fraction of a second at most (10 000 users take about
/// 0.15 s to write here).
pub const BATCH: usize = 10_000;

/// SQLite's page cache during an import, in KiB (taken only as pages are used): the name index
/// of a file in random order is written at random places, which a default 2 MiB cache evicts
/// and reads back again and again.
const IMPORT_CACHE_KIB: u32 = 256 * 1024;

/// The formats an input may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `user:hash` lines, as `htpasswd` writes them (also any `user:hash` export: Werkzeug and
    /// Django hashes contain colons, so only the first one separates).
    Htpasswd,
    /// `/etc/shadow` lines: `user:hash:…`. A hash behind `!` is a locked account; `*`, `!`,
    /// `!!` and an empty field are accounts without a password.
    Shadow,
    /// Comma-separated `user,hash`, an optional header row (`user,hash`, `username,password`,
    /// …) first; further columns are ignored.
    Csv,
    /// One JSON object per line with the user in `user` (or `username`, `name`) and the hash
    /// in `hash` (or `password_hash`, `password`).
    Jsonl,
    /// One bare hash per line, no user: for `audit` only.
    Lines,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Htpasswd,
        Format::Shadow,
        Format::Csv,
        Format::Jsonl,
        Format::Lines,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Htpasswd => "htpasswd",
            Self::Shadow => "shadow",
            Self::Csv => "csv",
            Self::Jsonl => "jsonl",
            Self::Lines => "lines",
        }
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "unknown format {s:?}; use htpasswd, shadow, csv, jsonl or lines"
                ))
            })
    }
}

/// A stored hash read from an input, with the user it belongs to.
#[derive(Clone, PartialEq, Eq)]
pub struct Entry {
    /// The line (or, from a database, the row) it came from, counting from 1.
    pub line: u64,
    /// `None` in the `lines` format.
    pub user: Option<String>,
    pub hash: String,
    /// The input marks the account as locked (shadow's `!` before the hash).
    pub locked: bool,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("line", &self.line)
            .field("user", &self.user)
            .field("hash", &"[redacted]")
            .field("locked", &self.locked)
            .finish()
    }
}

/// A line that could not be used, and why. The reason never quotes the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: u64,
    pub reason: String,
}

/// One line's worth of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Hash(Entry),
    /// An account with no password hash to take (shadow's `*`, `!!`, an empty field).
    NoHash {
        line: u64,
        user: String,
    },
    Bad(BadLine),
}

impl Item {
    /// The line of the input the item starts on (1-based).
    pub fn line(&self) -> u64 {
        match self {
            Item::Hash(entry) => entry.line,
            Item::NoHash { line, .. } => *line,
            Item::Bad(bad) => bad.line,
        }
    }
}

fn bad(line: u64, reason: impl Into<String>) -> Item {
    Item::Bad(BadLine {
        line,
        reason: reason.into(),
    })
}

/// Reads `input` in `format`, calling `f` with each item until it returns `false`. Blank lines
/// and `#` comments are skipped (but counted). Only an I/O error stops the reading early.
pub fn read<R: Read>(
    input: R,
    format: Format,
    mut f: impl FnMut(Item) -> bool,
) -> std::io::Result<()> {
    if format == Format::Csv {
        return read_csv(input, f);
    }
    let mut input = BufReader::with_capacity(256 * 1024, input);
    let mut buf = Vec::with_capacity(256);
    let mut number = 0u64;
    loop {
        buf.clear();
        let n = (&mut input)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)?;
        if n == 0 {
            return Ok(());
        }
        number += 1;
        if buf.len() > MAX_LINE && buf.last() != Some(&b'\n') {
            skip_rest_of_line(&mut input)?;
            if !f(bad(number, format!("longer than {MAX_LINE} bytes"))) {
                return Ok(());
            }
            continue;
        }
        let mut line = &buf[..];
        if number == 1 {
            line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
        }
        let item = match std::str::from_utf8(line) {
            Ok(text) => parse_line(format, number, text),
            Err(_) => Some(bad(number, "not UTF-8 text")),
        };
        if let Some(item) = item
            && !f(item)
        {
            return Ok(());
        }
    }
}

fn skip_rest_of_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = chunk.len();
                input.consume(n);
            }
        }
    }
}

/// Parses one line of a line-based format (not CSV, whose quoted fields may span lines).
/// `None` for a blank line or a `#` comment.
pub fn parse_line(format: Format, number: u64, line: &str) -> Option<Item> {
    let line = line.trim_end_matches(['\n', '\r']);
    if line.trim().is_empty() || line.starts_with('#') {
        return None;
    }
    Some(match format {
        Format::Htpasswd => match line.split_once(':') {
            Some((user, hash)) => entry(number, user, hash.trim(), false),
            None => bad(number, "not a `user:hash` line"),
        },
        Format::Shadow => shadow_line(number, line),
        Format::Jsonl => json_line(number, line),
        Format::Lines => Item::Hash(Entry {
            line: number,
            user: None,
            hash: line.trim().to_owned(),
            locked: false,
        }),
        Format::Csv => {
            // One line of CSV without quotes spanning lines: parse it as a whole input.
            let mut item = None;
            // Reading from a slice cannot fail.
            let _ = read_csv(line.as_bytes(), |i| {
                item = Some(i);
                false
            });
            return item.map(|i| renumber(i, number));
        }
    })
}

fn renumber(item: Item, number: u64) -> Item {
    match item {
        Item::Hash(e) => Item::Hash(Entry { line: number, ..e }),
        Item::NoHash { user, .. } => Item::NoHash { line: number, user },
        Item::Bad(b) => bad(number, b.reason),
    }
}

fn entry(number: u64, user: &str, hash: &str, locked: bool) -> Item {
    if hash.is_empty() {
        return bad(number, "no hash after the user name");
    }
    Item::Hash(Entry {
        line: number,
        user: Some(user.to_owned()),
        hash: hash.to_owned(),
        locked,
    })
}

fn shadow_line(number: u64, line: &str) -> Item {
    let mut fields = line.split(':');
    let (Some(user), Some(field)) = (fields.next(), fields.next()) else {
        return bad(number, "not a `user:hash:…` shadow line");
    };
    let (locked, hash) = match field.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, field),
    };
    // `*` and `!` mean "no password can match"; `*LK*`, `*NP*` are Solaris' spelling of it.
    if hash.is_empty() || hash.starts_with(['*', '!']) {
        return Item::NoHash {
            line: number,
            user: user.to_owned(),
        };
    }
    entry(number, user, hash, locked)
}

fn json_line(number: u64, line: &str) -> Item {
    let value: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        // serde_json's syntax errors say where, never what.
        Err(e) => return bad(number, format!("not valid JSON (column {})", e.column())),
    };
    let Value::Object(object) = value else {
        return bad(number, "not a JSON object");
    };
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| object.get(*n))
            .map(|v| v.as_str().ok_or(()))
    };
    match (
        field(&["user", "username", "name"]),
        field(&["hash", "password_hash", "password"]),
    ) {
        (Some(Ok(user)), Some(Ok(hash))) => entry(number, user, hash.trim(), false),
        (None, _) => bad(number, "no \"user\" field (nor \"username\", \"name\")"),
        (_, None) => bad(
            number,
            "no \"hash\" field (nor \"password_hash\", \"password\")",
        ),
        _ => bad(number, "the user and the hash must be JSON strings"),
    }
}

/// Header names that mark a CSV's first row as a header, not a user.
const CSV_USER_HEADERS: [&str; 5] = ["user", "username", "name", "login", "email"];
const CSV_HASH_HEADERS: [&str; 4] = ["hash", "password", "password_hash", "passwd"];

/// The input of the CSV reader, noting where its `\n` bytes are, so that each record gets the
/// line it starts on. The `csv` crate's own line count is that of the position after the previous
/// record, which is a line short after a CRLF (the reader stops at the `\r`) and after blank
/// lines (they are skipped as part of the next record).
struct LineCounter<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// How many `\n` bytes come before the offsets already asked about.
    counted: u64,
    /// The offsets of the `\n` bytes of the last read not yet counted.
    pending: std::collections::VecDeque<u64>,
    /// The input has ended. The CSV reader returns a record as soon as it has read its
    /// terminator, so a record read once this is set ran to the end of the input unterminated.
    at_end: bool,
}

impl<R> LineCounter<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            counted: 0,
            pending: std::collections::VecDeque::new(),
            at_end: false,
        }
    }

    /// How many `\n` bytes come before byte `offset`. Offsets asked must not decrease.
    fn newlines_before(&mut self, offset: u64) -> u64 {
        while self.pending.front().is_some_and(|&at| at < offset) {
            self.pending.pop_front();
            self.counted += 1;
        }
        self.counted
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.at_end |= n == 0 && !buf.is_empty();
        // The CSV reader reads through a `BufReader`, which reads only once all it read before
        // is consumed, and it asks about records it has yet to read: every `\n` read before
        // comes before any offset it will ask about. So only one read's worth is kept, however
        // many blank lines or however long a record there is.
        self.counted += self.pending.len() as u64;
        self.pending.clear();
        let start = self.offset;
        self.pending.extend(
            (0u64..)
                .zip(&buf[..n])
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| start + i),
        );
        self.offset += n as u64;
        Ok(n)
    }
}

/// CSV by the `csv` crate (quoting, embedded commas and newlines, CRLF). The first two columns
/// are the user and the hash.
fn read_csv<R: Read>(input: R, mut f: impl FnMut(Item) -> bool) -> std::io::Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(256 * 1024)
        .from_reader(LineCounter::new(input));
    let mut record = csv::ByteRecord::new();
    let mut first = true;
    loop {
        let number = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let number = e.position().map_or(number, |p| p.line());
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(std::io::Error::other(e));
                }
                if !f(bad(number, "not valid CSV")) {
                    return Ok(());
                }
                continue;
            }
        }
        // The line the record starts on: the line of its last byte, less the line breaks inside
        // its quoted fields. The reader has consumed the record and its terminator (`\n`, or
        // the `\r` of a CRLF), if it had one rather than running to the end of the input.
        let end = reader.position().byte();
        let counter = reader.get_mut();
        let content_end = if counter.at_end {
            end
        } else {
            end.saturating_sub(1)
        };
        let inside = record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
        let number = 1 + counter.newlines_before(content_end).saturating_sub(inside);
        let mut fields = record.iter().map(std::str::from_utf8);
        let (user, hash) = (fields.next(), fields.next());
        let is_first = std::mem::take(&mut first);
        let item = match (user, hash) {
            (Some(Ok(user)), Some(Ok(hash))) => {
                let user = user.strip_prefix('\u{feff}').unwrap_or(user);
                let header = |names: &[&str], s: &str| {
                    names.iter().any(|n| n.eq_ignore_ascii_case(s.trim()))
                };
                if is_first && header(&CSV_USER_HEADERS, user) && header(&CSV_HASH_HEADERS, hash) {
                    continue;
                }
                if user.trim().is_empty() && hash.trim().is_empty() {
                    continue;
                }
                entry(number, user, hash.trim(), false)
            }
            (Some(Err(_)), _) | (_, Some(Err(_))) => bad(number, "not UTF-8 text"),
            (Some(Ok(u)), None) if u.trim().is_empty() || u.starts_with('#') => continue,
            _ => bad(number, "fewer than two columns (user, hash)"),
        };
        if !f(item) {
            return Ok(());
        }
    }
}

/// What an import should do with what it reads.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Replace the hash of users that already exist (and revoke their sessions), instead of
    /// skipping them.
    pub update: bool,
    /// All or nothing: one transaction, rolled back if any line is bad.
    pub atomic: bool,
    /// Do everything in a transaction that is then rolled back: count what would happen.
    pub dry_run: bool,
    /// Where the users come from, for the event log (a file name, `APP.db`).
    pub source: String,
}

/// What an import did (or, dry or rolled back, would have done).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// New users.
    pub added: u64,
    /// Existing users whose hash was replaced (`update`).
    pub updated: u64,
    /// Existing users left alone: without `update`, or already with this very hash.
    pub skipped: u64,
    /// Of the added and updated, those imported locked.
    pub locked: u64,
    /// Accounts without a password hash, not imported.
    pub no_hash: u64,
    /// Lines that could not be imported, in input order.
    pub bad: Vec<BadLine>,
    /// Whether the changes are in the database: false for a dry run, and for an atomic import
    /// with a bad line.
    pub committed: bool,
}

/// Stores [`Item`]s as users, batch by batch (or in one transaction when atomic or dry). Made by
/// [`Credman::importer`]; end it with [`Importer::finish`]. Dropped unfinished, it rolls back
/// the batch in progress.
pub struct Importer<'a> {
    app: &'a Credman,
    options: ImportOptions,
    policy: Policy,
    now: i64,
    tx: Option<Tx<'a>>,
    in_tx: usize,
    /// Users imported in committed transactions.
    committed: u64,
    /// Each user name seen so far and its line: a name given twice is a bad line.
    seen: HashMap<String, u64>,
    report: ImportReport,
}

impl Credman {
    /// Starts an import. Items go in with [`Importer::add`].
    pub fn importer(&self, options: ImportOptions) -> Result<Importer<'_>> {
        self.store().set_cache_kib(IMPORT_CACHE_KIB)?;
        Ok(Importer {
            app: self,
            options,
            policy: self.policy()?,
            now: self.now(),
            tx: None,
            in_tx: 0,
            committed: 0,
            seen: HashMap::new(),
            report: ImportReport::default(),
        })
    }
}

impl<'a> Importer<'a> {
    /// Users imported so far in committed transactions: what stays if the import fails now.
    pub fn committed(&self) -> u64 {
        self.committed
    }

    /// Bad lines so far.
    pub fn bad_lines(&self) -> usize {
        self.report.bad.len()
    }

    /// Takes one item. A bad line is recorded and the import goes on; only a database error
    /// is returned.
    pub fn add(&mut self, item: Item) -> Result<()> {
        match item {
            Item::Hash(entry) => match self.check(&entry) {
                Ok(user) => self.store(user, &entry),
                Err(reason) => {
                    self.report.bad.push(BadLine {
                        line: entry.line,
                        reason,
                    });
                    Ok(())
                }
            },
            Item::NoHash { .. } => {
                self.report.no_hash += 1;
                Ok(())
            }
            Item::Bad(bad) => {
                self.report.bad.push(bad);
                Ok(())
            }
        }
    }

    /// Whether an entry may be imported: a valid user name, seen once, and a hash credman can
    /// verify. Returns the user name.
    fn check(&mut self, entry: &Entry) -> std::result::Result<String, String> {
        let Some(user) = &entry.user else {
            return Err("no user name".into());
        };
        validate_username(user).map_err(|e| e.to_string())?;
        let id = hashing::identify(&entry.hash, &self.policy.argon2, &self.policy.caps);
        match (id.scheme, id.verdict) {
            ("unknown", _) => {
                return Err(
                    "not a password hash credman recognises (a password in the clear \
                            is never imported)"
                        .into(),
                );
            }
            (_, Verdict::Plaintext) => {
                return Err(
                    "a password stored in the clear (Werkzeug `plain$`) is never \
                            imported; set this user's password instead"
                        .into(),
                );
            }
            (scheme, Verdict::Malformed) => {
                let why = id.reasons.join("; ");
                // The parsers' own words often say it already ("malformed bcrypt hash").
                return Err(if why.starts_with("malformed") {
                    why
                } else {
                    format!("malformed {scheme} hash: {why}")
                });
            }
            _ => {}
        }
        if let Some(first) = self.seen.get(user) {
            return Err(format!("the same user name as line {first}"));
        }
        self.seen.insert(user.clone(), entry.line);
        Ok(user.clone())
    }

    fn store(&mut self, user: String, entry: &Entry) -> Result<()> {
        if self.tx.is_none() {
            self.tx = Some(self.app.store().begin_write()?);
        }
        let tx = self.tx.as_ref().expect("a transaction was just begun");
        let (app, now) = (self.app, self.now);
        let scheme = hashing::scheme(&entry.hash);
        let source = &self.options.source;
        let lock_reason = "locked in the imported file";
        // Insert first: in a fresh import nearly every user is new, and the lookup is saved.
        if let Some(id) = tx.insert_user_if_new(&user, &entry.hash, now)? {
            let mut detail = format!("{scheme} hash from {source}");
            if entry.locked {
                tx.lock_user(id, Some(lock_reason))?;
                detail.push_str("; locked there");
                self.report.locked += 1;
            }
            app.record(tx, now, action::USER_IMPORT, Some(&user), &detail)?;
            self.report.added += 1;
        } else {
            let row = tx.existing_user(&user)?;
            if !self.options.update || row.hash == entry.hash {
                self.report.skipped += 1;
            } else {
                tx.set_password_hash(row.id, &entry.hash, now)?;
                let revoked = tx.revoke_sessions_of(Some(row.id), now)?;
                let mut detail = format!(
                    "hash replaced by a {scheme} one from {source}; {revoked} sessions revoked"
                );
                if entry.locked && !row.locked {
                    tx.lock_user(row.id, Some(lock_reason))?;
                    detail.push_str("; locked there");
                    self.report.locked += 1;
                }
                app.record(tx, now, action::USER_IMPORT, Some(&user), &detail)?;
                self.report.updated += 1;
            }
        }
        self.in_tx += 1;
        if !(self.options.atomic || self.options.dry_run) && self.in_tx >= BATCH {
            self.commit()?;
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        if let Some(tx) = self.tx.take() {
            tx.commit()?;
        }
        self.committed += self.in_tx as u64;
        self.in_tx = 0;
        Ok(())
    }

    /// Ends the import: commits (with one summary event), or rolls back a dry run and an
    /// atomic import that met a bad line.
    pub fn finish(mut self) -> Result<ImportReport> {
        let roll_back =
            self.options.dry_run || (self.options.atomic && !self.report.bad.is_empty());
        if roll_back {
            self.tx = None; // dropped: rolled back
            self.report.committed = false;
            return Ok(std::mem::take(&mut self.report));
        }
        if self.tx.is_none() {
            self.tx = Some(self.app.store().begin_write()?);
        }
        let r = &self.report;
        let detail = format!(
            "from {}: {} added, {} updated, {} skipped, {} without a hash, {} bad lines",
            self.options.source,
            r.added,
            r.updated,
            r.skipped,
            r.no_hash,
            r.bad.len()
        );
        let tx = self.tx.as_ref().expect("a transaction is open");
        self.app
            .record(tx, self.now, action::IMPORT, None, &detail)?;
        self.commit()?;
        self.report.committed = true;
        Ok(std::mem::take(&mut self.report))
    }
}

impl Drop for Importer<'_> {
    fn drop(&mut self) {
        // A batch still open (an import that failed, or was dropped unfinished) rolls back
        // first; then the handle goes back to its usual cache.
        self.tx = None;
        let _ = self
            .app
            .store()
            .set_cache_kib(crate::store::DEFAULT_CACHE_KIB);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(format: Format, input: &str) -> Vec<Item> {
        let mut out = Vec::new();
        read(input.as_bytes(), format, |i| {
            out.push(i);
            true
        })
        .unwrap();
        out
    }

    fn hash(line: u64, user: Option<&str>, hash: &str, locked: bool) -> Item {
        Item::Hash(Entry {
            line,
            user: user.map(str::to_owned),
            hash: hash.to_owned(),
            locked,
        })
    }

    #[test]
    fn htpasswd_splits_at_the_first_colon_only() {
        let got = items(
            Format::Htpasswd,
            "# comment\nalice:$apr1$x$y\r\n\nbob:pbkdf2:sha256:600000$s$h\nnocolon\ncarol:\n",
        );
        assert_eq!(
            got,
            vec![
                hash(2, Some("alice"), "$apr1$x$y", false),
                hash(4, Some("bob"), "pbkdf2:sha256:600000$s$h", false),
                bad(5, "not a `user:hash` line"),
                bad(6, "no hash after the user name"),
            ]
        );
    }

    #[test]
    fn shadow_knows_locked_and_passwordless_accounts() {
        let got = items(
            Format::Shadow,
            "root:$6$s$h:19000:0:99999:7:::\ndaemon:*:19000::::::\nold:!$5$s$h:1::::::\n\
             nopw::1::::::\nnew:!!:1::::::\nsolaris:*LK*:::::::\nbroken\n",
        );
        assert_eq!(
            got,
            vec![
                hash(1, Some("root"), "$6$s$h", false),
                Item::NoHash {
                    line: 2,
                    user: "daemon".into()
                },
                hash(3, Some("old"), "$5$s$h", true),
                Item::NoHash {
                    line: 4,
                    user: "nopw".into()
                },
                Item::NoHash {
                    line: 5,
                    user: "new".into()
                },
                Item::NoHash {
                    line: 6,
                    user: "solaris".into()
                },
                bad(7, "not a `user:hash:…` shadow line"),
            ]
        );
    }

    #[test]
    fn csv_has_an_optional_header_and_quoting() {
        let got = items(
            Format::Csv,
            "username,password\nalice,$2b$12$abc\n\"bo,b\",\"x$y\"\nlonely\n\"multi\nline\",h\n",
        );
        assert_eq!(
            got,
            vec![
                hash(2, Some("alice"), "$2b$12$abc", false),
                hash(3, Some("bo,b"), "x$y", false),
                bad(4, "fewer than two columns (user, hash)"),
                hash(5, Some("multi\nline"), "h", false),
            ]
        );
        // A first row that is not a header is a user.
        assert_eq!(
            items(Format::Csv, "alice,h\n"),
            vec![hash(1, Some("alice"), "h", false)]
        );
    }

    /// Found by the `import_line` fuzz target: a CSV record was numbered from where the previous
    /// one ended, a line short after each CRLF and after blank lines.
    #[test]
    fn csv_records_are_numbered_by_the_line_they_start_on() {
        let lines = |input: &str| -> Vec<u64> {
            items(Format::Csv, input).iter().map(Item::line).collect()
        };
        assert_eq!(lines("a,1\r\nb,2\r\nc,3\r\n"), [1, 2, 3]);
        assert_eq!(lines("a,1\n\n\nb,2\n"), [1, 4]);
        assert_eq!(lines("\r\n\r\na,1\r\n"), [3]);
        assert_eq!(lines("bad\r\n\r\nb,2"), [1, 3]);
        // Line breaks inside quotes count; the record is numbered by its first line.
        assert_eq!(lines("\"x\r\ny\",1\r\nb,2\r\n"), [1, 3]);
        assert_eq!(lines("a,1\n\"b\nc\nd\",2\ne,3"), [1, 2, 5]);
        // A quote left open runs to the end of the input, line breaks and all.
        assert_eq!(lines("a,1\r\n\r\nb,\"2\nc,3\n"), [1, 3]);
        // A lone `\r` ends a record but not a line, as in the other formats.
        assert_eq!(lines("a,1\rb,2\r"), [1, 1]);
    }

    /// The same numbers when the input comes a few bytes at a time (a pipe), so that records
    /// and line breaks straddle reads.
    #[test]
    fn csv_line_numbers_do_not_depend_on_how_the_input_is_read() {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(self.0.len()).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let input = "user,hash\r\n\r\na,1\n\"b\r\nc\",2\r\n\n\nbad\r\nd,\"4\ne";
        let whole = items(Format::Csv, input);
        assert_eq!(
            whole.iter().map(Item::line).collect::<Vec<_>>(),
            [3, 4, 8, 9],
            "{whole:?}"
        );
        for chunk in 1..8 {
            let mut got = Vec::new();
            read(Trickle(input.as_bytes(), chunk), Format::Csv, |i| {
                got.push(i);
                true
            })
            .unwrap();
            assert_eq!(got, whole, "{chunk} bytes a read");
        }
    }

    #[test]
    fn jsonl_takes_the_usual_field_names() {
        let got = items(
            Format::Jsonl,
            "{\"user\":\"a\",\"hash\":\"h1\"}\n{\"username\":\"b\",\"password\":\"h2\",\"x\":1}\n\
             [1]\n{\"user\":\"c\"}\n{\"hash\":\"h\"}\n{\"user\":1,\"hash\":\"h\"}\n{oops\n",
        );
        assert_eq!(got[0], hash(1, Some("a"), "h1", false));
        assert_eq!(got[1], hash(2, Some("b"), "h2", false));
        let reasons: Vec<(u64, String)> = got[2..]
            .iter()
            .map(|i| match i {
                Item::Bad(b) => (b.line, b.reason.clone()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            reasons.iter().map(|r| r.0).collect::<Vec<_>>(),
            [3, 4, 5, 6, 7]
        );
        assert_eq!(reasons[0].1, "not a JSON object");
        assert!(reasons[1].1.starts_with("no \"hash\""));
        assert!(reasons[2].1.starts_with("no \"user\""));
        assert!(reasons[4].1.starts_with("not valid JSON"));
    }

    #[test]
    fn over_long_and_non_utf8_lines_are_bad_and_skipped() {
        let mut input = b"a:h\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_LINE + 10));
        input.extend(b"\nb:\xff\xfe\nc:h2");
        let mut got = Vec::new();
        read(&input[..], Format::Htpasswd, |i| {
            got.push(i);
            true
        })
        .unwrap();
        assert_eq!(
            got,
            vec![
                hash(1, Some("a"), "h", false),
                bad(2, format!("longer than {MAX_LINE} bytes")),
                bad(3, "not UTF-8 text"),
                hash(4, Some("c"), "h2", false),
            ]
        );
    }

    #[test]
    fn reasons_never_quote_the_line() {
        let secret = "hunter2-correct-horse";
        for format in Format::ALL {
            let input = format!("{secret}\n{{\"user\":\"{secret}\"}}\n{secret},\n{secret}:\n");
            for item in items(format, &input) {
                if let Item::Bad(b) = item {
                    assert!(!b.reason.contains(secret), "{format:?}: {}", b.reason);
                }
            }
        }
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_user() {
        assert_eq!(
            items(Format::Htpasswd, "\u{feff}alice:h\n"),
            vec![hash(1, Some("alice"), "h", false)]
        );
        assert_eq!(
            items(Format::Csv, "\u{feff}alice,h\n"),
            vec![hash(1, Some("alice"), "h", false)]
        );
    }
}
