//! Recording what happened at an appointment, and judging a failure.
//!
//! An outcome is recorded once the appointment has started, never for one that was cancelled or
//! moved. A failure (failed to attend, or attended but failed to comply) must be judged:
//! acceptable (with the reason and the evidence), unacceptable (it counts towards enforcement), or
//! waiting for evidence — which holds the judgement for a few working days, after which it becomes
//! a task for the practitioner. An outcome recorded after the end of the next working day is late,
//! and the practitioner says why, so the delay can be seen in supervision.

use crate::calendar::add_working_days;
use crate::supervision::contact::{ContactOutcome, ContactStatus, FailureJudgement};
use crate::supervision::enforcement::EnforcementRules;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// The configurable time limits of recording outcomes. The defaults are keepsafe's: evidence is
/// waited for as long as the enforcement rules say
/// ([`EnforcementRules::evidence_working_days`], 5 working days), and an outcome is on time until
/// the end of the working day after the appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeRules {
    /// Working days a judgement waits for evidence before it becomes a task.
    pub evidence_working_days: u32,
    /// Working days after the appointment's day by whose end the outcome is on time.
    pub on_time_working_days: u32,
}

impl Default for OutcomeRules {
    fn default() -> Self {
        Self {
            evidence_working_days: EnforcementRules::default().evidence_working_days,
            on_time_working_days: 1,
        }
    }
}

impl OutcomeRules {
    /// The last day to judge a failure whose evidence was asked for on `asked_on`.
    pub fn evidence_due(&self, asked_on: NaiveDate) -> NaiveDate {
        add_working_days(asked_on, self.evidence_working_days)
    }

    /// The last moment an outcome of an appointment ending at `ends_at` is on time: the end of the
    /// `on_time_working_days`-th working day after it.
    pub fn on_time_until(&self, ends_at: NaiveDateTime) -> NaiveDateTime {
        add_working_days(ends_at.date(), self.on_time_working_days).and_time(
            NaiveTime::from_hms_opt(23, 59, 59).expect("the last second of a day is a time"),
        )
    }

    /// Whether an outcome recorded at `now` for an appointment ending at `ends_at` is late.
    pub fn is_late(&self, ends_at: NaiveDateTime, now: NaiveDateTime) -> bool {
        now > self.on_time_until(ends_at)
    }
}

/// Why an outcome cannot be recorded for an appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRecordable {
    /// It has not started yet.
    InTheFuture,
    Cancelled,
    Rescheduled,
    /// Someone recorded it already.
    AlreadyRecorded,
}

impl NotRecordable {
    pub fn message(&self) -> &'static str {
        match self {
            NotRecordable::InTheFuture => {
                "This appointment has not happened yet: record its outcome once it has started"
            }
            NotRecordable::Cancelled => "This appointment was cancelled, so it has no outcome",
            NotRecordable::Rescheduled => {
                "This appointment was moved: record the outcome of the new appointment"
            }
            NotRecordable::AlreadyRecorded => "The outcome of this appointment is already recorded",
        }
    }
}

/// Whether an outcome may be recorded now for an appointment in `status` starting at `starts_at`.
pub fn may_record(
    status: ContactStatus,
    starts_at: NaiveDateTime,
    already: Option<ContactOutcome>,
    now: NaiveDateTime,
) -> Result<(), NotRecordable> {
    match status {
        ContactStatus::Cancelled => Err(NotRecordable::Cancelled),
        ContactStatus::Rescheduled => Err(NotRecordable::Rescheduled),
        ContactStatus::Arranged if already.is_some() => Err(NotRecordable::AlreadyRecorded),
        ContactStatus::Arranged if starts_at > now => Err(NotRecordable::InTheFuture),
        ContactStatus::Arranged => Ok(()),
    }
}

/// A judgement as the practitioner gave it, before checking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JudgementForm {
    pub judgement: Option<FailureJudgement>,
    pub reason: String,
    pub evidence: String,
}

/// A checked judgement of a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    /// Acceptable: the reason given and the evidence seen (a sick note, a letter from the
    /// hospital).
    Acceptable { reason: String, evidence: String },
    /// Unacceptable: counts towards enforcement; a reason may be noted.
    Unacceptable { reason: Option<String> },
    /// Waiting for the evidence the person promised, until `due_on`.
    AwaitingEvidence {
        reason: Option<String>,
        due_on: NaiveDate,
    },
}

impl Judgement {
    pub fn kind(&self) -> FailureJudgement {
        match self {
            Judgement::Acceptable { .. } => FailureJudgement::Acceptable,
            Judgement::Unacceptable { .. } => FailureJudgement::Unacceptable,
            Judgement::AwaitingEvidence { .. } => FailureJudgement::AwaitingEvidence,
        }
    }
}

/// What is wrong with a judgement, by field (`judgement`, `reason`, `evidence`).
pub type JudgementErrors = Vec<(&'static str, &'static str)>;

