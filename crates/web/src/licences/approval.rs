//! Moving a licence version on: sending the draft for approval (`POST …/submit`), approving it
//! (`POST …/approve`: a senior officer who did not write it; a variation needs the head of PDU; a
//! curfew or residence condition needs the address approved as suitable first) or sending it back
//! to its author (the same form, `decision=return`), and starting a variation of the licence in force with its reason
//! (`/cases/{crn}/licence/variation`). A refusal shows the licence page again with the domain's
//! words in the error summary, linked to the button that was pressed.

use super::page::{context, page, Context};
use super::version_of;
use crate::cases::access::{open_case_for, Need};
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
use keepsafe_domain::text::LongText;
use keepsafe_storage::audit;
use keepsafe_storage::licences::{licence, STALE_MESSAGE};
use keepsafe_storage::StorageError;

/// A refusal from storage as an error on the licence page, linked to `field`; a stale form stays
/// a conflict (the page must be reloaded).
fn refused_on(field: &str, error: StorageError) -> Result<Vec<FieldError>, AppError> {
    match error {
        StorageError::Conflict(message) if message != STALE_MESSAGE => {
            Ok(vec![FieldError::new(field, message)])
        }
        other => Err(other.into()),
    }
}

/// What a licence-page action's transaction returns.
type Outcome = Submission<String, (Context, Vec<FieldError>)>;

fn respond_on_page(
    state: &AppState,
    user: &CurrentUser,
    outcome: Outcome,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    forms::respond(
        outcome,
        |crn| Redirect::to(&format!("/cases/{crn}/licence#licence")),
        |(ctx, errors)| page(user, &ctx, errors, today),
    )
}

/// `POST /cases/{crn}/licence/submit`.
pub async fn submit(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let writer = state.clone();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "submit_licence",
        Need::Work,
        move |conn, case| {
            let (version_id, lock) = version_of(&posted)?;
            let ctx = context(conn, case, today)?;
            let now = writer.clock.now();
            if let Err(error) = licence::submit(conn, ctx.licence()?, version_id, lock, now) {
                let errors = refused_on("submit", error)?;
                return Ok(Submission::Refused((ctx, errors)));
            }
            audit::record(
                conn,
                &posted.audit_on_case("submit_licence", case, format!("version {version_id}")),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    respond_on_page(&state, &user, outcome)
}

/// `POST /cases/{crn}/licence/approve`: approves, or with `decision=return` sends the version
/// back to its author as a draft.
pub async fn approve(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let grade = user.account.grade;
    let today = state.clock.today();
    let writer = state.clone();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "approve_licence",
        Need::ManageRisk,
        move |conn, case| {
            let (version_id, lock) = version_of(&posted)?;
            let ctx = context(conn, case, today)?;
            let now = writer.clock.now();
            if let Err(error) = licence::approve(
                conn,
                ctx.licence()?,
                version_id,
                lock,
                ctx.address,
                posted.by,
                grade,
                now,
            ) {
                let errors = refused_on("approve", error)?;
                return Ok(Submission::Refused((ctx, errors)));
            }
            audit::record(
                conn,
                &posted.audit_on_case("approve_licence", case, format!("version {version_id}")),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    respond_on_page(&state, &user, outcome)
}

#[derive(Template)]
#[template(path = "licences/variation_form.html")]
struct VariationForm {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    errors: Vec<FieldError>,
    may_vary: bool,
    reason: String,
    reason_error: Option<String>,
}

fn variation_page(
    user: &CurrentUser,
    ctx: &Context,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> VariationForm {
    let licence = ctx.licence.as_ref();
    VariationForm {
        chrome: Chrome::for_form(user, format!("Vary the licence: {}", ctx.crn), &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        may_vary: licence
            .is_some_and(|l| l.in_force().is_some() && l.open().is_none() && l.ended_on.is_none()),
        reason: fields.get("reason").chars().take(12_000).collect(),
        reason_error: forms::message_for(&errors, "reason"),
        errors,
    }
}

/// `GET /cases/{crn}/licence/variation`.
pub async fn variation_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let ctx = open_case_for(
        &state,
        &user,
        &crn,
        "view_licence_variation",
        Need::Work,
        move |conn, case| context(conn, case, today),
    )
    .await?;
    Ok(render(&variation_page(
        &user,
        &ctx,
        &FormFields::default(),
        Vec::new(),
    ))?
    .into_response())
}

/// `POST /cases/{crn}/licence/variation`: a draft variation copying the licence in force.
pub async fn vary(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let writer = state.clone();
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        "vary_licence",
        Need::Work,
        move |conn, case| {
            let ctx = context(conn, case, today)?;
            let reason = match LongText::required(posted.get("reason")) {
                Ok(reason) => reason,
                Err(error) => {
                    let errors = vec![FieldError::new(
                        "reason",
                        format!("Say why the licence is being varied: {error}"),
                    )];
                    return Ok(Submission::Refused((ctx, errors)));
                }
            };
            let now = writer.clock.now();
            let licence = ctx.licence()?;
            let id = licence::start_variation(conn, licence, reason.as_str(), posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "vary_licence",
                    case,
                    format!("licence {}: variation {id}", licence.id),
                ),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/licence#licence")),
        |(ctx, errors)| variation_page(&user, &ctx, &fields, errors),
    )
}
