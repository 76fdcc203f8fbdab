//! A scripted model behind a local OpenAI-compatible `POST /v1/chat/completions` (and `GET /v1/models`), standing
//! in for the gateway in the end-to-end tests (here and in the `haetae` binary's) and in `bench/scan`, or serving
//! as a real gateway's upstream: each request is answered by the
//! first rule whose stage and needle its prompt holds (its first reply the first time, its `then` replies after: a
//! stage tried again can get another answer), or refused with 403 as a gateway would refuse it. Every
//! answer carries an `x-haetae-ledger-index` (the request's ordinal) so the pipeline's bookkeeping is exercised.
//!
//! [`c_greet`] is the script for the `tests/fixtures/c-greet` repository: one true finding (a `strcpy` overflow),
//! one false one, a duplicate and an imagined location.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use serde_json::{Value, json};

/// A rule: a prompt that holds `STAGE: <stage>` and `needle` gets `reply` the first time the rule answers, and
/// `then[n - 2]` the n-th time (the last one again once they run out; with no `then`, always `reply`). A reply
/// `@status <code>` is answered with that HTTP status and an OpenAI-style error instead (a backend that failed or
/// timed out).
#[derive(Default)]
pub struct Rule {
    pub stage: &'static str,
    pub needle: &'static str,
    pub reply: String,
    pub then: Vec<String>,
}

impl Rule {
    /// The reply to the rule's `n`-th match (from 0).
    fn nth(&self, n: usize) -> &str {
        match n.checked_sub(1) {
            None => &self.reply,
            Some(i) => self.then.get(i).or(self.then.last()).unwrap_or(&self.reply),
        }
    }
}

#[derive(Default)]
pub struct Seen {
    /// Each request's headers and JSON body, in arrival order.
    pub requests: Vec<(HeaderMap, Value)>,
    /// How many times each rule (by index) answered.
    hits: Vec<usize>,
}

impl Seen {
    /// The user prompts of the requests for `stage` (`STAGE: <stage>`), in arrival order.
    pub fn prompts(&self, stage: &str) -> Vec<String> {
        let header = format!("STAGE: {stage}\n");
        self.requests
            .iter()
            .filter_map(|(_, body)| body.pointer("/messages/1/content").and_then(Value::as_str))
            .filter(|p| p.contains(&header))
            .map(str::to_owned)
            .collect()
    }
}

pub struct Script {
    pub rules: Vec<Rule>,
    pub seen: Mutex<Seen>,
}

async fn completions(
    State(s): State<Arc<Script>>,
    headers: HeaderMap,
    body: axum::Json<Value>,
) -> impl IntoResponse {
    let prompt = body
        .pointer("/messages/1/content")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let matched = s.rules.iter().enumerate().find(|(_, r)| {
        prompt.contains(&format!("STAGE: {}\n", r.stage)) && prompt.contains(r.needle)
    });
    let (index, hit) = {
        let mut seen = s.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.requests.push((headers, body.0.clone()));
        let hit = matched.map(|(i, _)| {
            if seen.hits.len() <= i {
                seen.hits.resize(i + 1, 0);
            }
            seen.hits[i] += 1;
            seen.hits[i] - 1
        });
        (seen.requests.len() as u64 - 1, hit)
    };
    let Some(((_, rule), hit)) = matched.zip(hit) else {
        return (
            StatusCode::FORBIDDEN,
            [("x-haetae-ledger-index", index.to_string())],
            axum::Json(
                json!({"error": {"message": "denied: the scripted gateway has no reply for this prompt"}}),
            ),
        );
    };
    let reply = rule.nth(hit);
    if let Some(code) = reply
        .strip_prefix("@status ")
        .and_then(|c| c.trim().parse::<u16>().ok())
        .and_then(|c| StatusCode::from_u16(c).ok())
    {
        return (
            code,
            [("x-haetae-ledger-index", index.to_string())],
            axum::Json(
                json!({"error": {"message": "The model backend did not answer in time.", "code": "upstream_timeout"}}),
            ),
        );
    }
    (
        StatusCode::OK,
        [("x-haetae-ledger-index", index.to_string())],
        axum::Json(json!({
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "model": "scripted",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        })),
    )
}

/// Serves `rules` on a loopback port; returns the base URL (`http://127.0.0.1:PORT/v1`) and the script, whose
/// `seen` keeps every request.
pub async fn serve(rules: Vec<Rule>) -> std::io::Result<(String, Arc<Script>)> {
    let script = Arc::new(Script {
        rules,
        seen: Mutex::new(Seen::default()),
    });
    let app = Router::new()
        .route("/v1/chat/completions", post(completions))
        // What a gateway asks of an upstream to fill its catalogue (`haetae up --upstream`).
        .route(
            "/v1/models",
            axum::routing::get(|| async {
                axum::Json(
                    json!({"object": "list", "data": [{"id": "scripted", "object": "model"}]}),
                )
            }),
        )
        .with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the scripted model server stopped");
        }
    });
    Ok((format!("http://{addr}/v1"), script))
}

