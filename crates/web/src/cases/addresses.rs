//! The person's addresses, kept current: `GET /cases/{crn}/addresses` lists the current, proposed
//! and previous addresses; `…/addresses/new` proposes one; `…/addresses/{address}/main` records
//! the move into a proposed address (the old main address becomes previous); `…/{address}/end`
//! ends one. Each change is one transaction with its audit row (before and after) and its
//! [`consequences`]: tiers recomputed, a review task when an assessment is in force, and the
//! police and children's-services checks offered again.

use crate::cases::access::{open_case, open_case_for, Need};
use crate::cases::circumstances::{ChangeBanner, ChecksOfferView};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, TypedDate, Validation};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action, Actor};
use keepsafe_domain::address::{AddressStatus, Postcode};
use keepsafe_domain::age::{age_on, is_child_on};
use keepsafe_domain::review::{ChecksOffer, ReviewTrigger};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::addresses::{self, NewAddress};
use keepsafe_storage::cases::consequences::{self, Review};
use keepsafe_storage::cases::record::{self as case_record, AddressRecord, LocatedCase};
use keepsafe_storage::cases::tasks::{self as review_tasks, TaskRecord};
use keepsafe_storage::AnyConnection;
use serde::Deserialize;
use uuid::Uuid;

/// The longest address line or town kept: longer is a paste gone wrong.
const MAX_LINE: usize = 100;

/// What the list page says after a change (fixed codes, so nothing typed travels in the URL).
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
    task: Option<String>,
}

#[derive(Template)]
#[template(path = "cases/addresses.html")]
struct AddressesPage {
    chrome: Chrome,
    name: String,
    crn: String,
    may_work: bool,
    banner: Option<ChangeBanner>,
    checks_offer: Option<ChecksOfferView>,
    current: Vec<AddressView>,
    proposed: Vec<AddressView>,
    previous: Vec<AddressView>,
}

/// An address as the pages show it.
pub struct AddressView {
    pub id: String,
    pub status: String,
    pub lines: Vec<String>,
    pub dates: String,
    /// Proposed for a curfew: ended only through its address check.
    pub under_address_check: bool,
}

impl AddressView {
    fn new(address: &AddressRecord, under_check: &[Uuid]) -> Self {
        Self {
            id: address.id.to_string(),
            status: address.status.label().to_owned(),
            lines: lines(address),
            dates: match (address.status, address.end_date) {
                (_, Some(end)) => format!(
                    "{} to {}",
                    format::date(address.start_date),
                    format::date(end)
                ),
                (AddressStatus::Proposed, None) => {
                    format!("Expected from {}", format::date(address.start_date))
                }
                (_, None) => format!("Since {}", format::date(address.start_date)),
            },
            under_address_check: under_check.contains(&address.id),
        }
    }
}

fn lines(address: &AddressRecord) -> Vec<String> {
    [
        Some(address.line1.clone()),
        address.line2.clone(),
        Some(address.town.clone()),
        Some(address.postcode.clone()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// "4 Orchard Row, Midchester, MC1 4ZZ".
pub fn one_line(address: &AddressRecord) -> String {
    lines(address).join(", ")
}

/// The address as the audit log keeps it before or after a change.
fn audited(address: &AddressRecord) -> String {
    let dates = match address.end_date {
        Some(end) => format!("{} to {end}", address.start_date),
        None => format!("from {}", address.start_date),
    };
    format!("{} [{}] {dates}", one_line(address), address.status.code())
}

/// Whether the user may change this case (the lists are readable by more people than may edit).
pub(crate) fn may_work(actor: &Actor, case: &LocatedCase) -> bool {
    decide(actor, Action::WorkOnCase(&case.location)).is_allowed()
}

/// `GET /cases/{crn}/addresses`.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let actor = user.account.actor();
    let (heading, all, under_check, tasks, offer, may) =
        open_case(&state, &user, &crn, "view_addresses", move |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                case_record::addresses(conn, case.person_id)?,
                addresses::under_address_check(conn, case.person_id)?,
                review_tasks::for_person(conn, case.person_id)?,
                consequences::checks_offer(conn, case.person_id, today)?,
                may_work(&actor, case),
            ))
        })
        .await?;
    let (name, crn) = heading;
    let view = |a: &AddressRecord| AddressView::new(a, &under_check);
    let page = AddressesPage {
        chrome: Chrome::for_user(&user, format!("Addresses: {name} ({crn})"), ""),
        banner: banner(&done, &tasks),
        checks_offer: offer
            .filter(|_| may)
            .map(|o| ChecksOfferView::new(&o, &crn, &user.csrf_token)),
        current: all
            .iter()
            .filter(|a| a.end_date.is_none() && a.status != AddressStatus::Proposed)
            .map(view)
            .collect(),
        proposed: all
            .iter()
            .filter(|a| a.end_date.is_none() && a.status == AddressStatus::Proposed)
            .map(view)
            .collect(),
        previous: all
            .iter()
            .filter(|a| a.end_date.is_some() && a.status != AddressStatus::Proposed)
            .map(view)
            .collect(),
        may_work: may,
        name,
        crn,
    };
    Ok(render(&page)?.into_response())
}

