//! The agent loop: the model acts on the sample's environments through tools until it submits an answer or hits
//! a limit (turns, tokens, wall time). Two protocols: OpenAI function calling, and a text ReAct protocol
//! (`Action:` / `Action Input:` / `Observation:` / `Final Answer:`) for models without function calling.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::env::ToolDef;
use crate::error::Result;
use crate::model::GenerateConfig;
use crate::solver::{SolveContext, Solver, TaskState, params};

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    #[default]
    Tools,
    React,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    #[serde(default = "d_turns")]
    pub max_turns: u32,
    /// Total tokens (prompt + completion) this sample may spend.
    #[serde(default)]
    pub max_tokens: Option<u64>,
    #[serde(default)]
    pub time_limit_s: Option<f64>,
    #[serde(default)]
    pub protocol: Protocol,
    /// Offer a `submit(answer)` tool; without it, a reply with no tool call ends the loop.
    #[serde(default = "d_true")]
    pub submit: bool,
    /// A system prompt placed before the conversation (rendered with the sample's template context).
    #[serde(default)]
    pub system_prompt: Option<String>,
    #[serde(default)]
    pub generate: GenerateConfig,
}

fn d_turns() -> u32 {
    10
}
fn d_true() -> bool {
    true
}

impl Default for AgentConfig {
    fn default() -> Self {
        AgentConfig {
            max_turns: d_turns(),
            max_tokens: None,
            time_limit_s: None,
            protocol: Protocol::Tools,
            submit: true,
            system_prompt: None,
            generate: GenerateConfig::default(),
        }
    }
}

pub struct Agent {
    pub config: AgentConfig,
}

impl Agent {
    pub fn from_params(v: &Value) -> Result<Self> {
        Ok(Agent {
            config: params("agent", v)?,
        })
    }
}

