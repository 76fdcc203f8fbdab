//! Starts the real `haetae` binary on a loopback port against an in-process mock upstream.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use haetae_mock::{MockConfig, MockUpstream};

pub struct Gateway {
    pub child: Child,
    pub vars: HashMap<String, String>,
    pub data_dir: std::path::PathBuf,
}

impl Gateway {
    pub fn base_url(&self) -> &str {
        &self.vars["HAETAE_BASE_URL"]
    }
    pub fn root_url(&self) -> String {
        self.base_url().trim_end_matches("/v1").to_string()
    }
    pub fn admin_key(&self) -> &str {
        &self.vars["HAETAE_ADMIN_KEY"]
    }
    pub fn key(&self, tier: &str) -> &str {
        &self.vars[&format!("HAETAE_KEY_{}", tier.to_uppercase())]
    }

    pub fn stop(&mut self) {
        // SIGTERM first, so the graceful-shutdown path runs as it would under a supervisor.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `haetae up` with the given extra environment, waits for its machine-readable lines, and returns them.
pub fn start_gateway(data_dir: &std::path::Path, upstream: &str, env: &[(&str, &str)]) -> Gateway {
    start_gateway_with(data_dir, Some(upstream), env)
}

/// `upstream: None` runs `haetae up` as a user would on a fresh machine: the embedded model.
pub fn start_gateway_with(
    data_dir: &std::path::Path,
    upstream: Option<&str>,
    env: &[(&str, &str)],
) -> Gateway {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_haetae"));
    cmd.args(["up", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir);
    if let Some(upstream) = upstream {
        cmd.args(["--upstream", upstream]);
    }
    cmd.env("HAETAE_LOG", "warn")
        .env_remove("HAETAE_CONFIG")
        .current_dir(data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start haetae");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                // Keep draining so the child never blocks on a full pipe.
                continue;
            }
        }
    });
    let mut vars = HashMap::new();
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(remaining) {
            Ok(line) if line.is_empty() && vars.contains_key("HAETAE_BASE_URL") => break,
            Ok(line) => {
                if let Some((k, v)) = line.split_once('=') {
                    if k.starts_with("HAETAE_") {
                        vars.insert(k.to_string(), v.to_string());
                    }
                }
            }
            Err(_) => {
                let _ = child.kill();
                panic!("haetae up did not print its keys in time; got {vars:?}");
            }
        }
    }
    let gw = Gateway {
        child,
        vars,
        data_dir: data_dir.to_path_buf(),
    };
    wait_ready(&gw.root_url());
    gw
}

fn wait_ready(root: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let addr = root.trim_start_matches("http://").to_string();
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(&addr).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("gateway at {root} did not accept connections");
}

