//! Many `credman` processes against one database at once (SPEC §1 "concurrency"): no lost
//! update, no "database is locked". Every process is spawned before any is given its password
//! on stdin, so they really overlap: each has opened the database and waits on stdin, then all
//! are released together.
//!
//! The databases live on the usual (disk-backed) temp dir: with `synchronous=FULL` each commit
//! is an fsync, so writers hold the lock long enough to contend for real.
#![cfg(unix)]

use std::io::Write;
use std::path::Path;
use std::process::{Child, Output};

use serde_json::Value;

mod common;
use common::{Db, describe, piped, run_piped};

const PW: &str = "correct horse battery staple";
const WRONG: &str = "not the password at all";

#[track_caller]
fn ok(db: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let out = run_piped(db, args, stdin);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{args:?}: {:?}\nstdout {}\nstderr {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&ok(db, &all, b"").stdout).unwrap()
}

fn line(pw: &str) -> Vec<u8> {
    format!("{pw}\n").into_bytes()
}

/// Spawns every command first, then writes each one's stdin, then waits for all of them.
fn all_at_once(db: &Path, commands: &[(Vec<String>, Vec<u8>)]) -> Vec<Output> {
    let mut children: Vec<Child> = commands
        .iter()
        .map(|(args, _)| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            piped(db, &args).spawn().unwrap()
        })
        .collect();
    for (child, (_, stdin)) in children.iter_mut().zip(commands) {
        // A process that failed before reading its stdin closed it: its output says why.
        if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    }
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

#[track_caller]
fn assert_no_lock_errors(outputs: &[Output]) {
    for out in outputs {
        let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
        assert!(
            !err.contains("locked") && !err.contains("busy"),
            "a process hit the lock: {}",
            describe(out)
        );
    }
}

/// An initialised database with the KDF lowered, on a disk-backed temp dir.
fn fast_db() -> Db {
    let db = Db::in_dir(tempfile::tempdir().unwrap());
    ok(&db.path, &["init"], b"");
    ok(&db.path, &["config", "set", "hash.argon2.m", "64"], b"");
    ok(&db.path, &["config", "set", "hash.argon2.t", "1"], b"");
    db
}

