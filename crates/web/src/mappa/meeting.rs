//! `/cases/{crn}/mappa/{registration}/meetings/new`: recording a MAPPA meeting — when it was
//! held, the category and level it confirmed or decided, the chair, the agencies there, what was
//! decided, and the next meeting (left blank, the latest the level's cadence allows). The meeting
//! reviews the MAPPA registration in the same transaction (`storage::mappa::meetings::record`),
//! so a level change has the consequences every MAPPA change has: a risk assessment review task
//! and the tiers recomputed.

use crate::cases::access::{open_case_for, Need};
use crate::cases::details::{choices, optional_date};
use crate::cases::editing::{date_fields, FormState};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::mappa::{MappaAgency, MeetingDraft, MeetingFacts};
use keepsafe_domain::registration::{
    MappaCategory, MappaLevel, RegistrationKind, RegistrationReviewRules,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::cases::registrations::{self, RegistrationEntry};
use keepsafe_storage::mappa::meetings;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "mappa/meeting_form.html")]
struct MeetingPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    registration: String,
    categories: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    agencies: Vec<AgencyChoice>,
    cadence: String,
    current: String,
}

struct AgencyChoice {
    code: String,
    label: String,
    checked: bool,
}

fn page(
    user: &CurrentUser,
    heading: (String, String),
    entry: &RegistrationEntry,
    fields: FormFields,
    errors: Vec<FieldError>,
) -> MeetingPage {
    let rules = RegistrationReviewRules::default();
    let agencies = MappaAgency::ALL
        .iter()
        .map(|agency| AgencyChoice {
            code: agency.code().to_owned(),
            label: agency.label().to_owned(),
            checked: fields
                .0
                .iter()
                .any(|(key, value)| key == "agencies" && value == agency.code()),
        })
        .collect();
    MeetingPage {
        chrome: Chrome::for_form(user, "Record a MAPPA meeting", &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        registration: entry.id.to_string(),
        categories: choices::<MappaCategory>(),
        levels: choices::<MappaLevel>(),
        agencies,
        cadence: format!(
            "Leave blank to meet again as late as the level allows: level 2 within {} weeks, level 3 within {} weeks (reference §7). A case lowered to level 1 is reviewed within {} weeks.",
            rules.mappa_level_2_weeks, rules.mappa_level_3_weeks, rules.default_weeks
        ),
        current: match (entry.mappa_category, entry.mappa_level) {
            (Some(category), Some(level)) => format!("{}; {}", category.label(), level.label()),
            _ => "Category and level not recorded".to_owned(),
        },
    }
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// The person's current MAPPA registration `id`: another kind, or an ended one, is not found.
fn current_mappa(
    conn: &mut keepsafe_storage::AnyConnection,
    person_id: Uuid,
    id: Uuid,
) -> Result<RegistrationEntry, AppError> {
    let entry = registrations::registration(conn, person_id, id)?;
    if entry.kind != RegistrationKind::Mappa || entry.ended_on.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(entry)
}

/// `GET /cases/{crn}/mappa/{registration}/meetings/new`.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, registration)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let registration = parse_id(&registration)?;
    let (heading, entry) = open_case_for(
        &state,
        &user,
        &crn,
        "view_mappa_meeting_form",
        Need::Work,
        move |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                current_mappa(conn, case.person_id, registration)?,
            ))
        },
    )
    .await?;
    let mut pairs = date_fields("held", Some(state.clock.today()));
    pairs.push((
        "category".into(),
        entry
            .mappa_category
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
    ));
    pairs.push((
        "level".into(),
        entry
            .mappa_level
            .map(|l| l.code().to_owned())
            .unwrap_or_default(),
    ));
    pairs.push(("agencies".into(), MappaAgency::Probation.code().to_owned()));
    let page = page(&user, heading, &entry, FormFields(pairs), Vec::new());
    Ok(render(&page)?.into_response())
}

/// Reads the form into a draft (a date that is not a date is an error here), then checks it.
fn read(
    fields: &FormFields,
    entry: &RegistrationEntry,
    today: NaiveDate,
) -> Result<MeetingFacts, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut date = |name: &str, label: &str| match optional_date(fields, name, label) {
        Ok(date) => (date, false),
        Err(error) => {
            errors.push(error);
            (None, true)
        }
    };
    let (held_on, held_unreadable) = date("held", "the date the meeting was held");
    let (next_meeting_on, next_unreadable) = date("next_meeting", "the date of the next meeting");
    let draft = MeetingDraft {
        held_on,
        category: MappaCategory::parse(fields.get("category")).ok(),
        level: MappaLevel::parse(fields.get("level")).ok(),
        chair: fields.get("chair").to_owned(),
        agencies: fields
            .0
            .iter()
            .filter(|(key, _)| key == "agencies")
            .filter_map(|(_, value)| MappaAgency::parse(value).ok())
            .collect(),
        decisions: fields.get("decisions").to_owned(),
        next_meeting_on,
    };
    let checked = draft.check(
        entry.registered_on,
        today,
        &RegistrationReviewRules::default(),
    );
    let found = match checked {
        Ok(facts) if errors.is_empty() => return Ok(facts),
        Ok(_) => Vec::new(),
        Err(found) => found,
    };
    for error in found {
        let field = error.field();
        // A date already refused as unreadable is not refused again as missing.
        let repeated = (field == "held-day" && held_unreadable)
            || (field == "next_meeting-day" && next_unreadable);
        if !repeated {
            errors.push(FieldError::new(field, error.to_string()));
        }
    }
    Err(errors)
}

/// `POST /cases/{crn}/mappa/{registration}/meetings/new`.
pub async fn record(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, registration)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let registration = parse_id(&registration)?;
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "record_mappa_meeting",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let entry = current_mappa(conn, case.person_id, registration)?;
            let facts = match read(&posted, &entry, today) {
                Ok(facts) => facts,
                Err(errors) => return Ok(Submission::Refused((heading, entry, errors))),
            };
            let now = state.clock.now();
            let (meeting, before, consequences) =
                meetings::record(conn, case.person_id, registration, &facts, posted.by, now)?;
            let mut detail = format!(
                "MAPPA meeting {meeting} held {}: category {} level {} (was {} {}), next {}",
                facts.held_on,
                facts.category.code(),
                facts.level.code(),
                before.mappa_category.map(|c| c.code()).unwrap_or("none"),
                before.mappa_level.map(|l| l.code()).unwrap_or("none"),
                facts.next_meeting_on
            );
            if let Some((_, due)) = consequences.review_task {
                detail.push_str(&format!("; risk assessment review due {due}"));
            }
            audit::record(
                conn,
                &posted.audit_on_case("record_mappa_meeting", case, detail),
                now,
            )?;
            Ok(Submission::Saved((
                heading.1,
                consequences.review_task.map(|(_, due)| due),
            )))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |(crn, due): (String, Option<NaiveDate>)| {
            let review = due.map(|d| format!("&review_due={d}")).unwrap_or_default();
            Redirect::to(&format!("/cases/{crn}/mappa?recorded=meeting{review}"))
        },
        |(heading, entry, errors)| page(&user, heading, &entry, fields, errors),
    )
}
