//! The model, reached only through the Haetae gateway's OpenAI-compatible API, under the caller's key, declared
//! use-case and engagement: every call the scan makes is authorised by the gateway's policy, metered and recorded
//! in its ledger. The gateway answers with the ledger index of the call's entry, kept here as evidence.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::{Result, ScanError};

/// Where and as whom the scan talks to the gateway.
#[derive(Clone)]
pub struct GatewayConfig {
    /// Base URL including the version prefix, e.g. `http://127.0.0.1:8080/v1`.
    pub base_url: String,
    /// The caller's `hk_…` key. Never logged or written to a report.
    pub api_key: String,
    pub model: String,
    /// Sent as `X-Haetae-Use-Case` (docs/use-cases.md), e.g. `vulnerability-research`.
    pub use_case: String,
    /// Sent as `X-Haetae-Engagement` when set: the registered engagement the scan works under.
    pub engagement: Option<String>,
    pub timeout: Duration,
    pub max_tokens: u64,
}

impl std::fmt::Debug for GatewayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("use_case", &self.use_case)
            .field("engagement", &self.engagement)
            .finish_non_exhaustive()
    }
}

/// One call, as recorded in the scan's evidence (no prompt or key: the prompt is reproducible from the inputs,
/// and the gateway's ledger holds the call's digest).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    pub stage: String,
    /// The gateway's `X-Haetae-Ledger-Index` for this call, when it sent one.
    pub ledger_index: Option<u64>,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// A reply and its record.
#[derive(Debug, Clone)]
pub struct Reply {
    pub text: String,
    pub record: CallRecord,
}

/// How a call the gateway did not answer is made again (the PoV and patch stages: an outage of a few seconds
/// should not end a candidate that was half-way through). A small loop rather than a retry crate: `backon` is in
/// the lock file only under redis, not a dependency of the workspace, and doubling a delay a bounded number of
/// times is all this needs. No jitter: one scan's calls are sequential, so its retries cannot arrive together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRetry {
    /// Calls in all, the first included (1: an unanswered call is not made again).
    pub attempts: u32,
    /// The wait before the first retry, doubled before each next one, up to [`CallRetry::MAX_DELAY`].
    pub first_delay: Duration,
}

impl CallRetry {
    /// The longest wait between two calls.
    pub const MAX_DELAY: Duration = Duration::from_secs(30);

    /// The wait after the `call`-th call (from 1) went unanswered.
    pub fn delay(&self, call: u32) -> Duration {
        let doublings = call.saturating_sub(1).min(16);
        self.first_delay
            .saturating_mul(1 << doublings)
            .min(Self::MAX_DELAY)
    }
}

impl Default for CallRetry {
    /// Three calls, one and then two seconds apart: a gateway restarting or a backend's brief overload is over by
    /// then, and a longer outage is not the scan's to wait out (the candidate ends `model_error`, saying so).
    fn default() -> Self {
        CallRetry {
            attempts: 3,
            first_delay: Duration::from_secs(1),
        }
    }
}

pub struct GatewayClient {
    config: GatewayConfig,
    http: reqwest::Client,
    budget: Option<ScanBudget>,
}

/// A token budget for one scan, kept by a [`haetae_meter::Meter`] whose clock is frozen at the scan's start, so
/// the meter's monthly budget window is the scan itself: each call reserves its upper bound (the prompt's estimate
/// plus `max_tokens`) before it is sent and is reconciled with the usage the gateway reports. A call the budget
/// cannot cover is not sent. (The gateway's own meter still applies the caller's key and organisation budgets.)
pub struct ScanBudget {
    meter: haetae_meter::Meter,
    subjects: haetae_meter::Subjects,
    limits: haetae_meter::Limits,
    used: Arc<AtomicU64>,
}