fn redirect_done(crn: &str, done: &str, task: Option<Uuid>) -> Redirect {
    let task = task.map(|t| format!("&task={t}")).unwrap_or_default();
    Redirect::to(&format!("/cases/{crn}/addresses?done={done}{task}"))
}

/// A required line of text, trimmed, at most [`MAX_LINE`] characters.
pub(crate) fn required_line(
    fields: &FormFields,
    name: &str,
    missing: &str,
    what: &str,
) -> Result<String, FieldError> {
    let value = fields.get(name).trim();
    if value.is_empty() {
        return Err(FieldError::new(name, missing));
    }
    bounded(name, value, what)
}

fn bounded(name: &str, value: &str, what: &str) -> Result<String, FieldError> {
    if value.chars().count() > MAX_LINE {
        return Err(FieldError::new(
            name,
            format!("{what} must be {MAX_LINE} characters or fewer"),
        ));
    }
    Ok(value.to_owned())
}

/// A date that has happened: not after `today`.
pub(crate) fn past_date(
    fields: &FormFields,
    name: &str,
    label: &str,
    future: &str,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let date = fields.date(name, label)?;
    if date > today {
        return Err(FieldError::new(format!("{name}-day"), future));
    }
    Ok(date)
}

// ---------------------------------------------------------------------------------------------
// Proposing an address
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "cases/address_new.html")]
struct ProposePage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    errors: Vec<FieldError>,
    line1: String,
    line2: String,
    town: String,
    postcode: String,
    start: TypedDate,
    line1_error: Option<String>,
    line2_error: Option<String>,
    town_error: Option<String>,
    postcode_error: Option<String>,
    start_error: Option<String>,
}

