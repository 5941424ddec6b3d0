//! The classic Flask login flow, in Rust, on credman's library and database.
//!
//! ```sh
//! credman --db /tmp/app.db init
//! credman --db /tmp/app.db user add alice
//! cargo run --release --example webapp -- --db /tmp/app.db --listen 127.0.0.1:8080
//! ```
//!
//! Then open <http://127.0.0.1:8080/login>. The web app and the CLI share one database: a user
//! made with `credman user add` logs in here, `credman who` shows the browser's session (with
//! its IP and user agent), and `credman session revoke`, `user lock` or `user passwd` log the
//! browser out on its next request.
//!
//! | route | what |
//! |---|---|
//! | `GET /login` | the form (or 303 to `/dashboard` when already logged in) |
//! | `POST /login` | 303 to `/dashboard` with the session cookie, or 401 and one message for every reason |
//! | `GET /dashboard` | who you are and your active sessions, each with a Revoke button |
//! | `POST /sessions/{id}/revoke` | revoke one of your sessions |
//! | `POST /logout` | revoke this session and clear the cookie |
//!
//! What keeps it safe, by OWASP's session and CSRF cheat sheets:
//! - the cookie is `__Host-credman`: `HttpOnly; Secure; SameSite=Lax; Path=/`, no `Domain`;
//!   it holds a token of which the database keeps only a SHA-256; a new one at every login;
//! - every POST must come from this site (its `Origin`, or else `Referer`, names our `Host`);
//! - every response forbids sniffing, framing and caching, and a strict CSP allows no script.
//!
//! Every credman call does SQLite I/O (and a login runs the argon2 KDF, tens of milliseconds by
//! design), so it runs on tokio's blocking pool, never on the async workers.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, Form, FromRequestParts, OptionalFromRequestParts, Path, Request,
    State,
};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, COOKIE, HOST, ORIGIN, REFERER, REFERRER_POLICY,
    SET_COOKIE, USER_AGENT, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{Next, from_fn, map_response};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use credman::{
    Credman, IssuedSession, OpenMode, Password, Session, SessionOptions, SessionToken, rfc3339,
};

/// The session cookie. The `__Host-` prefix makes the browser refuse it unless it is `Secure`,
/// has `Path=/` and no `Domain`: a sibling subdomain cannot plant or overwrite it.
const COOKIE_NAME: &str = "__Host-credman";

/// The one answer to a failed login, whatever the reason (unknown user, wrong password, locked,
/// throttled): telling them apart would let anyone probe which user names exist.
const LOGIN_FAILED: &str = "Invalid username or password.";

/// Who acts through this app in credman's event log (`credman log`).
const ACTOR: &str = "web";

const USAGE: &str = "usage: webapp [--db PATH] [--listen ADDR:PORT]

  --db PATH         the credman database (default: $CREDMAN_DB, else credman's default path);
                    it must exist: make it with `credman init` and `credman user add NAME`
  --listen ADDR     where to listen (default 127.0.0.1:8080; port 0 picks a free one)";

// ---------------------------------------------------------------------------------------------
// The core: log in, and the `login_required` guard.

/// The logged-in user: the counterpart of Flask's `@login_required` decorator. A handler that
/// takes it runs only for a valid session; anyone else is sent to `/login` (303).
struct CurrentUser {
    name: String,
    session: Session,
    token: SessionToken,
}

impl OptionalFromRequestParts<Db> for CurrentUser {
    type Rejection = AppError;

    /// `None` without a cookie or with one credman does not accept (unknown, expired, revoked,
    /// or its user locked: a `credman session revoke` or `user lock` takes effect here at once).
    async fn from_request_parts(parts: &mut Parts, db: &Db) -> Result<Option<Self>, AppError> {
        let Some(token) = session_cookie(&parts.headers) else {
            return Ok(None);
        };
        let (session, token) = db
            .run(move |app| Ok((app.check_session(token.as_str())?, token)))
            .await?;
        Ok(session.map(|session| CurrentUser {
            name: session.user.clone(),
            session,
            token,
        }))
    }
}

impl FromRequestParts<Db> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, db: &Db) -> Result<Self, AppError> {
        <Self as OptionalFromRequestParts<Db>>::from_request_parts(parts, db)
            .await?
            .ok_or(AppError::LoginRequired)
    }
}

