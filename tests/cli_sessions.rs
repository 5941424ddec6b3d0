//! Sessions from the shell: the real `credman` binary, spawned as an admin or a script runs it,
//! and many of them at once against one database.
//!
//! Every command runs against the test's own `--db`, with `NO_COLOR=1` and every inherited
//! `CREDMAN_*` variable removed. Passwords and tokens go in on stdin (`--password-stdin`,
//! `session check`), never in argv. The KDF is lowered (`hash.argon2.m 64`, `t 1`) right after
//! `init`. The single-process tests use `/dev/shm` when there is one (`synchronous=FULL` makes
//! every write an fsync); the multi-process test uses the disk-backed temp dir, so that writers
//! hold the lock long enough to contend for real.
#![cfg(unix)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Output, Stdio};
use std::time::{Duration, Instant, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

mod common;
use common::*;

/// Passes the default policy (15+ characters, zxcvbn score >= 3).
const PW: &str = "correct horse battery staple";
const PW2: &str = "tangerine accordion glacier";
const WRONG: &str = "not the password at all";

/// The fields SPEC §2 fixes for each command's JSON.
const CREATE_FIELDS: [&str; 6] = [
    "id",
    "user",
    "token",
    "created_at",
    "expires_at",
    "idle_timeout",
];
const LIST_FIELDS: [&str; 8] = [
    "id",
    "user",
    "created_at",
    "last_seen_at",
    "expires_at",
    "idle_expires_at",
    "label",
    "state",
];
const WHO_FIELDS: [&str; 3] = ["user", "sessions", "last_seen_at"];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn line(text: &str) -> Vec<u8> {
    format!("{text}\n").into_bytes()
}

/// A JSON timestamp field as Unix seconds (and checked to be RFC 3339 UTC).
#[track_caller]
fn secs(v: &Value, field: &str) -> i64 {
    let text = v[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is not a string: {v}"));
    assert!(is_rfc3339_utc(text), "{field} is not RFC 3339 UTC: {v}");
    humantime::parse_rfc3339(text)
        .unwrap()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[track_caller]
fn assert_fields(v: &Value, fields: &[&str]) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"));
    for field in fields {
        assert!(obj.contains_key(*field), "missing {field}: {v}");
    }
}

#[track_caller]
fn assert_token_shape(token: &str) {
    assert!(token.starts_with("cms_") && token.len() == 47, "{token}");
    let raw = URL_SAFE_NO_PAD
        .decode(&token[4..])
        .unwrap_or_else(|e| panic!("{token}: {e}"));
    assert_eq!(raw.len(), 32, "{token}");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every form in which a token could leak: the text, its base64url body, its 32 raw bytes,
/// and those in hex.
fn leak_forms(token: &str) -> Vec<(&'static str, Vec<u8>)> {
    let raw = URL_SAFE_NO_PAD.decode(&token[4..]).unwrap();
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    vec![
        ("token", token.as_bytes().to_vec()),
        ("base64url body", token.as_bytes()[4..].to_vec()),
        ("raw bytes", raw),
        ("hex of the raw bytes", hex.into_bytes()),
    ]
}

/// What these tests ask of their database, beyond `common::Db`.
impl Db {
    /// `Db::fast()`, and users with the password `PW`.
    fn fast_with_users(users: &[&str]) -> Self {
        let db = Self::fast();
        for user in users {
            db.run_in(&["user", "add", user, "--password-stdin"], &line(PW))
                .ok();
        }
        db
    }

    /// `session create NAME --password-stdin [EXTRA] --json` with the right password.
    #[track_caller]
    fn login(&self, name: &str, extra: &[&str]) -> Value {
        let mut args = vec!["--json", "session", "create", name, "--password-stdin"];
        args.extend_from_slice(extra);
        self.run_in(&args, &line(PW)).ok().json()
    }

    /// `session check` with `token` on stdin.
    fn check(&self, token: &str) -> Run {
        self.run_in(&["session", "check"], &line(token))
    }

    #[track_caller]
    fn assert_valid(&self, token: &str, user: &str) {
        let run = self.check(token);
        run.ok();
        assert_eq!(run.stdout(), format!("{user}\n"), "{run:?}");
    }

    #[track_caller]
    fn assert_invalid(&self, token: &str) {
        let run = self.check(token);
        run.clean(1);
        assert_eq!(run.stdout(), "invalid\n", "{run:?}");
    }

    fn list(&self, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["session", "list"];
        args.extend_from_slice(extra);
        match self.json(&args) {
            Value::Array(rows) => rows,
            other => panic!("session list --json is not an array: {other}"),
        }
    }

    fn events_with(&self, action: &str) -> Vec<Value> {
        self.events()
            .into_iter()
            .filter(|e| e["action"] == action)
            .collect()
    }
}

fn str_of<'v>(v: &'v Value, field: &str) -> &'v str {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is not a string: {v}"))
}

// ---------------------------------------------------------------------------------------------
// 1. Issue 3, "done when": log alice in from a script, see her, rotate, revoke, prune.
// ---------------------------------------------------------------------------------------------

#[test]
fn issue_3_done_when_alice_is_logged_in_seen_rotated_revoked_and_pruned() {
    let db = Db::fast();
    let add = db.run_in(&["user", "add", "alice", "--password-stdin"], &line(PW));
    add.ok();

    // Log in from a script: the token is the last line, shown once.
    let run = db.run_in(
        &[
            "session",
            "create",
            "alice",
            "--password-stdin",
            "--label",
            "laptop",
        ],
        &line(PW),
    );
    run.ok();
    let lines: Vec<&str> = run.stdout().lines().collect();
    assert_eq!(lines.len(), 2, "{run:?}");
    let token = lines[1].to_owned();
    assert_token_shape(&token);
    let id = lines[0]
        .split_whitespace()
        .nth(1)
        .expect("`session ID for ...`")
        .to_owned();
    assert!(lines[0].contains("alice"), "{run:?}");
    assert!(!lines[0].contains(&token[4..]));

    // `who` shows her, with one session.
    let who = db.run(&["who"]);
    who.ok();
    let row = who
        .stdout()
        .lines()
        .find(|l| l.starts_with("alice"))
        .unwrap_or_else(|| panic!("alice is not in `who`: {who:?}"));
    assert_eq!(row.split_whitespace().nth(1), Some("1"), "{who:?}");
    assert!(!who.stdout().contains(&token[4..]));

    // A check: exit 0 and her name.
    db.assert_valid(&token, "alice");

    // Rotate: the old token is refused, the new one works.
    let run = db.run(&["session", "rotate", &id]);
    run.ok();
    let words: Vec<&str> = run.stdout().split_whitespace().collect();
    assert_eq!(words.len(), 2, "`ID TOKEN`: {run:?}");
    assert_eq!(words[0], id, "same session");
    let new = words[1].to_owned();
    assert_token_shape(&new);
    assert_ne!(new, token);
    db.assert_invalid(&token);
    db.assert_valid(&new, "alice");

    // Revoke every session she has: the check fails.
    let run = db.run(&["session", "revoke", "--user", "alice"]);
    run.ok();
    assert!(run.stdout().contains('1'), "{run:?}");
    db.assert_invalid(&new);
    let who = db.run(&["who"]);
    who.ok();
    assert!(
        !who.stdout().lines().any(|l| l.starts_with("alice")),
        "{who:?}"
    );

    // Prune the dead one, and say how many.
    let run = db.run(&["session", "prune"]);
    run.ok();
    assert_eq!(run.stdout(), "pruned 1 sessions\n", "{run:?}");
    assert!(db.list(&["--all"]).is_empty());
    let run = db.run(&["session", "prune"]);
    run.ok();
    assert!(run.stdout().contains('0'), "{run:?}");
}

// ---------------------------------------------------------------------------------------------
// 2. JSON shapes (SPEC §2).
// ---------------------------------------------------------------------------------------------

#[test]
fn every_session_command_prints_the_json_the_spec_fixes() {
    let db = Db::fast_with_users(&["alice", "bob"]);

    // session create
    let created = db.login(
        "alice",
        &["--ttl", "2h", "--idle", "10m", "--label", "laptop"],
    );
    assert_fields(&created, &CREATE_FIELDS);
    assert_eq!(created["user"], "alice");
    let id = str_of(&created, "id").to_owned();
    let token = str_of(&created, "token").to_owned();
    assert_token_shape(&token);
    assert!(
        !id.is_empty() && !id.contains(&token[4..]) && !token.contains(&id),
        "{created}"
    );
    assert_eq!(
        secs(&created, "expires_at") - secs(&created, "created_at"),
        7200
    );
    assert_eq!(created["idle_timeout"], 600);
    let defaults = db.login("alice", &[]);
    assert_eq!(
        secs(&defaults, "expires_at") - secs(&defaults, "created_at"),
        12 * 3600,
        "session.ttl defaults to 12h"
    );
    assert_eq!(
        defaults["idle_timeout"], 1800,
        "session.idle defaults to 30m"
    );
    let bob = db.login("bob", &[]);

    // session list
    let rows = db.list(&[]);
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert_fields(row, &LIST_FIELDS);
        assert!(row.get("token").is_none(), "{row}");
        for ts in [
            "created_at",
            "last_seen_at",
            "expires_at",
            "idle_expires_at",
        ] {
            secs(row, ts);
        }
        assert_eq!(row["state"], "active");
    }
    let first = &rows[0];
    assert_eq!(
        (first["id"].as_str(), first["user"].as_str()),
        (Some(id.as_str()), Some("alice"))
    );
    assert_eq!(first["label"], "laptop");
    assert_eq!(rows[1]["label"], Value::Null);
    assert_eq!(
        secs(first, "idle_expires_at") - secs(first, "last_seen_at"),
        600
    );
    assert_eq!(secs(first, "expires_at"), secs(&created, "expires_at"));
    assert_eq!(db.list(&["--user", "bob"]).len(), 1);

    // session check
    let run = db.run_in(&["--json", "session", "check"], &line(&token));
    run.ok();
    assert_eq!(
        run.json(),
        json!({"valid": true, "user": "alice", "session": id})
    );
    let run = db.run_in(&["--json", "session", "check"], &line("cms_nope"));
    run.clean(1);
    assert_eq!(
        run.json(),
        json!({"valid": false, "user": null, "session": null})
    );

    // session rotate ID
    let rotated = db.json(&["session", "rotate", &id]);
    assert_fields(&rotated, &["id", "token"]);
    assert_eq!(rotated["id"], id.as_str());
    let new = str_of(&rotated, "token").to_owned();
    assert_token_shape(&new);
    assert_ne!(new, token);
    db.assert_invalid(&token);
    db.assert_valid(&new, "alice");

    // session rotate --user: an array, one per active session.
    let all = db.json(&["session", "rotate", "--user", "alice"]);
    let all = all.as_array().expect("an array");
    assert_eq!(all.len(), 2);
    let mut rotated_ids: Vec<&str> = all.iter().map(|r| str_of(r, "id")).collect();
    rotated_ids.sort_unstable();
    let mut expected = vec![id.as_str(), str_of(&defaults, "id")];
    expected.sort_unstable();
    assert_eq!(rotated_ids, expected);
    for r in all {
        assert_fields(r, &["id", "token"]);
        assert_token_shape(str_of(r, "token"));
        db.assert_valid(str_of(r, "token"), "alice");
    }
    db.assert_invalid(&new);
    db.assert_invalid(str_of(&defaults, "token"));

    // who
    let who = db.json(&["who"]);
    let who = who.as_array().expect("an array");
    assert_eq!(who.len(), 2);
    for row in who {
        assert_fields(row, &WHO_FIELDS);
        secs(row, "last_seen_at");
    }
    assert_eq!(
        (&who[0]["user"], &who[0]["sessions"]),
        (&json!("alice"), &json!(2))
    );
    assert_eq!(
        (&who[1]["user"], &who[1]["sessions"]),
        (&json!("bob"), &json!(1))
    );

    // session revoke / prune
    assert_eq!(
        db.json(&["session", "revoke", str_of(&bob, "id")]),
        json!({"revoked": 1})
    );
    assert_eq!(
        db.json(&["session", "revoke", "--user", "alice"]),
        json!({"revoked": 2})
    );
    assert_eq!(
        db.json(&["session", "revoke", "--all"]),
        json!({"revoked": 0})
    );
    let states: Vec<Value> = db
        .list(&["--all"])
        .iter()
        .map(|r| r["state"].clone())
        .collect();
    assert_eq!(states, vec![json!("revoked"); 3]);
    assert!(db.list(&[]).is_empty());
    assert_eq!(db.json(&["who"]), json!([]));
    assert_eq!(db.json(&["session", "prune"]), json!({"pruned": 3}));
    assert_eq!(db.json(&["session", "prune"]), json!({"pruned": 0}));
    assert_eq!(db.json(&["session", "list", "--all"]), json!([]));
}

