//! Reviewing the plan in force (`/cases/{crn}/plan/review`): the day, why (the regular review or
//! a significant change) and what the review found. A review completes the plan's open review
//! tasks and schedules the next regular one (`keepsafe_domain::plans::PlanRules`).

use super::page::{context, Context};
use super::version_of;
use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::format;
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
use keepsafe_domain::plans::{PlanRules, ReviewReason};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::plans::reviews::{self, NewReview};

#[derive(Template)]
#[template(path = "plans/review_form.html")]
struct ReviewForm {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    has_plan: bool,
    version: i32,
    rules: String,
    errors: Vec<FieldError>,
    day: String,
    month: String,
    year: String,
    date_error: Option<String>,
    reason: String,
    reason_error: Option<String>,
    note: String,
    note_error: Option<String>,
    options: Vec<(&'static str, &'static str)>,
}

fn form(
    user: &CurrentUser,
    ctx: &Context,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ReviewForm {
    let typed = fields.typed_date("reviewed_on");
    ReviewForm {
        chrome: Chrome::for_form(
            user,
            format!("Review the sentence plan: {}", ctx.crn),
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        has_plan: ctx.active().is_some(),
        version: ctx.active().map_or(0, |p| p.version),
        rules: PlanRules::default().describe(),
        day: typed.day,
        month: typed.month,
        year: typed.year,
        date_error: forms::message_for(&errors, "reviewed_on-day"),
        reason: fields.get("reason").to_owned(),
        note: fields.get("note").chars().take(12_000).collect(),
        options: ReviewReason::ALL
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        reason_error: forms::message_for(&errors, "reason"),
        note_error: forms::message_for(&errors, "note"),
        errors,
    }
}

/// `GET /cases/{crn}/plan/review`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let ctx = open_case_for(&state, &user, &crn, "view_plan_review", Need::Work, context).await?;
    Ok(render(&form(&user, &ctx, &FormFields::default(), Vec::new()))?.into_response())
}

/// `POST /cases/{crn}/plan/review`.
pub async fn save(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let submission = open_case_for(&state, &user, &crn, "review_plan", Need::Work, move |conn, case| {
        let version = version_of(&posted)?;
        let ctx = context(conn, case)?;
        let plan = ctx.active().ok_or_else(|| {
            AppError::Conflict("There is no plan in force to review on this case.".into())
        })?;
        let mut errors = Vec::new();
        let reviewed_on = match posted.date("reviewed_on", "the date of the review") {
            Ok(day) if day > today => {
                errors.push(FieldError::new("reviewed_on-day", "The date of the review must be today or in the past"));
                None
            }
            Ok(day) if plan.activated_on.is_some_and(|from| day < from) => {
                errors.push(FieldError::new(
                    "reviewed_on-day",
                    format!(
                        "The date of the review must be on or after the day the plan became active, {}",
                        format::date(plan.activated_on.unwrap_or(NaiveDate::MIN))
                    ),
                ));
                None
            }
            Ok(day) => Some(day),
            Err(error) => {
                errors.push(error);
                None
            }
        };
        let reason = ReviewReason::parse(posted.get("reason")).ok();
        if reason.is_none() {
            errors.push(FieldError::new("reason", "Say why the plan is being reviewed"));
        }
        let note = match LongText::required(posted.get("note")) {
            Ok(note) => Some(note),
            Err(error) => {
                errors.push(FieldError::new("note", format!("Say what the review found: {error}")));
                None
            }
        };
        let (Some(reviewed_on), Some(reason), Some(note)) = (reviewed_on, reason, note) else {
            return Ok(Submission::Refused((ctx, errors)));
        };
        let now = state.clock.now();
        let id = reviews::record_review(
            conn,
            plan.id,
            version,
            &NewReview { reviewed_on, reason, note },
            &PlanRules::default(),
            posted.by,
            now,
        )?;
        audit::record(
            conn,
            &posted.audit_on_case("review_plan", case, format!("{}: review {id}, {}", plan.id, reason.label())),
            now,
        )?;
        Ok(Submission::Saved(case.crn.clone()))
    })
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/plan")),
        |(ctx, errors)| form(&user, &ctx, &fields, errors),
    )
}
