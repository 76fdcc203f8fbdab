//! The embedded model: a GGUF run in-process on the CPU with llama.cpp, so Haetae works on a machine with no
//! network and no model server.
//!
//! * [`fetch`] gets the default model (SmolLM2-135M-Instruct, Q4_1) into the cache and verifies its hash.
//! * [`EmbeddedBackend::load`] loads any GGUF llama.cpp can run (llama, qwen2, gemma, phi …) and serves it through
//!   [`Backend`]: the model's own chat template (rendered with minijinja), llama.cpp's tokenizer from the GGUF
//!   metadata, sampling with temperature / top_p / seed, stop sequences, streaming, usage, and a bounded queue.
//!
//! Why llama.cpp rather than a pure-Rust engine is measured and written down in `docs/embedded-model.md`.

pub mod engine;
pub mod fetch;
pub mod stop;
pub mod structured;
pub mod template;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::StreamExt;
use llama_cpp_2::model::LlamaModel;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::{Backend, BackendError, ChunkStream};
use engine::{Event, GenParams, Job, Permit};
use template::ChatTemplate;

pub use fetch::{
    DEFAULT_MODEL_ID, DEFAULT_MODEL_SHA256, default_cache_dir, default_model_path,
    ensure_default_model,
};

/// How the embedded backend runs.
#[derive(Debug, Clone)]
pub struct EmbeddedConfig {
    /// Generations that run at the same time, each on its own thread and KV cache.
    pub parallel: usize,
    /// Requests that may wait for a free generation slot; beyond that, requests are refused with
    /// [`BackendError::Overloaded`] at once instead of piling up.
    pub queue_depth: usize,
    /// llama.cpp threads per generation. `parallel * threads` should not exceed the CPU cores.
    pub threads: usize,
    /// Context length (prompt + completion tokens) per generation.
    pub context_len: usize,
    /// The model id clients use (returned by `list_models` and in responses).
    pub model_id: String,
}

impl Default for EmbeddedConfig {
    fn default() -> Self {
        Self {
            parallel: 1,
            queue_depth: 16,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            context_len: 2048,
            model_id: DEFAULT_MODEL_ID.to_owned(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error("cannot load the embedded model: {0}")]
    Load(String),
    #[error("chat template error: {0}")]
    Template(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("embedded model failure: {0}")]
    Engine(String),
    #[error(transparent)]
    Fetch(#[from] fetch::FetchError),
}

impl From<EmbeddedError> for BackendError {
    fn from(e: EmbeddedError) -> Self {
        match e {
            EmbeddedError::BadRequest(m) => BackendError::InvalidRequest(m),
            other => BackendError::Internal(other.to_string()),
        }
    }
}

struct Shared {
    model: Arc<LlamaModel>,
    template: ChatTemplate,
    specials: Vec<String>,
    config: EmbeddedConfig,
}

/// A GGUF model served in-process. Cheap to share behind an `Arc`; dropping it stops its worker threads once their
/// current jobs end.
pub struct EmbeddedBackend {
    shared: Arc<Shared>,
    jobs: std::sync::mpsc::Sender<Job>,
    admitted: Arc<AtomicUsize>,
    capacity: usize,
}

impl std::fmt::Debug for EmbeddedBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedBackend")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

impl EmbeddedBackend {
    /// Loads a GGUF and starts `config.parallel` generation threads. Blocking (it reads the model file): call it
    /// from `spawn_blocking` or before the runtime serves requests.
    pub fn load(path: impl AsRef<Path>, config: EmbeddedConfig) -> Result<Self, EmbeddedError> {
        if config.parallel == 0 {
            return Err(EmbeddedError::Load("parallel must be at least 1".into()));
        }
        if config.context_len < 16 {
            return Err(EmbeddedError::Load(format!(
                "context_len {} is too small",
                config.context_len
            )));
        }
        let model = Arc::new(engine::load_model(path.as_ref())?);
        let source = match model.meta_val_str("tokenizer.chat_template") {
            Ok(s) => s,
            Err(_) => {
                tracing::warn!("the GGUF has no tokenizer.chat_template; using ChatML");
                template::CHATML_FALLBACK.to_owned()
            }
        };
        let vocab = model.vocab();
        let piece = |t| String::from_utf8_lossy(&vocab.token_to_piece(t, true, None)).into_owned();
        let (bos, eos) = (piece(vocab.bos()), piece(vocab.eos()));
        let template = ChatTemplate::new(&source, &bos, &eos)?;
        let specials = engine::special_token_texts(&model);
        let jobs = engine::start_workers(
            Arc::clone(&model),
            config.parallel,
            engine::WorkerConfig {
                threads: config.threads,
                context_len: config.context_len,
            },
        )?;
        let capacity = config.parallel + config.queue_depth;
        Ok(Self {
            shared: Arc::new(Shared {
                model,
                template,
                specials,
                config,
            }),
            jobs,
            admitted: Arc::new(AtomicUsize::new(0)),
            capacity,
        })
    }

    pub fn config(&self) -> &EmbeddedConfig {
        &self.shared.config
    }

    /// Requests currently admitted (running or queued).
    pub fn in_flight(&self) -> usize {
        self.admitted.load(Ordering::Acquire)
    }

    /// Renders the chat template for `messages` (an OpenAI `messages` array) — what the model will see.
    pub fn render_prompt(&self, messages: &Value) -> Result<String, EmbeddedError> {
        let msgs = template::normalise_messages(messages)?;
        self.shared.template.render(&msgs, None, true)
    }

    /// Tokenizes text with the model's vocabulary (no special-token parsing, no BOS).
    pub fn tokenize(&self, text: &str) -> Vec<i32> {
        self.shared
            .model
            .vocab()
            .tokenize(text.as_bytes(), false, false)
            .into_iter()
            .map(|t| t.0)
            .collect()
    }

    /// Takes a place in the queue, or refuses at once when it is full.
    fn admit(&self) -> Result<Permit, BackendError> {
        let taken = self
            .admitted
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.capacity).then_some(n + 1)
            });
        match taken {
            Ok(_) => Ok(Permit(Arc::clone(&self.admitted))),
            Err(n) => Err(BackendError::Overloaded {
                message: format!(
                    "the embedded model is at capacity ({n} requests running or queued); try again shortly"
                ),
                retry_after_secs: 1,
            }),
        }
    }

