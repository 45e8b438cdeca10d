//! The interventions dashboard's measures, from the referrals in a unit read in one go: waits
//! from referral (and from the suitability assessment) to start, as nearest-rank median and 90th
//! percentile over the starts of the last twelve months; the current waits of those still
//! waiting; starts month by month; and completion rates (completed ÷ finished, a finish being a
//! completion or a non-completion) over the last twelve months, by programme and by PDU.

use super::referral::{NonCompletionReason, ReferralStatus};
use crate::partner::statistics::nearest_rank;
use chrono::{Datelike, Months, NaiveDate};
use std::collections::BTreeMap;

/// A referral as the measures read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralFacts {
    pub programme: String,
    pub pdu: String,
    pub status: ReferralStatus,
    pub referred_on: NaiveDate,
    pub assessed_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub reason: Option<NonCompletionReason>,
}

/// A distribution of days: how many, the median and the 90th percentile (nearest rank).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WaitSummary {
    pub count: usize,
    pub median: Option<u32>,
    pub p90: Option<u32>,
    /// The days, shortest first.
    pub days: Vec<u32>,
}

impl WaitSummary {
    /// Summarises `days` (any order).
    pub fn of(mut days: Vec<u32>) -> Self {
        days.sort_unstable();
        Self {
            count: days.len(),
            median: nearest_rank(&days, 50),
            p90: nearest_rank(&days, 90),
            days,
        }
    }
}

/// Completed out of finished for one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub group: String,
    pub completed: usize,
    pub finished: usize,
}

impl Completion {
    /// The rate as a percentage, when anything finished.
    pub fn percent(&self) -> Option<f64> {
        (self.finished > 0).then(|| 100.0 * self.completed as f64 / self.finished as f64)
    }
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Measures {
    /// The first day of the twelve months measured.
    pub since: NaiveDate,
    pub referral_to_start: WaitSummary,
    pub suitability_to_start: WaitSummary,
    /// Days waited so far by those still waiting (referred, not started, not found unsuitable).
    pub waiting_now: WaitSummary,
    /// Starts in each of the last twelve months (first day of the month, count), oldest first.
    pub starts_by_month: Vec<(NaiveDate, usize)>,
    pub by_programme: Vec<Completion>,
    pub by_pdu: Vec<Completion>,
    pub overall: Completion,
    /// Non-completions in the period by reason, most common first.
    pub reasons: Vec<(NonCompletionReason, usize)>,
}

fn days(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days()).unwrap_or(0)
}

