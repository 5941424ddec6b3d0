//! Reading another program's SQLite database, read-only: where `import --sqlite APP.db --query
//! SQL` finds a web app's users.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::{check_header, map_err};
use crate::error::{Error, Result};

/// Runs `query` on the SQLite database at `path`, opened read-only, and calls `f` with each row's
/// number (from 1) and its first two columns as text (the user name and the stored hash). A
/// column that is NULL, a number or a non-UTF-8 blob comes as `Err` with a short reason that
/// never quotes the value. `f` returns whether to go on.
///
/// The database is never written: it is opened read-only, with `query_only` set, and a statement
/// that could write is refused before it runs.
pub fn for_each_foreign_row(
    path: &Path,
    query: &str,
    mut f: impl FnMut(u64, std::result::Result<(String, String), String>) -> bool,
) -> Result<()> {
    let err = |e| map_err(path, e);
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(Error::Io {
                path: path.to_owned(),
                source: std::io::Error::other("it is a directory, not a file"),
            });
        }
        // Not SQLite: say so of the app's file, not as if it were meant to be credman's.
        Ok(_) => check_header(path).map_err(|e| match e {
            Error::NotADatabase(_) => {
                Error::InvalidInput(format!("{} is not an SQLite database", path.display()))
            }
            e => e,
        })?,
        Err(source) => {
            return Err(Error::Io {
                path: path.to_owned(),
                source,
            });
        }
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err)?;
    conn.execute_batch("PRAGMA query_only = ON; PRAGMA trusted_schema = OFF")
        .map_err(err)?;
    let mut stmt = conn.prepare(query).map_err(|e| match e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => {
            Error::InvalidInput(format!("the query does not run: {msg}"))
        }
        e => err(e),
    })?;
    if !stmt.readonly() {
        return Err(Error::InvalidInput(
            "the query must only read (a SELECT): the app's database is never changed".into(),
        ));
    }
    if stmt.column_count() < 2 {
        return Err(Error::InvalidInput(
            "the query must return two columns: the user name, then the stored hash".into(),
        ));
    }
    let mut rows = stmt.query([]).map_err(err)?;
    let mut number = 0u64;
    while let Some(row) = rows.next().map_err(err)? {
        number += 1;
        let text = |i: usize, what: &str| -> std::result::Result<String, String> {
            match row.get_ref(i).map_err(|e| e.to_string())? {
                ValueRef::Text(bytes) | ValueRef::Blob(bytes) => std::str::from_utf8(bytes)
                    .map(str::to_owned)
                    .map_err(|_| format!("the {what} is not UTF-8 text")),
                ValueRef::Null => Err(format!("the {what} is NULL")),
                ValueRef::Integer(_) | ValueRef::Real(_) => {
                    Err(format!("the {what} is a number, not text"))
                }
            }
        };
        let pair = text(0, "user name").and_then(|user| Ok((user, text(1, "hash")?)));
        if !f(number, pair) {
            break;
        }
    }
    Ok(())
}
