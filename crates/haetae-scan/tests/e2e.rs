//! End to end with a scripted model behind a local OpenAI-compatible server: the scan's real pipeline (tree-sitter
//! split, sandboxed builds, AddressSanitizer PoVs, `git apply`, the projects' tests) on the small repositories in
//! `tests/fixtures`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod schema;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use haetae_scan::client::{GatewayClient, GatewayConfig};
use haetae_scan::pipeline::{ScanOptions, ScanReport, Scanner, Status};
use haetae_scan::scripted::c_greet::{
    BREAKING_PATCH, FALSE_POV, FALSE_TITLE, GOOD_PATCH, TRUE_POV, TRUE_TITLE, rules,
};
use haetae_scan::scripted::{Rule, Script};
use haetae_scan::toolchain::{JUNIT_CONSOLE, Toolchains};
use haetae_scan::units::Language;
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

async fn scan(rules: Vec<Rule>, repo: &str) -> (ScanReport, Arc<Script>) {
    scan_dir(rules, &fixture(repo), repo).await
}

/// Scans the repository at `root` (`name` is what the report names).
async fn scan_dir(rules: Vec<Rule>, root: &Path, name: &str) -> (ScanReport, Arc<Script>) {
    scan_with(rules, root, name, ScanOptions::default()).await
}

/// [`scan_dir`] with `options`.
async fn scan_with(
    rules: Vec<Rule>,
    root: &Path,
    name: &str,
    options: ScanOptions,
) -> (ScanReport, Arc<Script>) {
    let (url, script) = haetae_scan::scripted::serve(rules).await.unwrap();
    let client = GatewayClient::new(GatewayConfig {
        base_url: url,
        api_key: "hk_test_scan".into(),
        model: "scripted".into(),
        use_case: "vulnerability-research".into(),
        engagement: Some("eng-test".into()),
        timeout: Duration::from_secs(30),
        max_tokens: 512,
    })
    .unwrap();
    let scanner = Scanner {
        client: &client,
        options,
    };
    let report = scanner.scan(root, name).await.unwrap();
    (report, script)
}

#[tokio::test]
async fn a_true_finding_is_reproduced_patched_and_verified_and_a_false_one_is_not_reported() {
    let (report, script) = scan(rules(GOOD_PATCH), "c-greet").await;
    let status = |title: &str| {
        report
            .candidates
            .iter()
            .find(|c| c.candidate.title == title)
            .map(|c| c.status)
    };
    assert_eq!(status(TRUE_TITLE), Some(Status::Verified), "{report:#?}");
    assert_eq!(status(FALSE_TITLE), Some(Status::NotReproduced));
    assert_eq!(status("imagined"), Some(Status::Invalid));
    assert_eq!(report.duplicates.len(), 1);
    // greet and sum in greet.c, main in test_greet.c, greet.h as a whole-file unit.
    assert_eq!(report.units, 4);

    // Each candidate, the invalid one too, keeps the find call's reply as it came: why the model flagged it.
    let find_reply = haetae_scan::scripted::c_greet::find_reply();
    assert_eq!(report.candidates.len(), 3);
    for c in &report.candidates {
        let find = c.find.as_ref().unwrap();
        assert_eq!(find.reply, find_reply);
        assert_eq!(
            (find.reply_chars, find.reply_truncated),
            (find_reply.chars().count(), false)
        );
        assert_eq!(find.call, report.find_calls[0]);
    }
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["candidates"][0]["find"]["reply"], find_reply.as_str());

    // Only the verified candidate is a finding.
    assert_eq!(report.findings.len(), 1);
    let f = &report.findings[0];
    assert_eq!(
        (
            f.file.as_str(),
            f.start_line,
            f.cwe.as_str(),
            f.unit.as_str()
        ),
        ("greet.c", 8, "CWE-121", "greet")
    );
    assert!(
        f.pov_report.contains("AddressSanitizer"),
        "{}",
        f.pov_report
    );

    // The evidence of each stage is kept.
    let verified = report
        .candidates
        .iter()
        .find(|c| c.candidate.title == TRUE_TITLE)
        .unwrap();
    let stages: Vec<_> = verified
        .stages
        .iter()
        .map(|s| (s.stage.as_str(), s.passed))
        .collect();
    assert_eq!(
        stages,
        vec![("reproduce", true), ("patch", true), ("verify", true)]
    );
    let runs: Vec<_> = verified.stages[2]
        .runs
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(
        runs,
        vec![
            "build",
            "tests",
            "pov (patched)",
            "build",
            "pov (unpatched control)"
        ]
    );
    let control = verified.stages[2].runs.last().unwrap();
    assert!(
        control
            .result
            .stderr
            .contains("ERROR: AddressSanitizer: stack-buffer-overflow")
    );
    assert!(verified.stages[2].runs[2].result.success());
    assert!(
        verified.stages[0]
            .call
            .as_ref()
            .unwrap()
            .ledger_index
            .is_some()
    );
    let refuted = report
        .candidates
        .iter()
        .find(|c| c.candidate.title == FALSE_TITLE)
        .unwrap();
    // The false candidate's PoV ran clean twice (asked again once, by default): both attempts are kept, and it is
    // not a finding.
    let attempts: Vec<_> = refuted
        .stages
        .iter()
        .map(|s| (s.stage.as_str(), s.attempt, s.passed))
        .collect();
    assert_eq!(
        attempts,
        vec![("reproduce", 1, false), ("reproduce", 2, false)]
    );
    assert!(refuted.stages[0].runs.last().unwrap().result.success());
    assert!(
        haetae_scan::cli::summary(&report)
            .contains("[not_reproduced] the PoV did not trigger on the unpatched code (attempt 2)"),
        "{}",
        haetae_scan::cli::summary(&report)
    );

    // Every call went to the gateway under the caller's key, use-case and engagement.
    let seen = script.seen.lock().unwrap();
    assert_eq!(
        seen.requests.len(),
        5,
        "find, the true PoV, the false one twice, one patch"
    );
    for (h, body) in &seen.requests {
        assert_eq!(h["authorization"], "Bearer hk_test_scan");
        assert_eq!(h["x-haetae-use-case"], "vulnerability-research");
        assert_eq!(h["x-haetae-engagement"], "eng-test");
        assert_eq!(body["model"], "scripted");
    }
    drop(seen);

    // Outputs: SARIF valid against the SARIF 2.1.0 schema, OSV, and a patch `git am` applies.
    let out = tempfile::tempdir().unwrap();
    haetae_scan::output::write_all(&report, out.path()).unwrap();
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("results.sarif")).unwrap()).unwrap();
    let errors = schema::validate_sarif(&sarif);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "CWE-121");
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        8
    );
    let osv: Value = serde_json::from_slice(
        &std::fs::read(out.path().join(format!("osv/{}.json", f.id))).unwrap(),
    )
    .unwrap();
    assert_eq!(osv["database_specific"]["cwe_ids"][0], "CWE-121");
    assert_eq!(osv["id"], format!("HAETAE-{}", f.id));
    git_am_applies(
        &fixture("c-greet"),
        &out.path().join(format!("patches/{}.patch", f.id)),
    );
}

/// Applies a git-format patch with `git am` in a fresh git repository holding the fixture.
fn git_am_applies(repo: &Path, patch: &Path) {
    let work = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), work.path().join(entry.file_name())).unwrap();
    }
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@localhost",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(work.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    git(&["am", "-q", patch.to_str().unwrap()]);
    let fixed = std::fs::read_to_string(work.path().join("greet.c")).unwrap();
    assert!(fixed.contains("snprintf(buf, sizeof buf") && !fixed.contains("strcpy"));
}

#[tokio::test]
async fn a_patch_that_breaks_the_tests_is_rejected() {
    let (report, _) = scan(rules(BREAKING_PATCH), "c-greet").await;
    let c = report
        .candidates
        .iter()
        .find(|c| c.candidate.title == TRUE_TITLE)
        .unwrap();
    assert_eq!(c.status, Status::PatchTestsFailed);
    assert!(report.findings.is_empty());
    // The same breaking diff both times: both attempts kept, the candidate unverified.
    let attempts: Vec<_> = c
        .stages
        .iter()
        .map(|s| (s.stage.as_str(), s.attempt, s.passed))
        .collect();
    assert_eq!(
        attempts,
        vec![
            ("reproduce", 1, true),
            ("patch", 1, true),
            ("verify", 1, false),
            ("patch", 2, true),
            ("verify", 2, false)
        ]
    );
    let tests = c.stages[2].runs.iter().find(|r| r.name == "tests").unwrap();
    assert!(
        tests.result.stderr.contains("got 'hello, bob'"),
        "{}",
        tests.result.stderr
    );
    // The rejected candidate is reported as unverified, not as a SARIF result.
    let sarif = serde_json::to_value(haetae_scan::output::sarif(&report)).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(0)
    );
    assert!(schema::validate_sarif(&sarif).is_empty());
}