impl ScanBudget {
    /// A budget of `tokens` for the scan `scan_id`. `used` counts the tokens spent, starting from what earlier
    /// attempts of the same job spent (a queue worker shares it with its heartbeat, which records it).
    pub async fn new(scan_id: &str, tokens: u64, used: Arc<AtomicU64>) -> Result<Self> {
        let clock = Arc::new(haetae_meter::ManualClock::new(0));
        let meter = haetae_meter::Meter::new(
            Arc::new(haetae_meter::InMemoryBackend::new()),
            clock,
            haetae_meter::MeterConfig::default(),
        );
        let budget = ScanBudget {
            meter,
            subjects: haetae_meter::Subjects::new(format!("scan:{scan_id}"), "scan", "scan"),
            limits: haetae_meter::Limits {
                key_budget: haetae_meter::BudgetSpec {
                    tokens_per_day: None,
                    tokens_per_month: Some(tokens),
                },
                ..Default::default()
            },
            used,
        };
        // Charge what earlier attempts spent; more than the budget leaves it exhausted.
        let already = budget.used();
        let charged = already.min(tokens);
        if charged > 0 {
            let err = |e: haetae_meter::MeterError| ScanError::Gateway(format!("scan budget: {e}"));
            let r = budget
                .meter
                .reserve(&budget.subjects, &budget.limits, charged)
                .await
                .map_err(err)?;
            r.reconcile(already).await.map_err(err)?;
        }
        Ok(budget)
    }

    /// Tokens spent so far (the earlier attempts' included).
    pub fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }
}

impl GatewayClient {
    pub fn new(config: GatewayConfig) -> Result<Self> {
        if config.api_key.is_empty() {
            return Err(ScanError::Config(
                "a gateway API key (hk_…) is required".into(),
            ));
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| ScanError::Gateway(format!("building the HTTP client: {e}")))?;
        Ok(GatewayClient {
            config,
            http,
            budget: None,
        })
    }

    /// Every call from now on is charged to `budget`.
    pub fn with_budget(mut self, budget: ScanBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// The scan's budget, when it has one.
    pub fn budget(&self) -> Option<&ScanBudget> {
        self.budget.as_ref()
    }

    pub fn config(&self) -> &GatewayConfig {
        &self.config
    }

    /// One chat completion (system + user message, temperature 0), charged to the scan's budget when it has one.
    pub async fn ask(&self, stage: &str, system: &str, user: &str) -> Result<Reply> {
        let Some(budget) = &self.budget else {
            return self.send(stage, system, user).await;
        };
        // Three bytes a token: code and English rarely tokenise finer, so this bounds the prompt from above.
        let estimate = (system.len() + user.len()).div_ceil(3) as u64 + self.config.max_tokens;
        let reservation = budget
            .meter
            .reserve(&budget.subjects, &budget.limits, estimate)
            .await
            .map_err(|e| match e {
                haetae_meter::MeterError::Denied(_) => ScanError::Budget(format!(
                    "{stage}: the scan's token budget cannot cover this call (about {estimate} tokens; {} used)",
                    budget.used()
                )),
                other => ScanError::Gateway(format!("{stage}: scan budget: {other}")),
            })?;
        let reply = self.send(stage, system, user).await;
        let spent = reply
            .as_ref()
            .map(|r| r.record.prompt_tokens + r.record.completion_tokens)
            .unwrap_or(0);
        budget.used.fetch_add(spent, Ordering::Relaxed);
        reservation
            .reconcile(spent)
            .await
            .map_err(|e| ScanError::Gateway(format!("{stage}: scan budget: {e}")))?;
        reply
    }

    /// [`GatewayClient::ask`], made again under `retry` while the gateway does not answer (a 5xx, a dropped
    /// connection, a timeout: [`ScanError::Unavailable`]); each unanswered call's error is pushed onto `retried`
    /// before the wait. Anything else ends it at once: an answer, a refusal or other 4xx, a 429, the scan's budget.
    pub async fn ask_retrying(
        &self,
        stage: &str,
        system: &str,
        user: &str,
        retry: &CallRetry,
        retried: &mut Vec<String>,
    ) -> Result<Reply> {
        let mut call = 1;
        loop {
            match self.ask(stage, system, user).await {
                Err(ScanError::Unavailable(why)) if call < retry.attempts => {
                    tracing::warn!(stage, call, error = %why, "the gateway did not answer; calling again");
                    retried.push(why);
                    tokio::time::sleep(retry.delay(call)).await;
                    call += 1;
                }
                other => return other,
            }
        }
    }

    async fn send(&self, stage: &str, system: &str, user: &str) -> Result<Reply> {
        let url = format!(
            "{}/chat/completions",
            self.config.base_url.trim_end_matches('/')
        );
        let body = json!({
            "model": self.config.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": 0,
            "max_tokens": self.config.max_tokens,
        });
        let mut req = self
            .http
            .post(&url)
            .bearer_auth(&self.config.api_key)
            .header("x-haetae-use-case", &self.config.use_case)
            .json(&body);
        if let Some(e) = &self.config.engagement {
            req = req.header("x-haetae-engagement", e);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| ScanError::Unavailable(format!("{stage}: {e}")))?;
        let status = resp.status();
        let ledger_index = resp
            .headers()
            .get("x-haetae-ledger-index")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let text = resp
            .text()
            .await
            .map_err(|e| ScanError::Unavailable(format!("{stage}: reading the response: {e}")))?;
        if !status.is_success() {
            // A refusal by the gateway's policy arrives here (403 with the policy's reason): it is reported as is.
            // A backend that failed or timed out (5xx) or a rate limit (429) is not a verdict on the request.
            let excerpt: String = text.chars().take(500).collect();
            let message = format!("{stage}: HTTP {status}: {excerpt}");
            return Err(if status.is_server_error() {
                ScanError::Unavailable(message)
            } else if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                ScanError::RateLimited(message)
            } else {
                ScanError::Gateway(message)
            });
        }
        let v: Value = serde_json::from_str(&text)
            .map_err(|e| ScanError::Gateway(format!("{stage}: the response is not JSON: {e}")))?;
        let content = v
            .pointer("/choices/0/message/content")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                ScanError::Gateway(format!("{stage}: the response has no message content"))
            })?
            .to_owned();
        let tokens = |k: &str| {
            v.pointer(&format!("/usage/{k}"))
                .and_then(Value::as_u64)
                .unwrap_or(0)
        };
        Ok(Reply {
            text: content,
            record: CallRecord {
                stage: stage.to_owned(),
                ledger_index,
                prompt_tokens: tokens("prompt_tokens"),
                completion_tokens: tokens("completion_tokens"),
            },
        })
    }
}

