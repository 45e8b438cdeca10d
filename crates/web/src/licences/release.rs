//! Recording the release (`/cases/{crn}/licence/release`): from the day of release the case is a
//! licence case (the event's case type, release date and expected end set, in one transaction with
//! the licence's release), and recording the end of the licence (`/cases/{crn}/licence/end`),
//! which closes the licence and the sentence. Both call storage functions that take the
//! transaction's connection, so the victims area's "stage reached" can be added to the same one.

use super::page::{context, Context};
use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::format;
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
use keepsafe_domain::victims::VictimStage;
use keepsafe_storage::audit;
use keepsafe_storage::licences::licence;
use keepsafe_storage::victims;

/// Which of the two forms.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Release,
    End,
}

#[derive(Template)]
#[template(path = "licences/release_form.html")]
struct ReleaseForm {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    errors: Vec<FieldError>,
    release: bool,
    allowed: bool,
    action: &'static str,
    heading: &'static str,
    expected: String,
    on: TypedDate,
    on_error: Option<String>,
    end: TypedDate,
    end_error: Option<String>,
}

fn typed(day: Option<NaiveDate>) -> TypedDate {
    day.map(|d| TypedDate {
        day: d.format("%-d").to_string(),
        month: d.format("%-m").to_string(),
        year: d.format("%Y").to_string(),
    })
    .unwrap_or_default()
}

fn form(
    user: &CurrentUser,
    ctx: &Context,
    step: Step,
    fields: Option<&FormFields>,
    errors: Vec<FieldError>,
) -> ReleaseForm {
    let licence = ctx.licence.as_ref();
    let dates = ctx.key_dates.as_ref();
    let (heading, action) = match step {
        Step::Release => ("Record the release", "release"),
        Step::End => ("Record the end of the licence", "end"),
    };
    let expected = match step {
        Step::Release => dates.and_then(|d| d.release.date),
        Step::End => licence
            .and_then(|l| l.licence_end_date)
            .or(dates.and_then(|d| d.licence_end.date)),
    };
    ReleaseForm {
        chrome: Chrome::for_form(user, format!("{heading}: {}", ctx.crn), &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        release: step == Step::Release,
        allowed: match step {
            Step::Release => {
                licence.is_some_and(|l| l.in_force().is_some() && l.released_on.is_none())
            }
            Step::End => licence.is_some_and(|l| l.released_on.is_some() && l.ended_on.is_none()),
        },
        action,
        heading,
        expected: expected
            .map(format::date)
            .unwrap_or_else(|| "Not known".into()),
        on: fields.map_or_else(TypedDate::default, |f| f.typed_date("on")),
        on_error: forms::message_for(&errors, "on-day"),
        end: fields.map_or_else(
            || typed(dates.and_then(|d| d.licence_end.date)),
            |f| f.typed_date("licence_end"),
        ),
        end_error: forms::message_for(&errors, "licence_end-day"),
        errors,
    }
}

async fn show(
    state: AppState,
    user: CurrentUser,
    crn: String,
    step: Step,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let ctx = open_case_for(
        &state,
        &user,
        &crn,
        "view_licence_release",
        Need::Work,
        move |conn, case| context(conn, case, today),
    )
    .await?;
    Ok(render(&form(&user, &ctx, step, None, Vec::new()))?.into_response())
}

/// `GET /cases/{crn}/licence/release`.
pub async fn release_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    show(state, user, crn, Step::Release).await
}

/// `GET /cases/{crn}/licence/end`.
pub async fn end_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    show(state, user, crn, Step::End).await
}

/// The day it happened: required, and not in the future.
fn happened_on(
    fields: &FormFields,
    label: &str,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match fields.date("on", label) {
        Ok(day) if day > today => {
            errors.push(FieldError::new(
                "on-day",
                format!("Record {label} on the day or after: it cannot be in the future"),
            ));
            None
        }
        Ok(day) => Some(day),
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// `POST /cases/{crn}/licence/release`.
pub async fn record(
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
        "record_release",
        Need::Work,
        move |conn, case| {
            let ctx = context(conn, case, today)?;
            let mut errors = Vec::new();
            let released_on = happened_on(&posted, "the day of release", today, &mut errors);
            let licence_end = match posted.date("licence_end", "the licence end date") {
                Ok(end) if released_on.is_some_and(|on| end <= on) => {
                    errors.push(FieldError::new(
                        "licence_end-day",
                        "The licence end date must be after the day of release",
                    ));
                    None
                }
                Ok(end) => Some(end),
                Err(error) => {
                    errors.push(error);
                    None
                }
            };
            let (Some(released_on), Some(licence_end)) = (released_on, licence_end) else {
                return Ok(Submission::Refused((ctx, errors)));
            };
            let now = writer.clock.now();
            let done =
                licence::record_release(conn, ctx.licence()?.id, released_on, Some(licence_end))?;
            // Victims in the scheme are told of the release (reference §6), in this transaction.
            let victims_due = victims::stage_reached(
                conn,
                done.person_id,
                VictimStage::Release,
                released_on,
                posted.by,
                now,
            )?;
            let detail = format!(
                "licence {}: released {released_on}, licence ends {licence_end}; {victims_due} victim contacts due",
                done.licence_id
            );
            audit::record(
                conn,
                &posted.audit_on_case("record_release", case, detail),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/licence#licence")),
        |(ctx, errors)| form(&user, &ctx, Step::Release, Some(&fields), errors),
    )
}

/// `POST /cases/{crn}/licence/end`.
pub async fn end(
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
        "end_licence",
        Need::Work,
        move |conn, case| {
            let ctx = context(conn, case, today)?;
            let mut errors = Vec::new();
            let Some(ended_on) =
                happened_on(&posted, "the day the licence ended", today, &mut errors)
            else {
                return Ok(Submission::Refused((ctx, errors)));
            };
            let now = writer.clock.now();
            let licence_id = ctx.licence()?.id;
            licence::end_licence(conn, licence_id, ended_on)?;
            // Victims in the scheme are told the licence has ended (reference §6).
            let victims_due = victims::stage_reached(
                conn,
                case.person_id,
                VictimStage::LicenceEnd,
                ended_on,
                posted.by,
                now,
            )?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "end_licence",
                    case,
                    format!(
                        "licence {licence_id}: ended {ended_on}; {victims_due} victim contacts due"
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
        |crn| Redirect::to(&format!("/cases/{crn}/licence#licence")),
        |(ctx, errors)| form(&user, &ctx, Step::End, Some(&fields), errors),
    )
}