    /// Validates the request, renders and tokenizes the prompt (on a blocking thread) and queues the generation.
    async fn start(
        &self,
        body: &Value,
    ) -> Result<(mpsc::Receiver<Event>, RequestInfo), BackendError> {
        let permit = self.admit()?;
        let req = parse_request(body)?;
        let schema = structured::requested_schema(body)
            .map_err(|e| BackendError::invalid_field(&e.path, &e.reason))?;
        let shared = Arc::clone(&self.shared);
        let messages = body.get("messages").cloned().unwrap_or(Value::Null);
        let tools = body.get("tools").cloned();
        let (tokens, grammar) = tokio::task::spawn_blocking(move || -> Result<_, EmbeddedError> {
            // llama.cpp's converter, as its server uses it; the schema was checked to be one it fully enforces.
            let grammar = schema
                .map(|s| structured::grammar_for(&s))
                .transpose()
                .map_err(|e| {
                    EmbeddedError::BadRequest(format!(
                        "`response_format`: llama.cpp could not turn the schema into a grammar ({e})"
                    ))
                })?;
            let msgs = template::normalise_messages(&messages)?;
            let rendered = shared.template.render(&msgs, tools.as_ref(), true)?;
            let contents: Vec<&str> = msgs.iter().filter_map(|m| m["content"].as_str()).collect();
            let tokens =
                engine::tokenize_prompt(&shared.model, &shared.specials, &rendered, &contents);
            Ok((tokens, grammar))
        })
        .await
        .map_err(|e| BackendError::Internal(format!("prompt preparation panicked: {e}")))??;

        let context_len = self.shared.config.context_len;
        if tokens.len() >= context_len {
            return Err(BackendError::InvalidRequest(format!(
                "the prompt is {} tokens; the embedded model's context holds {context_len}",
                tokens.len()
            )));
        }
        let max_tokens = req
            .max_tokens
            .unwrap_or(usize::MAX)
            .min(context_len - tokens.len());
        let params = GenParams {
            max_tokens,
            temperature: req.temperature,
            top_p: req.top_p,
            seed: req.seed,
            stop: req.stop,
            grammar,
        };
        // Small buffer: a slow reader applies back-pressure to its own generation only.
        let (tx, rx) = mpsc::channel(32);
        self.jobs
            .send(Job::Generate {
                tokens,
                params,
                events: tx,
                permit,
            })
            .map_err(|_| {
                BackendError::Unavailable("the embedded model's workers have stopped".into())
            })?;
        let info = RequestInfo {
            id: format!("chatcmpl-{}", uuid::Uuid::new_v4().simple()),
            created: unix_now(),
            model: self.shared.config.model_id.clone(),
            include_usage: req.include_usage,
        };
        Ok((rx, info))
    }
}

