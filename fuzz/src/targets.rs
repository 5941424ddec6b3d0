//! The bodies of credman's fuzz targets: plain functions of arbitrary bytes, with no libFuzzer
//! in them, so one copy of each runs in two places:
//!
//! - under libFuzzer, by hand on nightly: `cargo +nightly fuzz run <target>` builds the thin
//!   binaries in fuzz/fuzz_targets/, which call these;
//! - in `cargo test` on stable: tests/fuzz_corpus.rs includes this file as a module and replays
//!   the committed seeds (fuzz/corpus/), the pinned crashes (fuzz/regressions/) and a few
//!   thousand mutations of them.
//!
//! A target fails by panicking. Besides "no input makes the library panic", each one asserts
//! promises the library makes in its docs: they are listed on each function.

use std::borrow::Cow;
use std::collections::BTreeMap;

use credman::hashing::{self, Argon2Params, Caps, Check, Identified, Verdict};
use credman::import::{self, Format, Item};
use credman::policy::{self, Policy, Setting};
use credman::{Error, Password};

/// Caps low enough that any hash string the `verify` target is given costs a few milliseconds
/// at most, so a libFuzzer run makes thousands of executions a second instead of stalling on a
/// 2 GiB argon2 hash. Whatever a string asks for above these must be refused before any KDF
/// runs, which is one of the properties the target checks.
pub const LOW_CAPS: Caps = Caps {
    argon2_m: 256,
    argon2_t: 2,
    argon2_p: 2,
    scrypt_bytes: 1 << 20,
    pbkdf2_iterations: 2000,
    bcrypt_cost: 5,
};

/// No caps at all: `identify` under these reads the parameters a string asks for, to judge
/// whether they are over [`LOW_CAPS`] independently of the code under test. Only `identify` is
/// ever run with these (it parses, it never allocates or iterates by a parameter).
const NO_CAPS: Caps = Caps {
    argon2_m: u32::MAX,
    argon2_t: u32::MAX,
    argon2_p: u32::MAX,
    scrypt_bytes: u64::MAX,
    pbkdf2_iterations: u64::MAX,
    bcrypt_cost: u32::MAX,
};

/// Runs `f` and returns its result with the number of KDF runs it made on this thread.
fn counting<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = hashing::kdf_calls();
    let value = f();
    (value, hashing::kdf_calls() - before)
}

// ---------------------------------------------------------------------------------------------
// identify

/// Any bytes (as text: the string itself when it is UTF-8, its lossy conversion when not)
/// through `hashing::identify`, `scheme` and `needs_rehash`, at the default policy and caps:
///
/// - `identify` runs no KDF, and names the scheme `scheme` names;
/// - `identify` and `needs_rehash` give one answer (tests/properties.rs states the same);
/// - only a current argon2id hash at the policy's parameters needs no rehash;
/// - a strong verdict has no reasons, every other verdict has at least one; a malformed or
///   unrecognised string has no parameters, and every parameter is a number (or a digest name);
/// - no reason quotes the salt or tag of the string (see [`secret_parts`]);
/// - a string `identify` calls malformed or does not recognise is refused by `verify_password`,
///   without a KDF run.
pub fn identify(data: &[u8]) {
    check_identify(&String::from_utf8_lossy(data));
}

fn check_identify(stored: &str) {
    let policy = Argon2Params::default();
    let caps = Caps::default();
    let (got, kdfs) = counting(|| hashing::identify(stored, &policy, &caps));
    assert_eq!(kdfs, 0, "identify ran a KDF on {stored:?}");
    assert_eq!(got.scheme, hashing::scheme(stored), "{stored:?}");
    assert_eq!(
        got.needs_rehash,
        hashing::needs_rehash(stored, &policy),
        "identify and needs_rehash disagree on {stored:?}"
    );
    check_judgement(stored, &got);
    if !got.needs_rehash {
        let want = [
            ("v", "19".to_owned()),
            ("m", policy.m.to_string()),
            ("t", policy.t.to_string()),
            ("p", policy.p.to_string()),
        ];
        assert_eq!(got.scheme, "argon2id", "{stored:?} needs no rehash");
        assert_eq!(got.params, want, "{stored:?} needs no rehash");
    }
    if got.verdict == Verdict::Malformed || got.scheme == "unknown" {
        let (check, kdfs) =
            counting(|| hashing::verify_password(&Password::from("password"), stored, &caps));
        assert!(
            matches!(check, Check::Unusable(_)),
            "{stored:?} is {} ({:?}) but verify says {check:?}",
            got.verdict,
            got.reasons
        );
        assert_eq!(kdfs, 0, "verify ran a KDF on {} {stored:?}", got.verdict);
    }
}

