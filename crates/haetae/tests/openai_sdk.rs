//! The official OpenAI Python SDK against the running gateway (tests/sdk/test_openai_sdk.py).
//! Skips, saying why, where Python or the `openai` package is missing; CI installs both.

mod support;

use std::process::Command;

use serde_json::json;
use support::{client, mock, start_gateway};

fn has_sdk() -> bool {
    Command::new("python3")
        .args(["-c", "import openai"])
        .status()
        .is_ok_and(|s| s.success())
}

/// The Responses events and objects the translator produces (crates/haetae-openai/tests/fixtures, kept equal to
/// its output by that crate's `sdk_fixture` test) validate against the SDK's own pydantic models.
#[test]
fn responses_shapes_validate_with_the_sdk_models() {
    if !has_sdk() {
        eprintln!(
            "skipping: python3 with the `openai` package is not installed (pip install openai)"
        );
        return;
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/sdk/test_responses_fixture.py"
    );
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../haetae-openai/tests/fixtures/responses.json"
    );
    let out = Command::new("python3")
        .args([script, fixture])
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "SDK validation failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("passed, 0 failed"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn official_openai_python_sdk_works_unchanged() {
    if !has_sdk() {
        eprintln!(
            "skipping the OpenAI SDK test: python3 with the `openai` package is not installed (pip install openai)"
        );
        return;
    }
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    let status = client()
        .post(format!("{}/admin/v1/models", gw.root_url()))
        .bearer_auth(gw.admin_key())
        .json(&json!({"name": "gov-model", "backend": "upstream", "upstream_model": "mock-2", "min_tier": "government"}))
        .send()
        .await
        .expect("add model")
        .status();
    assert!(status.is_success());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sdk/test_openai_sdk.py");
    let out = tokio::task::spawn_blocking({
        let vars = gw.vars.clone();
        move || Command::new("python3").arg(script).envs(vars).output()
    })
    .await
    .expect("join")
    .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "SDK test failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("passed, 0 failed"), "{stdout}");
}
