//! Time source for the meter.
//!
//! Every component takes time as Unix milliseconds from a [`Clock`] so tests can drive
//! windows, day/month rollovers and lease expiry deterministically with [`ManualClock`]
//! instead of sleeping.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of wall-clock time in Unix milliseconds (UTC).
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        // A clock before 1970 is a misconfigured host; treating it as the epoch keeps the
        // meter functional (windows simply look fresh) instead of panicking.
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0)
    }
}

/// A clock that only moves when told to; cheap to clone (shared state).
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Arc<AtomicU64>);

impl ManualClock {
    /// A clock reading `start_ms`.
    pub fn new(start_ms: u64) -> Self {
        Self(Arc::new(AtomicU64::new(start_ms)))
    }

    /// Move the clock forward by `ms`.
    pub fn advance_ms(&self, ms: u64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }

    /// Set the clock to `ms`.
    pub fn set_ms(&self, ms: u64) {
        self.0.store(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// UTC calendar helpers used for budget periods and usage days.
pub mod calendar {
    use time::{Date, Month, OffsetDateTime, Time};

    fn datetime(ms: u64) -> OffsetDateTime {
        let nanos = i128::from(ms) * 1_000_000;
        // Out-of-range timestamps (year > 9999) cannot come from a sane clock; clamp to the
        // epoch rather than fail a request over it.
        OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    fn to_ms(dt: OffsetDateTime) -> u64 {
        u64::try_from(dt.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
    }

    /// `YYYY-MM-DD` of the UTC day containing `ms`.
    pub fn day_label(ms: u64) -> String {
        let d = datetime(ms).date();
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }

    /// `YYYY-MM` of the UTC month containing `ms`.
    pub fn month_label(ms: u64) -> String {
        let d = datetime(ms).date();
        format!("{:04}-{:02}", d.year(), u8::from(d.month()))
    }

    /// Start (Unix ms) of the UTC day after the one containing `ms`.
    pub fn next_day_start_ms(ms: u64) -> u64 {
        let d = datetime(ms).date();
        match d.next_day() {
            Some(n) => to_ms(n.with_time(Time::MIDNIGHT).assume_utc()),
            None => u64::MAX,
        }
    }

    /// Start (Unix ms) of the UTC month after the one containing `ms`.
    pub fn next_month_start_ms(ms: u64) -> u64 {
        let d = datetime(ms).date();
        let (y, m) = if d.month() == Month::December {
            (d.year() + 1, Month::January)
        } else {
            (d.year(), d.month().next())
        };
        match Date::from_calendar_date(y, m, 1) {
            Ok(n) => to_ms(n.with_time(Time::MIDNIGHT).assume_utc()),
            Err(_) => u64::MAX,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn labels_and_boundaries() {
            // 2026-11-25T18:00:00Z
            let t = 1_795_629_600_000;
            assert_eq!(day_label(t), "2026-11-25");
            assert_eq!(month_label(t), "2026-11");
            assert_eq!(day_label(next_day_start_ms(t)), "2026-11-26");
            assert_eq!(next_day_start_ms(t) % 86_400_000, 0);
            assert_eq!(month_label(next_month_start_ms(t)), "2026-12");
            let dec = next_month_start_ms(t) + 1;
            assert_eq!(month_label(next_month_start_ms(dec)), "2027-01");
            assert_eq!(day_label(next_month_start_ms(dec)), "2027-01-01");
        }
    }
}