/// What holds of every [`Identified`], whatever the string and the caps.
fn check_judgement(stored: &str, got: &Identified) {
    match got.verdict {
        Verdict::Strong => assert!(got.reasons.is_empty(), "{stored:?}: {got:?}"),
        _ => assert!(!got.reasons.is_empty(), "{stored:?}: {got:?}"),
    }
    if got.verdict == Verdict::Malformed || got.scheme == "unknown" {
        assert!(got.params.is_empty(), "{stored:?}: {got:?}");
    }
    if got.scheme == "unknown" {
        assert!(
            matches!(got.verdict, Verdict::Plaintext | Verdict::Malformed),
            "{stored:?}: {got:?}"
        );
    }
    for (name, value) in &got.params {
        let number = value.parse::<u64>().is_ok();
        let digest = *name == "digest" && ["sha1", "sha256", "sha512"].contains(&value.as_str());
        assert!(number || digest, "{stored:?}: parameter {name}={value:?}");
    }
    assert_quotes_nothing(stored, got.reasons.iter().map(String::as_str));
}

/// The parts of a stored string that may be its salt or tag: each `$`-separated field (the
/// whole string when there is no `$`) of at least 20 characters that is not a parameter list
/// (`=`, `:`, `,`), not a number and not words (white space).
///
/// The length and the exclusions keep this check free of false alarms: parameters and numbers
/// are quoted on purpose ("PBKDF2 iterations 5000000 is over the cap"), and every fixed text of
/// 20 characters or more in a reason has a space in it, so a field that a reason contains was
/// copied from the string.
fn secret_parts(stored: &str) -> Vec<&str> {
    let fields: Vec<&str> = if stored.contains('$') {
        stored.split('$').collect()
    } else {
        vec![stored]
    };
    fields
        .into_iter()
        .filter(|f| f.chars().count() >= 20)
        .filter(|f| !f.contains(|c: char| c.is_whitespace() || matches!(c, '=' | ':' | ',')))
        .filter(|f| !f.bytes().all(|b| b.is_ascii_digit()))
        .collect()
}

