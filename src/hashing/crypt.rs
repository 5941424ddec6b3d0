//! crypt(3) and Apache formats: bcrypt, sha-crypt, md5-crypt, apr1, DES crypt, {SHA}, {SSHA}.
//!
//! The primitives are the crates': `bcrypt` (parsing and KDF), `sha-crypt` (the SHA-crypt core),
//! `pwhash` (md5-crypt `$1$` and DES crypt), `sha1` and `base64`. Hand-written here, because no
//! crate in our tree does it:
//! - the parsing of the `$5$`/`$6$` strings and their final crypt-base64 encoding (`sha-crypt`
//!   only has those behind its `password-hash` feature, which we build without);
//! - apr1, which is md5-crypt with the magic `$apr1$` mixed in (pwhash hard-codes `$1$`);
//! - the `{SHA}` / `{SSHA}` framing around SHA-1.
//!
//! Every string is checked for shape (and cost against the caps) before anything is computed, so
//! a malformed or tampered hash is `Unusable` quickly and never panics. Where the owner tools
//! compare the re-encoded crypt string (`strcmp` in glibc and Apache), we do the same, in constant
//! time.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};
use sha1::Sha1;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::identify::Cost;
use super::{Caps, Check, count_kdf_call};

/// The crypt(3) base64 alphabet (`./0-9A-Za-z`), shared by every format in this file but the
/// LDAP ones.
const CRYPT64: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The formats this module knows, recognised by their shape alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Bcrypt,
    Sha512Crypt,
    Sha256Crypt,
    Md5Crypt,
    Apr1,
    DesCrypt,
    LdapSha1,
    LdapSaltedSha1,
}

impl Format {
    fn detect(stored: &str) -> Option<Self> {
        let format = if ["$2a$", "$2b$", "$2y$"]
            .iter()
            .any(|p| stored.starts_with(p))
        {
            Self::Bcrypt
        } else if stored.starts_with("$6$") {
            Self::Sha512Crypt
        } else if stored.starts_with("$5$") {
            Self::Sha256Crypt
        } else if stored.starts_with("$1$") {
            Self::Md5Crypt
        } else if stored.starts_with("$apr1$") {
            Self::Apr1
        } else if stored.starts_with("{SHA}") {
            Self::LdapSha1
        } else if stored.starts_with("{SSHA}") {
            Self::LdapSaltedSha1
        } else if stored.len() == 13 && is_crypt64(stored) {
            // DES crypt has no prefix: exactly 13 characters of the crypt alphabet is its only
            // form, so nothing else is claimed as DES.
            Self::DesCrypt
        } else {
            return None;
        };
        Some(format)
    }

    fn name(self) -> &'static str {
        match self {
            Self::Bcrypt => "bcrypt",
            Self::Sha512Crypt => "sha512-crypt",
            Self::Sha256Crypt => "sha256-crypt",
            Self::Md5Crypt => "md5-crypt",
            Self::Apr1 => "apr1",
            Self::DesCrypt => "des-crypt",
            Self::LdapSha1 => "ldap-sha1",
            Self::LdapSaltedSha1 => "ldap-salted-sha1",
        }
    }
}

/// `Some` when `stored` is one of this module's formats.
pub(super) fn verify(password: &[u8], stored: &str, caps: &Caps) -> Option<Check> {
    let format = Format::detect(stored)?;
    let result = match format {
        Format::Bcrypt => verify_bcrypt(password, stored, caps),
        Format::Sha512Crypt => verify_sha_crypt(password, stored, caps, ShaVariant::Sha512),
        Format::Sha256Crypt => verify_sha_crypt(password, stored, caps, ShaVariant::Sha256),
        Format::Md5Crypt => verify_md5_crypt(password, stored),
        Format::Apr1 => verify_apr1(password, stored),
        Format::DesCrypt => verify_des_crypt(password, stored),
        Format::LdapSha1 => verify_ldap_sha1(password, stored),
        Format::LdapSaltedSha1 => verify_ldap_salted_sha1(password, stored),
    };
    Some(result.unwrap_or_else(Check::Unusable))
}

pub(super) fn scheme(stored: &str) -> Option<&'static str> {
    Format::detect(stored).map(Format::name)
}

