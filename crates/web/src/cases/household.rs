//! The household, kept current: `GET /cases/{crn}/household` lists who lives with the person now
//! and who used to; `…/household/new` adds someone who joined; `…/household/{member}` corrects a
//! relationship or date of birth; `…/household/{member}/left` records that they left. Each change
//! is one transaction with its audit row (before and after) and its [`consequences`]: a new
//! member — a child especially — calls for a review of the risk assessment when one is in force,
//! and for the police and children's-services checks again.

use crate::cases::access::{open_case, open_case_for, Need};
use crate::cases::addresses::{banner, consequence_note, may_work, past_date, required_line, Done};
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
use keepsafe_domain::age::{age_on, is_child_on};
use keepsafe_domain::household::Relationship;
use keepsafe_domain::review::ReviewTrigger;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::consequences::{self, Review};
use keepsafe_storage::cases::household::{self, NewMember};
use keepsafe_storage::cases::record::{self as case_record, HouseholdRecord, LocatedCase};
use keepsafe_storage::cases::tasks as review_tasks;
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "cases/household.html")]
struct HouseholdPage {
    chrome: Chrome,
    name: String,
    crn: String,
    may_work: bool,
    banner: Option<ChangeBanner>,
    checks_offer: Option<ChecksOfferView>,
    current: Vec<MemberView>,
    past: Vec<MemberView>,
}

struct MemberView {
    id: String,
    name: String,
    relationship: String,
    /// "12 (born 3 March 2014)", or "Not known".
    age: String,
    is_child: bool,
    /// "Since 2 December 2026", or "2 May 2020 to 1 June 2024".
    dates: String,
}

impl MemberView {
    fn new(member: &HouseholdRecord, today: NaiveDate) -> Self {
        Self {
            id: member.id.to_string(),
            name: format!("{} {}", member.first_name, member.last_name),
            relationship: member.relationship.label().to_owned(),
            age: member
                .date_of_birth
                .map(|dob| match age_on(dob, today) {
                    Some(age) => format!("{age} (born {})", format::date(dob)),
                    None => format!("Born {}", format::date(dob)),
                })
                .unwrap_or_else(|| "Not known".into()),
            is_child: member
                .date_of_birth
                .is_some_and(|dob| is_child_on(dob, today)),
            dates: match member.end_date {
                Some(end) => format!(
                    "{} to {}",
                    format::date(member.start_date),
                    format::date(end)
                ),
                None => format!("Since {}", format::date(member.start_date)),
            },
        }
    }
}

fn living_there(member: &HouseholdRecord, today: NaiveDate) -> bool {
    member.end_date.is_none_or(|end| end > today)
}

/// The member as the audit log keeps it before or after a change.
fn audited(member: &HouseholdRecord) -> String {
    format!(
        "{} {} [{}] born {} from {}{}",
        member.first_name,
        member.last_name,
        member.relationship.code(),
        member
            .date_of_birth
            .map_or_else(|| "unknown".to_owned(), |d| d.to_string()),
        member.start_date,
        member
            .end_date
            .map(|d| format!(" to {d}"))
            .unwrap_or_default()
    )
}

/// `GET /cases/{crn}/household`.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let actor = user.account.actor();
    let (heading, members, tasks, offer, may) =
        open_case(&state, &user, &crn, "view_household", move |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                case_record::household(conn, case.person_id)?,
                review_tasks::for_person(conn, case.person_id)?,
                consequences::checks_offer(conn, case.person_id, today)?,
                may_work(&actor, case),
            ))
        })
        .await?;
    let (name, crn) = heading;
    let page = HouseholdPage {
        chrome: Chrome::for_user(&user, format!("Household: {name} ({crn})"), ""),
        banner: banner(&done, &tasks),
        checks_offer: offer
            .filter(|_| may)
            .map(|o| ChecksOfferView::new(&o, &crn, &user.csrf_token)),
        current: members
            .iter()
            .filter(|m| living_there(m, today))
            .map(|m| MemberView::new(m, today))
            .collect(),
        past: members
            .iter()
            .filter(|m| !living_there(m, today))
            .map(|m| MemberView::new(m, today))
            .collect(),
        may_work: may,
        name,
        crn,
    };
    Ok(render(&page)?.into_response())
}

fn redirect_done(crn: &str, done: &str, task: Option<Uuid>) -> Redirect {
    let task = task.map(|t| format!("&task={t}")).unwrap_or_default();
    Redirect::to(&format!("/cases/{crn}/household?done={done}{task}"))
}

