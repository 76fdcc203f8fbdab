//! Inspect parity (issue 16): every completion of `suites/parity/corpus.jsonl` is scored by Haetae's default
//! (Inspect-compatible) solvers and scorers and must give exactly the answer, the score and the prompt that
//! Inspect gave, as stored in `suites/parity/inspect-results.jsonl` (written by `suites/parity/inspect_score.py`
//! from Inspect's own functions). A second test reruns that script when `inspect_ai` is importable, so a new
//! Inspect release that changes behaviour shows up as a difference from the stored results.

// Test helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use haetae_eval::Registry;
use haetae_eval::dataset::Sample;
use haetae_eval::model::{GenerateConfig, Model};
use haetae_eval::scorer::{InspectModelGraded, Scorer};
use haetae_eval::solver::{MultipleChoice, SolveContext, Solver, TaskState};
use haetae_eval::suite::Component;
use haetae_models::scripted::ScriptedReply;
use haetae_models::{Backend, ScriptedBackend};
use serde_json::{Value, json};

fn parity_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../suites/parity")
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

fn model(reply: &str) -> Arc<Model> {
    let backend = Arc::new(
        ScriptedBackend::new("m", []).with_fallback(ScriptedReply::Text(reply.to_owned())),
    );
    Arc::new(Model::new(
        backend as Arc<dyn Backend>,
        "m",
        "scripted:parity",
    ))
}

/// What Haetae makes of one case, in the shape of an Inspect result.
#[derive(Debug, PartialEq)]
struct Outcome {
    value: Option<f64>,
    answer: Option<String>,
    error: bool,
    prompt: Option<String>,
}

/// Inspect's `shuffle_choices(seed)` on the case's little dataset: each sample's choices and target, as JSON.
fn haetae_shuffle(case: &Value) -> Outcome {
    let items = case["samples"].as_array().expect("samples");
    let mut samples: Vec<Sample> = items
        .iter()
        .map(|x| Sample {
            id: x["id"].as_str().expect("id").to_owned(),
            input: json!("q"),
            target: match &x["target"] {
                Value::String(t) => vec![t.clone()],
                other => serde_json::from_value(other.clone()).expect("target list"),
            },
            choices: Some(serde_json::from_value(x["choices"].clone()).expect("choices")),
            metadata: BTreeMap::new(),
        })
        .collect();
    let seed = case["params"]["seed"].as_u64().expect("seed");
    if haetae_eval::inspect_compat::shuffle_choices_like_inspect(&mut samples, seed).is_err() {
        return Outcome {
            value: None,
            answer: None,
            error: true,
            prompt: None,
        };
    }
    // The target keeps the shape it had in the dataset (a string or a list), as in Inspect.
    let shuffled: Vec<Value> = samples
        .iter()
        .zip(items)
        .map(|(s, x)| {
            let target = if x["target"].is_string() {
                json!(s.target[0])
            } else {
                json!(s.target)
            };
            json!([s.choices.clone().unwrap_or_default(), target])
        })
        .collect();
    Outcome {
        value: None,
        answer: Some(serde_json::to_string(&shuffled).expect("json")),
        error: false,
        prompt: None,
    }
}

