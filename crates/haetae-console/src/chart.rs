//! Charts drawn on the server as inline SVG: no script, no style attribute (the CSP allows neither), colours
//! from `console.css` classes. Each chart names itself for a screen reader (`role="img"`, a `<title>` and a
//! `<desc>` that states the total and the highest bar), every bar carries its own `<title>`, and the page puts
//! the same figures in a table beside it.

use std::fmt::Write as _;

/// Drawing area and margins, in SVG user units (the SVG scales to its container's width).
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;
/// At most this many x-axis labels, so they never overlap.
const MAX_LABELS: usize = 8;

/// Text for SVG (and HTML): the five XML specials escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A vertical bar chart of `bars` (label, value) in order, `id` unique in the page, `title` and `desc` as a
/// screen reader announces the chart. Values are whole counts (requests, tokens).
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[(String, u64)]) -> String {
    let id = escape(id);
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let mut svg = String::with_capacity(256 + bars.len() * 160);
    let _ = write!(
        svg,
        r#"<svg class="chart" id="{id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let base = TOP + plot_h;
    // Axis and the top gridline with the largest value, so the scale reads without hovering.
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{base}" x2="{}" y2="{base}"/><line class="grid" x1="{LEFT}" y1="{TOP}" x2="{}" y2="{TOP}"/><text class="tick" x="{}" y="{}" text-anchor="end">{}</text><text class="tick" x="{}" y="{base}" text-anchor="end">0</text>"#,
        WIDTH - RIGHT,
        WIDTH - RIGHT,
        LEFT - 6.0,
        TOP + 4.0,
        compact(max),
        LEFT - 6.0,
    );
    if !bars.is_empty() {
        let slot = plot_w / bars.len() as f64;
        let bar_w = (slot * 0.8).max(1.0);
        let every = bars.len().div_ceil(MAX_LABELS).max(1);
        for (i, (label, value)) in bars.iter().enumerate() {
            let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
            let h = if max == 0 {
                0.0
            } else {
                plot_h * (*value as f64) / (max as f64)
            };
            let _ = write!(
                svg,
                r#"<rect class="bar" x="{x:.1}" y="{:.1}" width="{bar_w:.1}" height="{h:.1}"><title>{}: {value}</title></rect>"#,
                base - h,
                escape(label)
            );
            if i % every == 0 {
                let _ = write!(
                    svg,
                    r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                    x + bar_w / 2.0,
                    base + 16.0,
                    escape(label)
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// 1234 → `1.2k`, 3_400_000 → `3.4M`: the axis label's room is small.
pub fn compact(v: u64) -> String {
    match v {
        0..=9_999 => v.to_string(),
        10_000..=999_999 => format!("{:.1}k", v as f64 / 1e3),
        1_000_000..=999_999_999 => format!("{:.1}M", v as f64 / 1e6),
        _ => format!("{:.1}G", v as f64 / 1e9),
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` day (the usage records' day), or `None` if it is not one.
pub fn parse_day(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: i64 = s.get(5..7)?.parse().ok()?;
    let d: i64 = s.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The `YYYY-MM-DD` of a day number (the inverse of [`parse_day`]).
pub fn day_string(days: i64) -> String {
    crate::render::format_unix(days * 86_400)
        .get(..10)
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(
            parse_day("2024-02-29").map(day_string).as_deref(),
            Some("2024-02-29")
        );
        for d in [-800, 0, 59, 365, 19_000, 20_000, 40_000] {
            assert_eq!(parse_day(&day_string(d)), Some(d), "{d}");
        }
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "x", "2024-01-32"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn chart_escapes_scales_and_names_itself() {
        let bars = vec![("<a>".to_string(), 5), ("b".to_string(), 10)];
        let svg = bar_chart("c1", "Requests & more", "total 15", &bars);
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title id=\"c1-t\">Requests &amp; more</title>"));
        assert!(svg.contains("<title>&lt;a&gt;: 5</title>"));
        assert!(!svg.contains("<a>"));
        assert!(!svg.contains("style="));
        // The larger bar fills the plot's height (220 - 12 - 36), the other half of it.
        assert!(svg.contains(r#"height="172.0""#), "{svg}");
        assert!(svg.contains(r#"height="86.0""#), "{svg}");
        let empty = bar_chart("c2", "t", "d", &[]);
        assert!(empty.ends_with("</svg>") && !empty.contains("<rect"));
    }

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(9_999), "9999");
        assert_eq!(compact(12_345), "12.3k");
        assert_eq!(compact(3_400_000), "3.4M");
    }
}
