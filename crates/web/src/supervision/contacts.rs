//! The contact log of a case: `GET /cases/{crn}/contacts` (every contact and appointment,
//! filtered and paged, newest first), `GET /cases/{crn}/contacts/{contact}` (one contact in full)
//! and `GET/POST /cases/{crn}/contacts/new` (recording a contact after the fact).
//!
//! Every read is audit-logged by [`open_case_for`]; opening a sensitive contact writes its own
//! audit row (`view_sensitive_contact`) and needs the case's staff (those who may work on it).
//! Sensitive notes are never shown in the list, and searching the notes does not search them.

use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, TypedDate, Validation};
use crate::layout::{render, Chrome};
use crate::routes::{Access, Registry, SignedIn};
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Form;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::supervision::contact::{
    counts_towards_enforcement, ContactOutcome, ContactStatus, ContactType, FailureJudgement,
    LocationKind,
};
use keepsafe_domain::supervision::contact_log::{self, local_time, ContactNotes, RecordingRefusal};
use keepsafe_domain::supervision::enforcement::EnforcementRules;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::supervision::contacts::{
    self, FormContext, LogEntry, LogFilter, NewContact, OutcomeFilter,
};
use keepsafe_storage::supervision::enforcement::{self, Failure};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// Entries on one page of the log.
pub const PER_PAGE: i64 = 25;
/// Characters of notes shown in the list; the contact's page shows them all.
const NOTES_PREVIEW: usize = 150;

/// The contact log's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(Method::GET, "/cases/{crn}/contacts", Access::Case, get(log))
        .add(
            Method::GET,
            "/cases/{crn}/contacts/new",
            Access::Case,
            get(form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/contacts/new",
            Access::Case,
            post(record),
        )
        .add(
            Method::GET,
            "/cases/{crn}/contacts/{contact}",
            Access::Case,
            get(show),
        )
}

// ---------------------------------------------------------------------------------------------
// Shared by the contact and appointment pages.
// ---------------------------------------------------------------------------------------------

/// A time typed as "14:30" (or "9:05", "14.30", "1430"): the 24-hour clock, as diaries write it.
pub(crate) fn typed_time(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    let (hours, minutes) = match text.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None if text.len() == 4 => text.split_at(2),
        None => return None,
    };
    if hours.is_empty() || hours.len() > 2 || minutes.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(hours.parse().ok()?, minutes.parse().ok()?, 0)
}

/// A time read from the field `name`, or an error naming it.
pub(crate) fn time_field(
    fields: &FormFields,
    name: &str,
    label: &str,
) -> Result<NaiveTime, FieldError> {
    match fields.filled(name) {
        None => Err(FieldError::new(name, format!("Enter {label}"))),
        Some(text) => typed_time(text).ok_or_else(|| {
            FieldError::new(
                name,
                format!("Enter {label} as hours and minutes on the 24-hour clock, like 14:30"),
            )
        }),
    }
}

/// "14:30", as times are typed and shown on these pages.
pub(crate) fn clock(at: NaiveDateTime) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// "Wednesday 9 December 2026, 14:30 to 15:15".
pub(crate) fn when(starts_at: NaiveDateTime, ends_at: Option<NaiveDateTime>) -> String {
    let day = format!(
        "{} {}",
        starts_at.format("%A"),
        format::date(starts_at.date())
    );
    match ends_at {
        Some(end) if end > starts_at => {
            format!("{day}, {} to {}", clock(starts_at), clock(end))
        }
        _ => format!("{day}, {}", clock(starts_at)),
    }
}

/// A choice in a select or radios: (value, label, chosen).
pub(crate) type Choice = (String, String, bool);

/// The "counts towards" choices: each event, then its active requirements, as
/// `event:{id}` / `requirement:{id}`.
pub(crate) fn counts_towards_choices(context: &FormContext, chosen: &str) -> Vec<Choice> {
    let mut choices = Vec::new();
    for event in &context.events {
        let value = format!("event:{}", event.id);
        choices.push((
            value.clone(),
            format!(
                "Event {}: {}{}",
                event.number,
                event.offence,
                if event.active { "" } else { " (ended)" }
            ),
            chosen == value,
        ));
        for (id, kind) in &event.requirements {
            let value = format!("requirement:{id}");
            choices.push((
                value.clone(),
                format!("Event {}: {} requirement", event.number, kind.label()),
                chosen == value,
            ));
        }
    }
    choices
}

