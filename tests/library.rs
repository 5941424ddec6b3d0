//! The library as a web app links it: no CLI, real SQLite files in temporary folders, time from a
//! `ManualClock`, and the KDF counted with `credman::hashing::kdf_calls()` rather than timed.
//!
//! Most tests lower the argon2 cost (`hash.argon2.m=64`, `t=1`) so the whole file runs in a few
//! seconds; `default_parameters_make_owasp_hashes` keeps the defaults (m=19456, t=2, p=1).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::thread;

use credman::hashing::kdf_calls;
use credman::{Credman, Denial, Error, Event, ManualClock, OpenMode, Password, VerifyOutcome};

/// A password the default policy accepts (the estimator scores it 4).
const GOOD: &str = "correct horse battery staple";
/// Another one, for password changes.
const OTHER: &str = "purple elephant juggles seven umbrellas";
/// The clock's starting point in the tests that inject one (2023-11-14T22:13:20Z).
const T0: i64 = 1_700_000_000;

fn pw(s: &str) -> Password {
    Password::from(s)
}

fn db_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("credman.db")
}

/// Opens (creating) the database and lowers the KDF cost for speed.
fn open_fast(path: &Path) -> Credman {
    let app = Credman::open(path, OpenMode::Create).expect("open");
    app.config_set("hash.argon2.m", "64").unwrap();
    app.config_set("hash.argon2.t", "1").unwrap();
    app
}

/// Another handle on an existing database, as a second process would open it.
fn reopen(path: &Path) -> Credman {
    Credman::open(path, OpenMode::Existing).expect("reopen")
}

/// Runs `f` and returns its result with the number of KDF runs it made on this thread.
fn counting<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = kdf_calls();
    let value = f();
    (value, kdf_calls() - before)
}

fn denied(outcome: &VerifyOutcome) -> Denial {
    assert!(!outcome.valid, "expected a denial, got {outcome:?}");
    assert!(!outcome.rehashed, "a denial never rehashes: {outcome:?}");
    outcome.denial.clone().expect("a denial carries its reason")
}

fn actions(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.action.as_str()).collect()
}

/// Every event, oldest first.
fn all_events(app: &Credman) -> Vec<Event> {
    app.events(None, None, 100_000).unwrap()
}

