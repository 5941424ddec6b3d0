//! Time as the library sees it: whole seconds since the Unix epoch, from a clock the caller can
//! replace, so that expiry and throttling are tested without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time in Unix seconds.
pub trait Clock: Send + Sync {
    fn now(&self) -> i64;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }
}

/// A clock that stands still until told to move; for tests and simulations.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(now: i64) -> Self {
        Self(AtomicI64::new(now))
    }

    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }

    pub fn set(&self, now: i64) {
        self.0.store(now, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Formats Unix seconds as an RFC 3339 UTC timestamp (`2026-11-26T21:39:02Z`).
pub fn rfc3339(secs: i64) -> String {
    /// 9999-12-31T23:59:59Z, the last instant RFC 3339 can write.
    const LAST: i64 = 253_402_300_799;
    let t = UNIX_EPOCH + std::time::Duration::from_secs(secs.clamp(0, LAST) as u64);
    humantime::format_rfc3339_seconds(t).to_string()
}
