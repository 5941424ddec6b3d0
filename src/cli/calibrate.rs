//! `credman hash calibrate`

use std::time::Duration;

use credman::hashing::{self, Measurement, OWASP_ARGON2ID};
use serde_json::{Value, json};

use super::output::{Progress, print_json, print_line, print_table, progress_bar, table};
use super::{Answer, Ctx, open_or_create};

/// The longest --target accepted: a login that waits longer than this for its KDF is broken,
/// whatever the attacker's budget.
const MAX_TARGET: Duration = Duration::from_secs(10);

/// Time OWASP's argon2id parameter sets here and recommend one for new hashes
///
/// OWASP's Password Storage Cheat Sheet lists five argon2id sets of equal strength (p=1):
/// m=47104 KiB t=1, m=19456 t=2, m=12288 t=3, m=9216 t=4 and m=7168 t=5. Each is timed on this
/// machine (one warm-up run, then --samples runs; the median counts), and the most memory-hard
/// one whose median is within --target is recommended: memory is what makes GPU and ASIC
/// cracking expensive. Run it where the web app runs, while that machine is as busy as usual.
///
/// With --apply the recommendation becomes the policy for new hashes (hash.argon2.m, .t and .p,
/// set together in one transaction); existing users' hashes are upgraded as they log in.
/// Without --apply no database is opened.
///
/// When no set is fast enough, the measurements are still printed (JSON: "recommended": null),
/// nothing is applied, and credman exits 2 with the --target that would fit.
///
/// Examples:
///   credman hash calibrate
///   credman hash calibrate --target 100ms --samples 9
///   credman --db /var/lib/myapp/users.db hash calibrate --target 500ms --apply
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The longest a password hash may take here (1ms to 10s, like 100ms, 250ms, 1s)
    #[arg(long, value_name = "DUR", default_value = "250ms", value_parser = target)]
    target: Duration,

    /// Timed runs per parameter set, after one warm-up run; the median counts
    #[arg(
        long,
        value_name = "N",
        default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(1..=i64::from(hashing::MAX_SAMPLES))
    )]
    samples: u32,

    /// Store the recommendation as the policy for new hashes (creates the database if needed)
    #[arg(long)]
    apply: bool,
}

/// clap value parser for `--target`: a human duration in whole milliseconds, 1ms to 10s.
fn target(text: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(text.trim()).map_err(|_| {
        format!("bad duration '{text}': use a number and a unit, like 100ms, 250ms or 1s")
    })?;
    if d.subsec_nanos() % 1_000_000 != 0 {
        return Err("the target is in whole milliseconds, like 250ms".into());
    }
    if d.is_zero() {
        return Err("the target must be at least 1ms".into());
    }
    if d > MAX_TARGET {
        return Err("the target is at most 10s".into());
    }
    Ok(d)
}

fn millis(d: Duration) -> f64 {
    // Microsecond precision is as much as a timing of one process can claim.
    (d.as_secs_f64() * 1e6).round() / 1e3
}

fn measurement_json(m: &Measurement) -> Value {
    json!({
        "m": m.params.m,
        "t": m.params.t,
        "p": m.params.p,
        "median_ms": millis(m.median),
        "samples": m.samples,
    })
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let measurements = self.measure()?;
        let recommended = hashing::recommend(&measurements, self.target);
        // The database is opened only to apply a recommendation, and only once there is one.
        let applied_to = match (recommended, self.apply) {
            (Some(best), true) => {
                let app = open_or_create(ctx)?;
                app.set_argon2_params(&best.params)?;
                Some(app.store().path().display().to_string())
            }
            _ => None,
        };
        let target_ms = u64::try_from(self.target.as_millis()).unwrap_or(u64::MAX);
        if ctx.json {
            print_json(&json!({
                "target_ms": target_ms,
                "measurements": measurements.iter().map(measurement_json).collect::<Vec<_>>(),
                "recommended": recommended.map(measurement_json),
                "applied": applied_to.is_some(),
            }))?;
        } else {
            let mut t = table(["M (KiB)", "T", "P", "MEDIAN", ""]);
            for m in &measurements {
                let note = if recommended.is_some_and(|r| r.params == m.params) {
                    "<- recommended"
                } else if m.median > self.target {
                    "over target"
                } else {
                    ""
                };
                t.add_row([
                    m.params.m.to_string(),
                    m.params.t.to_string(),
                    m.params.p.to_string(),
                    format!("{:.1} ms", millis(m.median)),
                    note.to_owned(),
                ]);
            }
            print_table(&t)?;
            if let Some(best) = recommended {
                let p = best.params;
                print_line(format!(
                    "recommended: m={},t={},p={} ({:.1} ms, target {target_ms} ms)",
                    p.m,
                    p.t,
                    p.p,
                    millis(best.median)
                ))?;
            }
            if let Some(path) = &applied_to {
                print_line(format!("applied to {path}"))?;
            }
        }
        if recommended.is_none() {
            let fastest = measurements
                .iter()
                .map(|m| m.median)
                .min()
                .unwrap_or_default();
            // A quarter more than the fastest median, so that a rerun's noise still fits.
            let suggest = (millis(fastest) * 1.25).ceil().max(1.0);
            anyhow::bail!(
                "no OWASP argon2id set hashes within {target_ms} ms on this machine (the fastest \
                 took {:.1} ms); nothing recommended{}: try --target {suggest}ms or more",
                millis(fastest),
                if self.apply { " or applied" } else { "" }
            );
        }
        Ok(Answer::Yes)
    }

    /// Times every set, with a progress bar on stderr when it is a terminal.
    fn measure(&self) -> anyhow::Result<Vec<Measurement>> {
        let bar = progress_bar(Progress::Steps(
            OWASP_ARGON2ID.len() as u64,
            "timing argon2id",
        ));
        let mut measurements = Vec::with_capacity(OWASP_ARGON2ID.len());
        for params in &OWASP_ARGON2ID {
            bar.set_message(format!("m={},t={},p={}", params.m, params.t, params.p));
            measurements.push(hashing::measure(params, self.samples)?);
            bar.inc(1);
        }
        bar.finish_and_clear();
        Ok(measurements)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(target("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(target("1s500ms"), Ok(Duration::from_millis(1500)));
        assert_eq!(target("10s"), Ok(MAX_TARGET));
        for bad in [
            "", "0", "0ms", "500us", "1500us", "10001ms", "1m", "soon", "-5ms",
        ] {
            assert!(target(bad).is_err(), "{bad:?}");
        }
    }
}
