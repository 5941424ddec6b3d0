//! Hash formats of Python web frameworks: Werkzeug, Django and passlib's modular formats.
//!
//! No maintained crate parses these strings, so the parsing here is hand-written; every
//! primitive (PBKDF2, scrypt, HMAC, SHA-1/2, bcrypt, base64) comes from its RustCrypto or
//! maintained crate. Each format is checked the way its owner library checks it:
//!
//! - Werkzeug (`check_password_hash`) feeds the salt string's UTF-8 bytes to the KDF and compares
//!   lowercase hex, so only lowercase hex of the digest's length can ever match.
//! - Django re-encodes and compares the whole string, so only canonical numbers and canonical
//!   padded base64 can ever match.
//! - passlib decodes its (adapted) base64 leniently and compares the raw checksum.
//!
//! A stored string the owner could never accept is `Unusable`, with a reason that never quotes
//! the hash. Cost parameters are checked against [`Caps`] before the KDF runs.

use base64::Engine;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::identify::Cost;
use super::{Caps, Check, count_kdf_call};
use crate::error::Error;

/// Werkzeug 3.1's default when a `pbkdf2` method string omits the iteration count (Werkzeug
/// 2.3 used 600 000 and 2.2 used 260 000; the stored string does not say which version wrote it,
/// and every version writes the count explicitly).
const WERKZEUG_PBKDF2_DEFAULT_ITERATIONS: u64 = 1_000_000;
/// Werkzeug's `scrypt` defaults when the method string has no parameters.
const WERKZEUG_SCRYPT_DEFAULT: (u64, u64, u64) = (1 << 15, 8, 1);
/// `hashlib.scrypt`'s default output length, used by Werkzeug and Django.
const SCRYPT_LEN_PYTHON: usize = 64;
/// passlib's scrypt checksum size.
const SCRYPT_LEN_PASSLIB: usize = 32;
/// passlib's largest accepted salt (`max_salt_size`).
const PASSLIB_MAX_SALT: usize = 1024;

/// Base64 with passlib's decoder's leniency: no padding, unused trailing bits ignored.
const LENIENT_NO_PAD: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_encode_padding(false)
    .with_decode_padding_mode(DecodePaddingMode::RequireNone)
    .with_decode_allow_trailing_bits(true);
const B64_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT_NO_PAD);
const BCRYPT_B64: GeneralPurpose = GeneralPurpose::new(&alphabet::BCRYPT, LENIENT_NO_PAD);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prf {
    Sha1,
    Sha256,
    Sha512,
}

impl Prf {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "sha1" => Some(Self::Sha1),
            "sha256" => Some(Self::Sha256),
            "sha512" => Some(Self::Sha512),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha512 => "sha512",
        }
    }

    fn len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `None`: a `pbkdf2:` method with a digest credman does not support.
    WerkzeugPbkdf2(Option<Prf>),
    WerkzeugScrypt,
    /// Werkzeug < 2.3: HMAC keyed by the salt (plain digest when the salt is empty).
    WerkzeugLegacy(Prf),
    WerkzeugPlain,
    DjangoPbkdf2(Prf),
    DjangoScrypt,
    DjangoBcryptSha256,
    DjangoArgon2,
    PasslibPbkdf2(Prf),
    PasslibScrypt,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::WerkzeugPbkdf2(None) => "werkzeug-pbkdf2",
            Self::WerkzeugPbkdf2(Some(Prf::Sha1)) => "werkzeug-pbkdf2-sha1",
            Self::WerkzeugPbkdf2(Some(Prf::Sha256)) => "werkzeug-pbkdf2-sha256",
            Self::WerkzeugPbkdf2(Some(Prf::Sha512)) => "werkzeug-pbkdf2-sha512",
            Self::WerkzeugScrypt => "werkzeug-scrypt",
            Self::WerkzeugLegacy(Prf::Sha1) => "werkzeug-legacy-sha1",
            Self::WerkzeugLegacy(Prf::Sha256) => "werkzeug-legacy-sha256",
            Self::WerkzeugLegacy(Prf::Sha512) => "werkzeug-legacy-sha512",
            Self::WerkzeugPlain => "werkzeug-plain",
            Self::DjangoPbkdf2(Prf::Sha1) => "django-pbkdf2-sha1",
            Self::DjangoPbkdf2(Prf::Sha256) => "django-pbkdf2-sha256",
            Self::DjangoPbkdf2(Prf::Sha512) => "django-pbkdf2-sha512",
            Self::DjangoScrypt => "django-scrypt",
            Self::DjangoBcryptSha256 => "django-bcrypt-sha256",
            Self::DjangoArgon2 => "django-argon2",
            Self::PasslibPbkdf2(Prf::Sha1) => "passlib-pbkdf2-sha1",
            Self::PasslibPbkdf2(Prf::Sha256) => "passlib-pbkdf2-sha256",
            Self::PasslibPbkdf2(Prf::Sha512) => "passlib-pbkdf2-sha512",
            Self::PasslibScrypt => "passlib-scrypt",
        }
    }
}

/// Which of this module's formats `stored` is, from its prefix alone.
fn identify(stored: &str) -> Option<Kind> {
    const PREFIXED: [(&str, Kind); 9] = [
        ("$pbkdf2-sha256$", Kind::PasslibPbkdf2(Prf::Sha256)),
        ("$pbkdf2-sha512$", Kind::PasslibPbkdf2(Prf::Sha512)),
        ("$pbkdf2$", Kind::PasslibPbkdf2(Prf::Sha1)),
        ("$scrypt$", Kind::PasslibScrypt),
        ("pbkdf2_sha256$", Kind::DjangoPbkdf2(Prf::Sha256)),
        ("pbkdf2_sha1$", Kind::DjangoPbkdf2(Prf::Sha1)),
        ("bcrypt_sha256$", Kind::DjangoBcryptSha256),
        ("argon2$", Kind::DjangoArgon2),
        ("plain$", Kind::WerkzeugPlain),
    ];
    if let Some(&(_, kind)) = PREFIXED.iter().find(|(p, _)| stored.starts_with(p)) {
        return Some(kind);
    }
    // Werkzeug: `method[:args]$salt$hash`. Django's scrypt shares the `scrypt$` start but has
    // six `$`-separated fields (Werkzeug's salt and hex never contain `$`).
    let (method, _) = stored.split_once('$')?;
    let mut args = method.split(':');
    match args.next()? {
        "pbkdf2" => Some(Kind::WerkzeugPbkdf2(match args.next() {
            None => Some(Prf::Sha256),
            Some(name) => Prf::from_name(name),
        })),
        "scrypt" if method == "scrypt" && stored.matches('$').count() == 5 => {
            Some(Kind::DjangoScrypt)
        }
        "scrypt" => Some(Kind::WerkzeugScrypt),
        // md5$ and sha1$ are left out: Django's old MD5/SHA1 hashers wrote the same shape with
        // a different algorithm (digest of salt + password), so the string alone is ambiguous.
        "sha256" if method == "sha256" => Some(Kind::WerkzeugLegacy(Prf::Sha256)),
        "sha512" if method == "sha512" => Some(Kind::WerkzeugLegacy(Prf::Sha512)),
        _ => None,
    }
}

