//! SQL for the `sessions` table.

use rusqlite::{OptionalExtension, Row, params};

use super::Tx;
use crate::error::Result;

/// A row of `sessions` joined with its user. Holds the token's digest only for matching; no
/// token is ever stored.
#[derive(Debug, Clone)]
pub(crate) struct SessionRow {
    pub id: i64,
    pub public_id: String,
    pub user_name: String,
    pub user_locked: bool,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub idle_timeout: i64,
    pub revoked_at: Option<i64>,
    pub label: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// One line of `who`: a user with active sessions.
#[derive(Debug, Clone)]
pub(crate) struct WhoRow {
    pub user_name: String,
    pub sessions: u64,
    pub last_seen_at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The fields of a new session row.
pub(crate) struct NewSessionRow<'a> {
    pub public_id: &'a str,
    pub user_id: i64,
    pub token_sha256: &'a [u8; 32],
    pub now: i64,
    pub expires_at: i64,
    pub idle_timeout: i64,
    pub label: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

const SELECT: &str = "SELECT s.id, s.public_id, u.name, u.locked, s.created_at,
        s.last_seen_at, s.expires_at, s.idle_timeout, s.revoked_at, s.label, s.ip, s.user_agent
    FROM sessions s JOIN users u ON u.id = s.user_id";

/// The condition for a session that is neither revoked nor expired at `?now` (a named
/// parameter `:now`): valid up to and including its expiry and idle deadline.
pub(super) const ACTIVE: &str = "s.revoked_at IS NULL AND s.expires_at >= :now
    AND s.last_seen_at + s.idle_timeout >= :now";

fn from_row(r: &Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        id: r.get(0)?,
        public_id: r.get(1)?,
        user_name: r.get(2)?,
        user_locked: r.get(3)?,
        created_at: r.get(4)?,
        last_seen_at: r.get(5)?,
        expires_at: r.get(6)?,
        idle_timeout: r.get(7)?,
        revoked_at: r.get(8)?,
        label: r.get(9)?,
        ip: r.get(10)?,
        user_agent: r.get(11)?,
    })
}

