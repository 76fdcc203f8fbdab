//! Scorers of the cyber-defense suites whose checks are plain parsing: vulnerability detection (`vuln_verdict`,
//! `cwe_match`; pair-wise correctness is the metric `all_of: [pair_id]`) and log analysis (`log_attack`,
//! `log_first_line`, `log_indicators`). Answer formats are the ones the suites' READMEs define.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::Value;

use crate::dataset::Sample;
use crate::error::{EvalError, Result};
use crate::scorer::{Score, Scorer};
use crate::solver::{SolveContext, TaskState, params};

/// The verdict: the last line that is exactly `VERDICT: VULNERABLE` or `VERDICT: SAFE` (case-insensitive).
/// `Some(true)` for vulnerable.
// Compiles only literal patterns (covered by this module's tests): `expect` cannot fail on input.
#[allow(clippy::expect_used)]
pub fn parse_verdict(answer: &str) -> Option<bool> {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?im)^\s*VERDICT:\s*(VULNERABLE|SAFE)\s*$").expect("static regex")
    });
    re.captures_iter(answer)
        .last()
        .map(|c| c[1].eq_ignore_ascii_case("vulnerable"))
}

/// The CWE number on the last line that is exactly `CWE: CWE-<n>`.
// Compiles only literal patterns (covered by this module's tests): `expect` cannot fail on input.
#[allow(clippy::expect_used)]
pub fn parse_cwe(answer: &str) -> Option<u32> {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE
        .get_or_init(|| regex::Regex::new(r"(?im)^\s*CWE:\s*CWE-(\d+)\s*$").expect("static regex"));
    re.captures_iter(answer)
        .last()
        .and_then(|c| c[1].parse().ok())
}

fn cwe_number(label: &str) -> Option<u32> {
    label
        .trim()
        .strip_prefix("CWE-")
        .or_else(|| label.trim().strip_prefix("cwe-"))
        .and_then(|n| n.parse().ok())
}

/// The close parents and children the vuln-detection README allows in a lenient CWE match, per labelled CWE.
pub const LENIENT_CWE: &[(u32, &[u32])] = &[
    (787, &[119, 120, 121, 122]),
    (121, &[787, 119, 120]),
    (125, &[119, 126]),
    (190, &[680, 131]),
    (416, &[825]),
    (415, &[825]),
    (78, &[77]),
    (94, &[95]),
    (327, &[328, 326]),
    (328, &[327, 916]),
    (1333, &[400, 730]),
    (400, &[770]),
    (347, &[345, 287]),
    (295, &[296, 297]),
    (862, &[285, 639]),
    (502, &[915]),
    (1321, &[915]),
];

fn gold_vulnerable(sample: &Sample, scorer: &str) -> Result<bool> {
    sample
        .metadata
        .get("vulnerable")
        .and_then(Value::as_bool)
        .ok_or_else(|| EvalError::Scorer {
            scorer: scorer.into(),
            message: format!(
                "sample '{}' has no boolean metadata 'vulnerable'",
                sample.id
            ),
        })
}

/// `vuln_verdict`: the answer's verdict equals the item's `vulnerable` label. No parseable verdict is wrong
/// (it counts as neither verdict).
pub struct VulnVerdict;

#[async_trait]
impl Scorer for VulnVerdict {
    fn name(&self) -> &str {
        "vuln_verdict"
    }
    async fn score(&self, state: &TaskState, _: &SolveContext) -> Result<Score> {
        let want = gold_vulnerable(&state.sample, "vuln_verdict")?;
        Ok(match parse_verdict(&state.output) {
            None => Score::bool(false, "").explained("no VERDICT line"),
            Some(v) => Score::bool(v == want, if v { "VULNERABLE" } else { "SAFE" }),
        })
    }
}

/// `cwe_match`: on vulnerable items only, the verdict is VULNERABLE and the CWE equals the label (`lenient:
/// true` also accepts the README's close relatives).
pub struct CweMatch {
    lenient: bool,
}