/// `Some` when `stored` is one of this module's formats.
pub(super) fn verify(password: &[u8], stored: &str, caps: &Caps) -> Option<Check> {
    let kind = identify(stored)?;
    let result = match kind {
        Kind::WerkzeugPbkdf2(_) => {
            werkzeug_pbkdf2(stored, caps).and_then(|h| h.verify(password, caps))
        }
        Kind::WerkzeugScrypt => {
            werkzeug_scrypt(stored, caps).and_then(|h| h.verify(password, caps))
        }
        Kind::WerkzeugLegacy(prf) => werkzeug_legacy(password, stored, prf),
        Kind::WerkzeugPlain => werkzeug_plain(password, stored),
        Kind::DjangoPbkdf2(prf) => {
            django_pbkdf2(stored, prf, caps).and_then(|h| h.verify(password, caps))
        }
        Kind::DjangoScrypt => django_scrypt(stored, caps).and_then(|h| h.verify(password, caps)),
        Kind::DjangoBcryptSha256 => django_bcrypt_sha256(password, stored, caps),
        Kind::DjangoArgon2 => {
            // Django stores argon2-cffi's PHC string behind `argon2`: `argon2$argon2id$v=19$...`.
            return Some(super::argon2id::verify(
                password,
                &stored["argon2".len()..],
                caps,
            ));
        }
        Kind::PasslibPbkdf2(prf) => {
            passlib_pbkdf2(stored, prf, caps).and_then(|h| h.verify(password, caps))
        }
        Kind::PasslibScrypt => passlib_scrypt(stored, caps).and_then(|h| h.verify(password, caps)),
    };
    Some(match result {
        Ok(true) => Check::Match,
        Ok(false) => Check::Mismatch,
        Err(reason) => Check::Unusable(reason),
    })
}

/// `Some` when `stored` is one of this module's formats: its cost parameters, read and checked
/// against `caps` by the same parsing `verify` uses, without running any KDF (for `identify`).
/// The error says why the hash is unusable and never quotes it.
pub(super) fn cost(stored: &str, caps: &Caps) -> Option<Result<Cost, String>> {
    let kind = identify(stored)?;
    Some(match kind {
        Kind::WerkzeugPbkdf2(_) => werkzeug_pbkdf2(stored, caps).map(|h| h.cost()),
        Kind::WerkzeugScrypt => werkzeug_scrypt(stored, caps).map(|h| h.cost()),
        Kind::WerkzeugLegacy(prf) => werkzeug_legacy_fields(stored, prf).map(|_| Cost::Legacy),
        Kind::WerkzeugPlain => werkzeug_fields(stored).map(|_| Cost::Plaintext),
        Kind::DjangoPbkdf2(prf) => django_pbkdf2(stored, prf, caps).map(|h| h.cost()),
        Kind::DjangoScrypt => django_scrypt(stored, caps).map(|h| h.cost()),
        Kind::DjangoBcryptSha256 => {
            django_bcrypt_sha256_parts(stored, caps).map(|(_, cost, _)| Cost::Bcrypt { cost })
        }
        Kind::DjangoArgon2 => super::argon2id::cost(&stored["argon2".len()..], caps),
        Kind::PasslibPbkdf2(prf) => passlib_pbkdf2(stored, prf, caps).map(|h| h.cost()),
        Kind::PasslibScrypt => passlib_scrypt(stored, caps).map(|h| h.cost()),
    })
}

pub(super) fn scheme(stored: &str) -> Option<&'static str> {
    identify(stored).map(Kind::name)
}

type Verdict = Result<bool, String>;

/// A parsed PBKDF2 hash of any of the three families, its iterations already checked against
/// the caps.
struct Pbkdf2Hash {
    prf: Prf,
    iterations: u64,
    salt: Vec<u8>,
    expected: Vec<u8>,
}

impl Pbkdf2Hash {
    fn new(
        prf: Prf,
        iterations: u64,
        salt: Vec<u8>,
        expected: Vec<u8>,
        caps: &Caps,
    ) -> Result<Self, String> {
        pbkdf2_rounds(iterations, caps)?;
        Ok(Self {
            prf,
            iterations,
            salt,
            expected,
        })
    }

    fn verify(&self, password: &[u8], caps: &Caps) -> Verdict {
        let mut out = Zeroizing::new(vec![0u8; self.prf.len()]);
        pbkdf2(
            self.prf,
            password,
            &self.salt,
            self.iterations,
            caps,
            &mut out,
        )?;
        Ok(bool::from(out.ct_eq(&self.expected)))
    }

    fn cost(&self) -> Cost {
        Cost::Pbkdf2 {
            digest: self.prf.name(),
            iterations: self.iterations,
        }
    }
}

/// A parsed scrypt hash of any of the three families, its parameters already checked against
/// the caps and the owners' rules.
struct ScryptHash {
    n: u64,
    r: u64,
    p: u64,
    salt: Vec<u8>,
    expected: Vec<u8>,
}

impl ScryptHash {
    fn new(
        n: u64,
        r: u64,
        p: u64,
        salt: Vec<u8>,
        expected: Vec<u8>,
        caps: &Caps,
    ) -> Result<Self, String> {
        scrypt_params(n, r, p, caps)?;
        Ok(Self {
            n,
            r,
            p,
            salt,
            expected,
        })
    }

    fn verify(&self, password: &[u8], caps: &Caps) -> Verdict {
        let mut out = Zeroizing::new(vec![0u8; self.expected.len()]);
        scrypt(password, &self.salt, self.n, self.r, self.p, caps, &mut out)?;
        Ok(bool::from(out.ct_eq(&self.expected)))
    }

