//! The console: the programme run from a browser, in Korean and English, with passkeys (issue 17).
//!
//! Server-rendered pages (minijinja templates compiled into the binary) under `/console`, beside the gateway's
//! routes; the only scripts are the vendored files in `static/` (the passkey ceremonies and the ledger proof
//! check), allowed by a strict Content-Security-Policy (`script-src 'self'`, no inline script).
//!
//! Operators and organisation owners sign in with a passkey enrolled from a one-time link (`haetae up` prints
//! an operator's; an operator issues an owner's). An API key never opens a session. Every change goes through
//! the store functions and validators the admin API uses and is recorded in the ledger as the admin API
//! records it (same action labels; the detail names the console user). Pages never show prompt text: the
//! gateway never stores any.

mod actions;
pub mod chart;
mod eval_pages;
pub mod i18n;
mod ledger_page;
mod pages;
pub mod passkey;
mod policy_page;
mod programme_pages;
mod render;
pub mod session;
mod usage_page;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use haetae_gateway::AppState;
use haetae_meter::Clock;
use haetae_store::StoreError;

pub use haetae_store::ConsoleRole;
pub use passkey::issue_enrolment;
pub use session::{SessionUser, Sessions, Timeouts};

use crate::i18n::Lang;
use crate::session::{Current, SESSION_COOKIE};

/// Where the console is mounted.
pub const BASE: &str = "/console";