#[tokio::test]
async fn a_patch_that_does_not_apply_is_rejected() {
    let bad = "```diff\n--- a/greet.c\n+++ b/greet.c\n@@ -1,1 +1,1 @@\n-no such line\n+x\n```\n";
    let (report, _) = scan(rules(bad), "c-greet").await;
    let c = report
        .candidates
        .iter()
        .find(|c| c.candidate.title == TRUE_TITLE)
        .unwrap();
    assert_eq!(c.status, Status::PatchNotApplied);
    assert!(report.findings.is_empty());
}

/// c-greet's true candidate alone, with `pov` and `patch` rules (each a first reply and the replies after it).
fn true_candidate(pov: Vec<&str>, patch: Vec<&str>) -> Vec<Rule> {
    let rule = |stage, replies: Vec<&str>| Rule {
        stage,
        needle: TRUE_TITLE,
        reply: replies[0].to_owned(),
        then: replies[1..].iter().map(|r| (*r).to_owned()).collect(),
    };
    vec![
        Rule {
            stage: "find",
            needle: "greet.c",
            reply: json!({"findings": [{"file": "greet.c", "start_line": 8, "end_line": 8, "cwe": "CWE-121",
                "title": TRUE_TITLE, "reasoning": "strcpy into a 16-byte stack buffer"}]})
            .to_string(),
            ..Rule::default()
        },
        rule("pov", pov),
        rule("patch", patch),
    ]
}

/// Scans c-greet with [`true_candidate`]'s rules under `options`.
async fn scan_true_candidate(
    pov: Vec<&str>,
    patch: Vec<&str>,
    options: ScanOptions,
) -> (ScanReport, Arc<Script>) {
    let rules = true_candidate(pov, patch);
    scan_with(rules, &fixture("c-greet"), "c-greet", options).await
}

/// A PoV that does not compile: it calls a function the project does not have.
const BROKEN_POV: &str =
    "```c\n#include \"greet.h\"\n\nint main(void) {\n    return greet_twice(\"bob\");\n}\n```\n";

fn stage_attempts(c: &haetae_scan::pipeline::CandidateReport) -> Vec<(&str, u32, bool)> {
    c.stages
        .iter()
        .map(|s| (s.stage.as_str(), s.attempt, s.passed))
        .collect()
}

/// A PoV that fails (it does not compile) is asked for again with the failure; the second triggers, and the
/// finding is verified with both attempts in the report.
#[tokio::test]
async fn a_pov_that_fails_is_asked_again_with_its_failure_and_the_second_one_is_verified() {
    let (report, script) = scan_true_candidate(
        vec![BROKEN_POV, TRUE_POV],
        vec![GOOD_PATCH],
        ScanOptions::default(),
    )
    .await;
    let c = &report.candidates[0];
    assert_eq!(c.status, Status::Verified, "{report:#?}");
    assert_eq!(
        stage_attempts(c),
        vec![
            ("reproduce", 1, false),
            ("reproduce", 2, true),
            ("patch", 1, true),
            ("verify", 1, true)
        ]
    );
    // The failed attempt's evidence: what the model wrote, the command, why it failed.
    let first = &c.stages[0];
    assert!(first.artefact.as_deref().unwrap().contains("greet_twice"));
    assert_eq!(first.note, "the PoV did not trigger on the unpatched code");
    let run = first.runs.last().unwrap();
    assert!(!run.result.success() && run.result.stderr.contains("greet_twice"));
    assert!(first.call.as_ref().unwrap().ledger_index.is_some());
    assert_eq!(report.findings.len(), 1);
    assert!(report.findings[0].pov.contains("a-name-much-longer"));

    // The second request held the first failure: the PoV, its exit status and the end of its output.
    let prompts = script.seen.lock().unwrap().prompts("pov");
    assert_eq!(prompts.len(), 2);
    assert!(!prompts[0].contains("ATTEMPT:"));
    let second = &prompts[1];
    assert!(second.contains("ATTEMPT: 2 of 2"), "{second}");
    assert!(second.contains("failed: the PoV did not trigger on the unpatched code"));
    assert!(second.contains("return greet_twice(\"bob\");"));
    assert!(second.contains(&format!("ended: exit {}", run.result.exit_code.unwrap())));
    let stderr_end: String = run
        .result
        .stderr
        .trim_end()
        .chars()
        .rev()
        .take(200)
        .collect();
    let stderr_end: String = stderr_end.chars().rev().collect();
    assert!(second.contains(&stderr_end), "{second}");

    // report.json keeps every attempt.
    let out = tempfile::tempdir().unwrap();
    haetae_scan::output::write_all(&report, out.path()).unwrap();
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("report.json")).unwrap()).unwrap();
    let stages = &json["candidates"][0]["stages"];
    assert_eq!(
        (&stages[0]["attempt"], &stages[0]["passed"]),
        (&json!(1), &json!(false))
    );
    assert_eq!(
        (&stages[1]["attempt"], &stages[1]["passed"]),
        (&json!(2), &json!(true))
    );
}

/// A patch that breaks the project's tests is asked for again with the tests' output; the second verifies.
#[tokio::test]
async fn a_patch_that_breaks_the_tests_is_asked_again_with_their_output_and_the_second_is_verified()
{
    let (report, script) = scan_true_candidate(
        vec![TRUE_POV],
        vec![BREAKING_PATCH, GOOD_PATCH],
        ScanOptions::default(),
    )
    .await;
    let c = &report.candidates[0];
    assert_eq!(c.status, Status::Verified, "{report:#?}");
    assert_eq!(
        stage_attempts(c),
        vec![
            ("reproduce", 1, true),
            ("patch", 1, true),
            ("verify", 1, false),
            ("patch", 2, true),
            ("verify", 2, true)
        ]
    );
    assert_eq!(
        c.stages[2].note,
        "the project's tests fail on the patched code"
    );
    assert!(
        c.stages[1]
            .artefact
            .as_deref()
            .unwrap()
            .contains("hello, %s")
    );
    assert!(
        report.findings[0]
            .patch
            .contains("snprintf(buf, sizeof buf")
    );
    assert!(!report.findings[0].patch.contains("hello, %s"));

    let prompts = script.seen.lock().unwrap().prompts("patch");
    assert_eq!(prompts.len(), 2);
    let second = &prompts[1];
    assert!(second.contains("ATTEMPT: 2 of 2"), "{second}");
    assert!(second.contains("failed: the project's tests fail on the patched code"));
    // The diff that failed and what the tests said about it.
    assert!(second.contains("+    return snprintf(out, cap, \"hello, %s\", buf);"));
    assert!(second.contains("got 'hello, bob'"), "{second}");
    assert!(
        second.contains("The command `make test` (tests)"),
        "{second}"
    );
}

/// With one attempt a stage the scan is as it was: no second PoV, no second patch.
#[tokio::test]
async fn with_one_attempt_a_stage_is_asked_once() {
    let once = || ScanOptions {
        pov_attempts: 1,
        patch_attempts: 1,
        ..ScanOptions::default()
    };
    let (report, script) =
        scan_true_candidate(vec![BROKEN_POV, TRUE_POV], vec![GOOD_PATCH], once()).await;
    let c = &report.candidates[0];
    assert_eq!(c.status, Status::NotReproduced);
    assert_eq!(stage_attempts(c), vec![("reproduce", 1, false)]);
    assert!(report.findings.is_empty());
    assert_eq!(script.seen.lock().unwrap().prompts("pov").len(), 1);
    assert!(script.seen.lock().unwrap().prompts("patch").is_empty());

    let (report, script) =
        scan_true_candidate(vec![TRUE_POV], vec![BREAKING_PATCH, GOOD_PATCH], once()).await;
    let c = &report.candidates[0];
    assert_eq!(c.status, Status::PatchTestsFailed);
    assert_eq!(
        stage_attempts(c),
        vec![
            ("reproduce", 1, true),
            ("patch", 1, true),
            ("verify", 1, false)
        ]
    );
    assert!(report.findings.is_empty());
    assert_eq!(script.seen.lock().unwrap().prompts("patch").len(), 1);
}

/// Attempts run out: a PoV that never triggers leaves the candidate `not_reproduced`, a patch that never verifies
/// leaves it unverified; neither is a finding, and every attempt is in the report.
#[tokio::test]
async fn when_the_attempts_run_out_the_candidate_is_not_a_finding() {
    let three = ScanOptions {
        pov_attempts: 3,
        ..ScanOptions::default()
    };
    let (report, script) =
        scan_true_candidate(vec![BROKEN_POV, FALSE_POV], vec![GOOD_PATCH], three).await;
    let c = &report.candidates[0];
    assert_eq!(c.status, Status::NotReproduced);
    assert_eq!(
        stage_attempts(c),
        vec![
            ("reproduce", 1, false),
            ("reproduce", 2, false),
            ("reproduce", 3, false)
        ]
    );
    assert!(report.findings.is_empty());
    // Each retry is told about the attempt just before it.
    let prompts = script.seen.lock().unwrap().prompts("pov");
    assert_eq!(prompts.len(), 3);
    assert!(prompts[1].contains("ATTEMPT: 2 of 3") && prompts[1].contains("greet_twice"));
    assert!(prompts[2].contains("ATTEMPT: 3 of 3") && prompts[2].contains("INT_MAX"));
    assert!(!prompts[2].contains("greet_twice"));
    assert!(script.seen.lock().unwrap().prompts("patch").is_empty());
    let sarif = serde_json::to_value(haetae_scan::output::sarif(&report)).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(0)
    );
}

