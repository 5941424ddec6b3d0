//! The fuzz targets on stable, in `cargo test`: libFuzzer itself needs nightly and runs by hand
//! (README, "Fuzzing"), but its targets' bodies are plain functions (fuzz/src/targets.rs,
//! included here as a module), so CI runs them on:
//!
//! - every committed seed, `fuzz/corpus/<target>/*`: a target whose seed folder is missing or
//!   empty fails, so a moved folder cannot turn this test into one that checks nothing;
//! - every pinned crash, `fuzz/regressions/<target>/*` (optional per target): an input that once
//!   failed, kept so the bug stays fixed;
//! - a few thousand inputs per target made by a small deterministic mutator from the seeds: not
//!   a fuzzer, but enough to catch a regression near the seeds in CI. The same inputs every run,
//!   so a failure reproduces; a failing one is written under the target's tmp folder, ready to
//!   be moved into fuzz/regressions/<target>/.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../fuzz/src/targets.rs"]
mod targets;

type Target = fn(&[u8]);

/// libFuzzer's `-max_len` for these targets: the mutations stay within it too.
const MAX_LEN: usize = 4096;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `dir`, sorted by name, with their contents.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, data)
        })
        .collect()
}

/// The committed seeds of `name`; fails when there are none.
fn seeds(name: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fuzz_dir().join("corpus").join(name);
    let seeds = files(&dir);
    assert!(
        !seeds.is_empty(),
        "{}: no seeds (missing or empty folder)",
        dir.display()
    );
    seeds
}

/// Runs `target` on `data`; `Err` with the panic message if it panicked (the default hook has
/// already printed it with its location).
fn run(target: Target, data: &[u8]) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| target(data))).map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "a panic".to_owned())
    })
}

