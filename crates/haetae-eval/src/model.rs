//! Models as the harness sees them: a [`Backend`] plus a connection limit, retries with backoff and jitter, a
//! request timeout and an optional on-disk response cache.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use haetae_models::scripted::ScriptedReply;
use haetae_models::{Backend, BackendError, OpenAiBackend, OpenAiConfig, ScriptedBackend};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::error::{EvalError, Result};

/// Generation settings, merged suite → solver → call.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenerateConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
}

impl GenerateConfig {
    /// `other`'s settings win where set.
    pub fn merged(&self, other: &GenerateConfig) -> GenerateConfig {
        GenerateConfig {
            temperature: other.temperature.or(self.temperature),
            max_tokens: other.max_tokens.or(self.max_tokens),
            top_p: other.top_p.or(self.top_p),
            seed: other.seed.or(self.seed),
            stop: other.stop.clone().or_else(|| self.stop.clone()),
            frequency_penalty: other.frequency_penalty.or(self.frequency_penalty),
            presence_penalty: other.presence_penalty.or(self.presence_penalty),
        }
    }

    fn apply(&self, body: &mut Value) {
        let set = |body: &mut Value, k: &str, v: Value| body[k] = v;
        if let Some(v) = self.temperature {
            set(body, "temperature", json!(v));
        }
        if let Some(v) = self.max_tokens {
            set(body, "max_tokens", json!(v));
        }
        if let Some(v) = self.top_p {
            set(body, "top_p", json!(v));
        }
        if let Some(v) = self.seed {
            set(body, "seed", json!(v));
        }
        if let Some(v) = &self.stop {
            set(body, "stop", json!(v));
        }
        if let Some(v) = self.frequency_penalty {
            set(body, "frequency_penalty", json!(v));
        }
        if let Some(v) = self.presence_penalty {
            set(body, "presence_penalty", json!(v));
        }
    }
}

/// Token usage, summed over calls.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub total_tokens: u64,
}

impl Usage {
    pub fn add(&mut self, other: &Usage) {
        self.prompt_tokens += other.prompt_tokens;
        self.completion_tokens += other.completion_tokens;
        self.total_tokens += other.total_tokens;
    }
    fn from_response(resp: &Value) -> Usage {
        let g = |k: &str| {
            resp.pointer(&format!("/usage/{k}"))
                .and_then(Value::as_u64)
                .unwrap_or(0)
        };
        let (p, c) = (g("prompt_tokens"), g("completion_tokens"));
        let t = g("total_tokens");
        Usage {
            prompt_tokens: p,
            completion_tokens: c,
            total_tokens: if t == 0 { p + c } else { t },
        }
    }
}

/// A tool call the model asked for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    /// Parsed arguments; arguments that are not valid JSON arrive as a string so the tool can report the error.
    pub arguments: Value,
}

/// One completion.
#[derive(Debug, Clone)]
pub struct ModelOutput {
    /// The assistant message as the wire format has it (append it to the conversation as is).
    pub message: Value,
    pub text: String,
    pub tool_calls: Vec<ToolCall>,
    pub finish_reason: String,
    pub usage: Usage,
    pub cached: bool,
    pub retries: u32,
}

impl ModelOutput {
    fn from_response(
        resp: &Value,
        cached: bool,
        retries: u32,
    ) -> Result<ModelOutput, BackendError> {
        let choice = resp
            .pointer("/choices/0")
            .ok_or_else(|| BackendError::InvalidResponse("the response has no choices".into()))?;
        let mut message = choice
            .get("message")
            .cloned()
            .unwrap_or_else(|| json!({"role": "assistant", "content": ""}));
        if message.get("role").is_none() {
            message["role"] = json!("assistant");
        }
        let text = message
            .get("content")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let tool_calls = message
            .get("tool_calls")
            .and_then(Value::as_array)
            .map(|calls| {
                calls
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let raw = c
                            .pointer("/function/arguments")
                            .cloned()
                            .unwrap_or(Value::Null);
                        let arguments = match &raw {
                            Value::String(s) if s.trim().is_empty() => json!({}),
                            Value::String(s) => serde_json::from_str(s).unwrap_or(raw.clone()),
                            _ => raw.clone(),
                        };
                        ToolCall {
                            id: c
                                .get("id")
                                .and_then(Value::as_str)
                                .map_or_else(|| format!("call_{i}"), str::to_owned),
                            name: c
                                .pointer("/function/name")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_owned(),
                            arguments,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let finish_reason = choice
            .get("finish_reason")
            .and_then(Value::as_str)
            .unwrap_or("stop")
            .to_owned();
        Ok(ModelOutput {
            message,
            text,
            tool_calls,
            finish_reason,
            usage: Usage::from_response(resp),
            cached,
            retries,
        })
    }
}

/// Retry policy for transient failures (429, 5xx, timeouts, unreachable, overloaded).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 6,
            base_delay_ms: 500,
            max_delay_ms: 30_000,
        }
    }
}

