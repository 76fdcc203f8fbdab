//! Serving one task's world to an agent outside Haetae: an institution's own agent product connects as a black box
//! and is scored from the environment's state, like the built-in agent loop.
//!
//! One axum server carries two transports over the same session:
//!
//! - **MCP** (streamable HTTP, `/mcp`, the official `rmcp` SDK): the environments' tools plus `submit(answer)`;
//!   tool errors come back as `isError: true` results. The instruction and the operating policy are the server's
//!   `instructions` and the prompt `task`.
//! - **HTTP**: `GET /task` → `{id, lang, instruction, policy, tools}` (OpenAI function definitions);
//!   `POST /tools/{name}` with the arguments object → `{ok, result}` or `{ok: false, error}`;
//!   `POST /submit` `{answer}`. Protocol errors are JSON `{ok: false, error}` with a 4xx/5xx status.
//!
//! Every call goes through [`haetae_eval::agent::call_tool`] on a scratch [`TaskState`] that holds the
//! environments, so the transcript events are the built-in loop's, byte for byte. The owner waits with
//! [`Served::submitted`] and takes everything back with [`Served::finish`].
//!
//! Calls are serialised (one lock around the world): the order the server saw is the trajectory, and it is
//! deterministic for an agent that waits for each result.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use haetae_eval::dataset::Sample;
use haetae_eval::env::{Environment, ToolDef};
use haetae_eval::solver::TaskState;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, GetPromptRequestParams,
    GetPromptResponse, GetPromptResult, Implementation, ListPromptsResult, ListToolsResult,
    PaginatedRequestParams, Prompt, PromptMessage, Role, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler};
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use tokio::sync::{Mutex, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::error::Result;

/// The tool an agent ends the task with.
pub const SUBMIT: &str = "submit";
/// The MCP prompt that carries the instruction and the policy.
pub const TASK_PROMPT: &str = "task";

/// What the agent is told.
#[derive(Debug, Clone, Default)]
pub struct TaskInfo {
    pub id: String,
    /// `ko` or `en`.
    pub lang: String,
    pub instruction: String,
    /// The operating policy (with the preamble every agent gets), as the built-in loop's system message has it.
    pub policy: String,
}

#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Largest request body accepted (HTTP API and MCP); larger ones get 413.
    pub max_body_bytes: usize,
    /// How long one tool call (waiting for the world included) may take before the caller gets a timeout error.
    pub call_timeout: Duration,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            max_body_bytes: 1024 * 1024,
            call_timeout: Duration::from_secs(30),
        }
    }
}

/// What a served session leaves: the environments (for the scorers), the transcript and the answer.
pub struct Finished {
    pub environments: Vec<Box<dyn Environment>>,
    /// The events given to [`Served::start`] followed by one `tool` event per call.
    pub events: Vec<Value>,
    /// OpenAI-shaped messages: an assistant tool call and the tool result per call, then the answer.
    pub messages: Vec<Value>,
    /// `None` when the agent never submitted.
    pub answer: Option<String>,
}

/// Why a call was not carried out (a protocol error, not a tool error the agent may recover from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallRefused {
    UnknownTool(String),
    /// The agent already submitted, or the owner took the world back.
    Over,
    Timeout,
    /// The environment failed (panicked) during the call.
    Failed(String),
}

