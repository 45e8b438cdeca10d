//! Criminal history behind each conviction: how many sanctions came before it and the age at the
//! first, the inputs OGRS3 needs.

use crate::random::DemoRng;
use chrono::NaiveDate;
use keepsafe_domain::age::age_on;

use crate::model::Event;

/// Fills in `sanctions_before` on each event (in conviction order) and returns the age at the
/// first sanction. Some people had cautions or reprimands before their first conviction.
pub(crate) fn record(rng: &mut DemoRng, events: &mut [Event], date_of_birth: NaiveDate) -> u32 {
    let earlier_cautions: u32 = rng.weighted(&[(0, 45), (1, 25), (2, 15), (3, 10), (5, 5)]);
    let mut sanctions = earlier_cautions;
    for event in events.iter_mut() {
        event.sanctions_before = sanctions;
        // Between convictions, an occasional caution or out-of-court disposal.
        sanctions += 1 + rng.weighted(&[(0, 70), (1, 20), (2, 10)]);
    }
    let first_conviction_age = events
        .first()
        .and_then(|event| age_on(date_of_birth, event.conviction_date))
        .unwrap_or(18);
    if earlier_cautions == 0 {
        first_conviction_age
    } else {
        let years_earlier: u32 = rng.range(1..=5);
        first_conviction_age.saturating_sub(years_earlier).max(12)
    }
}
