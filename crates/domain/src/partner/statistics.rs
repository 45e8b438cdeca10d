//! Response-time statistics for the partner dashboard: how quickly partners answer, how often they
//! are late, and what is still waiting. Every figure is defined here and repeated in its
//! [`Explanation`], because a number nobody can check will not be trusted (reference §13).
//!
//! Definitions (rule [`STATISTICS_RULE_VERSION`]):
//! - **Sent**: every request given that is not a draft (drafts are refused, not counted).
//! - **Response time**: working days from the send date to the response date, counting the
//!   response date and not the send date (so an answer on the deadline day of a 10-day request took
//!   10 working days; the same day is 0). Only answered requests have one.
//! - **Median and 90th percentile**: nearest rank over the response times sorted from fastest:
//!   the P-th percentile is the value at rank ⌈P/100 × n⌉ (1-based). The median is the 50th
//!   percentile by the same rule, so it is always a real response time (for 4 responses it is the
//!   2nd, not the average of the 2nd and 3rd).
//! - **Overdue share**: of the requests that owe or gave an answer (answered, or outstanding), the
//!   share answered after their deadline or still outstanding after it. Declined and withdrawn
//!   requests are counted but left out of this share: neither has an answer to be late with.
//! - **Oldest outstanding**: the outstanding request sent earliest (ties: the earliest deadline).
//!
//! No requests at all gives [`ResponseStatistics::NoRequestsYet`], never "0%". No answers yet
//! gives no median or percentile.

use super::request::{CheckRequest, RequestState};
use crate::calendar::CALENDAR_RULE_VERSION;
use crate::calendar::{long_date, working_days_between};
use crate::workload::Explanation;
use chrono::NaiveDate;
use thiserror::Error;
use uuid::Uuid;

/// The version of the definitions above, shown with every figure.
pub const STATISTICS_RULE_VERSION: &str =
    "partner-response-statistics/1 (working days; nearest-rank median and 90th percentile)";

/// How many response times the explanation lists before summarising the rest.
const LISTED_TIMES: usize = 50;

/// What happened to a sent request, as the statistics read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Outstanding,
    Responded(NaiveDate),
    Declined(NaiveDate),
    Withdrawn(NaiveDate),
}

/// One sent request, as the statistics read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestRecord {
    pub request_id: Uuid,
    pub sent_on: NaiveDate,
    pub due_by: NaiveDate,
    pub outcome: Outcome,
}

impl RequestRecord {
    /// The record for a request; `None` for a draft, which has not been sent.
    pub fn from_request(request: &CheckRequest) -> Option<Self> {
        let sent = request.state.sent()?;
        let outcome = match &request.state {
            RequestState::Responded { responded_on, .. } => Outcome::Responded(*responded_on),
            RequestState::Declined { declined_on, .. } => Outcome::Declined(*declined_on),
            RequestState::Withdrawn { withdrawn_on, .. } => Outcome::Withdrawn(*withdrawn_on),
            _ => Outcome::Outstanding,
        };
        Some(Self {
            request_id: request.id,
            sent_on: sent.sent_on,
            due_by: sent.due_by,
            outcome,
        })
    }
}

/// Why statistics could not be computed: a record contradicts itself.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StatisticsRefused {
    #[error("Request {request_id} is due by {} but was sent on {}; its deadline cannot be before it was sent", long_date(.due_by), long_date(.sent_on))]
    DeadlineBeforeSent {
        request_id: Uuid,
        sent_on: NaiveDate,
        due_by: NaiveDate,
    },
    #[error("Request {request_id} was closed on {} but sent on {}; it cannot be closed before it was sent", long_date(.closed_on), long_date(.sent_on))]
    ClosedBeforeSent {
        request_id: Uuid,
        sent_on: NaiveDate,
        closed_on: NaiveDate,
    },
}

/// The dashboard's figures, or the fact that there is nothing to measure yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseStatistics {
    NoRequestsYet { explanation: Explanation },
    Measured(Box<Measured>),
}

impl ResponseStatistics {
    pub fn explanation(&self) -> &Explanation {
        match self {
            ResponseStatistics::NoRequestsYet { explanation } => explanation,
            ResponseStatistics::Measured(measured) => &measured.explanation,
        }
    }
}

