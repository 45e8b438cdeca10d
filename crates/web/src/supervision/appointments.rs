//! Appointments: `GET/POST /cases/{crn}/appointments/new` (one, or a weekly or fortnightly
//! series), `GET/POST /cases/{crn}/appointments/{appointment}/reschedule` and `…/cancel`.
//!
//! The domain plans the series and refuses what cannot be arranged
//! (`keepsafe_domain::supervision::appointment::plan`); its warnings (a clash in the
//! practitioner's or the person's diary, a bank holiday, a weekend) are shown on a confirm step,
//! and the practitioner may go ahead. Only the case's staff arrange, move and cancel
//! ([`Need::Work`]).

use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, TypedDate, Validation};
use crate::layout::{render, unprocessable, Chrome};
use crate::routes::{Access, Registry, SignedIn};
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::supervision::contacts::{
    counts_towards_choices, default_counts_towards, heading_and_context, location_label,
    open_contact, open_form, place, read_counts_towards, signed_in_choice, staff_choices,
    time_field, when, Choice,
};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Form;
use chrono::NaiveDateTime;
use keepsafe_domain::supervision::appointment::{
    self, AppointmentInput, AppointmentRefusal, AppointmentRequest, Repeat, SeriesEnd, Slot,
    MAX_OCCURRENCES,
};
use keepsafe_domain::supervision::contact::{ContactType, LocationKind, RescheduleRequester};
use keepsafe_domain::supervision::contact_log::{local_time, ContactNotes};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::supervision::contacts::{self, FormContext, LogEntry, Move, NewContact};
use uuid::Uuid;

/// The appointment routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/appointments/new",
            Access::Case,
            get(form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/appointments/new",
            Access::Case,
            post(arrange),
        )
        .add(
            Method::GET,
            "/cases/{crn}/appointments/{appointment}/reschedule",
            Access::Case,
            get(reschedule_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/appointments/{appointment}/reschedule",
            Access::Case,
            post(reschedule),
        )
        .add(
            Method::GET,
            "/cases/{crn}/appointments/{appointment}/cancel",
            Access::Case,
            get(cancel_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/appointments/{appointment}/cancel",
            Access::Case,
            post(cancel),
        )
}

// ---------------------------------------------------------------------------------------------
// Arranging.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "supervision/appointment_form.html")]
struct ArrangePage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    errors: Vec<FieldError>,
    staff: Vec<Choice>,
    types: Vec<Choice>,
    counts_towards: Vec<Choice>,
    locations: Vec<Choice>,
    repeats: Vec<Choice>,
    series_ends: Vec<Choice>,
    date: TypedDate,
    until: TypedDate,
    start: String,
    end: String,
    times: String,
    location_other: String,
    notes: String,
    enforceable: bool,
    sensitive: bool,
    max_occurrences: u32,
    with_error: Option<String>,
    type_error: Option<String>,
    counts_towards_error: Option<String>,
    date_error: Option<String>,
    start_error: Option<String>,
    end_error: Option<String>,
    location_error: Option<String>,
    location_other_error: Option<String>,
    repeat_error: Option<String>,
    times_error: Option<String>,
    until_error: Option<String>,
    notes_error: Option<String>,
    no_error: Option<String>,
}

#[derive(Template)]
#[template(path = "supervision/appointment_confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    warnings: Vec<String>,
    appointments: Vec<String>,
    /// Every field as posted, sent again with the confirmation.
    hidden: Vec<(String, String)>,
}

/// The form as first shown: an office appointment with the case's practitioner, for the current
/// event, enforceable, not repeated.
fn defaults(context: &FormContext, user: &CurrentUser) -> FormFields {
    let with = context.practitioner.unwrap_or(user.account.id);
    FormFields(vec![
        ("with".into(), with.to_string()),
        ("type".into(), ContactType::OfficeVisit.code().into()),
        ("counts-towards".into(), default_counts_towards(context)),
        ("location".into(), LocationKind::Office.code().into()),
        ("enforceable".into(), "yes".into()),
        ("sensitive".into(), "no".into()),
        ("repeat".into(), "once".into()),
        ("series-end".into(), "times".into()),
    ])
}