impl CweMatch {
    pub fn from_params(v: &Value) -> Result<Self> {
        #[derive(Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        struct P {
            #[serde(default)]
            lenient: bool,
        }
        Ok(CweMatch {
            lenient: params::<P>("cwe_match", v)?.lenient,
        })
    }
}

#[async_trait]
impl Scorer for CweMatch {
    fn name(&self) -> &str {
        "cwe_match"
    }
    fn applies(&self, sample: &Sample) -> bool {
        sample.metadata.get("vulnerable").and_then(Value::as_bool) == Some(true)
    }
    async fn score(&self, state: &TaskState, _: &SolveContext) -> Result<Score> {
        let s = &state.sample;
        let want = s
            .metadata
            .get("cwe")
            .and_then(Value::as_str)
            .and_then(cwe_number)
            .ok_or_else(|| EvalError::Scorer {
                scorer: "cwe_match".into(),
                message: format!("sample '{}' has no metadata 'cwe' like CWE-<n>", s.id),
            })?;
        if parse_verdict(&state.output) != Some(true) {
            return Ok(Score::bool(false, "").explained("verdict is not VULNERABLE"));
        }
        let Some(got) = parse_cwe(&state.output) else {
            return Ok(Score::bool(false, "").explained("no CWE line"));
        };
        let related = self
            .lenient
            .then(|| LENIENT_CWE.iter().find(|(c, _)| *c == want))
            .flatten()
            .is_some_and(|(_, rel)| rel.contains(&got));
        Ok(Score::bool(got == want || related, format!("CWE-{got}")))
    }
}

/// The first JSON object in a reply (code fences and prose around it are tolerated), as the log-analysis
/// reference scorer reads it.
pub fn first_json_object(text: &str) -> Option<serde_json::Map<String, Value>> {
    for (i, _) in text.match_indices('{') {
        let mut de = serde_json::Deserializer::from_str(&text[i..]).into_iter::<Value>();
        if let Some(Ok(Value::Object(m))) = de.next() {
            return Some(m);
        }
    }
    None
}

fn gold<'a>(sample: &'a Sample, key: &str, scorer: &str) -> Result<&'a Value> {
    sample.metadata.get(key).ok_or_else(|| EvalError::Scorer {
        scorer: scorer.into(),
        message: format!("sample '{}' has no metadata '{key}'", sample.id),
    })
}

/// `log_attack`: the answer's `attack` label equals the item's.
pub struct LogAttack;

#[async_trait]
impl Scorer for LogAttack {
    fn name(&self) -> &str {
        "log_attack"
    }
    async fn score(&self, state: &TaskState, _: &SolveContext) -> Result<Score> {
        let want = gold(&state.sample, "attack", "log_attack")?;
        let Some(ans) = first_json_object(&state.output) else {
            return Ok(Score::bool(false, "").explained("no JSON object in the reply"));
        };
        let got = ans.get("attack").cloned().unwrap_or(Value::Null);
        let label = got.as_str().unwrap_or_default().to_owned();
        Ok(Score::bool(&got == want, label))
    }
}

/// `log_first_line`: for attack items, `first_malicious_line` is an integer within `tolerance` lines of the
/// reference (0 = exact); for clean (`none`) items, it is null.
pub struct LogFirstLine {
    tolerance: u64,
}

impl LogFirstLine {
    pub fn from_params(v: &Value) -> Result<Self> {
        #[derive(Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        struct P {
            #[serde(default)]
            tolerance: u64,
        }
        Ok(LogFirstLine {
            tolerance: params::<P>("log_first_line", v)?.tolerance,
        })
    }
}

