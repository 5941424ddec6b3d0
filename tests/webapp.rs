//! The web app on credman's core (issue 5): `examples/webapp.rs`, started on 127.0.0.1 with a
//! free port over a database made by the real CLI, driven over HTTP, with its session cookie
//! kept by hand so that every attribute can be asserted.
//!
//! The CLI and the app share one database: users are made with `credman user add`, the web
//! session shows up in `credman who` and `credman session list`, and `credman session revoke`,
//! `user lock` and `user passwd` throw the browser out on its next request.
//!
//! The HTTP client is ureq with redirects off (each 303 is asserted, not followed) and no cookie
//! store: a test sends `Cookie: __Host-credman=TOKEN` itself, so a cookie is sent only when the
//! test means it to be. A POST carries `Origin: http://127.0.0.1:PORT`, as a browser would, unless
//! the test is about cross-site requests. Passwords go to the CLI on stdin (`--password-stdin`)
//! and to the app in the form body; argv carries nothing secret.
//!
//! The database keeps the default argon2id parameters (m=19456, t=2): the Werkzeug test asserts
//! that an upgraded hash is no longer an audit finding, which a lowered KDF would be.
#![cfg(unix)]

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

mod common;
use common::*;

/// Pass the default policy (15+ characters, zxcvbn score >= 3).
const PW: &str = "correct horse battery staple";
const PW2: &str = "tangerine accordion glacier";
const WRONG: &str = "not the password at all";

const COOKIE: &str = "__Host-credman";
const REFUSAL: &str = r#"<p id="error" role="alert">Invalid username or password.</p>"#;

// ---------------------------------------------------------------------------------------------
// The site: a database made with the CLI, and the app running on it
// ---------------------------------------------------------------------------------------------

struct Site {
    // Dropped first: the app is killed before its database folder is removed.
    app: WebApp,
    db: Db,
}

fn line(text: &str) -> Vec<u8> {
    format!("{text}\n").into_bytes()
}

impl Site {
    /// `credman init`, `credman user add NAME --password-stdin` (password `PW`) for each user,
    /// then the app.
    fn new(users: &[&str]) -> Self {
        let db = Db::missing();
        db.run(&["init"]).ok();
        for user in users {
            db.run_in(&["user", "add", user, "--password-stdin"], &line(PW))
                .ok();
        }
        let app = WebApp::start(&db.path, db.dir.path());
        Self { app, db }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.app.port())
    }

    /// A browser of its own (its own cookie), which says `user_agent`.
    fn client(&self, user_agent: &str) -> Client {
        let agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(TIMEOUT))
            .build()
            .new_agent();
        Client {
            agent,
            base: self.base(),
            user_agent: user_agent.to_owned(),
            token: None,
            extra: Vec::new(),
        }
    }

    /// `session list --json [--all]`.
    fn sessions(&self, all: bool) -> Vec<Value> {
        let mut args = vec!["session", "list"];
        if all {
            args.push("--all");
        }
        match self.db.json(&args) {
            Value::Array(rows) => rows,
            other => panic!("session list --json is not an array: {other}"),
        }
    }

    /// The one active session whose user agent is `user_agent`, from `session list`.
    #[track_caller]
    fn session_of(&self, user_agent: &str) -> Value {
        let rows: Vec<Value> = self
            .sessions(false)
            .into_iter()
            .filter(|r| r["user_agent"] == user_agent)
            .collect();
        assert_eq!(
            rows.len(),
            1,
            "not one active session for {user_agent:?}: {rows:?}"
        );
        rows.into_iter().next().unwrap()
    }

    /// The state of session `id` in `session list --all`.
    #[track_caller]
    fn state_of(&self, id: &str) -> String {
        let rows = self.sessions(true);
        let row = rows
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no session {id} in {rows:?}"));
        row["state"].as_str().unwrap().to_owned()
    }

    /// `user show NAME --json`.
    fn user(&self, name: &str) -> Value {
        self.db.json(&["user", "show", name])
    }

    /// `log --json`, only the events written by the app (actor `web`).
    fn web_events(&self, action: &str, user: &str) -> Vec<Value> {
        self.db
            .events()
            .into_iter()
            .filter(|e| e["actor"] == "web" && e["action"] == action && e["user"] == user)
            .collect()
    }
}

fn id_of(session: &Value) -> String {
    session["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id: {session}"))
        .to_owned()
}

// ---------------------------------------------------------------------------------------------
// A browser, with its cookie kept by hand
// ---------------------------------------------------------------------------------------------

