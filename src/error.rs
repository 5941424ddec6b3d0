//! The library's error type. Messages say what went wrong and what to do; none of them ever
//! carries a password, a token or a hash.

use std::path::PathBuf;

/// Everything that can go wrong in the library. A clean "no" to a question (wrong password,
/// locked user) is not an error: it is a [`crate::VerifyOutcome`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no user named '{0}' (see `credman user list`)")]
    NotFound(String),

    #[error("user '{0}' already exists (use `credman user passwd {0}` to change the password)")]
    AlreadyExists(String),

    #[error("no session with id '{0}' (see `credman session list --all`)")]
    SessionNotFound(String),

    #[error("session '{0}' is {1}; only an active session can be rotated")]
    SessionInactive(String, &'static str),

    #[error("{0}")]
    InvalidInput(String),

    #[error("invalid user name: {0}")]
    InvalidName(String),

    #[error("password refused: {0}")]
    PolicyRejected(String),

    #[error("{0}")]
    InvalidConfig(String),

    #[error("unknown config key '{0}' (see `credman config list`)")]
    UnknownConfigKey(String),

    #[error("no database at {} (run `credman init`, or point --db / CREDMAN_DB at it)", .0.display())]
    NoDatabase(PathBuf),

    #[error("{} is not a credman database (it is not SQLite); check --db / CREDMAN_DB", .0.display())]
    NotADatabase(PathBuf),

    #[error(
        "{} is a SQLite database but not credman's; credman leaves it alone (check --db / CREDMAN_DB)",
        .0.display()
    )]
    ForeignDatabase(PathBuf),

    #[error(
        "{} was made by a newer credman (schema {found}, this build knows {known}); upgrade credman",
        .path.display()
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error("the database {} is read-only; make it writable or run as its owner", .0.display())]
    ReadOnly(PathBuf),

    #[error("the database is busy: another process held its write lock too long; try again")]
    Busy,

    #[error("cannot use {} (check the path and its folder's permissions)", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("no default database location: set CREDMAN_DB or pass --db")]
    NoDataDir,

    #[error("the operating system's random generator failed: {0}")]
    Random(String),

    #[error("hashing failed: {0}")]
    Hashing(String),

    #[error("database error: {0}")]
    Database(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
