//! Suite files (`Suite::load`, YAML or TOML) from fuzzed bytes written to a temp file, then what `haetae eval run`
//! does with a loaded suite before any model call: building every solver, scorer and `kv` environment from the
//! registry, loading the dataset, and the content hash.
//!
//! Input: the first byte picks the extension (even: `.yaml`, odd: `.toml`); the rest is the file. The suite's
//! directory also holds the example datasets (suites/examples), so a suite naming one of them loads real samples.
//!
//! Checks: no panic; a loaded suite satisfies what `load` promises (at least one scorer, epochs >= 1, the base
//! directory set).

#![no_main]

use std::path::Path;

use haetae_eval::Registry;
use haetae_eval::dataset::{Format, Sample};
use haetae_eval::suite::Component;
use haetae_fuzz::{scratch_dir, scratch_file};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const DATASETS: &[(&str, &[u8])] = &[
    (
        "arithmetic-mc.jsonl",
        include_bytes!("../../suites/examples/arithmetic-mc.jsonl"),
    ),
    (
        "kv-agent.jsonl",
        include_bytes!("../../suites/examples/kv-agent.jsonl"),
    ),
    (
        "items.csv",
        b"id,question,A,B,C,answer,topic\n1,2+2?,3,4,5,B,math\n2,Capital?,Seoul,Busan,,A,geo\n",
    ),
];

fn registry() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        for (name, bytes) in DATASETS {
            scratch_file(name, bytes);
        }
        Registry::builtin()
    })
}

/// Component params may name files (`rubric_file`); `load` makes relative ones relative to the suite. Only build
/// components whose files stay inside the scratch directory (a fuzzed `/dev/stdin` would block the fuzzer).
fn confined(c: &Component) -> bool {
    let Value::Object(m) = &c.params else {
        return true;
    };
    m.iter().all(|(k, v)| {
        !k.ends_with("_file")
            || v.as_str()
                .is_some_and(|p| Path::new(p).starts_with(scratch_dir()) && !p.contains(".."))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, text)) = data.split_first() else {
        return;
    };
    let registry = registry();
    let name = if kind % 2 == 0 {
        "suite.yaml"
    } else {
        "suite.toml"
    };
    let path = scratch_file(name, text);
    let Ok(suite) = haetae_eval::Suite::load(&path) else {
        return;
    };
    assert!(suite.epochs >= 1 && !suite.scorers.is_empty());
    assert_eq!(suite.base_dir, scratch_dir());

    for c in suite.solvers.iter().filter(|c| confined(c)) {
        let _ = registry.solver(c);
    }
    for c in suite.scorers.iter().filter(|c| confined(c)) {
        let _ = registry.scorer(c);
    }
    let sample = Sample {
        id: "s".into(),
        input: Value::String("q".into()),
        target: vec!["a".into()],
        choices: None,
        metadata: Default::default(),
    };
    for c in suite
        .environments
        .iter()
        .filter(|c| c.name == "kv" && confined(c))
    {
        let _ = registry.environment(c, &sample);
    }

    // Only datasets we put there (a fuzzed path could name any file or directory on the machine).
    let known = DATASETS
        .iter()
        .any(|(n, _)| suite.dataset.path == Path::new(n));
    let plain = matches!(
        suite.dataset.format,
        None | Some(Format::Jsonl) | Some(Format::Csv)
    );
    if known && plain {
        if let Ok(samples) = suite.samples() {
            if let Some(limit) = suite.dataset.limit {
                assert!(samples.len() <= limit);
            }
        }
        let _ = suite.content_hash();
    }
});