/// The first JSON object in a reply: the whole reply, a fenced block, or the outermost `{…}`.
pub fn extract_json(reply: &str) -> Option<Value> {
    let t = reply.trim();
    if let Ok(v) = serde_json::from_str::<Value>(t) {
        return Some(v);
    }
    for block in fenced_blocks(t) {
        if let Ok(v) = serde_json::from_str::<Value>(block.trim()) {
            return Some(v);
        }
    }
    let (start, end) = (t.find('{')?, t.rfind('}')?);
    serde_json::from_str(t.get(start..=end)?).ok()
}

/// The bodies of ```-fenced blocks, in order.
pub fn fenced_blocks(reply: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = reply;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        // Skip the info string (```c, ```diff).
        let Some(nl) = after.find('\n') else { break };
        let body = &after[nl + 1..];
        let Some(close) = body.find("\n```") else {
            break;
        };
        out.push(&body[..close + 1]);
        rest = &body[close + 4..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_found_bare_fenced_or_embedded() {
        assert_eq!(extract_json("{\"a\":1}"), Some(json!({"a":1})));
        assert_eq!(
            extract_json("Here:\n```json\n{\"a\":2}\n```\n"),
            Some(json!({"a":2}))
        );
        assert_eq!(extract_json("So {\"a\":3} it is."), Some(json!({"a":3})));
        assert_eq!(extract_json("no json"), None);
    }

    #[test]
    fn fenced_blocks_keep_their_bodies() {
        let r = "x\n```c\nint a;\n```\ny\n```diff\n--- a/f\n+++ b/f\n```";
        assert_eq!(fenced_blocks(r), vec!["int a;\n", "--- a/f\n+++ b/f\n"]);
    }

    #[test]
    fn retry_waits_double_up_to_a_ceiling() {
        let r = CallRetry {
            attempts: 5,
            first_delay: Duration::from_millis(250),
        };
        let waits: Vec<_> = (1..=4).map(|c| r.delay(c)).collect();
        assert_eq!(
            waits,
            [250, 500, 1_000, 2_000].map(Duration::from_millis).to_vec()
        );
        assert_eq!(r.delay(40), CallRetry::MAX_DELAY);
        assert_eq!(r.delay(u32::MAX), CallRetry::MAX_DELAY);
        assert_eq!(CallRetry::default().delay(2), Duration::from_secs(2));
    }

    /// A client of the scripted model answering the `pov` stage with `replies` in turn.
    async fn scripted(replies: &[&str]) -> (GatewayClient, Arc<crate::scripted::Script>) {
        let (url, script) = crate::scripted::serve(vec![crate::scripted::Rule {
            stage: "pov",
            needle: "",
            reply: replies[0].into(),
            then: replies[1..].iter().map(|r| (*r).to_owned()).collect(),
        }])
        .await
        .unwrap();
        let client = GatewayClient::new(GatewayConfig {
            base_url: url,
            api_key: "hk_test".into(),
            model: "scripted".into(),
            use_case: "vulnerability-research".into(),
            engagement: None,
            timeout: Duration::from_secs(10),
            max_tokens: 16,
        })
        .unwrap();
        (client, script)
    }

    /// No wait between calls: the schedule is [`CallRetry::delay`]'s, tested on its own.
    const NOW: CallRetry = CallRetry {
        attempts: 3,
        first_delay: Duration::ZERO,
    };

    #[tokio::test]
    async fn an_unanswered_call_is_made_again_and_a_refusal_is_not() {
        let calls = |s: &crate::scripted::Script| s.seen.lock().unwrap().requests.len();
        // 503 once, then an answer.
        let (client, script) = scripted(&["@status 503", "the PoV"]).await;
        let mut retried = Vec::new();
        let r = client
            .ask_retrying("pov", "s", "STAGE: pov\n", &NOW, &mut retried)
            .await
            .unwrap();
        assert_eq!(r.text, "the PoV");
        assert_eq!(r.record.ledger_index, Some(1));
        assert_eq!(retried.len(), 1);
        assert!(retried[0].contains("HTTP 503"), "{retried:?}");
        assert_eq!(calls(&script), 2);
        // Unanswered every time: `attempts` calls, then the last error.
        let (client, script) = scripted(&["@status 502"]).await;
        let mut retried = Vec::new();
        let e = client
            .ask_retrying("pov", "s", "STAGE: pov\n", &NOW, &mut retried)
            .await
            .unwrap_err();
        assert!(matches!(e, ScanError::Unavailable(_)), "{e}");
        assert_eq!((retried.len(), calls(&script)), (2, 3));
        // A 429 (a rate limit, or the quota spent) and a refusal are not made again.
        for (status, refused) in [("@status 429", "RateLimited"), ("@status 403", "Gateway")] {
            let (client, script) = scripted(&[status, "the PoV"]).await;
            let mut retried = Vec::new();
            let e = client
                .ask_retrying("pov", "s", "STAGE: pov\n", &NOW, &mut retried)
                .await
                .unwrap_err();
            assert!(format!("{e:?}").starts_with(refused), "{e:?}");
            assert!(retried.is_empty());
            assert_eq!(calls(&script), 1);
        }
        // A connection refused is unanswered too (nothing listens on port 1).
        let mut config = client.config().clone();
        config.base_url = "http://127.0.0.1:1/v1".into();
        let mut retried = Vec::new();
        let e = GatewayClient::new(config)
            .unwrap()
            .ask_retrying("pov", "s", "u", &NOW, &mut retried)
            .await
            .unwrap_err();
        assert!(matches!(e, ScanError::Unavailable(_)), "{e}");
        assert_eq!(retried.len(), 2);
    }

    #[test]
    fn a_key_is_required_and_never_debug_printed() {
        let mut c = GatewayConfig {
            base_url: "http://127.0.0.1:1/v1".into(),
            api_key: String::new(),
            model: "m".into(),
            use_case: "vulnerability-research".into(),
            engagement: None,
            timeout: Duration::from_secs(1),
            max_tokens: 16,
        };
        assert!(GatewayClient::new(c.clone()).is_err());
        c.api_key = "hk_secret".into();
        assert!(!format!("{c:?}").contains("hk_secret"));
    }
}