/// `Some` when `stored` is one of this module's formats: its cost, read and checked against
/// `caps` by the same parsing `verify` uses, without running any KDF (for `identify`). The error
/// says why the hash is unusable and never quotes it.
pub(super) fn cost(stored: &str, caps: &Caps) -> Option<Result<Cost, String>> {
    let format = Format::detect(stored)?;
    let sha_crypt = |variant| {
        sha_crypt_parts(stored, caps, variant).map(|(rounds, ..)| Cost::ShaCrypt { rounds })
    };
    Some(match format {
        Format::Bcrypt => bcrypt_cost(stored, caps).map(|cost| Cost::Bcrypt { cost }),
        Format::Sha512Crypt => sha_crypt(ShaVariant::Sha512),
        Format::Sha256Crypt => sha_crypt(ShaVariant::Sha256),
        Format::Md5Crypt => split_md5_like(stored, "$1$", "md5-crypt").map(|_| Cost::Legacy),
        Format::Apr1 => split_md5_like(stored, "$apr1$", "apr1").map(|_| Cost::Legacy),
        Format::DesCrypt => des_crypt_shape(stored).map(|()| Cost::Legacy),
        Format::LdapSha1 => ldap_sha1_expected(stored).map(|_| Cost::Legacy),
        Format::LdapSaltedSha1 => ldap_salted_sha1_decoded(stored).map(|_| Cost::Legacy),
    })
}

type Outcome = Result<Check, String>;

fn check_of(equal: bool) -> Check {
    if equal { Check::Match } else { Check::Mismatch }
}

fn is_crypt64(s: &str) -> bool {
    s.bytes().all(|b| CRYPT64.contains(&b))
}