#[tokio::test]
async fn a_python_path_traversal_is_verified_with_the_default_config_and_a_marker_pov() {
    let title = "path traversal in read_note";
    let pov = "```python\nimport store\n\ntry:\n    store.read_note(\"../secret.txt\")\nexcept ValueError:\n    \
               raise SystemExit(0)\nprint(\"HAETAE-POV-TRIGGERED\")\nraise SystemExit(1)\n```\n";
    let patch = "```diff\n--- a/store.py\n+++ b/store.py\n@@ -6,5 +6,8 @@\n def read_note(name):\n     \
                 \"\"\"Returns the note called name from the data directory.\"\"\"\n-    path = os.path.join(BASE, \
                 name)\n+    base = os.path.realpath(BASE)\n+    path = os.path.realpath(os.path.join(base, name))\n+    \
                 if os.path.commonpath([base, path]) != base:\n+        raise ValueError(\"note outside the data \
                 directory\")\n     with open(path) as f:\n         return f.read()\n```\n";
    let rules = vec![
        Rule {
            stage: "find",
            needle: "store.py",
            reply: json!({"findings": [{"file": "store.py", "start_line": 8, "end_line": 9, "cwe": "CWE-22",
                "title": title, "reasoning": "name is joined to the base without a check"}]})
            .to_string(), ..Rule::default() },
        Rule { stage: "pov", needle: title, reply: pov.into(), ..Rule::default() },
        Rule { stage: "patch", needle: title, reply: patch.into(), ..Rule::default() },
    ];
    let (report, _) = scan(rules, "py-store").await;
    assert_eq!(report.config.language.name(), "python");
    let c = &report.candidates[0];
    assert_eq!(c.status, Status::Verified, "{report:#?}");
    assert_eq!(report.findings[0].cwe, "CWE-22");
}

/// C++ with the default configuration: the PoV is linked with the project's C++ sources under ASan, the fix
/// verified.
#[tokio::test]
async fn a_cpp_overflow_is_verified_with_the_default_config() {
    let title = "strcpy overflow in copy_name";
    let pov = "```cpp\n#include \"name.h\"\n#include <cstdio>\nint main() {\n    char b[4];\n    \
               copy_name(b, sizeof b, \"overflowing\");\n    std::puts(b);\n    return 0;\n}\n```\n";
    let patch = "```diff\n--- a/name.cc\n+++ b/name.cc\n@@ -5,4 +5,4 @@\n void copy_name(char *dst, unsigned n, \
                 const char *src) {\n-    (void)n;\n-    std::strcpy(dst, src);\n+    std::strncpy(dst, src, n - \
                 1);\n+    dst[n - 1] = '\\0';\n }\n```\n";
    let rules = vec![
        Rule {
            stage: "find",
            needle: "name.cc (cpp), copy_name (lines 5-8)",
            reply: json!({"findings": [{"file": "name.cc", "start_line": 7, "end_line": 7, "cwe": "CWE-121",
                "title": title, "reasoning": "src is copied without a bound"}]})
            .to_string(), ..Rule::default() },
        Rule { stage: "pov", needle: title, reply: pov.into(), ..Rule::default() },
        Rule { stage: "patch", needle: title, reply: patch.into(), ..Rule::default() },
    ];
    let (report, _) = scan(rules, "cpp-name").await;
    assert_eq!(report.config.language.name(), "cpp");
    let c = &report.candidates[0];
    assert_eq!(c.status, Status::Verified, "{report:#?}");
    assert!(report.findings[0].pov_report.contains("AddressSanitizer"));
}

/// A candidate in a language the scan has no PoV runner for here (TSX, beside the Python code of `py-store`: no JSX
/// runtime is installed, or no tsc) is scanned and reported, unverified with the reason, and no PoV is asked for.
#[tokio::test]
async fn a_candidate_without_a_pov_runner_is_reported_unverified_with_the_reason() {
    let rules = vec![Rule {
        stage: "find",
        needle: "web/notes.tsx (tsx), render (lines 2-4)",
        reply: json!({"findings": [{"file": "web/notes.tsx", "start_line": 3, "end_line": 3, "cwe": "CWE-79",
            "title": "stored XSS in render", "reasoning": "note text goes into innerHTML unescaped"}]})
        .to_string(), ..Rule::default() }];
    let (report, script) = scan(rules, "py-store").await;
    // The repository's main language is still Python; the TSX file was split too.
    assert_eq!(report.config.language.name(), "python");
    assert_eq!(report.files, 3);
    let c = &report.candidates[0];
    assert_eq!(c.status, Status::NoPovRunner, "{report:#?}");
    assert_eq!(c.candidate.unit, "render");
    let note = &c.stages[0].note;
    assert!(note.contains("tsx"), "{note}");
    assert!(
        (note.contains("JSX runtime (react) is not installed")
            && note.contains("haetae-scan.toml"))
            || note.contains("needs node and tsc")
            || note.contains("needs tsc"),
        "{note}"
    );
    assert!(report.findings.is_empty());
    // Only the find call went to the model.
    assert_eq!(script.seen.lock().unwrap().requests.len(), 1);
    let sarif = serde_json::to_value(haetae_scan::output::sarif(&report)).unwrap();
    assert_eq!(
        sarif["runs"][0]["properties"]["candidatesByStatus"],
        json!({"no_pov_runner": 1})
    );
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map_or(0, Vec::len),
        0
    );
}

#[test]
fn the_schema_check_rejects_broken_sarif() {
    let good = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.c"},
         "region": {"startLine": 3}}}]}]}]});
    assert!(
        schema::validate_sarif(&good).is_empty(),
        "{:?}",
        schema::validate_sarif(&good)
    );
    let mut no_version = good.clone();
    no_version.as_object_mut().unwrap().remove("version");
    assert!(!schema::validate_sarif(&no_version).is_empty());
    let mut bad_line = good.clone();
    bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        json!(0);
    assert!(!schema::validate_sarif(&bad_line).is_empty());
    let mut extra = good.clone();
    extra["runs"][0]["tool"]["driver"]["colour"] = json!("blue");
    assert!(!schema::validate_sarif(&extra).is_empty());
    let mut wrong_level = good;
    wrong_level["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(!schema::validate_sarif(&wrong_level).is_empty());
}

/// The CLI on a git URL (a `file://` clone of a repository made from the fixture), with an embargo: every output
/// is written, the SARIF names the scanned revision, and the embargo's commitment opens to the reported finding.
#[tokio::test]
async fn the_cli_scans_a_git_url_and_writes_outputs_and_an_embargo_whose_opening_verifies() {
    let (url, _script) = haetae_scan::scripted::serve(rules(GOOD_PATCH))
        .await
        .unwrap();
    let origin = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture("c-greet")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), origin.path().join(entry.file_name())).unwrap();
    }
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@localhost",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(origin.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    let head = git(&["rev-parse", "HEAD"]);
    let out = tempfile::tempdir().unwrap();
    let args = haetae_scan::cli::ScanArgs {
        repo: format!("file://{}", origin.path().display()),
        gateway: haetae_scan::scripted::gateway_args(&url),
        out: out.path().to_owned(),
        max_candidates: 25,
        attempts: haetae_scan::cli::AttemptArgs::default(),
        maintainer: Some("security@example.org".into()),
        embargo_days: 90,
        ledger: false,
    };
    let report = haetae_scan::cli::run_with_key(args, "hk_test_scan".into())
        .await
        .unwrap();
    assert_eq!(report.repository.commit.as_deref(), Some(head.as_str()));
    assert_eq!(report.findings.len(), 1);
    let f = &report.findings[0];

    let read = |rel: &str| -> Value {
        serde_json::from_slice(&std::fs::read(out.path().join(rel)).unwrap()).unwrap()
    };
    let sarif = read("results.sarif");
    assert!(
        schema::validate_sarif(&sarif).is_empty(),
        "{:?}",
        schema::validate_sarif(&sarif)
    );
    assert_eq!(
        sarif["runs"][0]["versionControlProvenance"][0]["revisionId"],
        head.as_str()
    );
    assert_eq!(read("report.json")["findings"][0]["id"], f.id.as_str());
    assert_eq!(
        read(&format!("osv/{}.json", f.id))["affected"][0]["versions"][0],
        head.as_str()
    );

    let embargo: haetae_scan::disclosure::Embargo =
        serde_json::from_value(read(&format!("disclosure/{}.embargo.json", f.id))).unwrap();
    assert_eq!(embargo.maintainer_contact, "security@example.org");
    assert!(
        embargo.opening.is_none(),
        "the public record must not hold the opening"
    );
    let opening_path = out.path().join(format!("disclosure/{}.opening.json", f.id));
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(
        std::fs::metadata(&opening_path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    let opening: haetae_scan::disclosure::Opening =
        serde_json::from_slice(&std::fs::read(&opening_path).unwrap()).unwrap();
    let opened = haetae_scan::disclosure::verify(&embargo.commitment, &opening).unwrap();
    assert_eq!(&opened, f);
}

/// A call the gateway refuses (403) stops that candidate as a model error; it is not a finding.
#[tokio::test]
async fn a_refused_call_leaves_the_candidate_unverified_as_a_model_error() {
    let mut r = rules(GOOD_PATCH);
    r.retain(|rule| !(rule.stage == "pov" && rule.needle == FALSE_TITLE));
    let (report, _) = scan(r, "c-greet").await;
    let c = report
        .candidates
        .iter()
        .find(|c| c.candidate.title == FALSE_TITLE)
        .unwrap();
    assert_eq!(c.status, Status::ModelError);
    assert!(
        c.stages[0].note.contains("HTTP 403"),
        "{}",
        c.stages[0].note
    );
    // A refusal is not the model's mistake: it is not asked again.
    assert_eq!(c.stages.len(), 1);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].cwe, "CWE-121");
}

