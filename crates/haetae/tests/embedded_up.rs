//! `haetae up` with no upstream serves the embedded model through the whole gateway.
//! Skips, saying why, when the model file has not been fetched (scripts/fetch-model.sh).

mod support;

use serde_json::{Value, json};
use support::{client, start_gateway_with};

#[tokio::test(flavor = "multi_thread")]
async fn haetae_up_serves_the_embedded_model() {
    let cache = std::env::var("HAETAE_MODEL_CACHE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default())
                .join(".cache/haetae/models")
        });
    if !cache.join("SmolLM2-135M-Instruct.Q4_1.gguf").exists() {
        eprintln!(
            "skipping: the embedded model is not in {} (run scripts/fetch-model.sh)",
            cache.display()
        );
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway_with(dir.path(), None, &[]);
    let key = gw.key("public").to_string();

    let models: Value = client()
        .get(format!("{}/models", gw.base_url()))
        .bearer_auth(&key)
        .send()
        .await
        .expect("models")
        .json()
        .await
        .expect("json");
    assert!(
        models["data"]
            .as_array()
            .expect("data")
            .iter()
            .any(|m| m["id"] == "smollm2-135m"),
        "{models}"
    );

    let body = json!({"model": "smollm2-135m", "temperature": 0, "max_tokens": 16,
                      "messages": [{"role": "user", "content": "Which city is the capital of France?"}]});
    let resp: Value = client()
        .post(format!("{}/chat/completions", gw.base_url()))
        .bearer_auth(&key)
        .json(&body)
        .send()
        .await
        .expect("chat")
        .json()
        .await
        .expect("json");
    let answer = resp["choices"][0]["message"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(answer.contains("Paris"), "{resp}");
    assert_eq!(resp["model"], "smollm2-135m");
    assert!(
        resp["usage"]["completion_tokens"]
            .as_u64()
            .is_some_and(|n| (1..=16).contains(&n)),
        "{resp}"
    );

    let mut streamed = body.clone();
    streamed["stream"] = json!(true);
    let text = client()
        .post(format!("{}/chat/completions", gw.base_url()))
        .bearer_auth(&key)
        .json(&streamed)
        .send()
        .await
        .expect("stream")
        .text()
        .await
        .expect("body");
    let mut content = String::new();
    for event in text.split("\n\n").filter_map(|e| e.strip_prefix("data: ")) {
        if event == "[DONE]" {
            continue;
        }
        let chunk: Value = serde_json::from_str(event).expect("chunk");
        content.push_str(
            chunk
                .pointer("/choices/0/delta/content")
                .and_then(Value::as_str)
                .unwrap_or(""),
        );
    }
    assert!(text.trim_end().ends_with("data: [DONE]"));
    assert_eq!(
        content, answer,
        "greedy stream equals the non-streaming answer"
    );
}
