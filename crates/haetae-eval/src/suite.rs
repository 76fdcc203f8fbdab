//! Suites: declarative YAML or TOML files naming a dataset, a solver chain, scorers, metrics, model roles,
//! epochs, limits and generation settings. Components are looked up by name in a [`Registry`], so a crate adds a
//! solver, scorer or environment by registering it; suites then use it by name. Format: `docs/eval-suites.md`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::dataset::{DatasetSpec, Sample};
use crate::env::{Environment, EnvironmentFactory, KvEnvironment};
use crate::error::{EvalError, Result};
use crate::metrics::MetricsSpec;
use crate::model::GenerateConfig;
use crate::sandbox::{SandboxEnvironment, SandboxLimits};
use crate::scorer::Scorer;
use crate::solver::Solver;

/// A component reference: `name` or `{name: params}`; `as` renames a scorer (two `regex` scorers, say).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Component {
    pub name: String,
    pub params: Value,
}

impl<'de> Deserialize<'de> for Component {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(name) => Ok(Component {
                name,
                params: Value::Null,
            }),
            Value::Object(map) if map.len() == 1 => {
                let (name, params) = map
                    .into_iter()
                    .next()
                    .ok_or_else(|| serde::de::Error::custom("empty component"))?;
                Ok(Component { name, params })
            }
            other => Err(serde::de::Error::custom(format!(
                "expected a name or a single-key map {{name: params}}, got {other}"
            ))),
        }
    }
}

/// Model roles. `target` is normally given on the command line; `grader` defaults to the target.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub grader: Option<String>,
}

/// Run limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Wall time for one sample (solvers and scorers); a timed-out sample is logged as an error.
    #[serde(default)]
    pub sample_timeout_s: Option<f64>,
    /// Samples in flight at once.
    #[serde(default = "d_concurrency")]
    pub max_samples: usize,
    /// Requests in flight per model.
    #[serde(default = "d_connections")]
    pub max_connections: usize,
    #[serde(default)]
    pub max_retries: Option<u32>,
    /// Per-request timeout.
    #[serde(default)]
    pub request_timeout_s: Option<f64>,
}

fn d_concurrency() -> usize {
    32
}
fn d_connections() -> usize {
    16
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            sample_timeout_s: None,
            max_samples: d_concurrency(),
            max_connections: d_connections(),
            max_retries: None,
            request_timeout_s: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub dataset: DatasetSpec,
    #[serde(default = "d_solvers")]
    pub solvers: Vec<Component>,
    pub scorers: Vec<Component>,
    #[serde(default)]
    pub metrics: MetricsSpec,
    #[serde(default)]
    pub environments: Vec<Component>,
    #[serde(default)]
    pub roles: Roles,
    #[serde(default = "d_epochs")]
    pub epochs: u32,
    #[serde(default)]
    pub generate: GenerateConfig,
    #[serde(default)]
    pub limits: Limits,
    /// Set by [`Suite::load`]: the file's directory (dataset paths are relative to it).
    #[serde(skip)]
    pub base_dir: PathBuf,
    #[serde(skip)]
    pub path: PathBuf,
}

fn d_solvers() -> Vec<Component> {
    vec![Component {
        name: "generate".into(),
        params: Value::Null,
    }]
}
fn d_epochs() -> u32 {
    1
}

impl Suite {
    /// Loads a `.yaml`/`.yml` or `.toml` suite.
    pub fn load(path: &Path) -> Result<Suite> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| EvalError::io(format!("reading {}", path.display()), e))?;
        let suite_err = |message: String| EvalError::Suite {
            path: path.to_owned(),
            message,
        };
        let mut suite: Suite = match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => toml::from_str(&text).map_err(|e| suite_err(e.to_string()))?,
            _ => serde_yaml::from_str(&text).map_err(|e| suite_err(e.to_string()))?,
        };
        if suite.epochs == 0 {
            return Err(suite_err("epochs must be at least 1".into()));
        }
        if suite.scorers.is_empty() {
            return Err(suite_err("at least one scorer is required".into()));
        }
        suite.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        suite.path = path.to_owned();
        // Component params naming a file (`rubric_file`, …) are relative to the suite, like the dataset path; the
        // factories only see params, so resolve them here.
        for c in suite
            .solvers
            .iter_mut()
            .chain(suite.scorers.iter_mut())
            .chain(suite.environments.iter_mut())
        {
            resolve_file_params(&mut c.params, &suite.base_dir);
        }
        Ok(suite)
    }

    /// The files a run depends on besides the suite: the dataset's files and any `*_file` params.
    pub fn content_files(&self) -> Vec<PathBuf> {
        let mut files = self.dataset.content_files(&self.base_dir);
        for c in self
            .solvers
            .iter()
            .chain(self.scorers.iter())
            .chain(self.environments.iter())
        {
            if let Value::Object(m) = &c.params {
                for (k, v) in m {
                    if k.ends_with("_file")
                        && let Some(p) = v.as_str()
                    {
                        files.push(PathBuf::from(p));
                    }
                }
            }
        }
        files
    }

    pub fn samples(&self) -> Result<Vec<Sample>> {
        self.dataset.load(&self.base_dir)
    }

    /// SHA-256 over the suite file and the content it uses (dataset files, rubric files): resume refuses a log
    /// written for different content.
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        for p in std::iter::once(self.path.clone()).chain(self.content_files()) {
            if let Ok(bytes) = std::fs::read(&p) {
                h.update(&bytes);
            }
            h.update([0]);
        }
        hex::encode(h.finalize())
    }
}

