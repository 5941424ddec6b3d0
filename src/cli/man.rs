//! The man pages: `credman.1` and one page per command and nested command, from the clap
//! definitions. clap_mangen renders NAME, SYNOPSIS and OPTIONS; DESCRIPTION (whose examples stay
//! examples), COMMANDS, EXIT STATUS and the sections only `credman.1` has (ENVIRONMENT, FILES,
//! SECURITY, EXAMPLES, SEE ALSO) are written here with roff.
//!
//! Nothing here depends on the date or the machine: the pages are committed under `man/` and a
//! test compares them with what this module renders.

use clap::{Command, CommandFactory};
use clap_mangen::Man;
use roff::{Inline, Roff, bold, italic, roman};

use super::Cli;

/// Every page as (file name, roff source): `credman.1` first, then each command depth-first.
pub fn pages() -> Vec<(String, Vec<u8>)> {
    let mut root = for_man(Cli::command());
    root.build();
    let mut pages = Vec::new();
    collect(&root, &root, None, &mut pages);
    pages
}

/// The tree as the pages show it: no `help` subcommand, and `command` (clap_mangen lowercases
/// it) rather than `subcommands` as the placeholder for one in a synopsis.
fn for_man(cmd: Command) -> Command {
    let cmd = cmd.disable_help_subcommand(true).mut_subcommands(for_man);
    if cmd.has_subcommands() {
        cmd.subcommand_value_name("COMMAND")
    } else {
        cmd
    }
}

fn collect(
    root: &Command,
    cmd: &Command,
    parent: Option<&Command>,
    pages: &mut Vec<(String, Vec<u8>)>,
) {
    pages.push((format!("{}.1", page_name(cmd)), page(root, cmd, parent)));
    for sub in visible_subcommands(cmd) {
        collect(root, sub, Some(cmd), pages);
    }
}

/// `credman`, `credman-user`, `credman-user-add`, ...
fn page_name(cmd: &Command) -> &str {
    cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
}

/// `credman`, `credman user`, `credman user add`, ...
fn command_line(cmd: &Command) -> &str {
    cmd.get_bin_name().unwrap_or_else(|| cmd.get_name())
}

fn visible_subcommands(cmd: &Command) -> impl Iterator<Item = &Command> {
    cmd.get_subcommands().filter(|sub| !sub.is_hide_set())
}

fn page(root: &Command, cmd: &Command, parent: Option<&Command>) -> Vec<u8> {
    let name = page_name(cmd);
    let man = Man::new(cmd.clone());
    let is_root = parent.is_none();

    // .TH by hand: roff drops an empty argument, which would shift the source into the date.
    // .nh: no hyphens in page and command names.
    let mut out = preamble();
    out.extend_from_slice(
        format!(
            ".TH {} 1 \"\" \"credman {}\" \"User Commands\"\n.nh\n",
            name.to_uppercase().replace('-', "\\-"),
            env!("CARGO_PKG_VERSION"),
        )
        .as_bytes(),
    );
    out.extend(piece(|w| man.render_name_section(w)));
    out.extend(piece(|w| man.render_synopsis_section(w)));

    let mut r = Roff::new();
    r.control("SH", ["DESCRIPTION"]);
    if let Some(text) = description(cmd) {
        prose(&mut r, &text);
    }
    if cmd.has_subcommands() {
        commands(&mut r, cmd, is_root);
    }
    out.extend(body(&r));

    if cmd.get_arguments().any(|arg| !arg.is_hide_set()) {
        out.extend(piece(|w| man.render_options_section(w)));
    }

    let mut r = Roff::new();
    if !is_root {
        // The root's after-help is its exit status list, which EXIT STATUS below replaces.
        if let Some(text) = cmd.get_after_long_help().or_else(|| cmd.get_after_help()) {
            r.control("SH", ["NOTES"]);
            prose(&mut r, &text.to_string());
        }
    }
    if is_root {
        root_sections(&mut r);
    } else if !cmd.has_subcommands() {
        exit_status(&mut r, name);
    }
    see_also(&mut r, root, cmd, parent);
    out.extend(body(&r));
    out
}

/// The long help without its first paragraph when that is the summary, which NAME shows.
fn description(cmd: &Command) -> Option<String> {
    let about = cmd.get_about().map(ToString::to_string);
    let Some(long) = cmd.get_long_about().map(ToString::to_string) else {
        return about;
    };
    match (&about, long.split_once("\n\n")) {
        (Some(about), Some((first, rest))) if first.trim() == about.trim() => Some(rest.to_owned()),
        _ => Some(long),
    }
}