/// The default "counts towards": the case's current event.
pub(crate) fn default_counts_towards(context: &FormContext) -> String {
    context
        .current_event()
        .map(|e| format!("event:{}", e.id))
        .unwrap_or_default()
}

/// Reads "counts towards" into (event, requirement), checking it is one of this case's.
pub(crate) fn read_counts_towards(
    fields: &FormFields,
    context: &FormContext,
) -> Result<(Option<Uuid>, Option<Uuid>), FieldError> {
    let refused = || {
        FieldError::new(
            "counts-towards",
            "Select the event or requirement it counts towards",
        )
    };
    let Some(value) = fields.filled("counts-towards") else {
        return if context.events.is_empty() {
            Ok((None, None))
        } else {
            Err(refused())
        };
    };
    let (kind, id) = value.split_once(':').ok_or_else(refused)?;
    let id = Uuid::parse_str(id).map_err(|_| refused())?;
    match kind {
        "event" => context
            .events
            .iter()
            .find(|e| e.id == id)
            .map(|e| (Some(e.id), None))
            .ok_or_else(refused),
        "requirement" => context
            .events
            .iter()
            .find(|e| e.requirements.iter().any(|(r, _)| *r == id))
            .map(|e| (Some(e.id), Some(id)))
            .ok_or_else(refused),
        _ => Err(refused()),
    }
}

/// The staff choices for "with whom": the case's team, chosen first; someone outside the team
/// already on the form (the signed-in manager) is offered too.
pub(crate) fn staff_choices(
    context: &FormContext,
    extra: Option<(Uuid, String)>,
    chosen: &str,
) -> Vec<Choice> {
    let mut staff = context.team_staff.clone();
    if let Some(extra) = extra {
        if !staff.iter().any(|(id, _)| *id == extra.0) {
            staff.push(extra);
        }
    }
    staff
        .into_iter()
        .map(|(id, name)| (id.to_string(), name, id.to_string() == chosen))
        .collect()
}

/// Reads "with whom": one of the offered staff.
pub(crate) fn read_with(
    fields: &FormFields,
    context: &FormContext,
    signed_in: Uuid,
) -> Result<Uuid, FieldError> {
    let refused = || FieldError::new("with", "Select who the contact is with");
    let id = fields
        .filled("with")
        .and_then(|v| Uuid::parse_str(v).ok())
        .ok_or_else(refused)?;
    if id == signed_in || context.team_staff.iter().any(|(s, _)| *s == id) {
        Ok(id)
    } else {
        Err(refused())
    }
}

/// The place in words, as stored: the team's office, the person's home address, or what was typed.
pub(crate) fn place(
    kind: LocationKind,
    contact: ContactType,
    context: &FormContext,
    other: Option<&str>,
) -> Result<String, FieldError> {
    match kind {
        LocationKind::Office => Ok(context
            .office
            .clone()
            .unwrap_or_else(|| "Probation office".into())),
        LocationKind::Home => context.home.clone().ok_or_else(|| {
            FieldError::new(
                "location",
                "The person has no current address recorded: choose another place",
            )
        }),
        LocationKind::Remote => Ok(contact.label().to_owned()),
        LocationKind::Other => other
            .map(|text| text.chars().take(200).collect())
            .ok_or_else(|| FieldError::new("location-other", "Enter where the contact is")),
    }
}

/// The user as a staff choice, so a manager recording on a case outside their own team can name
/// themselves.
pub(crate) fn signed_in_choice(user: &CurrentUser) -> (Uuid, String) {
    (user.account.id, user.account.display_name())
}

// ---------------------------------------------------------------------------------------------
// The case record's next appointment.
// ---------------------------------------------------------------------------------------------