/// A find call the backend does not answer (a 504 from the gateway) is recorded with its units and the scan goes
/// on with the next batch; a refusal still stops it.
#[tokio::test]
async fn an_unanswered_find_call_is_reported_and_the_scan_goes_on() {
    let (url, script) = haetae_scan::scripted::serve(vec![
        Rule {
            stage: "find",
            needle: "greet.c (c), greet (lines",
            reply: "@status 504".into(),
            ..Rule::default()
        },
        Rule {
            stage: "find",
            needle: "(c)",
            reply: json!({"findings": []}).to_string(),
            ..Rule::default()
        },
    ])
    .await
    .unwrap();
    let client = GatewayClient::new(GatewayConfig {
        base_url: url.clone(),
        api_key: "hk_test_scan".into(),
        model: "scripted".into(),
        use_case: "vulnerability-research".into(),
        engagement: None,
        timeout: Duration::from_secs(30),
        max_tokens: 512,
    })
    .unwrap();
    // One unit a batch, so the failing unit's batch is one of several.
    let scanner = Scanner {
        client: &client,
        options: ScanOptions {
            batch_chars: 1,
            ..ScanOptions::default()
        },
    };
    let report = scanner.scan(&fixture("c-greet"), "c-greet").await.unwrap();
    assert_eq!(report.find_failures.len(), 1, "{report:#?}");
    assert!(report.find_failures[0].error.contains("HTTP 504"));
    assert!(
        report.find_failures[0]
            .units
            .iter()
            .all(|u| u.starts_with("greet.c:"))
    );
    assert_eq!(
        report.find_calls.len() + 1,
        script.seen.lock().unwrap().requests.len()
    );
    assert!(!report.find_calls.is_empty());
    assert!(haetae_scan::cli::summary(&report).contains("NOT SCANNED"));
    // A refusal (403: no rule matches) still stops the scan.
    let (url, _) = haetae_scan::scripted::serve(Vec::new()).await.unwrap();
    let client = GatewayClient::new(GatewayConfig {
        base_url: url,
        ..client.config().clone()
    })
    .unwrap();
    let scanner = Scanner {
        client: &client,
        options: ScanOptions::default(),
    };
    let err = scanner
        .scan(&fixture("c-greet"), "c-greet")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("HTTP 403"), "{err}");
}

/// A PoV or patch call the gateway does not answer (503, 502) is made again and the candidate goes on; a 429 is
/// not made again and ends its candidate `model_error`, saying so.
#[tokio::test]
async fn an_unanswered_pov_or_patch_call_is_made_again_and_a_rate_limited_one_is_not() {
    let mut r = rules(GOOD_PATCH);
    for rule in &mut r {
        if rule.stage == "find" {
            continue;
        }
        // The true candidate's PoV and patch calls go unanswered once; the false one's PoV is rate limited.
        let answer = std::mem::take(&mut rule.reply);
        (rule.reply, rule.then) = match (rule.stage, rule.needle) {
            ("pov", FALSE_TITLE) => ("@status 429".into(), vec![answer]),
            ("pov", _) => ("@status 503".into(), vec![answer]),
            _ => ("@status 502".into(), vec![answer]),
        };
    }
    let options = ScanOptions {
        // No wait between calls: the schedule is tested on its own (client.rs).
        gateway_retry: haetae_scan::client::CallRetry {
            attempts: 3,
            first_delay: Duration::ZERO,
        },
        ..ScanOptions::default()
    };
    let (report, script) = scan_with(r, &fixture("c-greet"), "c-greet", options).await;
    let verified = by_title(&report, TRUE_TITLE);
    assert_eq!(verified.status, Status::Verified, "{report:#?}");
    // Not attempts of the model: the first attempt of each stage, with the unanswered calls beside it.
    assert_eq!(
        stage_attempts(verified),
        vec![
            ("reproduce", 1, true),
            ("patch", 1, true),
            ("verify", 1, true)
        ]
    );
    let retries = |i: usize| &verified.stages[i].gateway_retries;
    assert_eq!((retries(0).len(), retries(1).len()), (1, 1));
    assert!(retries(0)[0].contains("pov: HTTP 503"), "{:?}", retries(0));
    assert!(
        retries(1)[0].contains("patch: HTTP 502"),
        "{:?}",
        retries(1)
    );
    assert!(retries(2).is_empty());
    assert_eq!(report.findings.len(), 1);

    let limited = by_title(&report, FALSE_TITLE);
    assert_eq!(limited.status, Status::ModelError);
    assert_eq!(limited.stages.len(), 1);
    assert!(limited.stages[0].gateway_retries.is_empty());
    assert!(
        limited.stages[0]
            .note
            .starts_with("refused by the gateway's rate limit or quota, not retried: gateway rate limit: pov: HTTP 429"),
        "{}",
        limited.stages[0].note
    );
    let seen = script.seen.lock().unwrap();
    assert_eq!(
        seen.prompts("pov").len(),
        3,
        "two for the true candidate, one for the false"
    );
    assert_eq!(seen.prompts("patch").len(), 2);
    drop(seen);
}

/// A "fix" that edits the test to match its own behaviour is refused before it is applied.
#[tokio::test]
async fn a_patch_that_edits_the_tests_is_refused() {
    // The breaking patch's greet.c change, plus the test changed to expect it.
    let body = BREAKING_PATCH
        .trim_start_matches("```diff\n")
        .trim_end_matches("```\n");
    let cheat = format!(
        "```diff\n{body}--- a/test_greet.c\n+++ b/test_greet.c\n@@ -9,1 +9,1 @@\n-    if (strcmp(out, \"hi, \
         bob\") != 0) {{\n+    if (strcmp(out, \"hello, bob\") != 0) {{\n```\n"
    );
    let (report, _) = scan(rules(&cheat), "c-greet").await;
    let c = report
        .candidates
        .iter()
        .find(|c| c.candidate.title == TRUE_TITLE)
        .unwrap();
    assert_eq!(c.status, Status::PatchNotApplied);
    assert!(
        c.stages[1].note.contains("test_greet.c"),
        "{}",
        c.stages[1].note
    );
    assert!(report.findings.is_empty());
}

/// Whether the scan's sandbox has the toolchain of `language`'s default PoV runner (found as a scan finds it). When
/// it does not, the test is skipped, loudly; under `CI=true` it fails for JavaScript, TypeScript and TSX, Java and
/// Go (CI machines have node and tsc, a JDK and go), not for Rust (CI installs no system cargo: rustup's, under
/// root's home, is out of the sandbox user's reach).
async fn default_runner(language: Language, test: &str) -> bool {
    let tools = Toolchains::detect(ScanOptions::default().limits)
        .await
        .unwrap();
    let missing = tools.missing(language);
    if missing.is_empty() {
        return true;
    }
    let why = format!(
        "{test} needs {} in the scan's sandbox (on /usr/local/bin:/usr/bin:/bin)",
        missing.join(" and ")
    );
    let ci_has_it = matches!(
        language,
        Language::JavaScript | Language::TypeScript | Language::Tsx | Language::Java | Language::Go
    );
    if ci_has_it && std::env::var("CI").as_deref() == Ok("true") {
        panic!("{why}, and CI=true requires it");
    }
    eprintln!("\n!!!!! SKIPPED: {why} !!!!!\n");
    false
}

