//! Rate-limit response headers in OpenAI's format.
//!
//! Every response the meter saw carries
//! `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`; a 429 additionally carries
//! `retry-after` (whole seconds, rounded up) and `retry-after-ms` (which the official
//! OpenAI SDKs prefer when present).

use serde::{Deserialize, Serialize};

use crate::limits::{Dimension, Scope};

/// The binding (most restrictive) rate rule of one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimitStatus {
    /// Whose limit binds.
    pub scope: Scope,
    /// Units per window.
    pub limit: u64,
    /// Units still admissible right now.
    pub remaining: u64,
    /// Milliseconds until the limit is fully restored (the bucket is full again).
    pub reset_ms: u64,
    /// Window length in milliseconds.
    pub window_ms: u64,
}

/// What the gateway needs to write rate-limit headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimitHeaders {
    /// Binding request-rate rule, if any request rate is limited.
    pub requests: Option<RateLimitStatus>,
    /// Binding token-rate rule, if any token rate is limited.
    pub tokens: Option<RateLimitStatus>,
    /// Set on denials: how long until retrying can succeed.
    pub retry_after_ms: Option<u64>,
}

impl RateLimitHeaders {
    /// Status of one dimension.
    pub fn get(&self, dim: Dimension) -> Option<&RateLimitStatus> {
        match dim {
            Dimension::Requests => self.requests.as_ref(),
            Dimension::Tokens => self.tokens.as_ref(),
        }
    }

    /// `(name, value)` pairs ready to insert into an HTTP response (lower-case names).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::with_capacity(8);
        if let Some(r) = &self.requests {
            out.push(("x-ratelimit-limit-requests", r.limit.to_string()));
            out.push(("x-ratelimit-remaining-requests", r.remaining.to_string()));
            out.push(("x-ratelimit-reset-requests", format_reset(r.reset_ms)));
        }
        if let Some(t) = &self.tokens {
            out.push(("x-ratelimit-limit-tokens", t.limit.to_string()));
            out.push(("x-ratelimit-remaining-tokens", t.remaining.to_string()));
            out.push(("x-ratelimit-reset-tokens", format_reset(t.reset_ms)));
        }
        if let Some(ms) = self.retry_after_ms {
            out.push(("retry-after", retry_after_secs(ms).to_string()));
            out.push(("retry-after-ms", ms.to_string()));
        }
        out
    }
}

/// `retry-after` in whole seconds, rounded up so a client never retries too early.
pub fn retry_after_secs(ms: u64) -> u64 {
    ms.div_ceil(1000)
}

/// Format a reset duration the way OpenAI does (Go duration syntax): `250ms`, `1s`,
/// `1.5s`, `6m0s`, `1h2m3s`. Sub-second parts above one second keep millisecond precision
/// without trailing zeros.
pub fn format_reset(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let h = ms / 3_600_000;
    let m = (ms / 60_000) % 60;
    let s = (ms / 1000) % 60;
    let frac = ms % 1000;
    let secs = if frac == 0 {
        format!("{s}s")
    } else {
        let f = format!("{frac:03}");
        format!("{s}.{}s", f.trim_end_matches('0'))
    };
    if h > 0 {
        format!("{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_format_matches_openai() {
        assert_eq!(format_reset(0), "0ms");
        assert_eq!(format_reset(20), "20ms");
        assert_eq!(format_reset(1000), "1s");
        assert_eq!(format_reset(1500), "1.5s");
        assert_eq!(format_reset(1250), "1.25s");
        assert_eq!(format_reset(360_000), "6m0s");
        assert_eq!(format_reset(3_723_000), "1h2m3s");
        assert_eq!(format_reset(86_400_000), "24h0m0s");
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(1), 1);
        assert_eq!(retry_after_secs(1000), 1);
        assert_eq!(retry_after_secs(1001), 2);
        assert_eq!(retry_after_secs(0), 0);
    }

    #[test]
    fn pairs() {
        let h = RateLimitHeaders {
            requests: Some(RateLimitStatus {
                scope: Scope::Key,
                limit: 60,
                remaining: 59,
                reset_ms: 1000,
                window_ms: 60_000,
            }),
            tokens: None,
            retry_after_ms: Some(1500),
        };
        let p = h.to_pairs();
        assert!(p.contains(&("x-ratelimit-limit-requests", "60".into())));
        assert!(p.contains(&("x-ratelimit-remaining-requests", "59".into())));
        assert!(p.contains(&("x-ratelimit-reset-requests", "1s".into())));
        assert!(p.contains(&("retry-after", "2".into())));
        assert!(p.contains(&("retry-after-ms", "1500".into())));
        assert!(!p.iter().any(|(n, _)| n.contains("tokens")));
    }
}
