//! Unpaid work (Community Payback, reference §2): projects where people work off the hours a
//! court ordered, the sessions held on them, who is allocated to each, the attendance recorded
//! (outcome, work quality and behaviour, hours credited with travel and education, training or
//! employment time where allowed), and whether an order is on pace to be finished by its deadline.
//!
//! Everything here is pure: the caller passes the day and the moment, and the rules as stored
//! reference data ([`UnpaidWorkRules`]), so a page can say which version produced a number.

pub mod attendance;
pub mod pace;
pub mod planning;
pub mod rules;

pub use attendance::{
    check_attendance, AttendanceContext, AttendanceEntry, AttendanceError, AttendanceOutcome,
    Credit, Rating,
};
pub use pace::{assess_pace, Pace, PaceInputs, PaceStatus};
pub use planning::{
    check_project, check_session, ProjectDraft, ProjectFacts, ProjectKind, SessionDraft,
    SessionFacts,
};
pub use rules::UnpaidWorkRules;

/// Minutes as "6 hours 30 minutes", "1 hour", "45 minutes", "0 hours".
pub fn hours_and_minutes(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let hours = match h {
        1 => "1 hour".to_owned(),
        h => format!("{h} hours"),
    };
    match (h, m) {
        (_, 0) => hours,
        (0, 1) => "1 minute".to_owned(),
        (0, m) => format!("{m} minutes"),
        (_, 1) => format!("{hours} 1 minute"),
        (_, m) => format!("{hours} {m} minutes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_are_said_in_hours_and_minutes() {
        assert_eq!(hours_and_minutes(0), "0 hours");
        assert_eq!(hours_and_minutes(45), "45 minutes");
        assert_eq!(hours_and_minutes(60), "1 hour");
        assert_eq!(hours_and_minutes(390), "6 hours 30 minutes");
        assert_eq!(hours_and_minutes(121), "2 hours 1 minute");
    }
}
