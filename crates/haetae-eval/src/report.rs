//! Reports from run logs: a self-contained HTML page with inline SVG plots (per-scorer comparison of runs and
//! per-category breakdowns, with 95% CI error bars), and a plain-text comparison table.

use std::fmt::Write as _;

use serde_json::Value;

use crate::log::RunLog;
use crate::metrics::{self, MetricsSpec, RunMetrics, Stat};

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
        pre{white-space:pre-wrap;background:#f7fafc;padding:6px;margin:0;font-size:12px}details{margin:4px 0}.bad{color:#c53030}</style></head><body>");
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
    out.push_str("<h2>Samples</h2>");
    for r in runs {
        let _ = write!(out, "<h3>{}</h3>", esc(&r.label));
        for s in r.log.samples.iter().take(500) {
            let scores: Vec<String> = s
                .scores
                .iter()
                .map(|(k, v)| format!("{k}={}", v.value))
                .collect();
            let status = s.error.as_ref().map_or(scores.join(" "), |e| {
                format!("<span class=\"bad\">error: {}</span>", esc(e))
            });
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
                "<tr><th>target</th><td><pre>{}</pre></td></tr></table></details>",
                esc(&s.target.join(" | "))
            );
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
