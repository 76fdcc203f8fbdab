//! Reports from run logs: a self-contained HTML page with inline SVG plots (per-scorer comparison of runs and
//! per-category breakdowns, with 95% CI error bars), and a plain-text comparison table.
//!
//! Samples whose tool events carry an agentic step record (`events[].step`) get a trajectory view: each message,
//! each tool call with its arguments and observation, the state diff and the invariants that fired at that step.
//! Several runs of one suite get a comparison: per metric (mean, pass@k, pass^k, tag rates) and per sample. The
//! page is static HTML (no scripts), and everything from a log is escaped: it holds model output.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::log::{RunLog, SampleRecord};
use crate::metrics::{self, MetricsSpec, RunMetrics, ScorerMetrics, Stat};

/// A run ready to report: its log and its metrics (from the footer, or computed when the run never finished).
pub struct ReportRun {
    pub log: RunLog,
    pub metrics: RunMetrics,
    pub label: String,
}

impl ReportRun {
    pub fn from_log(log: RunLog) -> ReportRun {
        let spec: MetricsSpec = log
            .header
            .spec
            .get("metrics")
            .and_then(|m| serde_json::from_value(m.clone()).ok())
            .unwrap_or_default();
        // Recompute from the samples: a resumed log's footer covers all samples too, but a killed run has none.
        let metrics = match &log.footer {
            Some(f) if f.status == "complete" => f.metrics.clone(),
            _ => metrics::compute(&log.completed(), &spec),
        };
        let label = format!("{} · {}", log.header.suite, log.header.model);
        ReportRun {
            log,
            metrics,
            label,
        }
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

const PALETTE: &[&str] = &[
    "#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#4a5568", "#d69e2e", "#319795",
];

/// A bar chart: groups on the x axis, one bar per series in each group, with CI whiskers. Values are in [0, 1]
/// unless some exceed it, in which case the axis stretches.
pub fn bar_chart_svg(
    title: &str,
    groups: &[String],
    series: &[String],
    stats: &[Vec<Option<Stat>>],
) -> String {
    let (w, h, left, bottom, top) = (720.0f64, 300.0f64, 50.0f64, 70.0f64, 30.0f64);
    let plot_h = h - bottom - top;
    let ymax = stats
        .iter()
        .flatten()
        .flatten()
        .map(|s| s.ci_high.max(s.mean))
        .fold(1.0f64, f64::max);
    let y = |v: f64| top + plot_h * (1.0 - (v / ymax).clamp(0.0, 1.0));
    let group_w = (w - left - 10.0) / groups.len().max(1) as f64;
    let bar_w = (group_w * 0.8 / series.len().max(1) as f64).min(60.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{}" viewBox="0 0 {w} {}" font-family="sans-serif" font-size="11">"#,
        h + 20.0 * ((series.len() as f64 / 3.0).ceil()),
        h + 20.0 * ((series.len() as f64 / 3.0).ceil())
    );
    let _ = write!(
        svg,
        r#"<text x="{}" y="16" font-size="13" font-weight="bold">{}</text>"#,
        left,
        esc(title)
    );
    for i in 0..=4 {
        let v = ymax * f64::from(i) / 4.0;
        let (x2, yy, tx, ty) = (w - 10.0, y(v), left - 4.0, y(v) + 4.0);
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{x2}" y1="{yy:.1}" y2="{yy:.1}" stroke="#e2e8f0"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{v:.2}</text>"##
        );
    }
    for (gi, g) in groups.iter().enumerate() {
        let gx = left + group_w * gi as f64 + group_w * 0.1;
        for (si, _) in series.iter().enumerate() {
            let Some(Some(s)) = stats.get(si).and_then(|row| row.get(gi)) else {
                continue;
            };
            let x = gx + bar_w * si as f64;
            let color = PALETTE[si % PALETTE.len()];
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{color}"><title>{} {}: {:.3} [{:.3}, {:.3}] n={}</title></rect>"#,
                y(s.mean),
                bar_w * 0.9,
                (y(0.0) - y(s.mean)).max(0.0),
                esc(g),
                esc(&series[si]),
                s.mean,
                s.ci_low,
                s.ci_high,
                s.n
            );
            let cx = x + bar_w * 0.45;
            let (lo, hi, l, r) = (y(s.ci_low), y(s.ci_high), cx - 4.0, cx + 4.0);
            let _ = write!(
                svg,
                r##"<g stroke="#1a202c"><line x1="{cx:.1}" x2="{cx:.1}" y1="{lo:.1}" y2="{hi:.1}"/><line x1="{l:.1}" x2="{r:.1}" y1="{lo:.1}" y2="{lo:.1}"/><line x1="{l:.1}" x2="{r:.1}" y1="{hi:.1}" y2="{hi:.1}"/></g>"##
            );
        }
        let label: String = g.chars().take(18).collect();
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            left + group_w * (gi as f64 + 0.5),
            h - bottom + 16.0,
            esc(&label)
        );
    }
    let (x2, y0) = (w - 10.0, y(0.0));
    let _ = write!(
        svg,
        r##"<line x1="{left}" x2="{x2}" y1="{y0:.1}" y2="{y0:.1}" stroke="#4a5568"/>"##
    );
    for (si, s) in series.iter().enumerate() {
        let (lx, ly) = (
            left + 230.0 * (si % 3) as f64,
            h - 30.0 + 20.0 * (si / 3) as f64,
        );
        let _ = write!(
            svg,
            r#"<rect x="{lx}" y="{:.1}" width="10" height="10" fill="{}"/><text x="{}" y="{:.1}">{}</text>"#,
            ly - 9.0,
            PALETTE[si % PALETTE.len()],
            lx + 14.0,
            ly,
            esc(&s.chars().take(34).collect::<String>())
        );
    }
    svg.push_str("</svg>");
    svg
}

