//! Projects and sessions: what a Community Payback team records before anyone is allocated.

use crate::address::Postcode;
use crate::coded_enum;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

coded_enum! {
    /// How the work on a project is done.
    pub enum ProjectKind ("unpaid work project kind") {
        /// A supervised group working together (clearing a site, painting a community hall).
        Group => "group", "Group placement",
        /// One person placed with an organisation (a charity shop, a food bank).
        Individual => "individual", "Individual placement",
    }
}

/// A project as typed, before checking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectDraft {
    pub name: String,
    pub kind: Option<ProjectKind>,
    pub address: String,
    pub postcode: String,
    pub supervisor: String,
    /// Places per session, as typed.
    pub capacity: String,
    pub travel_credited: bool,
    pub ete_available: bool,
}

/// A checked project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    pub name: String,
    pub kind: ProjectKind,
    pub address: String,
    pub postcode: Postcode,
    pub supervisor: String,
    pub capacity: u32,
    pub travel_credited: bool,
    pub ete_available: bool,
}

/// The most places a session may offer (a large group placement).
pub const MAX_CAPACITY: u32 = 30;

fn required(value: &str, max: usize) -> Option<String> {
    let value = value.trim();
    (!value.is_empty() && value.chars().count() <= max).then(|| value.to_owned())
}

/// Checks a project, naming every field that is wrong (`(field, message)`).
pub fn check_project(draft: &ProjectDraft) -> Result<ProjectFacts, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let name = required(&draft.name, 200);
    if name.is_none() {
        errors.push((
            "name",
            "Enter the project's name (up to 200 characters)".into(),
        ));
    }
    if draft.kind.is_none() {
        errors.push((
            "kind",
            "Select whether it is a group or an individual placement".into(),
        ));
    }
    let address = required(&draft.address, 500);
    if address.is_none() {
        errors.push(("address", "Enter where the work is done".into()));
    }
    let postcode = Postcode::parse(&draft.postcode).ok();
    if postcode.is_none() {
        errors.push(("postcode", "Enter a real postcode, like NG1 6AB".into()));
    }
    let supervisor = required(&draft.supervisor, 200);
    if supervisor.is_none() {
        errors.push((
            "supervisor",
            "Enter the name of the project's supervisor".into(),
        ));
    }
    let capacity = draft
        .capacity
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|c| (1..=MAX_CAPACITY).contains(c));
    if capacity.is_none() {
        errors.push((
            "capacity",
            format!("Enter the places per session as a whole number from 1 to {MAX_CAPACITY}"),
        ));
    }
    match (name, draft.kind, address, postcode, supervisor, capacity) {
        (
            Some(name),
            Some(kind),
            Some(address),
            Some(postcode),
            Some(supervisor),
            Some(capacity),
        ) if errors.is_empty() => Ok(ProjectFacts {
            name,
            kind,
            address,
            postcode,
            supervisor,
            capacity,
            travel_credited: draft.travel_credited,
            ete_available: draft.ete_available,
        }),
        _ => Err(errors),
    }
}

/// A session as typed: the day and times already read (`None` when missing or unreadable).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionDraft {
    pub day: Option<NaiveDate>,
    pub starts: Option<NaiveTime>,
    pub ends: Option<NaiveTime>,
    pub supervisor: String,
}

/// A checked session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFacts {
    pub day: NaiveDate,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub supervisor: String,
}

impl SessionFacts {
    /// The session's length in minutes.
    pub fn minutes(&self) -> u32 {
        session_minutes(self.starts_at, self.ends_at)
    }
}

/// The minutes between a session's start and end (none if it ends first).
pub fn session_minutes(starts_at: NaiveDateTime, ends_at: NaiveDateTime) -> u32 {
    u32::try_from((ends_at - starts_at).num_minutes()).unwrap_or(0)
}

/// The longest session (a long summer day).
pub const MAX_SESSION_HOURS: i64 = 10;

/// Checks a session on a project: a day, a start before the end, at most 10 hours, a supervisor
/// (the project's is offered). A session may be added for a past day, to record work done.
pub fn check_session(draft: &SessionDraft) -> Result<SessionFacts, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    if draft.day.is_none() {
        errors.push((
            "day-day",
            "Enter the day of the session as a real date".into(),
        ));
    }
    if draft.starts.is_none() {
        errors.push(("starts", "Enter the start time, like 09:00".into()));
    }
    if draft.ends.is_none() {
        errors.push(("ends", "Enter the end time, like 16:00".into()));
    }
    if let (Some(starts), Some(ends)) = (draft.starts, draft.ends) {
        if ends <= starts {
            errors.push(("ends", "The session must end after it starts".into()));
        } else if (ends - starts).num_minutes() > MAX_SESSION_HOURS * 60 {
            errors.push((
                "ends",
                format!("A session can be at most {MAX_SESSION_HOURS} hours long"),
            ));
        }
    }
    let supervisor = required(&draft.supervisor, 200);
    if supervisor.is_none() {
        errors.push(("supervisor", "Enter who supervises the session".into()));
    }
    match (draft.day, draft.starts, draft.ends, supervisor) {
        (Some(day), Some(starts), Some(ends), Some(supervisor)) if errors.is_empty() => {
            Ok(SessionFacts {
                day,
                starts_at: day.and_time(starts),
                ends_at: day.and_time(ends),
                supervisor,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ProjectDraft {
        ProjectDraft {
            name: "Riverside clearance".into(),
            kind: Some(ProjectKind::Group),
            address: "Riverside Park, Midchester".into(),
            postcode: "NG1 6AB".into(),
            supervisor: "Pat Green".into(),
            capacity: "8".into(),
            travel_credited: false,
            ete_available: false,
        }
    }

    #[test]
    fn a_project_needs_a_capacity_of_one_to_thirty_places() {
        assert!(check_project(&draft()).is_ok());
        for bad in ["0", "31", "eight", ""] {
            let errors = check_project(&ProjectDraft {
                capacity: bad.into(),
                ..draft()
            })
            .unwrap_err();
            assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), ["capacity"]);
        }
    }

    #[test]
    fn a_session_must_end_after_it_starts_and_last_at_most_ten_hours() {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0);
        let day = NaiveDate::from_ymd_opt(2026, 12, 5);
        let ok = SessionDraft {
            day,
            starts: t(9),
            ends: t(16),
            supervisor: "Pat Green".into(),
        };
        assert_eq!(check_session(&ok).unwrap().minutes(), 420);
        let backwards = check_session(&SessionDraft {
            ends: t(8),
            ..ok.clone()
        })
        .unwrap_err();
        assert_eq!(backwards[0].0, "ends");
        let long = check_session(&SessionDraft {
            starts: t(7),
            ends: t(18),
            ..ok
        })
        .unwrap_err();
        assert_eq!(long[0].0, "ends");
    }
}
