//! The console in process: the gateway's router with the console merged in (as `haetae up` serves it), tower
//! `oneshot`, SQLite in memory, a real ledger in a temporary directory and a clock the tests move.
//!
//! There is no authenticator in process, so sessions are opened with `Console::sign_in` for a user whose
//! passkey record is in the store (enrolled through the store's one-time link path); the ceremony itself is
//! exercised up to the browser's part (the options it answers) and end to end by the Chromium test.

// A test file: its helpers fail the test loudly, as its #[test] functions do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use haetae_console::session::hash_token;
use haetae_console::{CSP, Console, ConsoleConfig, ConsoleRole, SessionUser, issue_enrolment};
use haetae_core::{Role, VettingState};
use haetae_gateway::stages::record::Recorder;
use haetae_gateway::{AppState, Backends, GatewayOptions};
use haetae_ledger::{CommitKey, DigestKey, Ledger, LedgerConfig, NoteSigner};
use haetae_meter::ManualClock;
use haetae_store::{NewEngagement, NewEvidence, NewMember, NewOrganisation, Store};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

const T0_MS: u64 = 1_790_000_000_000;

struct Org {
    id: String,
    name: String,
    owner: String,
    analyst: String,
    key_id: String,
    key: String,
    engagement: String,
}

struct World {
    app: Router,
    console: Console,
    store: Store,
    ledger: Ledger,
    clock: ManualClock,
    a: Org,
    b: Org,
    /// Where the evaluation pages read run logs.
    evals: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

async fn org(store: &Store, name: &str) -> Org {
    let org = store
        .create_org(&NewOrganisation {
            name: name.into(),
            country: "KR".into(),
            sector: "cert".into(),
            tier: Some("trusted".into()),
        })
        .await
        .expect("org");
    store
        .record_vetting(
            &org.id,
            &NewEvidence {
                reviewer: "setup".into(),
                checked: "registry".into(),
                decision: VettingState::Verified,
                notes: String::new(),
                expires_at: None,
            },
        )
        .await
        .expect("vetting");
    let member = |identity: &str, role| NewMember {
        identity: identity.into(),
        display_name: identity.into(),
        role,
        identity_verified: true,
    };
    let owner = store
        .add_member(&org.id, &member(&format!("owner@{name}"), Role::Owner))
        .await
        .expect("owner");
    let analyst = store
        .add_member(&org.id, &member(&format!("analyst@{name}"), Role::Analyst))
        .await
        .expect("analyst");
    let (info, secret) = store
        .issue_key(&analyst.id, "laptop", None)
        .await
        .expect("key");
    let now = haetae_core::now_unix();
    let engagement = store
        .register_engagement(
            &org.id,
            &NewEngagement {
                name: format!("{name} pentest"),
                targets: vec![format!("*.{}.example", name.to_lowercase())],
                valid_from: now,
                valid_until: now + 86_400,
                registered_by: owner.id.clone(),
            },
        )
        .await
        .expect("engagement");
    Org {
        id: org.id,
        name: name.into(),
        owner: owner.id,
        analyst: analyst.id,
        key_id: info.id,
        key: secret.full,
        engagement: engagement.id,
    }
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite:file:console-{}?mode=memory&cache=shared",
        haetae_core::new_id()
    );
    let store = Store::connect(&url).await.expect("store");
    store.ensure_default_tiers().await.expect("tiers");
    let a = org(&store, "Alpha").await;
    let b = org(&store, "Bravo").await;
    let signer = NoteSigner::generate("test.example/ledger").expect("signer");
    let verifier = signer.verifier().to_string();
    let ledger = Ledger::open(dir.path(), LedgerConfig::new(signer)).expect("ledger");
    let recorder = Recorder::new(
        ledger.clone(),
        Arc::new(DigestKey::generate("d1").expect("digest key")),
        Arc::new(CommitKey::generate("c1").expect("commit key")),
    );
    let options = GatewayOptions {
        max_body_bytes: 64 * 1024,
        request_timeout: Duration::from_secs(30),
    };
    let state =
        AppState::new(store.clone(), Backends::default(), options).with_ledger(recorder, verifier);
    let clock = ManualClock::new(T0_MS);
    let evals = dir.path().join("evals");
    let mut config = ConsoleConfig::new("http://localhost:8080");
    config.eval_dir = evals.clone();
    let console = Console::new(state.clone(), config, Arc::new(clock.clone())).expect("console");
    let app = haetae_gateway::router(state).merge(console.router());
    World {
        evals,
        app,
        console,
        store,
        ledger,
        clock,
        a,
        b,
        _dir: dir,
    }
}

/// Enrols a user through a one-time link (with a stand-in passkey record: the store does not read it) and
/// opens a session for them; returns the cookie header and the passkey id.
async fn signed_in(w: &World, name: &str, owner_of: Option<&Org>) -> (String, String) {
    signed_in_on(w, &w.console, name, owner_of).await
}