fn ct_eq_str(a: &str, b: &str) -> bool {
    // Lengths are public (they follow from the format); the contents are compared in constant
    // time.
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// crypt(3)'s base64 of already transposed bytes: each group of three is read little-endian and
/// written low six bits first (glibc's `b64_from_24bit`); a last group of one or two bytes gives
/// two or three characters.
fn crypt64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut w = chunk
            .iter()
            .enumerate()
            .fold(0u32, |w, (i, &b)| w | u32::from(b) << (8 * i));
        for _ in 0..=chunk.len() {
            out.push(char::from(CRYPT64[(w & 0x3f) as usize]));
            w >>= 6;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// bcrypt

/// The cost of a stored bcrypt hash, checked against the caps.
fn bcrypt_cost(stored: &str, caps: &Caps) -> Result<u32, String> {
    // The crate's parser checks the shape (60 ASCII bytes, `$2?$NN$`, base64) and gives the cost,
    // which is capped before the KDF runs.
    let parts: bcrypt::HashParts = stored
        .parse()
        .map_err(|_| "malformed bcrypt hash".to_string())?;
    let cost = parts.get_cost();
    if cost > caps.bcrypt_cost {
        return Err(format!(
            "bcrypt cost {cost} is over the cap ({})",
            caps.bcrypt_cost
        ));
    }
    if cost < 4 {
        return Err(format!("bcrypt cost {cost} is below bcrypt's minimum of 4"));
    }
    Ok(cost)
}

fn verify_bcrypt(password: &[u8], stored: &str, caps: &Caps) -> Outcome {
    bcrypt_cost(stored, caps)?;
    count_kdf_call();
    // `bcrypt::verify` truncates at 72 bytes as every bcrypt does (htpasswd -B, python bcrypt),
    // so a password that differs only past byte 72 matches, byte-exact with the owners. The tag
    // is compared in constant time inside the crate.
    bcrypt::verify(password, stored)
        .map(check_of)
        .map_err(|e| format!("bcrypt: {e}"))
}

/// The cost of a new bcrypt hash: python bcrypt's `gensalt()` default.
const BCRYPT_NEW_COST: u32 = 12;
/// The most of a password bcrypt reads; every implementation ignores the bytes after it.
const BCRYPT_MAX_PASSWORD: usize = 72;

/// A new `$2b$12$` hash of `password` with `salt`. A password bcrypt could not take whole is
/// refused instead of hashed:
/// - over 72 bytes: bcrypt would silently ignore the rest (python bcrypt 5 refuses it too);
/// - holding a NUL byte: the crate hashes it byte for byte (as python bcrypt, built on it,
///   does), but the C implementations (htpasswd -B, crypt(3), PHP) end the password at the NUL,
///   so they would check a shorter password and never match this hash.
pub(super) fn new_bcrypt(password: &[u8], salt: [u8; 16]) -> crate::error::Result<String> {
    use crate::error::Error;
    if password.len() > BCRYPT_MAX_PASSWORD {
        return Err(Error::InvalidInput(format!(
            "the password is longer than {BCRYPT_MAX_PASSWORD} bytes, and bcrypt would ignore \
             the rest; use a shorter password, or argon2id or a Werkzeug scheme"
        )));
    }
    if password.contains(&0) {
        return Err(Error::InvalidInput(
            "the password contains a NUL byte, where htpasswd and crypt(3) end a bcrypt \
             password, so they could never match this hash; use argon2id or a Werkzeug scheme"
                .into(),
        ));
    }
    count_kdf_call();
    let parts = bcrypt::hash_with_salt(password, BCRYPT_NEW_COST, salt)
        .map_err(|e| Error::Hashing(format!("bcrypt: {e}")))?;
    Ok(parts.format_for_version(bcrypt::Version::TwoB))
}

// ---------------------------------------------------------------------------------------------
// sha-crypt ($5$, $6$)

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ShaVariant {
    Sha256,
    Sha512,
}

/// The byte order in which SHA-crypt writes its digest, as in the `sha-crypt` crate's MCF code
/// (which is behind a feature we do not build) and glibc's `b64_from_24bit` calls.
const SHA256_ORDER: [usize; 32] = [
    20, 10, 0, 11, 1, 21, 2, 22, 12, 23, 13, 3, 14, 4, 24, 5, 25, 15, 26, 16, 6, 17, 7, 27, 8, 28,
    18, 29, 19, 9, 30, 31,
];
const SHA512_ORDER: [usize; 64] = [
    42, 21, 0, 1, 43, 22, 23, 2, 44, 45, 24, 3, 4, 46, 25, 26, 5, 47, 48, 27, 6, 7, 49, 28, 29, 8,
    50, 51, 30, 9, 10, 52, 31, 32, 11, 53, 54, 33, 12, 13, 55, 34, 35, 14, 56, 57, 36, 15, 16, 58,
    37, 38, 17, 59, 60, 39, 18, 19, 61, 40, 41, 20, 62, 63,
];

/// The default number of rounds when a sha-crypt hash names none.
const SHA_CRYPT_DEFAULT_ROUNDS: u32 = 5_000;
/// SHA-crypt's longest salt; glibc truncates longer ones, so a longer stored salt never matches.
const SHA_CRYPT_MAX_SALT: usize = 16;

/// The rounds (checked against the caps), salt and tag of a stored `$5$`/`$6$` hash.
fn sha_crypt_parts<'a>(
    stored: &'a str,
    caps: &Caps,
    variant: ShaVariant,
) -> Result<(u32, sha_crypt::Params, &'a str, &'a str), String> {
    let (name, magic, tag_len) = match variant {
        ShaVariant::Sha256 => ("sha256-crypt", "$5$", 43),
        ShaVariant::Sha512 => ("sha512-crypt", "$6$", 86),
    };
    let malformed = || format!("malformed {name} hash");
    let rest = stored.strip_prefix(magic).ok_or_else(malformed)?;
    let (rounds, rest) = match rest.strip_prefix("rounds=") {
        Some(rest) => {
            let (digits, rest) = rest.split_once('$').ok_or_else(malformed)?;
            // glibc writes the rounds back in canonical decimal, and `crypt() == stored` is how
            // its users compare, so only canonical digits can ever match.
            if digits.is_empty()
                || digits.len() > 10
                || digits.starts_with('0')
                || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(malformed());
            }
            let rounds: u64 = digits.parse().map_err(|_| malformed())?;
            (rounds, rest)
        }
        None => (u64::from(SHA_CRYPT_DEFAULT_ROUNDS), rest),
    };
    // The cap first: sha-crypt's rounds are a count of hash iterations like PBKDF2's, so the
    // PBKDF2 iteration cap is a reasonable bound for them (10 000 000 by default, where SHA-crypt
    // itself allows 999 999 999).
    if rounds > caps.pbkdf2_iterations {
        return Err(format!(
            "{name} rounds {rounds} is over the cap ({})",
            caps.pbkdf2_iterations
        ));
    }
    let outside = || format!("{name} rounds {rounds} is outside 1000..=999999999");
    let rounds = u32::try_from(rounds).map_err(|_| outside())?;
    let params = sha_crypt::Params::new(rounds).map_err(|_| outside())?;
    let (salt, tag) = rest.split_once('$').ok_or_else(malformed)?;
    if salt.len() > SHA_CRYPT_MAX_SALT || tag.len() != tag_len || !is_crypt64(tag) {
        return Err(malformed());
    }
    Ok((rounds, params, salt, tag))
}

fn verify_sha_crypt(password: &[u8], stored: &str, caps: &Caps, variant: ShaVariant) -> Outcome {
    let (_, params, salt, tag) = sha_crypt_parts(stored, caps, variant)?;
    count_kdf_call();
    let computed = match variant {
        ShaVariant::Sha256 => {
            let digest = Zeroizing::new(sha_crypt::sha256_crypt(password, salt.as_bytes(), params));
            encode_transposed(&digest[..], &SHA256_ORDER)
        }
        ShaVariant::Sha512 => {
            let digest = Zeroizing::new(sha_crypt::sha512_crypt(password, salt.as_bytes(), params));
            encode_transposed(&digest[..], &SHA512_ORDER)
        }
    };
    Ok(check_of(ct_eq_str(&computed, tag)))
}

