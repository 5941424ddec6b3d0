//! Audit of stored hashes: each one's scheme and verdict (OWASP minimums), the hashes the
//! current policy would replace, users who share one hash or one salt, and the stale users whose
//! hash upgrade-on-login will never reach. The hashes come from the database
//! ([`Credman::audit`]) or from a file ([`Auditor::add_item`] over [`crate::import::read`]).

use sha2::{Digest, Sha256};

use crate::Credman;
use crate::error::Result;
use crate::hashing::{self, Verdict};
use crate::import::Item;
use crate::policy::Policy;

/// How bad a finding must be to count for `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Weak, legacy, plaintext or malformed hashes.
    Weak,
    /// Legacy, plaintext or malformed hashes.
    Legacy,
    /// Any finding at all, a needed rehash or a shared hash included.
    Any,
}

/// One hash that deserves attention. Never carries the hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Whose hash it is: always known in the database, in a file when its format has users.
    pub user: Option<String>,
    /// The line of the file it came from (`None` in the database).
    pub line: Option<u64>,
    pub scheme: &'static str,
    pub params: Vec<(&'static str, String)>,
    pub verdict: Verdict,
    pub reasons: Vec<String>,
    pub needs_rehash: bool,
}

/// The result of an audit: how many hashes got each verdict, and the findings, in input order
/// (by user name for the database).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditReport {
    /// `(verdict, count)` for every verdict, in the order strong, weak, legacy, plaintext,
    /// malformed.
    pub summary: Vec<(Verdict, u64)>,
    pub findings: Vec<Finding>,
}

const VERDICTS: [Verdict; 5] = [
    Verdict::Strong,
    Verdict::Weak,
    Verdict::Legacy,
    Verdict::Plaintext,
    Verdict::Malformed,
];

/// How often [`Credman::audit_with_progress`] reports, in hashes.
pub const PROGRESS_EVERY: u64 = 4096;

/// How many other holders of a shared hash or salt a reason names before it just counts them.
const NAMED_OTHERS: usize = 3;

impl AuditReport {
    /// Whether any finding reaches `threshold`.
    pub fn fails(&self, threshold: FailOn) -> bool {
        self.findings.iter().any(|f| match threshold {
            FailOn::Any => true,
            FailOn::Weak => f.verdict != Verdict::Strong,
            FailOn::Legacy => !matches!(f.verdict, Verdict::Strong | Verdict::Weak),
        })
    }
}

/// One audited hash, until the report is made.
struct Row {
    /// Whose hash it is, while there is no finding to hold the name.
    user: Option<String>,
    line: Option<u64>,
    /// What the report says of it; `None` for a hash that is no finding on its own (then it is
    /// argon2id at the policy's parameters, or, in a stale audit, not stale).
    finding: Option<Finding>,
    /// Whether sharing its hash or salt with another makes it a finding.
    flag_if_shared: bool,
    /// `None` for a line that could not be read.
    hash_key: Option<u128>,
    salt_key: Option<u128>,
}

/// Judges hashes one at a time and makes the report, duplicates found across all of them.
///
/// Shared hashes and salts are found through 128-bit digests of the hash strings and of the
/// salts, so memory stays a few dozen bytes per hash beyond the findings.
pub struct Auditor {
    policy: Policy,
    counts: [u64; VERDICTS.len()],
    rows: Vec<Row>,
}

impl Auditor {
    /// An auditor judging against `policy` (its argon2id parameters decide `needs_rehash`, its
    /// caps what is malformed).
    pub fn new(policy: Policy) -> Self {
        Self {
            policy,
            counts: [0; VERDICTS.len()],
            rows: Vec::new(),
        }
    }

    /// Judges one hash from a file. A line that could not be read counts as `malformed`;
    /// an account without a hash is not a hash and is left out.
    pub fn add_item(&mut self, item: Item) {
        match item {
            Item::Hash(entry) => self.add(entry.user, Some(entry.line), &entry.hash, None),
            Item::NoHash { .. } => {}
            Item::Bad(bad) => {
                self.count(Verdict::Malformed);
                self.rows.push(Row {
                    user: None,
                    line: Some(bad.line),
                    finding: Some(Finding {
                        user: None,
                        line: Some(bad.line),
                        scheme: "unknown",
                        params: Vec::new(),
                        verdict: Verdict::Malformed,
                        reasons: vec![bad.reason],
                        needs_rehash: true,
                    }),
                    flag_if_shared: false,
                    hash_key: None,
                    salt_key: None,
                });
            }
        }
    }

