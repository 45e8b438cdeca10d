//! The moment the tests run at.
//!
//! Every test, and the application it drives, takes "today" and "now" from here rather than from
//! the system clock, and the demo region the tests use is generated for [`today`]. So a test that
//! passes once passes on every day: CI also runs the whole suite with the system clock moved to a
//! random date to prove it.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use keepsafe_storage::Clock;
use std::sync::OnceLock;

/// The day the tests run on: Wednesday 2 December 2026, a working day away from bank holidays.
pub fn today() -> NaiveDate {
    start().date_naive()
}

/// 10:00 UTC on [`today`], when every test's clock starts.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap()
}

/// The test process's clock: it reads [`start`] when first asked and runs on at the real rate,
/// so records written one after another keep their order.
pub fn clock() -> Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    *CLOCK.get_or_init(|| Clock::starting_at(start()))
}

/// Now, on the test clock.
pub fn now() -> DateTime<Utc> {
    clock().now()
}