impl CallRefused {
    fn message(&self) -> String {
        match self {
            CallRefused::UnknownTool(t) => format!("unknown tool '{t}'"),
            CallRefused::Over => {
                "the task is over: an answer was submitted or the session was closed".into()
            }
            CallRefused::Timeout => "the tool call timed out".into(),
            CallRefused::Failed(e) => format!("the environment failed during the call: {e}"),
        }
    }
    fn status(&self) -> StatusCode {
        match self {
            CallRefused::UnknownTool(_) => StatusCode::NOT_FOUND,
            CallRefused::Over => StatusCode::CONFLICT,
            CallRefused::Timeout => StatusCode::GATEWAY_TIMEOUT,
            CallRefused::Failed(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// A call that ran: what the environment returned (`ok: false` is a tool error the agent sees).
#[derive(Debug, Clone, PartialEq)]
pub struct CallResult {
    pub ok: bool,
    pub text: String,
}

struct Session {
    /// Holds the environments and the events; `None` once the owner took them back.
    state: Option<TaskState>,
    messages: Vec<Value>,
    answer: Option<String>,
}

/// The state both transports share.
pub struct Shared {
    task: TaskInfo,
    /// The environments' tools (without `submit`).
    tools: Vec<ToolDef>,
    session: Mutex<Session>,
    submitted: watch::Sender<Option<String>>,
    config: ServeConfig,
}

fn submit_tool() -> ToolDef {
    ToolDef::new(
        SUBMIT,
        "Submit your final answer. Call this once you are done.",
        json!({"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}),
    )
}

impl Shared {
    /// Every tool the agent may call, `submit` last.
    pub fn all_tools(&self) -> Vec<ToolDef> {
        let mut t = self.tools.clone();
        t.push(submit_tool());
        t
    }

    pub fn task(&self) -> &TaskInfo {
        &self.task
    }

    /// Runs one call (or the submission); the caller waits at most the configured timeout.
    pub async fn call(
        self: &Arc<Self>,
        name: &str,
        arguments: Value,
    ) -> std::result::Result<CallResult, CallRefused> {
        let shared = Arc::clone(self);
        let name = name.to_owned();
        // Spawned, so a caller that gives up (the timeout, a dropped connection) never cuts a call in half: the
        // world, its events and the transcript stay consistent.
        let call = tokio::spawn(async move { shared.call_inner(&name, arguments).await });
        match tokio::time::timeout(self.config.call_timeout, call).await {
            Ok(Ok(result)) => result,
            Ok(Err(e)) => Err(CallRefused::Failed(e.to_string())),
            Err(_) => Err(CallRefused::Timeout),
        }
    }

    async fn call_inner(
        &self,
        name: &str,
        arguments: Value,
    ) -> std::result::Result<CallResult, CallRefused> {
        let mut guard = self.session.lock().await;
        let session = &mut *guard;
        if session.answer.is_some() {
            return Err(CallRefused::Over);
        }
        let Some(state) = session.state.as_mut() else {
            return Err(CallRefused::Over);
        };
        if name == SUBMIT {
            // The agent loop's reading of a submission: the `answer` string, else the arguments as JSON.
            let answer = arguments.get("answer").map_or_else(
                || arguments.to_string(),
                |a| a.as_str().map_or_else(|| a.to_string(), str::to_owned),
            );
            // As the scripted agent records it, so transcripts of both read the same.
            session
                .messages
                .push(json!({"role": "assistant", "content": answer}));
            session.answer = Some(answer.clone());
            self.submitted.send_replace(Some(answer));
            return Ok(CallResult {
                ok: true,
                text: "submitted".into(),
            });
        }
        let known = self.tools.iter().any(|t| t.name == name);
        let id = format!("call_{}", state.events.len());
        session.messages.push(json!({"role": "assistant", "content": null, "tool_calls": [
            {"id": id, "type": "function", "function": {"name": name, "arguments": arguments.to_string()}}]}));
        let before = state.events.len();
        // The same path as the built-in loop and the scripted agent: the event (with the step record) is theirs.
        let shown = haetae_eval::agent::call_tool(state, name, &arguments).await;
        session
            .messages
            .push(json!({"role": "tool", "tool_call_id": id, "content": shown}));
        if !known {
            return Err(CallRefused::UnknownTool(name.to_owned()));
        }
        let event = (state.events.len() > before)
            .then(|| state.events.last())
            .flatten();
        let ok = event
            .and_then(|e| e.get("ok"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let text = event
            .and_then(|e| e.get("result"))
            .and_then(Value::as_str)
            .map_or(shown, str::to_owned);
        Ok(CallResult { ok, text })
    }
}

/// A running server for one task.
pub struct Served {
    addr: SocketAddr,
    shared: Arc<Shared>,
    router: Router,
    shutdown: CancellationToken,
    server: JoinHandle<std::io::Result<()>>,
}

impl Served {
    /// Serves `environments` on `listener`. `events` is the transcript so far: new tool events are appended to it
    /// (their call ids count from its length, as the scripted agent's do).
    pub async fn start(
        listener: TcpListener,
        environments: Vec<Box<dyn Environment>>,
        events: Vec<Value>,
        task: TaskInfo,
        config: ServeConfig,
    ) -> Result<Served> {
        let addr = listener.local_addr()?;
        let tools = environments.iter().flat_map(|e| e.tools()).collect();
        let sample = Sample {
            id: task.id.clone(),
            input: Value::String(task.instruction.clone()),
            target: Vec::new(),
            choices: None,
            metadata: Default::default(),
        };
        let mut scratch = TaskState::new(sample, 0);
        scratch.environments = environments;
        scratch.events = events;
        let shared = Arc::new(Shared {
            task,
            tools,
            session: Mutex::new(Session {
                state: Some(scratch),
                messages: Vec::new(),
                answer: None,
            }),
            submitted: watch::Sender::new(None),
            config,
        });
        let shutdown = CancellationToken::new();
        let router = app(Arc::clone(&shared), shutdown.child_token());
        let serving = axum::serve(listener, router.clone())
            .with_graceful_shutdown(shutdown.clone().cancelled_owned());
        let server = tokio::spawn(async move { serving.await });
        Ok(Served {
            addr,
            shared,
            router,
            shutdown,
            server,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:PORT` (the HTTP tool API's base).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn mcp_url(&self) -> String {
        format!("http://{}/mcp", self.addr)
    }
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }
    /// The app itself, for in-process requests (tests).
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// Waits until the agent submits; returns the answer.
    pub async fn submitted(&self) -> String {
        let mut rx = self.shared.submitted.subscribe();
        loop {
            if let Some(a) = rx.borrow_and_update().clone() {
                return a;
            }
            if rx.changed().await.is_err() {
                // The sender lives in `shared`, which we hold: this cannot end, but never spin if it did.
                std::future::pending::<()>().await;
            }
        }
    }

    /// Stops the server and takes the world back. Later calls (an agent still running) are refused.
    pub async fn finish(self) -> Finished {
        self.shutdown.cancel();
        let mut server = self.server;
        // Graceful shutdown waits for open connections; an agent holding a stream open must not hold us.
        if tokio::time::timeout(Duration::from_secs(2), &mut server)
            .await
            .is_err()
        {
            server.abort();
        }
        let mut session = self.shared.session.lock().await;
        let state = session.state.take();
        let (environments, events) =
            state.map_or_else(Default::default, |s| (s.environments, s.events));
        Finished {
            environments,
            events,
            messages: std::mem::take(&mut session.messages),
            answer: session.answer.clone(),
        }
    }
}

/// The HTTP API and the MCP endpoint on one router.
fn app(shared: Arc<Shared>, mcp_shutdown: CancellationToken) -> Router {
    // Loopback `Host`s only (the default): the server is for an agent on this machine.
    let mut mcp_config = StreamableHttpServerConfig::default();
    mcp_config.cancellation_token = mcp_shutdown;
    mcp_config.max_request_body_bytes = shared.config.max_body_bytes;
    let handler = McpHandler {
        shared: Arc::clone(&shared),
    };
    let mcp = StreamableHttpService::new(
        move || Ok(handler.clone()),
        Arc::new(LocalSessionManager::default()),
        mcp_config,
    );
    // A stuck body read is cut off here; a slow tool call gets the handler's own JSON timeout first.
    let outer_timeout = shared.config.call_timeout + Duration::from_secs(5);
    Router::new()
        .route("/task", get(get_task))
        .route("/tools/{name}", post(post_tool))
        .route("/submit", post(post_submit))
        .layer(DefaultBodyLimit::max(shared.config.max_body_bytes))
        .layer(axum::middleware::from_fn(loopback_only))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            outer_timeout,
        ))
        .route_service("/mcp", mcp)
        .fallback(not_found)
        .with_state(shared)
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        axum::Json(json!({"ok": false, "error": message.into()})),
    )
        .into_response()
}

/// The host part of a `Host` header (`127.0.0.1:8080` → `127.0.0.1`, `[::1]:80` → `::1`).
fn host_name(host: &str) -> &str {
    match host.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or(rest, |(h, _)| h),
        None => host.split_once(':').map_or(host, |(h, _)| h),
    }
}

/// Refuses requests addressed to a non-loopback name, as rmcp does for `/mcp`: a web page the operator has open
/// could otherwise reach the world through DNS rebinding. (No `Host` at all is not a browser.)
async fn loopback_only(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if let Some(host) = req.headers().get(axum::http::header::HOST) {
        let loopback = host
            .to_str()
            .is_ok_and(|h| matches!(host_name(h), "localhost" | "127.0.0.1" | "::1"));
        if !loopback {
            return error(
                StatusCode::FORBIDDEN,
                "address this server as localhost or 127.0.0.1",
            );
        }
    }
    next.run(req).await
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such endpoint: use GET /task, POST /tools/{name}, POST /submit, or MCP at /mcp",
    )
}

async fn get_task(State(shared): State<Arc<Shared>>) -> Response {
    let t = &shared.task;
    let tools: Vec<Value> = shared.all_tools().iter().map(ToolDef::to_openai).collect();
    axum::Json(
        json!({"id": t.id, "lang": t.lang, "instruction": t.instruction, "policy": t.policy,
                      "tools": tools}),
    )
    .into_response()
}

/// The request body as a JSON object (an empty body is `{}`).
fn arguments(
    body: std::result::Result<Bytes, BytesRejection>,
) -> std::result::Result<Value, (StatusCode, String)> {
    let bytes = body.map_err(|r| {
        let status = r.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "request body too large".to_owned()
        } else {
            format!("could not read the request body: {r}")
        };
        (status, message)
    })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err((
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object".to_owned(),
        )),
        Err(e) => Err((StatusCode::BAD_REQUEST, format!("invalid JSON: {e}"))),
    }
}

async fn post_tool(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    if name == SUBMIT {
        return post_submit(State(shared), body).await;
    }
    let args = match arguments(body) {
        Ok(a) => a,
        Err((status, message)) => return error(status, message),
    };
    match shared.call(&name, args).await {
        Ok(CallResult { ok: true, text }) => {
            axum::Json(json!({"ok": true, "result": text})).into_response()
        }
        Ok(CallResult { ok: false, text }) => {
            axum::Json(json!({"ok": false, "error": text})).into_response()
        }
        Err(refused) => error(refused.status(), refused.message()),
    }
}

async fn post_submit(
    State(shared): State<Arc<Shared>>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    let args = match arguments(body) {
        Ok(a) => a,
        Err((status, message)) => return error(status, message),
    };
    if args.get("answer").is_none() {
        return error(StatusCode::BAD_REQUEST, "missing 'answer'");
    }
    match shared.call(SUBMIT, args).await {
        Ok(r) => axum::Json(json!({"ok": true, "result": r.text})).into_response(),
        Err(refused) => error(refused.status(), refused.message()),
    }
}

/// The MCP side: one handler per MCP session, all on the same world.
#[derive(Clone)]
struct McpHandler {
    shared: Arc<Shared>,
}

fn mcp_tool(t: &ToolDef) -> Tool {
    let schema = match &t.parameters {
        Value::Object(m) => m.clone(),
        _ => Map::from_iter([("type".to_owned(), json!("object"))]),
    };
    Tool::new(t.name.clone(), t.description.clone(), Arc::new(schema))
}

impl ServerHandler for McpHandler {
    fn get_info(&self) -> ServerConfig {
        let t = &self.shared.task;
        let instructions = format!(
            "{}\n\n---\nTask {} ({}):\n{}\n\nCall `submit` with your final answer when you are done.",
            t.policy, t.id, t.lang, t.instruction
        );
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_prompts()
                .enable_tools()
                .build(),
        )
        .with_server_info(Implementation::new(
            "haetae-agentic",
            env!("CARGO_PKG_VERSION"),
        ))
        .with_instructions(instructions)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(
            self.shared.all_tools().iter().map(mcp_tool).collect(),
        ))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<CallToolResponse, McpError> {
        let args = Value::Object(request.arguments.unwrap_or_default());
        let result = match self.shared.call(&request.name, args).await {
            Ok(CallResult { ok: true, text }) => {
                CallToolResult::success(vec![ContentBlock::text(text)])
            }
            Ok(CallResult { ok: false, text }) => {
                CallToolResult::error(vec![ContentBlock::text(text)])
            }
            // Shown to the agent (isError), not a JSON-RPC error: MCP clients hide those from the model.
            Err(refused) => CallToolResult::error(vec![ContentBlock::text(refused.message())]),
        };
        Ok(result.into())
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<ListPromptsResult, McpError> {
        Ok(ListPromptsResult::with_all_items(vec![Prompt::new(
            TASK_PROMPT,
            Some("The task: the operating policy and the instruction"),
            None,
        )]))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<GetPromptResponse, McpError> {
        if request.name != TASK_PROMPT {
            return Err(McpError::invalid_params(
                format!("unknown prompt '{}' (known: {TASK_PROMPT})", request.name),
                None,
            ));
        }
        let t = &self.shared.task;
        // The built-in loop's conversation: the policy as the system message, the instruction as the user's.
        // MCP prompts have no system role, so the policy is the first user message.
        let messages = vec![
            PromptMessage::new_text(Role::User, t.policy.clone()),
            PromptMessage::new_text(Role::User, t.instruction.clone()),
        ];
        Ok(GetPromptResult::new(messages)
            .with_description(format!("task {} ({})", t.id, t.lang))
            .into())
    }
}