fn arrange_page(
    user: &CurrentUser,
    name: String,
    crn: String,
    context: &FormContext,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ArrangePage {
    let error_for = |field: &str| forms::message_for(&errors, field);
    let radio = |name: &str, value: &str| fields.get(name) == value;
    let choices = |name: &str, options: &[(&str, &str)]| -> Vec<Choice> {
        options
            .iter()
            .map(|(value, label)| ((*value).into(), (*label).into(), radio(name, value)))
            .collect()
    };
    ArrangePage {
        chrome: Chrome::for_form(user, "Arrange an appointment", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        staff: staff_choices(context, Some(signed_in_choice(user)), fields.get("with")),
        types: ContactType::recordable()
            .map(|t| (t.code().into(), t.label().into(), radio("type", t.code())))
            .collect(),
        counts_towards: counts_towards_choices(context, fields.get("counts-towards")),
        locations: [
            LocationKind::Office,
            LocationKind::Home,
            LocationKind::Other,
        ]
        .iter()
        .map(|l| {
            (
                l.code().to_owned(),
                location_label(*l, context),
                radio("location", l.code()),
            )
        })
        .collect(),
        repeats: choices(
            "repeat",
            &[
                ("once", "Once"),
                ("weekly", "Every week"),
                ("fortnightly", "Every 2 weeks"),
            ],
        ),
        series_ends: choices(
            "series-end",
            &[("times", "A number of times"), ("until", "Until a date")],
        ),
        date: fields.typed_date("date"),
        until: fields.typed_date("until"),
        start: fields.get("start").chars().take(5).collect(),
        end: fields.get("end").chars().take(5).collect(),
        times: fields.get("times").chars().take(4).collect(),
        location_other: fields.get("location-other").chars().take(200).collect(),
        notes: fields
            .get("notes")
            .chars()
            .take(ContactNotes::MAX_CHARS + 1000)
            .collect(),
        enforceable: fields.get("enforceable") != "no",
        sensitive: fields.get("sensitive") == "yes",
        max_occurrences: MAX_OCCURRENCES,
        with_error: error_for("with"),
        type_error: error_for("type"),
        counts_towards_error: error_for("counts-towards"),
        date_error: error_for("date-day"),
        start_error: error_for("start"),
        end_error: error_for("end"),
        location_error: error_for("location"),
        location_other_error: error_for("location-other"),
        repeat_error: error_for("repeat"),
        times_error: error_for("times"),
        until_error: error_for("until-day"),
        notes_error: error_for("notes"),
        no_error: None,
        errors,
        name,
        crn,
    }
}

/// `GET /cases/{crn}/appointments/new`.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let (name, crn, context) = open_form(&state, &user, &crn, "arrange_appointment_form").await?;
    let fields = defaults(&context, &user);
    Ok(render(&arrange_page(
        &user,
        name,
        crn,
        &context,
        &fields,
        Vec::new(),
    ))?
    .into_response())
}

/// The field a domain refusal is shown beside.
fn refusal_field(refusal: AppointmentRefusal, end: SeriesEnd) -> &'static str {
    match (refusal.input(), end) {
        (AppointmentInput::Date, _) => "date-day",
        (AppointmentInput::EndTime, _) => "end",
        (AppointmentInput::SeriesEnd, SeriesEnd::Until(_)) | (AppointmentInput::Until, _) => {
            "until-day"
        }
        (AppointmentInput::SeriesEnd, SeriesEnd::Times(_)) => "times",
    }
}