/// `POST /login`: check the password (with credman's throttling and hash upgrade) and open a
/// session in the same transaction; answer with the cookie, or with one message for every
/// failure.
async fn login(
    State(db): State<Db>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (username, password) = login_fields(form);
    let options = SessionOptions {
        // The TCP peer, not X-Forwarded-For: any client can write that header.
        ip: Some(peer.ip().to_canonical().to_string()),
        user_agent: user_agent(&headers),
        label: Some(ACTOR.to_owned()),
        ..SessionOptions::default()
    };
    let old = session_cookie(&headers);
    let issued = db
        .run(move |app| {
            let login = app.login(&username, &password, &options)?;
            // A new session at every login; the one this browser had before ends now.
            if login.session.is_some()
                && let Some(old) = old
            {
                app.logout(old.as_str())?;
            }
            Ok(login.session)
        })
        .await?;
    Ok(match issued {
        Some(issued) => logged_in(&issued),
        None => login_refused(),
    })
}

// ---------------------------------------------------------------------------------------------
// The other handlers.

/// `GET /login`: the form, unless this browser is logged in already.
async fn show_login(user: Option<CurrentUser>) -> Response {
    match user {
        Some(_) => Redirect::to("/dashboard").into_response(),
        None => Html(login_page(None)).into_response(),
    }
}

/// `GET /dashboard`: who is signed in, and their active sessions.
async fn dashboard(State(db): State<Db>, user: CurrentUser) -> Result<Html<String>, AppError> {
    let name = user.name.clone();
    let sessions = db
        .run(move |app| {
            let mut sessions = Vec::new();
            app.for_each_session(Some(&name), false, |s| {
                sessions.push(s);
                Ok::<_, credman::Error>(())
            })?;
            Ok(sessions)
        })
        .await?;
    Ok(Html(dashboard_page(&user, &sessions)))
}

/// `POST /sessions/{id}/revoke`: ends one of the user's own sessions (any other id is a 404,
/// whether it exists or not). Revoking the current one logs this browser out.
async fn revoke(
    State(db): State<Db>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (name, target) = (user.name.clone(), id.clone());
    let mine = db
        .run(move |app| {
            // `all`: a session revoked a moment ago (a double click) is still this user's.
            let mut mine = false;
            app.for_each_session(Some(&name), true, |s| {
                mine |= s.id == target;
                Ok::<_, credman::Error>(())
            })?;
            if mine {
                app.revoke_sessions(&[target.as_str()])?;
            }
            Ok(mine)
        })
        .await?;
    if !mine {
        return Err(AppError::NotFound);
    }
    if id == user.session.id {
        return Ok(logged_out());
    }
    Ok(Redirect::to("/dashboard").into_response())
}

/// `POST /logout`: revokes the session server-side (a copied cookie is dead too), then clears
/// the cookie.
async fn logout(State(db): State<Db>, user: CurrentUser) -> Result<Response, AppError> {
    let token = user.token;
    db.run(move |app| app.logout(token.as_str())).await?;
    Ok(logged_out())
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// Sets the session cookie and sends the browser to the dashboard. `Secure` does not stop
/// development over plain HTTP: browsers treat `http://localhost` and `http://127.0.0.1` as a
/// secure context and keep the cookie. It lives until the session's absolute expiry; the idle
/// timeout is enforced by credman.
fn logged_in(issued: &IssuedSession) -> Response {
    let max_age = issued.session.expires_at - issued.session.created_at;
    let cookie = format!(
        "{COOKIE_NAME}={}; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age={max_age}",
        issued.token.as_str()
    );
    ([(SET_COOKIE, cookie)], Redirect::to("/dashboard")).into_response()
}

/// The answer to every failed login: 401 and the form with one message, no cookie. The same
/// body whatever the reason (`login.outcome.denial` is for credman's event log only).
fn login_refused() -> Response {
    let body = login_page(Some(LOGIN_FAILED));
    (StatusCode::UNAUTHORIZED, Html(body)).into_response()
}

/// Clears the cookie and sends the browser to the login page.
fn logged_out() -> Response {
    let clear = format!("{COOKIE_NAME}=; Max-Age=0; HttpOnly; Secure; SameSite=Lax; Path=/");
    ([(SET_COOKIE, clear)], Redirect::to("/login")).into_response()
}

// ---------------------------------------------------------------------------------------------
// Request parsing.

/// The session token from the `Cookie` header: `name=value` pairs separated by `; `
/// (RFC 6265 §4.2.1), parsed by hand rather than with a cookie crate for one cookie. A value
/// that is not shaped like a credman token is ignored without asking the database.
fn session_cookie(headers: &HeaderMap) -> Option<SessionToken> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .and_then(|(_, value)| SessionToken::parse(value))
}

