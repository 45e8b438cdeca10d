//! Management oversight records: a manager's recorded look at a case. The inspectorate asks of
//! every case whether management oversight was effective; keepsafe can only see oversight that was
//! recorded, so recording it is one short form ([`OversightRecord::new`]) and the automated
//! oversight indicator ([`super::indicators`]) reads these records.

use crate::coded_enum;
use crate::text::{LongText, TextError};
use chrono::NaiveDate;
use thiserror::Error;

coded_enum! {
    /// What the oversight was.
    pub enum OversightKind ("oversight kind") {
        /// A supervision discussion of the case between the practitioner and their manager.
        Supervision => "supervision", "Supervision discussion",
        /// The manager read and commented on the risk of serious harm assessment or plan.
        RiskReview => "risk_review", "Review of the risk assessment or plan",
        /// The manager agreed a decision: enforcement, a change of plan, a referral.
        Decision => "decision", "Management decision",
        /// A case audit's findings were fed back to the practitioner.
        AuditFeedback => "audit_feedback", "Feedback from a case audit",
    }
}

/// A validated oversight record, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OversightRecord {
    pub kind: OversightKind,
    pub recorded_on: NaiveDate,
    pub note: LongText,
}

/// What is wrong with a submitted oversight record, field by field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OversightRefused {
    #[error("Enter the date of the oversight, which cannot be in the future")]
    FutureDate,
    #[error("Enter what was discussed or decided")]
    MissingNote,
    #[error("The note is too long: {0}")]
    NoteTooLong(String),
}

impl OversightRecord {
    /// Checks a record: dated today or earlier, with a note saying what was discussed or decided,
    /// because a record that says only "oversight given" tells an inspector nothing.
    pub fn new(
        kind: OversightKind,
        recorded_on: NaiveDate,
        note: &str,
        today: NaiveDate,
    ) -> Result<Self, OversightRefused> {
        if recorded_on > today {
            return Err(OversightRefused::FutureDate);
        }
        let note = LongText::required(note).map_err(|e| match e {
            TextError::Missing => OversightRefused::MissingNote,
            too_long => OversightRefused::NoteTooLong(too_long.to_string()),
        })?;
        Ok(Self {
            kind,
            recorded_on,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn an_oversight_record_needs_a_note_saying_what_was_discussed() {
        assert_eq!(
            OversightRecord::new(OversightKind::Supervision, day(1), "  ", day(2)),
            Err(OversightRefused::MissingNote)
        );
    }

    #[test]
    fn oversight_cannot_be_recorded_for_a_future_date() {
        assert_eq!(
            OversightRecord::new(OversightKind::Decision, day(3), "Agreed a warning", day(2)),
            Err(OversightRefused::FutureDate)
        );
    }

    #[test]
    fn a_dated_note_is_accepted() {
        let record =
            OversightRecord::new(OversightKind::RiskReview, day(2), "Plan reviewed", day(2))
                .unwrap();
        assert_eq!(record.note.as_str(), "Plan reviewed");
    }
}
