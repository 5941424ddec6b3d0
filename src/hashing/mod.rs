//! The only door to the password-hashing crates.
//!
//! Everything else in credman speaks in PHC strings, [`Argon2Params`], [`Caps`] and [`Check`];
//! no other module names an `argon2` or `password-hash` type, so a new major version of those
//! crates changes this folder and nothing else.

mod argon2id;
mod crypt;
mod identify;
mod memory;
mod web;

use std::cell::Cell;

use crate::error::{Error, Result};
use crate::secret::Password;

pub use argon2id::Argon2Params;
pub use identify::{Identified, Verdict, identify};

/// Upper bounds on the cost parameters read from a stored hash, checked before anything is
/// allocated or iterated, so a tampered row cannot make a verify allocate terabytes or spin for
/// hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// argon2 memory, KiB.
    pub argon2_m: u32,
    pub argon2_t: u32,
    pub argon2_p: u32,
    /// scrypt memory, 128 * N * r bytes.
    pub scrypt_bytes: u64,
    pub pbkdf2_iterations: u64,
    pub bcrypt_cost: u32,
}

impl Default for Caps {
    fn default() -> Self {
        Self {
            argon2_m: 2 * 1024 * 1024,
            argon2_t: 20,
            argon2_p: 16,
            scrypt_bytes: 2 * 1024 * 1024 * 1024,
            pbkdf2_iterations: 10_000_000,
            bcrypt_cost: 16,
        }
    }
}

/// The answer to "does this password match this stored hash?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Match,
    Mismatch,
    /// The stored string cannot be used: not a format credman knows, malformed, or over a cap.
    /// The reason is for admins (audit, `--explain`); it never contains the hash.
    Unusable(String),
}

thread_local! {
    static KDF_CALLS: Cell<u64> = const { Cell::new(0) };
}

/// How many times the key-derivation function has run on the calling thread.
///
/// A test seam: security properties such as "an unknown user costs exactly one KDF run, like a
/// wrong password" are tested by counting, not by the clock.
pub fn kdf_calls() -> u64 {
    KDF_CALLS.with(Cell::get)
}

pub(super) fn count_kdf_call() {
    KDF_CALLS.with(|c| c.set(c.get() + 1));
}

/// Hashes a new password with argon2id at `params`: a PHC string with a fresh 16-byte salt and a
/// 32-byte tag.
pub fn hash_password(password: &Password, params: &Argon2Params) -> Result<String> {
    let mut salt = [0u8; argon2id::SALT_LEN];
    fill_random(&mut salt)?;
    argon2id::hash(password.as_bytes(), &salt, params)
}

/// Checks `password` against a stored hash string. Parameters are checked against `caps` before
/// any memory is allocated; the tag is compared in constant time.
pub fn verify_password(password: &Password, stored: &str, caps: &Caps) -> Check {
    if argon2id::is_argon2(stored) {
        return argon2id::verify(password.as_bytes(), stored, caps);
    }
    web::verify(password.as_bytes(), stored, caps)
        .or_else(|| crypt::verify(password.as_bytes(), stored, caps))
        .unwrap_or_else(|| Check::Unusable("not a recognised password hash format".into()))
}

/// Runs the KDF once at `params` on a throw-away salt and discards the result: the cost an unknown
/// user, a locked user or a throttled user pays, so that their denials take as long as a wrong
/// password's.
pub fn dummy_verify(password: &Password, params: &Argon2Params) {
    let salt = [0x5au8; argon2id::SALT_LEN];
    // The result is thrown away on purpose; only the time it took matters.
    let _ = argon2id::hash(password.as_bytes(), &salt, params);
}

/// The scheme name of a stored hash (`argon2id`, `argon2i`, `argon2d`), or `unknown`.
pub fn scheme(stored: &str) -> &'static str {
    argon2id::scheme(stored)
        .or_else(|| web::scheme(stored))
        .or_else(|| crypt::scheme(stored))
        .unwrap_or("unknown")
}

/// Whether a stored hash should be replaced by a new one at the current policy: true for every
/// scheme but argon2id, and for argon2id at other parameters.
pub fn needs_rehash(stored: &str, params: &Argon2Params) -> bool {
    argon2id::params_of(stored).is_none_or(|p| p != *params)
}

/// Fills `buf` from the operating system's CSPRNG.
pub fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::Random(e.to_string()))
}