/// The COMMANDS section: every command under `cmd`, as it is typed, with its summary.
fn commands(r: &mut Roff, cmd: &Command, whole_tree: bool) {
    r.control("SH", ["COMMANDS"]);
    let Some(first) = visible_subcommands(cmd).next() else {
        return;
    };
    let mut intro = vec![
        roman("Each command has its own page: "),
        bold(command_line(first)),
        roman(" is described in "),
    ];
    intro.extend(page_ref(page_name(first)));
    intro.push(roman(", and so on."));
    r.text(intro);
    fn walk(r: &mut Roff, cmd: &Command, recurse: bool) {
        for sub in visible_subcommands(cmd) {
            let mut header = vec![bold(command_line(sub))];
            for arg in sub.get_positionals().filter(|arg| !arg.is_hide_set()) {
                let value = arg
                    .get_value_names()
                    .map(|names| names.join(" "))
                    .unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
                let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
                let value = if many { format!("{value}...") } else { value };
                header.push(roman(" "));
                if arg.is_required_set() {
                    header.push(italic(value));
                } else {
                    header.extend([roman("["), italic(value), roman("]")]);
                }
            }
            if sub.has_subcommands() {
                header.extend([roman(" "), italic("COMMAND")]);
            }
            r.control("TP", []);
            r.text(header);
            if let Some(about) = sub.get_about().or_else(|| sub.get_long_about()) {
                r.text(inline(&about.to_string()));
            }
            if recurse {
                walk(r, sub, recurse);
            }
        }
    }
    walk(r, cmd, whole_tree);
}

/// The answer of each command that asks a question: what exit 0 and exit 1 mean.
const QUESTIONS: [(&str, &str, &str); 5] = [
    (
        "credman-verify",
        "The password is valid.",
        "The password is not valid, or the user is unknown, locked or throttled: every denial \
         looks the same.",
    ),
    (
        "credman-hash-verify",
        "The password matches the hash.",
        "The password does not match the hash.",
    ),
    (
        "credman-session-create",
        "The session was created; its token is printed once.",
        "The password was refused: wrong, or the user is unknown, locked or throttled, all alike.",
    ),
    (
        "credman-session-check",
        "The token names an active session; the user's name is printed.",
        "The token is unknown, expired or revoked.",
    ),
    (
        "credman-audit",
        "No finding reaches the --fail-on threshold (or --fail-on was not given).",
        "With --fail-on: at least one finding is at or above the threshold.",
    ),
];

fn exit_status(r: &mut Roff, page: &str) {
    r.control("SH", ["EXIT STATUS"]);
    match QUESTIONS.iter().find(|(name, _, _)| *name == page) {
        Some((_, yes, no)) => {
            item(r, [bold("0")], [roman(*yes)]);
            item(r, [bold("1")], [roman(*no)]);
        }
        None => item(r, [bold("0")], [roman("Success.")]),
    }
    item(
        r,
        [bold("2")],
        [
            roman(
                "An error: bad usage or input, a policy refusal, a missing user, the database \
                   unavailable; one line ",
            ),
            bold("credman: error: ..."),
            roman(" on standard error. See "),
        ]
        .into_iter()
        .chain(page_ref("credman"))
        .chain([roman(".")]),
    );
}

fn see_also(r: &mut Roff, root: &Command, cmd: &Command, parent: Option<&Command>) {
    r.control("SH", ["SEE ALSO"]);
    // Left-aligned: a justified list of page names spreads out.
    r.control("ad", ["l"]);
    let mut refs: Vec<String> = Vec::new();
    match parent {
        None => refs.extend(visible_subcommands(root).map(|sub| page_name(sub).to_owned())),
        Some(parent) => {
            refs.push("credman".to_owned());
            if !std::ptr::eq(parent, root) {
                refs.push(page_name(parent).to_owned());
            }
            refs.extend(visible_subcommands(cmd).map(|sub| page_name(sub).to_owned()));
        }
    }
    let mut line = Vec::new();
    for (i, name) in refs.iter().enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        line.extend(page_ref(name));
    }
    if parent.is_none() {
        for other in ["htpasswd", "passwd", "chage", "loginctl", "sqlite3"] {
            line.push(roman(", "));
            line.extend(page_ref(other));
        }
    }
    r.text(line);
}

