//! The life of a serious further offence case after the charge: notification (never before the
//! charge, never in the future), an independent reviewer (a senior officer, head of PDU or
//! quality staff who did not manage the case), draft findings, and completion with the findings
//! and the actions for the PDU's quality improvement plan — never before notification. The state
//! and the overdue flags are worked out from the dates, so they cannot disagree with them.

use super::rules::SfoRules;
use crate::calendar::long_date;
use crate::staff::Grade;
use crate::text::{LongText, TextError};
use chrono::NaiveDate;
use thiserror::Error;

/// Where a case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SfoState {
    /// The charge is recorded; HMPPS is still to be notified.
    AwaitingNotification,
    /// Notified; no reviewer has started the review.
    Notified,
    /// The reviewer has started (saved findings).
    UnderReview,
    Completed,
}

impl SfoState {
    pub fn label(self) -> &'static str {
        match self {
            Self::AwaitingNotification => "Awaiting notification",
            Self::Notified => "Notified, review not started",
            Self::UnderReview => "Under review",
            Self::Completed => "Review completed",
        }
    }
}

/// The dates a case holds, from which its state and deadlines follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SfoDates {
    pub charged_on: NaiveDate,
    pub notification_due: NaiveDate,
    pub notified_on: Option<NaiveDate>,
    pub review_started_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
}

impl SfoDates {
    pub fn state(&self) -> SfoState {
        match (self.notified_on, self.review_started_on, self.completed_on) {
            (_, _, Some(_)) => SfoState::Completed,
            (None, _, None) => SfoState::AwaitingNotification,
            (Some(_), None, None) => SfoState::Notified,
            (Some(_), Some(_), None) => SfoState::UnderReview,
        }
    }

    /// The review's due date, once notified.
    pub fn review_due(&self, rules: &SfoRules) -> Option<NaiveDate> {
        self.notified_on.map(|day| rules.review_due(day))
    }

    /// The deadline the case is working to now: the notification's, then the review's; none
    /// once completed.
    pub fn next_deadline(&self, rules: &SfoRules) -> Option<NaiveDate> {
        match self.state() {
            SfoState::AwaitingNotification => Some(self.notification_due),
            SfoState::Notified | SfoState::UnderReview => self.review_due(rules),
            SfoState::Completed => None,
        }
    }

    /// Past its current deadline on `today`.
    pub fn is_overdue(&self, rules: &SfoRules, today: NaiveDate) -> bool {
        self.next_deadline(rules).is_some_and(|due| today > due)
    }

    /// Checks a notification date: given, not in the future, not before the charge.
    pub fn check_notification(
        &self,
        notified_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<NaiveDate, InvalidReview> {
        if self.notified_on.is_some() {
            return Err(InvalidReview::AlreadyNotified);
        }
        match notified_on {
            None => Err(InvalidReview::NotifiedMissing),
            Some(day) if day > today => Err(InvalidReview::NotifiedInFuture),
            Some(day) if day < self.charged_on => Err(InvalidReview::NotifiedBeforeCharge(
                long_date(self.charged_on),
            )),
            Some(day) => Ok(day),
        }
    }
}

/// A member of staff offered as the reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewerCandidate {
    pub grade: Grade,
    /// They were ever allocated the case, so cannot review it independently.
    pub managed_the_case: bool,
}

/// Who may review: a senior officer, head of PDU or quality staff who never managed the case.
pub fn check_reviewer(candidate: Option<ReviewerCandidate>) -> Result<(), InvalidReview> {
    match candidate {
        None => Err(InvalidReview::ReviewerMissing),
        Some(c)
            if !matches!(
                c.grade,
                Grade::SeniorProbationOfficer | Grade::HeadOfPdu | Grade::QualityInspection
            ) =>
        {
            Err(InvalidReview::ReviewerNotSenior)
        }
        Some(c) if c.managed_the_case => Err(InvalidReview::ReviewerManagedTheCase),
        Some(_) => Ok(()),
    }
}

/// The findings as the form gives them (a draft may have any of them empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    pub went_well: String,
    pub could_be_better: String,
    pub learning: String,
}

/// Completing the review, as the form gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompletionDraft {
    pub completed_on: Option<NaiveDate>,
    pub findings: Findings,
    /// The actions for the PDU's quality improvement plan, one a line.
    pub actions: String,
    pub action_owner: String,
    pub actions_due: Option<NaiveDate>,
}

/// A completion that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub completed_on: NaiveDate,
    pub went_well: LongText,
    pub could_be_better: LongText,
    pub learning: LongText,
    pub actions: Vec<String>,
    pub action_owner: String,
    pub actions_due: NaiveDate,
}