fn names(db: &Path) -> Vec<String> {
    json(db, &["user", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_owned())
        .collect()
}

fn count_actions(db: &Path, action: &str, user: Option<&str>) -> usize {
    json(db, &["log", "--limit", "1000000"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == action && user.is_none_or(|u| e["user"] == u))
        .count()
}

fn add_cmd(name: &str) -> (Vec<String>, Vec<u8>) {
    (
        ["user", "add", name, "--password-stdin"]
            .map(String::from)
            .to_vec(),
        line(PW),
    )
}

fn verify_cmd(name: &str, pw: &str) -> (Vec<String>, Vec<u8>) {
    (
        ["verify", name, "--password-stdin"]
            .map(String::from)
            .to_vec(),
        line(pw),
    )
}

#[test]
fn thirty_two_processes_add_distinct_users_at_once() {
    let db = fast_db();
    let commands: Vec<_> = (0..32).map(|i| add_cmd(&format!("user-{i:02}"))).collect();
    let outputs = all_at_once(&db.path, &commands);
    assert_no_lock_errors(&outputs);
    for (i, out) in outputs.iter().enumerate() {
        assert!(out.status.success(), "user-{i:02}: {}", describe(out));
    }
    let expected: Vec<String> = (0..32).map(|i| format!("user-{i:02}")).collect();
    assert_eq!(names(&db.path), expected, "a user was lost");
    assert_eq!(count_actions(&db.path, "user.add", None), 32);
}

#[test]
fn sixteen_failed_verifies_at_once_are_all_counted() {
    let db = fast_db();
    ok(
        &db.path,
        &["config", "set", "lockout.threshold", "100"],
        b"",
    );
    ok(
        &db.path,
        &["user", "add", "alice", "--password-stdin"],
        &line(PW),
    );
    let commands: Vec<_> = (0..16).map(|_| verify_cmd("alice", WRONG)).collect();
    let outputs = all_at_once(&db.path, &commands);
    assert_no_lock_errors(&outputs);
    for out in &outputs {
        assert_eq!(out.status.code(), Some(1), "{}", describe(out));
        assert_eq!(out.stdout, b"invalid\n", "{}", describe(out));
        assert!(out.stderr.is_empty(), "{}", describe(out));
    }
    let alice = json(&db.path, &["user", "show", "alice"]);
    assert_eq!(alice["failed_attempts"], 16, "a failure was lost: {alice}");
    assert_eq!(count_actions(&db.path, "verify.failure", Some("alice")), 16);
    // Below the threshold: the right password still works, and resets the count.
    ok(
        &db.path,
        &["verify", "alice", "--password-stdin"],
        &line(PW),
    );
    assert_eq!(
        json(&db.path, &["user", "show", "alice"])["failed_attempts"],
        0
    );
}

#[test]
fn sixteen_processes_creating_the_database_at_once() {
    // No `init`: the first use of a path by many scripts at once. One of them creates the
    // file, all of them migrate-or-see-it-migrated, every user lands.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state").join("credman.db");
    let commands: Vec<_> = (0..16).map(|i| add_cmd(&format!("user-{i:02}"))).collect();
    let outputs = all_at_once(&path, &commands);
    assert_no_lock_errors(&outputs);
    for out in &outputs {
        assert!(out.status.success(), "{}", describe(out));
    }
    assert_eq!(names(&path).len(), 16);
    assert_eq!(
        count_actions(&path, "db.init", None),
        1,
        "the database was created once"
    );
}

#[test]
fn eight_processes_adding_one_name_at_once_one_wins() {
    let db = fast_db();
    let commands: Vec<_> = (0..8).map(|_| add_cmd("alice")).collect();
    let outputs = all_at_once(&db.path, &commands);
    assert_no_lock_errors(&outputs);
    let winners = outputs.iter().filter(|o| o.status.success()).count();
    assert_eq!(
        winners,
        1,
        "{:#?}",
        outputs.iter().map(describe).collect::<Vec<_>>()
    );
    for out in outputs.iter().filter(|o| !o.status.success()) {
        assert_eq!(out.status.code(), Some(2), "{}", describe(out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("credman: error: ") && err.contains("already exists"),
            "{}",
            describe(out)
        );
    }
    assert_eq!(names(&db.path), ["alice"]);
    assert_eq!(count_actions(&db.path, "user.add", Some("alice")), 1);
}

#[test]
fn correct_verifies_at_once_all_succeed_while_the_hash_is_upgraded() {
    // A login that raced with another login's hash upgrade verified the same password: it
    // must succeed, not be denied as "the password changed while it was being checked" (at
    // commit 363f29c, src/users.rs `accept` denied 6-12 of these 16 with exit 1).
    let db = fast_db();
    ok(
        &db.path,
        &["user", "add", "alice", "--password-stdin"],
        &line(PW),
    );
    // The policy moves on: alice's hash (t=1) now needs a rehash on her next login.
    ok(&db.path, &["config", "set", "hash.argon2.t", "2"], b"");
    assert_eq!(
        json(&db.path, &["user", "show", "alice"])["needs_rehash"],
        true
    );

    let commands: Vec<_> = (0..16).map(|_| verify_cmd("alice", PW)).collect();
    let outputs = all_at_once(&db.path, &commands);
    assert_no_lock_errors(&outputs);
    let denied: Vec<String> = outputs
        .iter()
        .filter(|o| !o.status.success())
        .map(describe)
        .collect();
    assert!(
        denied.is_empty(),
        "{} of 16 correct verifies were denied: {denied:#?}",
        denied.len()
    );
    let alice = json(&db.path, &["user", "show", "alice"]);
    assert_eq!(alice["needs_rehash"], false);
    assert_eq!(alice["failed_attempts"], 0);
    assert!(count_actions(&db.path, "hash.upgrade", Some("alice")) >= 1);
}

#[test]
fn many_processes_initialising_one_path_at_once_all_succeed() {
    // Switching a fresh database out of rollback mode needs an exclusive lock, and SQLite
    // returns SQLITE_BUSY for it at once, without calling the busy handler, when another process
    // has the file open. Without the store's retry, about one process in a hundred died "the
    // database is busy" (exit 2) when scripts first used a path in parallel.
    //
    // The race is rare per process (about 1 in 100 to 1 in 1000), so this runs many cheap
    // rounds of `init`.
    const ROUNDS: usize = 40;
    let mut failures = Vec::new();
    for _round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credman.db");
        let commands: Vec<_> = (0..32)
            .map(|_| (vec!["init".to_owned()], Vec::new()))
            .collect();
        let outputs = all_at_once(&path, &commands);
        let expected = format!("{}\n", path.display());
        failures.extend(
            outputs
                .iter()
                .filter(|o| !o.status.success() || o.stdout != expected.as_bytes())
                .map(describe),
        );
        assert_eq!(count_actions(&path, "db.init", None), 1);
    }
    assert!(
        failures.is_empty(),
        "{} of {} concurrent inits failed: {failures:#?}",
        failures.len(),
        ROUNDS * 32
    );
}