fn encode_transposed(digest: &[u8], order: &[usize]) -> Zeroizing<String> {
    let transposed: Zeroizing<Vec<u8>> = Zeroizing::new(order.iter().map(|&i| digest[i]).collect());
    Zeroizing::new(crypt64_encode(&transposed))
}

// ---------------------------------------------------------------------------------------------
// md5-crypt ($1$) and apr1 ($apr1$)

const MD5_CRYPT_MAX_SALT: usize = 8;
const MD5_CRYPT_TAG_LEN: usize = 22;

/// Splits `$<magic>$salt$tag` after checking its shape: a salt of at most 8 crypt64 characters
/// (longer salts are truncated by the owners, so they never match) and a 22-character tag.
fn split_md5_like<'a>(
    stored: &'a str,
    magic: &str,
    name: &str,
) -> Result<(&'a str, &'a str), String> {
    let malformed = || format!("malformed {name} hash");
    let rest = stored.strip_prefix(magic).ok_or_else(malformed)?;
    let (salt, tag) = rest.split_once('$').ok_or_else(malformed)?;
    if salt.is_empty()
        || salt.len() > MD5_CRYPT_MAX_SALT
        || !is_crypt64(salt)
        || tag.len() != MD5_CRYPT_TAG_LEN
        || !is_crypt64(tag)
    {
        return Err(malformed());
    }
    Ok((salt, tag))
}

fn verify_md5_crypt(password: &[u8], stored: &str) -> Outcome {
    split_md5_like(stored, "$1$", "md5-crypt")?;
    count_kdf_call();
    // pwhash re-hashes with the stored salt and compares the strings in constant time.
    Ok(check_of(pwhash::md5_crypt::verify(password, stored)))
}

fn verify_apr1(password: &[u8], stored: &str) -> Outcome {
    let (salt, tag) = split_md5_like(stored, "$apr1$", "apr1")?;
    count_kdf_call();
    let computed = md5_crypt_with_magic(password, b"$apr1$", salt.as_bytes());
    Ok(check_of(ct_eq_str(&computed, tag)))
}

/// Poul-Henning Kamp's md5-crypt with a given magic, returning the 22-character tag. Hand-written
/// because pwhash hard-codes the `$1$` magic; Apache's apr1 is this function with `$apr1$`
/// (apr_md5.c). A unit test checks it against pwhash for `$1$`.
fn md5_crypt_with_magic(password: &[u8], magic: &[u8], salt: &[u8]) -> Zeroizing<String> {
    let alternate = Md5::new()
        .chain_update(password)
        .chain_update(salt)
        .chain_update(password)
        .finalize();

    let mut ctx = Md5::new();
    ctx.update(password);
    ctx.update(magic);
    ctx.update(salt);
    for chunk in password.chunks(16) {
        ctx.update(&alternate[..chunk.len()]);
    }
    // The famous oddity: for each bit of the length, a NUL byte when set, the password's first
    // byte when clear.
    let mut n = password.len();
    while n > 0 {
        if n & 1 == 1 {
            ctx.update([0u8]);
        } else {
            ctx.update(&password[..1]);
        }
        n >>= 1;
    }
    let mut digest = Zeroizing::new([0u8; 16]);
    digest.copy_from_slice(&ctx.finalize());

    for round in 0..1000 {
        let mut ctx = Md5::new();
        if round % 2 == 1 {
            ctx.update(password);
        } else {
            ctx.update(&digest[..]);
        }
        if round % 3 != 0 {
            ctx.update(salt);
        }
        if round % 7 != 0 {
            ctx.update(password);
        }
        if round % 2 == 1 {
            ctx.update(&digest[..]);
        } else {
            ctx.update(password);
        }
        digest.copy_from_slice(&ctx.finalize());
    }

    const ORDER: [usize; 16] = [12, 6, 0, 13, 7, 1, 14, 8, 2, 15, 9, 3, 5, 10, 4, 11];
    encode_transposed(&digest[..], &ORDER)
}

// ---------------------------------------------------------------------------------------------
// DES crypt

/// DES crypt's only form: 13 characters of the crypt alphabet.
fn des_crypt_shape(stored: &str) -> Result<(), String> {
    if stored.len() != 13 || !is_crypt64(stored) {
        return Err("malformed des-crypt hash".into());
    }
    Ok(())
}

