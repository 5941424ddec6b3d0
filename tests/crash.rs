//! Crash safety: `credman` processes killed with SIGKILL at random moments, during a
//! 10 000-user import, password changes and session rotations. After every kill the database
//! must pass `PRAGMA integrity_check`, every acknowledged change (exit 0) must be there, and a
//! change must be there whole or not at all: a new hash with its event and its revoked
//! sessions, a new token digest with its event, an import's users with their events.
//!
//! Kill times are drawn uniformly from zero to a bound that follows the machine (`KillTimes`), so
//! that about half the runs are killed and kills land before the database is opened, inside
//! the transaction, around the commit, and after the exit, however loaded the machine is. The
//! draws come from a seeded generator; the seed is printed, and `CREDMAN_CRASH_SEED=N` replays
//! the draws (not the machine's timing).
//!
//! The databases live on the disk-backed temp dir, so a commit is a real fsync and the window
//! around it is as wide as it is in use.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use credman::Password;
use credman::hashing::{Caps, Check, verify_password};
use rusqlite::{Connection, OptionalExtension};

mod common;
use common::{Db, SplitMix64, describe, piped, run_piped, synthetic_argon2id};

const USERS: u64 = 10_000;

/// What a killed-or-not command came to.
#[derive(Debug)]
enum Fate {
    /// Exit 0: the change was acknowledged and must be in the database.
    Acknowledged(Output),
    /// SIGKILL before the exit: the change may or may not be there, but not in part.
    Killed,
}

/// The draws of kill times and passwords, from `CREDMAN_CRASH_SEED` or the clock; the seed is
/// printed so that a failing run's draws can be replayed.
fn draws_from_env() -> SplitMix64 {
    let seed = std::env::var("CREDMAN_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("CREDMAN_CRASH_SEED={seed}");
    SplitMix64(seed)
}

/// Runs a command with `stdin` and sends it SIGKILL after `delay` (if it is still running).
/// Anything but exit 0 or death by SIGKILL fails the test: no error may reach the user.
fn run_killed_after(db: &Path, args: &[&str], stdin: &[u8], delay: Duration) -> Fate {
    let mut child = piped(db, args).spawn().unwrap();
    // A process killed before it read its stdin has closed the pipe.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    // Wait for the exit or the moment to kill, whichever comes first. (The outputs are a few
    // lines, far below a pipe's buffer, so the child never blocks on them meanwhile.)
    let deadline = Instant::now() + delay;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() >= deadline {
            child.kill().unwrap();
            break;
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    let out = child.wait_with_output().unwrap();
    if out.status.signal() == Some(libc::SIGKILL) {
        return Fate::Killed;
    }
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{args:?}: {}",
        describe(&out)
    );
    Fate::Acknowledged(out)
}

/// When to kill: uniform in `[0, bound)`. The bound starts at an undisturbed run's time and
/// grows a tenth after each kill and shrinks a tenth after each finished run, so it settles
/// where about half the runs are killed: near twice a run's time, whatever the load.
struct KillTimes {
    bound: Duration,
}

impl KillTimes {
    /// Starts from the median of three undisturbed runs.
    fn new(mut run: impl FnMut() -> Output) -> Self {
        let mut times: Vec<Duration> = (0..3)
            .map(|_| {
                let t0 = Instant::now();
                let out = run();
                assert!(out.status.success(), "{}", describe(&out));
                t0.elapsed()
            })
            .collect();
        times.sort();
        Self { bound: times[1] }
    }

    fn draw(&self, draws: &mut SplitMix64) -> Duration {
        let nanos = self.bound.as_nanos().max(1) as u64;
        Duration::from_nanos(draws.next() % nanos)
    }

    fn observe(&mut self, fate: &Fate) {
        let factor = match fate {
            Fate::Killed => 1.1,
            Fate::Acknowledged(_) => 0.9,
        };
        self.bound = self.bound.mul_f64(factor);
    }
}

fn ok(db: &Path, args: &[&str], stdin: &[u8]) -> Output {
    match run_killed_after(db, args, stdin, common::TIMEOUT) {
        Fate::Acknowledged(out) => out,
        Fate::Killed => panic!("{args:?} ran for {:?}", common::TIMEOUT),
    }
}

/// The database as the next process finds it: opened (which recovers what a killed writer
/// left in the WAL) and checked page by page.
fn reopen_and_check(db: &Path, seed_note: &str) -> Connection {
    let conn = Connection::open(db).unwrap();
    let verdict: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        verdict,
        ["ok"],
        "integrity_check after a kill ({seed_note})"
    );
    let fk: Option<i64> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()
        .unwrap();
    assert_eq!(
        fk, None,
        "a dangling foreign key after a kill ({seed_note})"
    );
    conn
}

