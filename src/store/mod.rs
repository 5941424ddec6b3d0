//! The SQLite store: the only module that names rusqlite.
//!
//! It opens the database (creating it and its folder with private modes), sets the pragmas on
//! every open, applies the embedded migrations, and runs every read-modify-write in one
//! `BEGIN IMMEDIATE` transaction. The SQL for each table lives in the submodules; the rest of the
//! library sees plain Rust types.

mod events;
mod foreign;
mod sessions;
mod settings;
mod users;

use std::fs;
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Result};

pub use foreign::for_each_foreign_row;
pub(crate) use sessions::{NewSessionRow, SessionRow, WhoRow};
pub(crate) use users::UserRow;

/// How long a process waits for another's write lock before it gives up with [`Error::Busy`].
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// SQLite's default page cache, in KiB, which bulk work raises for its duration and restores.
pub(crate) const DEFAULT_CACHE_KIB: u32 = 2000;

/// `PRAGMA application_id` of a credman database ("crmn"): how credman tells its own database
/// from another program's SQLite file, which it must never change.
const APPLICATION_ID: i32 = 0x6372_6d6e;

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The schema, one migration per step, applied in order. `PRAGMA user_version` records how many
/// have run. Append only: never edit a migration that has shipped.
///
/// Hand-written rather than with `rusqlite_migration`: the whole mechanism is the dozen lines of
/// [`Store::migrate`], and the store stays one dependency lighter.
const MIGRATIONS: &[&str] = &[
    // 1: users, settings, the event log.
    "CREATE TABLE users (
        id                  INTEGER PRIMARY KEY,
        name                TEXT NOT NULL UNIQUE,
        hash                TEXT NOT NULL,
        created_at          INTEGER NOT NULL,
        password_changed_at INTEGER NOT NULL,
        last_login_at       INTEGER,
        locked              INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
        lock_reason         TEXT,
        failed_attempts     INTEGER NOT NULL DEFAULT 0,
        throttled_until     INTEGER,
        -- Counts password changes (not hash upgrades): a login that verified against an older
        -- password must not succeed, one that raced with an upgrade must.
        password_version    INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE events (
        id     INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,
        actor  TEXT NOT NULL,
        action TEXT NOT NULL,
        user   TEXT,
        detail TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE INDEX events_by_user ON events (user, id);
    CREATE INDEX events_by_time ON events (at);
    CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;",
    // 2: login sessions. Only a SHA-256 of each token is stored; `public_id` is random and
    // unrelated to the token.
    "CREATE TABLE sessions (
        id            INTEGER PRIMARY KEY,
        public_id     TEXT NOT NULL UNIQUE,
        user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_sha256  BLOB NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
        created_at    INTEGER NOT NULL,
        last_seen_at  INTEGER NOT NULL,
        expires_at    INTEGER NOT NULL,
        idle_timeout  INTEGER NOT NULL,
        revoked_at    INTEGER,
        label         TEXT,
        ip            TEXT,
        user_agent    TEXT
    ) STRICT;
    CREATE INDEX sessions_by_user ON sessions (user_id);",
];

/// Whether opening may create the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the file (mode 0600) and its folder (0700) if they are missing.
    Create,
    /// Fail with [`Error::NoDatabase`] if the file is missing.
    Existing,
}

/// An open credman database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    created: bool,
    warning: Option<String>,
    busy_timeout: Duration,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// A transaction in progress. Dropped without [`Tx::commit`], it rolls back.
pub(crate) struct Tx<'s> {
    store: &'s Store,
    open: bool,
}

