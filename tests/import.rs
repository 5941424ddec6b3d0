//! Import and file audit through the library, as a web app or a migration script would call
//! them: `import::read` turns an input into items, `Credman::importer` stores them, `Auditor`
//! judges them.
//!
//! The hashes are real: tests/data/hashes.jsonl holds what Werkzeug, Django, passlib, bcrypt,
//! argon2-cffi and htpasswd wrote, each with a password that does (`valid: true`) or does not
//! verify. A hash that is meant to verify always comes from there; the only hashes made up here
//! are tampered copies (over a cap, a foreign salt) and syntactically valid argon2id strings
//! for bulk imports, none of which is ever expected to verify.
//!
//! New hashes (the rehash on login) use a lowered argon2 cost (`m=64`, `t=1`) so the file runs
//! in seconds; the foreign hashes run at their own cost.

mod common;
use common::{Vector, vectors};

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use credman::hashing::{self, Verdict};
use credman::import::{self, BadLine, Format, Item};
use credman::{
    Auditor, Credman, Denial, Error, Event, ImportOptions, ImportReport, OpenMode, Password,
    Policy, SessionOptions,
};

/// A password the default policy accepts.
const GOOD: &str = "correct horse battery staple";

/// Not any vector's password, whatever the scheme truncates: the first byte already differs
/// from every vector password (none starts with a control character).
const WRONG: &str = "\u{1}not the password";

/// The valid vectors of one scheme, one per distinct hash.
fn valid_of(scheme: &str) -> Vec<Vector> {
    let mut seen = Vec::new();
    let found: Vec<Vector> = vectors()
        .into_iter()
        .filter(|v| v.scheme == scheme && v.valid)
        .filter(|v| {
            let new = !seen.contains(&v.hash);
            seen.push(v.hash.clone());
            new
        })
        .collect();
    assert!(!found.is_empty(), "no valid {scheme} vector");
    found
}

fn pw(s: &str) -> Password {
    Password::from(s)
}

/// A private in-memory database with the argon2 cost of new hashes lowered for speed.
fn fast_app() -> Credman {
    let app = Credman::open_in_memory().unwrap();
    lower_kdf(&app);
    app
}

fn lower_kdf(app: &Credman) {
    app.config_set("hash.argon2.m", "64").unwrap();
    app.config_set("hash.argon2.t", "1").unwrap();
}

fn options(source: &str) -> ImportOptions {
    ImportOptions {
        source: source.to_owned(),
        ..ImportOptions::default()
    }
}

/// Reads `input` in `format` and imports every item.
fn import(app: &Credman, options: ImportOptions, format: Format, input: &str) -> ImportReport {
    let mut importer = app.importer(options).unwrap();
    import::read(input.as_bytes(), format, |item| {
        importer.add(item).unwrap();
        true
    })
    .unwrap();
    importer.finish().unwrap()
}

fn items(format: Format, input: &str) -> Vec<Item> {
    let mut out = Vec::new();
    import::read(input.as_bytes(), format, |item| {
        out.push(item);
        true
    })
    .unwrap();
    out
}

fn user_count(app: &Credman) -> usize {
    let mut n = 0;
    app.for_each_user(false, |_| {
        n += 1;
        Ok::<(), Error>(())
    })
    .unwrap();
    n
}

fn all_events(app: &Credman) -> Vec<Event> {
    app.events(None, None, 1_000_000).unwrap()
}

fn events_of<'a>(events: &'a [Event], action: &str) -> Vec<&'a Event> {
    events.iter().filter(|e| e.action == action).collect()
}

fn bad_lines(report: &ImportReport) -> Vec<u64> {
    report.bad.iter().map(|b| b.line).collect()
}

// ---------------------------------------------------------------------------------------------
// The story: users from elsewhere log in with their old passwords and move to argon2id.
// ---------------------------------------------------------------------------------------------

