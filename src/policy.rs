//! The policy shared by the CLI and the web app: hash parameters and caps, the password rules,
//! throttling, session lifetimes. It lives in the database's `settings` table, so every process
//! that opens the database obeys the same rules; keys that were never set take their defaults.

use crate::error::{Error, Result};
use crate::hashing::{self, Argon2Params, Caps};
use crate::secret::Password;

/// What kind of value a setting holds, and its bounds.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Int {
        min: u64,
        max: u64,
    },
    /// A duration in whole seconds, written like `90s`, `30m`, `12h`, `7d`, `1h30m`.
    Duration {
        min: i64,
        max: i64,
    },
    Text {
        max_chars: usize,
    },
}

/// One policy setting.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub key: &'static str,
    pub default: &'static str,
    pub help: &'static str,
    kind: Kind,
}

const DAY: i64 = 86_400;
const GIB_KIB: u64 = 1024 * 1024;

/// Every setting credman knows, in the order `config list` shows them.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "hash.argon2.m",
        default: "19456",
        help: "argon2id memory for new hashes, KiB (OWASP: 19456)",
        kind: Kind::Int {
            min: 8,
            max: 4 * GIB_KIB,
        },
    },
    Setting {
        key: "hash.argon2.t",
        default: "2",
        help: "argon2id passes for new hashes (OWASP: 2)",
        kind: Kind::Int { min: 1, max: 1000 },
    },
    Setting {
        key: "hash.argon2.p",
        default: "1",
        help: "argon2id lanes for new hashes (OWASP: 1)",
        kind: Kind::Int { min: 1, max: 255 },
    },
    Setting {
        key: "hash.cap.argon2.m",
        default: "2097152",
        help: "largest argon2 memory accepted from a stored hash, KiB (2 GiB)",
        kind: Kind::Int {
            min: 8,
            max: 4 * GIB_KIB,
        },
    },
    Setting {
        key: "hash.cap.argon2.t",
        default: "20",
        help: "most argon2 passes accepted from a stored hash",
        kind: Kind::Int { min: 1, max: 1000 },
    },
    Setting {
        key: "hash.cap.argon2.p",
        default: "16",
        help: "most argon2 lanes accepted from a stored hash",
        kind: Kind::Int { min: 1, max: 255 },
    },
    Setting {
        key: "hash.cap.scrypt.bytes",
        default: "2147483648",
        help: "largest scrypt memory (128*N*r bytes) accepted from a stored hash",
        kind: Kind::Int {
            min: 1024,
            max: 64 * GIB_KIB * 1024,
        },
    },
    Setting {
        key: "hash.cap.pbkdf2.iterations",
        default: "10000000",
        help: "most PBKDF2 iterations accepted from a stored hash",
        kind: Kind::Int {
            min: 1,
            max: 100_000_000,
        },
    },
    Setting {
        key: "hash.cap.bcrypt.cost",
        default: "16",
        help: "highest bcrypt cost accepted from a stored hash",
        kind: Kind::Int { min: 4, max: 31 },
    },
    Setting {
        key: "password.min_length",
        default: "15",
        help: "fewest characters (Unicode code points) in a new password; NIST allows 8 at least",
        kind: Kind::Int { min: 8, max: 1024 },
    },
    Setting {
        key: "password.max_bytes",
        default: "1024",
        help: "longest password in bytes; longer ones are refused before hashing",
        kind: Kind::Int {
            min: 64,
            max: 65_536,
        },
    },
    Setting {
        key: "password.min_score",
        default: "3",
        help: "lowest zxcvbn strength score (0-4) a new password must reach",
        kind: Kind::Int { min: 0, max: 4 },
    },
    Setting {
        key: "service.name",
        default: "credman",
        help: "the service's name; passwords built on it are refused",
        kind: Kind::Text { max_chars: 64 },
    },
    Setting {
        key: "lockout.threshold",
        default: "10",
        help: "consecutive failures before a user is throttled (at most 100, per NIST)",
        kind: Kind::Int { min: 1, max: 100 },
    },
    Setting {
        key: "lockout.base",
        default: "1m",
        help: "first throttling period; it doubles with each further failure",
        kind: Kind::Duration { min: 1, max: DAY },
    },
    Setting {
        key: "lockout.max",
        default: "1h",
        help: "longest throttling period",
        kind: Kind::Duration { min: 1, max: DAY },
    },
    Setting {
        key: "session.ttl",
        default: "12h",
        help: "absolute lifetime of a new session",
        kind: Kind::Duration {
            min: 1,
            max: 400 * DAY,
        },
    },
    Setting {
        key: "session.idle",
        default: "30m",
        help: "idle timeout of a new session",
        kind: Kind::Duration {
            min: 1,
            max: 400 * DAY,
        },
    },
];

