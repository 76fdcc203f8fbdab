//! CI's short version of the soak (bench/soak/soak.py runs the 30-minute one): every stage on, streaming and
//! non-streaming requests mixed from several clients for a few seconds. No request may fail, every stream must
//! end with `data: [DONE]`, and the gateway's resident memory after warm-up must stay within a bound that a
//! per-request leak (a kept body, a task that never ends) would blow through. The bound is on memory, not time.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use serde_json::json;
use support::{lift_public_limits, mock, start_gateway};

const CLIENTS: usize = 8;
const WARM_UP: Duration = Duration::from_secs(3);
const MEASURED: Duration = Duration::from_secs(12);
/// Allocator and connection-pool noise after warm-up: growth below this says nothing either way.
const NOISE_MIB: f64 = 4.0;
/// Ledger entries cost ~100 bytes each in memory by design (tree + index); anything keeping a request or response
/// body (hundreds of bytes to kilobytes) per request goes over this.
const MAX_BYTES_PER_REQUEST: f64 = 2048.0;

fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_load_has_no_errors_and_bounded_memory() {
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    lift_public_limits(&gw).await;

    let url = format!("{}/chat/completions", gw.base_url());
    let key = gw.key("public").to_string();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicU64::new(0));
    let failures: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();

    let mut load = Vec::new();
    for c in 0..CLIENTS {
        let (http, url, key, stop, served, failures) = (
            http.clone(),
            url.clone(),
            key.clone(),
            stop.clone(),
            served.clone(),
            failures.clone(),
        );
        load.push(tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let stream = n % 3 == 0;
                let body = json!({
                    "model": "mock-1",
                    "max_tokens": 32,
                    "stream": stream,
                    "messages": [{"role": "user", "content": format!("Summarise alert {n} from sensor {c}.")}],
                });
                let outcome = async {
                    let resp = http
                        .post(&url)
                        .bearer_auth(&key)
                        .json(&body)
                        .send()
                        .await
                        .map_err(|e| format!("send: {e}"))?;
                    let status = resp.status();
                    let text = resp.text().await.map_err(|e| format!("body: {e}"))?;
                    if status != reqwest::StatusCode::OK {
                        return Err(format!("{status}: {text}"));
                    }
                    if stream && !text.trim_end().ends_with("data: [DONE]") {
                        return Err(format!("stream without [DONE]: {text}"));
                    }
                    Ok(())
                }
                .await;
                match outcome {
                    Ok(()) => {
                        served.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => failures.lock().expect("lock").push(e),
                }
            }
        }));
    }

    let pid = gw.child.id();
    tokio::time::sleep(WARM_UP).await;
    let served_at_warm = served.load(Ordering::Relaxed);
    let base = rss_mib(pid);
    let mut peak = base;
    let until = tokio::time::Instant::now() + MEASURED;
    while tokio::time::Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(250)).await;
        peak = peak.max(rss_mib(pid));
    }
    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.await.expect("load task");
    }

    let failures = failures.lock().expect("lock");
    let served = served.load(Ordering::Relaxed);
    let measured = served - served_at_warm;
    println!(
        "short soak: {served} served ({measured} after warm-up), {} failed; RSS {base:.1} MiB after warm-up, peak {peak:.1} MiB",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} requests failed, first: {:?}",
        failures.len(),
        failures.first()
    );
    assert!(
        measured >= 200,
        "only {measured} requests after warm-up: too few to say anything about memory"
    );
    assert!(base > 0.0, "could not read the gateway's RSS");
    let allowed = NOISE_MIB.max(MAX_BYTES_PER_REQUEST * measured as f64 / (1024.0 * 1024.0));
    assert!(
        peak - base <= allowed,
        "RSS grew {:.1} MiB over {measured} requests after warm-up ({base:.1} → {peak:.1} MiB; allowed {allowed:.1})",
        peak - base
    );
}
