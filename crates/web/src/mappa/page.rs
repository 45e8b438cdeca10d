//! `GET /cases/{crn}/mappa`: the case's MAPPA registration (category and level in words), when it
//! is next reviewed and why then, and the meetings held, newest first — or, when the case is not
//! managed under MAPPA, where to register it.

use crate::cases::access::open_case;
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::mappa::review_status;
use keepsafe_domain::registration::{RegistrationKind, RegistrationReviewRules};
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::cases::registrations::{self, RegistrationEntry};
use keepsafe_storage::mappa::meetings::{self, MeetingRecord};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "mappa/page.html")]
struct MappaPage {
    chrome: Chrome,
    name: String,
    crn: String,
    may_work: bool,
    current: Option<CurrentView>,
    meetings: Vec<MeetingView>,
    ended: Vec<String>,
    /// The banner after a meeting was recorded, with the review task it created, if any.
    banner: Option<String>,
}

/// The query after a meeting was recorded, read leniently: a mangled link still opens the page.
#[derive(Debug, Default, Deserialize)]
pub struct RecordedQuery {
    recorded: Option<String>,
    review_due: Option<String>,
}

impl RecordedQuery {
    fn banner(&self) -> Option<String> {
        (self.recorded.as_deref() == Some("meeting")).then(|| {
            let review = self
                .review_due
                .as_deref()
                .and_then(|due| NaiveDate::parse_from_str(due, "%Y-%m-%d").ok())
                .map(|due| {
                    format!(
                        " The category or level changed, so the risk of serious harm assessment must be reviewed by {}.",
                        format::date(due)
                    )
                })
                .unwrap_or_default();
            format!("The MAPPA meeting has been recorded.{review}")
        })
    }
}

struct CurrentView {
    registration: String,
    category: String,
    level: String,
    registered: String,
    next_review: String,
    overdue: bool,
    explanation: String,
}

pub(crate) struct MeetingView {
    pub held: String,
    pub level: String,
    pub category: String,
    pub chair: String,
    pub agencies: String,
    pub decisions: String,
    pub next: String,
    pub recorded_by: String,
}

/// `GET /cases/{crn}/mappa`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(query): Query<RecordedQuery>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (heading, entries, held, location) =
        open_case(&state, &user, &crn, "view_mappa", |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                registrations::for_person(conn, case.person_id)?,
                meetings::for_person(conn, case.person_id)?,
                case.location.clone(),
            ))
        })
        .await?;
    let (name, crn) = heading;
    let mappa: Vec<&RegistrationEntry> = entries
        .iter()
        .filter(|entry| entry.kind == RegistrationKind::Mappa)
        .collect();
    let current = mappa
        .iter()
        .find(|entry| entry.ended_on.is_none())
        .map(|entry| current_view(entry, &held, today));
    let page = MappaPage {
        chrome: Chrome::for_user(&user, format!("MAPPA: {name} ({crn})"), ""),
        may_work: decide(&user.account.actor(), Action::WorkOnCase(&location)).is_allowed(),
        current,
        meetings: held.iter().map(meeting_view).collect(),
        banner: query.banner(),
        ended: mappa
            .iter()
            .filter_map(|entry| {
                entry.ended_on.map(|ended| {
                    format!(
                        "Registered on {}, ended on {}{}",
                        format::date(entry.registered_on),
                        format::date(ended),
                        entry
                            .end_reason
                            .as_deref()
                            .map(|reason| format!(": {reason}"))
                            .unwrap_or_default()
                    )
                })
            })
            .collect(),
        name,
        crn,
    };
    Ok(render(&page)?.into_response())
}

fn current_view(
    entry: &RegistrationEntry,
    held: &[MeetingRecord],
    today: NaiveDate,
) -> CurrentView {
    let last_meeting = held
        .iter()
        .filter(|m| m.registration_id == entry.id)
        .map(|m| m.held_on)
        .max();
    // A meeting is a review; meetings loaded in bulk (the demo's) have no review row of their own.
    let last_review = entry.reviews.iter().map(|r| r.reviewed_on).max();
    let since = last_review.max(last_meeting).unwrap_or(entry.registered_on);
    let (next_review, overdue, explanation) = match entry.next_review_on {
        Some(due) => {
            let status = review_status(
                entry.mappa_level,
                since,
                last_meeting == Some(since),
                due,
                today,
                &RegistrationReviewRules::default(),
            );
            let when = if status.overdue {
                format!(
                    "{} (overdue by {} {})",
                    format::date(due),
                    status.days_late,
                    if status.days_late == 1 { "day" } else { "days" }
                )
            } else {
                format::date(due)
            };
            (when, status.overdue, status.explanation)
        }
        None => (
            "No review date".to_owned(),
            false,
            "No next review has been set: record a meeting or a review to set one.".to_owned(),
        ),
    };
    CurrentView {
        registration: entry.id.to_string(),
        category: entry
            .mappa_category
            .map(|c| c.label().to_owned())
            .unwrap_or_else(|| "Not recorded".into()),
        level: entry
            .mappa_level
            .map(|l| l.label().to_owned())
            .unwrap_or_else(|| "Not recorded".into()),
        registered: format::date(entry.registered_on),
        next_review,
        overdue,
        explanation,
    }
}

pub(crate) fn meeting_view(meeting: &MeetingRecord) -> MeetingView {
    MeetingView {
        held: format::date(meeting.held_on),
        level: meeting.level.label().to_owned(),
        category: meeting.category.label().to_owned(),
        chair: meeting.chair.clone(),
        agencies: meeting
            .agencies
            .iter()
            .map(|a| a.label())
            .collect::<Vec<_>>()
            .join(", "),
        decisions: meeting.decisions.clone(),
        next: format::date(meeting.next_meeting_on),
        recorded_by: meeting.recorded_by.clone(),
    }
}
