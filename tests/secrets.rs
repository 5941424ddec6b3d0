//! Where a password must never be: the command line and environment of a running credman (what
//! `ps` and /proc show any user), its output and errors, the event log, and the bytes of the
//! database and its side files, including what a replaced hash leaves behind.
#![cfg(target_os = "linux")]

mod common;

use std::io::Write as _;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{BIN, Db, sidecar, std_credman};

const FIRST: &str = "Quartz-Heron-Lantern-4491";
const SECOND: &str = "Marble-Osprey-Cinder-7730";
const WRONG: &str = "Tundra-Falcon-Willow-1862";

fn line(pw: &str) -> Vec<u8> {
    format!("{pw}\n").into_bytes()
}

/// Whether `needle` occurs in `haystack`, as bytes.
fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// A credman waiting for its password on stdin: its /proc command line and environment hold
/// nothing of it, before or after it has read it.
#[test]
fn a_running_credman_shows_no_password_in_proc() {
    let db = Db::fast();
    let mut child = std_credman(BIN)
        .arg("--db")
        .arg(&db.path)
        .args(["user", "add", "alice", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let proc = format!("/proc/{}", child.id());
    let look = |when: &str| {
        for file in ["cmdline", "environ"] {
            // The process may have ended by the second look; what it showed before counts.
            if let Ok(bytes) = std::fs::read(format!("{proc}/{file}")) {
                assert!(
                    !contains(&bytes, FIRST),
                    "{when}: the password is in {file}"
                );
            }
        }
    };
    // Wait until the process is really running credman (exec done), then look.
    let start = Instant::now();
    while !std::fs::read(format!("{proc}/cmdline")).is_ok_and(|c| contains(&c, "--password-stdin"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "credman did not start"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    look("before the password is sent");
    child.stdin.take().unwrap().write_all(&line(FIRST)).unwrap();
    look("after the password is sent");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// A user's life in commands (add, a wrong and a right verify, a refused weak password, a
/// change of password, JSON everywhere): no password in any output, error or event, and no
/// password or replaced hash in the database's bytes.
#[test]
fn no_password_in_output_errors_the_log_or_the_database_files() {
    let db = Db::fast();
    let mut seen = Vec::new();
    let mut keep = |run: common::Run| {
        seen.extend_from_slice(&run.stdout);
        seen.extend_from_slice(&run.stderr);
        run
    };
    keep(db.run_in(
        &["--json", "user", "add", "alice", "--password-stdin"],
        &line(FIRST),
    ))
    .ok();
    let old_hash = {
        // The stored hash, read straight from the file before it is replaced.
        let bytes = std::fs::read(&db.path).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let at = text
            .find("$argon2id$")
            .expect("the hash is in the database");
        text[at..at + 80].to_owned()
    };
    let wrong = keep(db.run_in(
        &["--json", "verify", "alice", "--password-stdin", "--explain"],
        &line(WRONG),
    ));
    assert_eq!(wrong.code(), Some(1), "{wrong:?}");
    keep(db.run_in(
        &["--json", "verify", "alice", "--password-stdin"],
        &line(FIRST),
    ))
    .ok();
    // A refused password: the error says why, never what.
    let weak = keep(db.run_in(
        &["user", "passwd", "alice", "--password-stdin"],
        &line("alicealicealice1"),
    ));
    assert_eq!(weak.code(), Some(2), "{weak:?}");
    assert!(!contains(&weak.stderr, "alicealicealice1"), "{weak:?}");
    keep(db.run_in(
        &["--json", "user", "passwd", "alice", "--password-stdin"],
        &line(SECOND),
    ))
    .ok();
    keep(db.run(&["--json", "user", "show", "alice"])).ok();
    keep(db.run(&["--json", "log"])).ok();
    keep(db.run(&["--json", "audit"])).ok();

    for pw in [FIRST, SECOND, WRONG] {
        assert!(!contains(&seen, pw), "{pw} was printed");
    }
    assert!(!contains(&seen, "$argon2id$"), "a hash was printed");
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let Ok(bytes) = std::fs::read(sidecar(&db.path, suffix)) else {
            continue;
        };
        for pw in [FIRST, SECOND, WRONG] {
            assert!(!contains(&bytes, pw), "{pw} is in credman.db{suffix}");
        }
        // secure_delete: the replaced hash was overwritten, not left in a free page.
        assert!(
            !contains(&bytes, &old_hash),
            "the replaced hash lingers in credman.db{suffix}"
        );
    }
}