/// A repository written for a test, in a temporary directory: (path, contents) pairs, directories made as needed.
pub fn write_repo(files: &[(&str, &str)]) -> std::io::Result<tempfile::TempDir> {
    let dir = tempfile::tempdir()?;
    for (path, text) in files {
        let path = dir.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(dir)
}

/// `haetae scan`'s gateway arguments for the scripted model served at `url` (model `scripted`, no engagement).
pub fn gateway_args(url: &str) -> crate::cli::GatewayArgs {
    crate::cli::GatewayArgs {
        gateway: url.to_owned(),
        model: "scripted".into(),
        api_key_env: "UNUSED".into(),
        use_case: "vulnerability-research".into(),
        engagement: None,
        timeout: 60,
        max_tokens: 2048,
    }
}

/// The script for `tests/fixtures/c-greet`.
pub mod c_greet {
    use super::Rule;
    use serde_json::json;

    /// The fixture's directory (in the source tree).
    pub fn fixture() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/c-greet")
    }

    pub const TRUE_TITLE: &str = "stack buffer overflow in greet";
    pub const FALSE_TITLE: &str = "integer overflow in sum";

    pub fn find_reply() -> String {
        json!({"findings": [
            {"file": "greet.c", "start_line": 8, "end_line": 8, "cwe": "CWE-121", "title": TRUE_TITLE,
             "reasoning": "strcpy copies a caller-controlled name of any length into a 16-byte stack buffer"},
            {"file": "greet.c", "start_line": 16, "end_line": 16, "cwe": "CWE-190", "title": FALSE_TITLE,
             "reasoning": "the total may overflow"},
            // The same location and CWE again, written differently: a duplicate.
            {"file": "./greet.c", "start_line": 8, "end_line": 9, "cwe": 121, "title": "overflow again",
             "reasoning": "same bug"},
            {"file": "nope.c", "start_line": 1, "end_line": 2, "cwe": "CWE-787", "title": "imagined", "reasoning": "?"},
        ]})
        .to_string()
    }

    pub const TRUE_POV: &str = "```c\n#include <stdio.h>\n#include \"greet.h\"\n\nint main(void) {\n    char out[64];\n    \
    greet(out, sizeof out, \"a-name-much-longer-than-sixteen-bytes\");\n    puts(out);\n    return 0;\n}\n```\n";

    pub const FALSE_POV: &str = "```c\n#include <limits.h>\n#include \"greet.h\"\n\nint main(void) {\n    int v[2] = {INT_MAX, \
    INT_MAX};\n    return sum(v, 2) > 0 ? 0 : 1;\n}\n```\n";

    pub const GOOD_PATCH: &str = "The fix bounds the copy.\n```diff\n--- a/greet.c\n+++ b/greet.c\n@@ -6,5 +6,5 @@\n int \
    greet(char *out, size_t cap, const char *name) {\n     char buf[16];\n-    strcpy(buf, name);\n+    snprintf(buf, \
    sizeof buf, \"%s\", name);\n     return snprintf(out, cap, \"hi, %s\", buf);\n }\n```\n";

    pub const BREAKING_PATCH: &str = "```diff\n--- a/greet.c\n+++ b/greet.c\n@@ -6,5 +6,5 @@\n int greet(char *out, size_t \
    cap, const char *name) {\n     char buf[16];\n-    strcpy(buf, name);\n-    return snprintf(out, cap, \"hi, %s\", \
    buf);\n+    snprintf(buf, sizeof buf, \"%s\", name);\n+    return snprintf(out, cap, \"hello, %s\", buf);\n }\n```\n";

    pub fn rules(patch: &str) -> Vec<Rule> {
        vec![
            Rule {
                stage: "find",
                needle: "greet.c",
                reply: find_reply(),
                ..Rule::default()
            },
            Rule {
                stage: "pov",
                needle: TRUE_TITLE,
                reply: TRUE_POV.into(),
                ..Rule::default()
            },
            Rule {
                stage: "pov",
                needle: FALSE_TITLE,
                reply: FALSE_POV.into(),
                ..Rule::default()
            },
            Rule {
                stage: "patch",
                needle: TRUE_TITLE,
                reply: patch.into(),
                ..Rule::default()
            },
        ]
    }
}
