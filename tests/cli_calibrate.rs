//! `credman hash calibrate`: the real binary times OWASP's argon2id sets, recommends one and,
//! with `--apply`, makes it the policy that new hashes use.
//!
//! Every command runs against the test's own `--db`, with `NO_COLOR=1` and every inherited
//! `CREDMAN_*` variable removed; passwords go in on stdin. Each calibration times one run per set
//! (`--samples 1`) to stay quick. Timings vary from run to run, so the recommendation is checked
//! against the measurements in the same output, never against fixed numbers.
#![cfg(unix)]

use std::fs;

use serde_json::Value;

mod common;
use common::*;

/// Passes the default policy (15+ characters, zxcvbn score >= 3).
const PW: &str = "correct horse battery staple";

/// OWASP's equal-cost argon2id sets (m KiB, t; p=1), most memory first.
const OWASP: [(u64, u64); 5] = [
    (47_104, 1),
    (19_456, 2),
    (12_288, 3),
    (9_216, 4),
    (7_168, 5),
];

/// One test's database (`common::Db`): `Db::missing()`, a path in its own scratch folder.
impl Db {
    #[track_caller]
    fn config(&self, key: &str) -> u64 {
        let run = self.run(&["config", "get", key]);
        run.ok().stdout().trim().parse().unwrap()
    }
}

/// `(m, t, p)` of a measurement or recommendation object.
#[track_caller]
fn params(v: &Value) -> (u64, u64, u64) {
    let field = |name: &str| {
        v[name]
            .as_u64()
            .unwrap_or_else(|| panic!("{name} is not an integer: {v}"))
    };
    (field("m"), field("t"), field("p"))
}

/// Checks the shape of a calibration document and that its recommendation follows from its own
/// measurements: the most memory-hard set whose median is within the target, or null when none
/// is. Returns the recommendation's `(m, t, p)`.
#[track_caller]
fn check_calibration(doc: &Value, target_ms: u64, samples: u64) -> Option<(u64, u64, u64)> {
    assert_eq!(doc["target_ms"].as_u64(), Some(target_ms), "{doc}");
    assert!(doc["applied"].is_boolean(), "{doc}");
    let measurements = doc["measurements"].as_array().expect("measurements array");
    let order: Vec<(u64, u64, u64)> = measurements.iter().map(params).collect();
    let owasp: Vec<(u64, u64, u64)> = OWASP.iter().map(|&(m, t)| (m, t, 1)).collect();
    assert_eq!(
        order, owasp,
        "the five OWASP sets, most memory first: {doc}"
    );
    for m in measurements {
        let median = m["median_ms"].as_f64().expect("median_ms is a number");
        assert!(median > 0.0 && median < 10_000.0, "{m}");
        assert_eq!(m["samples"].as_u64(), Some(samples), "{m}");
    }
    let want = measurements
        .iter()
        .filter(|m| m["median_ms"].as_f64().unwrap() <= target_ms as f64)
        .max_by_key(|m| params(m).0);
    match want {
        None => assert!(doc["recommended"].is_null(), "{doc}"),
        Some(want) => assert_eq!(&doc["recommended"], want, "{doc}"),
    }
    want.map(params)
}

// ---------------------------------------------------------------------------------------------
// Measuring and recommending
// ---------------------------------------------------------------------------------------------

#[test]
fn json_lists_the_owasp_sets_and_recommends_the_most_memory_hard_within_the_target() {
    let db = Db::missing();
    // The default target.
    let doc = db.json(&["hash", "calibrate", "--samples", "1"]);
    let best = check_calibration(&doc, 250, 1);
    assert!(
        best.is_some(),
        "no OWASP set within 250 ms on the test machine: {doc}"
    );
    assert_eq!(doc["applied"], false);
    // A generous target: every set fits, so the most memory-hard of all is the one.
    let doc = db.json(&["hash", "calibrate", "--samples", "2", "--target", "10s"]);
    assert_eq!(check_calibration(&doc, 10_000, 2), Some((47_104, 1, 1)));
    // Without --apply the database is never opened, let alone created.
    assert!(!db.path.exists());
}

#[test]
fn the_table_marks_the_recommendation_and_names_it_on_the_last_line() {
    let db = Db::missing();
    let run = db.run(&["hash", "calibrate", "--samples", "1", "--target", "10s"]);
    let out = run.ok().stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        7,
        "header, five sets, the recommendation: {run:?}"
    );
    for (word, col) in ["M (KiB)", "T", "P", "MEDIAN"].iter().zip(0..) {
        assert!(lines[0].contains(word), "column {col}: {run:?}");
    }
    for (line, (m, t)) in lines[1..6].iter().zip(OWASP) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            cells[..3],
            [m.to_string(), t.to_string(), "1".into()],
            "{run:?}"
        );
        assert!(line.contains(" ms"), "{run:?}");
    }
    assert!(lines[1].ends_with("<- recommended"), "{run:?}");
    assert_eq!(out.matches("recommended").count(), 2, "{run:?}");
    assert!(
        lines[6].starts_with("recommended: m=47104,t=1,p=1 (")
            && lines[6].ends_with(" ms, target 10000 ms)"),
        "{run:?}"
    );
    assert!(!db.path.exists());
}

