//! `hash identify` and `audit`: what a stored hash is and how strong, judged by SPEC §3's table
//! (the OWASP Password Storage Cheat Sheet's minimums), without running any KDF.
//!
//! The parameters are read by each format's own parser (`argon2id::cost`, `web::cost`,
//! `crypt::cost`), the same code `verify` runs before its KDF, so identify and verify never
//! disagree about what is malformed or over the caps.
//!
//! Nothing this module returns contains the hash, its salt or its tag: parameters are numbers
//! and digest names, reasons are written here or by the parsers (which never quote the hash).

use super::{Argon2Params, Caps, argon2id, crypt, needs_rehash, scheme, web};

/// A stored hash's cost parameters, as its format's parser read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cost {
    Argon2 {
        /// `argon2id`, `argon2i` or `argon2d`.
        variant: &'static str,
        /// 0x10 or 0x13.
        version: u32,
        params: Argon2Params,
        /// A salt and tag of the lengths credman writes (what [`needs_rehash`] also asks).
        standard_lengths: bool,
    },
    Scrypt {
        n: u64,
        r: u64,
        p: u64,
    },
    Pbkdf2 {
        /// `sha1`, `sha256` or `sha512`.
        digest: &'static str,
        iterations: u64,
    },
    Bcrypt {
        cost: u32,
    },
    /// sha256-crypt / sha512-crypt.
    ShaCrypt {
        rounds: u32,
    },
    /// A fixed-cost legacy scheme: md5-crypt, apr1, DES crypt, `{SHA}`, `{SSHA}`, Werkzeug's
    /// legacy HMAC.
    Legacy,
    /// The password itself (Werkzeug's `plain$`).
    Plaintext,
}

/// The strength verdict of SPEC §3's audit table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Strong,
    Weak,
    Legacy,
    Plaintext,
    Malformed,
}

