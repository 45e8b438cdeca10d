//! `GET/POST /cases/{crn}/reminders`: how the person wants appointment reminders (none, unless
//! they choose a text message or an email and consent), and what became of each message sent
//! them. Seeing the page needs the case open to view; changing the choice needs work on the case.

use crate::cases::access::{open_case, open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, TypedDate, Validation};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::supervision::reminders::{
    EmailAddress, MobileNumber, OutboxStatus, ReminderChannel,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::supervision::outbox::{self, NewPreference, OutboxMessage, Preference};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// How many of the person's messages the page lists.
const MESSAGES_SHOWN: usize = 50;

pub struct MessageView {
    pub written: String,
    pub channel: String,
    pub recipient: String,
    pub body: String,
    pub status: String,
    pub tag_class: &'static str,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "supervision/reminder_preferences.html")]
struct RemindersPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    current: String,
    may_change: bool,
    channels: Vec<(String, String, bool)>,
    mobile: String,
    email: String,
    consent: TypedDate,
    errors: Vec<FieldError>,
    channel_error: Option<String>,
    mobile_error: Option<String>,
    email_error: Option<String>,
    consent_error: Option<String>,
    messages: Vec<MessageView>,
}

/// What the page shows of the case, read once it is opened.
struct Shown {
    name: String,
    crn: String,
    preference: Option<Preference>,
    messages: Vec<OutboxMessage>,
    recorded_by: Option<String>,
}

fn read_shown(conn: &mut AnyConnection, person_id: Uuid) -> Result<Shown, AppError> {
    let (name, crn) = case_record::heading(conn, person_id)?;
    let preference = outbox::preference(conn, person_id)?;
    let recorded_by = match &preference {
        Some(p) => Some(keepsafe_storage::staff::find(conn, p.recorded_by)?.display_name()),
        None => None,
    };
    Ok(Shown {
        name,
        crn,
        preference,
        messages: outbox::for_person(conn, person_id, MESSAGES_SHOWN)?,
        recorded_by,
    })
}

fn status_tag(status: OutboxStatus) -> &'static str {
    match status {
        OutboxStatus::Sent => "govuk-tag--green",
        OutboxStatus::Queued => "govuk-tag--blue",
        OutboxStatus::Failed => "govuk-tag--red",
        OutboxStatus::NotSent => "govuk-tag--orange",
        OutboxStatus::Cancelled => "govuk-tag--grey",
    }
}

fn message_view(message: &OutboxMessage) -> MessageView {
    let attempts = match message.attempts {
        0 => String::new(),
        1 => "1 attempt".to_owned(),
        n => format!("{n} attempts"),
    };
    let detail = match (message.status, &message.last_error) {
        (OutboxStatus::Sent, _) => message
            .sent_at
            .map(|at| format!("Sent {}", format::date_time(at)))
            .unwrap_or_default(),
        (OutboxStatus::Queued, Some(error)) => format!(
            "{error}. {attempts} so far; trying again at {}",
            format::date_time(message.next_attempt_at)
        ),
        (OutboxStatus::Queued, None) => {
            format!(
                "To send from {}",
                format::date_time(message.next_attempt_at)
            )
        }
        (OutboxStatus::Failed, error) => format!(
            "{}. Gave up after {attempts}",
            error.clone().unwrap_or_default()
        ),
        (_, Some(error)) => error.clone(),
        (_, None) => String::new(),
    };
    MessageView {
        written: format::date_time(message.created_at),
        channel: message.channel.label().to_owned(),
        recipient: message.recipient.clone(),
        body: message.body.clone(),
        status: message.status.label().to_owned(),
        tag_class: status_tag(message.status),
        detail,
    }
}

fn describe(preference: &Option<Preference>, recorded_by: &Option<String>) -> String {
    match preference {
        None => "No reminders. The person has not asked for any.".into(),
        Some(p) => {
            let to = match p.channel {
                ReminderChannel::Text => format!(" to {}", p.mobile.clone().unwrap_or_default()),
                ReminderChannel::Email => format!(" to {}", p.email.clone().unwrap_or_default()),
                ReminderChannel::None => String::new(),
            };
            let consent = p
                .consent_on
                .map(|day| format!(", consent given on {}", format::date(day)))
                .unwrap_or_default();
            format!(
                "{}{to}{consent}. Recorded by {} on {}.",
                p.channel.label(),
                recorded_by.clone().unwrap_or_default(),
                format::date(p.recorded_at.date())
            )
        }
    }
}