/// [`signed_in`] on a console other than the world's own (one built over a different gateway state).
async fn signed_in_on(
    w: &World,
    console: &Console,
    name: &str,
    owner_of: Option<&Org>,
) -> (String, String) {
    let role = if owner_of.is_some() {
        ConsoleRole::Owner
    } else {
        ConsoleRole::Operator
    };
    let now = (w.clock.now_ms_for_tests() / 1000) as i64;
    let token = issue_enrolment(
        &w.store,
        role,
        name,
        owner_of.map(|o| (o.owner.as_str(), o.id.as_str())),
        "test",
        now,
        3600,
    )
    .await
    .expect("link");
    let passkey_id = format!("cred-{name}");
    let user = w
        .store
        .complete_enrolment(
            &hash_token(&token),
            now,
            &passkey_id,
            "{}",
            &uuid::Uuid::new_v4().to_string(),
        )
        .await
        .expect("enrolment");
    let session = console.sign_in(SessionUser {
        user_id: user.id,
        name: user.name,
        role: user.role,
        org_id: user.org_id,
        member_id: user.member_id,
        passkey_id: passkey_id.clone(),
    });
    (format!("haetae_console={session}"), passkey_id)
}

trait ClockExt {
    fn now_ms_for_tests(&self) -> u64;
}

impl ClockExt for ManualClock {
    fn now_ms_for_tests(&self) -> u64 {
        haetae_meter::Clock::now_ms(self)
    }
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn csrf(&self) -> String {
        let at = self
            .body
            .find(r#"name="csrf-token" content=""#)
            .unwrap_or_else(|| panic!("no CSRF token in {}", self.body));
        let rest = &self.body[at + r#"name="csrf-token" content=""#.len()..];
        rest[..rest.find('"').expect("end")].to_string()
    }

    fn location(&self) -> &str {
        self.headers["location"].to_str().expect("location")
    }

    fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().expect("cookie").to_string())
            .collect()
    }
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        headers,
        // minijinja escapes `/` in HTML; the tests read text as a browser shows it.
        body: String::from_utf8_lossy(&body).replace("&#x2f;", "/"),
    }
}