    fn cost(&self) -> Cost {
        Cost::Scrypt {
            n: self.n,
            r: self.r,
            p: self.p,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Werkzeug

/// `method$salt$hash`, split as Werkzeug's `pwhash.split("$", 2)`.
fn werkzeug_fields(stored: &str) -> Result<(&str, &str, &str), String> {
    let mut fields = stored.splitn(3, '$');
    match (fields.next(), fields.next(), fields.next()) {
        (Some(method), Some(salt), Some(hash)) => Ok((method, salt, hash)),
        _ => Err("Werkzeug hash lacks its method$salt$hash fields".into()),
    }
}

fn werkzeug_pbkdf2(stored: &str, caps: &Caps) -> Result<Pbkdf2Hash, String> {
    let (method, salt, hex) = werkzeug_fields(stored)?;
    let args: Vec<&str> = method.split(':').skip(1).collect();
    let (prf, iterations) = match args.as_slice() {
        [] => (Some(Prf::Sha256), WERKZEUG_PBKDF2_DEFAULT_ITERATIONS),
        [name] => (Prf::from_name(name), WERKZEUG_PBKDF2_DEFAULT_ITERATIONS),
        // Python's int() takes leading zeros, and only the hex is compared.
        [name, count] => (
            Prf::from_name(name),
            decimal(count, "PBKDF2 iterations", true)?,
        ),
        _ => return Err("Werkzeug pbkdf2 takes at most two arguments".into()),
    };
    let prf = prf.ok_or("unsupported Werkzeug pbkdf2 digest (sha1, sha256, sha512 are)")?;
    let expected = lower_hex(hex, prf.len())?;
    Pbkdf2Hash::new(prf, iterations, salt.as_bytes().to_vec(), expected, caps)
}

fn werkzeug_scrypt(stored: &str, caps: &Caps) -> Result<ScryptHash, String> {
    let (method, salt, hex) = werkzeug_fields(stored)?;
    let args: Vec<&str> = method.split(':').skip(1).collect();
    let (n, r, p) = match args.as_slice() {
        [] => WERKZEUG_SCRYPT_DEFAULT,
        [n, r, p] => (
            decimal(n, "scrypt N", true)?,
            decimal(r, "scrypt r", true)?,
            decimal(p, "scrypt p", true)?,
        ),
        _ => return Err("Werkzeug scrypt takes three arguments (n:r:p)".into()),
    };
    let expected = lower_hex(hex, SCRYPT_LEN_PYTHON)?;
    ScryptHash::new(n, r, p, salt.as_bytes().to_vec(), expected, caps)
}

/// The salt and expected digest of a Werkzeug < 2.3 `sha256$salt$hex` hash.
fn werkzeug_legacy_fields(stored: &str, prf: Prf) -> Result<(&str, Vec<u8>), String> {
    let (_, salt, hex) = werkzeug_fields(stored)?;
    Ok((salt, lower_hex(hex, prf.len())?))
}

fn werkzeug_legacy(password: &[u8], stored: &str, prf: Prf) -> Verdict {
    let (salt, expected) = werkzeug_legacy_fields(stored, prf)?;
    count_kdf_call();
    let out = Zeroizing::new(if salt.is_empty() {
        // Werkzeug < 2.3 without a salt: `hashlib.new(method, password)`.
        match prf {
            Prf::Sha1 => Sha1::digest(password).to_vec(),
            Prf::Sha256 => Sha256::digest(password).to_vec(),
            Prf::Sha512 => Sha512::digest(password).to_vec(),
        }
    } else {
        // `hmac.new(salt, password, method)`.
        let key = salt.as_bytes();
        match prf {
            Prf::Sha1 => hmac_once::<Hmac<Sha1>>(key, password),
            Prf::Sha256 => hmac_once::<Hmac<Sha256>>(key, password),
            Prf::Sha512 => hmac_once::<Hmac<Sha512>>(key, password),
        }
    });
    Ok(bool::from(out.ct_eq(&expected)))
}

fn hmac_once<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail.
    let Ok(mut mac) = <M as KeyInit>::new_from_slice(key) else {
        return Vec::new();
    };
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn werkzeug_plain(password: &[u8], stored: &str) -> Verdict {
    // `plain$salt$password`: the salt is ignored, the rest (which may hold `$`) is the password.
    let (_, _, stored_password) = werkzeug_fields(stored)?;
    Ok(bool::from(password.ct_eq(stored_password.as_bytes())))
}

// ---------------------------------------------------------------------------------------------
// Werkzeug: new hashes, as `generate_password_hash` writes them

/// Werkzeug's `SALT_CHARS`; its salts are drawn from these.
const WERKZEUG_SALT_CHARS: &[u8; 62] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// `generate_password_hash`'s default `salt_length`.
const WERKZEUG_SALT_LEN: usize = 16;

/// A fresh salt as Werkzeug's `gen_salt(16)` makes one: 16 characters drawn uniformly from
/// [`WERKZEUG_SALT_CHARS`] with the OS CSPRNG.
pub(super) fn werkzeug_salt() -> crate::error::Result<String> {
    werkzeug_salt_from(super::fill_random)
}

/// [`werkzeug_salt`] over any source of random bytes. Rejection sampling: a byte below 248
/// (4 × 62) picks `CHARS[b % 62]`, a byte at or above it is dropped, so every character is
/// equally likely (taking `b % 62` of every byte would favour the first 8 characters).
fn werkzeug_salt_from(
    mut fill: impl FnMut(&mut [u8]) -> crate::error::Result<()>,
) -> crate::error::Result<String> {
    const ALPHABET: u16 = WERKZEUG_SALT_CHARS.len() as u16;
    const LIMIT: u16 = 256 - 256 % ALPHABET;
    let mut salt = String::with_capacity(WERKZEUG_SALT_LEN);
    let mut bytes = [0u8; 2 * WERKZEUG_SALT_LEN];
    while salt.len() < WERKZEUG_SALT_LEN {
        fill(&mut bytes)?;
        let wanted = WERKZEUG_SALT_LEN - salt.len();
        for &b in bytes.iter().filter(|&&b| u16::from(b) < LIMIT).take(wanted) {
            let index = usize::from(u16::from(b) % ALPHABET);
            salt.push(char::from(WERKZEUG_SALT_CHARS[index]));
        }
    }
    Ok(salt)
}

/// Werkzeug hashes a `str` (`password.encode()`), so a password that is not UTF-8 could never
/// match in a Flask app: refused rather than hashed.
fn werkzeug_text(password: &[u8]) -> crate::error::Result<()> {
    if std::str::from_utf8(password).is_err() {
        return Err(Error::InvalidInput(
            "the password is not valid UTF-8, and Werkzeug checks passwords as text, so no Flask \
             app could ever match this hash; use argon2id or bcrypt instead"
                .into(),
        ));
    }
    Ok(())
}

/// `scrypt:32768:8:1$<salt>$<hex>`: Werkzeug 3.1's default method, 64 bytes of scrypt over the
/// salt string's UTF-8 bytes, in lowercase hex.
pub(super) fn new_werkzeug_scrypt(password: &[u8], salt: &str) -> crate::error::Result<String> {
    werkzeug_text(password)?;
    let (n, r, p) = WERKZEUG_SCRYPT_DEFAULT;
    let mut out = Zeroizing::new([0u8; SCRYPT_LEN_PYTHON]);
    scrypt(
        password,
        salt.as_bytes(),
        n,
        r,
        p,
        &Caps::default(),
        &mut out[..],
    )
    .map_err(Error::Hashing)?;
    Ok(format!(
        "scrypt:{n}:{r}:{p}${salt}${}",
        to_lower_hex(&out[..])
    ))
}

/// `pbkdf2:sha256:1000000$<salt>$<hex>`: Werkzeug 3.1's `method="pbkdf2"`, 32 bytes of
/// PBKDF2-HMAC-SHA256 over the salt string's UTF-8 bytes, in lowercase hex.
pub(super) fn new_werkzeug_pbkdf2(password: &[u8], salt: &str) -> crate::error::Result<String> {
    werkzeug_text(password)?;
    let prf = Prf::Sha256;
    let iterations = WERKZEUG_PBKDF2_DEFAULT_ITERATIONS;
    let mut out = Zeroizing::new(vec![0u8; prf.len()]);
    pbkdf2(
        prf,
        password,
        salt.as_bytes(),
        iterations,
        &Caps::default(),
        &mut out,
    )
    .map_err(Error::Hashing)?;
    Ok(format!(
        "pbkdf2:{}:{iterations}${salt}${}",
        prf.name(),
        to_lower_hex(&out)
    ))
}

// ---------------------------------------------------------------------------------------------
// Django

fn django_pbkdf2(stored: &str, prf: Prf, caps: &Caps) -> Result<Pbkdf2Hash, String> {
    // `algorithm$iterations$salt$hash`, split as Django's `encoded.split("$", 3)`.
    let fields: Vec<&str> = stored.splitn(4, '$').collect();
    let [_, iterations, salt, hash] = fields.as_slice() else {
        return Err("Django pbkdf2 hash lacks its iterations$salt$hash fields".into());
    };
    // Django compares the re-encoded string, so only its own `%d` form can match.
    let iterations = decimal(iterations, "PBKDF2 iterations", false)?;
    django_salt(salt)?;
    let expected = django_b64(hash, prf.len())?;
    Pbkdf2Hash::new(prf, iterations, salt.as_bytes().to_vec(), expected, caps)
}

fn django_scrypt(stored: &str, caps: &Caps) -> Result<ScryptHash, String> {
    // `scrypt$N$salt$r$p$hash`.
    let fields: Vec<&str> = stored.split('$').collect();
    let [_, n, salt, r, p, hash] = fields.as_slice() else {
        return Err("Django scrypt hash lacks its N$salt$r$p$hash fields".into());
    };
    let n = decimal(n, "scrypt N", false)?;
    let r = decimal(r, "scrypt r", false)?;
    let p = decimal(p, "scrypt p", false)?;
    django_salt(salt)?;
    let expected = django_b64(hash, SCRYPT_LEN_PYTHON)?;
    ScryptHash::new(n, r, p, salt.as_bytes().to_vec(), expected, caps)
}

/// The bcrypt version, cost (checked against the caps) and salt of a Django `bcrypt_sha256$`
/// hash.
fn django_bcrypt_sha256_parts(
    stored: &str,
    caps: &Caps,
) -> Result<(bcrypt::Version, u32, [u8; 16]), String> {
    // `bcrypt_sha256$` + a bcrypt string: `$2b$12$` + 22 salt + 31 hash characters.
    let data = &stored["bcrypt_sha256$".len()..];
    let bytes = data.as_bytes();
    if bytes.len() != 60 || !data.is_ascii() || bytes[0] != b'$' || bytes[3] != b'$' {
        return Err("Django bcrypt_sha256 hash is not a 60-character bcrypt string".into());
    }
    let version = match &bytes[1..3] {
        b"2a" => bcrypt::Version::TwoA,
        b"2b" => bcrypt::Version::TwoB,
        b"2y" => bcrypt::Version::TwoY,
        _ => return Err("unknown bcrypt version".into()),
    };
    if bytes[6] != b'$' || !bytes[4..6].iter().all(u8::is_ascii_digit) {
        return Err("bcrypt cost is not two digits".into());
    }
    let cost = u32::from(bytes[4] - b'0') * 10 + u32::from(bytes[5] - b'0');
    if !(4..=31).contains(&cost) {
        return Err(format!("bcrypt cost {cost} is outside 4..=31"));
    }
    if cost > caps.bcrypt_cost {
        return Err(format!(
            "bcrypt cost {cost} is over the cap ({})",
            caps.bcrypt_cost
        ));
    }
    let salt: [u8; 16] = BCRYPT_B64
        .decode(&data[7..29])
        .ok()
        .and_then(|salt| salt.try_into().ok())
        .ok_or("bcrypt salt is not bcrypt base64")?;
    Ok((version, cost, salt))
}

fn django_bcrypt_sha256(password: &[u8], stored: &str, caps: &Caps) -> Verdict {
    let (version, cost, salt) = django_bcrypt_sha256_parts(stored, caps)?;
    let bytes = &stored.as_bytes()["bcrypt_sha256$".len()..];
    // Django: bcrypt over the lowercase hex of SHA-256(password), 64 ASCII bytes.
    let digest = Zeroizing::new(Sha256::digest(password).to_vec());
    let hex = Zeroizing::new(to_lower_hex(&digest));
    count_kdf_call();
    let parts = bcrypt::hash_with_salt(hex.as_bytes(), cost, salt).map_err(|e| e.to_string())?;
    // Django re-encodes with python bcrypt (which keeps the stored version) and compares the
    // whole string.
    let formatted = Zeroizing::new(parts.format_for_version(version));
    Ok(bool::from(formatted.as_bytes().ct_eq(bytes)))
}

/// Django refuses an empty salt or one holding `$` when it encodes, so none can match.
fn django_salt(salt: &str) -> Result<(), String> {
    if salt.is_empty() {
        return Err("Django hash has an empty salt".into());
    }
    Ok(())
}

/// Canonical padded standard base64 of exactly `len` bytes (Django's `b64encode(...)`).
fn django_b64(text: &str, len: usize) -> Result<Vec<u8>, String> {
    STANDARD
        .decode(text)
        .ok()
        .filter(|bytes| bytes.len() == len)
        .ok_or_else(|| format!("hash is not canonical base64 of {len} bytes"))
}

// ---------------------------------------------------------------------------------------------
// passlib

fn passlib_pbkdf2(stored: &str, prf: Prf, caps: &Caps) -> Result<Pbkdf2Hash, String> {
    // `$pbkdf2-sha256$rounds$salt$checksum`, salt and checksum in passlib's "ab64".
    let fields: Vec<&str> = stored.split('$').skip(2).collect();
    let [rounds, salt, checksum] = fields.as_slice() else {
        return Err("passlib pbkdf2 hash lacks its rounds$salt$checksum fields".into());
    };
    // passlib refuses zero-padded rounds.
    let rounds = decimal(rounds, "PBKDF2 rounds", false)?;
    let salt = ab64(salt).ok_or("passlib salt is not ab64")?;
    if salt.len() > PASSLIB_MAX_SALT {
        return Err(format!("passlib salt of {} bytes", salt.len()));
    }
    let expected = ab64(checksum)
        .filter(|c| c.len() == prf.len())
        .ok_or_else(|| format!("passlib checksum is not ab64 of {} bytes", prf.len()))?;
    Pbkdf2Hash::new(prf, rounds, salt, expected, caps)
}

fn passlib_scrypt(stored: &str, caps: &Caps) -> Result<ScryptHash, String> {
    // `$scrypt$ln=16,r=8,p=1$salt$checksum`, salt and checksum in unpadded standard base64.
    let fields: Vec<&str> = stored.split('$').skip(2).collect();
    let [params, salt, checksum] = fields.as_slice() else {
        return Err("passlib scrypt hash lacks its params$salt$checksum fields".into());
    };
    let params: Vec<&str> = params.split(',').collect();
    let [ln, r, p] = params.as_slice() else {
        return Err("passlib scrypt parameters are not ln=,r=,p=".into());
    };
    // Python's int() takes leading zeros, and passlib compares the raw checksum.
    let ln = decimal(prefix_value(ln, "ln")?, "scrypt ln", true)?;
    let r = decimal(prefix_value(r, "r")?, "scrypt r", true)?;
    let p = decimal(prefix_value(p, "p")?, "scrypt p", true)?;
    if !(1..=31).contains(&ln) {
        return Err(format!("passlib scrypt ln={ln} is outside 1..=31"));
    }
    let salt = B64_LENIENT
        .decode(salt)
        .map_err(|_| "passlib scrypt salt is not base64")?;
    if salt.len() > PASSLIB_MAX_SALT {
        return Err(format!("passlib salt of {} bytes", salt.len()));
    }
    let expected = B64_LENIENT
        .decode(checksum)
        .ok()
        .filter(|c| c.len() == SCRYPT_LEN_PASSLIB)
        .ok_or("passlib scrypt checksum is not base64 of 32 bytes")?;
    ScryptHash::new(1 << ln, r, p, salt, expected, caps)
}

/// The value of `name=value`.
fn prefix_value<'a>(text: &'a str, name: &str) -> Result<&'a str, String> {
    text.strip_prefix(name)
        .and_then(|rest| rest.strip_prefix('='))
        .ok_or_else(|| format!("passlib scrypt parameter {name} missing"))
}

/// passlib's `ab64_decode`: base64 with `.` for `+`, no padding, trailing bits ignored.
fn ab64(text: &str) -> Option<Vec<u8>> {
    B64_LENIENT.decode(text.replace('.', "+")).ok()
}

// ---------------------------------------------------------------------------------------------
// Shared: parsing helpers and the capped KDF runs.

/// A decimal number made of ASCII digits only (no sign, space or `_`).
fn decimal(text: &str, what: &str, leading_zeros: bool) -> Result<u64, String> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if !digits || (!leading_zeros && text.len() > 1 && text.starts_with('0')) {
        return Err(format!("{what} is not a decimal number"));
    }
    text.parse().map_err(|_| format!("{what} is too large"))
}