/// Checks the judgement of a failure made on `today`. Acceptable needs both the reason and the
/// evidence; waiting for evidence is due `rules.evidence_working_days` working days from today.
/// When `evidence_allowed` is false (judging after waiting), waiting again is refused: the
/// deadline has been given once.
pub fn check_judgement(
    form: &JudgementForm,
    today: NaiveDate,
    rules: &OutcomeRules,
    evidence_allowed: bool,
) -> Result<Judgement, JudgementErrors> {
    let reason = Some(form.reason.trim().to_owned()).filter(|r| !r.is_empty());
    let evidence = form.evidence.trim().to_owned();
    let mut errors = Vec::new();
    let judgement = match form.judgement {
        None => {
            errors.push((
                "judgement",
                "Select whether the failure was acceptable or unacceptable",
            ));
            None
        }
        Some(FailureJudgement::Acceptable) => {
            if reason.is_none() {
                errors.push(("reason", "Enter the reason the failure was acceptable"));
            }
            if evidence.is_empty() {
                errors.push((
                    "evidence",
                    "Enter the evidence seen (for example, a sick note)",
                ));
            }
            reason.clone().map(|reason| Judgement::Acceptable {
                reason,
                evidence: evidence.clone(),
            })
        }
        Some(FailureJudgement::Unacceptable) => Some(Judgement::Unacceptable {
            reason: reason.clone(),
        }),
        Some(FailureJudgement::AwaitingEvidence) if !evidence_allowed => {
            errors.push((
                "judgement",
                "The time to wait for evidence has passed: judge the failure acceptable or unacceptable",
            ));
            None
        }
        Some(FailureJudgement::AwaitingEvidence) => Some(Judgement::AwaitingEvidence {
            reason: reason.clone(),
            due_on: rules.evidence_due(today),
        }),
    };
    match judgement {
        Some(judgement) if errors.is_empty() => Ok(judgement),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
        day.and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn evidence_is_waited_for_five_working_days_skipping_weekends_and_bank_holidays() {
        let rules = OutcomeRules::default();
        // Wednesday 2 December 2026 → Wednesday 9 December.
        assert_eq!(rules.evidence_due(date(2026, 12, 2)), date(2026, 12, 9));
        // Tuesday 22 December → Christmas Day and Boxing Day (substitute 28th) skipped: 4 January.
        assert_eq!(rules.evidence_due(date(2026, 12, 22)), date(2026, 12, 31));
        assert_eq!(rules.evidence_due(date(2026, 12, 23)), date(2027, 1, 4));
    }

    #[test]
    fn an_outcome_is_late_after_the_end_of_the_next_working_day() {
        let rules = OutcomeRules::default();
        // Friday afternoon's appointment is on time until the end of Monday.
        let friday = at(date(2026, 11, 27), 15, 0);
        assert!(!rules.is_late(friday, at(date(2026, 11, 30), 23, 0)));
        assert!(rules.is_late(friday, at(date(2026, 12, 1), 9, 0)));
    }

    #[test]
    fn the_lateness_limit_is_configurable() {
        let rules = OutcomeRules {
            on_time_working_days: 0,
            ..OutcomeRules::default()
        };
        let monday = at(date(2026, 11, 30), 10, 0);
        assert!(!rules.is_late(monday, at(date(2026, 11, 30), 18, 0)));
        assert!(rules.is_late(monday, at(date(2026, 12, 1), 8, 0)));
    }

    #[test]
    fn no_outcome_for_a_future_cancelled_rescheduled_or_already_recorded_appointment() {
        let now = at(date(2026, 12, 2), 10, 0);
        let past = at(date(2026, 12, 1), 10, 0);
        let future = at(date(2026, 12, 3), 10, 0);
        assert_eq!(may_record(ContactStatus::Arranged, past, None, now), Ok(()));
        assert_eq!(
            may_record(ContactStatus::Arranged, future, None, now),
            Err(NotRecordable::InTheFuture)
        );
        assert_eq!(
            may_record(ContactStatus::Cancelled, past, None, now),
            Err(NotRecordable::Cancelled)
        );
        assert_eq!(
            may_record(ContactStatus::Rescheduled, past, None, now),
            Err(NotRecordable::Rescheduled)
        );
        assert_eq!(
            may_record(
                ContactStatus::Arranged,
                past,
                Some(ContactOutcome::Attended),
                now
            ),
            Err(NotRecordable::AlreadyRecorded)
        );
    }

    #[test]
    fn an_acceptable_failure_needs_its_reason_and_evidence() {
        let rules = OutcomeRules::default();
        let form = JudgementForm {
            judgement: Some(FailureJudgement::Acceptable),
            ..Default::default()
        };
        let errors = check_judgement(&form, date(2026, 12, 2), &rules, true).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["reason", "evidence"]);
        let form = JudgementForm {
            judgement: Some(FailureJudgement::Acceptable),
            reason: "In hospital".into(),
            evidence: "Discharge letter seen".into(),
        };
        assert!(matches!(
            check_judgement(&form, date(2026, 12, 2), &rules, true),
            Ok(Judgement::Acceptable { .. })
        ));
    }

    #[test]
    fn waiting_for_evidence_sets_the_deadline_and_cannot_be_chosen_twice() {
        let rules = OutcomeRules::default();
        let form = JudgementForm {
            judgement: Some(FailureJudgement::AwaitingEvidence),
            ..Default::default()
        };
        assert_eq!(
            check_judgement(&form, date(2026, 12, 2), &rules, true),
            Ok(Judgement::AwaitingEvidence {
                reason: None,
                due_on: date(2026, 12, 9)
            })
        );
        assert!(check_judgement(&form, date(2026, 12, 9), &rules, false).is_err());
    }

    #[test]
    fn a_failure_must_be_judged() {
        let errors = check_judgement(
            &JudgementForm::default(),
            date(2026, 12, 2),
            &OutcomeRules::default(),
            true,
        )
        .unwrap_err();
        assert_eq!(errors[0].0, "judgement");
    }
}