/// The case record's panel (`supervision/record_next_appointment.html`): the next appointment
/// with anyone in the service, and the links to the log and the forms.
#[derive(Debug, Default)]
pub(crate) struct NextAppointmentView {
    /// "Wednesday 9 December 2026, 14:30 to 15:15", when one is arranged.
    pub when: Option<String>,
    /// "Office appointment with Sam Jones at Midchester North office".
    pub detail: String,
    pub sensitive: bool,
    /// Whether the user may record on the case (the forms' links are shown only then).
    pub may_record: bool,
}

/// Reads the panel inside the case record's transaction.
pub(crate) fn next_appointment(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    actor: &keepsafe_domain::access::Actor,
    now: NaiveDateTime,
) -> Result<NextAppointmentView, AppError> {
    let next = contacts::next_appointment(conn, case.person_id, now)?;
    Ok(NextAppointmentView {
        when: next.as_ref().map(|n| when(n.starts_at, n.ends_at)),
        detail: next
            .as_ref()
            .map(|n| {
                let with = n
                    .with_name
                    .as_ref()
                    .map(|name| format!(" with {name}"))
                    .unwrap_or_default();
                format!("{}{with} at {}", n.kind.label(), n.location)
            })
            .unwrap_or_default(),
        sensitive: next.is_some_and(|n| n.sensitive),
        may_record: decide(actor, Action::WorkOnCase(&case.location)).is_allowed(),
    })
}

// ---------------------------------------------------------------------------------------------
// The log.
// ---------------------------------------------------------------------------------------------

struct EntryView {
    id: String,
    when: String,
    kind: String,
    system: bool,
    status: Option<String>,
    sensitive: bool,
    with: String,
    recorded_by: String,
    location: String,
    counts_towards: String,
    outcome: String,
    failure: bool,
    notes: String,
}

fn entry_view(entry: &LogEntry, today: NaiveDate) -> EntryView {
    EntryView {
        id: entry.id.to_string(),
        when: when(entry.starts_at, entry.ends_at),
        kind: entry.kind.label().to_owned(),
        system: entry.kind.is_system_event(),
        status: (entry.status != ContactStatus::Arranged).then(|| entry.status.label().to_owned()),
        sensitive: entry.sensitive,
        with: entry.with_name.clone().unwrap_or_default(),
        recorded_by: entry.recorded_by.clone().unwrap_or_default(),
        location: entry.location.clone(),
        counts_towards: counts_towards_text(entry),
        outcome: outcome_text(entry, today),
        failure: entry.outcome.is_some_and(ContactOutcome::is_failure),
        notes: if entry.sensitive {
            String::new()
        } else {
            contact_log::preview(&entry.notes, NOTES_PREVIEW)
        },
    }
}

fn counts_towards_text(entry: &LogEntry) -> String {
    match (entry.event_number, entry.requirement) {
        (Some(n), Some(kind)) => format!("Event {n}: {} requirement", kind.label()),
        (Some(n), None) => format!("Event {n}"),
        _ => String::new(),
    }
}

/// The outcome with its judgement, or where the appointment stands.
fn outcome_text(entry: &LogEntry, today: NaiveDate) -> String {
    if entry.kind.is_system_event() {
        return String::new();
    }
    match (entry.outcome, entry.judgement) {
        (Some(outcome), Some(judgement)) => {
            format!("{}: {}", outcome.label(), judgement.label().to_lowercase())
        }
        (Some(outcome), None) => outcome.label().to_owned(),
        (None, _) if entry.status != ContactStatus::Arranged => String::new(),
        (None, _) if entry.starts_at.date() >= today => "Booked".into(),
        (None, _) => "Outcome not recorded".into(),
    }
}

#[derive(Template)]
#[template(path = "supervision/contact_log.html")]
struct LogPageView {
    chrome: Chrome,
    name: String,
    crn: String,
    entries: Vec<EntryView>,
    total: i64,
    page: i64,
    pages: i64,
    previous: Option<String>,
    next: Option<String>,
    errors: Vec<FieldError>,
    types: Vec<Choice>,
    outcomes: Vec<Choice>,
    counts_towards: Vec<Choice>,
    authors: Vec<Choice>,
    text: String,
    from: TypedDate,
    to: TypedDate,
    from_error: Option<String>,
    to_error: Option<String>,
    filtered: bool,
    may_record: bool,
}

