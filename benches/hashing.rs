//! Criterion benchmarks for the KDF path: argon2id hash and verify at OWASP's parameters, and a
//! whole library `verify` of a stored user (KDF + SQLite read + failure/success write).
//!
//! Run: cargo bench --bench hashing

use credman::hashing::{self, Argon2Params, Caps, Check};
use credman::{Credman, OpenMode, Password};
use criterion::{Criterion, criterion_group, criterion_main};

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

criterion_group!(benches, kdf, library_verify);
criterion_main!(benches);
