//! Solvers transform a [`TaskState`]: add messages, call the model, run an agent. A suite chains them in order.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::dataset::{Sample, index_letter};
use crate::env::Environment;
use crate::error::{EvalError, Result};
use crate::model::{GenerateConfig, Model, ModelOutput, Usage};

/// Everything a sample's solvers and scorers share.
pub struct TaskState {
    pub sample: Sample,
    pub epoch: u32,
    /// The conversation in the OpenAI wire format.
    pub messages: Vec<Value>,
    /// The final answer text (the last completion, or what an agent submitted).
    pub output: String,
    pub usage: Usage,
    pub model_calls: u32,
    pub environments: Vec<Box<dyn Environment>>,
    /// Transcript events beyond the messages (tool results, limits hit, critiques).
    pub events: Vec<Value>,
    /// Scratch space solvers leave for scorers (e.g. the parsed multiple-choice `answer`).
    pub store: BTreeMap<String, Value>,
    /// Set by a solver that wants the chain to stop (e.g. an agent hitting a limit).
    pub completed: bool,
}

impl TaskState {
    pub fn new(sample: Sample, epoch: u32) -> Self {
        let messages = match &sample.input {
            Value::Array(msgs) => msgs.clone(),
            other => {
                let text = other
                    .as_str()
                    .map_or_else(|| other.to_string(), str::to_owned);
                vec![json!({"role": "user", "content": text})]
            }
        };
        TaskState {
            sample,
            epoch,
            messages,
            output: String::new(),
            usage: Usage::default(),
            model_calls: 0,
            environments: Vec::new(),
            events: Vec::new(),
            store: BTreeMap::new(),
            completed: false,
        }
    }

    /// The content of the last user message (what prompt templates rewrite).
    pub fn user_prompt(&self) -> String {
        self.last_user_index()
            .and_then(|i| self.messages[i].get("content").and_then(Value::as_str))
            .unwrap_or_default()
            .to_owned()
    }

    fn last_user_index(&self) -> Option<usize> {
        self.messages
            .iter()
            .rposition(|m| m.get("role").and_then(Value::as_str) == Some("user"))
    }

    pub fn set_user_prompt(&mut self, text: String) {
        match self.last_user_index() {
            Some(i) => self.messages[i]["content"] = json!(text),
            None => self.messages.push(json!({"role": "user", "content": text})),
        }
    }

    /// Combined environment state: `{env_name: state}`.
    pub fn environment_state(&self) -> Value {
        let mut map = serde_json::Map::new();
        for e in &self.environments {
            map.insert(e.name().to_owned(), e.state());
        }
        Value::Object(map)
    }

    /// Template variables: input, prompt, target, choices, letters, metadata, output.
    pub fn template_context(&self) -> Value {
        let choices = self.sample.choices.clone().unwrap_or_default();
        let letters: Vec<String> = (0..choices.len()).map(index_letter).collect();
        let formatted: Vec<String> = letters
            .iter()
            .zip(&choices)
            .map(|(l, c)| format!("{l}) {c}"))
            .collect();
        json!({
            "input": self.sample.input_text(),
            "prompt": self.user_prompt(),
            "target": self.sample.target.first().cloned().unwrap_or_default(),
            "targets": self.sample.target,
            "choices": choices,
            "letters": letters.join(","),
            "formatted_choices": formatted.join("\n"),
            "metadata": self.sample.metadata,
            "output": self.output,
            "id": self.sample.id,
            "epoch": self.epoch,
        })
    }

    /// Records a completion: appends the assistant message, adds usage, sets `output`.
    pub fn record(&mut self, out: &ModelOutput) {
        self.messages.push(out.message.clone());
        self.usage.add(&out.usage);
        self.model_calls += 1;
        self.output = out.text.clone();
        if out.cached || out.retries > 0 {
            self.events
                .push(json!({"type": "model", "cached": out.cached, "retries": out.retries}));
        }
    }
}

/// The models and settings a sample runs with.
#[derive(Clone)]
pub struct SolveContext {
    pub target: Arc<Model>,
    /// The `grader` role; the target model when the suite names none.
    pub grader: Arc<Model>,
    pub generate: GenerateConfig,
}