/// Reads the filters from the query string; a date that cannot be read is named and ignored.
fn read_filter(fields: &FormFields, context: &FormContext) -> (LogFilter, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut date = |name: &str, label: &str| {
        let typed = fields.typed_date(name);
        if typed == TypedDate::default() {
            return None;
        }
        fields
            .date(name, label)
            .map_err(|error| errors.push(error))
            .ok()
    };
    let from = date("from", "the first date");
    let to = date("to", "the last date");
    let (event_id, requirement_id) = if fields.filled("counts-towards").is_some() {
        read_counts_towards(fields, context).unwrap_or((None, None))
    } else {
        (None, None)
    };
    let filter = LogFilter {
        kind: ContactType::parse(fields.get("type")).ok(),
        from,
        to,
        outcome: match fields.get("outcome") {
            "none" => Some(OutcomeFilter::NotRecorded),
            code => ContactOutcome::parse(code).ok().map(OutcomeFilter::Is),
        },
        requirement_id,
        event_id: if requirement_id.is_some() {
            None
        } else {
            event_id
        },
        author: fields
            .filled("author")
            .and_then(|a| Uuid::parse_str(a).ok()),
        text: fields
            .filled("q")
            .map(|q| q.chars().take(200).collect::<String>()),
    };
    (filter, errors)
}

