//! The same scenarios against every backend: a SQLite file always, PostgreSQL when HAETAE_TEST_POSTGRES_URL is set.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haetae_core::{ParsedKey, Role, Tier, VettingState, now_unix};
use haetae_store::{NewEvidence, NewMember, NewModel, NewOrganisation, Page, Store, StoreError};

/// A store on a fresh database for each backend available here.
async fn stores() -> Vec<(String, Store, Option<tempfile::TempDir>)> {
    let mut out = Vec::new();
    for (backend, url, dir) in databases().await {
        let store = Store::connect(&url).await.expect("store");
        out.push((backend, store, dir));
    }
    out
}

/// The URL of a fresh database for each backend available here (so a test can open a second connection to
/// it, as another process or replica would). PostgreSQL is required where `CI` is set: a test run that
/// silently skipped it would claim more than it checked.
async fn databases() -> Vec<(String, String, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("haetae.db").display());
    let mut out = vec![("sqlite".to_string(), url, Some(dir))];
    match std::env::var("HAETAE_TEST_POSTGRES_URL") {
        Ok(base) => out.push(("postgres".to_string(), fresh_postgres(&base).await, None)),
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!(
                "CI is set but HAETAE_TEST_POSTGRES_URL is not: the PostgreSQL backend must be tested in CI"
            )
        }
        Err(_) => eprintln!("skipping the PostgreSQL backend: HAETAE_TEST_POSTGRES_URL is not set"),
    }
    out
}

/// Creates a uniquely named database so parallel tests never see each other's rows; returns its URL.
async fn fresh_postgres(base: &str) -> String {
    use sqlx::Connection;
    let name = format!("haetae_test_{}", haetae_core::new_id());
    let mut admin = sqlx::PgConnection::connect(base)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create database");
    let (prefix, _) = base.rsplit_once('/').expect("URL with a database");
    format!("{prefix}/{name}")
}

async fn verified_org(store: &Store, name: &str, tier: &str) -> haetae_core::Organisation {
    store.ensure_default_tiers().await.expect("tiers");
    let org = store
        .create_org(&NewOrganisation {
            name: name.into(),
            country: "KR".into(),
            sector: "cert".into(),
            tier: Some(tier.into()),
        })
        .await
        .expect("create org");
    assert_eq!(org.vetting_state, VettingState::Applied);
    let (org, evidence) = store
        .record_vetting(
            &org.id,
            &NewEvidence {
                reviewer: "reviewer@kisa.example".into(),
                checked: "business registration; signed terms".into(),
                decision: VettingState::Verified,
                notes: String::new(),
                expires_at: Some(now_unix() + 3600),
            },
        )
        .await
        .expect("verify");
    assert_eq!(evidence.decision, VettingState::Verified);
    org
}

#[tokio::test]
async fn programme_lifecycle() {
    for (backend, store, _dir) in stores().await {
        let org = verified_org(&store, "Busan CERT", "trusted").await;
        assert_eq!(org.vetting_state, VettingState::Verified, "{backend}");
        assert_eq!(org.tier, "trusted");
        assert_eq!(
            store.get_org("Busan CERT").await.expect("by name").id,
            org.id
        );

        let member = store
            .add_member(
                &org.id,
                &NewMember {
                    identity: "kim@busan.example".into(),
                    display_name: String::new(),
                    role: Role::Analyst,
                    identity_verified: true,
                },
            )
            .await
            .expect("member");
        let dup = store
            .add_member(
                &org.id,
                &NewMember {
                    identity: "kim@busan.example".into(),
                    display_name: String::new(),
                    role: Role::Owner,
                    identity_verified: false,
                },
            )
            .await;
        assert!(
            matches!(dup, Err(StoreError::Conflict(_))),
            "{backend}: duplicate member must conflict"
        );

        let (info, secret) = store
            .issue_key(&member.id, "laptop", None)
            .await
            .expect("key");
        let record = store
            .lookup_key(&info.id)
            .await
            .expect("lookup")
            .expect("present");
        let parsed = ParsedKey::parse(&secret.full).expect("parse");
        assert!(parsed.matches(&record.secret_hash));
        assert_eq!(record.tier.name, "trusted");
        assert_eq!(record.member.identity, "kim@busan.example");
        assert!(record.member.identity_verified);
        assert!(record.key.is_usable(now_unix()));

        let revoked = store.revoke_key(&info.id).await.expect("revoke");
        assert!(revoked.revoked_at.is_some());
        let record = store
            .lookup_key(&info.id)
            .await
            .expect("lookup")
            .expect("present");
        assert!(
            !record.key.is_usable(now_unix()),
            "{backend}: revoked key must be unusable"
        );

        let (org, _) = store
            .record_vetting(
                &org.id,
                &NewEvidence {
                    reviewer: "r".into(),
                    checked: "abuse report".into(),
                    decision: VettingState::Suspended,
                    notes: "burst of denials".into(),
                    expires_at: None,
                },
            )
            .await
            .expect("suspend");
        assert_eq!(org.vetting_state, VettingState::Suspended);
        assert_eq!(
            store.list_evidence(&org.id).await.expect("evidence").len(),
            2
        );
        store
            .record_vetting(
                &org.id,
                &NewEvidence {
                    reviewer: "r".into(),
                    checked: "x".into(),
                    decision: VettingState::Revoked,
                    notes: String::new(),
                    expires_at: None,
                },
            )
            .await
            .expect("revoke org");
        let again = store
            .record_vetting(
                &org.id,
                &NewEvidence {
                    reviewer: "r".into(),
                    checked: "x".into(),
                    decision: VettingState::Verified,
                    notes: String::new(),
                    expires_at: None,
                },
            )
            .await;
        assert!(
            matches!(again, Err(StoreError::Invalid(_))),
            "{backend}: revocation is final"
        );
    }
}

