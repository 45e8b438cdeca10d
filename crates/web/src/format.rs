//! How dates, times and ages are written on pages, following the GOV.UK style guide
//! ("22 November 2026", "9:30am").

use chrono::{NaiveDate, NaiveDateTime, Timelike};

/// Below this many cases a percentage carries a small-sample caution: with 9 cases one case moves
/// it by 11 points (reference §12: "show sample sizes and confidence with every percentage").
pub const SMALL_SAMPLE: u32 = 10;

pub fn date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

pub fn short_date(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

pub fn date_time(at: NaiveDateTime) -> String {
    format!("{} at {}", short_date(at.date()), time(at))
}

pub fn time(at: NaiveDateTime) -> String {
    let (pm, hour) = at.hour12();
    let suffix = if pm { "pm" } else { "am" };
    match (at.minute(), at.hour()) {
        (0, 12) => "midday".into(),
        (0, 0) => "midnight".into(),
        (0, _) => format!("{hour}{suffix}"),
        (minute, _) => format!("{hour}:{minute:02}{suffix}"),
    }
}

/// A file's size as people read it: "820 bytes", "14 KB", "2.3 MB".
pub fn file_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    match bytes {
        b if b < KB => format!("{b} bytes"),
        b if b < MB => format!("{} KB", b.div_ceil(KB)),
        b => format!("{:.1} MB", b as f64 / MB as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_follow_the_govuk_style() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        assert_eq!(date(day), "2 November 2026");
        assert_eq!(short_date(day), "2 Nov 2026");
        assert_eq!(
            date_time(day.and_hms_opt(9, 30, 0).unwrap()),
            "2 Nov 2026 at 9:30am"
        );
        assert_eq!(time(day.and_hms_opt(14, 0, 0).unwrap()), "2pm");
        assert_eq!(time(day.and_hms_opt(12, 0, 0).unwrap()), "midday");
    }

    #[test]
    fn file_sizes_read_as_people_say_them() {
        assert_eq!(super::file_size(820), "820 bytes");
        assert_eq!(super::file_size(14 * 1024 - 10), "14 KB");
        assert_eq!(super::file_size(2_411_724), "2.3 MB");
    }
}