/// Exactly `len` bytes written as lowercase hex (what Werkzeug's `.hex()` produces).
fn lower_hex(text: &str, len: usize) -> Result<Vec<u8>, String> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    let error = || format!("hash is not {} lowercase hex digits", 2 * len);
    if text.len() != 2 * len {
        return Err(error());
    }
    text.as_bytes()
        .chunks_exact(2)
        .map(|pair| Some((nibble(pair[0])? << 4) | nibble(pair[1])?))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(error)
}

fn to_lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// `iterations` checked against the cap and PBKDF2's own rules, as the 32-bit count the KDF
/// takes.
fn pbkdf2_rounds(iterations: u64, caps: &Caps) -> Result<u32, String> {
    if iterations == 0 {
        return Err("PBKDF2 iterations must be at least 1".into());
    }
    if iterations > caps.pbkdf2_iterations {
        return Err(format!(
            "PBKDF2 iterations {iterations} is over the cap ({})",
            caps.pbkdf2_iterations
        ));
    }
    u32::try_from(iterations)
        .map_err(|_| format!("PBKDF2 iterations {iterations} do not fit 32 bits"))
}

/// PBKDF2-HMAC into `out`, after checking `iterations` against the cap.
fn pbkdf2(
    prf: Prf,
    password: &[u8],
    salt: &[u8],
    iterations: u64,
    caps: &Caps,
    out: &mut [u8],
) -> Result<(), String> {
    let rounds = pbkdf2_rounds(iterations, caps)?;
    count_kdf_call();
    match prf {
        Prf::Sha1 => pbkdf2::pbkdf2_hmac::<Sha1>(password, salt, rounds, out),
        Prf::Sha256 => pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, rounds, out),
        Prf::Sha512 => pbkdf2::pbkdf2_hmac::<Sha512>(password, salt, rounds, out),
    }
    Ok(())
}