/// EXIT STATUS, ENVIRONMENT, FILES, SECURITY and EXAMPLES of `credman.1`.
fn root_sections(r: &mut Roff) {
    r.control("SH", ["EXIT STATUS"]);
    r.text([roman(
        "credman follows grep's convention, as clap does for usage errors:",
    )]);
    item(
        r,
        [bold("0")],
        [roman(
            "Success. For a command that asks a question: yes (the password is valid, the \
             session is active, no audit finding reaches the threshold).",
        )],
    );
    item(
        r,
        [bold("1")],
        [roman(
            "A clean \"no\" from a command that asks a question, and only from these: ",
        )]
        .into_iter()
        .chain(joined(&[
            "verify",
            "hash verify",
            "session create",
            "session check",
            "audit --fail-on",
        ]))
        .chain([roman(
            ". The password is wrong, or the user is unknown, locked or throttled (verify and \
             session create answer all of these alike); the password does not match the hash \
             (hash verify); the session token is invalid, expired or revoked (session check); \
             an audit finding is at or above the --fail-on threshold.",
        )]),
    );
    item(
        r,
        [bold("2")],
        [
            roman(
                "Any error: bad usage or input, a policy refusal, no such user in an admin \
                 command, the database unavailable. Standard error gets one line, ",
            ),
            bold("credman: error: ..."),
            roman(
                ", that says what to do. Standard output stays empty, except where a report \
                 is the point: import prints its counts (and, with --json, every bad line) \
                 before it exits 2 for its bad lines, and hash calibrate its measurements \
                 when no set fits the target.",
            ),
        ],
    );
    r.control("PP", []);
    r.text([roman(
        "A broken pipe on standard output (credman user list | head -1) exits 0 quietly.",
    )]);

    r.control("SH", ["ENVIRONMENT"]);
    item(
        r,
        [bold("CREDMAN_DB")],
        [roman("The database file, when --db is not given.")],
    );
    item(
        r,
        [bold("NO_COLOR")],
        [roman(
            "When set and not empty, no colour or other terminal styling, in help and error \
             messages included. Without it, styling is used only on a terminal.",
        )],
    );
    item(
        r,
        [bold("XDG_DATA_HOME")],
        [roman(
            "The data folder that holds the default database (see FILES); ~/.local/share when \
             unset.",
        )],
    );
    item(
        r,
        [bold("SUDO_USER")],
        [roman(
            "Under sudo, the event log names the admin behind it as well as the account \
             credman runs as: cli:root (sudo from alice). The account itself comes from the \
             system's user database, not from USER.",
        )],
    );

    r.control("SH", ["FILES"]);
    item(
        r,
        [italic("~/.local/share/credman/credman.db")],
        [roman(
            "The default database on Linux: credman.db in the credman folder of the data \
             directory (the directories crate's data_dir: $XDG_DATA_HOME, else \
             ~/.local/share). --db or CREDMAN_DB name another. It is created on first write \
             with its folder; the folder gets mode 0700 and the file mode 0600, even under \
             umask 022. A database that the group or others can read gets a warning on \
             standard error.",
        )],
    );
    item(
        r,
        [
            italic("credman.db-wal"),
            roman(", "),
            italic("credman.db-shm"),
        ],
        [roman(
            "SQLite's write-ahead log and its index, beside the database while it is open; \
             mode 0600 like the database. The database runs in WAL mode so that many credman \
             processes and a web application can share it.",
        )],
    );

    r.control("SH", ["SECURITY"]);
    r.text([
        bold("No secret on the command line."),
        roman(
            " A password is never an argument, where ps(1) and the shell's history would show \
             it. At a terminal credman prompts for it on the terminal itself (twice when \
             setting one); a script writes one line to standard input and passes \
             --password-stdin (one trailing \\n or \\r\\n is stripped, every other byte \
             counts). With no terminal and no --password-stdin, credman fails at once instead \
             of waiting. session check reads its token from standard input too.",
        ),
    ]);
    r.control("PP", []);
    r.text([
        bold("What is stored."),
        roman(
            " Passwords as argon2id PHC strings ($argon2id$v=19$m=19456,t=2,p=1$...), with \
             the parameters of the policy (hash.argon2.m, .t and .p; see credman config list). \
             Imported hashes of other schemes are kept as they are until the user's next \
             successful verify replaces them with argon2id. Of a session token only its SHA-256 \
             digest is stored: the token is printed once, when the session is created or \
             rotated, and never again. The event log is append-only (the database refuses to \
             change or delete an entry) and never holds a password, a token or a hash. \
             Replaced hashes and deleted token digests are overwritten, not left in the \
             database's free pages.",
        ),
    ]);
    r.control("PP", []);
    r.text([
        bold("Throttling."),
        roman(
            " After lockout.threshold (default 10) consecutive failed verifications, a user is \
             throttled: every attempt is denied for lockout.base (default 1m), a delay that \
             doubles with each further failure up to lockout.max (default 1h). The count lives \
             in the database, so every credman process and the web application share it; a \
             success resets it, and credman user unlock clears it.",
        ),
    ]);
    r.control("PP", []);
    r.text([
        bold("The same answer for every denial."),
        roman(
            " An unknown user, a wrong password, a locked and a throttled user get the same \
             output and exit status 1 from verify and session create, and an unknown user \
             costs one run of the KDF on a dummy hash, like a wrong password: neither the \
             answer nor its time tells which names exist. verify --explain adds the true \
             reason on standard error, for an admin at a terminal; a script that faces the \
             network must not pass it through.",
        ),
    ]);

    r.control("SH", ["EXAMPLES"]);
    let examples: [(&str, &[&str]); 6] = [
        (
            "Create the database and a first admin, whose generated password is printed once:",
            &["credman init", "credman user add admin --generate"],
        ),
        (
            "Verify a password from a script (exit 0: valid, 1: not):",
            &["printf '%s\\n' \"$PASSWORD\" | credman verify alice --password-stdin"],
        ),
        (
            "See who is logged in, and throw out a user whose laptop was stolen:",
            &[
                "credman who",
                "credman session list --user alice",
                "credman user lock alice --reason \"laptop stolen\"",
            ],
        ),
        (
            "Raise the argon2id memory cost, then find the hashes that upgrade-on-login will not \
             reach; fail a cron job while a weak hash is left:",
            &[
                "credman config set hash.argon2.m 47104",
                "credman audit --stale 90",
                "credman audit --fail-on weak --json",
            ],
        ),
        (
            "Import a Flask app's users; they log in with their old passwords and move to \
             argon2id as they do:",
            &[
                "credman import --sqlite instance/flaskr.sqlite \\",
                "    --query 'SELECT username, password FROM user'",
            ],
        ),
        (
            "Work on another database:",
            &["CREDMAN_DB=/var/lib/myapp/users.db credman user list --json"],
        ),
    ];
    for (i, (what, lines)) in examples.iter().enumerate() {
        if i > 0 {
            r.control("PP", []);
        }
        r.text([roman(*what)]);
        example(r, lines.iter().copied());
    }
}