/// Reads the form and plans it, keeping every error: the appointments to write, one per slot.
fn read_arrangement(
    fields: &FormFields,
    context: &FormContext,
    person_id: Uuid,
    by: Uuid,
    now: NaiveDateTime,
) -> Result<Vec<NewContact>, Vec<FieldError>> {
    let mut validation = Validation::default();
    let with = validation.field(crate::supervision::contacts::read_with(fields, context, by));
    let kind = validation.required(
        ContactType::parse(fields.get("type"))
            .ok()
            .filter(|k| !k.is_system_event()),
        "type",
        "Select the type of appointment",
    );
    let counts = validation.field(read_counts_towards(fields, context));
    let date = validation.field(fields.date("date", "the date of the appointment"));
    let start = validation.field(time_field(fields, "start", "the start time"));
    let end = validation.field(time_field(fields, "end", "the end time"));
    let location_kind = validation.required(
        LocationKind::parse(fields.get("location"))
            .ok()
            .filter(|l| *l != LocationKind::Remote),
        "location",
        "Select where the appointment is",
    );
    let location = match (location_kind, kind) {
        (Some(l), Some(k)) => {
            validation.field(place(l, k, context, fields.filled("location-other")))
        }
        _ => None,
    };
    let repeat = validation.required(
        match fields.get("repeat") {
            "once" | "" => Some(Repeat::Once),
            "weekly" => Some(Repeat::Weekly),
            "fortnightly" => Some(Repeat::Fortnightly),
            _ => None,
        },
        "repeat",
        "Select how often the appointment repeats",
    );
    let series_end = match repeat {
        Some(Repeat::Once) | None => Some(SeriesEnd::Times(1)),
        Some(_) if fields.get("series-end") == "until" => validation
            .field(fields.date("until", "the date of the last appointment"))
            .map(SeriesEnd::Until),
        Some(_) => validation.required(
            fields
                .filled("times")
                .and_then(|t| t.parse::<u32>().ok())
                .map(SeriesEnd::Times),
            "times",
            "Enter how many appointments to arrange, as a number",
        ),
    };
    let notes = validation.field(
        ContactNotes::parse(fields.get("notes"))
            .map_err(|error| FieldError::new("notes", error.to_string())),
    );
    let enforceable = fields.yes_no("enforceable").unwrap_or(true);
    let sensitive = fields.yes_no("sensitive").unwrap_or(false);
    let planned = match (date, start, end, repeat, series_end) {
        (Some(date), Some(starts), Some(ends), Some(repeat), Some(series_end)) => {
            let request = AppointmentRequest {
                date,
                starts,
                ends,
                repeat,
                end: series_end,
            };
            match appointment::plan(&request, now) {
                Ok(slots) => Some(slots),
                Err(refusals) => {
                    for refusal in refusals {
                        validation.add(FieldError::new(
                            refusal_field(refusal, series_end),
                            refusal.to_string(),
                        ));
                    }
                    None
                }
            }
        }
        _ => None,
    };
    validation.finish(|| {
        let slots = planned?;
        let (event_id, requirement_id) = counts?;
        let series_id = (slots.len() > 1).then(Uuid::new_v4);
        let template = NewContact {
            id: Uuid::nil(),
            person_id,
            event_id,
            requirement_id,
            kind: kind?,
            starts_at: slots[0].starts_at,
            ends_at: None,
            location_kind: location_kind?,
            location: location?,
            with_staff: Some(with?),
            sensitive,
            enforceable,
            notes: notes?.as_str().to_owned(),
            series_id,
            outcome: None,
            judgement: None,
            created_by: by,
        };
        Some(
            slots
                .iter()
                .map(|slot| NewContact {
                    id: Uuid::new_v4(),
                    starts_at: slot.starts_at,
                    ends_at: Some(slot.ends_at),
                    ..template.clone()
                })
                .collect(),
        )
    })
}

/// What a POST of the arrange form came to.
enum Arranged {
    Saved(String),
    Refused(String, String, FormContext, Vec<FieldError>),
    /// Planned, but with warnings to confirm first.
    Confirm(String, String, Vec<String>, Vec<String>),
}

fn slots_of(appointments: &[NewContact]) -> Vec<Slot> {
    appointments
        .iter()
        .map(|a| Slot {
            starts_at: a.starts_at,
            ends_at: a.ends_at.unwrap_or(a.starts_at),
        })
        .collect()
}

