//! `hash calibrate`: how long OWASP's equal-cost argon2id sets take on this machine, and which
//! of them to use.
//!
//! OWASP's Password Storage Cheat Sheet lists five argon2id parameter sets that resist an
//! attacker equally well (p=1): m=47104 KiB t=1, m=19456 t=2, m=12288 t=3, m=9216 t=4, m=7168
//! t=5. They trade memory for passes, so on a given machine they do not take the same time.
//! [`calibrate`] times each one through the same code a login runs ([`argon2id::hash`], in the
//! KDF memory of [`super::memory`], mapped and faulted in on every call as in a real verify);
//! [`recommend`] picks the most memory-hard one that fits a time budget, since memory is what
//! makes GPU and ASIC cracking expensive.

use std::time::{Duration, Instant};

use super::argon2id::{self, Argon2Params};
use super::identify::ARGON2ID_SETS;
use crate::error::{Error, Result};

/// OWASP's equal-cost argon2id sets, most memory first (the order [`calibrate`] returns).
pub const OWASP_ARGON2ID: [Argon2Params; 5] = {
    let mut sets = [Argon2Params { m: 0, t: 0, p: 0 }; 5];
    let mut i = 0;
    while i < sets.len() {
        let (m, t) = ARGON2ID_SETS[i];
        sets[i] = Argon2Params { m, t, p: 1 };
        i += 1;
    }
    sets
};

/// The most timed runs [`measure`] accepts: at about 50 ms a run, 50 samples of five sets are
/// already a quarter of a minute.
pub const MAX_SAMPLES: u32 = 50;

/// How long one parameter set takes to hash a password here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measurement {
    pub params: Argon2Params,
    /// The median of the timed runs.
    pub median: Duration,
    /// How many runs were timed (after one untimed warm-up run).
    pub samples: u32,
}

/// The throw-away password and salt the timed runs hash. argon2id's running time does not
/// depend on either.
const PASSWORD: &[u8] = b"credman calibration password";
const SALT: [u8; argon2id::SALT_LEN] = [0xc4; argon2id::SALT_LEN];

/// Times hashing at `params`: one warm-up run (caches, CPU frequency), then `samples` timed
/// runs (1 to [`MAX_SAMPLES`]); the median is kept, so one run slowed by another process does
/// not move the result.
pub fn measure(params: &Argon2Params, samples: u32) -> Result<Measurement> {
    if !(1..=MAX_SAMPLES).contains(&samples) {
        return Err(Error::InvalidInput(format!(
            "samples must be 1 to {MAX_SAMPLES}, not {samples}"
        )));
    }
    std::hint::black_box(argon2id::hash(PASSWORD, &SALT, params)?);
    let mut times = Vec::with_capacity(samples as usize);
    for _ in 0..samples {
        let start = Instant::now();
        let phc = argon2id::hash(std::hint::black_box(PASSWORD), &SALT, params)?;
        times.push(start.elapsed());
        std::hint::black_box(phc);
    }
    Ok(Measurement {
        params: *params,
        median: median(&mut times),
        samples,
    })
}

/// Measures every set of [`OWASP_ARGON2ID`], in that order (see [`measure`]).
pub fn calibrate(samples: u32) -> Result<Vec<Measurement>> {
    OWASP_ARGON2ID
        .iter()
        .map(|params| measure(params, samples))
        .collect()
}

/// The most memory-hard measured set whose median is within `target`, or `None` when every set
/// took longer.
pub fn recommend(measurements: &[Measurement], target: Duration) -> Option<&Measurement> {
    measurements
        .iter()
        .filter(|m| m.median <= target)
        .max_by_key(|m| (m.params.m, m.params.t))
}