/// The relationships as radios: (code, label, chosen).
fn relationship_choices(chosen: &str) -> Vec<(String, String, bool)> {
    Relationship::ALL
        .iter()
        .map(|r| {
            (
                r.code().to_owned(),
                r.label().to_owned(),
                r.code() == chosen,
            )
        })
        .collect()
}

/// An optional date of birth: blank is "not known"; anything typed must be a real date that has
/// come.
fn read_date_of_birth(
    fields: &FormFields,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, FieldError> {
    let typed = fields.typed_date("dob");
    if [typed.day, typed.month, typed.year]
        .iter()
        .all(|part| part.trim().is_empty())
    {
        return Ok(None);
    }
    past_date(
        fields,
        "dob",
        "their date of birth",
        "Their date of birth must be in the past",
        today,
    )
    .map(Some)
}

/// What to say on the review task when someone joins: a child or a partner named as such.
fn joined_review(member: &HouseholdRecord, today: NaiveDate) -> Review {
    let name = format!("{} {}", member.first_name, member.last_name);
    let relationship = member.relationship.label().to_lowercase();
    let details = match member.date_of_birth.filter(|dob| is_child_on(*dob, today)) {
        Some(dob) => format!(
            "A child joined the household on {}: {name} ({relationship}, age {}). Review the \
             risk to children and ask children's services what they know.",
            format::date(member.start_date),
            age_on(dob, today).unwrap_or_default()
        ),
        None if member.relationship.is_intimate_partner() => format!(
            "A new partner joined the household on {}: {name} ({relationship}). Review the \
             domestic-abuse risk.",
            format::date(member.start_date)
        ),
        None => format!(
            "{name} ({relationship}) joined the household on {}.",
            format::date(member.start_date)
        ),
    };
    Review {
        trigger: ReviewTrigger::HouseholdChange,
        occurred_on: member.start_date,
        details,
    }
}

// ---------------------------------------------------------------------------------------------
// Someone joins
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "cases/household_new.html")]
struct JoinPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    errors: Vec<FieldError>,
    first_name: String,
    last_name: String,
    relationships: Vec<(String, String, bool)>,
    dob: TypedDate,
    joined: TypedDate,
    first_name_error: Option<String>,
    last_name_error: Option<String>,
    relationship_error: Option<String>,
    dob_error: Option<String>,
    joined_error: Option<String>,
}

fn join_page(
    user: &CurrentUser,
    (name, crn): (String, String),
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> JoinPage {
    let error_for = |field: &str| forms::message_for(&errors, field);
    let kept = |field: &str| fields.get(field).chars().take(120).collect();
    JoinPage {
        chrome: Chrome::for_form(user, "Add someone to the household", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        first_name_error: error_for("first-name"),
        last_name_error: error_for("last-name"),
        relationship_error: error_for("relationship"),
        dob_error: error_for("dob-day"),
        joined_error: error_for("joined-day"),
        first_name: kept("first-name"),
        last_name: kept("last-name"),
        relationships: relationship_choices(fields.get("relationship")),
        dob: fields.typed_date("dob"),
        joined: fields.typed_date("joined"),
        errors,
        name,
        crn,
    }
}

/// `GET /cases/{crn}/household/new`.
pub async fn join_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let heading =
        crate::cases::access::heading_for_work(&state, &user, &crn, "view_household_form").await?;
    Ok(render(&join_page(
        &user,
        heading,
        &FormFields::default(),
        Vec::new(),
    ))?
    .into_response())
}

fn read_member(fields: &FormFields, today: NaiveDate) -> Result<NewMember, Vec<FieldError>> {
    let mut validation = Validation::default();
    let first_name = validation.field(required_line(
        fields,
        "first-name",
        "Enter their first name",
        "First name",
    ));
    let last_name = validation.field(required_line(
        fields,
        "last-name",
        "Enter their last name",
        "Last name",
    ));
    let relationship = validation.required(
        Relationship::parse(fields.get("relationship")).ok(),
        "relationship",
        "Select how they are related to the person on probation",
    );
    let date_of_birth = validation.field(read_date_of_birth(fields, today));
    let joined = validation.field(past_date(
        fields,
        "joined",
        "the date they started living there",
        "The date they started living there cannot be in the future",
        today,
    ));
    if let (Some(Some(dob)), Some(joined)) = (date_of_birth, joined) {
        if joined < dob {
            validation.add(FieldError::new(
                "joined-day",
                "The date they started living there must be after their date of birth",
            ));
        }
    }
    validation.finish(|| {
        Some(NewMember {
            first_name: first_name?,
            last_name: last_name?,
            relationship: relationship?,
            date_of_birth: date_of_birth?,
            joined_on: joined?,
        })
    })
}

/// `POST /cases/{crn}/household/new`.
pub async fn join(
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
        "add_household_member",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let now = state.clock.now();
            let today = now.date_naive();
            let member = match read_member(&posted, today) {
                Ok(member) => member,
                Err(errors) => return Ok(Submission::Refused((heading, errors))),
            };
            let added = household::add(conn, case.person_id, &member)?;
            let done = consequences::follow(
                conn,
                case.person_id,
                Some(joined_review(&added, today)),
                posted.by,
                now,
            )?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "add_household_member",
                    case,
                    format!(
                        "member {}: before: none; after: {}{}",
                        added.id,
                        audited(&added),
                        consequence_note(&done.review, done.checks_offer.as_ref())
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved((heading.1, done.review.map(|r| r.0))))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |(crn, task)| redirect_done(&crn, "joined", task),
        |(heading, errors)| join_page(&user, heading, &fields, errors),
    )
}