/// The Content-Security-Policy of every console response: nothing inline, nothing from elsewhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Largest form or ceremony body the console reads.
const MAX_BODY: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("the console's origin is not a URL the passkey ceremony accepts: {0}")]
    Origin(String),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("stale or missing CSRF token")]
    Csrf,
    #[error("{0}")]
    Invalid(String),
    #[error("the ledger cannot record changes")]
    LedgerDown,
    #[error("passkey ceremony failed: {0}")]
    Passkey(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

impl ConsoleError {
    fn status(&self) -> StatusCode {
        match self {
            ConsoleError::NotFound => StatusCode::NOT_FOUND,
            ConsoleError::Forbidden | ConsoleError::Csrf => StatusCode::FORBIDDEN,
            ConsoleError::Invalid(_) | ConsoleError::Passkey(_) => StatusCode::BAD_REQUEST,
            ConsoleError::Store(StoreError::NotFound(_)) => StatusCode::NOT_FOUND,
            ConsoleError::Store(StoreError::Invalid(_)) => StatusCode::BAD_REQUEST,
            ConsoleError::Store(StoreError::Conflict(_)) => StatusCode::CONFLICT,
            ConsoleError::LedgerDown => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<haetae_gateway::error::ApiError> for ConsoleError {
    fn from(e: haetae_gateway::error::ApiError) -> Self {
        match e.status {
            StatusCode::NOT_FOUND => ConsoleError::NotFound,
            StatusCode::FORBIDDEN => ConsoleError::Forbidden,
            StatusCode::SERVICE_UNAVAILABLE => ConsoleError::LedgerDown,
            s if s.is_client_error() => ConsoleError::Invalid(e.message),
            _ => ConsoleError::Internal(e.message),
        }
    }
}

/// Handlers fail with a `ConsoleError`; the session layer turns it into a page in the visitor's language.
#[derive(Clone)]
struct Failure(Arc<ConsoleError>);

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        let mut r = self.status().into_response();
        r.extensions_mut().insert(Failure(Arc::new(self)));
        r
    }
}

/// How the console is reached, for the passkey ceremony: the origin browsers see (`http://localhost:8080`,
/// `https://console.cert.example`) and the relying party id (its host name). An IP address cannot be a
/// relying party id, so a local console is reached as `localhost`.
#[derive(Debug, Clone)]
pub struct ConsoleConfig {
    pub origin: String,
    pub timeouts: Timeouts,
    /// How long an enrolment link works.
    pub enrolment_ttl_secs: i64,
    /// Where the evaluation page finds run logs (`haetae eval run` writes `logs/<suite>-<time>.jsonl` by
    /// default, relative to where it runs, so the default is the same `logs`).
    pub eval_dir: PathBuf,
    /// The release policy the release page decides with; when the file is absent, the shipped policy (as
    /// `haetae release decide` falls back to it).
    pub release_policy: PathBuf,
}

impl ConsoleConfig {
    pub fn new(origin: impl Into<String>) -> Self {
        ConsoleConfig {
            origin: origin.into().trim_end_matches('/').to_string(),
            timeouts: Timeouts::default(),
            enrolment_ttl_secs: 24 * 60 * 60,
            eval_dir: PathBuf::from("logs"),
            release_policy: PathBuf::from(haetae_eval::release::DEFAULT_POLICY_PATH),
        }
    }

    fn secure(&self) -> bool {
        self.origin.starts_with("https://")
    }
}

struct Inner {
    gateway: AppState,
    config: ConsoleConfig,
    webauthn: webauthn_rs::Webauthn,
    sessions: Sessions,
    clock: Arc<dyn Clock>,
    templates: minijinja::Environment<'static>,
}

/// The console: cheap to clone.
#[derive(Clone)]
pub struct Console(Arc<Inner>);

impl Console {
    pub fn new(
        gateway: AppState,
        config: ConsoleConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Console, ConsoleError> {
        let webauthn = passkey::relying_party(&config.origin)?;
        let sessions = Sessions::new(clock.clone(), config.timeouts);
        Ok(Console(Arc::new(Inner {
            gateway,
            config,
            webauthn,
            sessions,
            clock,
            templates: render::environment(),
        })))
    }

    pub fn sessions(&self) -> &Sessions {
        &self.0.sessions
    }

    pub fn config(&self) -> &ConsoleConfig {
        &self.0.config
    }

    pub fn gateway(&self) -> &AppState {
        &self.0.gateway
    }

    fn now_unix(&self) -> i64 {
        i64::try_from(self.0.clock.now_ms() / 1000).unwrap_or(i64::MAX)
    }

    /// The enrolment link for a token, as the person enrolling opens it.
    pub fn enrolment_url(&self, token: &str) -> String {
        format!("{}{BASE}/enrol/{token}", self.0.config.origin)
    }

    /// A session signed in as `user`, for the passkey ceremony's end (and tests, which have no authenticator
    /// in process); returns the cookie's token.
    pub fn sign_in(&self, user: SessionUser) -> String {
        self.0.sessions.open(Some(user)).0
    }

    /// The console's routes, already under [`BASE`], to merge into the gateway's router.
    pub fn router(&self) -> Router {
        let inner = Router::new()
            .merge(pages::routes())
            .merge(programme_pages::routes())
            .merge(usage_page::routes())
            .merge(eval_pages::routes())
            .merge(policy_page::routes())
            .merge(passkey::routes())
            .merge(ledger_page::routes())
            .merge(render::static_routes())
            .fallback(|| async { ConsoleError::NotFound })
            .layer(middleware::from_fn_with_state(self.clone(), session_layer))
            .layer(middleware::from_fn_with_state(
                self.clone(),
                security_headers,
            ))
            .with_state(self.clone());
        // `/console/` (as people type it) is `/console`, which the nested router's `/` serves.
        Router::new().nest(BASE, inner).route(
            &format!("{BASE}/"),
            axum::routing::get(|| async { axum::response::Redirect::to(BASE) }),
        )
    }
}

/// What a handler knows about the request beyond its parameters: the session and the language.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub current: Current,
    pub lang: Lang,
    /// The path as requested (for the language switch's way back).
    pub path: String,
    /// The visitor's signed-in session ended by idle timeout just now.
    pub idle_expired: bool,
}

impl Ctx {
    pub fn user(&self) -> Option<&SessionUser> {
        self.current.session.user.as_ref()
    }
}

/// A response that replaces the visitor's session (sign-in, sign-out): the new cookie token, or `None` to clear.
#[derive(Clone)]
pub(crate) struct NewSession(pub Option<String>);

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

fn session_cookie(config: &ConsoleConfig, token: Option<&str>) -> HeaderValue {
    let secure = if config.secure() { "; Secure" } else { "" };
    let value = match token {
        Some(t) => format!("{SESSION_COOKIE}={t}; Path={BASE}; HttpOnly; SameSite=Strict{secure}"),
        None => {
            format!("{SESSION_COOKIE}=; Path={BASE}; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
        }
    };
    // Tokens are hex, so the value is always a valid header value.
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(""))
}

/// Finds (or opens) the visitor's session, re-checks a signed-in one against the store (a revoked passkey or
/// a disabled user ends it, whichever replica revoked it), refuses a POST without the session's CSRF token,
/// and renders failures in the visitor's language.
async fn session_layer(State(console): State<Console>, request: Request, next: Next) -> Response {
    let lang = Lang::from_headers(request.headers());
    // Inside the nested router the URI has lost its `/console` prefix; the switch link needs the full path.
    let path = request
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map_or_else(
            || request.uri().path().to_string(),
            |u| u.path().to_string(),
        );
    let presented = session::cookie(request.headers(), SESSION_COOKIE);
    let mut idle_expired = false;
    let mut set_cookie: Option<String> = None;
    let mut current = match presented.as_deref().map(|t| console.0.sessions.touch(t)) {
        Some(Ok(c)) => Some(c),
        Some(Err(session::Lookup::Expired)) => {
            idle_expired = true;
            None
        }
        _ => None,
    };
    if let Some(c) = &current
        && let Some(user) = &c.session.user
        && !still_valid(&console, user).await
    {
        console.0.sessions.close(&c.token_hash);
        current = None;
    }
    let current = match current {
        Some(c) => c,
        None => {
            let (token, c) = console.0.sessions.open(None);
            set_cookie = Some(token);
            c
        }
    };
    let (parts, body) = request.into_parts();
    let body = if parts.method == Method::POST {
        let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
            Ok(b) => b,
            Err(_) => {
                return render::error_page(
                    &console,
                    lang,
                    &ConsoleError::Invalid("body too large".into()),
                );
            }
        };
        let presented = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| form_field(&bytes, "csrf"));
        let fresh = set_cookie.is_none()
            && presented
                .as_deref()
                .is_some_and(|p| session::tokens_equal(p, &current.session.csrf));
        if !fresh {
            let mut r = render::error_page(&console, lang, &ConsoleError::Csrf);
            if let Some(t) = &set_cookie {
                r.headers_mut().append(
                    header::SET_COOKIE,
                    session_cookie(&console.0.config, Some(t)),
                );
            }
            return r;
        }
        axum::body::Body::from(bytes)
    } else {
        body
    };
    let signed_in = current.session.user.is_some();
    let mut request = Request::from_parts(parts, body);
    request.extensions_mut().insert(Ctx {
        current,
        lang,
        path,
        idle_expired,
    });
    let mut response = next.run(request).await;
    if let Some(Failure(e)) = response.extensions().get::<Failure>().cloned() {
        response = if matches!(*e, ConsoleError::Forbidden) && !signed_in {
            // Not signed in (or signed out by the idle timeout just now): the sign-in page, saying why.
            let to = if idle_expired {
                format!("{BASE}/signin?idle=1")
            } else {
                format!("{BASE}/signin")
            };
            axum::response::Redirect::to(&to).into_response()
        } else {
            render::error_page(&console, lang, &e)
        };
    }
    if let Some(NewSession(token)) = response.extensions().get::<NewSession>().cloned() {
        set_cookie = None;
        response.headers_mut().append(
            header::SET_COOKIE,
            session_cookie(&console.0.config, token.as_deref()),
        );
    }
    if let Some(t) = &set_cookie {
        response.headers_mut().append(
            header::SET_COOKIE,
            session_cookie(&console.0.config, Some(t)),
        );
    }
    response
}