fn count(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> i64 {
    conn.query_row(sql, params, |r| r.get(0)).unwrap()
}

fn events(conn: &Connection, action: &str, user: &str) -> i64 {
    count(
        conn,
        "SELECT count(*) FROM events WHERE action = ?1 AND user = ?2",
        (action, user),
    )
}

fn stored_hash(conn: &Connection, user: &str) -> String {
    conn.query_row("SELECT hash FROM users WHERE name = ?1", [user], |r| {
        r.get(0)
    })
    .unwrap()
}

/// Whether `password` matches the stored hash: read straight from the file, so checking
/// leaves no trace (no failure counted, no rehash).
fn matches(conn: &Connection, user: &str, password: &str) -> bool {
    let hash = stored_hash(conn, user);
    verify_password(&Password::from(password), &hash, &Caps::default()) == Check::Match
}

fn session_valid(db: &Path, token: &str) -> bool {
    let out = run_piped(db, &["session", "check"], format!("{token}\n").as_bytes());
    match out.status.code() {
        Some(0) => true,
        Some(1) => false,
        _ => panic!("session check: {}", describe(&out)),
    }
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", describe(out)))
}

/// A new session for `user` without a password; returns (id, token).
fn new_session(db: &Path, user: &str) -> (String, String) {
    let out = ok(
        db,
        &["--json", "session", "create", user, "--no-verify"],
        b"",
    );
    let v = json(&out);
    (
        v["id"].as_str().unwrap().to_owned(),
        v["token"].as_str().unwrap().to_owned(),
    )
}

/// An initialised database on the disk-backed temp dir, the KDF lowered for speed.
fn disk_db() -> Db {
    let db = Db::in_dir(tempfile::tempdir().unwrap());
    db.init_fast();
    db
}

#[test]
fn a_killed_import_of_ten_thousand_users_leaves_all_or_none_of_a_batch() {
    let mut draws = draws_from_env();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.htpasswd");
    let mut expected = BTreeMap::new();
    let mut text = String::new();
    for i in 0..USERS {
        let name = format!("user-{i:05}");
        let hash = synthetic_argon2id(i);
        text.push_str(&format!("{name}:{hash}\n"));
        expected.insert(name, hash);
    }
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();

    let mut kill = KillTimes::new(|| {
        let db = disk_db();
        ok(&db.path, &["import", file, "--format", "htpasswd"], b"")
    });
    eprintln!(
        "an undisturbed import of {USERS} users takes {:?}",
        kill.bound
    );

    let (mut killed, mut acknowledged, mut killed_after_commit) = (0, 0, 0);
    for round in 0..12 {
        let atomic = round % 2 == 1;
        let db = disk_db();
        let mut args = vec!["import", file, "--format", "htpasswd"];
        if atomic {
            args.push("--atomic");
        }
        let delay = kill.draw(&mut draws);
        let note = format!("round {round}, atomic {atomic}, kill after {delay:?}");
        let fate = run_killed_after(&db.path, &args, b"", delay);
        kill.observe(&fate);
        let conn = reopen_and_check(&db.path, &note);
        let users = count(&conn, "SELECT count(*) FROM users", []);
        let user_events = count(
            &conn,
            "SELECT count(*) FROM events WHERE action = 'user.import'",
            [],
        );
        let summaries = count(
            &conn,
            "SELECT count(*) FROM events WHERE action = 'import'",
            [],
        );
        // The import commits every 10 000 users, so this one is all or nothing either way.
        assert!(users == 0 || users == USERS as i64, "{users} users: {note}");
        assert_eq!(user_events, users, "users without their event: {note}");
        assert!(summaries <= 1, "{note}");
        if summaries == 1 || atomic {
            // The summary is written with the last batch (--atomic: with every user).
            assert_eq!(
                users,
                summaries * USERS as i64,
                "summary and users disagree: {note}"
            );
        }
        match fate {
            Fate::Acknowledged(out) => {
                acknowledged += 1;
                assert_eq!(
                    users, USERS as i64,
                    "an acknowledged import lost users: {note}"
                );
                assert_eq!(summaries, 1, "{note}: {}", describe(&out));
            }
            Fate::Killed => {
                killed += 1;
                killed_after_commit += i32::from(users > 0);
            }
        }
        if users > 0 {
            // Whole rows: every user has the hash the file gave them.
            let mut stmt = conn
                .prepare("SELECT name, hash FROM users ORDER BY name")
                .unwrap();
            let stored: BTreeMap<String, String> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert!(
                stored == expected,
                "stored hashes differ from the file: {note}"
            );
        }
        drop(conn);
        // Running it again finishes the job, whatever the kill left.
        let out = ok(
            &db.path,
            &["--json", "import", file, "--format", "htpasswd"],
            b"",
        );
        let report = json(&out);
        assert_eq!(
            report["added"].as_i64().unwrap() + report["skipped"].as_i64().unwrap(),
            USERS as i64,
            "{note}: {report}"
        );
        let conn = reopen_and_check(&db.path, &note);
        assert_eq!(count(&conn, "SELECT count(*) FROM users", []), USERS as i64);
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM events WHERE action = 'user.import'",
                []
            ),
            USERS as i64,
            "a user imported twice or not at all: {note}"
        );
    }
    eprintln!(
        "imports: {killed} killed ({killed_after_commit} of them after their commit), \
         {acknowledged} finished"
    );
    assert!(
        killed >= 3,
        "too few kills landed while importing: {killed}"
    );
}