fn submit_tool() -> ToolDef {
    ToolDef::new(
        "submit",
        "Submit your final answer. Call this once you are done.",
        json!({"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}),
    )
}

pub const REACT_PROMPT: &str = "You can use these tools:\n{tools}\n\nTo use a tool, answer exactly:\nThought: <your reasoning>\n\
Action: <tool name>\nAction Input: <JSON object with the arguments>\n\nYou will get the result as 'Observation: ...'. When you \
are done, answer:\nThought: <your reasoning>\nFinal Answer: <your answer>";

/// A parsed ReAct step.
#[derive(Debug, PartialEq)]
pub enum ReactStep {
    Action { tool: String, input: Value },
    Final(String),
    Unparsed,
}

/// Parses the first action or final answer in a ReAct reply. An action before a final answer wins (the model is
/// not supposed to see the observation it made up).
pub fn parse_react(text: &str) -> ReactStep {
    let action = text
        .lines()
        .position(|l| l.trim_start().to_ascii_lowercase().starts_with("action:"));
    let final_at = text.find("Final Answer:");
    if let Some(i) = action {
        let lines: Vec<&str> = text.lines().collect();
        let tool = lines[i].trim_start()["action:".len()..]
            .trim()
            .trim_matches('`')
            .to_owned();
        let rest = lines[i + 1..].join("\n");
        let input = rest
            .find("Action Input:")
            .map(|p| rest[p + "Action Input:".len()..].trim())
            .map(|raw| {
                // The input ends where a hallucinated observation starts.
                let raw = raw
                    .split("\nObservation:")
                    .next()
                    .unwrap_or(raw)
                    .trim()
                    .trim_matches('`')
                    .trim();
                let raw = raw.strip_prefix("json").unwrap_or(raw).trim();
                serde_json::from_str(raw).unwrap_or_else(|_| json!(raw))
            })
            .unwrap_or(json!({}));
        let before_final = final_at.is_none_or(|f| text[..f].lines().count() > i);
        if before_final && !tool.is_empty() {
            return ReactStep::Action { tool, input };
        }
    }
    if let Some(f) = final_at {
        return ReactStep::Final(text[f + "Final Answer:".len()..].trim().to_owned());
    }
    ReactStep::Unparsed
}

/// The refusal codes of a Haetae gateway's access decision (its guard, Cedar policies, engagement scope, review
/// hold, output guard). Errors of any other kind (auth, limits, the backend) still fail the sample.
const ACCESS_REFUSALS: [&str; 6] = [
    "use_case_not_permitted",
    "policy_denied",
    "held_for_review",
    "tier_insufficient",
    "engagement_out_of_scope",
    "output_blocked",
];

/// `(code, message)` when a model call was refused by a gateway's access decision.
pub fn access_refusal(e: &crate::EvalError) -> Option<(String, String)> {
    let crate::EvalError::Model {
        source: haetae_models::BackendError::Upstream { body, .. },
        ..
    } = e
    else {
        return None;
    };
    let code = body["error"]["code"].as_str()?;
    ACCESS_REFUSALS.contains(&code).then(|| {
        let message = body["error"]["message"].as_str().unwrap_or(code);
        (code.to_owned(), message.to_owned())
    })
}

/// Runs one tool call on whichever of the state's environments offers the tool, and records it as a transcript
/// event (with the environment's step record, when it keeps one). Scripted agents use it too, so their
/// transcripts read like a model's.
pub async fn call_tool(state: &mut TaskState, name: &str, args: &Value) -> String {
    let Some(env) = state
        .environments
        .iter_mut()
        .find(|e| e.tools().iter().any(|t| t.name == name))
    else {
        return format!("Error: unknown tool '{name}'");
    };
    let env_name = env.name().to_owned();
    let result = env.call(name, args).await;
    let mut event = json!({"type": "tool", "environment": env_name, "tool": name, "arguments": args,
                           "ok": result.is_ok(), "result": result.as_ref().unwrap_or_else(|e| e)});
    if let Some(step) = env.take_step_record() {
        event["step"] = step;
    }
    state.events.push(event);
    match result {
        Ok(s) => s,
        Err(e) => format!("Error: {e}"),
    }
}

impl Agent {
    fn limit_hit(&self, state: &mut TaskState, started: Instant) -> Option<&'static str> {
        if let Some(max) = self.config.max_tokens
            && state.usage.total_tokens >= max
        {
            return Some("tokens");
        }
        if let Some(t) = self.config.time_limit_s
            && started.elapsed().as_secs_f64() >= t
        {
            return Some("time");
        }
        None
    }
}

#[async_trait]
impl Solver for Agent {
    fn name(&self) -> &str {
        "agent"
    }

    async fn solve(&self, state: &mut TaskState, ctx: &SolveContext) -> Result<()> {
        let mut tools: Vec<ToolDef> = state.environments.iter().flat_map(|e| e.tools()).collect();
        if self.config.submit {
            tools.push(submit_tool());
        }
        if let Some(sp) = &self.config.system_prompt {
            let text = crate::solver::render(sp, &state.template_context())?;
            state
                .messages
                .insert(0, json!({"role": "system", "content": text}));
        }
        let wire_tools: Vec<Value> = match self.config.protocol {
            Protocol::Tools => tools.iter().map(ToolDef::to_openai).collect(),
            Protocol::React => {
                let list: Vec<String> = tools
                    .iter()
                    .map(|t| {
                        format!(
                            "- {}: {} Arguments: {}",
                            t.name, t.description, t.parameters
                        )
                    })
                    .collect();
                let text = REACT_PROMPT.replace("{tools}", &list.join("\n"));
                let at = state
                    .messages
                    .iter()
                    .take_while(|m| m["role"] == "system")
                    .count();
                state
                    .messages
                    .insert(at, json!({"role": "system", "content": text}));
                Vec::new()
            }
        };
        let started = Instant::now();
        let deadline = self
            .config
            .time_limit_s
            .map(|t| tokio::time::Instant::now() + Duration::from_secs_f64(t));
        for turn in 0..self.config.max_turns {
            if let Some(limit) = self.limit_hit(state, started) {
                state
                    .events
                    .push(json!({"type": "limit", "limit": limit, "turn": turn}));
                state.completed = true;
                return Ok(());
            }
            let call = ctx.generate(state, &wire_tools, &self.config.generate);
            let result = match deadline {
                Some(d) => match tokio::time::timeout_at(d, call).await {
                    Ok(r) => r,
                    Err(_) => {
                        state
                            .events
                            .push(json!({"type": "limit", "limit": "time", "turn": turn}));
                        state.completed = true;
                        return Ok(());
                    }
                },
                None => call.await,
            };
            let out = match result {
                Ok(out) => out,
                Err(e) => match access_refusal(&e) {
                    // The gateway's access decision refused this turn: the system under test declined to act,
                    // which is an outcome to score (an agentic task that must be refused), not a failed sample.
                    Some((code, message)) => {
                        state.events.push(
                            json!({"type": "refused", "by": "gateway", "code": code, "turn": turn}),
                        );
                        state.output = message;
                        state.completed = true;
                        return Ok(());
                    }
                    None => return Err(e),
                },
            };
            match self.config.protocol {
                Protocol::Tools => {
                    if out.tool_calls.is_empty() {
                        // A plain reply is the answer (the model chose not to act further).
                        return Ok(());
                    }
                    let mut submitted = None;
                    for call in &out.tool_calls {
                        let content = if call.name == "submit" && self.config.submit {
                            let answer = call.arguments.get("answer").map_or_else(
                                || call.arguments.to_string(),
                                |a| a.as_str().map_or_else(|| a.to_string(), str::to_owned),
                            );
                            submitted = Some(answer);
                            "submitted".to_owned()
                        } else {
                            call_tool(state, &call.name, &call.arguments).await
                        };
                        state.messages.push(
                            json!({"role": "tool", "tool_call_id": call.id, "content": content}),
                        );
                    }
                    if let Some(answer) = submitted {
                        state.output = answer;
                        return Ok(());
                    }
                }
                Protocol::React => match parse_react(&out.text) {
                    ReactStep::Final(answer) => {
                        state.output = answer;
                        return Ok(());
                    }
                    ReactStep::Action { tool, input } => {
                        let observation = if tool == "submit" && self.config.submit {
                            state.output = input
                                .get("answer")
                                .and_then(Value::as_str)
                                .map_or_else(|| input.to_string(), str::to_owned);
                            return Ok(());
                        } else {
                            call_tool(state, &tool, &input).await
                        };
                        state.messages.push(json!({"role": "user", "content": format!("Observation: {observation}")}));
                    }
                    ReactStep::Unparsed => {
                        state.messages.push(json!({"role": "user", "content":
                            "Please answer in the format given: 'Action:' and 'Action Input:', or 'Final Answer:'."}));
                    }
                },
            }
        }
        state
            .events
            .push(json!({"type": "limit", "limit": "turns", "turn": self.config.max_turns}));
        state.completed = true;
        // The last text (if any) stands as the answer; scorers decide whether it is any good.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_access_refusals_are_outcomes_other_errors_are_not() {
        let upstream = |status: u16, code: &str| crate::EvalError::Model {
            model: "gateway:http://x/v1#m".into(),
            source: haetae_models::BackendError::Upstream {
                status,
                body: json!({"error": {"message": "refused: transfer-fraud", "code": code}}),
            },
        };
        assert_eq!(
            access_refusal(&upstream(403, "use_case_not_permitted")),
            Some((
                "use_case_not_permitted".into(),
                "refused: transfer-fraud".into()
            ))
        );
        assert_eq!(access_refusal(&upstream(401, "incorrect_key")), None);
        assert_eq!(access_refusal(&upstream(429, "rate_limit_exceeded")), None);
        assert_eq!(access_refusal(&crate::EvalError::config("x")), None);
    }

    #[test]
    fn react_steps_are_parsed() {
        let t = "Thought: look it up\nAction: kv_get\nAction Input: {\"key\": \"a\"}\nObservation: (made up)";
        assert_eq!(
            parse_react(t),
            ReactStep::Action {
                tool: "kv_get".into(),
                input: json!({"key": "a"})
            }
        );
        assert_eq!(
            parse_react("Thought: done\nFinal Answer: 42"),
            ReactStep::Final("42".into())
        );
        assert_eq!(parse_react("hmm"), ReactStep::Unparsed);
        let fenced = "Action: kv_list\nAction Input: ```json\n{}\n```";
        assert_eq!(
            parse_react(fenced),
            ReactStep::Action {
                tool: "kv_list".into(),
                input: json!({})
            }
        );
    }
}
