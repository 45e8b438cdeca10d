//! A referral to a programme, from referral to its end: assessed for suitability (suitable, or
//! not suitable with the reason), on the waiting list while suitable and not started, started
//! (with the cohort, if the provider gives one), sessions attended, then completed or not
//! completed with the reason. Each step is a pure function of the referral as read and what the
//! form gave, refusing with every problem named against its field; the caller passes `today`.

use crate::coded_enum;
use crate::CodedValue;
use chrono::NaiveDate;
use thiserror::Error;

coded_enum! {
    /// Where a referral stands.
    pub enum ReferralStatus ("referral status") {
        AwaitingAssessment => "awaiting_assessment", "Waiting for a suitability assessment",
        Suitable => "suitable", "On the waiting list",
        NotSuitable => "not_suitable", "Not suitable",
        Started => "started", "Started",
        Completed => "completed", "Completed",
        NotCompleted => "not_completed", "Not completed",
    }
}

impl ReferralStatus {
    /// Referred and not yet started, nor found unsuitable: waiting for a place or an assessment.
    pub fn is_waiting(self) -> bool {
        matches!(self, Self::AwaitingAssessment | Self::Suitable)
    }

    /// Started and ended, one way or the other: what a completion rate divides by.
    pub fn is_finished(self) -> bool {
        matches!(self, Self::Completed | Self::NotCompleted)
    }
}

coded_enum! {
    /// Why a programme that started was not completed.
    pub enum NonCompletionReason ("non-completion reason") {
        Breached => "breached", "Breach action: returned to court",
        Withdrew => "withdrew", "Left or withdrew",
        Deselected => "deselected", "Deselected by the programme team",
        Custody => "custody", "Recalled or taken into custody",
        MovedArea => "moved_area", "Moved to another area",
        Health => "health", "Health",
        Other => "other", "Another reason",
    }
}

/// A referral as read from the record: what every later step is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub status: ReferralStatus,
    pub referred_on: NaiveDate,
    pub assessed_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    /// The session numbers already recorded.
    pub sessions_recorded: Vec<u32>,
    /// How many sessions the programme has (from the catalogue).
    pub sessions_planned: u32,
}

/// A new referral as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralDraft {
    /// Whether a programme open for referrals was chosen.
    pub programme_chosen: bool,
    pub referred_on: Option<NaiveDate>,
    pub notes: String,
}

/// The suitability assessment as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentDraft {
    pub assessed_on: Option<NaiveDate>,
    pub suitable: Option<bool>,
    pub reason: String,
}

/// The start as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartDraft {
    pub started_on: Option<NaiveDate>,
    pub cohort: String,
}

/// A session's attendance as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDraft {
    pub number: Option<u32>,
    pub held_on: Option<NaiveDate>,
}

/// The end as the form gives it: completed, or not with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndDraft {
    pub ended_on: Option<NaiveDate>,
    pub completed: Option<bool>,
    pub reason: Option<NonCompletionReason>,
    pub detail: String,
}