/// Every event about `user`, with the given action.
fn events_of(app: &Credman, user: &str, action: &str) -> Vec<Event> {
    app.events(Some(user), None, 100_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

fn mode_of(path: &Path) -> u32 {
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
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

// ---------------------------------------------------------------------------------------------
// 1. Every denial costs the same: counted KDF runs.
// ---------------------------------------------------------------------------------------------

/// An unknown, locked or throttled user, a wrong password and an unusable (over-the-caps) hash
/// all run the KDF exactly once, like a real check: none of them can be told apart by timing.
/// An overlong password is refused before any KDF (hash DoS), on every path alike.
#[test]
fn every_denial_runs_the_kdf_exactly_once_and_an_overlong_password_never() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_fast(&db_in(&dir));
    app.config_set("lockout.threshold", "3").unwrap();
    for name in ["locked", "throttled", "wrong"] {
        app.add_user(name, &pw(GOOD), false).unwrap();
    }
    // A stored hash over the caps: made at t=2, then the cap lowered to t=1 (new hashes at t=1
    // keep the policy consistent).
    app.config_set("hash.argon2.t", "2").unwrap();
    app.add_user("heavy", &pw(GOOD), false).unwrap();
    app.config_set("hash.argon2.t", "1").unwrap();
    app.config_set("hash.cap.argon2.t", "1").unwrap();

    app.lock_user("locked", Some("left the company")).unwrap();
    for _ in 0..3 {
        let v = app.verify("throttled", &pw("not it")).unwrap();
        assert_eq!(denied(&v), Denial::WrongPassword);
    }
    assert!(app.user("throttled").unwrap().throttled_until.is_some());

    // A right password, for reference: one KDF run.
    let (v, runs) = counting(|| app.verify("wrong", &pw(GOOD)).unwrap());
    assert!(v.valid && !v.rehashed && v.denial.is_none(), "{v:?}");
    assert_eq!(runs, 1, "a valid password with no rehash");

    type IsExpected = fn(&Denial) -> bool;
    let cases: [(&str, &str, IsExpected); 5] = [
        // an unknown user pays for a dummy hash at the current parameters
        ("nobody", GOOD, |d| *d == Denial::UnknownUser),
        // a locked user is refused even with the right password, at the same cost
        ("locked", GOOD, |d| *d == Denial::Locked),
        // a throttled user is refused even with the right password, at the same cost
        ("throttled", GOOD, |d| matches!(d, Denial::Throttled { .. })),
        ("wrong", "not the password", |d| *d == Denial::WrongPassword),
        // the stored hash is over a cap: no KDF on it, but a dummy one so it costs the same
        ("heavy", GOOD, |d| matches!(d, Denial::UnusableHash(_))),
    ];
    for (name, password, expected) in cases {
        let (v, runs) = counting(|| app.verify(name, &pw(password)).unwrap());
        let denial = denied(&v);
        assert!(expected(&denial), "{name}: unexpected denial {denial:?}");
        assert_eq!(runs, 1, "{name}: {denial:?} ran the KDF {runs} times");
    }

    // Over password.max_bytes (1024): denied before any KDF, whoever the user is.
    let long = Password::new(vec![b'a'; 1025]);
    for name in ["nobody", "locked", "throttled", "wrong", "heavy"] {
        let (v, runs) = counting(|| app.verify(name, &long).unwrap());
        assert_eq!(denied(&v), Denial::TooLong, "{name}");
        assert_eq!(runs, 0, "{name}: an overlong password ran the KDF");
    }
    // Exactly max_bytes is not too long.
    let (v, runs) = counting(|| {
        app.verify("wrong", &Password::new(vec![b'a'; 1024]))
            .unwrap()
    });
    assert_eq!(denied(&v), Denial::WrongPassword);
    assert_eq!(runs, 1);
}

// ---------------------------------------------------------------------------------------------
// 2. Throttling, on an injected clock, shared through the database.
// ---------------------------------------------------------------------------------------------

#[test]
fn throttling_starts_at_the_threshold_doubles_caps_and_clears() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    let clock = Arc::new(ManualClock::new(T0));
    let app = open_fast(&path).with_clock(clock.clone());
    app.config_set("lockout.threshold", "3").unwrap();
    app.config_set("lockout.max", "5m").unwrap();
    assert_eq!(
        app.policy().unwrap().lockout_base,
        60,
        "lockout.base defaults to 1m"
    );
    app.add_user("alice", &pw(GOOD), false).unwrap();

    let wrong = |app: &Credman| denied(&app.verify("alice", &pw("wrong guess")).unwrap());

    // Below the threshold: plain wrong passwords, no throttling yet.
    for n in 1..=2 {
        assert_eq!(wrong(&app), Denial::WrongPassword);
        let u = app.user("alice").unwrap();
        assert_eq!(u.failed_attempts, n);
        assert_eq!(u.throttled_until, None);
    }
    // The third failure is still reported as a wrong password, and starts a 60 s throttle.
    assert_eq!(wrong(&app), Denial::WrongPassword);
    let u = app.user("alice").unwrap();
    assert_eq!(u.failed_attempts, 3);
    assert_eq!(u.throttled_until, Some(T0 + 60));
    assert_eq!(events_of(&app, "alice", "user.throttled").len(), 1);

    // While throttled even the right password is denied, and neither it nor a wrong one counts.
    let v = app.verify("alice", &pw(GOOD)).unwrap();
    assert_eq!(denied(&v), Denial::Throttled { until: T0 + 60 });
    assert_eq!(wrong(&app), Denial::Throttled { until: T0 + 60 });
    clock.advance(59);
    let v = app.verify("alice", &pw(GOOD)).unwrap();
    assert_eq!(denied(&v), Denial::Throttled { until: T0 + 60 });
    assert_eq!(app.user("alice").unwrap().failed_attempts, 3);

    // Once the period is over, the right password works and resets the counter.
    clock.advance(2);
    let v = app.verify("alice", &pw(GOOD)).unwrap();
    assert!(v.valid, "{v:?}");
    let u = app.user("alice").unwrap();
    assert_eq!((u.failed_attempts, u.throttled_until), (0, None));
    assert_eq!(u.last_login_at, Some(T0 + 61));

    // Consecutive failures past the threshold double the period, up to lockout.max (5 min).
    for _ in 0..3 {
        wrong(&app);
    }
    let mut expected = vec![];
    let mut seen = vec![];
    for (failures, period) in [(3, 60), (4, 120), (5, 240), (6, 300), (7, 300)] {
        let u = app.user("alice").unwrap();
        assert_eq!(u.failed_attempts, failures);
        seen.push(u.throttled_until.unwrap() - app.now());
        expected.push(period);
        // Sit the period out, then fail once more.
        clock.advance(period + 1);
        assert_eq!(wrong(&app), Denial::WrongPassword, "after {failures}");
    }
    assert_eq!(seen, expected, "throttle periods, in seconds");

    // unlock_user clears the throttling at once: the right password works without waiting.
    let u = app.user("alice").unwrap();
    assert!(u.throttled_until.unwrap() > app.now());
    app.unlock_user("alice").unwrap();
    let u = app.user("alice").unwrap();
    assert_eq!((u.failed_attempts, u.throttled_until), (0, None));
    assert!(app.verify("alice", &pw(GOOD)).unwrap().valid);
}

/// The failure counter lives in the database: failures made through two handles (two processes,
/// or a web app beside the CLI) add up, and a throttle set by one is obeyed by the other.
#[test]
fn the_failure_counter_is_shared_by_every_handle_on_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    let clock = Arc::new(ManualClock::new(T0));
    let a = open_fast(&path).with_clock(clock.clone());
    a.config_set("lockout.threshold", "3").unwrap();
    a.add_user("alice", &pw(GOOD), false).unwrap();
    let b = reopen(&path).with_clock(clock.clone());
    assert_eq!(
        b.policy().unwrap().lockout_threshold,
        3,
        "the policy is read from the database"
    );

    for _ in 0..2 {
        denied(&a.verify("alice", &pw("guess")).unwrap());
    }
    assert_eq!(b.user("alice").unwrap().failed_attempts, 2);
    assert_eq!(
        denied(&b.verify("alice", &pw("guess")).unwrap()),
        Denial::WrongPassword
    );
    // The third failure came through b; a is throttled too.
    assert_eq!(a.user("alice").unwrap().failed_attempts, 3);
    assert_eq!(
        denied(&a.verify("alice", &pw(GOOD)).unwrap()),
        Denial::Throttled { until: T0 + 60 }
    );
    drop(a);
    // A handle opened later (a new process) sees the same throttle.
    let c = reopen(&path).with_clock(clock.clone());
    assert_eq!(
        denied(&c.verify("alice", &pw(GOOD)).unwrap()),
        Denial::Throttled { until: T0 + 60 }
    );
    clock.advance(61);
    assert!(b.verify("alice", &pw(GOOD)).unwrap().valid);
    assert_eq!(c.user("alice").unwrap().failed_attempts, 0);
}

// ---------------------------------------------------------------------------------------------
// 3. Upgrade on login.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_login_upgrades_a_hash_made_at_old_parameters_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    let clock = Arc::new(ManualClock::new(T0));
    let app = open_fast(&path).with_clock(clock.clone());
    let created = app.add_user("alice", &pw(GOOD), false).unwrap();
    assert_eq!(created.scheme, "argon2id");
    assert!(!created.needs_rehash, "a new hash is at the current policy");

    app.config_set("hash.argon2.m", "128").unwrap();
    assert!(app.user("alice").unwrap().needs_rehash);

    // A wrong password changes nothing: no upgrade, the old hash stays.
    let (v, runs) = counting(|| app.verify("alice", &pw("wrong")).unwrap());
    assert_eq!(denied(&v), Denial::WrongPassword);
    assert_eq!(runs, 1);
    assert!(
        app.user("alice").unwrap().needs_rehash,
        "a wrong password upgraded the hash"
    );
    assert!(events_of(&app, "alice", "hash.upgrade").is_empty());

    // The right password: valid, and the hash is replaced (one KDF to check, one to rehash).
    clock.advance(10);
    let (v, runs) = counting(|| app.verify("alice", &pw(GOOD)).unwrap());
    assert_eq!(
        v,
        VerifyOutcome {
            valid: true,
            rehashed: true,
            denial: None
        }
    );
    assert_eq!(runs, 2);
    let u = app.user("alice").unwrap();
    assert!(!u.needs_rehash);
    assert_eq!(u.failed_attempts, 0, "the success reset the failure");
    assert_eq!(
        u.password_changed_at, created.password_changed_at,
        "a rehash is not a password change"
    );
    let upgrades = events_of(&app, "alice", "hash.upgrade");
    assert_eq!(upgrades.len(), 1);
    assert!(upgrades[0].detail.contains("m=128"), "{:?}", upgrades[0]);
    assert!(!upgrades[0].detail.contains("$argon2"), "{:?}", upgrades[0]);

    // Persisted: another handle agrees, and the upgraded hash verifies without another upgrade.
    let other = reopen(&path);
    assert!(!other.user("alice").unwrap().needs_rehash);
    let (v, runs) = counting(|| app.verify("alice", &pw(GOOD)).unwrap());
    assert!(v.valid && !v.rehashed, "{v:?}");
    assert_eq!(runs, 1);
    assert_eq!(events_of(&app, "alice", "hash.upgrade").len(), 1);
    // The old password still is the password.
    assert_eq!(
        denied(&other.verify("alice", &pw("wrong")).unwrap()),
        Denial::WrongPassword
    );
}