/// The login form's fields, from the decoded pairs (this example has no serde derive). A
/// missing field is empty, and is refused like any wrong password. The password becomes a
/// [`Password`] at once, wiped when it drops: `into_bytes` hands over the decoded string's own
/// buffer, so this makes no copy. (The raw request body belongs to hyper, beyond our reach.)
fn login_fields(form: Vec<(String, String)>) -> (String, Password) {
    let mut username = String::new();
    let mut password = Password::new(Vec::new());
    for (key, value) in form {
        match key.as_str() {
            "username" => username = value,
            "password" => password = Password::new(value.into_bytes()),
            _ => {}
        }
    }
    (username, password)
}

/// The `User-Agent` header, cut to 256 characters (credman bounds it too).
fn user_agent(headers: &HeaderMap) -> Option<String> {
    let value = String::from_utf8_lossy(headers.get(USER_AGENT)?.as_bytes());
    Some(value.chars().take(256).collect())
}

// ---------------------------------------------------------------------------------------------
// Middleware: CSRF and security headers.

/// Refuses a state-changing request that another site made the browser send. The browser sets
/// `Origin` on every POST (and `Referer` as a fallback), and no page can forge either; if it
/// does not name the host this request was sent to, the request is refused before any form is
/// read or credman is asked anything. SameSite=Lax on the cookie is the second line.
async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if !request.method().is_safe() && !same_origin(request.headers()) {
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(request).await
}

/// Whether `Origin` (or, without it, `Referer`) names the `Host` of the request. Browsers omit
/// default ports in both, so host[:port] is compared as text (hosts are case-insensitive).
/// `Origin: null` (a sandboxed frame, a `data:` page) matches nothing.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let source = headers.get(ORIGIN).or_else(|| headers.get(REFERER));
    source
        .and_then(|value| value.to_str().ok())
        .and_then(authority)
        .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// The `host[:port]` of an `http(s)://` URL; `None` for anything else or with user info.
fn authority(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    (!authority.is_empty() && !authority.contains('@')).then_some(authority)
}

/// Headers for every response. `no-store` everywhere: every page here is either behind login
/// or may show an error, and there are no static files to cache.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (X_FRAME_OPTIONS, "DENY"),
        (REFERRER_POLICY, "same-origin"),
        (
            CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; \
             frame-ancestors 'none'",
        ),
        (CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

// ---------------------------------------------------------------------------------------------
// credman handles for blocking tasks.

/// The app's state: a pool of credman handles.
///
/// A [`Credman`] holds one SQLite connection, so it is `Send` but not `Sync`: two requests
/// cannot share one, and each blocking call needs a handle of its own. A pool is the simplest
/// way that is correct: a call pops an idle handle (or opens one), uses it on the blocking
/// thread, and pushes it back. It never holds more handles than calls ever ran at once.
/// (A `thread_local!` per blocking thread would also work, but tokio's blocking threads come and
/// go, idle ones exit after ten seconds, taking their connection with them.)
#[derive(Clone)]
struct Db(Arc<Pool>);

struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Credman>>,
}

impl Db {
    fn new(first: Credman) -> Self {
        let path = first.store().path().to_owned();
        Db(Arc::new(Pool {
            path,
            idle: Mutex::new(vec![first]),
        }))
    }