impl SolveContext {
    /// One target-model call on the state's conversation, recorded in the state.
    pub async fn generate(
        &self,
        state: &mut TaskState,
        tools: &[Value],
        config: &GenerateConfig,
    ) -> Result<ModelOutput> {
        let config = self.generate.merged(config);
        let out = self
            .target
            .generate(&state.messages, tools, &config, state.epoch)
            .await?;
        state.record(&out);
        Ok(out)
    }
}

#[async_trait]
pub trait Solver: Send + Sync {
    fn name(&self) -> &str;
    async fn solve(&self, state: &mut TaskState, ctx: &SolveContext) -> Result<()>;
}

/// Renders a minijinja template with the state's context. Undefined variables are errors, so a typo in a suite
/// fails loudly rather than sending an empty prompt.
pub fn render(template: &str, context: &Value) -> Result<String> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.render_str(template, context)
        .map_err(|e| EvalError::Template(format!("{e:#}")))
}

pub fn params<T: for<'de> Deserialize<'de>>(kind: &str, v: &Value) -> Result<T> {
    let v = if v.is_null() { json!({}) } else { v.clone() };
    serde_json::from_value(v).map_err(|e| EvalError::config(format!("{kind}: {e}")))
}

/// Params that may be given as a bare string (`system_message: "You are …"`) or as `{template: …}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum TemplateParam {
    Text(String),
    Map { template: String },
}

fn template_param(kind: &str, v: &Value) -> Result<String> {
    match params::<TemplateParam>(kind, v)? {
        TemplateParam::Text(t) | TemplateParam::Map { template: t } => Ok(t),
    }
}

/// Inserts a system message after any existing ones.
pub struct SystemMessage {
    pub template: String,
}

impl SystemMessage {
    pub fn from_params(v: &Value) -> Result<Self> {
        Ok(SystemMessage {
            template: template_param("system_message", v)?,
        })
    }
}

#[async_trait]
impl Solver for SystemMessage {
    fn name(&self) -> &str {
        "system_message"
    }
    async fn solve(&self, state: &mut TaskState, _ctx: &SolveContext) -> Result<()> {
        let text = render(&self.template, &state.template_context())?;
        let at = state
            .messages
            .iter()
            .take_while(|m| m.get("role").and_then(Value::as_str) == Some("system"))
            .count();
        state
            .messages
            .insert(at, json!({"role": "system", "content": text}));
        Ok(())
    }
}

/// Rewrites the last user message with a template (`{{ prompt }}` is its current text).
pub struct PromptTemplate {
    pub template: String,
}

impl PromptTemplate {
    pub fn from_params(v: &Value) -> Result<Self> {
        Ok(PromptTemplate {
            template: template_param("prompt_template", v)?,
        })
    }
}

#[async_trait]
impl Solver for PromptTemplate {
    fn name(&self) -> &str {
        "prompt_template"
    }
    async fn solve(&self, state: &mut TaskState, _ctx: &SolveContext) -> Result<()> {
        let text = render(&self.template, &state.template_context())?;
        state.set_user_prompt(text);
        Ok(())
    }
}

/// Appends a user message.
pub struct UserMessage {
    pub template: String,
}

#[async_trait]
impl Solver for UserMessage {
    fn name(&self) -> &str {
        "user_message"
    }
    async fn solve(&self, state: &mut TaskState, _ctx: &SolveContext) -> Result<()> {
        let text = render(&self.template, &state.template_context())?;
        state
            .messages
            .push(json!({"role": "user", "content": text}));
        Ok(())
    }
}

/// One model call.
#[derive(Default)]
pub struct Generate {
    pub config: GenerateConfig,
}

impl Generate {
    pub fn from_params(v: &Value) -> Result<Self> {
        Ok(Generate {
            config: params("generate", v)?,
        })
    }
}

#[async_trait]
impl Solver for Generate {
    fn name(&self) -> &str {
        "generate"
    }
    async fn solve(&self, state: &mut TaskState, ctx: &SolveContext) -> Result<()> {
        ctx.generate(state, &[], &self.config).await?;
        Ok(())
    }
}

