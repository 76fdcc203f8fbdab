//! Usage accounting: per-day usage records, an in-memory aggregator the gateway flushes
//! periodically to its store, and report rendering for `haetae usage report`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::clock::calendar;

/// Identity of one usage row: who used which model for what, on which UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UsageKey {
    /// Organisation id.
    pub org_id: String,
    /// Member id (the key's holder).
    pub member_id: String,
    /// API key public id.
    pub key_id: String,
    /// Model id as served.
    pub model: String,
    /// Use-case (declared or classified, as the gateway decides; e.g. `malware-analysis`).
    pub use_case: String,
    /// UTC day, `YYYY-MM-DD`.
    pub day: String,
}

/// Counts accumulated under a [`UsageKey`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageCounts {
    /// Requests served.
    pub requests: u64,
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// Completion tokens.
    pub completion_tokens: u64,
}

impl UsageCounts {
    /// Adds `o`, saturating (a corrupt or adversarial row cannot wrap a sum).
    pub fn add(&mut self, o: &UsageCounts) {
        self.requests = self.requests.saturating_add(o.requests);
        self.prompt_tokens = self.prompt_tokens.saturating_add(o.prompt_tokens);
        self.completion_tokens = self.completion_tokens.saturating_add(o.completion_tokens);
    }

    /// Prompt + completion.
    pub fn total_tokens(&self) -> u64 {
        self.prompt_tokens.saturating_add(self.completion_tokens)
    }
}

/// One usage row (a delta when recorded, an aggregate when drained). Flat, so the store
/// can upsert it as `… ON CONFLICT (org, member, key, model, use_case, day) DO UPDATE SET
/// requests = requests + excluded.requests, …`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageRecord {
    /// Organisation id.
    pub org_id: String,
    /// Member id.
    pub member_id: String,
    /// API key public id.
    pub key_id: String,
    /// Model id.
    pub model: String,
    /// Use-case.
    pub use_case: String,
    /// UTC day, `YYYY-MM-DD`.
    pub day: String,
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// Completion tokens.
    pub completion_tokens: u64,
    /// Requests.
    pub requests: u64,
}

impl UsageRecord {
    /// A record for one served request at `at_ms` (the day is derived in UTC).
    #[allow(clippy::too_many_arguments)]
    pub fn request(
        org_id: impl Into<String>,
        member_id: impl Into<String>,
        key_id: impl Into<String>,
        model: impl Into<String>,
        use_case: impl Into<String>,
        at_ms: u64,
        prompt_tokens: u64,
        completion_tokens: u64,
    ) -> Self {
        UsageRecord {
            org_id: org_id.into(),
            member_id: member_id.into(),
            key_id: key_id.into(),
            model: model.into(),
            use_case: use_case.into(),
            day: calendar::day_label(at_ms),
            prompt_tokens,
            completion_tokens,
            requests: 1,
        }
    }

    /// Prompt + completion.
    pub fn total_tokens(&self) -> u64 {
        self.prompt_tokens.saturating_add(self.completion_tokens)
    }

    /// Its requests and tokens.
    pub fn counts(&self) -> UsageCounts {
        UsageCounts {
            requests: self.requests,
            prompt_tokens: self.prompt_tokens,
            completion_tokens: self.completion_tokens,
        }
    }

    fn split(self) -> (UsageKey, UsageCounts) {
        (
            UsageKey {
                org_id: self.org_id,
                member_id: self.member_id,
                key_id: self.key_id,
                model: self.model,
                use_case: self.use_case,
                day: self.day,
            },
            UsageCounts {
                requests: self.requests,
                prompt_tokens: self.prompt_tokens,
                completion_tokens: self.completion_tokens,
            },
        )
    }

    fn join(k: UsageKey, c: UsageCounts) -> Self {
        UsageRecord {
            org_id: k.org_id,
            member_id: k.member_id,
            key_id: k.key_id,
            model: k.model,
            use_case: k.use_case,
            day: k.day,
            prompt_tokens: c.prompt_tokens,
            completion_tokens: c.completion_tokens,
            requests: c.requests,
        }
    }
}