/// scrypt's parameters checked against the caps and the rules the owners' backend (OpenSSL
/// through `hashlib.scrypt`) enforces, before anything is allocated.
fn scrypt_params(n: u64, r: u64, p: u64, caps: &Caps) -> Result<scrypt::Params, String> {
    if n < 2 || !n.is_power_of_two() {
        return Err(format!("scrypt N={n} is not a power of two above 1"));
    }
    if r == 0 || p == 0 {
        return Err("scrypt r and p must be at least 1".into());
    }
    // The memory scrypt allocates, 128*N*r bytes, against the cap. The work grows with p too
    // (p passes over that memory), so 128*N*r*p is held to the same bound: a tampered p cannot
    // make a verify spin for hours.
    let memory = 128 * u128::from(n) * u128::from(r);
    let cap = u128::from(caps.scrypt_bytes);
    if memory > cap {
        return Err(format!(
            "scrypt N={n}, r={r} needs {memory} bytes, over the cap ({cap})"
        ));
    }
    if memory * u128::from(p) > cap {
        return Err(format!(
            "scrypt N={n}, r={r}, p={p} is {} bytes of work, over the cap ({cap})",
            memory * u128::from(p)
        ));
    }
    let log_n = n.trailing_zeros();
    // OpenSSL's rules: N < 2^(16r) and r*p < 2^30.
    if u128::from(log_n) >= 16 * u128::from(r) {
        return Err(format!("scrypt N={n} is too large for r={r}"));
    }
    if u128::from(r) * u128::from(p) >= 1 << 30 {
        return Err(format!("scrypt r*p = {} is too large", r * p));
    }
    let (Ok(log_n), Ok(r), Ok(p)) = (u8::try_from(log_n), u32::try_from(r), u32::try_from(p))
    else {
        return Err("scrypt parameters out of range".into());
    };
    scrypt::Params::new(log_n, r, p).map_err(|e| format!("scrypt: {e}"))
}