/// Two logins of the same user that race with the upgrade of their hash: the losers find the
/// hash replaced (by the winner's rehash of the same password) and must still succeed. A rehash
/// is not a password change.
#[test]
fn concurrent_logins_during_an_upgrade_all_succeed() {
    const THREADS: usize = 6;
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    let app = open_fast(&path);
    app.add_user("alice", &pw(GOOD), false).unwrap();
    // The new parameters make the upgrade's own hash slow enough that every login reads the old
    // hash before the first upgrade is written.
    app.config_set("hash.argon2.m", "4096").unwrap();
    assert!(app.user("alice").unwrap().needs_rehash);

    let barrier = Arc::new(Barrier::new(THREADS));
    let outcomes: Vec<VerifyOutcome> = (0..THREADS)
        .map(|_| {
            let path = path.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                let app = reopen(&path);
                barrier.wait();
                app.verify("alice", &pw(GOOD)).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert!(!app.user("alice").unwrap().needs_rehash);
    let refused: Vec<_> = outcomes.iter().filter(|v| !v.valid).collect();
    assert!(
        refused.is_empty(),
        "{} of {THREADS} logins with the right password were refused: {refused:?}",
        refused.len()
    );
    assert!(outcomes.iter().any(|v| v.rehashed));
}

// ---------------------------------------------------------------------------------------------
// 4. Concurrency: real threads, one handle each, one database file.
// ---------------------------------------------------------------------------------------------

/// No lost update: 16 simultaneous failures on one account are 16 failures, and none of them
/// gives up with "database is locked".
#[test]
fn concurrent_failures_are_all_counted() {
    const THREADS: u32 = 16;
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    let app = open_fast(&path);
    app.config_set("lockout.threshold", "100").unwrap();
    app.add_user("alice", &pw(GOOD), false).unwrap();

    let barrier = Arc::new(Barrier::new(THREADS as usize));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let path = path.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                let app = reopen(&path);
                barrier.wait();
                app.verify("alice", &pw("wrong password"))
            })
        })
        .collect();
    for h in handles {
        let outcome = h.join().unwrap();
        assert!(!matches!(outcome, Err(Error::Busy)), "{outcome:?}");
        assert_eq!(denied(&outcome.unwrap()), Denial::WrongPassword);
    }
    assert_eq!(app.user("alice").unwrap().failed_attempts, THREADS);
    assert_eq!(
        events_of(&app, "alice", "verify.failure").len(),
        THREADS as usize
    );
}

#[test]
fn concurrent_writers_each_add_their_user() {
    const THREADS: usize = 32;
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    let app = open_fast(&path);

    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let path = path.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                let app = reopen(&path);
                barrier.wait();
                app.add_user(&format!("user{i:02}"), &pw(GOOD), false)
            })
        })
        .collect();
    for h in handles {
        let added = h.join().unwrap();
        assert!(!matches!(added, Err(Error::Busy)), "{added:?}");
        added.unwrap();
    }
    assert_eq!(user_count(&app), THREADS);
    for i in 0..THREADS {
        assert!(app.verify(&format!("user{i:02}"), &pw(GOOD)).unwrap().valid);
    }
}

/// Many processes may be the first to touch a database (scripts run in parallel on a new host):
/// creating it, setting WAL mode and running the migrations must not fail under the race.
#[test]
fn concurrent_first_opens_of_a_new_database_all_succeed() {
    const THREADS: usize = 12;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new").join("credman.db");

    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let path = path.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                barrier.wait();
                let app = Credman::open(&path, OpenMode::Create)?;
                // At the default cost: no thread depends on another's config_set.
                app.add_user(&format!("user{i:02}"), &pw(GOOD), false)
                    .map(drop)
            })
        })
        .collect();
    for h in handles {
        let result = h.join().unwrap();
        assert!(result.is_ok(), "{result:?}");
    }
    let app = reopen(&path);
    assert_eq!(user_count(&app), THREADS);
    let inits = all_events(&app)
        .into_iter()
        .filter(|e| e.action == "db.init")
        .count();
    assert_eq!(inits, 1, "exactly one open created the database");
}

// ---------------------------------------------------------------------------------------------
// 5. Password policy.
// ---------------------------------------------------------------------------------------------

/// A refusal says why, never what: the message holds no part of the password.
fn assert_refused(result: credman::Result<impl std::fmt::Debug>, password: &str, why: &str) {
    match result {
        Err(Error::PolicyRejected(msg)) => {
            let shown = format!("{msg} / {:?}", Error::PolicyRejected(msg.clone()));
            assert!(shown.contains(why), "{password:?}: {shown}");
            assert!(
                !shown.contains(password),
                "the refusal echoes the password: {shown}"
            );
        }
        other => panic!("{password:?}: expected PolicyRejected, got {other:?}"),
    }
}

#[test]
fn the_password_policy_refuses_weak_passwords_without_echoing_them() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_fast(&db_in(&dir));

    // Too short (15 code points by default), common, built on the user's name.
    let short = "Tr0ub4dor&3xyz"; // 14 characters
    let common = "passwordpassword";
    let on_name = "quixotemberly1984";
    for (password, why) in [
        (short, "at least 15"),
        (common, "too easy to guess"),
        (on_name, "too easy to guess"),
    ] {
        assert_refused(
            app.add_user("quixotemberly", &pw(password), false),
            password,
            why,
        );
    }
    assert!(matches!(app.user("quixotemberly"), Err(Error::NotFound(_))));
    // Built on the user's name is what made the last one weak: another user may have it.
    app.add_user("someone", &pw(on_name), false).unwrap();

    // set_password obeys the same policy, and a refusal leaves the old password in place.
    app.add_user("quixotemberly", &pw(GOOD), false).unwrap();
    for password in [short, common, on_name] {
        let result = app.set_password("quixotemberly", &pw(password), false);
        assert!(
            matches!(result, Err(Error::PolicyRejected(_))),
            "{result:?}"
        );
    }
    assert!(app.verify("quixotemberly", &pw(GOOD)).unwrap().valid);

    // A password's Debug never shows it.
    assert_eq!(format!("{:?}", pw(GOOD)), "Password([redacted])");
}

