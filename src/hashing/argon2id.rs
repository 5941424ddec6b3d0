//! Argon2 (id, i, d) in PHC string form, on the RustCrypto `argon2` crate.
//!
//! PHC parsing is the `phc` crate's (through `argon2::password_hash`); this file adds the cost
//! caps and owns the memory the KDF runs in.

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::identify::Cost;
use super::memory::KdfMemory;
use super::{Caps, Check, count_kdf_call};
use crate::error::{Error, Result};

pub(super) const SALT_LEN: usize = 16;
const TAG_LEN: usize = 32;
/// The longest tag we accept from a stored hash (the PHC output limit).
const MAX_TAG_LEN: usize = 64;

/// argon2id cost parameters: memory in KiB, passes, lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argon2Params {
    pub m: u32,
    pub t: u32,
    pub p: u32,
}

impl Default for Argon2Params {
    /// OWASP's first recommendation: 19 MiB, two passes, one lane.
    fn default() -> Self {
        Self {
            m: 19_456,
            t: 2,
            p: 1,
        }
    }
}

impl Argon2Params {
    /// Checks that these parameters make a valid argon2 instance within `caps`.
    pub fn validate(&self, caps: &Caps) -> std::result::Result<(), String> {
        // The caps first: the other checks then work on small numbers.
        if self.m > caps.argon2_m || self.t > caps.argon2_t || self.p > caps.argon2_p {
            return Err(format!(
                "argon2 m={},t={},p={} is over the caps (m<={}, t<={}, p<={})",
                self.m, self.t, self.p, caps.argon2_m, caps.argon2_t, caps.argon2_p
            ));
        }
        self.validate_shape()
    }

    /// The rules of argon2 itself, whatever the caps.
    fn validate_shape(&self) -> std::result::Result<(), String> {
        if self.p == 0 || self.t == 0 {
            return Err("argon2 t and p must be at least 1".into());
        }
        let floor = 8 * u64::from(self.p);
        if u64::from(self.m) < floor {
            return Err(format!("argon2 m must be at least 8*p = {floor} KiB"));
        }
        Ok(())
    }
}

/// Prefixes of the argon2 PHC strings we accept.
const PREFIXES: [(&str, Algorithm, &str); 3] = [
    ("$argon2id$", Algorithm::Argon2id, "argon2id"),
    ("$argon2i$", Algorithm::Argon2i, "argon2i"),
    ("$argon2d$", Algorithm::Argon2d, "argon2d"),
];

pub(super) fn is_argon2(stored: &str) -> bool {
    scheme(stored).is_some()
}

pub(super) fn scheme(stored: &str) -> Option<&'static str> {
    PREFIXES
        .iter()
        .find(|(prefix, _, _)| stored.starts_with(prefix))
        .map(|&(_, _, name)| name)
}

/// A stored argon2 hash, parsed and checked against the caps.
struct Parsed {
    algorithm: Algorithm,
    version: Version,
    params: Argon2Params,
    salt: Vec<u8>,
    tag: Vec<u8>,
}

/// Parses a stored argon2 hash. With `caps`, parameters over them are refused here, before
/// anything is allocated; without, only argon2's own rules apply (for reading, never running).
fn parse(stored: &str, caps: Option<&Caps>) -> std::result::Result<Parsed, String> {
    let algorithm = PREFIXES
        .iter()
        .find(|(prefix, _, _)| stored.starts_with(prefix))
        .map(|&(_, alg, _)| alg)
        .ok_or("not an argon2 hash")?;
    let phc = PasswordHash::new(stored).map_err(|e| format!("malformed argon2 hash: {e}"))?;
    let version = match phc.version {
        None | Some(0x10) => Version::V0x10,
        Some(0x13) => Version::V0x13,
        Some(v) => return Err(format!("unknown argon2 version {v}")),
    };
    let mut m = None;
    let mut t = None;
    let mut p = None;
    for (name, value) in phc.params.iter() {
        let slot = match name.as_str() {
            "m" => &mut m,
            "t" => &mut t,
            "p" => &mut p,
            other => return Err(format!("unsupported argon2 parameter '{other}'")),
        };
        let n = value
            .decimal()
            .map_err(|_| format!("argon2 parameter {} is not a number", name.as_str()))?;
        *slot = Some(n);
    }
    let (Some(m), Some(t), Some(p)) = (m, t, p) else {
        return Err("argon2 hash lacks one of m, t, p".into());
    };
    let params = Argon2Params { m, t, p };
    match caps {
        Some(caps) => params.validate(caps)?,
        None => params.validate_shape()?,
    }
    let salt = phc.salt.ok_or("argon2 hash has no salt")?;
    let tag = phc.hash.ok_or("argon2 hash has no tag")?;
    let tag = tag.as_bytes().to_vec();
    if tag.len() < 4 || tag.len() > MAX_TAG_LEN {
        return Err(format!("argon2 tag of {} bytes", tag.len()));
    }
    Ok(Parsed {
        algorithm,
        version,
        params,
        salt: salt.as_ref().to_vec(),
        tag,
    })
}

