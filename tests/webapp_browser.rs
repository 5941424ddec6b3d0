//! A real browser on the web app (issue 5): headless Chromium, driven through chromedriver over
//! the W3C WebDriver protocol (plain HTTP and JSON), logs in through the real form, reaches the
//! dashboard, is screenshotted there, and logs out; the test asserts on the DOM, on the cookie
//! the browser keeps, and on what the CLI sees in the shared database.
//!
//! The tools are Debian's `chromium` and `chromedriver` (package chromium-driver), found on the
//! PATH; nothing is downloaded at run time (`scripts/install-peers.sh` installs them). Where one
//! is missing the test says so on stderr and passes, except under CI (`CI` set), where it fails.
//!
//! The browser goes to `http://localhost:PORT`: Chromium treats localhost as a secure context,
//! so it keeps the `Secure`, `__Host-` session cookie over loopback HTTP. The password reaches
//! Chromium in a WebDriver request body and the CLI on stdin; argv carries nothing secret.
//! chromedriver, Chromium and the app are ended by guards, also when an assertion fails; the
//! test's folder (screenshot, app stderr, chromedriver log) is then kept and its path printed.
#![cfg(unix)]

use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use tempfile::TempDir;

mod common;
use common::*;

/// Passes the default policy (15+ characters, zxcvbn score >= 3).
const PW: &str = "correct horse battery staple";
const WRONG: &str = "not the password at all";
const COOKIE: &str = "__Host-credman";

/// How long the page may take to get where a click sends it.
const WAIT: Duration = Duration::from_secs(20);

/// The W3C WebDriver key under which an element reference is returned.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

// ---------------------------------------------------------------------------------------------
// Finding the tools
// ---------------------------------------------------------------------------------------------

