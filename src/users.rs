//! Users: create, verify (with throttling and upgrade-on-login), change password, lock, unlock,
//! rename, delete.

use std::fmt;

use crate::error::{Error, Result};
use crate::events::action;
use crate::hashing::{self, Check};
use crate::policy::Policy;
use crate::secret::Password;
use crate::store::{Tx, UserRow};
use crate::{Credman, keep_going, rfc3339};

/// What may be shown about a user: everything but the hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub created_at: i64,
    pub password_changed_at: i64,
    pub last_login_at: Option<i64>,
    pub locked: bool,
    pub lock_reason: Option<String>,
    pub failed_attempts: u32,
    pub throttled_until: Option<i64>,
    /// The stored hash's scheme (`argon2id`, ...).
    pub scheme: &'static str,
    /// Whether the stored hash is not argon2id at the current parameters.
    pub needs_rehash: bool,
    pub active_sessions: u64,
}

/// The answer to a password check. A denial carries its true reason for the admin
/// ([`VerifyOutcome::denial`]); what a client is told must not depend on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOutcome {
    pub valid: bool,
    /// The stored hash was replaced by one at the current policy.
    pub rehashed: bool,
    pub denial: Option<Denial>,
}

/// Why a verify was denied. For `--explain` and the event log, never for the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denial {
    UnknownUser,
    WrongPassword,
    Locked,
    /// Too many consecutive failures; denied until this Unix time.
    Throttled {
        until: i64,
    },
    /// Longer than `password.max_bytes`: refused before the KDF ran.
    TooLong,
    /// The stored hash cannot be used (malformed, unknown format, over a cap).
    UnusableHash(String),
    /// The password changed (or the user was replaced) while this verify ran.
    Changed,
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Denial::UnknownUser => f.write_str("no such user"),
            Denial::WrongPassword => f.write_str("wrong password"),
            Denial::Locked => f.write_str("the user is locked"),
            Denial::Throttled { until } => {
                write!(
                    f,
                    "throttled after repeated failures until {}",
                    rfc3339(*until)
                )
            }
            Denial::TooLong => f.write_str("the password is longer than password.max_bytes"),
            Denial::UnusableHash(why) => write!(f, "the stored hash cannot be used: {why}"),
            Denial::Changed => f.write_str("the password changed while it was being checked"),
        }
    }
}

impl VerifyOutcome {
    fn denied(denial: Denial) -> Self {
        Self {
            valid: false,
            rehashed: false,
            denial: Some(denial),
        }
    }
}

/// Checks a user name: 1 to 64 characters, no control characters, no leading or trailing
/// white space. Names are compared exactly, case included.
pub fn validate_username(name: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::InvalidName(why.to_owned()));
    let chars = name.chars().count();
    if chars == 0 {
        return bad("it is empty");
    }
    if chars > 64 {
        return bad(&format!(
            "it has {chars} characters; at most 64 are allowed"
        ));
    }
    if name.chars().any(char::is_control) {
        return bad("it contains a control character");
    }
    if name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace) {
        return bad("it starts or ends with white space");
    }
    Ok(())
}

impl Credman {
    /// Checks a new password against the policy. With `allow_weak`, a refusal is overridden
    /// and its reason returned, for the event log; the length limit is never lifted.
    fn admit_password(
        policy: &Policy,
        name: &str,
        password: &Password,
        allow_weak: bool,
    ) -> Result<Option<String>> {
        policy.check_length(password)?;
        match policy.check_new_password(name, password) {
            Ok(()) => Ok(None),
            Err(Error::PolicyRejected(why)) if allow_weak => Ok(Some(why)),
            Err(e) => Err(e),
        }
    }

    /// Creates a user. The password must pass the policy unless `allow_weak` (an admin's
    /// override, recorded in the event log).
    pub fn add_user(&self, name: &str, password: &Password, allow_weak: bool) -> Result<User> {
        validate_username(name)?;
        let policy = self.store().read(|tx| match tx.user(name)? {
            Some(_) => Err(Error::AlreadyExists(name.to_owned())),
            None => tx.policy(),
        })?;
        let overridden = Self::admit_password(&policy, name, password, allow_weak)?;
        let hash = hashing::hash_password(password, &policy.argon2)?;
        let now = self.now();
        let row = self.store().write(|tx| {
            tx.insert_user(name, &hash, now)?;
            self.record(tx, now, action::USER_ADD, Some(name), "")?;
            if let Some(why) = &overridden {
                self.record(tx, now, action::POLICY_OVERRIDE, Some(name), why)?;
            }
            tx.existing_user(name)
        })?;
        Ok(to_user(row, &policy, 0))
    }

