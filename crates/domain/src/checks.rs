//! Safeguarding checks: the police domestic-abuse call-out check and the children's-services check
//! that a risk of serious harm assessment needs (reference §4). Until partner exchange is built,
//! practitioners record the request and the response themselves.

use crate::calendar::{add_working_days, long_date};
use crate::coded_enum;
use crate::text::{LongText, TextError};
use chrono::NaiveDate;
use thiserror::Error;

coded_enum! {
    /// Which agency is asked, and about what.
    pub enum CheckKind ("check") {
        PoliceDomesticAbuse => "police_domestic_abuse", "Police domestic-abuse check",
        ChildrensServices => "childrens_services", "Children's services safeguarding check",
    }
}

/// How long each agency has to answer, in working days. Configurable reference data: the rule
/// version is shown beside every deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckDeadlineRules {
    pub version: &'static str,
    pub police_working_days: u32,
    pub childrens_services_working_days: u32,
}

impl Default for CheckDeadlineRules {
    fn default() -> Self {
        Self {
            version: "keepsafe check deadlines 1 (10 working days each)",
            police_working_days: 10,
            childrens_services_working_days: 10,
        }
    }
}

impl CheckDeadlineRules {
    pub fn working_days(&self, kind: CheckKind) -> u32 {
        match kind {
            CheckKind::PoliceDomesticAbuse => self.police_working_days,
            CheckKind::ChildrensServices => self.childrens_services_working_days,
        }
    }

    /// The date a response is due, counted in England and Wales working days.
    pub fn deadline(&self, kind: CheckKind, requested_on: NaiveDate) -> NaiveDate {
        add_working_days(requested_on, self.working_days(kind))
    }
}

/// A recorded answer from the agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResponse {
    pub received_on: NaiveDate,
    /// Whether the person, address or household is known to the agency.
    pub known_to_agency: bool,
    pub summary: LongText,
}

/// Why a response could not be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidResponse {
    #[error(
        "The date the response was received must be on or after the date it was requested ({0})"
    )]
    BeforeRequest(String),
    #[error("The date the response was received cannot be in the future")]
    InFuture,
    #[error("Summary: {0}")]
    Summary(TextError),
}

impl CheckResponse {
    pub fn parse(
        received_on: NaiveDate,
        known_to_agency: bool,
        summary: &str,
        requested_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Self, InvalidResponse> {
        if received_on < requested_on {
            return Err(InvalidResponse::BeforeRequest(long_date(requested_on)));
        }
        if received_on > today {
            return Err(InvalidResponse::InFuture);
        }
        Ok(Self {
            received_on,
            known_to_agency,
            summary: LongText::required(summary).map_err(InvalidResponse::Summary)?,
        })
    }
}

/// Why a senior officer's authorisation to proceed without a response was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthorisationRefused {
    #[error("The response is due by {0}. You can authorise completion without it only after the deadline has passed")]
    DeadlineNotPassed(String),
    #[error("The response has already been recorded")]
    AlreadyAnswered,
    #[error("Reason: {0}")]
    Reason(TextError),
}

/// Checks a senior officer's authorisation to complete an assessment without an outstanding
/// response: allowed only once the deadline has passed, and only with a recorded reason.
pub fn authorise_without_response(
    deadline: NaiveDate,
    answered: bool,
    reason: &str,
    today: NaiveDate,
) -> Result<LongText, AuthorisationRefused> {
    if answered {
        return Err(AuthorisationRefused::AlreadyAnswered);
    }
    if today <= deadline {
        return Err(AuthorisationRefused::DeadlineNotPassed(long_date(deadline)));
    }
    LongText::required(reason).map_err(AuthorisationRefused::Reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_police_check_is_due_ten_working_days_after_the_request() {
        let rules = CheckDeadlineRules::default();
        assert_eq!(
            rules.deadline(CheckKind::PoliceDomesticAbuse, date(2026, 11, 20)),
            date(2026, 12, 4)
        );
    }

    #[test]
    fn deadlines_skip_christmas() {
        let rules = CheckDeadlineRules::default();
        assert_eq!(
            rules.deadline(CheckKind::ChildrensServices, date(2026, 12, 18)),
            date(2027, 1, 6)
        );
    }

    #[test]
    fn a_response_cannot_predate_its_request_or_be_in_the_future() {
        let today = date(2026, 11, 22);
        assert!(matches!(
            CheckResponse::parse(
                date(2026, 11, 1),
                true,
                "Two call-outs",
                date(2026, 11, 2),
                today
            ),
            Err(InvalidResponse::BeforeRequest(_))
        ));
        assert_eq!(
            CheckResponse::parse(date(2026, 11, 23), true, "x", date(2026, 11, 2), today),
            Err(InvalidResponse::InFuture)
        );
        assert!(matches!(
            CheckResponse::parse(date(2026, 11, 3), true, "  ", date(2026, 11, 2), today),
            Err(InvalidResponse::Summary(TextError::Missing))
        ));
    }

    #[test]
    fn completion_without_a_response_is_authorised_only_after_the_deadline_with_a_reason() {
        let deadline = date(2026, 12, 4);
        assert!(matches!(
            authorise_without_response(deadline, false, "Police backlog", date(2026, 12, 4)),
            Err(AuthorisationRefused::DeadlineNotPassed(_))
        ));
        assert!(matches!(
            authorise_without_response(deadline, false, "", date(2026, 12, 7)),
            Err(AuthorisationRefused::Reason(TextError::Missing))
        ));
        assert_eq!(
            authorise_without_response(deadline, true, "x", date(2026, 12, 7)),
            Err(AuthorisationRefused::AlreadyAnswered)
        );
        assert!(
            authorise_without_response(deadline, false, "Chased twice", date(2026, 12, 7)).is_ok()
        );
    }
}
