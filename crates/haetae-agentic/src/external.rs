//! The `external_agent` solver: an agent product outside Haetae solves the task as a black box.
//!
//! For each sample it moves the sample's environments out of the [`TaskState`], serves them on `127.0.0.1:0`
//! ([`crate::serve`]: MCP at `/mcp`, the HTTP tool API beside it), and runs the suite's command with
//!
//! | variable | value |
//! |---|---|
//! | `HAETAE_MCP_URL` | `http://127.0.0.1:PORT/mcp` |
//! | `HAETAE_TOOLS_URL` | `http://127.0.0.1:PORT` |
//! | `HAETAE_TASK` | the instruction |
//! | `HAETAE_TASK_ID` | the sample id |
//! | `HAETAE_LANG` | `ko` or `en` |
//!
//! It waits for a submission, the process's exit or the time limit (the process is then killed and a `limit`
//! event recorded), puts the environments back and records the answer, the tool events (the built-in loop's
//! shape) and an OpenAI-shaped transcript. The scorers read the environments' state, so an external agent is
//! scored exactly like the built-in loop.
//!
//! ```yaml
//! solvers:
//!   - agentic_policy
//!   - external_agent: {command: [python3, examples/mcp_agent.py], timeout_s: 120, env: {MY_KEY: "…"}}
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use async_trait::async_trait;
use haetae_eval::EvalError;
use haetae_eval::solver::{SolveContext, Solver, TaskState};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::net::TcpListener;
use tokio::process::Command;
use tokio::task::JoinHandle;

use crate::serve::{ServeConfig, Served, TaskInfo};

/// How much of the agent's stdout and stderr the transcript keeps (the end of each).
const OUTPUT_TAIL_BYTES: usize = 4096;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalAgent {
    /// The program and its arguments.
    pub command: Vec<String>,
    /// Wall time for one sample's agent process.
    #[serde(default = "d_timeout")]
    pub timeout_s: f64,
    /// Extra environment variables for the process.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// The process's working directory (default: the harness's).
    #[serde(default)]
    pub cwd: Option<PathBuf>,
    /// How long the process may take to exit after submitting before it is killed.
    #[serde(default = "d_grace")]
    pub exit_grace_s: f64,
}

fn d_timeout() -> f64 {
    300.0
}
fn d_grace() -> f64 {
    5.0
}

impl ExternalAgent {
    pub fn from_params(v: &Value) -> haetae_eval::Result<Self> {
        let agent: ExternalAgent = haetae_eval::solver::params("external_agent", v)?;
        if agent.command.first().is_none_or(|c| c.is_empty()) {
            return Err(EvalError::config(
                "external_agent: `command` must name a program",
            ));
        }
        for (name, t) in [
            ("timeout_s", agent.timeout_s),
            ("exit_grace_s", agent.exit_grace_s),
        ] {
            if !(t.is_finite() && t > 0.0) {
                return Err(EvalError::config(format!(
                    "external_agent: `{name}` must be a positive number of seconds, not {t}"
                )));
            }
        }
        Ok(agent)
    }
}

/// What the agent is told: the instruction, and the policy as the built-in loop's system messages carry it (the
/// `agentic_policy` solver puts it there), else the domain's policy.
pub fn task_info(state: &TaskState) -> TaskInfo {
    let meta = &state.sample.metadata;
    let lang = meta
        .get("lang")
        .and_then(Value::as_str)
        .unwrap_or("en")
        .to_owned();
    let system: Vec<&str> = state
        .messages
        .iter()
        .filter(|m| m.get("role").and_then(Value::as_str) == Some("system"))
        .filter_map(|m| m.get("content").and_then(Value::as_str))
        .collect();
    let policy = if system.is_empty() {
        meta.get("domain")
            .and_then(Value::as_str)
            .and_then(crate::find_domain)
            .map(|d| (d.policy)(&lang).to_owned())
            .unwrap_or_default()
    } else {
        system.join("\n\n")
    };
    let prompt = state.user_prompt();
    TaskInfo {
        id: state.sample.id.clone(),
        lang,
        instruction: if prompt.is_empty() {
            state.sample.input_text()
        } else {
            prompt
        },
        policy,
    }
}