/// Why a step was refused. Each names the form field to correct.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidStep {
    #[error("Select the programme to refer to")]
    ProgrammeMissing,
    #[error("Enter the date of the referral")]
    ReferredOnMissing,
    #[error("The date of the referral must be today or in the past")]
    ReferredInFuture,
    #[error("The date of the referral must be on or after the requirement began, {0}")]
    ReferredBeforeRequirement(String),
    #[error("Notes must be 2,000 characters or fewer")]
    NotesTooLong,
    #[error("This referral has already been assessed")]
    AlreadyAssessed,
    #[error("Enter the date of the suitability assessment")]
    AssessedOnMissing,
    #[error("The date of the assessment must be today or in the past")]
    AssessedInFuture,
    #[error("The date of the assessment must be on or after the referral, {0}")]
    AssessedBeforeReferral(String),
    #[error("Select whether the person is suitable for the programme")]
    SuitabilityMissing,
    #[error("Enter why the person is not suitable for the programme")]
    UnsuitableReasonMissing,
    #[error("Only a referral on the waiting list can start: {0}")]
    NotOnWaitingList(String),
    #[error("Enter the date the programme started")]
    StartedOnMissing,
    #[error("The date the programme started must be today or in the past")]
    StartedInFuture,
    #[error("The date the programme started must be on or after the referral, {0}")]
    StartedBeforeReferral(String),
    #[error("The date the programme started must be on or after the suitability assessment, {0}")]
    StartedBeforeAssessment(String),
    #[error("The cohort or group must be 100 characters or fewer")]
    CohortTooLong,
    #[error(
        "Record the start of the programme before its sessions or its end: it has not started"
    )]
    NotStarted,
    #[error("This programme has already ended")]
    AlreadyEnded,
    #[error("Enter the session number")]
    SessionNumberMissing,
    #[error("The session number must be between 1 and {0}")]
    SessionNumberOutOfRange(u32),
    #[error("Session {0} has already been recorded")]
    SessionAlreadyRecorded(u32),
    #[error("Enter the date of the session")]
    HeldOnMissing,
    #[error("The date of the session must be today or in the past")]
    HeldInFuture,
    #[error("The date of the session must be on or after the programme started, {0}")]
    HeldBeforeStart(String),
    #[error("Select whether the programme was completed")]
    OutcomeMissing,
    #[error("Enter the date the programme ended")]
    EndedOnMissing,
    #[error("The date the programme ended must be today or in the past")]
    EndedInFuture,
    #[error("The date the programme ended must be on or after it started, {0}")]
    EndedBeforeStart(String),
    #[error("Select why the programme was not completed")]
    ReasonMissing,
    #[error("Enter the other reason the programme was not completed")]
    ReasonDetailMissing,
}

impl InvalidStep {
    /// The form field the error belongs to, for the error summary's link.
    pub fn field(&self) -> &'static str {
        match self {
            Self::ProgrammeMissing => "programme",
            Self::ReferredOnMissing
            | Self::ReferredInFuture
            | Self::ReferredBeforeRequirement(_) => "referred-day",
            Self::NotesTooLong => "notes",
            Self::AlreadyAssessed => "suitable",
            Self::AssessedOnMissing | Self::AssessedInFuture | Self::AssessedBeforeReferral(_) => {
                "assessed-day"
            }
            Self::SuitabilityMissing => "suitable",
            Self::UnsuitableReasonMissing => "reason",
            Self::NotOnWaitingList(_)
            | Self::StartedOnMissing
            | Self::StartedInFuture
            | Self::StartedBeforeReferral(_)
            | Self::StartedBeforeAssessment(_) => "started-day",
            Self::CohortTooLong => "cohort",
            Self::NotStarted | Self::AlreadyEnded | Self::OutcomeMissing => "completed",
            Self::SessionNumberMissing
            | Self::SessionNumberOutOfRange(_)
            | Self::SessionAlreadyRecorded(_) => "number",
            Self::HeldOnMissing | Self::HeldInFuture | Self::HeldBeforeStart(_) => "held-day",
            Self::EndedOnMissing | Self::EndedInFuture | Self::EndedBeforeStart(_) => "ended-day",
            Self::ReasonMissing => "reason",
            Self::ReasonDetailMissing => "detail",
        }
    }
}

fn words(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

const NOTES_MAX: usize = 2_000;
const COHORT_MAX: usize = 100;

/// A date that must be given, not after `today`, not before `earliest` (if any).
fn dated(
    given: Option<NaiveDate>,
    today: NaiveDate,
    earliest: Option<NaiveDate>,
    missing: InvalidStep,
    future: InvalidStep,
    before: impl FnOnce(String) -> InvalidStep,
    errors: &mut Vec<InvalidStep>,
) -> Option<NaiveDate> {
    match given {
        None => errors.push(missing),
        Some(on) if on > today => errors.push(future),
        Some(on) if earliest.is_some_and(|earliest| on < earliest) => {
            errors.push(before(words(earliest.expect("checked"))))
        }
        Some(on) => return Some(on),
    }
    None
}

/// What a new referral records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    pub referred_on: NaiveDate,
    pub notes: String,
}

