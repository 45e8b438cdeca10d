//! Inspection recommendations and the actions a unit plans in response. Kept small: a
//! recommendation, actions with an owner and a due date, and a status that can only move forward,
//! so an action plan shows honestly what was done, what was dropped and why, and what is overdue.

use super::framework::Framework;
use crate::text::{bounded, TextError};
use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

/// A recommendation from an inspection, optionally tied to the standard it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    pub text: String,
    pub standard: Option<String>,
}

/// Why a recommendation or an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlanRefused {
    #[error("Enter the recommendation's text")]
    MissingText,
    #[error("Standard {standard} is not in framework {framework}")]
    UnknownStandard { standard: String, framework: String },
    #[error("Enter what the action is")]
    MissingDescription,
    #[error("Name who owns the action")]
    MissingOwner,
    #[error("Record why the action is being dropped")]
    MissingDropReason,
    #[error("An action that is {from} cannot become {to}")]
    NotAllowed {
        from: &'static str,
        to: &'static str,
    },
    /// Text too long, or holding characters that would change how it reads.
    #[error("{what} {problem}")]
    Text {
        what: &'static str,
        problem: TextError,
    },
}

/// The longest recommendation, action description or reason: as long as any other free text.
pub const MAX_TEXT_CHARS: usize = crate::text::LongText::MAX_CHARS;
/// The longest name of an action's owner.
pub const MAX_OWNER_CHARS: usize = 200;

/// Checks one piece of a plan's text against its limit.
fn plan_text(raw: &str, what: &'static str, max: usize) -> Result<String, PlanRefused> {
    bounded(raw, max).map_err(|problem| PlanRefused::Text { what, problem })
}

impl Recommendation {
    /// A recommendation with text, its standard (if any) checked against the framework.
    pub fn new(
        framework: &Framework,
        text: &str,
        standard: Option<&str>,
    ) -> Result<Self, PlanRefused> {
        let text = plan_text(text, "The recommendation", MAX_TEXT_CHARS)?;
        if text.is_empty() {
            return Err(PlanRefused::MissingText);
        }
        if let Some(code) = standard {
            if framework.standard(code).is_none() {
                return Err(PlanRefused::UnknownStandard {
                    standard: code.to_owned(),
                    framework: framework.code.clone(),
                });
            }
        }
        Ok(Self {
            text,
            standard: standard.map(str::to_owned),
        })
    }
}

/// Where an action is. Done and Dropped are final; a dropped action keeps its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    Dropped { reason: String },
}

impl ActionStatus {
    fn name(&self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped { .. } => "dropped",
        }
    }

    fn is_final(&self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::Dropped { .. })
    }
}

/// One action in a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    pub description: String,
    pub owner: String,
    pub due: NaiveDate,
    pub status: ActionStatus,
}

impl Action {
    /// A new, open action.
    pub fn new(description: &str, owner: &str, due: NaiveDate) -> Result<Self, PlanRefused> {
        let description = plan_text(description, "What the action is", MAX_TEXT_CHARS)?;
        if description.is_empty() {
            return Err(PlanRefused::MissingDescription);
        }
        let owner = plan_text(owner, "Who owns the action", MAX_OWNER_CHARS)?;
        if owner.is_empty() {
            return Err(PlanRefused::MissingOwner);
        }
        Ok(Self {
            description,
            owner,
            due,
            status: ActionStatus::Open,
        })
    }

    /// Moves the action on: open → in progress, done or dropped; in progress → done or dropped.
    /// Done and dropped are final, and nothing moves back to open. Dropping needs a reason.
    pub fn move_to(&mut self, to: ActionStatus) -> Result<(), PlanRefused> {
        let allowed = !self.status.is_final()
            && to != ActionStatus::Open
            && !(self.status == ActionStatus::InProgress && to == ActionStatus::InProgress);
        if !allowed {
            return Err(PlanRefused::NotAllowed {
                from: self.status.name(),
                to: to.name(),
            });
        }
        let to = match to {
            ActionStatus::Dropped { reason } => {
                let reason = plan_text(&reason, "Why the action is dropped", MAX_TEXT_CHARS)?;
                if reason.is_empty() {
                    return Err(PlanRefused::MissingDropReason);
                }
                ActionStatus::Dropped { reason }
            }
            other => other,
        };
        self.status = to;
        Ok(())
    }

    /// Overdue when still open or in progress after its due date (the due date is the last day).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        !self.status.is_final() && today > self.due
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::framework::HMIP_PDU_2023;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn action() -> Action {
        Action::new(
            "Audit checks in new cases",
            "Head of PDU",
            date(2027, 3, 31),
        )
        .unwrap()
    }

    #[test]
    fn a_recommendation_names_a_standard_of_its_framework() {
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        assert!(Recommendation::new(&framework, "Obtain checks", Some("2.1")).is_ok());
        assert_eq!(
            Recommendation::new(&framework, "Obtain checks", Some("3.1"))
                .unwrap_err()
                .to_string(),
            "Standard 3.1 is not in framework hmip-pdu-2023"
        );
        assert_eq!(
            Recommendation::new(&framework, " ", None),
            Err(PlanRefused::MissingText)
        );
    }

    #[test]
    fn an_action_moves_forward_and_never_back_to_open() {
        let mut a = action();
        a.move_to(ActionStatus::InProgress).unwrap();
        assert_eq!(
            a.move_to(ActionStatus::Open).unwrap_err().to_string(),
            "An action that is in progress cannot become open"
        );
        a.move_to(ActionStatus::Done).unwrap();
        assert!(a.move_to(ActionStatus::InProgress).is_err());
    }

    #[test]
    fn dropping_an_action_needs_a_reason() {
        let mut a = action();
        assert_eq!(
            a.move_to(ActionStatus::Dropped {
                reason: "  ".to_owned()
            }),
            Err(PlanRefused::MissingDropReason)
        );
        assert_eq!(a.status, ActionStatus::Open);
        a.move_to(ActionStatus::Dropped {
            reason: "Superseded by the regional plan".to_owned(),
        })
        .unwrap();
        assert!(a.move_to(ActionStatus::Done).is_err());
    }

    #[test]
    fn an_unfinished_action_is_overdue_the_day_after_it_is_due() {
        let mut a = action();
        assert!(!a.is_overdue(date(2027, 3, 31)));
        assert!(a.is_overdue(date(2027, 4, 1)));
        a.move_to(ActionStatus::Done).unwrap();
        assert!(!a.is_overdue(date(2027, 4, 1)));
    }

    #[test]
    fn an_action_needs_a_description_and_an_owner() {
        assert_eq!(
            Action::new("", "Head of PDU", date(2027, 1, 1)),
            Err(PlanRefused::MissingDescription)
        );
        assert_eq!(
            Action::new("Audit", " ", date(2027, 1, 1)),
            Err(PlanRefused::MissingOwner)
        );
    }
}
