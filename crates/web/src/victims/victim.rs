//! One victim's record (`/cases/{crn}/victims/{victim}`) and adding or changing a victim's
//! details (`…/victims/new`, `…/victims/{victim}/details`). Victim liaison only: every handler
//! opens the case with `Need::Victims`, so a practitioner is refused (403) and the refusal
//! audited. Audit rows name the victim by id, never by name or address.

use super::case::opted_words;
use super::{field_errors, victim_id};
use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, TypedDate};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::victims::record::VictimForm;
use keepsafe_domain::victims::{check_victim, NewCondition, VictimRole};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::victims::records::{self, VictimRecord};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "victims/victim.html")]
struct VictimPage {
    chrome: Chrome,
    name: String,
    crn: String,
    victim: VictimView,
}

struct VictimView {
    id: String,
    name: String,
    address: String,
    postcode: String,
    phone: String,
    email: String,
    role: String,
    opted: String,
    liaison: String,
    /// (stage, reached on, due on, contacted on or "Due", notes)
    contacts: Vec<[String; 5]>,
    /// (given on, words, recorded by)
    views: Vec<[String; 3]>,
    /// (id, condition, reason, status)
    conditions: Vec<[String; 4]>,
}

fn or_none(value: Option<&str>) -> String {
    value
        .filter(|v| !v.is_empty())
        .unwrap_or("Not recorded")
        .to_owned()
}

fn view(victim: VictimRecord) -> VictimView {
    let date = crate::format::date;
    VictimView {
        id: victim.id.to_string(),
        address: or_none(Some(&victim.address)),
        postcode: or_none(victim.postcode.as_deref()),
        phone: or_none(victim.phone.as_deref()),
        email: or_none(victim.email.as_deref()),
        role: victim.role.label().to_owned(),
        opted: opted_words(victim.opted_in, victim.decided_on),
        liaison: victim.liaison_officer,
        contacts: victim
            .contacts
            .iter()
            .map(|c| {
                [
                    c.stage.label().to_owned(),
                    date(c.stage_on),
                    date(c.due_on),
                    c.contacted_on.map_or_else(|| "Due".to_owned(), date),
                    c.notes.clone(),
                ]
            })
            .collect(),
        views: victim
            .views
            .iter()
            .map(|v| [date(v.given_on), v.words.clone(), v.recorded_by.clone()])
            .collect(),
        conditions: victim
            .conditions
            .iter()
            .map(|c| {
                let status = if c.status_reason.is_empty() {
                    c.status.label().to_owned()
                } else {
                    format!("{}: {}", c.status.label(), c.status_reason)
                };
                [
                    c.id.to_string(),
                    NewCondition::describe(c.kind, &c.details),
                    c.reason.clone(),
                    status,
                ]
            })
            .collect(),
        name: victim.name,
    }
}

/// Reads one victim of the case, or not found.
pub(crate) fn find(
    conn: &mut keepsafe_storage::AnyConnection,
    person_id: Uuid,
    victim: Uuid,
) -> Result<VictimRecord, AppError> {
    records::find(conn, person_id, victim)?.ok_or(AppError::NotFound)
}

