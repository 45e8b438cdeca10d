//! `GET/POST /cases/{crn}/allocate`: a senior probation officer (or the head of PDU) allocates a
//! case to a practitioner of its PDU (reference §9). The screen lists the candidates as the domain
//! ranks them — probation officers, then probation services officers, then trainees, lowest
//! potential capacity first — with the grade guidance; allocating against the guidance needs a
//! recorded reason ([`check_override`]). Allocating creates the practitioner's task to arrange the
//! induction appointment (`storage::allocation::allocate`).

use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, Validation};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::text::{LongText, TextError};
use keepsafe_domain::workload::{
    case_points, check_override, needs_probation_officer, rank, AllocationCase, Candidate,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::workload::{self, allocation};
use keepsafe_storage::{AnyConnection, StorageError};
use uuid::Uuid;

/// One candidate as the radios show them.
struct CandidateView {
    id: String,
    name: String,
    hint: String,
    guidance: Option<String>,
    recommended: bool,
    checked: bool,
}

/// Everything about the case and the candidates, read in the case's transaction.
struct Allocation {
    reallocating: bool,
    name: String,
    crn: String,
    rosh: String,
    mappa: String,
    guidance: Option<String>,
    case: AllocationCase,
    new_case_points: u32,
    points_note: String,
    /// Ranked candidates with each one's name and grade, as the domain ordered them.
    candidates: Vec<(keepsafe_domain::workload::RankedCandidate, String, String)>,
}

#[derive(Template)]
#[template(path = "workload/allocate.html")]
struct AllocatePage {
    chrome: Chrome,
    /// "Allocate" for a waiting case, "Reallocate" for one already allocated.
    verb: &'static str,
    csrf_token: String,
    name: String,
    crn: String,
    rosh: String,
    mappa: String,
    guidance: Option<String>,
    points_note: String,
    candidates: Vec<CandidateView>,
    errors: Vec<FieldError>,
    reason: String,
    override_reason: String,
    staff_error: Option<String>,
    reason_error: Option<String>,
    override_error: Option<String>,
}

fn whole_percent(percent: Option<f64>) -> String {
    percent.map_or_else(
        || "no available points".to_owned(),
        |p| format!("{}%", p.round()),
    )
}

/// Reads the case and ranks the practitioners of its PDU for it, on `today`.
fn read(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    today: NaiveDate,
) -> Result<Allocation, AppError> {
    let (name, crn) = case_record::heading(conn, case.person_id)?;
    let facts = allocation::case_for_allocation(conn, case.person_id, today)?;
    let weights = workload::weights_on(today)?;
    let (new_case_points, points_note) = match (facts.case_type, facts.tier, facts.age) {
        (Some(case_type), Some(tier), Some(age)) => {
            let points = case_points(case_type, tier, age, &weights).points;
            (
                points,
                format!(
                    "This case scores {points} points ({}, tier {}, age {age}; weights {}).",
                    case_type.label().to_lowercase(),
                    tier.code(),
                    weights.version
                ),
            )
        }
        (None, _, _) => (
            0,
            "This case has no active event, so it scores no points yet.".to_owned(),
        ),
        _ => (
            0,
            "The tiers have not been computed for this case, so it scores no points yet."
                .to_owned(),
        ),
    };
    let allocation_case = AllocationCase {
        rosh: facts.rosh,
        mappa_level: facts.mappa_level,
    };
    let people: Vec<_> = workload::for_pdu(conn, facts.pdu_id, today)?
        .into_iter()
        .filter(|p| p.active && p.grade.holds_caseload())
        .collect();
    let candidates: Vec<Candidate> = people
        .iter()
        .map(|p| p.as_candidate(facts.previous_staff.contains(&p.staff_id)))
        .collect();
    let ranked = rank(&candidates, new_case_points, &allocation_case)
        .into_iter()
        .filter_map(|r| {
            let p = people.iter().find(|p| p.staff_id == r.staff_id)?;
            let now = whole_percent(p.percent);
            let with = whole_percent(r.potential_percent);
            let mut hint = format!(
                "{}, {}: {now} now, {with} with this case",
                r.grade.label(),
                p.team
            );
            if r.previously_managed {
                hint.push_str("; managed this person before");
            }
            Some((r, p.name.clone(), hint))
        })
        .collect();
    Ok(Allocation {
        reallocating: case.location.team.is_some(),
        name,
        crn,
        rosh: facts
            .rosh
            .map_or("Not assessed", |level| level.label())
            .to_owned(),
        mappa: facts
            .mappa_level
            .map_or("None", |level| level.label())
            .to_owned(),
        guidance: needs_probation_officer(&allocation_case)
            .map(|why| format!("{why}: this case should go to a probation officer.")),
        case: allocation_case,
        new_case_points,
        points_note,
        candidates: ranked,
    })
}

fn page(
    user: &CurrentUser,
    allocation: Allocation,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> AllocatePage {
    let error_for = |field: &str| forms::message_for(&errors, field);
    let verb = if allocation.reallocating {
        "Reallocate"
    } else {
        "Allocate"
    };
    let chosen = fields.get("staff");
    AllocatePage {
        verb,
        chrome: Chrome::for_form(user, format!("{verb} the case"), &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name: allocation.name,
        crn: allocation.crn,
        rosh: allocation.rosh,
        mappa: allocation.mappa,
        guidance: allocation.guidance,
        points_note: allocation.points_note,
        candidates: allocation
            .candidates
            .into_iter()
            .map(|(ranked, name, hint)| CandidateView {
                id: ranked.staff_id.to_string(),
                checked: ranked.staff_id.to_string() == chosen,
                name,
                hint,
                guidance: ranked.guidance,
                recommended: ranked.recommended,
            })
            .collect(),
        staff_error: error_for("staff"),
        reason_error: error_for("reason"),
        override_error: error_for("override-reason"),
        errors,
        reason: fields.get("reason").chars().take(12_000).collect(),
        override_reason: fields.get("override-reason").chars().take(12_000).collect(),
    }
}

/// `GET /cases/{crn}/allocate`.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let clock = state.clock;
    let allocation = open_case_for(
        &state,
        &user,
        &crn,
        "view_allocation",
        Need::ManageRisk,
        move |conn, case| read(conn, case, clock.today()),
    )
    .await?;
    Ok(render(&page(&user, allocation, &FormFields::default(), Vec::new()))?.into_response())
}

/// Whom the case goes to, as the form chose from the candidates: their id, grade and name.
type Chosen = (Uuid, keepsafe_domain::staff::Grade, String);

/// Reads the form against the ranked candidates: who (one of them), why, and the reason for
/// going against the grade guidance where the domain needs one.
fn read_choice(
    fields: &FormFields,
    allocation: &Allocation,
) -> Result<(Chosen, LongText), Vec<FieldError>> {
    let mut validation = Validation::default();
    let chosen = Uuid::parse_str(fields.get("staff")).ok().and_then(|id| {
        allocation
            .candidates
            .iter()
            .find(|(ranked, _, _)| ranked.staff_id == id)
            .map(|(ranked, name, _)| (ranked.staff_id, ranked.grade, name.clone()))
    });
    let chosen = validation.required(chosen, "staff", "Select who to allocate the case to");
    let reason = validation.field(LongText::required(fields.get("reason")).map_err(|error| {
        let message = match error {
            TextError::Missing => "Enter why you are allocating the case to them".to_owned(),
            error => format!("The reason {error}"),
        };
        FieldError::new("reason", message)
    }));
    if let Some((_, grade, _)) = &chosen {
        let override_text = fields.get("override-reason").trim();
        if let Err(refused) = check_override(*grade, &allocation.case, override_text) {
            validation.add(FieldError::new("override-reason", refused.to_string()));
        }
    }
    validation.finish(|| Some((chosen?, reason?)))
}

/// `POST /cases/{crn}/allocate`.
pub async fn allocate(
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
        "allocate_case",
        Need::ManageRisk,
        move |conn, case| {
            let now = state.clock.now();
            let today = now.date_naive();
            let allocation = read(conn, case, today)?;
            let ((staff_id, grade, staff_name), reason) = match read_choice(&posted, &allocation) {
                Ok(read) => read,
                Err(errors) => return Ok(Submission::Refused((allocation, errors))),
            };
            let override_reason = posted.filled("override-reason");
            let done = match allocation::allocate(
                conn,
                case.person_id,
                staff_id,
                reason.as_str(),
                override_reason,
                posted.by,
                today,
                now,
            ) {
                Ok(done) => done,
                Err(StorageError::Conflict(message)) => {
                    let errors = vec![FieldError::new("staff", message)];
                    return Ok(Submission::Refused((allocation, errors)));
                }
                Err(other) => return Err(other.into()),
            };
            audit::record(
                conn,
                &posted.audit_on_case(
                    "allocate_case",
                    case,
                    format!(
                        "allocated to {staff_name} ({}); {} points{}; {} task due {}",
                        grade.code(),
                        allocation.new_case_points,
                        if override_reason.is_some() {
                            "; grade guidance overridden"
                        } else {
                            ""
                        },
                        done.task_kind,
                        done.task_due_on
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(allocation.crn))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&format!("/cases/{crn}")),
        |(allocation, errors)| page(&user, allocation, &fields, errors),
    )
}