/// `POST /cases/{crn}/appointments/new`. A first post with warnings shows them to confirm; the
/// confirmation (`confirmed=yes`) arranges anyway; `change=yes` goes back to the form.
pub async fn arrange(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let arranged = open_case_for(
        &state,
        &user,
        &crn,
        "arrange_appointment",
        Need::Work,
        move |conn, case| {
            let (name, crn, context) = heading_and_context(conn, case, today)?;
            if posted.get("change") == "yes" {
                return Ok(Arranged::Refused(name, crn, context, Vec::new()));
            }
            let now = state.clock.now();
            let appointments = match read_arrangement(
                &posted,
                &context,
                case.person_id,
                posted.by,
                local_time(now),
            ) {
                Ok(appointments) => appointments,
                Err(errors) => return Ok(Arranged::Refused(name, crn, context, errors)),
            };
            let slots = slots_of(&appointments);
            let first = slots[0].starts_at;
            let last = slots[slots.len() - 1].ends_at;
            let booked = contacts::booked(
                conn,
                appointments[0].with_staff,
                case.person_id,
                first,
                last,
                None,
            )?;
            let warnings = appointment::warnings(&slots, &booked);
            if !warnings.is_empty() && posted.get("confirmed") != "yes" {
                return Ok(Arranged::Confirm(
                    name,
                    crn,
                    warnings.iter().map(|w| w.message()).collect(),
                    slots
                        .iter()
                        .map(|s| when(s.starts_at, Some(s.ends_at)))
                        .collect(),
                ));
            }
            contacts::insert(conn, &appointments, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "arrange_appointment",
                    case,
                    format!(
                        "{} {} from {}{}",
                        appointments.len(),
                        appointments[0].kind.code(),
                        first.format("%Y-%m-%d %H:%M"),
                        if warnings.is_empty() {
                            String::new()
                        } else {
                            format!("; {} warning(s) confirmed", warnings.len())
                        }
                    ),
                ),
                now,
            )?;
            Ok(Arranged::Saved(crn))
        },
    )
    .await?;
    match arranged {
        Arranged::Saved(crn) => Ok(Redirect::to(&format!("/cases/{crn}/contacts")).into_response()),
        Arranged::Refused(name, crn, context, errors) => {
            let page = arrange_page(&user, name, crn, &context, &fields, errors);
            if page.errors.is_empty() {
                Ok(render(&page)?.into_response())
            } else {
                unprocessable(&page)
            }
        }
        Arranged::Confirm(name, crn, warnings, appointments) => {
            let page = ConfirmPage {
                chrome: Chrome::for_user(&user, "Check the appointment before arranging it", ""),
                csrf_token: user.csrf_token.clone(),
                name,
                crn,
                warnings,
                appointments,
                hidden: fields
                    .0
                    .iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "csrf_token" | "confirmed" | "change"))
                    .cloned()
                    .collect(),
            };
            Ok(render(&page)?.into_response())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rescheduling and cancelling.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "supervision/appointment_change.html")]
struct ChangePage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    id: String,
    /// "reschedule" or "cancel".
    action: &'static str,
    heading: String,
    current: String,
    errors: Vec<FieldError>,
    date: TypedDate,
    start: String,
    end: String,
    requesters: Vec<Choice>,
    reason: String,
    date_error: Option<String>,
    start_error: Option<String>,
    end_error: Option<String>,
    requested_by_error: Option<String>,
    reason_error: Option<String>,
    /// Warnings about the new time (a clash, a bank holiday) to confirm before moving it.
    warnings: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
fn change_page(
    user: &CurrentUser,
    name: String,
    crn: String,
    entry: &LogEntry,
    action: &'static str,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ChangePage {
    let error_for = |field: &str| forms::message_for(&errors, field);
    let heading = if action == "reschedule" {
        "Reschedule the appointment"
    } else {
        "Cancel the appointment"
    };
    ChangePage {
        chrome: Chrome::for_form(user, heading, &errors, ""),
        csrf_token: user.csrf_token.clone(),
        id: entry.id.to_string(),
        action,
        heading: heading.into(),
        current: format!(
            "{}: {}, {}",
            entry.kind.label(),
            when(entry.starts_at, entry.ends_at),
            entry.location
        ),
        date: fields.typed_date("date"),
        start: fields.get("start").chars().take(5).collect(),
        end: fields.get("end").chars().take(5).collect(),
        requesters: <RescheduleRequester as CodedValue>::ALL
            .iter()
            .map(|r| {
                (
                    r.code().into(),
                    r.label().into(),
                    fields.get("requested-by") == r.code(),
                )
            })
            .collect(),
        reason: fields
            .get("reason")
            .chars()
            .take(LongText::MAX_CHARS)
            .collect(),
        date_error: error_for("date-day"),
        start_error: error_for("start"),
        end_error: error_for("end"),
        requested_by_error: error_for("requested-by"),
        reason_error: error_for("reason"),
        warnings: Vec::new(),
        errors,
        name,
        crn,
    }
}

