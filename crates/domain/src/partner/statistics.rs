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
use super::{long_date, working_days_between};
use crate::calendar::CALENDAR_RULE_VERSION;
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
    pub fn percent(self) -> f64 {
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
        .input("As at", long_date(&today))
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
            "Oldest outstanding: sent on {}, {} working days ago, due by {}{}",
            long_date(&oldest.sent_on),
            oldest.working_days_waiting,
            long_date(&oldest.due_by),
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
