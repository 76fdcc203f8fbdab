//! With the key cache on (the store's `lookup_key_at_generation`, which authentication uses), every change to a key's
//! standing is effective on the very next request, whoever makes it: the `haetae` CLI writing the SQLite file
//! (a second store connection here) or another gateway replica on the same PostgreSQL database (two gateway
//! states here). Driven in process with tower's `oneshot`; each case first proves the key works, so that its
//! record is in the cache when the change lands.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use haetae_core::{Role, VettingState, now_unix};
use haetae_gateway::{AppState, Backends, GatewayOptions, router};
use haetae_store::{NewEvidence, NewMember, NewModel, NewOrganisation, Store};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;

/// The databases to run against: a SQLite file always; PostgreSQL when `HAETAE_TEST_POSTGRES_URL` is set, and
/// required where `CI` is set.
async fn databases() -> Vec<(&'static str, String, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("haetae.db").display());
    let mut out = vec![("sqlite", url, Some(dir))];
    match std::env::var("HAETAE_TEST_POSTGRES_URL") {
        // The database itself, not a fresh one (that would need a PostgreSQL client here): every name this test
        // creates is unique, and other tests' writes only bump the generation (more misses, never a wrong hit).
        Ok(base) => out.push(("postgres", base, None)),
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!(
                "CI is set but HAETAE_TEST_POSTGRES_URL is not: the replica cases must run in CI"
            )
        }
        Err(_) => {
            eprintln!("skipping the PostgreSQL replicas: HAETAE_TEST_POSTGRES_URL is not set")
        }
    }
    out
}

async fn gateway(url: &str) -> Router {
    let store = Store::connect(url).await.expect("gateway store");
    router(AppState::new(
        store,
        Backends::default(),
        GatewayOptions::default(),
    ))
}