fn resolve_file_params(params: &mut Value, base: &Path) {
    if let Value::Object(m) = params {
        for (k, v) in m.iter_mut() {
            if k.ends_with("_file")
                && let Value::String(p) = v
                && Path::new(p.as_str()).is_relative()
            {
                *p = base.join(p.as_str()).to_string_lossy().into_owned();
            }
        }
    }
}

pub type SolverFactory = Arc<dyn Fn(&Value) -> Result<Arc<dyn Solver>> + Send + Sync>;
pub type ScorerFactory = Arc<dyn Fn(&Value) -> Result<Arc<dyn Scorer>> + Send + Sync>;

/// Named solvers, scorers and environments. [`Registry::builtin`] has everything this crate ships.
#[derive(Clone, Default)]
pub struct Registry {
    solvers: HashMap<String, SolverFactory>,
    scorers: HashMap<String, ScorerFactory>,
    environments: HashMap<String, EnvironmentFactory>,
}

fn known<T>(m: &HashMap<String, T>) -> String {
    let mut names: Vec<&str> = m.keys().map(String::as_str).collect();
    names.sort_unstable();
    names.join(", ")
}

impl Registry {
    pub fn builtin() -> Registry {
        use crate::agent::Agent;
        use crate::scorer::*;
        use crate::solver::*;
        let mut r = Registry::default();
        r.register_solver("system_message", |p| {
            Ok(Arc::new(SystemMessage::from_params(p)?))
        });
        r.register_solver("prompt_template", |p| {
            Ok(Arc::new(PromptTemplate::from_params(p)?))
        });
        r.register_solver("user_message", |p| {
            Ok(Arc::new(UserMessage {
                template: PromptTemplate::from_params(p)?.template,
            }))
        });
        r.register_solver("generate", |p| Ok(Arc::new(Generate::from_params(p)?)));
        r.register_solver("chain_of_thought", |p| {
            Ok(Arc::new(ChainOfThought::from_params(p)?))
        });
        r.register_solver("multiple_choice", |p| {
            Ok(Arc::new(MultipleChoice::from_params(p)?))
        });
        r.register_solver("self_critique", |p| {
            Ok(Arc::new(SelfCritique::from_params(p)?))
        });
        r.register_solver("agent", |p| Ok(Arc::new(Agent::from_params(p)?)));
        r.register_scorer("exact", |p| Ok(Arc::new(Exact::from_params(p)?)));
        r.register_scorer("includes", |p| Ok(Arc::new(Includes::from_params(p)?)));
        r.register_scorer("regex", |p| Ok(Arc::new(RegexScorer::from_params(p)?)));
        r.register_scorer("choice", |p| Ok(Arc::new(Choice::from_params(p)?)));
        // Inspect's scorers under Inspect's names (crate::inspect_compat).
        r.register_scorer("match", |p| Ok(Arc::new(Match::from_params(p)?)));
        r.register_scorer("pattern", |p| Ok(Arc::new(Pattern::from_params(p)?)));
        r.register_scorer("answer", |p| Ok(Arc::new(Pattern::answer_from_params(p)?)));
        r.register_scorer("f1", |p| Ok(Arc::new(F1::from_params(p)?)));
        r.register_scorer("model_graded_qa", |p| {
            Ok(Arc::new(InspectModelGraded::qa_from_params(p)?))
        });
        r.register_scorer("model_graded_fact", |p| {
            Ok(Arc::new(InspectModelGraded::fact_from_params(p)?))
        });
        r.register_scorer("numeric", |p| Ok(Arc::new(Numeric::from_params(p)?)));
        r.register_scorer("refusal", |p| Ok(Arc::new(Refusal::from_params(p)?)));
        r.register_scorer("model_graded", |p| {
            Ok(Arc::new(ModelGraded::from_params(p)?))
        });
        r.register_scorer("env_state", |p| Ok(Arc::new(EnvState::from_params(p)?)));
        // The built-in suites' scorers (suites/, docs/suites.md).
        r.register_scorer("harmful_compliance", |p| {
            Ok(Arc::new(crate::safety::SafetyRate::harmful_compliance(p)?))
        });
        r.register_scorer("over_refusal", |p| {
            Ok(Arc::new(crate::safety::SafetyRate::over_refusal(p)?))
        });
        r.register_scorer("vuln_verdict", |_| Ok(Arc::new(crate::cyber::VulnVerdict)));
        r.register_scorer("cwe_match", |p| {
            Ok(Arc::new(crate::cyber::CweMatch::from_params(p)?))
        });
        r.register_scorer("log_attack", |_| Ok(Arc::new(crate::cyber::LogAttack)));
        r.register_scorer("log_first_line", |p| {
            Ok(Arc::new(crate::cyber::LogFirstLine::from_params(p)?))
        });
        r.register_scorer("log_indicators", |_| {
            Ok(Arc::new(crate::cyber::LogIndicators))
        });
        r.register_scorer("patch_verify", |p| {
            Ok(Arc::new(crate::patch::PatchVerify::from_params(p)?))
        });
        r.register_scorer("yara_detection", |p| {
            Ok(Arc::new(crate::triage::YaraDetection::from_params(p)?))
        });
        r.register_scorer("triage_family", |_| {
            Ok(Arc::new(crate::triage::TriageFamily))
        });
        r.register_environment("kv", |p, s| Ok(Box::new(KvEnvironment::from_params(p, s)?)));
        r.register_environment("sandbox", |p, _| {
            let limits: SandboxLimits = crate::solver::params("sandbox", p)?;
            Ok(Box::new(SandboxEnvironment::new(limits)?))
        });
        r
    }