fn appointment_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// Opens an appointment of the case to change: it must be one that can still be moved or
/// cancelled, or the page says why.
async fn open_for_change(
    state: &AppState,
    user: &CurrentUser,
    crn: &str,
    raw_id: &str,
    purpose: &'static str,
) -> Result<(String, String, LogEntry), AppError> {
    let id = appointment_id(raw_id)?;
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let now = state.clock.now();
    open_case_for(state, user, crn, purpose, Need::Work, move |conn, case| {
        let (name, crn) = case_record::heading(conn, case.person_id)?;
        let entry = match open_contact(conn, case, (&actor, &actor_name), id, now)? {
            Ok(entry) => entry,
            Err(refused) => return Ok(Err(refused)),
        };
        Ok(changeable(&entry).map(|()| (name, crn, entry)))
    })
    .await?
}

fn changeable(entry: &LogEntry) -> Result<(), AppError> {
    if entry.kind.is_system_event() {
        return Err(AppError::NotFound);
    }
    appointment::may_change(entry.status, entry.outcome)
        .map_err(|refusal| AppError::Conflict(refusal.to_string()))
}

/// `GET /cases/{crn}/appointments/{appointment}/reschedule`.
pub async fn reschedule_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (name, crn, entry) =
        open_for_change(&state, &user, &crn, &id, "reschedule_appointment_form").await?;
    let fields = FormFields(vec![
        (
            "start".into(),
            crate::supervision::contacts::clock(entry.starts_at),
        ),
        (
            "end".into(),
            entry
                .ends_at
                .map(crate::supervision::contacts::clock)
                .unwrap_or_default(),
        ),
    ]);
    let page = change_page(&user, name, crn, &entry, "reschedule", &fields, Vec::new());
    Ok(render(&page)?.into_response())
}

/// Reads why (required), in the limits of other free text.
fn read_reason(fields: &FormFields, validation: &mut Validation, what: &str) -> Option<String> {
    validation
        .field(LongText::required(fields.get("reason")).map_err(|error| {
            FieldError::new(
                "reason",
                match error {
                    keepsafe_domain::text::TextError::Missing => format!("Enter why {what}"),
                    other => format!("Why: {other}"),
                },
            )
        }))
        .map(|text| text.as_str().to_owned())
}

fn read_move(fields: &FormFields, now: NaiveDateTime) -> Result<Move, Vec<FieldError>> {
    let mut validation = Validation::default();
    let date = validation.field(fields.date("date", "the new date"));
    let start = validation.field(time_field(fields, "start", "the start time"));
    let end = validation.field(time_field(fields, "end", "the end time"));
    let requested_by = validation.required(
        RescheduleRequester::parse(fields.get("requested-by")).ok(),
        "requested-by",
        "Select who asked for the appointment to be moved",
    );
    let reason = read_reason(fields, &mut validation, "the appointment is being moved");
    let slot = match (date, start, end) {
        (Some(date), Some(starts), Some(ends)) => {
            let request = AppointmentRequest {
                date,
                starts,
                ends,
                repeat: Repeat::Once,
                end: SeriesEnd::Times(1),
            };
            match appointment::plan(&request, now) {
                Ok(slots) => slots.first().copied(),
                Err(refusals) => {
                    for refusal in refusals {
                        validation.add(FieldError::new(
                            refusal_field(refusal, SeriesEnd::Times(1)),
                            refusal.to_string(),
                        ));
                    }
                    None
                }
            }
        }
        _ => None,
    };
    validation.finish(|| {
        let slot = slot?;
        Some(Move {
            requested_by: requested_by?,
            reason: reason?,
            starts_at: slot.starts_at,
            ends_at: slot.ends_at,
        })
    })
}

/// `POST /cases/{crn}/appointments/{appointment}/reschedule`.
pub async fn reschedule(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, id)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    change(state, user, crn, id, fields, "reschedule").await
}

/// `GET /cases/{crn}/appointments/{appointment}/cancel`.
pub async fn cancel_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (name, crn, entry) =
        open_for_change(&state, &user, &crn, &id, "cancel_appointment_form").await?;
    let page = change_page(
        &user,
        name,
        crn,
        &entry,
        "cancel",
        &FormFields::default(),
        Vec::new(),
    );
    Ok(render(&page)?.into_response())
}

