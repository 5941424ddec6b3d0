//! SQL for the `users` table.

use rusqlite::{OptionalExtension, Row, params};

use super::sessions::ACTIVE;
use super::{Tx, is_unique_violation};
use crate::error::{Error, Result};

/// A row of the `users` table, hash included. Crate-private: the public [`crate::User`] carries
/// what may be shown, never the hash.
#[derive(Clone)]
pub(crate) struct UserRow {
    pub id: i64,
    pub name: String,
    pub hash: String,
    pub created_at: i64,
    pub password_changed_at: i64,
    pub last_login_at: Option<i64>,
    pub locked: bool,
    pub lock_reason: Option<String>,
    pub failed_attempts: u32,
    pub throttled_until: Option<i64>,
    pub password_version: i64,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("hash", &"[redacted]")
            .field("locked", &self.locked)
            .field("failed_attempts", &self.failed_attempts)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "id, name, hash, created_at, password_changed_at, last_login_at, locked, \
                       lock_reason, failed_attempts, throttled_until, password_version";

fn from_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        name: r.get(1)?,
        hash: r.get(2)?,
        created_at: r.get(3)?,
        password_changed_at: r.get(4)?,
        last_login_at: r.get(5)?,
        locked: r.get(6)?,
        lock_reason: r.get(7)?,
        failed_attempts: r.get(8)?,
        throttled_until: r.get(9)?,
        password_version: r.get(10)?,
    })
}

impl Tx<'_> {
    pub(crate) fn insert_user(&self, name: &str, hash: &str, now: i64) -> Result<i64> {
        self.conn()
            .prepare_cached(
                "INSERT INTO users (name, hash, created_at, password_changed_at)
                 VALUES (?1, ?2, ?3, ?3)",
            )
            .and_then(|mut s| s.execute(params![name, hash, now]))
            .map_err(|e| self.name_taken_or(e, name))?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Inserts a user unless one has this name: the new id, or `None` if the name is taken.
    pub(crate) fn insert_user_if_new(
        &self,
        name: &str,
        hash: &str,
        now: i64,
    ) -> Result<Option<i64>> {
        let inserted = self
            .conn()
            .prepare_cached(
                "INSERT INTO users (name, hash, created_at, password_changed_at)
                 VALUES (?1, ?2, ?3, ?3) ON CONFLICT (name) DO NOTHING",
            )
            .and_then(|mut s| s.execute(params![name, hash, now]))
            .map_err(|e| self.err(e))?;
        Ok((inserted == 1).then(|| self.conn().last_insert_rowid()))
    }

    pub(crate) fn user(&self, name: &str) -> Result<Option<UserRow>> {
        self.conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE name = ?1"))
            .and_then(|mut s| s.query_row([name], from_row).optional())
            .map_err(|e| self.err(e))
    }

    /// Like [`Tx::user`], but a missing user is [`Error::NotFound`].
    pub(crate) fn existing_user(&self, name: &str) -> Result<UserRow> {
        self.user(name)?
            .ok_or_else(|| Error::NotFound(name.to_owned()))
    }

    /// Calls `f` with each user's name, stored hash and last login, in storage order (not by
    /// name: following the name index over a large table would read it at random), until it
    /// returns `false`: the lean walk an audit of a million users needs.
    pub(crate) fn for_each_hash(
        &self,
        mut f: impl FnMut(String, String, Option<i64>) -> bool,
    ) -> Result<()> {
        let mut stmt = self
            .conn()
            .prepare("SELECT name, hash, last_login_at FROM users")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let (name, hash, last_login) =
                (|| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))().map_err(|e| self.err(e))?;
            if !f(name, hash, last_login) {
                break;
            }
        }
        Ok(())
    }

    /// Calls `f` for each user in name order, with their number of active sessions at `now`,
    /// streaming rows from the database, until `f` returns `false`.
    pub(crate) fn for_each_user(
        &self,
        locked_only: bool,
        now: i64,
        mut f: impl FnMut(UserRow, u64) -> bool,
    ) -> Result<()> {
        let sql = format!(
            "SELECT {COLUMNS},
                    (SELECT count(*) FROM sessions s WHERE s.user_id = users.id AND {ACTIVE})
             FROM users WHERE (NOT :locked OR locked = 1) ORDER BY name"
        );
        let mut stmt = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(rusqlite::named_params! { ":locked": locked_only, ":now": now })
            .map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let user = from_row(row).map_err(|e| self.err(e))?;
            let sessions: i64 = row.get(11).map_err(|e| self.err(e))?;
            if !f(user, sessions as u64) {
                break;
            }
        }
        Ok(())
    }

    /// Replaces a user's hash after a password change; clears the throttling.
    pub(crate) fn set_password_hash(&self, id: i64, hash: &str, now: i64) -> Result<()> {
        self.update(
            "UPDATE users SET hash = ?2, password_changed_at = ?3, failed_attempts = 0,
                              throttled_until = NULL, password_version = password_version + 1
             WHERE id = ?1",
            params![id, hash, now],
        )
    }

    /// Records a successful login: resets the failure counter and, when the stored hash was
    /// upgraded, stores the new one (the password did not change, so `password_changed_at` stays).
    pub(crate) fn record_login(&self, id: i64, now: i64, new_hash: Option<&str>) -> Result<()> {
        self.update(
            "UPDATE users SET last_login_at = ?2, failed_attempts = 0, throttled_until = NULL,
                              hash = coalesce(?3, hash)
             WHERE id = ?1",
            params![id, now, new_hash],
        )
    }

    pub(crate) fn record_failure(
        &self,
        id: i64,
        failures: u32,
        throttled_until: Option<i64>,
    ) -> Result<()> {
        self.update(
            "UPDATE users SET failed_attempts = ?2, throttled_until = ?3 WHERE id = ?1",
            params![id, failures, throttled_until],
        )
    }

    pub(crate) fn lock_user(&self, id: i64, reason: Option<&str>) -> Result<()> {
        self.update(
            "UPDATE users SET locked = 1, lock_reason = ?2 WHERE id = ?1",
            params![id, reason],
        )
    }

    /// Unlocks a user and clears the failed-attempt throttling.
    pub(crate) fn unlock_user(&self, id: i64) -> Result<()> {
        self.update(
            "UPDATE users SET locked = 0, lock_reason = NULL, failed_attempts = 0,
                              throttled_until = NULL
             WHERE id = ?1",
            params![id],
        )
    }

    pub(crate) fn rename_user(&self, id: i64, new_name: &str) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE users SET name = ?2 WHERE id = ?1",
                params![id, new_name],
            )
            .map_err(|e| self.name_taken_or(e, new_name))?;
        Ok(())
    }

    pub(crate) fn delete_user(&self, id: i64) -> Result<()> {
        self.update("DELETE FROM users WHERE id = ?1", params![id])
    }

    /// A unique-constraint failure on `users.name` is [`Error::AlreadyExists`].
    fn name_taken_or(&self, e: rusqlite::Error, name: &str) -> Error {
        if is_unique_violation(&e) {
            Error::AlreadyExists(name.to_owned())
        } else {
            self.err(e)
        }
    }

    fn update(&self, sql: &str, params: impl rusqlite::Params) -> Result<()> {
        self.conn()
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(params))
            .map(drop)
            .map_err(|e| self.err(e))
    }
}
