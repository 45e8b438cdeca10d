//! Recording the prison's dates (`/cases/{crn}/licence/key-dates`): the release date, home
//! detention curfew eligibility date, licence end and sentence end as the prison calculated them.
//! Each replaces keepsafe's computed date; a release date schedules the handover and release-day
//! tasks (`keepsafe_domain::licences::planned_tasks`).

use super::page::{context, dates_view, Context, DateView};
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
use keepsafe_domain::licences::{LicenceRules, PrisonDates};
use keepsafe_storage::audit;
use keepsafe_storage::licences::prerelease;

/// The four dates, by field name and how the form and its errors name them.
const FIELDS: [(&str, &str, &str); 4] = [
    ("release_date", "Release date", "the release date"),
    (
        "hdc_eligibility_date",
        "Home detention curfew eligibility date",
        "the home detention curfew eligibility date",
    ),
    (
        "licence_end_date",
        "Licence end date",
        "the licence end date",
    ),
    (
        "sentence_end_date",
        "Sentence end date",
        "the sentence end date",
    ),
];

struct DateInput {
    name: &'static str,
    legend: &'static str,
    typed: TypedDate,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "licences/key_dates_form.html")]
struct KeyDatesForm {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    errors: Vec<FieldError>,
    has_event: bool,
    computed: Vec<DateView>,
    inputs: Vec<DateInput>,
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
    prison: &PrisonDates,
    fields: Option<&FormFields>,
    errors: Vec<FieldError>,
) -> KeyDatesForm {
    let recorded = [
        prison.release_date,
        prison.hdc_eligibility_date,
        prison.licence_end_date,
        prison.sentence_end_date,
    ];
    KeyDatesForm {
        chrome: Chrome::for_form(
            user,
            format!("Record the prison's dates: {}", ctx.crn),
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        has_event: ctx.event.is_some(),
        computed: ctx.key_dates.as_ref().map(dates_view).unwrap_or_default(),
        inputs: FIELDS
            .iter()
            .zip(recorded)
            .map(|(&(name, legend, _), day)| DateInput {
                name,
                legend,
                typed: fields.map_or_else(|| typed(day), |f| f.typed_date(name)),
                error: forms::message_for(&errors, &format!("{name}-day")),
            })
            .collect(),
        errors,
    }
}

/// `GET /cases/{crn}/licence/key-dates`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (ctx, prison) = open_case_for(
        &state,
        &user,
        &crn,
        "view_key_dates",
        Need::Work,
        move |conn, case| {
            let ctx = context(conn, case, today)?;
            let prison = prerelease::prison_dates(conn, ctx.event()?.event_id)?;
            Ok((ctx, prison))
        },
    )
    .await?;
    Ok(render(&form(&user, &ctx, &prison, None, Vec::new()))?.into_response())
}

/// An optional date: empty is none; anything typed must be a real date.
fn optional_date(
    fields: &FormFields,
    name: &str,
    label: &str,
) -> Result<Option<NaiveDate>, FieldError> {
    let typed = fields.typed_date(name);
    if typed.day.trim().is_empty() && typed.month.trim().is_empty() && typed.year.trim().is_empty()
    {
        return Ok(None);
    }
    fields.date(name, label).map(Some)
}

/// Reads the four dates, keeping every error; a licence or sentence end before release is refused.
fn read_dates(fields: &FormFields) -> Result<PrisonDates, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut read = |i: usize| {
        let (name, _, label) = FIELDS[i];
        optional_date(fields, name, label).unwrap_or_else(|e| {
            errors.push(e);
            None
        })
    };
    let dates = PrisonDates {
        release_date: read(0),
        hdc_eligibility_date: read(1),
        licence_end_date: read(2),
        sentence_end_date: read(3),
    };
    if let Some(release) = dates.release_date {
        for (end, name, label) in [
            (
                dates.licence_end_date,
                "licence_end_date",
                "The licence end date",
            ),
            (
                dates.sentence_end_date,
                "sentence_end_date",
                "The sentence end date",
            ),
        ] {
            if end.is_some_and(|end| end <= release) {
                errors.push(FieldError::new(
                    format!("{name}-day"),
                    format!("{label} must be after the release date"),
                ));
            }
        }
        if dates.hdc_eligibility_date.is_some_and(|hdc| hdc >= release) {
            errors.push(FieldError::new(
                "hdc_eligibility_date-day",
                "The home detention curfew eligibility date must be before the release date",
            ));
        }
    }
    if errors.is_empty() {
        Ok(dates)
    } else {
        Err(errors)
    }
}

/// `POST /cases/{crn}/licence/key-dates`.
pub async fn save(
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
        "record_key_dates",
        Need::Work,
        move |conn, case| {
            let ctx = context(conn, case, today)?;
            let event = ctx.event()?.clone();
            let dates = match read_dates(&posted) {
                Ok(dates) => dates,
                Err(errors) => {
                    let prison = prerelease::prison_dates(conn, event.event_id)?;
                    return Ok(Submission::Refused((ctx, prison, errors)));
                }
            };
            let now = state.clock.now();
            prerelease::record_prison_dates(
                conn,
                &event,
                &dates,
                &LicenceRules::default(),
                posted.by,
                now,
            )?;
            let detail = format!(
                "event {}: release {}",
                event.event_id,
                dates
                    .release_date
                    .map_or("not given".to_owned(), |d| d.to_string())
            );
            audit::record(
                conn,
                &posted.audit_on_case("record_key_dates", case, detail),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/licence#key-dates")),
        |(ctx, prison, errors)| form(&user, &ctx, &prison, Some(&fields), errors),
    )
}