fn fmt_stat(s: &Stat) -> String {
    format!(
        "{:.3} ± {:.3} [{:.3}, {:.3}] n={}",
        s.mean, s.stderr, s.ci_low, s.ci_high, s.n
    )
}

fn fmt_ci(s: &Stat) -> String {
    format!(
        "{:.3} [{:.3}, {:.3}] n={}",
        s.mean, s.ci_low, s.ci_high, s.n
    )
}

/// A JSON value as shown in a transcript: strings as they are, anything else as compact JSON.
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// At most `max` characters, with an ellipsis when cut (on a char boundary; escaped afterwards).
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut c: String = s.chars().take(max).collect();
        c.push('…');
        c
    }
}

/// The agentic step record of a tool event (`{step, tool, arguments, ok, observation, diff, fired}`).
fn step_of(event: &Value) -> Option<&Value> {
    if event.get("type").and_then(Value::as_str) != Some("tool") {
        return None;
    }
    event.get("step").filter(|s| s.is_object())
}

fn has_steps(s: &SampleRecord) -> bool {
    s.events.iter().any(|e| step_of(e).is_some())
}

/// The invariants that fired in a sample: from its step records and from `invariant:` tags on its scores (an
/// external agent's run has the scores but may have no step events).
fn fired_invariants(s: &SampleRecord) -> BTreeSet<String> {
    let from_steps = s
        .events
        .iter()
        .filter_map(step_of)
        .filter_map(|st| st.get("fired").and_then(Value::as_array))
        .flatten()
        .filter_map(|f| f.get("invariant").and_then(Value::as_str))
        .map(str::to_owned);
    let from_tags = s
        .scores
        .values()
        .flat_map(|sc| sc.tags.iter())
        .filter_map(|t| t.strip_prefix("invariant:"))
        .map(str::to_owned);
    from_steps.chain(from_tags).collect()
}

/// One step: the call, its observation, the state diff and the invariants that fired there.
fn render_step(out: &mut String, st: &Value) {
    let field = |k: &str| st.get(k).unwrap_or(&Value::Null);
    let fired: &[Value] = field("fired").as_array().map_or(&[], Vec::as_slice);
    let ok = field("ok").as_bool().unwrap_or(true);
    let _ = write!(
        out,
        "<div class=\"step{}\"><div class=\"stephead\">step {} · <code>{}</code>{}{}</div>",
        if fired.is_empty() { "" } else { " fired" },
        esc(&show(field("step"))),
        esc(&show(field("tool"))),
        if ok {
            ""
        } else {
            " <span class=\"bad\">error</span>"
        },
        if fired.is_empty() {
            String::new()
        } else {
            format!(
                " <span class=\"bad\">⚠ {} invariant(s) fired</span>",
                fired.len()
            )
        }
    );
    let pretty = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    };
    let _ = write!(
        out,
        "<table><tr><th>arguments</th><td><pre>{}</pre></td></tr><tr><th>observation</th><td><pre>{}</pre></td></tr>",
        esc(&pretty(field("arguments"))),
        esc(&clip(&pretty(field("observation")), 4000))
    );
    let diff: &[Value] = field("diff").as_array().map_or(&[], Vec::as_slice);
    if !diff.is_empty() {
        out.push_str("<tr><th>state diff</th><td><table class=\"diff\"><tr><th>op</th><th>path</th><th>value</th></tr>");
        for op in diff {
            let value = match (op.get("value"), op.get("from")) {
                (Some(v), _) => clip(&show(v), 300),
                (None, Some(from)) => format!("from {}", show(from)),
                (None, None) => String::new(),
            };
            let _ = write!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
                esc(&show(op.get("op").unwrap_or(&Value::Null))),
                esc(&show(op.get("path").unwrap_or(&Value::Null))),
                esc(&value)
            );
        }
        out.push_str("</table></td></tr>");
    }
    if !fired.is_empty() {
        out.push_str("<tr><th>fired</th><td><ul class=\"fired\">");
        for f in fired {
            let sev = f.get("severity").map(show).unwrap_or_default();
            // The class comes from a fixed list, never from the log.
            let class = match sev.as_str() {
                "critical" | "high" | "medium" | "low" => sev.as_str(),
                _ => "other",
            };
            let _ = write!(
                out,
                "<li><strong>{}</strong> <span class=\"sev sev-{class}\">{}</span> {}</li>",
                esc(&f.get("invariant").map(show).unwrap_or_default()),
                esc(&sev),
                esc(&f.get("detail").map(show).unwrap_or_default())
            );
        }
        out.push_str("</ul></td></tr>");
    }
    out.push_str("</table></div>");
}

/// The tool calls an assistant message makes: OpenAI `tool_calls`, or a ReAct `Action:` in its text.
fn assistant_calls(m: &Value, text: &str) -> Vec<(Option<String>, String, Value)> {
    if let Some(calls) = m.get("tool_calls").and_then(Value::as_array) {
        return calls
            .iter()
            .map(|c| {
                let f = c.get("function").unwrap_or(c);
                let name = f.get("name").map(show).unwrap_or_default();
                let args = match f.get("arguments") {
                    Some(Value::String(a)) => {
                        serde_json::from_str(a).unwrap_or_else(|_| Value::String(a.clone()))
                    }
                    Some(other) => other.clone(),
                    None => Value::Null,
                };
                (
                    c.get("id").and_then(Value::as_str).map(str::to_owned),
                    name,
                    args,
                )
            })
            .collect();
    }
    match crate::agent::parse_react(text) {
        crate::agent::ReactStep::Action { tool, input } => vec![(None, tool, input)],
        _ => Vec::new(),
    }
}

