//! Load: 32 workers, each running `credman` processes back to back against one database for a
//! bounded time (20 s; `CREDMAN_LOAD_SECS=N` to change it), so 32 processes are always at work
//! on it: user add, verify (right and wrong password), user passwd, session create, check,
//! rotate and prune, picked at random.
//!
//! Each worker owns its users and keeps a model of them (password, failed attempts, sessions
//! and their tokens); prune is the one operation whose effect crosses workers. Every process
//! must give exactly the answer the model expects, with nothing on stderr: no "database is
//! locked", no lost write. Afterwards the database must agree with the models: each user's
//! password, failure count and sessions, every event counted once, and every session revoked by
//! a password change either pruned or still there as revoked.
//!
//! The numbers (operations per second, latency per kind) are printed; run with `--nocapture`,
//! and `--release` for the figures the README quotes.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use credman::hashing::{Caps, Check, verify_password};
use credman::{Credman, OpenMode, Password};
use rusqlite::Connection;
use serde_json::Value;

mod common;
use common::{Db, SplitMix64, describe, run_piped};

const WORKERS: usize = 32;

/// `lockout.threshold` is set to its maximum; workers keep failures well below it, so nobody
/// is throttled and every right password is accepted.
const THRESHOLD: i64 = 100;
const MAX_FAILURES: i64 = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Add,
    VerifyRight,
    VerifyWrong,
    Passwd,
    Create,
    Check,
    Rotate,
    Prune,
}

/// How often each operation is picked, out of the sum.
const MIX: [(Op, u64); 8] = [
    (Op::Add, 6),
    (Op::VerifyRight, 20),
    (Op::VerifyWrong, 8),
    (Op::Passwd, 8),
    (Op::Create, 14),
    (Op::Check, 26),
    (Op::Rotate, 12),
    (Op::Prune, 4),
];

struct Account {
    name: String,
    password: String,
    failed: i64,
    /// (id, token) of each active session.
    sessions: Vec<(String, String)>,
}

/// What one worker did and what it expects the database to hold.
#[derive(Default)]
struct Tally {
    latencies: BTreeMap<Op, Vec<Duration>>,
    /// Events this worker's operations must have written, by action.
    events: BTreeMap<&'static str, i64>,
    /// Sessions revoked by this worker's password changes.
    revoked: i64,
    /// Sessions this worker's prunes deleted (anyone's).
    pruned: i64,
}

struct Worker {
    id: usize,
    db: PathBuf,
    rng: SplitMix64,
    accounts: Vec<Account>,
    added: usize,
    tally: Tally,
}

impl Worker {
    fn pick(&mut self) -> Op {
        if self.accounts.is_empty() {
            return Op::Add;
        }
        let total: u64 = MIX.iter().map(|(_, w)| w).sum();
        let mut x = self.rng.next() % total;
        for (op, weight) in MIX {
            if x < weight {
                return op;
            }
            x -= weight;
        }
        unreachable!()
    }

    /// Runs one process; anything but `code` with nothing on stderr fails the test.
    fn run(&mut self, op: Op, args: &[&str], stdin: &[u8], code: i32) -> Value {
        let t0 = Instant::now();
        let out = run_piped(&self.db, args, stdin);
        self.tally
            .latencies
            .entry(op)
            .or_default()
            .push(t0.elapsed());
        assert!(
            out.status.code() == Some(code) && out.stderr.is_empty(),
            "worker {}: {args:?} should exit {code}: {}",
            self.id,
            describe(&out)
        );
        if args.first() == Some(&"--json") {
            serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", describe(&out)))
        } else {
            Value::String(String::from_utf8(out.stdout).unwrap())
        }
    }

    fn event(&mut self, action: &'static str) {
        *self.tally.events.entry(action).or_default() += 1;
    }