/// Every seed and every pinned regression of `name` through `target`; all of them run, and the
/// test then fails naming each file that failed.
fn replay(name: &str, target: Target) {
    let mut inputs = seeds(name);
    inputs.extend(files(&fuzz_dir().join("regressions").join(name)));
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|(path, data)| {
            run(target, data)
                .err()
                .map(|why| format!("{}: {why}", path.display()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} inputs failed:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
}

#[test]
fn identify_seeds_and_regressions() {
    replay("identify", targets::identify);
}

#[test]
fn verify_seeds_and_regressions() {
    replay("verify", targets::verify);
}

#[test]
fn import_line_seeds_and_regressions() {
    replay("import_line", targets::import_line);
}

#[test]
fn config_seeds_and_regressions() {
    replay("config", targets::config);
}

// ---------------------------------------------------------------------------------------------
// Mutations of the seeds

/// xorshift64*: small, fast and the same on every machine, so a failing input is made again
/// by the next run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`); the slight bias of `%` does not matter here.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Bytes that matter to the parsers under test: separators, format prefixes, a byte order
/// mark, invalid UTF-8.
const TOKENS: &[&[u8]] = &[
    b"$",
    b":",
    b",",
    b"=",
    b"\n",
    b"\r\n",
    b"\r",
    b"\"",
    b"{",
    b"}",
    b"#",
    b" ",
    b"\0",
    b"\xff",
    b"\xc3\xa9",
    b"\xef\xbb\xbf",
    b"$argon2id$v=19$",
    b"m=64,t=1,p=1",
    b"$2b$04$",
    b"rounds=",
    b"pbkdf2:sha256:",
    b"scrypt:",
    b"ln=",
    b"\"user\":",
    b"\"hash\":",
    b"d",
    b"h",
    b"ms",
    b"hash.argon2.m=",
    b"session.ttl=",
];

/// Numbers at the edges of the types that hold parsed values (u8, u32, i64, u64), and some
/// that mean something to a format (zero, a leading zero, a sign).
const NUMBERS: &[&[u8]] = &[
    b"0",
    b"00",
    b"1",
    b"-1",
    b"255",
    b"256",
    b"4294967295",
    b"4294967296",
    b"9223372036854775807",
    b"18446744073709551615",
    b"18446744073709551616",
];

/// One random edit of `data`: flip a bit, replace or insert a byte or token, delete or
/// duplicate a range, put a large number in place of a run of digits, or splice with `other`.
fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let at = |rng: &mut Rng, len: usize| rng.below(len + 1);
    match rng.below(8) {
        0 if !data.is_empty() => {
            let i = rng.below(data.len());
            data[i] ^= 1 << rng.below(8);
        }
        1 if !data.is_empty() => {
            let i = rng.below(data.len());
            data[i] = rng.next() as u8;
        }
        2 | 3 => {
            let token = match rng.below(3) {
                0 => NUMBERS[rng.below(NUMBERS.len())],
                _ => TOKENS[rng.below(TOKENS.len())],
            };
            let i = at(rng, data.len());
            data.splice(i..i, token.iter().copied());
        }
        4 if !data.is_empty() => {
            let i = rng.below(data.len());
            let n = 1 + rng.below((data.len() - i).min(16));
            data.drain(i..i + n);
        }
        5 if !data.is_empty() => {
            let i = rng.below(data.len());
            let n = 1 + rng.below((data.len() - i).min(32));
            let copy = data[i..i + n].to_vec();
            let j = at(rng, data.len());
            data.splice(j..j, copy);
        }
        6 => {
            // The first run of digits at or after a random place becomes a token's number.
            let start = rng.below(data.len() + 1);
            if let Some(i) = data[start..].iter().position(u8::is_ascii_digit) {
                let i = start + i;
                let n = data[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                let number = NUMBERS[rng.below(NUMBERS.len())];
                data.splice(i..i + n, number.iter().copied());
            }
        }
        _ => {
            // This input's start, the other's end.
            let keep = at(rng, data.len());
            let from = at(rng, other.len());
            data.truncate(keep);
            data.extend_from_slice(&other[from..]);
        }
    }
    data.truncate(MAX_LEN);
}

/// `cases` inputs made from the seeds of `name` by one to four edits each, through `target`.
/// A failing input is written to the test's tmp folder and named in the failure.
fn mutations(name: &str, target: Target, cases: usize) {
    let seeds: Vec<Vec<u8>> = seeds(name).into_iter().map(|(_, data)| data).collect();
    // A fixed start per target, different between targets.
    let mut rng = Rng(name.bytes().fold(0x9e37_79b9_7f4a_7c15, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }));
    for case in 0..cases {
        let mut data = seeds[rng.below(seeds.len())].clone();
        let other = &seeds[rng.below(seeds.len())];
        for _ in 0..=rng.below(4) {
            mutate(&mut rng, &mut data, other);
        }
        if let Err(why) = run(target, &data) {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-smoke");
            std::fs::create_dir_all(&dir).expect("create the tmp folder");
            let path = dir.join(format!("{name}-case-{case}"));
            std::fs::write(&path, &data).expect("write the failing input");
            panic!(
                "{name}: mutation {case} failed: {why}\ninput: {:?}\nsaved as {} (move it into \
                 fuzz/regressions/{name}/ once fixed)",
                String::from_utf8_lossy(&data),
                path.display()
            );
        }
    }
}

#[test]
fn identify_survives_mutated_seeds() {
    mutations("identify", targets::identify, 30_000);
}

#[test]
fn verify_survives_mutated_seeds() {
    mutations("verify", targets::verify, 8000);
}

#[test]
fn import_line_survives_mutated_seeds() {
    mutations("import_line", targets::import_line, 8000);
}

#[test]
fn config_survives_mutated_seeds() {
    mutations("config", targets::config, 15_000);
}

/// The replay can fail: a target that panics on an input is reported, not swallowed by
/// `catch_unwind`.
#[test]
fn a_failing_target_is_reported() {
    fn always_fails(_: &[u8]) {
        panic!("on purpose");
    }
    assert_eq!(run(always_fails, b"x"), Err("on purpose".to_owned()));
    assert_eq!(run(|_| {}, b"x"), Ok(()));
}