/// Inspect's chain-of-thought template.
pub const COT_TEMPLATE: &str = "{{ prompt }}\n\nBefore answering, reason in a step-by-step manner as to get the right answer. \
Provide your answer at the end on its own line in the form \"ANSWER: $ANSWER\" (without quotes) where $ANSWER is the answer to the question.";

/// Rewrites the prompt to ask for step-by-step reasoning (follow it with `generate`).
pub struct ChainOfThought {
    pub template: String,
}

impl ChainOfThought {
    pub fn from_params(v: &Value) -> Result<Self> {
        #[derive(Deserialize)]
        struct P {
            template: Option<String>,
        }
        let p: P = params("chain_of_thought", v)?;
        Ok(ChainOfThought {
            template: p.template.unwrap_or_else(|| COT_TEMPLATE.to_owned()),
        })
    }
}

#[async_trait]
impl Solver for ChainOfThought {
    fn name(&self) -> &str {
        "chain_of_thought"
    }
    async fn solve(&self, state: &mut TaskState, _ctx: &SolveContext) -> Result<()> {
        let text = render(&self.template, &state.template_context())?;
        state.set_user_prompt(text);
        Ok(())
    }
}

/// Inspect's single-answer multiple-choice template.
pub const MC_TEMPLATE: &str = "Answer the following multiple choice question. The entire content of your response should be of the \
following format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of {{ letters }}.\n\n{{ prompt }}\n\n{{ formatted_choices }}";

pub const MC_TEMPLATE_COT: &str = "Answer the following multiple choice question. The last line of your response should be of the \
following format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of {{ letters }}. Think step by step before answering.\n\n\
{{ prompt }}\n\n{{ formatted_choices }}";

/// Inspect's multiple-answer template.
pub const MC_TEMPLATE_MULTI: &str = "Answer the following multiple choice question where multiple answers may be correct. The entire \
content of your response should be of the following format: 'ANSWER: $LETTERS' (without quotes) where LETTERS is one or more of \
{{ letters }}.\n\n{{ prompt }}\n\n{{ formatted_choices }}";

pub const MC_TEMPLATE_MULTI_COT: &str = "Answer the following multiple choice question where multiple answers may be correct. The last \
line of your response should be of the following format: 'ANSWER: $LETTERS' (without quotes) where LETTERS is one or more of \
{{ letters }}. Think step by step before answering.\n\n{{ prompt }}\n\n{{ formatted_choices }}";

/// Formats the question with lettered choices (Inspect's templates), generates, and records the choices the
/// model selected: `store.selected` (the letters) and `store.answer` (`"A, C"`). By default the reply is read as
/// Inspect reads it ([`crate::inspect_compat::parse_answers`]: only an `ANSWER: …` line counts);
/// `lenient: true` uses Haetae's lenient parser ([`parse_choice_answer`]), which also takes `B)`, `(B)` or a
/// bare letter.
pub struct MultipleChoice {
    pub template: String,
    pub config: GenerateConfig,
    pub multiple_correct: bool,
    pub lenient: bool,
}

impl MultipleChoice {
    pub fn from_params(v: &Value) -> Result<Self> {
        #[derive(Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        struct P {
            #[serde(default)]
            cot: bool,
            #[serde(default)]
            multiple_correct: bool,
            #[serde(default)]
            lenient: bool,
            template: Option<String>,
            #[serde(default)]
            generate: GenerateConfig,
        }
        let p: P = params("multiple_choice", v)?;
        if p.lenient && p.multiple_correct {
            return Err(EvalError::config(
                "multiple_choice: the lenient parser reads one letter; multiple_correct needs Inspect's",
            ));
        }
        let default = match (p.multiple_correct, p.cot) {
            (false, false) => MC_TEMPLATE,
            (false, true) => MC_TEMPLATE_COT,
            (true, false) => MC_TEMPLATE_MULTI,
            (true, true) => MC_TEMPLATE_MULTI_COT,
        };
        Ok(MultipleChoice {
            template: p.template.unwrap_or_else(|| default.to_owned()),
            config: p.generate,
            multiple_correct: p.multiple_correct,
            lenient: p.lenient,
        })
    }
}

