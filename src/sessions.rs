//! Login sessions: create (with or without a password), check, rotate, revoke, prune, who.
//!
//! A token is `cms_` and 43 base64url characters: 32 bytes from the OS CSPRNG. Only its SHA-256
//! is stored, so a stolen database (or backup) holds no usable token; a token the server never
//! issued matches nothing. A session's public id is separate random text, shown in lists and used
//! to revoke; nothing can turn it into a token.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::events::action;
use crate::hashing::fill_random;
use crate::policy::format_duration;
use crate::secret::Password;
use crate::store::{NewSessionRow, SessionRow, Tx, UserRow, WhoRow};
use crate::{Credman, VerifyOutcome, keep_going};

const TOKEN_PREFIX: &str = "cms_";
const TOKEN_BYTES: usize = 32;
/// `cms_` + base64url(32 bytes) without padding.
const TOKEN_LEN: usize = 4 + 43;
/// The longest ttl or idle timeout a session can have (as for the `session.*` settings).
const MAX_LIFETIME: i64 = 400 * 86_400;
/// `last_seen_at` is written at most this often per session, so checks stay cheap (more often
/// only for idle timeouts under two minutes: every half timeout, or use would not keep them
/// alive).
const TOUCH_INTERVAL: i64 = 60;

/// A session token: the bearer secret a client presents. Wiped on drop; `Debug` hides it.
pub struct SessionToken(Zeroizing<String>);

impl SessionToken {
    fn generate() -> Result<Self> {
        let mut bytes = Zeroizing::new([0u8; TOKEN_BYTES]);
        fill_random(&mut bytes[..])?;
        let mut text = Zeroizing::new(String::with_capacity(TOKEN_LEN));
        text.push_str(TOKEN_PREFIX);
        URL_SAFE_NO_PAD.encode_string(&bytes[..], &mut text);
        Ok(Self(text))
    }

    /// Accepts only the exact shape credman issues: `cms_` and 43 base64url characters that
    /// decode to 32 bytes (canonically: the last character carries no stray bits).
    pub fn parse(text: &str) -> Option<Self> {
        let body = text.strip_prefix(TOKEN_PREFIX)?;
        if text.len() != TOKEN_LEN {
            return None;
        }
        let decoded = Zeroizing::new(URL_SAFE_NO_PAD.decode(body).ok()?);
        (decoded.len() == TOKEN_BYTES).then(|| Self(Zeroizing::new(text.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn sha256(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken([redacted])")
    }
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Active,
    Expired,
    Revoked,
}

impl SessionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Active => "active",
            SessionState::Expired => "expired",
            SessionState::Revoked => "revoked",
        }
    }
}

/// What may be shown about a session: never its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The public id (for lists and `revoke`); not a token.
    pub id: String,
    pub user: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The absolute expiry.
    pub expires_at: i64,
    /// Seconds of inactivity after which the session expires.
    pub idle_timeout: i64,
    pub idle_expires_at: i64,
    pub revoked_at: Option<i64>,
    pub label: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub state: SessionState,
}

/// A session just created or rotated, with its token (shown once, never stored).
#[derive(Debug)]
pub struct IssuedSession {
    pub session: Session,
    pub token: SessionToken,
}

/// Choices for a new session; anything left `None` takes the policy's value.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// Absolute lifetime, seconds (default `session.ttl`).
    pub ttl: Option<i64>,
    /// Idle timeout, seconds (default `session.idle`).
    pub idle: Option<i64>,
    pub label: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The outcome of a login: the password check and, when it passed, the new session.
#[derive(Debug)]
pub struct Login {
    pub outcome: VerifyOutcome,
    pub session: Option<IssuedSession>,
}

/// One line of `who`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedIn {
    pub user: String,
    pub sessions: u64,
    pub last_seen_at: i64,
    /// Where the most recently seen session came from.
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

fn state_at(row: &SessionRow, now: i64) -> SessionState {
    if row.revoked_at.is_some() {
        SessionState::Revoked
    } else if now > row.expires_at || now > row.last_seen_at.saturating_add(row.idle_timeout) {
        SessionState::Expired
    } else {
        SessionState::Active
    }
}

fn to_session(row: SessionRow, now: i64) -> Session {
    Session {
        state: state_at(&row, now),
        idle_expires_at: row.last_seen_at.saturating_add(row.idle_timeout),
        id: row.public_id,
        user: row.user_name,
        created_at: row.created_at,
        last_seen_at: row.last_seen_at,
        expires_at: row.expires_at,
        idle_timeout: row.idle_timeout,
        revoked_at: row.revoked_at,
        label: row.label,
        ip: row.ip,
        user_agent: row.user_agent,
    }
}