/// scrypt into `out`, after checking the parameters (see [`scrypt_params`]).
fn scrypt(
    password: &[u8],
    salt: &[u8],
    n: u64,
    r: u64,
    p: u64,
    caps: &Caps,
    out: &mut [u8],
) -> Result<(), String> {
    let params = scrypt_params(n, r, p, caps)?;
    count_kdf_call();
    scrypt::scrypt(password, salt, &params, out).map_err(|e| format!("scrypt: {e}"))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::hashing::kdf_calls;

    const PW: &[u8] = b"correct horse battery staple";

    fn check(stored: &str) -> Check {
        verify(PW, stored, &Caps::default()).expect("one of web.rs's formats")
    }

    fn assert_unusable_fast(stored: &str) {
        let before = kdf_calls();
        let start = Instant::now();
        let result = check(stored);
        assert!(
            matches!(result, Check::Unusable(_)),
            "{stored}: expected Unusable, got {result:?}"
        );
        assert!(start.elapsed() < Duration::from_secs(1), "{stored}: slow");
        assert_eq!(kdf_calls(), before, "{stored}: the KDF ran");
    }

    /// Every line of the vectors file that is one of this module's formats comes out as its
    /// `valid` field says; lines of other modules' formats are not claimed.
    #[cfg(feature = "cli")]
    #[test]
    fn vectors_file() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hashes.jsonl");
        let text = std::fs::read_to_string(path).expect("vectors file");
        let mut ours = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            let family = v["scheme"].as_str().expect("scheme").to_owned();
            let password = v["password"].as_str().expect("password").to_owned();
            let hash = v["hash"].as_str().expect("hash").to_owned();
            let valid = v["valid"].as_bool().expect("valid");
            let mine = family.starts_with("werkzeug_")
                || family.starts_with("django_")
                || family.starts_with("passlib_pbkdf2")
                || family.starts_with("passlib_scrypt");
            assert_eq!(scheme(&hash).is_some(), mine, "{family}: {hash}");
            if mine {
                ours.push((family, password, hash, valid));
            }
        }
        assert_eq!(ours.len(), 216, "vectors of this module's formats");
        // The KDFs are slow (10^6 PBKDF2 rounds, 100 MiB argon2): spread over threads.
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
        let ours = &ours;
        let failures: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|first| {
                    s.spawn(move || {
                        let mut failures = Vec::new();
                        // Every `threads`-th line, so the slow families are shared out.
                        for (family, password, hash, valid) in
                            ours.iter().skip(first).step_by(threads)
                        {
                            let before = kdf_calls();
                            let got = verify(password.as_bytes(), hash, &Caps::default());
                            let want = if *valid {
                                Check::Match
                            } else {
                                Check::Mismatch
                            };
                            if got.as_ref() != Some(&want) {
                                failures.push(format!("{family} {password:?} {hash}: {got:?}"));
                            }
                            if !hash.starts_with("plain$") && kdf_calls() != before + 1 {
                                failures.push(format!("{family} {hash}: not one KDF call"));
                            }
                        }
                        failures
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("thread"))
                .collect()
        });
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Forms the vectors file lacks: made by Werkzeug 3.1.8 (`_hash_internal`) for the first
    /// four, by Python's hashlib/hmac/base64 in the owners' layouts for the rest.
    #[test]
    fn more_known_answers() {
        let cases = [
            (
                "pbkdf2$saltsalt$fda887669779f21a9afd1172f0c1a528ed63e6c6a346307f52ce457f82c85085",
                "werkzeug-pbkdf2-sha256",
            ),
            (
                "pbkdf2:sha256$saltsalt$fda887669779f21a9afd1172f0c1a528ed63e6c6a346307f52ce457f82c85085",
                "werkzeug-pbkdf2-sha256",
            ),
            (
                "pbkdf2:sha1:1000$saltsalt$68aff5d18b20f98a80476619645cd7190eeb3b12",
                "werkzeug-pbkdf2-sha1",
            ),
            (
                "scrypt$saltsalt$ed169c991b0d1dbc33e3c434aa44f67710ddde45c160d6d5c1991089c61dc69af81b51c0eee57934f5936b6d6867eae20655ad02d0543f15539fd9b328e8f70b",
                "werkzeug-scrypt",
            ),
            (
                "sha512$saltsalt$20b522680f37a03ee593ce8a350e94f6c15ee095896ff3ffd39832a0a747c80205b115123e5167283368d9ce23728f3170a08fbb5436b6d2283b8811c25beecd",
                "werkzeug-legacy-sha512",
            ),
            (
                "sha256$$c4bbcb1fbec99d65bf59d85c8cb62ee2db963f0fe106f483d9afa73bd4e39a8a",
                "werkzeug-legacy-sha256",
            ),
            (
                "pbkdf2_sha1$1000$saltsalt$aK/10Ysg+YqAR2YZZFzXGQ7rOxI=",
                "django-pbkdf2-sha1",
            ),
            (
                "$pbkdf2-sha512$1000$AAECAwQFBgcICQoLDA0ODw$A6AmFIti7CKlYdoPiV9jf1d9llp37o27Wms8Zx8fwMJGCOigJzAthOW3Pg.XF5PnNiYnsQsIz1N5NtynrEm78w",
                "passlib-pbkdf2-sha512",
            ),
            (
                "$pbkdf2$1000$AAECAwQFBgcICQoLDA0ODw$AOm/kOb/.YAZ3ZwSogYgNu9fO1g",
                "passlib-pbkdf2-sha1",
            ),
            (
                "$scrypt$ln=10,r=8,p=2$AAECAwQFBgcICQoLDA0ODw$wk79EttC618m617oirShLZuxJkXcX6rXHrrS9rQQ/44",
                "passlib-scrypt",
            ),
        ];
        for (stored, name) in cases {
            assert_eq!(scheme(stored), Some(name), "{stored}");
            assert_eq!(check(stored), Check::Match, "{stored}");
            assert_eq!(
                verify(b"Correct horse battery staple", stored, &Caps::default()),
                Some(Check::Mismatch),
                "{stored}"
            );
        }
    }

    /// New hashes are byte for byte what Werkzeug 3.1.8's `_hash_internal` made for the same
    /// salt (the `scrypt$saltsalt$...` and `pbkdf2$saltsalt$...` cases above: Werkzeug's
    /// defaults are the parameters written here).
    #[test]
    fn new_werkzeug_hashes_are_werkzeugs_known_answers() {
        assert_eq!(
            new_werkzeug_scrypt(PW, "saltsalt").unwrap(),
            "scrypt:32768:8:1$saltsalt$ed169c991b0d1dbc33e3c434aa44f67710ddde45c160d6d5c1991089c61dc69af81b51c0eee57934f5936b6d6867eae20655ad02d0543f15539fd9b328e8f70b"
        );
        assert_eq!(
            new_werkzeug_pbkdf2(PW, "saltsalt").unwrap(),
            "pbkdf2:sha256:1000000$saltsalt$fda887669779f21a9afd1172f0c1a528ed63e6c6a346307f52ce457f82c85085"
        );
    }

    #[test]
    fn new_werkzeug_hashes_round_trip_with_a_fresh_salt() {
        let password = "pässwörd✓ long enough".as_bytes();
        for new in [new_werkzeug_scrypt, new_werkzeug_pbkdf2] {
            let salt = werkzeug_salt().unwrap();
            let before = kdf_calls();
            let stored = new(password, &salt).unwrap();
            assert_eq!(kdf_calls(), before + 1, "{stored}");
            let (method, stored_salt, hex) = werkzeug_fields(&stored).unwrap();
            assert!(
                ["scrypt:32768:8:1", "pbkdf2:sha256:1000000"].contains(&method),
                "{stored}"
            );
            assert_eq!(stored_salt, salt);
            let len = if method.starts_with("scrypt") { 64 } else { 32 };
            assert!(lower_hex(hex, len).is_ok(), "{stored}");
            assert_eq!(
                verify(password, &stored, &Caps::default()),
                Some(Check::Match)
            );
            assert_eq!(
                verify(
                    "pässwörd✓ long enougH".as_bytes(),
                    &stored,
                    &Caps::default()
                ),
                Some(Check::Mismatch)
            );
        }
    }

    #[test]
    fn werkzeug_salts_are_sixteen_alphanumerics_and_differ() {
        let salts: Vec<String> = (0..50).map(|_| werkzeug_salt().unwrap()).collect();
        for salt in &salts {
            assert_eq!(salt.len(), WERKZEUG_SALT_LEN, "{salt}");
            assert!(salt.bytes().all(|b| b.is_ascii_alphanumeric()), "{salt}");
        }
        let mut unique = salts.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), salts.len(), "a salt came out twice");
    }

    /// Rejection sampling, not `b % 62`: bytes 248..=255 are dropped, where a modulo would have
    /// turned them into an extra chance for `a`..`h`.
    #[test]
    fn werkzeug_salt_drops_the_bytes_that_would_bias_it() {
        let mut next = 240u8;
        let mut calls = 0;
        let salt = werkzeug_salt_from(|buf| {
            calls += 1;
            for b in buf.iter_mut() {
                *b = next;
                next = next.wrapping_add(1);
            }
            Ok(())
        })
        .unwrap();
        // 240..=247 are `2`..`9` (indices 54..=61), 248..=255 are dropped, 0..=7 are `a`..`h`.
        assert_eq!(salt, "23456789abcdefgh");
        assert_eq!(calls, 1);
        // A source of nothing but high bytes is drawn from again until it gives enough.
        let mut calls = 0;
        let salt = werkzeug_salt_from(|buf| {
            calls += 1;
            buf.fill(if calls < 3 { 0xff } else { 61 });
            Ok(())
        })
        .unwrap();
        assert_eq!(salt, "9".repeat(16));
        assert_eq!(calls, 3);
    }

    #[test]
    fn new_werkzeug_hashes_refuse_a_password_that_is_not_utf8() {
        let before = kdf_calls();
        for new in [new_werkzeug_scrypt, new_werkzeug_pbkdf2] {
            let err = new(b"caf\xe9 latte, not UTF-8", "saltsalt").unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
            assert!(err.to_string().contains("UTF-8"), "{err}");
        }
        assert_eq!(kdf_calls(), before);
        // NUL is text to Werkzeug: hashed like any other character.
        let stored = new_werkzeug_pbkdf2(b"a\0b", "saltsalt").unwrap();
        assert_eq!(
            verify(b"a\0b", &stored, &Caps::default()),
            Some(Check::Match)
        );
        assert_eq!(
            verify(b"a", &stored, &Caps::default()),
            Some(Check::Mismatch)
        );
    }

    #[test]
    fn plain_is_bytewise_and_runs_no_kdf() {
        let before = kdf_calls();
        assert_eq!(
            verify(b"a$b\0c", "plain$salt$a$b\0c", &Caps::default()),
            Some(Check::Match)
        );
        assert_eq!(
            verify(b"a$b\0", "plain$salt$a$b\0c", &Caps::default()),
            Some(Check::Mismatch)
        );
        assert_eq!(verify(b"", "plain$$", &Caps::default()), Some(Check::Match));
        assert_eq!(kdf_calls(), before);
        assert!(matches!(check("plain$only-one-dollar"), Check::Unusable(_)));
    }

    #[test]
    fn caps_are_checked_before_the_kdf() {
        let hex64 = "ab".repeat(32);
        let hex128 = "ab".repeat(64);
        let b64_32 = "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=";
        let b64_64 = STANDARD.encode([0xab; 64]);
        for stored in [
            format!("pbkdf2:sha256:1000000000000$salt${hex64}"),
            format!("pbkdf2:sha512:10000001$salt${hex128}"),
            format!("pbkdf2:sha256:99999999999999999999999$salt${hex64}"),
            format!("scrypt:1099511627776:8:1$salt${hex128}"),
            format!("scrypt:4194304:8:1$salt${hex128}"),
            format!("scrypt:16384:8:4294967295$salt${hex128}"),
            format!("scrypt:16384:1048576:1048576$salt${hex128}"),
            format!("pbkdf2_sha256$1000000000000$salt${b64_32}"),
            format!("scrypt$1099511627776$salt$8$1${b64_64}"),
            format!("scrypt$16384$salt$8$100000${b64_64}"),
            format!(
                "$pbkdf2-sha256$4294967295$AAECAwQFBgcICQoLDA0ODw${}",
                "A".repeat(43)
            ),
            format!(
                "$scrypt$ln=40,r=8,p=1$AAECAwQFBgcICQoLDA0ODw${}",
                "A".repeat(43)
            ),
            format!(
                "$scrypt$ln=24,r=8,p=1$AAECAwQFBgcICQoLDA0ODw${}",
                "A".repeat(43)
            ),
            format!("bcrypt_sha256$$2b$31${}", "a".repeat(53)),
            format!("bcrypt_sha256$$2b$17${}", "a".repeat(53)),
            "argon2$argon2id$v=19$m=4294967295,t=2,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into(),
            "argon2$argon2id$v=19$m=19456,t=4294967295,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into(),
        ] {
            assert_unusable_fast(&stored);
        }
        // A lowered cap applies too.
        let caps = Caps {
            pbkdf2_iterations: 999,
            ..Caps::default()
        };
        let stored = "pbkdf2:sha1:1000$saltsalt$68aff5d18b20f98a80476619645cd7190eeb3b12";
        assert!(matches!(
            verify(PW, stored, &caps),
            Some(Check::Unusable(_))
        ));
    }

    #[test]
    fn malformed_strings_are_unusable_without_running_the_kdf() {
        let hex64 = "ab".repeat(32);
        let hex128 = "ab".repeat(64);
        let b64_32 = "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=";
        let b64_64 = STANDARD.encode([0xab; 64]);
        for stored in [
            // Werkzeug
            "pbkdf2:sha256:1000$salt".to_owned(),
            format!("pbkdf2:sha256:0$salt${hex64}"),
            format!("pbkdf2:sha256:-5$salt${hex64}"),
            format!("pbkdf2:sha256: 1000$salt${hex64}"),
            format!("pbkdf2:sha256:$salt${hex64}"),
            format!("pbkdf2:sha256:1000:1$salt${hex64}"),
            format!("pbkdf2:md5:1000$salt${hex64}"),
            format!("pbkdf2:sha256:1000$salt${}", hex64.to_uppercase()),
            format!("pbkdf2:sha256:1000$salt${}", &hex64[1..]),
            format!("pbkdf2:sha256:1000$salt${hex128}"),
            format!("pbkdf2:sha256:1000$salt${}zz", &hex64[2..]),
            format!("pbkdf2:sha256:1000$salt${}é", &hex64[2..]),
            format!("scrypt:16385:8:1$salt${hex128}"),
            format!("scrypt:1:8:1$salt${hex128}"),
            format!("scrypt:0:8:1$salt${hex128}"),
            format!("scrypt:16384:0:1$salt${hex128}"),
            format!("scrypt:16384:8:0$salt${hex128}"),
            format!("scrypt:16384:8$salt${hex128}"),
            format!("scrypt:131072:1:1$salt${hex128}"),
            format!("scrypt:16384:8:1$salt${hex64}"),
            "sha256$salt$xyz".to_owned(),
            format!("sha256$salt${hex128}"),
            // Django
            format!("pbkdf2_sha256$01000$salt${b64_32}"),
            format!("pbkdf2_sha256$0$salt${b64_32}"),
            format!("pbkdf2_sha256$1000$${b64_32}"),
            format!("pbkdf2_sha256$1000$salt${}", b64_32.trim_end_matches('=')),
            "pbkdf2_sha256$1000$salt$q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6t=".to_owned(),
            "pbkdf2_sha256$1000$salt$!!!!".to_owned(),
            "pbkdf2_sha256$1000$salt".to_owned(),
            format!("pbkdf2_sha1$1000$salt${b64_32}"),
            format!("scrypt$16383$salt$8$1${b64_64}"),
            format!("scrypt$16384$salt$8$0${b64_64}"),
            format!("scrypt$16384$salt$08$1${b64_64}"),
            format!("scrypt$16384$$8$1${b64_64}"),
            format!("scrypt$16384$salt$8$1${b64_32}"),
            "bcrypt_sha256$".to_owned(),
            "bcrypt_sha256$$2b$12$short".to_owned(),
            format!("bcrypt_sha256$$2q$12${}", "a".repeat(53)),
            format!("bcrypt_sha256$$2b$03${}", "a".repeat(53)),
            format!("bcrypt_sha256$$2b$1x${}", "a".repeat(53)),
            format!("bcrypt_sha256$$2b$12${}é", "a".repeat(51)),
            format!("bcrypt_sha256$$2b$12${}", "!".repeat(53)),
            "argon2$".to_owned(),
            "argon2$argon2id$v=19$m=19456,t=2,p=1$!!$!!".to_owned(),
            "argon2$bcrypt$whatever".to_owned(),
            // passlib
            "$pbkdf2-sha256$29000$salt".to_owned(),
            format!("$pbkdf2-sha256$029000$AAAA${}", "A".repeat(43)),
            format!("$pbkdf2-sha256$0$AAAA${}", "A".repeat(43)),
            format!("$pbkdf2-sha256$1000$A$${}", "A".repeat(43)),
            format!("$pbkdf2-sha256$1000$AAAA${}", "A".repeat(42)),
            format!("$pbkdf2-sha256$1000$AAAA${}", "A".repeat(44)),
            format!("$pbkdf2-sha256$1000$AAAA${}$extra", "A".repeat(43)),
            format!("$scrypt$ln=0,r=8,p=1$AAAA${}", "A".repeat(43)),
            format!("$scrypt$r=8,ln=10,p=1$AAAA${}", "A".repeat(43)),
            format!("$scrypt$ln=10,r=8$AAAA${}", "A".repeat(43)),
            format!("$scrypt$ln=10,r=8,p=1$AAAA${}", "A".repeat(40)),
            "$scrypt$ln=10,r=8,p=1$AAAA".to_owned(),
        ] {
            assert_unusable_fast(&stored);
        }
    }

    #[test]
    fn other_formats_are_not_claimed() {
        for stored in [
            "",
            "hunter2",
            "$2b$12$jODnJsyWP5647bAJHzHADOXrWxGCmdJ/5OecEvx9uY8nBEUkTujUe",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$AAAA",
            "$6$salt$hash",
            "$apr1$salt$hash",
            "{SSHA}abcdef",
            "abJnggxhB/yWI",
            "md5$salt$0123456789abcdef0123456789abcdef",
            "sha1$salt$0123456789abcdef0123456789abcdef01234567",
            "sha384$salt$00",
            "pbkdf2_sha512$1000$salt$AAAA",
            "pbkdf2:sha256:1000",
        ] {
            assert_eq!(scheme(stored), None, "{stored}");
            assert_eq!(verify(PW, stored, &Caps::default()), None, "{stored}");
        }
    }
}