fn page(
    user: &CurrentUser,
    shown: &Shown,
    fields: &FormFields,
    errors: Vec<FieldError>,
    may_change: bool,
) -> RemindersPage {
    let error_for = |field: &str| forms::message_for(&errors, field);
    let chosen = if fields.0.is_empty() {
        shown
            .preference
            .as_ref()
            .map(|p| p.channel)
            .unwrap_or(ReminderChannel::None)
            .code()
            .to_owned()
    } else {
        fields.get("channel").to_owned()
    };
    let (mobile, email, consent) = if fields.0.is_empty() {
        let p = shown.preference.as_ref();
        (
            p.and_then(|p| p.mobile.clone()).unwrap_or_default(),
            p.and_then(|p| p.email.clone()).unwrap_or_default(),
            p.and_then(|p| p.consent_on)
                .map(|day| TypedDate {
                    day: day.format("%-d").to_string(),
                    month: day.format("%-m").to_string(),
                    year: day.format("%Y").to_string(),
                })
                .unwrap_or_default(),
        )
    } else {
        (
            fields.get("mobile").chars().take(40).collect(),
            fields.get("email").chars().take(300).collect(),
            fields.typed_date("consent"),
        )
    };
    RemindersPage {
        chrome: Chrome::for_form(user, "Appointment reminders", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name: shown.name.clone(),
        crn: shown.crn.clone(),
        current: describe(&shown.preference, &shown.recorded_by),
        may_change,
        channels: ReminderChannel::ALL
            .iter()
            .map(|c| {
                (
                    c.code().to_owned(),
                    c.label().to_owned(),
                    c.code() == chosen,
                )
            })
            .collect(),
        mobile,
        email,
        consent,
        channel_error: error_for("channel"),
        mobile_error: error_for("mobile"),
        email_error: error_for("email"),
        consent_error: error_for("consent-day"),
        errors,
        messages: shown.messages.iter().map(message_view).collect(),
    }
}

/// `GET /cases/{crn}/reminders`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let actor = user.account.actor();
    let (shown, may_change) =
        open_case(&state, &user, &crn, "view_reminders", move |conn, case| {
            let may_change = keepsafe_domain::access::decide(
                &actor,
                keepsafe_domain::access::Action::WorkOnCase(&case.location),
            )
            .is_allowed();
            Ok((read_shown(conn, case.person_id)?, may_change))
        })
        .await?;
    Ok(render(&page(
        &user,
        &shown,
        &FormFields::default(),
        Vec::new(),
        may_change,
    ))?
    .into_response())
}

/// Reads the form: the channel, its address, and when the person consented (not in the future).
fn read_preference(
    fields: &FormFields,
    today: NaiveDate,
) -> Result<NewPreference, Vec<FieldError>> {
    let mut validation = Validation::default();
    let channel = validation.required(
        ReminderChannel::parse(fields.get("channel")).ok(),
        "channel",
        "Select how the person wants to be reminded",
    );
    let mut mobile = None;
    let mut email = None;
    let mut consent_on = None;
    if matches!(
        channel,
        Some(ReminderChannel::Text) | Some(ReminderChannel::Email)
    ) {
        if channel == Some(ReminderChannel::Text) {
            mobile = validation.field(
                MobileNumber::parse(fields.get("mobile"))
                    .map(|m| m.as_str().to_owned())
                    .map_err(|message| FieldError::new("mobile", message)),
            );
        } else {
            email = validation.field(
                EmailAddress::parse(fields.get("email"))
                    .map(|e| e.as_str().to_owned())
                    .map_err(|message| FieldError::new("email", message)),
            );
        }
        consent_on = validation.field(
            fields
                .date("consent", "the date the person consented")
                .and_then(|day| {
                    if day > today {
                        Err(FieldError::new(
                            "consent-day",
                            "The date the person consented cannot be in the future",
                        ))
                    } else {
                        Ok(day)
                    }
                }),
        );
    }
    validation.finish(|| {
        let channel = channel?;
        Some(NewPreference {
            channel,
            mobile: if channel == ReminderChannel::Text {
                Some(mobile?)
            } else {
                None
            },
            email: if channel == ReminderChannel::Email {
                Some(email?)
            } else {
                None
            },
            consent_on: if channel == ReminderChannel::None {
                None
            } else {
                Some(consent_on?)
            },
        })
    })
}

/// `POST /cases/{crn}/reminders`.
pub async fn record(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "record_reminder_preference",
        Need::Work,
        move |conn, case| {
            let preference = match read_preference(&posted, state.clock.today()) {
                Ok(preference) => preference,
                Err(errors) => {
                    return Ok(Submission::Refused((
                        read_shown(conn, case.person_id)?,
                        errors,
                    )))
                }
            };
            let now = state.clock.now();
            outbox::set_preference(conn, case.person_id, &preference, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "record_reminder_preference",
                    case,
                    format!(
                        "{}{}",
                        preference.channel.code(),
                        preference
                            .consent_on
                            .map(|d| format!("; consent {d}"))
                            .unwrap_or_default()
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&format!("/cases/{crn}/reminders")),
        |(shown, errors)| page(&user, &shown, &fields, errors, true),
    )
}

/// The reminders page's routes.
pub(crate) fn routes(registry: crate::routes::Registry) -> crate::routes::Registry {
    use crate::routes::Access;
    use axum::http::Method;
    use axum::routing::{get, post};
    registry
        .add(
            Method::GET,
            "/cases/{crn}/reminders",
            Access::Case,
            get(show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/reminders",
            Access::Case,
            post(record),
        )
}