    fn count(&mut self, verdict: Verdict) {
        let slot = VERDICTS
            .iter()
            .position(|v| *v == verdict)
            .expect("every verdict");
        self.counts[slot] += 1;
    }

    /// Judges one hash. `stale`: `None` for a plain audit; `Some(is_stale)` when only stale
    /// users that need a rehash are findings.
    fn add(&mut self, user: Option<String>, line: Option<u64>, hash: &str, stale: Option<bool>) {
        let id = hashing::identify(hash, &self.policy.argon2, &self.policy.caps);
        self.count(id.verdict);
        let flagged = match stale {
            Some(stale) => id.needs_rehash && stale,
            None => id.verdict != Verdict::Strong || id.needs_rehash,
        };
        let salt_key = salt_of(id.scheme, hash).map(|salt| digest(&[id.scheme, salt]));
        let (user, finding) = if flagged {
            let finding = Finding {
                user,
                line,
                scheme: id.scheme,
                params: id.params,
                verdict: id.verdict,
                reasons: id.reasons,
                needs_rehash: id.needs_rehash,
            };
            (None, Some(finding))
        } else {
            (user, None)
        };
        self.rows.push(Row {
            user,
            line,
            finding,
            flag_if_shared: stale.is_none(),
            hash_key: Some(digest(&[hash])),
            salt_key,
        });
    }

    /// The report: the summary, and the findings with the shared hashes and salts added.
    pub fn finish(mut self) -> AuditReport {
        self.mark_shared(|row| row.hash_key, |_, _| true, "hash");
        // Two hashes with one salt: a broken salt generator, or a salt reused on purpose.
        // (Users with one hash share its salt too; that is said once, as a shared hash.)
        self.mark_shared(|row| row.salt_key, |a, b| a.hash_key != b.hash_key, "salt");
        AuditReport {
            summary: VERDICTS.into_iter().zip(self.counts).collect(),
            findings: self
                .rows
                .into_iter()
                .filter_map(|row| row.finding)
                .collect(),
        }
    }

    /// Finds the rows whose `key` is shared with another row for which `counts(row, other)`,
    /// and adds a reason naming the others (`same {what} as …`).
    fn mark_shared(
        &mut self,
        key: impl Fn(&Row) -> Option<u128>,
        counts: impl Fn(&Row, &Row) -> bool,
        what: &str,
    ) {
        let mut order: Vec<(u128, u32)> = self
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, row)| key(row).map(|k| (k, i as u32)))
            .collect();
        order.sort_unstable();
        for group in order.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
            let members: Vec<usize> = group.iter().map(|&(_, i)| i as usize).collect();
            let reasons: Vec<(usize, String)> = members
                .iter()
                .filter_map(|&i| {
                    let others: Vec<usize> = members
                        .iter()
                        .copied()
                        .filter(|&j| j != i && counts(&self.rows[i], &self.rows[j]))
                        .collect();
                    (!others.is_empty()).then(|| (i, self.same_as(what, &others)))
                })
                .collect();
            for (i, reason) in reasons {
                let policy = self.policy.argon2;
                let row = &mut self.rows[i];
                if row.finding.is_none() && row.flag_if_shared {
                    // No finding on its own: argon2id, strong, at the policy's parameters.
                    row.finding = Some(Finding {
                        user: row.user.take(),
                        line: row.line,
                        scheme: "argon2id",
                        params: vec![
                            ("v", "19".to_owned()),
                            ("m", policy.m.to_string()),
                            ("t", policy.t.to_string()),
                            ("p", policy.p.to_string()),
                        ],
                        verdict: Verdict::Strong,
                        reasons: Vec::new(),
                        needs_rehash: false,
                    });
                }
                if let Some(finding) = &mut row.finding {
                    finding.reasons.push(reason);
                }
            }
        }
    }

    /// `same hash as alice, bob and 3 others` (or `as lines 4, 9`).
    fn same_as(&self, what: &str, others: &[usize]) -> String {
        let name = |&j: &usize| {
            let row = &self.rows[j];
            let user = row.finding.as_ref().map_or(&row.user, |f| &f.user);
            match (user, row.line) {
                (Some(user), _) => user.clone(),
                (None, Some(line)) => format!("line {line}"),
                (None, None) => "another".to_owned(),
            }
        };
        let named: Vec<String> = others.iter().take(NAMED_OTHERS).map(name).collect();
        let mut text = format!("same {what} as {}", named.join(", "));
        if others.len() > NAMED_OTHERS {
            text.push_str(&format!(" and {} others", others.len() - NAMED_OTHERS));
        }
        text
    }
}