/// One user per valid vector, every verifiable scheme (Werkzeug, Django, passlib, bcrypt,
/// argon2, crypt(3), apr1, {SHA}, {SSHA}): each is imported with the scheme its hash has, logs in
/// with the vector's password, and comes out with an argon2id hash at the current policy. A
/// wrong password (tried once per scheme, before the right one) changes nothing.
#[test]
fn every_verifiable_vector_imports_logs_in_and_moves_to_argon2id() {
    let dir = tempfile::tempdir().unwrap();
    let path: &Path = &dir.path().join("credman.db");
    let app = Credman::open(path, OpenMode::Create).unwrap();
    lower_kdf(&app);
    let users: Vec<(String, Vector)> = vectors()
        .into_iter()
        .filter(|v| v.valid && v.scheme != "werkzeug_legacy_plain")
        .enumerate()
        .map(|(i, v)| (format!("{}-{i}", v.scheme), v))
        .collect();
    let input: String = users
        .iter()
        .map(|(name, v)| format!("{name}:{}\n", v.hash))
        .collect();
    let report = import(&app, options("vectors.htpasswd"), Format::Htpasswd, &input);
    assert_eq!(
        report,
        ImportReport {
            added: users.len() as u64,
            committed: true,
            ..ImportReport::default()
        }
    );
    assert_eq!(user_count(&app), users.len());

    // The audit of the database built from the vectors: each verdict as often as identify
    // gives it, and every user a finding (none is argon2id at the policy's m=64).
    let policy = app.policy().unwrap();
    let mut want: BTreeMap<&str, u64> = BTreeMap::new();
    for (_, v) in &users {
        let id = hashing::identify(&v.hash, &policy.argon2, &policy.caps);
        *want.entry(id.verdict.as_str()).or_default() += 1;
    }
    let audit_summary = |app: &Credman| -> (BTreeMap<&'static str, u64>, usize) {
        let report = app.audit(None).unwrap();
        let summary = report
            .summary
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(v, n)| (v.as_str(), *n))
            .collect();
        (summary, report.findings.len())
    };
    assert_eq!(audit_summary(&app), (want, users.len()));

    // The first user of each scheme also gets a wrong password first.
    let mut schemes = std::collections::HashSet::new();
    let wrong_first: Vec<bool> = users
        .iter()
        .map(|(_, v)| schemes.insert(v.scheme.clone()))
        .collect();
    assert!(schemes.len() >= 25, "{schemes:?}");

    // The foreign KDFs run at their owners' cost (a million PBKDF2 rounds, bcrypt 12, ...):
    // one handle per core, each with every n-th user, as web workers would.
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    std::thread::scope(|scope| {
        for k in 0..threads {
            let (users, wrong_first) = (&users, &wrong_first);
            scope.spawn(move || {
                let app = Credman::open(path, OpenMode::Existing).unwrap();
                for (i, (name, v)) in users.iter().enumerate().skip(k).step_by(threads) {
                    login_moves_to_argon2id(&app, name, v, wrong_first[i]);
                }
            });
        }
    });

    // Every user has logged in once: every hash is argon2id at the policy, none needs a rehash.
    // (This test's policy, m=64 to keep it quick, is itself under OWASP's minimum, so the audit
    // calls them weak; at the default policy they are strong: tests/cli_import.rs shows that.)
    let report = app.audit(None).unwrap();
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.scheme == "argon2id" && !f.needs_rehash && f.verdict == Verdict::Weak),
        "{:?}",
        report.findings.first()
    );
    let all_current = BTreeMap::from([("weak", users.len() as u64)]);
    assert_eq!(audit_summary(&app), (all_current, users.len()));

    // The log: one `user.import` per user, one summary, an upgrade per user, and not one hash.
    let events = all_events(&app);
    assert_eq!(events_of(&events, "user.import").len(), users.len());
    let summary = events_of(&events, "import");
    assert_eq!(summary.len(), 1, "{summary:?}");
    assert!(
        summary[0].detail.contains("vectors.htpasswd")
            && summary[0]
                .detail
                .contains(&format!("{} added", users.len())),
        "{summary:?}"
    );
    assert_eq!(events_of(&events, "hash.upgrade").len(), users.len());
    for e in events_of(&events, "user.import") {
        let (_, v) = users
            .iter()
            .find(|(name, _)| Some(name) == e.user.as_ref())
            .expect("a user.import names an imported user");
        assert!(
            e.detail.contains(hashing::scheme(&v.hash)),
            "the detail names the scheme: {e:?}"
        );
    }
    assert_no_hash_in(&events, users.iter().map(|(_, v)| v.hash.as_str()));
}

