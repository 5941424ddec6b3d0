//! `credman hash`, `credman hash verify`

use clap::{Subcommand, ValueEnum};
use credman::Policy;
use credman::hashing::{self, Check};
use serde_json::json;

use super::input;
use super::output::{print_json, print_line};
use super::{Answer, Ctx, UsageError};

/// Make, check and identify password hashes; calibrate argon2id for this machine
///
/// Without a subcommand, prints a new hash of a password: prompted for twice, or read from
/// stdin with --password-stdin. New hashes use argon2id at OWASP's parameters (m=19456 KiB,
/// t=2, p=1). --scheme writes a format another program checks with its own library instead:
/// werkzeug-scrypt or werkzeug-pbkdf2 for a Flask app (werkzeug.security.check_password_hash),
/// bcrypt for python bcrypt or an htpasswd file. No database is needed, except by
/// `hash calibrate --apply`.
///
/// Examples:
///   credman hash --password-stdin < secret.txt
///   credman hash --scheme werkzeug-scrypt --password-stdin < secret.txt
///   echo "alice:$(credman hash --scheme bcrypt --password-stdin < secret.txt)" >> .htpasswd
///   credman hash verify '$argon2id$v=19$m=19456,t=2,p=1$...' --password-stdin < secret.txt
///   credman hash identify '$2y$10$...'
///   credman hash calibrate --target 250ms
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, verbatim_doc_comment)]
pub struct Args {
    /// Read the password from the first line of standard input instead of prompting
    #[arg(long)]
    password_stdin: bool,

    /// The hash format to write
    #[arg(long, value_enum, default_value_t = Scheme::Argon2id)]
    scheme: Scheme,

    #[command(subcommand)]
    command: Option<HashCommand>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Scheme {
    /// argon2id PHC string at the policy's parameters (credman's own)
    Argon2id,
    /// Werkzeug 3.1's default, scrypt:32768:8:1$salt$hex: for a Flask app that still checks
    /// passwords with werkzeug.security.check_password_hash
    WerkzeugScrypt,
    /// Werkzeug 3.1's pbkdf2:sha256:1000000$salt$hex: for a Flask app that checks with Werkzeug
    /// and asks for method="pbkdf2" (e.g. where OpenSSL lacks scrypt)
    WerkzeugPbkdf2,
    /// $2b$ at cost 12: for python bcrypt, htpasswd -B files and crypt(3); at most 72 bytes, no
    /// NUL byte
    Bcrypt,
}

impl Scheme {
    fn new_scheme(self) -> hashing::NewScheme {
        match self {
            Self::Argon2id => hashing::NewScheme::Argon2id,
            Self::WerkzeugScrypt => hashing::NewScheme::WerkzeugScrypt,
            Self::WerkzeugPbkdf2 => hashing::NewScheme::WerkzeugPbkdf2,
            Self::Bcrypt => hashing::NewScheme::Bcrypt,
        }
    }
}

#[derive(Debug, Subcommand)]
enum HashCommand {
    Verify(VerifyArgs),
    Identify(IdentifyArgs),
    Calibrate(super::calibrate::Args),
}

/// Say what a stored hash is: scheme, cost parameters, strength verdict; no KDF runs
///
/// Verdicts follow OWASP's Password Storage Cheat Sheet: strong, weak, legacy, plaintext or
/// malformed, with the reasons. The output never repeats the hash or its salt. No database is
/// needed; `credman audit` judges every stored hash at once.
///
/// Examples:
///   credman hash identify "$(cat stored.hash)"
///   credman hash identify 'pbkdf2:sha256:260000$TyfcM8aqmK404SeS$29ca...' --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
struct IdentifyArgs {
    /// The stored hash
    hash: String,
}

/// Check a password against a hash; exit 0 if it matches, 1 if not
///
/// The hash is credman's or another program's (see HASH below); no database is needed. Exit 2
/// when the hash cannot be checked: an unknown format, or cost parameters above the caps.
///
/// Examples:
///   credman hash verify "$(cat stored.hash)"      # prompts for the password
///   printf '%s\n' "$PW" | credman hash verify "$(cat stored.hash)" --password-stdin
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
struct VerifyArgs {
    /// The stored hash: argon2 PHC; Werkzeug pbkdf2/scrypt/legacy; Django pbkdf2, scrypt,
    /// bcrypt_sha256, argon2; passlib pbkdf2/scrypt; bcrypt; $5$ $6$ $1$ $apr1$; DES crypt;
    /// {SHA}; {SSHA}
    hash: String,

    /// Read the password from the first line of standard input instead of prompting
    #[arg(long)]
    password_stdin: bool,
}

impl Args {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        match self.command {
            Some(HashCommand::Verify(args)) => return args.run(ctx),
            Some(HashCommand::Identify(args)) => return args.run(ctx),
            Some(HashCommand::Calibrate(args)) => return args.run(ctx),
            None => {}
        }
        let policy = Policy::default();
        let password = input::new_password(ctx, self.password_stdin, "the hash")?;
        policy.check_length(&password)?;
        let hash = hashing::hash_password_as(&password, self.scheme.new_scheme(), &policy.argon2)?;
        if ctx.json {
            print_json(&json!({ "hash": hash, "scheme": hashing::scheme(&hash) }))?;
        } else {
            print_line(hash)?;
        }
        Ok(Answer::Yes)
    }
}

impl VerifyArgs {
    fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let policy = Policy::default();
        let scheme = hashing::scheme(&self.hash);
        if scheme == "unknown" {
            return Err(UsageError(
                "not a password hash format credman knows (see `credman hash verify --help`)"
                    .into(),
            )
            .into());
        }
        let password = input::password(ctx, self.password_stdin, "the hash")?;
        let valid = if password.len() > policy.max_bytes {
            false
        } else {
            match hashing::verify_password(&password, &self.hash, &policy.caps) {
                Check::Match => true,
                Check::Mismatch => false,
                Check::Unusable(why) => {
                    return Err(UsageError(format!("cannot check this hash: {why}")).into());
                }
            }
        };
        if ctx.json {
            print_json(&json!({ "valid": valid, "scheme": scheme }))?;
        } else {
            print_line(if valid { "valid" } else { "invalid" })?;
        }
        Ok(if valid { Answer::Yes } else { Answer::No })
    }
}

impl IdentifyArgs {
    fn run(self, ctx: &Ctx) -> anyhow::Result<Answer> {
        let policy = Policy::default();
        let id = hashing::identify(&self.hash, &policy.argon2, &policy.caps);
        if ctx.json {
            let params: serde_json::Map<String, serde_json::Value> = id
                .params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone().into()))
                .collect();
            print_json(&json!({
                "scheme": id.scheme,
                "params": params,
                "verdict": id.verdict.as_str(),
                "reasons": id.reasons,
                "needs_rehash": id.needs_rehash,
            }))?;
        } else {
            let params: Vec<String> = id.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            print_line(format!("scheme:       {}", id.scheme))?;
            print_line(format!("params:       {}", params.join(",")))?;
            print_line(format!("verdict:      {}", id.verdict.as_str()))?;
            for reason in &id.reasons {
                print_line(format!("reason:       {reason}"))?;
            }
            print_line(format!(
                "needs rehash: {}",
                if id.needs_rehash { "yes" } else { "no" }
            ))?;
        }
        Ok(Answer::Yes)
    }
}