#[test]
fn a_target_no_set_meets_prints_the_measurements_recommends_nothing_and_exits_2() {
    // No argon2id set of 7 MiB or more runs in a millisecond.
    let db = Db::missing();
    for apply in [false, true] {
        let mut args = vec![
            "--json",
            "hash",
            "calibrate",
            "--samples",
            "1",
            "--target",
            "1ms",
        ];
        if apply {
            args.push("--apply");
        }
        let run = db.run(&args);
        assert_eq!(run.code(), Some(2), "{run:?}");
        let doc = run.json();
        assert_eq!(check_calibration(&doc, 1, 1), None);
        assert_eq!(doc["applied"], false, "{run:?}");
        let err = run.stderr();
        assert!(
            err.starts_with("credman: error: ") && err.matches('\n').count() == 1,
            "one line on stderr: {run:?}"
        );
        assert!(
            err.contains("try --target "),
            "suggests a larger target: {run:?}"
        );
        // Nothing applied: no database made.
        assert!(!db.path.exists(), "{run:?}");
    }
    // On the terminal: the table, no recommendation line, the error on stderr.
    let run = db.run(&["hash", "calibrate", "--samples", "1", "--target", "1ms"]);
    assert_eq!(run.code(), Some(2), "{run:?}");
    assert_eq!(run.stdout().matches("over target").count(), 5, "{run:?}");
    assert!(!run.stdout().contains("recommended"), "{run:?}");
    assert!(run.stderr().contains("nothing recommended"), "{run:?}");
}

#[test]
fn bad_targets_and_sample_counts_are_usage_errors() {
    let db = Db::missing();
    for target in [
        "0", "0ms", "", "500us", "1500us", "11s", "1h", "soon", "-1s", "250",
    ] {
        let arg = format!("--target={target}");
        db.run(&["hash", "calibrate", &arg]).error(&["--target"]);
    }
    for samples in ["0", "51", "many", "-1"] {
        let arg = format!("--samples={samples}");
        db.run(&["hash", "calibrate", &arg]).error(&["--samples"]);
    }
    assert!(!db.path.exists());
}

#[test]
fn without_apply_a_broken_database_does_not_matter() {
    // Commands that need no database never open it: not a SQLite file, and no error.
    let db = Db::missing();
    fs::write(&db.path, b"this is not a database").unwrap();
    let doc = db.json(&["hash", "calibrate", "--samples", "1", "--target", "10s"]);
    check_calibration(&doc, 10_000, 1);
    assert_eq!(fs::read(&db.path).unwrap(), b"this is not a database");
}

// ---------------------------------------------------------------------------------------------
// --apply
// ---------------------------------------------------------------------------------------------

#[test]
fn apply_makes_the_recommendation_the_policy_for_new_hashes() {
    let db = Db::missing();
    db.run(&["init"]).ok();
    // Start from parameters no OWASP set has, so the change is visible.
    db.run(&["config", "set", "hash.argon2.m", "64"]).ok();
    db.run(&["config", "set", "hash.argon2.t", "7"]).ok();
    let events_before = db
        .json(&["log", "--limit", "1000"])
        .as_array()
        .unwrap()
        .len();

    let doc = db.json(&[
        "hash",
        "calibrate",
        "--samples",
        "1",
        "--target",
        "10s",
        "--apply",
    ]);
    let best = check_calibration(&doc, 10_000, 1).expect("every set fits in 10 s");
    assert_eq!(doc["applied"], true);
    let policy = (
        db.config("hash.argon2.m"),
        db.config("hash.argon2.t"),
        db.config("hash.argon2.p"),
    );
    assert_eq!(policy, best);

    // The three keys change together: one transaction, one event.
    let events = db.json(&["log", "--limit", "1000"]);
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), events_before + 1, "{events:?}");
    let last = events.last().unwrap();
    assert_eq!(last["action"], "config.set");
    let detail = last["detail"].as_str().unwrap();
    for key in ["hash.argon2.m", "hash.argon2.t", "hash.argon2.p"] {
        assert!(detail.contains(key), "{detail}");
    }

    // A new user's hash is argon2id at exactly the applied parameters...
    db.run_in(
        &["user", "add", "alice", "--password-stdin"],
        format!("{PW}\n").as_bytes(),
    )
    .ok();
    let user = db.json(&["user", "show", "alice"]);
    assert_eq!(user["scheme"], "argon2id");
    assert_eq!(user["needs_rehash"], false, "{user}");
    // ...which audit reads from the stored hash once the policy moves away from it.
    db.run(&["config", "set", "hash.argon2.t", "9"]).ok();
    let report = db.json(&["audit"]);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["user"] == "alice")
        .unwrap_or_else(|| panic!("alice needs a rehash: {report}"));
    let stored = &finding["params"];
    let read = |k: &str| stored[k].as_str().unwrap().parse::<u64>().unwrap();
    assert_eq!((read("m"), read("t"), read("p")), best, "{finding}");
}

#[test]
fn apply_creates_the_database_and_says_where() {
    let db = Db::missing();
    let run = db.run(&[
        "hash",
        "calibrate",
        "--samples",
        "1",
        "--target",
        "10s",
        "--apply",
    ]);
    let out = run.ok().stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[lines.len() - 1],
        format!("applied to {}", db.path.display()),
        "{run:?}"
    );
    assert!(
        lines[lines.len() - 2].starts_with("recommended: m=47104,t=1,p=1 ("),
        "{run:?}"
    );
    assert!(db.path.exists());
    assert_eq!(
        (
            db.config("hash.argon2.m"),
            db.config("hash.argon2.t"),
            db.config("hash.argon2.p")
        ),
        (47_104, 1, 1)
    );
}

#[test]
fn help_shows_an_example() {
    let run = Run::from_output(
        credman()
            .args(["hash", "calibrate", "--help"])
            .output()
            .unwrap(),
    );
    let out = run.ok().stdout();
    assert!(out.contains("credman hash calibrate --target"), "{run:?}");
    assert!(out.contains("--apply"), "{run:?}");
}