/// Why a step was refused. Each names the field to correct.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidReview {
    #[error("Enter the date HMPPS was notified")]
    NotifiedMissing,
    #[error("The date HMPPS was notified must be today or in the past")]
    NotifiedInFuture,
    #[error("The date HMPPS was notified must be on or after the date of the charge, {0}")]
    NotifiedBeforeCharge(String),
    #[error("The notification is already recorded")]
    AlreadyNotified,
    #[error("Select the reviewer")]
    ReviewerMissing,
    #[error("The reviewer must be a senior probation officer, a head of PDU or quality staff")]
    ReviewerNotSenior,
    #[error("The reviewer must not have managed the case: choose someone independent of it")]
    ReviewerManagedTheCase,
    #[error("Record the notification before the review: a review cannot be completed before HMPPS is notified")]
    NotNotified,
    #[error("The review is already completed")]
    AlreadyCompleted,
    #[error("Enter the date the review was completed")]
    CompletedMissing,
    #[error("The date the review was completed must be today or in the past")]
    CompletedInFuture,
    #[error("The review cannot be completed before it was notified, on {0}")]
    CompletedBeforeNotification(String),
    #[error("Enter what went well")]
    WentWellMissing,
    #[error("Enter what could have been better")]
    CouldBeBetterMissing,
    #[error("Enter the learning points")]
    LearningMissing,
    #[error("{field_words} must be {max} characters or fewer (it is {actual})")]
    TooLong {
        field: &'static str,
        field_words: &'static str,
        max: usize,
        actual: usize,
    },
    #[error("{field_words} {problem}")]
    Text {
        field: &'static str,
        field_words: &'static str,
        problem: TextError,
    },
    #[error("Enter at least one action for the quality improvement plan, one a line")]
    ActionsMissing,
    #[error("Enter who owns the actions")]
    ActionOwnerMissing,
    #[error("Enter the date the actions are due")]
    ActionsDueMissing,
    #[error("The date the actions are due must be on or after the review is completed")]
    ActionsDueBeforeCompletion,
}

impl InvalidReview {
    /// The form field the error belongs to, for the error summary's link.
    pub fn field(&self) -> &'static str {
        match self {
            Self::NotifiedMissing
            | Self::NotifiedInFuture
            | Self::NotifiedBeforeCharge(_)
            | Self::AlreadyNotified => "notified-day",
            Self::ReviewerMissing | Self::ReviewerNotSenior | Self::ReviewerManagedTheCase => {
                "reviewer"
            }
            Self::NotNotified
            | Self::AlreadyCompleted
            | Self::CompletedMissing
            | Self::CompletedInFuture
            | Self::CompletedBeforeNotification(_) => "completed-day",
            Self::WentWellMissing => "went_well",
            Self::CouldBeBetterMissing => "could_be_better",
            Self::LearningMissing => "learning",
            Self::TooLong { field, .. } | Self::Text { field, .. } => field,
            Self::ActionsMissing => "actions",
            Self::ActionOwnerMissing => "action_owner",
            Self::ActionsDueMissing | Self::ActionsDueBeforeCompletion => "actions_due-day",
        }
    }
}

fn text(
    raw: &str,
    field: &'static str,
    field_words: &'static str,
    missing: InvalidReview,
    required: bool,
    errors: &mut Vec<InvalidReview>,
) -> Option<LongText> {
    let read = if required {
        LongText::required(raw)
    } else {
        LongText::optional(raw)
    };
    match read {
        Ok(text) => Some(text),
        Err(TextError::Missing) => {
            errors.push(missing);
            None
        }
        Err(TextError::TooLong { max, actual }) => {
            errors.push(InvalidReview::TooLong {
                field,
                field_words,
                max,
                actual,
            });
            None
        }
        Err(problem) => {
            errors.push(InvalidReview::Text {
                field,
                field_words,
                problem,
            });
            None
        }
    }
}

impl Findings {
    /// Draft findings: any may be empty, none too long.
    pub fn check_draft(&self) -> Result<(LongText, LongText, LongText), Vec<InvalidReview>> {
        self.check(false)
    }