#[test]
fn allow_weak_overrides_the_policy_and_is_logged_but_not_the_length_limit() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_fast(&db_in(&dir));

    app.add_user("bob", &pw("bob"), true).unwrap();
    assert!(app.verify("bob", &pw("bob")).unwrap().valid);
    let overrides = events_of(&app, "bob", "policy.override");
    assert_eq!(overrides.len(), 1, "{overrides:?}");
    assert!(!overrides[0].detail.contains("bob\""), "{overrides:?}");

    app.set_password("bob", &pw("password"), true).unwrap();
    assert!(app.verify("bob", &pw("password")).unwrap().valid);
    assert_eq!(events_of(&app, "bob", "policy.override").len(), 2);
    // A strong password needs no override, and none is logged.
    app.set_password("bob", &pw(GOOD), true).unwrap();
    assert_eq!(events_of(&app, "bob", "policy.override").len(), 2);

    // The length limit protects the KDF: allow_weak never lifts it.
    let long = "x".repeat(1025);
    assert_refused(
        app.add_user("carol", &pw(&long), true),
        &long,
        "longer than 1024 bytes",
    );
    assert!(matches!(app.user("carol"), Err(Error::NotFound(_))));
    assert_refused(
        app.set_password("bob", &pw(&long), true),
        &long,
        "longer than 1024 bytes",
    );
    assert!(app.verify("bob", &pw(GOOD)).unwrap().valid);
    // 1024 bytes is allowed.
    app.set_password("bob", &Password::new(vec![b'y'; 1024]), true)
        .unwrap();
    assert!(
        app.verify("bob", &Password::new(vec![b'y'; 1024]))
            .unwrap()
            .valid
    );
}

/// Every byte counts: no C-string truncation at a NUL, no UTF-8 repair, no trimming.
#[test]
fn passwords_are_kept_byte_exact() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_fast(&db_in(&dir));

    let with_nul = Password::from(&b"correct horse\0battery staple one"[..]);
    app.add_user("nul", &with_nul, false).unwrap();
    assert!(app.verify("nul", &with_nul).unwrap().valid);
    for other in [
        &b"correct horse\0battery staple two"[..],
        b"correct horse",
        b"correct horse\0",
        b"correct horse battery staple one",
    ] {
        let v = app.verify("nul", &Password::from(other)).unwrap();
        assert_eq!(denied(&v), Denial::WrongPassword, "{:?}", other);
    }

    // Two byte strings that are the same text once invalid UTF-8 is replaced by U+FFFD.
    let raw = Password::from(&b"\xff correct horse battery staple \xfe"[..]);
    let twin = Password::from(&b"\xfe correct horse battery staple \xff"[..]);
    let lossy = Password::from("\u{fffd} correct horse battery staple \u{fffd}");
    app.add_user("raw", &raw, false).unwrap();
    assert!(app.verify("raw", &raw).unwrap().valid);
    assert_eq!(
        denied(&app.verify("raw", &twin).unwrap()),
        Denial::WrongPassword
    );
    assert_eq!(
        denied(&app.verify("raw", &lossy).unwrap()),
        Denial::WrongPassword
    );

    // White space is part of the password.
    app.add_user("spaces", &pw(" correct horse battery staple "), false)
        .unwrap();
    assert_eq!(
        denied(&app.verify("spaces", &pw(GOOD)).unwrap()),
        Denial::WrongPassword
    );
    assert!(
        app.verify("spaces", &pw(" correct horse battery staple "))
            .unwrap()
            .valid
    );
}

// ---------------------------------------------------------------------------------------------
// 6. User names.
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_user_names_are_refused_and_good_ones_kept_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_fast(&db_in(&dir));

    let too_long = "a".repeat(65);
    for name in [
        "",
        too_long.as_str(),
        "al\u{7}ice",
        "alice\n",
        "tab\there",
        "al\u{85}ice", // a C1 control character
        "\u{0}",
        " alice",
        "alice ",
        "\u{a0}alice", // no-break space
        "alice\u{3000}",
    ] {
        let added = app.add_user(name, &pw(GOOD), false);
        assert!(
            matches!(added, Err(Error::InvalidName(_))),
            "{name:?}: {added:?}"
        );
    }
    assert_eq!(user_count(&app), 0, "a refused name was stored");

    // 64 characters, counted as characters, not bytes.
    let ascii64 = "b".repeat(64);
    let wide64 = "é".repeat(64); // 128 bytes
    let emoji64 = "🔑".repeat(64); // 256 bytes
    for name in [
        ascii64.as_str(),
        wide64.as_str(),
        emoji64.as_str(),
        "Zoë",
        "山田太郎",
        "o'brien@example.com",
        "two words",
    ] {
        app.add_user(name, &pw(GOOD), false)
            .unwrap_or_else(|e| panic!("{name:?}: {e}"));
        assert_eq!(app.user(name).unwrap().name, name);
        assert!(app.verify(name, &pw(GOOD)).unwrap().valid, "{name:?}");
    }
    let too_wide = "é".repeat(65);
    assert!(matches!(
        app.add_user(&too_wide, &pw(GOOD), false),
        Err(Error::InvalidName(_))
    ));

    // Case-sensitive: two users, two passwords.
    app.add_user("alice", &pw(GOOD), false).unwrap();
    app.add_user("Alice", &pw(OTHER), false).unwrap();
    assert!(app.verify("alice", &pw(GOOD)).unwrap().valid);
    assert!(app.verify("Alice", &pw(OTHER)).unwrap().valid);
    assert_eq!(
        denied(&app.verify("Alice", &pw(GOOD)).unwrap()),
        Denial::WrongPassword
    );
    assert_eq!(
        denied(&app.verify("ALICE", &pw(GOOD)).unwrap()),
        Denial::UnknownUser
    );
    // Not Unicode-normalised either: "Zoë" with a combining diaeresis is someone else.
    assert_eq!(
        denied(&app.verify("Zoe\u{308}", &pw(GOOD)).unwrap()),
        Denial::UnknownUser
    );

    // A duplicate is refused and the first user's password is untouched.
    assert!(matches!(
        app.add_user("alice", &pw(OTHER), false),
        Err(Error::AlreadyExists(n)) if n == "alice"
    ));
    assert!(app.verify("alice", &pw(GOOD)).unwrap().valid);
}