fn verify_des_crypt(password: &[u8], stored: &str) -> Outcome {
    // The shape (13 crypt64 characters) was checked by `Format::detect`; pwhash reads the salt
    // from the first two, uses the first 8 bytes of the password (7 bits each, like glibc and
    // htpasswd -d) and compares the strings in constant time.
    des_crypt_shape(stored)?;
    count_kdf_call();
    Ok(check_of(pwhash::unix_crypt::verify(password, stored)))
}

// ---------------------------------------------------------------------------------------------
// {SHA} and {SSHA}: hand-written framing (base64 of SHA-1, and of SHA-1 || salt) around `sha1`.

const SHA1_LEN: usize = 20;

/// The SHA-1 digest a `{SHA}` hash holds.
fn ldap_sha1_expected(stored: &str) -> Result<Vec<u8>, String> {
    let malformed = || "malformed {SHA} hash".to_string();
    let b64 = stored.strip_prefix("{SHA}").ok_or_else(malformed)?;
    let expected = STANDARD.decode(b64).map_err(|_| malformed())?;
    if expected.len() != SHA1_LEN {
        return Err(malformed());
    }
    Ok(expected)
}

fn verify_ldap_sha1(password: &[u8], stored: &str) -> Outcome {
    let expected = ldap_sha1_expected(stored)?;
    count_kdf_call();
    let mut computed = Zeroizing::new([0u8; SHA1_LEN]);
    computed.copy_from_slice(&Sha1::digest(password));
    Ok(check_of(computed.ct_eq(&expected[..]).into()))
}

/// The digest and salt of a `{SSHA}` hash, still joined.
fn ldap_salted_sha1_decoded(stored: &str) -> Result<Vec<u8>, String> {
    let malformed = || "malformed {SSHA} hash".to_string();
    let b64 = stored.strip_prefix("{SSHA}").ok_or_else(malformed)?;
    let decoded = STANDARD.decode(b64).map_err(|_| malformed())?;
    // The digest, then a salt of at least one byte (OpenLDAP's rule; passlib writes 4).
    if decoded.len() <= SHA1_LEN {
        return Err(malformed());
    }
    Ok(decoded)
}