/// Where a POST says it comes from (the app's CSRF check reads these).
#[derive(Clone, Copy, Debug)]
enum Source<'a> {
    /// `Origin: http://127.0.0.1:PORT`, what a browser sends for the app's own forms.
    SameOrigin,
    /// Neither `Origin` nor `Referer`.
    Nowhere,
    Origin(&'a str),
    Referer(&'a str),
}

struct Client {
    agent: ureq::Agent,
    /// `http://127.0.0.1:PORT`
    base: String,
    user_agent: String,
    /// The value of the `__Host-credman` cookie this browser holds, if any.
    token: Option<String>,
    /// More headers for every request.
    extra: Vec<(&'static str, &'static str)>,
}

/// A response, read whole.
struct Page {
    what: String,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl fmt::Debug for Page {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\n  {}: {}\n  headers: {:?}\n  body: {}",
            self.what,
            self.status,
            self.headers,
            truncated(self.body.as_bytes())
        )
    }
}

impl Page {
    fn read(what: String, response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Self {
        let mut response = response.unwrap_or_else(|e| panic!("{what}: {e}"));
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
                (k.as_str().to_owned(), v)
            })
            .collect();
        let body = response
            .body_mut()
            .read_to_string()
            .unwrap_or_else(|e| panic!("{what}: reading the body: {e}"));
        Self {
            what,
            status: response.status().as_u16(),
            headers,
            body,
        }
    }

    /// Every value of header `name` (case-insensitive).
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The one value of header `name`, if there is one.
    #[track_caller]
    fn header(&self, name: &str) -> Option<&str> {
        let all = self.all(name);
        assert!(all.len() <= 1, "{name} given {} times: {self:?}", all.len());
        all.first().copied()
    }

    fn cookies(&self) -> Vec<SetCookie> {
        self.all("set-cookie")
            .into_iter()
            .map(SetCookie::parse)
            .collect()
    }

    /// A 303 to `to`, exactly.
    #[track_caller]
    fn assert_redirect(&self, to: &str) -> &Self {
        assert_eq!(self.status, 303, "not a 303: {self:?}");
        assert_eq!(self.header("location"), Some(to), "{self:?}");
        self
    }

    #[track_caller]
    fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "{self:?}");
        self
    }

    #[track_caller]
    fn assert_no_cookie(&self) -> &Self {
        assert!(
            self.all("set-cookie").is_empty(),
            "a cookie was set: {self:?}"
        );
        self
    }

    /// The generic refusal of a login: 401, the one message, no cookie, no redirect. Returns
    /// the body with the name that was tried taken out (a form may show it again), for
    /// comparing refusals.
    #[track_caller]
    fn assert_refused(&self, user: &str) -> String {
        self.assert_status(401).assert_no_cookie();
        assert!(self.header("location").is_none(), "{self:?}");
        assert!(self.body.contains(REFUSAL), "no generic message: {self:?}");
        self.body.replace(user, "{user}")
    }

    /// A CSRF refusal: 403, saying so, no cookie.
    #[track_caller]
    fn assert_cross_site_refused(&self) -> &Self {
        self.assert_status(403).assert_no_cookie();
        assert!(self.body.contains("cross-site request refused"), "{self:?}");
        self
    }

    /// `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, a `Content-Security-Policy`.
    #[track_caller]
    fn assert_security_headers(&self) -> &Self {
        assert_eq!(
            self.header("x-content-type-options"),
            Some("nosniff"),
            "{self:?}"
        );
        assert!(
            self.header("x-frame-options")
                .is_some_and(|v| v.eq_ignore_ascii_case("deny")),
            "{self:?}"
        );
        assert!(
            self.header("content-security-policy")
                .is_some_and(|v| !v.trim().is_empty()),
            "{self:?}"
        );
        self
    }
}

impl Client {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn cookie_header(&self) -> Option<String> {
        self.token.as_ref().map(|t| format!("{COOKIE}={t}"))
    }

    fn get(&self, path: &str) -> Page {
        let mut req = self
            .agent
            .get(self.url(path))
            .header("User-Agent", &self.user_agent);
        if let Some(cookie) = self.cookie_header() {
            req = req.header("Cookie", cookie);
        }
        for (name, value) in &self.extra {
            req = req.header(*name, *value);
        }
        Page::read(format!("GET {path}"), req.call())
    }

    /// A form POST (`application/x-www-form-urlencoded`, as a browser sends it, even empty).
    fn post(&self, path: &str, form: &[(&str, &str)], from: Source<'_>) -> Page {
        let mut req = self
            .agent
            .post(self.url(path))
            .header("User-Agent", &self.user_agent);
        if let Some(cookie) = self.cookie_header() {
            req = req.header("Cookie", cookie);
        }
        for (name, value) in &self.extra {
            req = req.header(*name, *value);
        }
        req = match from {
            Source::SameOrigin => req.header("Origin", &self.base),
            Source::Nowhere => req,
            Source::Origin(origin) => req.header("Origin", origin),
            Source::Referer(referer) => req.header("Referer", referer),
        };
        Page::read(
            format!("POST {path} ({from:?})"),
            req.send_form(form.iter().copied()),
        )
    }