    /// Runs `f` with a handle of its own on tokio's blocking pool.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Credman) -> credman::Result<T> + Send + 'static,
    ) -> Result<T, AppError> {
        let pool = Arc::clone(&self.0);
        let result = tokio::task::spawn_blocking(move || {
            let app = pool.checkout()?;
            let result = f(&app);
            // Back even after an error: a failed transaction has rolled back, the connection
            // is fine. (After a panic the handle is dropped instead.)
            pool.checkin(app);
            result
        })
        .await
        .map_err(|e| AppError::Internal(format!("a blocking task failed: {e}")))?;
        Ok(result?)
    }
}

impl Pool {
    fn checkout(&self) -> credman::Result<Credman> {
        // The lock guards a push or a pop only, which cannot leave the Vec half done: a
        // poisoned lock is safe to use.
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        match idle {
            Some(app) => Ok(app),
            None => Ok(Credman::open(&self.path, OpenMode::Existing)?.with_actor(ACTOR)),
        }
    }

    fn checkin(&self, app: Credman) {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(app);
    }
}

// ---------------------------------------------------------------------------------------------
// Errors.

/// Why a request ends early; each becomes one response.
enum AppError {
    /// No valid session: the login-required guard's 303 to `/login`.
    LoginRequired,
    NotFound,
    /// A credman error other than a denial (database unavailable, busy, ...): logged for the
    /// operator, a generic page for the client. credman's messages never hold a password, a
    /// token or a hash, so logging them is safe.
    Internal(String),
}

impl From<credman::Error> for AppError {
    fn from(e: credman::Error) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::LoginRequired => Redirect::to("/login").into_response(),
            AppError::NotFound => {
                let body = page(
                    "Not found",
                    "<h1>Not found</h1>\n<p>There is nothing here.</p>",
                );
                (StatusCode::NOT_FOUND, Html(body)).into_response()
            }
            AppError::Internal(what) => {
                eprintln!("webapp: error: {what}");
                let body = page(
                    "Error",
                    "<h1>Something went wrong</h1>\n<p>Please try again in a moment.</p>",
                );
                (StatusCode::INTERNAL_SERVER_ERROR, Html(body)).into_response()
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// HTML.

/// Escapes text for HTML content and quoted attribute values. Hand-written rather than a
/// template crate: the pages are a few small strings, and a template engine would bury the
/// login flow this example is here to show. Everything that did not come from this file (user
/// names, ids, IP addresses, user agents) goes through it.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:56rem;margin:2rem auto;\
padding:0 1rem;color:#222}\
label{display:block;margin-top:.75rem}\
input{font:inherit;padding:.3rem;width:18rem;max-width:100%}\
button{font:inherit;padding:.3rem .9rem;margin-top:.75rem;cursor:pointer}\
#login input,#login button{display:block}\
td button{margin:0}\
#error{color:#a00;font-weight:600}\
table{border-collapse:collapse;width:100%;margin:1rem 0}\
th,td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}\
td{white-space:nowrap}\
td.ua{white-space:normal;overflow-wrap:anywhere;min-width:12rem}\
.current{font-weight:600;color:#060}";

/// A whole HTML5 document; `body` must be HTML already (escaped where it needs to be).
fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · credman</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n\
         </main>\n</body>\n</html>\n",
        escape(title)
    )
}

fn login_page(error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p id=\"error\" role=\"alert\">{}</p>\n", escape(e)))
        .unwrap_or_default();
    let body = format!(
        "<h1>Log in</h1>\n{error}\
         <form id=\"login\" method=\"post\" action=\"/login\">\n\
         <label for=\"username\">User name</label>\n\
         <input id=\"username\" name=\"username\" autocomplete=\"username\">\n\
         <label for=\"password\">Password</label>\n\
         <input id=\"password\" name=\"password\" type=\"password\" \
         autocomplete=\"current-password\">\n\
         <button id=\"login-button\" type=\"submit\">Log in</button>\n\
         </form>"
    );
    page("Log in", &body)
}

