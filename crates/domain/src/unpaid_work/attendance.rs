//! Attendance at an unpaid work session: what happened, how the person worked and behaved, and
//! the time credited towards the order — the hours worked, travel time where the project allows
//! it, and education, training or employment (ETE) time where the project offers it, up to the
//! rules' share of the hours ordered.
//!
//! A failure to attend, or being sent home, is a failure to comply: its contact takes the matching
//! outcome and the failure is judged as every other appointment's is
//! (`supervision::outcome::check_judgement`); an unacceptable one goes to enforcement.

use crate::coded_enum;
use crate::supervision::contact::ContactOutcome;
use crate::unpaid_work::hours_and_minutes;
use crate::unpaid_work::rules::UnpaidWorkRules;
use chrono::NaiveDateTime;

coded_enum! {
    /// What happened at the session.
    pub enum AttendanceOutcome ("unpaid work attendance") {
        AttendedAndWorked => "attended_worked", "Attended and worked",
        FailedToAttend => "failed_to_attend", "Failed to attend",
        SentHome => "sent_home", "Sent home",
    }
}

impl AttendanceOutcome {
    /// The outcome its appointment (contact) takes.
    pub fn contact_outcome(self) -> ContactOutcome {
        match self {
            AttendanceOutcome::AttendedAndWorked => ContactOutcome::Attended,
            AttendanceOutcome::FailedToAttend => ContactOutcome::FailedToAttend,
            AttendanceOutcome::SentHome => ContactOutcome::AttendedFailedToComply,
        }
    }

    /// Whether it is a failure to be judged acceptable or not.
    pub fn is_failure(self) -> bool {
        self != AttendanceOutcome::AttendedAndWorked
    }
}

coded_enum! {
    /// The supervisor's rating of the work done, and of the behaviour.
    pub enum Rating ("unpaid work rating") {
        Excellent => "excellent", "Excellent",
        Good => "good", "Good",
        Satisfactory => "satisfactory", "Satisfactory",
        Poor => "poor", "Poor",
        Unsatisfactory => "unsatisfactory", "Unsatisfactory",
    }
}

/// One person's attendance as typed (times in minutes, already read as numbers; `None` for a
/// number that could not be read, which the caller has refused).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttendanceEntry {
    pub outcome: Option<AttendanceOutcome>,
    pub quality: Option<Rating>,
    pub behaviour: Option<Rating>,
    pub worked_minutes: u32,
    pub travel_minutes: u32,
    pub ete_minutes: u32,
}

/// What the check needs to know besides the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceContext {
    pub session_starts_at: NaiveDateTime,
    pub session_ends_at: NaiveDateTime,
    pub now: NaiveDateTime,
    /// Whether this allocation already has its attendance recorded.
    pub already_recorded: bool,
    pub travel_credited: bool,
    pub ete_available: bool,
    pub ordered_hours: u32,
    /// Minutes already credited to the order (all kinds), and of them ETE.
    pub credited_minutes: u32,
    pub ete_credited_minutes: u32,
}

/// A checked attendance: what is credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credit {
    pub outcome: AttendanceOutcome,
    pub quality: Option<Rating>,
    pub behaviour: Option<Rating>,
    pub worked_minutes: u32,
    pub travel_minutes: u32,
    pub ete_minutes: u32,
}

impl Credit {
    /// Everything credited towards the order.
    pub fn total_minutes(&self) -> u32 {
        self.worked_minutes + self.travel_minutes + self.ete_minutes
    }
}

/// What is wrong with an attendance, by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceError {
    /// `outcome`, `quality`, `behaviour`, `worked_hours`, `travel_minutes` or `ete_hours`.
    pub field: &'static str,
    pub message: String,
}

fn error(field: &'static str, message: impl Into<String>) -> AttendanceError {
    AttendanceError {
        field,
        message: message.into(),
    }
}