    /// Sets a new password, clears the failure throttling and revokes the user's sessions.
    pub fn set_password(&self, name: &str, password: &Password, allow_weak: bool) -> Result<()> {
        let policy = self.store().read(|tx| {
            tx.existing_user(name)?;
            tx.policy()
        })?;
        let overridden = Self::admit_password(&policy, name, password, allow_weak)?;
        let hash = hashing::hash_password(password, &policy.argon2)?;
        let now = self.now();
        self.store().write(|tx| {
            let user = tx.existing_user(name)?;
            tx.set_password_hash(user.id, &hash, now)?;
            let revoked = tx.revoke_sessions_of(Some(user.id), now)?;
            let detail = format!("{revoked} sessions revoked");
            self.record(tx, now, action::USER_PASSWD, Some(name), &detail)?;
            if let Some(why) = &overridden {
                self.record(tx, now, action::POLICY_OVERRIDE, Some(name), why)?;
            }
            Ok(())
        })
    }

    pub fn user_exists(&self, name: &str) -> Result<bool> {
        Ok(self.store().read(|tx| tx.user(name))?.is_some())
    }

    pub fn user(&self, name: &str) -> Result<User> {
        self.store().read(|tx| {
            let row = tx.existing_user(name)?;
            let sessions = tx.count_active_sessions(row.id, self.now())?;
            Ok(to_user(row, &tx.policy()?, sessions))
        })
    }

    /// Calls `f` with each user in name order (only the locked ones with `locked_only`),
    /// streaming from the database rather than collecting. The first error `f` returns stops
    /// the walk and is returned as it is.
    pub fn for_each_user<E: From<Error>>(
        &self,
        locked_only: bool,
        mut f: impl FnMut(User) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let now = self.now();
        let mut stopped = None;
        self.store().read(|tx| {
            let policy = tx.policy()?;
            tx.for_each_user(locked_only, now, |row, sessions| {
                keep_going(&mut stopped, f(to_user(row, &policy, sessions)))
            })
        })?;
        stopped.map_or(Ok(()), Err)
    }

    /// Locks a user: they can no longer verify or log in, and their sessions are revoked.
    pub fn lock_user(&self, name: &str, reason: Option<&str>) -> Result<()> {
        if let Some(reason) = reason
            && (reason.chars().count() > 256 || reason.chars().any(char::is_control))
        {
            return Err(Error::InvalidInput(
                "a lock reason is at most 256 characters, without control characters".into(),
            ));
        }
        let now = self.now();
        self.store().write(|tx| {
            let user = tx.existing_user(name)?;
            tx.lock_user(user.id, reason)?;
            let revoked = tx.revoke_sessions_of(Some(user.id), now)?;
            let detail = match reason {
                Some(reason) => format!("{reason}; {revoked} sessions revoked"),
                None => format!("{revoked} sessions revoked"),
            };
            self.record(tx, now, action::USER_LOCK, Some(name), &detail)
        })
    }

    /// Unlocks a user and clears their failed-attempt throttling.
    pub fn unlock_user(&self, name: &str) -> Result<()> {
        let now = self.now();
        self.store().write(|tx| {
            let user = tx.existing_user(name)?;
            tx.unlock_user(user.id)?;
            let detail = format!("{} failed attempts cleared", user.failed_attempts);
            self.record(tx, now, action::USER_UNLOCK, Some(name), &detail)
        })
    }

    pub fn rename_user(&self, old: &str, new: &str) -> Result<()> {
        validate_username(new)?;
        let now = self.now();
        self.store().write(|tx| {
            let user = tx.existing_user(old)?;
            tx.rename_user(user.id, new)?;
            let detail = format!("renamed from {old:?}");
            self.record(tx, now, action::USER_RENAME, Some(new), &detail)
        })
    }