impl Verdict {
    /// The name used in JSON and on the terminal: `strong`, `weak`, `legacy`, `plaintext`,
    /// `malformed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Strong => "strong",
            Self::Weak => "weak",
            Self::Legacy => "legacy",
            Self::Plaintext => "plaintext",
            Self::Malformed => "malformed",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a stored hash is, and how strong. Never holds the hash, its salt or its tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identified {
    /// As [`scheme`](super::scheme) names it; `unknown` if no format matched.
    pub scheme: &'static str,
    /// The cost parameters, in the format's own names (`m`, `t`, `p`; `N`, `r`, `p`;
    /// `digest`, `iterations`; `cost`; `rounds`). Empty for malformed and fixed-cost hashes.
    pub params: Vec<(&'static str, String)>,
    pub verdict: Verdict,
    /// Short explanations of the verdict.
    pub reasons: Vec<String>,
    /// Whether the hash should be replaced at the policy's argon2id parameters
    /// ([`needs_rehash`](super::needs_rehash)).
    pub needs_rehash: bool,
}

/// The longest unrecognised string still judged to be a password stored in the clear.
const MAX_PLAINTEXT_LEN: usize = 128;

/// OWASP's argon2id sets of equal cost: (m KiB, t), most memory first.
pub(super) const ARGON2ID_SETS: [(u32, u32); 5] = [
    (47_104, 1),
    (19_456, 2),
    (12_288, 3),
    (9_216, 4),
    (7_168, 5),
];

/// OWASP's scrypt sets of equal cost at r=8: (N, p).
const SCRYPT_SETS: [(u64, u64); 5] = [
    (1 << 17, 1),
    (1 << 16, 2),
    (1 << 15, 3),
    (1 << 14, 5),
    (1 << 13, 10),
];

/// OWASP's bcrypt minimum work factor.
const BCRYPT_MIN_COST: u32 = 10;

/// OWASP's PBKDF2 minimum iterations for a digest.
fn pbkdf2_minimum(digest: &str) -> u64 {
    match digest {
        "sha1" => 1_300_000,
        "sha512" => 210_000,
        _ => 600_000,
    }
}

/// Identifies a stored hash and judges it by SPEC §3's table, checking its parameters against
/// `caps` and whether it needs a rehash at `policy_argon2`. Never runs a KDF.
///
/// A string no format claims is `plaintext` when it looks like a password (see
/// [`looks_like_password`]) and `malformed` otherwise.
pub fn identify(stored: &str, policy_argon2: &Argon2Params, caps: &Caps) -> Identified {
    let name = scheme(stored);
    let cost = if argon2id::is_argon2(stored) {
        Some(argon2id::cost(stored, caps))
    } else {
        web::cost(stored, caps).or_else(|| crypt::cost(stored, caps))
    };
    // What `needs_rehash` would say, from the parse already made: an audit of a million argon2id
    // hashes would otherwise parse (and base64-decode) each of them twice.
    let needs_rehash = match &cost {
        Some(Ok(Cost::Argon2 {
            variant,
            version,
            params,
            standard_lengths,
        })) => {
            // Django's `argon2$argon2id$...` wraps the same string, but only credman's own
            // format is current.
            !(name == "argon2id"
                && *variant == "argon2id"
                && *version == 0x13
                && *standard_lengths
                && params == policy_argon2)
        }
        Some(Ok(_)) => true,
        _ => needs_rehash(stored, policy_argon2),
    };
    let (params, verdict, reasons) = match cost {
        Some(Ok(cost)) => judge(name, cost),
        Some(Err(reason)) => (Vec::new(), Verdict::Malformed, vec![reason]),
        None => unrecognised(stored),
    };
    Identified {
        scheme: name,
        params,
        verdict,
        reasons,
        needs_rehash,
    }
}

type Judgement = (Vec<(&'static str, String)>, Verdict, Vec<String>);

fn judge(name: &str, cost: Cost) -> Judgement {
    match cost {
        Cost::Argon2 {
            variant,
            version,
            params,
            ..
        } => {
            let list = vec![
                ("v", version.to_string()),
                ("m", params.m.to_string()),
                ("t", params.t.to_string()),
                ("p", params.p.to_string()),
            ];
            let mut reasons = Vec::new();
            if variant != "argon2id" {
                reasons.push(format!(
                    "{variant} is weak at best: argon2id is the recommendation"
                ));
            }
            if let Some(why) = argon2_shortfall(variant, &params) {
                reasons.push(why);
            }
            let verdict = if reasons.is_empty() {
                Verdict::Strong
            } else {
                Verdict::Weak
            };
            (list, verdict, reasons)
        }
        Cost::Scrypt { n, r, p } => {
            let list = vec![
                ("N", n.to_string()),
                ("r", r.to_string()),
                ("p", p.to_string()),
            ];
            let mut reasons = Vec::new();
            if r != 8 {
                reasons.push(format!("scrypt r={r} is not OWASP's r=8"));
            }
            if !SCRYPT_SETS.iter().any(|&(n0, p0)| n >= n0 && p >= p0) {
                reasons.push(format!(
                    "scrypt N={n}, p={p} is below OWASP's sets (N=2^17,p=1; 2^16,2; 2^15,3; \
                     2^14,5; 2^13,10)"
                ));
            }
            let verdict = if reasons.is_empty() {
                Verdict::Strong
            } else {
                Verdict::Weak
            };
            (list, verdict, reasons)
        }
        Cost::Pbkdf2 { digest, iterations } => {
            let list = vec![
                ("digest", digest.to_owned()),
                ("iterations", iterations.to_string()),
            ];
            let minimum = pbkdf2_minimum(digest);
            if iterations >= minimum {
                (list, Verdict::Strong, Vec::new())
            } else {
                let why = format!(
                    "PBKDF2-HMAC-{} with {iterations} iterations is below OWASP's {minimum}",
                    digest.to_uppercase()
                );
                (list, Verdict::Weak, vec![why])
            }
        }
        Cost::Bcrypt { cost } => {
            let list = vec![("cost", cost.to_string())];
            if cost >= BCRYPT_MIN_COST {
                (list, Verdict::Strong, Vec::new())
            } else {
                let why = format!("bcrypt cost {cost} is below {BCRYPT_MIN_COST}");
                (list, Verdict::Weak, vec![why])
            }
        }
        Cost::ShaCrypt { rounds } => (
            vec![("rounds", rounds.to_string())],
            Verdict::Legacy,
            vec![format!("{name} is a legacy scheme: not memory-hard")],
        ),
        Cost::Legacy => (
            Vec::new(),
            Verdict::Legacy,
            vec![format!("{name} is a legacy scheme: fast to brute-force")],
        ),
        Cost::Plaintext => (
            Vec::new(),
            Verdict::Plaintext,
            vec!["Werkzeug plain$ stores the password itself".to_owned()],
        ),
    }
}

/// Why argon2 parameters fall short of OWASP's sets, or `None` when they meet one. The sets are
/// read as minimums: (m ≥ 47104, t ≥ 1), (m ≥ 19456, t ≥ 2), (m ≥ 12288, t ≥ 3),
/// (m ≥ 9216, t ≥ 4), (m ≥ 7168, t ≥ 5).
fn argon2_shortfall(variant: &str, params: &Argon2Params) -> Option<String> {
    // The smallest memory any set allows at these passes (the sets trade memory for passes).
    let needed = ARGON2ID_SETS
        .iter()
        .filter(|&&(_, t)| params.t >= t)
        .map(|&(m, _)| m)
        .min()?;
    (params.m < needed).then(|| {
        format!(
            "{variant} m={} is below OWASP's {needed} KiB at t={}",
            params.m, params.t
        )
    })
}

/// A string no format claims.
fn unrecognised(stored: &str) -> Judgement {
    let why = if stored.is_empty() {
        "empty".to_owned()
    } else if looks_like_password(stored) {
        return (
            Vec::new(),
            Verdict::Plaintext,
            vec!["not a password hash: looks like a password stored in the clear".to_owned()],
        );
    } else if is_hex_digest(stored) {
        "not a recognised format: looks like a bare hex digest (unsalted?)".to_owned()
    } else {
        "not a recognised password hash format".to_owned()
    };
    (Vec::new(), Verdict::Malformed, vec![why])
}

/// The rule for "looks like a password": at most 128 bytes of printable characters (no control
/// characters; spaces and non-ASCII are fine), not starting with `$` or `{` (the modular crypt
/// and LDAP structures), not a `name$…$…` field structure (a word of `[A-Za-z0-9_:-]`, then at
/// least two `$`), and not a bare hex digest (32, 40, 64 or 128 hex digits).
pub(super) fn looks_like_password(stored: &str) -> bool {
    if stored.is_empty() || stored.len() > MAX_PLAINTEXT_LEN {
        return false;
    }
    if stored.chars().any(char::is_control) || stored.starts_with(['$', '{']) {
        return false;
    }
    let structured = stored.matches('$').count() >= 2
        && stored.split('$').next().is_some_and(|method| {
            !method.is_empty()
                && method
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-'))
        });
    !structured && !is_hex_digest(stored)
}

/// 32, 40, 64 or 128 hex digits: a bare MD5/SHA-1/SHA-256/SHA-512 digest.
fn is_hex_digest(stored: &str) -> bool {
    matches!(stored.len(), 32 | 40 | 64 | 128) && stored.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hashing::kdf_calls;

    fn id(stored: &str) -> Identified {
        identify(stored, &Argon2Params::default(), &Caps::default())
    }

    fn param<'a>(got: &'a Identified, name: &str) -> Option<&'a str> {
        got.params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The salt and tag parts of a stored hash: every field after the scheme/parameter prefix,
    /// split on `$`, plus the whole base64 body of `{SHA}`/`{SSHA}` and DES crypt.
    fn secret_parts(stored: &str) -> Vec<&str> {
        if let Some(body) = stored
            .strip_prefix("{SHA}")
            .or_else(|| stored.strip_prefix("{SSHA}"))
        {
            return vec![body];
        }
        let mut parts: Vec<&str> = stored
            .split('$')
            .filter(|f| !f.is_empty())
            .filter(|f| !f.contains('=') && !f.contains(':'))
            .filter(|f| f.len() >= 8)
            .collect();
        if !stored.contains('$') {
            parts.push(stored);
        }
        // bcrypt: salt and tag run together in the last field.
        parts
    }

    /// No parameter value is a substring of length >= 8 of the hash's salt or tag parts, and
    /// no reason contains them.
    fn assert_no_secrets(stored: &str, got: &Identified) {
        for part in secret_parts(stored) {
            for (k, v) in &got.params {
                assert!(
                    v.len() < 8 || !part.contains(v.as_str()),
                    "{stored}: param {k}={v} leaks"
                );
            }
            for reason in &got.reasons {
                assert!(!reason.contains(part), "{stored}: reason {reason} leaks");
            }
        }
        for reason in &got.reasons {
            assert!(!reason.contains(stored), "{stored}: reason quotes the hash");
        }
    }

    /// The expected verdict of each family of the vectors file (and, where a family's
    /// parameters changed between library versions, of each source).
    fn expected(family: &str, source: &str) -> Verdict {
        use Verdict::*;
        match (family, source) {
            ("argon2cffi_argon2d" | "argon2cffi_argon2i", _) => Weak,
            ("argon2cffi_argon2id_default", _) => Strong, // m=65536, t=3
            ("argon2cli_argon2id_t2_k19456_p1", _) => Strong,
            ("argon2cli_argon2id_t2_m15_p1", _) => Strong, // m=32768, t=2
            ("bcrypt_2b_cost12", _) => Strong,
            ("bcrypt_2b_cost4", _) => Weak,
            ("django_argon2", _) => Strong,        // m=102400, t=2
            ("django_bcrypt_sha256", _) => Strong, // cost 12
            ("django_pbkdf2_sha256", _) => Strong, // 1 000 000
            ("django_scrypt", _) => Strong,        // N=2^14, r=8, p=5
            ("htpasswd_apr1_md5" | "htpasswd_crypt_des" | "htpasswd_sha1", _) => Legacy,
            ("htpasswd_sha256_crypt" | "htpasswd_sha512_crypt", _) => Legacy,
            ("htpasswd_bcrypt_2y", _) => Weak, // cost 5
            ("passlib_ldap_salted_sha1" | "passlib_md5_crypt", _) => Legacy,
            ("passlib_sha256_crypt" | "passlib_sha512_crypt", _) => Legacy,
            ("passlib_pbkdf2_sha256", _) => Weak, // 29 000
            ("werkzeug_legacy_hmac_sha256", _) => Legacy,
            ("werkzeug_legacy_plain", _) => Plaintext,
            ("werkzeug_pbkdf2_sha256_1000" | "werkzeug_pbkdf2_sha512_1000", _) => Weak,
            // 1 000 000 in 3.1, 600 000 in 2.3, 260 000 in 2.2.
            ("werkzeug_pbkdf2_sha256_default", s) if s.starts_with("werkzeug 2.2") => Weak,
            ("werkzeug_pbkdf2_sha256_default" | "werkzeug_pbkdf2_sha512_default", _) => Strong,
            // N=2^15, p=1 and N=2^14, p=1: below every OWASP set.
            ("werkzeug_scrypt_default" | "werkzeug_scrypt_16384_8_1", _) => Weak,
            _ => panic!("no expected verdict for {family} ({source})"),
        }
    }

    #[cfg(feature = "cli")]
    #[test]
    fn every_vector_is_recognised_and_judged() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hashes.jsonl");
        let text = std::fs::read_to_string(path).expect("vectors file");
        let before = kdf_calls();
        let mut lines = 0;
        let mut failures = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            let family = v["scheme"].as_str().expect("scheme");
            let source = v["source"].as_str().expect("source");
            let hash = v["hash"].as_str().expect("hash");
            let got = id(hash);
            lines += 1;
            if got.scheme == "unknown" {
                failures.push(format!("{family}: not recognised"));
            }
            let want = expected(family, source);
            if got.verdict != want {
                failures.push(format!(
                    "{family} ({source}): {} {:?}, want {}",
                    got.verdict, got.reasons, want
                ));
            }
            if got.verdict != Verdict::Strong && got.reasons.is_empty() {
                failures.push(format!("{family}: {} without a reason", got.verdict));
            }
            // Only argon2id at exactly the policy's parameters is current.
            let current = hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$");
            if got.needs_rehash == current {
                failures.push(format!("{family}: needs_rehash {}", got.needs_rehash));
            }
            // identify works it out from its own parse; it must agree with the function.
            if got.needs_rehash != needs_rehash(hash, &Argon2Params::default()) {
                failures.push(format!(
                    "{family}: needs_rehash disagrees with needs_rehash()"
                ));
            }
            assert_no_secrets(hash, &got);
        }
        assert_eq!(lines, 382);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert_eq!(kdf_calls(), before, "identify ran a KDF");
    }

    #[test]
    fn parameters_are_read() {
        let got = id(
            "$argon2id$v=19$m=19456,t=2,p=1$bjU0MlpCUWVoemxJTzlwOA$oqczomOQtluix8bWCfSUlo7dPDb64FL7WfYuVM7y/tQ",
        );
        assert_eq!(got.scheme, "argon2id");
        assert_eq!(got.verdict, Verdict::Strong);
        assert!(got.reasons.is_empty());
        assert!(!got.needs_rehash);
        assert_eq!(
            got.params,
            [
                ("v", "19".to_owned()),
                ("m", "19456".to_owned()),
                ("t", "2".to_owned()),
                ("p", "1".to_owned())
            ]
        );
        // The same hash against another policy needs a rehash.
        let other = Argon2Params {
            m: 47_104,
            t: 1,
            p: 1,
        };
        assert!(identify("$argon2id$v=19$m=19456,t=2,p=1$bjU0MlpCUWVoemxJTzlwOA$oqczomOQtluix8bWCfSUlo7dPDb64FL7WfYuVM7y/tQ", &other, &Caps::default()).needs_rehash);

        let got = id("$2b$04$Tw5VIL1Qfqf2VK9fxm7x/uUMdP4t0iKZ3nCk3RMyJLdAuAoLNrFTm");
        assert_eq!((got.scheme, got.verdict), ("bcrypt", Verdict::Weak));
        assert_eq!(param(&got, "cost"), Some("4"));
        assert_eq!(got.reasons, ["bcrypt cost 4 is below 10"]);
        assert!(got.needs_rehash);

        let got = id(
            "scrypt$16384$VB4zXMzBSxn4uBOsb5mLFM$8$5$tfiLg4Ai81UMViHGzXz7z+89XMEYRHXceTxe6eqdR2kJBA4b15HsdS8cck3Q/koKMX6WlJk2E8cBD86XGvl+yA==",
        );
        assert_eq!(
            (got.scheme, got.verdict),
            ("django-scrypt", Verdict::Strong)
        );
        assert_eq!(param(&got, "N"), Some("16384"));
        assert_eq!(param(&got, "r"), Some("8"));
        assert_eq!(param(&got, "p"), Some("5"));

        let got = id(
            "pbkdf2:sha256:260000$YHYdYeSb7XCuAIlX$1ab21bb06236140217a2f07852fdcbcecbdc44bcefbd1f353695651346d28aaf",
        );
        assert_eq!(got.verdict, Verdict::Weak);
        assert_eq!(param(&got, "digest"), Some("sha256"));
        assert_eq!(param(&got, "iterations"), Some("260000"));

        // Werkzeug's method without a count: its current default.
        let got =
            id("pbkdf2$saltsalt$fda887669779f21a9afd1172f0c1a528ed63e6c6a346307f52ce457f82c85085");
        assert_eq!(param(&got, "iterations"), Some("1000000"));

        let got = id(
            "$6$rounds=656000$I1rDOPN6PQbSwVOs$AO921E61qAsFk6ZDfTVBIuy8WIY/e.EFNNoaJ.CmByskwAemL8FW6g0EISQP2Xz9o2OVCdrmgblNMARTgSLUb0",
        );
        assert_eq!((got.scheme, got.verdict), ("sha512-crypt", Verdict::Legacy));
        assert_eq!(param(&got, "rounds"), Some("656000"));
        let got = id("$5$Mm1DJWVqt6x1r5Mm$oS5qBe0GcAfWXwuX05FM2WOPPXbUgu69K0/dj3Rd8aC");
        assert_eq!(param(&got, "rounds"), Some("5000"));
    }

    #[test]
    fn argon2_sets_are_minimums() {
        let phc = |m: u32, t: u32, variant: &str| {
            format!(
                "$argon2{variant}$v=19$m={m},t={t},p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            )
        };
        for (m, t, want) in [
            (47_104, 1, Verdict::Strong),
            (47_103, 1, Verdict::Weak),
            (19_456, 1, Verdict::Weak),
            (19_456, 2, Verdict::Strong),
            (19_455, 2, Verdict::Weak),
            (4_096, 2, Verdict::Weak),
            (12_288, 3, Verdict::Strong),
            (12_287, 3, Verdict::Weak),
            (9_216, 4, Verdict::Strong),
            (7_168, 5, Verdict::Strong),
            (7_168, 9, Verdict::Strong),
            (7_167, 9, Verdict::Weak),
            (65_536, 3, Verdict::Strong),
        ] {
            let got = id(&phc(m, t, "id"));
            assert_eq!(got.verdict, want, "m={m} t={t}: {:?}", got.reasons);
            // argon2i and argon2d are weak whatever their parameters.
            assert_eq!(id(&phc(m, t, "i")).verdict, Verdict::Weak);
            assert_eq!(id(&phc(m, t, "d")).verdict, Verdict::Weak);
        }
        assert_eq!(
            id(&phc(4096, 2, "id")).reasons,
            ["argon2id m=4096 is below OWASP's 19456 KiB at t=2"]
        );
        // Django's wrapper takes the inner rules.
        let django = format!("argon2{}", phc(4096, 2, "id"));
        let got = id(&django);
        assert_eq!((got.scheme, got.verdict), ("django-argon2", Verdict::Weak));
        assert!(got.needs_rehash);
    }

    #[test]
    fn scrypt_sets_and_r() {
        let werkzeug =
            |n: u64, r: u64, p: u64| format!("scrypt:{n}:{r}:{p}$salt${}", "ab".repeat(64));
        for (n, r, p, want) in [
            (1 << 17, 8, 1, Verdict::Strong),
            (1 << 16, 8, 1, Verdict::Weak),
            (1 << 16, 8, 2, Verdict::Strong),
            (1 << 15, 8, 3, Verdict::Strong),
            (1 << 15, 8, 2, Verdict::Weak),
            (1 << 14, 8, 5, Verdict::Strong),
            (1 << 13, 8, 10, Verdict::Strong),
            (1 << 13, 8, 9, Verdict::Weak),
            (1 << 17, 4, 1, Verdict::Weak),
        ] {
            let got = id(&werkzeug(n, r, p));
            assert_eq!(got.verdict, want, "N={n} r={r} p={p}: {:?}", got.reasons);
        }
    }

    #[test]
    fn pbkdf2_thresholds_per_digest() {
        let hex = |len: usize| "ab".repeat(len);
        for (digest, len, iterations, want) in [
            ("sha256", 32, 600_000, Verdict::Strong),
            ("sha256", 32, 599_999, Verdict::Weak),
            ("sha512", 64, 210_000, Verdict::Strong),
            ("sha512", 64, 209_999, Verdict::Weak),
            ("sha1", 20, 1_300_000, Verdict::Strong),
            ("sha1", 20, 1_299_999, Verdict::Weak),
        ] {
            let stored = format!("pbkdf2:{digest}:{iterations}$salt${}", hex(len));
            let got = id(&stored);
            assert_eq!(got.verdict, want, "{stored}: {:?}", got.reasons);
        }
    }

    #[test]
    fn over_the_caps_is_malformed_with_a_reason() {
        let before = kdf_calls();
        for (stored, scheme) in [
            ("$argon2id$v=19$m=4294967295,t=2,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_owned(), "argon2id"),
            ("$argon2id$v=19$m=19456,t=4294967295,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_owned(), "argon2id"),
            ("argon2$argon2id$v=19$m=19456,t=4294967295,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_owned(), "django-argon2"),
            (format!("scrypt:1099511627776:8:1$salt${}", "ab".repeat(64)), "werkzeug-scrypt"),
            (format!("pbkdf2:sha256:1000000000000$salt${}", "ab".repeat(32)), "werkzeug-pbkdf2-sha256"),
            ("$2b$31$Tw5VIL1Qfqf2VK9fxm7x/uUMdP4t0iKZ3nCk3RMyJLdAuAoLNrFTm".to_owned(), "bcrypt"),
            (format!("bcrypt_sha256$$2b$31${}", "a".repeat(53)), "django-bcrypt-sha256"),
            ("$6$rounds=999999999$I1rDOPN6PQbSwVOs$AO921E61qAsFk6ZDfTVBIuy8WIY/e.EFNNoaJ.CmByskwAemL8FW6g0EISQP2Xz9o2OVCdrmgblNMARTgSLUb0".to_owned(), "sha512-crypt"),
        ] {
            let got = id(&stored);
            assert_eq!(got.scheme, scheme, "{stored}");
            assert_eq!(got.verdict, Verdict::Malformed, "{stored}");
            assert!(
                got.reasons.iter().any(|r| r.contains("cap")),
                "{stored}: {:?}",
                got.reasons
            );
            assert!(got.params.is_empty());
            assert!(got.needs_rehash);
            assert_no_secrets(&stored, &got);
        }
        // A lowered cap applies too.
        let caps = Caps {
            bcrypt_cost: 11,
            ..Caps::default()
        };
        let got = identify(
            "$2b$12$lPt9GZdzzj9YcQrtafr1mercQw0PzM1Nb3.JjTTfoLi2kOXk67GuS",
            &Argon2Params::default(),
            &caps,
        );
        assert_eq!(got.verdict, Verdict::Malformed);
        assert_eq!(kdf_calls(), before);
    }

    #[test]
    fn malformed_recognised_formats() {
        for (stored, scheme) in [
            ("$argon2id$nonsense", "argon2id"),
            ("$argon2id$v=19$m=19456,t=2,p=1$!!$!!", "argon2id"),
            ("$2b$04$", "bcrypt"),
            ("$6$rounds=0100$salt$x", "sha512-crypt"),
            ("$apr1$wF5ZKxLh", "apr1"),
            ("{SSHA}", "ldap-salted-sha1"),
            ("{SHA}not base64!", "ldap-sha1"),
            ("pbkdf2:sha256:1000$salt", "werkzeug-pbkdf2-sha256"),
            ("pbkdf2:md5:1000$salt$abcd", "werkzeug-pbkdf2"),
            ("sha256$salt$xyz", "werkzeug-legacy-sha256"),
            ("plain$only-one-dollar", "werkzeug-plain"),
            ("argon2$bcrypt$whatever", "django-argon2"),
            ("pbkdf2_sha256$1000$salt", "django-pbkdf2-sha256"),
            ("$scrypt$ln=10,r=8$AAAA$AAAA", "passlib-scrypt"),
        ] {
            let got = id(stored);
            assert_eq!(got.scheme, scheme, "{stored}");
            assert_eq!(got.verdict, Verdict::Malformed, "{stored}");
            assert_eq!(got.reasons.len(), 1, "{stored}");
            assert!(got.needs_rehash);
        }
    }

    #[test]
    fn unrecognised_strings() {
        for stored in [
            "hunter2",
            "correct horse battery staple",
            "pässwörd",
            "p$ssword",
            "a$b",
            "Tr0ub4dor&3",
        ] {
            let got = id(stored);
            assert_eq!(got.scheme, "unknown", "{stored}");
            assert_eq!(got.verdict, Verdict::Plaintext, "{stored}");
            assert!(got.params.is_empty());
            assert!(got.needs_rehash);
            assert!(!got.reasons.iter().any(|r| r.contains(stored)));
        }
        for stored in [
            "",
            "$argon3$v=1$x",
            "$9$whatever",
            "{MD5}X03MO1qnZdYdgyfeuILPmQ==",
            "md5$salt$0123456789abcdef0123456789abcdef",
            "sha1$salt$0123456789abcdef0123456789abcdef01234567",
            "5f4dcc3b5aa765d61d8327deb882cf99",
            "line\nbreak",
            &"x".repeat(129),
        ] {
            let got = id(stored);
            assert_eq!(got.scheme, "unknown", "{stored}");
            assert_eq!(got.verdict, Verdict::Malformed, "{stored}");
            assert_eq!(got.reasons.len(), 1);
        }
        assert_eq!(id(&"x".repeat(128)).verdict, Verdict::Plaintext);
    }

    #[test]
    fn verdict_names() {
        let all = [
            Verdict::Strong,
            Verdict::Weak,
            Verdict::Legacy,
            Verdict::Plaintext,
            Verdict::Malformed,
        ];
        let names: Vec<&str> = all.iter().map(|v| v.as_str()).collect();
        assert_eq!(
            names,
            ["strong", "weak", "legacy", "plaintext", "malformed"]
        );
        assert_eq!(Verdict::Weak.to_string(), "weak");
    }
}