/// `name`, imported with `v`'s hash, logs in with `v`'s password and comes out with an argon2id
/// hash of it; with `wrong_first`, a wrong password before that is denied and changes nothing.
#[track_caller]
fn login_moves_to_argon2id(app: &Credman, name: &str, v: &Vector, wrong_first: bool) {
    let before = app.user(name).unwrap();
    assert_eq!(before.scheme, hashing::scheme(&v.hash), "{name}");
    assert!(before.needs_rehash, "{name}: m=64 is the policy");
    assert!(!before.locked, "{name}");

    if wrong_first {
        let outcome = app.verify(name, &pw(WRONG)).unwrap();
        assert!(!outcome.valid && !outcome.rehashed, "{name}: {outcome:?}");
        assert_eq!(outcome.denial, Some(Denial::WrongPassword), "{name}");
        let after = app.user(name).unwrap();
        assert_eq!(
            after.scheme, before.scheme,
            "{name}: a wrong password rehashed"
        );
        assert_eq!(after.last_login_at, None, "{name}");
    }

    let outcome = app.verify(name, &pw(&v.password)).unwrap();
    assert!(
        outcome.valid && outcome.rehashed,
        "{name} ({}): {outcome:?}",
        v.scheme
    );
    let after = app.user(name).unwrap();
    assert_eq!(after.scheme, "argon2id", "{name}");
    assert!(!after.needs_rehash, "{name}");
    assert_eq!(after.failed_attempts, 0, "{name}");
    // The new hash holds the same password; the next login is a plain one.
    let again = app.verify(name, &pw(&v.password)).unwrap();
    assert!(again.valid && !again.rehashed, "{name}: {again:?}");
}

/// No event's detail or user holds any of `hashes`.
#[track_caller]
fn assert_no_hash_in<'a>(events: &[Event], hashes: impl IntoIterator<Item = &'a str>) {
    let hashes: Vec<&str> = hashes.into_iter().collect();
    for e in events {
        for hash in &hashes {
            assert!(
                !e.detail.contains(hash) && e.user.as_deref().is_none_or(|u| !u.contains(hash)),
                "an event holds a hash: {e:?}"
            );
        }
    }
}

/// The four file formats read the same users and hashes from the same vectors. (Shadow lines
/// are split at every colon, so a Werkzeug hash, which holds colons, cannot be in one: cut
/// short, it is refused as no hash at all, never imported as something else.)
#[test]
fn every_format_reads_the_same_users_and_hashes() {
    let picks: Vec<(String, String)> = [
        "django_pbkdf2_sha256",
        "bcrypt_2b_cost4",
        "htpasswd_apr1_md5",
        "htpasswd_sha512_crypt",
        "passlib_ldap_salted_sha1",
        "argon2cffi_argon2id_default",
    ]
    .iter()
    .enumerate()
    .map(|(i, s)| (format!("user{i}"), valid_of(s)[0].hash.clone()))
    .collect();
    let htpasswd: String = picks.iter().map(|(u, h)| format!("{u}:{h}\n")).collect();
    let shadow: String = picks
        .iter()
        .map(|(u, h)| format!("{u}:{h}:19700:0:99999:7:::\n"))
        .collect();
    let csv: String = std::iter::once("username,password_hash\n".to_owned())
        .chain(picks.iter().map(|(u, h)| format!("{u},\"{h}\"\n")))
        .collect();
    let jsonl: String = picks
        .iter()
        .map(|(u, h)| format!("{}\n", serde_json::json!({"user": u, "hash": h})))
        .collect();
    for (format, input) in [
        (Format::Htpasswd, &htpasswd),
        (Format::Shadow, &shadow),
        (Format::Csv, &csv),
        (Format::Jsonl, &jsonl),
    ] {
        let got: Vec<(String, String)> = items(format, input)
            .into_iter()
            .map(|item| match item {
                Item::Hash(e) => {
                    assert!(!e.locked);
                    (e.user.unwrap(), e.hash)
                }
                other => panic!("{format:?}: {other:?}"),
            })
            .collect();
        assert_eq!(got, picks, "{format:?}");
    }

    let werkzeug = &valid_of("werkzeug_scrypt_default")[0].hash;
    let app = fast_app();
    let report = import(
        &app,
        options("shadow"),
        Format::Shadow,
        &format!("flask:{werkzeug}:19700::::::\n"),
    );
    assert_eq!((report.added, bad_lines(&report)), (0, vec![1]));
}

// ---------------------------------------------------------------------------------------------
// Existing users, --update, sessions.
// ---------------------------------------------------------------------------------------------

