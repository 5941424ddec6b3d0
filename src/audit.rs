//! Audit of the stored hashes: each user's scheme and verdict (OWASP minimums), the hashes the
//! current policy would replace, users who share one hash, and the stale users whose hash
//! upgrade-on-login will never reach.

use std::collections::HashMap;

use crate::Credman;
use crate::error::Result;
use crate::hashing::{self, Verdict};

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

/// One user whose hash deserves attention. Never carries the hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub user: String,
    pub scheme: &'static str,
    pub params: Vec<(&'static str, String)>,
    pub verdict: Verdict,
    pub reasons: Vec<String>,
    pub needs_rehash: bool,
}

/// The result of an audit: how many hashes got each verdict, and the findings, by user name.
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

impl Credman {
    /// Audits every stored hash. With `stale_days`, the findings are only the users whose
    /// hash needs a rehash and who have not logged in for that many days (or never): the
    /// users that upgrade-on-login will not reach.
    pub fn audit(&self, stale_days: Option<u64>) -> Result<AuditReport> {
        let now = self.now();
        let stale_before =
            stale_days.map(|d| now.saturating_sub((d as i64).saturating_mul(86_400)));
        let policy = self.policy()?;
        let mut counts = [0u64; VERDICTS.len()];
        let mut findings = Vec::new();
        // Users by hash, to find shared ones (a copied hash, or no salt at all).
        let mut by_hash: HashMap<String, Vec<String>> = HashMap::new();
        self.store().read(|tx| {
            tx.for_each_user(false, now, |row, _| {
                let id = hashing::identify(&row.hash, &policy.argon2, &policy.caps);
                let slot = VERDICTS
                    .iter()
                    .position(|v| *v == id.verdict)
                    .expect("every verdict");
                counts[slot] += 1;
                by_hash
                    .entry(row.hash.clone())
                    .or_default()
                    .push(row.name.clone());
                let stale = stale_before
                    .is_none_or(|before| row.last_login_at.is_none_or(|at| at < before));
                let flagged = match stale_days {
                    Some(_) => id.needs_rehash && stale,
                    None => id.verdict != Verdict::Strong || id.needs_rehash,
                };
                findings.push((
                    flagged,
                    Finding {
                        user: row.name,
                        scheme: id.scheme,
                        params: id.params,
                        verdict: id.verdict,
                        reasons: id.reasons,
                        needs_rehash: id.needs_rehash,
                    },
                ));
                true
            })
        })?;
        let mut shared: HashMap<String, Vec<String>> = HashMap::new();
        for users in by_hash.into_values().filter(|u| u.len() > 1) {
            for user in &users {
                let others: Vec<&str> = users
                    .iter()
                    .filter(|u| *u != user)
                    .map(String::as_str)
                    .collect();
                shared.insert(
                    user.clone(),
                    vec![format!("same hash as {}", others.join(", "))],
                );
            }
        }
        let findings = findings
            .into_iter()
            .filter_map(|(flagged, mut f)| {
                let dup = shared.remove(&f.user);
                let keep = flagged || (dup.is_some() && stale_days.is_none());
                f.reasons.extend(dup.into_iter().flatten());
                keep.then_some(f)
            })
            .collect();
        Ok(AuditReport {
            summary: VERDICTS.into_iter().zip(counts).collect(),
            findings,
        })
    }
}
