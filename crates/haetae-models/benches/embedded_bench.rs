//! Throughput of the embedded backend, measured at the `Backend` API (what the gateway sees).
//!
//!   cargo bench -p haetae-models --bench embedded_bench -- [--model PATH] [--threads N] [--gen N] [--runs N]
//!
//! Prints one JSON line per run plus a summary line, in the same format as `bench/embedded/llama_cpp_python.py`,
//! so `bench/embedded/run.sh` can put the two side by side. Prompt speed is prompt tokens / time to first token;
//! generation speed is (completion tokens - 1) / (time from first to last token).

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use futures::StreamExt;
use haetae_models::Backend;
use haetae_models::embedded::{self, EmbeddedBackend, EmbeddedConfig};
use serde_json::json;

/// The benchmark prompt; shared with the Python side through bench/embedded/prompt.txt.
const PROMPT: &str = include_str!("../../../bench/embedded/prompt.txt");

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let model = arg(&args, "--model")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(embedded::default_model_path);
    let threads: usize = arg(&args, "--threads")
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let gen_tokens: usize = arg(&args, "--gen")
        .and_then(|v| v.parse().ok())
        .unwrap_or(128);
    let runs: usize = arg(&args, "--runs")
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    if !model.is_file() {
        eprintln!(
            "SKIPPED: no model at {} (run scripts/fetch-model.sh)",
            model.display()
        );
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let t0 = Instant::now();
    let backend = EmbeddedBackend::load(
        &model,
        EmbeddedConfig {
            parallel: 1,
            queue_depth: 1,
            threads,
            context_len: 2048,
            model_id: "bench".into(),
        },
    )
    .expect("load model");
    let load_s = t0.elapsed().as_secs_f64();

    let mut best_pp: f64 = 0.0;
    let mut best_tg: f64 = 0.0;
    for run in 0..runs {
        let body = json!({
            "messages": [{"role": "user", "content": PROMPT}],
            "temperature": 0,
            "max_tokens": gen_tokens,
            "stream": true,
            "stream_options": {"include_usage": true},
        });
        let (pp, tg, prompt_tokens, completion_tokens) = rt.block_on(async {
            let start = Instant::now();
            let mut stream = backend.chat_stream(body).await.expect("request");
            let mut first = None;
            let mut last = start;
            let mut usage = (0, 0);
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.expect("chunk");
                let now = Instant::now();
                if chunk["choices"][0]["delta"]["content"]
                    .as_str()
                    .is_some_and(|s| !s.is_empty())
                {
                    first.get_or_insert(now);
                    last = now;
                }
                if let Some(u) = chunk.get("usage") {
                    usage = (
                        u["prompt_tokens"].as_u64().unwrap_or(0),
                        u["completion_tokens"].as_u64().unwrap_or(0),
                    );
                }
            }
            let first = first.unwrap_or(last);
            let pp = usage.0 as f64 / (first - start).as_secs_f64();
            let tg = usage.1.saturating_sub(1) as f64 / (last - first).as_secs_f64().max(1e-9);
            (pp, tg, usage.0, usage.1)
        });
        println!(
            "{}",
            json!({"engine": "haetae", "run": run, "prompt_tokens": prompt_tokens,
                   "completion_tokens": completion_tokens, "prompt_tok_s": pp, "gen_tok_s": tg})
        );
        best_pp = best_pp.max(pp);
        best_tg = best_tg.max(tg);
    }
    println!(
        "{}",
        json!({"engine": "haetae", "summary": true, "threads": threads, "load_s": load_s,
               "prompt_tok_s": best_pp, "gen_tok_s": best_tg})
    );
}
