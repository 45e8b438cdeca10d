//! Contacts and appointments: every meeting, call, visit, letter and system event on a case, and
//! what happened.
//!
//! One vocabulary serves both: an appointment is a contact arranged in advance, and a contact
//! recorded after the fact is an appointment whose outcome is known at once.

use crate::coded_enum;

coded_enum! {
    /// The kind of contact or appointment.
    pub enum ContactType ("contact type") {
        Induction => "induction", "Induction appointment",
        OfficeVisit => "office_visit", "Office appointment",
        HomeVisit => "home_visit", "Home visit",
        PhoneCall => "phone_call", "Phone call",
        VideoCall => "video_call", "Video call",
        LetterOrEmail => "letter_or_email", "Letter or email",
        PartnerContact => "partner_contact", "Contact with a partner agency",
        ThreeWayMeeting => "three_way_meeting", "Three-way meeting",
        PrisonVisit => "prison_visit", "Prison visit",
        UnpaidWorkSession => "unpaid_work_session", "Unpaid work session",
        ProgrammeSession => "programme_session", "Programme session",
        AssessmentCompleted => "assessment_completed", "Risk assessment completed",
        NeedsAssessmentCompleted => "needs_assessment_completed", "Needs assessment completed",
        CheckAnswered => "check_answered", "Partner check answered",
        WarningLetter => "warning_letter", "Warning letter sent",
        BreachAction => "breach_action", "Breach action",
        Recall => "recall", "Recall",
    }
}

impl ContactType {
    /// Entries keepsafe writes itself when something happens on the case; nobody arranges them
    /// and they have no outcome.
    pub fn is_system_event(self) -> bool {
        matches!(
            self,
            ContactType::AssessmentCompleted
                | ContactType::NeedsAssessmentCompleted
                | ContactType::CheckAnswered
                | ContactType::WarningLetter
                | ContactType::BreachAction
                | ContactType::Recall
        )
    }

    /// The types a practitioner can arrange or record; system events are left out.
    pub fn recordable() -> impl Iterator<Item = ContactType> {
        <ContactType as crate::CodedValue>::ALL
            .iter()
            .copied()
            .filter(|kind| !kind.is_system_event())
    }

    /// Where this kind of contact usually happens, the default offered on the form.
    pub fn usual_location(self) -> LocationKind {
        match self {
            ContactType::HomeVisit => LocationKind::Home,
            ContactType::PhoneCall | ContactType::VideoCall | ContactType::LetterOrEmail => {
                LocationKind::Remote
            }
            ContactType::Induction | ContactType::OfficeVisit | ContactType::ThreeWayMeeting => {
                LocationKind::Office
            }
            _ => LocationKind::Other,
        }
    }
}

coded_enum! {
    /// Where a contact takes place.
    pub enum LocationKind ("location") {
        Office => "office", "The team's office",
        Home => "home", "The person's home",
        Remote => "remote", "By phone, video or in writing",
        Other => "other", "Somewhere else",
    }
}

coded_enum! {
    /// What happened at a contact.
    pub enum ContactOutcome ("contact outcome") {
        Attended => "attended", "Attended and complied",
        AttendedFailedToComply => "attended_failed_to_comply", "Attended but failed to comply",
        FailedToAttend => "failed_to_attend", "Failed to attend",
    }
}

impl ContactOutcome {
    /// Outcomes that must be judged acceptable or unacceptable.
    pub fn is_failure(self) -> bool {
        !matches!(self, ContactOutcome::Attended)
    }

    /// Whether the person was there (in person, on the phone or on video).
    pub fn attended(self) -> bool {
        !matches!(self, ContactOutcome::FailedToAttend)
    }
}

coded_enum! {
    /// The practitioner's judgement of a failure: only an unacceptable one counts towards
    /// enforcement, and "waiting for evidence" holds the decision for a few working days.
    pub enum FailureJudgement ("judgement") {
        Acceptable => "acceptable", "Acceptable",
        Unacceptable => "unacceptable", "Unacceptable",
        AwaitingEvidence => "awaiting_evidence", "Waiting for evidence",
    }
}

coded_enum! {
    /// Where an arranged appointment stands.
    pub enum ContactStatus ("appointment status") {
        Arranged => "arranged", "Arranged",
        Rescheduled => "rescheduled", "Rescheduled",
        Cancelled => "cancelled", "Cancelled",
    }
}

coded_enum! {
    /// Who asked for an appointment to be moved.
    pub enum RescheduleRequester ("requested by") {
        Person => "person", "The person on probation",
        Practitioner => "practitioner", "The practitioner",
        Other => "other", "Someone else",
    }
}

/// A failure counts towards enforcement only once judged unacceptable.
pub fn counts_towards_enforcement(
    outcome: Option<ContactOutcome>,
    judgement: Option<FailureJudgement>,
) -> bool {
    matches!(outcome, Some(o) if o.is_failure())
        && judgement == Some(FailureJudgement::Unacceptable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_unacceptable_failure_counts_towards_enforcement() {
        use ContactOutcome::*;
        use FailureJudgement::*;
        assert!(counts_towards_enforcement(
            Some(FailedToAttend),
            Some(Unacceptable)
        ));
        assert!(counts_towards_enforcement(
            Some(AttendedFailedToComply),
            Some(Unacceptable)
        ));
        assert!(!counts_towards_enforcement(
            Some(FailedToAttend),
            Some(Acceptable)
        ));
        assert!(!counts_towards_enforcement(
            Some(FailedToAttend),
            Some(AwaitingEvidence)
        ));
        assert!(!counts_towards_enforcement(Some(FailedToAttend), None));
        assert!(!counts_towards_enforcement(
            Some(Attended),
            Some(Unacceptable)
        ));
    }

    #[test]
    fn system_events_cannot_be_arranged() {
        assert!(ContactType::recordable().all(|kind| !kind.is_system_event()));
        assert!(ContactType::recordable().any(|kind| kind == ContactType::HomeVisit));
    }
}