/// A repository written for the test: (path, contents) pairs.
fn write_repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    haetae_scan::scripted::write_repo(files).unwrap()
}

fn by_title<'r>(report: &'r ScanReport, title: &str) -> &'r haetae_scan::pipeline::CandidateReport {
    report
        .candidates
        .iter()
        .find(|c| c.candidate.title == title)
        .unwrap_or_else(|| panic!("no candidate {title}: {report:#?}"))
}

/// A scripted model's answers for one true candidate (its PoV and patch) and one false one (a PoV that does not
/// trigger).
/// And what the scan must show besides: the main language, the runs of the verify stage, what the PoV prompt holds.
struct TrueAndFalse<'p> {
    language: &'static str,
    find_needle: &'static str,
    findings: Value,
    true_title: &'static str,
    pov: &'static str,
    patch: &'p str,
    verify_runs: &'static [&'static str],
    false_title: &'static str,
    false_pov: &'static str,
    prompt: &'static [&'static str],
}

/// Scans `root` with the model answering `t`, checks what each default runner's test expects (the true candidate
/// verified and the only finding, with `t.verify_runs`; the false one not reproduced, its PoV run to a clean exit;
/// the PoV prompt holding each of `t.prompt`) and returns the report.
async fn scan_true_and_false(t: &TrueAndFalse<'_>, root: &Path) -> ScanReport {
    let rules = vec![
        Rule {
            stage: "find",
            needle: t.find_needle,
            reply: t.findings.to_string(),
            ..Rule::default()
        },
        Rule {
            stage: "pov",
            needle: t.true_title,
            reply: t.pov.into(),
            ..Rule::default()
        },
        Rule {
            stage: "pov",
            needle: t.false_title,
            reply: t.false_pov.into(),
            ..Rule::default()
        },
        Rule {
            stage: "patch",
            needle: t.true_title,
            reply: t.patch.into(),
            ..Rule::default()
        },
    ];
    let (report, script) = scan_dir(rules, root, "written-for-the-test").await;
    assert_eq!(report.config.language.name(), t.language);
    let verified = by_title(&report, t.true_title);
    assert_eq!(verified.status, Status::Verified, "{report:#?}");
    let runs: Vec<_> = verified.stages[2]
        .runs
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(runs, t.verify_runs);
    let refuted = by_title(&report, t.false_title);
    assert_eq!(refuted.status, Status::NotReproduced, "{report:#?}");
    assert!(refuted.stages[0].runs.last().unwrap().result.success());
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].title, t.true_title);
    let seen = script.seen.lock().unwrap();
    let pov_prompt = seen.requests[1].1["messages"][1]["content"]
        .as_str()
        .unwrap();
    for needle in t.prompt {
        assert!(pov_prompt.contains(needle), "{needle}: {pov_prompt}");
    }
    drop(seen);
    report
}

const JS_FILES: &str = "// Serves the files of the public directory.
const fs = require('fs');
const path = require('path');

const BASE = path.join(__dirname, '..', 'public');

function readPublic(name) {
  return fs.readFileSync(path.join(BASE, name), 'utf8');
}

function page(items, n) {
  const size = 2;
  const start = Math.max(0, n) * size;
  return items.slice(start, start + size);
}

module.exports = { readPublic, page };
";

const JS_TEST: &str = "const test = require('node:test');
const assert = require('node:assert');
const { readPublic, page } = require('../lib/files');

test('reads a public file', () => {
  assert.strictEqual(readPublic('hello.txt'), 'hello\\n');
});

test('pages', () => {
  assert.deepStrictEqual(page([1, 2, 3], 1), [3]);
});
";

/// JavaScript with node's default runner: a path traversal (`readPublic('../secret.txt')`) is reproduced by a PoV
/// that `require`s the project's module from `.haetae-pov/`, patched, and verified with `npm test` (node's own test
/// runner, no dependencies); a false candidate (a negative page number, which the code clamps) does not trigger
/// and is not reported.
#[tokio::test]
async fn a_javascript_path_traversal_is_verified_with_nodes_default_runner_and_a_false_one_is_not()
{
    if !default_runner(Language::JavaScript, "the JavaScript end-to-end test").await {
        return;
    }
    let repo = write_repo(&[
        ("lib/files.js", JS_FILES),
        ("test/files.test.js", JS_TEST),
        ("public/hello.txt", "hello\n"),
        ("secret.txt", "top secret\n"),
        (
            "package.json",
            r#"{"name": "js-files", "version": "1.0.0", "private": true, "scripts": {"test": "node --test"}}"#,
        ),
    ]);
    let (true_title, false_title) = (
        "path traversal in readPublic",
        "negative page number in page",
    );
    let pov = "```javascript\nconst { readPublic } = require('../lib/files');\nlet text = '';\ntry {\n  text = \
               readPublic('../secret.txt');\n} catch (e) {\n  process.exit(0);\n}\nif (text.includes('top secret')) \
               {\n  console.log('HAETAE-POV-TRIGGERED');\n  process.exit(1);\n}\n```\n";
    let false_pov = "```javascript\nconst { page } = require('../lib/files');\nconst got = page(['a', 'b', 'c'], \
                     -1);\nif (got.length !== 2 || got.some((x) => x === undefined)) {\n  \
                     console.log('HAETAE-POV-TRIGGERED');\n  process.exit(1);\n}\n```\n";
    let patch = "```diff\n--- a/lib/files.js\n+++ b/lib/files.js\n@@ -5,7 +5,11 @@ const path = require('path');\n \
                 const BASE = path.join(__dirname, '..', 'public');\n \n function readPublic(name) {\n-  return \
                 fs.readFileSync(path.join(BASE, name), 'utf8');\n+  const file = path.resolve(BASE, name);\n+  if \
                 (!file.startsWith(BASE + path.sep)) {\n+    throw new Error('not a public file: ' + name);\n+  }\n+  \
                 return fs.readFileSync(file, 'utf8');\n }\n \n function page(items, n) {\n```\n";
    let t = TrueAndFalse {
        language: "javascript",
        find_needle: "lib/files.js (javascript), readPublic (lines 7-9)",
        findings: json!({"findings": [
                {"file": "lib/files.js", "start_line": 8, "end_line": 8, "cwe": "CWE-22", "title": true_title,
                 "reasoning": "name is joined to the public directory unchecked"},
                {"file": "lib/files.js", "start_line": 13, "end_line": 14, "cwe": "CWE-129", "title": false_title,
                 "reasoning": "a negative page number slices before the start"}]}),
        true_title,
        pov,
        patch,
        verify_runs: &["tests", "pov (patched)", "pov (unpatched control)"],
        false_title,
        false_pov,
        prompt: &["node .haetae-pov/pov.js", "require('../lib/x')"],
    };
    let report = scan_true_and_false(&t, repo.path()).await;
    assert_eq!(report.config.test, haetae_scan::pipeline::NPM_TEST);
    assert!(report.toolchains.has("node"));
    let verified = by_title(&report, true_title);
    let tests = &verified.stages[2].runs[0];
    assert!(
        tests.result.success() && tests.result.stdout.contains("# pass 2"),
        "{}",
        tests.result.render()
    );
    assert!(verified.stages[2].note.contains("tests pass"));
    assert!(
        verified.stages[0].runs[0]
            .result
            .stdout
            .contains("HAETAE-POV-TRIGGERED")
    );

    let f = &report.findings[0];
    assert_eq!(
        (
            f.file.as_str(),
            f.cwe.as_str(),
            f.unit.as_str(),
            f.pov_file.as_str()
        ),
        ("lib/files.js", "CWE-22", "readPublic", "pov.js")
    );
}

const TS_FILES: &str = "// Serves the files of the public directory.
import * as fs from 'fs';
import * as path from 'path';

const BASE: string = path.join(__dirname, '..', 'public');

export function readPublic(name: string): string {
  return fs.readFileSync(path.join(BASE, name), 'utf8');
}

export function page<T>(items: T[], n: number): T[] {
  const size = 2;
  const start = Math.max(0, n) * size;
  return items.slice(start, start + size);
}
";