// ---------------------------------------------------------------------------------------------
// 3. Refusals, --no-verify, the event log.
// ---------------------------------------------------------------------------------------------

/// A wrong password, an unknown user, a locked user and a throttled user are the same answer:
/// exit 1 and byte-identical output (in JSON, the asked-for name aside), and no session.
#[test]
fn a_refused_session_create_looks_the_same_whatever_the_reason() {
    let db = Db::fast_with_users(&["alice", "locked", "throttled"]);
    db.run(&["config", "set", "lockout.threshold", "3"]).ok();
    db.run(&["user", "lock", "locked"]).ok();
    for _ in 0..3 {
        db.run_in(&["verify", "throttled", "--password-stdin"], &line(WRONG))
            .clean(1);
    }
    let cases = [
        ("alice", WRONG),
        ("nobody", PW),
        ("locked", PW),
        ("throttled", PW),
    ];

    let mut human: Vec<(String, Run)> = Vec::new();
    for (name, password) in cases {
        let run = db.run_in(
            &["session", "create", name, "--password-stdin"],
            &line(password),
        );
        run.clean(1);
        human.push((name.to_owned(), run));
    }
    for (name, run) in &human {
        assert_eq!(run.stdout, human[0].1.stdout, "{name}: {run:?}");
        assert_eq!(run.stderr, human[0].1.stderr, "{name}: {run:?}");
        assert_eq!(run.stdout(), "invalid\n");
    }

    let mut docs = Vec::new();
    for (name, password) in cases {
        let run = db.run_in(
            &["--json", "session", "create", name, "--password-stdin"],
            &line(password),
        );
        run.clean(1);
        let doc = run.json();
        assert_eq!(doc["user"], name);
        assert!(doc.get("token").is_none(), "{doc}");
        docs.push(run.stdout().replace(&format!("\"{name}\""), "\"NAME\""));
    }
    assert!(docs.iter().all(|d| *d == docs[0]), "{docs:#?}");

    assert!(
        db.list(&["--all"]).is_empty(),
        "no refusal opened a session"
    );
    assert!(db.events_with("session.create").is_empty());
    // The right password still opens one (alice was not throttled by two failures).
    let ok = db.login("alice", &[]);
    db.assert_valid(str_of(&ok, "token"), "alice");
}

