//! Criterion benchmarks for the in-library pieces of `credman import` and `credman audit`:
//! SPEC §6 wants an import of 100 000 pre-hashed users in at most 3 s and an audit of
//! 1 000 000 stored hashes (parse + verdict, no KDF) in at most 5 s, so at most 5 µs a hash
//! for everything an audit does, the SQLite walk and the output included.
//!
//! - `identify/<scheme>`: `hashing::identify` of one valid hash of each scheme of
//!   `tests/data/hashes.jsonl` (the first valid vector of each), at the default policy.
//! - `100000 hashes/…`: over 100 000 `user:hash` lines in the mix `bench/import_audit.py`
//!   generates (35% argon2id at m=19456,t=2,p=1, 25% Werkzeug pbkdf2:sha256:600000, 15%
//!   Werkzeug scrypt:32768:8:1, 15% bcrypt cost 12, 10% apr1; random salts, so nothing is
//!   shared): `import::read` of the buffer, `identify` of every hash, an `Auditor` fed every
//!   item and finished (what `audit` does after SQLite hands over the rows), the same over
//!   100 000 argon2id hashes at the default policy (a database long in credman's hands: no
//!   findings), and `read` into an `Auditor` (what `audit FILE` does, less the output).
//!
//! Run: cargo bench --bench audit
//!      cargo bench --bench audit -- identify      (one group)

use std::hint::black_box;

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use credman::hashing::{self, Verdict};
use credman::import::{self, Entry, Format, Item};
use credman::{Auditor, Policy};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

const VECTORS: &str = include_str!("../tests/data/hashes.jsonl");
const ITEMS: usize = 100_000;
const CRYPT64: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const FIRST: [&str; 8] = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
];
const LAST: [&str; 6] = ["smith", "jones", "garcia", "müller", "tanaka", "o'brien"];

/// SplitMix64: deterministic, and no dependency for it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }

    fn hex(&mut self, n: usize) -> String {
        self.bytes(n).iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// An argon2id hash at credman's default parameters, with a random salt and tag.
fn argon2id_hash(rng: &mut Rng) -> String {
    format!(
        "$argon2id$v=19$m=19456,t=2,p=1${}${}",
        STANDARD_NO_PAD.encode(rng.bytes(16)),
        STANDARD_NO_PAD.encode(rng.bytes(32))
    )
}

/// One hash of the mix, syntactically valid (none of them verifies anything).
fn mixed_hash(rng: &mut Rng) -> String {
    match rng.below(100) {
        0..35 => argon2id_hash(rng),
        35..60 => format!(
            "pbkdf2:sha256:600000${}${}",
            rng.chars(ALNUM, 16),
            rng.hex(32)
        ),
        60..75 => format!("scrypt:32768:8:1${}${}", rng.chars(ALNUM, 16), rng.hex(64)),
        // The last salt and hash characters carry 2 and 4 bits: one of `.Oeu`.
        75..90 => format!(
            "$2b$12${}{}{}{}",
            rng.chars(CRYPT64, 21),
            rng.chars(b".Oeu", 1),
            rng.chars(CRYPT64, 30),
            rng.chars(b".Oeu", 1)
        ),
        _ => format!("$apr1${}${}", rng.chars(CRYPT64, 8), rng.chars(CRYPT64, 22)),
    }
}

/// `ITEMS` lines of `first.lastN:hash`, the hashes made by `hash`.
fn htpasswd(hash: fn(&mut Rng) -> String) -> Vec<u8> {
    let mut rng = Rng(1);
    let mut out = String::with_capacity(ITEMS * 110);
    for i in 0..ITEMS {
        let (first, last) = (FIRST[rng.below(FIRST.len())], LAST[rng.below(LAST.len())]);
        out.push_str(&format!("{first}.{last}{i}:{}\n", hash(&mut rng)));
    }
    out.into_bytes()
}

fn read_all(input: &[u8]) -> Vec<Item> {
    let mut items = Vec::with_capacity(ITEMS);
    import::read(input, Format::Htpasswd, |item| {
        items.push(item);
        true
    })
    .unwrap();
    items
}

/// The first valid vector of each scheme label of `tests/data/hashes.jsonl`, in file order.
fn vectors() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in VECTORS.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (Some(label), Some(hash)) = (v["scheme"].as_str(), v["hash"].as_str()) else {
            continue;
        };
        if v["valid"].as_bool() == Some(true) && !out.iter().any(|(l, _)| l == label) {
            out.push((label.to_owned(), hash.to_owned()));
        }
    }
    out
}

