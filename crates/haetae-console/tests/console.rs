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
    let console = Console::new(
        state.clone(),
        ConsoleConfig::new("http://localhost:8080"),
        Arc::new(clock.clone()),
    )
    .expect("console");
    let app = haetae_gateway::router(state).merge(console.router());
    World {
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
    let session = w.console.sign_in(SessionUser {
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