#[tokio::test]
async fn pagination_walks_every_row_once() {
    for (backend, store, _dir) in stores().await {
        store.ensure_default_tiers().await.expect("tiers");
        for i in 0..7 {
            store
                .create_org(&NewOrganisation {
                    name: format!("org-{i}"),
                    country: "KR".into(),
                    sector: String::new(),
                    tier: None,
                })
                .await
                .expect("org");
        }
        let mut seen = Vec::new();
        let mut page = Page::first(3);
        loop {
            let got = store.list_orgs(&page).await.expect("page");
            assert!(got.data.len() <= 3);
            seen.extend(got.data.iter().map(|o| o.name.clone()));
            match got.next_cursor {
                Some(c) => page.after = Some(c),
                None => break,
            }
        }
        seen.sort();
        assert_eq!(
            seen,
            (0..7).map(|i| format!("org-{i}")).collect::<Vec<_>>(),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn catalogue_and_tiers() {
    for (backend, store, _dir) in stores().await {
        store.ensure_default_tiers().await.expect("tiers");
        let names: Vec<String> = store
            .list_tiers()
            .await
            .expect("list")
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(
            names,
            ["public", "verified", "trusted", "government"],
            "{backend}"
        );
        store
            .upsert_tier(&Tier {
                name: "partner".into(),
                rank: 15,
                description: "between".into(),
            })
            .await
            .expect("tier");
        let clash = store
            .upsert_tier(&Tier {
                name: "other".into(),
                rank: 15,
                description: String::new(),
            })
            .await;
        assert!(
            matches!(clash, Err(StoreError::Conflict(_))),
            "{backend}: ranks are unique"
        );
        let bad = store
            .upsert_tier(&Tier {
                name: "Bad Name".into(),
                rank: 99,
                description: String::new(),
            })
            .await;
        assert!(matches!(bad, Err(StoreError::Invalid(_))));

        let model = NewModel {
            name: "gpt-x".into(),
            backend: "upstream".into(),
            upstream_model: "x-1".into(),
            min_tier: "partner".into(),
            description: String::new(),
        };
        store.upsert_model(&model).await.expect("model");
        let unknown_tier = store
            .upsert_model(&NewModel {
                min_tier: "nope".into(),
                ..model.clone()
            })
            .await;
        assert!(matches!(unknown_tier, Err(StoreError::NotFound(_))));
        assert_eq!(store.list_models().await.expect("models").len(), 1);
        store.remove_model("gpt-x").await.expect("remove");
        assert!(matches!(
            store.remove_model("gpt-x").await,
            Err(StoreError::NotFound(_))
        ));

        let admin = store.issue_admin_key("ops").await.expect("admin key");
        let rec = store
            .lookup_admin_key(&admin.public_id)
            .await
            .expect("lookup")
            .expect("present");
        assert!(
            ParsedKey::parse(&admin.full)
                .expect("parse")
                .matches(&rec.secret_hash)
        );
        store
            .revoke_admin_key(&admin.public_id)
            .await
            .expect("revoke");
        assert!(
            store
                .lookup_admin_key(&admin.public_id)
                .await
                .expect("lookup")
                .expect("present")
                .revoked_at
                .is_some()
        );
    }
}

#[tokio::test]
async fn bad_urls_are_refused_clearly() {
    let err = Store::connect("mysql://x").await.expect_err("unsupported");
    assert!(err.to_string().contains("unsupported store URL"));
}

async fn member(store: &Store, org: &str, identity: &str, role: Role) -> haetae_core::Member {
    store
        .add_member(
            org,
            &NewMember {
                identity: identity.into(),
                display_name: String::new(),
                role,
                identity_verified: true,
            },
        )
        .await
        .expect("member")
}

#[tokio::test]
async fn limits_resolve_from_key_org_and_tier() {
    use haetae_core::{Quota, TierLimits};
    for (backend, store, _dir) in stores().await {
        let org = verified_org(&store, "Limits CERT", "verified").await;
        let m = member(&store, &org.id, "a@l.example", Role::Analyst).await;
        let (info, _) = store.issue_key(&m.id, "k", None).await.expect("key");
        let rec = store
            .lookup_key(&info.id)
            .await
            .expect("lookup")
            .expect("key");
        assert_eq!(
            rec.quotas.tier,
            TierLimits::default_for("verified"),
            "{backend}: defaults installed"
        );
        assert_eq!(rec.quotas.key().requests_per_minute, Some(120));
        store
            .set_org_limits(
                &org.id,
                &Quota {
                    tokens_per_day: Some(10),
                    ..Quota::default()
                },
            )
            .await
            .expect("org limits");
        store
            .set_key_limits(
                &info.id,
                &Quota {
                    requests_per_minute: Some(2),
                    ..Quota::default()
                },
            )
            .await
            .expect("key limits");
        let rec = store
            .lookup_key(&info.id)
            .await
            .expect("lookup")
            .expect("key");
        assert_eq!(rec.quotas.key().requests_per_minute, Some(2), "{backend}");
        assert_eq!(rec.quotas.org().tokens_per_day, Some(10), "{backend}");
        assert_eq!(
            rec.quotas.org().requests_per_minute,
            Some(600),
            "{backend}: inherited field"
        );
        assert!(
            matches!(
                store
                    .set_key_limits(
                        &info.id,
                        &Quota {
                            tokens_per_day: Some(0),
                            ..Quota::default()
                        }
                    )
                    .await,
                Err(StoreError::Invalid(_))
            ),
            "{backend}: zero is refused"
        );
        assert!(matches!(
            store.set_key_limits("nope", &Quota::default()).await,
            Err(StoreError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn engagements_are_registered_by_owners_only() {
    use haetae_store::NewEngagement;
    for (backend, store, _dir) in stores().await {
        let org = verified_org(&store, "Red Team", "trusted").await;
        let owner = member(&store, &org.id, "owner@r.example", Role::Owner).await;
        let analyst = member(&store, &org.id, "analyst@r.example", Role::Analyst).await;
        let new = |by: &str| NewEngagement {
            name: "test".into(),
            targets: vec!["*.corp.example".into(), "10.0.0.0/16".into()],
            valid_from: 100,
            valid_until: 200,
            registered_by: by.into(),
        };
        assert!(
            matches!(
                store.register_engagement(&org.id, &new(&analyst.id)).await,
                Err(StoreError::Invalid(_))
            ),
            "{backend}: analysts cannot register"
        );
        let e = store
            .register_engagement(&org.id, &new(&owner.id))
            .await
            .expect("register");
        assert_eq!(e.targets, vec!["*.corp.example", "10.0.0.0/16"]);
        let mut bad = new(&owner.id);
        bad.valid_until = 50;
        assert!(
            store.register_engagement(&org.id, &bad).await.is_err(),
            "{backend}: empty window"
        );
        assert_eq!(
            store
                .list_engagements(&org.id, &Page::first(10))
                .await
                .expect("list")
                .data,
            vec![e.clone()]
        );
        let revoked = store.revoke_engagement(&e.id).await.expect("revoke");
        assert!(revoked.revoked_at.is_some());
        assert_eq!(
            store.get_engagement(&e.id).await.expect("get"),
            Some(revoked)
        );
        assert_eq!(
            store.get_engagement("eng_missing").await.expect("get"),
            None
        );
    }
}

#[tokio::test]
async fn review_items_dedupe_and_transitions_are_compare_and_set() {
    use haetae_meter::misuse::Signal;
    use haetae_meter::review::{Enforcement, ReviewAction, ReviewState};
    for (backend, store, _dir) in stores().await {
        let signal = |req: &str| {
            Signal::policy_review(
                1_000,
                "org-1",
                "key-1",
                req,
                "m",
                vec!["p".into()],
                vec!["exploit-development".into()],
            )
        };
        let (item, new) = store.file_signal(signal("r1")).await.expect("file");
        assert!(new, "{backend}");
        let (again, new) = store.file_signal(signal("r2")).await.expect("file");
        assert!(
            !new,
            "{backend}: the same kind and subject attach to the open item"
        );
        assert_eq!(again.id, item.id);
        assert_eq!(again.signals.len(), 2);
        let id = item.id.to_string();
        let (claimed, _) = store
            .update_review(&id, |i| i.claim("lee", 2_000).map(|_| Enforcement::None))
            .await
            .expect("claim");
        assert_eq!(claimed.state, ReviewState::Claimed);
        assert!(
            matches!(
                store
                    .update_review(&id, |i| i.claim("park", 2_001).map(|_| Enforcement::None))
                    .await,
                Err(StoreError::Conflict(_))
            ),
            "{backend}: a claimed item cannot be claimed again"
        );
        let (done, enforcement) = store
            .update_review(&id, |i| {
                i.resolve("lee", ReviewAction::SuspendKey, Some("why"), 3_000)
            })
            .await
            .expect("resolve");
        assert_eq!(done.state, ReviewState::Resolved);
        assert_eq!(
            enforcement,
            Enforcement::SuspendKey {
                key_id: "key-1".into()
            }
        );
        let (fresh, new) = store.file_signal(signal("r3")).await.expect("file");
        assert!(
            new && fresh.id != item.id,
            "{backend}: a resolved item takes no more signals"
        );
        let open = store
            .list_reviews(Some(ReviewState::Open), &Page::first(10))
            .await
            .expect("list");
        assert_eq!(open.data.len(), 1);
        assert_eq!(
            store
                .get_review(&item.id.simple().to_string())
                .await
                .expect("get")
                .history
                .len(),
            4
        );
    }
}

#[tokio::test]
async fn usage_adds_up_per_day_and_the_outbox_drains_in_order() {
    use haetae_meter::usage::UsageRecord;
    use haetae_store::UsageQuery;
    for (backend, store, _dir) in stores().await {
        let org = verified_org(&store, "Usage CERT", "public").await;
        let rec = |day: &str, p: u64| UsageRecord {
            org_id: org.id.clone(),
            member_id: "m".into(),
            key_id: "k".into(),
            model: "mock-1".into(),
            use_case: "benign".into(),
            day: day.into(),
            prompt_tokens: p,
            completion_tokens: 1,
            requests: 1,
        };
        store
            .add_usage(&[
                rec("2026-12-01", 10),
                rec("2026-12-01", 5),
                rec("2026-12-02", 7),
            ])
            .await
            .expect("add");
        let rows = store
            .usage(&UsageQuery {
                from: Some("2026-12-01".into()),
                to: Some("2026-12-01".into()),
                org: Some(org.name.clone()),
            })
            .await
            .expect("usage");
        assert_eq!(rows.len(), 1, "{backend}");
        assert_eq!(
            (rows[0].requests, rows[0].prompt_tokens),
            (2, 15),
            "{backend}: upserted"
        );
        assert_eq!(
            store
                .usage(&UsageQuery::default())
                .await
                .expect("all")
                .len(),
            2
        );
        assert!(matches!(
            store
                .usage(&UsageQuery {
                    from: Some("yesterday".into()),
                    ..UsageQuery::default()
                })
                .await,
            Err(StoreError::Invalid(_))
        ));

        let first = store
            .push_outbox("cli:test", "key.revoke", "first")
            .await
            .expect("push");
        let second = store
            .push_outbox("cli:test", "key.revoke", "second")
            .await
            .expect("push");
        let pending = store.peek_outbox(10).await.expect("peek");
        assert_eq!(
            pending
                .iter()
                .map(|e| (e.id.as_str(), e.detail.as_str()))
                .collect::<Vec<_>>(),
            [(first.as_str(), "first"), (second.as_str(), "second")],
            "push_outbox returns the id of the row it wrote"
        );
        store.remove_outbox(&pending[0].id).await.expect("remove");
        assert_eq!(
            store.peek_outbox(10).await.expect("peek").len(),
            1,
            "{backend}"
        );
    }
}

/// One write of each kind that changes what a key lookup returns.
#[derive(Debug, Clone, Copy)]
enum ProgrammeWrite {
    UpsertTier,
    SetTierLimits,
    CreateOrg,
    RecordVetting,
    SetOrgTier,
    SetOrgLimits,
    AddMember,
    IssueKey,
    RevokeKey,
    SetKeyLimits,
    EnforceSuspendOrg,
}

async fn apply(write: ProgrammeWrite, store: &Store, org: &str, member: &str, key: &str) {
    use ProgrammeWrite as W;
    use haetae_core::{Quota, TierLimits};
    use haetae_meter::review::Enforcement;
    let quota = Quota {
        requests_per_minute: Some(7),
        ..Quota::default()
    };
    match write {
        W::UpsertTier => store
            .upsert_tier(&Tier {
                name: "public".into(),
                rank: 0,
                description: "changed".into(),
            })
            .await
            .expect("tier"),
        W::SetTierLimits => {
            store
                .set_tier_limits("trusted", &TierLimits::default_for("public"))
                .await
                .expect("tier limits");
        }
        W::CreateOrg => {
            store
                .create_org(&NewOrganisation {
                    name: format!("another {}", haetae_core::new_id()),
                    country: "KR".into(),
                    sector: String::new(),
                    tier: None,
                })
                .await
                .expect("org");
        }
        W::RecordVetting => {
            store
                .record_vetting(
                    org,
                    &NewEvidence {
                        reviewer: "r".into(),
                        checked: "renewal".into(),
                        decision: VettingState::Verified,
                        notes: String::new(),
                        expires_at: Some(now_unix() + 60),
                    },
                )
                .await
                .expect("vetting");
        }
        W::SetOrgTier => {
            store.set_org_tier(org, "verified").await.expect("org tier");
        }
        W::SetOrgLimits => {
            store.set_org_limits(org, &quota).await.expect("org limits");
        }
        W::AddMember => {
            self::member(
                store,
                org,
                &format!("{}@x.example", haetae_core::new_id()),
                Role::Analyst,
            )
            .await;
        }
        W::IssueKey => {
            store.issue_key(member, "another", None).await.expect("key");
        }
        W::RevokeKey => {
            store.revoke_key(key).await.expect("revoke");
        }
        W::SetKeyLimits => {
            store.set_key_limits(key, &quota).await.expect("key limits");
        }
        W::EnforceSuspendOrg => store
            .enforce(
                &Enforcement::SuspendOrg {
                    org_id: org.to_string(),
                },
                "r",
                "item",
                "note",
            )
            .await
            .expect("enforce"),
    }
}

/// The invariant the key cache rests on: every write to a record that a key lookup reads bumps the programme
/// generation, whoever makes it.
#[tokio::test]
async fn every_programme_write_bumps_the_generation() {
    use ProgrammeWrite as W;
    let writes = [
        W::UpsertTier,
        W::SetTierLimits,
        W::CreateOrg,
        W::RecordVetting,
        W::SetOrgTier,
        W::SetOrgLimits,
        W::AddMember,
        W::IssueKey,
        W::SetKeyLimits,
        W::RevokeKey,
        W::EnforceSuspendOrg,
    ];
    for (backend, store, _dir) in stores().await {
        let org = verified_org(&store, "Generation CERT", "trusted").await;
        let m = member(&store, &org.id, "g@g.example", Role::Analyst).await;
        let (key, _) = store.issue_key(&m.id, "k", None).await.expect("key");
        for write in writes {
            let before = store.programme_generation().await.expect("generation");
            apply(write, &store, &org.id, &m.id, &key.id).await;
            let after = store.programme_generation().await.expect("generation");
            assert!(
                after > before,
                "{backend}: {write:?} left the generation at {before}"
            );
        }
        // Writes to other records leave it alone (nothing a lookup reads changed).
        let before = store.programme_generation().await.expect("generation");
        store.push_outbox("a", "b", "c").await.expect("outbox");
        assert_eq!(
            store.programme_generation().await.expect("generation"),
            before,
            "{backend}"
        );
    }
}

/// A gateway's cached lookups against changes made through another connection to the same database: the
/// `haetae` CLI writing the SQLite file, or another gateway replica on PostgreSQL. Each change is visible to
/// the very next cached lookup.
#[tokio::test]
async fn a_cached_lookup_never_outlives_a_change_made_elsewhere() {
    use haetae_core::{Quota, TierLimits};
    for (backend, url, _dir) in databases().await {
        let writer = Store::connect(&url).await.expect("writer");
        let gateway = Store::connect(&url).await.expect("gateway");
        let org = verified_org(&writer, "Cache CERT", "trusted").await;
        let m = member(&writer, &org.id, "c@c.example", Role::Analyst).await;
        let (key, _) = writer.issue_key(&m.id, "k", None).await.expect("key");
        let cached = |g: Store, id: String| async move {
            g.lookup_key_cached(&id)
                .await
                .expect("lookup")
                .expect("present")
        };
        assert_eq!(
            cached(gateway.clone(), key.id.clone())
                .await
                .member
                .display_name,
            "c@c.example"
        );

        // The cache really serves: a change that does not bump the generation (raw SQL, which no code path
        // does) is not seen by the cached lookup, only by the uncached one.
        sqlx::any::install_default_drivers();
        let raw = sqlx::AnyPool::connect(&url).await.expect("raw");
        sqlx::query("UPDATE members SET display_name = 'raw' WHERE id = $1")
            .bind(&m.id)
            .execute(&raw)
            .await
            .expect("raw update");
        raw.close().await;
        assert_eq!(
            cached(gateway.clone(), key.id.clone())
                .await
                .member
                .display_name,
            "c@c.example",
            "{backend}: the second lookup came from the cache"
        );
        let fresh = gateway
            .lookup_key(&key.id)
            .await
            .expect("lookup")
            .expect("present");
        assert_eq!(fresh.member.display_name, "raw");

        // Each change through the store, then the gateway's very next lookup.
        let g = || gateway.clone();
        let k = || key.id.clone();
        writer
            .set_key_limits(
                &key.id,
                &Quota {
                    requests_per_minute: Some(3),
                    ..Quota::default()
                },
            )
            .await
            .expect("key limits");
        let r = cached(g(), k()).await;
        assert_eq!(
            r.member.display_name, "raw",
            "{backend}: the bump also brought the raw change"
        );
        assert_eq!(
            r.quotas.key().requests_per_minute,
            Some(3),
            "{backend}: key limits"
        );

        writer
            .set_org_limits(
                &org.id,
                &Quota {
                    tokens_per_day: Some(11),
                    ..Quota::default()
                },
            )
            .await
            .expect("org limits");
        assert_eq!(
            cached(g(), k()).await.quotas.org().tokens_per_day,
            Some(11),
            "{backend}: org limits"
        );

        writer
            .set_tier_limits("trusted", &TierLimits::default_for("public"))
            .await
            .expect("tier limits");
        assert_eq!(
            cached(g(), k()).await.quotas.tier,
            TierLimits::default_for("public"),
            "{backend}: tier limits"
        );

        writer
            .set_org_tier(&org.id, "verified")
            .await
            .expect("tier");
        assert_eq!(
            cached(g(), k()).await.tier.name,
            "verified",
            "{backend}: tier change"
        );
        writer
            .upsert_tier(&Tier {
                name: "verified".into(),
                rank: 10,
                description: "renamed".into(),
            })
            .await
            .expect("tier");
        assert_eq!(
            cached(g(), k()).await.tier.description,
            "renamed",
            "{backend}: tier edit"
        );

        let expired = now_unix() - 1;
        writer
            .record_vetting(
                &org.id,
                &NewEvidence {
                    reviewer: "r".into(),
                    checked: "lapsed".into(),
                    decision: VettingState::Verified,
                    notes: String::new(),
                    expires_at: Some(expired),
                },
            )
            .await
            .expect("vetting");
        let r = cached(g(), k()).await;
        assert_eq!(
            r.org.vetting_expires_at,
            Some(expired),
            "{backend}: vetting change"
        );
        assert_eq!(
            r.org.standing_problem(now_unix()),
            Some(haetae_core::StandingProblem::VettingExpired),
            "{backend}"
        );

        writer
            .record_vetting(
                &org.id,
                &NewEvidence {
                    reviewer: "r".into(),
                    checked: "renewed".into(),
                    decision: VettingState::Verified,
                    notes: String::new(),
                    expires_at: None,
                },
            )
            .await
            .expect("vetting");
        assert_eq!(
            cached(g(), k()).await.org.standing_problem(now_unix()),
            None,
            "{backend}: renewal"
        );

        writer
            .record_vetting(
                &org.id,
                &NewEvidence {
                    reviewer: "r".into(),
                    checked: "abuse".into(),
                    decision: VettingState::Suspended,
                    notes: String::new(),
                    expires_at: None,
                },
            )
            .await
            .expect("suspend");
        assert_eq!(
            cached(g(), k()).await.org.vetting_state,
            VettingState::Suspended,
            "{backend}: suspension"
        );

        writer.revoke_key(&key.id).await.expect("revoke");
        assert!(
            cached(g(), k()).await.key.revoked_at.is_some(),
            "{backend}: revocation"
        );

        // An unknown id is answered (and cached) as absent, like the join.
        assert!(
            gateway
                .lookup_key_cached("0000")
                .await
                .expect("lookup")
                .is_none()
        );
        assert!(
            gateway
                .lookup_key_cached("0000")
                .await
                .expect("lookup")
                .is_none()
        );
    }
}

#[tokio::test]
async fn counts_and_usage_sums_come_from_the_database() {
    use haetae_meter::clock::calendar::day_label;
    use haetae_meter::misuse::Signal;
    use haetae_meter::review::ReviewState;
    use haetae_meter::usage::{GroupBy, UsageRecord, UsageReport};
    use haetae_store::UsageQuery;
    for (backend, store, _dir) in stores().await {
        // Two verified (expiring within the hour), one applied; one of the verified expires far later.
        let soon = verified_org(&store, "Soon CERT", "trusted").await;
        let later = verified_org(&store, "Later CERT", "trusted").await;
        store
            .record_vetting(
                &later.id,
                &NewEvidence {
                    reviewer: "r".into(),
                    checked: "renewal".into(),
                    decision: VettingState::Verified,
                    notes: String::new(),
                    expires_at: Some(now_unix() + 400 * 86_400),
                },
            )
            .await
            .expect("renew");
        let applied = store
            .create_org(&NewOrganisation {
                name: "Applied CERT".into(),
                country: "KR".into(),
                sector: String::new(),
                tier: None,
            })
            .await
            .expect("org");
        let counts = store.count_orgs_by_state().await.expect("counts");
        assert_eq!(
            counts,
            vec![(VettingState::Applied, 1), (VettingState::Verified, 2)],
            "{backend}"
        );
        let (listed, total) = store
            .expiring_vettings(now_unix() + 30 * 86_400, 10)
            .await
            .expect("expiring");
        assert_eq!(total, 1, "{backend}");
        assert_eq!(listed[0].id, soon.id);
        let (listed, total) = store
            .expiring_vettings(now_unix() + 500 * 86_400, 1)
            .await
            .expect("expiring");
        assert_eq!((listed.len(), total), (1, 2), "{backend}: limited, counted");
        assert_eq!(listed[0].name, "Soon CERT", "{backend}: soonest first");

        let names = store
            .org_names(&[&soon.id, &soon.id, &applied.id, "no-such-org"])
            .await
            .expect("names");
        assert_eq!(names.len(), 2, "{backend}");
        assert_eq!(names[&applied.id], "Applied CERT");

        for key in ["k1", "k2", "k3"] {
            let signal = Signal::policy_review(1, &soon.id, key, "req", "m", vec![], vec![]);
            store.file_signal(signal).await.expect("signal");
        }
        let first = store
            .list_reviews(None, &Page::first(1))
            .await
            .expect("list")
            .data[0]
            .id
            .simple()
            .to_string();
        store.claim_review(&first, "reviewer").await.expect("claim");
        assert_eq!(
            store.count_reviews(Some(ReviewState::Open)).await.unwrap(),
            2
        );
        assert_eq!(
            store
                .count_reviews(Some(ReviewState::Claimed))
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .count_reviews(Some(ReviewState::Resolved))
                .await
                .unwrap(),
            0
        );
        assert_eq!(store.count_reviews(None).await.unwrap(), 3, "{backend}");

        // The database's sums equal the report built from the rows themselves, for every grouping.
        let day_ms = 86_400_000;
        let t0 = 1_790_000_000_000;
        let mut records = Vec::new();
        for (i, (org, member, key, model, use_case)) in [
            (&soon.id, "m1", "k1", "gpt-sec", "malware-analysis"),
            (&soon.id, "m2", "k2", "gpt-sec", "vuln-research"),
            (&later.id, "m3", "k3", "ko-llama", "malware-analysis"),
            (&later.id, "m3", "k4", "gpt-sec", "incident-response"),
        ]
        .into_iter()
        .enumerate()
        {
            for d in 0..=(i as u64) {
                records.push(UsageRecord::request(
                    org.as_str(),
                    member,
                    key,
                    model,
                    use_case,
                    t0 - d * 40 * day_ms,
                    100 + i as u64,
                    10 * d,
                ));
            }
        }
        store.add_usage(&records).await.expect("usage");
        // A second batch adds to rows (and rollup rows) that exist: the upserts' other path.
        store.add_usage(&records[..3]).await.expect("usage again");
        // Over the whole programme, groupings within (day or month, organisation) or (day or month, model,
        // use-case) are summed from the per-day rollups (migration 0006), the others from the rows: the sums
        // are the same either way, and the same again after the rollups are rebuilt from the rows.
        for rebuilt in [false, true] {
            if rebuilt {
                store.rebuild_usage_rollups().await.expect("rebuild");
            }
            for query in [
                UsageQuery::default(),
                UsageQuery {
                    org: Some("Later CERT".into()),
                    ..UsageQuery::default()
                },
                UsageQuery {
                    from: Some(day_label(t0 - 40 * day_ms)),
                    to: Some(day_label(t0)),
                    org: None,
                },
            ] {
                let rows = store.usage(&query).await.expect("rows");
                for by in [
                    vec![],
                    vec![GroupBy::Org],
                    vec![GroupBy::Member],
                    vec![GroupBy::Key],
                    vec![GroupBy::Model],
                    vec![GroupBy::UseCase],
                    vec![GroupBy::Model, GroupBy::UseCase],
                    vec![GroupBy::Day],
                    vec![GroupBy::Month],
                    vec![GroupBy::Org, GroupBy::Day],
                    vec![GroupBy::Month, GroupBy::Org],
                    vec![GroupBy::Day, GroupBy::Model],
                    vec![GroupBy::Org, GroupBy::Model],
                ] {
                    let report = UsageReport::build(&rows, &by);
                    let sums = store.usage_grouped(&query, &by, None).await.expect("sums");
                    if by.is_empty() {
                        assert_eq!(sums.rows, vec![report.total.clone()], "{backend}");
                    } else {
                        assert_eq!(sums.rows, report.rows, "{backend} {by:?} {query:?}");
                    }
                    assert_eq!(sums.groups, sums.rows.len() as u64);
                }
                for by in [GroupBy::Key, GroupBy::Org, GroupBy::Model] {
                    let all = store.usage_grouped(&query, &[by], None).await.unwrap();
                    let top = store.usage_grouped(&query, &[by], Some(2)).await.unwrap();
                    assert_eq!(
                        top.groups, all.groups,
                        "{backend} {by:?}: every group counted"
                    );
                    let mut expected = all.rows.clone();
                    expected
                        .sort_by(|a, b| b.requests.cmp(&a.requests).then(a.group.cmp(&b.group)));
                    expected.truncate(2);
                    assert_eq!(
                        top.rows, expected,
                        "{backend} {by:?}: the largest, largest first"
                    );
                    let none = store.usage_grouped(&query, &[by], Some(0)).await.unwrap();
                    assert!(none.rows.is_empty());
                    assert_eq!(none.groups, all.groups, "{backend} {by:?}: counted");
                }
            }
        }
        let empty = UsageQuery {
            from: Some("2000-01-01".into()),
            to: Some("2000-01-02".into()),
            org: None,
        };
        let none = store.usage_grouped(&empty, &[], None).await.unwrap();
        assert_eq!((none.rows[0].requests, none.rows[0].total_tokens), (0, 0));
        assert!(
            store
                .usage_grouped(&empty, &[GroupBy::Org], Some(5))
                .await
                .unwrap()
                .rows
                .is_empty()
        );
        assert!(matches!(
            store
                .usage_grouped(
                    &UsageQuery {
                        to: Some("tomorrow".into()),
                        ..UsageQuery::default()
                    },
                    &[GroupBy::Day],
                    None
                )
                .await,
            Err(StoreError::Invalid(_))
        ));
    }
}
