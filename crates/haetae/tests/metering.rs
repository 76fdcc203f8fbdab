//! The meter stage and the review loop through the real binary: rate-limit headers and 429s, budgets that hold
//! under 200 concurrent requests, reconciliation after streams, usage reports, misuse signals that open review
//! items (and stay quiet on normal work), and suspensions that take effect on the very next request.

mod support;

use std::time::Duration;

use futures::future::join_all;
use haetae_mock::MockConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::*;

const BENIGN: &str = "Summarise this alert for the incident channel.";
const VULN: &str = "Find the buffer overflow in this C function and explain the CWE: void f(char *s){char b[8]; strcpy(b,s);}";

async fn set_limits(gw: &Gateway, path: &str, limits: Value) {
    let (s, b) = admin(gw, Method::PUT, path, Some(limits)).await;
    assert!(s.is_success(), "{path}: {b}");
}

async fn reviews(gw: &Gateway) -> Vec<Value> {
    let (_, b) = admin(gw, Method::GET, "/reviews?limit=500", None).await;
    b["data"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limits_answer_429_with_headers_and_retry_after() {
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    let org = verified_org(&gw, "Busan CERT", "public").await;
    let (_, key) = member_key(&gw, &org, "a@busan.example", "analyst").await;
    set_limits(
        &gw,
        &format!("/keys/{}/limits", key_id(&key)),
        json!({"requests_per_minute": 3}),
    )
    .await;

    let mut remaining = Vec::new();
    for _ in 0..3 {
        let (s, b, h) = chat(&gw, &key, "mock-1", BENIGN, &[]).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(h["x-ratelimit-limit-requests"], "3");
        remaining.push(
            h["x-ratelimit-remaining-requests"]
                .to_str()
                .expect("header")
                .to_string(),
        );
        assert!(h.contains_key("x-ratelimit-reset-requests"));
        assert!(
            h.contains_key("x-ratelimit-limit-tokens"),
            "the tier's token rate applies too"
        );
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let (s, b, h) = chat(&gw, &key, "mock-1", BENIGN, &[]).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{b}");
    assert_eq!(b["error"]["code"], "rate_limit_exceeded");
    let retry: u64 = h["retry-after"]
        .to_str()
        .expect("retry-after")
        .parse()
        .expect("seconds");
    assert!((1..=20).contains(&retry), "{retry}");
    assert!(h.contains_key("retry-after-ms"));
    // Another key of the same organisation is not affected by this key's limit.
    let (_, other) = member_key(&gw, &org, "b@busan.example", "analyst").await;
    let (s, _, _) = chat(&gw, &other, "mock-1", BENIGN, &[]).await;
    assert_eq!(s, StatusCode::OK);
    // A Korean caller is told in Korean.
    let (s, b, _) = chat(&gw, &key, "mock-1", "이 경보를 요약해 줘", &[]).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .chars()
            .any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)),
        "{b}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_budget_holds_under_200_concurrent_requests() {
    // The upstream answers slowly, so all 200 requests hold their reservations at the same time.
    let upstream = mock_with(MockConfig {
        latency: Duration::from_millis(2500),
        record_requests: false,
        ..MockConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    let org = verified_org(&gw, "Daegu CERT", "public").await;
    let (_, key) = member_key(&gw, &org, "a@daegu.example", "analyst").await;
    set_limits(
        &gw,
        &format!("/orgs/{org}/limits"),
        json!({"requests_per_minute": 10000}),
    )
    .await;
    let budget = 5000u64;
    set_limits(
        &gw,
        &format!("/keys/{}/limits", key_id(&key)),
        json!({"requests_per_minute": 10000, "tokens_per_day": budget}),
    )
    .await;
    // Each request reserves its prompt's bound (ceil(2/2) + 8 per message + 8 = 17) plus max_tokens (40).
    let per_request = 17 + 40;
    let body = json!({"model": "mock-1", "max_tokens": 40, "messages": [{"role": "user", "content": "hi"}]});
    let results = join_all((0..200).map(|_| {
        let body = body.clone();
        let key = key.clone();
        let gw = &gw;
        async move { chat_body(gw, &key, &body, &[]).await }
    }))
    .await;
    let ok = results
        .iter()
        .filter(|(s, _, _)| *s == StatusCode::OK)
        .count() as u64;
    let quota = results
        .iter()
        .filter(|(s, b, _)| {
            *s == StatusCode::TOO_MANY_REQUESTS && b["error"]["code"] == "insufficient_quota"
        })
        .count() as u64;
    assert_eq!(
        ok + quota,
        200,
        "every request is either served or refused for quota: {:?}",
        results
            .iter()
            .find(|(s, b, _)| *s != StatusCode::OK && b["error"]["code"] != "insufficient_quota")
    );
    assert_eq!(
        ok,
        budget / per_request,
        "exactly as many as the budget can reserve, not one more"
    );

    // What was actually used is accounted, and stays within the budget.
    let (s, report) = admin(
        &gw,
        Method::GET,
        &format!("/usage?org={org}&group_by=key"),
        None,
    )
    .await;
    assert!(s.is_success(), "{report}");
    let rows = report["rows"].as_array().cloned().unwrap_or_default();
    let used: u64 = rows
        .iter()
        .map(|r| r["total_tokens"].as_u64().unwrap_or(0))
        .sum();
    let requests: u64 = rows
        .iter()
        .map(|r| r["requests"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(requests, ok, "{report}");
    assert!(
        used > 0 && used <= budget,
        "used {used} of {budget}: {report}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn streams_are_reconciled_to_their_real_usage() {
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    let org = verified_org(&gw, "Incheon CERT", "public").await;
    let (_, key) = member_key(&gw, &org, "a@incheon.example", "analyst").await;
    // Room for one reservation of ~917 tokens at a time: the second stream fits only if the first was settled
    // at its real usage (tens of tokens), not at its reservation.
    set_limits(
        &gw,
        &format!("/keys/{}/limits", key_id(&key)),
        json!({"tokens_per_day": 1000}),
    )
    .await;
    let body = json!({"model": "mock-1", "stream": true, "max_tokens": 900,
                      "messages": [{"role": "user", "content": "Summarise this alert for the incident channel."}]});
    for round in 0..2 {
        let resp = client()
            .post(format!("{}/chat/completions", gw.base_url()))
            .bearer_auth(&key)
            .json(&body)
            .send()
            .await
            .expect("stream");
        assert_eq!(resp.status(), StatusCode::OK, "round {round}");
        let text = resp.text().await.expect("body");
        assert!(text.trim_end().ends_with("data: [DONE]"), "{text}");
        assert!(
            !text.contains("\"usage\":{"),
            "the caller did not ask for usage: {text}"
        );
    }
    let (_, report) = admin(
        &gw,
        Method::GET,
        &format!("/usage?org={org}&group_by=key"),
        None,
    )
    .await;
    let row = &report["rows"][0];
    assert_eq!(row["requests"], 2, "{report}");
    assert!(
        row["completion_tokens"].as_u64().unwrap_or(0) > 0,
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_reports_from_the_cli_in_every_format() {
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(
        dir.path(),
        &upstream.base_url(),
        &[("HAETAE_USAGE_FLUSH_SECS", "1")],
    );
    for _ in 0..3 {
        let (s, _, _) = chat(&gw, gw.key("verified"), "mock-1", BENIGN, &[]).await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, _, _) = chat(&gw, gw.key("verified"), "mock-1", VULN, &[]).await;
    assert_eq!(s, StatusCode::OK);
    let cli = |format: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_haetae"))
            .args(["--data-dir"])
            .arg(dir.path())
            .args([
                "usage",
                "report",
                "--group-by",
                "org,use_case",
                "--format",
                format,
            ])
            .env_remove("HAETAE_CONFIG")
            .current_dir(dir.path())
            .output()
            .expect("haetae usage report");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let csv = eventually("usage to be flushed", || async {
        let csv = cli("csv");
        (csv.contains("vulnerability-research") && csv.contains("benign")).then_some(csv)
    })
    .await;
    let header = csv.lines().next().unwrap_or_default();
    assert!(
        header.contains("requests") && header.contains("prompt_tokens"),
        "{csv}"
    );
    let json: Value = serde_json::from_str(&cli("json")).expect("json report");
    let benign = json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["use_case"] == "benign")
        .cloned()
        .expect("a benign row");
    assert_eq!(benign["requests"], 3, "{json}");
    assert!(cli("table").contains("vulnerability-research"));
}

#[tokio::test(flavor = "multi_thread")]
async fn misuse_signals_open_review_items_and_suspensions_bite_at_once() {
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("haetae.toml"),
        "[misuse.denial_burst]\nthreshold = 5\nwindow_secs = 300\n\n[misuse.client_addresses]\nthreshold = 4\nwindow_secs = 3600\n",
    )
    .expect("config");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    let org = verified_org(&gw, "Gwangju CERT", "public").await;
    let (_, prober) = member_key(&gw, &org, "p@gwangju.example", "analyst").await;
    let (_, normal) = member_key(&gw, &org, "n@gwangju.example", "analyst").await;

    // A normal workload raises nothing.
    for _ in 0..15 {
        let (s, _, _) = chat(&gw, &normal, "mock-1", BENIGN, &[]).await;
        assert_eq!(s, StatusCode::OK);
    }
    // Repeatedly asking for what the tier lacks: a denial burst and use-case probing.
    for _ in 0..6 {
        let (s, _, _) = chat(&gw, &prober, "mock-1", VULN, &[]).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    let prober_id = key_id(&prober);
    let items = eventually("review items for the prober", || async {
        let items: Vec<Value> = reviews(&gw)
            .await
            .into_iter()
            .filter(|i| i["subject"]["key_id"] == prober_id)
            .collect();
        let kinds: Vec<&str> = items.iter().filter_map(|i| i["kind"].as_str()).collect();
        (kinds.contains(&"denial_burst") && kinds.contains(&"use_case_probing")).then_some(items)
    })
    .await;
    let burst = items
        .iter()
        .find(|i| i["kind"] == "denial_burst")
        .expect("burst");
    assert!(
        burst["signals"][0]["evidence"]["denials"]
            .as_u64()
            .unwrap_or(0)
            >= 5,
        "{burst}"
    );
    assert!(
        !burst.to_string().contains("buffer overflow"),
        "evidence never holds prompt text"
    );

    // One key from many client addresses (loopback has the whole 127/8).
    let (_, shared) = member_key(&gw, &org, "s@gwangju.example", "analyst").await;
    for i in 2..7u8 {
        let c = reqwest::Client::builder()
            .local_address(std::net::IpAddr::from([127, 0, 0, i]))
            .build()
            .expect("client");
        let r = c
            .post(format!("{}/chat/completions", gw.base_url()))
            .bearer_auth(&shared)
            .json(&json!({"model": "mock-1", "messages": [{"role": "user", "content": BENIGN}]}))
            .send()
            .await
            .expect("chat");
        assert_eq!(r.status(), StatusCode::OK);
    }
    let shared_id = key_id(&shared);
    eventually("a many-addresses item", || async {
        reviews(&gw)
            .await
            .into_iter()
            .find(|i| i["subject"]["key_id"] == shared_id && i["kind"] == "many_client_addresses")
    })
    .await;
    let normal_id = key_id(&normal);
    assert!(
        !reviews(&gw)
            .await
            .iter()
            .any(|i| i["subject"]["key_id"] == normal_id),
        "the normal key raised nothing"
    );

    // The reviewer suspends the whole organisation: its very next request is refused.
    let id = burst["id"].as_str().expect("id").to_string();
    for (path, body) in [
        ("claim", json!({"reviewer": "kim"})),
        (
            "resolve",
            json!({"reviewer": "kim", "action": "suspend-org", "note": "probing beyond the tier"}),
        ),
    ] {
        let (s, b) = admin(
            &gw,
            Method::POST,
            &format!("/reviews/{id}/{path}"),
            Some(body),
        )
        .await;
        assert!(s.is_success(), "{path}: {b}");
    }
    let (s, b, _) = chat(&gw, &normal, "mock-1", BENIGN, &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    assert_eq!(b["error"]["code"], "organisation_suspended", "{b}");
    let (_, item) = admin(&gw, Method::GET, &format!("/reviews/{id}"), None).await;
    assert_eq!(item["state"], "resolved");
    assert_eq!(item["resolution"]["action"], "suspend-org");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_replicas_share_one_limit_through_redis_and_postgres() {
    let (Ok(pg), Ok(redis)) = (
        std::env::var("HAETAE_TEST_POSTGRES_URL"),
        std::env::var("HAETAE_TEST_REDIS_URL"),
    ) else {
        eprintln!(
            "skipping the replica test: HAETAE_TEST_POSTGRES_URL and HAETAE_TEST_REDIS_URL are both needed"
        );
        return;
    };
    use sqlx::Connection;
    let name = format!("haetae_replicas_{}", haetae_core::new_id());
    let mut su = sqlx::PgConnection::connect(&pg).await.expect("connect");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut su)
        .await
        .expect("create db");
    let (prefix, _) = pg.rsplit_once('/').expect("database URL");
    let store = format!("{prefix}/{name}");
    let upstream = mock().await;
    let env = [
        ("HAETAE_STORE_URL", store.as_str()),
        ("HAETAE_METER_REDIS_URL", redis.as_str()),
    ];
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("tmp"),
        tempfile::tempdir().expect("tmp"),
    );
    let a = start_gateway(dir_a.path(), &upstream.base_url(), &env);
    let b = start_gateway(dir_b.path(), &upstream.base_url(), &env);
    let org = verified_org(&a, "Replica CERT", "public").await;
    let (_, key) = member_key(&a, &org, "r@replica.example", "analyst").await;
    set_limits(
        &a,
        &format!("/keys/{}/limits", key_id(&key)),
        json!({"requests_per_minute": 4}),
    )
    .await;
    for gw in [&a, &b, &a, &b] {
        let (s, body, _) = chat(gw, &key, "mock-1", BENIGN, &[]).await;
        assert_eq!(s, StatusCode::OK, "{body}");
    }
    for gw in [&a, &b] {
        let (s, body, _) = chat(gw, &key, "mock-1", BENIGN, &[]).await;
        assert_eq!(
            s,
            StatusCode::TOO_MANY_REQUESTS,
            "the limit is shared: {body}"
        );
    }
    // Probing spread over both replicas (3 + 2 requests for a use-case the tier lacks, each replica below the
    // threshold of 5) is flagged: the misuse windows are shared through Redis too.
    let (_, prober) = member_key(&a, &org, "p@replica.example", "analyst").await;
    for gw in [&a, &b, &a, &b, &a] {
        let (s, body, _) = chat(gw, &prober, "mock-1", VULN, &[]).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    }
    let prober_id = key_id(&prober);
    eventually("a probing signal for the spread prober", || async {
        reviews(&b)
            .await
            .into_iter()
            .find(|i| i["subject"]["key_id"] == prober_id && i["kind"] == "use_case_probing")
    })
    .await;
    // A revocation through one replica is effective at the other on its next request.
    let (s, _) = admin(
        &a,
        Method::POST,
        &format!("/keys/{}/revoke", key_id(&key)),
        None,
    )
    .await;
    assert!(s.is_success());
    let (s, _, _) = chat(&b, &key, "mock-1", BENIGN, &[]).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}