    fn step(&mut self) {
        let mut op = self.pick();
        // Any account (none yet only when the pick is Add, which needs none).
        let a = self.rng.below(self.accounts.len());
        if matches!(op, Op::Check | Op::Rotate) && self.accounts[a].sessions.is_empty() {
            op = Op::Create;
        }
        if op == Op::VerifyWrong && self.accounts[a].failed >= MAX_FAILURES {
            op = Op::VerifyRight;
        }
        match op {
            Op::Add => {
                let name = format!("w{:02}-{}", self.id, self.added);
                let password = self.rng.password();
                let line = format!("{password}\n");
                self.run(
                    op,
                    &["user", "add", &name, "--password-stdin"],
                    line.as_bytes(),
                    0,
                );
                self.added += 1;
                self.event("user.add");
                self.accounts.push(Account {
                    name,
                    password,
                    failed: 0,
                    sessions: Vec::new(),
                });
            }
            Op::VerifyRight | Op::VerifyWrong => {
                let right = op == Op::VerifyRight;
                let name = self.accounts[a].name.clone();
                let line = if right {
                    format!("{}\n", self.accounts[a].password)
                } else {
                    format!("{}!\n", self.accounts[a].password)
                };
                let args = ["verify", &name, "--password-stdin"];
                let said = self.run(op, &args, line.as_bytes(), if right { 0 } else { 1 });
                assert_eq!(said, if right { "valid\n" } else { "invalid\n" });
                if right {
                    self.accounts[a].failed = 0;
                    self.event("verify.success");
                } else {
                    self.accounts[a].failed += 1;
                    self.event("verify.failure");
                }
            }
            Op::Passwd => {
                let name = self.accounts[a].name.clone();
                let password = self.rng.password();
                let line = format!("{password}\n");
                self.run(
                    op,
                    &["user", "passwd", &name, "--password-stdin"],
                    line.as_bytes(),
                    0,
                );
                let account = &mut self.accounts[a];
                account.password = password;
                account.failed = 0;
                self.tally.revoked += account.sessions.len() as i64;
                account.sessions.clear();
                self.event("user.passwd");
            }
            Op::Create => {
                let name = self.accounts[a].name.clone();
                let line = format!("{}\n", self.accounts[a].password);
                let args = ["--json", "session", "create", &name, "--password-stdin"];
                let v = self.run(op, &args, line.as_bytes(), 0);
                assert_eq!(v["user"], name.as_str());
                let account = &mut self.accounts[a];
                account.failed = 0;
                account.sessions.push((
                    v["id"].as_str().unwrap().to_owned(),
                    v["token"].as_str().unwrap().to_owned(),
                ));
                self.event("verify.success");
                self.event("session.create");
            }
            Op::Check => {
                let s = self.rng.below(self.accounts[a].sessions.len());
                let line = format!("{}\n", self.accounts[a].sessions[s].1);
                let said = self.run(op, &["session", "check"], line.as_bytes(), 0);
                assert_eq!(said, format!("{}\n", self.accounts[a].name));
            }
            Op::Rotate => {
                let s = self.rng.below(self.accounts[a].sessions.len());
                let id = self.accounts[a].sessions[s].0.clone();
                let v = self.run(op, &["--json", "session", "rotate", &id], b"", 0);
                assert_eq!(v["id"], id.as_str());
                self.accounts[a].sessions[s].1 = v["token"].as_str().unwrap().to_owned();
                self.event("session.rotate");
            }
            Op::Prune => {
                let v = self.run(op, &["--json", "session", "prune"], b"", 0);
                self.tally.pruned += v["pruned"].as_i64().unwrap();
                self.event("session.prune");
            }
        }
    }
}

