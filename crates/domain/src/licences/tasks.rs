//! The work before release, as dated tasks: the **handover** from the prison to the community
//! practitioner, which starts [`LicenceRules::handover_weeks_before_release`] weeks before release,
//! and the **release-day** tasks, which appear [`LicenceRules::release_tasks_days_before`] days
//! before it. Each task is listed on `/tasks` from its `visible_from` day, so the list shows the
//! work when it is near rather than from the day the sentence began.

use super::rules::LicenceRules;
use crate::coded_enum;
use crate::CodedValue;
use chrono::{Days, NaiveDate};

coded_enum! {
    /// A task of the handover or of release day.
    pub enum LicenceTaskKind ("licence task") {
        HandoverMeeting => "handover_meeting", "Hold the handover meeting with the prison offender manager",
        AddressCheck => "address_check", "Check the release address is suitable",
        DraftLicence => "draft_licence", "Draft the licence conditions and send them for approval",
        RiskReview => "risk_review", "Review the risk of serious harm assessment before release",
        ReportToOffice => "report_to_office", "See the person when they report to the probation office on release day",
        AccommodationConfirmed => "accommodation_confirmed", "Confirm the accommodation for the night of release",
        FirstAppointment => "first_appointment", "Arrange the first appointment after release",
        LicenceExplained => "licence_explained", "Explain the licence conditions and get the licence signed",
    }
}

coded_enum! {
    /// Which part of the work before release a task belongs to.
    pub enum TaskStage ("licence task stage") {
        Handover => "handover", "Handover",
        ReleaseDay => "release_day", "Release day",
    }
}

impl LicenceTaskKind {
    pub fn stage(self) -> TaskStage {
        match self {
            LicenceTaskKind::HandoverMeeting
            | LicenceTaskKind::AddressCheck
            | LicenceTaskKind::DraftLicence
            | LicenceTaskKind::RiskReview => TaskStage::Handover,
            _ => TaskStage::ReleaseDay,
        }
    }
}

/// A task to create: listed from `visible_from`, due on `due_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedTask {
    pub kind: LicenceTaskKind,
    pub visible_from: NaiveDate,
    pub due_on: NaiveDate,
}

fn before(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(days))
        .unwrap_or(NaiveDate::MIN)
}

/// The tasks for a release on `release`: the handover's, due by four weeks before release (the
/// meeting two weeks after the handover starts), and release day's, due on the day.
pub fn planned_tasks(release: NaiveDate, rules: &LicenceRules) -> Vec<PlannedTask> {
    let handover_from = before(release, u64::from(rules.handover_weeks_before_release) * 7);
    let release_from = before(release, u64::from(rules.release_tasks_days_before));
    let handover_due = before(release, 28).max(handover_from);
    let meeting_due = handover_from
        .checked_add_days(Days::new(14))
        .unwrap_or(NaiveDate::MAX)
        .min(release);
    LicenceTaskKind::ALL
        .iter()
        .map(|&kind| match (kind, kind.stage()) {
            (LicenceTaskKind::HandoverMeeting, _) => PlannedTask {
                kind,
                visible_from: handover_from,
                due_on: meeting_due,
            },
            (_, TaskStage::Handover) => PlannedTask {
                kind,
                visible_from: handover_from,
                due_on: handover_due,
            },
            (_, TaskStage::ReleaseDay) => PlannedTask {
                kind,
                visible_from: release_from,
                due_on: release,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_handover_starts_twelve_weeks_before_release_by_default() {
        let tasks = planned_tasks(date(2027, 3, 1), &LicenceRules::default());
        let meeting = tasks
            .iter()
            .find(|t| t.kind == LicenceTaskKind::HandoverMeeting)
            .unwrap();
        assert_eq!(meeting.visible_from, date(2026, 12, 7));
        assert_eq!(meeting.due_on, date(2026, 12, 21));
        let draft = tasks
            .iter()
            .find(|t| t.kind == LicenceTaskKind::DraftLicence)
            .unwrap();
        assert_eq!(draft.due_on, date(2027, 2, 1));
    }

    #[test]
    fn release_day_tasks_appear_two_weeks_before_and_are_due_on_the_day() {
        let tasks = planned_tasks(date(2027, 3, 1), &LicenceRules::default());
        let report = tasks
            .iter()
            .find(|t| t.kind == LicenceTaskKind::ReportToOffice)
            .unwrap();
        assert_eq!(report.visible_from, date(2027, 2, 15));
        assert_eq!(report.due_on, date(2027, 3, 1));
        assert_eq!(tasks.len(), LicenceTaskKind::ALL.len());
    }

    #[test]
    fn the_number_of_weeks_is_configurable() {
        let rules = LicenceRules {
            handover_weeks_before_release: 16,
            ..LicenceRules::default()
        };
        let tasks = planned_tasks(date(2027, 3, 1), &rules);
        assert!(tasks.iter().any(|t| t.visible_from == date(2026, 11, 9)));
    }

    #[test]
    fn a_release_that_is_close_still_gets_tasks_due_no_later_than_release() {
        let tasks = planned_tasks(date(2026, 12, 10), &LicenceRules::default());
        assert!(tasks.iter().all(|t| t.due_on <= date(2026, 12, 10)));
    }
}
