//! Terminal hygiene, on a real pseudo-terminal: `script(1)` (util-linux, on every Debian)
//! runs credman with its stdout and stderr on a pty, as an admin's shell would.
//!
//! - Help is styled on a terminal, and not at all with `NO_COLOR` set.
//! - A progress bar shows on a terminal during a large import, and never in a pipe or a log.
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use common::{BIN, Db, inherited_credman_vars, synthetic_argon2id};

/// Runs `credman ARGS` under `script` (stdout and stderr both on the pty, merged): what a
/// terminal would show. `None` when `script` is not installed (it is part of util-linux).
fn on_a_terminal(args: &str, no_color: bool) -> Option<Vec<u8>> {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "script(1) is missing (Debian's util-linux/bsdutils)"
        );
        eprintln!("skipped: script(1) is not installed");
        return None;
    }
    let mut cmd = StdCommand::new(script);
    cmd.args(["-q", "-e", "-c", &format!("{BIN} {args}"), "/dev/null"])
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    for key in inherited_credman_vars() {
        cmd.env_remove(key);
    }
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().expect("script runs");
    assert!(out.status.success(), "{args}: {out:?}");
    Some(out.stdout)
}

fn has_escapes(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
}

#[test]
fn help_is_styled_on_a_terminal_and_plain_with_no_color() {
    let Some(styled) = on_a_terminal("--help", false) else {
        return;
    };
    assert!(has_escapes(&styled), "clap styles help on a terminal");
    let plain = on_a_terminal("--help", true).unwrap();
    assert!(!has_escapes(&plain), "{}", String::from_utf8_lossy(&plain));
    assert!(String::from_utf8_lossy(&plain).contains("Exit status:"));
}

#[test]
fn a_progress_bar_shows_on_a_terminal_and_never_in_a_pipe() {
    let db = Db::missing();
    let file = db.dir.path().join("users.htpasswd");
    let lines: String = (0..20_000u64)
        .map(|n| format!("user{n}:{}\n", synthetic_argon2id(n)))
        .collect();
    std::fs::write(&file, lines).unwrap();
    let args = format!(
        "--db {} import {} --format htpasswd",
        db.path.display(),
        file.display()
    );
    let Some(shown) = on_a_terminal(&args, true) else {
        return;
    };
    let shown = String::from_utf8_lossy(&shown);
    // indicatif draws its bar with block characters and erases it with `ESC [2K` when done.
    assert!(
        shown.contains('█') && shown.contains("\u{1b}[2K"),
        "no progress bar on the terminal: {shown:?}"
    );
    assert!(shown.contains("20000 added"), "{shown:?}");

    // The same import into a pipe: the summary alone, nothing on stderr.
    let again = Db::missing();
    let run = again.run(&["import", file.to_str().unwrap(), "--format", "htpasswd"]);
    let run = run.ok();
    assert_eq!(
        run.stdout(),
        "20000 added, 0 updated, 0 skipped (already there), 0 locked, 0 without a hash, 0 bad\n"
    );
    assert_eq!(run.stderr(), "");
}