/// Looks a setting up by key.
pub fn setting(key: &str) -> Result<&'static Setting> {
    SETTINGS
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| Error::UnknownConfigKey(key.to_owned()))
}

impl Setting {
    /// Validates `value` for this setting and returns it in canonical form.
    pub fn normalize(&self, value: &str) -> Result<String> {
        let bad = |why: String| Error::InvalidConfig(format!("bad value for {}: {why}", self.key));
        match self.kind {
            Kind::Int { min, max } => {
                let n: u64 = value
                    .trim()
                    .parse()
                    .map_err(|_| bad(format!("'{value}' is not a whole number")))?;
                if !(min..=max).contains(&n) {
                    return Err(bad(format!("{n} is outside {min}..={max}")));
                }
                Ok(n.to_string())
            }
            Kind::Duration { min, max } => {
                let secs = parse_duration(value).map_err(Error::InvalidConfig)?;
                if !(min..=max).contains(&secs) {
                    return Err(bad(format!(
                        "{} is outside {}..={}",
                        format_duration(secs),
                        format_duration(min),
                        format_duration(max)
                    )));
                }
                Ok(format_duration(secs))
            }
            Kind::Text { max_chars } => {
                let n = value.chars().count();
                if n == 0 || n > max_chars || value.chars().any(char::is_control) {
                    return Err(bad(format!(
                        "expected 1 to {max_chars} characters, no control characters"
                    )));
                }
                Ok(value.to_owned())
            }
        }
    }
}

/// Parses a human duration (`90s`, `30m`, `12h`, `7d`, `1h30m`) into whole seconds.
pub fn parse_duration(text: &str) -> std::result::Result<i64, String> {
    let bad = || {
        format!("bad duration '{text}': use a number and a unit, like 90s, 30m, 12h, 7d or 1h30m")
    };
    let d = humantime::parse_duration(text.trim()).map_err(|_| bad())?;
    if d.subsec_nanos() != 0 {
        return Err(format!("bad duration '{text}': use whole seconds"));
    }
    i64::try_from(d.as_secs()).map_err(|_| bad())
}

/// Formats seconds compactly: `90` -> `1m30s`, `43200` -> `12h`, `0` -> `0s`.
pub fn format_duration(mut secs: i64) -> String {
    if secs <= 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [("d", DAY), ("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    out
}

/// The policy in force, read from the database's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub argon2: Argon2Params,
    pub caps: Caps,
    pub min_length: usize,
    pub max_bytes: usize,
    pub min_score: u8,
    pub service_name: String,
    pub lockout_threshold: u32,
    /// Seconds.
    pub lockout_base: i64,
    pub lockout_max: i64,
    pub session_ttl: i64,
    pub session_idle: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Self::from_settings(std::iter::empty::<(&str, &str)>())
            .expect("the built-in defaults are valid")
    }
}