fn identify(c: &mut Criterion) {
    let policy = Policy::default();
    let mut group = c.benchmark_group("identify");
    group.throughput(Throughput::Elements(1));
    for (label, hash) in vectors() {
        let id = hashing::identify(&hash, &policy.argon2, &policy.caps);
        assert_ne!(id.verdict, Verdict::Malformed, "{label}: {:?}", id.reasons);
        group.bench_function(format!("{label} ({})", id.scheme), |b| {
            b.iter(|| hashing::identify(black_box(&hash), &policy.argon2, &policy.caps))
        });
    }
    group.finish();
}

fn hundred_thousand(c: &mut Criterion) {
    let input = htpasswd(mixed_hash);
    let items = read_all(&input);
    assert_eq!(items.len(), ITEMS);
    let policy = Policy::default();
    let hashes: Vec<&str> = items
        .iter()
        .map(|item| match item {
            Item::Hash(Entry { hash, .. }) => hash.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    let mut auditor = Auditor::new(policy.clone());
    items.iter().cloned().for_each(|i| auditor.add_item(i));
    let report = auditor.finish();
    assert_eq!(
        report
            .summary
            .iter()
            .find(|(v, _)| *v == Verdict::Malformed),
        Some(&(Verdict::Malformed, 0)),
        "the generated hashes all parse"
    );

    let mut group = c.benchmark_group(format!("{ITEMS} hashes"));
    group.throughput(Throughput::Elements(ITEMS as u64));
    group.sample_size(20);
    group.bench_function("import::read (htpasswd buffer)", |b| {
        b.iter(|| {
            let mut n = 0usize;
            import::read(black_box(&input[..]), Format::Htpasswd, |item| {
                black_box(&item);
                n += 1;
                true
            })
            .unwrap();
            assert_eq!(n, ITEMS);
        })
    });
    group.bench_function("identify each", |b| {
        b.iter(|| {
            for hash in &hashes {
                black_box(hashing::identify(hash, &policy.argon2, &policy.caps));
            }
        })
    });
    group.bench_function("Auditor add_item + finish", |b| {
        b.iter_batched(
            || items.clone(),
            |items| {
                let mut auditor = Auditor::new(policy.clone());
                for item in items {
                    auditor.add_item(item);
                }
                auditor.finish()
            },
            BatchSize::PerIteration,
        )
    });
    // A database long in credman's hands: every hash its own argon2id, no finding at all.
    let own = read_all(&htpasswd(argon2id_hash));
    group.bench_function(
        "Auditor add_item + finish, all argon2id at the policy",
        |b| {
            b.iter_batched(
                || own.clone(),
                |items| {
                    let mut auditor = Auditor::new(policy.clone());
                    for item in items {
                        auditor.add_item(item);
                    }
                    let report = auditor.finish();
                    assert!(report.findings.is_empty());
                    report
                },
                BatchSize::PerIteration,
            )
        },
    );
    group.bench_function("import::read into an Auditor (audit FILE)", |b| {
        b.iter(|| {
            let mut auditor = Auditor::new(policy.clone());
            import::read(black_box(&input[..]), Format::Htpasswd, |item| {
                auditor.add_item(item);
                true
            })
            .unwrap();
            auditor.finish()
        })
    });
    group.finish();
}

criterion_group!(benches, identify, hundred_thousand);
criterion_main!(benches);