impl Store {
    /// Opens (or, with [`OpenMode::Create`], creates) the database at `path`.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        let mut created = false;
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(io(std::io::Error::other("it is a directory, not a file")));
            }
            Ok(_) => check_header(path)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if mode == OpenMode::Existing {
                    return Err(Error::NoDatabase(path.to_owned()));
                }
                created = create_private_file(path).map_err(io)?;
            }
            Err(e) => return Err(io(e)),
        }
        secure_side_files(path);
        let meta = fs::metadata(path).map_err(io)?;
        // SQLite ignores file modes when it runs as root; an admin who made the file read-only
        // meant it, so honour the mode bits ourselves.
        let read_only = meta.mode() & 0o222 == 0;
        let warning = (meta.mode() & 0o077 != 0).then(|| {
            format!(
                "{} is open to other users (mode {:04o}); run `chmod 600` on it",
                path.display(),
                meta.mode() & 0o7777
            )
        });
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| map_err(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            created,
            warning,
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        };
        store.configure(read_only)?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens a private in-memory database, for tests and examples.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| map_err(Path::new(":memory:"), e))?;
        let mut store = Store {
            conn,
            path: ":memory:".into(),
            created: true,
            warning: None,
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        };
        store.configure(false)?;
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this open created the database file.
    pub fn created(&self) -> bool {
        self.created
    }

    /// A warning for the admin, when the database file is readable by other users.
    pub fn permissions_warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// The version of the SQLite library linked in (the bundled one).
    pub fn sqlite_version() -> &'static str {
        rusqlite::version()
    }

    /// Sets the busy timeout: how long to wait for another process's write lock.
    pub fn set_busy_timeout(&mut self, timeout: Duration) -> Result<()> {
        self.busy_timeout = timeout;
        self.conn.busy_timeout(timeout).map_err(|e| self.err(e))
    }

    /// Pragmas are per connection, so they are set on every open, outside the migrations.
    fn configure(&mut self, read_only: bool) -> Result<()> {
        self.set_busy_timeout(DEFAULT_BUSY_TIMEOUT)?;
        // synchronous=FULL: a committed revocation or password change survives power loss.
        // secure_delete: a replaced hash does not linger in free pages.
        self.conn
            .execute_batch(
                "PRAGMA foreign_keys = ON;
                 PRAGMA synchronous = FULL;
                 PRAGMA secure_delete = ON;
                 PRAGMA trusted_schema = OFF;",
            )
            .map_err(|e| self.err(e))?;
        self.check_ownership()?;
        if read_only {
            return Ok(());
        }
        self.enable_wal()
    }

    /// Switches a new database to WAL. Leaving rollback mode needs an exclusive lock, and SQLite
    /// answers SQLITE_BUSY at once there, without calling the busy handler; so when many
    /// processes open a new database together, the losers wait and look again (by then the
    /// winner has usually switched it) until the busy timeout.
    fn enable_wal(&self) -> Result<()> {
        let started = std::time::Instant::now();
        loop {
            let attempt = self
                .conn
                .query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))
                .and_then(|mode| {
                    if mode.eq_ignore_ascii_case("wal") {
                        Ok(mode)
                    } else {
                        self.conn
                            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                    }
                });
            match attempt {
                Ok(_) => return Ok(()),
                Err(e) if is_busy(&e) && started.elapsed() < self.busy_timeout => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(self.err(e)),
            }
        }
    }

    /// Refuses a SQLite database that is neither empty nor credman's (say, the web app's own
    /// database passed to `--db` by mistake) before anything writes to it.
    fn check_ownership(&self) -> Result<()> {
        let (app_id, tables): (i32, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT application_id FROM pragma_application_id()),
                        (SELECT count(*) FROM sqlite_schema)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        if app_id == APPLICATION_ID || (app_id == 0 && tables == 0) {
            Ok(())
        } else {
            Err(Error::ForeignDatabase(self.path.clone()))
        }
    }

    fn schema_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Applies the migrations this database has not seen, all in one transaction.
    fn migrate(&self) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        let found = self.schema_version()?;
        if found > known {
            return Err(Error::SchemaTooNew {
                path: self.path.clone(),
                found,
                known,
            });
        }
        if found == known {
            return Ok(());
        }
        self.write(|tx| {
            // Another process may have migrated while we waited for the lock.
            let found = tx.store.schema_version()?;
            for sql in &MIGRATIONS[found.clamp(0, known) as usize..] {
                tx.execute_batch(sql)?;
            }
            tx.execute_batch(&format!(
                "PRAGMA user_version = {known}; PRAGMA application_id = {APPLICATION_ID}"
            ))
        })
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front (waiting up
    /// to the busy timeout), so the reads inside see what the writes will change and no other
    /// writer can slip between them. Commits when `f` returns `Ok`, rolls back otherwise.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.transaction(true, f)
    }

    /// [`Store::write`] with foreign-key enforcement off for its duration (it cannot change
    /// inside a transaction), so SQLite may empty a table in one step. Only for statements that
    /// cannot break a reference: the sessions table is referenced by nothing.
    pub(crate) fn write_bulk<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.conn
            .execute_batch("PRAGMA foreign_keys = OFF")
            .map_err(|e| self.err(e))?;
        let result = self.write(f);
        let restored = self
            .conn
            .execute_batch("PRAGMA foreign_keys = ON")
            .map_err(|e| self.err(e));
        let value = result?;
        restored?;
        Ok(value)
    }

    /// Sets the page cache's upper bound (SQLite allocates it only as pages are used).
    pub(crate) fn set_cache_kib(&self, kib: u32) -> Result<()> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{kib}"))
            .map_err(|e| self.err(e))
    }

    /// Runs `f` in a read transaction: one consistent snapshot.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.transaction(false, f)
    }

    fn transaction<T>(&self, write: bool, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let tx = self.begin(write)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Starts a `BEGIN IMMEDIATE` transaction that the caller ends with [`Tx::commit`] (or drops
    /// to roll back): for work that feeds a transaction piece by piece, such as an import.
    pub(crate) fn begin_write(&self) -> Result<Tx<'_>> {
        self.begin(true)
    }

    /// Starts a transaction: with `write`, holding the write lock from the start.
    fn begin(&self, write: bool) -> Result<Tx<'_>> {
        if write {
            self.take_write_lock()?;
        } else {
            self.conn
                .execute_batch("BEGIN DEFERRED")
                .map_err(|e| self.err(e))?;
        }
        Ok(Tx {
            store: self,
            open: true,
        })
    }

    /// `BEGIN IMMEDIATE`, waiting up to the busy timeout for another process's write lock.
    ///
    /// Hand-written instead of SQLite's busy handler, which sleeps longer the longer it has
    /// waited (1 ms at first, 100 ms after the first quarter second): under a steady stream of
    /// writers the process that has waited longest looks least often and keeps losing the lock
    /// to newcomers. With 32 processes writing on 2 cores that starved some past the 5 s
    /// timeout (tests/load.rs). Here every waiter looks again after a short, jittered pause
    /// (0.5 to 2.5 ms), so each has the same chance at each release of the lock, whatever
    /// it has waited; a look costs a few microseconds. Measured (README, Performance): the
    /// longest wait fell about fourfold, for ~10 % of throughput and a higher median wait.
    fn take_write_lock(&self) -> Result<()> {
        self.conn
            .busy_timeout(Duration::ZERO)
            .map_err(|e| self.err(e))?;
        let started = std::time::Instant::now();
        let taken = loop {
            match self.conn.execute_batch("BEGIN IMMEDIATE") {
                Err(e) if is_busy(&e) && started.elapsed() < self.busy_timeout => {
                    std::thread::sleep(write_lock_pause());
                }
                other => break other,
            }
        };
        // Every other statement keeps SQLite's handler (a reader waits only on recovery).
        let restored = self.conn.busy_timeout(self.busy_timeout);
        taken.map_err(|e| self.err(e))?;
        restored.map_err(|e| self.err(e))
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        map_err(&self.path, e)
    }
}