/// Thread-safe in-memory aggregation of usage deltas between flushes.
///
/// Flush loop (gateway): every N seconds `let batch = agg.drain();` write it to the store;
/// on failure `agg.restore(batch)` so nothing is lost (counts are additive, so restoring
/// merges correctly with what arrived meanwhile).
#[derive(Debug, Default)]
pub struct UsageAggregator {
    rows: Mutex<BTreeMap<UsageKey, UsageCounts>>,
}

impl UsageAggregator {
    /// An empty aggregator.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<UsageKey, UsageCounts>> {
        // Updates are single map operations; a poisoned lock still holds a valid map.
        self.rows.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Add a usage delta.
    pub fn record(&self, rec: UsageRecord) {
        let (k, c) = rec.split();
        self.lock().entry(k).or_default().add(&c);
    }

    /// Take everything accumulated so far, leaving the aggregator empty. Sorted by key.
    pub fn drain(&self) -> Vec<UsageRecord> {
        let rows = std::mem::take(&mut *self.lock());
        rows.into_iter()
            .map(|(k, c)| UsageRecord::join(k, c))
            .collect()
    }

    /// Put back a drained batch whose write failed.
    pub fn restore(&self, batch: Vec<UsageRecord>) {
        let mut rows = self.lock();
        for rec in batch {
            let (k, c) = rec.split();
            rows.entry(k).or_default().add(&c);
        }
    }

    /// Copy of the current rows without draining.
    pub fn snapshot(&self) -> Vec<UsageRecord> {
        self.lock()
            .iter()
            .map(|(k, c)| UsageRecord::join(k.clone(), *c))
            .collect()
    }

    /// Number of distinct rows pending.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }
}

/// A report grouping column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// Organisation.
    Org,
    /// Member.
    Member,
    /// API key.
    Key,
    /// Model.
    Model,
    /// Use-case.
    UseCase,
    /// Day.
    Day,
    /// Month (`YYYY-MM`, from the day).
    Month,
}

impl GroupBy {
    /// Column header.
    pub fn header(self) -> &'static str {
        match self {
            GroupBy::Org => "org",
            GroupBy::Member => "member",
            GroupBy::Key => "key",
            GroupBy::Model => "model",
            GroupBy::UseCase => "use_case",
            GroupBy::Day => "day",
            GroupBy::Month => "month",
        }
    }

    fn value(self, r: &UsageRecord) -> String {
        match self {
            GroupBy::Org => r.org_id.clone(),
            GroupBy::Member => r.member_id.clone(),
            GroupBy::Key => r.key_id.clone(),
            GroupBy::Model => r.model.clone(),
            GroupBy::UseCase => r.use_case.clone(),
            GroupBy::Day => r.day.clone(),
            GroupBy::Month => r.day.get(..7).unwrap_or(&r.day).to_owned(),
        }
    }

    /// Parse a comma-separated list such as `org,model` (for CLI flags).
    pub fn parse_list(s: &str) -> Result<Vec<GroupBy>, UnknownGroupBy> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(GroupBy::from_str)
            .collect()
    }
}

/// An unknown `--group-by` column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown grouping {0:?}; expected org, member, key, model, use_case, day or month")]
pub struct UnknownGroupBy(pub String);

impl FromStr for GroupBy {
    type Err = UnknownGroupBy;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "org" | "organisation" | "organization" => GroupBy::Org,
            "member" => GroupBy::Member,
            "key" => GroupBy::Key,
            "model" => GroupBy::Model,
            "use_case" | "use-case" | "usecase" => GroupBy::UseCase,
            "day" => GroupBy::Day,
            "month" => GroupBy::Month,
            _ => return Err(UnknownGroupBy(s.to_owned())),
        })
    }
}

/// One aggregated report row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// Values of the grouping columns, in `group_by` order.
    pub group: Vec<String>,
    /// Requests.
    pub requests: u64,
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// Completion tokens.
    pub completion_tokens: u64,
    /// Prompt + completion.
    pub total_tokens: u64,
}

impl ReportRow {
    /// The row for `group` with counts `c` (its total is theirs, never summed separately).
    pub fn new(group: Vec<String>, c: &UsageCounts) -> ReportRow {
        ReportRow {
            group,
            requests: c.requests,
            prompt_tokens: c.prompt_tokens,
            completion_tokens: c.completion_tokens,
            total_tokens: c.total_tokens(),
        }
    }