/// Users that exist are skipped and keep their password and sessions; with `update`, their
/// hash is replaced and their sessions revoked; a hash that is already the stored one counts
/// as skipped even with `update`, and revokes nothing.
#[test]
fn existing_users_are_skipped_and_update_replaces_the_hash_and_revokes_sessions() {
    let app = fast_app();
    app.add_user("alice", &pw(GOOD), false).unwrap();
    let issued = app
        .create_session("alice", &SessionOptions::default())
        .unwrap();
    let token = issued.token.as_str().to_owned();
    let bcrypts = valid_of("bcrypt_2b_cost4");
    // Not GOOD, alice's password before the import.
    let (a, b) = (&bcrypts[2], &bcrypts[4]);
    assert!(a.password != GOOD && b.password != GOOD);
    let input = format!("alice:{}\nbob:{}\n", a.hash, b.hash);

    let report = import(&app, options("one.htpasswd"), Format::Htpasswd, &input);
    assert_eq!((report.added, report.updated, report.skipped), (1, 0, 1));
    assert!(report.committed && report.bad.is_empty());
    assert!(app.check_session(&token).unwrap().is_some());
    assert_eq!(app.user("alice").unwrap().scheme, "argon2id");

    let update = ImportOptions {
        update: true,
        ..options("two.htpasswd")
    };
    let report = import(&app, update.clone(), Format::Htpasswd, &input);
    // alice's hash replaced; bob's is the very one stored: skipped.
    assert_eq!((report.added, report.updated, report.skipped), (0, 1, 1));
    assert!(
        app.check_session(&token).unwrap().is_none(),
        "an updated user's sessions are revoked"
    );
    assert_eq!(app.user("alice").unwrap().scheme, "bcrypt");
    assert_eq!(app.user("alice").unwrap().active_sessions, 0);
    let events = all_events(&app);
    let alice: Vec<&Event> = events_of(&events, "user.import")
        .into_iter()
        .filter(|e| e.user.as_deref() == Some("alice"))
        .collect();
    assert_eq!(alice.len(), 1, "{alice:?}");
    assert!(
        alice[0].detail.contains("1 sessions revoked") && alice[0].detail.contains("two.htpasswd"),
        "{alice:?}"
    );

    // The same file again: nothing to replace.
    let before = all_events(&app).len();
    let report = import(&app, update, Format::Htpasswd, &input);
    assert_eq!((report.added, report.updated, report.skipped), (0, 0, 2));
    let events = all_events(&app);
    assert_eq!(events.len(), before + 1, "only the summary: {events:?}");
    assert_eq!(events.last().unwrap().action, "import");

    // alice now answers to the imported hash's password, not to her old one.
    assert!(!app.verify("alice", &pw(GOOD)).unwrap().valid);
    let outcome = app.verify("alice", &pw(&a.password)).unwrap();
    assert!(outcome.valid && outcome.rehashed, "{outcome:?}");
    assert!(app.verify("bob", &pw(&b.password)).unwrap().valid);
    assert_no_hash_in(&all_events(&app), [a.hash.as_str(), b.hash.as_str()]);
}

/// `atomic`: one bad line and nothing at all is written, not even an event; the report still
/// says what the good lines would have done. Without it, the good lines are in.
#[test]
fn an_atomic_import_with_a_bad_line_changes_nothing() {
    let app = fast_app();
    app.add_user("alice", &pw(GOOD), false).unwrap();
    let v = valid_of("django_scrypt");
    let input = format!(
        "alice:{}\nbob:{}\ncarol:no hash here\ndave:{}\n",
        v[0].hash, v[1].hash, v[2].hash
    );
    let (users, events) = (user_count(&app), all_events(&app));
    let atomic = ImportOptions {
        atomic: true,
        ..options("atomic.htpasswd")
    };
    let report = import(&app, atomic, Format::Htpasswd, &input);
    assert!(!report.committed);
    assert_eq!(bad_lines(&report), [3]);
    assert_eq!(
        (report.added, report.skipped),
        (2, 1),
        "what would have been"
    );
    assert_eq!(user_count(&app), users);
    assert_eq!(
        all_events(&app),
        events,
        "an atomic import that failed logs nothing"
    );
    assert!(!app.user_exists("bob").unwrap());

    let report = import(&app, options("again.htpasswd"), Format::Htpasswd, &input);
    assert!(report.committed);
    assert_eq!(bad_lines(&report), [3]);
    assert_eq!(user_count(&app), users + 2);
    assert!(app.user_exists("bob").unwrap() && app.user_exists("dave").unwrap());
    assert!(!app.user_exists("carol").unwrap());
}