#[test]
fn renaming_obeys_the_name_rules_and_never_merges_two_users() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_fast(&db_in(&dir));
    app.add_user("alice", &pw(GOOD), false).unwrap();
    app.add_user("bob", &pw(OTHER), false).unwrap();
    app.lock_user("bob", Some("on leave")).unwrap();
    let before_events = all_events(&app).len();

    assert!(matches!(
        app.rename_user("alice", "bob"),
        Err(Error::AlreadyExists(n)) if n == "bob"
    ));
    assert!(matches!(
        app.rename_user("alice", " alice"),
        Err(Error::InvalidName(_))
    ));
    assert!(matches!(
        app.rename_user("nobody", "carol"),
        Err(Error::NotFound(_))
    ));
    // Nothing changed: both users as they were, no event written.
    assert_eq!(all_events(&app).len(), before_events);
    assert!(app.verify("alice", &pw(GOOD)).unwrap().valid);
    let bob = app.user("bob").unwrap();
    assert!(bob.locked);
    assert_eq!(bob.lock_reason.as_deref(), Some("on leave"));
    assert_eq!(user_count(&app), 2);

    // A rename keeps the password and the state.
    app.rename_user("alice", "Alice").unwrap();
    assert!(matches!(app.user("alice"), Err(Error::NotFound(_))));
    assert!(app.verify("Alice", &pw(GOOD)).unwrap().valid);
}

// ---------------------------------------------------------------------------------------------
// 7. The database file.
// ---------------------------------------------------------------------------------------------

/// Restores the process umask when dropped, even if the test fails.
struct Umask(libc::mode_t);

impl Umask {
    fn set(mask: libc::mode_t) -> Self {
        // SAFETY: umask only swaps the process's file-creation mask; it cannot fail.
        Self(unsafe { libc::umask(mask) })
    }
}

impl Drop for Umask {
    fn drop(&mut self) {
        // SAFETY: as above.
        unsafe { libc::umask(self.0) };
    }
}

/// SQLite would create the file 0644 under umask 022 and give the -wal and -shm files the same
/// mode: the hashes would be world-readable. The library creates the file 0600 first.
#[test]
fn the_database_and_its_wal_and_shm_are_private_under_umask_022() {
    let dir = tempfile::tempdir().unwrap();
    let outer = dir.path().join("data");
    let folder = outer.join("credman");
    let path = folder.join("credman.db");
    let app = {
        let _umask = Umask::set(0o022);
        let app = open_fast(&path);
        app.add_user("alice", &pw(GOOD), false).unwrap();
        app
    };
    assert!(app.store().created());
    assert_eq!(app.store().permissions_warning(), None);
    assert_eq!(mode_of(&path), 0o600, "database file");
    for suffix in ["-wal", "-shm"] {
        let side = sidecar(&path, suffix);
        assert!(side.exists(), "{} while a handle is open", side.display());
        assert_eq!(mode_of(&side), 0o600, "{}", side.display());
    }
    assert_eq!(mode_of(&folder), 0o700, "created folder");
    assert_eq!(mode_of(&outer), 0o700, "created parent folder");
    drop(app);

    // A database that someone made readable by others gets a warning on open.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let app = reopen(&path);
    let warning = app.store().permissions_warning().expect("a warning");
    assert!(warning.contains("chmod 600"), "{warning}");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    let bytes = b"alice:$apr1$not a database at all\n".repeat(200);
    fs::write(&text, &bytes).unwrap();
    // The right magic, then garbage: SQLite's own check must refuse it too.
    let fake = dir.path().join("fake.db");
    let mut fake_bytes = b"SQLite format 3\0".to_vec();
    fake_bytes.extend(std::iter::repeat_n(0xa5u8, 8192));
    fs::write(&fake, &fake_bytes).unwrap();

    for (path, original) in [(&text, &bytes), (&fake, &fake_bytes)] {
        for mode in [OpenMode::Create, OpenMode::Existing] {
            let err = Credman::open(path, mode).unwrap_err();
            assert!(
                matches!(&err, Error::NotADatabase(p) if p == path),
                "{}: {err:?}",
                path.display()
            );
        }
        assert_eq!(&fs::read(path).unwrap(), original, "{}", path.display());
        assert!(!sidecar(path, "-wal").exists());
        assert!(!sidecar(path, "-journal").exists());
    }
}

#[test]
fn opening_a_missing_database_as_existing_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("missing");
    let path = folder.join("credman.db");
    let err = Credman::open(&path, OpenMode::Existing).unwrap_err();
    assert!(
        matches!(&err, Error::NoDatabase(p) if *p == path),
        "{err:?}"
    );
    assert!(!folder.exists(), "the folder was created");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// An admin who made the database read-only meant it (the tests may run as root, where SQLite
/// alone would write anyway): reads work, writes are refused with ReadOnly, nothing changes.
#[test]
fn a_read_only_database_can_be_read_but_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    {
        let app = open_fast(&path);
        app.add_user("alice", &pw(GOOD), false).unwrap();
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
    let original = fs::read(&path).unwrap();

    let app = reopen(&path);
    assert_eq!(app.policy().unwrap().argon2.m, 64, "the policy was read");
    let alice = app.user("alice").unwrap();
    assert!(!alice.locked);
    assert_eq!(user_count(&app), 1);
    assert!(!all_events(&app).is_empty());

    let is_read_only = |r: credman::Result<()>| matches!(r, Err(Error::ReadOnly(_)));
    assert!(is_read_only(
        app.add_user("bob", &pw(GOOD), false).map(drop)
    ));
    assert!(is_read_only(app.lock_user("alice", None)));
    assert!(is_read_only(app.set_password("alice", &pw(OTHER), false)));
    assert!(is_read_only(app.delete_user("alice")));
    assert!(is_read_only(
        app.config_set("lockout.threshold", "5").map(drop)
    ));
    drop(app);
    assert_eq!(fs::read(&path).unwrap(), original, "the file changed");

    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    let app = reopen(&path);
    assert_eq!(user_count(&app), 1);
    assert_eq!(app.policy().unwrap().lockout_threshold, 10);
    assert!(!app.user("alice").unwrap().locked);
    assert!(app.verify("alice", &pw(GOOD)).unwrap().valid);
}