/// TypeScript with the default runner (node and a global tsc): a path traversal in a typed module is reproduced by a
/// PoV in TypeScript that imports the module relatively, emitted with what it imports and run by node, patched, and
/// verified; a false candidate (a negative page number, clamped) does not trigger and is not reported. The module
/// finds its files relative to itself (`__dirname`), which must hold for the emitted JavaScript too.
#[tokio::test]
async fn a_typescript_path_traversal_is_verified_with_the_default_runner_and_a_false_one_is_not() {
    if !default_runner(Language::TypeScript, "the TypeScript end-to-end test").await {
        return;
    }
    let repo = write_repo(&[
        ("src/files.ts", TS_FILES),
        ("public/hello.txt", "hello\n"),
        ("secret.txt", "top secret\n"),
        (
            "package.json",
            r#"{"name": "ts-files", "version": "1.0.0", "private": true}"#,
        ),
    ]);
    let (true_title, false_title) = (
        "path traversal in readPublic",
        "negative page number in page",
    );
    let pov = "```typescript\nimport { readPublic } from '../src/files';\nlet text: string = '';\ntry {\n  text = \
               readPublic('../secret.txt');\n} catch (e) {\n  process.exit(0);\n}\nif (text.includes('top secret')) \
               {\n  console.log('HAETAE-POV-TRIGGERED');\n  process.exit(1);\n}\n```\n";
    let false_pov = "```typescript\nimport { page } from '../src/files';\nconst got: string[] = page(['a', 'b', 'c'], \
                     -1);\nif (got.length !== 2 || got.some((x) => x === undefined)) {\n  \
                     console.log('HAETAE-POV-TRIGGERED');\n  process.exit(1);\n}\n```\n";
    let patch = "```diff\n--- a/src/files.ts\n+++ b/src/files.ts\n@@ -5,7 +5,11 @@ import * as path from 'path';\n \
                 const BASE: string = path.join(__dirname, '..', 'public');\n \n export function readPublic(name: \
                 string): string {\n-  return fs.readFileSync(path.join(BASE, name), 'utf8');\n+  const file = \
                 path.resolve(BASE, name);\n+  if (!file.startsWith(BASE + path.sep)) {\n+    throw new Error('not a \
                 public file: ' + name);\n+  }\n+  return fs.readFileSync(file, 'utf8');\n }\n \n export function \
                 page<T>(items: T[], n: number): T[] {\n```\n";
    let t = TrueAndFalse {
        language: "typescript",
        find_needle: "src/files.ts (typescript), readPublic (lines 7-9)",
        findings: json!({"findings": [
                {"file": "src/files.ts", "start_line": 8, "end_line": 8, "cwe": "CWE-22", "title": true_title,
                 "reasoning": "name is joined to the public directory unchecked"},
                {"file": "src/files.ts", "start_line": 13, "end_line": 14, "cwe": "CWE-129", "title": false_title,
                 "reasoning": "a negative page number slices before the start"}]}),
        true_title,
        pov,
        patch,
        verify_runs: &["pov (patched)", "pov (unpatched control)"],
        false_title,
        false_pov,
        prompt: &["tsc emits it", "import { f } from '../src/x'"],
    };
    let report = scan_true_and_false(&t, repo.path()).await;
    assert_eq!(report.config.pov, haetae_scan::pipeline::TS_POV);
    assert!(report.toolchains.has("tsc"));
    let verified = by_title(&report, true_title);
    assert!(
        verified.stages[2].note.contains("tests NOT run"),
        "{}",
        verified.stages[2].note
    );
    let f = &report.findings[0];
    assert_eq!(
        (f.file.as_str(), f.unit.as_str(), f.pov_file.as_str()),
        ("src/files.ts", "readPublic", "pov.ts")
    );
}

/// A JSX runtime written for the TSX test, installed in the fixture's node_modules as a project's would be:
/// elements are plain objects, `render` makes HTML, escaping text but not `dangerouslySetInnerHTML`.
const TINY_JSX_RUNTIME: &str = "function jsx(type, props) { return { type, props: props || {} }; }
const Fragment = Symbol('Fragment');
module.exports = { jsx, jsxs: jsx, Fragment };
";
const TINY_JSX_INDEX: &str = "const { Fragment } = require('./jsx-runtime');
const escape = (s) => String(s).replace(/[&<>\"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
function render(node) {
  if (node === null || node === undefined || node === false) return '';
  if (Array.isArray(node)) return node.map(render).join('');
  if (typeof node !== 'object') return escape(node);
  if (typeof node.type === 'function') return render(node.type(node.props));
  if (node.type === Fragment) return render(node.props.children);
  const raw = node.props.dangerouslySetInnerHTML;
  return '<' + node.type + '>' + (raw ? raw.__html : render(node.props.children)) + '</' + node.type + '>';
}
module.exports = { render, Fragment };
";

const TSX_NOTE: &str = "// A note card: the title as text, the body as the HTML the editor saved.
export function Note(props: { title: string; body: string }) {
  return (
    <article>
      <h2>{props.title}</h2>
      <div dangerouslySetInnerHTML={{ __html: props.body }} />
    </article>
  );
}
";

/// TSX with the default runner: the project's tsconfig.json (JSON with comments) names its JSX runtime, installed in
/// node_modules; a stored XSS in a component (`dangerouslySetInnerHTML` on the saved body) is reproduced by a PoV in
/// TSX that renders the component with the project's runtime, patched and verified; a false candidate (the title,
/// which the runtime escapes) does not trigger and is not reported.
#[tokio::test]
async fn a_tsx_stored_xss_is_verified_with_the_projects_jsx_runtime_and_a_false_one_is_not() {
    if !default_runner(Language::Tsx, "the TSX end-to-end test").await {
        return;
    }
    let repo = write_repo(&[
        ("src/Note.tsx", TSX_NOTE),
        (
            "tsconfig.json",
            "{\n  \"compilerOptions\": {\n    // the project's own JSX runtime\n    \"jsx\": \"react-jsx\",\n    \
             \"jsxImportSource\": \"tiny-jsx\",\n  },\n}\n",
        ),
        (
            "node_modules/tiny-jsx/package.json",
            r#"{"name": "tiny-jsx", "version": "1.0.0", "main": "index.js"}"#,
        ),
        ("node_modules/tiny-jsx/jsx-runtime.js", TINY_JSX_RUNTIME),
        ("node_modules/tiny-jsx/index.js", TINY_JSX_INDEX),
    ]);
    let (true_title, false_title) = ("stored XSS in Note's body", "title injected into Note");
    let pov = "```tsx\nimport { render } from 'tiny-jsx';\nimport { Note } from '../src/Note';\nconst html: string = \
               render(<Note title=\"t\" body={'<img src=x onerror=alert(1)>'} />);\nif (html.includes('<img')) {\n  \
               console.log('HAETAE-POV-TRIGGERED');\n  process.exit(1);\n}\n```\n";
    let false_pov = "```tsx\nimport { render } from 'tiny-jsx';\nimport { Note } from '../src/Note';\nconst html: \
                     string = render(<Note title={'<script>x</script>'} body=\"b\" />);\nif \
                     (html.includes('<script>')) {\n  console.log('HAETAE-POV-TRIGGERED');\n  process.exit(1);\n}\n```\n";
    let patch = "```diff\n--- a/src/Note.tsx\n+++ b/src/Note.tsx\n@@ -3,7 +3,7 @@ export function Note(props: { \
                 title: string; body: string }) {\n   return (\n     <article>\n       <h2>{props.title}</h2>\n-      \
                 <div dangerouslySetInnerHTML={{ __html: props.body }} />\n+      <div>{props.body}</div>\n     \
                 </article>\n   );\n }\n```\n";
    let t = TrueAndFalse {
        language: "tsx",
        find_needle: "src/Note.tsx (tsx), Note (lines 2-9)",
        findings: json!({"findings": [
                {"file": "src/Note.tsx", "start_line": 6, "end_line": 6, "cwe": "CWE-79", "title": true_title,
                 "reasoning": "the saved body is rendered as raw HTML"},
                {"file": "src/Note.tsx", "start_line": 5, "end_line": 5, "cwe": "CWE-79", "title": false_title,
                 "reasoning": "the title goes into the page"}]}),
        true_title,
        pov,
        patch,
        verify_runs: &["pov (patched)", "pov (unpatched control)"],
        false_title,
        false_pov,
        prompt: &[
            "tsc emits it (JSX",
            "import { Note } from '../src/Note'",
            "--jsxImportSource tiny-jsx",
        ],
    };
    let report = scan_true_and_false(&t, repo.path()).await;
    assert!(
        haetae_scan::tsx::is_tsx_pov(&report.config.pov),
        "{}",
        report.config.pov
    );
    let verified = by_title(&report, true_title);
    assert!(
        verified.stages[0].runs[0]
            .result
            .stdout
            .contains("HAETAE-POV-TRIGGERED")
    );
    let f = &report.findings[0];
    assert_eq!(
        (f.file.as_str(), f.unit.as_str(), f.pov_file.as_str()),
        ("src/Note.tsx", "Note", "pov.tsx")
    );
}

const JAVA_SHELF: &str = "package com.example.store;

/** A fixed shelf of items, numbered from 1. */
public class Shelf {
    private final String[] items;

    public Shelf(String... items) {
        this.items = items.clone();
    }

    /** The item at a position from 1, or null when there is none. */
    public String at(int position) {
        if (position > items.length) {
            return null;
        }
        return items[position - 1];
    }

    public int size() {
        return items.length;
    }
}
";

/// The Java repository of the tests: `Shelf` in a package, and its tests in JUnit 5 (Jupiter) and JUnit 4.
fn java_repo() -> tempfile::TempDir {
    write_repo(&[
        ("src/main/java/com/example/store/Shelf.java", JAVA_SHELF),
        (
            "src/test/java/com/example/store/ShelfTest.java",
            "package com.example.store;\n\nimport org.junit.jupiter.api.Test;\n\nclass ShelfTest {\n    @Test\n    \
             void first() {\n        org.junit.jupiter.api.Assertions.assertEquals(\"a\", new Shelf(\"a\").at(1));\n    \
             }\n}\n",
        ),
        (
            "src/test/java/com/example/store/ShelfLegacyTest.java",
            "package com.example.store;\n\nimport static org.junit.Assert.assertNull;\nimport org.junit.Test;\n\npublic \
             class ShelfLegacyTest {\n    @Test\n    public void pastTheEnd() {\n        assertNull(new \
             Shelf(\"a\").at(2));\n    }\n}\n",
        ),
    ])
}

/// Whether the scan's sandbox can read JUnit's console launcher (Java's default test command); under `CI=true` it
/// must (CI installs Debian's junit5).
async fn junit_in_sandbox() -> bool {
    let tools = Toolchains::detect(ScanOptions::default().limits)
        .await
        .unwrap();
    let found = tools.has(JUNIT_CONSOLE);
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the Java tests need {JUNIT_CONSOLE} in the scan's sandbox, and CI=true requires it"
        );
        eprintln!("\n!!!!! JUnit is not in the scan's sandbox: Java's tests are not run !!!!!\n");
    }
    found
}