    /// `POST /login` from the login page, with this browser's cookie if it has one.
    fn login(&self, user: &str, password: &str) -> Page {
        self.login_from(user, password, Source::SameOrigin)
    }

    fn login_from(&self, user: &str, password: &str, from: Source<'_>) -> Page {
        self.post(
            "/login",
            &[("username", user), ("password", password)],
            from,
        )
    }

    /// A login that must succeed: 303 to /dashboard with a new session cookie, which this
    /// browser keeps from now on. Returns the token.
    #[track_caller]
    fn login_ok(&mut self, user: &str, password: &str) -> String {
        let page = self.login(user, password);
        self.take_session_cookie(&page)
    }

    #[track_caller]
    fn take_session_cookie(&mut self, page: &Page) -> String {
        page.assert_redirect("/dashboard");
        let cookies = page.cookies();
        assert_eq!(cookies.len(), 1, "not one cookie: {page:?}");
        let token = cookies[0].assert_session_cookie();
        self.token = Some(token.clone());
        token
    }

    /// `GET /dashboard`, which must be the signed-in page of `user`.
    #[track_caller]
    fn dashboard_of(&self, user: &str) -> Page {
        let page = self.get("/dashboard");
        page.assert_status(200);
        assert_eq!(
            text_of(&page.body, "welcome").as_deref(),
            Some(format!("Signed in as {user}").as_str()),
            "{page:?}"
        );
        page
    }

    /// `GET /dashboard`, which must send this browser to the login page.
    #[track_caller]
    fn assert_signed_out(&self) {
        self.get("/dashboard").assert_redirect("/login");
    }
}

// ---------------------------------------------------------------------------------------------
// Cookies
// ---------------------------------------------------------------------------------------------

/// One `Set-Cookie` header: `name=value; Attr; Attr=value...`.
#[derive(Debug)]
struct SetCookie {
    header: String,
    name: String,
    value: String,
    attributes: Vec<(String, Option<String>)>,
}

impl SetCookie {
    fn parse(header: &str) -> Self {
        let mut parts = header.split(';').map(str::trim);
        let (name, value) = parts
            .next()
            .and_then(|pair| pair.split_once('='))
            .unwrap_or_else(|| panic!("no name=value in Set-Cookie: {header:?}"));
        let attributes = parts
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.trim().to_owned(), Some(v.trim().to_owned())),
                None => (p.to_owned(), None),
            })
            .collect();
        Self {
            header: header.to_owned(),
            name: name.trim().to_owned(),
            value: value.trim().to_owned(),
            attributes,
        }
    }

    /// `Some(value)` of attribute `name` (case-insensitive); `Some(None)` for a flag.
    fn attribute(&self, name: &str) -> Option<Option<&str>> {
        let found: Vec<_> = self
            .attributes
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .collect();
        assert!(found.len() <= 1, "{name} given twice: {}", self.header);
        found.first().map(|(_, v)| v.as_deref())
    }

    /// The attributes that make it a `__Host-` cookie a browser keeps, and keeps from scripts
    /// and from other sites' requests (OWASP Session Management): `Secure`, `Path=/`, no
    /// `Domain`, `HttpOnly`, `SameSite=Lax`.
    #[track_caller]
    fn assert_host_only_attributes(&self) {
        let h = &self.header;
        assert_eq!(self.name, COOKIE, "{h}");
        assert!(self.name.starts_with("__Host-"), "{h}");
        assert_eq!(self.attribute("Secure"), Some(None), "Secure: {h}");
        assert_eq!(self.attribute("HttpOnly"), Some(None), "HttpOnly: {h}");
        assert!(
            self.attribute("SameSite")
                .flatten()
                .is_some_and(|v| v.eq_ignore_ascii_case("lax")),
            "SameSite=Lax: {h}"
        );
        assert_eq!(self.attribute("Path"), Some(Some("/")), "Path=/: {h}");
        // A `__Host-` cookie with a Domain is thrown away by the browser.
        assert_eq!(self.attribute("Domain"), None, "no Domain: {h}");
    }

    /// A new session cookie: a credman token (`cms_` and 43 base64url characters: 32 bytes),
    /// with the attributes above and, if it says how long it lives, a positive lifetime.
    /// Returns the token.
    #[track_caller]
    fn assert_session_cookie(&self) -> String {
        self.assert_host_only_attributes();
        let token = &self.value;
        assert!(
            token.starts_with("cms_") && token.len() == 47,
            "not a credman token: {}",
            self.header
        );
        let raw = URL_SAFE_NO_PAD
            .decode(&token[4..])
            .unwrap_or_else(|e| panic!("{}: {e}", self.header));
        assert_eq!(raw.len(), 32, "{}", self.header);
        if let Some(max_age) = self.attribute("Max-Age") {
            let secs: i64 = max_age
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("Max-Age is not a number: {}", self.header));
            assert!(secs > 0, "{}", self.header);
        }
        token.clone()
    }

    /// The cookie that ends one: empty, `Max-Age=0`, with the same attributes (a browser
    /// ignores a `__Host-` cookie without `Secure` and `Path=/`, deletion included).
    #[track_caller]
    fn assert_cleared(&self) {
        self.assert_host_only_attributes();
        assert_eq!(self.value, "", "{}", self.header);
        assert_eq!(
            self.attribute("Max-Age"),
            Some(Some("0")),
            "Max-Age=0: {}",
            self.header
        );
    }
}