#[async_trait]
impl Scorer for LogFirstLine {
    fn name(&self) -> &str {
        "log_first_line"
    }
    async fn score(&self, state: &TaskState, _: &SolveContext) -> Result<Score> {
        let want = gold(&state.sample, "first_malicious_line", "log_first_line")?;
        let Some(ans) = first_json_object(&state.output) else {
            return Ok(Score::bool(false, "").explained("no JSON object in the reply"));
        };
        let got = ans
            .get("first_malicious_line")
            .cloned()
            .unwrap_or(Value::Null);
        let shown = got.to_string();
        // Python's reference scorer takes only a JSON integer (a bool or float is not a line number).
        let ok = match (want.as_i64(), &got) {
            (None, Value::Null) => want.is_null(),
            (Some(w), Value::Number(n)) => {
                n.as_i64().is_some_and(|g| g.abs_diff(w) <= self.tolerance)
            }
            _ => false,
        };
        Ok(Score::bool(ok, shown))
    }
}

/// `log_indicators`: the share of the reference indicators the answer names; one counts as named when it occurs
/// (case-insensitively) inside at least one reported indicator. Clean items have nothing to recall and carry no
/// score.
pub struct LogIndicators;

/// The reference scorer's normalisation: trim, drop surrounding quotes and backticks, lower-case, and read a
/// doubled backslash as one (a Windows path copied out of JSON).
fn norm_indicator(s: &str) -> String {
    s.trim()
        .trim_matches(['"', '\'', '`'])
        .trim()
        .to_lowercase()
        .replace("\\\\", "\\")
}

#[async_trait]
impl Scorer for LogIndicators {
    fn name(&self) -> &str {
        "log_indicators"
    }
    fn applies(&self, sample: &Sample) -> bool {
        sample.metadata.get("attack").and_then(Value::as_str) != Some("none")
    }
    async fn score(&self, state: &TaskState, _: &SolveContext) -> Result<Score> {
        let want: Vec<String> = gold(&state.sample, "indicators", "log_indicators")?
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(norm_indicator)
                    .collect()
            })
            .unwrap_or_default();
        if want.is_empty() {
            return Err(EvalError::Scorer {
                scorer: "log_indicators".into(),
                message: format!("sample '{}' has no reference indicators", state.sample.id),
            });
        }
        let reported: Vec<String> = first_json_object(&state.output)
            .and_then(|a| a.get("indicators").cloned())
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(norm_indicator(s)),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect();
        let named = want
            .iter()
            .filter(|g| reported.iter().any(|r| r.contains(g.as_str())))
            .count();
        Ok(Score {
            value: named as f64 / want.len() as f64,
            answer: Some(format!("{named}/{} named", want.len())),
            explanation: None,
            tags: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_and_cwes_follow_the_readme_format() {
        assert_eq!(
            parse_verdict("VERDICT: SAFE\nmore\nverdict: vulnerable"),
            Some(true)
        );
        assert_eq!(parse_verdict("The VERDICT: SAFE is inline"), None);
        assert_eq!(parse_verdict("no verdict"), None);
        assert_eq!(parse_cwe("CWE: CWE-79\nCWE: CWE-89 \n"), Some(89));
        assert_eq!(parse_cwe("CWE-89"), None);
        assert_eq!(cwe_number("CWE-1333"), Some(1333));
    }

    #[test]
    fn the_first_json_object_is_found_inside_prose_and_fences() {
        let a = first_json_object(
            "Sure:\n```json\n{\"attack\": \"none\", \"x\": {\"y\": 1}}\n```\n{\"b\":2}",
        );
        assert_eq!(
            a.and_then(|m| m.get("attack").cloned()),
            Some(Value::from("none"))
        );
        assert!(first_json_object("{not json} nothing").is_none());
        assert_eq!(
            first_json_object("{bad {\"ok\": true}").map(|m| m.contains_key("ok")),
            Some(true)
        );
        assert_eq!(
            norm_indicator(" `C:\\\\Users\\\\pd64.exe` "),
            "c:\\users\\pd64.exe"
        );
    }
}