/// A signed-in session stays open only while its user is enabled, its passkey unrevoked and, for an owner,
/// the member is still an owner of that organisation.
async fn still_valid(console: &Console, user: &SessionUser) -> bool {
    let store = &console.0.gateway.store;
    let Ok(Some(record)) = store.console_user(&user.user_id).await else {
        return false;
    };
    if record.disabled_at.is_some() {
        return false;
    }
    match store.passkey(&user.passkey_id).await {
        Ok(Some(p)) if p.revoked_at.is_none() && p.user_id == user.user_id => {}
        _ => return false,
    }
    if user.role == ConsoleRole::Owner {
        let Some(member_id) = &user.member_id else {
            return false;
        };
        match store.get_member(member_id).await {
            Ok(m) => m.role == haetae_core::Role::Owner && Some(&m.org_id) == user.org_id.as_ref(),
            Err(_) => false,
        }
    } else {
        true
    }
}

/// One field of a urlencoded form body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded_pairs(body)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn serde_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    let Ok(text) = std::str::from_utf8(body) else {
        return Vec::new();
    };
    text.split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_decode() {
        assert_eq!(
            form_field(b"a=1&csrf=ab%20c+d&x", "csrf").as_deref(),
            Some("ab c d")
        );
        assert_eq!(form_field(b"csrf=%ZZ", "csrf"), None);
        assert_eq!(form_field(b"\xff", "csrf"), None);
    }
}
