//! Property tests (proptest) of the hashing API, as a web app links it.
//!
//! - Round trips: for every scheme credman writes, any password verifies against its own hash
//!   and not against a one-byte change of itself.
//! - Parse → print → parse: a hash string printed from generated parameters, salt and tag is
//!   identified as its scheme with exactly those parameters, and without running a KDF.
//! - Robustness: no string, however broken, makes `identify`, `scheme`, `needs_rehash` or
//!   `verify_password` panic, and a string `identify` calls malformed never reaches a KDF.
//!
//! The case counts are sized for a debug build: argon2id runs at m=64, t=1; the Werkzeug and
//! bcrypt schemes are written at their owners' fixed costs (scrypt N=2^15, a million PBKDF2
//! rounds, bcrypt cost 12), so they get a handful of cases each.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use credman::hashing::{
    Argon2Params, Caps, Check, Identified, NewScheme, Verdict, hash_password_as, identify,
    kdf_calls, needs_rehash, scheme, verify_password,
};
use credman::{Password, Policy};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

/// Low argon2id parameters, so that a case costs a millisecond.
const LOW: Argon2Params = Argon2Params { m: 64, t: 1, p: 1 };

/// bcrypt's longest password; credman refuses to write a hash for a longer one.
const BCRYPT_MAX: usize = 72;

/// Runs `f` and returns its result with the number of KDF runs it made on this thread.
fn counting<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = kdf_calls();
    let value = f();
    (value, kdf_calls() - before)
}