impl RetryPolicy {
    /// Exponential backoff with "full jitter": a uniform delay in [d/2, d], so many samples that hit a 429 together
    /// do not come back together.
    pub fn delay(&self, attempt: u32, retry_after_secs: Option<u64>) -> Duration {
        let exp = self
            .base_delay_ms
            .saturating_mul(1u64 << attempt.min(20))
            .min(self.max_delay_ms);
        let jittered = rand::thread_rng().gen_range(exp / 2..=exp.max(1));
        let floor = retry_after_secs
            .map_or(0, |s| s.saturating_mul(1000))
            .min(self.max_delay_ms);
        Duration::from_millis(jittered.max(floor))
    }
}

pub fn is_retryable(e: &BackendError) -> bool {
    match e {
        BackendError::Timeout(_)
        | BackendError::Unavailable(_)
        | BackendError::Overloaded { .. } => true,
        BackendError::Upstream { status, .. } => *status == 429 || *status == 408 || *status >= 500,
        _ => false,
    }
}

/// On-disk response cache: one JSON file per request, named by the SHA-256 of the model identity and the request
/// body (the epoch is part of the key, so epochs stay independent draws).
#[derive(Debug, Clone)]
pub struct ResponseCache {
    dir: PathBuf,
}

impl ResponseCache {
    pub fn new(dir: impl Into<PathBuf>) -> Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)
            .map_err(|e| EvalError::io(format!("creating cache {}", dir.display()), e))?;
        Ok(ResponseCache { dir })
    }

    pub fn default_dir() -> PathBuf {
        std::env::var_os("HAETAE_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/haetae")))
            .unwrap_or_else(|| PathBuf::from(".haetae-cache"))
            .join("eval-responses")
    }

    pub fn key(model_identity: &str, body: &Value, epoch: u32) -> String {
        let mut h = Sha256::new();
        h.update(model_identity.as_bytes());
        h.update([0]);
        h.update(body.to_string().as_bytes());
        h.update([0]);
        h.update(epoch.to_le_bytes());
        hex::encode(h.finalize())
    }

    fn path(&self, key: &str) -> PathBuf {
        // Two-level fan-out keeps directories small on big runs.
        self.dir.join(&key[..2]).join(format!("{key}.json"))
    }

    pub async fn get(&self, key: &str) -> Option<Value> {
        let bytes = tokio::fs::read(self.path(key)).await.ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub async fn put(&self, key: &str, value: &Value) {
        let path = self.path(key);
        let Some(parent) = path.parent() else { return };
        if tokio::fs::create_dir_all(parent).await.is_err() {
            return;
        }
        // Write then rename, so a reader (or a crash) never sees half a file.
        let tmp = path.with_extension(format!("tmp{}", uuid::Uuid::new_v4().simple()));
        if tokio::fs::write(&tmp, value.to_string()).await.is_ok()
            && tokio::fs::rename(&tmp, &path).await.is_err()
        {
            let _ = tokio::fs::remove_file(&tmp).await;
        }
    }
}

/// Request counters, for progress display and the log footer.
#[derive(Debug, Default)]
pub struct ModelStats {
    pub requests: AtomicU64,
    pub cache_hits: AtomicU64,
    pub retries: AtomicU64,
    pub errors: AtomicU64,
}

/// A model ready for the harness.
pub struct Model {
    backend: Arc<dyn Backend>,
    /// The `model` field sent in requests.
    pub model_id: String,
    /// Human-readable spec (what the log records; never contains a key).
    pub spec: String,
    semaphore: Arc<Semaphore>,
    pub retry: RetryPolicy,
    pub request_timeout: Duration,
    cache: Option<ResponseCache>,
    pub stats: ModelStats,
    /// An upper bound on `max_tokens` for every request to this model (`--max-tokens`).
    pub max_tokens_cap: Option<u64>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("spec", &self.spec)
            .field("model_id", &self.model_id)
            .finish_non_exhaustive()
    }
}

