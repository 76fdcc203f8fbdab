//! Faults, each with its documented behaviour (docs/faults.md): a clear OpenAI-format error, nothing lost (every
//! decision recorded, no budget consumed by a call that produced nothing), and recovery when the fault clears.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::*;

async fn recorded(gw: &Gateway, request_id: &str) -> bool {
    let r = client()
        .get(format!("{}/ledger/proof/inclusion", gw.root_url()))
        .query(&[("request_id", request_id)])
        .send()
        .await
        .expect("proof");
    r.status() == StatusCode::OK
}

#[tokio::test(flavor = "multi_thread")]
async fn upstream_faults_are_clear_lose_nothing_and_recover() {
    // Chunks 20 ms apart, so a reset lands after the stream's first chunks reached the caller.
    let upstream = mock_with(haetae_mock::MockConfig {
        chunk_delay: std::time::Duration::from_millis(20),
        ..haetae_mock::MockConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(
        dir.path(),
        &upstream.base_url(),
        &[("HAETAE_REQUEST_TIMEOUT_SECS", "1")],
    );
    let org = verified_org(&gw, "Ulsan CERT", "public").await;
    let (_, key) = member_key(&gw, &org, "a@ulsan.example", "analyst").await;
    // Room for about twenty reservations of this request (ceil(len/2) + 16 + 100 tokens each): more failed calls
    // than that fit only if failures give their reservations back.
    let (s, b) = admin(
        &gw,
        Method::PUT,
        &format!("/keys/{}/limits", key_id(&key)),
        Some(json!({"tokens_per_day": 2600})),
    )
    .await;
    assert!(s.is_success(), "{b}");
    let body = json!({"model": "mock-1", "max_tokens": 100, "messages": [{"role": "user", "content": "Summarise the alert."}]});

    for (fault, status, code) in [
        ("error-500", StatusCode::BAD_GATEWAY, "upstream_error"),
        ("error-503", StatusCode::BAD_GATEWAY, "upstream_error"),
        ("garbage", StatusCode::BAD_GATEWAY, "upstream_error"),
        ("slow-3000", StatusCode::GATEWAY_TIMEOUT, "upstream_timeout"),
    ] {
        upstream.set_fault(Some(fault));
        for _ in 0..8 {
            let (s, b, h) = chat_body(&gw, &key, &body, &[]).await;
            assert_eq!(s, status, "{fault}: {b}");
            assert_eq!(b["error"]["code"], code, "{fault}: {b}");
            assert!(
                !b["error"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .is_empty()
            );
            let id = h["x-request-id"].to_str().expect("id").to_string();
            assert!(
                recorded(&gw, &id).await,
                "{fault}: the failed call is in the ledger"
            );
        }
        upstream.set_fault(None);
        let (s, b, _) = chat_body(&gw, &key, &body, &[]).await;
        assert_eq!(s, StatusCode::OK, "recovers after {fault}: {b}");
    }

    // A stream cut mid-way: the caller sees an error event and no [DONE], so it cannot mistake it for complete.
    upstream.set_fault(Some("reset"));
    let mut stream_body = body.clone();
    stream_body["stream"] = json!(true);
    let resp = client()
        .post(format!("{}/chat/completions", gw.base_url()))
        .bearer_auth(&key)
        .json(&stream_body)
        .send()
        .await
        .expect("stream");
    assert_eq!(resp.status(), StatusCode::OK);
    let id = resp.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_string();
    let text = resp.text().await.unwrap_or_default();
    assert!(!text.contains("[DONE]"), "{text}");
    assert!(text.contains("\"error\""), "{text}");
    assert!(recorded(&gw, &id).await);
    upstream.set_fault(None);

    // The upstream goes away entirely, then comes back on the same address.
    let addr = upstream.addr();
    drop(upstream);
    // The mock's listener closes off this task: wait (bounded) for the first call that finds it gone.
    let b = eventually("the upstream to go away", || async {
        let (s, b, _) = chat_body(&gw, &key, &body, &[]).await;
        (s == StatusCode::BAD_GATEWAY).then_some(b)
    })
    .await;
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("could not be reached"),
        "{b}"
    );
    let back = haetae_mock::MockUpstream::start_on(addr, haetae_mock::MockConfig::default())
        .await
        .expect("mock back");
    let (s, b, _) = chat_body(&gw, &key, &body, &[]).await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // 33 failed calls and 6 served ones went through a budget of about 21 reservations: failures consumed nothing.
    let (_, report) = admin(
        &gw,
        Method::GET,
        &format!("/usage?org={org}&group_by=key"),
        None,
    )
    .await;
    let used: u64 = report["total"]["total_tokens"].as_u64().unwrap_or(0);
    assert!(used > 0 && used < 2600, "{report}");
    let (s, b, _) = chat_body(&gw, &key, &body, &[]).await;
    assert_eq!(s, StatusCode::OK, "budget left after the faults: {b}");
    drop(back);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_store_refuses_changes_clearly_and_loses_no_usage() {
    let Ok(base) = std::env::var("HAETAE_TEST_POSTGRES_URL") else {
        eprintln!("skipping the read-only store test: HAETAE_TEST_POSTGRES_URL is not set");
        return;
    };
    // A database owned by the superuser, used by a role whose write privileges can be revoked while the
    // gateway runs: the store becomes read-only underneath open connections, as a failed-over replica would.
    use sqlx::Connection;
    let name = format!("haetae_ro_{}", haetae_core::new_id());
    let role = format!("{name}_gw");
    let mut su = sqlx::PgConnection::connect(&base).await.expect("connect");
    for sql in [
        format!("CREATE DATABASE {name}"),
        format!("CREATE ROLE {role} LOGIN"),
    ] {
        sqlx::query(&sql).execute(&mut su).await.expect("setup");
    }
    let (prefix, _) = base.rsplit_once('/').expect("database URL");
    let mut db = sqlx::PgConnection::connect(&format!("{prefix}/{name}"))
        .await
        .expect("connect db");
    for sql in [
        format!("GRANT ALL ON SCHEMA public TO {role}"),
        format!("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO {role}"),
    ] {
        sqlx::query(&sql).execute(&mut db).await.expect("grant");
    }
    let host = prefix.split('@').next_back().unwrap_or("127.0.0.1:5432");
    let store_url = format!("postgres://{role}@{host}/{name}");

    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(
        dir.path(),
        &upstream.base_url(),
        &[
            ("HAETAE_STORE_URL", &store_url),
            ("HAETAE_USAGE_FLUSH_SECS", "1"),
        ],
    );
    let (s, _, _) = chat(&gw, gw.key("public"), "mock-1", "Summarise the alert.", &[]).await;
    assert_eq!(s, StatusCode::OK);

    // Writes are revoked: the tables pass to the superuser and the gateway's role keeps only SELECT.
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
            .fetch_all(&mut db)
            .await
            .expect("tables");
    for t in &tables {
        sqlx::query(&format!("ALTER TABLE {t} OWNER TO postgres"))
            .execute(&mut db)
            .await
            .expect("owner");
        sqlx::query(&format!("GRANT SELECT ON {t} TO {role}"))
            .execute(&mut db)
            .await
            .expect("select");
    }

    // Model calls keep working (they only read the store); changes are refused with a clear 503.
    for _ in 0..3 {
        let (s, b, _) = chat(&gw, gw.key("public"), "mock-1", "Summarise the alert.", &[]).await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    let (s, b) = admin(
        &gw,
        Method::POST,
        "/orgs",
        Some(json!({"name": "New CERT", "country": "KR"})),
    )
    .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{b}");
    assert_eq!(b["error"]["code"], "store_unavailable", "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nothing was changed"),
        "{b}"
    );
    // At least one flush of the usage counted meanwhile has been refused (and kept) before the fault clears.
    eventually("a refused usage flush", || async {
        let metrics = reqwest::get(format!("{}/metrics", gw.root_url()))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        metrics
            .lines()
            .find_map(|l| l.strip_prefix("haetae_usage_write_failures_total "))
            .and_then(|n| n.trim().parse::<f64>().ok())
            .filter(|n| *n >= 1.0)
    })
    .await;

    // The fault clears: the change goes through, and the usage counted meanwhile was kept and lands.
    for t in &tables {
        sqlx::query(&format!("GRANT INSERT, UPDATE, DELETE ON {t} TO {role}"))
            .execute(&mut db)
            .await
            .expect("grant");
    }
    let (s, b) = admin(
        &gw,
        Method::POST,
        "/orgs",
        Some(json!({"name": "New CERT", "country": "KR"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let report = eventually("the usage counted during the fault", || async {
        let (_, r) = admin(&gw, Method::GET, "/usage?group_by=org", None).await;
        (r["total"]["requests"].as_u64() == Some(4)).then_some(r)
    })
    .await;
    assert_eq!(report["total"]["requests"], 4, "{report}");
    let _: Value = report;
}

/// A small tmpfs of our own, so a test can fill a disk without touching the machine's. Needs root (CI runs as
/// root); `None` (and the test skips, saying why) elsewhere.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = std::env::temp_dir().join(format!("haetae-tmpfs-{}", haetae_core::new_id()));
        std::fs::create_dir_all(&dir).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            Some(Tmpfs(dir))
        } else {
            let _ = std::fs::remove_dir(&dir);
            None
        }
    }

    /// Writes a file until the disk is full; returns its path (remove it to clear the fault).
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let path = self.0.join("filler");
        let mut f = std::fs::File::create(&path).expect("filler");
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
        path
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_under_the_store_refuses_changes_clearly_and_recovers() {
    let Some(disk) = Tmpfs::mount("8M") else {
        eprintln!("skipping the full-disk store test: cannot mount a tmpfs here (needs root)");
        return;
    };
    let store_url = format!("sqlite://{}", disk.0.join("haetae.db").display());
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(
        dir.path(),
        &upstream.base_url(),
        &[
            ("HAETAE_STORE_URL", &store_url),
            ("HAETAE_USAGE_FLUSH_SECS", "1"),
        ],
    );
    let filler = disk.fill();
    // Keep writing until SQLite has no page left to grow into (it may have had some free pages).
    let mut refused = None;
    for i in 0..200 {
        let (s, b) = admin(
            &gw,
            Method::POST,
            "/orgs",
            Some(json!({"name": format!("Filler CERT {i} {}", "x".repeat(400)), "country": "KR"})),
        )
        .await;
        if s != StatusCode::CREATED {
            refused = Some((s, b));
            break;
        }
    }
    let (s, b) = refused.expect("the full disk refuses a change");
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{b}");
    assert_eq!(b["error"]["code"], "store_unavailable", "{b}");
    // Model calls need only reads: they keep working.
    let (s, b, _) = chat(&gw, gw.key("public"), "mock-1", "Summarise the alert.", &[]).await;
    assert_eq!(s, StatusCode::OK, "{b}");

    std::fs::remove_file(filler).expect("free the disk");
    let (s, b) = admin(
        &gw,
        Method::POST,
        "/orgs",
        Some(json!({"name": "After the fault", "country": "KR"})),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "recovers once the disk has room: {b}"
    );
    eventually("usage counted during the fault", || async {
        let (_, r) = admin(&gw, Method::GET, "/usage?group_by=org", None).await;
        (r["total"]["requests"].as_u64() == Some(1)).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_under_the_ledger_fails_closed_and_recovers_when_space_returns() {
    let Some(disk) = Tmpfs::mount("24M") else {
        eprintln!("skipping the full-disk ledger test: cannot mount a tmpfs here (needs root)");
        return;
    };
    let data = disk.0.join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let upstream = mock().await;
    // The store lives elsewhere, so only the ledger meets the full disk.
    let store_dir = tempfile::tempdir().expect("tmp");
    let store_url = format!("sqlite://{}", store_dir.path().join("haetae.db").display());
    let gw = start_gateway(
        &data,
        &upstream.base_url(),
        &[
            ("HAETAE_STORE_URL", &store_url),
            ("HAETAE_USAGE_FLUSH_SECS", "1"),
        ],
    );
    let key = gw.vars["HAETAE_LEDGER_KEY"].clone();
    let mut answered = Vec::new();
    for _ in 0..5 {
        let (s, b, h) = chat(&gw, gw.key("public"), "mock-1", "Summarise the alert.", &[]).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        answered.push(h["x-request-id"].to_str().expect("id").to_string());
    }

    let filler = disk.fill();
    // The first append to meet the full disk fails; from then on everything is refused, clearly.
    let mut refused = None;
    for _ in 0..50 {
        let (s, b, h) = chat(&gw, gw.key("public"), "mock-1", "Summarise the alert.", &[]).await;
        if s == StatusCode::OK {
            answered.push(h["x-request-id"].to_str().expect("id").to_string());
            continue;
        }
        refused = Some((s, b));
        break;
    }
    let (s, b) = refused.expect("the full disk stops the gateway serving");
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("ledger"),
        "{b}"
    );
    let (s, b, _) = chat(&gw, gw.key("public"), "mock-1", "Summarise the alert.", &[]).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "fail closed: {b}");
    let ready = client()
        .get(format!("{}/readyz", gw.root_url()))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = ready.json().await.expect("json");
    assert_eq!(body["ledger"]["ok"], false, "{body}");

    std::fs::remove_file(filler).expect("free the disk");
    let id = eventually("the ledger to recover", || async {
        let (s, _, h) = chat(&gw, gw.key("public"), "mock-1", "Summarise the alert.", &[]).await;
        (s == StatusCode::OK).then(|| h["x-request-id"].to_str().expect("id").to_string())
    })
    .await;
    answered.push(id);
    // Nothing answered was lost, and the log still verifies from outside, in full.
    for id in &answered {
        assert!(recorded(&gw, id).await, "{id}");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_haetae"))
        .args([
            "audit",
            "verify",
            "--url",
            &gw.root_url(),
            "--key",
            &key,
            "--full",
        ])
        .output()
        .expect("audit");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