    /// Its requests and tokens.
    pub fn counts(&self) -> UsageCounts {
        UsageCounts {
            requests: self.requests,
            prompt_tokens: self.prompt_tokens,
            completion_tokens: self.completion_tokens,
        }
    }
}

/// A usage report: records grouped and summed, with renderers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageReport {
    /// Grouping columns.
    pub group_by: Vec<GroupBy>,
    /// Rows sorted by group values.
    pub rows: Vec<ReportRow>,
    /// Sum over all rows.
    pub total: ReportRow,
}

const NUMERIC_HEADERS: [&str; 4] = [
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
];

impl UsageReport {
    /// Group and sum `records` by `group_by` (empty = one grand-total row).
    pub fn build(records: &[UsageRecord], group_by: &[GroupBy]) -> Self {
        let mut groups: BTreeMap<Vec<String>, UsageCounts> = BTreeMap::new();
        for r in records {
            let key = group_by.iter().map(|g| g.value(r)).collect();
            groups.entry(key).or_default().add(&r.counts());
        }
        let mut total = UsageCounts::default();
        let rows = groups
            .into_iter()
            .map(|(group, c)| {
                total.add(&c);
                ReportRow::new(group, &c)
            })
            .collect();
        UsageReport {
            group_by: group_by.to_vec(),
            rows,
            total: ReportRow::new(Vec::new(), &total),
        }
    }