/// Java with the JDK's default runner: the project's non-test sources (in a package) are compiled, and a PoV in the
/// default package that imports `com.example.store.Shelf` shows an unchecked index (`at(0)` throws); the fix is
/// verified with the project's JUnit 5 and JUnit 4 tests passing (where JUnit is in the sandbox). A false candidate
/// (the constructor keeps the caller's array, which it copies) does not trigger and is not reported.
#[tokio::test]
async fn a_java_unchecked_index_is_verified_with_the_jdks_default_runner_and_a_false_one_is_not() {
    if !default_runner(Language::Java, "the Java end-to-end test").await {
        return;
    }
    let junit = junit_in_sandbox().await;
    let repo = java_repo();
    let (true_title, false_title) = (
        "unchecked index in Shelf.at",
        "Shelf keeps the caller's array",
    );
    let pov = "```java\nimport com.example.store.Shelf;\n\npublic class Pov {\n    public static void main(String[] \
               args) {\n        Shelf shelf = new Shelf(\"a\", \"b\");\n        try {\n            shelf.at(0);\n        \
               } catch (ArrayIndexOutOfBoundsException e) {\n            System.out.println(\"HAETAE-POV-TRIGGERED \" \
               + e);\n            System.exit(1);\n        }\n    }\n}\n```\n";
    let false_pov = "```java\nimport com.example.store.Shelf;\n\npublic class Pov {\n    public static void \
                     main(String[] args) {\n        String[] items = {\"a\", \"b\"};\n        Shelf shelf = new \
                     Shelf(items);\n        items[0] = \"changed\";\n        if (\"changed\".equals(shelf.at(1))) {\n  \
                               System.out.println(\"HAETAE-POV-TRIGGERED\");\n            System.exit(1);\n        \
                     }\n    }\n}\n```\n";
    let t = TrueAndFalse {
        language: "java",
        find_needle: "src/main/java/com/example/store/Shelf.java (java)",
        findings: json!({"findings": [
                {"file": "src/main/java/com/example/store/Shelf.java", "start_line": 16, "end_line": 16,
                 "cwe": "CWE-129", "title": true_title, "reasoning": "a position below 1 is not checked"},
                {"file": "src/main/java/com/example/store/Shelf.java", "start_line": 8, "end_line": 8,
                 "cwe": "CWE-374", "title": false_title, "reasoning": "the array is stored as given"}]}),
        true_title,
        pov,
        patch: &java_patch("position < 1 || position > items.length"),
        verify_runs: if junit {
            BUILD_TESTS_POV
        } else {
            &["build", "pov (patched)", "build", "pov (unpatched control)"]
        },
        false_title,
        false_pov,
        prompt: &["java -XX:+UseSerialGC", "default package"],
    };
    let report = scan_true_and_false(&t, repo.path()).await;
    assert!(report.toolchains.has("javac") && report.toolchains.has("java"));
    let verified = by_title(&report, true_title);
    assert_eq!(verified.candidate.unit, "Shelf.at");
    let build = &verified.stages[0].runs[0];
    assert_eq!(build.name, "build");
    assert!(build.result.success(), "{}", build.result.render());
    assert!(
        verified.stages[0].runs[1]
            .result
            .stdout
            .contains("HAETAE-POV-TRIGGERED java.lang.ArrayIndexOutOfBoundsException")
    );
    if junit {
        // Both engines ran the project's tests: Jupiter's and JUnit 4's (Vintage).
        let tests = &verified.stages[2].runs[1];
        assert_eq!(tests.name, "tests");
        let out = &tests.result.stdout;
        assert!(out.contains("2 tests successful"), "{out}");
        assert!(
            out.contains("JUnit Jupiter") && out.contains("JUnit Vintage"),
            "{out}"
        );
    } else {
        assert!(
            verified.stages[2].note.contains("tests NOT run")
                && verified.stages[2].note.contains("JUnit"),
            "{}",
            verified.stages[2].note
        );
    }

    assert_eq!(
        (
            report.findings[0].cwe.as_str(),
            report.findings[0].pov_file.as_str()
        ),
        ("CWE-129", "Pov.java")
    );
}

/// A diff of `Shelf.at`'s bounds check to `condition`.
fn java_patch(condition: &str) -> String {
    format!(
        "```diff\n--- a/src/main/java/com/example/store/Shelf.java\n+++ b/src/main/java/com/example/store/Shelf.java\n\
         @@ -10,7 +10,7 @@ public class Shelf {{\n \n     /** The item at a position from 1, or null when there is \
         none. */\n     public String at(int position) {{\n-        if (position > items.length) {{\n+        if \
         ({condition}) {{\n             return null;\n         }}\n         return items[position - 1];\n```\n"
    )
}

/// A Java patch that stops the PoV but breaks the project's JUnit test (`at(1)` answers null) is rejected on the
/// tests' failure, twice, and nothing is reported.
#[tokio::test]
async fn a_java_patch_that_breaks_the_junit_tests_is_rejected() {
    if !default_runner(Language::Java, "the Java JUnit test").await || !junit_in_sandbox().await {
        return;
    }
    let repo = java_repo();
    let title = "unchecked index in Shelf.at";
    let rules = vec![
        Rule {
            stage: "find",
            needle: "src/main/java/com/example/store/Shelf.java (java)",
            reply: json!({"findings": [
                {"file": "src/main/java/com/example/store/Shelf.java", "start_line": 16, "end_line": 16,
                 "cwe": "CWE-129", "title": title, "reasoning": "a position below 1 is not checked"}]})
            .to_string(),
            ..Rule::default()
        },
        Rule {
            stage: "pov",
            needle: title,
            reply: "```java\nimport com.example.store.Shelf;\n\npublic class Pov {\n    public static void \
                    main(String[] args) {\n        try {\n            new Shelf(\"a\").at(0);\n        } catch \
                    (ArrayIndexOutOfBoundsException e) {\n            System.out.println(\"HAETAE-POV-TRIGGERED\");\n  \
                              System.exit(1);\n        }\n    }\n}\n```\n"
                .into(),
            ..Rule::default()
        },
        Rule {
            stage: "patch",
            needle: title,
            reply: java_patch("position < 2 || position > items.length"),
            ..Rule::default()
        },
    ];
    let (report, _) = scan_dir(rules, repo.path(), "java-breaking-patch").await;
    let c = by_title(&report, title);
    assert_eq!(c.status, Status::PatchTestsFailed, "{report:#?}");
    assert!(report.findings.is_empty());
    let tests = c.stages[2].runs.iter().find(|r| r.name == "tests").unwrap();
    assert!(!tests.result.success());
    assert!(
        tests.result.stdout.contains("1 tests failed") && tests.result.stdout.contains("ShelfTest"),
        "{}",
        tests.result.render()
    );
}

/// The verify stage's runs of a default runner with a build and a test command (Go, Rust).
const BUILD_TESTS_POV: &[&str] = &[
    "build",
    "tests",
    "pov (patched)",
    "build",
    "pov (unpatched control)",
];

/// The candidate `title`, verified in `unit` with the project's tests passing; the finding has `cwe` and `pov_file`.
fn verified_with_tests<'r>(
    report: &'r ScanReport,
    title: &str,
    unit: &str,
    (cwe, pov_file): (&str, &str),
) -> &'r haetae_scan::pipeline::CandidateReport {
    let verified = by_title(report, title);
    assert_eq!(verified.candidate.unit, unit);
    assert!(
        verified.stages[2].note.contains("tests pass"),
        "{}",
        verified.stages[2].note
    );
    let f = &report.findings[0];
    assert_eq!((f.cwe.as_str(), f.pov_file.as_str()), (cwe, pov_file));
    verified
}

