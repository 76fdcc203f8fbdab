//! What authenticating a member key costs the store per request: the joined lookup (key, member, organisation,
//! tier, limits) that every request ran before the key cache, the programme-generation read the cache runs
//! instead, and the whole cached lookup (generation read + cache hit). SQLite file always; PostgreSQL too when
//! `HAETAE_TEST_POSTGRES_URL` is set (a fresh database is created).
//! Run: `cargo bench -p haetae-store --bench key_lookup -- --quick`

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use haetae_core::{Role, VettingState, now_unix};
use haetae_store::{NewEvidence, NewMember, NewOrganisation, Store};

async fn store_with_key(url: &str) -> (Store, String) {
    let store = match Store::connect(url).await {
        Ok(s) => s,
        Err(e) => panic!("store {url}: {e}"),
    };
    let setup = async {
        store.ensure_default_tiers().await?;
        let org = store
            .create_org(&NewOrganisation {
                name: format!("bench-{}", haetae_core::new_id()),
                country: "KR".into(),
                sector: String::new(),
                tier: Some("trusted".into()),
            })
            .await?;
        store
            .record_vetting(
                &org.id,
                &NewEvidence {
                    reviewer: "r".into(),
                    checked: "c".into(),
                    decision: VettingState::Verified,
                    notes: String::new(),
                    expires_at: Some(now_unix() + 86_400),
                },
            )
            .await?;
        let member = store
            .add_member(
                &org.id,
                &NewMember {
                    identity: "bench@example.org".into(),
                    display_name: String::new(),
                    role: Role::Analyst,
                    identity_verified: true,
                },
            )
            .await?;
        let (info, _) = store.issue_key(&member.id, "bench", None).await?;
        Ok::<_, haetae_store::StoreError>(info.id)
    };
    match setup.await {
        Ok(id) => (store, id),
        Err(e) => panic!("setup: {e}"),
    }
}

async fn fresh_postgres(base: &str) -> String {
    use sqlx::Connection;
    let name = format!("haetae_bench_{}", haetae_core::new_id());
    let mut admin = match sqlx::PgConnection::connect(base).await {
        Ok(c) => c,
        Err(e) => panic!("connect to PostgreSQL: {e}"),
    };
    if let Err(e) = sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
    {
        panic!("create database: {e}");
    }
    let Some((prefix, _)) = base.rsplit_once('/') else {
        panic!("HAETAE_TEST_POSTGRES_URL has no database")
    };
    format!("{prefix}/{name}")
}

fn bench(c: &mut Criterion) {
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => panic!("runtime: {e}"),
    };
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("temp dir: {e}"),
    };
    let mut urls = vec![(
        "sqlite",
        format!("sqlite://{}", dir.path().join("bench.db").display()),
    )];
    if let Ok(base) = std::env::var("HAETAE_TEST_POSTGRES_URL") {
        urls.push(("postgres", rt.block_on(fresh_postgres(&base))));
    }
    for (backend, url) in urls {
        let (store, id) = rt.block_on(store_with_key(&url));
        let mut g = c.benchmark_group(format!("key_lookup/{backend}"));
        g.bench_function("joined_lookup", |b| {
            b.to_async(&rt)
                .iter(|| async { store.lookup_key(&id).await.ok().flatten() })
        });
        g.bench_function("generation_read", |b| {
            b.to_async(&rt)
                .iter(|| async { store.programme_generation().await.ok() })
        });
        g.bench_function("cached_lookup", |b| {
            b.to_async(&rt)
                .iter(|| async { store.lookup_key_cached(&id).await.ok().flatten() })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