/// A dry run, even with `update`, reports what it would do and changes nothing: no user, no
/// hash, no session, no event.
#[test]
fn a_dry_run_reports_the_counts_and_changes_nothing() {
    let app = fast_app();
    app.add_user("alice", &pw(GOOD), false).unwrap();
    let token = app
        .create_session("alice", &SessionOptions::default())
        .unwrap()
        .token
        .as_str()
        .to_owned();
    let v = valid_of("passlib_pbkdf2_sha256");
    let input = format!(
        "alice:{}\nbob:{}\n\n# a comment\nnot a line\ncarol:{}\n",
        v[0].hash, v[1].hash, v[2].hash
    );
    let (users, events) = (user_count(&app), all_events(&app));
    for update in [false, true] {
        let dry = ImportOptions {
            dry_run: true,
            update,
            ..options("dry.htpasswd")
        };
        let report = import(&app, dry, Format::Htpasswd, &input);
        let expected = ImportReport {
            added: 2,
            updated: u64::from(update),
            skipped: u64::from(!update),
            bad: vec![BadLine {
                line: 5,
                reason: "not a `user:hash` line".into(),
            }],
            committed: false,
            ..ImportReport::default()
        };
        assert_eq!(report, expected, "update: {update}");
        assert_eq!(user_count(&app), users);
        assert_eq!(all_events(&app), events);
        assert!(app.check_session(&token).unwrap().is_some());
        assert_eq!(app.user("alice").unwrap().scheme, "argon2id");
    }
    assert!(app.verify("alice", &pw(GOOD)).unwrap().valid);
}

/// A name given twice: the second is a bad line that names the first's line, and the first
/// one's hash is the one imported.
#[test]
fn a_name_given_twice_is_a_bad_line_naming_the_first() {
    let app = fast_app();
    let v = valid_of("bcrypt_2b_cost4");
    let input = format!(
        "bob:{}\nalice:{}\n\nbob:{}\n",
        v[0].hash, v[1].hash, v[2].hash
    );
    let report = import(&app, options("twice"), Format::Htpasswd, &input);
    assert_eq!(report.added, 2);
    assert_eq!(bad_lines(&report), [4]);
    assert!(
        report.bad[0].reason.contains("line 1"),
        "{:?}",
        report.bad[0]
    );
    assert!(app.verify("bob", &pw(&v[0].password)).unwrap().valid);
}

/// Shadow's `!` before a hash imports the user locked (the hash kept, so an unlock lets them
/// in); `*`, `!!` and an empty field are accounts without a password, counted, not imported.
#[test]
fn a_locked_shadow_account_is_imported_locked() {
    let app = fast_app();
    let sha512 = &valid_of("htpasswd_sha512_crypt")[0];
    let sha256 = &valid_of("passlib_sha256_crypt")[0];
    let input = format!(
        "root:!{}:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nnew:!!:19700::::::\n\
         nopw::19700::::::\nalice:{}:19700:0:99999:7:::\n",
        sha512.hash, sha256.hash
    );
    let report = import(&app, options("shadow"), Format::Shadow, &input);
    assert_eq!(
        (report.added, report.locked, report.no_hash),
        (2, 1, 3),
        "{report:?}"
    );
    assert!(report.bad.is_empty() && report.committed);
    assert_eq!(user_count(&app), 2);

    let root = app.user("root").unwrap();
    assert!(root.locked, "{root:?}");
    assert!(root.lock_reason.is_some(), "{root:?}");
    assert_eq!(root.scheme, "sha512-crypt");
    let outcome = app.verify("root", &pw(&sha512.password)).unwrap();
    assert!(!outcome.valid && !outcome.rehashed, "{outcome:?}");
    assert_eq!(outcome.denial, Some(Denial::Locked));
    assert!(!app.user("alice").unwrap().locked);
    assert!(app.verify("alice", &pw(&sha256.password)).unwrap().valid);

    app.unlock_user("root").unwrap();
    let outcome = app.verify("root", &pw(&sha512.password)).unwrap();
    assert!(outcome.valid && outcome.rehashed, "{outcome:?}");
}