/// A new public id: 12 random bytes as 24 hex digits. Random, so it says nothing about the
/// token or about how many sessions exist.
fn new_public_id() -> Result<String> {
    let mut bytes = [0u8; 12];
    fill_random(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Options longer than a field (label, ip, user agent) are cut, so a client cannot fill the
/// database with one request.
fn bounded(text: &Option<String>) -> Option<String> {
    text.as_ref()
        .map(|t| t.chars().filter(|c| !c.is_control()).take(256).collect())
}

impl Credman {
    /// Creates a session for an existing user inside `tx`.
    fn open_session(
        &self,
        tx: &Tx<'_>,
        user: &UserRow,
        options: &SessionOptions,
        now: i64,
        how: &str,
    ) -> Result<IssuedSession> {
        let policy = tx.policy()?;
        let ttl = options
            .ttl
            .unwrap_or(policy.session_ttl)
            .clamp(1, MAX_LIFETIME);
        let idle = options
            .idle
            .unwrap_or(policy.session_idle)
            .clamp(1, MAX_LIFETIME);
        let token = SessionToken::generate()?;
        let public_id = new_public_id()?;
        let (label, ip, user_agent) = (
            bounded(&options.label),
            bounded(&options.ip),
            bounded(&options.user_agent),
        );
        tx.insert_session(&NewSessionRow {
            public_id: &public_id,
            user_id: user.id,
            token_sha256: &token.sha256(),
            now,
            expires_at: now.saturating_add(ttl),
            idle_timeout: idle,
            label: label.as_deref(),
            ip: ip.as_deref(),
            user_agent: user_agent.as_deref(),
        })?;
        let detail = format!(
            "session {public_id} {how}; ttl {}, idle {}",
            format_duration(ttl),
            format_duration(idle)
        );
        self.record(tx, now, action::SESSION_CREATE, Some(&user.name), &detail)?;
        let row = tx
            .session_by_public_id(&public_id)?
            .expect("the session was just inserted");
        Ok(IssuedSession {
            session: to_session(row, now),
            token,
        })
    }

    /// Logs a user in: checks the password exactly as [`Credman::verify`] does (throttling,
    /// upgrade of the stored hash) and, when it is right, opens a session in the same
    /// transaction.
    pub fn login(
        &self,
        name: &str,
        password: &Password,
        options: &SessionOptions,
    ) -> Result<Login> {
        let (outcome, session) = self.authenticate(name, password, |tx, user, now| {
            self.open_session(tx, user, options, now, "created at login")
                .map(Some)
        })?;
        Ok(Login { outcome, session })
    }

    /// Opens a session for a user without their password: an admin issuing one to a service
    /// account. The event log records that no password was checked.
    pub fn create_session(&self, name: &str, options: &SessionOptions) -> Result<IssuedSession> {
        let now = self.now();
        self.store().write(|tx| {
            let user = tx.existing_user(name)?;
            if user.locked {
                return Err(Error::PolicyRejected(format!(
                    "'{name}' is locked; unlock the user first"
                )));
            }
            self.open_session(tx, &user, options, now, "created without a password check")
        })
    }

    /// Checks a presented token: the session when it is active and its user is not locked,
    /// else `None` (unknown, malformed, expired, revoked: all alike). Refreshes `last_seen_at`,
    /// at most once a minute per session.
    pub fn check_session(&self, token: &str) -> Result<Option<Session>> {
        let Some(token) = SessionToken::parse(token) else {
            return Ok(None);
        };
        let digest = token.sha256();
        let now = self.now();
        let Some(mut row) = self.store().read(|tx| tx.session_by_token(&digest))? else {
            return Ok(None);
        };
        if row.user_locked || state_at(&row, now) != SessionState::Active {
            return Ok(None);
        }
        let interval = TOUCH_INTERVAL.min(row.idle_timeout / 2).max(1);
        if now - row.last_seen_at >= interval {
            // One conditional UPDATE: it applies only while the token is still this session's,
            // so a rotation or revocation that won the race is not undone.
            let touched = self
                .store()
                .write(|tx| tx.touch_session(row.id, &digest, now, interval))?;
            if touched {
                row.last_seen_at = now;
            }
        }
        Ok(Some(to_session(row, now)))
    }

    /// Issues a new token for an active session; the old one stops working at once.
    pub fn rotate_session(&self, id: &str) -> Result<IssuedSession> {
        let now = self.now();
        self.store().write(|tx| {
            let row = tx
                .session_by_public_id(id)?
                .ok_or_else(|| Error::SessionNotFound(id.to_owned()))?;
            match state_at(&row, now) {
                SessionState::Active => self.rotate_row(tx, row, now),
                state => Err(Error::SessionInactive(id.to_owned(), state.as_str())),
            }
        })
    }

    /// Rotates every active session of a user (after a privilege change, say).
    pub fn rotate_user_sessions(&self, name: &str) -> Result<Vec<IssuedSession>> {
        let now = self.now();
        self.store().write(|tx| {
            let user = tx.existing_user(name)?;
            tx.active_sessions_of(user.id, now)?
                .into_iter()
                .map(|row| self.rotate_row(tx, row, now))
                .collect()
        })
    }

    fn rotate_row(&self, tx: &Tx<'_>, mut row: SessionRow, now: i64) -> Result<IssuedSession> {
        let token = SessionToken::generate()?;
        tx.set_session_token(row.id, &token.sha256(), now)?;
        row.last_seen_at = now;
        let detail = format!("session {} has a new token", row.public_id);
        self.record(
            tx,
            now,
            action::SESSION_ROTATE,
            Some(&row.user_name),
            &detail,
        )?;
        Ok(IssuedSession {
            session: to_session(row, now),
            token,
        })
    }

    /// Revokes one session unless it is revoked already, and logs it; returns whether it was
    /// live.
    fn revoke_row(&self, tx: &Tx<'_>, row: &SessionRow, now: i64, how: &str) -> Result<bool> {
        let revoked = tx.revoke_session(row.id, now)?;
        if revoked {
            let detail = format!("session {} {how}", row.public_id);
            self.record(
                tx,
                now,
                action::SESSION_REVOKE,
                Some(&row.user_name),
                &detail,
            )?;
        }
        Ok(revoked)
    }

    /// Logs out: revokes the session a token belongs to. Returns whether one was revoked.
    pub fn logout(&self, token: &str) -> Result<bool> {
        let Some(token) = SessionToken::parse(token) else {
            return Ok(false);
        };
        let now = self.now();
        self.store().write(|tx| {
            let Some(row) = tx.session_by_token(&token.sha256())? else {
                return Ok(false);
            };
            self.revoke_row(tx, &row, now, "logged out")
        })
    }

    /// Revokes sessions by public id, all or none: an unknown id revokes nothing. Returns how
    /// many were active (not yet revoked) before.
    pub fn revoke_sessions(&self, ids: &[&str]) -> Result<u64> {
        let now = self.now();
        self.store().write(|tx| {
            let mut revoked = 0;
            for id in ids {
                let row = tx
                    .session_by_public_id(id)?
                    .ok_or_else(|| Error::SessionNotFound((*id).to_owned()))?;
                if self.revoke_row(tx, &row, now, "revoked")? {
                    revoked += 1;
                }
            }
            Ok(revoked)
        })
    }

    /// Revokes every session of a user.
    pub fn revoke_user_sessions(&self, name: &str) -> Result<u64> {
        let now = self.now();
        self.store().write(|tx| {
            let user = tx.existing_user(name)?;
            let n = tx.revoke_sessions_of(Some(user.id), now)?;
            let detail = format!("{n} sessions revoked");
            self.record(tx, now, action::SESSION_REVOKE, Some(name), &detail)?;
            Ok(n)
        })
    }

    /// Revokes every session of every user.
    pub fn revoke_all_sessions(&self) -> Result<u64> {
        let now = self.now();
        self.store().write(|tx| {
            let n = tx.revoke_sessions_of(None, now)?;
            let detail = format!("all {n} sessions revoked");
            self.record(tx, now, action::SESSION_REVOKE, None, &detail)?;
            Ok(n)
        })
    }

    /// Deletes expired and revoked sessions; returns how many. Nothing else deletes sessions
    /// (but deleting a user deletes theirs).
    pub fn prune_sessions(&self) -> Result<u64> {
        let now = self.now();
        self.store().write_bulk(|tx| {
            let n = tx.prune_sessions(now)?;
            let detail = format!("{n} expired or revoked sessions deleted");
            self.record(tx, now, action::SESSION_PRUNE, None, &detail)?;
            Ok(n)
        })
    }

    /// Calls `f` with each session in creation order: the active ones, or with `all` the
    /// expired and revoked too; of one user or of all. Streams from the database.
    pub fn for_each_session<E: From<Error>>(
        &self,
        user: Option<&str>,
        all: bool,
        mut f: impl FnMut(Session) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let now = self.now();
        let mut stopped = None;
        self.store().read(|tx| {
            tx.for_each_session(user, all, now, |row| {
                keep_going(&mut stopped, f(to_session(row, now)))
            })
        })?;
        stopped.map_or(Ok(()), Err)
    }

    /// Who is logged in: one entry per user with active sessions, by name.
    pub fn who(&self) -> Result<Vec<LoggedIn>> {
        let now = self.now();
        let rows = self.store().read(|tx| tx.who(now))?;
        Ok(rows
            .into_iter()
            .map(|r: WhoRow| LoggedIn {
                user: r.user_name,
                sessions: r.sessions,
                last_seen_at: r.last_seen_at,
                ip: r.ip,
                user_agent: r.user_agent,
            })
            .collect())
    }
}
