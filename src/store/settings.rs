//! SQL for the `settings` table: policy keys that were set, with their values.

use rusqlite::params;

use super::Tx;
use crate::error::Result;
use crate::policy::Policy;

impl Tx<'_> {
    pub(crate) fn settings(&self) -> Result<Vec<(String, String)>> {
        self.conn()
            .prepare_cached("SELECT key, value FROM settings ORDER BY key")
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| self.err(e))
    }

    /// The policy in force: the stored settings over the defaults.
    pub(crate) fn policy(&self) -> Result<Policy> {
        Policy::from_settings(self.settings()?)
    }

    pub(crate) fn put_setting(&self, key: &str, value: &str, now: i64) -> Result<()> {
        self.conn()
            .execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                                                 updated_at = excluded.updated_at",
                params![key, value, now],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }
}