async fn haetae_outcome(case: &Value, registry: &Registry) -> Outcome {
    if case["kind"] == "shuffle" {
        return haetae_shuffle(case);
    }
    let s = |k: &str| case[k].as_str().unwrap_or_default().to_owned();
    let params = case["params"].clone();
    let sample = Sample {
        id: s("id"),
        input: json!(s("input")),
        target: serde_json::from_value(case["target"].clone()).expect("target"),
        choices: case
            .get("choices")
            .map(|c| serde_json::from_value(c.clone()).expect("choices")),
        metadata: case
            .get("metadata")
            .map(|m| serde_json::from_value(m.clone()).expect("metadata"))
            .unwrap_or_default(),
    };
    let completion = s("completion");
    let ctx = SolveContext {
        target: model(&completion),
        grader: model(&s("grader_reply")),
        generate: GenerateConfig::default(),
    };
    let mut state = TaskState::new(sample, 1);
    let mut prompt = None;
    let scorer: Arc<dyn Scorer> = match s("kind").as_str() {
        "mc" => {
            let solver = MultipleChoice::from_params(&params).expect("multiple_choice params");
            solver.solve(&mut state, &ctx).await.expect("solve");
            prompt = Some(state.user_prompt());
            registry
                .scorer(&Component {
                    name: "choice".into(),
                    params: Value::Null,
                })
                .expect("choice")
                .1
        }
        "graded" => {
            state.output = completion;
            let g = if s("scorer") == "model_graded_qa" {
                InspectModelGraded::qa_from_params(&params)
            } else {
                InspectModelGraded::fact_from_params(&params)
            }
            .expect("graded params");
            prompt = Some(g.prompt(&state).expect("grader prompt"));
            Arc::new(g)
        }
        _ => {
            state.output = completion;
            registry
                .scorer(&Component {
                    name: s("scorer"),
                    params,
                })
                .expect("scorer")
                .1
        }
    };
    match scorer.score(&state, &ctx).await {
        Ok(score) => Outcome {
            // Inspect leaves a sample with no usable grade unscored; Haetae scores it 0 and tags it.
            value: (!score.tags.iter().any(|t| t == "grader_failed")).then_some(score.value),
            answer: score.answer,
            error: false,
            prompt,
        },
        Err(_) => Outcome {
            value: None,
            answer: None,
            error: true,
            prompt,
        },
    }
}

fn inspect_outcome(r: &Value) -> Outcome {
    Outcome {
        value: r["value"].as_f64(),
        answer: r["answer"].as_str().map(str::to_owned),
        error: !r["error"].is_null(),
        prompt: r["prompt"].as_str().map(str::to_owned),
    }
}

/// Compares Haetae with a results file; returns (cases, differences as text).
async fn compare(results: &Path) -> (usize, Vec<String>) {
    let dir = parity_dir();
    let corpus = read_jsonl(&dir.join("corpus.jsonl"));
    let results = read_jsonl(results);
    let expected: BTreeMap<String, &Value> = results
        .iter()
        .skip(1)
        .map(|r| (r["id"].as_str().expect("id").to_owned(), r))
        .collect();
    assert_eq!(
        expected.len(),
        corpus.len(),
        "one Inspect result per corpus case (rerun suites/parity/inspect_score.py after changing the corpus)"
    );
    let registry = Registry::builtin();
    let mut diffs = Vec::new();
    for case in &corpus {
        let id = case["id"].as_str().expect("id");
        let want = inspect_outcome(expected[id]);
        let got = haetae_outcome(case, &registry).await;
        if got != want {
            diffs.push(format!(
                "{id} completion {:?}\n  inspect {want:?}\n  haetae  {got:?}",
                case["completion"]
            ));
        }
    }
    (corpus.len(), diffs)
}

#[tokio::test]
async fn haetae_scores_the_parity_corpus_exactly_as_inspect_did() {
    let (n, diffs) = compare(&parity_dir().join("inspect-results.jsonl")).await;
    assert!(n >= 300, "the corpus has {n} cases");
    assert!(
        diffs.is_empty(),
        "{} of {n} cases differ from Inspect:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    println!("parity: {n} of {n} cases identical to Inspect (answer, score, prompt)");
}

#[tokio::test]
async fn inspect_itself_still_scores_the_corpus_as_stored() {
    let importable = std::process::Command::new("python3")
        .args(["-c", "import inspect_ai"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !importable {
        eprintln!(
            "SKIPPED inspect_itself_still_scores_the_corpus_as_stored: python3 cannot import inspect_ai \
             (python3 -m pip install inspect-ai); the stored results were still checked by the other test"
        );
        return;
    }
    let out = tempfile::tempdir().expect("tempdir");
    let fresh = out.path().join("inspect-results.jsonl");
    let status = std::process::Command::new("python3")
        .arg(parity_dir().join("inspect_score.py"))
        .arg("--out")
        .arg(&fresh)
        .status()
        .expect("running inspect_score.py");
    assert!(status.success(), "inspect_score.py failed");
    let (n, diffs) = compare(&fresh).await;
    assert!(
        diffs.is_empty(),
        "{} of {n} cases differ between Haetae and the installed Inspect:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}