// ---------------------------------------------------------------------------------------------
// 8. The event log.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_event_log_records_each_step_and_never_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    let clock = Arc::new(ManualClock::new(T0));
    let app = open_fast(&path).with_clock(clock.clone()).with_actor("web");
    let wrong = "hunter2 but longer";

    app.add_user("alice", &pw(GOOD), false).unwrap();
    clock.advance(1);
    assert!(app.verify("alice", &pw(GOOD)).unwrap().valid);
    clock.advance(1);
    denied(&app.verify("alice", &pw(wrong)).unwrap());
    clock.advance(1);
    app.set_password("alice", &pw(OTHER), false).unwrap();
    clock.advance(1);
    app.lock_user("alice", Some("suspicious logins")).unwrap();
    clock.advance(1);
    app.unlock_user("alice").unwrap();
    clock.advance(1);
    app.rename_user("alice", "alicia").unwrap();
    clock.advance(1);
    app.delete_user("alicia").unwrap();
    clock.advance(1);
    denied(&app.verify("alicia", &pw(OTHER)).unwrap());

    let events = all_events(&app);
    assert_eq!(events[0].action, "db.init", "{events:#?}");
    let ours: Vec<Event> = events
        .iter()
        .filter(|e| e.actor == "web")
        .cloned()
        .collect();
    assert_eq!(
        actions(&ours),
        [
            "user.add",
            "verify.success",
            "verify.failure",
            "user.passwd",
            "user.lock",
            "user.unlock",
            "user.rename",
            "user.delete",
            "verify.failure",
        ]
    );
    let users: Vec<Option<&str>> = ours.iter().map(|e| e.user.as_deref()).collect();
    let alice = Some("alice");
    let alicia = Some("alicia");
    assert_eq!(
        users,
        [
            alice, alice, alice, alice, alice, alice, alicia, alicia, None
        ],
        "each event names the user by the name they had then; an unknown user is no user"
    );
    let times: Vec<i64> = ours.iter().map(|e| e.at).collect();
    assert_eq!(times, (T0..=T0 + 8).collect::<Vec<_>>());
    assert_eq!(ours[4].detail, "suspicious logins; 0 sessions revoked");
    assert!(ours[6].detail.contains("alice"), "{:?}", ours[6]);
    assert!(
        !ours[8].detail.contains("alicia"),
        "an unknown name is not logged: {:?}",
        ours[8]
    );

    for e in &events {
        for field in [
            &e.actor,
            &e.action,
            &e.detail,
            e.user.as_ref().unwrap_or(&String::new()),
        ] {
            for secret in [GOOD, OTHER, wrong, "$argon2", "argon2id$"] {
                assert!(!field.contains(secret), "{secret:?} in {e:?}");
            }
        }
    }
    // Filtering by user follows the name at the time of the event.
    assert_eq!(app.events(Some("alicia"), None, 100).unwrap().len(), 2);
    assert_eq!(app.events(Some("alice"), None, 100).unwrap().len(), 6);
    // `limit` keeps the newest, oldest first.
    let last_two = app.events(None, None, 2).unwrap();
    assert_eq!(actions(&last_two), ["user.delete", "verify.failure"]);
    // Another handle reads the same log.
    assert_eq!(all_events(&reopen(&path)), events);
}

// ---------------------------------------------------------------------------------------------
// 9. Configuration.
// ---------------------------------------------------------------------------------------------

#[test]
fn config_is_validated_and_shared_through_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    let app = open_fast(&path);
    let stale = reopen(&path);
    let config_events = |app: &Credman| {
        all_events(app)
            .iter()
            .filter(|e| e.action == "config.set")
            .count()
    };
    let before = config_events(&app);

    assert!(matches!(
        app.config_set("lockout.treshold", "3"),
        Err(Error::UnknownConfigKey(k)) if k == "lockout.treshold"
    ));
    assert!(matches!(
        app.config_get("no.such.key"),
        Err(Error::UnknownConfigKey(_))
    ));
    for bad in ["soon", "", "5x", "-1m", "1.5s", "0s", "2d"] {
        let result = app.config_set("lockout.base", bad);
        assert!(
            matches!(result, Err(Error::InvalidConfig(_))),
            "{bad:?}: {result:?}"
        );
    }
    // Parameters for new hashes beyond the caps would make hashes no one can verify.
    assert!(matches!(
        app.config_set("hash.argon2.m", "4194304"),
        Err(Error::InvalidConfig(_))
    ));
    assert!(matches!(
        app.config_set("password.min_length", "7"),
        Err(Error::InvalidConfig(_))
    ));
    // Nothing was stored: not here, not for a new handle, not in the log.
    assert_eq!(app.config_get("lockout.base").unwrap().value, "1m");
    assert_eq!(app.policy().unwrap().lockout_base, 60);
    assert_eq!(app.policy().unwrap().argon2.m, 64);
    let fresh = reopen(&path);
    assert_eq!(fresh.config_get("lockout.base").unwrap().value, "1m");
    assert_eq!(fresh.config_get("hash.argon2.m").unwrap().value, "64");
    assert_eq!(config_events(&app), before);

    // A good value is stored in canonical form and seen by a handle opened later...
    let entry = app.config_set("lockout.base", "90s").unwrap();
    assert_eq!(entry.value, "1m30s");
    assert_eq!(entry.default, "1m");
    app.config_set("lockout.threshold", " 7 ").unwrap();
    assert_eq!(config_events(&app), before + 2);
    let later = reopen(&path);
    assert_eq!(later.policy().unwrap().lockout_base, 90);
    assert_eq!(later.policy().unwrap().lockout_threshold, 7);
    assert_eq!(later.config_get("lockout.threshold").unwrap().value, "7");
    // ...and at once by a handle opened earlier: every operation reads the policy afresh, so a
    // long-running web app obeys `credman config set` without a restart.
    assert_eq!(stale.policy().unwrap().lockout_threshold, 7);
    assert_eq!(stale.policy().unwrap().lockout_base, 90);
}

// ---------------------------------------------------------------------------------------------
// The default parameters (the only test that pays for them).
// ---------------------------------------------------------------------------------------------