/// The query string of the filters as given, for the pagination links.
fn filter_query(fields: &FormFields) -> String {
    let kept: Vec<(&str, &str)> = fields
        .0
        .iter()
        .filter(|(k, v)| k != "page" && !v.is_empty())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

/// `GET /cases/{crn}/contacts`.
pub async fn log(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(fields): Query<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let actor = user.account.actor();
    let page_number = fields
        .get("page")
        .parse::<i64>()
        .ok()
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let query_fields = fields.clone();
    let (name, crn, context, authors, filter, errors, log_page, may_record) = open_case_for(
        &state,
        &user,
        &crn,
        "view_contact_log",
        Need::View,
        move |conn, case| {
            let (name, crn, context) = heading_and_context(conn, case, today)?;
            let (filter, errors) = read_filter(&query_fields, &context);
            let log_page = contacts::log(conn, case.person_id, &filter, page_number, PER_PAGE)?;
            let authors = contacts::authors(conn, case.person_id)?;
            let may_record = decide(&actor, Action::WorkOnCase(&case.location)).is_allowed();
            Ok((
                name, crn, context, authors, filter, errors, log_page, may_record,
            ))
        },
    )
    .await?;
    let pages = ((log_page.total + PER_PAGE - 1) / PER_PAGE).max(1);
    let query = filter_query(&fields);
    let link = |page: i64| {
        let mut href = format!("/cases/{crn}/contacts?page={page}");
        if !query.is_empty() {
            href.push('&');
            href.push_str(&query);
        }
        href
    };
    let chosen = |name: &str| fields.get(name).to_owned();
    let error_for = |field: &str| forms::message_for(&errors, field);
    let view = LogPageView {
        chrome: Chrome::for_form(&user, format!("Contact log: {name}"), &errors, ""),
        entries: log_page
            .entries
            .iter()
            .map(|e| entry_view(e, today))
            .collect(),
        total: log_page.total,
        page: page_number,
        pages,
        previous: (page_number > 1).then(|| link(page_number - 1)),
        next: (page_number < pages).then(|| link(page_number + 1)),
        types: <ContactType as CodedValue>::ALL
            .iter()
            .map(|t| {
                (
                    t.code().to_owned(),
                    t.label().to_owned(),
                    chosen("type") == t.code(),
                )
            })
            .collect(),
        outcomes: <ContactOutcome as CodedValue>::ALL
            .iter()
            .map(|o| {
                (
                    o.code().to_owned(),
                    o.label().to_owned(),
                    chosen("outcome") == o.code(),
                )
            })
            .chain(std::iter::once((
                "none".to_owned(),
                "No outcome recorded".to_owned(),
                chosen("outcome") == "none",
            )))
            .collect(),
        counts_towards: counts_towards_choices(&context, &chosen("counts-towards")),
        authors: authors
            .into_iter()
            .map(|(id, name)| (id.to_string(), name, chosen("author") == id.to_string()))
            .collect(),
        text: fields.get("q").chars().take(200).collect(),
        from: fields.typed_date("from"),
        to: fields.typed_date("to"),
        from_error: error_for("from-day"),
        to_error: error_for("to-day"),
        filtered: filter != LogFilter::default(),
        errors,
        name,
        crn,
        may_record,
    };
    Ok(render(&view)?.into_response())
}

// ---------------------------------------------------------------------------------------------
// One contact.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "supervision/contact_show.html")]
struct ContactPage {
    chrome: Chrome,
    name: String,
    crn: String,
    entry: EntryView,
    rows: Vec<(String, String)>,
    notes: String,
    may_change: bool,
    rescheduled_to: Option<String>,
}

fn contact_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// Reads a contact of the case. A sensitive one is for the case's staff only (those who may work
/// on it) and its opening has its own audit row, allowed or refused. A refusal is the inner
/// error, so the caller's transaction still commits the audit rows before the page says why.
pub(crate) fn open_contact(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    user: (&keepsafe_domain::access::Actor, &str),
    id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<LogEntry, AppError>, AppError> {
    let entry = contacts::find(conn, case.person_id, id)?;
    if entry.sensitive {
        let (actor, actor_name) = user;
        let decision = decide(actor, Action::WorkOnCase(&case.location));
        let entry_row = AuditEntry {
            staff_id: Some(actor.staff_id),
            actor: actor_name.to_owned(),
            action: "view_sensitive_contact".into(),
            outcome: if decision.is_allowed() {
                Outcome::Allowed
            } else {
                Outcome::Refused
            },
            person_id: Some(case.person_id),
            crn: Some(case.crn.clone()),
            detail: id.to_string(),
        };
        audit::record(conn, &entry_row, now)?;
        if let keepsafe_domain::access::Decision::Refused(refusal) = decision {
            return Ok(Err(AppError::Refused(refusal.message())));
        }
    }
    Ok(Ok(entry))
}

/// `GET /cases/{crn}/contacts/{contact}`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, contact)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = contact_id(&contact)?;
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let now = state.clock.now();
    let (name, crn, entry, may_work) = open_case_for(
        &state,
        &user,
        &crn,
        "view_contact",
        Need::View,
        move |conn, case| {
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            let entry = match open_contact(conn, case, (&actor, &actor_name), id, now)? {
                Ok(entry) => entry,
                Err(refused) => return Ok(Err(refused)),
            };
            let may_work = decide(&actor, Action::WorkOnCase(&case.location)).is_allowed();
            Ok(Ok((name, crn, entry, may_work)))
        },
    )
    .await??;
    let today = state.clock.today();
    let view = entry_view(&entry, today);
    let mut rows = vec![
        ("When".to_owned(), view.when.clone()),
        ("Type".to_owned(), view.kind.clone()),
        ("Where".to_owned(), view.location.clone()),
    ];
    if !view.with.is_empty() {
        rows.push(("With".into(), view.with.clone()));
    }
    if !view.counts_towards.is_empty() {
        rows.push(("Counts towards".into(), view.counts_towards.clone()));
    }
    if !view.system {
        rows.push(("Outcome".into(), view.outcome.clone()));
        rows.push((
            "Enforceable".into(),
            if entry.enforceable { "Yes" } else { "No" }.into(),
        ));
    }
    if let Some(status) = &view.status {
        rows.push(("Status".into(), status.clone()));
    }
    if let Some(requester) = entry.reschedule_requested_by {
        rows.push(("Move asked for by".into(), requester.label().to_owned()));
    }
    if let Some(reason) = &entry.change_reason {
        rows.push(("Why".into(), reason.clone()));
    }
    if let (Some(by), Some(at)) = (&entry.changed_by, entry.changed_at) {
        rows.push((
            "Changed by".into(),
            format!("{by}, {}", format::date_time(at)),
        ));
    }
    if let Some(by) = &entry.recorded_by {
        let at = entry
            .recorded_at
            .map(|at| format!(", {}", format::date_time(at)))
            .unwrap_or_default();
        rows.push(("Recorded by".into(), format!("{by}{at}")));
    }
    let may_change = may_work
        && !entry.kind.is_system_event()
        && keepsafe_domain::supervision::appointment::may_change(entry.status, entry.outcome)
            .is_ok();
    let page = ContactPage {
        chrome: Chrome::for_user(&user, format!("{}: {name}", view.kind), ""),
        name,
        rescheduled_to: entry.rescheduled_to.map(|id| id.to_string()),
        notes: entry.notes.clone(),
        entry: view,
        rows,
        crn,
        may_change,
    };
    Ok(render(&page)?.into_response())
}

// ---------------------------------------------------------------------------------------------
// Recording a contact after the fact.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "supervision/contact_form.html")]
struct RecordPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    errors: Vec<FieldError>,
    types: Vec<Choice>,
    staff: Vec<Choice>,
    counts_towards: Vec<Choice>,
    locations: Vec<Choice>,
    outcomes: Vec<Choice>,
    judgements: Vec<Choice>,
    date: TypedDate,
    time: String,
    location_other: String,
    notes: String,
    sensitive: bool,
    max_notes: usize,
    type_error: Option<String>,
    date_error: Option<String>,
    time_error: Option<String>,
    with_error: Option<String>,
    counts_towards_error: Option<String>,
    location_error: Option<String>,
    location_other_error: Option<String>,
    outcome_error: Option<String>,
    judgement_error: Option<String>,
    notes_error: Option<String>,
    sensitive_error: Option<String>,
}

