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

/// Every way a command that reads a password can fail or refuse, with the password on stdin:
/// the answer (exit 1) or the one-line error (exit 2) never contains it, nor does the event log
/// or any database file afterwards.
#[test]
fn no_error_of_a_password_command_contains_the_password() {
    const PW: &str = "Quokka-Saffron-Gondola-5512";
    let db = Db::fast();
    db.run_in(&["user", "add", "alice", "--password-stdin"], &line(FIRST))
        .ok();
    db.run_in(&["user", "add", "locked", "--password-stdin"], &line(PW))
        .ok();
    db.run(&["user", "lock", "locked"]).ok();
    let missing = db.dir.path().join("missing").join("credman.db");
    let foreign = db.dir.path().join("foreign.db");
    std::fs::write(&foreign, b"not a database at all").unwrap();
    let long = format!("{PW}-").repeat(60); // 1 680 bytes, over password.max_bytes
    let with_nul = format!("{PW}\0tail");
    let over_caps = "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
    let known_hash = "$2y$05$abcdefghijklmnopqrstuuJ0nW3yvp2S/mlB5JMkStUUE5RlFq8da";

    let d = db.path.to_str().unwrap();
    let m = missing.to_str().unwrap();
    let f = foreign.to_str().unwrap();
    // (arguments, what is on stdin, the exit code)
    let cases: Vec<(Vec<&str>, String, i32)> = vec![
        // Denials: one word on stdout, the same for every kind.
        (vec!["--db", d, "verify", "alice"], PW.into(), 1),
        (vec!["--db", d, "verify", "nobody"], PW.into(), 1),
        (vec!["--db", d, "verify", "locked"], PW.into(), 1),
        (
            vec!["--db", d, "verify", "alice", "--explain"],
            PW.into(),
            1,
        ),
        (vec!["--db", d, "--json", "verify", "alice"], PW.into(), 1),
        (vec!["--db", d, "session", "create", "alice"], PW.into(), 1),
        (vec!["--db", d, "session", "create", "locked"], PW.into(), 1),
        (
            vec!["--db", d, "--json", "session", "create", "nobody"],
            PW.into(),
            1,
        ),
        (vec!["hash", "verify", known_hash], PW.into(), 1),
        (vec!["--json", "hash", "verify", known_hash], PW.into(), 1),
        // Errors: one line that says why, never what.
        (vec!["--db", m, "verify", "alice"], PW.into(), 2),
        (vec!["--db", f, "verify", "alice"], PW.into(), 2),
        (vec!["--db", f, "user", "add", "bob"], PW.into(), 2),
        (vec!["--db", d, "user", "add", "alice"], PW.into(), 2),
        (vec!["--db", d, "user", "add", " padded"], PW.into(), 2),
        (vec!["--db", d, "user", "add", "bob"], "Quokka".into(), 2),
        (vec!["--db", d, "user", "add", "bob"], long.clone(), 2),
        (vec!["--db", d, "user", "add", "bob"], String::new(), 2),
        (
            vec!["--db", d, "user", "add", "quokka"],
            "quokkaquokkaquokka".into(),
            2,
        ),
        (vec!["--db", d, "user", "passwd", "nobody"], PW.into(), 2),
        (vec!["--db", d, "user", "passwd", "alice"], long.clone(), 2),
        (
            vec!["--db", d, "--json", "user", "passwd", "alice"],
            "Quokka".into(),
            2,
        ),
        (vec!["hash", "verify", "nonsense$x"], PW.into(), 2),
        (vec!["hash", "verify", over_caps], PW.into(), 2),
        (vec!["hash", "--scheme", "bcrypt"], long.clone(), 2),
        (vec!["hash", "--scheme", "bcrypt"], with_nul.clone(), 2),
        (vec!["hash"], long.clone(), 2),
    ];
    let mut seen = Vec::new();
    for (args, stdin, code) in &cases {
        let mut all = args.clone();
        all.push("--password-stdin");
        let run = common::Run::from_output(
            common::credman()
                .args(&all)
                .write_stdin(format!("{stdin}\n"))
                .output()
                .unwrap(),
        );
        assert_eq!(run.code(), Some(*code), "{all:?}: {run:?}");
        if *code == 2 {
            run.error(&[]);
        }
        for pw in [PW, FIRST, "Quokka", "quokkaquokka"] {
            for stream in [&run.stdout, &run.stderr] {
                assert!(!contains(stream, pw), "{all:?} printed {pw:?}: {run:?}");
            }
        }
        seen.extend_from_slice(&run.stdout);
        seen.extend_from_slice(&run.stderr);
    }
    let log = db.run(&["--json", "log"]);
    log.ok();
    for pw in [PW, FIRST, "Quokka"] {
        assert!(!contains(&log.stdout, pw), "{pw} is in the event log");
        for suffix in ["", "-wal", "-shm"] {
            if let Ok(bytes) = std::fs::read(sidecar(&db.path, suffix)) {
                assert!(!contains(&bytes, pw), "{pw} is in credman.db{suffix}");
            }
        }
    }
    assert!(!seen.is_empty());
}