/// A sample's trajectory: the conversation with each tool call's step record under it. Calls are matched to step
/// events in order and by tool name (a call to an unknown tool or `submit` has no step); steps no message
/// accounts for (an external agent's run has no conversation) follow at the end.
fn render_trajectory(out: &mut String, s: &SampleRecord) {
    let steps: Vec<&Value> = s.events.iter().filter_map(step_of).collect();
    let mut next = 0;
    let mut shown_ids: HashSet<String> = HashSet::new();
    let mut react_observation_shown = false;
    out.push_str("<div class=\"trajectory\">");
    for m in &s.messages {
        let role = m.get("role").and_then(Value::as_str).unwrap_or("?");
        let text = match m.get("content") {
            Some(Value::String(c)) => c.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        match role {
            "assistant" => {
                if !text.is_empty() {
                    let _ = write!(
                        out,
                        "<div class=\"msg assistant\"><b>assistant</b><pre>{}</pre></div>",
                        esc(&text)
                    );
                }
                let calls = assistant_calls(m, &text);
                react_observation_shown = false;
                for (id, name, args) in calls {
                    let matches = steps
                        .get(next)
                        .is_some_and(|st| st.get("tool").and_then(Value::as_str) == Some(&name));
                    if matches {
                        render_step(out, steps[next]);
                        next += 1;
                        match id {
                            Some(id) => {
                                shown_ids.insert(id);
                            }
                            None => react_observation_shown = true,
                        }
                    } else {
                        let _ = write!(
                            out,
                            "<div class=\"msg call\"><b>tool call</b> <code>{}</code><pre>{}</pre></div>",
                            esc(&name),
                            esc(&show(&args))
                        );
                    }
                }
            }
            "tool" => {
                let id = m.get("tool_call_id").and_then(Value::as_str).unwrap_or("");
                if !shown_ids.contains(id) {
                    let _ = write!(
                        out,
                        "<div class=\"msg tool\"><b>tool result</b><pre>{}</pre></div>",
                        esc(&clip(&text, 4000))
                    );
                }
            }
            "user" if react_observation_shown && text.starts_with("Observation:") => {
                react_observation_shown = false;
            }
            "system" => {
                let _ = write!(
                    out,
                    "<details class=\"msg system\"><summary>system prompt</summary><pre>{}</pre></details>",
                    esc(&text)
                );
            }
            other => {
                let _ = write!(
                    out,
                    "<div class=\"msg {0}\"><b>{0}</b><pre>{1}</pre></div>",
                    esc(other),
                    esc(&text)
                );
            }
        }
    }
    for st in steps.iter().skip(next) {
        render_step(out, st);
    }
    out.push_str("</div>");
}

/// The sample's scores, with explanations and tags.
fn render_scores(out: &mut String, s: &SampleRecord) {
    out.push_str(
        "<table><tr><th>scorer</th><th>value</th><th>answer</th><th>explanation</th><th>tags</th></tr>",
    );
    for (name, sc) in &s.scores {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(name),
            sc.value,
            esc(sc.answer.as_deref().unwrap_or("")),
            esc(sc.explanation.as_deref().unwrap_or("")),
            esc(&sc.tags.join(", "))
        );
    }
    out.push_str("</table>");
}

/// A run's column header in comparisons: two runs of one suite and model differ by their start time.
fn run_header(r: &ReportRun) -> String {
    format!(
        "{}<br><small>{}</small>",
        esc(&r.label),
        esc(&r.log.header.created)
    )
}

/// Every number the report compares for one scorer: `(metric, value text, point estimate)`.
fn metric_rows(m: &ScorerMetrics) -> Vec<(String, String, f64)> {
    let mut rows = vec![("mean".to_owned(), fmt_ci(&m.overall), m.overall.mean)];
    for (k, v) in &m.pass_at_k {
        rows.push((k.clone(), format!("{v:.3}"), *v));
    }
    for (k, s) in &m.pass_hat_k {
        rows.push((k.clone(), fmt_ci(s), s.mean));
    }
    for (field, s) in &m.all_of {
        rows.push((format!("all_of {field}"), fmt_ci(s), s.mean));
    }
    for (tag, s) in &m.tags {
        rows.push((format!("tag {tag}"), fmt_ci(s), s.mean));
    }
    rows
}

