//! The person's own words about their plan and whether they agree (`/cases/{crn}/plan/person`).
//! Recorded on the plan being written or, when none is, on the plan in force (people come to
//! agree later, or change their minds); with neither, saving starts a plan. Agreeing is refused
//! without the person's words, and not agreeing without the reason.

use super::page::{context, Context};
use super::{field_errors, version_of};
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
use keepsafe_domain::plans::{check_persons_view, Agreement, PersonsView, PlanStatus};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::plans::{write, PlanRecord, STALE_MESSAGE};

#[derive(Template)]
#[template(path = "plans/person_form.html")]
struct PersonForm {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    version: i32,
    errors: Vec<FieldError>,
    words: String,
    words_error: Option<String>,
    agreement: String,
    agreement_error: Option<String>,
    reason: String,
    reason_error: Option<String>,
    options: Vec<(&'static str, &'static str)>,
}

/// The plan the person's view goes on: the draft, else the plan in force.
fn target(ctx: &Context) -> Result<Option<&PlanRecord>, AppError> {
    match ctx.open() {
        Some(plan) if plan.status == PlanStatus::Draft => Ok(Some(plan)),
        Some(_) => Err(AppError::Conflict(
            "The plan is awaiting countersignature, so it cannot be changed.".into(),
        )),
        None => Ok(ctx.active()),
    }
}

fn form(
    user: &CurrentUser,
    ctx: &Context,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> PersonForm {
    let plan = target(ctx).ok().flatten();
    let view = plan.map(|p| p.persons_view.clone()).unwrap_or_default();
    let typed = |name: &str, stored: &str| {
        if fields.0.is_empty() {
            stored.to_owned()
        } else {
            fields.get(name).chars().take(12_000).collect()
        }
    };
    PersonForm {
        chrome: Chrome::for_form(
            user,
            format!("The person's view of the plan: {}", ctx.crn),
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        version: plan.map_or(0, |p| p.version),
        words: typed("words", view.words.as_str()),
        agreement: typed("agreement", view.agreement.map_or("", |a| a.code())),
        reason: typed("disagreement_reason", view.disagreement_reason.as_str()),
        options: Agreement::ALL
            .iter()
            .map(|a| (a.code(), a.label()))
            .collect(),
        words_error: forms::message_for(&errors, "words"),
        agreement_error: forms::message_for(&errors, "agreement"),
        reason_error: forms::message_for(&errors, "disagreement_reason"),
        errors,
    }
}

/// `GET /cases/{crn}/plan/person`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let ctx = open_case_for(&state, &user, &crn, "view_plan_person", Need::Work, context).await?;
    Ok(render(&form(&user, &ctx, &FormFields::default(), Vec::new()))?.into_response())
}

/// `POST /cases/{crn}/plan/person`.
pub async fn save(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        "save_plan_person",
        Need::Work,
        move |conn, case| {
            let version = version_of(&posted)?;
            let ctx = context(conn, case)?;
            let plan = target(&ctx)?.map(|p| p.id);
            if plan.is_none() && version != 0 {
                return Err(AppError::Conflict(STALE_MESSAGE.into()));
            }
            let mut errors = Vec::new();
            let mut text = |field: &str, label: &str| {
                LongText::optional(posted.get(field)).unwrap_or_else(|error| {
                    errors.push(FieldError::new(field, format!("{label} {error}")));
                    LongText::default()
                })
            };
            let view = PersonsView {
                words: text("words", "The person's words"),
                agreement: Agreement::parse(posted.get("agreement")).ok(),
                disagreement_reason: text("disagreement_reason", "The reason"),
            };
            if view.agreement.is_none() && view.words.is_empty() {
                errors.push(FieldError::new(
                    "words",
                    "Record the person's own words about the plan",
                ));
            }
            if let Err(problems) = check_persons_view(&view) {
                errors.extend(field_errors(&problems));
            }
            if !errors.is_empty() {
                return Ok(Submission::Refused((ctx, errors)));
            }
            let now = state.clock.now();
            let (plan, version) = match plan {
                Some(plan) => (plan, version),
                None => (write::start(conn, case.person_id, posted.by, now)?, 1),
            };
            write::save_persons_view(conn, plan, version, &view, posted.by, now)?;
            let detail = view
                .agreement
                .map_or("agreement not answered", |a| a.label());
            audit::record(
                conn,
                &posted.audit_on_case("save_plan_person", case, format!("{plan}: {detail}")),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/plan")),
        |(ctx, errors)| form(&user, &ctx, &fields, errors),
    )
}