struct RequestInfo {
    id: String,
    created: u64,
    model: String,
    include_usage: bool,
}

struct Request {
    max_tokens: Option<usize>,
    temperature: f32,
    top_p: f32,
    seed: u32,
    stop: Vec<String>,
    include_usage: bool,
}

fn bad(m: impl Into<String>) -> BackendError {
    BackendError::InvalidRequest(m.into())
}

/// Reads the OpenAI parameters this backend honours. Unknown fields are ignored, as upstream servers do.
fn parse_request(body: &Value) -> Result<Request, BackendError> {
    if !body.is_object() {
        return Err(bad("the request body must be a JSON object"));
    }
    let number = |key: &str| -> Result<Option<f64>, BackendError> {
        match body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| bad(format!("`{key}` must be a number"))),
        }
    };
    let max_tokens = match body
        .get("max_completion_tokens")
        .filter(|v| !v.is_null())
        .or(body.get("max_tokens"))
    {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 => Some(usize::try_from(n).unwrap_or(usize::MAX)),
            _ => return Err(bad("`max_tokens` must be a positive integer")),
        },
    };
    // OpenAI's default temperature and top_p are 1.
    let temperature = number("temperature")?.unwrap_or(1.0);
    if !(0.0..=2.0).contains(&temperature) {
        return Err(bad("`temperature` must be between 0 and 2"));
    }
    let top_p = number("top_p")?.unwrap_or(1.0);
    if !(top_p > 0.0 && top_p <= 1.0) {
        return Err(bad("`top_p` must be in (0, 1]"));
    }
    let seed = match body.get("seed") {
        None | Some(Value::Null) => random_seed(),
        // llama.cpp seeds are 32-bit; larger seeds are folded rather than refused.
        Some(v) => match (v.as_u64(), v.as_i64()) {
            (Some(u), _) => (u ^ (u >> 32)) as u32,
            (None, Some(i)) => (i as u64 ^ ((i as u64) >> 32)) as u32,
            _ => return Err(bad("`seed` must be an integer")),
        },
    };
    let stop = match body.get("stop") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => {
            let stops: Option<Vec<String>> =
                a.iter().map(|s| s.as_str().map(str::to_owned)).collect();
            let stops =
                stops.ok_or_else(|| bad("`stop` must be a string or an array of strings"))?;
            if stops.len() > 16 {
                return Err(bad("at most 16 stop sequences are supported"));
            }
            stops
        }
        Some(_) => return Err(bad("`stop` must be a string or an array of strings")),
    };
    match body.get("n").and_then(Value::as_u64) {
        None | Some(1) => {}
        Some(_) => {
            return Err(bad(
                "the embedded model generates one choice per request (`n` must be 1)",
            ));
        }
    }
    let include_usage = body
        .pointer("/stream_options/include_usage")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(Request {
        max_tokens,
        temperature: temperature as f32,
        top_p: top_p as f32,
        seed,
        stop,
        include_usage,
    })
}

