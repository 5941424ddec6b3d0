//! SQL for the append-only `events` table.

use rusqlite::params;

use super::Tx;
use crate::error::Result;
use crate::events::Event;

impl Tx<'_> {
    pub(crate) fn append_event(
        &self,
        at: i64,
        actor: &str,
        action: &str,
        user: Option<&str>,
        detail: &str,
    ) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO events (at, actor, action, user, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| s.execute(params![at, actor, action, user, detail]))
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// The newest `limit` events matching the filters, returned oldest first.
    pub(crate) fn events(
        &self,
        user: Option<&str>,
        since: Option<i64>,
        limit: u64,
    ) -> Result<Vec<Event>> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT at, actor, action, user, detail FROM events
                 WHERE (?1 IS NULL OR user = ?1) AND (?2 IS NULL OR at >= ?2)
                 ORDER BY id DESC LIMIT ?3",
            )
            .map_err(|e| self.err(e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut events = stmt
            .query_map(params![user, since, limit], |r| {
                Ok(Event {
                    at: r.get(0)?,
                    actor: r.get(1)?,
                    action: r.get(2)?,
                    user: r.get(3)?,
                    detail: r.get(4)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        events.reverse();
        Ok(events)
    }
}
