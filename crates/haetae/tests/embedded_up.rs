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

    // response_format: the embedded model's answer is an instance of the schema, through chat and the Responses
    // API (which the gateway hands to the backend as a chat request with the same schema).
    let schema = json!({"type": "object", "additionalProperties": false,
                        "properties": {"city": {"type": "string", "maxLength": 30},
                                       "population_millions": {"type": "integer", "minimum": 0, "maximum": 100}},
                        "required": ["city", "population_millions"]});
    let check = |text: &str| {
        let v: Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
        let obj = v.as_object().expect("an object");
        assert_eq!(obj.len(), 2, "{v}");
        assert!(
            v["city"].as_str().is_some_and(|c| c.chars().count() <= 30),
            "{v}"
        );
        assert!(
            v["population_millions"].as_u64().is_some_and(|n| n <= 100),
            "{v}"
        );
    };
    let structured = json!({"model": "smollm2-135m", "temperature": 0, "max_tokens": 64,
        "messages": [{"role": "user", "content": "Which city is the capital of France?"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "capital", "strict": true, "schema": schema}}});
    let resp: Value = client()
        .post(format!("{}/chat/completions", gw.base_url()))
        .bearer_auth(&key)
        .json(&structured)
        .send()
        .await
        .expect("chat")
        .json()
        .await
        .expect("json");
    check(
        resp["choices"][0]["message"]["content"]
            .as_str()
            .unwrap_or_default(),
    );

    let responses = json!({"model": "smollm2-135m", "temperature": 0, "max_output_tokens": 64,
        "input": "Which city is the capital of France?",
        "text": {"format": {"type": "json_schema", "name": "capital", "strict": true, "schema": schema}}});
    let resp: Value = client()
        .post(format!("{}/responses", gw.base_url()))
        .bearer_auth(&key)
        .json(&responses)
        .send()
        .await
        .expect("responses")
        .json()
        .await
        .expect("json");
    let text = resp["output"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["type"] == "message"))
        .and_then(|m| m.pointer("/content/0/text"))
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no output text: {resp}"));
    check(text);

    // A schema keyword the grammar cannot enforce is refused, naming it, instead of being ignored.
    let mut unenforceable = structured.clone();
    unenforceable["response_format"]["json_schema"]["schema"]["properties"]["population_millions"] =
        json!({"type": "number", "multipleOf": 0.5});
    let resp = client()
        .post(format!("{}/chat/completions", gw.base_url()))
        .bearer_auth(&key)
        .json(&unenforceable)
        .send()
        .await
        .expect("chat");
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.expect("json");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(
            "response_format.json_schema.schema.properties.population_millions.multipleOf"
        ),
        "{body}"
    );
}