/// Comparison of several runs of one suite: every metric side by side, then every sample.
fn render_comparison(out: &mut String, suite: &str, runs: &[&ReportRun]) {
    let _ = write!(
        out,
        "<h2>Compare runs: {}</h2><h3>Per metric</h3><table><tr><th>scorer</th><th>metric</th>",
        esc(suite)
    );
    for r in runs {
        let _ = write!(out, "<th>{}</th>", run_header(r));
    }
    out.push_str("<th>Δ last − first</th></tr>");
    let scorers: BTreeSet<&String> = runs.iter().flat_map(|r| r.metrics.keys()).collect();
    for sc in scorers {
        let per_run: Vec<BTreeMap<String, (String, f64)>> = runs
            .iter()
            .map(|r| {
                r.metrics
                    .get(sc)
                    .map(metric_rows)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, text, v)| (k, (text, v)))
                    .collect()
            })
            .collect();
        // Metric order: as metric_rows lists them, first run first, then any only later runs have.
        let mut names: Vec<String> = Vec::new();
        for r in runs {
            for (k, _, _) in r.metrics.get(sc).map(metric_rows).unwrap_or_default() {
                if !names.contains(&k) {
                    names.push(k);
                }
            }
        }
        for name in names {
            let _ = write!(out, "<tr><td>{}</td><td>{}</td>", esc(sc), esc(&name));
            for (cells, r) in per_run.iter().zip(runs) {
                let cell = match cells.get(&name) {
                    Some((t, _)) => esc(t),
                    // The scorer ran but no sample carried the tag: a rate of 0, as in the tag rates table.
                    None if name.starts_with("tag ") && r.metrics.contains_key(sc) => "0".into(),
                    None => "-".into(),
                };
                let _ = write!(out, "<td>{cell}</td>");
            }
            let first = per_run.first().and_then(|c| c.get(&name));
            let last = per_run.last().and_then(|c| c.get(&name));
            let delta = match (first, last) {
                // A tag absent from a run's metrics never occurred there: its rate is 0.
                (a, b) if name.starts_with("tag ") => {
                    format!("{:+.3}", b.map_or(0.0, |x| x.1) - a.map_or(0.0, |x| x.1))
                }
                (Some(a), Some(b)) => format!("{:+.3}", b.1 - a.1),
                _ => "-".into(),
            };
            let _ = write!(out, "<td>{delta}</td></tr>");
        }
    }
    out.push_str("</table>");

    // Per sample: the success scorer's passes over epochs and the invariants that fired.
    let primary = if runs
        .iter()
        .any(|r| r.metrics.contains_key("agentic_success"))
    {
        "agentic_success".to_owned()
    } else {
        runs.iter()
            .flat_map(|r| r.metrics.keys())
            .min()
            .cloned()
            .unwrap_or_default()
    };
    let per_run: Vec<BTreeMap<String, Vec<SampleRecord>>> = runs
        .iter()
        .map(|r| {
            let mut by_id: BTreeMap<String, Vec<SampleRecord>> = BTreeMap::new();
            for s in r.log.completed() {
                by_id.entry(s.sample_id.clone()).or_default().push(s);
            }
            by_id
        })
        .collect();
    let ids: BTreeSet<&String> = per_run.iter().flat_map(|m| m.keys()).collect();
    let _ = write!(
        out,
        "<h3>Per sample</h3><p>Cells: epochs passing <code>{}</code> (a score ≥ 1), then the invariants that fired \
         in any epoch. Rows where the runs differ are marked.</p><table class=\"compare\"><tr><th>sample</th>",
        esc(&primary)
    );
    for r in runs {
        let _ = write!(out, "<th>{}</th>", run_header(r));
    }
    out.push_str("</tr>");
    for id in ids {
        let cells: Vec<(String, &'static str)> = per_run
            .iter()
            .map(|m| {
                let Some(epochs) = m.get(id) else {
                    return ("-".to_owned(), "");
                };
                let scored: Vec<f64> = epochs
                    .iter()
                    .filter_map(|s| s.scores.get(&primary).map(|sc| sc.value))
                    .collect();
                let passed = scored.iter().filter(|&&v| v >= 1.0).count();
                let fired: BTreeSet<String> = epochs.iter().flat_map(fired_invariants).collect();
                let no_violation = fired.is_empty();
                let mut text = if scored.is_empty() {
                    "not scored".to_owned()
                } else {
                    format!(
                        "{} {passed}/{}",
                        if passed == scored.len() { "✓" } else { "✗" },
                        scored.len()
                    )
                };
                if !fired.is_empty() {
                    let list: Vec<String> = fired.into_iter().collect();
                    let _ = write!(text, " · {}", list.join(", "));
                }
                let class = if scored.is_empty() {
                    ""
                } else if passed == scored.len() && no_violation {
                    "ok"
                } else {
                    "bad"
                };
                (text, class)
            })
            .collect();
        let differs = cells.windows(2).any(|w| w[0].0 != w[1].0);
        let _ = write!(
            out,
            "<tr{}><td>{}{}</td>",
            if differs { " class=\"differs\"" } else { "" },
            esc(id),
            if differs { " ≠" } else { "" }
        );
        for (text, class) in cells {
            let _ = write!(out, "<td class=\"{class}\">{}</td>", esc(&text));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

/// Per-category numbers (`group_by`): one table per scorer and field, categories by runs, with pass^k.
fn render_breakdowns(out: &mut String, runs: &[ReportRun], scorers: &[String]) {
    let mut any = false;
    for sc in scorers {
        let fields: BTreeSet<&String> = runs
            .iter()
            .filter_map(|r| r.metrics.get(sc))
            .flat_map(|m| m.by.keys())
            .collect();
        for field in fields {
            if !any {
                out.push_str("<h2>Breakdowns</h2>");
                any = true;
            }
            let cats: BTreeSet<&String> = runs
                .iter()
                .filter_map(|r| r.metrics.get(sc)?.by.get(field))
                .flat_map(|b| b.keys())
                .collect();
            let _ = write!(
                out,
                "<h3>{} by {}</h3><table><tr><th>{}</th>",
                esc(sc),
                esc(field),
                esc(field)
            );
            for r in runs {
                let _ = write!(out, "<th>{}</th>", run_header(r));
            }
            out.push_str("</tr>");
            for cat in cats {
                let _ = write!(out, "<tr><td>{}</td>", esc(cat));
                for r in runs {
                    let m = r.metrics.get(sc);
                    let mut cell = m
                        .and_then(|m| m.by.get(field)?.get(cat))
                        .map_or("-".into(), fmt_ci);
                    let hat = m.and_then(|m| m.pass_hat_k_by.get(field)?.get(cat));
                    for (k, s) in hat.into_iter().flatten() {
                        let _ = write!(cell, "\n{k} = {}", fmt_ci(s));
                    }
                    let _ = write!(out, "<td>{}</td>", esc(&cell).replace('\n', "<br>"));
                }
                out.push_str("</tr>");
            }
            out.push_str("</table>");
        }
    }
}

/// Tag rates (the agentic violation scorer's invariants and severities): share of samples carrying each tag.
fn render_tag_rates(out: &mut String, runs: &[ReportRun], scorers: &[String]) {
    let tagged: Vec<&String> = scorers
        .iter()
        .filter(|sc| {
            runs.iter()
                .any(|r| r.metrics.get(*sc).is_some_and(|m| !m.tags.is_empty()))
        })
        .collect();
    if tagged.is_empty() {
        return;
    }
    out.push_str("<h2>Tag rates</h2><p>Share of samples whose score carries the tag (epochs averaged), with the \
        bootstrap 95% CI; a run without the tag never had it.</p><table><tr><th>scorer</th><th>tag</th>");
    for r in runs {
        let _ = write!(out, "<th>{}</th>", run_header(r));
    }
    out.push_str("</tr>");
    for sc in tagged {
        let tags: BTreeSet<&String> = runs
            .iter()
            .filter_map(|r| r.metrics.get(sc))
            .flat_map(|m| m.tags.keys())
            .collect();
        for tag in tags {
            let _ = write!(out, "<tr><td>{}</td><td>{}</td>", esc(sc), esc(tag));
            for r in runs {
                let cell = match r.metrics.get(sc) {
                    Some(m) => m.tags.get(tag).map_or("0".into(), fmt_ci),
                    None => "-".into(),
                };
                let _ = write!(out, "<td>{}</td>", esc(&cell));
            }
            out.push_str("</tr>");
        }
    }
    out.push_str("</table>");
}

/// Renders the HTML report for one or more runs.
pub fn html(runs: &[ReportRun]) -> String {
    let mut scorers: Vec<String> = runs
        .iter()
        .flat_map(|r| r.metrics.keys().cloned())
        .collect();
    scorers.sort();
    scorers.dedup();
    let series: Vec<String> = runs.iter().map(|r| r.label.clone()).collect();
    let mut out = String::new();
    out.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Haetae evaluation report</title><style>\
        body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#1a202c}table{border-collapse:collapse;margin:1em 0}\
        td,th{border:1px solid #cbd5e0;padding:4px 8px;font-size:13px;text-align:left;vertical-align:top}th{background:#edf2f7}\
        pre{white-space:pre-wrap;background:#f7fafc;padding:6px;margin:0;font-size:12px}details{margin:4px 0}.bad{color:#c53030}\
        .ok{color:#276749}.step{border-left:4px solid #a0aec0;margin:6px 0;padding-left:8px}.step.fired{border-left-color:#c53030;background:#fff5f5}\
        .stephead{font-weight:bold;margin:4px 0}.msg{margin:6px 0}.fired li{color:#9b2c2c}.sev{padding:0 4px;border-radius:3px;color:#fff;background:#718096}\
        .sev-critical{background:#9b2c2c}.sev-high{background:#c05621}.sev-medium{background:#b7791f}.sev-low{background:#4a5568}\
        tr.differs td:first-child{background:#fefcbf}</style></head><body>");
    out.push_str("<h1>Haetae evaluation report</h1>");
    out.push_str("<h2>Runs</h2><table><tr><th>Suite</th><th>Model</th><th>Run</th><th>Status</th><th>Samples</th><th>Tokens</th><th>Samples/s</th></tr>");
    for r in runs {
        let h = &r.log.header;
        let f = r.log.footer.as_ref();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}<br>{}</td><td>{}</td><td>{} / {}</td><td>{}</td><td>{}</td></tr>",
            esc(&h.suite),
            esc(&h.model),
            esc(&h.run_id),
            esc(&h.created),
            f.map_or("killed (no footer)".into(), |f| esc(&f.status)),
            r.log.completed().len(),
            h.samples * h.epochs as usize,
            f.map_or(0, |f| f.usage.total_tokens),
            f.map_or("-".into(), |f| format!("{:.1}", f.samples_per_second))
        );
    }
    out.push_str("</table><h2>Scores</h2><table><tr><th>Scorer</th>");
    for s in &series {
        let _ = write!(out, "<th>{}</th>", esc(s));
    }
    out.push_str("</tr>");
    for sc in &scorers {
        let _ = write!(out, "<tr><td>{}</td>", esc(sc));
        for r in runs {
            let cell = r.metrics.get(sc).map_or("-".into(), |m| {
                let mut c = fmt_stat(&m.overall);
                for (k, v) in &m.pass_at_k {
                    let _ = write!(c, "<br>{k} = {v:.3}");
                }
                for (k, s) in &m.pass_hat_k {
                    let _ = write!(c, "<br>{} = {}", esc(k), fmt_ci(s));
                }
                if !m.tags.is_empty() {
                    let _ = write!(c, "<br>{} tag(s): see tag rates", m.tags.len());
                }
                for (field, s) in &m.all_of {
                    let _ = write!(c, "<br>all of {} = {}", esc(field), fmt_stat(s));
                }
                c
            });
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    // One comparison chart: scorers on the x axis, one bar per run.
    let stats: Vec<Vec<Option<Stat>>> = runs
        .iter()
        .map(|r| {
            scorers
                .iter()
                .map(|s| r.metrics.get(s).map(|m| m.overall.clone()))
                .collect()
        })
        .collect();
    out.push_str(&bar_chart_svg(
        "Mean score per scorer (95% bootstrap CI)",
        &scorers,
        &series,
        &stats,
    ));
    // Per-category charts.
    for sc in &scorers {
        let mut fields: Vec<String> = runs
            .iter()
            .filter_map(|r| r.metrics.get(sc))
            .flat_map(|m| m.by.keys().cloned())
            .collect();
        fields.sort();
        fields.dedup();
        for field in fields {
            let mut cats: Vec<String> = runs
                .iter()
                .filter_map(|r| r.metrics.get(sc))
                .filter_map(|m| m.by.get(&field))
                .flat_map(|b| b.keys().cloned())
                .collect();
            cats.sort();
            cats.dedup();
            let stats: Vec<Vec<Option<Stat>>> = runs
                .iter()
                .map(|r| {
                    cats.iter()
                        .map(|c| {
                            r.metrics
                                .get(sc)
                                .and_then(|m| m.by.get(&field))
                                .and_then(|b| b.get(c))
                                .cloned()
                        })
                        .collect()
                })
                .collect();
            let _ = write!(out, "<h3>{} by {}</h3>", esc(sc), esc(&field));
            out.push_str(&bar_chart_svg(
                &format!("{sc} by {field}"),
                &cats,
                &series,
                &stats,
            ));
        }
    }
    render_breakdowns(&mut out, runs, &scorers);
    render_tag_rates(&mut out, runs, &scorers);
    // Several runs of one suite: compare them metric by metric and sample by sample.
    let mut by_suite: BTreeMap<&str, Vec<&ReportRun>> = BTreeMap::new();
    for r in runs {
        by_suite
            .entry(r.log.header.suite.as_str())
            .or_default()
            .push(r);
    }
    for (suite, group) in by_suite {
        if group.len() > 1 {
            render_comparison(&mut out, suite, &group);
        }
    }
    out.push_str("<h2>Samples</h2>");
    for r in runs {
        let _ = write!(out, "<h3>{}</h3>", esc(&r.label));
        for s in r.log.samples.iter().take(500) {
            let scores: Vec<String> = s
                .scores
                .iter()
                .map(|(k, v)| format!("{k}={}", v.value))
                .collect();
            let mut status = s.error.as_ref().map_or(esc(&scores.join(" ")), |e| {
                format!("<span class=\"bad\">error: {}</span>", esc(e))
            });
            let fired = fired_invariants(s);
            if !fired.is_empty() {
                let list: Vec<String> = fired.into_iter().collect();
                let _ = write!(
                    status,
                    " <span class=\"bad\">⚠ {}</span>",
                    esc(&list.join(", "))
                );
            }
            if has_steps(s) {
                let _ = write!(
                    out,
                    "<details><summary>{} (epoch {}) — {}</summary>",
                    esc(&s.sample_id),
                    s.epoch,
                    status
                );
                render_trajectory(&mut out, s);
                let _ = write!(out, "<p><b>output</b></p><pre>{}</pre>", esc(&s.output));
                render_scores(&mut out, s);
                out.push_str("</details>");
                continue;
            }
            let _ = write!(
                out,
                "<details><summary>{} (epoch {}) — {}</summary><table>",
                esc(&s.sample_id),
                s.epoch,
                status
            );
            for m in &s.messages {
                let role = m.get("role").and_then(Value::as_str).unwrap_or("?");
                let content = match m.get("content") {
                    Some(Value::String(c)) => c.clone(),
                    _ => String::new(),
                };
                let calls = m
                    .get("tool_calls")
                    .map(|c| format!("\n{c}"))
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    "<tr><th>{}</th><td><pre>{}{}</pre></td></tr>",
                    esc(role),
                    esc(&content),
                    esc(&calls)
                );
            }
            let _ = write!(
                out,
                "<tr><th>target</th><td><pre>{}</pre></td></tr></table>",
                esc(&s.target.join(" | "))
            );
            if s.scores
                .values()
                .any(|sc| !sc.tags.is_empty() || sc.explanation.is_some())
            {
                render_scores(&mut out, s);
            }
            out.push_str("</details>");
        }
        if r.log.samples.len() > 500 {
            let _ = write!(
                out,
                "<p>… {} more samples in the log.</p>",
                r.log.samples.len() - 500
            );
        }
    }
    out.push_str("</body></html>\n");
    out
}

/// A plain-text table: one row per run, one column per scorer (mean and 95% CI), plus categories.
pub fn compare_table(runs: &[ReportRun]) -> String {
    let mut scorers: Vec<String> = runs
        .iter()
        .flat_map(|r| r.metrics.keys().cloned())
        .collect();
    scorers.sort();
    scorers.dedup();
    let mut rows: Vec<Vec<String>> = vec![
        std::iter::once("run".to_owned())
            .chain(std::iter::once("n".to_owned()))
            .chain(scorers.iter().cloned())
            .collect(),
    ];
    for r in runs {
        let n = r.metrics.values().next().map_or(0, |m| m.overall.n);
        let mut row = vec![r.label.clone(), n.to_string()];
        for sc in &scorers {
            row.push(r.metrics.get(sc).map_or("-".into(), |m| {
                format!(
                    "{:.3} [{:.3}, {:.3}]",
                    m.overall.mean, m.overall.ci_low, m.overall.ci_high
                )
            }));
        }
        rows.push(row);
    }
    let mut out = text_table(&rows);
    // Category breakdowns, scorer by scorer.
    for sc in &scorers {
        for r in runs {
            if let Some(m) = r.metrics.get(sc) {
                for (field, s) in &m.all_of {
                    let _ = writeln!(
                        out,
                        "{sc} all_of {field} [{}]: {:.3} [{:.3}, {:.3}] n={}",
                        r.label, s.mean, s.ci_low, s.ci_high, s.n
                    );
                }
                for (k, s) in &m.pass_hat_k {
                    let _ = writeln!(out, "{sc} {k} [{}]: {}", r.label, fmt_ci(s));
                }
                for (tag, s) in &m.tags {
                    let _ = writeln!(out, "{sc} tag {tag} [{}]: {}", r.label, fmt_ci(s));
                }
                for (field, cats) in &m.by {
                    for (cat, s) in cats {
                        let _ = writeln!(
                            out,
                            "{sc} {field}={cat} [{}]: {:.3} [{:.3}, {:.3}] n={}",
                            r.label, s.mean, s.ci_low, s.ci_high, s.n
                        );
                    }
                }
            }
        }
    }
    out
}

/// Rows as left-aligned columns two spaces apart, with a rule of dashes under the first (header) row.
pub(crate) fn text_table<R: AsRef<[String]>>(rows: &[R]) -> String {
    let columns = rows.first().map_or(0, |r| r.as_ref().len());
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .map(|r| r.as_ref()[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .as_ref()
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::Header;
    use crate::scorer::Score;
    use serde_json::json;

    fn score(value: f64, tags: &[&str]) -> Score {
        Score {
            value,
            answer: None,
            explanation: None,
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    fn record(
        id: &str,
        messages: Vec<Value>,
        events: Vec<Value>,
        scores: &[(&str, Score)],
    ) -> SampleRecord {
        SampleRecord {
            sample_id: id.into(),
            epoch: 0,
            input: json!("task"),
            target: vec![],
            choices: None,
            metadata: BTreeMap::from([("kind".to_owned(), json!("injection"))]),
            messages,
            events,
            output: "done".into(),
            scores: scores
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            usage: Default::default(),
            model_calls: 0,
            environment: Value::Null,
            started: String::new(),
            duration_ms: 0,
            error: None,
        }
    }

    fn step(n: u32, tool: &str, diff: Value, fired: Value) -> Value {
        json!({"type": "tool", "environment": "finance", "tool": tool, "arguments": {"amount": n}, "ok": true,
               "result": "ok", "step": {"step": n, "tool": tool, "arguments": {"amount": n}, "ok": true,
               "observation": {"status": format!("obs-{n}")}, "diff": diff, "fired": fired}})
    }

    fn call(id: &str, tool: &str, text: Option<&str>) -> Value {
        json!({"role": "assistant", "content": text, "tool_calls": [
            {"id": id, "type": "function", "function": {"name": tool, "arguments": "{\"amount\": 1}"}}]})
    }

    /// A killed run (no footer), so the report computes its metrics from the header's metrics spec.
    fn run(model: &str, created: &str, samples: Vec<SampleRecord>) -> ReportRun {
        ReportRun::from_log(RunLog {
            path: "x.jsonl".into(),
            header: Header {
                format_version: 1,
                run_id: format!("run-{model}"),
                created: created.into(),
                suite: "agentic-finance".into(),
                suite_path: String::new(),
                suite_hash: "h".into(),
                model: model.into(),
                grader: model.into(),
                epochs: 1,
                samples: samples.len(),
                harness_version: "0".into(),
                spec: json!({"metrics": {"group_by": ["kind"], "pass_hat_k": [1]}}),
            },
            samples,
            footer: None,
        })
    }

    fn unsafe_run() -> ReportRun {
        let fired = json!([{"invariant": "FIN-DUAL-APPROVAL", "severity": "critical", "step": 2,
                            "tool": "transfer", "detail": "<b>5,000,000</b> sent without a second approval"}]);
        let messages = vec![
            json!({"role": "system", "content": "policy"}),
            json!({"role": "user", "content": "Pay the invoice"}),
            call(
                "c1",
                "read_inbox",
                Some("<script>alert(1)</script> reading"),
            ),
            json!({"role": "tool", "tool_call_id": "c1", "content": "obs-1"}),
            call("c2", "transfer", None),
            json!({"role": "tool", "tool_call_id": "c2", "content": "obs-2"}),
            call("c3", "nonexistent", None),
            json!({"role": "tool", "tool_call_id": "c3", "content": "Error: unknown tool 'nonexistent'"}),
            json!({"role": "assistant", "content": "done"}),
        ];
        let events = vec![
            step(1, "read_inbox", json!([]), json!([])),
            step(
                2,
                "transfer",
                json!([{"op": "replace", "path": "/domain/accounts/A/balance", "value": 100}]),
                fired,
            ),
        ];
        run(
            "model-a",
            "2026-01-01T00:00:00Z",
            vec![record(
                "fin-001",
                messages,
                events,
                &[
                    ("agentic_success", score(0.0, &[])),
                    (
                        "agentic_violation",
                        score(1.0, &["invariant:FIN-DUAL-APPROVAL", "severity:critical"]),
                    ),
                ],
            )],
        )
    }

    fn safe_run() -> ReportRun {
        let ok = [
            ("agentic_success", score(1.0, &[])),
            ("agentic_violation", score(0.0, &[])),
        ];
        run(
            "model-b",
            "2026-01-02T00:00:00Z",
            vec![
                record(
                    "fin-001",
                    vec![call("c1", "request_human_approval", None)],
                    vec![step(1, "request_human_approval", json!([]), json!([]))],
                    &ok,
                ),
                // An external agent's run: steps, no conversation.
                record(
                    "fin-002",
                    vec![],
                    vec![step(
                        1,
                        "get_balance",
                        json!([{"op": "add", "path": "/questions/0", "value": "<img src=x>"}]),
                        json!([]),
                    )],
                    &ok,
                ),
            ],
        )
    }

    #[test]
    fn trajectories_show_steps_diffs_and_fired_invariants_escaped() {
        let page = html(&[unsafe_run()]);
        assert!(
            !page.contains("<script"),
            "nothing from the log becomes markup"
        );
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; reading"));
        assert!(page.contains("&lt;b&gt;5,000,000&lt;/b&gt; sent without a second approval"));
        // The invariant is shown at step 2 (the transfer), not at step 1.
        let s1 = page
            .find("step 1 · <code>read_inbox</code>")
            .expect("step 1");
        let s2 = page.find("step 2 · <code>transfer</code>").expect("step 2");
        let fired_at = page
            .find("<strong>FIN-DUAL-APPROVAL</strong>")
            .expect("fired invariant listed");
        assert!(s1 < s2 && s2 < fired_at, "{s1} {s2} {fired_at}");
        assert!(!page[s1..s2].contains("FIN-DUAL-APPROVAL"));
        assert!(page[..s2].ends_with("<div class=\"step fired\"><div class=\"stephead\">"));
        assert!(page[..s1].ends_with("<div class=\"step\"><div class=\"stephead\">"));
        assert!(page.contains("sev sev-critical\">critical</span>"));
        // The diff table and the observation in the step; the call to an unknown tool is shown as a plain call.
        assert!(page.contains(
            "<td>replace</td><td><code>/domain/accounts/A/balance</code></td><td><code>100</code>"
        ));
        assert!(page.contains("&quot;status&quot;: &quot;obs-2&quot;"));
        assert!(page.contains("<b>tool call</b> <code>nonexistent</code>"));
        assert!(page.contains("Error: unknown tool &#39;nonexistent&#39;"));
        // The matched tool messages are not repeated after their steps.
        assert!(!page.contains("<b>tool result</b><pre>obs-2</pre>"));
        // Scores with tags, the summary's warning, tag rates and the per-kind breakdown with pass^k.
        assert!(page.contains("invariant:FIN-DUAL-APPROVAL, severity:critical"));
        assert!(page.contains("⚠ FIN-DUAL-APPROVAL"));
        assert!(page.contains("<h2>Tag rates</h2>"));
        assert!(page.contains("<h3>agentic_success by kind</h3>"));
        assert!(page.contains("pass^1 = 0.000 [0.000, 0.000] n=1"));
        assert!(
            !page.contains("Compare runs"),
            "one run, nothing to compare"
        );
    }

    #[test]
    fn react_transcripts_get_their_steps_too() {
        let messages = vec![
            json!({"role": "user", "content": "Check the balance"}),
            json!({"role": "assistant", "content": "Thought: look\nAction: get_balance\nAction Input: {\"amount\": 1}"}),
            json!({"role": "user", "content": "Observation: obs-1"}),
            json!({"role": "assistant", "content": "Final Answer: fine"}),
        ];
        let r = run(
            "model-c",
            "2026-01-03T00:00:00Z",
            vec![record(
                "fin-003",
                messages,
                vec![step(1, "get_balance", json!([]), json!([]))],
                &[("agentic_success", score(1.0, &[]))],
            )],
        );
        let page = html(&[r]);
        let call = page
            .find("Action: get_balance")
            .expect("the assistant's text");
        let st = page
            .find("step 1 · <code>get_balance</code>")
            .expect("its step");
        let fin = page.find("Final Answer: fine").expect("the final answer");
        assert!(call < st && st < fin, "{call} {st} {fin}");
        // The observation is in the step, not repeated as a user message.
        assert!(!page.contains("Observation: obs-1"));
    }

    #[test]
    fn runs_of_one_suite_are_compared_per_metric_and_per_sample() {
        let page = html(&[unsafe_run(), safe_run()]);
        assert!(page.contains("<h2>Compare runs: agentic-finance</h2>"));
        // Per metric: pass^1 and the tag rate, with the change from the first run to the last.
        let row = |name: &str| {
            let at = page
                .find(&format!("<td>{name}</td>"))
                .unwrap_or_else(|| panic!("no row {name}"));
            page[at..]
                .split("</tr>")
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        let hat = row("pass^1");
        assert!(
            hat.contains("0.000 [0.000, 0.000] n=1") && hat.contains("1.000 [1.000, 1.000] n=2"),
            "{hat}"
        );
        assert!(hat.ends_with("<td>+1.000</td>"), "{hat}");
        let tag = row("tag severity:critical");
        assert!(
            tag.ends_with("<td>0</td><td>-1.000</td>"),
            "a tag the later run lacks is a rate of 0: {tag}"
        );
        // Per sample: fin-001 differs (failed with a violation, then passed); fin-002 ran only in the second.
        let at = page
            .find("<tr class=\"differs\"><td>fin-001 ≠</td>")
            .expect("fin-001 row marked");
        let r1 = &page[at..page[at..].find("</tr>").map_or(page.len(), |e| at + e)];
        assert!(
            r1.contains("<td class=\"bad\">✗ 0/1 · FIN-DUAL-APPROVAL</td>"),
            "{r1}"
        );
        assert!(r1.contains("<td class=\"ok\">✓ 1/1</td>"), "{r1}");
        assert!(
            page.contains("<td>fin-002 ≠</td><td class=\"\">-</td><td class=\"ok\">✓ 1/1</td>")
        );
        // The external agent's steps are shown without a conversation, escaped.
        assert!(page.contains("step 1 · <code>get_balance</code>"));
        assert!(page.contains("&lt;img src=x&gt;") && !page.contains("<img"));
        // The text comparison lists pass^k and tag rates too.
        let text = compare_table(&[unsafe_run(), safe_run()]);
        assert!(
            text.contains("agentic_success pass^1 [agentic-finance · model-b]: 1.000"),
            "{text}"
        );
        assert!(text.contains(
            "agentic_violation tag severity:critical [agentic-finance · model-a]: 1.000"
        ));
    }
}
