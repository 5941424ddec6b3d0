//! Helpers shared by the CLI test files: the hermetic binary, scratch folders, `Run`, what a
//! finished command left behind with the assertions every file makes on it, and `Db`, one
//! test's database that commands run against (each file adds its own helpers to it).
#![allow(dead_code)] // each test crate uses its own subset

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, ExitStatus};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_credman");

/// No single command should ever take this long; a hang fails the test instead of the run.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The names of the `CREDMAN_*` variables this process would pass on.
pub fn inherited_credman_vars() -> Vec<OsString> {
    std::env::vars_os()
        .map(|(k, _)| k)
        .filter(|k| k.to_string_lossy().starts_with("CREDMAN_"))
        .collect()
}

/// The binary, hermetic: `NO_COLOR=1`, no inherited `CREDMAN_*`, a timeout.
pub fn credman() -> Command {
    let mut cmd = Command::cargo_bin("credman").expect("the credman binary is built");
    cmd.env("NO_COLOR", "1").timeout(TIMEOUT);
    for key in inherited_credman_vars() {
        cmd.env_remove(key);
    }
    cmd
}

/// The same, as a `std::process::Command` (for children the test talks to while they run).
pub fn std_credman(program: &str) -> StdCommand {
    let mut cmd = StdCommand::new(program);
    cmd.env("NO_COLOR", "1");
    for key in inherited_credman_vars() {
        cmd.env_remove(key);
    }
    cmd
}

/// A scratch folder: on tmpfs when there is one (see the module docs), else the usual temp dir.
pub fn scratch() -> TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::Builder::new()
            .prefix("credman-cli-")
            .tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().unwrap()
}

pub fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// `credman --db PATH ARGS...` as a `std::process::Command`, hermetic, all three standard
/// streams piped: for processes that run side by side, or that a test kills.
pub fn piped(db: &Path, args: &[&str]) -> StdCommand {
    let mut cmd = std_credman(BIN);
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    cmd
}