    pub fn delete_user(&self, name: &str) -> Result<()> {
        let now = self.now();
        self.store().write(|tx| {
            let user = tx.existing_user(name)?;
            // Their sessions go with them (ON DELETE CASCADE); say how many were still live.
            let revoked = tx.revoke_sessions_of(Some(user.id), now)?;
            tx.delete_user(user.id)?;
            let detail = format!("{revoked} sessions removed");
            self.record(tx, now, action::USER_DELETE, Some(name), &detail)
        })
    }

    /// Checks a user's password.
    ///
    /// Every denial costs the same: an unknown, locked or throttled user runs the KDF once on a
    /// dummy hash at the current parameters, as a wrong password runs it once on the real hash.
    /// (A password over `password.max_bytes` is denied before any KDF, on every path alike.)
    /// A wrong password counts towards throttling; a success resets the count and, when the
    /// stored hash is not argon2id at the current parameters, replaces it in the same
    /// transaction.
    ///
    /// The KDF runs outside any transaction so that verifies in many processes run in parallel;
    /// the write that follows re-reads the row under the write lock, so no count is lost, and a
    /// password changed meanwhile is neither accepted nor overwritten by a stale upgrade.
    pub fn verify(&self, name: &str, password: &Password) -> Result<VerifyOutcome> {
        let (outcome, ()) = self.authenticate(name, password, |_, _, _| Ok(()))?;
        Ok(outcome)
    }

