//! Secret input: the terminal prompt (rpassword) or one line of stdin, never argv.

use std::io::{self, Read, Write};
use std::os::fd::AsFd;

use anyhow::{Context as _, bail};
use credman::Password;
use zeroize::Zeroizing;

use super::{Ctx, UsageError};

/// More than any password policy allows (`password.max_bytes` is at most 64 KiB). Reading
/// stops once a line is longer: a runaway pipe (`< /dev/zero`) can neither exhaust memory nor
/// keep credman reading, and the password is refused (or denied) as too long.
const MAX_INPUT: usize = 128 * 1024;

/// Reads one line from stdin as raw bytes and strips one trailing `\n` or `\r\n`; every other
/// byte is kept (spaces, NUL, invalid UTF-8). Reads the file descriptor directly, not through
/// std's shared stdin buffer, so no copy of the secret is left behind: every buffer that held
/// it is wiped.
pub fn read_stdin_line(what: &str) -> anyhow::Result<Password> {
    let fd = io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .context("cannot read standard input")?;
    let mut file = std::fs::File::from(fd);
    let mut line: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(256));
    let mut chunk = Zeroizing::new([0u8; 512]);
    let mut saw_any = false;
    let mut ended_by_newline = false;
    while line.len() <= MAX_INPUT {
        let n = match file.read(&mut chunk[..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).context(format!("cannot read the {what} from standard input")),
        };
        saw_any = true;
        let data = &chunk[..n];
        let (data, done) = match data.iter().position(|&b| b == b'\n') {
            Some(i) => (&data[..i], true),
            None => (data, false),
        };
        let room = (MAX_INPUT + 1).saturating_sub(line.len());
        append_wiping(&mut line, &data[..data.len().min(room)]);
        if done {
            ended_by_newline = true;
            break;
        }
    }
    if !saw_any {
        bail!("no {what} on standard input (expected one line)");
    }
    // One `\r\n` goes with the newline; a lone trailing `\r` is part of the password.
    if ended_by_newline && line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Password::new(std::mem::take(&mut *line)))
}

/// Appends to a secret buffer; when it must grow, the old allocation is wiped rather than left
/// for the allocator with the secret in it.
fn append_wiping(buf: &mut Zeroizing<Vec<u8>>, data: &[u8]) {
    if buf.len() + data.len() > buf.capacity() {
        let mut bigger = Zeroizing::new(Vec::with_capacity(
            (buf.len() + data.len()).next_power_of_two(),
        ));
        bigger.extend_from_slice(buf);
        *buf = bigger;
    }
    buf.extend_from_slice(data);
}

fn prompt(text: &str) -> anyhow::Result<Password> {
    let typed = Zeroizing::new(
        rpassword::prompt_password(text).context("cannot read the password from the terminal")?,
    );
    Ok(Password::from(typed.as_str()))
}

fn require_terminal(ctx: &Ctx) -> anyhow::Result<()> {
    if !ctx.stdin_is_tty {
        return Err(UsageError(
            "no terminal to prompt for the password; pipe it in with --password-stdin".into(),
        )
        .into());
    }
    Ok(())
}

/// A password to set: from stdin, or typed twice at the prompt.
pub fn new_password(ctx: &Ctx, from_stdin: bool, user: &str) -> anyhow::Result<Password> {
    if from_stdin {
        return read_stdin_line("password");
    }
    require_terminal(ctx)?;
    let first = prompt(&format!("New password for {user}: "))?;
    let second = prompt("Retype the new password: ")?;
    if !first.ct_eq(&second) {
        bail!("the two passwords do not match; nothing was changed");
    }
    Ok(first)
}

/// A password to check: from stdin, or typed once at the prompt.
pub fn password(ctx: &Ctx, from_stdin: bool, user: &str) -> anyhow::Result<Password> {
    if from_stdin {
        return read_stdin_line("password");
    }
    require_terminal(ctx)?;
    prompt(&format!("Password for {user}: "))
}

/// Asks a yes/no question on the terminal; without one, the caller needs `--yes`.
pub fn confirm(ctx: &Ctx, question: &str) -> anyhow::Result<bool> {
    if !ctx.stdin_is_tty {
        return Err(UsageError(format!(
            "{question}: no terminal to ask on; pass --yes to confirm"
        ))
        .into());
    }
    eprint!("{question} [y/N] ");
    io::stderr().flush()?;
    let mut answer = String::new();
    io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}