impl Tx<'_> {
    pub(crate) fn insert_session(&self, new: &NewSessionRow<'_>) -> Result<i64> {
        self.conn()
            .prepare_cached(
                "INSERT INTO sessions (public_id, user_id, token_sha256, created_at, last_seen_at,
                                       expires_at, idle_timeout, label, ip, user_agent)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    new.public_id,
                    new.user_id,
                    &new.token_sha256[..],
                    new.now,
                    new.expires_at,
                    new.idle_timeout,
                    new.label,
                    new.ip,
                    new.user_agent
                ])
            })
            .map_err(|e| self.err(e))?;
        Ok(self.conn().last_insert_rowid())
    }

    pub(crate) fn session_by_token(&self, sha256: &[u8; 32]) -> Result<Option<SessionRow>> {
        self.conn()
            .prepare_cached(&format!("{SELECT} WHERE s.token_sha256 = ?1"))
            .and_then(|mut s| s.query_row([&sha256[..]], from_row).optional())
            .map_err(|e| self.err(e))
    }

    pub(crate) fn session_by_public_id(&self, public_id: &str) -> Result<Option<SessionRow>> {
        self.conn()
            .prepare_cached(&format!("{SELECT} WHERE s.public_id = ?1"))
            .and_then(|mut s| s.query_row([public_id], from_row).optional())
            .map_err(|e| self.err(e))
    }

    /// Moves `last_seen_at` to `now` if it is at least `min_gap` seconds old and the session
    /// still has the token that was checked. One statement: atomic without a transaction.
    pub(crate) fn touch_session(
        &self,
        id: i64,
        sha256: &[u8; 32],
        now: i64,
        min_gap: i64,
    ) -> Result<bool> {
        self.conn()
            .prepare_cached(
                "UPDATE sessions SET last_seen_at = ?3
                 WHERE id = ?1 AND token_sha256 = ?2 AND last_seen_at <= ?3 - ?4
                   AND revoked_at IS NULL",
            )
            .and_then(|mut s| s.execute(params![id, &sha256[..], now, min_gap]))
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }

    /// Replaces a session's token digest; the old token stops working with this commit.
    pub(crate) fn set_session_token(&self, id: i64, sha256: &[u8; 32], now: i64) -> Result<()> {
        self.conn()
            .prepare_cached(
                "UPDATE sessions SET token_sha256 = ?2, last_seen_at = ?3 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(params![id, &sha256[..], now]))
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Revokes one session unless it is revoked already; returns whether it changed.
    pub(crate) fn revoke_session(&self, id: i64, now: i64) -> Result<bool> {
        self.conn()
            .prepare_cached(
                "UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            )
            .and_then(|mut s| s.execute(params![id, now]))
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }

    /// Revokes every session of a user (or of everyone) not yet revoked; returns how many.
    pub(crate) fn revoke_sessions_of(&self, user_id: Option<i64>, now: i64) -> Result<u64> {
        self.conn()
            .prepare_cached(
                "UPDATE sessions SET revoked_at = ?2
                 WHERE revoked_at IS NULL AND (?1 IS NULL OR user_id = ?1)",
            )
            .and_then(|mut s| s.execute(params![user_id, now]))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// The active sessions of one user, oldest first.
    pub(crate) fn active_sessions_of(&self, user_id: i64, now: i64) -> Result<Vec<SessionRow>> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!(
                "{SELECT} WHERE s.user_id = :user AND {ACTIVE} ORDER BY s.id"
            ))
            .map_err(|e| self.err(e))?;
        stmt.query_map(
            rusqlite::named_params! { ":user": user_id, ":now": now },
            from_row,
        )
        .and_then(|rows| rows.collect())
        .map_err(|e| self.err(e))
    }

    pub(crate) fn count_active_sessions(&self, user_id: i64, now: i64) -> Result<u64> {
        self.conn()
            .prepare_cached(&format!(
                "SELECT count(*) FROM sessions s WHERE s.user_id = :user AND {ACTIVE}"
            ))
            .and_then(|mut s| {
                s.query_row(
                    rusqlite::named_params! { ":user": user_id, ":now": now },
                    |r| r.get::<_, i64>(0),
                )
            })
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// Deletes the expired and revoked sessions; returns how many.
    ///
    /// When most rows go, it keeps the live ones aside and empties the table in one step, which
    /// SQLite does page by page instead of row by row through every index (a million expired
    /// sessions: seconds less). That step needs foreign-key checks off, so the store runs this
    /// in [`super::Store::write_bulk`]. Otherwise it deletes row by row.
    pub(crate) fn prune_sessions(&self, now: i64) -> Result<u64> {
        let (total, live): (i64, i64) = self
            .conn()
            .query_row(
                &format!("SELECT count(*), count(*) FILTER (WHERE {ACTIVE}) FROM sessions AS s"),
                rusqlite::named_params! { ":now": now },
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        let pruned = (total - live) as u64;
        if pruned == 0 {
            return Ok(0);
        }
        if live * 2 < total {
            self.conn()
                .execute(
                    &format!(
                        "CREATE TEMP TABLE live_sessions AS SELECT * FROM sessions AS s WHERE {ACTIVE}"
                    ),
                    rusqlite::named_params! { ":now": now },
                )
                .map_err(|e| self.err(e))?;
            self.execute_batch(
                "DELETE FROM sessions;
                 INSERT INTO sessions SELECT * FROM temp.live_sessions;
                 DROP TABLE temp.live_sessions;",
            )?;
            return Ok(pruned);
        }
        // The token and id indexes are in random order, so a large delete touches their pages
        // at random: with SQLite's default 2 MiB cache they are evicted and read back again and
        // again. Give this statement room (256 MiB, taken only as pages are used), then go back.
        self.store.set_cache_kib(256 * 1024)?;
        let deleted = self
            .conn()
            .execute(
                &format!("DELETE FROM sessions AS s WHERE NOT ({ACTIVE})"),
                rusqlite::named_params! { ":now": now },
            )
            .map(|n| n as u64)
            .map_err(|e| self.err(e));
        self.store.set_cache_kib(super::DEFAULT_CACHE_KIB)?;
        deleted
    }

    /// Calls `f` for each session in creation order (of one user, and only the active ones
    /// unless `all`), streaming, until `f` returns `false`.
    pub(crate) fn for_each_session(
        &self,
        user: Option<&str>,
        all: bool,
        now: i64,
        mut f: impl FnMut(SessionRow) -> bool,
    ) -> Result<()> {
        let sql = format!(
            "{SELECT} WHERE (:user IS NULL OR u.name = :user) AND (:all OR ({ACTIVE}))
             ORDER BY s.id"
        );
        let mut stmt = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(rusqlite::named_params! { ":user": user, ":all": all, ":now": now })
            .map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            if !f(from_row(row).map_err(|e| self.err(e))?) {
                break;
            }
        }
        Ok(())
    }

    /// Users with active sessions: how many, and the most recent one's time and origin.
    pub(crate) fn who(&self, now: i64) -> Result<Vec<WhoRow>> {
        // SQLite fills the bare columns (ip, user_agent) from the row that holds the max().
        let sql = format!(
            "SELECT u.name, count(*), max(s.last_seen_at), s.ip, s.user_agent
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE {ACTIVE} GROUP BY u.id ORDER BY u.name"
        );
        let mut stmt = self.conn().prepare_cached(&sql).map_err(|e| self.err(e))?;
        stmt.query_map(rusqlite::named_params! { ":now": now }, |r| {
            Ok(WhoRow {
                user_name: r.get(0)?,
                sessions: r.get::<_, i64>(1)? as u64,
                last_seen_at: r.get(2)?,
                ip: r.get(3)?,
                user_agent: r.get(4)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.err(e))
    }
}