/// Without any config, new hashes are OWASP's argon2id m=19456,t=2,p=1, and the KDF counts hold at
/// that cost too: a wrong password and an unknown user cost one run each.
#[test]
fn default_parameters_make_owasp_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let app = Credman::open(&db_in(&dir), OpenMode::Create).unwrap();
    let params = app.policy().unwrap().argon2;
    assert_eq!((params.m, params.t, params.p), (19456, 2, 1));

    let ((), runs) = counting(|| {
        app.add_user("alice", &pw(GOOD), false).unwrap();
    });
    assert_eq!(runs, 1);
    let alice = app.user("alice").unwrap();
    assert_eq!(alice.scheme, "argon2id");
    assert!(!alice.needs_rehash);
    assert!(!format!("{alice:?}").contains("$argon2"), "{alice:?}");

    // The PHC string new hashes take (made by the same door the library uses).
    let hash = credman::hashing::hash_password(&pw(GOOD), &params).unwrap();
    let parts: Vec<&str> = hash.split('$').collect();
    assert_eq!(parts[..4], ["", "argon2id", "v=19", "m=19456,t=2,p=1"]);
    assert_eq!(parts[4].len(), 22, "16-byte salt, unpadded base64");
    assert_eq!(parts[5].len(), 43, "32-byte tag, unpadded base64");

    for (name, password, expected) in [
        ("alice", GOOD, None),
        ("alice", "wrong", Some(Denial::WrongPassword)),
        ("nobody", GOOD, Some(Denial::UnknownUser)),
    ] {
        let (v, runs) = counting(|| app.verify(name, &pw(password)).unwrap());
        assert_eq!(v.denial, expected, "{name}");
        assert_eq!(v.valid, expected.is_none());
        assert!(!v.rehashed);
        assert_eq!(runs, 1, "{name}/{password}");
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions from review.
// ---------------------------------------------------------------------------------------------

/// A SQLite file that is not credman's (the web app's own database passed by mistake) is
/// refused, and neither its tables nor its journal mode change.
#[test]
fn another_programs_sqlite_database_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE user (id INTEGER PRIMARY KEY, username TEXT)")
            .unwrap();
    }
    let before = fs::read(&path).unwrap();
    for mode in [OpenMode::Existing, OpenMode::Create] {
        let err = Credman::open(&path, mode).unwrap_err();
        assert!(matches!(err, Error::ForeignDatabase(_)), "{err}");
    }
    assert_eq!(fs::read(&path).unwrap(), before, "the file was changed");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
}

/// `needs_rehash` reads a stored hash's parameters without the caps: an admin who raised a cap
/// and the policy with it must not make every login rehash forever.
#[test]
fn a_hash_over_the_default_caps_but_at_the_policy_is_not_rehashed() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_fast(&db_in(&dir));
    app.config_set("hash.cap.argon2.t", "30").unwrap();
    app.config_set("hash.argon2.t", "21").unwrap();
    app.add_user("alice", &pw(GOOD), false).unwrap();
    assert!(!app.user("alice").unwrap().needs_rehash);
    let (outcome, kdf) = counting(|| app.verify("alice", &pw(GOOD)).unwrap());
    assert!(outcome.valid && !outcome.rehashed, "{outcome:?}");
    assert_eq!(kdf, 1);
}

/// Absurd parameters in a stored hash are refused before any arithmetic can overflow or any
/// memory is allocated.
#[test]
fn absurd_stored_parameters_are_unusable_not_a_crash() {
    use credman::hashing::{Caps, Check, verify_password};
    let salt_and_tag = "c29tZXNhbHRzb21lc2FsdA$Vfo5eLcVtFfYRrY+IGMfe5pLU1C2Qv+xFxyzrUdN6eU";
    for params in [
        "m=19456,t=2,p=4294967295",
        "m=4294967295,t=2,p=1",
        "m=19456,t=4294967295,p=1",
        "m=0,t=2,p=1",
        "m=19456,t=0,p=1",
    ] {
        let stored = format!("$argon2id$v=19${params}${salt_and_tag}");
        let (check, kdf) = counting(|| verify_password(&pw(GOOD), &stored, &Caps::default()));
        assert!(matches!(check, Check::Unusable(_)), "{params}: {check:?}");
        assert_eq!(kdf, 0, "{params}: the KDF ran");
    }
}

/// An unknown user's name is not written to the log: it may be a password typed into the
/// name field.
#[test]
fn an_unknown_user_name_is_not_logged() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_fast(&db_in(&dir));
    let typed = "my secret passphrase in the wrong field";
    assert!(!app.verify(typed, &pw(GOOD)).unwrap().valid);
    let events = app.events(None, None, 100).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.action, "verify.failure");
    assert_eq!(last.user, None);
    assert!(!last.detail.contains("secret"), "{last:?}");
    assert!(
        last.detail.contains(&typed.chars().count().to_string()),
        "{last:?}"
    );
}

/// `--allow-weak` lifts the strength rules, never the floor: an empty password is refused.
#[test]
fn an_empty_password_is_refused_even_when_weak_ones_are_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_fast(&db_in(&dir));
    let err = app.add_user("alice", &pw(""), true).unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
    assert!(!app.user_exists("alice").unwrap());
}

/// A generated password satisfies a policy that asks for more than 24 characters.
#[test]
fn a_generated_password_follows_a_longer_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_fast(&db_in(&dir));
    app.config_set("password.min_length", "40").unwrap();
    let generated = app.policy().unwrap().generate_password().unwrap();
    assert_eq!(generated.len(), 40);
    app.add_user("svc", &generated, false).unwrap();
    assert!(app.verify("svc", &generated).unwrap().valid);
}

/// A lock reason is shown in terminals and the log: control characters (escape sequences)
/// are refused, and the user stays unlocked.
#[test]
fn a_lock_reason_with_control_characters_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_fast(&db_in(&dir));
    app.add_user("alice", &pw(GOOD), false).unwrap();
    let err = app
        .lock_user("alice", Some("\x1b[31mred\x1b[0m"))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err}");
    assert!(!app.user("alice").unwrap().locked);
}

/// The store gives a stray `-shm` mode 0600, but never through a symlink: a link planted next
/// to the database must not re-mode the file it points at.
#[test]
fn a_symlinked_side_file_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    drop(open_fast(&path));
    let victim = dir.path().join("victim");
    fs::write(&victim, b"x").unwrap();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o644)).unwrap();
    let shm = dir.path().join("credman.db-shm");
    let _ = fs::remove_file(&shm);
    std::os::unix::fs::symlink(&victim, &shm).unwrap();
    let _ = Credman::open(&path, OpenMode::Existing);
    let mode = fs::metadata(&victim).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "the symlink's target was re-moded");
}

/// A user whose stored hash came from a Flask app (Werkzeug's scrypt, here written straight
/// into the row as an import would) logs in with the old password and comes out with an
/// argon2id hash at the current policy; a wrong password changes nothing.
#[test]
fn a_werkzeug_hash_is_upgraded_to_argon2id_at_login() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    let app = open_fast(&path);
    app.add_user("flask", &pw(GOOD), false).unwrap();
    // Made by werkzeug 2.3.8: generate_password_hash("correct horse battery staple",
    // "scrypt:16384:8:1") (a line of tests/data/hashes.jsonl).
    let werkzeug = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/hashes.jsonl"
    ))
    .unwrap()
    .lines()
    .find(|l| {
        l.contains("werkzeug_scrypt_16384_8_1")
            && l.contains("\"valid\": true")
            && l.contains(&format!("\"password\": \"{GOOD}\""))
    })
    .map(|l| {
        let start = l.find("\"hash\": \"").unwrap() + 9;
        l[start..start + l[start..].find('"').unwrap()].to_owned()
    })
    .expect("the vectors hold a Werkzeug scrypt hash of GOOD");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE users SET hash = ?1 WHERE name = 'flask'",
            [&werkzeug],
        )
        .unwrap();
    let before = app.user("flask").unwrap();
    assert_eq!(before.scheme, "werkzeug-scrypt");
    assert!(before.needs_rehash);

    assert!(!app.verify("flask", &pw(OTHER)).unwrap().valid);
    assert_eq!(app.user("flask").unwrap().scheme, "werkzeug-scrypt");

    let outcome = app.verify("flask", &pw(GOOD)).unwrap();
    assert!(outcome.valid && outcome.rehashed, "{outcome:?}");
    let after = app.user("flask").unwrap();
    assert_eq!(after.scheme, "argon2id");
    assert!(!after.needs_rehash);
    assert!(app.verify("flask", &pw(GOOD)).unwrap().valid);
}

