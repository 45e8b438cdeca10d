//! What victim liaison add to a victim's record: a contact at a stage
//! (`…/victims/{victim}/contacts/new`), the victim's views (`…/views/new`) and a licence
//! condition they ask for (`…/conditions/new`, changed at `…/conditions/{victim_condition}`). Each is one
//! form, refused with every problem named by its field, saved with its audit row in the one
//! transaction that opened the case.

use super::victim::find;
use super::{field_errors, victim_id};
use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, TypedDate};
use crate::layout::{render, Chrome};
use crate::routes::{Access, Registry, SignedIn};
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::text::LongText;
use keepsafe_domain::victims::{
    check_condition, check_contact, ConditionForm, ConditionKind, ConditionStatus, VictimProblem,
    VictimStage,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::cases::record::LocatedCase;
use keepsafe_storage::victims::records::{self, VictimCondition};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// The routes of a victim's entries.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/victims/{victim}/contacts/new",
            Access::Case,
            get(contact_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/victims/{victim}/contacts/new",
            Access::Case,
            post(save_contact),
        )
        .add(
            Method::GET,
            "/cases/{crn}/victims/{victim}/views/new",
            Access::Case,
            get(views_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/victims/{victim}/views/new",
            Access::Case,
            post(save_views),
        )
        .add(
            Method::GET,
            "/cases/{crn}/victims/{victim}/conditions/new",
            Access::Case,
            get(new_condition),
        )
        .add(
            Method::POST,
            "/cases/{crn}/victims/{victim}/conditions/new",
            Access::Case,
            post(create_condition),
        )
        .add(
            Method::GET,
            "/cases/{crn}/victims/{victim}/conditions/{victim_condition}",
            Access::Case,
            get(edit_condition),
        )
        .add(
            Method::POST,
            "/cases/{crn}/victims/{victim}/conditions/{victim_condition}",
            Access::Case,
            post(update_condition),
        )
}

/// The page heading: the case's person and CRN, and the victim's name (victim liaison's pages).
struct Heading {
    name: String,
    crn: String,
    victim: String,
    victim_id: Uuid,
}

fn heading(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    victim: Uuid,
) -> Result<(Heading, Vec<VictimCondition>), AppError> {
    let record = find(conn, case.person_id, victim)?;
    let (name, crn) = case_record::heading(conn, case.person_id)?;
    Ok((
        Heading {
            name,
            crn,
            victim: record.name,
            victim_id: record.id,
        },
        record.conditions,
    ))
}

/// Opens the case for victim liaison and reads the victim's heading for a form.
async fn open_for_form(
    state: &AppState,
    user: &CurrentUser,
    crn: &str,
    victim: &str,
) -> Result<(Heading, Vec<VictimCondition>), AppError> {
    let victim = victim_id(victim)?;
    open_case_for(
        state,
        user,
        crn,
        "view_victim_form",
        Need::Victims,
        move |conn, case| heading(conn, case, victim),
    )
    .await
}

/// Reads a date input that must be today or in the past.
fn past_date(
    posted: &FormFields,
    name: &str,
    label: &str,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let day = posted.date(name, label)?;
    if day > today {
        return Err(FieldError::new(
            format!("{name}-day"),
            format!(
                "{} must be today or in the past",
                super::sentence_case(label)
            ),
        ));
    }
    Ok(day)
}

#[derive(Template)]
#[template(path = "victims/contact_form.html")]
struct ContactForm {
    chrome: Chrome,
    csrf_token: String,
    heading: Heading,
    errors: Vec<FieldError>,
    stages: Vec<(&'static str, &'static str)>,
    stage: String,
    date: TypedDate,
    notes: String,
}

impl ContactForm {
    fn error(&self, field: &str) -> Option<String> {
        forms::message_for(&self.errors, field)
    }
}

fn contact_page(
    user: &CurrentUser,
    heading: Heading,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ContactForm {
    ContactForm {
        chrome: Chrome::for_form(
            user,
            format!("Record a contact: {}", heading.crn),
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        heading,
        stages: VictimStage::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        stage: fields.get("stage").chars().take(40).collect(),
        date: fields.typed_date("contacted_on"),
        notes: fields.get("notes").chars().take(12_000).collect(),
        errors,
    }
}

/// `GET …/victims/{victim}/contacts/new`.
pub async fn contact_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, victim)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (heading, _) = open_for_form(&state, &user, &crn, &victim).await?;
    Ok(render(&contact_page(
        &user,
        heading,
        &FormFields::default(),
        Vec::new(),
    ))?
    .into_response())
}

/// `POST …/victims/{victim}/contacts/new`.
pub async fn save_contact(
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
        "record_victim_contact",
        Need::Victims,
        move |conn, case| {
            let (heading, _) = heading(conn, case, victim)?;
            let mut errors = Vec::new();
            let on = past_date(&posted, "contacted_on", "the date of the contact", today)
                .map_err(|e| errors.push(e))
                .ok();
            let checked = check_contact(posted.get("stage"), on, posted.get("notes"), today);
            let contact = match checked {
                Ok(contact) if errors.is_empty() => contact,
                other => {
                    if let Err(problems) = other {
                        let more = field_errors(&problems);
                        errors.extend(more.into_iter().filter(|e| e.field != "contacted_on-day"));
                    }
                    return Ok(Submission::Refused((heading, errors)));
                }
            };
            let id =
                records::record_contact(conn, case.person_id, victim, &contact, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "record_victim_contact",
                    case,
                    format!("victim {victim}: {} contact {id}", contact.stage.label()),
                ),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/victims/{victim}")),
        |(heading, errors)| contact_page(&user, heading, &fields, errors),
    )
}

#[derive(Template)]
#[template(path = "victims/views_form.html")]
struct ViewsForm {
    chrome: Chrome,
    csrf_token: String,
    heading: Heading,
    errors: Vec<FieldError>,
    date: TypedDate,
    words: String,
}

impl ViewsForm {
    fn error(&self, field: &str) -> Option<String> {
        forms::message_for(&self.errors, field)
    }
}

fn views_page(
    user: &CurrentUser,
    heading: Heading,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ViewsForm {
    ViewsForm {
        chrome: Chrome::for_form(
            user,
            format!("Record their views: {}", heading.crn),
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        heading,
        date: fields.typed_date("given_on"),
        words: fields.get("words").chars().take(12_000).collect(),
        errors,
    }
}

/// `GET …/victims/{victim}/views/new`.
pub async fn views_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, victim)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (heading, _) = open_for_form(&state, &user, &crn, &victim).await?;
    Ok(render(&views_page(
        &user,
        heading,
        &FormFields::default(),
        Vec::new(),
    ))?
    .into_response())
}

/// `POST …/victims/{victim}/views/new`.
pub async fn save_views(
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
        "record_victim_views",
        Need::Victims,
        move |conn, case| {
            let (heading, _) = heading(conn, case, victim)?;
            let mut errors = Vec::new();
            let given_on = past_date(&posted, "given_on", "the date they gave their views", today)
                .map_err(|e| errors.push(e))
                .ok();
            let words = LongText::required(posted.get("words"))
                .map_err(|e| errors.push(FieldError::new("words", format!("Their views: {e}"))))
                .ok();
            let (Some(given_on), Some(words), true) = (given_on, words, errors.is_empty()) else {
                return Ok(Submission::Refused((heading, errors)));
            };
            let id = records::add_view(conn, victim, given_on, words.as_str(), posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "record_victim_views",
                    case,
                    format!("victim {victim}: views {id}"),
                ),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/victims/{victim}")),
        |(heading, errors)| views_page(&user, heading, &fields, errors),
    )
}

#[derive(Template)]
#[template(path = "victims/condition_form.html")]
struct ConditionPage {
    chrome: Chrome,
    csrf_token: String,
    heading: Heading,
    action: String,
    errors: Vec<FieldError>,
    kinds: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    values: Vec<(&'static str, String)>,
}

impl ConditionPage {
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

const CONDITION_FIELDS: [&str; 5] = ["kind", "details", "reason", "status", "status_reason"];

fn condition_page(
    user: &CurrentUser,
    heading: Heading,
    stored: Option<&VictimCondition>,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ConditionPage {
    let values = match (stored, fields.0.is_empty()) {
        (Some(c), true) => vec![
            ("kind", c.kind.code().to_owned()),
            ("details", c.details.clone()),
            ("reason", c.reason.clone()),
            ("status", c.status.code().to_owned()),
            ("status_reason", c.status_reason.clone()),
        ],
        (None, true) => vec![("status", ConditionStatus::Requested.code().to_owned())],
        (_, false) => CONDITION_FIELDS
            .iter()
            .map(|f| (*f, fields.get(f).chars().take(12_000).collect()))
            .collect(),
    };
    let action = match stored {
        Some(c) => format!(
            "/cases/{}/victims/{}/conditions/{}",
            heading.crn, heading.victim_id, c.id
        ),
        None => format!(
            "/cases/{}/victims/{}/conditions/new",
            heading.crn, heading.victim_id
        ),
    };
    ConditionPage {
        chrome: Chrome::for_form(
            user,
            format!("Licence condition: {}", heading.crn),
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        heading,
        action,
        kinds: ConditionKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        statuses: ConditionStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        values,
        errors,
    }
}

fn read_condition(
    posted: &FormFields,
) -> Result<keepsafe_domain::victims::NewCondition, Vec<VictimProblem>> {
    check_condition(&ConditionForm {
        kind: posted.get("kind"),
        details: posted.get("details"),
        reason: posted.get("reason"),
        status: posted.get("status"),
        status_reason: posted.get("status_reason"),
    })
}

/// `GET …/victims/{victim}/conditions/new`.
pub async fn new_condition(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, victim)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (heading, _) = open_for_form(&state, &user, &crn, &victim).await?;
    let page = condition_page(&user, heading, None, &FormFields::default(), Vec::new());
    Ok(render(&page)?.into_response())
}

/// `POST …/victims/{victim}/conditions/new`.
pub async fn create_condition(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, victim)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let victim = victim_id(&victim)?;
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        "record_victim_condition",
        Need::Victims,
        move |conn, case| {
            let (heading, _) = heading(conn, case, victim)?;
            let condition = match read_condition(&posted) {
                Ok(condition) => condition,
                Err(problems) => {
                    return Ok(Submission::Refused((heading, field_errors(&problems))))
                }
            };
            let id =
                records::add_condition(conn, case.person_id, victim, &condition, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "record_victim_condition",
                    case,
                    format!(
                        "victim {victim}: {} ({}), condition {id}",
                        condition.kind.label(),
                        condition.status.label()
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/victims/{victim}")),
        |(heading, errors)| condition_page(&user, heading, None, &fields, errors),
    )
}

/// `GET …/victims/{victim}/conditions/{victim_condition}`.
pub async fn edit_condition(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, victim, condition)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let condition = victim_id(&condition)?;
    let (heading, conditions) = open_for_form(&state, &user, &crn, &victim).await?;
    let stored = conditions
        .iter()
        .find(|c| c.id == condition)
        .ok_or(AppError::NotFound)?;
    let page = condition_page(
        &user,
        heading,
        Some(stored),
        &FormFields::default(),
        Vec::new(),
    );
    Ok(render(&page)?.into_response())
}

/// `POST …/victims/{victim}/conditions/{victim_condition}`.
pub async fn update_condition(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, victim, condition)): Path<(String, String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let victim = victim_id(&victim)?;
    let condition_id = victim_id(&condition)?;
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        "change_victim_condition",
        Need::Victims,
        move |conn, case| {
            let (heading, conditions) = heading(conn, case, victim)?;
            let stored = conditions
                .into_iter()
                .find(|c| c.id == condition_id)
                .ok_or(AppError::NotFound)?;
            let condition = match read_condition(&posted) {
                Ok(condition) => condition,
                Err(problems) => {
                    return Ok(Submission::Refused((
                        heading,
                        stored,
                        field_errors(&problems),
                    )))
                }
            };
            records::update_condition(conn, case.person_id, victim, condition_id, &condition, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "change_victim_condition",
                    case,
                    format!(
                        "victim {victim}: condition {condition_id} {} → {}",
                        stored.status.label(),
                        condition.status.label()
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/victims/{victim}")),
        |(heading, stored, errors)| condition_page(&user, heading, Some(&stored), &fields, errors),
    )
}