/// The form's fields as first shown: a phone call made now by the signed-in practitioner, for
/// the case's current event, at the type's usual place.
fn defaults(user: &CurrentUser, context: &FormContext, now: NaiveDateTime) -> FormFields {
    let date = now.date();
    FormFields(vec![
        ("type".into(), ContactType::PhoneCall.code().into()),
        ("date-day".into(), date.format("%-d").to_string()),
        ("date-month".into(), date.format("%-m").to_string()),
        ("date-year".into(), date.format("%Y").to_string()),
        ("time".into(), clock(now)),
        ("with".into(), user.account.id.to_string()),
        ("counts-towards".into(), default_counts_towards(context)),
        ("location".into(), "usual".into()),
        ("sensitive".into(), "no".into()),
    ])
}

fn record_page(
    user: &CurrentUser,
    name: String,
    crn: String,
    context: &FormContext,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> RecordPage {
    let chosen = fields.get("type");
    let error_for = |field: &str| forms::message_for(&errors, field);
    let radio = |name: &str, value: &str| fields.get(name) == value;
    RecordPage {
        chrome: Chrome::for_form(user, "Record a contact", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        types: ContactType::recordable()
            .map(|t| (t.code().into(), t.label().into(), t.code() == chosen))
            .collect(),
        staff: staff_choices(context, Some(signed_in_choice(user)), fields.get("with")),
        counts_towards: counts_towards_choices(context, fields.get("counts-towards")),
        locations: std::iter::once((
            "usual".to_owned(),
            "The usual place for this type of contact".to_owned(),
            radio("location", "usual"),
        ))
        .chain(<LocationKind as CodedValue>::ALL.iter().map(|l| {
            (
                l.code().to_owned(),
                location_label(*l, context),
                radio("location", l.code()),
            )
        }))
        .collect(),
        outcomes: <ContactOutcome as CodedValue>::ALL
            .iter()
            .map(|o| {
                (
                    o.code().into(),
                    o.label().into(),
                    radio("outcome", o.code()),
                )
            })
            .collect(),
        judgements: <FailureJudgement as CodedValue>::ALL
            .iter()
            .map(|j| {
                (
                    j.code().into(),
                    j.label().into(),
                    radio("judgement", j.code()),
                )
            })
            .collect(),
        date: fields.typed_date("date"),
        time: fields.get("time").chars().take(5).collect(),
        location_other: fields.get("location-other").chars().take(200).collect(),
        notes: fields
            .get("notes")
            .chars()
            .take(ContactNotes::MAX_CHARS + 1000)
            .collect(),
        sensitive: fields.get("sensitive") == "yes",
        max_notes: ContactNotes::MAX_CHARS,
        type_error: error_for("type"),
        date_error: error_for("date-day"),
        time_error: error_for("time"),
        with_error: error_for("with"),
        counts_towards_error: error_for("counts-towards"),
        location_error: error_for("location"),
        location_other_error: error_for("location-other"),
        outcome_error: error_for("outcome"),
        judgement_error: error_for("judgement"),
        notes_error: error_for("notes"),
        sensitive_error: None,
        errors,
        name,
        crn,
    }
}

/// How a place is offered on the forms: with the office's name and the address where known.
pub(crate) fn location_label(kind: LocationKind, context: &FormContext) -> String {
    match (kind, &context.office, &context.home) {
        (LocationKind::Office, Some(office), _) => format!("The team's office ({office})"),
        (LocationKind::Home, _, Some(home)) => format!("The person's home ({home})"),
        (LocationKind::Home, _, None) => "The person's home (no current address recorded)".into(),
        _ => kind.label().to_owned(),
    }
}

/// The case's name and CRN, with what its contact and appointment forms offer (types, places,
/// staff, events) on `today`.
pub(crate) fn heading_and_context(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    today: NaiveDate,
) -> Result<(String, String, FormContext), AppError> {
    let (name, crn) = case_record::heading(conn, case.person_id)?;
    let context = contacts::form_context(conn, case.person_id, case.location.team, today)?;
    Ok((name, crn, context))
}

/// Opens the case (work on it) for a blank contact or appointment form.
pub(crate) async fn open_form(
    state: &AppState,
    user: &CurrentUser,
    crn: &str,
    purpose: &'static str,
) -> Result<(String, String, FormContext), AppError> {
    let today = state.clock.today();
    open_case_for(state, user, crn, purpose, Need::Work, move |conn, case| {
        heading_and_context(conn, case, today)
    })
    .await
}

/// `GET /cases/{crn}/contacts/new`.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let (name, crn, context) = open_form(&state, &user, &crn, "record_contact_form").await?;
    let fields = defaults(&user, &context, local_time(state.clock.now()));
    Ok(render(&record_page(
        &user,
        name,
        crn,
        &context,
        &fields,
        Vec::new(),
    ))?
    .into_response())
}

/// A contact recorded after the fact, as written: what enforcement reads when the failure was
/// judged unacceptable.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedContact {
    pub id: Uuid,
    pub person_id: Uuid,
    pub event_id: Option<Uuid>,
    pub starts_at: NaiveDateTime,
    pub outcome: ContactOutcome,
    pub judgement: Option<FailureJudgement>,
}