impl Model {
    pub fn new(
        backend: Arc<dyn Backend>,
        model_id: impl Into<String>,
        spec: impl Into<String>,
    ) -> Self {
        Model {
            backend,
            model_id: model_id.into(),
            spec: spec.into(),
            semaphore: Arc::new(Semaphore::new(16)),
            retry: RetryPolicy::default(),
            request_timeout: Duration::from_secs(300),
            cache: None,
            stats: ModelStats::default(),
            max_tokens_cap: None,
        }
    }

    /// Caps `max_tokens` of every request (the suite's, a solver's or a scorer's setting, whichever applies), so
    /// a slow model (the embedded one on a small CPU) can run a suite in bounded time.
    pub fn with_max_tokens_cap(mut self, cap: Option<u64>) -> Self {
        self.max_tokens_cap = cap;
        self
    }

    /// At most `n` requests in flight to this model.
    pub fn with_max_connections(mut self, n: usize) -> Self {
        self.semaphore = Arc::new(Semaphore::new(n.max(1)));
        self
    }
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
    pub fn with_request_timeout(mut self, t: Duration) -> Self {
        self.request_timeout = t;
        self
    }
    pub fn with_cache(mut self, cache: Option<ResponseCache>) -> Self {
        self.cache = cache;
        self
    }

    /// One chat completion with retries. `tools` are OpenAI function definitions.
    pub async fn generate(
        &self,
        messages: &[Value],
        tools: &[Value],
        config: &GenerateConfig,
        epoch: u32,
    ) -> Result<ModelOutput> {
        let mut body = json!({"model": self.model_id, "messages": messages});
        if !tools.is_empty() {
            body["tools"] = json!(tools);
        }
        config.apply(&mut body);
        if let Some(cap) = self.max_tokens_cap {
            let n = config.max_tokens.map_or(cap, |m| m.min(cap));
            body["max_tokens"] = json!(n);
        }
        let key = self
            .cache
            .as_ref()
            .map(|_| ResponseCache::key(&self.spec, &body, epoch));
        if let (Some(cache), Some(key)) = (&self.cache, &key)
            && let Some(resp) = cache.get(key).await
            && let Ok(out) = ModelOutput::from_response(&resp, true, 0)
        {
            self.stats.cache_hits.fetch_add(1, Ordering::Relaxed);
            return Ok(out);
        }
        let mut attempt = 0u32;
        loop {
            let result = {
                // Held only for the request itself, not the backoff sleep, so a waiting sample frees its slot.
                let _permit = self
                    .semaphore
                    .acquire()
                    .await
                    .map_err(|_| EvalError::config("the model was shut down"))?;
                self.stats.requests.fetch_add(1, Ordering::Relaxed);
                match tokio::time::timeout(self.request_timeout, self.backend.chat(body.clone()))
                    .await
                {
                    Ok(r) => r,
                    Err(_) => Err(BackendError::Timeout(format!(
                        "no response in {:?}",
                        self.request_timeout
                    ))),
                }
            };
            match result {
                Ok(resp) => {
                    let out =
                        ModelOutput::from_response(&resp, false, attempt).map_err(|source| {
                            EvalError::Model {
                                model: self.spec.clone(),
                                source,
                            }
                        })?;
                    if let (Some(cache), Some(key)) = (&self.cache, &key) {
                        cache.put(key, &resp).await;
                    }
                    return Ok(out);
                }
                Err(e) if is_retryable(&e) && attempt < self.retry.max_retries => {
                    let retry_after = match &e {
                        BackendError::Overloaded {
                            retry_after_secs, ..
                        } => Some(*retry_after_secs),
                        _ => None,
                    };
                    let delay = self.retry.delay(attempt, retry_after);
                    tracing::debug!(model = %self.spec, attempt, ?delay, error = %e, "retrying");
                    self.stats.retries.fetch_add(1, Ordering::Relaxed);
                    attempt += 1;
                    tokio::time::sleep(delay).await;
                }
                Err(source) => {
                    self.stats.errors.fetch_add(1, Ordering::Relaxed);
                    return Err(EvalError::Model {
                        model: self.spec.clone(),
                        source,
                    });
                }
            }
        }
    }
}