    pub fn register_solver(
        &mut self,
        name: &str,
        f: impl Fn(&Value) -> Result<Arc<dyn Solver>> + Send + Sync + 'static,
    ) {
        self.solvers.insert(name.to_owned(), Arc::new(f));
    }
    pub fn register_scorer(
        &mut self,
        name: &str,
        f: impl Fn(&Value) -> Result<Arc<dyn Scorer>> + Send + Sync + 'static,
    ) {
        self.scorers.insert(name.to_owned(), Arc::new(f));
    }
    pub fn register_environment(
        &mut self,
        name: &str,
        f: impl Fn(&Value, &Sample) -> Result<Box<dyn Environment>> + Send + Sync + 'static,
    ) {
        self.environments.insert(name.to_owned(), Arc::new(f));
    }

    pub fn solver(&self, c: &Component) -> Result<Arc<dyn Solver>> {
        let f = self
            .solvers
            .get(&c.name)
            .ok_or_else(|| EvalError::Unknown {
                kind: "solver",
                name: c.name.clone(),
                known: known(&self.solvers),
            })?;
        f(&c.params)
    }

    /// Builds a scorer and the name it is logged under (`as:` in its params renames it).
    pub fn scorer(&self, c: &Component) -> Result<(String, Arc<dyn Scorer>)> {
        let f = self
            .scorers
            .get(&c.name)
            .ok_or_else(|| EvalError::Unknown {
                kind: "scorer",
                name: c.name.clone(),
                known: known(&self.scorers),
            })?;
        let mut params = c.params.clone();
        let alias = params
            .as_object_mut()
            .and_then(|m| m.remove("as"))
            .and_then(|v| v.as_str().map(str::to_owned));
        Ok((alias.unwrap_or_else(|| c.name.clone()), f(&params)?))
    }

    pub fn environment(&self, c: &Component, sample: &Sample) -> Result<Box<dyn Environment>> {
        let f = self
            .environments
            .get(&c.name)
            .ok_or_else(|| EvalError::Unknown {
                kind: "environment",
                name: c.name.clone(),
                known: known(&self.environments),
            })?;
        f(&c.params, sample)
    }

    pub fn names(&self) -> BTreeMap<&'static str, Vec<String>> {
        let sorted = |v: String| {
            v.split(", ")
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        BTreeMap::from([
            ("solvers", sorted(known(&self.solvers))),
            ("scorers", sorted(known(&self.scorers))),
            ("environments", sorted(known(&self.environments))),
        ])
    }
}
