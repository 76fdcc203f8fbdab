//! Usage: requests and tokens over time (a chart drawn on the server) and by organisation, model and use-case
//! for operators; the same for an owner's own organisation only, by member instead of organisation, decided by
//! the member API's `view_usage` policy.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use haetae_meter::usage::{GroupBy, ReportRow, UsageCounts};
use haetae_policy::Action;
use haetae_store::{Page, Store, UsageGroups, UsageQuery};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::actions::{authorise_owner, owner_principal};
use crate::chart::{bar_chart, day_string, parse_day};
use crate::i18n::message;
use crate::pages::{Ext, Result, operator, owner};
use crate::{Console, ConsoleError, Ctx, render};

/// The range shown when the visitor picks none: the last 30 days, today included.
const DEFAULT_DAYS: i64 = 30;
/// The longest range one page draws (a bar a day).
const MAX_DAYS: i64 = 366;
/// Rows of the by-organisation (or by-member) table, largest first; the total counts every row.
const TOP_ROWS: u32 = 20;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/usage", get(usage))
        .route("/org/usage", get(own_usage))
}

#[derive(Deserialize)]
struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
    org: Option<String>,
}

/// The days asked for, or the default range ending today; refuses a malformed day or a range too long to draw.
fn range(console: &Console, from: Option<&str>, to: Option<&str>) -> Result<(i64, i64)> {
    let day = |s: Option<&str>| -> Result<Option<i64>> {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => parse_day(s)
                .map(Some)
                .ok_or_else(|| ConsoleError::Invalid(format!("'{s}' is not a day (YYYY-MM-DD)"))),
        }
    };
    let today = console.now_unix().div_euclid(86_400);
    let to = day(to)?.unwrap_or(today);
    let from = day(from)?.unwrap_or(to - (DEFAULT_DAYS - 1));
    if from > to || to - from >= MAX_DAYS {
        return Err(ConsoleError::Invalid(format!(
            "the range runs from its first day to its last, at most {MAX_DAYS} days"
        )));
    }
    Ok((from, to))
}

fn row_json(label: &str, href: Option<String>, r: &ReportRow) -> Value {
    json!({
        "label": label, "href": href, "requests": r.requests, "prompt_tokens": r.prompt_tokens,
        "completion_tokens": r.completion_tokens, "total_tokens": r.total_tokens,
    })
}

/// The page's sums, each computed by the database: a page never reads the usage rows themselves, so it
/// costs the same however many keys were used. Three queries: by day, by organisation (or member), and by model
/// and use-case together (split here). Over the whole programme the store sums per-day rollups; for one
/// organisation, its own rows (found by index).
struct Figures {
    by_day: Vec<ReportRow>,
    /// The largest `TOP_ROWS` organisations (or members), and how many there are.
    by_who: UsageGroups,
    by_model: Vec<ReportRow>,
    by_use_case: Vec<ReportRow>,
}

/// Largest by requests first (ties in group order).
fn largest_first(mut rows: Vec<ReportRow>) -> Vec<ReportRow> {
    rows.sort_by(|a, b| b.requests.cmp(&a.requests).then(a.group.cmp(&b.group)));
    rows
}

/// Rows grouped by several columns summed again by the one at `at`: the rows grouping by that column alone
/// would give, in group order.
fn regroup(rows: &[ReportRow], at: usize) -> Vec<ReportRow> {
    let mut sums: BTreeMap<&str, UsageCounts> = BTreeMap::new();
    for r in rows {
        let key = r.group.get(at).map_or("", String::as_str);
        sums.entry(key).or_default().add(&r.counts());
    }
    sums.into_iter()
        .map(|(key, c)| ReportRow::new(vec![key.to_string()], &c))
        .collect()
}

