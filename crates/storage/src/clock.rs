//! Where "now" comes from.
//!
//! The domain never reads the clock; everything above it takes "today" and "now" from a [`Clock`]
//! handed in at start-up, so that tests (and a training or demonstration deployment) can run as
//! of a chosen moment and get the same deadlines, ages and overdue flags whatever day it is.

use chrono::{DateTime, NaiveDate, Utc};
use std::time::Instant;

/// The source of the current time for one running keepsafe.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// `None`: the system clock.
    start: Option<(DateTime<Utc>, Instant)>,
}

impl Clock {
    /// The system clock: production.
    pub fn system() -> Self {
        Self { start: None }
    }

    /// A clock that reads `start` now and runs on from there at the real rate, so records made
    /// one after another keep their order while every date is as of `start`.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            start: Some((start, Instant::now())),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.start {
            None => Utc::now(),
            Some((start, started)) => {
                let elapsed = chrono::Duration::from_std(started.elapsed())
                    .unwrap_or_else(|_| chrono::Duration::zero());
                start + elapsed
            }
        }
    }

    /// Today's date (UTC), as the rules count days.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Whether this clock was set rather than read from the system.
    pub fn is_set(&self) -> bool {
        self.start.is_some()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_clock_started_at_a_moment_reads_that_day_and_runs_forwards() {
        let start = Utc.with_ymd_and_hms(2026, 11, 18, 10, 0, 0).unwrap();
        let clock = Clock::starting_at(start);
        let first = clock.now();
        let second = clock.now();
        assert!(first >= start && second >= first);
        assert!(first - start < chrono::Duration::minutes(1));
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()
        );
        assert!(clock.is_set());
        assert!(!Clock::system().is_set());
    }
}