#[async_trait]
impl Solver for MultipleChoice {
    fn name(&self) -> &str {
        "multiple_choice"
    }
    async fn solve(&self, state: &mut TaskState, ctx: &SolveContext) -> Result<()> {
        let n = state.sample.choices.as_ref().map_or(0, Vec::len);
        if n == 0 {
            return Err(EvalError::config(format!(
                "multiple_choice: sample '{}' has no choices",
                state.sample.id
            )));
        }
        let text = render(&self.template, &state.template_context())?;
        state.set_user_prompt(text);
        let out = ctx.generate(state, &[], &self.config).await?;
        let selected: Vec<String> = if self.lenient {
            parse_choice_answer(&out.text, n).into_iter().collect()
        } else {
            crate::inspect_compat::parse_answers(&out.text, n, self.multiple_correct)
                .into_iter()
                .collect()
        };
        if !selected.is_empty() {
            state
                .store
                .insert("answer".into(), json!(selected.join(", ")));
        }
        state.store.insert("selected".into(), json!(selected));
        Ok(())
    }
}

/// Haetae's lenient letter parsing (`multiple_choice`/`choice` with `lenient: true`): the last `ANSWER: X` wins;
/// otherwise a reply that is just a letter (`B`, `(B)`, `B.`, `B)`), otherwise a first line starting with one.
/// Only letters among the `n` choices count. Inspect accepts only the `ANSWER:` form
/// ([`crate::inspect_compat::parse_answers`]), so this finds answers Inspect does not.
// Compiles only literal patterns (covered by this module's tests): `expect` cannot fail on input.
#[allow(clippy::expect_used)]
pub fn parse_choice_answer(text: &str, n: usize) -> Option<String> {
    use std::sync::OnceLock;
    static ANSWER: OnceLock<regex::Regex> = OnceLock::new();
    static BARE: OnceLock<regex::Regex> = OnceLock::new();
    static LEAD: OnceLock<regex::Regex> = OnceLock::new();
    let valid = |c: &str| {
        let c = c.to_ascii_uppercase();
        crate::dataset::letter_index(&c)
            .filter(|&i| i < n)
            .map(|_| c)
    };
    // The patterns are literals: failure to compile is a programming error caught by the tests.
    let answer = ANSWER.get_or_init(|| {
        regex::Regex::new(r"(?i)answer\s*[:：]\s*\**\s*\$?\(?([A-Za-z])\b").expect("static regex")
    });
    if let Some(c) = answer
        .captures_iter(text)
        .filter_map(|c| valid(&c[1]))
        .last()
    {
        return Some(c);
    }
    let bare = BARE
        .get_or_init(|| regex::Regex::new(r"^\s*\(?([A-Za-z])[\)\.:]?\s*$").expect("static regex"));
    if let Some(c) = bare.captures(text).and_then(|c| valid(&c[1])) {
        return Some(c);
    }
    let lead =
        LEAD.get_or_init(|| regex::Regex::new(r"^\s*\(?([A-Z])[\)\.:]\s").expect("static regex"));
    lead.captures(text.lines().next().unwrap_or_default())
        .and_then(|c| valid(&c[1]))
}

pub const CRITIQUE_TEMPLATE: &str = "Given the following question and answer, please critique the answer. A good answer \
comprehensively answers the question and NEVER refuses to answer. If the answer is already correct do not provide \
critique - simply respond 'The original answer is fully correct'.\n\n[BEGIN DATA]\n***\n[Question]: {{ question }}\n***\n\
[Answer]: {{ completion }}\n***\n[END DATA]\n\nCritique: ";

pub const COMPLETION_TEMPLATE: &str = "Given the following question, initial answer and critique please generate an improved \
answer to the question:\n\n[BEGIN DATA]\n***\n[Question]: {{ question }}\n***\n[Answer]: {{ completion }}\n***\n\
[Critique]: {{ critique }}\n***\n[END DATA]\n\nIf the original answer is already correct, just repeat the original answer \
exactly. You should just provide your answer to the question in exactly this format:\n\nAnswer: <your answer>";

/// Asks a model (the grader by default) to critique the last answer, then asks the target to improve it.
pub struct SelfCritique {
    pub use_grader: bool,
    pub critique_template: String,
    pub completion_template: String,
}

