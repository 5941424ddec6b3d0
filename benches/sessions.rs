//! Criterion benchmarks for `Credman::check_session`, the call a web app makes on every request.
//! SPEC §6: at least 50 000 checks/s on one core (so at most 20 µs a check).
//!
//! The database is a file (WAL, synchronous=FULL, secure_delete, as in production) holding
//! `SESSIONS` sessions of `USERS` users, all made through the library. The clock is a
//! `ManualClock`, so the steady state is deterministic: a check refreshes `last_seen_at` at most
//! once a minute, hence almost every check in production is a read, and the main cases never
//! move the clock. One case moves it a minute before every check, so every check also writes
//! (a commit with an fsync): the worst case, once per session per minute.
//!
//! Run: cargo bench --bench sessions
//!      cargo bench --bench sessions -- 'valid token'    (one case)

use std::sync::Arc;

use credman::{Credman, ManualClock, OpenMode, SessionOptions};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const USERS: usize = 100;
const SESSIONS: usize = 5_000;
/// 2026-01-01T00:00:00Z; any fixed time will do.
const T0: i64 = 1_767_225_600;

struct Fixture {
    _dir: tempfile::TempDir,
    app: Credman,
    clock: Arc<ManualClock>,
    tokens: Vec<String>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(T0));
    let app = Credman::open(&dir.path().join("sessions.db"), OpenMode::Create)
        .unwrap()
        .with_clock(clock.clone());
    // A negligible KDF: adding the users is set-up, not what is measured.
    app.config_set("hash.argon2.m", "8").unwrap();
    app.config_set("hash.argon2.t", "1").unwrap();
    for u in 0..USERS {
        let password =
            credman::Password::from(format!("a long enough password for user {u}").as_str());
        app.add_user(&format!("user{u:03}"), &password, true)
            .unwrap();
    }
    let options = SessionOptions {
        // The longest allowed (400 days): moving the clock a minute per check in the
        // last-seen-due case never gets there (a run makes well under 500 000 checks).
        ttl: Some(400 * 86_400),
        idle: Some(400 * 86_400),
        label: Some("bench".into()),
        ip: Some("203.0.113.7".into()),
        user_agent: Some(
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0".into(),
        ),
    };
    let tokens = (0..SESSIONS)
        .map(|i| {
            let issued = app
                .create_session(&format!("user{:03}", i % USERS), &options)
                .unwrap();
            issued.token.as_str().to_owned()
        })
        .collect();
    Fixture {
        _dir: dir,
        app,
        clock,
        tokens,
    }
}

fn check_session(c: &mut Criterion) {
    let f = fixture();
    let app = &f.app;
    // Well-formed (`cms_` + 43 base64url characters of 32 bytes) but never issued.
    let unknown = format!("cms_{}", "A".repeat(43));
    assert!(credman::SessionToken::parse(&unknown).is_some());
    let malformed = "cms_not-a-token";

    let mut group = c.benchmark_group(format!("check_session ({SESSIONS} sessions in the db)"));
    group.throughput(Throughput::Elements(1));
    group.bench_function("valid token", |b| {
        let token = &f.tokens[SESSIONS / 2];
        b.iter(|| assert!(app.check_session(token).unwrap().is_some()))
    });
    group.bench_function("valid token, a different session each time", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % SESSIONS;
            assert!(app.check_session(&f.tokens[i]).unwrap().is_some())
        })
    });
    group.bench_function("unknown token", |b| {
        b.iter(|| assert!(app.check_session(&unknown).unwrap().is_none()))
    });
    group.bench_function("malformed token", |b| {
        b.iter(|| assert!(app.check_session(malformed).unwrap().is_none()))
    });
    group.sample_size(30);
    group.bench_function("valid token, last_seen_at due (every check writes)", |b| {
        let token = &f.tokens[0];
        b.iter(|| {
            f.clock.advance(60);
            let session = app.check_session(token).unwrap().unwrap();
            assert_eq!(session.last_seen_at, f.app.now());
        })
    });
    group.finish();
}

criterion_group!(benches, check_session);
criterion_main!(benches);
