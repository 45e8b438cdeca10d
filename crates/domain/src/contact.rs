//! Contacts and appointments: every meeting, call and visit, and what happened.

use crate::coded_enum;

coded_enum! {
    /// The kind of contact or appointment.
    pub enum ContactType ("contact type") {
        Induction => "induction", "Induction appointment",
        OfficeVisit => "office_visit", "Office appointment",
        HomeVisit => "home_visit", "Home visit",
        PhoneCall => "phone_call", "Phone call",
        VideoCall => "video_call", "Video call",
        UnpaidWorkSession => "unpaid_work_session", "Unpaid work session",
        ProgrammeSession => "programme_session", "Programme session",
        ThreeWayMeeting => "three_way_meeting", "Three-way meeting",
        PrisonVisit => "prison_visit", "Prison visit",
    }
}

coded_enum! {
    /// What happened at a contact. Unacceptable absences and failures to comply count towards
    /// enforcement.
    pub enum ContactOutcome ("contact outcome") {
        Attended => "attended", "Attended and complied",
        AttendedFailedToComply => "attended_failed_to_comply", "Attended but failed to comply",
        AcceptableAbsence => "acceptable_absence", "Absent: acceptable",
        UnacceptableAbsence => "unacceptable_absence", "Absent: unacceptable",
        Rescheduled => "rescheduled", "Rescheduled",
    }
}

impl ContactOutcome {
    /// Outcomes that count as a failure to comply for enforcement.
    pub fn is_failure_to_comply(self) -> bool {
        matches!(
            self,
            ContactOutcome::AttendedFailedToComply | ContactOutcome::UnacceptableAbsence
        )
    }
}