// ---------------------------------------------------------------------------------------------
// Correcting a relationship or date of birth
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "cases/household_change.html")]
struct CorrectPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    member_id: String,
    member_name: String,
    /// The values the form was opened with, sent back so a change made meanwhile is noticed.
    seen_relationship: String,
    seen_dob: String,
    errors: Vec<FieldError>,
    relationships: Vec<(String, String, bool)>,
    dob: TypedDate,
    relationship_error: Option<String>,
    dob_error: Option<String>,
}

type Loaded = ((String, String), HouseholdRecord);

fn load_member(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    id: Uuid,
    today: NaiveDate,
) -> Result<Loaded, AppError> {
    let member = household::find(conn, case.person_id, id)?;
    if !living_there(&member, today) {
        return Err(AppError::NotFound);
    }
    Ok((case_record::heading(conn, case.person_id)?, member))
}

fn correct_page(
    user: &CurrentUser,
    ((name, crn), member): Loaded,
    fields: Option<&FormFields>,
    errors: Vec<FieldError>,
) -> CorrectPage {
    let (relationship, dob, seen_relationship, seen_dob) = match fields {
        Some(fields) => (
            fields.get("relationship").to_owned(),
            fields.typed_date("dob"),
            fields.get("seen-relationship").chars().take(40).collect(),
            fields.get("seen-dob").chars().take(10).collect(),
        ),
        None => (
            member.relationship.code().to_owned(),
            member
                .date_of_birth
                .map(|d| TypedDate {
                    day: d.format("%-d").to_string(),
                    month: d.format("%-m").to_string(),
                    year: d.format("%Y").to_string(),
                })
                .unwrap_or_default(),
            member.relationship.code().to_owned(),
            member
                .date_of_birth
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
    };
    CorrectPage {
        chrome: Chrome::for_form(user, "Change a household member's details", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        member_id: member.id.to_string(),
        member_name: format!("{} {}", member.first_name, member.last_name),
        seen_relationship,
        seen_dob,
        relationships: relationship_choices(&relationship),
        dob,
        relationship_error: forms::message_for(&errors, "relationship"),
        dob_error: forms::message_for(&errors, "dob-day"),
        errors,
        name,
        crn,
    }
}

fn member_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// `GET /cases/{crn}/household/{member}`.
pub async fn correct_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = member_id(&raw)?;
    let today = state.clock.today();
    let data = open_case_for(
        &state,
        &user,
        &crn,
        "view_household_member",
        Need::Work,
        move |conn, case| load_member(conn, case, id, today),
    )
    .await?;
    Ok(render(&correct_page(&user, data, None, Vec::new()))?.into_response())
}

/// The values the form was opened with; unreadable ones are a form not sent by keepsafe.
fn read_seen(fields: &FormFields) -> Result<(Relationship, Option<NaiveDate>), AppError> {
    let relationship = Relationship::parse(fields.get("seen-relationship"))
        .map_err(|_| AppError::BadRequest("The form is incomplete: open the page again".into()))?;
    let dob = match fields.filled("seen-dob") {
        None => None,
        Some(raw) => Some(raw.parse::<NaiveDate>().map_err(|_| {
            AppError::BadRequest("The form is incomplete: open the page again".into())
        })?),
    };
    Ok((relationship, dob))
}

/// `POST /cases/{crn}/household/{member}`: a correction; one that shows a child or a new partner
/// living there calls for a review as a new member would.
pub async fn correct(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let id = member_id(&raw)?;
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "change_household_member",
        Need::Work,
        move |conn, case| {
            let now = state.clock.now();
            let today = now.date_naive();
            let loaded = load_member(conn, case, id, today)?;
            let seen = read_seen(&posted)?;
            let mut validation = Validation::default();
            let relationship = validation.required(
                Relationship::parse(posted.get("relationship")).ok(),
                "relationship",
                "Select how they are related to the person on probation",
            );
            let dob = validation.field(read_date_of_birth(&posted, today));
            let (relationship, dob) = match validation.finish(|| Some((relationship?, dob?))) {
                Ok(values) => values,
                Err(errors) => return Ok(Submission::Refused((loaded, errors))),
            };
            let (before, after) =
                household::correct(conn, case.person_id, id, seen, relationship, dob)?;
            let child =
                |m: &HouseholdRecord| m.date_of_birth.is_some_and(|d| is_child_on(d, today));
            let newly_child = child(&after) && !child(&before);
            let newly_partner = after.relationship.is_intimate_partner()
                && !before.relationship.is_intimate_partner();
            let review = (newly_child || newly_partner).then(|| {
                let mut review = joined_review(&after, today);
                review.occurred_on = today;
                review.details = format!(
                    "Details corrected on {}. {}",
                    format::date(today),
                    review.details
                );
                review
            });
            let done = consequences::follow(conn, case.person_id, review, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "change_household_member",
                    case,
                    format!(
                        "member {id}: before: {}; after: {}{}",
                        audited(&before),
                        audited(&after),
                        consequence_note(&done.review, done.checks_offer.as_ref())
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved((loaded.0 .1, done.review.map(|r| r.0))))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |(crn, task)| redirect_done(&crn, "corrected", task),
        |(loaded, errors)| correct_page(&user, loaded, Some(&fields), errors),
    )
}

// ---------------------------------------------------------------------------------------------
// Someone leaves
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "cases/household_left.html")]
struct LeftPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    member_id: String,
    member_name: String,
    errors: Vec<FieldError>,
    left: TypedDate,
    left_error: Option<String>,
}

