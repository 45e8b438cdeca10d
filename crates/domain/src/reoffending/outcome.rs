//! One follow-up's outcome, and the check of a new conviction as typed.

use super::rules::{FollowUpPeriod, ReoffendingRules};
use crate::calendar::long_date;
use crate::codes::CodedValue;
use crate::event::{CaseType, OffenceCategory};
use chrono::NaiveDate;

/// What a follow-up's start is read from: the event's case type and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupervisedEvent {
    pub case_type: CaseType,
    pub sentence_date: Option<NaiveDate>,
    pub release_date: Option<NaiveDate>,
}

impl SupervisedEvent {
    /// When follow-up starts, if it has: the sentence date of a community sentence, the release
    /// date of a custodial one once the person is out (reference §11, as OGRS3 counts it). A
    /// person still in prison or not yet sentenced has no follow-up yet.
    pub fn follow_up_start(&self, today: NaiveDate) -> Option<NaiveDate> {
        match self.case_type {
            CaseType::Community => self.sentence_date.filter(|day| *day <= today),
            CaseType::Custody | CaseType::Licence => self.release_date.filter(|day| *day <= today),
            CaseType::PreSentence => None,
        }
    }

    /// Why there is no follow-up yet, in words, when [`Self::follow_up_start`] is `None`.
    pub fn why_not_started(&self) -> &'static str {
        match self.case_type {
            CaseType::Community => "No sentence date is recorded for this order",
            CaseType::Custody | CaseType::Licence => {
                "Follow-up starts on release, and no release has been recorded yet"
            }
            CaseType::PreSentence => "Not sentenced yet",
        }
    }
}

/// A conviction after the start of supervision: when the offence was committed and when it was
/// proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reconviction {
    pub offence_on: NaiveDate,
    pub convicted_on: NaiveDate,
}

/// What a follow-up came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpOutcome {
    /// An offence committed in the period, proven in time: the first such offence.
    Reoffended(Reconviction),
    /// The period and its waiting period have passed with no offence proven.
    DidNotReoffend,
    /// Nothing proven yet, and it cannot be known until `known_from`.
    Open { known_from: NaiveDate },
}

/// A follow-up period and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub start: NaiveDate,
    pub period: FollowUpPeriod,
    pub period_end: NaiveDate,
    pub last_conviction_day: NaiveDate,
    pub outcome: FollowUpOutcome,
}

impl FollowUp {
    /// The outcome in a few words, for a table cell.
    pub fn summary(&self) -> String {
        match self.outcome {
            FollowUpOutcome::Reoffended(_) => "Proven reoffending".to_owned(),
            FollowUpOutcome::DidNotReoffend => "No proven reoffending".to_owned(),
            FollowUpOutcome::Open { known_from } => {
                format!("Not known until {}", long_date(known_from))
            }
        }
    }

    /// How the outcome was worked out, in words.
    pub fn explained(&self, rules: &ReoffendingRules) -> String {
        let window = format!(
            "Follow-up for {} from {}: an offence committed before {} and proven by a conviction \
             on or before {} (a waiting period of {} months after the period) counts.",
            self.period.words(),
            long_date(self.start),
            long_date(self.period_end),
            long_date(self.last_conviction_day),
            rules.waiting_period_months,
        );
        let outcome = match self.outcome {
            FollowUpOutcome::Reoffended(first) => format!(
                "The first such offence was committed on {} and proven on {}.",
                long_date(first.offence_on),
                long_date(first.convicted_on)
            ),
            FollowUpOutcome::DidNotReoffend => {
                "No offence in the period was proven in time.".to_owned()
            }
            FollowUpOutcome::Open { known_from } => format!(
                "No offence in the period has been proven yet; the outcome is known from {}.",
                long_date(known_from)
            ),
        };
        format!("{window} {outcome}")
    }
}

/// The outcome of the follow-up of `period` starting on `start`, given the person's convictions
/// (for anything: those outside the period are ignored).
pub fn follow_up(
    start: NaiveDate,
    period: FollowUpPeriod,
    reconvictions: &[Reconviction],
    rules: &ReoffendingRules,
    today: NaiveDate,
) -> FollowUp {
    let period_end = rules.period_end(start, period);
    let last_conviction_day = rules.last_conviction_day(start, period);
    let first = reconvictions
        .iter()
        .filter(|conviction| {
            conviction.offence_on >= start
                && conviction.offence_on < period_end
                && conviction.convicted_on <= last_conviction_day
                && conviction.convicted_on <= today
        })
        .min_by_key(|conviction| (conviction.offence_on, conviction.convicted_on));
    let outcome = match first {
        Some(first) => FollowUpOutcome::Reoffended(*first),
        None if rules.is_known(start, period, today) => FollowUpOutcome::DidNotReoffend,
        None => FollowUpOutcome::Open {
            known_from: rules.known_from(start, period),
        },
    };
    FollowUp {
        start,
        period,
        period_end,
        last_conviction_day,
        outcome,
    }
}

