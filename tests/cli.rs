//! CLI integration tests: the real `credman` binary, spawned as an admin or a script would run
//! it. Every command runs against the test's own temporary `--db`, with `NO_COLOR=1` and every
//! inherited `CREDMAN_*` variable removed; passwords go in on stdin (`--password-stdin`), never
//! in argv.
//!
//! Most tests lower the KDF (`hash.argon2.m 64`, `t 1`) right after creating the database;
//! `admin_flow_at_the_default_kdf_parameters` runs at the real defaults, on a disk-backed temp
//! dir. The others use `/dev/shm` when there is one: SQLite's `synchronous=FULL` makes every
//! write an fsync, which on a disk costs tens of milliseconds per command.
#![cfg(unix)]

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command as StdCommand, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::*;

/// Passes the default policy (15+ characters, zxcvbn score >= 3).
const PW: &str = "correct horse battery staple";
const PW2: &str = "tangerine accordion glacier";
const WRONG: &str = "not the password at all";

/// The JSON fields of `user list` / `user show` that SPEC §2 fixes.
const USER_FIELDS: [&str; 10] = [
    "name",
    "created_at",
    "password_changed_at",
    "last_login_at",
    "locked",
    "lock_reason",
    "failed_attempts",
    "scheme",
    "needs_rehash",
    "active_sessions",
];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn line(pw: &[u8]) -> Vec<u8> {
    let mut v = pw.to_vec();
    v.push(b'\n');
    v
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// What these tests ask of their database, beyond `common::Db`.
impl Db {
    #[track_caller]
    fn add(&self, name: &str, pw: &str) {
        self.run_in(
            &["user", "add", name, "--password-stdin"],
            &line(pw.as_bytes()),
        )
        .ok();
    }

    fn verify(&self, name: &str, pw: &[u8]) -> Run {
        self.run_in(&["verify", name, "--password-stdin"], &line(pw))
    }

    #[track_caller]
    fn assert_verifies(&self, name: &str, pw: &[u8]) {
        let run = self.verify(name, pw);
        run.ok();
        assert_eq!(run.stdout(), "valid\n", "{run:?}");
    }

    #[track_caller]
    fn assert_denied(&self, name: &str, pw: &[u8]) {
        let run = self.verify(name, pw);
        run.clean(1);
        assert_eq!(run.stdout(), "invalid\n", "{run:?}");
    }

    fn show(&self, name: &str) -> Value {
        self.json(&["user", "show", name])
    }

    fn actions(&self) -> Vec<String> {
        self.events()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Everything a failed command must leave as it was: the users and the event log.
    fn snapshot(&self) -> (Vec<Value>, Vec<Value>) {
        (self.users(), self.events())
    }

    fn setting(&self, key: &str) -> String {
        let run = self.run(&["config", "get", key]);
        run.ok();
        run.stdout().trim_end().to_owned()
    }
}

/// Waits for a child up to `limit`; kills it and fails if it is still running then.
#[track_caller]
fn wait_or_kill(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[track_caller]
fn assert_user_shape(u: &Value) {
    let obj = u
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {u}"));
    for field in USER_FIELDS {
        assert!(obj.contains_key(field), "missing {field}: {u}");
    }
    assert!(u["name"].is_string(), "{u}");
    for ts in ["created_at", "password_changed_at"] {
        assert!(
            u[ts].as_str().is_some_and(is_rfc3339_utc),
            "{ts} is not RFC 3339 UTC: {u}"
        );
    }
    assert!(
        u["last_login_at"].is_null() || u["last_login_at"].as_str().is_some_and(is_rfc3339_utc),
        "{u}"
    );
    assert!(u["locked"].is_boolean(), "{u}");
    assert!(
        u["lock_reason"].is_null() || u["lock_reason"].is_string(),
        "{u}"
    );
    assert!(u["failed_attempts"].is_u64(), "{u}");
    assert!(u["scheme"].is_string(), "{u}");
    assert!(u["needs_rehash"].is_boolean(), "{u}");
    assert!(u["active_sessions"].is_u64(), "{u}");
}

// ---------------------------------------------------------------------------------------------
// 1. The admin flow
// ---------------------------------------------------------------------------------------------

#[test]
fn admin_flow_at_the_default_kdf_parameters() {
    // On a disk-backed temp dir and at the real argon2id defaults: what an admin really runs.
    let db = Db::in_dir(tempfile::tempdir().unwrap());
    let path = db.path.display().to_string();

    // init prints the path, creates the file, and is idempotent.
    let run = db.run(&["init"]);
    run.ok();
    assert_eq!(run.stdout(), format!("{path}\n"));
    assert!(db.path.is_file());
    let again = db.run(&["init"]);
    again.ok();
    assert_eq!(again.stdout(), format!("{path}\n"));
    let doc = db.json(&["init"]);
    assert_eq!(doc["path"], path.as_str());
    assert_eq!(doc["created"], false);
    assert_eq!(db.setting("hash.argon2.m"), "19456");
    assert_eq!(db.setting("hash.argon2.t"), "2");
    assert_eq!(db.setting("hash.argon2.p"), "1");

    // user add from stdin.
    let run = db.run_in(
        &["user", "add", "alice", "--password-stdin"],
        &line(PW.as_bytes()),
    );
    run.ok();
    assert!(run.stdout().contains("alice"), "{run:?}");
    assert!(
        !run.stdout().contains(PW),
        "the password was echoed: {run:?}"
    );

    // --generate prints the password once, and it verifies.
    let run = db.run(&["user", "add", "svc-backup", "--generate"]);
    run.ok();
    let generated: Vec<&str> = run
        .stdout()
        .lines()
        .filter_map(|l| l.strip_prefix("password: "))
        .collect();
    assert_eq!(generated.len(), 1, "one password line: {run:?}");
    let gen1 = generated[0].to_owned();
    assert!(gen1.chars().count() >= 20, "{gen1:?} is short");
    assert_eq!(run.stdout().matches(gen1.as_str()).count(), 1, "{run:?}");
    db.assert_verifies("svc-backup", gen1.as_bytes());

    let doc = db.json(&["user", "add", "svc-mail", "--generate"]);
    assert_user_shape(&doc);
    assert_eq!(doc["name"], "svc-mail");
    let gen2 = doc["password"]
        .as_str()
        .expect("a password field")
        .to_owned();
    assert!(gen2.chars().count() >= 20, "{gen2:?} is short");
    assert_ne!(gen1, gen2);
    db.assert_verifies("svc-mail", gen2.as_bytes());

    // verify: exit 0 / 1, and its JSON shape (a denial carries no reason).
    db.assert_verifies("alice", PW.as_bytes());
    db.assert_denied("alice", WRONG.as_bytes());
    let run = db.run_in(
        &["--json", "verify", "alice", "--password-stdin"],
        &line(PW.as_bytes()),
    );
    run.ok();
    assert_eq!(
        run.json(),
        serde_json::json!({"user": "alice", "valid": true, "rehashed": false})
    );
    let run = db.run_in(
        &["--json", "verify", "alice", "--password-stdin"],
        &line(WRONG.as_bytes()),
    );
    run.clean(1);
    assert_eq!(
        run.json(),
        serde_json::json!({"user": "alice", "valid": false, "rehashed": false})
    );

    // user show / user list shapes.
    let alice = db.show("alice");
    assert_user_shape(&alice);
    assert_eq!(alice["name"], "alice");
    assert_eq!(alice["locked"], false);
    assert_eq!(alice["lock_reason"], Value::Null);
    assert_eq!(
        alice["failed_attempts"], 1,
        "one wrong password since the last success"
    );
    assert_eq!(alice["scheme"], "argon2id");
    assert_eq!(alice["needs_rehash"], false);
    assert_eq!(alice["active_sessions"], 0);
    assert!(
        alice["last_login_at"].is_string(),
        "alice has logged in: {alice}"
    );

    db.add("carol", PW2);
    let carol = db.show("carol");
    assert_eq!(
        carol["last_login_at"],
        Value::Null,
        "never logged in: {carol}"
    );
    let users = db.users();
    for u in &users {
        assert_user_shape(u);
    }
    assert_eq!(
        db.names(),
        ["alice", "carol", "svc-backup", "svc-mail"],
        "all users, in name order"
    );

    // lock: the right password is denied; --locked lists only alice.
    db.run(&["user", "lock", "alice", "--reason", "laptop stolen"])
        .ok();
    let alice = db.show("alice");
    assert_eq!(alice["locked"], true);
    assert_eq!(alice["lock_reason"], "laptop stolen");
    db.assert_denied("alice", PW.as_bytes());
    let locked = db.json(&["user", "list", "--locked"]);
    let locked: Vec<&str> = locked
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(locked, ["alice"]);

    // unlock: verifies again, failures cleared.
    db.run(&["user", "unlock", "alice"]).ok();
    let alice = db.show("alice");
    assert_eq!(alice["locked"], false);
    assert_eq!(alice["failed_attempts"], 0);
    db.assert_verifies("alice", PW.as_bytes());

    // passwd: the old password stops working, the new one works.
    db.run_in(
        &["user", "passwd", "carol", "--password-stdin"],
        &line(PW.as_bytes()),
    )
    .ok();
    db.assert_denied("carol", PW2.as_bytes());
    db.assert_verifies("carol", PW.as_bytes());

    // rename: the old name is gone, the new one verifies.
    db.run(&["user", "rename", "alice", "alice.smith"]).ok();
    db.run(&["user", "show", "alice"])
        .error(&["no user named 'alice'"]);
    db.assert_denied("alice", PW.as_bytes());
    db.assert_verifies("alice.smith", PW.as_bytes());

    // delete --yes: gone.
    db.run(&["user", "delete", "alice.smith", "--yes"]).ok();
    db.run(&["user", "show", "alice.smith"])
        .error(&["no user named 'alice.smith'"]);
    db.assert_denied("alice.smith", PW.as_bytes());
    assert_eq!(db.names(), ["carol", "svc-backup", "svc-mail"]);

    // The event log: every action, no secret, no hash.
    let events = db.events();
    for e in &events {
        let obj = e.as_object().unwrap();
        for field in ["at", "actor", "action", "user", "detail"] {
            assert!(obj.contains_key(field), "event without {field}: {e}");
        }
        assert!(e["at"].as_str().is_some_and(is_rfc3339_utc), "{e}");
        assert!(
            e["actor"].as_str().is_some_and(|a| a.starts_with("cli:")),
            "{e}"
        );
    }
    let actions = db.actions();
    for action in [
        "user.add",
        "user.passwd",
        "verify.success",
        "verify.failure",
        "user.lock",
        "user.unlock",
        "user.rename",
        "user.delete",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "no {action} in {actions:?}"
        );
    }
    let log_text = serde_json::to_string(&events).unwrap();
    for secret in [PW, PW2, WRONG, &gen1, &gen2, "$argon2"] {
        assert!(
            !log_text.contains(secret),
            "the event log holds {secret:?}: {log_text}"
        );
    }
    // Nor does anything a read command prints.
    let shown = format!(
        "{}{}",
        db.run(&["user", "list"]).stdout(),
        db.run(&["--json", "user", "list"]).stdout()
    );
    for secret in [PW, PW2, &gen1, &gen2, "$argon2"] {
        assert!(!shown.contains(secret), "user list shows {secret:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Every denial looks the same
// ---------------------------------------------------------------------------------------------

#[test]
fn every_denial_looks_the_same_unless_explained() {
    // Four databases, each with the same name asked about, so the outputs can be compared byte
    // for byte: alice unknown, locked, throttled, or given a wrong password.
    let unknown = Db::fast();
    unknown.add("bob", PW);

    let locked = Db::fast();
    locked.add("alice", PW);
    locked.run(&["user", "lock", "alice"]).ok();

    let throttled = Db::fast();
    throttled
        .run(&["config", "set", "lockout.threshold", "1"])
        .ok();
    throttled.add("alice", PW);
    throttled.assert_denied("alice", WRONG.as_bytes());
    assert!(
        throttled.show("alice")["throttled_until"].is_string(),
        "one failure at threshold 1 throttles"
    );

    let wrong = Db::fast();
    wrong.add("alice", PW);

    // Locked and throttled users are denied even with the right password.
    let cases: [(&str, &Db, &str, &str); 4] = [
        ("unknown user", &unknown, WRONG, "no such user"),
        ("locked user", &locked, PW, "locked"),
        ("throttled user", &throttled, PW, "throttled"),
        ("wrong password", &wrong, WRONG, "wrong password"),
    ];

    for json in [false, true] {
        let mut args = vec!["verify", "alice", "--password-stdin"];
        if json {
            args.insert(0, "--json");
        }
        let runs: Vec<(&str, Run)> = cases
            .iter()
            .map(|(what, db, pw, _)| (*what, db.run_in(&args, &line(pw.as_bytes()))))
            .collect();
        let (first_what, first) = &runs[0];
        first.clean(1);
        if json {
            assert_eq!(
                first.json(),
                serde_json::json!({"user": "alice", "valid": false, "rehashed": false})
            );
        } else {
            assert_eq!(first.stdout(), "invalid\n");
        }
        for (what, run) in &runs[1..] {
            assert_eq!(run.code(), Some(1), "{what}: {run:?}");
            assert_eq!(
                run.stdout, first.stdout,
                "stdout of '{what}' differs from '{first_what}' (json: {json})"
            );
            assert_eq!(
                run.stderr, first.stderr,
                "stderr of '{what}' differs from '{first_what}' (json: {json})"
            );
        }
    }

    // --explain: same stdout and exit status, but stderr tells the true reason.
    let mut stderrs = Vec::new();
    for (what, db, pw, reason) in cases {
        let run = db.run_in(
            &["verify", "alice", "--password-stdin", "--explain"],
            &line(pw.as_bytes()),
        );
        assert_eq!(run.code(), Some(1), "{what}: {run:?}");
        assert_eq!(run.stdout(), "invalid\n", "{what}: {run:?}");
        assert!(
            run.stderr().to_lowercase().contains(reason),
            "--explain for '{what}' does not say {reason:?}: {run:?}"
        );
        assert!(!run.stderr().contains(pw), "--explain echoed the password");
        stderrs.push(run.stderr);
    }
    for i in 0..stderrs.len() {
        for j in i + 1..stderrs.len() {
            assert_ne!(
                stderrs[i], stderrs[j],
                "--explain gives the same reason for '{}' and '{}'",
                cases[i].0, cases[j].0
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Bad input: exit 2, one line that says what is wrong, nothing lost or half-written
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_names_are_refused_with_the_reason() {
    let db = Db::fast();
    db.add("alice", PW);
    let before = db.snapshot();

    let long_ascii = "a".repeat(65);
    let long_wide = "é".repeat(65);
    let rows: [(&str, &str); 10] = [
        ("", "empty"),
        (&long_ascii, "65 characters"),
        (&long_wide, "65 characters"),
        ("al\u{7}ice", "control character"),
        ("al\tice", "control character"),
        ("al\nice", "control character"),
        ("\u{1b}[31mred", "control character"),
        (" alice", "white space"),
        ("alice ", "white space"),
        ("alice\u{a0}", "white space"),
    ];
    for (name, why) in rows {
        db.run_in(
            &["user", "add", name, "--password-stdin"],
            &line(PW.as_bytes()),
        )
        .error(&["invalid user name", why]);
        db.run(&["user", "rename", "alice", name])
            .error(&["invalid user name", why]);
        assert_eq!(db.snapshot(), before, "after the name {name:?}");
    }

    // A bad name is refused before anything is created.
    let fresh = Db::missing();
    fresh
        .run_in(
            &["user", "add", "", "--password-stdin"],
            &line(PW.as_bytes()),
        )
        .error(&["empty"]);
    assert!(!fresh.path.exists(), "a refused name created the database");

    // The limits are characters, not bytes; inner spaces are fine; names are case-sensitive.
    let ok_names = [
        "b".repeat(64),
        "é".repeat(64),
        "Ann Lee".into(),
        "Alice".into(),
    ];
    for name in &ok_names {
        db.add(name, PW2);
    }
    db.assert_verifies("Alice", PW2.as_bytes());
    db.assert_verifies("alice", PW.as_bytes());
    db.assert_denied("ALICE", PW.as_bytes());
    assert_eq!(db.names().len(), 5);
}

#[test]
fn bad_passwords_are_refused_and_nothing_is_written() {
    let db = Db::fast();
    db.add("alice", PW);
    let before = db.snapshot();

    let over = vec![b'a'; 1025];
    let huge = vec![b'a'; 2 * 1024 * 1024];
    let rows: [(&str, Vec<u8>, &[&str]); 7] = [
        (
            "an empty line",
            b"\n".to_vec(),
            &["password refused", "empty"],
        ),
        (
            "no line at all",
            Vec::new(),
            &["no password on standard input"],
        ),
        ("1025 bytes", line(&over), &["longer than 1024 bytes"]),
        ("2 MiB", line(&huge), &["longer than 1024 bytes"]),
        ("too short", line(b"Tr0ub4dor&3"), &["characters", "15"]),
        (
            "too common",
            line(b"passwordpassword"),
            &["too easy to guess"],
        ),
        (
            "built on the user name",
            line(b"alicealicealice1"),
            &["too easy to guess"],
        ),
    ];
    for (what, stdin, needles) in &rows {
        let run = db.run_in(&["user", "add", "bob", "--password-stdin"], stdin);
        run.error(needles);
        let typed = String::from_utf8_lossy(stdin).trim_end().to_owned();
        if !typed.is_empty() && typed.len() < 100 {
            assert!(!run.stderr().contains(&typed), "{what}: echoed: {run:?}");
        }
        db.run_in(&["user", "passwd", "alice", "--password-stdin"], stdin)
            .error(needles);
        assert_eq!(db.snapshot(), before, "after {what}");
    }
    db.assert_verifies("alice", PW.as_bytes());
}

#[test]
fn the_length_limit_is_never_lifted_by_allow_weak() {
    let db = Db::fast();
    db.run_in(
        &["user", "add", "max", "--password-stdin", "--allow-weak"],
        &line(&[b'a'; 1024]),
    )
    .ok();
    db.assert_verifies("max", &[b'a'; 1024]);
    let before = db.snapshot();
    db.run_in(
        &["user", "add", "over", "--password-stdin", "--allow-weak"],
        &line(&[b'a'; 1025]),
    )
    .error(&["longer than 1024 bytes"]);
    assert_eq!(db.snapshot(), before);
}

#[test]
fn passwords_are_kept_byte_exact() {
    let db = Db::fast();

    // A NUL byte is part of the password, not its end.
    let nul = b"correct horse\0battery staple";
    db.run_in(&["user", "add", "nul", "--password-stdin"], &line(nul))
        .ok();
    db.assert_verifies("nul", nul);
    for near in [
        &b"correct horse\0battery stable"[..],
        b"correct horse\0",
        b"correct horse",
        b"correct horse battery staple",
    ] {
        db.assert_denied("nul", near);
    }

    // Spaces are kept; one trailing \n or \r\n is stripped; only the first line is read.
    let spaced = "  tangerine accordion glacier  ";
    db.add("spaced", spaced);
    db.assert_verifies("spaced", spaced.as_bytes());
    db.assert_denied("spaced", spaced.trim().as_bytes());
    db.run_in(
        &["verify", "spaced", "--password-stdin"],
        format!("{spaced}\r\n").as_bytes(),
    )
    .ok();
    db.run_in(
        &["verify", "spaced", "--password-stdin"],
        format!("{spaced}\nsecond line\n").as_bytes(),
    )
    .ok();
    db.run_in(
        &["verify", "spaced", "--password-stdin"],
        spaced.as_bytes(), // no newline at all
    )
    .ok();

    // Invalid UTF-8 is kept too.
    let latin1 = b"caf\xe9 accordion glacier tangerine";
    db.run_in(
        &["user", "add", "latin1", "--password-stdin"],
        &line(latin1),
    )
    .ok();
    db.assert_verifies("latin1", latin1);
    db.assert_denied("latin1", "café accordion glacier tangerine".as_bytes());
}

#[test]
fn verifying_an_overlong_password_is_a_denial() {
    let db = Db::fast();
    db.add("alice", PW);
    let wrong = db.verify("alice", WRONG.as_bytes());
    for len in [1025, 2 * 1024 * 1024] {
        let run = db.verify("alice", &vec![b'a'; len]);
        run.clean(1);
        assert_eq!(run.stdout, wrong.stdout, "{len} bytes");
        let run = db.run_in(
            &["verify", "alice", "--password-stdin", "--explain"],
            &line(&vec![b'a'; len]),
        );
        assert_eq!(run.code(), Some(1), "{run:?}");
        assert!(run.stderr().contains("longer than"), "{run:?}");
    }
}

#[test]
fn verifying_a_password_over_the_stdin_bound_is_still_a_denial() {
    // A line longer than the stdin reader keeps (MAX_INPUT) is still read to its end and denied
    // (exit 1), like any password over password.max_bytes (SPEC §3), not turned into an error.
    let db = Db::fast();
    db.add("alice", PW);
    let run = db.verify("alice", &vec![b'a'; 17 * 1024 * 1024]);
    assert_eq!(run.code(), Some(1), "{run:?}");
    assert_eq!(run.stdout(), "invalid\n", "{run:?}");
}

#[test]
fn a_missing_database_is_not_created_by_a_read() {
    let dir = scratch();
    let folder = dir.path().join("no").join("such");
    let db = Db {
        path: folder.join("credman.db"),
        dir,
    };
    let reads: [(&[&str], &[u8]); 10] = [
        (&["user", "list"], b""),
        (&["user", "show", "alice"], b""),
        (&["verify", "alice", "--password-stdin"], b"x\n"),
        (&["log"], b""),
        (&["config", "list"], b""),
        (&["config", "get", "session.ttl"], b""),
        (&["user", "lock", "alice"], b""),
        (&["user", "unlock", "alice"], b""),
        (&["user", "delete", "alice", "--yes"], b""),
        (&["user", "passwd", "alice", "--password-stdin"], b"x\n"),
    ];
    for (args, stdin) in reads {
        db.run_in(args, stdin)
            .error(&["no database at", "credman init"]);
        assert!(
            !dir_exists(&db.dir.path().join("no")),
            "{args:?} created the folder"
        );
    }

    // A write creates the folders 0700 and the file 0600.
    db.run_in(
        &["user", "add", "alice", "--password-stdin"],
        &line(PW.as_bytes()),
    )
    .ok();
    assert_eq!(mode(&db.dir.path().join("no")), 0o700);
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&db.path), 0o600);
    db.assert_verifies("alice", PW.as_bytes());
}

fn dir_exists(p: &Path) -> bool {
    fs::symlink_metadata(p).is_ok()
}

#[test]
fn a_file_that_is_not_sqlite_is_left_alone() {
    for content in [
        &b"my shopping list:\n- milk\n- eggs\n- bread and butter\n"[..],
        b"hello",
    ] {
        let db = Db::missing();
        fs::write(&db.path, content).unwrap();
        chmod(&db.path, 0o600);
        let cases: [(&[&str], &[u8]); 7] = [
            (&["init"], b""),
            (&["user", "list"], b""),
            (&["--json", "user", "list"], b""),
            (&["user", "add", "alice", "--password-stdin"], PW.as_bytes()),
            (&["verify", "alice", "--password-stdin"], PW.as_bytes()),
            (&["config", "set", "session.ttl", "1h"], b""),
            (&["log"], b""),
        ];
        for (args, stdin) in cases {
            db.run_in(args, &line(stdin))
                .error(&["not a credman database"]);
            assert_eq!(fs::read(&db.path).unwrap(), content, "{args:?} changed it");
            let mut left: Vec<String> = fs::read_dir(db.dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            left.sort();
            assert_eq!(left, ["credman.db"], "{args:?} left files behind");
        }
    }
}

#[test]
fn a_read_only_database_can_be_read_but_not_written() {
    let db = Db::fast();
    db.add("alice", PW);
    let before = db.snapshot();
    let table = db.run(&["user", "list"]).stdout.clone();

    chmod(&db.path, 0o400);
    let run = db.run(&["user", "list"]);
    run.ok();
    assert_eq!(run.stdout, table);
    assert_eq!(db.show("alice")["name"], "alice");
    db.run_in(
        &["user", "add", "bob", "--password-stdin"],
        &line(PW2.as_bytes()),
    )
    .error(&["read-only"]);
    db.run(&["user", "lock", "alice"]).error(&["read-only"]);
    db.run(&["config", "set", "session.ttl", "1h"])
        .error(&["read-only"]);

    chmod(&db.path, 0o600);
    assert_eq!(
        db.snapshot(),
        before,
        "a refused write changed the database"
    );
}

#[test]
fn a_database_made_read_only_then_writable_again_accepts_writes() {
    // A read of a 0400 database in WAL mode leaves a `-shm` (and `-wal`) with the database's
    // mode, 0400, which a read-only connection cannot remove. Once the admin restores 0600,
    // writes must work again: the store gives existing side files 0600 before SQLite opens
    // them (SPEC §1: `-wal` and `-shm` are 0600).
    //
    // Root ignores file modes, so as root this test runs the binary as `nobody` via setpriv.
    let euid = unsafe { libc::geteuid() };
    let dir = scratch();
    // A copy of the binary inside the scratch folder, so `nobody` can run it wherever the
    // checkout lives (CI may clone under a folder only root can enter).
    let own_bin = dir.path().join("credman");
    std::fs::copy(BIN, &own_bin).unwrap();
    chmod(&own_bin, 0o755);
    let own_bin = own_bin.to_str().unwrap().to_owned();
    let (program, prefix): (String, Vec<&str>) = if euid == 0 {
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("setpriv (util-linux) is needed to run this test as root");
        std::os::unix::fs::chown(dir.path(), Some(65534), Some(65534)).unwrap();
        (
            setpriv.to_owned(),
            vec!["--reuid=65534", "--regid=65534", "--clear-groups", &own_bin],
        )
    } else {
        (own_bin.clone(), vec![])
    };
    let path = dir.path().join("credman.db");
    let run = |args: &[&str], stdin: &[u8]| -> Run {
        let mut cmd = std_credman(&program);
        cmd.args(&prefix)
            .arg("--db")
            .arg(&path)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        Run::from_output(child.wait_with_output().unwrap())
    };
    run(&["init"], b"").ok();
    run(&["config", "set", "hash.argon2.m", "64"], b"").ok();
    run(
        &["user", "add", "alice", "--password-stdin"],
        &line(PW.as_bytes()),
    )
    .ok();

    chmod(&path, 0o400);
    run(&["user", "list"], b"").ok();
    chmod(&path, 0o600);

    run(
        &["user", "add", "bob", "--password-stdin"],
        &line(PW2.as_bytes()),
    )
    .ok();
    for suffix in ["-wal", "-shm"] {
        let file = sidecar(&path, suffix);
        if file.exists() {
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }
}

#[test]
fn config_errors_say_what_is_wrong_and_change_nothing() {
    let db = Db::fast();
    let before = db.json(&["config", "list"]);
    let events = db.events();

    db.run(&["config", "set", "no.such.key", "1"])
        .error(&["unknown config key", "no.such.key"]);
    db.run(&["config", "get", "no.such.key"])
        .error(&["unknown config key", "no.such.key"]);
    db.run(&["config", "set", "session.ttl", "5x"])
        .error(&["bad duration", "5x"]);
    db.run(&["config", "set", "session.ttl", "soon"])
        .error(&["bad duration"]);
    db.run(&["log", "--since", "5x"])
        .error(&["bad duration", "5x"]);
    db.run(&["config", "set", "password.min_length", "7"])
        .error(&["password.min_length"]);
    db.run(&["config", "set", "lockout.threshold", "101"])
        .error(&["lockout.threshold"]);
    db.run(&["config", "set", "hash.argon2.m", "4194304"])
        .error(&["cap"]);

    assert_eq!(db.json(&["config", "list"]), before);
    assert_eq!(db.events(), events);
    assert_eq!(db.setting("session.ttl"), "12h");

    // The good forms work.
    db.run(&["config", "set", "session.ttl", "1h30m"]).ok();
    assert_eq!(db.setting("session.ttl"), "1h30m");
    db.run(&["log", "--since", "7d"]).ok();
}

#[test]
fn a_duplicate_user_is_refused_and_the_original_kept() {
    let db = Db::fast();
    db.add("alice", PW);
    db.add("bob", PW2);
    let before = db.snapshot();
    db.run_in(
        &["user", "add", "alice", "--password-stdin"],
        &line(PW2.as_bytes()),
    )
    .error(&["'alice' already exists"]);
    db.run(&["user", "add", "alice", "--generate"])
        .error(&["'alice' already exists"]);
    db.run(&["user", "rename", "bob", "alice"])
        .error(&["'alice' already exists"]);
    assert_eq!(db.snapshot(), before);
    db.assert_verifies("alice", PW.as_bytes());
    db.assert_denied("alice", PW2.as_bytes());
    db.assert_verifies("bob", PW2.as_bytes());
}

#[test]
fn admin_commands_on_an_unknown_user_are_errors() {
    let db = Db::fast();
    db.add("alice", PW);
    let before = db.snapshot();
    let cases: [(&[&str], &[u8]); 6] = [
        (&["user", "show", "ghost"], b""),
        (&["user", "lock", "ghost"], b""),
        (&["user", "unlock", "ghost"], b""),
        (
            &["user", "passwd", "ghost", "--password-stdin"],
            PW2.as_bytes(),
        ),
        (&["user", "rename", "ghost", "spook"], b""),
        (&["user", "delete", "ghost", "--yes"], b""),
    ];
    for (args, stdin) in cases {
        db.run_in(args, &line(stdin))
            .error(&["no user named 'ghost'"]);
    }
    assert_eq!(db.snapshot(), before);
}

#[test]
fn without_a_terminal_or_password_stdin_it_fails_at_once() {
    let db = Db::fast();
    db.add("alice", PW);
    let before = db.snapshot();
    let cases: [(&[&str], &str); 6] = [
        (&["verify", "alice"], "--password-stdin"),
        (&["--json", "verify", "alice"], "--password-stdin"),
        (&["user", "add", "bob"], "--password-stdin"),
        (&["user", "passwd", "alice"], "--password-stdin"),
        (&["hash"], "--password-stdin"),
        (&["user", "delete", "alice"], "--yes"),
    ];
    for (args, needle) in cases {
        // stdin is a pipe that stays open and empty: a read would block forever.
        let mut child = std_credman(BIN)
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let status = wait_or_kill(&mut child, Duration::from_secs(10), &format!("{args:?}"));
        drop(stdin);
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_end(&mut stdout)
            .unwrap();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_end(&mut stderr)
            .unwrap();
        Run {
            status,
            stdout,
            stderr,
        }
        .error(&[needle]);
    }
    assert_eq!(db.snapshot(), before);
}

#[test]
fn usage_errors_are_one_line() {
    let db = Db::fast();
    let cases: [(&[&str], &[&str]); 7] = [
        (&["frobnicate"], &["frobnicate"]),
        (&["user", "frob"], &["frob"]),
        (&["user", "add", "alice", "--bogus"], &["--bogus"]),
        (
            &["user", "add", "alice", "--password-stdin", "--generate"],
            &["--password-stdin", "--generate"],
        ),
        // A password given in argv is refused, not used.
        (&["user", "add", "alice", PW], &["unexpected argument"]),
        (&["log", "--limit", "many"], &["--limit"]),
        (&["user", "list", "--locked=maybe"], &["--locked"]),
    ];
    for (args, needles) in cases {
        db.run(args).error(needles);
    }
    assert!(db.names().is_empty());

    // --db without its value, before any database is named.
    let run = Run::from_output(credman().arg("--db").output().unwrap());
    run.error(&["--db"]);

    // --help and --version are not errors: stdout, exit 0.
    let run = Run::from_output(credman().arg("--help").output().unwrap());
    run.ok();
    assert!(run.stdout().contains("Exit status"), "{run:?}");
    let run = Run::from_output(credman().arg("--version").output().unwrap());
    run.ok();
    assert!(run.stdout().starts_with("credman "), "{run:?}");
}

#[test]
fn a_missing_argument_error_names_the_argument() {
    // clap puts the missing argument on the line after its message; the one-line error must
    // still name it.
    let db = Db::fast();
    for args in [
        &["user", "add"][..],
        &["verify"],
        &["user", "rename", "alice"],
    ] {
        db.run(args).error(&["<"]);
    }
}

#[test]
fn a_group_without_its_subcommand_is_a_one_line_usage_error() {
    // clap's default for `credman user` alone is a whole help page on stderr; SPEC §1 wants one
    // `credman: error:` line for every exit 2.
    let db = Db::fast();
    for args in [&["user"][..], &["config"]] {
        db.run(args).error(&["subcommand"]);
    }
}

// ---------------------------------------------------------------------------------------------
// 4. File modes
// ---------------------------------------------------------------------------------------------

/// `credman --db PATH ARGS...` under a given umask, through `sh -c 'umask U; exec ...'`.
fn under_umask(umask: &str, db: &Path, args: &[&str]) -> StdCommand {
    let mut cmd = std_credman("sh");
    cmd.arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(BIN)
        .arg("--db")
        .arg(db)
        .args(args);
    cmd
}

fn run_std(mut cmd: StdCommand, stdin: &[u8]) -> Run {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    Run::from_output(child.wait_with_output().unwrap())
}

#[test]
fn files_are_private_under_a_permissive_umask() {
    for umask in ["022", "000"] {
        let dir = scratch();
        let folder = dir.path().join("state");
        let db = folder.join("credman.db");
        run_std(under_umask(umask, &db, &["init"]), b"").ok();
        assert_eq!(mode(&folder), 0o700, "umask {umask}");
        assert_eq!(mode(&db), 0o600, "umask {umask}");
        for (key, value) in [("hash.argon2.m", "64"), ("hash.argon2.t", "1")] {
            run_std(under_umask(umask, &db, &["config", "set", key, value]), b"").ok();
        }
        run_std(
            under_umask(umask, &db, &["user", "add", "alice", "--password-stdin"]),
            &line(PW.as_bytes()),
        )
        .ok();

        // A verify that has opened the database and waits for its password on stdin: the
        // -wal and -shm it opened exist now, and must be private.
        let mut child = under_umask(umask, &db, &["verify", "alice", "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (wal, shm) = (sidecar(&db, "-wal"), sidecar(&db, "-shm"));
        let start = Instant::now();
        while !(wal.exists() && shm.exists()) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the running verify never opened -wal and -shm"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        assert_eq!(mode(&wal), 0o600, "-wal, umask {umask}");
        assert_eq!(mode(&shm), 0o600, "-shm, umask {umask}");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(&line(PW.as_bytes()))
            .unwrap();
        let run = Run::from_output(child.wait_with_output().unwrap());
        run.ok();
        assert_eq!(run.stdout(), "valid\n");

        assert_eq!(mode(&db), 0o600, "after use, umask {umask}");
        for file in [&wal, &shm] {
            if file.exists() {
                assert_eq!(mode(file), 0o600, "{}", file.display());
            }
        }
    }
}

#[test]
fn a_readable_database_gets_a_warning_but_works() {
    let db = Db::fast();
    db.add("alice", PW);
    chmod(&db.path, 0o644);

    let run = db.run(&["user", "list"]);
    assert_eq!(run.code(), Some(0), "{run:?}");
    let err = run.stderr();
    assert!(err.starts_with("credman: warning: "), "{run:?}");
    assert_eq!(err.matches('\n').count(), 1, "one warning line: {run:?}");
    assert!(err.contains("0644") && err.contains("chmod"), "{run:?}");
    assert!(run.stdout().contains("alice"), "{run:?}");

    // --json: the warning stays on stderr, stdout is still one document.
    let run = db.run(&["--json", "user", "list"]);
    assert_eq!(run.code(), Some(0), "{run:?}");
    assert!(run.stderr().starts_with("credman: warning: "), "{run:?}");
    assert_eq!(run.json().as_array().unwrap().len(), 1);

    // Writes and verifies still work.
    let run = db.verify("alice", PW.as_bytes());
    assert_eq!(run.code(), Some(0), "{run:?}");
    assert_eq!(run.stdout(), "valid\n");
    let run = db.run_in(
        &["user", "add", "bob", "--password-stdin"],
        &line(PW2.as_bytes()),
    );
    assert_eq!(run.code(), Some(0), "{run:?}");
}

// ---------------------------------------------------------------------------------------------
// 5. --json: exactly one document on stdout, for every command
// ---------------------------------------------------------------------------------------------

#[test]
fn json_mode_prints_exactly_one_document_for_every_command() {
    let db = Db::missing();
    // (args, stdin, exit status)
    let steps: Vec<(Vec<&str>, Vec<u8>, i32)> = vec![
        (vec!["init"], vec![], 0),
        (vec!["init"], vec![], 0),
        (vec!["config", "set", "hash.argon2.m", "64"], vec![], 0),
        (vec!["config", "set", "hash.argon2.t", "1"], vec![], 0),
        (vec!["config", "get", "session.ttl"], vec![], 0),
        (vec!["config", "list"], vec![], 0),
        (
            vec!["user", "add", "alice", "--password-stdin"],
            line(PW.as_bytes()),
            0,
        ),
        (vec!["user", "add", "svc", "--generate"], vec![], 0),
        (
            vec!["user", "add", "weak", "--password-stdin", "--allow-weak"],
            line(b"password"),
            0,
        ),
        (vec!["user", "list"], vec![], 0),
        (vec!["user", "list", "--locked"], vec![], 0),
        (vec!["user", "show", "alice"], vec![], 0),
        (
            vec!["verify", "alice", "--password-stdin"],
            line(PW.as_bytes()),
            0,
        ),
        (
            vec!["verify", "alice", "--password-stdin"],
            line(WRONG.as_bytes()),
            1,
        ),
        (
            vec!["verify", "ghost", "--password-stdin"],
            line(WRONG.as_bytes()),
            1,
        ),
        (
            vec!["user", "passwd", "alice", "--password-stdin"],
            line(PW2.as_bytes()),
            0,
        ),
        (vec!["user", "passwd", "svc", "--generate"], vec![], 0),
        (
            vec!["user", "lock", "alice", "--reason", "audit"],
            vec![],
            0,
        ),
        (vec!["user", "unlock", "alice"], vec![], 0),
        (vec!["user", "rename", "alice", "alice2"], vec![], 0),
        (vec!["user", "delete", "alice2", "--yes"], vec![], 0),
        (vec!["log"], vec![], 0),
        (
            vec!["log", "--user", "svc", "--since", "1h", "--limit", "5"],
            vec![],
            0,
        ),
        (vec!["hash", "--password-stdin"], line(PW.as_bytes()), 0),
    ];
    for (args, stdin, code) in &steps {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let run = db.run_in(&all, stdin);
        run.clean(*code);
        let doc = run.json();
        assert!(
            doc.is_object() || doc.is_array(),
            "{args:?}: not an object or array: {doc}"
        );
        assert!(run.stdout().ends_with('\n'), "{args:?}: {run:?}");
    }

    // hash verify, on the hash `hash` just printed.
    let run = db.run_in(
        &["--json", "hash", "--password-stdin"],
        &line(PW.as_bytes()),
    );
    let hash = run.json()["hash"].as_str().unwrap().to_owned();
    for (pw, code) in [(PW, 0), (WRONG, 1)] {
        let run = db.run_in(
            &["--json", "hash", "verify", &hash, "--password-stdin"],
            &line(pw.as_bytes()),
        );
        run.clean(code);
        assert_eq!(run.json()["valid"], code == 0);
    }

    // An error prints no document: stdout stays empty, the error is on stderr.
    db.run(&["--json", "user", "show", "ghost"])
        .error(&["ghost"]);
    db.run(&["--json", "config", "get", "nope"])
        .error(&["nope"]);
}

// ---------------------------------------------------------------------------------------------
// 6. A broken pipe exits 0, quietly
// ---------------------------------------------------------------------------------------------

#[test]
fn a_broken_pipe_exits_zero_quietly() {
    // Enough users that the output overflows a pipe buffer (64 KiB) many times over, and that
    // the table streams (more than 1000 rows). Made through the library, the way a web app
    // beside the CLI would: a thousand `credman user add` processes would take minutes.
    let db = Db::fast();
    {
        let app = credman::Credman::open(&db.path, credman::OpenMode::Existing).unwrap();
        // A short password with allow_weak skips the strength estimator: fast, and logged.
        let pw = credman::Password::from("pw");
        for i in 0..1200 {
            app.add_user(&format!("user-{i:05}"), &pw, true).unwrap();
        }
    }
    let cases: [&[&str]; 3] = [
        &["user", "list"],
        &["--json", "user", "list"],
        &["log", "--limit", "100000"],
    ];
    for args in cases {
        let mut child = std_credman(BIN)
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read a few bytes only, like `| head -c 64`: the JSON document is a single line, so
        // reading a whole line would drain it.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let status = wait_or_kill(&mut child, TIMEOUT, &format!("{args:?}"));
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(
            status.code(),
            Some(0),
            "{args:?}: {status:?}, stderr {stderr:?}"
        );
        assert_eq!(stderr, "", "{args:?}: not quiet");
    }
}

// ---------------------------------------------------------------------------------------------
// 7. --allow-weak
// ---------------------------------------------------------------------------------------------

#[test]
fn allow_weak_overrides_the_policy_and_is_logged() {
    let db = Db::fast();
    let before = db.snapshot();

    // Without it: refused, with the reason, and nothing written.
    db.run_in(
        &["user", "add", "kiosk", "--password-stdin"],
        &line(b"kiosk2024"),
    )
    .error(&["password refused", "15"]);
    db.run_in(
        &["user", "add", "kiosk", "--password-stdin"],
        &line(b"kiosk-kiosk-kiosk"),
    )
    .error(&["password refused", "too easy to guess"]);
    assert_eq!(db.snapshot(), before);

    // With it: accepted, verifies, and the log says the policy was overridden and why.
    db.run_in(
        &["user", "add", "kiosk", "--password-stdin", "--allow-weak"],
        &line(b"kiosk2024"),
    )
    .ok();
    db.assert_verifies("kiosk", b"kiosk2024");
    let overrides: Vec<Value> = db
        .events()
        .into_iter()
        .filter(|e| e["action"] == "policy.override")
        .collect();
    assert_eq!(overrides.len(), 1, "{overrides:?}");
    assert_eq!(overrides[0]["user"], "kiosk");
    let detail = overrides[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("15"),
        "the override does not say why: {detail:?}"
    );
    assert!(!detail.contains("kiosk2024"), "{detail:?}");

    // passwd too.
    db.run_in(
        &[
            "user",
            "passwd",
            "kiosk",
            "--password-stdin",
            "--allow-weak",
        ],
        &line(b"kioskkioskkiosk"),
    )
    .ok();
    db.assert_verifies("kiosk", b"kioskkioskkiosk");
    let n = db
        .actions()
        .iter()
        .filter(|a| *a == "policy.override")
        .count();
    assert_eq!(n, 2);
    let log_text = serde_json::to_string(&db.events()).unwrap();
    for secret in ["kiosk2024", "kioskkioskkiosk"] {
        assert!(!log_text.contains(secret), "{log_text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions from review.
// ---------------------------------------------------------------------------------------------

/// Only `\n` or `\r\n` ends the stdin line: a lone trailing `\r` (no newline) is part of the
/// password, byte for byte.
#[test]
fn a_lone_trailing_carriage_return_is_part_of_the_password() {
    let db = Db::fast();
    let pw = "correct horse battery staple\r";
    db.run_in(&["user", "add", "alice", "--password-stdin"], pw.as_bytes())
        .ok();
    db.run_in(&["verify", "alice", "--password-stdin"], pw.as_bytes())
        .ok();
    db.assert_denied("alice", b"correct horse battery staple");
}

/// A stored hash with absurd parameters is an error (exit 2), never a crash.
#[test]
fn hash_verify_of_absurd_parameters_is_a_clean_error() {
    let db = Db::missing();
    for params in ["m=19456,t=2,p=4294967295", "m=4294967295,t=2,p=1"] {
        let hash = format!(
            "$argon2id$v=19${params}$c29tZXNhbHRzb21lc2FsdA$Vfo5eLcVtFfYRrY+IGMfe5pLU1C2Qv+xFxyzrUdN6eU"
        );
        db.run_in(&["hash", "verify", &hash, "--password-stdin"], b"pw\n")
            .error(&["over the caps"]);
    }
}

/// Reading stops past the bound: an endless stream on stdin (`< /dev/zero`) is refused as too
/// long instead of being read forever.
#[test]
fn an_endless_stdin_is_refused_not_read_forever() {
    let mut child = std_credman(BIN)
        .args(["hash", "--password-stdin"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_or_kill(&mut child, TIMEOUT, "hash < /dev/zero");
    assert_eq!(status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// hash identify
// ---------------------------------------------------------------------------------------------

/// `hash identify` needs no database, prints the SPEC's fields, never the hash or its salt, and
/// judges by OWASP's minimums.
#[test]
fn hash_identify_names_the_scheme_the_cost_and_the_verdict() {
    let db = Db::missing();
    let cases = [
        // (hash, scheme, verdict, a param that must be there)
        (
            "$2b$04$OKawxsBn/8BpcllT9Jx4xe6LR3Scc7vP3a7hh1yaLVP0rpq34ICU.",
            "bcrypt",
            "weak",
            ("cost", "4"),
        ),
        (
            "$argon2id$v=19$m=19456,t=2,p=1$QlBWMnF0NFF4RUlzUURFNg$+X6x4uWz/7Zx3ewYhx4zvxJqHcVm+7Vq9V2QfyD8rjQ",
            "argon2id",
            "strong",
            ("m", "19456"),
        ),
        (
            "pbkdf2:sha256:1000$J8uEAaMfC17OIjmm$7fd9a2c47b4749065799def36a5c0f1fc54621b5d3c3e58415579f8e84cfb61d",
            "werkzeug-pbkdf2-sha256",
            "weak",
            ("iterations", "1000"),
        ),
    ];
    for (hash, scheme, verdict, (key, value)) in cases {
        let run = db.run(&["--json", "hash", "identify", hash]);
        let doc = run.ok().json();
        assert_eq!(doc["scheme"], scheme, "{run:?}");
        assert_eq!(doc["verdict"], verdict, "{run:?}");
        assert_eq!(doc["params"][key], value, "{run:?}");
        assert!(doc["reasons"].is_array() && doc["needs_rehash"].is_boolean());
        let salt = hash.rsplit('$').nth(1).unwrap();
        assert!(
            !run.stdout().contains(salt),
            "the salt was printed: {run:?}"
        );
    }
    assert!(!db.path.exists(), "hash identify created a database");
    let plain = db
        .run(&["--json", "hash", "identify", "hunter2"])
        .ok()
        .json();
    assert_eq!(plain["verdict"], "plaintext");
}

/// `audit` prints the SPEC's document and answers `--fail-on` by exit code: a test database's
/// hashes (argon2id at m=64) are weak, not legacy.
#[test]
fn audit_reports_and_fails_on_a_threshold() {
    let db = Db::fast();
    db.add("alice", PW);
    let doc = db.run(&["--json", "audit"]).ok().json();
    assert_eq!(doc["summary"]["weak"], 1, "{doc}");
    assert_eq!(doc["summary"]["strong"], 0, "{doc}");
    let finding = &doc["findings"][0];
    for field in [
        "user",
        "scheme",
        "params",
        "verdict",
        "reasons",
        "needs_rehash",
    ] {
        assert!(finding.get(field).is_some(), "{field} missing: {finding}");
    }
    assert_eq!(finding["user"], "alice");
    assert_eq!(finding["params"]["m"], "64");
    assert!(!db.run(&["--json", "audit"]).stdout().contains("$argon2id$"));
    db.run(&["audit", "--fail-on", "weak"]).clean(1);
    db.run(&["audit", "--fail-on", "legacy"]).ok();
    db.run(&["audit", "--fail-on", "bogus"]).error(&["bogus"]);
}