impl RecordedContact {
    /// Whether the contact is an unacceptable failure, which enforcement (a warning letter,
    /// breach action or consider recall) must act on.
    pub fn counts_towards_enforcement(&self) -> bool {
        counts_towards_enforcement(Some(self.outcome), self.judgement)
    }
}

/// Reads and checks the form, keeping every error.
fn read_contact(
    fields: &FormFields,
    context: &FormContext,
    person_id: Uuid,
    by: Uuid,
    now: NaiveDateTime,
) -> Result<NewContact, Vec<FieldError>> {
    let mut validation = Validation::default();
    let kind = validation.required(
        ContactType::parse(fields.get("type"))
            .ok()
            .filter(|k| !k.is_system_event()),
        "type",
        "Select the type of contact",
    );
    let date = validation.field(fields.date("date", "the date of the contact"));
    let time = validation.field(time_field(fields, "time", "the time of the contact"));
    let with = validation.field(read_with(fields, context, by));
    let counts = validation.field(read_counts_towards(fields, context));
    let location_kind = match fields.get("location") {
        "usual" => kind.map(ContactType::usual_location),
        code => validation.required(
            LocationKind::parse(code).ok(),
            "location",
            "Select where the contact was",
        ),
    };
    let location = match (location_kind, kind) {
        (Some(location_kind), Some(kind)) => validation.field(place(
            location_kind,
            kind,
            context,
            fields.filled("location-other"),
        )),
        _ => None,
    };
    let outcome = validation.required(
        ContactOutcome::parse(fields.get("outcome")).ok(),
        "outcome",
        "Select what happened",
    );
    let judgement = FailureJudgement::parse(fields.get("judgement")).ok();
    let notes = validation.field(
        ContactNotes::parse(fields.get("notes"))
            .map_err(|error| FieldError::new("notes", error.to_string())),
    );
    let sensitive = fields.yes_no("sensitive").unwrap_or(false);
    let judgement = match (date, time, outcome) {
        (Some(date), Some(time), Some(outcome)) => {
            match contact_log::check_recorded(date.and_time(time), now, outcome, judgement) {
                Ok(judgement) => Some(judgement),
                Err(refusals) => {
                    for refusal in refusals {
                        let field = match refusal {
                            RecordingRefusal::InTheFuture => "date-day",
                            RecordingRefusal::JudgementMissing => "judgement",
                        };
                        validation.add(FieldError::new(field, refusal.to_string()));
                    }
                    None
                }
            }
        }
        _ => None,
    };
    validation.finish(|| {
        let kind = kind?;
        let location_kind = location_kind?;
        let (event_id, requirement_id) = counts?;
        Some(NewContact {
            id: Uuid::new_v4(),
            person_id,
            event_id,
            requirement_id,
            kind,
            starts_at: date?.and_time(time?),
            ends_at: None,
            location_kind,
            location: location?,
            with_staff: Some(with?),
            sensitive,
            enforceable: matches!(location_kind, LocationKind::Office | LocationKind::Home),
            notes: notes?.as_str().to_owned(),
            series_id: None,
            outcome: Some(outcome?),
            judgement: judgement?,
            created_by: by,
        })
    })
}