#[test]
fn a_killed_password_change_is_whole_or_absent() {
    let mut draws = draws_from_env();
    let db = disk_db();
    let users = ["ana", "ben", "cai"];
    let mut current: BTreeMap<&str, String> = BTreeMap::new();
    let mut tokens: BTreeMap<&str, String> = BTreeMap::new();
    for user in users {
        let pw = draws.password();
        ok(
            &db.path,
            &["user", "add", user, "--password-stdin"],
            format!("{pw}\n").as_bytes(),
        );
        current.insert(user, pw);
        tokens.insert(user, new_session(&db.path, user).1);
    }

    // Timed on a user of its own, whose password this test need not know.
    ok(
        &db.path,
        &["user", "add", "timer", "--password-stdin"],
        format!("{}\n", draws.password()).as_bytes(),
    );
    let mut kill = KillTimes::new(|| {
        let pw = draws.password();
        ok(
            &db.path,
            &["user", "passwd", "timer", "--password-stdin"],
            format!("{pw}\n").as_bytes(),
        )
    });
    let mut passwd_events: BTreeMap<&str, i64> = {
        let conn = reopen_and_check(&db.path, "setup");
        users
            .iter()
            .map(|&user| (user, events(&conn, "user.passwd", user)))
            .collect()
    };
    eprintln!("an undisturbed `user passwd` takes {:?}", kill.bound);

    let (mut killed, mut applied_unacknowledged, mut acknowledged) = (0, 0, 0);
    for round in 0..80 {
        let user = users[round % users.len()];
        let new = draws.password();
        let delay = kill.draw(&mut draws);
        let note = format!("round {round}, {user}, kill after {delay:?}");
        let fate = run_killed_after(
            &db.path,
            &["user", "passwd", user, "--password-stdin"],
            format!("{new}\n").as_bytes(),
            delay,
        );
        kill.observe(&fate);
        let conn = reopen_and_check(&db.path, &note);
        let old_ok = matches(&conn, user, &current[user]);
        let new_ok = matches(&conn, user, &new);
        assert!(old_ok != new_ok, "old {old_ok}, new {new_ok}: {note}");
        let now_events = events(&conn, "user.passwd", user);
        let active: i64 = count(
            &conn,
            "SELECT count(*) FROM sessions JOIN users ON users.id = sessions.user_id
             WHERE users.name = ?1 AND sessions.revoked_at IS NULL",
            [user],
        );
        drop(conn);
        if new_ok {
            // Applied: the event is there and the sessions are gone, with the hash.
            assert_eq!(now_events, passwd_events[user] + 1, "{note}");
            assert_eq!(active, 0, "a session outlived the password change: {note}");
            assert!(!session_valid(&db.path, &tokens[user]), "{note}");
            match fate {
                Fate::Acknowledged(_) => acknowledged += 1,
                Fate::Killed => {
                    killed += 1;
                    applied_unacknowledged += 1;
                }
            }
            current.insert(user, new);
            *passwd_events.get_mut(user).unwrap() += 1;
            tokens.insert(user, new_session(&db.path, user).1);
        } else {
            assert!(
                matches!(fate, Fate::Killed),
                "an acknowledged password change is missing: {note}"
            );
            killed += 1;
            assert_eq!(
                now_events, passwd_events[user],
                "an event without its hash: {note}"
            );
            assert_eq!(active, 1, "{note}");
            assert!(session_valid(&db.path, &tokens[user]), "{note}");
        }
    }
    eprintln!(
        "passwd: {killed} killed ({applied_unacknowledged} of them after their commit), \
         {acknowledged} finished"
    );
    assert!(killed >= 5, "too few kills landed: {killed}");
    // The survivors log in with the passwords the database says they have.
    for user in users {
        ok(
            &db.path,
            &["verify", user, "--password-stdin"],
            format!("{}\n", current[user]).as_bytes(),
        );
    }
}