impl Tx<'_> {
    /// Commits; on failure the transaction is rolled back.
    pub(crate) fn commit(mut self) -> Result<()> {
        self.open = false;
        self.store.conn.execute_batch("COMMIT").map_err(|e| {
            let _ = self.store.conn.execute_batch("ROLLBACK");
            self.store.err(e)
        })
    }

    fn conn(&self) -> &Connection {
        &self.store.conn
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        self.store.err(e)
    }

    fn execute_batch(&self, sql: &str) -> Result<()> {
        self.conn().execute_batch(sql).map_err(|e| self.err(e))
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.store.conn.execute_batch("ROLLBACK");
        }
    }
}

/// Creates the database file with mode 0600 (and any missing folders with 0700) before SQLite
/// sees it: SQLite would create it 0644 under the usual umask, and gives the `-wal` and `-shm`
/// files the mode of the database file. Returns whether this call created the file.
fn create_private_file(path: &Path) -> std::io::Result<bool> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Gives an existing `-wal` and `-shm` mode 0600. SQLite copies the database's mode to them
/// when it creates them, so after a read while the database was 0400 they would stay 0400 and
/// block every later write; an older credman or another tool may also have left them 0644.
/// A file this process does not own is left alone (the chmod fails, and SQLite will say why).
fn secure_side_files(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        // Never through a symlink: only a regular file this process owns.
        if let Ok(meta) = fs::symlink_metadata(&side)
            && meta.file_type().is_file()
            && meta.uid() == effective_uid()
            && meta.mode() & 0o777 != 0o600
        {
            let _ = fs::set_permissions(&side, fs::Permissions::from_mode(0o600));
        }
    }
}

fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Refuses a file that is not empty and does not start with the SQLite header, before SQLite
/// (or anything else) touches it.
fn check_header(path: &Path) -> Result<()> {
    let mut head = Vec::with_capacity(16);
    fs::File::open(path)
        .and_then(|f| f.take(16).read_to_end(&mut head))
        .map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
    if head.is_empty() || head == SQLITE_HEADER {
        Ok(())
    } else {
        Err(Error::NotADatabase(path.to_owned()))
    }
}