// ---------------------------------------------------------------------------------------------
// HTML, read just enough to find the contract's elements
// ---------------------------------------------------------------------------------------------

/// Every opening tag `<name ...>` in `html`.
fn tags<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let open = format!("<{name}");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find(&open).map(|i| from + i) {
        let after = html[at + open.len()..].chars().next();
        let end = html[at..].find('>').map(|i| at + i);
        match (after, end) {
            (Some(c), Some(end)) if c.is_whitespace() || c == '>' || c == '/' => {
                found.push(&html[at..=end]);
                from = end + 1;
            }
            _ => from = at + open.len(),
        }
    }
    found
}

/// The value of attribute `name` in one opening tag (quoted with `"` or `'`).
fn attr(tag: &str, name: &str) -> Option<String> {
    for quote in ['"', '\''] {
        let needle = format!("{name}={quote}");
        let mut from = 0;
        while let Some(at) = tag[from..].find(&needle).map(|i| from + i) {
            let before = tag[..at].chars().last();
            if before.is_some_and(char::is_whitespace) {
                let rest = &tag[at + needle.len()..];
                return rest.find(quote).map(|end| rest[..end].to_owned());
            }
            from = at + needle.len();
        }
    }
    None
}

/// The opening tag of the element whose id is `id`, and where it starts.
fn element<'h>(html: &'h str, id: &str) -> Option<(usize, &'h str)> {
    let mut from = 0;
    while let Some(lt) = html[from..].find('<').map(|i| from + i) {
        let end = lt + html[lt..].find('>')?;
        let tag = &html[lt..=end];
        if attr(tag, "id").as_deref() == Some(id) {
            return Some((lt, tag));
        }
        from = end + 1;
    }
    None
}

/// The opening tag of `#id`, which must be a `<name>`.
#[track_caller]
fn tag_by_id<'h>(html: &'h str, name: &str, id: &str) -> &'h str {
    let (_, tag) = element(html, id).unwrap_or_else(|| panic!("no #{id} in {html}"));
    assert!(tags(tag, name).len() == 1, "#{id} is not a <{name}>: {tag}");
    tag
}

/// The text of `#id` up to its first child tag, trimmed.
fn text_of(html: &str, id: &str) -> Option<String> {
    let (at, tag) = element(html, id)?;
    let rest = &html[at + tag.len()..];
    Some(
        rest[..rest.find('<').unwrap_or(rest.len())]
            .trim()
            .to_owned(),
    )
}

/// `<form method="post" action="ACTION">` with its content, up to `</form>`.
#[track_caller]
fn post_form<'h>(html: &'h str, action: &str) -> &'h str {
    let start = tags(html, "form")
        .into_iter()
        .find(|t| attr(t, "action").as_deref() == Some(action))
        .unwrap_or_else(|| panic!("no form to {action} in {html}"));
    let method = attr(start, "method").unwrap_or_default();
    assert!(
        method.eq_ignore_ascii_case("post"),
        "not a POST form: {start}"
    );
    let at = html.find(start).unwrap();
    let end = html[at..]
        .find("</form>")
        .map(|i| at + i)
        .unwrap_or_else(|| panic!("{start} is not closed"));
    &html[at..end]
}

/// The rows `<tr data-session="ID">...</tr>` of the sessions table, as (ID, row).
#[track_caller]
fn session_rows(html: &str) -> Vec<(String, &str)> {
    let (at, _) = element(html, "sessions").unwrap_or_else(|| panic!("no #sessions in {html}"));
    let table = &html[at..at + html[at..].find("</table>").expect("the table is closed")];
    tags(table, "tr")
        .into_iter()
        .filter_map(|tr| {
            let id = attr(tr, "data-session")?;
            let start = table.find(tr).unwrap();
            let end = table[start..]
                .find("</tr>")
                .map(|i| start + i)
                .expect("the row is closed");
            Some((id, &table[start..end]))
        })
        .collect()
}

/// Whether `row` holds the cell `<td class="current">this session</td>`.
fn is_current(row: &str) -> bool {
    tags(row, "td").into_iter().any(|td| {
        attr(td, "class").is_some_and(|c| c.split_whitespace().any(|c| c == "current")) && {
            let at = row.find(td).unwrap() + td.len();
            row[at..].trim_start().starts_with("this session")
        }
    })
}

