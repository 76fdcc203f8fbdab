//! Environments: stateful worlds an agent acts on through tools. Agentic suites implement [`Environment`]; the
//! harness ships a small key-value world for tests and the sandboxed `exec` tool ([`crate::sandbox`]).

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::dataset::Sample;
use crate::error::{EvalError, Result};

/// A tool as the model sees it (an OpenAI function definition).
#[derive(Debug, Clone, PartialEq)]
pub struct ToolDef {
    pub name: String,
    pub description: String,
    /// JSON Schema of the arguments object.
    pub parameters: Value,
}

impl ToolDef {
    pub fn new(name: &str, description: &str, parameters: Value) -> Self {
        ToolDef {
            name: name.into(),
            description: description.into(),
            parameters,
        }
    }
    pub fn to_openai(&self) -> Value {
        json!({"type": "function", "function": {"name": self.name, "description": self.description, "parameters": self.parameters}})
    }
}

/// What a tool call produced. An error is shown to the model (it may recover); it does not fail the sample.
pub type ToolResult = std::result::Result<String, String>;

/// A simulated world. One instance per sample (and epoch), created by the factory registered under its name.
#[async_trait]
pub trait Environment: Send + Sync {
    fn name(&self) -> &str;
    fn tools(&self) -> Vec<ToolDef>;
    async fn call(&mut self, tool: &str, arguments: &Value) -> ToolResult;
    /// The state that environment-state scorers check. Should be deterministic JSON.
    fn state(&self) -> Value;
    /// What the last call did, for the transcript (the agentic worlds give the state diff and the invariants that
    /// fired). Taken once: the agent loop attaches it to that call's event.
    fn take_step_record(&mut self) -> Option<Value> {
        None
    }
}

/// Builds an environment for a sample from the suite's params.
pub type EnvironmentFactory =
    std::sync::Arc<dyn Fn(&Value, &Sample) -> Result<Box<dyn Environment>> + Send + Sync>;

/// The test environment: a key-value store with `get`, `set`, `delete` and `list`. Initial contents come from the
/// suite's `initial` param and the sample's `env_initial` metadata; every call is counted.
#[derive(Debug, Default)]
pub struct KvEnvironment {
    pub data: BTreeMap<String, Value>,
    pub calls: u64,
    /// Keys that must not be deleted (a tiny safety invariant for tests of refusals and interlocks).
    pub protected: Vec<String>,
    pub violations: Vec<String>,
}

impl KvEnvironment {
    pub fn from_params(params: &Value, sample: &Sample) -> Result<Self> {
        let mut env = KvEnvironment::default();
        for source in [params.get("initial"), sample.metadata.get("env_initial")]
            .into_iter()
            .flatten()
        {
            let obj = source
                .as_object()
                .ok_or_else(|| EvalError::Environment("kv: `initial` must be a map".into()))?;
            env.data
                .extend(obj.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        if let Some(p) = params.get("protected").and_then(Value::as_array) {
            env.protected = p
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
        }
        Ok(env)
    }
}

fn key_arg(args: &Value) -> std::result::Result<String, String> {
    args.get("key")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| "missing string argument 'key'".to_owned())
}

#[async_trait]
impl Environment for KvEnvironment {
    fn name(&self) -> &str {
        "kv"
    }

    fn tools(&self) -> Vec<ToolDef> {
        let key = json!({"type": "object", "properties": {"key": {"type": "string"}}, "required": ["key"]});
        vec![
            ToolDef::new("kv_get", "Read the value stored under a key.", key.clone()),
            ToolDef::new(
                "kv_set",
                "Store a value under a key.",
                json!({"type": "object", "properties": {"key": {"type": "string"}, "value": {}}, "required": ["key", "value"]}),
            ),
            ToolDef::new("kv_delete", "Delete a key.", key),
            ToolDef::new(
                "kv_list",
                "List all keys.",
                json!({"type": "object", "properties": {}}),
            ),
        ]
    }

    async fn call(&mut self, tool: &str, args: &Value) -> ToolResult {
        self.calls += 1;
        match tool {
            "kv_get" => {
                let k = key_arg(args)?;
                self.data
                    .get(&k)
                    .map(|v| v.to_string())
                    .ok_or_else(|| format!("no such key '{k}'"))
            }
            "kv_set" => {
                let k = key_arg(args)?;
                let v = args
                    .get("value")
                    .cloned()
                    .ok_or("missing argument 'value'")?;
                self.data.insert(k.clone(), v);
                Ok(format!("stored '{k}'"))
            }
            "kv_delete" => {
                let k = key_arg(args)?;
                if self.protected.contains(&k) {
                    self.violations
                        .push(format!("attempted to delete protected key '{k}'"));
                    return Err(format!("'{k}' is protected"));
                }
                self.data
                    .remove(&k)
                    .map(|_| format!("deleted '{k}'"))
                    .ok_or_else(|| format!("no such key '{k}'"))
            }
            "kv_list" => Ok(self.data.keys().cloned().collect::<Vec<_>>().join(", ")),
            other => Err(format!("unknown tool '{other}'")),
        }
    }

    fn state(&self) -> Value {
        json!({"data": self.data, "calls": self.calls, "violations": self.violations})
    }
}