pub async fn mock() -> MockUpstream {
    MockUpstream::start(MockConfig {
        models: vec!["mock-1".into(), "mock-2".into()],
        ..MockConfig::default()
    })
    .await
    .expect("mock upstream")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

pub async fn mock_with(config: MockConfig) -> MockUpstream {
    MockUpstream::start(config).await.expect("mock upstream")
}

/// An admin API call: `(status, JSON body)`.
pub async fn admin(
    gw: &Gateway,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (reqwest::StatusCode, serde_json::Value) {
    let mut req = client()
        .request(method, format!("{}/admin/v1{path}", gw.root_url()))
        .bearer_auth(gw.admin_key());
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("admin request");
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// A chat completion with extra headers: `(status, body, headers)`.
pub async fn chat(
    gw: &Gateway,
    key: &str,
    model: &str,
    text: &str,
    headers: &[(&str, &str)],
) -> (
    reqwest::StatusCode,
    serde_json::Value,
    reqwest::header::HeaderMap,
) {
    chat_body(
        gw,
        key,
        &serde_json::json!({"model": model, "messages": [{"role": "user", "content": text}]}),
        headers,
    )
    .await
}

pub async fn chat_body(
    gw: &Gateway,
    key: &str,
    body: &serde_json::Value,
    headers: &[(&str, &str)],
) -> (
    reqwest::StatusCode,
    serde_json::Value,
    reqwest::header::HeaderMap,
) {
    let mut req = client()
        .post(format!("{}/chat/completions", gw.base_url()))
        .bearer_auth(key)
        .json(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("chat request");
    let status = resp.status();
    let h = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        h,
    )
}

/// A verified organisation of `tier`, with a member of `role` and that member's key: `(org_id, member_id, key)`.
pub async fn verified_org(gw: &Gateway, name: &str, tier: &str) -> String {
    use serde_json::json;
    let (s, org) = admin(
        gw,
        reqwest::Method::POST,
        "/orgs",
        Some(json!({"name": name, "country": "KR", "sector": "cert", "tier": tier})),
    )
    .await;
    assert!(s.is_success(), "{org}");
    let id = org["id"].as_str().expect("org id").to_string();
    let (s, v) = admin(
        gw,
        reqwest::Method::POST,
        &format!("/orgs/{id}/vetting"),
        Some(json!({"reviewer": "kim@kisa.example", "checked": "registry extract", "decision": "verified", "expires_at": 4_000_000_000i64})),
    )
    .await;
    assert!(s.is_success(), "{v}");
    id
}

pub async fn member_key(
    gw: &Gateway,
    org_id: &str,
    identity: &str,
    role: &str,
) -> (String, String) {
    use serde_json::json;
    let (s, m) = admin(
        gw,
        reqwest::Method::POST,
        &format!("/orgs/{org_id}/members"),
        Some(json!({"identity": identity, "role": role, "identity_verified": true})),
    )
    .await;
    assert!(s.is_success(), "{m}");
    let member = m["id"].as_str().expect("member id").to_string();
    let (s, k) = admin(
        gw,
        reqwest::Method::POST,
        "/keys",
        Some(json!({"member_id": member, "label": "test"})),
    )
    .await;
    assert!(s.is_success(), "{k}");
    (member, k["key"].as_str().expect("key").to_string())
}

/// The public id of a full `hk_<id>_<secret>` key.
pub fn key_id(key: &str) -> String {
    key.trim_start_matches("hk_")
        .split('_')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Polls `check` until it returns Some, for effects that land off the request path (review items, usage).
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs the `haetae` binary with `args` (no configuration file, warnings only): (succeeded, stdout and stderr).
pub fn haetae(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_haetae"))
        .args(args)
        .env_remove("HAETAE_CONFIG")
        .env("HAETAE_LOG", "warn")
        .output()
        .expect("run haetae");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// `haetae witness init --name NAME --dir DIR`: the new witness's verifier key.
pub fn witness_init(name: &str, dir: &std::path::Path) -> String {
    let (ok, text) = haetae(&[
        "witness",
        "init",
        "--name",
        name,
        "--dir",
        dir.to_str().expect("utf8"),
    ]);
    assert!(ok, "{text}");
    text.lines()
        .find_map(|l| l.strip_prefix("HAETAE_WITNESS_KEY="))
        .expect("verifier key printed")
        .to_string()
}

/// Runs `haetae audit` with `args`: (succeeded, stdout and stderr).
pub fn audit(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_haetae"))
        .arg("audit")
        .args(args)
        .output()
        .expect("run haetae audit");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Waits (bounded) until the gateway's published checkpoint covers ledger entry `index`, and returns its size:
/// checkpoints are signed periodically, off the request path.
pub async fn checkpoint_covering(root: &str, index: u64) -> u64 {
    eventually("a checkpoint covering the entry", || async {
        let r = client()
            .get(format!("{root}/ledger/checkpoint"))
            .send()
            .await
            .ok()?;
        let cp = r.text().await.ok()?;
        let size: u64 = cp.lines().nth(1)?.parse().ok()?;
        (size > index).then_some(size)
    })
    .await
}

/// The ledger index a response names (`x-haetae-ledger-index`).
pub fn ledger_index(headers: &reqwest::header::HeaderMap) -> u64 {
    headers["x-haetae-ledger-index"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("an index")
}

/// Lifts the public tier's rate limits (kept in the store, so for every later incarnation on the same data
/// directory too): for tests whose point is sustained load through the whole pipeline, not 429s.
pub async fn lift_public_limits(gw: &Gateway) {
    use serde_json::json;
    let lots =
        json!({"requests_per_minute": 100_000_000u64, "tokens_per_minute": 100_000_000_000u64});
    let (s, b) = admin(
        gw,
        reqwest::Method::PUT,
        "/tiers/public/limits",
        Some(json!({"per_key": lots, "per_org": lots, "pool": {}})),
    )
    .await;
    assert!(s.is_success(), "{b}");
}