fn lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The parameters of an identified hash, as `name=value` pairs, for comparing and printing.
fn params_of(got: &Identified) -> Vec<(String, String)> {
    got.params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn pairs(list: &[(&str, String)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// `cases` cases, and no `*.proptest-regressions` file: a failure found here becomes a plain
/// `#[test]` at the end of this file, named for what it guards.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Round trips

/// A one-byte change to a password: a byte replaced at a chosen position, or one appended.
/// What the numbers mean depends on the alphabet the scheme accepts (see the `changed_*`
/// functions); every change yields a different password the scheme can still take.
#[derive(Debug, Clone)]
enum Change {
    Replace { at: Index, delta: u8 },
    Append(u8),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (any::<Index>(), 1u8..=254).prop_map(|(at, delta)| Change::Replace { at, delta }),
        any::<u8>().prop_map(Change::Append),
    ]
}

/// Any bytes (argon2id takes them all). An empty password can only be appended to.
fn changed_bytes(password: &[u8], change: &Change) -> Vec<u8> {
    let mut out = password.to_vec();
    match *change {
        Change::Replace { ref at, delta } if !out.is_empty() => {
            let i = at.index(out.len());
            out[i] ^= delta;
        }
        Change::Replace { delta, .. } => out.push(delta),
        Change::Append(byte) => out.push(byte),
    }
    out
}

/// UTF-8 (Werkzeug takes a `str`): an ASCII character becomes another ASCII character, or an
/// ASCII character is appended; a password without ASCII characters is appended to.
fn changed_text(password: &str, change: &Change) -> String {
    let mut out = password.as_bytes().to_vec();
    let ascii: Vec<usize> = (0..out.len()).filter(|&i| out[i].is_ascii()).collect();
    match *change {
        Change::Replace { ref at, delta } if !ascii.is_empty() => {
            let i = ascii[at.index(ascii.len())];
            out[i] ^= (delta & 0x7f).max(1);
        }
        Change::Replace { delta, .. } => out.push(delta & 0x7f),
        Change::Append(byte) => out.push(byte & 0x7f),
    }
    String::from_utf8(out).expect("an ASCII byte for an ASCII byte keeps UTF-8")
}

/// 1 to 72 bytes without NUL (what credman writes bcrypt for). Past 72 bytes bcrypt ignores the
/// rest, as every bcrypt does, so a 72-byte password is changed in place rather than appended to.
fn changed_bcrypt(password: &[u8], change: &Change) -> Vec<u8> {
    // Maps a byte in 1..=255 to another byte in 1..=255.
    let other = |b: u8, delta: u8| ((u16::from(b) - 1 + u16::from(delta)) % 255 + 1) as u8;
    let mut out = password.to_vec();
    match *change {
        Change::Append(byte) if out.len() < BCRYPT_MAX => out.push(byte.max(1)),
        Change::Append(byte) => out[0] = other(out[0], byte % 254 + 1),
        Change::Replace { ref at, delta } => {
            let i = at.index(out.len());
            out[i] = other(out[i], delta);
        }
    }
    out
}

/// Hashes `password` in `scheme` and checks the round trip: the password matches, `wrong` (a
/// one-byte change of it) does not, and the hash names the expected scheme.
fn round_trip(
    scheme_wanted: NewScheme,
    name: &str,
    password: &[u8],
    wrong: &[u8],
) -> Result<(), TestCaseError> {
    prop_assert_ne!(password, wrong, "the change left the password as it was");
    let caps = Caps::default();
    let stored = hash_password_as(&Password::from(password), scheme_wanted, &LOW)
        .map_err(|e| TestCaseError::fail(format!("{scheme_wanted:?} refused to hash: {e}")))?;
    prop_assert_eq!(scheme(&stored), name, "{}", stored);
    prop_assert_eq!(
        verify_password(&Password::from(password), &stored, &caps),
        Check::Match,
        "{:?}: the password does not verify against its own hash {}",
        scheme_wanted,
        stored
    );
    prop_assert_eq!(
        verify_password(&Password::from(wrong), &stored, &caps),
        Check::Mismatch,
        "{:?}: a one-byte change verifies against {}",
        scheme_wanted,
        stored
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    /// Any bytes up to the policy's byte limit, NUL and invalid UTF-8 included.
    #[test]
    fn argon2id_round_trips_any_password(
        password in vec(any::<u8>(), 0..=Policy::default().max_bytes),
        change in change(),
    ) {
        let wrong = changed_bytes(&password, &change);
        round_trip(NewScheme::Argon2id, "argon2id", &password, &wrong)?;
    }
}

/// Any UTF-8 text, NUL and non-ASCII included (Werkzeug takes a `str`).
fn text() -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..48).prop_map(String::from_iter)
}

proptest! {
    #![proptest_config(config(8))]

    #[test]
    fn werkzeug_scrypt_round_trips_any_text(password in text(), change in change()) {
        let wrong = changed_text(&password, &change);
        round_trip(
            NewScheme::WerkzeugScrypt,
            "werkzeug-scrypt",
            password.as_bytes(),
            wrong.as_bytes(),
        )?;
    }
}

proptest! {
    // A million PBKDF2 rounds, three times a case.
    #![proptest_config(config(3))]

    #[test]
    fn werkzeug_pbkdf2_round_trips_any_text(password in text(), change in change()) {
        let wrong = changed_text(&password, &change);
        round_trip(
            NewScheme::WerkzeugPbkdf2,
            "werkzeug-pbkdf2-sha256",
            password.as_bytes(),
            wrong.as_bytes(),
        )?;
    }
}

proptest! {
    // bcrypt cost 12: a quarter of a second a run, three runs a case.
    #![proptest_config(config(6))]

    #[test]
    fn bcrypt_round_trips_any_password_it_accepts(
        password in vec(1u8..=255, 1..=BCRYPT_MAX),
        change in change(),
    ) {
        let wrong = changed_bcrypt(&password, &change);
        round_trip(NewScheme::Bcrypt, "bcrypt", &password, &wrong)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Parse → print → parse

/// argon2 parameters within [`Caps::default`] and argon2's own rules (t, p ≥ 1; m ≥ 8p).
fn argon2_params() -> impl Strategy<Value = Argon2Params> {
    let caps = Caps::default();
    (1..=caps.argon2_p).prop_flat_map(move |p| {
        (8 * p..=caps.argon2_m, 1..=caps.argon2_t).prop_map(move |(m, t)| Argon2Params { m, t, p })
    })
}

/// Werkzeug's salt alphabet, at lengths around its 16.
fn werkzeug_salt() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{1,32}"
}

/// scrypt (N, r, p) within [`Caps::default`] (128·N·r·p ≤ 2 GiB) and scrypt's rules
/// (N a power of two above 1, N < 2^(16r)).
fn scrypt_params() -> impl Strategy<Value = (u64, u64, u64)> {
    let cap = Caps::default().scrypt_bytes;
    (1u32..=24)
        .prop_flat_map(move |log_n| {
            let budget = cap / (128 << log_n); // the most r·p can be
            (Just(log_n), 1..=budget.min(64))
        })
        .prop_flat_map(move |(log_n, r)| {
            let budget = cap / (128 << log_n) / r;
            (Just(1u64 << log_n), Just(r), 1..=budget.min(64))
        })
        .prop_filter("scrypt needs N < 2^(16r)", |&(n, r, _)| {
            u64::from(n.trailing_zeros()) < 16 * r
        })
}

/// Identifies `stored` (printed from known parts) and checks that it reads back as `name` with
/// exactly `want` as its parameters, with no KDF run.
fn reads_back(
    stored: &str,
    name: &str,
    want: &[(&str, String)],
    policy: &Argon2Params,
) -> Result<Identified, TestCaseError> {
    let (got, kdfs) = counting(|| identify(stored, policy, &Caps::default()));
    prop_assert_eq!(kdfs, 0, "identify ran a KDF on {}", stored);
    prop_assert_eq!(got.scheme, name, "{}", stored);
    prop_assert_eq!(scheme(stored), name, "{}", stored);
    prop_assert_ne!(
        got.verdict,
        Verdict::Malformed,
        "{} judged malformed: {:?}",
        stored,
        got.reasons
    );
    prop_assert_eq!(params_of(&got), pairs(want), "{}", stored);
    Ok(got)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn printed_argon2id_reads_back(
        params in argon2_params(),
        salt in vec(any::<u8>(), 8..=48),
        tag in vec(any::<u8>(), 10..=64),
    ) {
        let Argon2Params { m, t, p } = params;
        let stored = format!(
            "$argon2id$v=19$m={m},t={t},p={p}${}${}",
            STANDARD_NO_PAD.encode(&salt),
            STANDARD_NO_PAD.encode(&tag),
        );
        let want = [
            ("v", "19".to_owned()),
            ("m", m.to_string()),
            ("t", t.to_string()),
            ("p", p.to_string()),
        ];
        let got = reads_back(&stored, "argon2id", &want, &params)?;
        // At its own parameters a hash is current exactly when its salt and tag have the
        // lengths credman writes (16 and 32 bytes); identify and needs_rehash agree.
        let current = salt.len() >= 16 && tag.len() == 32;
        prop_assert_eq!(needs_rehash(&stored, &params), !current, "{}", stored);
        prop_assert_eq!(got.needs_rehash, !current, "{}", stored);

        // Django's wrapper around the same string reads the same parameters. (Whether it needs
        // a rehash is where identify and needs_rehash disagree: see
        // `django_argon2_at_the_policy_needs_the_same_rehash_answer_from_identify`.)
        let django = format!("argon2{stored}");
        reads_back(&django, "django-argon2", &want, &params)?;
    }

    #[test]
    fn printed_werkzeug_pbkdf2_reads_back(
        digest in prop::sample::select(vec![("sha1", 20), ("sha256", 32), ("sha512", 64)]),
        iterations in 1..=Caps::default().pbkdf2_iterations,
        salt in werkzeug_salt(),
        digest_bytes in vec(any::<u8>(), 64),
    ) {
        let (name, len) = digest;
        let stored = format!(
            "pbkdf2:{name}:{iterations}${salt}${}",
            lower_hex(&digest_bytes[..len])
        );
        let want = [("digest", name.to_owned()), ("iterations", iterations.to_string())];
        let got = reads_back(&stored, &format!("werkzeug-pbkdf2-{name}"), &want, &LOW)?;
        prop_assert!(got.needs_rehash, "{} is not argon2id", stored);
    }

    #[test]
    fn printed_werkzeug_scrypt_reads_back(
        (n, r, p) in scrypt_params(),
        salt in werkzeug_salt(),
        digest in vec(any::<u8>(), 64),
    ) {
        let stored = format!("scrypt:{n}:{r}:{p}${salt}${}", lower_hex(&digest));
        let want = [("N", n.to_string()), ("r", r.to_string()), ("p", p.to_string())];
        let got = reads_back(&stored, "werkzeug-scrypt", &want, &LOW)?;
        prop_assert!(got.needs_rehash, "{} is not argon2id", stored);
    }
}

// ---------------------------------------------------------------------------------------------
// Robustness

/// Starts of every format credman knows, so that broken strings reach each parser.
const PREFIXES: &[&str] = &[
    "",
    "$argon2id$",
    "$argon2id$v=19$m=",
    "$argon2i$v=16$",
    "$argon2d$",
    "argon2$argon2id$v=19$",
    "pbkdf2:sha256:",
    "pbkdf2:sha1:",
    "pbkdf2$",
    "scrypt:",
    "scrypt$",
    "sha256$",
    "plain$",
    "pbkdf2_sha256$",
    "bcrypt_sha256$$2b$",
    "$pbkdf2-sha256$",
    "$scrypt$ln=",
    "$2b$",
    "$2y$",
    "$2a$04$",
    "$1$",
    "$apr1$",
    "$5$rounds=",
    "$6$",
    "{SHA}",
    "{SSHA}",
];

/// Strings made of the characters hash formats are built from, behind a known prefix.
fn hashlike() -> impl Strategy<Value = String> {
    (prop::sample::select(PREFIXES), "[$:,=0-9A-Za-z+/.]{0,120}")
        .prop_map(|(prefix, rest)| format!("{prefix}{rest}"))
}

/// Caps so low that no verify below can cost more than a few milliseconds, whatever string it
/// is given.
const TINY: Caps = Caps {
    argon2_m: 256,
    argon2_t: 2,
    argon2_p: 2,
    scrypt_bytes: 1 << 20,
    pbkdf2_iterations: 1000,
    bcrypt_cost: 5,
};

/// Runs every public reader on `stored` (a panic fails the case), and checks that a string
/// `identify` calls malformed is refused by `verify_password` without a KDF run, and that
/// `identify` and `needs_rehash` agree.
fn never_panics(stored: &str, caps: &Caps) -> Result<(), TestCaseError> {
    let policy = Argon2Params::default();
    let (got, kdfs) = counting(|| identify(stored, &policy, caps));
    prop_assert_eq!(kdfs, 0, "identify ran a KDF on {:?}", stored);
    let _ = scheme(stored);
    prop_assert_eq!(
        got.needs_rehash,
        needs_rehash(stored, &policy),
        "identify and needs_rehash disagree on {:?}",
        stored
    );
    if got.verdict == Verdict::Malformed {
        let (check, kdfs) = counting(|| verify_password(&Password::from("pw"), stored, caps));
        prop_assert!(
            matches!(check, Check::Unusable(_)),
            "{:?} is malformed ({:?}) but verify says {:?}",
            stored,
            got.reasons,
            check
        );
        prop_assert_eq!(kdfs, 0, "verify ran a KDF on malformed {:?}", stored);
    } else {
        let _ = verify_password(&Password::from("pw"), stored, caps);
    }
    Ok(())
}

/// A valid hash string of one of the generated shapes, then broken by one edit.
fn edited_hash() -> impl Strategy<Value = String> {
    let valid =
        prop_oneof![
            (
                argon2_params(),
                vec(any::<u8>(), 8..=48),
                vec(any::<u8>(), 10..=64)
            )
                .prop_map(|(Argon2Params { m, t, p }, salt, tag)| format!(
                    "$argon2id$v=19$m={m},t={t},p={p}${}${}",
                    STANDARD_NO_PAD.encode(salt),
                    STANDARD_NO_PAD.encode(tag)
                )),
            (1u64..=2000, werkzeug_salt(), vec(any::<u8>(), 32))
                .prop_map(|(i, salt, d)| format!("pbkdf2:sha256:{i}${salt}${}", lower_hex(&d))),
            (1u32..=14, werkzeug_salt(), vec(any::<u8>(), 64)).prop_map(
                |(log_n, salt, d)| format!("scrypt:{}:1:1${salt}${}", 1u64 << log_n, lower_hex(&d))
            ),
        ];
    (valid, any::<Index>(), "[$:,=0-9a-z+/.]?", any::<bool>()).prop_map(
        |(stored, at, insert, delete)| {
            let mut chars: Vec<char> = stored.chars().collect();
            let i = at.index(chars.len());
            if delete {
                chars.remove(i);
            }
            chars.splice(i..i, insert.chars());
            chars.into_iter().collect()
        },
    )
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn any_string_is_read_without_panic(stored in any::<String>()) {
        never_panics(&stored, &Caps::default())?;
    }

    #[test]
    fn any_hash_like_string_is_read_without_panic(stored in hashlike()) {
        never_panics(&stored, &Caps::default())?;
    }

    /// One edit away from a valid hash, where parsers are most likely to slip. These strings
    /// are often still valid, so they are verified under [`TINY`] caps to keep the KDF cheap.
    #[test]
    fn an_edited_hash_is_read_without_panic(stored in edited_hash()) {
        never_panics(&stored, &TINY)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions found by the properties above

/// Found by `printed_argon2id_reads_back`: a Django-wrapped argon2id hash
/// (`argon2$argon2id$...`) at exactly the policy's parameters, with a 16-byte salt and a 32-byte
/// tag. `identify` (and so `hash identify` and `audit`) said it needed no rehash, while
/// `needs_rehash`, which the verify path asks, said it did: the two must give one answer (it
/// does need one: only credman's own PHC string is current).
#[test]
fn django_argon2_at_the_policy_needs_the_same_rehash_answer_from_identify() {
    let policy = Argon2Params::default();
    let stored = format!(
        "argon2$argon2id$v=19$m={},t={},p={}${}${}",
        policy.m,
        policy.t,
        policy.p,
        STANDARD_NO_PAD.encode([0u8; 16]),
        STANDARD_NO_PAD.encode([0u8; 32]),
    );
    let got = identify(&stored, &policy, &Caps::default());
    assert_eq!(got.scheme, "django-argon2");
    assert_eq!(
        got.needs_rehash,
        needs_rehash(&stored, &policy),
        "identify and needs_rehash disagree on {stored}"
    );
}