/// Where a model comes from, parsed from `--model`.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelSpec {
    /// The embedded GGUF model; `None` is the default model file.
    Embedded(Option<PathBuf>),
    /// Any OpenAI-compatible server; the key comes from the named environment variable.
    OpenAi {
        base_url: String,
        model: String,
        key_env: String,
    },
    /// A Haetae gateway; the key (`hk_…`) comes from the named environment variable (`HAETAE_API_KEY`).
    Gateway {
        base_url: String,
        model: String,
        key_env: String,
    },
    /// Replies from a JSON/YAML file (tests, dry runs).
    Scripted(PathBuf),
}

impl ModelSpec {
    /// Parses `embedded`, `embedded:/path.gguf`, `openai:<base_url>#<model>`, `gateway:<base_url>#<model>`,
    /// `scripted:<file>`. `api_key_env` overrides the default key variable.
    pub fn parse(spec: &str, api_key_env: Option<&str>) -> Result<ModelSpec> {
        let err = |m: &str| EvalError::ModelSpec {
            spec: spec.to_owned(),
            message: m.to_owned(),
        };
        let (kind, rest) = spec.split_once(':').unwrap_or((spec, ""));
        let url_model = |default_env: &str| -> Result<(String, String, String)> {
            let (url, model) = rest
                .rsplit_once('#')
                .ok_or_else(|| err("expected <base_url>#<model>"))?;
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(err("the base URL must start with http:// or https://"));
            }
            if model.is_empty() {
                return Err(err("the model name after '#' is empty"));
            }
            Ok((
                url.to_owned(),
                model.to_owned(),
                api_key_env.unwrap_or(default_env).to_owned(),
            ))
        };
        match kind {
            "embedded" => Ok(ModelSpec::Embedded(
                (!rest.is_empty()).then(|| PathBuf::from(rest)),
            )),
            "openai" => {
                let (base_url, model, key_env) = url_model("OPENAI_API_KEY")?;
                Ok(ModelSpec::OpenAi {
                    base_url,
                    model,
                    key_env,
                })
            }
            "gateway" => {
                let (base_url, model, key_env) = url_model("HAETAE_API_KEY")?;
                Ok(ModelSpec::Gateway {
                    base_url,
                    model,
                    key_env,
                })
            }
            "scripted" if !rest.is_empty() => Ok(ModelSpec::Scripted(PathBuf::from(rest))),
            _ => Err(err(
                "expected embedded[:path], openai:<url>#<model>, gateway:<url>#<model> or scripted:<file>",
            )),
        }
    }

    /// A label safe to log (no secrets: keys never appear in specs).
    pub fn label(&self) -> String {
        match self {
            ModelSpec::Embedded(None) => "embedded".into(),
            ModelSpec::Embedded(Some(p)) => format!("embedded:{}", p.display()),
            ModelSpec::OpenAi {
                base_url, model, ..
            } => format!("openai:{base_url}#{model}"),
            ModelSpec::Gateway {
                base_url, model, ..
            } => format!("gateway:{base_url}#{model}"),
            ModelSpec::Scripted(p) => format!("scripted:{}", p.display()),
        }
    }

    /// Builds the backend. Loading the embedded model reads a file, so this runs it on a blocking thread.
    pub async fn build(&self) -> Result<Model> {
        let label = self.label();
        match self {
            ModelSpec::OpenAi {
                base_url,
                model,
                key_env,
            }
            | ModelSpec::Gateway {
                base_url,
                model,
                key_env,
            } => {
                let mut config = OpenAiConfig::new(label.clone(), base_url.clone());
                config.api_key = std::env::var(key_env).ok().filter(|k| !k.is_empty());
                if matches!(self, ModelSpec::Gateway { .. }) && config.api_key.is_none() {
                    return Err(EvalError::ModelSpec {
                        spec: label,
                        message: format!("set {key_env} to a Haetae API key (hk_…)"),
                    });
                }
                config.read_timeout = Duration::from_secs(600);
                let backend = OpenAiBackend::new(config).map_err(|source| EvalError::Model {
                    model: label.clone(),
                    source,
                })?;
                Ok(Model::new(Arc::new(backend), model.clone(), label))
            }
            ModelSpec::Scripted(path) => {
                let backend = scripted_from_file(path)?;
                Ok(Model::new(Arc::new(backend), "scripted", label))
            }
            ModelSpec::Embedded(path) => build_embedded(path.clone(), label).await,
        }
    }
}

