//! The security event log: who did what to whom, and when. Append-only (the database refuses
//! updates and deletes), and it never holds a password, a token or a hash.

/// One entry of the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Unix seconds.
    pub at: i64,
    /// Who acted: `cli:<login>` for the command line, what the web app chose for itself.
    pub actor: String,
    /// What happened, as a dotted name: see [`action`].
    pub action: String,
    /// The user it happened to, by the name they had then.
    pub user: Option<String>,
    /// Free text for the admin; never a secret.
    pub detail: String,
}

/// The action names the library writes.
pub mod action {
    pub const INIT: &str = "db.init";
    pub const CONFIG_SET: &str = "config.set";
    pub const USER_ADD: &str = "user.add";
    pub const USER_PASSWD: &str = "user.passwd";
    pub const USER_LOCK: &str = "user.lock";
    pub const USER_UNLOCK: &str = "user.unlock";
    pub const USER_RENAME: &str = "user.rename";
    pub const USER_DELETE: &str = "user.delete";
    /// A user added or replaced by an import; the detail names the source and the scheme.
    pub const USER_IMPORT: &str = "user.import";
    /// An import as a whole: its source and counts.
    pub const IMPORT: &str = "import";
    /// A password that the policy refused was set anyway by an admin (`--allow-weak`).
    pub const POLICY_OVERRIDE: &str = "policy.override";
    pub const VERIFY_OK: &str = "verify.success";
    pub const VERIFY_FAIL: &str = "verify.failure";
    /// A stored hash was upgraded to the current policy after a successful verify.
    pub const REHASH: &str = "hash.upgrade";
    /// A user crossed the failure threshold and is throttled.
    pub const THROTTLED: &str = "user.throttled";
    pub const SESSION_CREATE: &str = "session.create";
    pub const SESSION_ROTATE: &str = "session.rotate";
    pub const SESSION_REVOKE: &str = "session.revoke";
    pub const SESSION_PRUNE: &str = "session.prune";
}