/// The median of `times` (the mean of the middle two for an even count).
fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    let mid = times.len() / 2;
    if times.len() % 2 == 1 {
        times[mid]
    } else {
        (times[mid - 1] + times[mid]) / 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// One measurement per OWASP set, with these medians in milliseconds.
    fn measured(medians: [u64; 5]) -> Vec<Measurement> {
        OWASP_ARGON2ID
            .iter()
            .zip(medians)
            .map(|(params, median)| Measurement {
                params: *params,
                median: ms(median),
                samples: 5,
            })
            .collect()
    }

    fn pick(measurements: &[Measurement], target: u64) -> Option<(u32, u32)> {
        recommend(measurements, ms(target)).map(|m| (m.params.m, m.params.t))
    }

    #[test]
    fn the_sets_are_owasps_most_memory_first() {
        let sets: Vec<(u32, u32, u32)> = OWASP_ARGON2ID.iter().map(|s| (s.m, s.t, s.p)).collect();
        assert_eq!(
            sets,
            [
                (47_104, 1, 1),
                (19_456, 2, 1),
                (12_288, 3, 1),
                (9_216, 4, 1),
                (7_168, 5, 1)
            ]
        );
        assert!(OWASP_ARGON2ID.contains(&Argon2Params::default()));
    }

    #[test]
    fn recommend_takes_the_most_memory_within_the_target() {
        let m = measured([60, 40, 35, 33, 30]);
        assert_eq!(pick(&m, 250), Some((47_104, 1)));
        assert_eq!(
            pick(&m, 60),
            Some((47_104, 1)),
            "a median equal to the target fits"
        );
        assert_eq!(pick(&m, 59), Some((19_456, 2)));
        assert_eq!(pick(&m, 34), Some((9_216, 4)));
        assert_eq!(pick(&m, 30), Some((7_168, 5)));
        assert_eq!(pick(&m, 29), None);
    }

    #[test]
    fn recommend_does_not_assume_time_falls_with_memory() {
        // Passes can cost more than memory saves: the fastest set is not always the smallest.
        let m = measured([90, 40, 45, 50, 55]);
        assert_eq!(pick(&m, 42), Some((19_456, 2)));
        assert_eq!(pick(&m, 52), Some((19_456, 2)));
        assert_eq!(pick(&m, 39), None);
        // Nor on the order it is given in.
        let mut reversed = measured([60, 40, 35, 33, 30]);
        reversed.reverse();
        assert_eq!(pick(&reversed, 45), Some((19_456, 2)));
        assert_eq!(pick(&[], 1000), None);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [ms(9), ms(1), ms(5)]), ms(5));
        assert_eq!(median(&mut [ms(9), ms(1), ms(5), ms(3)]), ms(4));
        assert_eq!(median(&mut [ms(7)]), ms(7));
    }

    #[test]
    fn calibrate_times_every_set_through_the_kdf() {
        let before = crate::hashing::kdf_calls();
        let got = calibrate(1).unwrap();
        let params: Vec<Argon2Params> = got.iter().map(|m| m.params).collect();
        assert_eq!(params, OWASP_ARGON2ID);
        for m in &got {
            assert_eq!(m.samples, 1);
            assert!(m.median > Duration::ZERO, "{m:?}");
        }
        // One warm-up and one timed run per set.
        assert_eq!(crate::hashing::kdf_calls() - before, 10);
    }

    #[test]
    fn a_recommendation_is_applied_whole_or_not_at_all() {
        let app = crate::Credman::open_in_memory().unwrap();
        let events = |app: &crate::Credman| app.events(None, None, 1000).unwrap().len();
        let before = events(&app);
        let set = OWASP_ARGON2ID[0];
        assert_eq!(app.set_argon2_params(&set).unwrap().argon2, set);
        assert_eq!(app.policy().unwrap().argon2, set);
        // One event for the three keys.
        assert_eq!(events(&app), before + 1);
        // Over a lowered cap: refused, and neither the keys nor the log change.
        app.config_set("hash.cap.argon2.t", "4").unwrap();
        let before = events(&app);
        let err = app.set_argon2_params(&OWASP_ARGON2ID[4]).unwrap_err();
        assert!(err.to_string().contains("caps"), "{err}");
        assert_eq!(app.policy().unwrap().argon2, set);
        assert_eq!(events(&app), before);
    }

    #[test]
    fn samples_out_of_range_are_refused_before_hashing() {
        let before = crate::hashing::kdf_calls();
        for samples in [0, MAX_SAMPLES + 1] {
            let err = measure(&Argon2Params::default(), samples).unwrap_err();
            assert!(err.to_string().contains("samples"), "{err}");
        }
        assert_eq!(crate::hashing::kdf_calls(), before);
    }
}