    fn headers(&self) -> Vec<&'static str> {
        self.group_by
            .iter()
            .map(|g| g.header())
            .chain(NUMERIC_HEADERS)
            .collect()
    }

    /// Aligned plain-text table with a `TOTAL` line (CJK-aware column widths).
    pub fn to_table(&self) -> String {
        let headers = self.headers();
        let ng = self.group_by.len();
        let mut lines: Vec<Vec<String>> = Vec::with_capacity(self.rows.len() + 2);
        lines.push(headers.iter().map(|h| h.to_uppercase()).collect());
        for r in &self.rows {
            lines.push(cells(r));
        }
        let mut total = cells(&self.total);
        if ng > 0 {
            total.splice(
                0..0,
                std::iter::once("TOTAL".to_owned())
                    .chain(std::iter::repeat_n(String::new(), ng - 1)),
            );
        } else {
            // No grouping: the single total row is the report.
            lines.truncate(1);
        }
        lines.push(total);
        let mut widths = vec![0usize; headers.len()];
        for l in &lines {
            for (w, c) in widths.iter_mut().zip(l) {
                *w = (*w).max(display_width(c));
            }
        }
        let mut out = String::new();
        for (i, l) in lines.iter().enumerate() {
            if ng > 0 && i == lines.len() - 1 {
                let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
                out.push_str(rule.join("  ").trim_end());
                out.push('\n');
            }
            let mut line = String::new();
            for (j, (c, w)) in l.iter().zip(&widths).enumerate() {
                if j > 0 {
                    line.push_str("  ");
                }
                let pad = " ".repeat(w.saturating_sub(display_width(c)));
                if j >= ng && i > 0 {
                    line.push_str(&pad);
                    line.push_str(c);
                } else {
                    line.push_str(c);
                    line.push_str(&pad);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// RFC 4180 CSV with a header line (no total line: spreadsheets sum themselves).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.headers().join(","));
        out.push_str("\r\n");
        for r in &self.rows {
            let line: Vec<String> = cells(r).iter().map(|c| csv_field(c)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// JSON: `{"group_by":[…],"rows":[{"org":…,"requests":…},…],"total":{…}}`.
    pub fn to_json(&self) -> serde_json::Value {
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|r| {
                let mut m = serde_json::Map::new();
                for (g, v) in self.group_by.iter().zip(&r.group) {
                    m.insert(g.header().to_owned(), serde_json::Value::String(v.clone()));
                }
                insert_counts(&mut m, r);
                serde_json::Value::Object(m)
            })
            .collect();
        let mut total = serde_json::Map::new();
        insert_counts(&mut total, &self.total);
        serde_json::json!({
            "group_by": self.group_by.iter().map(|g| g.header()).collect::<Vec<_>>(),
            "rows": rows,
            "total": total,
        })
    }
}

fn insert_counts(m: &mut serde_json::Map<String, serde_json::Value>, r: &ReportRow) {
    m.insert("requests".into(), r.requests.into());
    m.insert("prompt_tokens".into(), r.prompt_tokens.into());
    m.insert("completion_tokens".into(), r.completion_tokens.into());
    m.insert("total_tokens".into(), r.total_tokens.into());
}

fn cells(r: &ReportRow) -> Vec<String> {
    let mut v = r.group.clone();
    for n in [
        r.requests,
        r.prompt_tokens,
        r.completion_tokens,
        r.total_tokens,
    ] {
        let mut s = String::new();
        let _ = write!(s, "{n}");
        v.push(s);
    }
    v
}

fn csv_field(s: &str) -> String {
    // Also quote a leading formula character so a spreadsheet does not execute it.
    let formula = s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err();
    if formula {
        return format!("\"'{}\"", s.replace('"', "\"\""));
    }
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Terminal column width: East-Asian wide characters (Hangul, CJK) take two columns.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = matches!(u,
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
                | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
                | 0xFFE0..=0xFFE6);
            if wide { 2 } else { 1 }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_795_629_600_000; // 2026-11-25T18:00Z

    fn rec(org: &str, key: &str, model: &str, uc: &str, p: u64, c: u64) -> UsageRecord {
        UsageRecord::request(org, "m1", key, model, uc, T, p, c)
    }

    #[test]
    fn aggregates_drains_and_restores() {
        let agg = UsageAggregator::new();
        agg.record(rec("o1", "k1", "m", "malware-analysis", 10, 5));
        agg.record(rec("o1", "k1", "m", "malware-analysis", 1, 2));
        agg.record(rec("o2", "k2", "m", "benign", 3, 3));
        assert_eq!(agg.len(), 2);
        let batch = agg.drain();
        assert!(agg.is_empty());
        assert_eq!(batch[0].requests, 2);
        assert_eq!(batch[0].prompt_tokens, 11);
        assert_eq!(batch[0].completion_tokens, 7);
        assert_eq!(batch[0].day, "2026-11-25");
        // A failed flush puts the batch back and merges with what arrived meanwhile.
        agg.record(rec("o1", "k1", "m", "malware-analysis", 1, 1));
        agg.restore(batch);
        let again = agg.snapshot();
        assert_eq!(again[0].requests, 3);
        assert_eq!(again[0].total_tokens(), 20);
        assert_eq!(again.len(), 2);
    }

    #[test]
    fn report_renderers() {
        let recs = vec![
            rec("o1", "k1", "m-a", "benign", 10, 5),
            rec("o1", "k2", "m-b", "benign", 1, 1),
            rec("기관,2", "k3", "m-a", "malware-analysis", 100, 50),
        ];
        let r = UsageReport::build(&recs, &GroupBy::parse_list("org").unwrap());
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.total.total_tokens, 167);
        assert_eq!(r.total.requests, 3);

        let table = r.to_table();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>(),
            [
                "ORG",
                "REQUESTS",
                "PROMPT_TOKENS",
                "COMPLETION_TOKENS",
                "TOTAL_TOKENS"
            ]
        );
        assert!(lines[1].starts_with("o1 "));
        assert!(lines.last().unwrap().starts_with("TOTAL"));
        assert!(lines.last().unwrap().ends_with("167"));
        // Right-aligned numbers line up in display columns, including the Korean row.
        let w: Vec<usize> = lines
            .iter()
            .filter(|l| !l.starts_with('-'))
            .map(|l| display_width(l))
            .collect();
        assert!(w.windows(2).all(|p| p[0] == p[1]), "{table}");

        let csv = r.to_csv();
        assert_eq!(
            csv.lines().next().unwrap(),
            "org,requests,prompt_tokens,completion_tokens,total_tokens"
        );
        assert!(csv.contains("\"기관,2\",1,100,50,150"));

        let json = r.to_json();
        assert_eq!(json["rows"][0]["org"], "o1");
        assert_eq!(json["rows"][0]["total_tokens"], 17);
        assert_eq!(json["total"]["requests"], 3);

        assert!(GroupBy::parse_list("org,nope").is_err());
        let by_month = UsageReport::build(&recs, &[GroupBy::Month, GroupBy::Model]);
        assert_eq!(
            by_month.rows[0].group,
            vec!["2026-11".to_owned(), "m-a".to_owned()]
        );
        assert_eq!(csv_field("=cmd()"), "\"'=cmd()\"");
    }
}
