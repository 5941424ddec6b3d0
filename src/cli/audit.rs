//! `credman audit`

use clap::ValueEnum;
use credman::{FailOn, Finding};
use serde_json::{Map, Value, json};

use super::output::{print_json, print_line, print_table, table};
use super::{Answer, Ctx, open_existing};

/// Judge every stored hash: scheme, OWASP verdict, needed rehashes, shared hashes
///
/// Prints a summary (how many hashes are strong, weak, legacy, plaintext, malformed) and the
/// users that deserve attention; never a hash. With --fail-on, exits 1 when a finding reaches
/// the threshold, for cron and CI.
///
/// Examples:
///   credman audit
///   credman audit --fail-on weak --json
///   credman audit --stale 90      # needs a rehash, no login for 90 days: upgrade won't reach them
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Exit 1 when a finding is at least this bad
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<Level>,

    /// Only users whose hash needs a rehash and who have not logged in for DAYS
    #[arg(long, value_name = "DAYS")]
    stale: Option<u64>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Level {
    /// weak, legacy, plaintext or malformed hashes
    Weak,
    /// legacy, plaintext or malformed hashes
    Legacy,
    /// any finding, a needed rehash or a shared hash included
    Any,
}

fn finding_json(f: &Finding) -> Value {
    let params: Map<String, Value> = f
        .params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone().into()))
        .collect();
    json!({
        "user": f.user,
        "scheme": f.scheme,
        "params": params,
        "verdict": f.verdict.as_str(),
        "reasons": f.reasons,
        "needs_rehash": f.needs_rehash,
    })
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let report = open_existing(ctx)?.audit(self.stale)?;
        if ctx.json {
            let summary: Map<String, Value> = report
                .summary
                .iter()
                .map(|(v, n)| (v.as_str().to_owned(), (*n).into()))
                .collect();
            let findings: Vec<Value> = report.findings.iter().map(finding_json).collect();
            print_json(&json!({ "summary": summary, "findings": findings }))?;
        } else {
            let mut t = table(["VERDICT", "HASHES"]);
            for (verdict, n) in &report.summary {
                t.add_row([verdict.as_str().to_owned(), n.to_string()]);
            }
            print_table(&t)?;
            if !report.findings.is_empty() {
                print_line("")?;
                let mut t = table(["USER", "SCHEME", "VERDICT", "REHASH", "REASONS"]);
                for f in &report.findings {
                    t.add_row([
                        f.user.clone(),
                        f.scheme.to_owned(),
                        f.verdict.as_str().to_owned(),
                        if f.needs_rehash { "yes" } else { "no" }.to_owned(),
                        f.reasons.join("; "),
                    ]);
                }
                print_table(&t)?;
            }
        }
        let threshold = self.fail_on.map(|level| match level {
            Level::Weak => FailOn::Weak,
            Level::Legacy => FailOn::Legacy,
            Level::Any => FailOn::Any,
        });
        Ok(match threshold {
            Some(threshold) if report.fails(threshold) => Answer::No,
            _ => Answer::Yes,
        })
    }
}
