//! Criterion benchmarks for the KDF path: argon2id hash and verify at OWASP's parameters, and a
//! whole library `verify` of a stored user (KDF + SQLite read + failure/success write).
//!
//! Run: cargo bench --bench hashing
//!
//! With `CREDMAN_BENCH_PEER_LOOP=1` the binary runs no criterion group but [`peer_loop`]: the
//! in-process verify that `bench/peers.py` times in rounds interleaved with argon2-cffi, Werkzeug,
//! passlib and bcrypt (criterion runs its groups one after the other, so it cannot interleave).

use credman::hashing::{self, Argon2Params, Caps, Check};
use credman::{Credman, OpenMode, Password};
use criterion::{Criterion, criterion_group};
use std::hint::black_box;
use std::io::{self, BufRead, Write};
use std::time::Instant;

fn kdf(c: &mut Criterion) {
    let password = Password::from("correct horse battery staple");
    let params = Argon2Params::default();
    let hash = hashing::hash_password(&password, &params).unwrap();
    let mut group = c.benchmark_group("argon2id m=19456,t=2,p=1");
    group.sample_size(30);
    group.bench_function("hash", |b| {
        b.iter(|| hashing::hash_password(&password, &params).unwrap())
    });
    group.bench_function("verify", |b| {
        b.iter(|| {
            assert_eq!(
                hashing::verify_password(&password, &hash, &Caps::default()),
                Check::Match
            )
        })
    });
    group.finish();
}

fn library_verify(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let app = Credman::open(&dir.path().join("bench.db"), OpenMode::Create).unwrap();
    let password = Password::from("correct horse battery staple");
    app.add_user("alice", &password, false).unwrap();
    let wrong = Password::from("correct horse battery stapler");
    let mut group = c.benchmark_group("library verify (default policy)");
    group.sample_size(30);
    group.bench_function("right password", |b| {
        b.iter(|| assert!(app.verify("alice", &password).unwrap().valid))
    });
    group.bench_function("unknown user", |b| {
        b.iter(|| assert!(!app.verify("nobody", &wrong).unwrap().valid))
    });
    group.finish();
}

/// Verifies the hashes that `bench/peers.py` sends, one at a time, and answers with the time of
/// [`hashing::verify_password`] alone (no parsing of the request, no pipe). Standard input: the
/// password, then a wrong password (a line each, so neither is ever on argv), then one request a
/// line, `right HASH` or `wrong HASH`; standard output: `match NANOS`, `mismatch NANOS` or
/// `unusable NANOS` per request. Ends at end of input.
fn peer_loop() {
    let mut lines = io::stdin().lock().lines();
    let mut password = || {
        let line = lines.next().expect("a password line").expect("stdin");
        Password::new(line.into_bytes())
    };
    let (right, wrong) = (password(), password());
    let caps = Caps::default();
    let mut out = io::stdout().lock();
    for line in lines {
        let line = line.expect("stdin");
        let (which, stored) = line.split_once(' ').expect("`right HASH` or `wrong HASH`");
        let password = match which {
            "right" => &right,
            "wrong" => &wrong,
            other => panic!("unknown request {other:?}"),
        };
        let start = Instant::now();
        let check = black_box(hashing::verify_password(password, black_box(stored), &caps));
        let nanos = start.elapsed().as_nanos();
        let word = match check {
            Check::Match => "match",
            Check::Mismatch => "mismatch",
            Check::Unusable(_) => "unusable",
        };
        writeln!(out, "{word} {nanos}")
            .and_then(|()| out.flush())
            .expect("stdout");
    }
}

criterion_group!(benches, kdf, library_verify);

fn main() {
    if std::env::var_os("CREDMAN_BENCH_PEER_LOOP").is_some() {
        peer_loop();
    } else {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
}