/// The figures for a non-empty set of requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measured {
    pub sent: usize,
    pub responded: usize,
    pub outstanding: usize,
    pub declined: usize,
    pub withdrawn: usize,
    /// Nearest-rank median response time in working days; `None` before any answer.
    pub median_working_days: Option<u32>,
    /// Nearest-rank 90th-percentile response time in working days; `None` before any answer.
    pub p90_working_days: Option<u32>,
    /// Every answered request's response time in working days, fastest first: the distribution
    /// the median and 90th percentile summarise, for a histogram.
    pub response_times: Vec<u32>,
    /// Late answers and overdue outstanding requests; `None` when every request was declined or
    /// withdrawn.
    pub overdue: Option<Share>,
    pub oldest_outstanding: Option<OldestOutstanding>,
    pub explanation: Explanation,
}

/// `count` of `of`, with the percentage rounded to one decimal place for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub count: usize,
    pub of: usize,
}

impl Share {
    /// The percentage; 0 for a share of nothing (the statistics never return one).
    pub fn percent(self) -> f64 {
        if self.of == 0 {
            return 0.0;
        }
        self.count as f64 * 100.0 / self.of as f64
    }

    /// "3 of 8 (37.5%)".
    pub fn describe(self) -> String {
        format!("{} of {} ({:.1}%)", self.count, self.of, self.percent())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OldestOutstanding {
    pub request_id: Uuid,
    pub sent_on: NaiveDate,
    pub due_by: NaiveDate,
    /// Working days since it was sent, as at `today`.
    pub working_days_waiting: u32,
    pub overdue: bool,
}

/// Computes the dashboard figures for `records` as at `today` (see the module documentation for
/// every definition).
pub fn response_statistics(
    records: &[RequestRecord],
    today: NaiveDate,
) -> Result<ResponseStatistics, StatisticsRefused> {
    records.iter().try_for_each(check_record)?;
    let explanation = Explanation::new(STATISTICS_RULE_VERSION)
        .input("As at", long_date(today))
        .input("Requests sent", records.len().to_string())
        .input("Working-day calendar", CALENDAR_RULE_VERSION);
    if records.is_empty() {
        return Ok(ResponseStatistics::NoRequestsYet {
            explanation: explanation.step("No requests yet: there is nothing to measure"),
        });
    }
    let count = |f: fn(&Outcome) -> bool| records.iter().filter(|r| f(&r.outcome)).count();
    let responded = count(|o| matches!(o, Outcome::Responded(_)));
    let outstanding = count(|o| matches!(o, Outcome::Outstanding));
    let declined = count(|o| matches!(o, Outcome::Declined(_)));
    let withdrawn = count(|o| matches!(o, Outcome::Withdrawn(_)));
    let mut explanation = explanation
        .input("Responded", responded.to_string())
        .input("Outstanding", outstanding.to_string())
        .input("Declined", declined.to_string())
        .input("Withdrawn", withdrawn.to_string());

    let times = response_times(records);
    explanation = explain_times(explanation, &times);
    let median = nearest_rank(&times, 50);
    let p90 = nearest_rank(&times, 90);
    explanation = explanation
        .step(explain_percentile("Median (50th percentile)", &times, 50))
        .step(explain_percentile("90th percentile", &times, 90));

    let overdue = overdue_share(records, today);
    explanation = explanation.step(match overdue {
        Some(share) => format!(
            "Overdue: {} of the answered and outstanding requests were answered after their deadline or are still outstanding after it; declined and withdrawn requests are left out",
            share.describe()
        ),
        None => "Overdue: no request was answered or is outstanding, so there is no overdue share".to_owned(),
    });

    let oldest = oldest_outstanding(records, today);
    explanation = explanation.step(match &oldest {
        Some(oldest) => format!(
            "Oldest outstanding: sent on {}, {} working {} ago, due by {}{}",
            long_date(oldest.sent_on),
            oldest.working_days_waiting,
            if oldest.working_days_waiting == 1 {
                "day"
            } else {
                "days"
            },
            long_date(oldest.due_by),
            if oldest.overdue { " (overdue)" } else { "" }
        ),
        None => "Nothing is outstanding".to_owned(),
    });

    Ok(ResponseStatistics::Measured(Box::new(Measured {
        sent: records.len(),
        responded,
        outstanding,
        declined,
        withdrawn,
        median_working_days: median,
        p90_working_days: p90,
        response_times: times,
        overdue,
        oldest_outstanding: oldest,
        explanation,
    })))
}

fn check_record(record: &RequestRecord) -> Result<(), StatisticsRefused> {
    if record.due_by < record.sent_on {
        return Err(StatisticsRefused::DeadlineBeforeSent {
            request_id: record.request_id,
            sent_on: record.sent_on,
            due_by: record.due_by,
        });
    }
    let closed_on = match record.outcome {
        Outcome::Outstanding => None,
        Outcome::Responded(on) | Outcome::Declined(on) | Outcome::Withdrawn(on) => Some(on),
    };
    match closed_on {
        Some(closed_on) if closed_on < record.sent_on => Err(StatisticsRefused::ClosedBeforeSent {
            request_id: record.request_id,
            sent_on: record.sent_on,
            closed_on,
        }),
        _ => Ok(()),
    }
}

/// Response times of answered requests in working days, fastest first.
fn response_times(records: &[RequestRecord]) -> Vec<u32> {
    let mut times: Vec<u32> = records
        .iter()
        .filter_map(|r| match r.outcome {
            Outcome::Responded(on) => Some(working_days_between(r.sent_on, on)),
            _ => None,
        })
        .collect();
    times.sort_unstable();
    times
}

/// The nearest-rank percentile of sorted values: the value at rank ⌈p/100 × n⌉, 1-based.
pub fn nearest_rank(sorted: &[u32], percentile: u32) -> Option<u32> {
    let rank = nearest_rank_position(sorted.len(), percentile)?;
    sorted.get(rank - 1).copied()
}

/// ⌈p × n / 100⌉, at least 1; `None` for no values. Integer arithmetic, so no rounding surprises.
fn nearest_rank_position(n: usize, percentile: u32) -> Option<usize> {
    if n == 0 {
        return None;
    }
    let rank = (percentile as usize * n).div_ceil(100);
    Some(rank.clamp(1, n))
}

fn explain_times(explanation: Explanation, times: &[u32]) -> Explanation {
    if times.is_empty() {
        return explanation.step("No request has been answered yet, so there is no response time");
    }
    let listed: Vec<String> = times
        .iter()
        .take(LISTED_TIMES)
        .map(u32::to_string)
        .collect();
    let more = times.len().saturating_sub(LISTED_TIMES);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    explanation.step(format!(
        "Response times in working days, fastest first: {}{tail}",
        listed.join(", ")
    ))
}

fn explain_percentile(name: &str, times: &[u32], percentile: u32) -> String {
    match (nearest_rank_position(times.len(), percentile), nearest_rank(times, percentile)) {
        (Some(rank), Some(value)) => format!(
            "{name}: nearest rank ⌈{percentile}% × {n}⌉ = {rank}, so the {rank}{suffix} fastest response time: {value} working {days}",
            n = times.len(),
            suffix = ordinal_suffix(rank),
            days = if value == 1 { "day" } else { "days" },
        ),
        _ => format!("{name}: no responses yet"),
    }
}

fn ordinal_suffix(n: usize) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

fn overdue_share(records: &[RequestRecord], today: NaiveDate) -> Option<Share> {
    let mut of = 0;
    let mut count = 0;
    for record in records {
        let late = match record.outcome {
            Outcome::Responded(on) => on > record.due_by,
            Outcome::Outstanding => today > record.due_by,
            Outcome::Declined(_) | Outcome::Withdrawn(_) => continue,
        };
        of += 1;
        if late {
            count += 1;
        }
    }
    (of > 0).then_some(Share { count, of })
}

fn oldest_outstanding(records: &[RequestRecord], today: NaiveDate) -> Option<OldestOutstanding> {
    records
        .iter()
        .filter(|r| r.outcome == Outcome::Outstanding)
        .min_by_key(|r| (r.sent_on, r.due_by))
        .map(|r| OldestOutstanding {
            request_id: r.request_id,
            sent_on: r.sent_on,
            due_by: r.due_by,
            working_days_waiting: working_days_between(r.sent_on, today),
            overdue: today > r.due_by,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::add_working_days;
    use crate::partner::fixtures::*;
    use crate::partner::request::{DeclineReason, RequestType};

    fn record(n: u128, sent_on: NaiveDate, outcome: Outcome) -> RequestRecord {
        RequestRecord {
            request_id: Uuid::from_u128(n),
            sent_on,
            due_by: add_working_days(sent_on, 10),
            outcome,
        }
    }

    /// A request sent on Monday 2 November 2026 (due 16 November) answered after `days` working days.
    fn answered_after(n: u128, days: u32) -> RequestRecord {
        let sent_on = date(2026, 11, 2);
        record(
            n,
            sent_on,
            Outcome::Responded(add_working_days(sent_on, days)),
        )
    }

    fn measured(records: &[RequestRecord], today: NaiveDate) -> Measured {
        match response_statistics(records, today).unwrap() {
            ResponseStatistics::Measured(measured) => *measured,
            ResponseStatistics::NoRequestsYet { .. } => panic!("expected figures"),
        }
    }

    #[test]
    fn with_no_requests_the_dashboard_says_no_requests_yet_not_zero_percent() {
        let statistics = response_statistics(&[], date(2026, 12, 1)).unwrap();
        assert!(matches!(
            statistics,
            ResponseStatistics::NoRequestsYet { .. }
        ));
        assert_eq!(
            statistics.explanation().steps,
            ["No requests yet: there is nothing to measure"]
        );
        assert_eq!(
            statistics.explanation().rule_version,
            STATISTICS_RULE_VERSION
        );
    }

    #[test]
    fn the_median_and_90th_percentile_use_the_nearest_rank() {
        let records: Vec<RequestRecord> =
            (1..=10).map(|d| answered_after(u128::from(d), d)).collect();
        let figures = measured(&records, date(2026, 12, 31));
        // ⌈0.5 × 10⌉ = 5th and ⌈0.9 × 10⌉ = 9th of 1..=10.
        assert_eq!(figures.median_working_days, Some(5));
        assert_eq!(figures.p90_working_days, Some(9));
        assert!(figures.explanation.steps.iter().any(|s| s
            == "Median (50th percentile): nearest rank ⌈50% × 10⌉ = 5, so the 5th fastest response time: 5 working days"));
        assert!(figures.explanation.steps.iter().any(|s| s
            == "90th percentile: nearest rank ⌈90% × 10⌉ = 9, so the 9th fastest response time: 9 working days"));
    }

    #[test]
    fn an_even_count_takes_the_lower_middle_value_never_an_average() {
        let records = [
            answered_after(1, 8),
            answered_after(2, 2),
            answered_after(3, 5),
            answered_after(4, 3),
        ];
        let figures = measured(&records, date(2026, 12, 31));
        assert_eq!(figures.median_working_days, Some(3));
        // ⌈0.9 × 4⌉ = 4th.
        assert_eq!(figures.p90_working_days, Some(8));
        assert_eq!(
            figures.response_times,
            [2, 3, 5, 8],
            "the distribution behind them, fastest first"
        );
    }

    #[test]
    fn nearest_rank_of_one_value_is_that_value_and_of_none_is_nothing() {
        assert_eq!(nearest_rank(&[7], 50), Some(7));
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[1, 2, 3], 0), Some(1));
        assert_eq!(nearest_rank(&[1, 2, 3], 100), Some(3));
    }

    #[test]
    fn response_times_are_counted_in_working_days_over_bank_holidays() {
        let christmas = record(1, date(2026, 12, 18), Outcome::Responded(date(2027, 1, 6)));
        let figures = measured(&[christmas], date(2027, 1, 6));
        assert_eq!(figures.median_working_days, Some(10));
        let same_day = record(
            2,
            date(2026, 12, 18),
            Outcome::Responded(date(2026, 12, 18)),
        );
        assert_eq!(
            measured(&[same_day], date(2027, 1, 6)).median_working_days,
            Some(0)
        );
    }

    #[test]
    fn overdue_counts_late_answers_and_outstanding_requests_past_their_deadline() {
        let today = date(2026, 12, 1);
        let records = [
            answered_after(1, 10), // on the deadline day: on time
            answered_after(2, 11), // a day late
            record(3, date(2026, 11, 2), Outcome::Outstanding), // due 16 Nov: overdue
            record(4, date(2026, 11, 30), Outcome::Outstanding), // not yet due
            record(5, date(2026, 11, 2), Outcome::Declined(date(2026, 11, 20))),
            record(6, date(2026, 11, 2), Outcome::Withdrawn(date(2026, 11, 20))),
        ];
        let figures = measured(&records, today);
        assert_eq!(figures.overdue, Some(Share { count: 2, of: 4 }));
        assert_eq!(figures.overdue.unwrap().describe(), "2 of 4 (50.0%)");
        assert_eq!(figures.sent, 6);
        assert_eq!(
            (
                figures.responded,
                figures.outstanding,
                figures.declined,
                figures.withdrawn
            ),
            (2, 2, 1, 1)
        );
    }

    #[test]
    fn an_outstanding_request_is_overdue_only_after_its_deadline_day() {
        let outstanding = [record(1, date(2026, 11, 2), Outcome::Outstanding)];
        assert_eq!(
            measured(&outstanding, date(2026, 11, 16)).overdue,
            Some(Share { count: 0, of: 1 })
        );
        assert_eq!(
            measured(&outstanding, date(2026, 11, 17)).overdue,
            Some(Share { count: 1, of: 1 })
        );
    }

    #[test]
    fn when_every_request_was_declined_or_withdrawn_there_is_no_overdue_share() {
        let records = [
            record(1, date(2026, 11, 2), Outcome::Declined(date(2026, 11, 3))),
            record(2, date(2026, 11, 2), Outcome::Withdrawn(date(2026, 11, 3))),
        ];
        let figures = measured(&records, date(2026, 12, 1));
        assert_eq!(figures.overdue, None);
        assert_eq!(figures.median_working_days, None);
        assert_eq!(figures.p90_working_days, None);
        assert!(figures.explanation.steps.contains(
            &"No request has been answered yet, so there is no response time".to_owned()
        ));
        assert!(figures
            .explanation
            .steps
            .contains(&"Median (50th percentile): no responses yet".to_owned()));
    }

    #[test]
    fn the_oldest_outstanding_request_is_the_one_sent_first() {
        let records = [
            record(1, date(2026, 11, 9), Outcome::Outstanding),
            record(2, date(2026, 11, 2), Outcome::Outstanding),
            record(3, date(2026, 10, 1), Outcome::Responded(date(2026, 10, 2))),
        ];
        let oldest = measured(&records, date(2026, 11, 20))
            .oldest_outstanding
            .unwrap();
        assert_eq!(oldest.request_id, Uuid::from_u128(2));
        assert_eq!(oldest.working_days_waiting, 14);
        assert!(oldest.overdue);
    }

    #[test]
    fn with_nothing_outstanding_there_is_no_oldest_request() {
        let figures = measured(&[answered_after(1, 3)], date(2026, 12, 1));
        assert_eq!(figures.oldest_outstanding, None);
        assert!(figures
            .explanation
            .steps
            .contains(&"Nothing is outstanding".to_owned()));
    }

    #[test]
    fn the_explanation_lists_inputs_and_response_times() {
        let figures = measured(
            &[answered_after(1, 3), answered_after(2, 1)],
            date(2026, 12, 1),
        );
        let explanation = &figures.explanation;
        assert_eq!(explanation.rule_version, STATISTICS_RULE_VERSION);
        assert!(STATISTICS_RULE_VERSION.contains("nearest-rank"));
        assert_eq!(explanation.input_value("Requests sent"), Some("2"));
        assert_eq!(explanation.input_value("As at"), Some("1 December 2026"));
        assert!(explanation
            .steps
            .contains(&"Response times in working days, fastest first: 1, 3".to_owned()));
    }

    #[test]
    fn a_long_list_of_response_times_is_summarised_in_the_explanation() {
        let records: Vec<RequestRecord> = (0..60).map(|n| answered_after(n, 2)).collect();
        let figures = measured(&records, date(2026, 12, 1));
        assert!(figures.explanation.steps[0].ends_with(" and 10 more"));
    }

    #[test]
    fn a_record_closed_before_it_was_sent_or_due_before_it_was_sent_is_refused() {
        let closed_early = record(1, date(2026, 11, 2), Outcome::Responded(date(2026, 11, 1)));
        assert!(matches!(
            response_statistics(&[closed_early], date(2026, 12, 1)),
            Err(StatisticsRefused::ClosedBeforeSent { .. })
        ));
        let due_early = RequestRecord {
            due_by: date(2026, 11, 1),
            ..record(2, date(2026, 11, 2), Outcome::Outstanding)
        };
        let error = response_statistics(&[due_early], date(2026, 12, 1)).unwrap_err();
        assert!(error
            .to_string()
            .contains("is due by 1 November 2026 but was sent on 2 November 2026"));
    }

    #[test]
    fn records_are_read_from_requests_and_drafts_are_not_counted() {
        assert_eq!(
            RequestRecord::from_request(&draft(RequestType::PoliceDomesticAbuse, police())),
            None
        );
        let declined = police_request_sent_on(date(2026, 11, 2))
            .decline(DeclineReason::NotOurArea, "", date(2026, 11, 4))
            .unwrap();
        let record = RequestRecord::from_request(&declined).unwrap();
        assert_eq!(record.outcome, Outcome::Declined(date(2026, 11, 4)));
        assert_eq!(record.due_by, date(2026, 11, 16));
        let answered = police_request_sent_on(date(2026, 11, 2))
            .respond(not_known(), date(2026, 11, 5), date(2026, 11, 5))
            .unwrap();
        assert_eq!(
            RequestRecord::from_request(&answered).unwrap().outcome,
            Outcome::Responded(date(2026, 11, 5))
        );
    }
}