impl Policy {
    /// Builds the policy from stored `(key, value)` pairs; keys not given take their defaults.
    /// Unknown keys (from a newer credman) are ignored.
    pub fn from_settings<K: AsRef<str>, V: AsRef<str>>(
        stored: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Self> {
        let mut values: Vec<(&'static str, String)> = SETTINGS
            .iter()
            .map(|s| (s.key, s.default.to_owned()))
            .collect();
        for (key, value) in stored {
            if let Some(slot) = values.iter_mut().find(|(k, _)| *k == key.as_ref()) {
                slot.1 = value.as_ref().to_owned();
            }
        }
        let get = |key: &str| -> &str {
            &values
                .iter()
                .find(|(k, _)| *k == key)
                .expect("every key has a value")
                .1
        };
        let int = |key: &str| -> Result<u64> {
            let raw = setting(key)?.normalize(get(key))?;
            Ok(raw.parse().expect("normalized integers parse"))
        };
        let secs = |key: &str| -> Result<i64> {
            setting(key)?.normalize(get(key))?;
            parse_duration(get(key)).map_err(Error::InvalidConfig)
        };
        let narrow = |key: &str| -> Result<u32> {
            u32::try_from(int(key)?)
                .map_err(|_| Error::InvalidConfig(format!("{key} is too large")))
        };
        let policy = Policy {
            argon2: Argon2Params {
                m: narrow("hash.argon2.m")?,
                t: narrow("hash.argon2.t")?,
                p: narrow("hash.argon2.p")?,
            },
            caps: Caps {
                argon2_m: narrow("hash.cap.argon2.m")?,
                argon2_t: narrow("hash.cap.argon2.t")?,
                argon2_p: narrow("hash.cap.argon2.p")?,
                scrypt_bytes: int("hash.cap.scrypt.bytes")?,
                pbkdf2_iterations: int("hash.cap.pbkdf2.iterations")?,
                bcrypt_cost: narrow("hash.cap.bcrypt.cost")?,
            },
            min_length: int("password.min_length")? as usize,
            max_bytes: int("password.max_bytes")? as usize,
            min_score: int("password.min_score")? as u8,
            // Checked like every other key: a stored name `config set` would refuse (empty, a
            // control character, over 64 characters) is refused here too.
            service_name: setting("service.name")?.normalize(get("service.name"))?,
            lockout_threshold: narrow("lockout.threshold")?,
            lockout_base: secs("lockout.base")?,
            lockout_max: secs("lockout.max")?,
            session_ttl: secs("session.ttl")?,
            session_idle: secs("session.idle")?,
        };
        policy.check_consistency()?;
        Ok(policy)
    }

    /// Rules that tie several keys together.
    fn check_consistency(&self) -> Result<()> {
        self.argon2.validate(&self.caps).map_err(|why| {
            Error::InvalidConfig(format!(
                "{why}: new hashes must verify under the caps (raise hash.cap.argon2.* first)"
            ))
        })?;
        if self.min_length > self.max_bytes {
            return Err(Error::InvalidConfig(format!(
                "password.min_length ({}) is larger than password.max_bytes ({})",
                self.min_length, self.max_bytes
            )));
        }
        Ok(())
    }

    /// Checks a new password for `user` against the policy. The error says why, never what.
    pub fn check_new_password(&self, user: &str, password: &Password) -> Result<()> {
        self.check_length(password)?;
        let text = password.lossy_text();
        let chars = text.chars().count();
        if chars < self.min_length {
            return Err(Error::PolicyRejected(format!(
                "it has {chars} characters; at least {} are required (a passphrase of a few \
                 words is easy to remember)",
                self.min_length
            )));
        }
        // zxcvbn copies the first 100 characters into a String of its own that it does not
        // wipe; there is no way around that short of re-implementing the estimator.
        let estimate = zxcvbn::zxcvbn(&text, &[user, &self.service_name]);
        let score = u8::from(estimate.score());
        if score < self.min_score {
            let why = estimate
                .feedback()
                .and_then(|f| f.warning())
                .map(|w| format!(" ({w})"))
                .unwrap_or_default();
            return Err(Error::PolicyRejected(format!(
                "it is too easy to guess: strength {score} of 4, at least {} is required{why}; \
                 avoid common words, the user name and the service name",
                self.min_score
            )));
        }
        Ok(())
    }

    /// The rules `--allow-weak` cannot lift: a password is not empty, and not longer than the
    /// limit that protects the KDF.
    pub fn check_length(&self, password: &Password) -> Result<()> {
        if password.is_empty() {
            return Err(Error::PolicyRejected("it is empty".into()));
        }
        if password.len() > self.max_bytes {
            return Err(Error::PolicyRejected(format!(
                "it is longer than {} bytes, the most accepted (password.max_bytes)",
                self.max_bytes
            )));
        }
        Ok(())
    }

    /// How long a user is throttled after `failures` consecutive failures, in seconds: nothing
    /// below the threshold, then `lockout.base` doubling per further failure, up to `lockout.max`.
    pub fn throttle_secs(&self, failures: u32) -> Option<i64> {
        let over = failures.checked_sub(self.lockout_threshold)?;
        let factor = 1i64 << over.min(40);
        Some(
            self.lockout_base
                .saturating_mul(factor)
                .min(self.lockout_max),
        )
    }
}

impl Policy {
    /// A new random password from the operating system's CSPRNG: URL-safe base64, at least 24
    /// characters (144 bits) and at least `password.min_length`.
    pub fn generate_password(&self) -> Result<Password> {
        use base64::Engine;
        let chars = self.min_length.max(24);
        // Four base64 characters per three bytes; cut to the exact length.
        let mut bytes = zeroize::Zeroizing::new(vec![0u8; chars.div_ceil(4) * 3]);
        hashing::fill_random(&mut bytes[..])?;
        let mut text = zeroize::Zeroizing::new(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes[..]),
        );
        text.truncate(chars);
        Ok(Password::new(text.as_bytes().to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_spec() {
        let p = Policy::default();
        assert_eq!(
            p.argon2,
            Argon2Params {
                m: 19456,
                t: 2,
                p: 1
            }
        );
        assert_eq!(p.caps, Caps::default());
        assert_eq!((p.min_length, p.max_bytes, p.min_score), (15, 1024, 3));
        assert_eq!(
            (p.lockout_threshold, p.lockout_base, p.lockout_max),
            (10, 60, 3600)
        );
        assert_eq!((p.session_ttl, p.session_idle), (12 * 3600, 30 * 60));
    }

    #[test]
    fn every_default_normalizes_to_itself() {
        for s in SETTINGS {
            assert_eq!(s.normalize(s.default).unwrap(), s.default, "{}", s.key);
        }
    }

    #[test]
    fn durations_parse_and_print() {
        for (text, secs) in [("90s", 90), ("30m", 1800), ("12h", 43200), ("7d", 604800)] {
            assert_eq!(parse_duration(text), Ok(secs));
        }
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(format_duration(5400), "1h30m");
        assert_eq!(format_duration(90), "1m30s");
        for bad in ["", "5x", "-1s", "1.5s", "h"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn bad_values_are_refused_with_the_key_named() {
        let err = setting("password.min_length")
            .unwrap()
            .normalize("7")
            .unwrap_err();
        assert!(err.to_string().contains("password.min_length"), "{err}");
        assert!(setting("session.ttl").unwrap().normalize("soon").is_err());
        assert!(matches!(
            setting("no.such"),
            Err(Error::UnknownConfigKey(_))
        ));
    }

    /// Found by the `config` fuzz target: a stored `service.name` that `config set` refuses
    /// (empty, control characters, over 64 characters) built a policy all the same, the only
    /// key `from_settings` did not check.
    #[test]
    fn a_stored_service_name_is_checked_like_a_set_one() {
        for bad in ["", "tab\there", "\u{e}s", &"x".repeat(65)] {
            assert!(
                setting("service.name").unwrap().normalize(bad).is_err(),
                "{bad:?}"
            );
            let err = Policy::from_settings([("service.name", bad)]).unwrap_err();
            assert!(err.to_string().contains("service.name"), "{bad:?}: {err}");
        }
        let ok = Policy::from_settings([("service.name", "my app")]).unwrap();
        assert_eq!(ok.service_name, "my app");
    }

    #[test]
    fn argon2_params_over_the_caps_are_inconsistent() {
        let err = Policy::from_settings([("hash.argon2.m", "4194304")]).unwrap_err();
        assert!(err.to_string().contains("caps"), "{err}");
    }

    #[test]
    fn throttling_doubles_from_the_threshold_up_to_the_cap() {
        let p = Policy::default();
        assert_eq!(p.throttle_secs(9), None);
        assert_eq!(p.throttle_secs(10), Some(60));
        assert_eq!(p.throttle_secs(11), Some(120));
        assert_eq!(p.throttle_secs(15), Some(1920));
        assert_eq!(p.throttle_secs(16), Some(3600));
        assert_eq!(p.throttle_secs(99), Some(3600));
    }

    #[test]
    fn password_rules() {
        let p = Policy::default();
        let ok = Password::from("correct horse battery staple");
        p.check_new_password("alice", &ok).unwrap();
        for (pw, why) in [
            ("short", "characters"),
            ("passwordpassword", "too easy"),
            ("alicealicealice1", "too easy"),
            ("credmancredman12", "too easy"),
        ] {
            let err = p
                .check_new_password("alice", &Password::from(pw))
                .unwrap_err();
            assert!(err.to_string().contains(why), "{pw}: {err}");
            assert!(
                !err.to_string().contains(pw),
                "the refusal echoes the password"
            );
        }
        // Code points, not bytes: 15 emoji are 60 bytes but 15 characters.
        let emoji = Password::from("🔑🐙🌵🚲🎻🧀🦔🌋🪁🧭🎲🪴🦉🍋🛶");
        p.check_new_password("alice", &emoji).unwrap();
        let long = Password::new(vec![b'x'; 1025]);
        assert!(p.check_length(&long).is_err());
    }

    #[test]
    fn generated_passwords_are_long_random_and_pass_the_policy() {
        let policy = Policy::default();
        let a = policy.generate_password().unwrap();
        let b = policy.generate_password().unwrap();
        assert_eq!(a.len(), 24);
        assert!(!a.ct_eq(&b));
        policy.check_new_password("alice", &a).unwrap();
        // A stricter policy gets a longer password.
        let strict = Policy::from_settings([("password.min_length", "40")]).unwrap();
        let long = strict.generate_password().unwrap();
        assert_eq!(long.len(), 40);
        strict.check_new_password("alice", &long).unwrap();
    }
}