// ---------------------------------------------------------------------------------------------
// Audit.
// ---------------------------------------------------------------------------------------------

/// An audit of a database whose users came from elsewhere: the summary counts each verdict,
/// the findings name the users that need attention (never their hash), a shared hash is
/// flagged on both users, `--stale` keeps only the rehash-needing users who stopped logging
/// in, and `--fail-on` thresholds answer as documented.
#[test]
fn audit_judges_every_stored_hash() {
    use credman::FailOn;
    use credman::hashing::Verdict;
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    let app = open_fast(&path).with_clock(Arc::new(ManualClock::new(T0)));
    app.config_set("hash.argon2.m", "19456").unwrap();
    app.config_set("hash.argon2.t", "2").unwrap();
    let rows = [
        ("strong", None),
        (
            "bcrypt4",
            Some("$2b$04$OKawxsBn/8BpcllT9Jx4xe6LR3Scc7vP3a7hh1yaLVP0rpq34ICU."),
        ),
        ("apache", Some("$apr1$Vx8xf2O7$4uG6DfRnE4HNPUe6J/iRv0")),
        ("twin", Some("$apr1$Vx8xf2O7$4uG6DfRnE4HNPUe6J/iRv0")),
        ("flask", Some("plain$$p@ss w0rd")),
        (
            "broken",
            Some("$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNo"),
        ),
    ];
    let conn = rusqlite::Connection::open(&path).unwrap();
    for (name, hash) in rows {
        app.add_user(name, &pw(GOOD), false).unwrap();
        if let Some(hash) = hash {
            conn.execute("UPDATE users SET hash = ?1 WHERE name = ?2", [hash, name])
                .unwrap();
        }
    }
    // `strong` logged in recently; everyone else never did.
    assert!(app.verify("strong", &pw(GOOD)).unwrap().valid);

    let report = app.audit(None).unwrap();
    let summary: Vec<(&str, u64)> = report
        .summary
        .iter()
        .map(|(v, n)| (v.as_str(), *n))
        .collect();
    assert_eq!(
        summary,
        [
            ("strong", 1),
            ("weak", 1),
            ("legacy", 2),
            ("plaintext", 1),
            ("malformed", 1)
        ]
    );
    let users: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.user.as_deref().unwrap())
        .collect();
    assert_eq!(users, ["apache", "bcrypt4", "broken", "flask", "twin"]);
    let apache = &report.findings[0];
    assert_eq!((apache.scheme, apache.verdict), ("apr1", Verdict::Legacy));
    assert!(
        apache.reasons.iter().any(|r| r == "same hash as twin"),
        "{apache:?}"
    );
    let broken = &report.findings[2];
    assert!(
        broken.reasons.iter().any(|r| r.contains("over the caps")),
        "{broken:?}"
    );
    for f in &report.findings {
        assert!(f.needs_rehash);
        let shown = format!("{f:?}");
        assert!(
            !shown.contains("4uG6DfRnE4HN") && !shown.contains("OKawxsBn"),
            "{shown}"
        );
    }
    assert!(
        report.fails(FailOn::Weak) && report.fails(FailOn::Legacy) && report.fails(FailOn::Any)
    );

    // Only weak findings: --fail-on legacy passes, weak fails.
    let mut only_weak = report.clone();
    only_weak.findings.retain(|f| f.verdict == Verdict::Weak);
    assert!(only_weak.fails(FailOn::Weak) && !only_weak.fails(FailOn::Legacy));

    // --stale 30: everyone who needs a rehash has never logged in, so all five stay; once
    // `bcrypt4` logs in (and is upgraded) it is no finding at all.
    assert_eq!(app.audit(Some(30)).unwrap().findings.len(), 5);
    // The password bcrypt 5.0 hashed into that vector.
    assert!(
        app.verify("bcrypt4", &pw("p@ss w0rd$:{}\"\\"))
            .unwrap()
            .rehashed
    );
    let stale: Vec<String> = app
        .audit(Some(30))
        .unwrap()
        .findings
        .into_iter()
        .map(|f| f.user.unwrap())
        .collect();
    assert_eq!(stale, ["apache", "broken", "flask", "twin"]);
}

/// Prune of mostly dead sessions takes the bulk path (live ones kept aside, the table emptied
/// in one step with foreign keys off): the count is right, the live sessions keep their ids and
/// tokens, and foreign keys are back on afterwards (deleting a user still removes theirs).
#[test]
fn a_prune_of_mostly_dead_sessions_keeps_the_live_ones_intact() {
    use credman::SessionOptions;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(T0));
    let app = open_fast(&db_in(&dir)).with_clock(clock.clone());
    app.add_user("alice", &pw(GOOD), true).unwrap();
    app.add_user("bob", &pw(OTHER), true).unwrap();
    let short = SessionOptions {
        ttl: Some(60),
        ..Default::default()
    };
    for _ in 0..20 {
        app.create_session("alice", &short).unwrap();
    }
    let live = [
        app.create_session("alice", &SessionOptions::default())
            .unwrap(),
        app.create_session("bob", &SessionOptions::default())
            .unwrap(),
    ];
    clock.advance(61);
    assert_eq!(app.prune_sessions().unwrap(), 20);
    for issued in &live {
        let seen = app
            .check_session(issued.token.as_str())
            .unwrap()
            .expect("still valid");
        assert_eq!(seen.id, issued.session.id);
    }
    let mut left = 0;
    app.for_each_session(None, true, |_| -> credman::Result<()> {
        left += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(left, 2);
    app.delete_user("bob").unwrap();
    assert!(app.check_session(live[1].token.as_str()).unwrap().is_none());
    let mut rows = 0;
    app.for_each_session(None, true, |_| -> credman::Result<()> {
        rows += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        rows, 1,
        "bob's session row went with him: foreign keys are on again"
    );
}
