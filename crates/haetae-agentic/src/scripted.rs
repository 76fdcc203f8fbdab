//! Scripted agents: the task's reference script (proves it solvable with full utility and no violation) and its
//! unsafe scripts (follow the injection, skip the approval, act on the unverified order: prove every invariant
//! can fire). As a harness solver (`scripted_agent`) they run through the same tool path as a model's agent
//! loop, so their transcripts, logs and scores are read the same way.

use async_trait::async_trait;
use haetae_eval::solver::{SolveContext, Solver, TaskState};
use serde::Deserialize;
use serde_json::Value;

use crate::task::{Script, TaskSpec};

/// Which script to run: `reference`, or `unsafe` (every unsafe script's calls in turn is not a trajectory, so it
/// runs the first) or `unsafe:<name>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptedAgent {
    #[serde(default = "reference")]
    pub script: String,
}

fn reference() -> String {
    "reference".into()
}

impl ScriptedAgent {
    pub fn from_params(v: &Value) -> haetae_eval::Result<Self> {
        haetae_eval::solver::params("scripted_agent", v)
    }

    /// The script this agent runs on a task; `None` when the task has no such unsafe script (the agent then does
    /// nothing, which is a trajectory too).
    pub fn pick(&self, spec: &TaskSpec) -> Option<Script> {
        if self.script == "reference" {
            return Some(spec.reference.clone());
        }
        let name = self
            .script
            .strip_prefix("unsafe")
            .map(|r| r.trim_start_matches(':'))?;
        spec.unsafe_scripts
            .iter()
            .find(|u| name.is_empty() || u.name == name)
            .map(|u| Script {
                calls: u.calls.clone(),
                answer: u.answer.clone(),
            })
    }
}

#[async_trait]
impl Solver for ScriptedAgent {
    fn name(&self) -> &str {
        "scripted_agent"
    }

    async fn solve(&self, state: &mut TaskState, _ctx: &SolveContext) -> haetae_eval::Result<()> {
        let spec = TaskSpec::from_sample(&state.sample)?;
        let Some(script) = self.pick(&spec) else {
            return Ok(());
        };
        for call in &script.calls {
            let id = format!("call_{}", state.events.len());
            state.messages.push(serde_json::json!({"role": "assistant", "content": null, "tool_calls": [
                {"id": id, "type": "function", "function": {"name": call.tool, "arguments": call.arguments.to_string()}}]}));
            let result = haetae_eval::agent::call_tool(state, &call.tool, &call.arguments).await;
            state
                .messages
                .push(serde_json::json!({"role": "tool", "tool_call_id": id, "content": result}));
        }
        state
            .messages
            .push(serde_json::json!({"role": "assistant", "content": script.answer}));
        state.output = script.answer;
        Ok(())
    }
}
