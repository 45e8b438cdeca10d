//! `GET /cases/{crn}/programmes`: a case's programme requirements — each with the day a programme
//! should have started by and, past it with none started, a flag with how that was worked out —
//! and its referrals, newest first, with where each stands, its sessions and the next step.

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
use keepsafe_domain::programmes::{ProgrammeRules, ReferralStatus};
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::cases::tasks::TaskScope;
use keepsafe_storage::programmes::referrals::{self, ReferralRecord};
use keepsafe_storage::programmes::requirements::{self, ProgrammeRequirement};
use keepsafe_storage::programmes::ProgrammeScope;
use keepsafe_storage::AnyConnection;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "programmes/case.html")]
struct CasePage {
    chrome: Chrome,
    name: String,
    crn: String,
    may_work: bool,
    banner: Option<&'static str>,
    requirements: Vec<RequirementView>,
    referrals: Vec<ReferralView>,
}

pub(crate) struct RequirementView {
    pub kind: String,
    pub detail: String,
    pub began: String,
    pub due_by: String,
    pub flagged: bool,
    pub state: String,
    pub explanation: String,
}

pub(crate) struct ReferralView {
    pub id: String,
    pub programme: String,
    pub status: String,
    pub status_code: String,
    pub referred: String,
    pub notes: String,
    pub assessed: Option<String>,
    pub started: Option<String>,
    pub ended: Option<String>,
    pub sessions: Vec<(u32, String, String)>,
    pub attendance: String,
    pub actions: Vec<(String, String)>,
}

/// The query after a step was saved, read leniently.
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn banner(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "referred" => "The referral has been made.",
        "assessment" => "The suitability assessment has been recorded.",
        "start" => "The start of the programme has been recorded.",
        "session" => "The session has been recorded in the contact log.",
        "end" => "The end of the programme has been recorded.",
        _ => return None,
    })
}

pub(crate) fn requirement_view(r: &ProgrammeRequirement, today: NaiveDate) -> RequirementView {
    let flag = r.flag(today, &ProgrammeRules::in_force_on(today));
    let state = if !r.needs_programme() {
        "No programme referred under it".to_owned()
    } else if let Some(on) = r.started_on {
        format!("Programme started {}", format::date(on))
    } else if flag.flagged {
        format!("Not started: {} days past the date", flag.days_late)
    } else {
        "Not started yet".to_owned()
    };
    RequirementView {
        kind: r.kind.label().to_owned(),
        detail: match (r.sessions_or_days, r.detail.as_deref()) {
            (_, Some(detail)) if !detail.is_empty() => detail.to_owned(),
            (Some(n), _) => format!(
                "{n} {}",
                r.kind.length_unit().map(|u| u.label()).unwrap_or("")
            ),
            _ => String::new(),
        },
        began: format::date(r.began_on),
        due_by: format::date(flag.due_by),
        flagged: r.needs_programme() && flag.flagged,
        state,
        explanation: flag.explanation,
    }
}

fn referral_view(r: &ReferralRecord) -> ReferralView {
    let actions: Vec<(String, String)> = match r.status {
        ReferralStatus::AwaitingAssessment => {
            vec![(
                "assessment".into(),
                "Record the suitability assessment".into(),
            )]
        }
        ReferralStatus::Suitable => vec![("start".into(), "Record the start".into())],
        ReferralStatus::Started => vec![
            ("session".into(), "Record a session".into()),
            ("end".into(), "Record the end".into()),
        ],
        _ => Vec::new(),
    };
    ReferralView {
        id: r.id.to_string(),
        programme: r.programme_name.clone(),
        status: r.status.label().to_owned(),
        status_code: r.status.code().to_owned(),
        referred: format!("{} by {}", format::date(r.referred_on), r.referred_by),
        notes: r.notes.clone(),
        assessed: r.assessed_on.map(|on| {
            let verdict = if r.status == ReferralStatus::NotSuitable {
                format!("not suitable: {}", r.suitability_reason)
            } else {
                "suitable".to_owned()
            };
            format!("{}, {verdict}", format::date(on))
        }),
        started: r.started_on.map(|on| {
            format!(
                "{}{}",
                format::date(on),
                r.cohort
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default()
            )
        }),
        ended: r.ended_on.map(|on| match r.status {
            ReferralStatus::Completed => format!("Completed {}", format::date(on)),
            _ => format!(
                "Not completed {}: {}{}",
                format::date(on),
                r.reason.map(|x| x.label()).unwrap_or("no reason recorded"),
                if r.end_detail.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", r.end_detail)
                }
            ),
        }),
        sessions: r
            .sessions
            .iter()
            .map(|s| {
                (
                    s.number,
                    format::date(s.held_on),
                    s.outcome.map(|o| o.label().to_owned()).unwrap_or_default()
                        + &s.judgement
                            .map(|j| format!(" ({})", j.label().to_lowercase()))
                            .unwrap_or_default(),
                )
            })
            .collect(),
        attendance: format!(
            "{} of {} sessions attended ({} recorded)",
            r.attended(),
            r.sessions_planned,
            r.sessions.len()
        ),
        actions,
    }
}

/// `GET /cases/{crn}/programmes`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (heading, found, referred, location) =
        open_case(&state, &user, &crn, "view_programmes", |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                requirements::for_person(conn, case.person_id)?,
                referrals::for_person(conn, case.person_id)?,
                case.location.clone(),
            ))
        })
        .await?;
    let (name, crn) = heading;
    let page = CasePage {
        chrome: Chrome::for_user(&user, format!("Programmes: {name} ({crn})"), ""),
        may_work: decide(&user.account.actor(), Action::WorkOnCase(&location)).is_allowed(),
        banner: banner(query.done.as_deref()),
        requirements: found.iter().map(|r| requirement_view(r, today)).collect(),
        referrals: referred.iter().map(referral_view).collect(),
        name,
        crn,
    };
    Ok(render(&page)?.into_response())
}

/// The scope of `/tasks` as the programmes area reads it.
pub(crate) fn scope_of(scope: TaskScope) -> Option<ProgrammeScope> {
    match scope {
        TaskScope::Staff(id) => Some(ProgrammeScope::Staff(id)),
        TaskScope::Team(id) => Some(ProgrammeScope::Team(id)),
        TaskScope::Pdu(id) => Some(ProgrammeScope::Pdu(id)),
        TaskScope::Person(_) => None,
    }
}

/// A row of `/tasks`: (CRN, name, what, the day it was due by, link).
pub(crate) type TaskRow = (String, String, String, NaiveDate, String);

/// The rows `/tasks` lists for requirements whose programme has not started in time: (CRN, name,
/// what, the day it was due by, link).
pub(crate) fn on_tasks(
    conn: &mut AnyConnection,
    scope: TaskScope,
    today: NaiveDate,
) -> Result<Vec<TaskRow>, keepsafe_storage::StorageError> {
    let Some(scope) = scope_of(scope) else {
        return Ok(Vec::new());
    };
    let rules = ProgrammeRules::in_force_on(today);
    Ok(
        requirements::not_started_in_time(conn, scope, today, &rules)?
            .into_iter()
            .map(|r| {
                let due = r.flag(today, &rules).due_by;
                (
                    r.crn.clone(),
                    r.name.clone(),
                    format!(
                        "Start a programme: {} requirement",
                        r.kind.label().to_lowercase()
                    ),
                    due,
                    format!("/cases/{}/programmes#requirements", r.crn),
                )
            })
            .collect(),
    )
}