    /// [`Credman::verify`], running `on_success` inside the transaction that records a
    /// successful login (a web login creates its session there, so a lock or a password change
    /// cannot slip in between). `on_success` runs only when the outcome is valid.
    pub(crate) fn authenticate<T: Default>(
        &self,
        name: &str,
        password: &Password,
        on_success: impl FnOnce(&Tx<'_>, &UserRow, i64) -> Result<T>,
    ) -> Result<(VerifyOutcome, T)> {
        let now = self.now();
        let (row, policy) = self.store().read(|tx| Ok((tx.user(name)?, tx.policy()?)))?;
        let early = match &row {
            None => Some(Denial::UnknownUser),
            Some(u) if u.locked => Some(Denial::Locked),
            Some(u) => u
                .throttled_until
                .filter(|&until| until > now)
                .map(|until| Denial::Throttled { until }),
        };
        if password.len() > policy.max_bytes {
            // Counted as a failure only where a wrong password would be.
            let counts = early.is_none();
            return self.deny(name, row.as_ref(), Denial::TooLong, counts, &policy, now);
        }
        if let Some(denial) = early {
            // Pay what a wrong password pays: the user's own hash when there is one (same
            // parameters, same time), a dummy at the policy's parameters for an unknown user.
            // The answer is thrown away.
            match &row {
                Some(u) => match hashing::verify_password(password, &u.hash, &policy.caps) {
                    Check::Unusable(_) => hashing::dummy_verify(password, &policy.argon2),
                    Check::Match | Check::Mismatch => {}
                },
                None => hashing::dummy_verify(password, &policy.argon2),
            }
            return self.deny(name, row.as_ref(), denial, false, &policy, now);
        }
        let row = row.expect("an unknown user was denied above");
        match hashing::verify_password(password, &row.hash, &policy.caps) {
            Check::Match => self.accept(&row, password, &policy, now, on_success),
            Check::Mismatch => {
                self.deny(name, Some(&row), Denial::WrongPassword, true, &policy, now)
            }
            Check::Unusable(why) => {
                // No KDF ran (the hash could not be parsed, or its cost is over a cap); pay
                // the usual cost so this denial looks like the others.
                hashing::dummy_verify(password, &policy.argon2);
                self.deny(
                    name,
                    Some(&row),
                    Denial::UnusableHash(why),
                    true,
                    &policy,
                    now,
                )
            }
        }
    }

    fn accept<T: Default>(
        &self,
        seen: &UserRow,
        password: &Password,
        policy: &Policy,
        now: i64,
        on_success: impl FnOnce(&Tx<'_>, &UserRow, i64) -> Result<T>,
    ) -> Result<(VerifyOutcome, T)> {
        let upgrade = hashing::needs_rehash(&seen.hash, &policy.argon2)
            .then(|| hashing::hash_password(password, &policy.argon2))
            .transpose()?;
        self.store().write(|tx| {
            let refuse = |denial: Denial| -> Result<(VerifyOutcome, T)> {
                let detail = denial.to_string();
                self.record(tx, now, action::VERIFY_FAIL, Some(&seen.name), &detail)?;
                Ok((VerifyOutcome::denied(denial), T::default()))
            };
            let current = tx
                .user(&seen.name)?
                .filter(|c| c.id == seen.id && c.password_version == seen.password_version);
            let Some(current) = current else {
                return refuse(Denial::Changed);
            };
            if current.locked {
                return refuse(Denial::Locked);
            }
            // Throttled by failures that landed while this KDF ran: a right guess inside a
            // burst of parallel wrong ones must not get through, nor reset the count.
            if let Some(until) = current.throttled_until.filter(|&until| until > now) {
                return refuse(Denial::Throttled { until });
            }
            // Another login may have upgraded the hash since we read it; then keep its upgrade.
            let upgrade = upgrade.as_deref().filter(|_| current.hash == seen.hash);
            tx.record_login(current.id, now, upgrade)?;
            self.record(tx, now, action::VERIFY_OK, Some(&seen.name), "")?;
            if let Some(new) = upgrade {
                let detail = format!(
                    "{} -> {}",
                    hashing::scheme(&seen.hash),
                    describe_params(new)
                );
                self.record(tx, now, action::REHASH, Some(&seen.name), &detail)?;
            }
            let outcome = VerifyOutcome {
                valid: true,
                rehashed: upgrade.is_some(),
                denial: None,
            };
            Ok((outcome, on_success(tx, &current, now)?))
        })
    }

    /// Records a denial in the event log; when `counts`, it is also a failure towards
    /// throttling.
    fn deny<T: Default>(
        &self,
        name: &str,
        seen: Option<&UserRow>,
        denial: Denial,
        counts: bool,
        policy: &Policy,
        now: i64,
    ) -> Result<(VerifyOutcome, T)> {
        self.store().write(|tx| {
            let Some(seen) = seen else {
                // Not the name itself: a password typed into the name field must not land in
                // the log.
                let detail = format!("unknown user name ({} characters)", name.chars().count());
                return self.record(tx, now, action::VERIFY_FAIL, None, &detail);
            };
            let detail = denial.to_string();
            self.record(tx, now, action::VERIFY_FAIL, Some(&seen.name), &detail)?;
            if !counts {
                return Ok(());
            }
            // Re-read under the write lock: concurrent failures each add one.
            let Some(current) = tx.user(&seen.name)?.filter(|c| c.id == seen.id) else {
                return Ok(());
            };
            let failures = current.failed_attempts.saturating_add(1);
            let throttle = policy.throttle_secs(failures);
            let until = throttle.map(|secs| now + secs);
            tx.record_failure(current.id, failures, until.or(current.throttled_until))?;
            if let Some(secs) = throttle {
                let detail = format!("{failures} consecutive failures; throttled for {secs}s");
                self.record(tx, now, action::THROTTLED, Some(&seen.name), &detail)?;
            }
            Ok(())
        })?;
        Ok((VerifyOutcome::denied(denial), T::default()))
    }
}

fn to_user(row: UserRow, policy: &Policy, active_sessions: u64) -> User {
    User {
        scheme: hashing::scheme(&row.hash),
        needs_rehash: hashing::needs_rehash(&row.hash, &policy.argon2),
        name: row.name,
        created_at: row.created_at,
        password_changed_at: row.password_changed_at,
        last_login_at: row.last_login_at,
        locked: row.locked,
        lock_reason: row.lock_reason,
        failed_attempts: row.failed_attempts,
        throttled_until: row.throttled_until,
        active_sessions,
    }
}

/// `argon2id m=19456,t=2,p=1` for a new hash, for the event log (never the hash itself).
fn describe_params(hash: &str) -> String {
    let params = hash.split('$').nth(3).unwrap_or("");
    format!("{} {params}", hashing::scheme(hash))
}
