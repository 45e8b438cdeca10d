//! The diary: a practitioner's (or a team's) appointments by day or by week, and the appointments
//! whose outcome has not been recorded. Which period a page shows, how it moves on, and where each
//! appointment stands are decided here; storage only fetches the rows for the period.

use super::contact::{ContactOutcome, ContactStatus, FailureJudgement};
use crate::calendar::long_date;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};

/// How many appointments without an outcome one page lists.
pub const WITHOUT_OUTCOME_PAGE_SIZE: usize = 25;

/// The stretch of days a diary page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiaryPeriod {
    Day(NaiveDate),
    /// The week starting on this Monday.
    Week(NaiveDate),
}

impl DiaryPeriod {
    /// The period a diary address asks for: `?week=` (any day in that week) wins over `?date=`;
    /// with neither, or one that is not a date, today.
    pub fn from_query(date: Option<&str>, week: Option<&str>, today: NaiveDate) -> Self {
        let parse = |raw: Option<&str>| {
            raw.and_then(|raw| NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok())
        };
        match (parse(week), parse(date)) {
            (Some(day), _) => DiaryPeriod::Week(week_start(day)),
            (None, Some(day)) => DiaryPeriod::Day(day),
            (None, None) if week.is_some() => DiaryPeriod::Week(week_start(today)),
            (None, None) => DiaryPeriod::Day(today),
        }
    }

    /// The first day shown and the day after the last.
    pub fn range(self) -> (NaiveDate, NaiveDate) {
        match self {
            DiaryPeriod::Day(day) => (day, day + Duration::days(1)),
            DiaryPeriod::Week(monday) => (monday, monday + Duration::days(7)),
        }
    }

    /// Every day shown, in order.
    pub fn days(self) -> Vec<NaiveDate> {
        let (from, until) = self.range();
        from.iter_days().take_while(|day| *day < until).collect()
    }

    pub fn previous(self) -> Self {
        match self {
            DiaryPeriod::Day(day) => DiaryPeriod::Day(day - Duration::days(1)),
            DiaryPeriod::Week(monday) => DiaryPeriod::Week(monday - Duration::days(7)),
        }
    }

    pub fn next(self) -> Self {
        match self {
            DiaryPeriod::Day(day) => DiaryPeriod::Day(day + Duration::days(1)),
            DiaryPeriod::Week(monday) => DiaryPeriod::Week(monday + Duration::days(7)),
        }
    }

    /// The query string that shows this period: `date=2026-12-02` or `week=2026-11-30`.
    pub fn query(self) -> String {
        match self {
            DiaryPeriod::Day(day) => format!("date={day}"),
            DiaryPeriod::Week(monday) => format!("week={monday}"),
        }
    }

    /// The same stretch as a day or a week: the week holding a day, or a week's first day
    /// (today's, if today is in that week).
    pub fn switched(self, today: NaiveDate) -> Self {
        match self {
            DiaryPeriod::Day(day) => DiaryPeriod::Week(week_start(day)),
            DiaryPeriod::Week(monday) if week_start(today) == monday => DiaryPeriod::Day(today),
            DiaryPeriod::Week(monday) => DiaryPeriod::Day(monday),
        }
    }

    /// The heading: "Wednesday 2 December 2026" or "Week of 30 November 2026".
    pub fn title(self) -> String {
        match self {
            DiaryPeriod::Day(day) => day_title(day),
            DiaryPeriod::Week(monday) => format!("Week of {}", long_date(monday)),
        }
    }

    pub fn is_week(self) -> bool {
        matches!(self, DiaryPeriod::Week(_))
    }
}

/// The Monday of the week holding `day` (weeks start on Monday, as in the workload snapshots).
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// A day as a diary heading names it: "Wednesday 2 December 2026".
pub fn day_title(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// A time as practitioners type and read it in the diary: "14:30".
pub fn clock_time(at: NaiveDateTime) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// Where an appointment in the diary stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentState {
    /// Still to come.
    Upcoming,
    /// It has started or passed, and nobody has recorded what happened.
    OutcomeNeeded,
    /// What happened, and for a failure how it was judged (if it has been).
    Recorded(ContactOutcome, Option<FailureJudgement>),
    Rescheduled,
    Cancelled,
}