fn propose_page(
    user: &CurrentUser,
    (name, crn): (String, String),
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ProposePage {
    let error_for = |field: &str| forms::message_for(&errors, field);
    let kept = |field: &str| fields.get(field).chars().take(MAX_LINE + 20).collect();
    ProposePage {
        chrome: Chrome::for_form(user, "Propose a new address", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        line1_error: error_for("line1"),
        line2_error: error_for("line2"),
        town_error: error_for("town"),
        postcode_error: error_for("postcode"),
        start_error: error_for("start-day"),
        line1: kept("line1"),
        line2: kept("line2"),
        town: kept("town"),
        postcode: kept("postcode"),
        start: fields.typed_date("start"),
        errors,
        name,
        crn,
    }
}

/// `GET /cases/{crn}/addresses/new`.
pub async fn propose_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let heading =
        crate::cases::access::heading_for_work(&state, &user, &crn, "view_address_form").await?;
    Ok(render(&propose_page(
        &user,
        heading,
        &FormFields::default(),
        Vec::new(),
    ))?
    .into_response())
}

/// Reads a proposed address: line 1, town and a real postcode are needed; line 2 is optional;
/// the expected moving date may be in the future.
fn read_address(fields: &FormFields) -> Result<NewAddress, Vec<FieldError>> {
    let mut validation = Validation::default();
    let line1 = validation.field(required_line(
        fields,
        "line1",
        "Enter the first line of the address",
        "Address line 1",
    ));
    let line2 = validation.field(match fields.filled("line2") {
        None => Ok(None),
        Some(value) => bounded("line2", value, "Address line 2").map(Some),
    });
    let town = validation.field(required_line(
        fields,
        "town",
        "Enter the town or city",
        "Town or city",
    ));
    let postcode = validation.field(match fields.filled("postcode") {
        None => Err(FieldError::new("postcode", "Enter the postcode")),
        Some(raw) => {
            Postcode::parse(raw).map_err(|error| FieldError::new("postcode", error.to_string()))
        }
    });
    let start = validation.field(fields.date("start", "the date they move in"));
    validation.finish(|| {
        Some(NewAddress {
            line1: line1?,
            line2: line2?,
            town: town?,
            postcode: postcode?,
            start_date: start?,
        })
    })
}

/// `POST /cases/{crn}/addresses/new`.
pub async fn propose(
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
        "propose_address",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let address = match read_address(&posted) {
                Ok(address) => address,
                Err(errors) => return Ok(Submission::Refused((heading, errors))),
            };
            let now = state.clock.now();
            let added = addresses::propose(conn, case.person_id, &address)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "propose_address",
                    case,
                    format!(
                        "address {}: before: none; after: {}",
                        added.id,
                        audited(&added)
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| redirect_done(&crn, "proposed", None),
        |(heading, errors)| propose_page(&user, heading, &fields, errors),
    )
}

// ---------------------------------------------------------------------------------------------
// Moving into a proposed address
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "cases/address_move.html")]
struct MovePage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    address: AddressView,
    /// The addresses the person lives at now, which become previous.
    leaving: Vec<AddressView>,
    errors: Vec<FieldError>,
    moved: TypedDate,
    moved_error: Option<String>,
}

/// What the move page needs from the record.
struct MoveData {
    heading: (String, String),
    target: AddressRecord,
    leaving: Vec<AddressRecord>,
}

fn load_move(conn: &mut AnyConnection, case: &LocatedCase, id: Uuid) -> Result<MoveData, AppError> {
    let all = case_record::addresses(conn, case.person_id)?;
    let target = all
        .iter()
        .find(|a| a.id == id && a.status == AddressStatus::Proposed && a.end_date.is_none())
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok(MoveData {
        heading: case_record::heading(conn, case.person_id)?,
        leaving: all
            .into_iter()
            .filter(|a| {
                a.end_date.is_none()
                    && !matches!(a.status, AddressStatus::Proposed | AddressStatus::Secondary)
            })
            .collect(),
        target,
    })
}

fn move_page(
    user: &CurrentUser,
    data: MoveData,
    moved: TypedDate,
    errors: Vec<FieldError>,
) -> MovePage {
    let (name, crn) = data.heading;
    MovePage {
        chrome: Chrome::for_form(user, "Make this the main address", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        address: AddressView::new(&data.target, &[]),
        leaving: data
            .leaving
            .iter()
            .map(|a| AddressView::new(a, &[]))
            .collect(),
        moved_error: forms::message_for(&errors, "moved-day"),
        moved,
        errors,
        name,
        crn,
    }
}

fn address_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// `GET /cases/{crn}/addresses/{address}/main`: the moving date starts as the date the address
/// was proposed from, when that has come.
pub async fn move_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = address_id(&raw)?;
    let today = state.clock.today();
    let data = open_case_for(
        &state,
        &user,
        &crn,
        "view_address_move",
        Need::Work,
        move |conn, case| load_move(conn, case, id),
    )
    .await?;
    let start = data.target.start_date;
    let moved = if start <= today {
        TypedDate {
            day: start.format("%-d").to_string(),
            month: start.format("%-m").to_string(),
            year: start.format("%Y").to_string(),
        }
    } else {
        TypedDate::default()
    };
    Ok(render(&move_page(&user, data, moved, Vec::new()))?.into_response())
}