/// `a`, `b`, `c` and `d`, in bold.
fn joined(names: &[&str]) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push(roman(if i + 1 == names.len() { " and " } else { ", " }));
        }
        out.push(bold(*name));
    }
    out
}

/// A tagged paragraph: `header` on its own line, `body` indented below it.
fn item(r: &mut Roff, header: impl Into<Vec<Inline>>, body: impl IntoIterator<Item = Inline>) {
    r.control("TP", []);
    r.text(header);
    r.text(body.into_iter().collect::<Vec<_>>());
}

/// `name(1)`, the usual way to name a page.
fn page_ref(name: &str) -> [Inline; 2] {
    [bold(name), roman("(1)")]
}

/// Help text as roff: blank lines separate paragraphs; indented lines (the examples in a long
/// help) are set as they are, not filled.
fn prose(r: &mut Roff, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    let mut pending_paragraph = false;
    let mut started = false;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            pending_paragraph = started;
            i += 1;
            continue;
        }
        if pending_paragraph {
            r.control("PP", []);
            pending_paragraph = false;
        }
        started = true;
        if line.starts_with([' ', '\t']) {
            let start = i;
            while i < lines.len()
                && lines[i].starts_with([' ', '\t'])
                && !lines[i].trim().is_empty()
            {
                i += 1;
            }
            let block = &lines[start..i];
            let indent = block
                .iter()
                .map(|l| l.len() - l.trim_start().len())
                .min()
                .unwrap_or(0);
            example(r, block.iter().map(|l| &l[indent..]));
        } else {
            r.text(inline(line));
            i += 1;
        }
    }
}

/// Lines set as they are, indented.
fn example<'a>(r: &mut Roff, lines: impl IntoIterator<Item = &'a str>) {
    r.control("RS", ["4"]);
    r.control("nf", []);
    for line in lines {
        r.text([roman(line.trim_end())]);
    }
    r.control("fi", []);
    r.control("RE", []);
}

/// A line of help text; `code` spans become bold.
fn inline(text: &str) -> Vec<Inline> {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        // An odd number of backticks: leave them alone.
        return vec![roman(text)];
    }
    parts
        .iter()
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| {
            if i % 2 == 1 {
                bold(*part)
            } else {
                roman(*part)
            }
        })
        .collect()
}

/// What every rendering starts with: roff's definition of the apostrophe string.
fn preamble() -> Vec<u8> {
    let mut out = Vec::new();
    Roff::new()
        .to_writer(&mut out)
        .expect("writing to a Vec cannot fail");
    out
}

/// Roff of ours, without the preamble.
fn body(r: &Roff) -> Vec<u8> {
    piece(|w| r.to_writer(w))
}

/// One rendering (clap_mangen's sections, or ours), without the preamble that each repeats.
fn piece(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out).expect("writing to a Vec cannot fail");
    match out.strip_prefix(preamble().as_slice()) {
        Some(rest) => rest.to_vec(),
        None => out,
    }
}
