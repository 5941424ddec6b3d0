//! Real peers (STYLE.md 13): the hashes `credman hash --scheme ...` writes for other programs are
//! checked by the libraries that own those formats, not by credman's own reading of them.
//!
//! - `werkzeug-scrypt`, `werkzeug-pbkdf2`: `werkzeug.security.check_password_hash`, what a Flask
//!   app calls;
//! - `bcrypt`: python `bcrypt.checkpw` and Apache's `htpasswd -v`.
//!
//! Every peer must accept the right password and refuse a wrong one. Passwords travel on stdin
//! only: to credman (`--password-stdin`), to Python (a JSON document) and to htpasswd (`-i`);
//! argv carries nothing secret.
//!
//! The tools: Python from the venv at `$CREDMAN_PEER_VENV` (default `target/peer-venv`, made by
//! `scripts/install-peers.sh` with pinned Werkzeug and bcrypt) and `htpasswd` on the PATH (Debian's
//! apache2-utils). Where one is missing the test says so on stderr and passes, except under CI
//! (`CI` set), where it fails: `.ci/run` installs both.
#![cfg(unix)]

use std::io::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

mod common;
use common::*;

/// Werkzeug hashes any length of text: plain, non-ASCII, spaces kept at both ends, the
/// characters of its own format, and long.
const WERKZEUG_PASSWORDS: [&str; 5] = [
    "correct horse battery staple",
    "pässwörd✓ long enough",
    "  spaces at both ends kept  ",
    "pbkdf2:sha256$not$a$hash 'quoted' \"too\"",
    "a long passphrase that goes on past the seventy-two bytes bcrypt would read, and on, and on",
];

/// Checks each case (`hash`, `password`, `wrong`) with the owner library; prints a JSON array of
/// `[right password accepted, wrong password accepted]`. The peer's name is the one argument.
const PYTHON_CHECKER: &str = r#"
import json, sys
cases = json.loads(sys.stdin.buffer.read().decode("utf-8"))
if sys.argv[1] == "werkzeug":
    from werkzeug.security import check_password_hash
    check = check_password_hash
else:
    import bcrypt
    check = lambda h, p: bcrypt.checkpw(p.encode("utf-8"), h.encode("ascii"))
print(json.dumps([[check(c["hash"], c["password"]), check(c["hash"], c["wrong"])] for c in cases]))
"#;

// ---------------------------------------------------------------------------------------------
// Finding the peers

/// A peer tool is missing: under CI that fails the test, elsewhere it is a note and a skip.
fn missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what}; CI must run the peer tests (.ci/run installs the peers)");
    }
    // Straight to the process's stderr, past libtest's capture, so that a plain `cargo test`
    // shows what it did not check.
    let _ = writeln!(std::io::stderr(), "note: peer test skipped: {what}");
}

/// `<venv>/bin/python` of the peer venv, if it is there.
fn venv_python() -> Option<PathBuf> {
    let venv = std::env::var_os("CREDMAN_PEER_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/peer-venv"));
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(venv);
    let python = venv.join("bin/python");
    if python.is_file() {
        Some(python)
    } else {
        missing(&format!(
            "no Python at {} (run scripts/install-peers.sh, or point CREDMAN_PEER_VENV at a venv \
             with Werkzeug and bcrypt)",
            python.display()
        ));
        None
    }
}