/// Runs `piped(db, args)` to the end with `stdin` written to it.
pub fn run_piped(db: &Path, args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write as _;
    let mut child = piped(db, args).spawn().unwrap();
    // A process that failed before reading its stdin closed it: its output says why.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

/// A finished process for an assertion message.
pub fn describe(out: &std::process::Output) -> String {
    format!(
        "{:?}, stdout {:?}, stderr {:?}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// splitmix64: seedable, reproducible draws for the tests that need a few thousand random
/// choices (kill times, an operation mix, passwords); no random-number crate needed for that.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// In `[0, n)`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A password zxcvbn scores well: 20 random letters and digits.
    pub fn password(&mut self) -> String {
        const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        (0..20)
            .map(|_| ALPHABET[self.below(ALPHABET.len())] as char)
            .collect()
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`: RFC 3339, UTC.
pub fn is_rfc3339_utc(s: &str) -> bool {
    let template = "0000-00-00T00:00:00Z";
    s.len() == template.len()
        && s.bytes().zip(template.bytes()).all(|(c, t)| match t {
            b'0' => c.is_ascii_digit(),
            _ => c == t,
        })
}

/// What a finished command left behind.
pub struct Run {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "\n  status: {:?}\n  stdout: {:?}\n  stderr: {:?}",
            self.status,
            truncated(&self.stdout),
            truncated(&self.stderr)
        )
    }
}

pub fn truncated(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.chars().count() > 2000 {
        format!("{}...", text.chars().take(2000).collect::<String>())
    } else {
        text.into_owned()
    }
}

impl Run {
    pub fn from_output(o: std::process::Output) -> Self {
        Self {
            status: o.status,
            stdout: o.stdout,
            stderr: o.stderr,
        }
    }

    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    pub fn stdout(&self) -> &str {
        std::str::from_utf8(&self.stdout).expect("stdout is UTF-8")
    }

    pub fn stderr(&self) -> &str {
        std::str::from_utf8(&self.stderr).expect("stderr is UTF-8")
    }

    /// Exit `code` and nothing on stderr.
    #[track_caller]
    pub fn clean(&self, code: i32) -> &Self {
        assert_eq!(self.code(), Some(code), "{self:?}");
        assert!(self.stderr.is_empty(), "unexpected stderr: {self:?}");
        self
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        self.clean(0)
    }

    /// stdout as exactly one JSON document (nothing before or after it but white space).
    #[track_caller]
    pub fn json(&self) -> Value {
        let docs: Vec<Value> = serde_json::Deserializer::from_slice(&self.stdout)
            .into_iter::<Value>()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"));
        assert_eq!(docs.len(), 1, "not exactly one JSON document: {self:?}");
        docs.into_iter().next().unwrap()
    }

    /// Exit 2 with one line `credman: error: ...` on stderr that contains every needle, and
    /// nothing on stdout.
    #[track_caller]
    pub fn error(&self, needles: &[&str]) -> &Self {
        assert_eq!(self.code(), Some(2), "{self:?}");
        let err = self.stderr();
        assert!(
            err.starts_with("credman: error: "),
            "stderr must start with 'credman: error: ': {self:?}"
        );
        assert!(
            err.ends_with('\n') && err.matches('\n').count() == 1,
            "stderr must be exactly one line: {self:?}"
        );
        for needle in needles {
            assert!(
                err.contains(needle),
                "stderr does not say {needle:?}: {self:?}"
            );
        }
        assert!(
            self.stdout.is_empty(),
            "an error printed on stdout: {self:?}"
        );
        self
    }
}

/// One test's database: `credman.db` in a folder of its own, removed with it.
pub struct Db {
    pub dir: TempDir,
    pub path: PathBuf,
}

impl Db {
    /// A path in a fresh scratch folder; nothing is created.
    pub fn missing() -> Self {
        Self::in_dir(scratch())
    }

    /// A path in `dir`; nothing is created.
    pub fn in_dir(dir: TempDir) -> Self {
        let path = dir.path().join("credman.db");
        Self { dir, path }
    }

    /// Initialised, with the KDF lowered for speed.
    pub fn fast() -> Self {
        let db = Self::missing();
        db.init_fast();
        db
    }

    /// `init`, then the KDF of new hashes lowered for speed (`hash.argon2.m 64`, `t 1`).
    pub fn init_fast(&self) {
        self.run(&["init"]).ok();
        self.run(&["config", "set", "hash.argon2.m", "64"]).ok();
        self.run(&["config", "set", "hash.argon2.t", "1"]).ok();
    }

    /// `credman --db PATH ARGS...`
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = credman();
        cmd.arg("--db").arg(&self.path).args(args);
        cmd
    }

    /// Runs with an empty, closed stdin.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from_output(self.cmd(args).output().unwrap())
    }

    /// Runs with `stdin` on stdin.
    pub fn run_in(&self, args: &[&str], stdin: &[u8]) -> Run {
        Run::from_output(self.cmd(args).write_stdin(stdin).output().unwrap())
    }

    /// `--json ARGS`, exit 0, one document.
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.run(&all).ok().json()
    }

    /// `user list --json`: every user.
    pub fn users(&self) -> Vec<Value> {
        match self.json(&["user", "list"]) {
            Value::Array(users) => users,
            other => panic!("user list --json is not an array: {other}"),
        }
    }

    /// The names of `users()`, in the order `user list` prints them.
    pub fn names(&self) -> Vec<String> {
        self.users()
            .iter()
            .map(|u| u["name"].as_str().unwrap().to_owned())
            .collect()
    }

    /// `log --json`: the whole event log.
    pub fn events(&self) -> Vec<Value> {
        match self.json(&["log", "--limit", "1000000"]) {
            Value::Array(events) => events,
            other => panic!("log --json is not an array: {other}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// examples/webapp.rs, for tests/webapp.rs and tests/webapp_browser.rs
// ---------------------------------------------------------------------------------------------

/// `examples/webapp` of this build: `cargo build --example webapp` with the profile and target
/// folder the running test was built with (quick when it is up to date), once per test binary.
/// The test's own path says where: `<target>/<profile>/deps/<test>-<hash>`.
pub fn webapp_binary() -> &'static Path {
    static BINARY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BINARY.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test knows its own path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("the test runs from <target>/<profile>/deps");
        let target = profile_dir.parent().expect("<target>/<profile>");
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") => "dev",
            Some(other) => other,
            None => panic!("no profile folder above {}", exe.display()),
        };
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let out = StdCommand::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "--example",
                "webapp",
                "--profile",
                profile,
            ])
            .arg("--manifest-path")
            .arg(&manifest)
            .arg("--target-dir")
            .arg(target)
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "cargo build --example webapp failed: {:?}",
            Run::from_output(out)
        );
        let binary = profile_dir
            .join("examples")
            .join(format!("webapp{}", std::env::consts::EXE_SUFFIX));
        assert!(binary.is_file(), "no {} after the build", binary.display());
        binary
    })
}

/// The example web app, running on its own database and a free port of 127.0.0.1; killed when
/// dropped. Its stderr goes to `webapp.stderr` in the folder given to `start`, for the failure
/// messages.
pub struct WebApp {
    child: std::process::Child,
    pub addr: std::net::SocketAddr,
    stderr: PathBuf,
}

impl WebApp {
    /// `webapp --db DB --listen 127.0.0.1:0`, waiting for its one line
    /// `listening on http://ADDR`.
    pub fn start(db: &Path, log_dir: &Path) -> Self {
        use std::io::BufRead as _;
        use std::process::Stdio;

        let stderr = log_dir.join("webapp.stderr");
        let mut cmd = std_credman(webapp_binary().to_str().expect("a UTF-8 path"));
        cmd.arg("--db")
            .arg(db)
            .args(["--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap());
        let mut child = cmd.spawn().expect("the web app starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = std::io::BufReader::new(stdout).lines();
            if let Some(Ok(first)) = lines.next() {
                let _ = tx.send(first);
            }
            // Keep reading, so that a later line never blocks or kills the app.
            for _ in lines {}
        });
        let mut app = Self {
            child,
            addr: ([0, 0, 0, 0], 0).into(),
            stderr,
        };
        let line = match rx.recv_timeout(TIMEOUT) {
            Ok(line) => line,
            Err(e) => {
                let status = app.child.try_wait().ok().flatten();
                panic!(
                    "the web app printed no `listening on` line ({e}); exit status {status:?}; \
                     stderr: {}",
                    app.stderr_text()
                );
            }
        };
        let addr = line
            .strip_prefix("listening on http://")
            .and_then(|a| a.parse::<std::net::SocketAddr>().ok())
            .unwrap_or_else(|| {
                panic!(
                    "the first line is not `listening on http://ADDR`: {line:?}; stderr: {}",
                    app.stderr_text()
                )
            });
        assert!(
            addr.ip().is_loopback() && addr.port() != 0,
            "listening on {addr}: not the bound loopback address"
        );
        app.addr = addr;
        app
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// What the app wrote on stderr so far.
    pub fn stderr_text(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

impl Drop for WebApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<tag>`: well formed, a distinct salt and tag per `n`,
/// and no password verifies it.
pub fn synthetic_argon2id(n: u64) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD_NO_PAD;
    let mut salt = [0u8; 16];
    salt[..8].copy_from_slice(&n.to_le_bytes());
    salt[8..].copy_from_slice(&n.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_be_bytes());
    let mut tag = [0u8; 32];
    for (i, chunk) in tag.chunks_mut(8).enumerate() {
        let word = n ^ (i as u64 + 1).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        chunk.copy_from_slice(&word.wrapping_mul(0x94d0_49bb_1331_11eb).to_le_bytes());
    }
    format!(
        "$argon2id$v=19$m=19456,t=2,p=1${}${}",
        b64.encode(salt),
        b64.encode(tag)
    )
}

/// One line of tests/data/hashes.jsonl: a real hash made by the library that owns its format,
/// with a password that does (`valid`) or does not verify it.
#[derive(Debug, Clone)]
pub struct Vector {
    pub scheme: String,
    pub password: String,
    pub hash: String,
    pub valid: bool,
}

/// Every line of tests/data/hashes.jsonl (382 of them).
pub fn vectors() -> Vec<Vector> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/hashes.jsonl"
    ))
    .expect("tests/data/hashes.jsonl");
    let all: Vec<Vector> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            Vector {
                scheme: v["scheme"].as_str().unwrap().to_owned(),
                password: v["password"].as_str().unwrap().to_owned(),
                hash: v["hash"].as_str().unwrap().to_owned(),
                valid: v["valid"].as_bool().unwrap(),
            }
        })
        .collect();
    assert_eq!(all.len(), 382, "the vectors file changed");
    all
}