/// A problem with what was typed, named by the form field that fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReoffendingProblem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> ReoffendingProblem {
    ReoffendingProblem {
        field,
        message: message.into(),
    }
}

/// A new conviction as typed; the dates already read by the form (`None` when missing or not a
/// date, which the form reports itself).
#[derive(Debug, Clone, Default)]
pub struct ConvictionForm<'a> {
    pub offence: &'a str,
    pub offence_category: &'a str,
    pub offence_on: Option<NaiveDate>,
    pub convicted_on: Option<NaiveDate>,
    pub court: &'a str,
}

/// A new conviction, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConviction {
    pub offence: String,
    pub offence_category: OffenceCategory,
    pub offence_on: NaiveDate,
    pub convicted_on: NaiveDate,
    pub court: String,
}

/// The longest offence description and court name kept.
pub const MAX_DESCRIPTION_CHARS: usize = 200;

fn short_text(raw: &str) -> String {
    raw.trim().chars().filter(|c| !c.is_control()).collect()
}

/// Checks a new conviction recorded against an event whose follow-up started on `start` (none:
/// not started). Every problem is named by its field.
pub fn check_conviction(
    form: &ConvictionForm<'_>,
    start: Option<NaiveDate>,
    why_not_started: &str,
    today: NaiveDate,
) -> Result<NewConviction, Vec<ReoffendingProblem>> {
    let mut problems = Vec::new();
    let offence = short_text(form.offence);
    if offence.is_empty() {
        problems.push(problem("offence", "Enter the offence"));
    } else if offence.chars().count() > MAX_DESCRIPTION_CHARS {
        problems.push(problem(
            "offence",
            format!("The offence must be {MAX_DESCRIPTION_CHARS} characters or fewer"),
        ));
    }
    let category = OffenceCategory::parse(form.offence_category).ok();
    if category.is_none() {
        problems.push(problem(
            "offence_category",
            "Select the category of the offence",
        ));
    }
    let court = short_text(form.court);
    if court.chars().count() > MAX_DESCRIPTION_CHARS {
        problems.push(problem(
            "court",
            format!("The court must be {MAX_DESCRIPTION_CHARS} characters or fewer"),
        ));
    }
    if let Some(offence_on) = form.offence_on {
        if offence_on > today {
            problems.push(problem(
                "offence_on",
                "The date of the offence must be today or in the past",
            ));
        }
        match start {
            None => problems.push(problem(
                "event",
                format!(
                    "{why_not_started}, so there is no follow-up to record reoffending against"
                ),
            )),
            Some(start) if offence_on < start => problems.push(problem(
                "offence_on",
                format!(
                    "The offence was committed on {}, before supervision began on {}, so it is \
                     not reoffending after this sentence",
                    long_date(offence_on),
                    long_date(start)
                ),
            )),
            Some(_) => {}
        }
    }
    if let Some(convicted_on) = form.convicted_on {
        if convicted_on > today {
            problems.push(problem(
                "convicted_on",
                "The date of conviction must be today or in the past",
            ));
        }
        if form
            .offence_on
            .is_some_and(|offence_on| convicted_on < offence_on)
        {
            problems.push(problem(
                "convicted_on",
                "The date of conviction must be on or after the date of the offence",
            ));
        }
    }
    match (
        category,
        form.offence_on,
        form.convicted_on,
        problems.is_empty(),
    ) {
        (Some(offence_category), Some(offence_on), Some(convicted_on), true) => Ok(NewConviction {
            offence,
            offence_category,
            offence_on,
            convicted_on,
            court,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn conviction(offence_on: NaiveDate, convicted_on: NaiveDate) -> Reconviction {
        Reconviction {
            offence_on,
            convicted_on,
        }
    }

    const TODAY: (i32, u32, u32) = (2026, 12, 6);

    fn today() -> NaiveDate {
        date(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn an_offence_in_the_year_proven_within_the_waiting_period_is_reoffending() {
        let rules = ReoffendingRules::default();
        let start = date(2024, 1, 10);
        let late = conviction(date(2025, 1, 9), date(2025, 7, 9));
        let result = follow_up(start, FollowUpPeriod::OneYear, &[late], &rules, today());
        assert_eq!(result.outcome, FollowUpOutcome::Reoffended(late));
    }

    #[test]
    fn an_offence_proven_after_the_waiting_period_does_not_count() {
        let rules = ReoffendingRules::default();
        let start = date(2024, 1, 10);
        let too_late = conviction(date(2025, 1, 9), date(2025, 7, 10));
        let result = follow_up(start, FollowUpPeriod::OneYear, &[too_late], &rules, today());
        assert_eq!(result.outcome, FollowUpOutcome::DidNotReoffend);
    }

    #[test]
    fn an_offence_before_the_start_or_after_the_period_does_not_count() {
        let rules = ReoffendingRules::default();
        let start = date(2024, 1, 10);
        let before = conviction(date(2024, 1, 9), date(2024, 3, 1));
        let after = conviction(date(2025, 1, 10), date(2025, 2, 1));
        let result = follow_up(
            start,
            FollowUpPeriod::OneYear,
            &[before, after],
            &rules,
            today(),
        );
        assert_eq!(result.outcome, FollowUpOutcome::DidNotReoffend);
        let two_years = follow_up(
            start,
            FollowUpPeriod::TwoYears,
            &[before, after],
            &rules,
            today(),
        );
        assert_eq!(two_years.outcome, FollowUpOutcome::Reoffended(after));
    }

    #[test]
    fn with_nothing_proven_the_outcome_is_open_until_the_waiting_period_ends() {
        let rules = ReoffendingRules::default();
        let start = date(2026, 1, 10);
        let result = follow_up(start, FollowUpPeriod::OneYear, &[], &rules, today());
        assert_eq!(
            result.outcome,
            FollowUpOutcome::Open {
                known_from: date(2027, 7, 10)
            }
        );
        assert_eq!(result.summary(), "Not known until 10 July 2027");
    }

    #[test]
    fn the_first_offence_in_the_period_is_the_one_reported() {
        let rules = ReoffendingRules::default();
        let start = date(2024, 1, 10);
        let second = conviction(date(2024, 9, 1), date(2024, 10, 1));
        let first = conviction(date(2024, 5, 1), date(2024, 11, 1));
        let result = follow_up(
            start,
            FollowUpPeriod::OneYear,
            &[second, first],
            &rules,
            today(),
        );
        assert_eq!(result.outcome, FollowUpOutcome::Reoffended(first));
        assert!(result.explained(&rules).contains("committed on 1 May 2024"));
    }

    #[test]
    fn follow_up_starts_at_sentence_for_community_and_at_release_for_custody() {
        let community = SupervisedEvent {
            case_type: CaseType::Community,
            sentence_date: Some(date(2025, 3, 1)),
            release_date: None,
        };
        assert_eq!(community.follow_up_start(today()), Some(date(2025, 3, 1)));
        let inside = SupervisedEvent {
            case_type: CaseType::Custody,
            sentence_date: Some(date(2025, 3, 1)),
            release_date: Some(date(2027, 3, 1)),
        };
        assert_eq!(inside.follow_up_start(today()), None);
        let released = SupervisedEvent {
            release_date: Some(date(2026, 3, 1)),
            ..inside
        };
        assert_eq!(released.follow_up_start(today()), Some(date(2026, 3, 1)));
    }

    fn form<'a>() -> ConvictionForm<'a> {
        ConvictionForm {
            offence: "Theft from a shop",
            offence_category: "theft_non_motor",
            offence_on: Some(date(2026, 5, 2)),
            convicted_on: Some(date(2026, 7, 20)),
            court: "Lincoln Magistrates' Court",
        }
    }

    fn fields(problems: Vec<ReoffendingProblem>) -> Vec<&'static str> {
        problems.into_iter().map(|problem| problem.field).collect()
    }

    #[test]
    fn a_conviction_after_the_start_of_supervision_is_accepted() {
        let checked = check_conviction(&form(), Some(date(2026, 1, 5)), "", today()).unwrap();
        assert_eq!(checked.offence_category, OffenceCategory::TheftNonMotor);
        assert_eq!(checked.court, "Lincoln Magistrates' Court");
    }

    #[test]
    fn a_conviction_before_the_offence_is_refused_on_the_conviction_date() {
        let typed = ConvictionForm {
            convicted_on: Some(date(2026, 5, 1)),
            ..form()
        };
        let problems = check_conviction(&typed, Some(date(2026, 1, 5)), "", today()).unwrap_err();
        assert_eq!(fields(problems), ["convicted_on"]);
    }

    #[test]
    fn an_offence_before_supervision_began_is_not_reoffending() {
        let problems = check_conviction(&form(), Some(date(2026, 6, 1)), "", today()).unwrap_err();
        assert_eq!(problems[0].field, "offence_on");
        assert!(problems[0]
            .message
            .contains("before supervision began on 1 June 2026"));
    }

    #[test]
    fn future_dates_and_a_missing_offence_are_refused_field_by_field() {
        let typed = ConvictionForm {
            offence: "  ",
            offence_category: "",
            offence_on: Some(date(2026, 12, 7)),
            convicted_on: Some(date(2026, 12, 8)),
            court: "",
        };
        let problems = check_conviction(&typed, Some(date(2026, 1, 5)), "", today()).unwrap_err();
        assert_eq!(
            fields(problems),
            ["offence", "offence_category", "offence_on", "convicted_on"]
        );
    }

    #[test]
    fn without_a_follow_up_there_is_nothing_to_record_against() {
        let problems = check_conviction(&form(), None, "Not sentenced yet", today()).unwrap_err();
        assert_eq!(problems[0].field, "event");
        assert!(problems[0].message.starts_with("Not sentenced yet, so"));
    }
}