/// Reads a stream to its end, keeping its last bytes.
fn tail<R: AsyncRead + Unpin + Send + 'static>(mut r: R) -> JoinHandle<String> {
    tokio::spawn(async move {
        let mut kept: Vec<u8> = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = r.read(&mut buf).await {
            if n == 0 {
                break;
            }
            kept.extend_from_slice(&buf[..n]);
            if kept.len() > OUTPUT_TAIL_BYTES {
                kept.drain(..kept.len() - OUTPUT_TAIL_BYTES);
            }
        }
        String::from_utf8_lossy(&kept).into_owned()
    })
}

async fn collect(handle: Option<JoinHandle<String>>) -> String {
    let Some(mut h) = handle else {
        return String::new();
    };
    // A grandchild that inherited the pipe could keep it open forever.
    match tokio::time::timeout(Duration::from_secs(2), &mut h).await {
        Ok(Ok(s)) => s,
        _ => {
            h.abort();
            String::new()
        }
    }
}

enum End {
    Submitted,
    Exited(ExitStatus),
    TimedOut,
}

#[async_trait]
impl Solver for ExternalAgent {
    fn name(&self) -> &str {
        "external_agent"
    }

    async fn solve(&self, state: &mut TaskState, _ctx: &SolveContext) -> haetae_eval::Result<()> {
        let Some((program, args)) = self.command.split_first() else {
            return Err(EvalError::config(
                "external_agent: `command` must name a program",
            ));
        };
        let info = task_info(state);
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| EvalError::io("external_agent: binding 127.0.0.1:0", e))?;
        let environments = std::mem::take(&mut state.environments);
        let events = std::mem::take(&mut state.events);
        let served = Served::start(
            listener,
            environments,
            events,
            info.clone(),
            ServeConfig::default(),
        )
        .await
        .map_err(EvalError::from)?;

        let mut cmd = Command::new(program);
        cmd.args(args)
            .envs(&self.env)
            .env("HAETAE_MCP_URL", served.mcp_url())
            .env("HAETAE_TOOLS_URL", served.base_url())
            .env("HAETAE_TASK", &info.instruction)
            .env("HAETAE_TASK_ID", &info.id)
            .env("HAETAE_LANG", &info.lang)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(dir) = &self.cwd {
            cmd.current_dir(dir);
        }
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                restore(state, served).await;
                return Err(EvalError::Environment(format!(
                    "external_agent: cannot start {:?}: {e}",
                    self.command
                )));
            }
        };
        let stdout = child.stdout.take().map(tail);
        let stderr = child.stderr.take().map(tail);

        let end = tokio::select! {
            _ = served.submitted() => End::Submitted,
            status = child.wait() => match status {
                Ok(s) => End::Exited(s),
                Err(e) => {
                    let _ = child.kill().await;
                    restore(state, served).await;
                    return Err(EvalError::io("external_agent: waiting for the agent process", e));
                }
            },
            _ = tokio::time::sleep(Duration::from_secs_f64(self.timeout_s)) => End::TimedOut,
        };
        let (status, killed) = match end {
            End::Exited(s) => (Some(s), false),
            End::Submitted => {
                let grace = Duration::from_secs_f64(self.exit_grace_s);
                match tokio::time::timeout(grace, child.wait()).await {
                    Ok(Ok(s)) => (Some(s), false),
                    _ => {
                        let _ = child.kill().await;
                        (None, true)
                    }
                }
            }
            End::TimedOut => {
                let _ = child.kill().await;
                (None, true)
            }
        };
        let timed_out = matches!(end, End::TimedOut);
        let submitted = restore(state, served).await;
        if timed_out {
            state.events.push(
                json!({"type": "limit", "limit": "time", "seconds": self.timeout_s, "source": "external_agent"}),
            );
            state.completed = true;
        }
        let (stdout, stderr) = (collect(stdout).await, collect(stderr).await);
        state.events.push(json!({
            "type": "external_agent",
            "command": self.command,
            "submitted": submitted,
            "exit_code": status.and_then(|s| s.code()),
            "killed": killed,
            "stdout_tail": stdout,
            "stderr_tail": stderr,
        }));
        Ok(())
    }
}

/// Puts the world and the transcript back into the state; returns whether the agent submitted.
async fn restore(state: &mut TaskState, served: Served) -> bool {
    let f = served.finish().await;
    state.environments = f.environments;
    state.events = f.events;
    state.messages.extend(f.messages);
    match f.answer {
        Some(a) => {
            state.output = a;
            true
        }
        None => false,
    }
}