fn dashboard_page(user: &CurrentUser, sessions: &[Session]) -> String {
    let mut rows = String::new();
    for s in sessions {
        let id = escape(&s.id);
        let current = if s.id == user.session.id {
            "<td class=\"current\">this session</td>"
        } else {
            "<td></td>"
        };
        rows.push_str(&format!(
            "<tr data-session=\"{id}\"><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"ua\">{}</td>{current}\
             <td><form method=\"post\" action=\"/sessions/{id}/revoke\">\
             <button type=\"submit\">Revoke</button></form></td></tr>\n",
            rfc3339(s.created_at),
            rfc3339(s.last_seen_at),
            escape(s.ip.as_deref().unwrap_or("")),
            escape(s.user_agent.as_deref().unwrap_or("")),
        ));
    }
    let body = format!(
        "<h1 id=\"welcome\">Signed in as {}</h1>\n\
         <h2>Your sessions</h2>\n\
         <table id=\"sessions\">\n\
         <thead><tr><th>Created</th><th>Last seen</th><th>IP</th><th>User agent</th>\
         <th></th><th></th></tr></thead>\n\
         <tbody>\n{rows}</tbody>\n</table>\n\
         <form id=\"logout\" method=\"post\" action=\"/logout\">\
         <button id=\"logout-button\" type=\"submit\">Log out</button></form>",
        escape(&user.name)
    );
    page("Dashboard", &body)
}

// ---------------------------------------------------------------------------------------------
// Start and stop.

struct Args {
    db: PathBuf,
    listen: String,
}

/// `--db PATH --listen ADDR`, by hand: the example depends on the credman library alone.
/// `Ok(None)` means `--help` was asked for.
fn parse_args() -> Result<Option<Args>, String> {
    let (mut db, mut listen) = (None, None);
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value"));
        match arg.to_str() {
            Some("--db") => db = Some(PathBuf::from(value("--db")?)),
            Some("--listen") => {
                let addr = value("--listen")?;
                listen = Some(addr.into_string().map_err(|_| "--listen is not UTF-8")?);
            }
            Some("-h" | "--help") => return Ok(None),
            _ => return Err(format!("unexpected argument '{}'", arg.to_string_lossy())),
        }
    }
    // The same database the CLI finds: --db, else CREDMAN_DB, else credman's default.
    let db = match db.or_else(|| std::env::var_os("CREDMAN_DB").map(PathBuf::from)) {
        Some(db) => db,
        None => credman::default_db_path().map_err(|e| e.to_string())?,
    };
    let listen = listen.unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    Ok(Some(Args { db, listen }))
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("webapp: error: {message}");
    ExitCode::from(2)
}

/// Resolves on Ctrl-C or SIGTERM; the server then finishes the requests in flight and exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    eprintln!("webapp: shutting down");
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => return fail(format_args!("{e} (see --help)")),
    };
    // Open once now, so a missing or foreign database stops us before we listen. (A blocking
    // call on the runtime is fine here: nothing else runs yet.)
    let first = match Credman::open(&args.db, OpenMode::Existing) {
        Ok(app) => app.with_actor(ACTOR),
        Err(credman::Error::NoDatabase(path)) => {
            let db = path.display();
            return fail(format_args!(
                "no database at {db}: make it with `credman --db {db} init` and \
                 `credman --db {db} user add NAME`"
            ));
        }
        Err(e) => return fail(e),
    };
    if let Some(warning) = first.store().permissions_warning() {
        eprintln!("webapp: warning: {warning}");
    }
    let app = Router::new()
        .route("/", get(|| async { Redirect::to("/dashboard") }))
        .route("/login", get(show_login).post(login))
        .route("/dashboard", get(dashboard))
        .route("/sessions/{id}/revoke", post(revoke))
        .route("/logout", post(logout))
        .fallback(not_found)
        // A login form is a few hundred bytes; refuse megabytes before decoding them.
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(from_fn(refuse_cross_site))
        // Outermost, so it covers every response, the 403s and 404s included.
        .layer(map_response(security_headers))
        .with_state(Db::new(first));

    let listener = match tokio::net::TcpListener::bind(&args.listen).await {
        Ok(listener) => listener,
        Err(e) => return fail(format_args!("cannot listen on {}: {e}", args.listen)),
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => return fail(e),
    };
    // The one line on stdout: tests read the port from it.
    println!("listening on http://{addr}");
    std::io::stdout().flush().ok();

    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    match axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}