// ---------------------------------------------------------------------------------------------
// 1. The whole flow, and the CLI sees it
// ---------------------------------------------------------------------------------------------

#[test]
fn alice_logs_in_on_the_web_is_seen_by_the_cli_and_logs_out() {
    let site = Site::new(&["alice", "carol", "dave"]);
    site.db
        .run(&["config", "set", "lockout.threshold", "3"])
        .ok();
    site.db.run(&["user", "lock", "carol"]).ok();
    for _ in 0..3 {
        site.db
            .run_in(&["verify", "dave", "--password-stdin"], &line(WRONG))
            .clean(1);
    }
    const UA: &str = "credman-tests/1.0 (the whole flow)";
    let mut web = site.client(UA);
    // Any client can send these: the session's address must be the TCP peer's all the same.
    web.extra = vec![
        ("X-Forwarded-For", "203.0.113.9"),
        ("X-Real-IP", "203.0.113.9"),
        ("Forwarded", "for=203.0.113.9"),
    ];

    // The login page: a POST form with the two fields and the button.
    let page = web.get("/login");
    page.assert_status(200);
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{page:?}"
    );
    let form = tag_by_id(&page.body, "form", "login");
    assert_eq!(attr(form, "action").as_deref(), Some("/login"), "{form}");
    assert!(
        attr(form, "method").is_some_and(|m| m.eq_ignore_ascii_case("post")),
        "{form}"
    );
    let form = post_form(&page.body, "/login");
    let username = tag_by_id(form, "input", "username");
    assert_eq!(attr(username, "name").as_deref(), Some("username"));
    let password = tag_by_id(form, "input", "password");
    assert_eq!(attr(password, "name").as_deref(), Some("password"));
    assert_eq!(attr(password, "type").as_deref(), Some("password"));
    tag_by_id(form, "button", "login-button");

    // Refused, the same way for every reason: wrong password, unknown user, locked, throttled.
    let cases = [
        ("alice", WRONG, "a wrong password"),
        ("nobody", PW, "an unknown user"),
        ("carol", PW, "a locked user"),
        ("dave", PW, "a throttled user"),
    ];
    let refusals: Vec<(&str, String)> = cases
        .iter()
        .map(|(user, password, why)| (*why, web.login(user, password).assert_refused(user)))
        .collect();
    for (why, body) in &refusals {
        assert_eq!(
            body, &refusals[0].1,
            "{why} is refused differently from {}",
            refusals[0].0
        );
    }
    assert!(
        site.sessions(true).is_empty(),
        "a refused login made a session"
    );

    // Signed in: a 303 to the dashboard and the session cookie, attributes and all.
    let token = web.login_ok("alice", PW);
    web.get("/login").assert_redirect("/dashboard");

    // The dashboard: not cached, her name, her one session (this one), the logout form.
    let page = web.dashboard_of("alice");
    assert!(
        page.header("cache-control")
            .is_some_and(|c| c.to_ascii_lowercase().contains("no-store")),
        "{page:?}"
    );
    let rows = session_rows(&page.body);
    assert_eq!(rows.len(), 1, "{page:?}");
    let (id, row) = &rows[0];
    assert!(row.contains("127.0.0.1") && row.contains(UA), "{row}");
    assert!(is_current(row), "no 'this session' cell: {row}");
    post_form(row, &format!("/sessions/{id}/revoke"));
    let logout = post_form(&page.body, "/logout");
    assert!(
        tags(&page.body, "form")
            .iter()
            .any(|f| attr(f, "id").as_deref() == Some("logout") && logout.starts_with(*f)),
        "the logout form is not #logout: {page:?}"
    );
    tag_by_id(logout, "button", "logout-button");
    assert!(
        !page.body.contains(&token[4..]),
        "the token is on the page: {page:?}"
    );

    // The CLI sees the same session: `who`, `session list`, `session check`, the event log.
    let who = site.db.json(&["who"]);
    let who = who.as_array().expect("who --json is an array");
    assert_eq!(who.len(), 1, "{who:?}");
    assert_eq!(who[0]["user"], "alice");
    assert_eq!(who[0]["sessions"], 1);
    assert_eq!(who[0]["ip"], "127.0.0.1", "{who:?}");
    assert_eq!(who[0]["user_agent"], UA, "{who:?}");
    let listed = site.session_of(UA);
    assert_eq!(id_of(&listed), *id, "the dashboard's id is not the CLI's");
    assert_eq!(listed["user"], "alice");
    assert_eq!(listed["state"], "active");
    assert_eq!(listed["ip"], "127.0.0.1");
    let check = site.db.run_in(&["session", "check"], &line(&token));
    check.ok();
    assert_eq!(check.stdout(), "alice\n", "{check:?}");
    let created = site.web_events("session.create", "alice");
    assert_eq!(
        created.len(),
        1,
        "no session.create by actor web: {created:?}"
    );
    assert!(
        created[0]["detail"].as_str().unwrap().contains(id.as_str()),
        "{created:?}"
    );
    assert_eq!(site.web_events("verify.success", "alice").len(), 1);
    assert_eq!(site.web_events("verify.failure", "alice").len(), 1);
    let log = serde_json::to_string(&site.db.events()).unwrap();
    for secret in [&token[4..], PW, WRONG] {
        assert!(!log.contains(secret), "the event log holds a secret");
    }

    // Logout: the cookie is cleared, and the session is revoked on the server, so the old
    // cookie (kept here, as a thief would) no longer works.
    let page = web.post("/logout", &[], Source::SameOrigin);
    page.assert_redirect("/login");
    let cookies = page.cookies();
    assert_eq!(cookies.len(), 1, "{page:?}");
    cookies[0].assert_cleared();
    assert_eq!(site.state_of(id), "revoked");
    web.assert_signed_out();
    web.get("/login").assert_status(200);
    site.db
        .run_in(&["session", "check"], &line(&token))
        .clean(1);
    assert_eq!(site.web_events("session.revoke", "alice").len(), 1);
    assert!(site.db.json(&["who"]).as_array().unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// 2. A new session at every login
// ---------------------------------------------------------------------------------------------

#[test]
fn every_login_is_a_new_session_and_a_login_with_an_old_cookie_ends_it() {
    let site = Site::new(&["alice"]);
    let mut laptop = site.client("credman-tests/laptop");
    let mut phone = site.client("credman-tests/phone");

    let first = laptop.login_ok("alice", PW);
    let second = phone.login_ok("alice", PW);
    assert_ne!(first, second);
    let laptop_id = id_of(&site.session_of("credman-tests/laptop"));
    let phone_id = id_of(&site.session_of("credman-tests/phone"));
    assert_ne!(laptop_id, phone_id);

    // Both work; each dashboard lists both, and marks its own as "this session".
    for (browser, own) in [(&laptop, &laptop_id), (&phone, &phone_id)] {
        let page = browser.dashboard_of("alice");
        let rows = session_rows(&page.body);
        let mut ids: Vec<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
        ids.sort_unstable();
        let mut expected = vec![laptop_id.as_str(), phone_id.as_str()];
        expected.sort_unstable();
        assert_eq!(ids, expected, "{page:?}");
        for (id, row) in &rows {
            assert_eq!(is_current(row), id == own, "{row}");
        }
    }

    // The laptop logs in again, sending its cookie: a new token and a new session, and the one
    // the cookie named is revoked (a login never keeps a session id the browser brought).
    let old = laptop.token.clone().unwrap();
    let third = laptop.login_ok("alice", PW);
    assert!(third != old && third != second);
    let new_id = id_of(&site.session_of("credman-tests/laptop"));
    assert_ne!(new_id, laptop_id);
    assert_eq!(site.state_of(&laptop_id), "revoked");
    let mut thief = site.client("credman-tests/laptop");
    thief.token = Some(old);
    thief.assert_signed_out();
    laptop.dashboard_of("alice");
    phone.dashboard_of("alice");
    assert_eq!(site.state_of(&phone_id), "active");

    // A cookie the server never issued (session fixation) is not adopted by a login.
    let mut planted = site.client("credman-tests/planted");
    let fixed = format!("cms_{}", "A".repeat(43));
    planted.token = Some(fixed.clone());
    planted.assert_signed_out();
    let issued = planted.login_ok("alice", PW);
    assert_ne!(issued, fixed);
    planted.dashboard_of("alice");
    assert_eq!(site.sessions(false).len(), 3);
}

// ---------------------------------------------------------------------------------------------
// 3. The CLI throws the browser out
// ---------------------------------------------------------------------------------------------

#[test]
fn session_revoke_user_lock_and_user_passwd_from_the_cli_log_the_browser_out() {
    let site = Site::new(&["alice"]);
    const UA: &str = "credman-tests/thrown-out";
    let mut web = site.client(UA);
    let generic = web.login("nobody", PW).assert_refused("nobody");

    // `credman session revoke ID`
    web.login_ok("alice", PW);
    web.dashboard_of("alice");
    let id = id_of(&site.session_of(UA));
    site.db.run(&["session", "revoke", &id]).ok();
    web.assert_signed_out();

    // `credman user passwd alice --password-stdin`: out, and only the new password works.
    web.login_ok("alice", PW);
    web.dashboard_of("alice");
    site.db
        .run_in(&["user", "passwd", "alice", "--password-stdin"], &line(PW2))
        .ok();
    web.assert_signed_out();
    assert_eq!(web.login("alice", PW).assert_refused("alice"), generic);
    web.login_ok("alice", PW2);
    web.dashboard_of("alice");

    // `credman user lock alice`: out, and the right password is refused like any other.
    site.db.run(&["user", "lock", "alice"]).ok();
    web.assert_signed_out();
    assert_eq!(web.login("alice", PW2).assert_refused("alice"), generic);
    assert!(site.sessions(false).is_empty());

    // `credman user unlock alice`: back in.
    site.db.run(&["user", "unlock", "alice"]).ok();
    web.login_ok("alice", PW2);
    web.dashboard_of("alice");
}

// ---------------------------------------------------------------------------------------------
// 4. Cross-site requests change nothing
// ---------------------------------------------------------------------------------------------

#[test]
fn a_post_without_a_same_origin_origin_or_referer_is_refused_and_changes_nothing() {
    let site = Site::new(&["alice"]);
    let mut web = site.client("credman-tests/csrf");
    let base = site.base();
    let other_port = format!(
        "http://127.0.0.1:{}",
        site.app.port().wrapping_add(1).max(1)
    );
    let evil_referer = "http://evil.example/login";
    let cross_site = [
        Source::Nowhere,
        Source::Origin("http://evil.example"),
        Source::Origin("null"),
        Source::Origin(&other_port),
        Source::Referer(evil_referer),
    ];

    // A login, right or wrong password: refused before the password is looked at.
    for from in cross_site {
        web.login_from("alice", PW, from)
            .assert_cross_site_refused()
            .assert_security_headers();
        web.login_from("alice", WRONG, from)
            .assert_cross_site_refused();
    }
    assert!(
        site.sessions(true).is_empty(),
        "a refused POST made a session"
    );
    assert_eq!(site.user("alice")["failed_attempts"], 0);
    assert!(site.web_events("verify.failure", "alice").is_empty());

    // A same-origin Referer is enough (a browser that sends no Origin).
    let page = web.login_from("alice", PW, Source::Referer(&format!("{base}/login")));
    web.take_session_cookie(&page);
    let id = id_of(&site.session_of("credman-tests/csrf"));

    // Logout and revoke from another site: refused, the session lives on.
    for from in cross_site {
        web.post("/logout", &[], from).assert_cross_site_refused();
        web.post(&format!("/sessions/{id}/revoke"), &[], from)
            .assert_cross_site_refused();
    }
    // A GET is never a logout.
    web.get("/logout").assert_no_cookie();
    assert_ne!(web.get("/logout").status, 303);
    assert_eq!(site.state_of(&id), "active");
    web.dashboard_of("alice");
    assert!(site.web_events("session.revoke", "alice").is_empty());
}

// ---------------------------------------------------------------------------------------------
// 5. Revoking from the dashboard
// ---------------------------------------------------------------------------------------------

#[test]
fn the_dashboard_revokes_ones_own_other_sessions_and_no_one_elses() {
    let site = Site::new(&["alice", "bob"]);
    let mut laptop = site.client("credman-tests/alice-laptop");
    let mut phone = site.client("credman-tests/alice-phone");
    let mut bob = site.client("credman-tests/bob");
    laptop.login_ok("alice", PW);
    phone.login_ok("alice", PW);
    bob.login_ok("bob", PW);
    let laptop_id = id_of(&site.session_of("credman-tests/alice-laptop"));
    let phone_id = id_of(&site.session_of("credman-tests/alice-phone"));
    let bob_id = id_of(&site.session_of("credman-tests/bob"));

    // The laptop ends the phone's session.
    let page = laptop.dashboard_of("alice");
    post_form(&page.body, &format!("/sessions/{phone_id}/revoke"));
    laptop
        .post(
            &format!("/sessions/{phone_id}/revoke"),
            &[],
            Source::SameOrigin,
        )
        .assert_redirect("/dashboard");
    phone.assert_signed_out();
    assert_eq!(site.state_of(&phone_id), "revoked");
    let page = laptop.dashboard_of("alice");
    let rows = session_rows(&page.body);
    assert_eq!(rows.len(), 1, "{page:?}");
    assert_eq!(rows[0].0, laptop_id);

    // Bob's session is not hers to end: 404, as for an id that does not exist.
    for id in [bob_id.as_str(), "000000000000000000000000", "not-an-id"] {
        laptop
            .post(&format!("/sessions/{id}/revoke"), &[], Source::SameOrigin)
            .assert_status(404)
            .assert_security_headers();
    }
    assert_eq!(site.state_of(&bob_id), "active");
    bob.dashboard_of("bob");
    assert_eq!(site.state_of(&laptop_id), "active");
}

// ---------------------------------------------------------------------------------------------
// 6. A Flask app's users, imported, move to argon2id as they log in
// ---------------------------------------------------------------------------------------------

/// A real Werkzeug hash of `scheme` from tests/data/hashes.jsonl (made by Werkzeug itself):
/// (password, hash).
fn werkzeug_vector(scheme: &str) -> (String, String) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hashes.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| {
            v["scheme"] == scheme
                && v["valid"] == true
                && v["password"].as_str().is_some_and(|p| p.len() >= 15)
        })
        .map(|v| {
            let field = |k: &str| v[k].as_str().unwrap().to_owned();
            (field("password"), field("hash"))
        })
        .unwrap_or_else(|| panic!("no valid {scheme} vector in {path}"))
}