#[test]
fn no_verify_issues_a_session_and_the_log_records_it() {
    let db = Db::fast_with_users(&["alice", "svc", "locked"]);
    db.run(&["user", "lock", "locked"]).ok();

    let svc = db.json(&[
        "session",
        "create",
        "svc",
        "--no-verify",
        "--ttl",
        "7d",
        "--idle",
        "7d",
    ]);
    assert_eq!(
        secs(&svc, "expires_at") - secs(&svc, "created_at"),
        7 * 86400
    );
    db.assert_valid(str_of(&svc, "token"), "svc");
    db.login("alice", &[]);

    let creates = db.events_with("session.create");
    assert_eq!(creates.len(), 2, "{creates:#?}");
    let svc_event = &creates[0];
    assert_eq!(svc_event["user"], "svc");
    assert!(
        str_of(svc_event, "detail").contains("without a password check"),
        "{svc_event}"
    );
    assert!(str_of(svc_event, "detail").contains(str_of(&svc, "id")));
    assert!(
        str_of(svc_event, "actor").starts_with("cli:"),
        "{svc_event}"
    );
    let alice_event = &creates[1];
    assert!(
        !str_of(alice_event, "detail").contains("without a password"),
        "{alice_event}"
    );
    // A session without a password did not pretend to be a login.
    assert!(
        db.events_with("verify.success")
            .iter()
            .all(|e| e["user"] != "svc")
    );

    // --no-verify is an admin command: errors are exit 2, not a quiet "no".
    db.run(&["session", "create", "nobody", "--no-verify"])
        .error(&["nobody"]);
    db.run(&["session", "create", "locked", "--no-verify"])
        .error(&["locked"]);
    db.run_in(
        &[
            "session",
            "create",
            "svc",
            "--no-verify",
            "--password-stdin",
        ],
        &line(PW),
    )
    .error(&[]);
    assert_eq!(db.list(&["--all"]).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// 4. The token is shown once, and only once.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_token_never_appears_in_lists_the_log_or_the_database_files() {
    let db = Db::fast_with_users(&["alice", "bob"]);
    let mut tokens = Vec::new();
    let a1 = db.login("alice", &["--label", "laptop"]);
    let a2 = db.login("alice", &[]);
    let b1 = db.json(&["session", "create", "bob", "--no-verify"]);
    for doc in [&a1, &a2, &b1] {
        tokens.push(str_of(doc, "token").to_owned());
    }
    let r = db.json(&["session", "rotate", str_of(&a1, "id")]);
    tokens.push(str_of(&r, "token").to_owned());
    let mut live = vec![
        str_of(&r, "token").to_owned(),
        str_of(&a2, "token").to_owned(),
    ];
    for r in db
        .json(&["session", "rotate", "--user", "bob"])
        .as_array()
        .unwrap()
    {
        tokens.push(str_of(r, "token").to_owned());
        live.push(str_of(r, "token").to_owned());
    }
    db.run(&["session", "revoke", str_of(&a2, "id")]).ok();
    for t in &live[..1] {
        db.assert_valid(t, "alice");
    }

    let outputs: Vec<(&str, Run)> = vec![
        (
            "session list --json --all",
            db.run(&["--json", "session", "list", "--all"]),
        ),
        ("session list --all", db.run(&["session", "list", "--all"])),
        ("who --json", db.run(&["--json", "who"])),
        ("who", db.run(&["who"])),
        (
            "log --json",
            db.run(&["--json", "log", "--limit", "100000"]),
        ),
        ("log", db.run(&["log", "--limit", "100000"])),
        (
            "user show --json",
            db.run(&["--json", "user", "show", "alice"]),
        ),
        ("user list --json", db.run(&["--json", "user", "list"])),
    ];
    for (what, run) in &outputs {
        run.ok();
        assert!(!run.stdout.is_empty(), "{what}: {run:?}");
        for token in &tokens {
            assert!(
                !contains(&run.stdout, &token.as_bytes()[4..]),
                "{what} shows a token: {run:?}"
            );
        }
    }
    // The list does show the sessions (so the search above looked at something).
    let list = &outputs[0].1;
    assert!(list.stdout().contains(str_of(&a1, "id")), "{list:?}");

    let files: Vec<(PathBuf, Vec<u8>)> = ["", "-wal", "-shm"]
        .iter()
        .map(|s| sidecar(&db.path, s))
        .filter(|p| p.exists())
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    for token in &tokens {
        for (what, needle) in leak_forms(token) {
            for (path, bytes) in &files {
                assert!(
                    !contains(bytes, &needle),
                    "the {what} of a token is in {}",
                    path.display()
                );
            }
        }
    }
    // The digest of a live token is stored: the search looked where the sessions are.
    let digest: [u8; 32] = Sha256::digest(live[0].as_bytes()).into();
    assert!(files.iter().any(|(_, bytes)| contains(bytes, &digest)));
}

// ---------------------------------------------------------------------------------------------
// 5. Bad input.
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_input_is_a_one_line_error_and_a_bad_token_a_plain_no() {
    let db = Db::fast_with_users(&["alice"]);
    let s = db.login("alice", &[]);
    let (id, token) = (str_of(&s, "id").to_owned(), str_of(&s, "token").to_owned());

    // Usage errors: exit 2, one line, nothing on stdout, nothing created.
    db.run(&["session", "create", "alice", "--no-verify", "--ttl", "5x"])
        .error(&["5x"]);
    db.run(&["session", "create", "alice", "--no-verify", "--idle", "0s"])
        .error(&["--idle"]);
    db.run(&["session", "create", "alice", "--no-verify", "--ttl=-5m"])
        .error(&["-5m"]);
    db.run(&["session", "create", "alice", "--no-verify", "--ttl", "1.5s"])
        .error(&["1.5s"]);
    db.run(&["session", "revoke"]).error(&[]);
    db.run(&["session", "revoke", &id, "--all"]).error(&[]);
    db.run(&["session", "revoke", "--user", "alice", "--all"])
        .error(&[]);
    db.run(&["session", "rotate"]).error(&[]);
    db.run(&["session", "rotate", &id, "--user", "alice"])
        .error(&[]);
    db.run(&["session", "check", &token]).error(&[]);
    // Without a terminal and without --password-stdin: at once, not a hang.
    let started = Instant::now();
    db.run(&["session", "create", "alice"])
        .error(&["--password-stdin"]);
    assert!(started.elapsed() < Duration::from_secs(10));

    // Unknown things: exit 2, saying which.
    let ghost = "0123456789abcdef01234567";
    db.run(&["session", "rotate", ghost]).error(&[ghost]);
    db.run(&["session", "revoke", ghost]).error(&[ghost]);
    db.run(&["session", "revoke", &id, ghost]).error(&[ghost]);
    db.assert_valid(&token, "alice"); // all or none: the known id was not revoked
    db.run(&["session", "revoke", "--user", "nobody"])
        .error(&["nobody"]);
    db.run(&["session", "rotate", "--user", "nobody"])
        .error(&["nobody"]);
    db.run(&["session", "list", "--user", "nobody"])
        .error(&["nobody"]);
    db.run(&["session", "create", "nobody", "--no-verify"])
        .error(&["nobody"]);
    // A token is not an id.
    db.run(&["session", "revoke", &token]).error(&[]);
    db.assert_valid(&token, "alice");
    assert_eq!(db.list(&["--all"]).len(), 1, "no error created a session");

    // Garbage for `check`: a plain no (exit 1), never an error.
    let altered = {
        let mut t = token.clone().into_bytes();
        t[10] = if t[10] == b'A' { b'B' } else { b'A' };
        String::from_utf8(t).unwrap()
    };
    let garbage: Vec<Vec<u8>> = vec![
        line("garbage"),
        line(""),
        line(&id),
        line(&token[..46]),
        line(&format!("{token}A")),
        line(&format!("{token} ")),
        line(&format!(" {token}")),
        line(&altered),
        line(&format!("Bearer {token}")),
        b"\xff\xfe\x00cms_\n".to_vec(),
        vec![b'x'; 200_000],
    ];
    for stdin in &garbage {
        let run = db.run_in(&["session", "check"], stdin);
        run.clean(1);
        assert_eq!(run.stdout(), "invalid\n", "{run:?}");
    }
    // One trailing newline (or CRLF) is stripped, as for passwords; a missing one is fine.
    for stdin in [
        format!("{token}\r\n"),
        token.clone(),
        format!("{token}\nmore\n"),
    ] {
        let run = db.run_in(&["session", "check"], stdin.as_bytes());
        run.ok();
        assert_eq!(run.stdout(), "alice\n", "{run:?}");
    }

    // A revoked session cannot be rotated: exit 2, saying why.
    db.run(&["session", "revoke", &id]).ok();
    db.run(&["session", "rotate", &id]).error(&["revoked"]);
    db.assert_invalid(&token);
}

/// Nothing on stdin is not a password problem: the error names what was expected.
#[test]
fn an_empty_stdin_for_check_talks_about_a_token() {
    let db = Db::fast_with_users(&["alice"]);
    let run = db.run_in(&["session", "check"], b"");
    // Regression: at 20dc98f the error said "no password on standard input" to a script that
    // piped in no token (fixed in b98c65e: `read_stdin_line("session token")`).
    assert!(
        !run.stderr().contains("password"),
        "the error talks about a password: {run:?}"
    );
    match run.code() {
        Some(1) => assert_eq!(run.stdout(), "invalid\n", "{run:?}"),
        _ => {
            run.error(&["token"]);
        }
    }
}

/// `--ttl 9000y` is a valid duration to humantime, and lands past year 9999, which RFC 3339
/// cannot write.
#[test]
fn an_absurd_ttl_neither_crashes_create_nor_breaks_the_list() {
    let db = Db::fast_with_users(&["alice"]);
    for flag in ["--ttl", "--idle"] {
        let run = db.run(&["session", "create", "alice", "--no-verify", flag, "9000y"]);
        // Regression: at 20dc98f this panicked (exit 101) in `rfc3339` after the session was
        // stored, and every later `session list --json` panicked too (fixed in b98c65e:
        // lifetimes capped at 400d, RFC 3339 output clamped to year 9999).
        assert!(
            matches!(run.code(), Some(0 | 2)),
            "{flag} 9000y: not a clean answer: {run:?}"
        );
        if run.code() == Some(2) {
            run.error(&[flag]);
        }
        let list = db.run(&["--json", "session", "list", "--all"]);
        list.ok();
        list.json();
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Another process sees a revocation at once.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_revocation_by_one_process_is_seen_by_the_next_check_process() {
    let db = Db::fast_with_users(&["alice", "bob", "carol", "dave"]);
    let s = db.login("alice", &[]);
    db.assert_valid(str_of(&s, "token"), "alice");
    db.run(&["session", "revoke", str_of(&s, "id")]).ok();
    db.assert_invalid(str_of(&s, "token"));

    // A rotation by one process, the next check by another.
    let s = db.login("alice", &[]);
    db.assert_valid(str_of(&s, "token"), "alice");
    let r = db.json(&["session", "rotate", str_of(&s, "id")]);
    db.assert_invalid(str_of(&s, "token"));
    db.assert_valid(str_of(&r, "token"), "alice");

    // Password change, lock and delete each revoke the user's sessions.
    let b = db.login("bob", &[]);
    let c = db.login("carol", &[]);
    let d = db.login("dave", &[]);
    db.run_in(&["user", "passwd", "bob", "--password-stdin"], &line(PW2))
        .ok();
    db.assert_invalid(str_of(&b, "token"));
    db.run(&["user", "lock", "carol"]).ok();
    db.assert_invalid(str_of(&c, "token"));
    db.run(&["user", "unlock", "carol"]).ok();
    db.assert_invalid(str_of(&c, "token"));
    db.run(&["user", "delete", "dave", "--yes"]).ok();
    db.assert_invalid(str_of(&d, "token"));
    // alice's rotated session was not touched by any of it.
    db.assert_valid(str_of(&r, "token"), "alice");
    assert_eq!(db.json(&["user", "show", "bob"])["active_sessions"], 0);
}

// ---------------------------------------------------------------------------------------------
// 7. Many processes at once: checks and rotations of the same sessions.
// ---------------------------------------------------------------------------------------------

/// `credman --db PATH ARGS...` as a plain `std::process::Command`, all streams piped.
fn spawnable(db: &Path, args: &[&str]) -> StdCommand {
    let mut cmd = StdCommand::new(BIN);
    cmd.env("NO_COLOR", "1");
    for key in inherited_credman_vars() {
        cmd.env_remove(key);
    }
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn describe(out: &Output) -> String {
    format!(
        "{:?}, stdout {:?}, stderr {:?}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

enum Job {
    Check { session: usize },
    Rotate { session: usize },
}

/// 16 processes per round, on 4 sessions: for each, two `session check` (of the token valid
/// when the round starts) and two `session rotate ID`. The checks are spawned first and wait on
/// stdin; the rotations are spawned next and start at once; then the checks get their tokens.
/// After each round exactly one token per session works: the one its last rotation printed.
#[test]
fn sixteen_processes_checking_and_rotating_the_same_sessions_lose_nothing() {
    const SESSIONS: usize = 4;
    const ROUNDS: usize = 5;
    let db = Db::in_dir(tempfile::tempdir().unwrap());
    db.init_fast();
    let path = db.path.clone();
    let users: Vec<String> = (0..SESSIONS).map(|i| format!("user{i}")).collect();
    let mut ids = Vec::new();
    let mut current = Vec::new();
    for user in &users {
        db.run_in(&["user", "add", user, "--password-stdin"], &line(PW))
            .ok();
        let s = db.json(&["session", "create", user, "--no-verify"]);
        ids.push(str_of(&s, "id").to_owned());
        current.push(str_of(&s, "token").to_owned());
    }

    let sql = rusqlite::Connection::open(&path).unwrap();
    sql.busy_timeout(Duration::from_secs(5)).unwrap();
    for round in 0..ROUNDS {
        // Each session was last seen two minutes ago (well within its 30-minute idle timeout),
        // so a check that passes also writes its refresh: checks and rotations both write.
        sql.execute(
            "UPDATE sessions SET created_at = created_at - 120, last_seen_at = last_seen_at - 120",
            [],
        )
        .unwrap();
        let jobs: Vec<Job> = (0..SESSIONS)
            .flat_map(|session| {
                [
                    Job::Check { session },
                    Job::Check { session },
                    Job::Rotate { session },
                    Job::Rotate { session },
                ]
            })
            .collect();
        let mut children: Vec<Option<Child>> = jobs.iter().map(|_| None).collect();
        for pass in [0, 1] {
            for (i, job) in jobs.iter().enumerate() {
                children[i] = match (pass, job) {
                    (0, Job::Check { .. }) => {
                        Some(spawnable(&path, &["session", "check"]).spawn().unwrap())
                    }
                    (1, Job::Rotate { session }) => Some(
                        spawnable(&path, &["--json", "session", "rotate", &ids[*session]])
                            .spawn()
                            .unwrap(),
                    ),
                    _ => children[i].take(),
                };
            }
        }
        let mut children: Vec<Child> = children.into_iter().map(Option::unwrap).collect();
        for (child, job) in children.iter_mut().zip(&jobs) {
            let stdin = child.stdin.take().unwrap();
            if let Job::Check { session } = job {
                let mut stdin = stdin;
                if let Err(e) = stdin.write_all(&line(&current[*session])) {
                    assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
                }
            }
        }
        let outputs: Vec<Output> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();

        let mut printed: Vec<Vec<String>> = vec![Vec::new(); SESSIONS];
        for (out, job) in outputs.iter().zip(&jobs) {
            let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
            assert!(
                out.stderr.is_empty() && !err.contains("busy") && !err.contains("locked"),
                "round {round}: {}",
                describe(out)
            );
            assert_ne!(
                out.status.code(),
                Some(2),
                "round {round}: {}",
                describe(out)
            );
            match job {
                Job::Check { session } => {
                    // Before the rotations it was valid; after one of them, not: either is fine.
                    let expected = match out.status.code() {
                        Some(0) => format!("{}\n", users[*session]),
                        Some(1) => "invalid\n".to_owned(),
                        _ => panic!("round {round}: check: {}", describe(out)),
                    };
                    assert_eq!(
                        String::from_utf8_lossy(&out.stdout),
                        expected,
                        "round {round}: {}",
                        describe(out)
                    );
                }
                Job::Rotate { session } => {
                    assert!(out.status.success(), "round {round}: {}", describe(out));
                    let doc: Value = serde_json::from_slice(&out.stdout)
                        .unwrap_or_else(|e| panic!("{e}: {}", describe(out)));
                    assert_eq!(doc["id"], ids[*session].as_str());
                    let token = str_of(&doc, "token").to_owned();
                    assert_token_shape(&token);
                    printed[*session].push(token);
                }
            }
        }

        // Afterwards: per session, exactly one token works, and it is a rotation's.
        for session in 0..SESSIONS {
            let mut candidates = vec![current[session].clone()];
            candidates.extend(printed[session].iter().cloned());
            let mut unique = candidates.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), candidates.len(), "a token was issued twice");
            let working: Vec<&String> = candidates
                .iter()
                .filter(|t| {
                    let run = db.check(t);
                    assert!(matches!(run.code(), Some(0 | 1)), "{run:?}");
                    run.code() == Some(0)
                })
                .collect();
            assert_eq!(
                working.len(),
                1,
                "round {round}, session {session}: {} tokens work",
                working.len()
            );
            assert!(
                printed[session].contains(working[0]),
                "round {round}, session {session}: the old token still works (a lost rotation)"
            );
            current[session] = working[0].clone();
        }
    }

    // Every rotation was recorded once; the sessions are the same four, all active.
    assert_eq!(
        db.events_with("session.rotate").len(),
        ROUNDS * SESSIONS * 2
    );
    let rows = db.list(&["--all"]);
    let listed: Vec<&str> = rows.iter().map(|r| str_of(r, "id")).collect();
    assert_eq!(listed, ids.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(rows.iter().all(|r| r["state"] == "active"));
}