/// Reads the moving date: not in the future, and not before they moved into where they live now.
fn read_moved(
    fields: &FormFields,
    leaving: &[AddressRecord],
    today: NaiveDate,
) -> Result<NaiveDate, Vec<FieldError>> {
    let moved = past_date(
        fields,
        "moved",
        "the date they moved in",
        "The date they moved in cannot be in the future: make the address main once they have moved",
        today,
    )
    .map_err(|e| vec![e])?;
    if let Some(latest) = leaving.iter().max_by_key(|a| a.start_date) {
        if moved < latest.start_date {
            return Err(vec![FieldError::new(
                "moved-day",
                format!(
                    "The date they moved in must be on or after {}, when they moved into {}",
                    format::date(latest.start_date),
                    latest.line1
                ),
            )]);
        }
    }
    Ok(moved)
}

/// Who lives with the person now, for the review task: the children named first.
fn household_note(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    today: NaiveDate,
) -> Result<String, AppError> {
    let members: Vec<_> = case_record::household(conn, case.person_id)?
        .into_iter()
        .filter(|m| m.end_date.is_none_or(|end| end > today))
        .collect();
    let children: Vec<String> = members
        .iter()
        .filter(|m| m.date_of_birth.is_some_and(|dob| is_child_on(dob, today)))
        .map(|m| {
            let age = m
                .date_of_birth
                .and_then(|dob| age_on(dob, today))
                .map(|a| format!(", age {a}"))
                .unwrap_or_default();
            format!(
                "{} {} ({}{age})",
                m.first_name,
                m.last_name,
                m.relationship.label().to_lowercase()
            )
        })
        .collect();
    Ok(match (members.len(), children.is_empty()) {
        (0, _) => "Nobody else is recorded as living with them.".to_owned(),
        (_, true) => format!(
            "{} other people live in the household; none is a child.",
            members.len()
        ),
        (_, false) => format!(
            "Children live in the household: {}. Consider the risk to them at the new address.",
            children.join("; ")
        ),
    })
}

/// `POST /cases/{crn}/addresses/{address}/main`: the move, its audit row and its consequences in
/// one transaction.
pub async fn make_main(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let id = address_id(&raw)?;
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "make_main_address",
        Need::Work,
        move |conn, case| {
            let data = load_move(conn, case, id)?;
            let now = state.clock.now();
            let today = now.date_naive();
            let moved_on = match read_moved(&posted, &data.leaving, today) {
                Ok(date) => date,
                Err(errors) => return Ok(Submission::Refused((data, errors))),
            };
            let moved = addresses::make_main(conn, case.person_id, id, moved_on)?;
            let details = format!(
                "Moved to {} on {}. {}",
                one_line(&moved.main),
                format::date(moved_on),
                household_note(conn, case, today)?
            );
            let done = consequences::follow(
                conn,
                case.person_id,
                Some(Review {
                    trigger: ReviewTrigger::AddressChange,
                    occurred_on: moved_on,
                    details,
                }),
                posted.by,
                now,
            )?;
            let before: Vec<String> = moved.left.iter().map(audited).collect();
            audit::record(
                conn,
                &posted.audit_on_case(
                    "make_main_address",
                    case,
                    format!(
                        "address {}: before: {} (lived at: {}); after: {}{}",
                        id,
                        audited(&data.target),
                        if before.is_empty() {
                            "none".to_owned()
                        } else {
                            before.join("; ")
                        },
                        audited(&moved.main),
                        consequence_note(&done.review, done.checks_offer.as_ref()),
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved((
                data.heading.1,
                done.review.map(|r| r.0),
            )))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |(crn, task)| redirect_done(&crn, "moved", task),
        |(data, errors)| {
            let typed = fields.typed_date("moved");
            move_page(&user, data, typed, errors)
        },
    )
}

/// What the audit row adds about the consequences: "; review due 2026-12-16; checks to offer:
/// police_domestic_abuse, childrens_services".
pub(crate) fn consequence_note(
    review: &Option<(Uuid, NaiveDate)>,
    offer: Option<&ChecksOffer>,
) -> String {
    let mut note = String::new();
    if let Some((_, due)) = review {
        note.push_str(&format!("; review due {due}"));
    }
    if let Some(offer) = offer {
        let kinds: Vec<&str> = offer.kinds.iter().map(|k| k.code()).collect();
        note.push_str(&format!("; checks to offer: {}", kinds.join(", ")));
    }
    note
}

// ---------------------------------------------------------------------------------------------
// Ending an address
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "cases/address_end.html")]
struct EndPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    address: AddressView,
    proposed: bool,
    errors: Vec<FieldError>,
    ended: TypedDate,
    ended_error: Option<String>,
}