fn map_err(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
        Some(ErrorCode::ReadOnly) => Error::ReadOnly(path.to_owned()),
        Some(ErrorCode::NotADatabase) => Error::NotADatabase(path.to_owned()),
        Some(ErrorCode::CannotOpen) => Error::Io {
            path: path.to_owned(),
            source: std::io::Error::other("SQLite cannot open it"),
        },
        // The first line only: some messages carry the SQL that failed.
        _ => Error::Database(e.to_string().lines().next().unwrap_or_default().to_owned()),
    }
}

/// 0.5 to 2.5 ms. The jitter only has to differ between processes and between looks, so the
/// clock's nanoseconds do: nothing here needs to be unpredictable.
fn write_lock_pause() -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    Duration::from_micros(500 + u64::from(nanos / 1000 % 2000))
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_in_order_and_set_the_version() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        // Each migration applies on top of the ones before it, one at a time.
        let conn = Connection::open_in_memory().unwrap();
        for (i, sql) in MIGRATIONS.iter().enumerate() {
            conn.execute_batch(sql)
                .unwrap_or_else(|e| panic!("migration {}: {e}", i + 1));
        }
        // Running them again on a migrated database is a no-op.
        store.migrate().unwrap();
        let tables: Vec<String> = store
            .conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(tables, ["events", "sessions", "settings", "users"]);
    }

    #[test]
    fn a_database_from_a_newer_credman_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        Store::open(&path, OpenMode::Create).unwrap();
        Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA user_version = 999")
            .unwrap();
        let err = Store::open(&path, OpenMode::Existing).unwrap_err();
        assert!(
            matches!(err, Error::SchemaTooNew { found: 999, .. }),
            "{err}"
        );
    }

    #[test]
    fn the_bundled_sqlite_has_the_wal_reset_fix() {
        let v: Vec<u32> = Store::sqlite_version()
            .split('.')
            .map(|n| n.parse().unwrap())
            .collect();
        assert!(
            v >= vec![3, 51, 3],
            "SQLite {} is older than 3.51.3",
            Store::sqlite_version()
        );
    }

    #[test]
    fn pragmas_are_set_on_every_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        drop(Store::open(&path, OpenMode::Create).unwrap());
        let store = Store::open(&path, OpenMode::Existing).unwrap();
        let get = |p: &str| -> String {
            store
                .conn
                .query_row(&format!("PRAGMA {p}"), [], |r| {
                    r.get::<_, rusqlite::types::Value>(0)
                })
                .map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
                .unwrap()
        };
        assert_eq!(get("journal_mode"), "wal");
        assert_eq!(get("synchronous"), "2", "synchronous=FULL");
        assert_eq!(get("secure_delete"), "1");
        assert_eq!(get("foreign_keys"), "1");
        assert_eq!(get("busy_timeout"), "5000");
    }

    #[test]
    fn a_writer_waits_for_the_lock_up_to_the_busy_timeout_and_no_longer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut store = Store::open(&path, OpenMode::Create).unwrap();
        store.set_busy_timeout(Duration::from_millis(300)).unwrap();
        let other = Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();

        // Held for longer than the timeout: refused, after the timeout.
        let t0 = std::time::Instant::now();
        let refused = store.write(|tx| tx.put_setting("k", "v", 0));
        let waited = t0.elapsed();
        assert!(matches!(refused, Err(Error::Busy)), "{refused:?}");
        assert!(waited >= Duration::from_millis(300), "{waited:?}");
        assert!(waited < Duration::from_secs(3), "{waited:?}");
        // The pause between looks did not leak into other statements' waits.
        let timeout: i64 = store
            .conn
            .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
            .unwrap();
        assert_eq!(timeout, 300);

        // Released while the writer waits: it gets the lock and its write lands.
        store.set_busy_timeout(Duration::from_secs(10)).unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            other.execute_batch("COMMIT").unwrap();
        });
        let t0 = std::time::Instant::now();
        store.write(|tx| tx.put_setting("k", "v", 0)).unwrap();
        let waited = t0.elapsed();
        release.join().unwrap();
        assert!(waited >= Duration::from_millis(100), "{waited:?}");
        assert!(waited < Duration::from_secs(5), "{waited:?}");
        assert!(
            store
                .read(|tx| tx.settings())
                .unwrap()
                .contains(&("k".into(), "v".into()))
        );
    }
}