impl ReferralDraft {
    /// Checks a new referral against the day its requirement began (if made against one) and
    /// `today`.
    pub fn check(
        &self,
        requirement_began: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<NewReferral, Vec<InvalidStep>> {
        let mut errors = Vec::new();
        if !self.programme_chosen {
            errors.push(InvalidStep::ProgrammeMissing);
        }
        let on = dated(
            self.referred_on,
            today,
            requirement_began,
            InvalidStep::ReferredOnMissing,
            InvalidStep::ReferredInFuture,
            InvalidStep::ReferredBeforeRequirement,
            &mut errors,
        );
        let notes = self.notes.trim().to_owned();
        if notes.chars().count() > NOTES_MAX {
            errors.push(InvalidStep::NotesTooLong);
        }
        match on {
            Some(referred_on) if errors.is_empty() => Ok(NewReferral { referred_on, notes }),
            _ => Err(errors),
        }
    }
}

/// A suitability assessment that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessed {
    pub assessed_on: NaiveDate,
    pub status: ReferralStatus,
    pub reason: String,
}

/// A start that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub started_on: NaiveDate,
    pub cohort: Option<String>,
}

/// A session that passed the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attended {
    pub number: u32,
    pub held_on: NaiveDate,
}

/// An end that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    pub ended_on: NaiveDate,
    pub status: ReferralStatus,
    pub reason: Option<NonCompletionReason>,
    pub detail: String,
}

impl Referral {
    /// The suitability assessment: only of a referral waiting for one, on or after the referral
    /// and not in the future; "not suitable" needs the reason.
    pub fn assess(
        &self,
        draft: &AssessmentDraft,
        today: NaiveDate,
    ) -> Result<Assessed, Vec<InvalidStep>> {
        if self.status != ReferralStatus::AwaitingAssessment {
            return Err(vec![InvalidStep::AlreadyAssessed]);
        }
        let mut errors = Vec::new();
        let on = dated(
            draft.assessed_on,
            today,
            Some(self.referred_on),
            InvalidStep::AssessedOnMissing,
            InvalidStep::AssessedInFuture,
            InvalidStep::AssessedBeforeReferral,
            &mut errors,
        );
        let reason = draft.reason.trim().to_owned();
        match draft.suitable {
            None => errors.push(InvalidStep::SuitabilityMissing),
            Some(false) if reason.is_empty() => errors.push(InvalidStep::UnsuitableReasonMissing),
            _ => {}
        }
        if reason.chars().count() > NOTES_MAX {
            errors.push(InvalidStep::NotesTooLong);
        }
        match (on, draft.suitable) {
            (Some(assessed_on), Some(suitable)) if errors.is_empty() => Ok(Assessed {
                assessed_on,
                status: if suitable {
                    ReferralStatus::Suitable
                } else {
                    ReferralStatus::NotSuitable
                },
                reason,
            }),
            _ => Err(errors),
        }
    }

    /// The start: only from the waiting list (assessed suitable), on or after the referral and
    /// the assessment, not in the future.
    pub fn start(&self, draft: &StartDraft, today: NaiveDate) -> Result<Started, Vec<InvalidStep>> {
        if self.status != ReferralStatus::Suitable {
            return Err(vec![InvalidStep::NotOnWaitingList(
                self.status.label().to_lowercase(),
            )]);
        }
        let mut errors = Vec::new();
        let on = dated(
            draft.started_on,
            today,
            Some(self.referred_on),
            InvalidStep::StartedOnMissing,
            InvalidStep::StartedInFuture,
            InvalidStep::StartedBeforeReferral,
            &mut errors,
        );
        if let (Some(on), Some(assessed)) = (on, self.assessed_on) {
            if on < assessed {
                errors.push(InvalidStep::StartedBeforeAssessment(words(assessed)));
            }
        }
        let cohort = draft.cohort.trim().to_owned();
        if cohort.chars().count() > COHORT_MAX {
            errors.push(InvalidStep::CohortTooLong);
        }
        match on {
            Some(started_on) if errors.is_empty() => Ok(Started {
                started_on,
                cohort: (!cohort.is_empty()).then_some(cohort),
            }),
            _ => Err(errors),
        }
    }

    fn started_and_open(&self) -> Result<NaiveDate, InvalidStep> {
        match (self.status, self.started_on) {
            (ReferralStatus::Started, Some(on)) => Ok(on),
            (status, _) if status.is_finished() => Err(InvalidStep::AlreadyEnded),
            _ => Err(InvalidStep::NotStarted),
        }
    }