/// `htpasswd`, if it is on the PATH.
fn htpasswd() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("htpasswd"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        missing("no htpasswd on the PATH (apt-get install apache2-utils)");
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn line(password: &[u8]) -> Vec<u8> {
    let mut v = password.to_vec();
    v.push(b'\n');
    v
}

/// The password with its last character changed: wrong, and no longer than the right one (so a
/// 72-byte password's wrong twin is still one bcrypt reads whole).
fn wrong(password: &str) -> String {
    let mut wrong = password.to_owned();
    let last = wrong.pop().expect("a password");
    wrong.push(if last == 'X' { 'Y' } else { 'X' });
    wrong
}

/// `credman --json hash --scheme SCHEME --password-stdin`, the password on stdin: the hash,
/// after checking the document's `scheme`.
fn credman_hash(scheme: &str, password: &[u8], expected_scheme: &str) -> String {
    let run = Run::from_output(
        credman()
            .args(["--json", "hash", "--scheme", scheme, "--password-stdin"])
            .write_stdin(line(password))
            .output()
            .unwrap(),
    );
    let doc = run.ok().json();
    assert_eq!(doc["scheme"], expected_scheme, "{run:?}");
    doc["hash"].as_str().expect("hash is a string").to_owned()
}

/// `credman hash --scheme SCHEME --password-stdin` with `stdin` as it is.
fn credman_hash_raw(scheme: &str, stdin: &[u8]) -> Run {
    Run::from_output(
        credman()
            .args(["hash", "--scheme", scheme, "--password-stdin"])
            .write_stdin(stdin)
            .output()
            .unwrap(),
    )
}

/// Runs [`PYTHON_CHECKER`] for `peer` over (hash, password) pairs, each with its [`wrong`] twin:
/// `[right accepted, wrong accepted]` per pair.
fn python_check(python: &Path, peer: &str, cases: &[(String, &str)]) -> Vec<(bool, bool)> {
    let input: Vec<Value> = cases
        .iter()
        .map(|(hash, password)| json!({"hash": hash, "password": password, "wrong": wrong(password)}))
        .collect();
    let run = Run::from_output(
        Command::new(python)
            .args(["-c", PYTHON_CHECKER, peer])
            .write_stdin(serde_json::to_vec(&input).unwrap())
            .timeout(TIMEOUT * 4)
            .output()
            .unwrap(),
    );
    let results: Vec<(bool, bool)> = serde_json::from_value(run.ok().json())
        .unwrap_or_else(|e| panic!("the {peer} checker's answer ({e}): {run:?}"));
    assert_eq!(results.len(), cases.len(), "{run:?}");
    results
}

/// `htpasswd -i -v FILE peer` with the password on stdin: its exit code (0 correct, 3 wrong).
fn htpasswd_verify(htpasswd: &Path, dir: &Path, hash: &str, password: &[u8]) -> i32 {
    let file = dir.join("htpasswd");
    std::fs::write(&file, format!("peer:{hash}\n")).unwrap();
    let run = Run::from_output(
        Command::new(htpasswd)
            .arg("-i")
            .arg("-v")
            .arg(&file)
            .arg("peer")
            .write_stdin(line(password))
            .timeout(TIMEOUT)
            .output()
            .unwrap(),
    );
    let code = run.code().expect("htpasswd exited");
    assert!(code == 0 || code == 3, "htpasswd failed: {run:?}");
    code
}

// ---------------------------------------------------------------------------------------------
// The peers

#[test]
fn werkzeug_check_password_hash_accepts_credmans_werkzeug_hashes() {
    let Some(python) = venv_python() else {
        return;
    };
    for (scheme, name, method) in [
        ("werkzeug-scrypt", "werkzeug-scrypt", "scrypt:32768:8:1$"),
        (
            "werkzeug-pbkdf2",
            "werkzeug-pbkdf2-sha256",
            "pbkdf2:sha256:1000000$",
        ),
    ] {
        let cases: Vec<(String, &str)> = WERKZEUG_PASSWORDS
            .iter()
            .map(|pw| (credman_hash(scheme, pw.as_bytes(), name), *pw))
            .collect();
        for (hash, _) in &cases {
            assert!(hash.starts_with(method), "{hash}");
        }
        let results = python_check(&python, "werkzeug", &cases);
        for ((hash, password), (right, wrong)) in cases.iter().zip(results) {
            assert!(right, "Werkzeug refused {hash} for {password:?}");
            assert!(!wrong, "Werkzeug accepted a wrong password for {hash}");
        }
    }
}

#[test]
fn python_bcrypt_and_htpasswd_accept_credmans_bcrypt_hashes() {
    let python = venv_python();
    let htpasswd = htpasswd();
    if python.is_none() && htpasswd.is_none() {
        return;
    }
    // Exactly 72 bytes, the most bcrypt reads, multi-byte characters up to the last byte.
    let at_limit = format!("{}{}", "✓".repeat(20), "pässwörd!!");
    assert_eq!(at_limit.len(), 72);
    let passwords = [
        "correct horse battery staple",
        "pässwörd✓ long enough",
        "  spaces at both ends kept  ",
        at_limit.as_str(),
    ];
    let cases: Vec<(String, &str)> = passwords
        .iter()
        .map(|pw| (credman_hash("bcrypt", pw.as_bytes(), "bcrypt"), *pw))
        .collect();
    for (hash, _) in &cases {
        assert!(hash.starts_with("$2b$12$") && hash.len() == 60, "{hash}");
    }
    if let Some(python) = python {
        let results = python_check(&python, "bcrypt", &cases);
        for ((hash, password), (right, wrong)) in cases.iter().zip(results) {
            assert!(right, "python bcrypt refused {hash} for {password:?}");
            assert!(!wrong, "python bcrypt accepted a wrong password for {hash}");
        }
    }
    if let Some(htpasswd) = htpasswd {
        let dir = scratch();
        for (hash, password) in &cases {
            assert_eq!(
                htpasswd_verify(&htpasswd, dir.path(), hash, password.as_bytes()),
                0,
                "htpasswd refused {hash} for {password:?}"
            );
            assert_eq!(
                htpasswd_verify(&htpasswd, dir.path(), hash, wrong(password).as_bytes()),
                3,
                "htpasswd accepted a wrong password for {hash}"
            );
        }
    }
}

/// What the peers could never check is refused (exit 2) instead of hashed: for bcrypt a password
/// over 72 bytes (bcrypt ignores the rest) or with a NUL byte (htpasswd and crypt(3) end the
/// password there), for Werkzeug one that is not UTF-8 (Werkzeug hashes text). With htpasswd at
/// hand, the reasons are shown too.
#[test]
fn passwords_the_peers_would_cut_short_are_refused() {
    let over = "y".repeat(73);
    credman_hash_raw("bcrypt", &line(over.as_bytes())).error(&["72 bytes"]);
    credman_hash_raw("bcrypt", b"ab\0cd\n").error(&["NUL"]);
    for scheme in ["werkzeug-scrypt", "werkzeug-pbkdf2"] {
        credman_hash_raw(scheme, b"caf\xe9 au lait\n").error(&["UTF-8"]);
    }
    let Some(htpasswd) = htpasswd() else {
        return;
    };
    let dir = scratch();
    // htpasswd reads 72 bytes of a longer password and a NUL ends it: a hash of the shorter
    // password would let the longer one in.
    let hash = credman_hash("bcrypt", &over.as_bytes()[..72], "bcrypt");
    assert_eq!(
        htpasswd_verify(&htpasswd, dir.path(), &hash, over.as_bytes()),
        0
    );
    let hash = credman_hash("bcrypt", b"ab", "bcrypt");
    assert_eq!(htpasswd_verify(&htpasswd, dir.path(), &hash, b"ab\0cd"), 0);
}