    fn check(&self, required: bool) -> Result<(LongText, LongText, LongText), Vec<InvalidReview>> {
        let mut errors = Vec::new();
        let went_well = text(
            &self.went_well,
            "went_well",
            "What went well",
            InvalidReview::WentWellMissing,
            required,
            &mut errors,
        );
        let could_be_better = text(
            &self.could_be_better,
            "could_be_better",
            "What could have been better",
            InvalidReview::CouldBeBetterMissing,
            required,
            &mut errors,
        );
        let learning = text(
            &self.learning,
            "learning",
            "The learning points",
            InvalidReview::LearningMissing,
            required,
            &mut errors,
        );
        match (went_well, could_be_better, learning) {
            (Some(a), Some(b), Some(c)) if errors.is_empty() => Ok((a, b, c)),
            _ => Err(errors),
        }
    }
}

impl CompletionDraft {
    /// Checks a completion of the case with `dates` on `today`: notified first, completed on or
    /// after the notification and not in the future, every finding given, at least one action.
    pub fn check(
        &self,
        dates: &SfoDates,
        today: NaiveDate,
    ) -> Result<Completion, Vec<InvalidReview>> {
        let mut errors = Vec::new();
        if dates.completed_on.is_some() {
            return Err(vec![InvalidReview::AlreadyCompleted]);
        }
        let completed_on = match (dates.notified_on, self.completed_on) {
            (None, _) => {
                errors.push(InvalidReview::NotNotified);
                None
            }
            (_, None) => {
                errors.push(InvalidReview::CompletedMissing);
                None
            }
            (_, Some(day)) if day > today => {
                errors.push(InvalidReview::CompletedInFuture);
                None
            }
            (Some(notified), Some(day)) if day < notified => {
                errors.push(InvalidReview::CompletedBeforeNotification(long_date(
                    notified,
                )));
                None
            }
            (_, Some(day)) => Some(day),
        };
        let findings = match self.findings.check(true) {
            Ok(findings) => Some(findings),
            Err(found) => {
                errors.extend(found);
                None
            }
        };
        let actions: Vec<String> = self
            .actions
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        if actions.is_empty() {
            errors.push(InvalidReview::ActionsMissing);
        }
        let owner = self.action_owner.trim().to_owned();
        if owner.is_empty() {
            errors.push(InvalidReview::ActionOwnerMissing);
        }
        let due = match self.actions_due {
            None => {
                errors.push(InvalidReview::ActionsDueMissing);
                None
            }
            Some(due) if completed_on.is_some_and(|done| due < done) => {
                errors.push(InvalidReview::ActionsDueBeforeCompletion);
                None
            }
            Some(due) => Some(due),
        };
        match (completed_on, findings, due) {
            (
                Some(completed_on),
                Some((went_well, could_be_better, learning)),
                Some(actions_due),
            ) if errors.is_empty() => Ok(Completion {
                completed_on,
                went_well,
                could_be_better,
                learning,
                actions,
                action_owner: owner,
                actions_due,
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

    fn today() -> NaiveDate {
        date(2026, 12, 2)
    }

    fn awaiting() -> SfoDates {
        SfoDates {
            charged_on: date(2026, 11, 20),
            notification_due: date(2026, 12, 7),
            notified_on: None,
            review_started_on: None,
            completed_on: None,
        }
    }

    fn notified(on: NaiveDate) -> SfoDates {
        SfoDates {
            notified_on: Some(on),
            ..awaiting()
        }
    }

    fn completion() -> CompletionDraft {
        CompletionDraft {
            completed_on: Some(date(2026, 12, 1)),
            findings: Findings {
                went_well: "Home visits kept to the plan.".into(),
                could_be_better: "The police check was not chased.".into(),
                learning: "Chase overdue checks at supervision.".into(),
            },
            actions: "Audit check chasing in March\n\nBrief teams on escalation".into(),
            action_owner: "Head of PDU".into(),
            actions_due: Some(date(2027, 3, 31)),
        }
    }

    #[test]
    fn the_state_follows_the_dates() {
        let rules = SfoRules::default();
        assert_eq!(awaiting().state(), SfoState::AwaitingNotification);
        let on = notified(date(2026, 11, 25));
        assert_eq!(on.state(), SfoState::Notified);
        assert_eq!(
            on.next_deadline(&rules),
            Some(rules.review_due(date(2026, 11, 25)))
        );
        let started = SfoDates {
            review_started_on: Some(date(2026, 11, 26)),
            ..on
        };
        assert_eq!(started.state(), SfoState::UnderReview);
        let done = SfoDates {
            completed_on: Some(date(2026, 12, 1)),
            ..started
        };
        assert_eq!(done.state(), SfoState::Completed);
        assert_eq!(done.next_deadline(&rules), None);
        assert!(!done.is_overdue(&rules, date(2030, 1, 1)));
    }

    #[test]
    fn an_unnotified_case_is_overdue_the_working_day_after_its_notification_was_due() {
        let rules = SfoRules::default();
        assert!(!awaiting().is_overdue(&rules, date(2026, 12, 7)));
        assert!(awaiting().is_overdue(&rules, date(2026, 12, 8)));
    }

    #[test]
    fn a_notification_before_the_charge_or_in_the_future_is_refused_on_its_field() {
        let error = awaiting()
            .check_notification(Some(date(2026, 11, 19)), today())
            .unwrap_err();
        assert_eq!(error.field(), "notified-day");
        assert_eq!(
            error.to_string(),
            "The date HMPPS was notified must be on or after the date of the charge, 20 November 2026"
        );
        assert_eq!(
            awaiting().check_notification(Some(date(2026, 12, 3)), today()),
            Err(InvalidReview::NotifiedInFuture)
        );
        assert_eq!(
            awaiting().check_notification(Some(date(2026, 11, 20)), today()),
            Ok(date(2026, 11, 20))
        );
        assert_eq!(
            notified(date(2026, 11, 21)).check_notification(Some(date(2026, 11, 22)), today()),
            Err(InvalidReview::AlreadyNotified)
        );
    }

    #[test]
    fn a_review_of_a_case_not_yet_notified_cannot_be_completed() {
        let errors = completion().check(&awaiting(), today()).unwrap_err();
        assert_eq!(errors, vec![InvalidReview::NotNotified]);
        assert_eq!(errors[0].field(), "completed-day");
    }

    #[test]
    fn a_review_completed_before_its_notification_is_refused() {
        let errors = completion()
            .check(&notified(date(2026, 12, 2)), today())
            .unwrap_err();
        assert_eq!(
            errors,
            vec![InvalidReview::CompletedBeforeNotification(
                "2 December 2026".into()
            )]
        );
    }

    #[test]
    fn a_completion_in_the_future_is_refused() {
        let mut future = completion();
        future.completed_on = Some(date(2026, 12, 3));
        assert_eq!(
            future
                .check(&notified(date(2026, 11, 25)), today())
                .unwrap_err(),
            vec![InvalidReview::CompletedInFuture]
        );
    }

    #[test]
    fn completion_needs_every_finding_and_an_action_each_named() {
        let empty = CompletionDraft {
            completed_on: Some(date(2026, 12, 1)),
            ..CompletionDraft::default()
        };
        let fields: Vec<_> = empty
            .check(&notified(date(2026, 11, 25)), today())
            .unwrap_err()
            .iter()
            .map(InvalidReview::field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "went_well",
                "could_be_better",
                "learning",
                "actions",
                "action_owner",
                "actions_due-day"
            ]
        );
    }

    #[test]
    fn a_completed_review_keeps_each_action_line_and_cannot_be_completed_again() {
        let done = completion()
            .check(&notified(date(2026, 11, 25)), today())
            .unwrap();
        assert_eq!(
            done.actions,
            vec!["Audit check chasing in March", "Brief teams on escalation"]
        );
        let completed = SfoDates {
            completed_on: Some(date(2026, 12, 1)),
            ..notified(date(2026, 11, 25))
        };
        assert_eq!(
            completion().check(&completed, today()).unwrap_err(),
            vec![InvalidReview::AlreadyCompleted]
        );
    }

    #[test]
    fn draft_findings_may_be_empty_but_not_too_long() {
        assert!(Findings::default().check_draft().is_ok());
        let long = Findings {
            learning: "a".repeat(10_001),
            ..Findings::default()
        };
        let errors = long.check_draft().unwrap_err();
        assert_eq!(errors[0].field(), "learning");
    }

    #[test]
    fn the_reviewer_is_senior_and_independent_of_the_case() {
        assert_eq!(check_reviewer(None), Err(InvalidReview::ReviewerMissing));
        assert_eq!(
            check_reviewer(Some(ReviewerCandidate {
                grade: Grade::ProbationOfficer,
                managed_the_case: false
            })),
            Err(InvalidReview::ReviewerNotSenior)
        );
        assert_eq!(
            check_reviewer(Some(ReviewerCandidate {
                grade: Grade::SeniorProbationOfficer,
                managed_the_case: true
            })),
            Err(InvalidReview::ReviewerManagedTheCase)
        );
        for grade in [
            Grade::SeniorProbationOfficer,
            Grade::HeadOfPdu,
            Grade::QualityInspection,
        ] {
            assert!(check_reviewer(Some(ReviewerCandidate {
                grade,
                managed_the_case: false
            }))
            .is_ok());
        }
    }
}
