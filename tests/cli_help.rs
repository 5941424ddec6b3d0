//! The help of every command and the text of the common usage errors, pinned as trycmd cases:
//! `tests/cmd/NAME.toml` (the arguments, the environment, the exit code), with `NAME.stdout` and
//! `NAME.stderr` beside it, compared byte for byte (`binary = true`: in text mode trycmd would
//! read every `\` as a path separator and write the examples' `printf '%s\n'` as `'%s/n'`).
//!
//! After a deliberate change to a help text (a doc comment in src/cli/) or to an error message,
//! regenerate the snapshots, then read the diff before committing it:
//!
//! ```text
//! TRYCMD=overwrite cargo test --test cli_help
//! ```
//!
//! Every case runs in a fresh sandbox directory with a cleared environment (`env.inherit =
//! false`) and sets `NO_COLOR=1`, `COLUMNS=100` (clap wraps help to the terminal's width, and to
//! `$COLUMNS` when no stream is a terminal, as under trycmd) and `CREDMAN_DB` to a path inside
//! the sandbox: no case can read or create the default database under `$HOME`. A case that needs
//! a database finds it in its `NAME.in/` folder, which trycmd copies into the sandbox.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

#[test]
fn cli_help() {
    // A checkout leaves the files of the `*.in/` folders readable by all, and credman warns on
    // stderr about a database in that state; credman's own are 0600, so these are made so too.
    for dir in fs::read_dir("tests/cmd").unwrap() {
        let dir = dir.unwrap().path();
        if dir.is_dir() && dir.extension().is_some_and(|ext| ext == "in") {
            for file in fs::read_dir(&dir).unwrap() {
                let file = file.unwrap().path();
                if file.is_file() {
                    fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
                }
            }
        }
    }

    trycmd::TestCases::new()
        .register_bin("credman", Path::new(env!("CARGO_BIN_EXE_credman")))
        .case("tests/cmd/*.toml");
}