/// A 128-bit digest of `parts`, for finding equal hashes and salts without keeping them.
fn digest(parts: &[&str]) -> u128 {
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let out = h.finalize();
    u128::from_le_bytes(out[..16].try_into().expect("32 bytes"))
}

/// The salt of a stored hash as written in it, for the schemes that have one worth comparing.
/// DES crypt is left out: its 4,096 salts collide by chance in any sizeable file.
fn salt_of<'a>(scheme: &str, stored: &'a str) -> Option<&'a str> {
    let salt = match scheme {
        // $2b$12$<22 salt chars><31 hash chars>, also inside Django's bcrypt_sha256$ wrapper.
        "bcrypt" | "django-bcrypt-sha256" => stored.rsplit('$').next()?.get(..22)?,
        // scrypt$<salt>$<N>$<r>$<p>$<hash>
        "django-scrypt" => stored.split('$').nth(1)?,
        // {SSHA} keeps its salt inside the base64 with the digest; {SHA} and Werkzeug's
        // `plain$` have none; a string no format claims has no fields to read.
        s if s.starts_with("ldap")
            || s == "des-crypt"
            || s == "werkzeug-plain"
            || s == "unknown" =>
        {
            return None;
        }
        // Everything else ends `…$<salt>$<hash>`: PHC strings, Werkzeug, Django pbkdf2 and
        // argon2, passlib, sha-crypt, md5-crypt, apr1.
        _ => {
            let mut fields = stored.rsplit('$');
            let (_hash, salt) = (fields.next()?, fields.next()?);
            fields.next()?;
            salt
        }
    };
    (!salt.is_empty()).then_some(salt)
}

impl Credman {
    /// Audits every stored hash. With `stale_days`, the findings are only the users whose
    /// hash needs a rehash and who have not logged in for that many days (or never): the
    /// users that upgrade-on-login will not reach.
    pub fn audit(&self, stale_days: Option<u64>) -> Result<AuditReport> {
        self.audit_with_progress(stale_days, |_| {})
    }

    /// [`Credman::audit`], calling `progress` with the number of hashes judged so far every
    /// [`PROGRESS_EVERY`] hashes (for a progress bar over a million users).
    pub fn audit_with_progress(
        &self,
        stale_days: Option<u64>,
        mut progress: impl FnMut(u64),
    ) -> Result<AuditReport> {
        let now = self.now();
        let stale_before =
            stale_days.map(|d| now.saturating_sub((d as i64).saturating_mul(86_400)));
        let mut auditor = Auditor::new(self.policy()?);
        let mut done = 0u64;
        self.store().read(|tx| {
            tx.for_each_hash(|name, hash, last_login_at| {
                let stale = stale_before.map(|before| last_login_at.is_none_or(|at| at < before));
                auditor.add(Some(name), None, &hash, stale);
                done += 1;
                if done.is_multiple_of(PROGRESS_EVERY) {
                    progress(done);
                }
                true
            })
        })?;
        progress(done);
        let mut report = auditor.finish();
        report.findings.sort_unstable_by(|a, b| a.user.cmp(&b.user));
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salts_are_found_in_every_salted_format() {
        let cases = [
            (
                "argon2id",
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
                Some("c2FsdHNhbHQ"),
            ),
            (
                "bcrypt",
                "$2b$12$abcdefghijklmnopqrstuvHASHHASHHASHHASHHASHHASHHASHH",
                Some("abcdefghijklmnopqrstuv"),
            ),
            (
                "werkzeug-scrypt",
                "scrypt:32768:8:1$SALTsalt$abcdef",
                Some("SALTsalt"),
            ),
            (
                "django-scrypt",
                "scrypt$SALT$16384$8$1$aGFzaA==",
                Some("SALT"),
            ),
            ("sha512-crypt", "$6$rounds=5000$SALT$hash", Some("SALT")),
            ("md5-crypt", "$1$SALT$hash", Some("SALT")),
            ("des-crypt", "abJnggxhB/yWI", None),
            ("werkzeug-plain", "plain$$secret", None),
            ("unknown", "alice:$2b$04$abcdefghijklmnopqrstuv", None),
        ];
        for (scheme, stored, salt) in cases {
            assert_eq!(salt_of(scheme, stored), salt, "{scheme}");
        }
    }
}
