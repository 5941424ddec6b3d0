//! credman: users, password hashes, sessions and an audit trail in one SQLite database.
//!
//! This crate is the core that both the `credman` command line and a web application link, so
//! a shell and a browser obey one policy, one hash format and one session store. Build it with
//! `default-features = false` to leave out the command line's dependencies.
//!
//! ```no_run
//! use credman::{Credman, OpenMode, Password};
//!
//! # fn main() -> credman::Result<()> {
//! let app = Credman::open("users.db".as_ref(), OpenMode::Create)?.with_actor("web");
//! app.add_user("alice", &Password::from("correct horse battery staple"), false)?;
//! let outcome = app.verify("alice", &Password::from("correct horse battery staple"))?;
//! assert!(outcome.valid);
//! # Ok(()) }
//! ```

mod audit;
mod clock;
mod error;
pub mod events;
pub mod hashing;
pub mod import;
pub mod policy;
mod secret;
mod sessions;
mod store;
mod users;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use audit::{AuditReport, Auditor, FailOn, Finding};
pub use clock::{Clock, ManualClock, SystemClock, rfc3339};
pub use error::{Error, Result};
pub use events::Event;
pub use import::{ImportOptions, ImportReport, Importer};
pub use policy::Policy;
pub use secret::Password;
pub use sessions::{
    IssuedSession, LoggedIn, Login, Session, SessionOptions, SessionState, SessionToken,
};
pub use store::{DEFAULT_BUSY_TIMEOUT, OpenMode, Store, for_each_foreign_row};
pub use users::{Denial, User, VerifyOutcome, validate_username};

/// The database path used when neither `--db` nor `CREDMAN_DB` names one:
/// `<data dir>/credman/credman.db` (on Linux `~/.local/share/credman/credman.db`).
pub fn default_db_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "credman")
        .map(|dirs| dirs.data_dir().join("credman.db"))
        .ok_or(Error::NoDataDir)
}

/// Adapts a caller's fallible per-row callback to the store's "go on?" walk: the first error is
/// kept in `stopped` (to be returned as it is) and ends the walk.
fn keep_going<E>(stopped: &mut Option<E>, result: std::result::Result<(), E>) -> bool {
    match result {
        Ok(()) => true,
        Err(e) => {
            *stopped = Some(e);
            false
        }
    }
}

/// A handle on one credman database: what the CLI and a web app call.
///
/// It holds one SQLite connection, so it is `Send` but not `Sync`: give each thread (or each
/// blocking task) its own, or put one behind a mutex. Any number of handles, in any number of
/// processes, may use one database at once.
pub struct Credman {
    store: Store,
    clock: Arc<dyn Clock>,
    actor: String,
}

impl std::fmt::Debug for Credman {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credman")
            .field("store", &self.store)
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

/// A policy setting as `config list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigEntry {
    pub key: &'static str,
    pub value: String,
    pub default: &'static str,
    pub help: &'static str,
}

impl Credman {
    /// Opens the database at `path` (creating it with [`OpenMode::Create`]) and reads its policy.
    /// Events are logged with the actor `app`; see [`Credman::open_as`].
    pub fn open(path: &Path, mode: OpenMode) -> Result<Self> {
        Self::open_as(path, mode, "app")
    }

    /// Like [`Credman::open`], naming who acts through this handle in the event log
    /// (`cli:root`, `web`, ...).
    pub fn open_as(path: &Path, mode: OpenMode, actor: impl Into<String>) -> Result<Self> {
        Self::from_store(Store::open(path, mode)?, actor.into())
    }

    /// A private in-memory database, for tests and examples.
    pub fn open_in_memory() -> Result<Self> {
        Self::from_store(Store::open_in_memory()?, "app".into())
    }

    fn from_store(store: Store, actor: String) -> Result<Self> {
        let this = Self {
            store,
            clock: Arc::new(SystemClock),
            actor,
        };
        this.policy()?;
        if this.store.created() {
            let path = this.store.path().display().to_string();
            this.log(events::action::INIT, None, &format!("created {path}"))?;
        }
        Ok(this)
    }