#[cfg(feature = "embedded")]
async fn build_embedded(path: Option<PathBuf>, label: String) -> Result<Model> {
    use haetae_models::embedded::{EmbeddedBackend, EmbeddedConfig, default_model_path};
    let path = path.unwrap_or_else(default_model_path);
    if !path.exists() {
        return Err(EvalError::ModelSpec {
            spec: label,
            message: format!(
                "no model file at {} (scripts/fetch-model.sh fetches the default)",
                path.display()
            ),
        });
    }
    let config = EmbeddedConfig {
        parallel: 1,
        // Evaluation prompts are long (a log excerpt, a program's files, a grading rubric); SmolLM2 was trained
        // to 8192 tokens, and the gateway's 2048 default would reject most of them.
        context_len: 8192,
        // On a machine shared with other work, fewer llama.cpp threads than cores is much faster: its threads
        // meet at a barrier every layer, and one descheduled thread stalls them all.
        threads: std::env::var("HAETAE_EMBEDDED_THREADS")
            .ok()
            .and_then(|t| t.parse().ok())
            .filter(|&t: &usize| t > 0)
            .unwrap_or_else(|| EmbeddedConfig::default().threads),
        ..EmbeddedConfig::default()
    };
    let model_id = config.model_id.clone();
    let backend = tokio::task::spawn_blocking(move || EmbeddedBackend::load(&path, config))
        .await
        .map_err(|e| EvalError::config(format!("loading the embedded model panicked: {e}")))?
        .map_err(|e| EvalError::Model {
            model: label.clone(),
            source: e.into(),
        })?;
    // One generation at a time on the CPU; the queue in front of it absorbs the rest.
    Ok(Model::new(Arc::new(backend), model_id, label).with_max_connections(1))
}

#[cfg(not(feature = "embedded"))]
async fn build_embedded(_path: Option<PathBuf>, label: String) -> Result<Model> {
    Err(EvalError::ModelSpec {
        spec: label,
        message: "this build has no embedded model (enable feature `embedded`)".into(),
    })
}

/// A scripted model file: a list of replies, or `{replies: [...], fallback: ...}`. A reply is a string, `{tool_calls:
/// [{name, arguments}]}` or `{error: {status, message}}`.
pub fn scripted_from_file(path: &Path) -> Result<ScriptedBackend> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| EvalError::io(format!("reading {}", path.display()), e))?;
    let value: Value = serde_yaml::from_str(&text).map_err(|e| EvalError::Suite {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    scripted_from_value(&value).map_err(|message| EvalError::Suite {
        path: path.to_owned(),
        message,
    })
}

pub fn scripted_from_value(value: &Value) -> std::result::Result<ScriptedBackend, String> {
    let (replies, fallback) = match value {
        Value::Array(items) => (items.clone(), None),
        Value::Object(o) => (
            o.get("replies")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            o.get("fallback").cloned(),
        ),
        _ => return Err("expected a list of replies or {replies, fallback}".into()),
    };
    let replies = replies
        .iter()
        .map(parse_reply)
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut backend = ScriptedBackend::new("scripted", replies);
    if let Some(f) = fallback {
        backend = backend.with_fallback(parse_reply(&f)?);
    }
    Ok(backend)
}

fn parse_reply(v: &Value) -> std::result::Result<ScriptedReply, String> {
    if let Some(s) = v.as_str() {
        return Ok(ScriptedReply::Text(s.to_owned()));
    }
    if let Some(calls) = v.get("tool_calls").and_then(Value::as_array) {
        let calls = calls
            .iter()
            .map(|c| {
                let name = c
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or("a tool call needs a name")?;
                Ok((
                    name.to_owned(),
                    c.get("arguments").cloned().unwrap_or(json!({})),
                ))
            })
            .collect::<std::result::Result<Vec<_>, String>>()?;
        return Ok(ScriptedReply::ToolCalls(calls));
    }
    if let Some(e) = v.get("error") {
        return Ok(ScriptedReply::Error {
            status: e.get("status").and_then(Value::as_u64).unwrap_or(500) as u16,
            message: e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("scripted error")
                .to_owned(),
        });
    }
    Err(format!("cannot read scripted reply {v}"))
}