fn random_seed() -> u32 {
    let b = uuid::Uuid::new_v4().into_bytes();
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn usage(prompt: usize, completion: usize) -> Value {
    json!({"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion})
}

fn chunk(info: &RequestInfo, delta: Value, finish_reason: Option<&str>) -> Value {
    json!({
        "id": info.id,
        "object": "chat.completion.chunk",
        "created": info.created,
        "model": info.model,
        "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish_reason}],
    })
}

#[async_trait::async_trait]
impl Backend for EmbeddedBackend {
    fn name(&self) -> &str {
        &self.shared.config.model_id
    }

    async fn chat(&self, body: Value) -> Result<Value, BackendError> {
        let (mut rx, info) = self.start(&body).await?;
        let mut content = String::new();
        while let Some(ev) = rx.recv().await {
            match ev {
                Event::Text(t) => content.push_str(&t),
                Event::Error(e) => return Err(BackendError::Internal(e)),
                Event::Done {
                    finish_reason,
                    prompt_tokens,
                    completion_tokens,
                } => {
                    return Ok(json!({
                        "id": info.id,
                        "object": "chat.completion",
                        "created": info.created,
                        "model": info.model,
                        "choices": [{
                            "index": 0,
                            "message": {"role": "assistant", "content": content},
                            "logprobs": null,
                            "finish_reason": finish_reason,
                        }],
                        "usage": usage(prompt_tokens, completion_tokens),
                    }));
                }
            }
        }
        Err(BackendError::Internal(
            "the generation ended without a result".into(),
        ))
    }

    async fn chat_stream(&self, body: Value) -> Result<ChunkStream, BackendError> {
        let (rx, info) = self.start(&body).await?;
        let first = chunk(&info, json!({"role": "assistant", "content": ""}), None);
        let head = futures::stream::once(async move { Ok(first) });
        // Dropping this stream drops `rx`, which the worker notices at the next token and stops.
        let body = futures::stream::unfold((rx, info, false), |(mut rx, info, done)| async move {
            if done {
                return None;
            }
            match rx.recv().await {
                Some(Event::Text(t)) => {
                    let c = chunk(&info, json!({"content": t}), None);
                    Some((vec![Ok(c)], (rx, info, false)))
                }
                Some(Event::Done {
                    finish_reason,
                    prompt_tokens,
                    completion_tokens,
                }) => {
                    let mut out = vec![Ok(chunk(&info, json!({}), Some(finish_reason)))];
                    if info.include_usage {
                        let mut u = chunk(&info, json!({}), None);
                        u["choices"] = json!([]);
                        u["usage"] = usage(prompt_tokens, completion_tokens);
                        out.push(Ok(u));
                    }
                    Some((out, (rx, info, true)))
                }
                Some(Event::Error(e)) => {
                    Some((vec![Err(BackendError::Internal(e))], (rx, info, true)))
                }
                None => Some((
                    vec![Err(BackendError::Internal(
                        "the generation ended without a result".into(),
                    ))],
                    (rx, info, true),
                )),
            }
        })
        .flat_map(futures::stream::iter);
        Ok(Box::pin(head.chain(body)))
    }

    async fn embeddings(&self, body: Value) -> Result<Value, BackendError> {
        let permit = self.admit()?;
        let inputs: Vec<String> = match body.get("input") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) if !a.is_empty() => a
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or_else(|| bad("`input` must be a string or an array of strings"))?,
            _ => {
                return Err(bad(
                    "`input` must be a string or a non-empty array of strings",
                ));
            }
        };
        let shared = Arc::clone(&self.shared);
        let tokenized = tokio::task::spawn_blocking(move || {
            let vocab = shared.model.vocab();
            inputs
                .iter()
                .map(|s| vocab.tokenize(s.as_bytes(), true, false))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| BackendError::Internal(format!("tokenization panicked: {e}")))?;
        let prompt_tokens: usize = tokenized.iter().map(Vec::len).sum();
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Job::Embed {
                inputs: tokenized,
                reply: tx,
                permit,
            })
            .map_err(|_| {
                BackendError::Unavailable("the embedded model's workers have stopped".into())
            })?;
        let vectors = rx
            .await
            .map_err(|_| BackendError::Internal("the embedding job was dropped".into()))??;
        let data: Vec<Value> = vectors
            .into_iter()
            .enumerate()
            .map(|(i, v)| json!({"object": "embedding", "index": i, "embedding": v}))
            .collect();
        Ok(json!({
            "object": "list",
            "data": data,
            "model": self.shared.config.model_id,
            "usage": {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens},
        }))
    }

    async fn list_models(&self) -> Result<Vec<String>, BackendError> {
        Ok(vec![self.shared.config.model_id.clone()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_parsing() {
        let r = parse_request(
            &json!({"messages": [], "max_tokens": 5, "temperature": 0, "stop": "x", "seed": 7,
            "stream_options": {"include_usage": true}}),
        )
        .unwrap();
        assert_eq!(r.max_tokens, Some(5));
        assert_eq!(r.temperature, 0.0);
        assert_eq!(r.stop, vec!["x"]);
        assert_eq!(r.seed, 7);
        assert!(r.include_usage);
        assert!(parse_request(&json!({"max_tokens": 0})).is_err());
        assert!(parse_request(&json!({"temperature": "hot"})).is_err());
        assert!(parse_request(&json!({"temperature": 3})).is_err());
        assert!(parse_request(&json!({"top_p": 0})).is_err());
        assert!(parse_request(&json!({"stop": [1]})).is_err());
        assert!(parse_request(&json!({"n": 2})).is_err());
        assert!(parse_request(&json!([])).is_err());
        let r = parse_request(&json!({"max_completion_tokens": 3, "max_tokens": 9})).unwrap();
        assert_eq!(r.max_tokens, Some(3));
    }
}