fn verify_ldap_salted_sha1(password: &[u8], stored: &str) -> Outcome {
    let decoded = ldap_salted_sha1_decoded(stored)?;
    let (expected, salt) = decoded.split_at(SHA1_LEN);
    count_kdf_call();
    let mut computed = Zeroizing::new([0u8; SHA1_LEN]);
    computed.copy_from_slice(
        &Sha1::new()
            .chain_update(password)
            .chain_update(salt)
            .finalize(),
    );
    Ok(check_of(computed.ct_eq(expected).into()))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::hashing::kdf_calls;

    fn caps() -> Caps {
        Caps::default()
    }

    fn unusable(check: Option<Check>) -> bool {
        matches!(check, Some(Check::Unusable(_)))
    }

    /// Every line of the shared vectors whose hash is one of this module's formats comes out as
    /// its `valid` field says.
    #[cfg(feature = "cli")]
    #[test]
    fn vectors_file() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hashes.jsonl");
        let text = std::fs::read_to_string(path).expect("read hashes.jsonl");
        let mut seen = std::collections::BTreeMap::<&str, usize>::new();
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let v: serde_json::Value = serde_json::from_str(line).expect("json line");
            let hash = v["hash"].as_str().unwrap();
            let password = v["password"].as_str().unwrap();
            let valid = v["valid"].as_bool().unwrap();
            let Some(name) = scheme(hash) else { continue };
            let got = verify(password.as_bytes(), hash, &caps());
            let want = if valid { Check::Match } else { Check::Mismatch };
            assert_eq!(got, Some(want), "line {} ({})", n + 1, v["scheme"]);
            *seen.entry(name).or_default() += 1;
        }
        // Exactly the lines of this module's formats were claimed (none of Werkzeug's or
        // Django's), and none was skipped.
        let want = [
            ("apr1", 10),
            ("bcrypt", 30),
            ("des-crypt", 10),
            ("ldap-salted-sha1", 10),
            ("ldap-sha1", 10),
            ("md5-crypt", 10),
            ("sha256-crypt", 20),
            ("sha512-crypt", 20),
        ];
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), want);
    }

    #[test]
    fn schemes() {
        let cases = [
            (
                "$2a$04$Tw5VIL1Qfqf2VK9fxm7x/uUMdP4t0iKZ3nCk3RMyJLdAuAoLNrFTm",
                Some("bcrypt"),
            ),
            (
                "$2y$05$z/huRNyjGP2s8V907ZqAwu6JvfJdnjDWreaWp8meY41WPS3tqGd0i",
                Some("bcrypt"),
            ),
            ("$6$salt$x", Some("sha512-crypt")),
            ("$5$rounds=5000$salt$x", Some("sha256-crypt")),
            ("$1$salt$x", Some("md5-crypt")),
            ("$apr1$salt$x", Some("apr1")),
            ("2.WJU/g26L7mI", Some("des-crypt")),
            ("{SHA}2jmj7l5rSw0yVb/vlWAYkK/YBwk=", Some("ldap-sha1")),
            (
                "{SSHA}l/4awBOKPmOK5d1NnVP2qkIdDslXqpUy",
                Some("ldap-salted-sha1"),
            ),
            // Not ours: 12 or 14 characters, a character outside the alphabet, other prefixes.
            ("2.WJU/g26L7m", None),
            ("2.WJU/g26L7mII", None),
            ("2.WJU/g26L7m!", None),
            ("2.WJU-g26L7mI", None),
            ("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", None),
            (
                "$2x$04$Tw5VIL1Qfqf2VK9fxm7x/uUMdP4t0iKZ3nCk3RMyJLdAuAoLNrFTm",
                None,
            ),
            ("pbkdf2:sha256:1000$salt$abc", None),
            (
                "bcrypt_sha256$$2b$12$jODnJsyWP5647bAJHzHADOXrWxGCmdJ/5OecEvx9uY8nBEUkTujUe",
                None,
            ),
            ("{sha}2jmj7l5rSw0yVb/vlWAYkK/YBwk=", None),
            ("", None),
        ];
        for (stored, want) in cases {
            assert_eq!(scheme(stored), want, "{stored}");
            assert_eq!(
                verify(b"x", stored, &caps()).is_some(),
                want.is_some(),
                "{stored}"
            );
        }
    }

    #[test]
    fn known_answers() {
        // glibc's own test vectors for sha-crypt (crypt-sha256.c / crypt-sha512.c).
        let cases: [(&[u8], &str); 4] = [
            (
                b"Hello world!",
                "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5",
            ),
            (
                b"Hello world!",
                "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA",
            ),
            (
                b"Hello world!",
                "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
            ),
            (b"password", "$1$5pZSV9va$azfrPr6af3Fc7dLblQXVa0"),
        ];
        for (password, stored) in cases {
            assert_eq!(
                verify(password, stored, &caps()),
                Some(Check::Match),
                "{stored}"
            );
            assert_eq!(
                verify(b"Password", stored, &caps()),
                Some(Check::Mismatch),
                "{stored}"
            );
        }
    }

    #[test]
    fn hand_written_md5_crypt_agrees_with_pwhash() {
        for password in [
            &b""[..],
            b"a",
            b"password",
            &[0xffu8; 40][..],
            &[b'x'; 100][..],
        ] {
            for salt in ["a", "5pZSV9va", "./09AZaz"] {
                let ours = md5_crypt_with_magic(password, b"$1$", salt.as_bytes());
                let theirs = pwhash::md5_crypt::verify(password, &format!("$1${salt}${}", *ours));
                assert!(theirs, "{password:?} {salt}");
            }
        }
    }

    #[test]
    fn bcrypt_truncates_at_72_bytes() {
        let stored = bcrypt::hash_with_salt([b'a'; 72], 4, [7u8; 16])
            .unwrap()
            .to_string();
        let mut longer = vec![b'a'; 72];
        longer.extend_from_slice(b"anything");
        assert_eq!(verify(&longer, &stored, &caps()), Some(Check::Match));
        assert_eq!(verify(&[b'a'; 71], &stored, &caps()), Some(Check::Mismatch));
    }

    #[test]
    fn des_crypt_truncates_at_8_characters() {
        // From the vectors: htpasswd -d of "correct horse battery staple".
        let stored = "2.WJU/g26L7mI";
        assert_eq!(verify(b"correct ", stored, &caps()), Some(Check::Match));
        assert_eq!(
            verify(b"correct horse", stored, &caps()),
            Some(Check::Match)
        );
        assert_eq!(verify(b"correct", stored, &caps()), Some(Check::Mismatch));
    }

    #[test]
    fn caps_are_checked_before_the_kdf() {
        let cases = [
            "$2b$31$Tw5VIL1Qfqf2VK9fxm7x/uUMdP4t0iKZ3nCk3RMyJLdAuAoLNrFTm",
            "$2y$17$Tw5VIL1Qfqf2VK9fxm7x/uUMdP4t0iKZ3nCk3RMyJLdAuAoLNrFTm",
            "$6$rounds=999999999$I1rDOPN6PQbSwVOs$AO921E61qAsFk6ZDfTVBIuy8WIY/e.EFNNoaJ.CmByskwAemL8FW6g0EISQP2Xz9o2OVCdrmgblNMARTgSLUb0",
            "$5$rounds=10000001$mUAIL5UrVMAS5Mr5$W7PsmLxRxDUuIB79/xiNDbnWzY5vfhIq4tK7.MJh.U7",
            "$5$rounds=99999999999999999999$mUAIL5UrVMAS5Mr5$W7PsmLxRxDUuIB79/xiNDbnWzY5vfhIq4tK7.MJh.U7",
        ];
        for stored in cases {
            let before = kdf_calls();
            let start = Instant::now();
            let got = verify(b"correct horse battery staple", stored, &caps());
            assert!(unusable(got.clone()), "{stored}: {got:?}");
            assert_eq!(kdf_calls(), before, "{stored}");
            assert!(start.elapsed() < Duration::from_secs(1), "{stored}");
        }
        // A lower cap from the config applies too.
        let low = Caps {
            bcrypt_cost: 4,
            pbkdf2_iterations: 1000,
            ..Caps::default()
        };
        assert!(unusable(verify(
            b"x",
            "$2y$05$z/huRNyjGP2s8V907ZqAwu6JvfJdnjDWreaWp8meY41WPS3tqGd0i",
            &low
        )));
        assert!(unusable(verify(
            b"x",
            "$6$yJhJ9KjAdexW5v5e$GlQeYMXTNDSXL1uxdTU5FH43pBgJ8K/yheN8tITQQav/Y0DEeBJHMAArdukw/2tlr35B1okwhq/F8jYAsrSEC0",
            &low
        )));
    }

    #[test]
    fn malformed_is_unusable_without_running_the_kdf() {
        let cases = [
            // bcrypt: short, bad cost, bad base64, non-ASCII, cost below 4.
            "$2b$",
            "$2b$04$",
            "$2b$xx$Tw5VIL1Qfqf2VK9fxm7x/uUMdP4t0iKZ3nCk3RMyJLdAuAoLNrFTm",
            "$2b$04$Tw5VIL1Qfqf2VK9fxm7x/uUMdP4t0iKZ3nCk3RMyJLdAuAoLNrFT!",
            "$2b$04$Tw5VIL1Qfqf2VK9fxm7x/uUMdP4t0iKZ3nCk3RMyJLdAuAoLNrFé",
            "$2b$03$Tw5VIL1Qfqf2VK9fxm7x/uUMdP4t0iKZ3nCk3RMyJLdAuAoLNrFTm",
            // sha-crypt: no tag, bad rounds, short tag, long salt, bad tag alphabet.
            "$6$",
            "$6$salt",
            "$6$rounds=$salt$x",
            "$6$rounds=0100$salt$x",
            "$6$rounds=999$I1rDOPN6PQbSwVOs$AO921E61qAsFk6ZDfTVBIuy8WIY/e.EFNNoaJ.CmByskwAemL8FW6g0EISQP2Xz9o2OVCdrmgblNMARTgSLUb0",
            "$6$rounds=-5$salt$x",
            "$6$rounds=5000",
            "$5$salt$short",
            "$5$saltsaltsaltsaltX$oS5qBe0GcAfWXwuX05FM2WOPPXbUgu69K0/dj3Rd8aC",
            "$5$Mm1DJWVqt6x1r5Mm$oS5qBe0GcAfWXwuX05FM2WOPPXbUgu69K0/dj3Rd8a!",
            "$5$Mm1DJWVqt6x1r5Mm$oS5qBe0GcAfWXwuX05FM2WOPPXbUgu69K0/dj3Rd8aC$",
            // md5-crypt and apr1: no salt, long salt, bad tag.
            "$1$",
            "$1$$U1c7am.7vkw2m5beJ7Dfx1",
            "$1$61V/AW4tX$U1c7am.7vkw2m5beJ7Dfx1",
            "$1$61V/AW4t$U1c7am.7vkw2m5beJ7Dfx",
            "$1$61V/AW4t$U1c7am.7vkw2m5beJ7Dfx1$",
            "$apr1$wF5ZKxLh",
            "$apr1$wF5Z:xLh$FzoSxZlcdxnIEb.tk1RaV.",
            "$apr1$wF5ZKxLh$FzoSxZlcdxnIEb.tk1RaVé",
            // {SHA} and {SSHA}: bad base64, wrong length, no salt.
            "{SHA}",
            "{SHA}not base64!",
            "{SHA}2jmj7l5rSw0yVb/vlWAYkK/YBw==",
            "{SSHA}",
            "{SSHA}2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
            "{SSHA}%%%%",
        ];
        for stored in cases {
            let before = kdf_calls();
            let got = verify(b"password", stored, &caps());
            assert!(unusable(got.clone()), "{stored}: {got:?}");
            assert_eq!(kdf_calls(), before, "{stored}");
        }
    }

    #[test]
    fn one_kdf_call_per_verify() {
        for stored in [
            "$2y$05$z/huRNyjGP2s8V907ZqAwu6JvfJdnjDWreaWp8meY41WPS3tqGd0i",
            "$1$61V/AW4t$U1c7am.7vkw2m5beJ7Dfx1",
            "$apr1$wF5ZKxLh$FzoSxZlcdxnIEb.tk1RaV.",
            "2.WJU/g26L7mI",
            "{SHA}2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
        ] {
            let before = kdf_calls();
            assert!(!unusable(verify(b"x", stored, &caps())), "{stored}");
            assert_eq!(kdf_calls(), before + 1, "{stored}");
        }
    }

    /// The salt of python bcrypt's `$2b$12$abcdefghijklmnopqrstuu`, as raw bytes.
    fn known_salt() -> [u8; 16] {
        let parts: bcrypt::HashParts =
            "$2b$12$abcdefghijklmnopqrstuu0sDWleciW5uGBGYwxpcgAsh9WK4bWNy"
                .parse()
                .unwrap();
        parts.get_salt_raw()
    }

    /// New hashes are byte for byte what python bcrypt 5.0.0's `hashpw` made with that salt.
    #[test]
    fn new_bcrypt_is_python_bcrypts_known_answer() {
        let cases = [
            (
                "correct horse battery staple",
                "$2b$12$abcdefghijklmnopqrstuu0sDWleciW5uGBGYwxpcgAsh9WK4bWNy",
            ),
            (
                "pässwörd✓ long enough",
                "$2b$12$abcdefghijklmnopqrstuu/AmfMoI0NUwPzE.jc6u2xbRYzSCN6oe",
            ),
        ];
        for (password, want) in cases {
            assert_eq!(new_bcrypt(password.as_bytes(), known_salt()).unwrap(), want);
        }
    }

    #[test]
    fn new_bcrypt_round_trips_up_to_72_bytes() {
        let password = [b'x'; BCRYPT_MAX_PASSWORD];
        let mut salt = [0u8; 16];
        crate::hashing::fill_random(&mut salt).unwrap();
        let before = kdf_calls();
        let stored = new_bcrypt(&password, salt).unwrap();
        assert_eq!(kdf_calls(), before + 1);
        assert!(
            stored.starts_with("$2b$12$") && stored.len() == 60,
            "{stored}"
        );
        assert!(is_crypt64(&stored[7..]), "{stored}");
        assert_eq!(bcrypt_cost(&stored, &caps()), Ok(12));
        assert_eq!(verify(&password, &stored, &caps()), Some(Check::Match));
        assert_eq!(
            verify(&password[..71], &stored, &caps()),
            Some(Check::Mismatch)
        );
    }

    /// bcrypt's 72-byte limit is never silently hit on a new hash (SPEC §3), and a NUL byte,
    /// where htpasswd and crypt(3) would end the password, is refused too; neither runs the KDF.
    #[test]
    fn new_bcrypt_refuses_what_bcrypt_would_not_hash_whole() {
        let before = kdf_calls();
        let long = [b'x'; BCRYPT_MAX_PASSWORD + 1];
        let err = new_bcrypt(&long, known_salt()).unwrap_err();
        assert!(
            matches!(&err, crate::error::Error::InvalidInput(m) if m.contains("72 bytes")),
            "{err:?}"
        );
        let err = new_bcrypt(b"ab\0cd", known_salt()).unwrap_err();
        assert!(
            matches!(&err, crate::error::Error::InvalidInput(m) if m.contains("NUL")),
            "{err:?}"
        );
        assert_eq!(kdf_calls(), before);
    }

    #[test]
    fn odd_passwords_do_not_panic() {
        let stored = [
            "$2y$05$z/huRNyjGP2s8V907ZqAwu6JvfJdnjDWreaWp8meY41WPS3tqGd0i",
            "$5$Mm1DJWVqt6x1r5Mm$oS5qBe0GcAfWXwuX05FM2WOPPXbUgu69K0/dj3Rd8aC",
            "$1$61V/AW4t$U1c7am.7vkw2m5beJ7Dfx1",
            "$apr1$wF5ZKxLh$FzoSxZlcdxnIEb.tk1RaV.",
            "2.WJU/g26L7mI",
            "{SSHA}3hPbBKO4vBsCyubempZpa91bfNTgfK8V",
        ];
        for password in [&b""[..], b"\0", &[0xff; 300][..], b"a\0b"] {
            for s in stored {
                assert_eq!(verify(password, s, &caps()), Some(Check::Mismatch), "{s}");
            }
        }
    }
}