#[test]
fn a_killed_rotation_is_whole_or_absent() {
    let mut draws = draws_from_env();
    let db = disk_db();
    ok(
        &db.path,
        &["user", "add", "ana", "--password-stdin"],
        format!("{}\n", draws.password()).as_bytes(),
    );
    let (spare_id, _) = new_session(&db.path, "ana");
    let mut kill =
        KillTimes::new(|| ok(&db.path, &["--json", "session", "rotate", &spare_id], b""));
    eprintln!("an undisturbed `session rotate` takes {:?}", kill.bound);
    let (mut id, mut token) = new_session(&db.path, "ana");

    let digest = |conn: &Connection, id: &str| -> Vec<u8> {
        conn.query_row(
            "SELECT token_sha256 FROM sessions WHERE public_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    let rotations = |conn: &Connection| events(conn, "session.rotate", "ana");
    let (mut before_digest, mut before_events) = {
        let conn = reopen_and_check(&db.path, "setup");
        (digest(&conn, &id), rotations(&conn))
    };

    let (mut killed, mut lost_tokens, mut acknowledged) = (0, 0, 0);
    for round in 0..45 {
        let delay = kill.draw(&mut draws);
        let note = format!("round {round}, kill after {delay:?}");
        let fate = run_killed_after(&db.path, &["--json", "session", "rotate", &id], b"", delay);
        kill.observe(&fate);
        let conn = reopen_and_check(&db.path, &note);
        let after_digest = digest(&conn, &id);
        let after_events = rotations(&conn);
        drop(conn);
        let applied = after_digest != before_digest;
        assert_eq!(
            after_events,
            before_events + i64::from(applied),
            "the digest and the event disagree: {note}"
        );
        assert_eq!(session_valid(&db.path, &token), !applied, "{note}");
        match fate {
            Fate::Acknowledged(out) => {
                acknowledged += 1;
                assert!(applied, "an acknowledged rotation is missing: {note}");
                let new = json(&out)["token"].as_str().unwrap().to_owned();
                assert!(session_valid(&db.path, &new), "{note}");
                token = new;
            }
            Fate::Killed if applied => {
                // The new token died with the process that would have printed it: the session
                // is unusable, as it should be. Carry on with a new one.
                killed += 1;
                lost_tokens += 1;
                (id, token) = new_session(&db.path, "ana");
            }
            Fate::Killed => killed += 1,
        }
        let conn = reopen_and_check(&db.path, &note);
        (before_digest, before_events) = (digest(&conn, &id), rotations(&conn));
    }
    eprintln!(
        "rotate: {killed} killed ({lost_tokens} of them after their commit), \
         {acknowledged} finished"
    );
    assert!(killed >= 5, "too few kills landed: {killed}");
}