fn load_end(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    id: Uuid,
) -> Result<((String, String), AddressRecord), AppError> {
    let address = addresses::find(conn, case.person_id, id)?;
    if address.end_date.is_some()
        || addresses::under_address_check(conn, case.person_id)?.contains(&id)
    {
        return Err(AppError::NotFound);
    }
    Ok((case_record::heading(conn, case.person_id)?, address))
}

fn end_page(
    user: &CurrentUser,
    ((name, crn), address): ((String, String), AddressRecord),
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> EndPage {
    let proposed = address.status == AddressStatus::Proposed;
    EndPage {
        chrome: Chrome::for_form(
            user,
            if proposed {
                "Withdraw a proposed address"
            } else {
                "End an address"
            },
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        address: AddressView::new(&address, &[]),
        proposed,
        ended_error: forms::message_for(&errors, "ended-day"),
        ended: fields.typed_date("ended"),
        errors,
        name,
        crn,
    }
}

/// `GET /cases/{crn}/addresses/{address}/end`.
pub async fn end_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = address_id(&raw)?;
    let data = open_case_for(
        &state,
        &user,
        &crn,
        "view_address_end",
        Need::Work,
        move |conn, case| load_end(conn, case, id),
    )
    .await?;
    Ok(render(&end_page(&user, data, &FormFields::default(), Vec::new()))?.into_response())
}

/// Reads the end date: not in the future and, for an address lived at, not before it began.
fn read_ended(
    fields: &FormFields,
    address: &AddressRecord,
    today: NaiveDate,
) -> Result<NaiveDate, Vec<FieldError>> {
    let ended = past_date(
        fields,
        "ended",
        "the date it ended",
        "The date it ended cannot be in the future",
        today,
    )
    .map_err(|e| vec![e])?;
    if address.status != AddressStatus::Proposed && ended < address.start_date {
        return Err(vec![FieldError::new(
            "ended-day",
            format!(
                "The date it ended must be on or after {}, when they moved in",
                format::date(address.start_date)
            ),
        )]);
    }
    Ok(ended)
}

/// `POST /cases/{crn}/addresses/{address}/end`.
pub async fn end(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let id = address_id(&raw)?;
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "end_address",
        Need::Work,
        move |conn, case| {
            let (heading, address) = load_end(conn, case, id)?;
            let now = state.clock.now();
            let ended_on = match read_ended(&posted, &address, now.date_naive()) {
                Ok(date) => date,
                Err(errors) => return Ok(Submission::Refused(((heading, address), errors))),
            };
            let (before, after) = addresses::end(conn, case.person_id, id, ended_on)?;
            let done = consequences::follow(conn, case.person_id, None, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "end_address",
                    case,
                    format!(
                        "address {id}: before: {}; after: {}{}",
                        audited(&before),
                        audited(&after),
                        consequence_note(&done.review, done.checks_offer.as_ref())
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| redirect_done(&crn, "ended", None),
        |(data, errors)| end_page(&user, data, &fields, errors),
    )
}

/// The review task a redirect names, if it is this person's (for the banner).
pub(crate) fn banner(done: &Done, tasks: &[TaskRecord]) -> Option<ChangeBanner> {
    done.done
        .as_deref()
        .and_then(|d| ChangeBanner::new(d, done.task.as_deref(), tasks))
}