/// `POST /cases/{crn}/contacts/new`.
pub async fn record(
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
        "record_contact",
        Need::Work,
        move |conn, case| {
            let (name, crn, context) = heading_and_context(conn, case, today)?;
            let now = state.clock.now();
            let new = match read_contact(
                &posted,
                &context,
                case.person_id,
                posted.by,
                local_time(now),
            ) {
                Ok(new) => new,
                Err(errors) => return Ok(Submission::Refused((name, crn, context, errors))),
            };
            contacts::insert(conn, std::slice::from_ref(&new), now)?;
            let recorded = RecordedContact {
                id: new.id,
                person_id: new.person_id,
                event_id: new.event_id,
                starts_at: new.starts_at,
                outcome: new.outcome.expect("a recorded contact has its outcome"),
                judgement: new.judgement,
            };
            audit::record(
                conn,
                &posted.audit_on_case(
                    "record_contact",
                    case,
                    format!(
                        "{} {}; {}{}",
                        new.kind.code(),
                        new.id,
                        recorded.outcome.code(),
                        recorded
                            .judgement
                            .map(|j| format!(" ({})", j.code()))
                            .unwrap_or_default()
                    ),
                ),
                now,
            )?;
            // An unacceptable failure recorded after the fact is acted on as one recorded on an
            // appointment: in this transaction, as the enforcement rules decide.
            if recorded.counts_towards_enforcement() {
                enforcement::after_unacceptable_failure(
                    conn,
                    &Failure {
                        person_id: recorded.person_id,
                        contact_id: recorded.id,
                        event_id: recorded.event_id,
                        failed_at: recorded.starts_at,
                    },
                    &EnforcementRules::default(),
                    posted.by,
                    today,
                    now,
                )?;
            }
            Ok(Submission::Saved((crn, recorded)))
        },
    )
    .await?;
    forms::respond(
        submission,
        |(crn, _recorded)| Redirect::to(&format!("/cases/{crn}/contacts")),
        |(name, crn, context, errors)| record_page(&user, name, crn, &context, &fields, errors),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_typed_on_the_24_hour_clock() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(typed_time("14:30"), t(14, 30));
        assert_eq!(typed_time(" 9:05 "), t(9, 5));
        assert_eq!(typed_time("14.30"), t(14, 30));
        assert_eq!(typed_time("1430"), t(14, 30));
        assert_eq!(typed_time("24:00"), None);
        assert_eq!(typed_time("2:3"), None);
        assert_eq!(typed_time("half two"), None);
        assert_eq!(typed_time(""), None);
    }
}