/// `GET /cases/{crn}/victims/{victim}`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, victim)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let victim = victim_id(&victim)?;
    let (heading, record) = open_case_for(
        &state,
        &user,
        &crn,
        "view_victim_record",
        Need::Victims,
        move |conn, case| {
            let record = find(conn, case.person_id, victim)?;
            Ok((case_record::heading(conn, case.person_id)?, record))
        },
    )
    .await?;
    Ok(render(&VictimPage {
        chrome: Chrome::for_user(&user, format!("Victim: {}", heading.1), ""),
        name: heading.0,
        crn: heading.1,
        victim: view(record),
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "victims/victim_form.html")]
struct DetailsForm {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    action: String,
    back: String,
    errors: Vec<FieldError>,
    values: Vec<(&'static str, String)>,
    roles: Vec<(&'static str, &'static str)>,
    answers: Vec<(&'static str, &'static str)>,
    decided: TypedDate,
}

impl DetailsForm {
    fn value(&self, field: &str) -> String {
        self.values
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    fn error(&self, field: &str) -> Option<String> {
        forms::message_for(&self.errors, field)
    }
}

const FIELDS: [&str; 7] = [
    "name", "address", "postcode", "phone", "email", "role", "opted_in",
];

fn stored_values(victim: Option<&VictimRecord>) -> Vec<(&'static str, String)> {
    let Some(v) = victim else {
        return FIELDS.iter().map(|f| (*f, String::new())).collect();
    };
    vec![
        ("name", v.name.clone()),
        ("address", v.address.clone()),
        ("postcode", v.postcode.clone().unwrap_or_default()),
        ("phone", v.phone.clone().unwrap_or_default()),
        ("email", v.email.clone().unwrap_or_default()),
        ("role", v.role.code().to_owned()),
        (
            "opted_in",
            match v.opted_in {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            }
            .to_owned(),
        ),
    ]
}

fn typed_date_of(day: Option<NaiveDate>) -> TypedDate {
    day.map_or_else(TypedDate::default, |d| TypedDate {
        day: d.format("%-d").to_string(),
        month: d.format("%-m").to_string(),
        year: d.format("%Y").to_string(),
    })
}

fn details_form(
    user: &CurrentUser,
    heading: (String, String),
    victim: Option<&VictimRecord>,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> DetailsForm {
    let typed = !fields.0.is_empty();
    let (action, back) = match victim {
        Some(v) => (
            format!("/cases/{}/victims/{}/details", heading.1, v.id),
            format!("/cases/{}/victims/{}", heading.1, v.id),
        ),
        None => (
            format!("/cases/{}/victims/new", heading.1),
            format!("/cases/{}/victims", heading.1),
        ),
    };
    DetailsForm {
        chrome: Chrome::for_form(
            user,
            format!("Victim's details: {}", heading.1),
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        values: if typed {
            FIELDS
                .iter()
                .map(|f| (*f, fields.get(f).chars().take(12_000).collect()))
                .collect()
        } else {
            stored_values(victim)
        },
        decided: if typed {
            fields.typed_date("decided_on")
        } else {
            typed_date_of(victim.and_then(|v| v.decided_on))
        },
        roles: VictimRole::ALL
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        answers: vec![
            ("yes", "Yes, they opted in"),
            ("no", "No, they opted out"),
            ("", "Not asked yet"),
        ],
        name: heading.0,
        crn: heading.1,
        action,
        back,
        errors,
    }
}

/// Reads and checks the details form.
fn read_details(
    posted: &FormFields,
    today: NaiveDate,
) -> Result<keepsafe_domain::victims::NewVictim, Vec<FieldError>> {
    let date_typed = !posted.typed_date("decided_on").day.trim().is_empty()
        || !posted.typed_date("decided_on").month.trim().is_empty()
        || !posted.typed_date("decided_on").year.trim().is_empty();
    let mut errors = Vec::new();
    let decided_on = if date_typed {
        posted
            .date("decided_on", "the date they chose")
            .map_err(|e| errors.push(e))
            .ok()
    } else {
        None
    };
    let form = VictimForm {
        name: posted.get("name"),
        address: posted.get("address"),
        postcode: posted.get("postcode"),
        phone: posted.get("phone"),
        email: posted.get("email"),
        role: posted.get("role"),
        opted_in: posted.get("opted_in"),
        decided_on,
    };
    match check_victim(&form, today) {
        Ok(victim) if errors.is_empty() => Ok(victim),
        Ok(_) => Err(errors),
        Err(problems) => {
            let mut all = field_errors(&problems);
            all.retain(|e| !errors.iter().any(|d| d.field == e.field));
            errors.extend(all);
            Err(errors)
        }
    }
}

/// `GET /cases/{crn}/victims/new`.
pub async fn new(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let heading = open_case_for(
        &state,
        &user,
        &crn,
        "view_victim_form",
        Need::Victims,
        |conn, case| Ok(case_record::heading(conn, case.person_id)?),
    )
    .await?;
    let form = details_form(&user, heading, None, &FormFields::default(), Vec::new());
    Ok(render(&form)?.into_response())
}

/// `POST /cases/{crn}/victims/new`.
pub async fn create(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let (today, now) = (state.clock.today(), state.clock.now());
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        "add_victim",
        Need::Victims,
        move |conn, case| {
            let victim = match read_details(&posted, today) {
                Ok(victim) => victim,
                Err(errors) => {
                    let heading = case_record::heading(conn, case.person_id)?;
                    return Ok(Submission::Refused((heading, errors)));
                }
            };
            let id = records::add(conn, case.person_id, &victim, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case("add_victim", case, format!("victim {id}")),
                now,
            )?;
            Ok(Submission::Saved((case.crn.clone(), id)))
        },
    )
    .await?;
    forms::respond(
        submission,
        |(crn, id)| Redirect::to(&format!("/cases/{crn}/victims/{id}")),
        |(heading, errors)| details_form(&user, heading, None, &fields, errors),
    )
}

/// `GET /cases/{crn}/victims/{victim}/details`.
pub async fn edit(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, victim)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let victim = victim_id(&victim)?;
    let (heading, record) = open_case_for(
        &state,
        &user,
        &crn,
        "view_victim_form",
        Need::Victims,
        move |conn, case| {
            let record = find(conn, case.person_id, victim)?;
            Ok((case_record::heading(conn, case.person_id)?, record))
        },
    )
    .await?;
    let form = details_form(
        &user,
        heading,
        Some(&record),
        &FormFields::default(),
        Vec::new(),
    );
    Ok(render(&form)?.into_response())
}

/// `POST /cases/{crn}/victims/{victim}/details`.
pub async fn update(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, victim)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let victim = victim_id(&victim)?;
    let posted = Posted::new(&user, &fields);
    let (today, now) = (state.clock.today(), state.clock.now());
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        "change_victim",
        Need::Victims,
        move |conn, case| {
            let record = find(conn, case.person_id, victim)?;
            let details = match read_details(&posted, today) {
                Ok(details) => details,
                Err(errors) => {
                    let heading = case_record::heading(conn, case.person_id)?;
                    return Ok(Submission::Refused((heading, record, errors)));
                }
            };
            records::update(conn, case.person_id, victim, &details, now)?;
            audit::record(
                conn,
                &posted.audit_on_case("change_victim", case, format!("victim {victim}")),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/victims/{victim}")),
        |(heading, record, errors)| details_form(&user, heading, Some(&record), &fields, errors),
    )
}