impl AppointmentState {
    /// Decides where an appointment stands at `now`.
    pub fn of(
        status: ContactStatus,
        outcome: Option<ContactOutcome>,
        judgement: Option<FailureJudgement>,
        starts_at: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Self {
        match (status, outcome) {
            (ContactStatus::Cancelled, _) => AppointmentState::Cancelled,
            (ContactStatus::Rescheduled, _) => AppointmentState::Rescheduled,
            (ContactStatus::Arranged, Some(outcome)) => {
                AppointmentState::Recorded(outcome, judgement)
            }
            (ContactStatus::Arranged, None) if starts_at <= now => AppointmentState::OutcomeNeeded,
            (ContactStatus::Arranged, None) => AppointmentState::Upcoming,
        }
    }

    /// The words the diary shows.
    pub fn label(self) -> String {
        use crate::CodedValue;
        match self {
            AppointmentState::Upcoming => "Arranged".into(),
            AppointmentState::OutcomeNeeded => "Outcome not recorded".into(),
            AppointmentState::Recorded(outcome, None) => outcome.label().into(),
            AppointmentState::Recorded(outcome, Some(judgement)) if outcome.is_failure() => {
                format!("{} ({})", outcome.label(), judgement.label().to_lowercase())
            }
            AppointmentState::Recorded(outcome, Some(_)) => outcome.label().into(),
            AppointmentState::Rescheduled => "Rescheduled".into(),
            AppointmentState::Cancelled => "Cancelled".into(),
        }
    }

    /// The GOV.UK tag colour that goes with the state.
    pub fn tag_class(self) -> &'static str {
        match self {
            AppointmentState::Upcoming => "govuk-tag--blue",
            AppointmentState::OutcomeNeeded => "govuk-tag--orange",
            AppointmentState::Recorded(ContactOutcome::Attended, _) => "govuk-tag--green",
            AppointmentState::Recorded(_, _) => "govuk-tag--red",
            AppointmentState::Rescheduled | AppointmentState::Cancelled => "govuk-tag--grey",
        }
    }
}

/// How many pages a list of `total` rows needs, and the page to show (1-based, clamped).
pub fn page_of(requested: Option<usize>, total: usize, page_size: usize) -> (usize, usize) {
    let pages = total.div_ceil(page_size).max(1);
    let page = requested.unwrap_or(1).clamp(1, pages);
    (page, pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_diary_opens_on_today_and_a_week_starts_on_monday() {
        let today = day(2026, 12, 2);
        assert_eq!(
            DiaryPeriod::from_query(None, None, today),
            DiaryPeriod::Day(today)
        );
        assert_eq!(
            DiaryPeriod::from_query(Some("2026-12-05"), None, today),
            DiaryPeriod::Day(day(2026, 12, 5))
        );
        assert_eq!(
            DiaryPeriod::from_query(None, Some("2026-12-03"), today),
            DiaryPeriod::Week(day(2026, 11, 30))
        );
        assert_eq!(
            DiaryPeriod::from_query(Some("not a date"), None, today),
            DiaryPeriod::Day(today)
        );
    }

    #[test]
    fn previous_and_next_move_by_a_day_or_a_week() {
        let week = DiaryPeriod::Week(day(2026, 11, 30));
        assert_eq!(week.next(), DiaryPeriod::Week(day(2026, 12, 7)));
        assert_eq!(week.previous().query(), "week=2026-11-23");
        assert_eq!(week.range(), (day(2026, 11, 30), day(2026, 12, 7)));
        assert_eq!(week.days().len(), 7);
        let today = DiaryPeriod::Day(day(2026, 12, 2));
        assert_eq!(today.next().query(), "date=2026-12-03");
        assert_eq!(today.title(), "Wednesday 2 December 2026");
        assert_eq!(week.title(), "Week of 30 November 2026");
    }

    #[test]
    fn an_arranged_appointment_that_has_passed_needs_its_outcome() {
        let at = day(2026, 12, 1).and_hms_opt(14, 30, 0).unwrap();
        let now = day(2026, 12, 2).and_hms_opt(10, 0, 0).unwrap();
        let state = AppointmentState::of(ContactStatus::Arranged, None, None, at, now);
        assert_eq!(state, AppointmentState::OutcomeNeeded);
        assert_eq!(state.label(), "Outcome not recorded");
        let later = AppointmentState::of(
            ContactStatus::Arranged,
            None,
            None,
            at + Duration::days(2),
            now,
        );
        assert_eq!(later, AppointmentState::Upcoming);
        let failed = AppointmentState::of(
            ContactStatus::Arranged,
            Some(ContactOutcome::FailedToAttend),
            Some(FailureJudgement::Unacceptable),
            at,
            now,
        );
        assert_eq!(failed.label(), "Failed to attend (unacceptable)");
    }

    #[test]
    fn times_read_as_typed_on_a_24_hour_clock() {
        let at = day(2026, 12, 2).and_hms_opt(9, 5, 0).unwrap();
        assert_eq!(clock_time(at), "09:05");
        assert_eq!(
            clock_time(day(2026, 12, 2).and_hms_opt(14, 30, 0).unwrap()),
            "14:30"
        );
    }

    #[test]
    fn a_page_beyond_the_last_shows_the_last() {
        assert_eq!(page_of(None, 0, 25), (1, 1));
        assert_eq!(page_of(Some(9), 51, 25), (3, 3));
        assert_eq!(page_of(Some(0), 51, 25), (1, 3));
    }
}