/// `GET /v1/models` with `key`: runs authentication and the principal's standing, and lists the models the
/// caller's tier admits.
async fn models(app: &Router, key: &str) -> (StatusCode, Vec<String>) {
    let response = app
        .clone()
        .oneshot(
            Request::get("/v1/models")
                .header("authorization", format!("Bearer {key}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let names = json["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    (status, names)
}

struct Caller {
    org: String,
    key_id: String,
    key: String,
}

async fn caller(writer: &Store, name: &str, expires_at: Option<i64>) -> Caller {
    let org = writer
        .create_org(&NewOrganisation {
            name: format!("{name}-{}", haetae_core::new_id()),
            country: "KR".into(),
            sector: "cert".into(),
            tier: Some("trusted".into()),
        })
        .await
        .expect("org");
    vet(
        writer,
        &org.id,
        VettingState::Verified,
        Some(now_unix() + 3600),
    )
    .await;
    let member = writer
        .add_member(
            &org.id,
            &NewMember {
                identity: format!("{name}@example.org"),
                display_name: String::new(),
                role: Role::Analyst,
                identity_verified: true,
            },
        )
        .await
        .expect("member");
    let (info, secret) = writer
        .issue_key(&member.id, "k", expires_at)
        .await
        .expect("key");
    Caller {
        org: org.id,
        key_id: info.id,
        key: secret.full,
    }
}

async fn vet(writer: &Store, org: &str, decision: VettingState, expires_at: Option<i64>) {
    writer
        .record_vetting(
            org,
            &NewEvidence {
                reviewer: "reviewer@kisa.example".into(),
                checked: "test".into(),
                decision,
                notes: String::new(),
                expires_at,
            },
        )
        .await
        .expect("vetting");
}

#[derive(Debug, Clone, Copy)]
enum Change {
    RevokeKey,
    SuspendOrg,
    VettingLapses,
    TierDown,
}

async fn apply(change: Change, writer: &Store, c: &Caller) {
    match change {
        Change::RevokeKey => {
            writer.revoke_key(&c.key_id).await.expect("revoke");
        }
        Change::SuspendOrg => vet(writer, &c.org, VettingState::Suspended, None).await,
        Change::VettingLapses => {
            vet(writer, &c.org, VettingState::Verified, Some(now_unix() - 1)).await
        }
        Change::TierDown => {
            writer.set_org_tier(&c.org, "public").await.expect("tier");
        }
    }
}

#[tokio::test]
async fn changes_elsewhere_are_effective_on_the_very_next_request() {
    for (backend, url, _dir) in databases().await {
        // The writer is the CLI on the SQLite file, or the admin API of another replica on PostgreSQL.
        let writer = Store::connect(&url).await.expect("writer");
        writer.ensure_default_tiers().await.expect("tiers");
        writer
            .upsert_model(&NewModel {
                name: "deep".into(),
                backend: "none".into(),
                upstream_model: "deep".into(),
                min_tier: "trusted".into(),
                description: String::new(),
            })
            .await
            .expect("model");
        // Two gateways: replicas on PostgreSQL; on SQLite, two processes on one file (each reads the
        // generation on its own connections, see haetae-store's generation.rs).
        let gateways = vec![gateway(&url).await, gateway(&url).await];

        // Each row: the change, then what the very next request gets.
        let table = [
            (Change::RevokeKey, StatusCode::UNAUTHORIZED, None),
            (Change::SuspendOrg, StatusCode::FORBIDDEN, None),
            (Change::VettingLapses, StatusCode::FORBIDDEN, None),
            (Change::TierDown, StatusCode::OK, Some(false)),
        ];
        for (i, (change, status, sees_deep)) in table.into_iter().enumerate() {
            let c = caller(&writer, &format!("org{i}"), None).await;
            for app in &gateways {
                // Twice, so the second answer comes from the cache.
                for _ in 0..2 {
                    let (got, names) = models(app, &c.key).await;
                    assert_eq!(
                        got,
                        StatusCode::OK,
                        "{backend} {change:?}: before the change"
                    );
                    assert!(names.iter().any(|n| n == "deep"), "{backend}: {names:?}");
                }
            }
            apply(change, &writer, &c).await;
            for app in &gateways {
                let (got, names) = models(app, &c.key).await;
                assert_eq!(got, status, "{backend} {change:?}: the next request");
                if let Some(deep) = sees_deep {
                    assert_eq!(
                        names.iter().any(|n| n == "deep"),
                        deep,
                        "{backend} {change:?}"
                    );
                }
            }
        }

        // Reinstatement is effective on the next request too (the cache cannot hold a refusal either).
        let c = caller(&writer, "reinstated", None).await;
        vet(&writer, &c.org, VettingState::Suspended, None).await;
        for app in &gateways {
            assert_eq!(
                models(app, &c.key).await.0,
                StatusCode::FORBIDDEN,
                "{backend}"
            );
        }
        vet(&writer, &c.org, VettingState::Verified, None).await;
        for app in &gateways {
            assert_eq!(models(app, &c.key).await.0, StatusCode::OK, "{backend}");
        }

        // Key expiry needs no invalidation: it is checked against the clock on every request, also when the
        // key's record comes from the cache.
        let c = caller(&writer, "expired", Some(now_unix() - 1)).await;
        for app in &gateways {
            for _ in 0..2 {
                assert_eq!(
                    models(app, &c.key).await.0,
                    StatusCode::UNAUTHORIZED,
                    "{backend}"
                );
            }
        }
        // A wrong secret for a cached key is refused: the secret is compared on every request.
        let ok = caller(&writer, "secret", None).await;
        let last = if ok.key.ends_with('a') { 'b' } else { 'a' };
        let wrong = format!("{}{last}", &ok.key[..ok.key.len() - 1]);
        for app in &gateways {
            assert_eq!(models(app, &ok.key).await.0, StatusCode::OK, "{backend}");
            assert_eq!(
                models(app, &wrong).await.0,
                StatusCode::UNAUTHORIZED,
                "{backend}"
            );
            assert_eq!(models(app, &ok.key).await.0, StatusCode::OK, "{backend}");
        }
    }
}