async fn get(w: &World, uri: &str, cookie: Option<&str>) -> Reply {
    let mut r = Request::get(uri);
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    send(&w.app, r.body(Body::empty()).expect("request")).await
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn post(w: &World, uri: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Reply {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut r = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    send(&w.app, r.body(Body::from(body)).expect("request")).await
}

/// The CSRF token of a session, from a page it renders.
async fn csrf(w: &World, cookie: &str) -> String {
    get(w, "/console/ledger", Some(cookie)).await.csrf()
}

fn ledger_actions(ledger: &Ledger) -> Vec<String> {
    (0..ledger.size())
        .map(|i| ledger.entry(i).expect("entry").action)
        .collect()
}

#[tokio::test]
async fn headers_cookie_and_language() {
    let w = world().await;
    let r = get(&w, "/console/signin", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["content-security-policy"], CSP);
    assert_eq!(r.headers["x-frame-options"], "DENY");
    let cookie = &r.set_cookies()[0];
    for attr in [
        "haetae_console=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/console",
    ] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    assert!(r.body.contains(r#"<html lang="en">"#));
    assert!(r.body.contains("Sign in with a passkey"));
    assert!(!r.body.contains("<script>"), "no inline script");

    // Accept-Language picks Korean.
    let ko = send(
        &w.app,
        Request::get("/console/signin")
            .header("accept-language", "ko-KR,ko;q=0.9,en;q=0.5")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(ko.body.contains(r#"<html lang="ko">"#));
    assert!(ko.body.contains("패스키로 로그인"));

    // The switch link sets the cookie, which outranks Accept-Language, and goes back only to a console page.
    let switch = get(&w, "/console/lang/en?next=%2Fconsole%2Fsignin", None).await;
    assert_eq!(switch.status, 303);
    assert_eq!(switch.location(), "/console/signin");
    assert!(
        switch
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("lang=en"))
    );
    let en = send(
        &w.app,
        Request::get("/console/signin")
            .header("accept-language", "ko")
            .header("cookie", "lang=en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(en.body.contains(r#"<html lang="en">"#));
    for evil in [
        "//evil.example/",
        "https://evil.example/",
        "/console/..//evil",
    ] {
        let r = get(&w, &format!("/console/lang/ko?next={}", encode(evil)), None).await;
        assert_eq!(r.location(), "/console", "{evil}");
    }

    // The vendored scripts are served from the gateway itself.
    let js = get(&w, "/console/static/passkey.js", None).await;
    assert_eq!(js.status, 200);
    assert!(
        js.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
}

#[tokio::test]
async fn an_api_key_never_opens_a_session() {
    let w = world().await;
    let admin = w.store.issue_admin_key("test").await.expect("admin key");
    for key in [w.a.key.as_str(), admin.full.as_str()] {
        let r = send(
            &w.app,
            Request::get("/console/overview")
                .header("authorization", format!("Bearer {key}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, 303, "{key}");
        assert_eq!(r.location(), "/console/signin", "{key}");
    }
    let home = get(&w, "/console", None).await;
    assert_eq!(home.location(), "/console/signin");
    assert_eq!(get(&w, "/console/", None).await.location(), "/console");
}

#[tokio::test]
async fn operator_vets_issues_and_revokes_through_the_ledger() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    let overview = get(&w, "/console/overview", Some(&op)).await;
    assert_eq!(overview.status, 200, "{}", overview.body);
    assert!(
        overview.body.contains(r#"data-state="verified">2<"#),
        "{}",
        overview.body
    );
    let token = overview.csrf();
    let before = w.ledger.size();

    let r = post(
        &w,
        &format!("/console/orgs/{}/vetting", w.a.id),
        Some(&op),
        &[
            ("csrf", token.as_str()),
            ("decision", "suspended"),
            ("checked", "contract lapsed"),
            ("notes", ""),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let org = w.store.get_org(&w.a.id).await.unwrap();
    assert_eq!(org.vetting_state, VettingState::Suspended);
    let evidence = w.store.list_evidence(&w.a.id).await.unwrap();
    assert_eq!(evidence.last().unwrap().reviewer, "operator");

    let issued = post(
        &w,
        "/console/keys",
        Some(&op),
        &[
            ("csrf", token.as_str()),
            ("member_id", w.b.analyst.as_str()),
            ("label", "new"),
        ],
    )
    .await;
    assert_eq!(issued.status, 200, "{}", issued.body);
    assert!(issued.body.contains("hk_"), "the key is shown once");
    assert_eq!(issued.headers["cache-control"], "no-store");

    let r = post(
        &w,
        &format!("/console/keys/{}/revoke", w.b.key_id),
        Some(&op),
        &[("csrf", token.as_str())],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        w.store
            .get_key(&w.b.key_id)
            .await
            .unwrap()
            .revoked_at
            .is_some()
    );

    let actions = ledger_actions(&w.ledger);
    assert_eq!(
        &actions[before as usize..],
        [
            "admin POST /admin/v1/orgs/{org}/vetting",
            "admin POST /admin/v1/keys",
            "admin POST /admin/v1/keys/{id}/revoke",
        ]
    );
}

#[tokio::test]
async fn stale_missing_or_foreign_csrf_tokens_are_refused() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    let token = csrf(&w, &op).await;
    let (other, _) = signed_in(&w, "operator2", None).await;
    let foreign = csrf(&w, &other).await;
    let uri = format!("/console/keys/{}/revoke", w.a.key_id);
    for (why, form) in [
        ("missing", vec![]),
        ("another session's", vec![("csrf", foreign.as_str())]),
        ("altered", vec![("csrf", "0")]),
    ] {
        let r = post(&w, &uri, Some(&op), &form).await;
        assert_eq!(r.status, 403, "{why}");
        assert!(r.body.contains("out of date"), "{why}: {}", r.body);
    }
    // A token from before the session ended (signed out) is stale.
    let out = post(
        &w,
        "/console/signout",
        Some(&op),
        &[("csrf", token.as_str())],
    )
    .await;
    assert_eq!(out.status, 303);
    assert!(out.set_cookies().iter().any(|c| c.contains("Max-Age=0")));
    let r = post(&w, &uri, Some(&op), &[("csrf", token.as_str())]).await;
    assert_eq!(r.status, 403);
    // An anonymous visitor's token opens nothing either: no change was made.
    let anon = get(&w, "/console/signin", None).await;
    let anon_cookie = anon.set_cookies()[0].split(';').next().unwrap().to_string();
    let r = post(
        &w,
        &uri,
        Some(&anon_cookie),
        &[("csrf", anon.csrf().as_str())],
    )
    .await;
    assert_eq!(r.status, 303, "sent to sign in");
    assert!(
        w.store
            .get_key(&w.a.key_id)
            .await
            .unwrap()
            .revoked_at
            .is_none()
    );
}

#[tokio::test]
async fn owners_see_and_change_only_their_organisation() {
    let w = world().await;
    let (owner, _) = signed_in(&w, "owner-a", Some(&w.a)).await;
    let home = get(&w, "/console", Some(&owner)).await;
    assert_eq!(home.location(), "/console/org");
    let page = get(&w, "/console/org", Some(&owner)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&w.a.name) && page.body.contains(&w.a.key_id));
    assert!(!page.body.contains(&w.b.name) && !page.body.contains(&w.b.key_id));
    let token = page.csrf();

    for uri in [
        "/console/overview".to_string(),
        format!("/console/orgs/{}", w.b.id),
        format!("/console/orgs/{}", w.a.id),
        "/console/reviews".to_string(),
        "/console/people".to_string(),
    ] {
        assert_eq!(get(&w, &uri, Some(&owner)).await.status, 403, "{uri}");
    }
    // Another organisation's records are "not found", and untouched.
    let r = post(
        &w,
        &format!("/console/org/engagements/{}/revoke", w.b.engagement),
        Some(&owner),
        &[("csrf", token.as_str())],
    )
    .await;
    assert_eq!(r.status, 404);
    assert!(
        w.store
            .get_engagement(&w.b.engagement)
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_none()
    );
    let r = post(
        &w,
        &format!("/console/org/keys/{}/revoke", w.b.key_id),
        Some(&owner),
        &[("csrf", token.as_str())],
    )
    .await;
    assert_eq!(r.status, 404);
    assert!(
        w.store
            .get_key(&w.b.key_id)
            .await
            .unwrap()
            .revoked_at
            .is_none()
    );
    // Operator actions are refused to an owner.
    let r = post(
        &w,
        &format!("/console/orgs/{}/vetting", w.a.id),
        Some(&owner),
        &[
            ("csrf", token.as_str()),
            ("decision", "verified"),
            ("checked", "x"),
        ],
    )
    .await;
    assert_eq!(r.status, 403);

    // Their own: register an engagement (decided by the policy, recorded), revoke one, revoke a member's key.
    let before = w.ledger.size();
    let r = post(
        &w,
        "/console/org/engagements",
        Some(&owner),
        &[
            ("csrf", token.as_str()),
            ("name", "web app test"),
            ("targets", "app.alpha.example\n*.api.alpha.example"),
            ("valid_days", "14"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mine = w
        .store
        .list_engagements(&w.a.id, &haetae_store::Page::first(10))
        .await
        .unwrap();
    assert!(
        mine.data
            .iter()
            .any(|e| e.name == "web app test" && e.registered_by == w.a.owner)
    );
    let r = post(
        &w,
        &format!("/console/org/engagements/{}/revoke", w.a.engagement),
        Some(&owner),
        &[("csrf", token.as_str())],
    )
    .await;
    assert_eq!(r.status, 303);
    let r = post(
        &w,
        &format!("/console/org/keys/{}/revoke", w.a.key_id),
        Some(&owner),
        &[("csrf", token.as_str())],
    )
    .await;
    assert_eq!(r.status, 303);
    assert!(
        w.store
            .get_key(&w.a.key_id)
            .await
            .unwrap()
            .revoked_at
            .is_some()
    );
    assert_eq!(
        &ledger_actions(&w.ledger)[before as usize..],
        ["engagements.register", "engagements.revoke", "keys.revoke"]
    );
    // An over-broad scope is refused by the same validation as the member API's.
    let r = post(
        &w,
        "/console/org/engagements",
        Some(&owner),
        &[
            ("csrf", token.as_str()),
            ("name", "everything"),
            ("targets", "*"),
            ("valid_days", "14"),
        ],
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
}

#[tokio::test]
async fn idle_sessions_end_on_the_clock() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    assert_eq!(get(&w, "/console/overview", Some(&op)).await.status, 200);
    w.clock.advance_ms(14 * 60 * 1000);
    assert_eq!(get(&w, "/console/overview", Some(&op)).await.status, 200);
    w.clock.advance_ms(15 * 60 * 1000);
    let r = get(&w, "/console/overview", Some(&op)).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/console/signin?idle=1");
    // The visitor gets a fresh anonymous session, and the sign-in page says why they were signed out.
    assert!(
        r.set_cookies()
            .iter()
            .any(|c| c.starts_with("haetae_console="))
    );
    let r = get(&w, r.location(), Some(&op)).await;
    assert!(
        r.body
            .contains("signed out after a period without activity"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn revoking_a_passkey_closes_its_session() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    let (owner, owner_passkey) = signed_in(&w, "owner-a", Some(&w.a)).await;
    let (owner2, owner2_passkey) = signed_in(&w, "owner-b", Some(&w.b)).await;
    assert_eq!(get(&w, "/console/org", Some(&owner)).await.status, 200);
    let people = get(&w, "/console/people", Some(&op)).await;
    assert!(people.body.contains(&owner_passkey));
    let r = post(
        &w,
        &format!("/console/passkeys/{owner_passkey}/revoke"),
        Some(&op),
        &[("csrf", people.csrf().as_str())],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Signed out: sent to sign in again.
    assert_eq!(get(&w, "/console/org", Some(&owner)).await.status, 303);
    // Revoked elsewhere (another replica, the store directly): closed at the next request.
    assert_eq!(get(&w, "/console/org", Some(&owner2)).await.status, 200);
    w.store.revoke_passkey(&owner2_passkey).await.unwrap();
    assert_eq!(get(&w, "/console/org", Some(&owner2)).await.status, 303);
    // The operator's own session is untouched.
    assert_eq!(get(&w, "/console/overview", Some(&op)).await.status, 200);
}

#[tokio::test]
async fn enrolment_links_are_one_time_and_start_a_webauthn_ceremony() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    let org = get(&w, &format!("/console/orgs/{}", w.a.id), Some(&op)).await;
    // Only a member whose role is owner gets an owner's link.
    let r = post(
        &w,
        &format!("/console/orgs/{}/owner-link", w.a.id),
        Some(&op),
        &[
            ("csrf", org.csrf().as_str()),
            ("member_id", w.a.analyst.as_str()),
        ],
    )
    .await;
    assert_eq!(r.status, 400);
    let r = post(
        &w,
        &format!("/console/orgs/{}/owner-link", w.a.id),
        Some(&op),
        &[
            ("csrf", org.csrf().as_str()),
            ("member_id", w.a.owner.as_str()),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let at = r
        .body
        .find("http://localhost:8080/console/enrol/")
        .expect("link shown");
    let link = &r.body[at + "http://localhost:8080".len()..];
    let link = &link[..link.find('<').unwrap()];
    let token = link.rsplit('/').next().unwrap().to_string();

    // The link's page, then the ceremony's first half as a browser sees it.
    let visitor = get(&w, link, None).await;
    assert_eq!(visitor.status, 200);
    assert!(visitor.body.contains("owner@Alpha"), "{}", visitor.body);
    let cookie = visitor.set_cookies()[0]
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let begin = send(
        &w.app,
        Request::post(format!("{link}/begin"))
            .header("cookie", cookie.as_str())
            .header("x-csrf-token", visitor.csrf())
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(begin.status, 200, "{}", begin.body);
    let options: serde_json::Value = serde_json::from_str(&begin.body).unwrap();
    assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
    assert_eq!(options["publicKey"]["user"]["name"], "owner@Alpha");
    assert!(options["publicKey"]["challenge"].as_str().unwrap().len() >= 22);
    // Without the session's CSRF token the ceremony does not start.
    let refused = send(
        &w.app,
        Request::post(format!("{link}/begin"))
            .header("cookie", cookie.as_str())
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(refused.status, 403);

    // Used once, the link is spent; an unknown token is not a link.
    let now = (w.clock.now_ms_for_tests() / 1000) as i64;
    let hash = hash_token(&token);
    let uid = uuid::Uuid::new_v4().to_string();
    w.store
        .complete_enrolment(&hash, now, "cred-1", "{}", &uid)
        .await
        .unwrap();
    assert!(
        w.store
            .complete_enrolment(&hash, now, "cred-2", "{}", &uid)
            .await
            .is_err()
    );
    assert!(
        get(&w, link, None)
            .await
            .body
            .contains("already used or expired")
    );
    assert!(
        get(&w, "/console/enrol/zz", None)
            .await
            .body
            .contains("already used or expired")
    );
    // Sign-in for a name without a passkey gives no challenge.
    let anon = get(&w, "/console/signin", None).await;
    let anon_cookie = anon.set_cookies()[0].split(';').next().unwrap().to_string();
    let r = send(
        &w.app,
        Request::post("/console/signin/begin")
            .header("cookie", anon_cookie.as_str())
            .header("x-csrf-token", anon.csrf())
            .header("content-type", "application/json")
            .body(Body::from(r#"{"name":"nobody"}"#))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn review_items_are_claimed_and_resolved() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    let (item, _) = w
        .store
        .file_signal(haetae_meter::misuse::Signal::policy_review(
            T0_MS,
            &w.a.id,
            &w.a.key_id,
            "req_0123456789abcdef",
            "mock-1",
            vec!["review.exploit".into()],
            vec!["exploit_development".into()],
        ))
        .await
        .unwrap();
    let id = item.id.simple().to_string();
    let list = get(&w, "/console/reviews?state=open", Some(&op)).await;
    assert!(list.body.contains(&id), "{}", list.body);
    let token = list.csrf();
    let r = post(
        &w,
        &format!("/console/reviews/{id}/claim"),
        Some(&op),
        &[("csrf", token.as_str())],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post(
        &w,
        &format!("/console/reviews/{id}/resolve"),
        Some(&op),
        &[
            ("csrf", token.as_str()),
            ("action", "dismiss"),
            ("note", "authorised test"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = get(&w, &format!("/console/reviews/{id}"), Some(&op)).await;
    assert!(
        page.body.contains(r#"id="review-state">resolved<"#),
        "{}",
        page.body
    );
    let actions = ledger_actions(&w.ledger);
    assert!(actions.contains(&"admin POST /admin/v1/reviews/{id}/claim".to_string()));
    assert!(actions.contains(&"admin POST /admin/v1/reviews/{id}/resolve".to_string()));
}

#[tokio::test]
async fn the_ledger_page_is_public_and_lists_entries() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    let token = csrf(&w, &op).await;
    post(
        &w,
        &format!("/console/keys/{}/revoke", w.a.key_id),
        Some(&op),
        &[("csrf", token.as_str())],
    )
    .await;
    let page = get(&w, "/console/ledger", None).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("test.example/ledger"),
        "the checkpoint: {}",
        page.body
    );
    assert!(page.body.contains("admin POST /admin/v1/keys/{id}/revoke"));
    assert!(page.body.contains(r#"src="/console/static/ledger.js""#));
    // Nothing committed is shown in clear: the organisation's name never reaches the ledger's public part.
    assert!(!page.body.contains(&w.a.name));
}

/// A GET in Korean (the language cookie, as the switch link sets it).
async fn get_ko(w: &World, uri: &str, cookie: &str) -> Reply {
    get(w, uri, Some(&format!("{cookie}; lang=ko"))).await
}

/// The text of the page's first `<h1>`.
fn h1(body: &str) -> &str {
    let start = body.find("<h1>").map_or(0, |i| i + 4);
    &body[start..start + body[start..].find("</h1>").unwrap_or(0)]
}

#[tokio::test]
async fn operator_pages_render_in_both_languages_and_only_for_operators() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    let (owner, _) = signed_in(&w, "owner-a", Some(&w.a)).await;
    for (uri, en, ko) in [
        ("/console/keys", "API keys", "API 키"),
        ("/console/models", "Model catalogue", "모델 카탈로그"),
        ("/console/limits", "Limits", "한도"),
        ("/console/usage", "Usage", "사용량"),
        ("/console/evals", "Evaluation runs", "평가 실행"),
        ("/console/release", "Release decision", "출시 판정"),
        ("/console/policies", "Access policies", "접근 정책"),
    ] {
        let page = get(&w, uri, Some(&op)).await;
        assert_eq!(page.status, 200, "{uri}: {}", page.body);
        assert!(h1(&page.body).starts_with(en), "{uri}: {}", h1(&page.body));
        assert!(page.body.contains(r#"<html lang="en">"#), "{uri}");
        assert!(!page.body.contains("style="), "{uri}: no inline style");
        let korean = get_ko(&w, uri, &op).await;
        assert_eq!(korean.status, 200, "{uri}");
        assert!(
            h1(&korean.body).starts_with(ko),
            "{uri}: {}",
            h1(&korean.body)
        );
        assert!(korean.body.contains(r#"<html lang="ko">"#), "{uri}");
        // Every data table says what it is to a screen reader.
        assert_eq!(
            korean.body.matches("<table>").count(),
            korean.body.matches("<caption>").count(),
            "{uri}: a table without a caption"
        );
        assert_eq!(get(&w, uri, Some(&owner)).await.status, 403, "{uri}");
        assert_eq!(
            get(&w, uri, None).await.location(),
            "/console/signin",
            "{uri}"
        );
    }
}

#[tokio::test]
async fn keys_page_paginates_filters_and_revokes() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    for i in 0..120 {
        w.store
            .issue_key(&w.a.analyst, &format!("bulk-{i}"), None)
            .await
            .unwrap();
    }
    let first = get(&w, "/console/keys", Some(&op)).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body.matches("<th scope=\"row\"><code>").count(), 100);
    let at = first
        .body
        .find("/console/keys?after=")
        .expect("a next page");
    let next = &first.body[at..];
    let next = next[..next.find('"').unwrap()].replace("&amp;", "&");
    let second = get(&w, &next, Some(&op)).await;
    // 122 keys: the two of the world and 120 more.
    assert_eq!(second.body.matches("<th scope=\"row\"><code>").count(), 22);
    assert!(!second.body.contains("/console/keys?after="));

    let bravo = get(&w, "/console/keys?org=Bravo", Some(&op)).await;
    assert!(bravo.body.contains(&w.b.key_id) && !bravo.body.contains(&w.a.key_id));
    assert_eq!(
        get(&w, "/console/keys?org=nobody", Some(&op)).await.status,
        404
    );

    let token = bravo.csrf();
    let r = post(
        &w,
        &format!("/console/keys/{}/revoke", w.b.key_id),
        Some(&op),
        &[("csrf", token.as_str())],
    )
    .await;
    assert_eq!(r.status, 303);
    let after = get(&w, "/console/keys?org=Bravo", Some(&op)).await;
    assert!(after.body.contains(">revoked<"), "{}", after.body);
}

#[tokio::test]
async fn model_minimum_tier_and_organisation_limits_change_through_the_ledger() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    w.store
        .upsert_model(&haetae_store::NewModel {
            name: "gpt-sec".into(),
            backend: "mock".into(),
            upstream_model: "gpt-sec-1".into(),
            min_tier: "trusted".into(),
            description: "security model".into(),
        })
        .await
        .unwrap();
    let page = get(&w, "/console/models", Some(&op)).await;
    assert!(
        page.body
            .contains(r#"data-min-tier="gpt-sec">trusted (Rank 20)"#),
        "{}",
        page.body
    );
    let token = page.csrf();
    let r = post(
        &w,
        "/console/models/gpt-sec/min-tier",
        Some(&op),
        &[("csrf", token.as_str()), ("min_tier", "verified")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let model = w.store.get_model("gpt-sec").await.unwrap().unwrap();
    assert_eq!(model.min_tier, "verified");
    assert_eq!(model.upstream_model, "gpt-sec-1");
    // A tier that does not exist changes nothing.
    let r = post(
        &w,
        "/console/models/gpt-sec/min-tier",
        Some(&op),
        &[("csrf", token.as_str()), ("min_tier", "nobody")],
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        w.store
            .get_model("gpt-sec")
            .await
            .unwrap()
            .unwrap()
            .min_tier,
        "verified"
    );

    let limits = get(&w, "/console/limits", Some(&op)).await;
    assert!(limits.body.contains("government") && limits.body.contains("Requests per minute"));
    let r = post(
        &w,
        &format!("/console/orgs/{}/limits", w.a.id),
        Some(&op),
        &[
            ("csrf", token.as_str()),
            ("requests_per_minute", "60"),
            ("tokens_per_day", " 100000 "),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let q = w.store.org_limits(&w.a.id).await.unwrap();
    assert_eq!(q.requests_per_minute, Some(60));
    assert_eq!(q.tokens_per_day, Some(100_000));
    assert_eq!(q.requests_per_day, None);
    let org_page = get(&w, &format!("/console/orgs/{}", w.a.id), Some(&op)).await;
    assert!(
        org_page
            .body
            .contains(r#"name="requests_per_minute" inputmode="numeric" value="60""#)
    );
    let r = post(
        &w,
        &format!("/console/orgs/{}/limits", w.a.id),
        Some(&op),
        &[("csrf", token.as_str()), ("requests_per_minute", "lots")],
    )
    .await;
    assert_eq!(r.status, 400);
    let actions = ledger_actions(&w.ledger);
    assert!(actions.contains(&"admin POST /admin/v1/models".to_string()));
    assert!(actions.contains(&"admin PUT /admin/v1/orgs/{org}/limits".to_string()));
}

#[tokio::test]
async fn usage_is_charted_for_operators_and_owners_see_only_their_own() {
    let w = world().await;
    let day_ms = 86_400_000;
    let mut records = Vec::new();
    for (org, member, key, n) in [
        (&w.a, &w.a.analyst, &w.a.key_id, 3u64),
        (&w.b, &w.b.analyst, &w.b.key_id, 7),
    ] {
        for d in 0..n {
            records.push(haetae_meter::usage::UsageRecord::request(
                org.id.as_str(),
                member.as_str(),
                key.as_str(),
                "mock-1",
                "malware-analysis",
                T0_MS - d * day_ms,
                100,
                10,
            ));
        }
    }
    w.store.add_usage(&records).await.unwrap();
    let (op, _) = signed_in(&w, "operator", None).await;
    let page = get(&w, "/console/usage", Some(&op)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains(r#"<svg class="chart" id="chart-requests""#)
    );
    assert_eq!(
        page.body.matches(r#"<rect class="bar""#).count(),
        60,
        "30 days, two charts"
    );
    assert!(
        page.body.contains("Total: 10 requests, 1100 tokens"),
        "{}",
        page.body
    );
    assert!(page.body.contains(">Alpha</a>") && page.body.contains(">Bravo</a>"));
    assert!(page.body.contains("malware-analysis") && page.body.contains("mock-1"));
    let alpha = get(&w, "/console/usage?org=Alpha", Some(&op)).await;
    assert!(alpha.body.contains("Total: 3 requests"), "{}", alpha.body);
    let ko = get_ko(&w, "/console/usage", &op).await;
    assert!(ko.body.contains("합계: 10 요청"), "{}", ko.body);
    for bad in [
        "from=2026-13-01",
        "from=2020-01-01&to=2026-01-01",
        "from=2026-02-01&to=2026-01-01",
    ] {
        assert_eq!(
            get(&w, &format!("/console/usage?{bad}"), Some(&op))
                .await
                .status,
            400,
            "{bad}"
        );
    }

    let (owner, _) = signed_in(&w, "owner-a", Some(&w.a)).await;
    // The organisation comes from the session: a query naming another one changes nothing.
    for uri in [
        "/console/org/usage".to_string(),
        format!("/console/org/usage?org={}", w.b.id),
    ] {
        let own = get(&w, &uri, Some(&owner)).await;
        assert_eq!(own.status, 200, "{}", own.body);
        assert!(own.body.contains("Total: 3 requests"), "{}", own.body);
        assert!(own.body.contains("analyst@Alpha"));
        assert!(!own.body.contains("Bravo") && !own.body.contains(&w.b.id));
    }
    let own_ko = get_ko(&w, "/console/org/usage", &owner).await;
    assert!(h1(&own_ko.body).starts_with("사용량"));
    assert_eq!(get(&w, "/console/usage", Some(&owner)).await.status, 403);
    // An operator has no organisation of their own.
    assert_eq!(get(&w, "/console/org/usage", Some(&op)).await.status, 403);
}

/// A complete run log of the ko-safety suite that passes the default release policy's public tier.
fn write_run_log(dir: &std::path::Path, model: &str) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let stat = |mean: f64, hi: f64| serde_json::json!({"n": 221, "mean": mean, "stderr": 0.0, "ci_low": 0.0, "ci_high": hi});
    let header = serde_json::json!({
        "type": "header", "format_version": 1, "run_id": "run-ko-1", "created": "2026-09-20T10:00:00Z",
        "suite": "ko-safety", "suite_path": "suites/ko-safety/suite.yaml", "suite_hash": "ab12",
        "model": format!("gateway:http://127.0.0.1:8080/v1#{model}"), "grader": "mock", "epochs": 1,
        "samples": 221, "harness_version": "test", "spec": {},
    });
    let footer = serde_json::json!({
        "type": "footer", "status": "complete", "finished": "2026-09-20T11:00:00Z", "samples_completed": 221,
        "samples_errored": 0, "samples_total": 221,
        "metrics": {"harmful_compliance": stat(0.01, 0.03), "over_refusal": stat(0.05, 0.1)},
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}, "requests": 221,
        "cache_hits": 0, "retries": 0, "duration_s": 12.5, "samples_per_second": 17.7, "resumed_samples": 0,
    });
    let file = "ko-safety-20260920.jsonl";
    std::fs::write(dir.join(file), format!("{header}\n{footer}\n")).unwrap();
    std::fs::write(dir.join("broken.jsonl"), "not json\n").unwrap();
    file.to_string()
}

#[tokio::test]
async fn evaluation_runs_and_release_decisions() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    assert!(
        get(&w, "/console/evals", Some(&op))
            .await
            .body
            .contains("No run logs")
    );
    let file = write_run_log(&w.evals, "gpt-sec");
    w.store
        .upsert_model(&haetae_store::NewModel {
            name: "gpt-sec".into(),
            backend: "mock".into(),
            upstream_model: "gpt-sec-1".into(),
            min_tier: "trusted".into(),
            description: String::new(),
        })
        .await
        .unwrap();
    let list = get(&w, "/console/evals", Some(&op)).await;
    assert!(
        list.body.contains("ko-safety") && list.body.contains(&file),
        "{}",
        list.body
    );
    assert!(list.body.contains("broken.jsonl") && list.body.contains("cannot be read"));
    let run = get(&w, &format!("/console/evals/runs/{file}"), Some(&op)).await;
    assert_eq!(run.status, 200, "{}", run.body);
    assert!(run.body.contains("harmful_compliance") && run.body.contains("[0.000, 0.030]"));
    assert!(run.body.contains(r#"id="run-status">complete<"#));
    let ko = get_ko(&w, &format!("/console/evals/runs/{file}"), &op).await;
    assert!(ko.body.contains("95% 신뢰구간"));
    // Only the directory's own logs, by name.
    for missing in ["nothing.jsonl", "..%2Fconsole.rs", "%2Fetc%2Fpasswd"] {
        let r = get(&w, &format!("/console/evals/runs/{missing}"), Some(&op)).await;
        assert_eq!(r.status, 404, "{missing}");
    }

    let decision = get(&w, "/console/release?model=gpt-sec", Some(&op)).await;
    assert_eq!(decision.status, 200, "{}", decision.body);
    assert!(
        decision.body.contains(r#"id="highest-allowed">public<"#),
        "{}",
        decision.body
    );
    assert!(decision.body.contains(r#"id="new-min-tier">public<"#));
    assert!(decision.body.contains("run-ko-1"));
    let token = decision.csrf();
    let r = post(
        &w,
        "/console/release/apply",
        Some(&op),
        &[("csrf", token.as_str()), ("model", "gpt-sec")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        w.store
            .get_model("gpt-sec")
            .await
            .unwrap()
            .unwrap()
            .min_tier,
        "public"
    );
    let actions = ledger_actions(&w.ledger);
    assert!(actions.contains(&"admin release.decide".to_string()));
    assert!(actions.contains(&"admin release.apply".to_string()));

    // A model no run speaks for passes no tier, and applying that withholds it from everyone.
    w.store
        .upsert_model(&haetae_store::NewModel {
            name: "untested".into(),
            backend: "mock".into(),
            upstream_model: "u".into(),
            min_tier: "public".into(),
            description: String::new(),
        })
        .await
        .unwrap();
    let r = post(
        &w,
        "/console/release/apply",
        Some(&op),
        &[("csrf", token.as_str()), ("model", "untested")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(w.store.get_model("untested").await.unwrap().is_none());
    let r = post(
        &w,
        "/console/release/apply",
        Some(&op),
        &[("csrf", token.as_str()), ("model", "untested")],
    )
    .await;
    assert_eq!(r.status, 400, "a model outside the catalogue");
}

#[tokio::test]
async fn policies_page_validates_and_runs_the_policy_tests() {
    let w = world().await;
    let (op, _) = signed_in(&w, "operator", None).await;
    // The world runs the compiled-in programme: its sources and its shipped test cases, all passing.
    let page = get(&w, "/console/policies", Some(&op)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("built-in default programme"));
    assert!(
        page.body
            .contains(r#"id="policy-valid">The policies validate"#)
    );
    assert!(
        page.body.contains(r#"data-tests-failed="0""#),
        "{}",
        page.body
    );
    assert!(!page.body.contains(r#"data-tests-passed="0""#));
    assert!(page.body.contains("10-tiers.cedar"));

    // A directory-loaded programme: a broken file on disk is reported, while the set in force stays.
    let dir = tempfile::tempdir().unwrap();
    haetae_policy::PolicyEngine::write_default_programme(dir.path()).unwrap();
    std::fs::create_dir_all(dir.path().join("tests")).unwrap();
    std::fs::write(
        dir.path().join("tests/default-programme.yaml"),
        include_str!("../../../policies/tests/default-programme.yaml"),
    )
    .unwrap();
    let engine = haetae_policy::ReloadingPolicyEngine::load(dir.path()).unwrap();
    let state = w
        .console
        .gateway()
        .clone()
        .with_policy(haetae_gateway::stages::authorize::Policy::Reloading(engine));
    let console = Console::new(
        state.clone(),
        ConsoleConfig::new("http://localhost:8080"),
        Arc::new(w.clock.clone()),
    )
    .unwrap();
    let app = haetae_gateway::router(state).merge(console.router());
    let (op2, _) = signed_in_on(&w, &console, "operator-2", None).await;
    let page = |app: Router, cookie: String| async move {
        send(
            &app,
            Request::get("/console/policies")
                .header("cookie", cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    };
    let good = page(app.clone(), op2.clone()).await;
    assert_eq!(good.status, 200, "{}", good.body);
    assert!(good.body.contains(&dir.path().display().to_string()));
    assert!(
        good.body
            .contains(r#"id="policy-valid">The policies validate"#)
    );
    assert!(
        good.body.contains(r#"data-tests-failed="0""#),
        "{}",
        good.body
    );
    std::fs::write(
        dir.path().join("99-broken.cedar"),
        "permit(principal, action, resource) when { nonsense };",
    )
    .unwrap();
    let bad = page(app, op2).await;
    assert!(
        bad.body
            .contains(r#"id="policy-valid">The policy directory does not validate"#),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("99-broken.cedar"));
}
