//! The only door to the password-hashing crates.
//!
//! Everything else in credman speaks in PHC strings, [`Argon2Params`], [`Caps`] and [`Check`];
//! no other module names an `argon2` or `password-hash` type, so a new major version of those
//! crates changes this folder and nothing else.

mod argon2id;
mod calibrate;
mod crypt;
mod identify;
mod memory;
mod web;

use std::cell::Cell;

use crate::error::{Error, Result};
use crate::secret::Password;

pub use argon2id::Argon2Params;
pub use calibrate::{MAX_SAMPLES, Measurement, OWASP_ARGON2ID, calibrate, measure, recommend};
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

/// The formats credman writes a new hash in. argon2id is credman's own; the others exist for the
/// apps beside it that check passwords with their own library and cannot read argon2id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewScheme {
    /// A PHC string at the given [`Argon2Params`], as [`hash_password`] writes it.
    Argon2id,
    /// Werkzeug 3.1's default, `scrypt:32768:8:1$<salt>$<hex>`: for a Flask app that checks
    /// with `werkzeug.security.check_password_hash`. The password must be UTF-8 (Werkzeug
    /// takes a `str`).
    WerkzeugScrypt,
    /// Werkzeug 3.1's `pbkdf2:sha256:1000000$<salt>$<hex>`, for a Flask app that asks for
    /// `method="pbkdf2"`. The password must be UTF-8.
    WerkzeugPbkdf2,
    /// `$2b$12$...`, for python `bcrypt`, `htpasswd -B` and crypt(3). At most 72 bytes and no
    /// NUL byte: longer passwords are refused, not truncated.
    Bcrypt,
}

/// Hashes a new password in `scheme`, with a fresh random salt; `argon2` is used for
/// [`NewScheme::Argon2id`] only (the other formats are written at their owners' defaults).
/// Every hash written here passes [`verify_password`] and the owner library's own check.
///
/// A password the owner could never check is refused with [`Error::InvalidInput`] rather than
/// hashed: over 72 bytes or holding a NUL byte for bcrypt, not UTF-8 for Werkzeug.
pub fn hash_password_as(
    password: &Password,
    scheme: NewScheme,
    argon2: &Argon2Params,
) -> Result<String> {
    match scheme {
        NewScheme::Argon2id => hash_password(password, argon2),
        NewScheme::WerkzeugScrypt => {
            web::new_werkzeug_scrypt(password.as_bytes(), &web::werkzeug_salt()?)
        }
        NewScheme::WerkzeugPbkdf2 => {
            web::new_werkzeug_pbkdf2(password.as_bytes(), &web::werkzeug_salt()?)
        }
        NewScheme::Bcrypt => {
            let mut salt = [0u8; 16];
            fill_random(&mut salt)?;
            crypt::new_bcrypt(password.as_bytes(), salt)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: Argon2Params = Argon2Params { m: 64, t: 1, p: 1 };

    fn pw(text: &str) -> Password {
        Password::new(text.as_bytes().to_vec())
    }

    /// `method$salt$hex` with Werkzeug's salt (16 of `[A-Za-z0-9]`) and `len` bytes of lowercase
    /// hex; returns the salt.
    fn werkzeug_shape<'a>(stored: &'a str, method: &str, len: usize) -> &'a str {
        let fields: Vec<&str> = stored.split('$').collect();
        let [m, salt, hex] = fields.as_slice() else {
            panic!("not method$salt$hex: {stored}");
        };
        assert_eq!(*m, method, "{stored}");
        assert!(
            salt.len() == 16 && salt.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{stored}"
        );
        assert!(
            hex.len() == 2 * len
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{stored}"
        );
        salt
    }

    /// `$2b$12$` + 22 salt + 31 hash characters of bcrypt's base64; returns the salt.
    fn bcrypt_shape(stored: &str) -> &str {
        let b64 = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/')
        };
        assert!(
            stored.len() == 60 && stored.starts_with("$2b$12$") && b64(&stored[7..]),
            "{stored}"
        );
        &stored[7..29]
    }

    /// Every scheme `hash` can write: the shape its owner writes, a fresh salt per call, and a
    /// round trip through `verify_password` (right password matches, a wrong one does not).
    #[test]
    fn every_new_scheme_round_trips_with_a_fresh_salt() {
        let caps = Caps::default();
        let password = pw("pässwörd✓ long enough");
        let wrong = pw("pässwörd✓ long enougH");
        for (scheme, name) in [
            (NewScheme::Argon2id, "argon2id"),
            (NewScheme::WerkzeugScrypt, "werkzeug-scrypt"),
            (NewScheme::WerkzeugPbkdf2, "werkzeug-pbkdf2-sha256"),
            (NewScheme::Bcrypt, "bcrypt"),
        ] {
            let first = hash_password_as(&password, scheme, &FAST).unwrap();
            let second = hash_password_as(&password, scheme, &FAST).unwrap();
            let salts = match scheme {
                NewScheme::Argon2id => {
                    let salt = |s: &str| s.split('$').nth(4).unwrap_or_default().to_owned();
                    assert!(first.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{first}");
                    (salt(&first), salt(&second))
                }
                NewScheme::WerkzeugScrypt => (
                    werkzeug_shape(&first, "scrypt:32768:8:1", 64).to_owned(),
                    werkzeug_shape(&second, "scrypt:32768:8:1", 64).to_owned(),
                ),
                NewScheme::WerkzeugPbkdf2 => (
                    werkzeug_shape(&first, "pbkdf2:sha256:1000000", 32).to_owned(),
                    werkzeug_shape(&second, "pbkdf2:sha256:1000000", 32).to_owned(),
                ),
                NewScheme::Bcrypt => (
                    bcrypt_shape(&first).to_owned(),
                    bcrypt_shape(&second).to_owned(),
                ),
            };
            assert_ne!(salts.0, salts.1, "{scheme:?}: the salt came out twice");
            assert_eq!(self::scheme(&first), name);
            assert_eq!(verify_password(&password, &first, &caps), Check::Match);
            assert_eq!(verify_password(&wrong, &first, &caps), Check::Mismatch);
        }
    }

    #[test]
    fn bcrypt_refuses_a_password_over_72_bytes_instead_of_truncating_it() {
        let at_limit = Password::new(vec![b'y'; 72]);
        let stored = hash_password_as(&at_limit, NewScheme::Bcrypt, &FAST).unwrap();
        assert_eq!(
            verify_password(&at_limit, &stored, &Caps::default()),
            Check::Match
        );
        let over = Password::new(vec![b'y'; 73]);
        let err = hash_password_as(&over, NewScheme::Bcrypt, &FAST).unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
        // The message says why without quoting the password.
        assert!(err.to_string().contains("72 bytes"), "{err}");
        assert!(!err.to_string().contains("yyy"), "{err}");
    }
}