/// Works out the measures from `facts` as of `today`, over the twelve months to today.
pub fn measure(facts: &[ReferralFacts], today: NaiveDate) -> Measures {
    let this_month = today.with_day(1).expect("the first of the month");
    let since = this_month - Months::new(11);
    let in_period = |day: Option<NaiveDate>| day.is_some_and(|d| d >= since && d <= today);
    let started: Vec<&ReferralFacts> = facts.iter().filter(|f| in_period(f.started_on)).collect();
    let referral_to_start = WaitSummary::of(
        started
            .iter()
            .map(|f| days(f.referred_on, f.started_on.expect("started")))
            .collect(),
    );
    let suitability_to_start = WaitSummary::of(
        started
            .iter()
            .filter_map(|f| Some(days(f.assessed_on?, f.started_on?)))
            .collect(),
    );
    let waiting_now = WaitSummary::of(
        facts
            .iter()
            .filter(|f| f.status.is_waiting())
            .map(|f| days(f.referred_on, today))
            .collect(),
    );
    let starts_by_month = (0..12)
        .map(|i| {
            let month = since + Months::new(i);
            let count = started
                .iter()
                .filter(|f| {
                    let on = f.started_on.expect("started");
                    on.year() == month.year() && on.month() == month.month()
                })
                .count();
            (month, count)
        })
        .collect();
    let finished: Vec<&ReferralFacts> = facts
        .iter()
        .filter(|f| f.status.is_finished() && in_period(f.ended_on))
        .collect();
    let group = |key: &dyn Fn(&ReferralFacts) -> String| -> Vec<Completion> {
        let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for f in &finished {
            let entry = groups.entry(key(f)).or_default();
            entry.1 += 1;
            if f.status == ReferralStatus::Completed {
                entry.0 += 1;
            }
        }
        groups
            .into_iter()
            .map(|(group, (completed, finished))| Completion {
                group,
                completed,
                finished,
            })
            .collect()
    };
    let by_programme = group(&|f| f.programme.clone());
    let by_pdu = group(&|f| f.pdu.clone());
    let completed = finished
        .iter()
        .filter(|f| f.status == ReferralStatus::Completed)
        .count();
    let mut reasons: BTreeMap<NonCompletionReason, usize> = BTreeMap::new();
    for f in &finished {
        if let Some(reason) = f.reason {
            *reasons.entry(reason).or_default() += 1;
        }
    }
    let mut reasons: Vec<_> = reasons.into_iter().collect();
    reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
    Measures {
        since,
        referral_to_start,
        suitability_to_start,
        waiting_now,
        starts_by_month,
        by_programme,
        by_pdu,
        overall: Completion {
            group: "All programmes".into(),
            completed,
            finished: finished.len(),
        },
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn facts(
        programme: &str,
        status: ReferralStatus,
        referred: NaiveDate,
        started: Option<NaiveDate>,
        ended: Option<NaiveDate>,
    ) -> ReferralFacts {
        ReferralFacts {
            programme: programme.into(),
            pdu: "Leicester".into(),
            status,
            referred_on: referred,
            assessed_on: Some(referred + chrono::Duration::days(10)),
            started_on: started,
            ended_on: ended,
            reason: (status == ReferralStatus::NotCompleted)
                .then_some(NonCompletionReason::Withdrew),
        }
    }

    #[test]
    fn median_and_90th_percentile_are_nearest_rank() {
        let summary = WaitSummary::of(vec![300, 10, 200, 100, 50, 60, 70, 80, 90, 400]);
        assert_eq!(summary.count, 10);
        // Ranks ⌈0.5 × 10⌉ = 5 and ⌈0.9 × 10⌉ = 9 of 10, 50, 60, 70, 80, 90, 100, 200, 300, 400.
        assert_eq!(summary.median, Some(80));
        assert_eq!(summary.p90, Some(300));
        assert_eq!(WaitSummary::of(vec![]).median, None);
    }

    #[test]
    fn waits_count_starts_of_the_last_twelve_months_and_current_waits_those_still_waiting() {
        let today = date(2026, 12, 6);
        let all = vec![
            facts(
                "BBR",
                ReferralStatus::Started,
                date(2026, 1, 1),
                Some(date(2026, 7, 20)),
                None,
            ),
            facts(
                "BBR",
                ReferralStatus::Started,
                date(2024, 1, 1),
                Some(date(2024, 7, 1)),
                None,
            ),
            facts(
                "TSP",
                ReferralStatus::Suitable,
                date(2026, 6, 9),
                None,
                None,
            ),
            facts(
                "TSP",
                ReferralStatus::NotSuitable,
                date(2026, 6, 9),
                None,
                None,
            ),
        ];
        let m = measure(&all, today);
        assert_eq!(m.since, date(2026, 1, 1));
        assert_eq!(m.referral_to_start.days, vec![200]);
        assert_eq!(m.suitability_to_start.days, vec![190]);
        assert_eq!(m.waiting_now.days, vec![180]);
        assert_eq!(m.starts_by_month.len(), 12);
        assert_eq!(m.starts_by_month[6], (date(2026, 7, 1), 1));
    }

    #[test]
    fn completion_rate_is_completed_over_finished_by_programme() {
        let today = date(2026, 12, 6);
        let started = Some(date(2026, 2, 1));
        let ended = Some(date(2026, 6, 1));
        let all = vec![
            facts(
                "BBR",
                ReferralStatus::Completed,
                date(2025, 9, 1),
                started,
                ended,
            ),
            facts(
                "BBR",
                ReferralStatus::NotCompleted,
                date(2025, 9, 1),
                started,
                ended,
            ),
            facts(
                "BBR",
                ReferralStatus::NotCompleted,
                date(2025, 9, 1),
                started,
                ended,
            ),
            facts(
                "TSP",
                ReferralStatus::Completed,
                date(2025, 9, 1),
                started,
                ended,
            ),
            facts(
                "TSP",
                ReferralStatus::Started,
                date(2025, 9, 1),
                started,
                None,
            ),
        ];
        let m = measure(&all, today);
        assert_eq!(
            m.by_programme,
            vec![
                Completion {
                    group: "BBR".into(),
                    completed: 1,
                    finished: 3
                },
                Completion {
                    group: "TSP".into(),
                    completed: 1,
                    finished: 1
                },
            ]
        );
        assert_eq!(m.overall.completed, 2);
        assert_eq!(m.overall.finished, 4);
        assert_eq!(m.overall.percent(), Some(50.0));
        assert_eq!(m.reasons, vec![(NonCompletionReason::Withdrew, 2)]);
    }
}