/// `POST /cases/{crn}/appointments/{appointment}/cancel`.
pub async fn cancel(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, id)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    change(state, user, crn, id, fields, "cancel").await
}

/// Moves or cancels the appointment in one transaction with its audit row.
async fn change(
    state: AppState,
    user: CurrentUser,
    crn: String,
    raw_id: String,
    fields: FormFields,
    action: &'static str,
) -> Result<Response, AppError> {
    let id = appointment_id(&raw_id)?;
    let posted = Posted::new(&user, &fields);
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let purpose = if action == "reschedule" {
        "reschedule_appointment"
    } else {
        "cancel_appointment"
    };
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        purpose,
        Need::Work,
        move |conn, case| {
            let now = state.clock.now();
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            let entry = match open_contact(conn, case, (&actor, &actor_name), id, now)? {
                Ok(entry) => entry,
                Err(refused) => return Ok(Err(refused)),
            };
            if let Err(refused) = changeable(&entry) {
                return Ok(Err(refused));
            }
            let detail = if action == "reschedule" {
                let change = match read_move(&posted, local_time(now)) {
                    Ok(change) => change,
                    Err(errors) => {
                        return Ok(Ok(Submission::Refused((
                            name,
                            crn,
                            entry,
                            errors,
                            Vec::new(),
                        ))))
                    }
                };
                let booked = contacts::booked(
                    conn,
                    entry.with_staff,
                    case.person_id,
                    change.starts_at,
                    change.ends_at,
                    Some(entry.id),
                )?;
                let slot = Slot {
                    starts_at: change.starts_at,
                    ends_at: change.ends_at,
                };
                let warnings = appointment::warnings(&[slot], &booked);
                if !warnings.is_empty() && posted.get("confirmed") != "yes" {
                    let warnings = warnings.iter().map(|w| w.message()).collect();
                    return Ok(Ok(Submission::Refused((
                        name,
                        crn,
                        entry,
                        Vec::new(),
                        warnings,
                    ))));
                }
                let new_id = contacts::reschedule(conn, &entry, &change, posted.by, now)?;
                format!(
                    "{id} moved to {new_id} at {} (asked by {})",
                    change.starts_at.format("%Y-%m-%d %H:%M"),
                    change.requested_by.code()
                )
            } else {
                let mut validation = Validation::default();
                let reason = read_reason(&posted, &mut validation, "the appointment is cancelled");
                let reason = match validation.finish(|| reason) {
                    Ok(reason) => reason,
                    Err(errors) => {
                        return Ok(Ok(Submission::Refused((
                            name,
                            crn,
                            entry,
                            errors,
                            Vec::new(),
                        ))))
                    }
                };
                contacts::cancel(conn, id, &reason, posted.by, now)?;
                format!("{id} cancelled")
            };
            audit::record(conn, &posted.audit_on_case(purpose, case, detail), now)?;
            Ok(Ok(Submission::Saved(crn)))
        },
    )
    .await??;
    match submission {
        // Warnings to confirm: the form again, as typed, saying what to check (not an error).
        Submission::Refused((name, crn, entry, errors, warnings)) if errors.is_empty() => {
            let mut page = change_page(&user, name, crn, &entry, action, &fields, errors);
            page.warnings = warnings;
            Ok(render(&page)?.into_response())
        }
        submission => forms::respond(
            submission,
            |crn| Redirect::to(&format!("/cases/{crn}/contacts")),
            |(name, crn, entry, errors, _)| {
                change_page(&user, name, crn, &entry, action, &fields, errors)
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_is_shown_beside_its_field() {
        let times = SeriesEnd::Times(60);
        let until = SeriesEnd::Until(chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap());
        assert_eq!(
            refusal_field(AppointmentRefusal::InThePast, times),
            "date-day"
        );
        assert_eq!(
            refusal_field(AppointmentRefusal::EndsBeforeStart, times),
            "end"
        );
        assert_eq!(
            refusal_field(AppointmentRefusal::TooManyOccurrences { count: 60 }, times),
            "times"
        );
        assert_eq!(
            refusal_field(AppointmentRefusal::TooManyOccurrences { count: 160 }, until),
            "until-day"
        );
        assert_eq!(
            refusal_field(AppointmentRefusal::UntilBeforeFirst, until),
            "until-day"
        );
    }
}