#[test]
fn an_imported_werkzeug_user_logs_in_with_the_old_password_and_comes_out_argon2id() {
    // Werkzeug 3's default (scrypt) and an older, cheaper PBKDF2 one; the 1,000,000-round
    // PBKDF2 default would only make the test slow.
    let users = [
        ("flask_scrypt", werkzeug_vector("werkzeug_scrypt_default")),
        (
            "flask_pbkdf2",
            werkzeug_vector("werkzeug_pbkdf2_sha256_1000"),
        ),
    ];
    let site = Site::new(&[]);
    let file = site.db.dir.path().join("flask-users.htpasswd");
    let lines: String = users
        .iter()
        .map(|(name, (_, hash))| format!("{name}:{hash}\n"))
        .collect();
    std::fs::write(&file, lines).unwrap();
    let import = site
        .db
        .run(&["import", file.to_str().unwrap(), "--format", "htpasswd"]);
    assert_eq!(import.code(), Some(0), "{import:?}");

    let flagged = |name: &str| {
        let audit = site.db.json(&["audit"]);
        audit["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("no findings array: {audit}"))
            .iter()
            .any(|f| f["user"] == name)
    };
    for (name, (password, _)) in &users {
        let before = site.user(name);
        assert_ne!(before["scheme"], "argon2id", "{before}");
        assert_eq!(before["needs_rehash"], true, "{before}");
        assert!(flagged(name), "{name} is not an audit finding before");

        let ua = format!("credman-tests/{name}");
        let mut web = site.client(&ua);
        web.login(name, WRONG).assert_refused(name);
        assert_eq!(site.user(name)["scheme"], before["scheme"]);

        web.login_ok(name, password);
        web.dashboard_of(name);
        let after = site.user(name);
        assert_eq!(after["scheme"], "argon2id", "{after}");
        assert_eq!(after["needs_rehash"], false, "{after}");
        assert!(!flagged(name), "{name} is still an audit finding after");
        assert_eq!(site.web_events("hash.upgrade", name).len(), 1);

        // The old password is still the password, now against argon2id.
        web.post("/logout", &[], Source::SameOrigin)
            .assert_redirect("/login");
        web.login_ok(name, password);
        web.dashboard_of(name);
        assert_eq!(site.web_events("hash.upgrade", name).len(), 1);
    }
    let audit = site.db.json(&["audit"]);
    assert_eq!(audit["findings"], serde_json::json!([]), "{audit}");
}

// ---------------------------------------------------------------------------------------------
// 7. Headers on every response; what a browser sends is shown, not run
// ---------------------------------------------------------------------------------------------

#[test]
fn every_response_carries_the_security_headers() {
    let site = Site::new(&["alice"]);
    let mut web = site.client("credman-tests/headers");
    let mut pages = vec![
        web.get("/login"),
        web.get("/dashboard"),
        web.get("/no-such-page"),
        web.login("alice", WRONG),
        web.login_from("alice", PW, Source::Origin("http://evil.example")),
    ];
    let page = web.login("alice", PW);
    web.take_session_cookie(&page);
    pages.push(page);
    pages.extend([
        web.get("/login"),
        web.get("/dashboard"),
        web.post(
            "/sessions/000000000000000000000000/revoke",
            &[],
            Source::SameOrigin,
        ),
        web.post("/logout", &[], Source::SameOrigin),
        web.get("/dashboard"),
    ]);
    let statuses: Vec<u16> = pages.iter().map(|p| p.status).collect();
    assert_eq!(
        statuses,
        [200, 303, 404, 401, 403, 303, 303, 200, 404, 303, 303]
    );
    for page in &pages {
        page.assert_security_headers();
    }
}

/// The user agent is the browser's to choose, and the dashboard shows it: as text.
#[test]
fn a_hostile_user_agent_is_escaped_on_the_dashboard() {
    let site = Site::new(&["alice"]);
    const UA: &str = r#"<script>alert("ua")</script><img src=x onerror=alert(1)>"#;
    let mut web = site.client(UA);
    web.login_ok("alice", PW);
    let page = web.dashboard_of("alice");
    assert!(
        !page.body.contains("<script>alert") && !page.body.contains("<img src=x"),
        "the user agent went into the page as HTML: {page:?}"
    );
    assert!(page.body.contains("&lt;script&gt;alert("), "{page:?}");
    assert_eq!(site.session_of(UA)["user_agent"], UA);
}