/// Checks one attendance. Refused: a session not yet started; an allocation already credited; no
/// outcome; ratings missing when the person was there; time credited for a failure to attend;
/// hours worked (with ETE) longer than the session; travel where the project does not credit it,
/// or more than the rules allow; ETE where the project offers none, or beyond the rules' share of
/// the hours ordered; and anything that would take the order past the hours ordered.
pub fn check_attendance(
    entry: &AttendanceEntry,
    context: &AttendanceContext,
    rules: &UnpaidWorkRules,
) -> Result<Credit, Vec<AttendanceError>> {
    if context.now < context.session_starts_at {
        return Err(vec![error(
            "outcome",
            "This session has not started yet: record attendance once it has",
        )]);
    }
    if context.already_recorded {
        return Err(vec![error(
            "outcome",
            "This session is already credited for this person: a session is credited once",
        )]);
    }
    let mut errors = Vec::new();
    let Some(outcome) = entry.outcome else {
        return Err(vec![error(
            "outcome",
            "Select what happened at the session",
        )]);
    };
    let credited = entry.worked_minutes + entry.travel_minutes + entry.ete_minutes;
    let (quality, behaviour) = if outcome == AttendanceOutcome::FailedToAttend {
        if credited > 0 {
            errors.push(error(
                "worked_hours",
                "A person who failed to attend cannot be credited any time",
            ));
        }
        (None, None)
    } else {
        if entry.quality.is_none() {
            errors.push(error("quality", "Select how well the work was done"));
        }
        if entry.behaviour.is_none() {
            errors.push(error("behaviour", "Select how the person behaved"));
        }
        (entry.quality, entry.behaviour)
    };
    let length = crate::unpaid_work::planning::session_minutes(
        context.session_starts_at,
        context.session_ends_at,
    );
    if entry.worked_minutes + entry.ete_minutes > length {
        errors.push(error(
            "worked_hours",
            format!(
                "The hours worked cannot be more than the session's length, {}, plus travel where allowed",
                hours_and_minutes(length)
            ),
        ));
    }
    if entry.travel_minutes > 0 && !context.travel_credited {
        errors.push(error(
            "travel_minutes",
            "This project does not credit travel time: leave travel at 0",
        ));
    } else if entry.travel_minutes > rules.max_travel_minutes {
        errors.push(error(
            "travel_minutes",
            format!(
                "At most {} of travel can be credited for a session",
                hours_and_minutes(rules.max_travel_minutes)
            ),
        ));
    }
    if entry.ete_minutes > 0 {
        let limit = rules.ete_limit_minutes(context.ordered_hours);
        if !context.ete_available {
            errors.push(error(
                "ete_hours",
                "This project offers no education, training or employment activity: leave it at 0",
            ));
        } else if context.ete_credited_minutes + entry.ete_minutes > limit {
            errors.push(error(
                "ete_hours",
                format!(
                    "Education, training or employment can be at most {}% of the {} hours ordered, {}; {} is credited already",
                    rules.ete_share_percent,
                    context.ordered_hours,
                    hours_and_minutes(limit),
                    hours_and_minutes(context.ete_credited_minutes)
                ),
            ));
        }
    }
    let ordered = context.ordered_hours * 60;
    if context.credited_minutes + credited > ordered {
        errors.push(error(
            "worked_hours",
            format!(
                "This would credit more than the {} hours ordered: {} is credited already, so at most {} more can be",
                context.ordered_hours,
                hours_and_minutes(context.credited_minutes),
                hours_and_minutes(ordered.saturating_sub(context.credited_minutes))
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Credit {
        outcome,
        quality,
        behaviour,
        worked_minutes: entry.worked_minutes,
        travel_minutes: entry.travel_minutes,
        ete_minutes: entry.ete_minutes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 5)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    fn context() -> AttendanceContext {
        AttendanceContext {
            session_starts_at: at(9),
            session_ends_at: at(16),
            now: at(17),
            already_recorded: false,
            travel_credited: true,
            ete_available: true,
            ordered_hours: 100,
            credited_minutes: 0,
            ete_credited_minutes: 0,
        }
    }

    fn worked(minutes: u32) -> AttendanceEntry {
        AttendanceEntry {
            outcome: Some(AttendanceOutcome::AttendedAndWorked),
            quality: Some(Rating::Good),
            behaviour: Some(Rating::Good),
            worked_minutes: minutes,
            ..AttendanceEntry::default()
        }
    }

    fn fields(result: Result<Credit, Vec<AttendanceError>>) -> Vec<&'static str> {
        result.unwrap_err().iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_days_work_with_travel_is_credited() {
        let credit = check_attendance(
            &AttendanceEntry {
                travel_minutes: 30,
                ..worked(420)
            },
            &context(),
            &UnpaidWorkRules::default(),
        )
        .unwrap();
        assert_eq!(credit.total_minutes(), 450);
    }

    #[test]
    fn attendance_for_a_session_not_yet_started_is_refused() {
        let early = AttendanceContext {
            now: at(8),
            ..context()
        };
        assert_eq!(
            fields(check_attendance(
                &worked(60),
                &early,
                &UnpaidWorkRules::default()
            )),
            ["outcome"]
        );
    }

    #[test]
    fn crediting_a_session_twice_is_refused() {
        let again = AttendanceContext {
            already_recorded: true,
            ..context()
        };
        assert_eq!(
            fields(check_attendance(
                &worked(60),
                &again,
                &UnpaidWorkRules::default()
            )),
            ["outcome"]
        );
    }

    #[test]
    fn hours_beyond_those_ordered_are_refused() {
        let nearly_done = AttendanceContext {
            credited_minutes: 99 * 60,
            ..context()
        };
        let result = check_attendance(&worked(120), &nearly_done, &UnpaidWorkRules::default());
        let errors = result.unwrap_err();
        assert_eq!(errors[0].field, "worked_hours");
        assert!(errors[0].message.contains("at most 1 hour more"));
        assert!(check_attendance(&worked(60), &nearly_done, &UnpaidWorkRules::default()).is_ok());
    }

    #[test]
    fn hours_longer_than_the_session_are_refused() {
        assert_eq!(
            fields(check_attendance(
                &worked(421),
                &context(),
                &UnpaidWorkRules::default()
            )),
            ["worked_hours"]
        );
    }

    #[test]
    fn travel_is_credited_only_where_the_project_allows_and_up_to_the_limit() {
        let no_travel = AttendanceContext {
            travel_credited: false,
            ..context()
        };
        let entry = AttendanceEntry {
            travel_minutes: 30,
            ..worked(60)
        };
        assert_eq!(
            fields(check_attendance(
                &entry,
                &no_travel,
                &UnpaidWorkRules::default()
            )),
            ["travel_minutes"]
        );
        let too_long = AttendanceEntry {
            travel_minutes: 61,
            ..worked(60)
        };
        assert_eq!(
            fields(check_attendance(
                &too_long,
                &context(),
                &UnpaidWorkRules::default()
            )),
            ["travel_minutes"]
        );
    }

    #[test]
    fn education_training_and_employment_is_capped_at_the_share_of_hours_ordered() {
        let entry = AttendanceEntry {
            ete_minutes: 60,
            ..worked(0)
        };
        let near_cap = AttendanceContext {
            ete_credited_minutes: 19 * 60 + 1,
            ..context()
        };
        assert_eq!(
            fields(check_attendance(
                &entry,
                &near_cap,
                &UnpaidWorkRules::default()
            )),
            ["ete_hours"]
        );
        let none_offered = AttendanceContext {
            ete_available: false,
            ..context()
        };
        assert_eq!(
            fields(check_attendance(
                &entry,
                &none_offered,
                &UnpaidWorkRules::default()
            )),
            ["ete_hours"]
        );
    }

    #[test]
    fn a_failure_to_attend_is_credited_nothing_and_needs_no_ratings() {
        let failed = AttendanceEntry {
            outcome: Some(AttendanceOutcome::FailedToAttend),
            ..AttendanceEntry::default()
        };
        let credit = check_attendance(&failed, &context(), &UnpaidWorkRules::default()).unwrap();
        assert_eq!(credit.total_minutes(), 0);
        assert_eq!(
            credit.outcome.contact_outcome(),
            ContactOutcome::FailedToAttend
        );
        let credited = AttendanceEntry {
            worked_minutes: 60,
            ..failed
        };
        assert_eq!(
            fields(check_attendance(
                &credited,
                &context(),
                &UnpaidWorkRules::default()
            )),
            ["worked_hours"]
        );
    }

    #[test]
    fn someone_who_was_there_is_rated_on_work_and_behaviour() {
        let unrated = AttendanceEntry {
            quality: None,
            behaviour: None,
            ..worked(60)
        };
        assert_eq!(
            fields(check_attendance(
                &unrated,
                &context(),
                &UnpaidWorkRules::default()
            )),
            ["quality", "behaviour"]
        );
    }
}