async fn figures(store: &Store, query: &UsageQuery, who: GroupBy) -> Result<Figures> {
    let mix = store
        .usage_grouped(query, &[GroupBy::Model, GroupBy::UseCase], None)
        .await?
        .rows;
    Ok(Figures {
        by_day: store
            .usage_grouped(query, &[GroupBy::Day], None)
            .await?
            .rows,
        by_who: store.usage_grouped(query, &[who], Some(TOP_ROWS)).await?,
        by_model: largest_first(regroup(&mix, 0)),
        by_use_case: largest_first(regroup(&mix, 1)),
    })
}

/// The page's figures: the daily series (every day of the range, zero where nothing was used), its chart, and
/// the tables by model, use-case and `who` (organisation or member, named by `name`).
fn usage_data(
    ctx: &Ctx,
    figures: &Figures,
    (from, to): (i64, i64),
    name: &dyn Fn(&str) -> (String, Option<String>),
) -> Value {
    let by_day: BTreeMap<&str, &ReportRow> = figures
        .by_day
        .iter()
        .filter_map(|r| r.group.first().map(|d| (d.as_str(), r)))
        .collect();
    let days: Vec<(String, u64, u64)> = (from..=to)
        .map(|d| {
            let day = day_string(d);
            let (req, tok) = by_day
                .get(day.as_str())
                .map_or((0, 0), |r| (r.requests, r.total_tokens));
            (day, req, tok)
        })
        .collect();
    // Every usage row of the range is on one of its days, so the days add up to the total.
    let mut sum = UsageCounts::default();
    for r in &figures.by_day {
        sum.add(&r.counts());
    }
    let total = ReportRow::new(Vec::new(), &sum);
    let busiest = days.iter().max_by_key(|(_, r, _)| *r);
    let lang = ctx.lang;
    let desc = format!(
        "{} {}: {}. {}: {}",
        message(lang, "total"),
        message(lang, "requests").to_lowercase(),
        total.requests,
        message(lang, "busiest_day"),
        busiest.map_or_else(String::new, |(d, r, _)| format!("{d} ({r})")),
    );
    let requests_chart = bar_chart(
        "chart-requests",
        message(lang, "requests_per_day"),
        &desc,
        &days
            .iter()
            .map(|(d, r, _)| (d.clone(), *r))
            .collect::<Vec<_>>(),
    );
    let tokens_chart = bar_chart(
        "chart-tokens",
        message(lang, "tokens_per_day"),
        &format!(
            "{} {}: {}",
            message(lang, "total"),
            message(lang, "tokens").to_lowercase(),
            total.total_tokens
        ),
        &days
            .iter()
            .map(|(d, _, t)| (d.clone(), *t))
            .collect::<Vec<_>>(),
    );
    let table = |rows: &[ReportRow], all: u64, named: bool| {
        let rows: Vec<Value> = rows
            .iter()
            .map(|r| {
                let key = r.group.first().map(String::as_str).unwrap_or("");
                let (label, href) = if named {
                    name(key)
                } else {
                    (key.to_string(), None)
                };
                row_json(&label, href, r)
            })
            .collect();
        json!({"rows": rows, "all": all})
    };
    json!({
        "from": day_string(from),
        "to": day_string(to),
        "days": days.iter().map(|(d, r, t)| json!({"day": d, "requests": r, "tokens": t})).collect::<Vec<_>>(),
        "requests_chart": requests_chart,
        "tokens_chart": tokens_chart,
        "total": row_json("", None, &total),
        "by_who": table(&figures.by_who.rows, figures.by_who.groups, true),
        "by_model": table(&figures.by_model, figures.by_model.len() as u64, false),
        "by_use_case": table(&figures.by_use_case, figures.by_use_case.len() as u64, false),
    })
}