const RUST_SHELF: &str = "//! A fixed shelf of items, numbered from 1.

pub struct Shelf {
    items: Vec<String>,
}

impl Shelf {
    pub fn new(items: &[&str]) -> Shelf {
        Shelf {
            items: items.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The item at a position from 1, or None when there is none.
    pub fn at(&self, position: usize) -> Option<&str> {
        if position > self.items.len() {
            return None;
        }
        Some(&self.items[position - 1])
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first() {
        assert_eq!(Shelf::new(&[\"a\", \"b\"]).at(1), Some(\"a\"));
    }
}
";

/// Rust with cargo's default runner: the PoV is a test module of the crate (so it reaches the private field a false
/// candidate is about), a position of 0 underflows `position - 1` and panics, which the PoV catches; the fix is
/// verified with `cargo build`, `cargo test` and the PoV. A false candidate (the shelf keeps the caller's strings,
/// which it copies) does not trigger and is not reported.
#[tokio::test]
async fn a_rust_underflow_is_verified_with_cargos_default_runner_and_a_false_one_is_not() {
    if !default_runner(Language::Rust, "the Rust end-to-end test").await {
        return;
    }
    let repo = write_repo(&[
        (
            "Cargo.toml",
            "[package]\nname = \"shelf\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        ("src/lib.rs", RUST_SHELF),
    ]);
    let (true_title, false_title) = (
        "position 0 underflows in Shelf::at",
        "Shelf keeps the caller's items",
    );
    let pov = "```rust\nuse super::*;\n\n#[test]\nfn pov() {\n    let shelf = Shelf::new(&[\"a\", \"b\"]);\n    \
               let got = std::panic::catch_unwind(|| shelf.at(0).map(str::to_owned));\n    if got.is_err() {\n        \
               println!(\"HAETAE-POV-TRIGGERED\");\n        std::process::exit(1);\n    }\n}\n```\n";
    let false_pov = "```rust\nuse super::*;\n\n#[test]\nfn pov() {\n    let shelf = Shelf::new(&[\"a\", \"b\"]);\n    \
                     // The shelf's own copy: a private field, in reach of a test module.\n    if shelf.items != \
                     [\"a\", \"b\"] || shelf.len() != 2 {\n        println!(\"HAETAE-POV-TRIGGERED\");\n        \
                     std::process::exit(1);\n    }\n}\n```\n";
    let patch = "```diff\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -13,7 +13,7 @@ impl Shelf {\n \n     /// The item at \
                 a position from 1, or None when there is none.\n     pub fn at(&self, position: usize) -> Option<&str> \
                 {\n-        if position > self.items.len() {\n+        if position == 0 || position > \
                 self.items.len() {\n             return None;\n         }\n         Some(&self.items[position - \
                 1])\n```\n";
    let t = TrueAndFalse {
        language: "rust",
        find_needle: "src/lib.rs (rust)",
        findings: json!({"findings": [
                {"file": "src/lib.rs", "start_line": 19, "end_line": 19, "cwe": "CWE-191", "title": true_title,
                 "reasoning": "position - 1 underflows for position 0 and panics"},
                {"file": "src/lib.rs", "start_line": 10, "end_line": 10, "cwe": "CWE-374", "title": false_title,
                 "reasoning": "the items are stored as given"}]}),
        true_title,
        pov,
        patch,
        verify_runs: BUILD_TESTS_POV,
        false_title,
        false_pov,
        prompt: &[
            "cargo test --offline --quiet --lib haetae_pov::",
            "use super::*;",
        ],
    };
    let report = scan_true_and_false(&t, repo.path()).await;
    assert!(report.toolchains.has("cargo") && report.toolchains.has("rustc"));
    assert_eq!(report.config.test, haetae_scan::pipeline::RUST_TEST);
    let verified = verified_with_tests(&report, true_title, "Shelf::at", ("CWE-191", "pov.rs"));
    let triggered = &verified.stages[0].runs[1];
    assert!(
        triggered.result.stdout.contains("HAETAE-POV-TRIGGERED")
            && triggered.result.stderr.contains("subtract with overflow"),
        "{}",
        triggered.result.render()
    );
}

const GO_SHELF: &str = "// Package store keeps a fixed shelf of items, numbered from 1.
package store

// Shelf holds its items.
type Shelf struct {
\titems []string
}

// New makes a shelf of a copy of items.
func New(items ...string) *Shelf {
\treturn &Shelf{items: append([]string(nil), items...)}
}

// At is the item at a position from 1, or \"\" when there is none.
func (s *Shelf) At(position int) string {
\tif position > len(s.items) {
\t\treturn \"\"
\t}
\treturn s.items[position-1]
}
";

/// A Go PoV: `package main` importing the test module's `store` package, with `body` as its `main`.
macro_rules! go_pov {
    ($body:literal) => {
        concat!(
            "```go\npackage main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\n\t\"example.com/shelf/store\"\n)\n\nfunc main() {\n",
            $body,
            "}\n```\n"
        )
    };
}

/// Go with go's default runner (skipped, loudly, without go in the sandbox; CI does not install it): a `package
/// main` PoV imports the module's package, and a position of 0 indexes -1 and panics, which the PoV recovers; the
/// fix is verified with `go build`, `go test` and the PoV. A false candidate (the shelf keeps the caller's slice,
/// which it copies) does not trigger and is not reported.
#[tokio::test]
async fn a_go_index_out_of_range_is_verified_with_gos_default_runner_and_a_false_one_is_not() {
    if !default_runner(Language::Go, "the Go end-to-end test").await {
        return;
    }
    let repo = write_repo(&[
        ("go.mod", "module example.com/shelf\n\ngo 1.19\n"),
        ("store/shelf.go", GO_SHELF),
        (
            "store/shelf_test.go",
            "package store\n\nimport \"testing\"\n\nfunc TestAt(t *testing.T) {\n\tif got := New(\"a\", \
             \"b\").At(1); got != \"a\" {\n\t\tt.Fatalf(\"At(1) = %q\", got)\n\t}\n}\n",
        ),
    ]);
    let (true_title, false_title) = (
        "position 0 indexes out of range in Shelf.At",
        "New keeps the caller's slice",
    );
    let pov = go_pov!(
        "\tdefer func() {\n\t\tif r := recover(); r != nil {\n\t\t\tfmt.Println(\"HAETAE-POV-TRIGGERED\", r)\n\t\t\t\
         os.Exit(1)\n\t\t}\n\t}()\n\tstore.New(\"a\", \"b\").At(0)\n"
    );
    let false_pov = go_pov!(
        "\titems := []string{\"a\", \"b\"}\n\tshelf := store.New(items...)\n\titems[0] = \"changed\"\n\tif \
         shelf.At(1) == \"changed\" {\n\t\tfmt.Println(\"HAETAE-POV-TRIGGERED\")\n\t\tos.Exit(1)\n\t}\n"
    );
    let patch = "```diff\n--- a/store/shelf.go\n+++ b/store/shelf.go\n@@ -13,7 +13,7 @@ func New(items ...string) \
                 *Shelf {\n \n // At is the item at a position from 1, or \"\" when there is none.\n func (s *Shelf) \
                 At(position int) string {\n-\tif position > len(s.items) {\n+\tif position < 1 || position > \
                 len(s.items) {\n \t\treturn \"\"\n \t}\n \treturn s.items[position-1]\n```\n";
    let t = TrueAndFalse {
        language: "go",
        find_needle: "store/shelf.go (go)",
        findings: json!({"findings": [
                {"file": "store/shelf.go", "start_line": 19, "end_line": 19, "cwe": "CWE-129", "title": true_title,
                 "reasoning": "a position below 1 is not checked"},
                {"file": "store/shelf.go", "start_line": 11, "end_line": 11, "cwe": "CWE-374", "title": false_title,
                 "reasoning": "the slice is stored as given"}]}),
        true_title,
        pov,
        patch,
        verify_runs: BUILD_TESTS_POV,
        false_title,
        false_pov,
        prompt: &["go run ./.haetae-pov/pov.go", "go.mod's module path"],
    };
    let report = scan_true_and_false(&t, repo.path()).await;
    assert!(report.toolchains.has("go"));
    assert_eq!(report.config.test, haetae_scan::pipeline::GO_TEST);
    let verified = verified_with_tests(&report, true_title, "(*Shelf).At", ("CWE-129", "pov.go"));
    assert!(
        verified.stages[0].runs[1]
            .result
            .stdout
            .contains("HAETAE-POV-TRIGGERED runtime error: index out of range [-1]"),
        "{}",
        verified.stages[0].runs[1].result.render()
    );
}