/// No reason contains one of the string's [`secret_parts`], nor the whole string when it is at
/// least 20 characters with no white space (as for the parts: libFuzzer soon learns to write a
/// string that *is* a reason's words).
fn assert_quotes_nothing<'a>(stored: &str, reasons: impl IntoIterator<Item = &'a str>) {
    let parts = secret_parts(stored);
    let whole = stored.chars().count() >= 20 && !stored.contains(char::is_whitespace);
    for reason in reasons {
        assert!(
            !whole || !reason.contains(stored),
            "a reason quotes the whole string {stored:?}: {reason:?}"
        );
        for part in &parts {
            assert!(
                !reason.contains(part),
                "a reason quotes {part:?} of {stored:?}: {reason:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// verify

/// `verify_password` under [`LOW_CAPS`]. The first byte is the password's length (cut to what
/// there is), the password follows, and the rest is the stored string (lossy UTF-8).
///
/// - `verify_password` never panics, and its refusal never quotes the string's salt or tag;
/// - it agrees with `identify` under the same caps: a string `identify` calls malformed (over a
///   cap included) or does not recognise is refused with no KDF run; any other string is
///   checked (match or mismatch) with exactly one KDF run (none for Werkzeug's `plain$`, which
///   compares the password itself);
/// - a string whose parameters, as read without caps, are over [`LOW_CAPS`] is refused without
///   a KDF run, whatever `identify` says: the caps are enforced before any KDF.
pub fn verify(data: &[u8]) {
    let Some((&len, rest)) = data.split_first() else {
        return;
    };
    let (password, stored) = rest.split_at(usize::from(len).min(rest.len()));
    check_verify(&Password::from(password), &String::from_utf8_lossy(stored));
}

fn check_verify(password: &Password, stored: &str) {
    let policy = Argon2Params::default();
    let (capped, kdfs) = counting(|| hashing::identify(stored, &policy, &LOW_CAPS));
    assert_eq!(kdfs, 0, "identify ran a KDF on {stored:?}");
    check_judgement(stored, &capped);
    let asked = hashing::identify(stored, &policy, &NO_CAPS);

    let (check, kdfs) = counting(|| hashing::verify_password(password, stored, &LOW_CAPS));
    if let Check::Unusable(reason) = &check {
        assert_quotes_nothing(stored, [reason.as_str()]);
    }
    if over_caps(&asked, &LOW_CAPS) {
        assert!(
            matches!(check, Check::Unusable(_)) && kdfs == 0,
            "{stored:?} asks for {:?}, over the caps, but verify says {check:?} after {kdfs} KDF \
             runs",
            asked.params
        );
        assert_eq!(
            capped.verdict,
            Verdict::Malformed,
            "{stored:?} is over the caps"
        );
    }
    if capped.verdict == Verdict::Malformed || capped.scheme == "unknown" {
        assert!(
            matches!(check, Check::Unusable(_)),
            "identify says {} {} ({:?}) but verify says {check:?} for {stored:?}",
            capped.scheme,
            capped.verdict,
            capped.reasons
        );
        assert_eq!(kdfs, 0, "verify ran a KDF on {} {stored:?}", capped.verdict);
    } else {
        assert!(
            matches!(check, Check::Match | Check::Mismatch),
            "identify says {} {} but verify refuses {stored:?}: {check:?}",
            capped.scheme,
            capped.verdict
        );
        let want = if capped.scheme == "werkzeug-plain" {
            0
        } else {
            1
        };
        assert_eq!(kdfs, want, "KDF runs for {} {stored:?}", capped.scheme);
    }
}

/// Whether the parameters `identify` read (without caps) are over `caps`, judged here from the
/// parameter names and values alone, the way `Caps` documents each bound.
fn over_caps(asked: &Identified, caps: &Caps) -> bool {
    let get = |name: &str| {
        asked
            .params
            .iter()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.parse::<u128>().ok())
    };
    if let (Some(m), Some(t), Some(p)) = (get("m"), get("t"), get("p")) {
        return m > caps.argon2_m.into() || t > caps.argon2_t.into() || p > caps.argon2_p.into();
    }
    if let (Some(n), Some(r), Some(p)) = (get("N"), get("r"), get("p")) {
        // 128·N·r bytes of memory, and p passes over it (both are held to the same bound).
        let memory = n.saturating_mul(r).saturating_mul(128);
        let cap = u128::from(caps.scrypt_bytes);
        return memory > cap || memory.saturating_mul(p) > cap;
    }
    // PBKDF2 iterations, and sha-crypt rounds, which share the PBKDF2 cap.
    let iterations = get("iterations").or_else(|| get("rounds"));
    iterations.is_some_and(|i| i > caps.pbkdf2_iterations.into())
        || get("cost").is_some_and(|c| c > caps.bcrypt_cost.into())
}

// ---------------------------------------------------------------------------------------------
// import_line

/// Every reason `credman::import` gives for a bad line, numbers written `#` (both sides are
/// compared with their runs of digits as one `#`). The API never
/// quotes a line (a misplaced column may be a password), so a reason is one of these texts; a
/// new reason in src/import.rs that quotes nothing of the line goes here too.
const BAD_LINE_REASONS: &[&str] = &[
    "not a `user:hash` line",
    "no hash after the user name",
    "not a `user:hash:…` shadow line",
    "not valid JSON (column #)",
    "not a JSON object",
    "no \"user\" field (nor \"username\", \"name\")",
    "no \"hash\" field (nor \"password_hash\", \"password\")",
    "the user and the hash must be JSON strings",
    "not valid CSV",
    "not UTF-8 text",
    "fewer than two columns (user, hash)",
    "longer than # bytes",
];

/// Each line of the input through `import::parse_line` in every format, and the whole input
/// through `import::read` in every format (CSV and JSON Lines records may span lines):
///
/// - a bad line's reason is one of [`BAD_LINE_REASONS`]: it never carries the line's text;
/// - line numbers count from 1, stay within the input, and increase from item to item;
/// - every item fits its format (a user except in `lines`, a non-empty hash, `NoHash` and
///   locked accounts only from `shadow`), and `parse_line` skips only blank lines and comments;
/// - for the line-based formats, `read` gives exactly what `parse_line` gives line by line;
/// - `read` stops when its callback says so.
pub fn import_line(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    // The lines as `read` numbers them (it splits at `\n`; parse_line drops a trailing `\r`).
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line_count = lines.len() as u64;
    for format in Format::ALL {
        for (number, line) in (1..).zip(&lines) {
            match import::parse_line(format, number, line) {
                Some(item) => check_item(format, &item, number..=number),
                None if format == Format::Csv => {}
                None => {
                    let line = line.trim_end_matches(['\n', '\r']);
                    assert!(
                        line.trim().is_empty() || line.starts_with('#'),
                        "{format:?}: line {number} {line:?} was skipped"
                    );
                }
            }
        }

        let mut items = Vec::new();
        import::read(data, format, |item| {
            items.push(item);
            true
        })
        .expect("reading from a slice cannot fail");
        let mut previous = 0;
        for item in &items {
            check_item(format, item, 1..=line_count.max(1));
            let number = item.line();
            // One item a line, but a CSV line may hold several records (a lone `\r` ends a
            // record, and only `\n` a line).
            assert!(
                number > previous || (format == Format::Csv && number == previous),
                "{format:?}: line {number} after line {previous}"
            );
            previous = number;
            check_item_is_on_its_line(format, item, lines[number as usize - 1]);
        }
        if format != Format::Csv && data.len() <= import::MAX_LINE {
            assert_eq!(
                items,
                line_by_line(data, format),
                "{format:?}: read and parse_line disagree"
            );
        }

        let mut calls = 0;
        import::read(data, format, |_| {
            calls += 1;
            false
        })
        .expect("reading from a slice cannot fail");
        assert_eq!(calls, items.len().min(1), "{format:?}: read did not stop");
    }
}

/// What `read` should make of an input of at most `MAX_LINE` bytes in a line-based format:
/// `parse_line` of each `\n`-ended line, a byte order mark dropped from the first, and a line
/// that is not UTF-8 reported as such.
fn line_by_line(data: &[u8], format: Format) -> Vec<Item> {
    let mut items = Vec::new();
    for (number, line) in (1..).zip(data.split_inclusive(|&b| b == b'\n')) {
        let line = match number {
            1 => line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line),
            _ => line,
        };
        let item = match std::str::from_utf8(line) {
            Ok(text) => import::parse_line(format, number, text),
            Err(_) => Some(Item::Bad(import::BadLine {
                line: number,
                reason: "not UTF-8 text".to_owned(),
            })),
        };
        items.extend(item);
    }
    items
}

fn check_item(format: Format, item: &Item, lines: std::ops::RangeInclusive<u64>) {
    let number = item.line();
    assert!(
        lines.contains(&number),
        "{format:?}: line {number} of {lines:?}"
    );
    match item {
        Item::Bad(bad) => {
            let shape = digits_as_hash(&bad.reason);
            assert!(
                BAD_LINE_REASONS.iter().any(|r| digits_as_hash(r) == shape),
                "{format:?}: line {number}: a reason not in BAD_LINE_REASONS (does it quote the \
                 line?): {:?}",
                bad.reason
            );
        }
        Item::Hash(entry) => {
            assert!(
                !entry.hash.is_empty(),
                "{format:?}: line {number}: empty hash"
            );
            assert_eq!(
                entry.user.is_none(),
                format == Format::Lines,
                "{format:?}: line {number}: {entry:?}"
            );
            assert!(
                !entry.locked || format == Format::Shadow,
                "{format:?}: line {number}: locked"
            );
        }
        Item::NoHash { .. } => {
            assert_eq!(format, Format::Shadow, "line {number}: {item:?}");
        }
    }
}

/// An item of `read` is numbered by the line it starts on: that line is not blank, and a user
/// name (one line, without quotes) is written on it.
fn check_item_is_on_its_line(format: Format, item: &Item, line: &str) {
    let number = item.line();
    assert!(
        !line.trim().is_empty(),
        "{format:?}: {item:?} is numbered by a blank line {number}"
    );
    let user = match item {
        Item::Hash(entry) => entry.user.as_deref(),
        Item::NoHash { user, .. } => Some(user.as_str()),
        Item::Bad(_) => None,
    };
    if let Some(user) = user
        && format != Format::Jsonl
        && !user.contains(['"', '\n', '\r', '\u{fffd}'])
    {
        // CSV drops the quotes around (and inside) a field: compare without them.
        assert!(
            line.replace('"', "").contains(user),
            "{format:?}: the user {user:?} is not on line {number}, {line:?}"
        );
    }
}

/// `text` with each run of ASCII digits replaced by one `#`.
fn digits_as_hash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_digits = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// config

/// Durations and policy settings, from the input as text (lossy UTF-8):
///
/// - `parse_duration` of the text and of its first line, and `format_duration` of the first 8
///   bytes read as seconds: where parsing succeeds, the seconds are not negative and
///   `parse_duration(format_duration(x)) == x`;
/// - for every settable key (`policy::SETTINGS`), with the text and its first line as the value:
///   `normalize` is idempotent (normalizing a normalized value gives it back), and
///   `Policy::from_settings` neither panics nor minds which of the two forms it is given (the
///   same policy, or a refusal for both; a refused value is refused by both);
/// - `key=value` lines taken together, as the settings table holds them, build the same policy
///   (or the same refusal) raw and normalized.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    // The whole text, and its first line when that is something else: each value is tried
    // against every key, twice through `from_settings`, so more values would cost more than
    // they find (the `key=value` lines below cover the rest of the text).
    let mut values = vec![text.as_ref()];
    if let Some(first) = text.lines().next()
        && first != text
    {
        values.push(first);
    }

    for value in &values {
        check_duration(value);
    }
    if let Some(bytes) = data.first_chunk::<8>() {
        let secs = i64::from_le_bytes(*bytes);
        let printed = policy::format_duration(secs);
        assert_eq!(
            policy::parse_duration(&printed),
            Ok(secs.max(0)),
            "{secs} printed as {printed:?}"
        );
    }

    for setting in policy::SETTINGS {
        assert!(policy::setting(setting.key).is_ok(), "{}", setting.key);
        for value in &values {
            check_setting(setting, value);
        }
    }

    check_settings_together(&text);
}

fn check_duration(text: &str) {
    let Ok(secs) = policy::parse_duration(text) else {
        return;
    };
    assert!(secs >= 0, "{text:?} parsed as {secs}");
    let printed = policy::format_duration(secs);
    assert_eq!(
        policy::parse_duration(&printed),
        Ok(secs),
        "{text:?} parsed as {secs}, printed as {printed:?}"
    );
}

fn check_setting(setting: &Setting, value: &str) {
    let key = setting.key;
    let raw = Policy::from_settings([(key, value)]);
    match setting.normalize(value) {
        Ok(normalized) => {
            assert_eq!(
                setting.normalize(&normalized).ok().as_deref(),
                Some(normalized.as_str()),
                "{key}: {value:?} normalized to {normalized:?}, which does not normalize to itself"
            );
            let from_normalized = Policy::from_settings([(key, normalized.as_str())]);
            same_policy(
                &raw,
                &from_normalized,
                &format!("{key} = {value:?} / {normalized:?}"),
            );
        }
        Err(e) => {
            assert!(matches!(e, Error::InvalidConfig(_)), "{key}: {e:?}");
            assert!(
                raw.is_err(),
                "{key}: {value:?} is refused but builds a policy"
            );
        }
    }
}

/// `key=value` lines (the last value of a key wins, as in `from_settings`), built into a policy
/// raw and normalized.
fn check_settings_together(text: &str) {
    let pairs: BTreeMap<&str, &str> = text.lines().filter_map(|l| l.split_once('=')).collect();
    let raw = Policy::from_settings(pairs.iter().map(|(k, v)| (*k, *v)));
    let mut normalized = Vec::new();
    for (key, value) in &pairs {
        match policy::setting(key) {
            // Unknown keys are ignored (a newer credman's settings).
            Err(_) => normalized.push((*key, Cow::Borrowed(*value))),
            Ok(setting) => match setting.normalize(value) {
                Ok(n) => normalized.push((*key, Cow::Owned(n))),
                Err(_) => {
                    assert!(
                        raw.is_err(),
                        "{key} = {value:?} is refused but builds a policy"
                    );
                    return;
                }
            },
        }
    }
    let from_normalized = Policy::from_settings(normalized.iter().map(|(k, v)| (*k, v.as_ref())));
    same_policy(&raw, &from_normalized, &format!("{pairs:?}"));
}

fn same_policy(raw: &credman::Result<Policy>, normalized: &credman::Result<Policy>, what: &str) {
    match (raw, normalized) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{what}: raw and normalized differ"),
        (Err(a), Err(b)) => {
            assert!(matches!(a, Error::InvalidConfig(_)), "{what}: {a:?}");
            assert!(matches!(b, Error::InvalidConfig(_)), "{what}: {b:?}");
        }
        _ => panic!("{what}: raw gives {raw:?}, normalized gives {normalized:?}"),
    }
}
