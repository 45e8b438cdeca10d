//! The partner portal (`/partner`): a police force's or local authority's users see the queue of
//! requests sent to their organisation, open one to see just what they need to search their own
//! records, and acknowledge, answer or decline it. Nothing else in keepsafe is reachable for them:
//! the route guard keeps partner users inside these routes ([`crate::routes::Access::Partner`]).

use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, FormWithFiles, Submission};
use crate::layout::{render, Chrome};
use crate::partners::exchange::{self, Acting, Answer, Failure};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::partner::{
    AttachmentForm, CheckRequest, DeclineReason, IncidentForm, IncidentKind, Involvement,
    PartnerPrincipal, PartnerUser, PartnerView, RequestState, RequestType, ResponseForm,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::partners::{self, QueueFilter, QueueShow, QueueSort, StoredRequest};
use serde::Deserialize;
use uuid::Uuid;

/// Requests per page of the queue.
const PAGE_SIZE: i64 = 50;
/// Incident rows on the response form.
const INCIDENT_ROWS: usize = 3;

/// Who is acting, for a signed-in partner user; `None` for anyone else (the guard keeps them out).
pub fn acting(user: &CurrentUser) -> Result<Acting, AppError> {
    let (organisation_id, role) = user.account.partner.ok_or_else(|| {
        AppError::Refused("The partner portal is for users of partner organisations.".into())
    })?;
    Ok(Acting {
        principal: PartnerPrincipal::User(PartnerUser {
            user_id: user.account.id,
            organisation_id,
            role,
        }),
        staff_id: Some(user.account.id),
        audit_name: user.audit_name(),
        display: user.account.display_name(),
    })
}

struct QueueRow {
    id: String,
    reference: String,
    kind: String,
    /// The person's name, date of birth and postcode while the request is outstanding; empty once
    /// it is closed and the details are no longer shared.
    name: String,
    born: String,
    postcode: String,
    sent: String,
    due: String,
    /// Where the request stands, in words ("Overdue", "Answered late").
    status: String,
    /// A tag colour for the status; the words say the same.
    tag: &'static str,
    /// "Acknowledged", "Reminder sent 3 Dec 2026": what else a partner should know.
    note: String,
}

/// One choice of a filter's select: (value, label, selected).
type Choice = (&'static str, &'static str, bool);

#[derive(Template)]
#[template(path = "partners/queue.html")]
struct QueuePage {
    chrome: Chrome,
    organisation: String,
    /// "3 requests waiting for your answer", in words for the list shown.
    summary: String,
    rows: Vec<QueueRow>,
    /// The tabs: (href, label, current).
    tabs: Vec<(String, &'static str, bool)>,
    search: String,
    search_hint: &'static str,
    kinds: Vec<Choice>,
    sorts: Vec<Choice>,
    show: &'static str,
    /// Whether anything narrows the list (so the page offers to clear it).
    filtered: bool,
    previous: Option<String>,
    next: Option<String>,
    page_note: String,
}

/// The portal's list filter as it appears in the address bar.
#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    page: Option<i64>,
    /// `waiting` (the default), `overdue`, `answered` or `closed`.
    show: Option<String>,
    /// A request type's code.
    kind: Option<String>,
    /// Reference, CRN, name or postcode.
    q: Option<String>,
    /// `due`, `due-latest`, `sent-newest`, `sent-oldest` or `closed-newest`.
    sort: Option<String>,
}

const SHOWS: [(&str, &str, QueueShow); 4] = [
    ("waiting", "Waiting", QueueShow::Waiting),
    ("overdue", "Overdue", QueueShow::Overdue),
    ("answered", "Answered", QueueShow::Answered),
    ("closed", "Declined or withdrawn", QueueShow::Closed),
];

const SORTS: [(&str, &str, QueueSort); 5] = [
    ("due", "Due soonest", QueueSort::DueSoonest),
    ("due-latest", "Due latest", QueueSort::DueLatest),
    ("sent-newest", "Sent most recently", QueueSort::SentNewest),
    ("sent-oldest", "Sent longest ago", QueueSort::SentOldest),
    (
        "closed-newest",
        "Closed most recently",
        QueueSort::ClosedNewest,
    ),
];

impl QueueQuery {
    fn show(&self) -> (&'static str, QueueShow) {
        SHOWS
            .iter()
            .find(|(code, ..)| Some(*code) == self.show.as_deref())
            .map_or(("waiting", QueueShow::Waiting), |(code, _, show)| {
                (*code, *show)
            })
    }

    fn kind(&self) -> Option<RequestType> {
        RequestType::ALL
            .iter()
            .copied()
            .find(|k| Some(k.code()) == self.kind.as_deref())
    }

    /// The sort asked for; closed requests sort newest closed first unless asked otherwise, open
    /// ones soonest due.
    fn sort(&self, show: QueueShow) -> (&'static str, QueueSort) {
        SORTS
            .iter()
            .find(|(code, ..)| Some(*code) == self.sort.as_deref())
            .map(|(code, _, sort)| (*code, *sort))
            .unwrap_or(if show.outstanding() {
                ("due", QueueSort::DueSoonest)
            } else {
                ("closed-newest", QueueSort::ClosedNewest)
            })
    }

    fn search(&self) -> String {
        self.q
            .as_deref()
            .unwrap_or_default()
            .trim()
            .chars()
            .take(100)
            .collect()
    }

    /// The query string for this filter on `page`, for paging links.
    fn href(&self, page: i64) -> String {
        let (show, shown) = self.show();
        let mut pairs = vec![("show", show.to_owned())];
        if let Some(kind) = self.kind() {
            pairs.push(("kind", kind.code().to_owned()));
        }
        let search = self.search();
        if !search.is_empty() {
            pairs.push(("q", search));
        }
        pairs.push(("sort", self.sort(shown).0.to_owned()));
        pairs.push(("page", page.to_string()));
        let encoded = pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", url_encode(&v)))
            .collect::<Vec<_>>()
            .join("&");
        format!("/partner?{encoded}")
    }
}

/// Percent-encodes a query-string value.
fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Where a request stands for the partner, in words, with a tag colour that says the same: overdue
/// is said, never shown by colour alone.
pub fn partner_status(request: &CheckRequest, today: NaiveDate) -> (String, &'static str) {
    let due_by = request.state.sent().map(|s| s.due_by);
    match &request.state {
        RequestState::Sent(_) | RequestState::Acknowledged { .. }
            if due_by.is_some_and(|due| today > due) =>
        {
            ("Overdue".to_owned(), "govuk-tag--red")
        }
        RequestState::Sent(_) => ("Waiting for your answer".to_owned(), "govuk-tag--blue"),
        RequestState::Acknowledged { .. } => ("Acknowledged".to_owned(), "govuk-tag--light-blue"),
        RequestState::Responded { responded_on, .. } => {
            if due_by.is_some_and(|due| *responded_on > due) {
                (
                    format!("Answered late, on {}", format::date(*responded_on)),
                    "govuk-tag--orange",
                )
            } else {
                (
                    format!("Answered on {}", format::date(*responded_on)),
                    "govuk-tag--green",
                )
            }
        }
        RequestState::Declined { declined_on, .. } => (
            format!("Declined on {}", format::date(*declined_on)),
            "govuk-tag--grey",
        ),
        RequestState::Withdrawn { withdrawn_on, .. } => (
            format!(
                "Withdrawn by the probation service on {}",
                format::date(*withdrawn_on)
            ),
            "govuk-tag--grey",
        ),
        RequestState::Draft => ("Not sent".to_owned(), "govuk-tag--grey"),
    }
}

/// `GET /partner`: the organisation's requests — waiting (soonest due first), overdue, answered or
/// closed — searched, filtered by type and sorted as asked, a page at a time.
pub async fn queue(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<QueueQuery>,
) -> Result<Html<String>, AppError> {
    let acting = acting(&user)?;
    let organisation_id = acting.principal.organisation_id();
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    let (show_code, show) = query.show();
    let (sort_code, sort) = query.sort(show);
    let filter = QueueFilter {
        show,
        kind: query.kind(),
        search: Some(query.search()).filter(|s| !s.is_empty()),
        sort,
    };
    let today = state.clock.today();
    let read_filter = filter.clone();
    let (organisation, total, requests, details, reminders) = state
        .write(move |conn| {
            let filter = read_filter;
            let organisation = partners::organisation_by_id(conn, organisation_id)?;
            let total = partners::search_queue_len(conn, organisation_id, &filter, today)?;
            let requests = partners::search_queue(
                conn,
                organisation_id,
                &filter,
                today,
                (page - 1) * PAGE_SIZE,
                PAGE_SIZE,
            )?;
            let ids: Vec<Uuid> = requests.iter().map(|r| r.request.id).collect();
            let reminders = partners::reminders_for(conn, &ids)?;
            let details = partners::shareable_details_for(conn, &requests, today)?;
            audit::record(
                conn,
                &AuditEntry {
                    staff_id: acting.staff_id,
                    actor: acting.audit_name.clone(),
                    action: "partner_view_queue".into(),
                    outcome: Outcome::Allowed,
                    person_id: None,
                    crn: None,
                    detail: format!(
                        "{} requests listed ({:?}, page {page}{})",
                        requests.len(),
                        filter.show,
                        if filter.search.is_some() {
                            ", searched"
                        } else {
                            ""
                        }
                    ),
                },
                state.clock.now(),
            )?;
            Ok((organisation, total, requests, details, reminders))
        })
        .await?;
    let rows = requests
        .iter()
        .zip(&details)
        .filter_map(|(r, details)| {
            let sent = r.request.state.sent()?;
            // The domain decides what is shared: nothing of the person once a request is closed.
            let view = PartnerView::project(&r.request, details, today);
            let (status, tag) = partner_status(&r.request, today);
            let reminded = reminders
                .get(&r.request.id)
                .and_then(|list| list.iter().rfind(|(key, _)| !key.starts_with("escalation")))
                .map(|(_, on)| format!("Reminder sent {}", format::short_date(*on)));
            let acknowledged = match &r.request.state {
                RequestState::Acknowledged {
                    acknowledged_on, ..
                } if today > sent.due_by => Some(format!(
                    "Acknowledged {}",
                    format::short_date(*acknowledged_on)
                )),
                _ => None,
            };
            Some(QueueRow {
                id: r.request.id.to_string(),
                reference: short_reference(r.request.id),
                kind: r.request.request_type.label().to_owned(),
                name: view.as_ref().map(|v| v.name.clone()).unwrap_or_default(),
                born: view
                    .as_ref()
                    .map(|v| format!("Born {}", format::date(v.date_of_birth)))
                    .unwrap_or_default(),
                postcode: view
                    .as_ref()
                    .and_then(|v| v.postcode.clone())
                    .unwrap_or_default(),
                sent: format::short_date(sent.sent_on),
                due: format::short_date(sent.due_by),
                status,
                tag,
                note: [acknowledged, reminded]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(". "),
            })
        })
        .collect();
    let noun = if total == 1 { "request" } else { "requests" };
    let summary = match show {
        QueueShow::Waiting => format!("{total} {noun} waiting for your answer"),
        QueueShow::Overdue => format!("{total} {noun} past the day they were due by"),
        QueueShow::Answered => format!("{total} {noun} you have answered"),
        QueueShow::Closed => format!("{total} {noun} declined or withdrawn"),
    };
    let searched = !query.search().is_empty();
    let filtered = searched || filter.kind.is_some();
    let first = (page - 1) * PAGE_SIZE + 1;
    let last = ((page - 1) * PAGE_SIZE + PAGE_SIZE).min(total);
    render(&QueuePage {
        chrome: Chrome::for_user(&user, "Requests", "/partner"),
        organisation: organisation.organisation.name.as_str().to_owned(),
        summary: if filtered {
            format!("{summary}, matching your search")
        } else {
            summary
        },
        rows,
        tabs: SHOWS
            .iter()
            .map(|(code, label, _)| (format!("/partner?show={code}"), *label, *code == show_code))
            .collect(),
        search: query.search(),
        search_hint: if show.outstanding() {
            "A reference, case reference (CRN), name or postcode."
        } else {
            "A reference. The person's details are no longer shared once a request is closed."
        },
        kinds: RequestType::ALL
            .iter()
            .map(|k| (k.code(), k.label(), filter.kind == Some(*k)))
            .collect(),
        sorts: SORTS
            .iter()
            .filter(|(_, _, s)| show.outstanding() || *s != QueueSort::DueLatest)
            .filter(|(_, _, s)| !show.outstanding() || *s != QueueSort::ClosedNewest)
            .map(|(code, label, _)| (*code, *label, *code == sort_code))
            .collect(),
        show: show_code,
        filtered,
        previous: (page > 1).then(|| query.href(page - 1)),
        next: (page * PAGE_SIZE < total).then(|| query.href(page + 1)),
        page_note: if total > PAGE_SIZE {
            format!("Showing {first} to {last} of {total}")
        } else {
            String::new()
        },
    })
}

/// The reference partners quote: the first block of the request id, upper case.
pub fn short_reference(id: Uuid) -> String {
    partners::short_reference(id)
}

/// A response form's incident row as typed, with each problem beside its own field.
struct IncidentRow {
    index: usize,
    day: String,
    month: String,
    year: String,
    kind: String,
    summary: String,
    /// The date's problem, and which of day, month and year it is about (GOV.UK date input: only
    /// the parts in error are marked).
    date_error: Option<String>,
    day_error: bool,
    month_error: bool,
    year_error: bool,
    kind_error: Option<String>,
    summary_error: Option<String>,
}

/// A household member as a partner sees them: name, date of birth and age.
struct ResidentLine {
    name: String,
    born: String,
}

#[derive(Template)]
#[template(path = "partners/request.html")]
struct RequestPage {
    chrome: Chrome,
    csrf_token: String,
    id: String,
    reference: String,
    kind: String,
    /// Where the request stands, in words, and a tag colour that says the same.
    status: String,
    status_tag: &'static str,
    /// The notification banner after the partner acted ("Your answer was sent …").
    banner: Option<String>,
    view: Option<PartnerView>,
    born: String,
    residents: Vec<ResidentLine>,
    /// (address, "From March 2019 to August 2025").
    previous_addresses: Vec<(String, String)>,
    /// "Pat Officer, Lincoln North team, Lincolnshire probation delivery unit".
    asked_by: Option<String>,
    sent: String,
    due: String,
    acknowledged: bool,
    /// The partner's answer, or why there is none, for a closed request.
    answer_text: Option<String>,
    asks_involvement: bool,
    incident_kinds: Vec<(&'static str, &'static str)>,
    involvements: Vec<(&'static str, &'static str, bool)>,
    decline_reasons: Vec<(&'static str, &'static str, bool)>,
    known: String,
    known_error: Option<String>,
    reason_error: Option<String>,
    detail: String,
    /// Every problem with the chosen files, together (the file input cannot keep a choice).
    attachments_error: Option<String>,
    /// The files attached to the answer: (name, type).
    attached: Vec<(String, String)>,
    incidents: Vec<IncidentRow>,
    risk_notes: String,
    free_text: String,
    errors: Vec<FieldError>,
}

/// What the partner just did, for the notification banner: `?done=` on the request's address.
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// The banner for what the partner just did, only when the request is in the state that action
/// leaves it in (an address typed by hand cannot announce an answer that was never sent).
fn banner_for(done: Option<&str>, state: &RequestState, reference: &str) -> Option<String> {
    Some(match (done?, state) {
        ("answered", RequestState::Responded { .. }) => format!(
            "Your answer to request {reference} was sent to the probation service. You can find it \
             under Answered."
        ),
        ("declined", RequestState::Declined { .. }) => {
            format!("You declined request {reference}. The probation service has been told why.")
        }
        ("acknowledged", RequestState::Acknowledged { .. }) => format!(
            "You acknowledged request {reference}. The probation service can see you are working \
             on it."
        ),
        _ => return None,
    })
}

fn month_year(day: NaiveDate) -> String {
    day.format("%B %Y").to_string()
}

fn request_page(
    user: &CurrentUser,
    stored: &StoredRequest,
    view: Option<PartnerView>,
    fields: &FormFields,
    errors: Vec<FieldError>,
    today: NaiveDate,
    done: Option<&str>,
) -> RequestPage {
    let request = &stored.request;
    let sent = request.state.sent();
    let (status, status_tag) = partner_status(request, today);
    let answer_text = match &request.state {
        RequestState::Responded { response, .. } => Some(partners::response_summary(response)),
        RequestState::Declined { reason, detail, .. } => Some(if detail.is_empty() {
            reason.label().to_owned()
        } else {
            format!("{}: {}", reason.label(), detail.as_str())
        }),
        RequestState::Withdrawn { reason, .. } if !reason.is_empty() => {
            Some(format!("Why it was withdrawn: {}", reason.as_str()))
        }
        _ => None,
    };
    let chosen: Vec<&str> = fields
        .0
        .iter()
        .filter(|(k, _)| k == "involvement")
        .map(|(_, v)| v.as_str())
        .collect();
    let message = |field: &str| forms::message_for(&errors, field);
    let reference = short_reference(request.id);
    RequestPage {
        chrome: Chrome::for_form(
            user,
            format!("{} {reference}", request.request_type.label()),
            &errors,
            "/partner",
        ),
        csrf_token: user.csrf_token.clone(),
        id: request.id.to_string(),
        banner: banner_for(done, &request.state, &reference),
        reference,
        kind: request.request_type.label().to_owned(),
        status,
        status_tag,
        born: view
            .as_ref()
            .map(|v| format::date(v.date_of_birth))
            .unwrap_or_default(),
        residents: view
            .as_ref()
            .map(|v| {
                v.residents
                    .iter()
                    .map(|r| ResidentLine {
                        name: r.name.clone(),
                        born: match (r.date_of_birth, r.age) {
                            (Some(born), Some(age)) => {
                                format!("born {} (age {age})", format::date(born))
                            }
                            (Some(born), None) => format!("born {}", format::date(born)),
                            _ => "date of birth not known".to_owned(),
                        },
                    })
                    .collect()
            })
            .unwrap_or_default(),
        previous_addresses: view
            .as_ref()
            .map(|v| {
                v.previous_addresses
                    .iter()
                    .map(|a| {
                        (
                            a.description.clone(),
                            match a.to {
                                Some(to) => {
                                    format!("From {} to {}", month_year(a.from), month_year(to))
                                }
                                None => format!("From {}", month_year(a.from)),
                            },
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        asked_by: view.as_ref().and_then(|v| v.asked_by.as_ref()).map(|a| {
            let mut parts = vec![a.name.clone()];
            parts.extend(a.team.as_ref().map(|t| format!("{t} team")));
            parts.extend(
                a.pdu
                    .as_ref()
                    .map(|p| format!("{p} probation delivery unit")),
            );
            parts.join(", ")
        }),
        view,
        sent: sent.map(|s| format::date(s.sent_on)).unwrap_or_default(),
        due: sent.map(|s| format::date(s.due_by)).unwrap_or_default(),
        acknowledged: matches!(request.state, RequestState::Acknowledged { .. }),
        answer_text,
        asks_involvement: request.request_type == RequestType::ChildrensSafeguarding,
        incident_kinds: IncidentKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        involvements: Involvement::ALL
            .iter()
            .map(|i| (i.code(), i.label(), chosen.contains(&i.code())))
            .collect(),
        decline_reasons: DeclineReason::ALL
            .iter()
            .map(|r| (r.code(), r.label(), fields.get("reason") == r.code()))
            .collect(),
        known: fields.get("known").to_owned(),
        known_error: message("known"),
        reason_error: message("reason"),
        detail: fields.get("detail").chars().take(12_000).collect(),
        attachments_error: {
            let messages: Vec<&str> = errors
                .iter()
                .filter(|e| e.field == "attachments")
                .map(|e| e.message.as_str())
                .collect();
            (!messages.is_empty()).then(|| messages.join("; "))
        },
        attached: match &request.state {
            RequestState::Responded { response, .. } => response
                .attachments
                .iter()
                .map(|a| (a.file_name.clone(), a.media_type.label().to_owned()))
                .collect(),
            _ => Vec::new(),
        },
        incidents: (0..INCIDENT_ROWS)
            .map(|i| {
                let part = |p: &str| format!("incident-{i}-{p}");
                let date_error = errors
                    .iter()
                    .find(|e| [part("day"), part("month"), part("year")].contains(&e.field));
                // "must include a month and year" marks those parts, "Year must include 4
                // numbers" the year, anything else about the date all three.
                let marked = |p: &str| {
                    date_error.is_some_and(|e| match e.message.split_once("must include a ") {
                        Some((_, missing)) => missing.contains(p),
                        None if e.message.starts_with("Year must") => p == "year",
                        None => true,
                    })
                };
                IncidentRow {
                    index: i,
                    day: fields.get(&part("day")).chars().take(2).collect(),
                    month: fields.get(&part("month")).chars().take(2).collect(),
                    year: fields.get(&part("year")).chars().take(4).collect(),
                    kind: fields.get(&part("kind")).to_owned(),
                    summary: fields.get(&part("summary")).chars().take(12_000).collect(),
                    day_error: marked("day"),
                    month_error: marked("month"),
                    year_error: marked("year"),
                    date_error: date_error.map(|e| e.message.clone()),
                    kind_error: message(&part("kind")),
                    summary_error: message(&part("summary")),
                }
            })
            .collect(),
        risk_notes: fields.get("risk-notes").chars().take(12_000).collect(),
        free_text: fields.get("free-text").chars().take(12_000).collect(),
        errors,
    }
}

fn failure_to_error(failure: Failure) -> AppError {
    match failure {
        Failure::NotFound => AppError::NotFound,
        Failure::Refused(refusal) => AppError::Refused(refusal.message()),
        Failure::Transition(message) | Failure::Conflict(message) => AppError::Conflict(message),
        Failure::Invalid(errors) => AppError::BadRequest(
            errors
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// `GET /partner/requests/{request}`; `?done=answered|declined|acknowledged` after the partner
/// acted shows a notification banner saying so.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Html<String>, AppError> {
    let id = parse_id(&raw)?;
    let acting = acting(&user)?;
    let (stored, view) = state
        .write(move |conn| exchange::open(conn, &acting, id, state.clock.now()))
        .await?
        .map_err(failure_to_error)?;
    render(&request_page(
        &user,
        &stored,
        view,
        &FormFields::default(),
        Vec::new(),
        state.clock.today(),
        done.done.as_deref(),
    ))
}

/// A date problem on an incident row, worded for its Day, Month and Year fields (the GOV.UK date
/// input pattern): the field is the first part in error, so the error summary links to it.
fn incident_date_problem(fields: &FormFields, row: usize, today: NaiveDate) -> Option<FieldError> {
    let name = |part: &str| format!("incident-{row}-{part}");
    let get = |part: &str| fields.get(&name(part)).trim().to_owned();
    let (day, month, year) = (get("day"), get("month"), get("year"));
    let label = format!("The date of incident {}", row + 1);
    let missing: Vec<&str> = [("day", &day), ("month", &month), ("year", &year)]
        .into_iter()
        .filter(|(_, value)| value.is_empty())
        .map(|(part, _)| part)
        .collect();
    match missing.as_slice() {
        [] => {}
        [_, _, _] => {
            return Some(FieldError::new(
                name("day"),
                format!("Enter the date of incident {}", row + 1),
            ))
        }
        parts => {
            return Some(FieldError::new(
                name(parts[0]),
                format!("{label} must include a {}", parts.join(" and ")),
            ))
        }
    }
    let number = |text: &str| {
        text.chars()
            .all(|c| c.is_ascii_digit())
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    if number(&year).is_some() && year.len() != 4 {
        return Some(FieldError::new(name("year"), "Year must include 4 numbers"));
    }
    let date = match (number(&day), number(&month), number(&year)) {
        (Some(d), Some(m), Some(y)) => NaiveDate::from_ymd_opt(y as i32, m, d),
        _ => None,
    };
    match date {
        None => Some(FieldError::new(
            name("day"),
            format!("{label} must be a real date"),
        )),
        Some(date) if date > today => Some(FieldError::new(
            name("day"),
            format!("{label} must be today or in the past"),
        )),
        Some(_) => None,
    }
}

/// The response form's fields as the domain reads them: incident rows left wholly blank are not
/// incidents. Returns the form, the row each of its incidents came from, and the date problems
/// found on the rows (a row with one goes to the domain without a date, so everything else on the
/// form is still checked and nothing is saved).
fn response_form(
    fields: &FormFields,
    today: NaiveDate,
) -> (ResponseForm, Vec<usize>, Vec<(usize, FieldError)>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let incidents = (0..INCIDENT_ROWS)
        .filter_map(|i| {
            let get = |part: &str| {
                fields
                    .get(&format!("incident-{i}-{part}"))
                    .trim()
                    .to_owned()
            };
            let (day, month, year) = (get("day"), get("month"), get("year"));
            let (kind, summary) = (get("kind"), get("summary"));
            if [&day, &month, &year, &kind, &summary]
                .iter()
                .all(|v| v.is_empty())
            {
                return None;
            }
            let date = match incident_date_problem(fields, i, today) {
                Some(problem) => {
                    problems.push((i, problem));
                    String::new()
                }
                None => format!(
                    "{:04}-{:02}-{:02}",
                    year.parse::<i32>().unwrap_or_default(),
                    month.parse::<u32>().unwrap_or_default(),
                    day.parse::<u32>().unwrap_or_default()
                ),
            };
            rows.push(i);
            Some(IncidentForm {
                date,
                kind,
                summary,
            })
        })
        .collect();
    let form = ResponseForm {
        known_to_service: fields.yes_no("known"),
        incidents,
        current_involvement: fields
            .0
            .iter()
            .filter(|(k, _)| k == "involvement")
            .map(|(_, v)| v.clone())
            .collect(),
        risk_notes: fields.get("risk-notes").to_owned(),
        free_text: fields.get("free-text").to_owned(),
        attachments: Vec::new(),
    };
    (form, rows, problems)
}

/// How the form reads the domain's problems: each on the form's own field (`incidents[1].date` is
/// the Day, Month and Year of the row it came from), in a sentence that starts with a capital.
struct FormErrors {
    /// The form row of each incident the domain saw.
    rows: Vec<usize>,
    /// Date problems found on the rows, worded for the date fields.
    dates: Vec<(usize, FieldError)>,
}

impl FormErrors {
    fn none() -> Self {
        Self {
            rows: Vec::new(),
            dates: Vec::new(),
        }
    }

    fn map(&self, errors: Vec<(String, String)>) -> Vec<FieldError> {
        errors
            .into_iter()
            .filter_map(|(path, message)| self.one(&path, &message))
            .collect()
    }

    fn one(&self, path: &str, message: &str) -> Option<FieldError> {
        if let Some(rest) = path.strip_prefix("incidents[") {
            let (index, part) = rest.split_once("].").unwrap_or((rest, "date"));
            let row = index
                .parse::<usize>()
                .ok()
                .and_then(|k| self.rows.get(k).copied())
                .unwrap_or_default();
            let n = row + 1;
            return match part {
                "date" => Some(
                    self.dates
                        .iter()
                        .find(|(r, _)| *r == row)
                        .map(|(_, e)| e.clone())
                        .unwrap_or_else(|| {
                            FieldError::new(
                                format!("incident-{row}-day"),
                                format!("The date of incident {n} must be a real date"),
                            )
                        }),
                ),
                "kind" if message == "choose the type of incident" => Some(FieldError::new(
                    format!("incident-{row}-kind"),
                    format!("Choose the type of incident {n}"),
                )),
                "summary" if message == "describe what happened" => Some(FieldError::new(
                    format!("incident-{row}-summary"),
                    format!("Describe what happened in incident {n}"),
                )),
                other => Some(FieldError::new(
                    format!("incident-{row}-{other}"),
                    sentence(message),
                )),
            };
        }
        let field = if path.starts_with("attachments") {
            "attachments".to_owned()
        } else if path.starts_with("current_involvement") {
            "involvement".to_owned()
        } else {
            match path {
                "known_to_service" => "known".into(),
                "risk_notes" => "risk-notes".into(),
                "free_text" => "free-text".into(),
                other => other.replace('_', "-"),
            }
        };
        Some(FieldError::new(field, sentence(message)))
    }
}

/// The message with a capital first letter, as GOV.UK error messages are written; one that
/// starts with a file's name keeps the name as it was typed ("The file log.txt is …").
fn sentence(message: &str) -> String {
    let first_word = message.split_whitespace().next().unwrap_or_default();
    if first_word.contains('.') {
        return format!("The file {message}");
    }
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Acts on the request as the partner user asked; a response or decline the domain refuses shows
/// the request again with the form as sent and each problem beside its field. Done, it goes back
/// to the request with a banner saying what was done.
async fn answer(
    state: AppState,
    user: CurrentUser,
    raw: String,
    fields: FormFields,
    answer: Answer,
    form_errors: FormErrors,
) -> Result<Response, AppError> {
    let id = parse_id(&raw)?;
    let acting = acting(&user)?;
    let today = state.clock.today();
    let done = match &answer {
        Answer::Acknowledge => "acknowledged",
        Answer::Respond(..) => "answered",
        Answer::Decline { .. } => "declined",
    };
    let outcome = state
        .write(move |conn| {
            let now = state.clock.now();
            match exchange::act(conn, &acting, id, &answer, now)? {
                Ok(_) => Ok(Ok(Submission::Saved(()))),
                Err(Failure::Invalid(errors)) => {
                    let opened = exchange::open(conn, &acting, id, now)?;
                    Ok(opened.map(|opened| Submission::Refused((opened, errors))))
                }
                Err(other) => Ok(Err(other)),
            }
        })
        .await?
        .map_err(failure_to_error)?;
    forms::respond(
        outcome,
        |()| Redirect::to(&format!("/partner/requests/{id}?done={done}")),
        |((stored, view), errors)| {
            let errors = form_errors.map(errors);
            request_page(&user, &stored, view, &fields, errors, today, None)
        },
    )
}

/// `POST /partner/requests/{request}/acknowledge`.
pub async fn acknowledge(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    answer(
        state,
        user,
        raw,
        FormFields::default(),
        Answer::Acknowledge,
        FormErrors::none(),
    )
    .await
}

/// `POST /partner/requests/{request}/response`.
pub async fn respond(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    upload: FormWithFiles,
) -> Result<Response, AppError> {
    let FormWithFiles { fields, files } = upload;
    let (mut form, rows, dates) = response_form(&fields, state.clock.today());
    form.attachments = files
        .iter()
        .map(|f| AttachmentForm {
            file_name: f.file_name.clone(),
            media_type: f.media_type.clone(),
            size_bytes: f.bytes.len() as u64,
        })
        .collect();
    let contents = files.into_iter().map(|f| f.bytes).collect();
    answer(
        state,
        user,
        raw,
        fields,
        Answer::Respond(form, contents),
        FormErrors { rows, dates },
    )
    .await
}

/// `POST /partner/requests/{request}/decline`.
pub async fn decline(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let decline = Answer::Decline {
        reason: fields.get("reason").to_owned(),
        detail: fields.get("detail").to_owned(),
    };
    answer(state, user, raw, fields, decline, FormErrors::none()).await
}