    /// Changes who acts through this handle in the event log.
    pub fn with_actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = actor.into();
        self
    }

    /// Replaces the clock, so tests can move time without sleeping.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The policy in force, read from the database. Every operation reads it afresh (a few
    /// microseconds), so a `credman config set` in another process applies at once to a
    /// long-running web app too.
    pub fn policy(&self) -> Result<Policy> {
        self.store.read(|tx| tx.policy())
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Every setting with its value in force.
    pub fn config_list(&self) -> Result<Vec<ConfigEntry>> {
        let stored = self.store.read(|tx| tx.settings())?;
        Ok(policy::SETTINGS
            .iter()
            .map(|s| ConfigEntry {
                key: s.key,
                value: stored
                    .iter()
                    .find(|(k, _)| k == s.key)
                    .map_or_else(|| s.default.to_owned(), |(_, v)| v.clone()),
                default: s.default,
                help: s.help,
            })
            .collect())
    }

    pub fn config_get(&self, key: &str) -> Result<ConfigEntry> {
        policy::setting(key)?;
        Ok(self
            .config_list()?
            .into_iter()
            .find(|e| e.key == key)
            .expect("every known key is listed"))
    }

    /// Validates and stores one setting. The whole policy must stay consistent (for example, the
    /// argon2 parameters of new hashes must stay within the caps), or nothing is stored.
    pub fn config_set(&self, key: &str, value: &str) -> Result<ConfigEntry> {
        let value = policy::setting(key)?.normalize(value)?;
        let now = self.now();
        let actor = &self.actor;
        self.store.write(|tx| {
            let mut stored = tx.settings()?;
            stored.retain(|(k, _)| k != key);
            stored.push((key.to_owned(), value.clone()));
            // Refuse a value that would make the whole policy inconsistent.
            Policy::from_settings(stored.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
            tx.put_setting(key, &value, now)?;
            tx.append_event(
                now,
                actor,
                events::action::CONFIG_SET,
                None,
                &format!("{key} = {value}"),
            )?;
            Ok(())
        })?;
        self.config_get(key)
    }

    /// Stores the argon2id parameters of new hashes (`hash.argon2.m`, `.t` and `.p`) together:
    /// one transaction and one event, so no process ever hashes with a mix of the old and the
    /// new values. Refused, with nothing stored, when a value is out of range or the policy
    /// would not be consistent (parameters over the caps).
    pub fn set_argon2_params(&self, params: &hashing::Argon2Params) -> Result<Policy> {
        let mut values = Vec::with_capacity(3);
        for (key, n) in [
            ("hash.argon2.m", params.m),
            ("hash.argon2.t", params.t),
            ("hash.argon2.p", params.p),
        ] {
            values.push((key, policy::setting(key)?.normalize(&n.to_string())?));
        }
        let detail = values
            .iter()
            .map(|(key, value)| format!("{key} = {value}"))
            .collect::<Vec<_>>()
            .join(", ");
        let now = self.now();
        self.store.write(|tx| {
            let mut stored = tx.settings()?;
            stored.retain(|(k, _)| !values.iter().any(|(key, _)| k == key));
            stored.extend(values.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
            let policy =
                Policy::from_settings(stored.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
            for (key, value) in &values {
                tx.put_setting(key, value, now)?;
            }
            self.record(tx, now, events::action::CONFIG_SET, None, &detail)?;
            Ok(policy)
        })
    }

    /// The newest `limit` events (oldest first), optionally for one user and since a time.
    pub fn events(&self, user: Option<&str>, since: Option<i64>, limit: u64) -> Result<Vec<Event>> {
        self.store.read(|tx| tx.events(user, since, limit))
    }

    /// Appends an event by this handle's actor, inside the caller's transaction.
    pub(crate) fn record(
        &self,
        tx: &store::Tx<'_>,
        now: i64,
        action: &str,
        user: Option<&str>,
        detail: &str,
    ) -> Result<()> {
        tx.append_event(now, &self.actor, action, user, detail)
    }

    /// Appends one event in its own transaction.
    fn log(&self, action: &str, user: Option<&str>, detail: &str) -> Result<()> {
        let now = self.now();
        self.store
            .write(|tx| tx.append_event(now, &self.actor, action, user, detail))
    }
}