/// A tool is missing: under CI that fails the test, elsewhere it is a note and a skip.
fn missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what}; CI must run the browser test (.ci/run installs it)");
    }
    // Straight to the process's stderr, past libtest's capture, so that a plain `cargo test`
    // shows what it did not check.
    let _ = writeln!(std::io::stderr(), "note: browser test skipped: {what}");
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// `(chromium, chromedriver)`, when both are installed.
fn browser_tools() -> Option<(PathBuf, PathBuf)> {
    match (on_path("chromium"), on_path("chromedriver")) {
        (Some(chromium), Some(driver)) => Some((chromium, driver)),
        (chromium, _) => {
            let name = if chromium.is_none() {
                "chromium"
            } else {
                "chromedriver"
            };
            missing(&format!(
                "no {name} on the PATH (run scripts/install-peers.sh, or install Debian's \
                 chromium and chromium-driver)"
            ));
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Guards
// ---------------------------------------------------------------------------------------------

/// The test's folder, removed at the end unless the test failed: then its path is printed and
/// it is kept, with the screenshot and the logs in it.
struct Folder(Option<TempDir>);

impl Folder {
    fn path(&self) -> &Path {
        self.0.as_ref().unwrap().path()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        if std::thread::panicking()
            && let Some(dir) = self.0.take()
        {
            let kept = dir.keep();
            let _ = writeln!(
                std::io::stderr(),
                "note: the browser test's folder is kept: {}",
                kept.display()
            );
        }
    }
}

fn http_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .new_agent()
}

/// chromedriver on a free port of 127.0.0.1, in a process group of its own, so that the
/// guard ends it with every Chromium it started.
struct ChromeDriver {
    child: Child,
    url: String,
    agent: ureq::Agent,
    log: PathBuf,
}

impl ChromeDriver {
    fn start(program: &Path, dir: &Path) -> Self {
        let log = dir.join("chromedriver.log");
        let mut last = String::new();
        // A free port can be taken between the probe and chromedriver's bind: try again.
        for _ in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .unwrap()
                .port();
            let child = StdCommand::new(program)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
            let mut driver = Self {
                child,
                url: format!("http://127.0.0.1:{port}"),
                agent: http_agent(),
                log: log.clone(),
            };
            let deadline = Instant::now() + WAIT;
            while Instant::now() < deadline {
                if let Ok(Some(status)) = driver.child.try_wait() {
                    last = format!("chromedriver exited: {status}");
                    break;
                }
                match driver.call("GET", "/status", None) {
                    Ok(v) if v["ready"] == true => return driver,
                    Ok(v) => last = format!("not ready: {v}"),
                    Err(e) => last = e,
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!(
            "chromedriver did not start: {last}; log: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    /// One WebDriver command: its `value`, or the error it answered with.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.url);
        let response = match (method, body) {
            ("GET", None) => self.agent.get(&url).call(),
            ("DELETE", None) => self.agent.delete(&url).call(),
            ("POST", body) => self
                .agent
                .post(&url)
                .send_json(body.unwrap_or_else(|| json!({}))),
            other => panic!("no such WebDriver call: {other:?}"),
        };
        let mut response = response.map_err(|e| format!("{method} {path}: {e}"))?;
        let status = response.status();
        let doc: Value = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_json()
            .map_err(|e| format!("{method} {path}: {status}: {e}"))?;
        let value = doc["value"].clone();
        if status.is_success() {
            Ok(value)
        } else {
            Err(format!(
                "{method} {path}: {status}: {}: {}",
                value["error"].as_str().unwrap_or("?"),
                value["message"].as_str().unwrap_or("?")
            ))
        }
    }

    /// A new headless Chromium with an empty profile in `profile`.
    fn session(&self, chromium: &Path, profile: &Path) -> Browser<'_> {
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-quic".to_owned(),
            "--window-size=1024,768".to_owned(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "goog:chromeOptions": {
                        "binary": chromium,
                        "args": args,
                    }
                }
            }
        });
        let value = self
            .call("POST", "/session", Some(capabilities))
            .unwrap_or_else(|e| {
                panic!(
                    "no browser session: {e}; chromedriver log: {}",
                    truncated(&std::fs::read(&self.log).unwrap_or_default())
                )
            });
        let id = value["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no sessionId in {value}"))
            .to_owned();
        Browser { driver: self, id }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The group: chromedriver and any Chromium that outlived its session.
        let group = -(self.child.id() as libc::pid_t);
        // SAFETY: kill(2) with a negative pid signals the process group we created.
        unsafe { libc::kill(group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline && matches!(self.child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: as above; a group already gone is ESRCH, which is fine.
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

/// One WebDriver session (one Chromium); deleted, which quits Chromium, when dropped.
struct Browser<'d> {
    driver: &'d ChromeDriver,
    id: String,
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let _ = self
            .driver
            .call("DELETE", &format!("/session/{}", self.id), None);
    }
}

impl Browser<'_> {
    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        self.driver
            .call(method, &format!("/session/{}{path}", self.id), body)
    }

    #[track_caller]
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn url(&self) -> String {
        self.call("GET", "/url", None)
            .as_str()
            .expect("the URL is a string")
            .to_owned()
    }

    /// Waits until the page's URL is `origin` + `path`.
    #[track_caller]
    fn wait_for_url(&self, expected: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let url = self.url();
            if url == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "still at {url}, not {expected}, after {WAIT:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The elements matching a CSS selector (maybe none).
    fn find_all(&self, css: &str) -> Vec<String> {
        let found = self.call(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        found
            .as_array()
            .expect("an array of elements")
            .iter()
            .map(|e| {
                e[ELEMENT]
                    .as_str()
                    .expect("an element reference")
                    .to_owned()
            })
            .collect()
    }

    /// The one element matching `css`, waiting for it to appear.
    #[track_caller]
    fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let mut found = self.find_all(css);
            match found.len() {
                1 => return found.pop().unwrap(),
                0 if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
                n => panic!(
                    "{n} elements match {css:?} at {}: {}",
                    self.url(),
                    self.source()
                ),
            }
        }
    }

    fn source(&self) -> String {
        truncated(
            self.call("GET", "/source", None)
                .as_str()
                .unwrap_or_default()
                .as_bytes(),
        )
    }

    fn text(&self, element: &str) -> String {
        self.call("GET", &format!("/element/{element}/text"), None)
            .as_str()
            .expect("text is a string")
            .to_owned()
    }

    fn attribute(&self, element: &str, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{element}/attribute/{name}"), None)
            .as_str()
            .map(str::to_owned)
    }

    /// Clears the field and types `text` into it, key by key, as a user would.
    fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.call("POST", &format!("/element/{element}/clear"), None);
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn click(&self, css: &str) {
        let element = self.find(css);
        self.call("POST", &format!("/element/{element}/click"), None);
    }

    fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// The cookie `name` as WebDriver sees it, or `None` when the browser holds no such cookie.
    fn cookie(&self, name: &str) -> Option<Value> {
        match self.try_call("GET", &format!("/cookie/{name}"), None) {
            Ok(cookie) => Some(cookie),
            Err(e) if e.contains("no such cookie") => None,
            Err(e) => panic!("{e}"),
        }
    }

    fn screenshot(&self) -> Vec<u8> {
        let png = self.call("GET", "/screenshot", None);
        STANDARD
            .decode(png.as_str().expect("base64 text"))
            .expect("the screenshot is base64")
    }

    /// Fills the login form and submits it with the button.
    fn log_in(&self, user: &str, password: &str) {
        self.type_into("#username", user);
        self.type_into("#password", password);
        self.click("#login-button");
    }
}

// ---------------------------------------------------------------------------------------------
// The CLI beside it
// ---------------------------------------------------------------------------------------------

/// `credman --db DB ARGS` with `stdin`.
fn cli(db: &Path, args: &[&str], stdin: &str) -> Run {
    let mut cmd = credman();
    cmd.arg("--db").arg(db).args(args).write_stdin(stdin);
    Run::from_output(cmd.output().unwrap())
}

/// `session list --all --json`.
fn sessions(db: &Path) -> Vec<Value> {
    match cli(db, &["--json", "session", "list", "--all"], "")
        .ok()
        .json()
    {
        Value::Array(rows) => rows,
        other => panic!("session list --json is not an array: {other}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

#[test]
fn chromium_logs_in_through_the_form_reaches_the_dashboard_and_logs_out() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    // Dropped last, in this order: the browser, chromedriver, the app, then the folder.
    let folder = Folder(Some(scratch()));
    let db = folder.path().join("credman.db");
    cli(&db, &["init"], "").ok();
    cli(
        &db,
        &["user", "add", "alice", "--password-stdin"],
        &format!("{PW}\n"),
    )
    .ok();
    let app = WebApp::start(&db, folder.path());
    let origin = format!("http://localhost:{}", app.port());
    let profile = folder.path().join("chromium-profile");
    std::fs::create_dir(&profile).unwrap();
    let driver = ChromeDriver::start(&chromedriver, folder.path());
    let browser = driver.session(&chromium, &profile);

    // A wrong password: the generic message, on the login page, and no session.
    browser.go(&format!("{origin}/login"));
    browser.find("form#login");
    browser.log_in("alice", WRONG);
    let error = browser.find("#error");
    assert_eq!(browser.text(&error), "Invalid username or password.");
    assert_eq!(browser.attribute(&error, "role").as_deref(), Some("alert"));
    assert_eq!(browser.url(), format!("{origin}/login"));
    assert!(browser.cookie(COOKIE).is_none());
    assert!(sessions(&db).is_empty());

    // The right one: the dashboard.
    browser.log_in("alice", PW);
    browser.wait_for_url(&format!("{origin}/dashboard"));
    let welcome = browser.find("#welcome");
    assert_eq!(browser.text(&welcome), "Signed in as alice");
    let rows = browser.find_all("table#sessions tr[data-session]");
    assert_eq!(rows.len(), 1, "{}", browser.source());
    let current = browser.find("table#sessions tr[data-session] td.current");
    assert_eq!(browser.text(&current), "this session");

    // The CLI sees the browser's session: its id, Chromium's user agent, the loopback address.
    let listed = sessions(&db);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let session = &listed[0];
    assert_eq!(
        browser.attribute(&rows[0], "data-session").as_deref(),
        session["id"].as_str()
    );
    assert_eq!(session["user"], "alice");
    assert_eq!(session["state"], "active");
    assert_eq!(session["ip"], "127.0.0.1", "{session}");
    let agent = browser.script("return navigator.userAgent");
    assert_eq!(session["user_agent"], agent, "{session}");
    assert!(agent.as_str().unwrap().contains("Chrome"), "{agent}");

    // The browser kept the cookie as set: HttpOnly (no script sees it), Secure, Lax, Path=/.
    assert_eq!(browser.script("return document.cookie"), json!(""));
    let cookie = browser
        .cookie(COOKIE)
        .expect("the browser kept the session cookie");
    assert_eq!(cookie["httpOnly"], true, "{cookie}");
    assert_eq!(cookie["secure"], true, "{cookie}");
    assert_eq!(cookie["sameSite"], "Lax", "{cookie}");
    assert_eq!(cookie["path"], "/", "{cookie}");
    let token = cookie["value"].as_str().unwrap().to_owned();
    let check = cli(&db, &["session", "check"], &format!("{token}\n"));
    check.ok();
    assert_eq!(check.stdout(), "alice\n", "{check:?}");

    // A screenshot of the dashboard, in the test's folder.
    let png = browser.screenshot();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 1024,
        "not a PNG of a page: {} bytes",
        png.len()
    );
    let shot = folder.path().join("dashboard.png");
    std::fs::write(&shot, &png).unwrap();

    // Logout through the button: back to the login page, the cookie gone, the session revoked
    // on the server, and the dashboard sends the browser to the login page.
    browser.click("#logout-button");
    browser.wait_for_url(&format!("{origin}/login"));
    browser.find("form#login");
    assert!(
        browser.cookie(COOKIE).is_none(),
        "the cookie was not cleared"
    );
    let listed = sessions(&db);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["state"], "revoked", "{listed:?}");
    let check = cli(&db, &["session", "check"], &format!("{token}\n"));
    check.clean(1);
    browser.go(&format!("{origin}/dashboard"));
    browser.wait_for_url(&format!("{origin}/login"));
    browser.find("form#login");
    assert!(
        app.stderr_text().lines().all(|l| !l.contains(&token[4..])),
        "the app logged the token"
    );
}
