//! Adding a condition to the licence being written (`/cases/{crn}/licence/conditions/new`): one
//! from the catalogue with the details its kind needs (a curfew's hours, an exclusion zone's area,
//! who not to contact, the address to live at), or a bespoke one with the reason it is needed;
//! either may be flagged as asked for by a victim, through their victim liaison officer. And
//! removing one (`POST …/conditions/{condition}/remove`).

use super::page::{context, version_view, Context, VersionView};
use super::version_of;
use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveTime;
use keepsafe_domain::licences::{
    check_condition, ConditionDraft, ConditionKind, LicenceRules, LicenceStatus,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::licences::catalogue::{self, CatalogueEntry};
use keepsafe_storage::licences::licence;
use keepsafe_storage::licences::{LicenceRecord, VersionRecord};
use uuid::Uuid;

/// The value of the "bespoke condition" choice.
const BESPOKE: &str = "bespoke";

#[derive(Template)]
#[template(path = "licences/condition_form.html")]
struct ConditionForm {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    errors: Vec<FieldError>,
    version: Option<VersionView>,
    /// (code, title, wording, what it needs)
    options: Vec<(String, String, String, &'static str)>,
    chosen: String,
    curfew_from: String,
    curfew_to: String,
    curfew_error: Option<String>,
    condition_error: Option<String>,
    victim_requested: bool,
    /// The text fields after the choice, each with its value and error.
    texts: Vec<TextField>,
}

/// A text field of the form: its name, label, hint, whether it is a text area, what was typed
/// and its error.
struct TextField {
    field: &'static str,
    label: &'static str,
    hint: &'static str,
    area: bool,
    value: String,
    error: Option<String>,
}

/// The text fields, in the order shown: each kind's details, then the victim liaison officer.
const TEXTS: [(&str, &str, &str, bool); 7] = [
    ("area", "Exclusion zone: the area", "Describe the area so the person and the police can tell where it is, for example the streets that bound it. Do not say whose home is in it.", true),
    ("who", "No contact: the person or group", "For example, the victim of the index offence, or any member of a named group.", false),
    ("address", "Residence: the address", "The approved address the person must live at.", true),
    ("details", "Other conditions: what it requires", "For example, which programme, or how often drug testing takes place.", true),
    ("wording", "Bespoke condition: its wording", "As the licence will say it.", true),
    ("bespoke_reason", "Bespoke condition: why it is needed", "Why the catalogue's conditions are not enough, and why this one is necessary and proportionate.", true),
    ("vlo_name", "Asked for by a victim: the victim liaison officer who passed the request on", "Their name. Never record the victim's name or address here.", false),
];

fn typed(fields: &FormFields, field: &str) -> String {
    fields.get(field).chars().take(4_000).collect()
}

fn needs(kind: ConditionKind) -> &'static str {
    match kind {
        ConditionKind::Curfew => "Give the hours below.",
        ConditionKind::ExclusionZone => "Describe the area below.",
        ConditionKind::NoContact => "Name the person or group below.",
        ConditionKind::Residence => "Give the address below.",
        ConditionKind::Other | ConditionKind::Bespoke => "Say what it requires below.",
    }
}

fn draft_version(ctx: &Context) -> Option<&VersionRecord> {
    ctx.licence
        .as_ref()
        .and_then(LicenceRecord::open)
        .filter(|v| v.status == LicenceStatus::Draft)
}

fn form(
    user: &CurrentUser,
    ctx: &Context,
    entries: &[CatalogueEntry],
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ConditionForm {
    ConditionForm {
        chrome: Chrome::for_form(
            user,
            format!("Add a licence condition: {}", ctx.crn),
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        version: draft_version(ctx).map(version_view),
        options: entries
            .iter()
            .map(|e| {
                (
                    e.code.clone(),
                    e.title.clone(),
                    e.wording.clone(),
                    needs(e.kind),
                )
            })
            .collect(),
        chosen: typed(fields, "condition"),
        errors: errors.clone(),
        curfew_from: typed(fields, "curfew_from"),
        curfew_to: typed(fields, "curfew_to"),
        curfew_error: forms::message_for(&errors, "curfew_from"),
        condition_error: forms::message_for(&errors, "condition"),
        victim_requested: fields.get("victim_requested") == "yes",
        texts: TEXTS
            .iter()
            .map(|&(field, label, hint, area)| TextField {
                field,
                label,
                hint,
                area,
                value: typed(fields, field),
                error: forms::message_for(&errors, field),
            })
            .collect(),
    }
}

/// `GET /cases/{crn}/licence/conditions/new`, optionally filled in from the query (the licence
/// page's "add it to the licence" for a condition a victim asked for).
pub async fn new(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(prefill): Query<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (ctx, entries) = open_case_for(
        &state,
        &user,
        &crn,
        "view_licence_condition_form",
        Need::Work,
        move |conn, case| Ok((context(conn, case, today)?, catalogue::list(conn, false)?)),
    )
    .await?;
    Ok(render(&form(&user, &ctx, &entries, &prefill, Vec::new()))?.into_response())
}

fn time(text: &str) -> Option<NaiveTime> {
    let text = text.trim().replace('.', ":");
    NaiveTime::parse_from_str(&text, "%H:%M").ok()
}

/// What the form says, as the domain's draft: the catalogue entry's kind and wording, or a
/// bespoke condition's own.
fn draft(fields: &FormFields, entry: Option<&CatalogueEntry>) -> ConditionDraft {
    let bespoke = fields.get("condition") == BESPOKE;
    ConditionDraft {
        kind: if bespoke {
            Some(ConditionKind::Bespoke)
        } else {
            entry.map(|e| e.kind)
        },
        catalogue_code: entry.map(|e| e.code.clone()),
        wording: if bespoke {
            fields.get("wording").to_owned()
        } else {
            entry.map(|e| e.wording.clone()).unwrap_or_default()
        },
        curfew_from: time(fields.get("curfew_from")),
        curfew_to: time(fields.get("curfew_to")),
        area: fields.get("area").to_owned(),
        who: fields.get("who").to_owned(),
        address: fields.get("address").to_owned(),
        details: fields.get("details").to_owned(),
        bespoke_reason: fields.get("bespoke_reason").to_owned(),
        victim_requested: fields.get("victim_requested") == "yes",
        vlo_name: fields.get("vlo_name").to_owned(),
        vlo_staff_id: None,
    }
}

/// `POST /cases/{crn}/licence/conditions/new`.
pub async fn create(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        "add_licence_condition",
        Need::Work,
        move |conn, case| {
            let (version_id, lock) = version_of(&posted)?;
            let ctx = context(conn, case, today)?;
            let entries = catalogue::list(conn, false)?;
            let licence = ctx.licence()?.clone();
            if draft_version(&ctx).map(|v| v.id) != Some(version_id) {
                return Err(AppError::Conflict(
                    keepsafe_storage::licences::STALE_MESSAGE.into(),
                ));
            }
            let chosen = posted.get("condition");
            let entry = entries.iter().find(|e| e.code == chosen);
            if entry.is_none() && chosen != BESPOKE {
                return Ok(Submission::Refused((
                    ctx,
                    entries,
                    vec![FieldError::new("condition", "Choose a condition")],
                )));
            }
            let condition = match check_condition(&draft(&posted, entry), &LicenceRules::default())
            {
                Ok(condition) => condition,
                Err(problems) => {
                    let errors = problems
                        .iter()
                        .map(|p| FieldError::new(p.field(), p.message()))
                        .collect();
                    return Ok(Submission::Refused((ctx, entries, errors)));
                }
            };
            let now = state.clock.now();
            licence::add_condition(conn, &licence, version_id, lock, &condition)?;
            let detail = format!(
                "licence {} version {version_id}: {}{}",
                licence.id,
                condition.details.kind().label(),
                if condition.victim_request.is_some() {
                    ", requested for a victim"
                } else {
                    ""
                }
            );
            audit::record(
                conn,
                &posted.audit_on_case("add_licence_condition", case, detail),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/licence#licence")),
        |(ctx, entries, errors)| form(&user, &ctx, &entries, &fields, errors),
    )
}

/// `POST /cases/{crn}/licence/conditions/{condition}/remove`.
pub async fn remove(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, condition)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let condition = Uuid::parse_str(&condition).map_err(|_| AppError::NotFound);
    let crn = open_case_for(
        &state,
        &user,
        &crn,
        "remove_licence_condition",
        Need::Work,
        move |conn, case| {
            let condition = condition?;
            let (version_id, lock) = version_of(&posted)?;
            let ctx = context(conn, case, today)?;
            let licence = ctx.licence()?;
            let now = state.clock.now();
            licence::remove_condition(conn, licence, version_id, lock, condition)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "remove_licence_condition",
                    case,
                    format!(
                        "licence {} version {version_id}: condition {condition}",
                        licence.id
                    ),
                ),
                now,
            )?;
            Ok(case.crn.clone())
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/cases/{crn}/licence#licence")).into_response())
}