/// The parameters of a stored argon2id hash at version 0x13 with the standard salt and tag
/// sizes, or `None` for anything else (which therefore needs a rehash).
pub(super) fn params_of(stored: &str) -> Option<Argon2Params> {
    // Only reads the parameters: no caps apply (an admin may have raised them).
    let parsed = parse(stored, None).ok()?;
    let standard = parsed.algorithm == Algorithm::Argon2id
        && parsed.version == Version::V0x13
        && parsed.salt.len() >= SALT_LEN
        && parsed.tag.len() == TAG_LEN;
    standard.then_some(parsed.params)
}

/// What a stored argon2 hash costs, read and checked against `caps` without running the KDF
/// (for `identify`). The error says why the hash is unusable and never quotes it.
pub(super) fn cost(stored: &str, caps: &Caps) -> std::result::Result<Cost, String> {
    let parsed = parse(stored, Some(caps))?;
    let version = match parsed.version {
        Version::V0x10 => 0x10,
        Version::V0x13 => 0x13,
    };
    Ok(Cost::Argon2 {
        variant: scheme(stored).unwrap_or("argon2"),
        version,
        params: parsed.params,
        standard_lengths: parsed.salt.len() >= SALT_LEN && parsed.tag.len() == TAG_LEN,
    })
}

/// Runs argon2 into `out`, in memory this function maps and unmaps (see [`KdfMemory`]).
fn derive(
    algorithm: Algorithm,
    version: Version,
    params: &Argon2Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<()> {
    let params = Params::new(params.m, params.t, params.p, Some(out.len()))
        .map_err(|e| Error::Hashing(e.to_string()))?;
    let count = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    count_kdf_call();
    let result = match KdfMemory::new(count) {
        Some(mut memory) => {
            argon2.hash_password_into_with_memory(password, salt, out, memory.blocks())
        }
        None => {
            // No mapping (not Linux, or mmap refused): the heap, without aborting the process
            // when it cannot give that much.
            let mut blocks = Vec::new();
            blocks
                .try_reserve_exact(count)
                .map_err(|_| Error::Hashing(format!("not enough memory for m={count} KiB")))?;
            blocks.resize(count, Block::default());
            let mut blocks = Zeroizing::new(blocks);
            argon2.hash_password_into_with_memory(password, salt, out, &mut blocks[..])
        }
    };
    result.map_err(|e| Error::Hashing(e.to_string()))
}

pub(super) fn hash(password: &[u8], salt: &[u8], params: &Argon2Params) -> Result<String> {
    let mut tag = [0u8; TAG_LEN];
    derive(
        Algorithm::Argon2id,
        Version::V0x13,
        params,
        password,
        salt,
        &mut tag,
    )?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m,
        params.t,
        params.p,
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(tag)
    ))
}

pub(crate) fn verify(password: &[u8], stored: &str, caps: &Caps) -> Check {
    let parsed = match parse(stored, Some(caps)) {
        Ok(parsed) => parsed,
        Err(reason) => return Check::Unusable(reason),
    };
    let mut out = vec![0u8; parsed.tag.len()];
    if let Err(e) = derive(
        parsed.algorithm,
        parsed.version,
        &parsed.params,
        password,
        &parsed.salt,
        &mut out,
    ) {
        return Check::Unusable(e.to_string());
    }
    let equal: bool = out.ct_eq(&parsed.tag).into();
    out.zeroize();
    if equal { Check::Match } else { Check::Mismatch }
}