async fn usage(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Query(q): Query<RangeQuery>,
) -> Result<Response> {
    operator(&ctx)?;
    let days = range(&console, q.from.as_deref(), q.to.as_deref())?;
    let state = &console.0.gateway;
    // What the gateway has counted but not yet written belongs on the page too (as in the admin API's report).
    haetae_gateway::flush_usage(state).await;
    let store = &state.store;
    let org = match q.org.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        Some(o) => Some(store.get_org(o).await?),
        None => None,
    };
    let query = UsageQuery {
        from: Some(day_string(days.0)),
        to: Some(day_string(days.1)),
        org: org.as_ref().map(|o| o.id.clone()),
    };
    let figures = figures(store, &query, GroupBy::Org).await?;
    // Names for the organisations the table shows (at most TOP_ROWS, in one query).
    let ids: Vec<&str> = figures
        .by_who
        .rows
        .iter()
        .filter_map(|r| r.group.first().map(String::as_str))
        .collect();
    let names = store.org_names(&ids).await?;
    let base = crate::BASE;
    let name = |id: &str| {
        (
            names.get(id).cloned().unwrap_or_else(|| id.to_string()),
            Some(format!("{base}/orgs/{id}")),
        )
    };
    let mut data = usage_data(&ctx, &figures, days, &name);
    data["action"] = json!(format!("{base}/usage"));
    data["org"] = json!(org.map(|o| json!({"id": o.id, "name": o.name})));
    data["who_heading"] = json!("usage_by_org");
    render::page(&console, &ctx, "usage.html", data)
}

/// An owner's usage: their organisation's only (from the session), if the policy lets them see it.
async fn own_usage(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Query(q): Query<RangeQuery>,
) -> Result<Response> {
    let (_, org_id) = owner(&ctx)?;
    let days = range(&console, q.from.as_deref(), q.to.as_deref())?;
    let p = owner_principal(&console, &ctx).await?;
    authorise_owner(&console, &p, Action::ViewUsage, "usage.view").await?;
    let state = &console.0.gateway;
    haetae_gateway::flush_usage(state).await;
    let store = &state.store;
    let query = UsageQuery {
        from: Some(day_string(days.0)),
        to: Some(day_string(days.1)),
        org: Some(org_id.to_string()),
    };
    let figures = figures(store, &query, GroupBy::Member).await?;
    let members = store
        .list_members(org_id, &Page::first(Page::MAX_LIMIT))
        .await?;
    let names: BTreeMap<&str, &str> = members
        .data
        .iter()
        .map(|m| (m.id.as_str(), m.identity.as_str()))
        .collect();
    let name = |id: &str| (names.get(id).copied().unwrap_or(id).to_string(), None);
    let mut data = usage_data(&ctx, &figures, days, &name);
    data["action"] = json!(format!("{}/org/usage", crate::BASE));
    data["org"] = json!({"id": p.org.id, "name": p.org.name});
    data["own"] = json!(true);
    data["who_heading"] = json!("usage_by_member");
    render::page(&console, &ctx, "usage.html", data)
}

#[cfg(test)]
mod tests {
    use haetae_meter::usage::{GroupBy, UsageRecord, UsageReport};

    use super::regroup;

    #[test]
    fn model_and_use_case_split_as_their_own_groupings() {
        let mut records = Vec::new();
        for (i, (model, use_case)) in [
            ("gpt-sec", "malware-analysis"),
            ("gpt-sec", "vuln-research"),
            ("ko-llama", "malware-analysis"),
            ("gpt-sec", "malware-analysis"),
            ("ko-llama", "incident-response"),
        ]
        .into_iter()
        .enumerate()
        {
            records.push(UsageRecord::request(
                "org",
                "m",
                format!("k{i}"),
                model,
                use_case,
                1_790_000_000_000,
                100 + i as u64,
                7 * i as u64,
            ));
        }
        let both = UsageReport::build(&records, &[GroupBy::Model, GroupBy::UseCase]).rows;
        assert_eq!(
            regroup(&both, 0),
            UsageReport::build(&records, &[GroupBy::Model]).rows
        );
        assert_eq!(
            regroup(&both, 1),
            UsageReport::build(&records, &[GroupBy::UseCase]).rows
        );
    }
}