fn left_page(
    user: &CurrentUser,
    ((name, crn), member): Loaded,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> LeftPage {
    LeftPage {
        chrome: Chrome::for_form(user, "Record that someone left the household", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        member_id: member.id.to_string(),
        member_name: format!("{} {}", member.first_name, member.last_name),
        left_error: forms::message_for(&errors, "left-day"),
        left: fields.typed_date("left"),
        errors,
        name,
        crn,
    }
}

/// `GET /cases/{crn}/household/{member}/left`.
pub async fn left_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = member_id(&raw)?;
    let today = state.clock.today();
    let data = open_case_for(
        &state,
        &user,
        &crn,
        "view_household_member",
        Need::Work,
        move |conn, case| load_member(conn, case, id, today),
    )
    .await?;
    Ok(render(&left_page(&user, data, &FormFields::default(), Vec::new()))?.into_response())
}

/// `POST /cases/{crn}/household/{member}/left`.
pub async fn left(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let id = member_id(&raw)?;
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "household_member_left",
        Need::Work,
        move |conn, case| {
            let now = state.clock.now();
            let today = now.date_naive();
            let loaded = load_member(conn, case, id, today)?;
            let left_on = match past_date(
                &posted,
                "left",
                "the date they left",
                "The date they left cannot be in the future",
                today,
            ) {
                Ok(date) if date < loaded.1.start_date => {
                    let message = format!(
                        "The date they left must be on or after {}, when they started living there",
                        format::date(loaded.1.start_date)
                    );
                    return Ok(Submission::Refused((
                        loaded,
                        vec![FieldError::new("left-day", message)],
                    )));
                }
                Ok(date) => date,
                Err(error) => return Ok(Submission::Refused((loaded, vec![error]))),
            };
            let (before, after) = household::left(conn, case.person_id, id, left_on)?;
            let done = consequences::follow(conn, case.person_id, None, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "household_member_left",
                    case,
                    format!(
                        "member {id}: before: {}; after: {}{}",
                        audited(&before),
                        audited(&after),
                        consequence_note(&done.review, done.checks_offer.as_ref())
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(loaded.0 .1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| redirect_done(&crn, "left", None),
        |(loaded, errors)| left_page(&user, loaded, &fields, errors),
    )
}