fn load_time() -> Duration {
    let secs = std::env::var("CREDMAN_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

fn events_by_action(conn: &Connection) -> BTreeMap<String, i64> {
    let mut stmt = conn
        .prepare("SELECT action, count(*) FROM events GROUP BY action")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[test]
fn thirty_two_processes_at_work_lose_nothing() {
    // On the disk-backed temp dir: every commit is a real fsync, as in use.
    let db = Db::in_dir(tempfile::tempdir().unwrap());
    db.init_fast();
    db.run(&["config", "set", "lockout.threshold", &THRESHOLD.to_string()])
        .ok();
    let before = events_by_action(&Connection::open(&db.path).unwrap());

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let deadline = Instant::now() + load_time();
    let started = Instant::now();
    let workers: Vec<Worker> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|id| {
                let mut worker = Worker {
                    id,
                    db: db.path.clone(),
                    rng: SplitMix64(seed ^ (id as u64).wrapping_mul(0xd1b5_4a32_d192_ed03)),
                    accounts: Vec::new(),
                    added: 0,
                    tally: Tally::default(),
                };
                scope.spawn(move || {
                    while Instant::now() < deadline {
                        worker.step();
                    }
                    worker
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = started.elapsed();

    // The numbers.
    let mut by_op: BTreeMap<Op, Vec<Duration>> = BTreeMap::new();
    for w in &workers {
        for (op, times) in &w.tally.latencies {
            by_op.entry(*op).or_default().extend(times);
        }
    }
    let total: usize = by_op.values().map(Vec::len).sum();
    eprintln!(
        "{WORKERS} workers, {elapsed:.1?}: {total} operations, {:.0} operations/s",
        total as f64 / elapsed.as_secs_f64()
    );
    for (op, times) in &mut by_op {
        times.sort();
        eprintln!(
            "  {op:?}: {} runs, median {:.1?}, p99 {:.1?}, max {:.1?}",
            times.len(),
            percentile(times, 0.5),
            percentile(times, 0.99),
            times.last().unwrap()
        );
    }
    for op in [Op::Add, Op::VerifyRight, Op::Passwd, Op::Create, Op::Check] {
        assert!(by_op.contains_key(&op), "no {op:?} ran in {elapsed:?}");
    }

    // The database agrees with every worker's model.
    let conn = Connection::open(&db.path).unwrap();
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok");
    let app = Credman::open(&db.path, OpenMode::Existing).unwrap();
    let users = db.users();
    let users: BTreeMap<&str, &Value> = users
        .iter()
        .map(|u| (u["name"].as_str().unwrap(), u))
        .collect();
    let accounts: Vec<&Account> = workers.iter().flat_map(|w| &w.accounts).collect();
    assert_eq!(users.len(), accounts.len(), "users lost or made up");
    for account in &accounts {
        let user = users[account.name.as_str()];
        assert_eq!(user["failed_attempts"], account.failed, "{user}");
        assert_eq!(user["locked"], false, "{user}");
        assert_eq!(
            user["active_sessions"],
            account.sessions.len(),
            "{}: {user}",
            account.name
        );
        let hash: String = conn
            .query_row(
                "SELECT hash FROM users WHERE name = ?1",
                [&account.name],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            verify_password(
                &Password::from(account.password.as_str()),
                &hash,
                &Caps::default()
            ),
            Check::Match,
            "{}: the last acknowledged password is not the one stored",
            account.name
        );
        for (id, token) in &account.sessions {
            let session = app.check_session(token).unwrap();
            assert!(
                session.is_some_and(|s| s.id == *id),
                "{}: session {id} lost its token",
                account.name
            );
        }
    }

    let mut expected = before;
    for w in &workers {
        for (action, n) in &w.tally.events {
            *expected.entry((*action).to_owned()).or_default() += n;
        }
    }
    assert_eq!(events_by_action(&conn), expected, "events lost or doubled");

    // Sessions: the live ones are exactly the models'; every revoked one was pruned once or
    // is still there, revoked.
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let live: usize = accounts.iter().map(|a| a.sessions.len()).sum();
    assert_eq!(
        count("SELECT count(*) FROM sessions WHERE revoked_at IS NULL"),
        live as i64
    );
    let revoked: i64 = workers.iter().map(|w| w.tally.revoked).sum();
    let pruned: i64 = workers.iter().map(|w| w.tally.pruned).sum();
    assert_eq!(
        pruned + count("SELECT count(*) FROM sessions WHERE revoked_at IS NOT NULL"),
        revoked,
        "revoked sessions pruned twice or lost"
    );
    eprintln!(
        "  {} users, {live} live sessions, {revoked} revoked by password changes, {pruned} pruned",
        accounts.len()
    );
}