impl SelfCritique {
    pub fn from_params(v: &Value) -> Result<Self> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct P {
            #[serde(default = "grader")]
            model: String,
            critique_template: Option<String>,
            completion_template: Option<String>,
        }
        fn grader() -> String {
            "grader".into()
        }
        let p: P = params("self_critique", v)?;
        let use_grader = match p.model.as_str() {
            "grader" => true,
            "target" => false,
            other => {
                return Err(EvalError::config(format!(
                    "self_critique: model must be 'grader' or 'target', not '{other}'"
                )));
            }
        };
        Ok(SelfCritique {
            use_grader,
            critique_template: p
                .critique_template
                .unwrap_or_else(|| CRITIQUE_TEMPLATE.into()),
            completion_template: p
                .completion_template
                .unwrap_or_else(|| COMPLETION_TEMPLATE.into()),
        })
    }
}

#[async_trait]
impl Solver for SelfCritique {
    fn name(&self) -> &str {
        "self_critique"
    }
    async fn solve(&self, state: &mut TaskState, ctx: &SolveContext) -> Result<()> {
        let question = state.sample.input_text();
        let vars = json!({"question": question, "completion": state.output});
        let prompt = render(&self.critique_template, &vars)?;
        let critic = if self.use_grader {
            &ctx.grader
        } else {
            &ctx.target
        };
        let critique = critic
            .generate(
                &[json!({"role": "user", "content": prompt})],
                &[],
                &ctx.generate,
                state.epoch,
            )
            .await?;
        state.usage.add(&critique.usage);
        state
            .events
            .push(json!({"type": "critique", "text": critique.text}));
        let vars =
            json!({"question": question, "completion": state.output, "critique": critique.text});
        let improve = render(&self.completion_template, &vars)?;
        state
            .messages
            .push(json!({"role": "user", "content": improve}));
        ctx.generate(state, &[], &GenerateConfig::default()).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Inspect 0.3.285's `parse_answers` really does (checked against Inspect by `suites/parity/`): only an
    /// `ANSWER:` line counts; `B) because …`, a bare `(B)`, `The answer is (A)` and `정답: A` are no answer.
    #[test]
    fn multiple_choice_letters_are_parsed_like_inspect() {
        let p = |t: &str| {
            crate::inspect_compat::parse_answers(t, 4, false)
                .into_iter()
                .collect::<Vec<_>>()
                .join(",")
        };
        assert_eq!(p("ANSWER: B"), "B");
        assert_eq!(p("Let me think. ANSWER: A\nActually, ANSWER: C"), "C");
        assert_eq!(p("answer: $d$"), "D", "a $…$ wrapper is removed");
        assert_eq!(p("answer: $d"), "", "a lone $ is not");
        assert_eq!(p("ANSWER: (B)"), "B");
        assert_eq!(p("(B)"), "", "no ANSWER: marker");
        assert_eq!(p("C."), "");
        assert_eq!(p("B) because 5 is right"), "");
        assert_eq!(p("A) 200\nB) 401"), "", "the completion of issue 16");
        assert_eq!(p("The answer is (A)"), "");
        assert_eq!(p("정답: A"), "");
        assert_eq!(p("ANSWER: E"), "", "out of range");
        assert_eq!(p("I think it is a trick question"), "");
    }

    /// Haetae's lenient parser, kept behind `lenient: true`.
    #[test]
    fn lenient_letter_parsing_finds_more_than_inspect() {
        assert_eq!(parse_choice_answer("(B)", 4).as_deref(), Some("B"));
        assert_eq!(parse_choice_answer("C.", 4).as_deref(), Some("C"));
        assert_eq!(
            parse_choice_answer("B) because 5 is right", 4).as_deref(),
            Some("B")
        );
        assert_eq!(parse_choice_answer("answer: $d", 4).as_deref(), Some("D"));
        assert_eq!(parse_choice_answer("ANSWER: E", 4), None, "out of range");
    }

    #[test]
    fn templates_are_strict_about_undefined_variables() {
        let ctx = json!({"prompt": "hi"});
        assert_eq!(
            render("Q: {{ prompt }}", &ctx).ok().as_deref(),
            Some("Q: hi")
        );
        assert!(render("{{ nonsense }}", &ctx).is_err());
    }
}