    /// A session attended or missed: only while the programme runs, each session once, on or
    /// after the start and not in the future.
    pub fn attend(
        &self,
        draft: &SessionDraft,
        today: NaiveDate,
    ) -> Result<Attended, Vec<InvalidStep>> {
        let started = self.started_and_open().map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        let number = match draft.number {
            None => {
                errors.push(InvalidStep::SessionNumberMissing);
                None
            }
            Some(n) if n == 0 || n > self.sessions_planned => {
                errors.push(InvalidStep::SessionNumberOutOfRange(self.sessions_planned));
                None
            }
            Some(n) if self.sessions_recorded.contains(&n) => {
                errors.push(InvalidStep::SessionAlreadyRecorded(n));
                None
            }
            Some(n) => Some(n),
        };
        let on = dated(
            draft.held_on,
            today,
            Some(started),
            InvalidStep::HeldOnMissing,
            InvalidStep::HeldInFuture,
            InvalidStep::HeldBeforeStart,
            &mut errors,
        );
        match (number, on) {
            (Some(number), Some(held_on)) if errors.is_empty() => Ok(Attended { number, held_on }),
            _ => Err(errors),
        }
    }

    /// The end: only of a programme that started and has not ended, on or after its start and
    /// not in the future; a non-completion needs its reason ("another reason" in words).
    pub fn end(&self, draft: &EndDraft, today: NaiveDate) -> Result<Ended, Vec<InvalidStep>> {
        let started = self.started_and_open().map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        let on = dated(
            draft.ended_on,
            today,
            Some(started),
            InvalidStep::EndedOnMissing,
            InvalidStep::EndedInFuture,
            InvalidStep::EndedBeforeStart,
            &mut errors,
        );
        let detail = draft.detail.trim().to_owned();
        match (draft.completed, draft.reason) {
            (None, _) => errors.push(InvalidStep::OutcomeMissing),
            (Some(false), None) => errors.push(InvalidStep::ReasonMissing),
            (Some(false), Some(NonCompletionReason::Other)) if detail.is_empty() => {
                errors.push(InvalidStep::ReasonDetailMissing)
            }
            _ => {}
        }
        if detail.chars().count() > NOTES_MAX {
            errors.push(InvalidStep::NotesTooLong);
        }
        match (on, draft.completed) {
            (Some(ended_on), Some(completed)) if errors.is_empty() => Ok(Ended {
                ended_on,
                status: if completed {
                    ReferralStatus::Completed
                } else {
                    ReferralStatus::NotCompleted
                },
                reason: if completed { None } else { draft.reason },
                detail,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2026, 12, 6);

    fn today() -> NaiveDate {
        date(TODAY.0, TODAY.1, TODAY.2)
    }

    fn referral(status: ReferralStatus) -> Referral {
        let started = matches!(
            status,
            ReferralStatus::Started | ReferralStatus::Completed | ReferralStatus::NotCompleted
        );
        Referral {
            status,
            referred_on: date(2026, 3, 2),
            assessed_on: (status != ReferralStatus::AwaitingAssessment).then(|| date(2026, 4, 1)),
            started_on: started.then(|| date(2026, 9, 7)),
            ended_on: None,
            sessions_recorded: vec![1, 2],
            sessions_planned: 19,
        }
    }

    fn fields(errors: Vec<InvalidStep>) -> Vec<&'static str> {
        errors.iter().map(InvalidStep::field).collect()
    }

    #[test]
    fn a_referral_is_assessed_suitable_then_started_then_completed() {
        let r = referral(ReferralStatus::AwaitingAssessment);
        let assessed = r
            .assess(
                &AssessmentDraft {
                    assessed_on: Some(date(2026, 3, 20)),
                    suitable: Some(true),
                    reason: String::new(),
                },
                today(),
            )
            .unwrap();
        assert_eq!(assessed.status, ReferralStatus::Suitable);
        let waiting = Referral {
            status: assessed.status,
            assessed_on: Some(assessed.assessed_on),
            ..r
        };
        let started = waiting
            .start(
                &StartDraft {
                    started_on: Some(date(2026, 9, 7)),
                    cohort: " Leicester Tuesday group ".into(),
                },
                today(),
            )
            .unwrap();
        assert_eq!(started.cohort.as_deref(), Some("Leicester Tuesday group"));
        let running = Referral {
            status: ReferralStatus::Started,
            started_on: Some(started.started_on),
            ..waiting
        };
        let ended = running
            .end(
                &EndDraft {
                    ended_on: Some(date(2026, 12, 1)),
                    completed: Some(true),
                    reason: Some(NonCompletionReason::Health),
                    detail: String::new(),
                },
                today(),
            )
            .unwrap();
        assert_eq!(ended.status, ReferralStatus::Completed);
        assert_eq!(ended.reason, None, "a completion keeps no reason");
    }

    #[test]
    fn not_suitable_needs_the_reason() {
        let r = referral(ReferralStatus::AwaitingAssessment);
        let draft = AssessmentDraft {
            assessed_on: Some(date(2026, 3, 20)),
            suitable: Some(false),
            reason: " ".into(),
        };
        assert_eq!(
            r.assess(&draft, today()).unwrap_err(),
            vec![InvalidStep::UnsuitableReasonMissing]
        );
        let with_reason = AssessmentDraft {
            reason: "Denies the offence; the programme needs some acceptance".into(),
            ..draft
        };
        assert_eq!(
            r.assess(&with_reason, today()).unwrap().status,
            ReferralStatus::NotSuitable
        );
    }

    #[test]
    fn an_assessed_referral_is_not_assessed_again() {
        let r = referral(ReferralStatus::Suitable);
        let draft = AssessmentDraft {
            assessed_on: Some(date(2026, 4, 1)),
            suitable: Some(true),
            reason: String::new(),
        };
        assert_eq!(
            r.assess(&draft, today()).unwrap_err(),
            vec![InvalidStep::AlreadyAssessed]
        );
    }

    #[test]
    fn a_start_before_the_referral_or_in_the_future_is_refused() {
        let r = referral(ReferralStatus::Suitable);
        let before = StartDraft {
            started_on: Some(date(2026, 3, 1)),
            cohort: String::new(),
        };
        assert_eq!(
            r.start(&before, today()).unwrap_err(),
            vec![InvalidStep::StartedBeforeReferral("2 March 2026".into())]
        );
        let before_assessment = StartDraft {
            started_on: Some(date(2026, 3, 20)),
            cohort: String::new(),
        };
        assert_eq!(
            r.start(&before_assessment, today()).unwrap_err(),
            vec![InvalidStep::StartedBeforeAssessment("1 April 2026".into())]
        );
        let future = StartDraft {
            started_on: Some(date(2026, 12, 7)),
            cohort: String::new(),
        };
        assert_eq!(
            fields(r.start(&future, today()).unwrap_err()),
            vec!["started-day"]
        );
    }

    #[test]
    fn only_a_referral_on_the_waiting_list_starts() {
        let r = referral(ReferralStatus::NotSuitable);
        let draft = StartDraft {
            started_on: Some(date(2026, 9, 7)),
            cohort: String::new(),
        };
        let errors = r.start(&draft, today()).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "Only a referral on the waiting list can start: not suitable"
        );
    }

    #[test]
    fn a_completion_before_the_start_is_refused_with_the_date_named() {
        let r = referral(ReferralStatus::Started);
        let draft = EndDraft {
            ended_on: Some(date(2026, 9, 6)),
            completed: Some(true),
            reason: None,
            detail: String::new(),
        };
        let errors = r.end(&draft, today()).unwrap_err();
        assert_eq!(
            errors,
            vec![InvalidStep::EndedBeforeStart("7 September 2026".into())]
        );
        assert_eq!(errors[0].field(), "ended-day");
    }

    #[test]
    fn completing_a_programme_never_started_is_refused() {
        for status in [
            ReferralStatus::AwaitingAssessment,
            ReferralStatus::Suitable,
            ReferralStatus::NotSuitable,
        ] {
            let r = referral(status);
            let draft = EndDraft {
                ended_on: Some(date(2026, 12, 1)),
                completed: Some(true),
                reason: None,
                detail: String::new(),
            };
            assert_eq!(
                r.end(&draft, today()).unwrap_err(),
                vec![InvalidStep::NotStarted],
                "{status:?}"
            );
        }
        let done = referral(ReferralStatus::Completed);
        let draft = EndDraft {
            ended_on: Some(date(2026, 12, 1)),
            completed: Some(false),
            reason: Some(NonCompletionReason::Withdrew),
            detail: String::new(),
        };
        assert_eq!(
            done.end(&draft, today()).unwrap_err(),
            vec![InvalidStep::AlreadyEnded]
        );
    }

    #[test]
    fn a_non_completion_needs_its_reason_and_another_reason_needs_words() {
        let r = referral(ReferralStatus::Started);
        let mut draft = EndDraft {
            ended_on: Some(date(2026, 11, 30)),
            completed: Some(false),
            reason: None,
            detail: String::new(),
        };
        assert_eq!(fields(r.end(&draft, today()).unwrap_err()), vec!["reason"]);
        draft.reason = Some(NonCompletionReason::Other);
        assert_eq!(fields(r.end(&draft, today()).unwrap_err()), vec!["detail"]);
        draft.detail = "Started full-time work on nights".into();
        let ended = r.end(&draft, today()).unwrap();
        assert_eq!(ended.status, ReferralStatus::NotCompleted);
        assert_eq!(ended.reason, Some(NonCompletionReason::Other));
    }

    #[test]
    fn every_missing_field_of_an_end_is_named_at_once() {
        let r = referral(ReferralStatus::Started);
        let draft = EndDraft {
            ended_on: None,
            completed: None,
            reason: None,
            detail: String::new(),
        };
        assert_eq!(
            fields(r.end(&draft, today()).unwrap_err()),
            vec!["ended-day", "completed"]
        );
    }

    #[test]
    fn a_session_is_recorded_once_within_the_programme_and_after_its_start() {
        let r = referral(ReferralStatus::Started);
        let twice = SessionDraft {
            number: Some(2),
            held_on: Some(date(2026, 9, 14)),
        };
        assert_eq!(
            r.attend(&twice, today()).unwrap_err(),
            vec![InvalidStep::SessionAlreadyRecorded(2)]
        );
        let beyond = SessionDraft {
            number: Some(20),
            held_on: Some(date(2026, 9, 14)),
        };
        assert_eq!(
            r.attend(&beyond, today()).unwrap_err(),
            vec![InvalidStep::SessionNumberOutOfRange(19)]
        );
        let early = SessionDraft {
            number: Some(3),
            held_on: Some(date(2026, 9, 1)),
        };
        assert_eq!(
            fields(r.attend(&early, today()).unwrap_err()),
            vec!["held-day"]
        );
        let good = SessionDraft {
            number: Some(3),
            held_on: Some(date(2026, 9, 21)),
        };
        assert_eq!(
            r.attend(&good, today()).unwrap(),
            Attended {
                number: 3,
                held_on: date(2026, 9, 21)
            }
        );
        let waiting = referral(ReferralStatus::Suitable);
        assert_eq!(
            waiting.attend(&good, today()).unwrap_err(),
            vec![InvalidStep::NotStarted]
        );
    }

    #[test]
    fn a_referral_in_the_future_or_before_its_requirement_is_refused() {
        let draft = ReferralDraft {
            programme_chosen: true,
            referred_on: Some(date(2026, 12, 7)),
            notes: String::new(),
        };
        assert_eq!(
            draft.check(None, today()).unwrap_err(),
            vec![InvalidStep::ReferredInFuture]
        );
        let early = ReferralDraft {
            referred_on: Some(date(2026, 1, 4)),
            ..draft.clone()
        };
        assert_eq!(
            early.check(Some(date(2026, 1, 5)), today()).unwrap_err(),
            vec![InvalidStep::ReferredBeforeRequirement(
                "5 January 2026".into()
            )]
        );
        let none = ReferralDraft {
            programme_chosen: false,
            referred_on: None,
            notes: String::new(),
        };
        assert_eq!(
            fields(none.check(None, today()).unwrap_err()),
            vec!["programme", "referred-day"]
        );
    }
}