/// What must never become a user: a password in the clear (Werkzeug's `plain$`, or a bare
/// string), a hash tampered past a cap (it would make every login spin or allocate), and a bad
/// user name. Each is a bad line whose reason says why without quoting the line.
#[test]
fn clear_text_and_hashes_over_the_caps_are_refused() {
    let app = fast_app();
    let plain = &valid_of("werkzeug_legacy_plain")[0];
    let pbkdf2 = &valid_of("werkzeug_pbkdf2_sha256_default")[0];
    let argon2 = &valid_of("argon2cffi_argon2id_default")[0];
    let bcrypt = &valid_of("bcrypt_2b_cost12")[0];
    let scrypt = &valid_of("werkzeug_scrypt_default")[0];
    let tampered = [
        pbkdf2.hash.replacen(":1000000$", ":1000000000000$", 1),
        argon2.hash.replacen("m=65536", "m=4294967295", 1),
        bcrypt.hash.replacen("$2b$12$", "$2b$31$", 1),
        scrypt
            .hash
            .replacen("scrypt:32768:8:1$", "scrypt:1073741824:8:1$", 1),
    ];
    for (t, original) in
        tampered
            .iter()
            .zip([&pbkdf2.hash, &argon2.hash, &bcrypt.hash, &scrypt.hash])
    {
        assert_ne!(t, original, "the tampering took");
    }
    let clear = "Tr0ub4dor&3-in-the-clear";
    let mut input = format!("plain:{}\nclear:{clear}\n", plain.hash);
    for (i, t) in tampered.iter().enumerate() {
        input.push_str(&format!("tampered{i}:{t}\n"));
    }
    input.push_str(&format!(" spaced:{}\n", pbkdf2.hash));
    let report = import(&app, options("refused"), Format::Htpasswd, &input);
    assert_eq!(report.added, 0, "{report:?}");
    assert_eq!(bad_lines(&report), [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(user_count(&app), 0);

    let reasons: Vec<&str> = report.bad.iter().map(|b| b.reason.as_str()).collect();
    assert!(reasons[0].contains("clear"), "{reasons:?}");
    assert!(reasons[1].contains("never imported"), "{reasons:?}");
    for r in &reasons[2..6] {
        assert!(r.starts_with("malformed"), "{reasons:?}");
    }
    assert!(reasons[6].contains("white space"), "{reasons:?}");
    for b in &report.bad {
        for secret in [plain.password.as_str(), plain.hash.as_str(), clear]
            .into_iter()
            .chain(tampered.iter().map(String::as_str))
        {
            assert!(!b.reason.contains(secret), "{b:?} quotes the input");
        }
    }
    assert_no_hash_in(
        &all_events(&app),
        tampered
            .iter()
            .map(String::as_str)
            .chain([plain.hash.as_str()]),
    );
}

// ---------------------------------------------------------------------------------------------
// Batches.
// ---------------------------------------------------------------------------------------------

/// A non-atomic import commits batch by batch ([`import::BATCH`] users each): another handle
/// sees the first batch while the import goes on, a bad line in the second loses only itself, and the
/// import ends with every good row in. The same input with `atomic` leaves nothing, though it
/// is larger than a batch.
#[test]
fn a_large_import_commits_by_batches_and_a_bad_line_loses_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credman.db");
    let app = Credman::open(&path, OpenMode::Create).unwrap();
    lower_kdf(&app);
    const BATCH: u64 = import::BATCH as u64;
    const ROWS: u64 = BATCH * 5 / 2;
    const BAD: u64 = BATCH * 3 / 2;
    let input: String = (1..=ROWS)
        .map(|n| {
            if n == BAD {
                format!("user{n}\n")
            } else {
                format!("user{n}:{}\n", common::synthetic_argon2id(n))
            }
        })
        .collect();

    let atomic = ImportOptions {
        atomic: true,
        ..options("big")
    };
    let report = import(&app, atomic, Format::Htpasswd, &input);
    assert!(!report.committed);
    assert_eq!(report.added, ROWS - 1);
    assert_eq!(bad_lines(&report), [BAD]);
    assert_eq!(user_count(&app), 0, "an atomic import is all or nothing");

    let other = Credman::open(&path, OpenMode::Existing).unwrap();
    let mut importer = app.importer(options("big")).unwrap();
    let mut seen_mid_import = None;
    import::read(input.as_bytes(), Format::Htpasswd, |item| {
        importer.add(item).unwrap();
        if importer.committed() == BATCH && seen_mid_import.is_none() {
            seen_mid_import = Some(user_count(&other));
        }
        true
    })
    .unwrap();
    assert_eq!(importer.bad_lines(), 1);
    let report = importer.finish().unwrap();
    assert_eq!(
        seen_mid_import,
        Some(BATCH as usize),
        "the first batch is committed while the import goes on"
    );
    assert!(report.committed);
    assert_eq!(report.added, ROWS - 1);
    assert_eq!(bad_lines(&report), [BAD]);
    assert_eq!(user_count(&other), (ROWS - 1) as usize);
    assert!(!other.user_exists(&format!("user{BAD}")).unwrap());
    assert!(
        other.user_exists(&format!("user{}", BAD - 1)).unwrap()
            && other.user_exists(&format!("user{ROWS}")).unwrap()
    );
    let events = all_events(&other);
    assert_eq!(events_of(&events, "user.import").len(), (ROWS - 1) as usize);
    assert_eq!(events_of(&events, "import").len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Auditor: files judged, nothing stored.
// ---------------------------------------------------------------------------------------------

/// An audit of the vectors file, one bare hash per line, gives each line the verdict, scheme,
/// parameters and rehash answer that `hashing::identify` gives its hash; the summary counts
/// them; and every line whose hash appears on another line says so.
#[test]
fn the_audit_of_the_vectors_agrees_with_identify_line_by_line() {
    let all = vectors();
    let policy = Policy::default();
    let input: String = all.iter().map(|v| format!("{}\n", v.hash)).collect();
    let mut auditor = Auditor::new(policy.clone());
    import::read(input.as_bytes(), Format::Lines, |item| {
        auditor.add_item(item);
        true
    })
    .unwrap();
    let report = auditor.finish();

    let mut counts: BTreeMap<Verdict, u64> = BTreeMap::new();
    let mut holders: HashMap<&str, Vec<u64>> = HashMap::new();
    for (i, v) in all.iter().enumerate() {
        let id = hashing::identify(&v.hash, &policy.argon2, &policy.caps);
        *counts.entry(id.verdict).or_default() += 1;
        holders.entry(&v.hash).or_default().push(i as u64 + 1);
    }
    let summary: BTreeMap<Verdict, u64> = report
        .summary
        .iter()
        .copied()
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(summary, counts);
    assert_eq!(
        report.summary.iter().map(|(_, n)| n).sum::<u64>(),
        all.len() as u64
    );

    let by_line: HashMap<u64, &credman::Finding> = report
        .findings
        .iter()
        .map(|f| (f.line.expect("a file's findings name lines"), f))
        .collect();
    assert_eq!(by_line.len(), report.findings.len(), "one finding per line");
    for (i, v) in all.iter().enumerate() {
        let line = i as u64 + 1;
        let id = hashing::identify(&v.hash, &policy.argon2, &policy.caps);
        let shared = holders[v.hash.as_str()].len() > 1;
        let Some(f) = by_line.get(&line) else {
            assert!(
                id.verdict == Verdict::Strong && !id.needs_rehash && !shared,
                "line {line} ({}) has no finding",
                v.scheme
            );
            continue;
        };
        assert_eq!(f.user, None);
        assert_eq!(f.scheme, id.scheme, "line {line}");
        assert_eq!(f.verdict, id.verdict, "line {line}");
        assert_eq!(f.params, id.params, "line {line}");
        assert_eq!(f.needs_rehash, id.needs_rehash, "line {line}");
        assert!(
            f.reasons.starts_with(&id.reasons),
            "line {line}: {:?}",
            f.reasons
        );
        assert_eq!(
            f.reasons.iter().any(|r| r.starts_with("same hash as")),
            shared,
            "line {line} ({}): {:?}",
            v.scheme,
            f.reasons
        );
        for r in &f.reasons {
            assert!(
                !r.contains(&v.hash),
                "line {line}: a reason quotes the hash"
            );
        }
    }
}

/// Two users with one hash are both flagged, each naming the other; two hashes with one salt
/// but different digests (a real bcrypt hash, and a copy given another vector's digest) are
/// flagged as a shared salt, not a shared hash. A strong argon2id hash at the policy's
/// parameters, no finding alone, becomes one when shared. No reason holds a hash or a salt.
#[test]
fn shared_hashes_and_salts_are_flagged() {
    let bcrypts = valid_of("bcrypt_2b_cost12");
    let (a, b) = (&bcrypts[0].hash, &bcrypts[1].hash);
    // `$2b$12$` + 22 salt characters + 31 digest characters.
    let (salt_a, digest_b) = (&a[7..29], &b[29..]);
    let same_salt = format!("$2b$12${salt_a}{digest_b}");
    assert_ne!(&same_salt, a);
    let argon2 = valid_of("argon2cli_argon2id_t2_k19456_p1");
    let (strong, lone) = (&argon2[0].hash, &argon2[1].hash);
    let input = format!(
        "alice:{b}\nbob:{b}\ncarol:{same_salt}\ndave:{a}\nerin:{strong}\nfrank:{strong}\n\
         grace:{lone}\n"
    );
    let mut auditor = Auditor::new(Policy::default());
    import::read(input.as_bytes(), Format::Htpasswd, |item| {
        auditor.add_item(item);
        true
    })
    .unwrap();
    let report = auditor.finish();
    let reasons: BTreeMap<&str, Vec<String>> = report
        .findings
        .iter()
        .map(|f| (f.user.as_deref().unwrap(), f.reasons.clone()))
        .collect();
    let shared = |user: &str| -> Vec<&String> {
        reasons
            .get(user)
            .unwrap_or_else(|| panic!("{user} has no finding: {reasons:?}"))
            .iter()
            .filter(|r| r.starts_with("same "))
            .collect()
    };
    assert_eq!(shared("alice"), ["same hash as bob"]);
    assert_eq!(shared("bob"), ["same hash as alice"]);
    assert_eq!(shared("carol"), ["same salt as dave"]);
    assert_eq!(shared("dave"), ["same salt as carol"]);
    assert_eq!(shared("erin"), ["same hash as frank"]);
    assert_eq!(shared("frank"), ["same hash as erin"]);
    assert!(!reasons.contains_key("grace"), "{reasons:?}");
    let erin = report
        .findings
        .iter()
        .find(|f| f.user.as_deref() == Some("erin"))
        .unwrap();
    assert_eq!(erin.verdict, Verdict::Strong);
    assert!(!erin.needs_rehash);
    assert_eq!(erin.line, Some(5));

    for f in &report.findings {
        for r in &f.reasons {
            for secret in [a.as_str(), b, &same_salt, strong, salt_a, digest_b] {
                assert!(!r.contains(secret), "{f:?} quotes a hash or salt");
            }
        }
    }
}

/// A file's unreadable lines are `malformed` findings with their line and reason, and a
/// passwordless account is no hash at all.
#[test]
fn unreadable_lines_are_malformed_findings() {
    let v = &valid_of("htpasswd_apr1_md5")[0];
    let input = format!("root:{}:1::::::\nbroken\ndaemon:*:1::::::\n", v.hash);
    let mut auditor = Auditor::new(Policy::default());
    import::read(input.as_bytes(), Format::Shadow, |item| {
        auditor.add_item(item);
        true
    })
    .unwrap();
    let report = auditor.finish();
    let summary: BTreeMap<Verdict, u64> = report.summary.iter().copied().collect();
    assert_eq!(summary[&Verdict::Legacy], 1);
    assert_eq!(summary[&Verdict::Malformed], 1);
    assert_eq!(summary.values().sum::<u64>(), 2, "daemon has no hash");
    assert_eq!(report.findings.len(), 2);
    assert_eq!(report.findings[0].user.as_deref(), Some("root"));
    assert_eq!(report.findings[0].scheme, "apr1");
    assert_eq!(report.findings[1].line, Some(2));
    assert_eq!(report.findings[1].verdict, Verdict::Malformed);
    assert!(!report.findings[1].reasons.is_empty());
}

/// The importer's own database: the same user list the CLI shows, read through a path.
#[test]
fn an_import_into_a_file_is_seen_by_another_handle() {
    let dir = tempfile::tempdir().unwrap();
    let path: &Path = &dir.path().join("credman.db");
    let app = Credman::open(path, OpenMode::Create).unwrap();
    lower_kdf(&app);
    let v = &valid_of("werkzeug_pbkdf2_sha256_1000")[0];
    let report = import(
        &app,
        options("flask"),
        Format::Jsonl,
        &format!(
            "{}\n",
            serde_json::json!({"username": "flask", "password": v.hash})
        ),
    );
    assert_eq!(report.added, 1);
    drop(app);
    let other = Credman::open(path, OpenMode::Existing).unwrap();
    let outcome = other.verify("flask", &pw(&v.password)).unwrap();
    assert!(outcome.valid && outcome.rehashed, "{outcome:?}");
}

/// Lines that are no hash credman knows have no salt to share: two different ones that happen
/// to have the same field between two `$` are not "the same salt" (a regression: the generic
/// `…$salt$hash` reading was applied to unrecognised strings too).
#[test]
fn unrecognised_lines_share_no_salt() {
    let bcrypt = &valid_of("bcrypt_2b_cost4")[0].hash;
    // An htpasswd line audited as bare hashes: `alice:$2b$04$…` is no hash at all.
    let input = format!("alice:{bcrypt}\nbob:{bcrypt}\n");
    let mut auditor = Auditor::new(Policy::default());
    import::read(input.as_bytes(), Format::Lines, |item| {
        auditor.add_item(item);
        true
    })
    .unwrap();
    let report = auditor.finish();
    assert_eq!(report.findings.len(), 2);
    for f in &report.findings {
        assert_eq!(f.scheme, "unknown");
        assert!(
            !f.reasons.iter().any(|r| r.starts_with("same salt")),
            "{f:?}"
        );
    }
}
