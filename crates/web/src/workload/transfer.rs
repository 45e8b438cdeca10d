//! `GET/POST /workload/staff/{staff}/transfer`: a senior probation officer (or the head of PDU)
//! moves some or all of a practitioner's cases to another practitioner of the PDU — to cover an
//! absence, because they are leaving, or to even out workloads (reference §13). The candidates are
//! ranked as for a new allocation, with their capacity after the move; the grade guidance applies to
//! every case moved (`domain::workload::transfer`). The move is one transaction: every case moves,
//! with a handover task each and an audit row each, or none does.

use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, Validation};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::workload::access::{open_staff, refused, StaffNeed};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{NaiveDate, Utc};
use keepsafe_domain::workload::{
    check_transfer, needs_probation_officer, rank, AllocationCase, ApprovedTransfer, Candidate,
    CaseToMove, TransferReason, TransferRequest,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry};
use keepsafe_storage::workload::allocation::{self, Move};
use keepsafe_storage::workload::{self, CaseWorkload, PractitionerWorkload};
use keepsafe_storage::{AnyConnection, StorageError};
use std::collections::HashMap;
use uuid::Uuid;

/// One of the practitioner's cases, as the checkboxes show it.
struct CaseChoice {
    person_id: String,
    crn: String,
    hint: String,
    checked: bool,
}

/// One practitioner the cases could go to.
struct TargetChoice {
    id: String,
    name: String,
    hint: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "workload/transfer.html")]
struct TransferPage {
    chrome: Chrome,
    csrf_token: String,
    staff_id: String,
    name: String,
    summary: String,
    cases: Vec<CaseChoice>,
    targets: Vec<TargetChoice>,
    reasons: Vec<(&'static str, &'static str, bool)>,
    details: String,
    override_reason: String,
    needing_officer: Vec<String>,
    errors: Vec<FieldError>,
    cases_error: Option<String>,
    to_error: Option<String>,
    reason_error: Option<String>,
    details_error: Option<String>,
    override_error: Option<String>,
}

/// The practitioner's cases and the PDU's other practitioners, read in the request's transaction.
struct Caseload {
    from: PractitionerWorkload,
    others: Vec<PractitionerWorkload>,
    /// Grade guidance facts per person id.
    guidance: HashMap<Uuid, AllocationCase>,
}

fn read(
    conn: &mut AnyConnection,
    staff_id: Uuid,
    pdu_id: Uuid,
    today: NaiveDate,
) -> Result<Caseload, AppError> {
    let mut people = workload::for_pdu(conn, pdu_id, today)?;
    let at = people
        .iter()
        .position(|p| p.staff_id == staff_id)
        .ok_or(AppError::NotFound)?;
    let from = people.remove(at);
    let others = people
        .into_iter()
        .filter(|p| p.active && p.grade.holds_caseload())
        .collect();
    let keys: Vec<String> = from
        .case_list
        .iter()
        .map(|c| c.person_id.to_string())
        .collect();
    let guidance = allocation::guidance_for(conn, &keys, today)?
        .into_iter()
        .map(|(key, case)| {
            Ok((
                Uuid::parse_str(&key).map_err(|e| AppError::Internal(e.to_string()))?,
                case,
            ))
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Caseload {
        from,
        others,
        guidance,
    })
}

fn percent(p: Option<f64>) -> String {
    p.map_or_else(
        || "no available points".to_owned(),
        |p| format!("{}%", p.round()),
    )
}

fn page(
    user: &CurrentUser,
    load: &Caseload,
    fields: &FormFields,
    errors: Vec<FieldError>,
    first_view: bool,
) -> TransferPage {
    let chosen: Vec<&str> = fields
        .0
        .iter()
        .filter(|(k, _)| k == "cases")
        .map(|(_, v)| v.as_str())
        .collect();
    let selected: Vec<&keepsafe_storage::workload::CaseWorkload> = load
        .from
        .case_list
        .iter()
        .filter(|c| first_view || chosen.contains(&c.person_id.to_string().as_str()))
        .collect();
    let selected_points: u32 = selected.iter().map(|c| c.points).sum();
    let candidates: Vec<Candidate> = load.others.iter().map(|p| p.as_candidate(false)).collect();
    let to = fields.get("to");
    let targets = rank(&candidates, selected_points, &AllocationCase::default())
        .into_iter()
        .filter_map(|r| {
            let p = load.others.iter().find(|p| p.staff_id == r.staff_id)?;
            Some(TargetChoice {
                id: r.staff_id.to_string(),
                name: p.name.clone(),
                hint: format!(
                    "{}, {}: {} now, {} with the {} selected case{} ({} points)",
                    r.grade.label(),
                    p.team,
                    percent(p.percent),
                    percent(r.potential_percent),
                    selected.len(),
                    if selected.len() == 1 { "" } else { "s" },
                    selected_points
                ),
                checked: to == r.staff_id.to_string(),
            })
        })
        .collect();
    let needing_officer = load
        .from
        .case_list
        .iter()
        .filter_map(|c| {
            let why = needs_probation_officer(load.guidance.get(&c.person_id)?)?;
            Some(format!("{} ({why})", c.crn))
        })
        .collect();
    let error_for = |field: &str| forms::message_for(&errors, field);
    let reason = fields.get("reason");
    TransferPage {
        chrome: Chrome::for_form(
            user,
            format!("Move cases: {}", load.from.name),
            &errors,
            "/workload",
        ),
        csrf_token: user.csrf_token.clone(),
        staff_id: load.from.staff_id.to_string(),
        name: load.from.name.clone(),
        summary: format!(
            "{}, {}: {} cases, {} points, {} of capacity.",
            load.from.grade.label(),
            load.from.team,
            load.from.cases,
            load.from.total_points,
            percent(load.from.percent)
        ),
        cases: load
            .from
            .case_list
            .iter()
            .map(|c| {
                let key = c.person_id.to_string();
                let guidance = load
                    .guidance
                    .get(&c.person_id)
                    .and_then(needs_probation_officer)
                    .map(|why| format!("; {why}: should go to a probation officer"))
                    .unwrap_or_default();
                CaseChoice {
                    checked: first_view || chosen.contains(&key.as_str()),
                    hint: format!(
                        "{}, tier {}, {} points{guidance}",
                        c.case_type.map_or("No active sentence", |t| t.label()),
                        c.tier.map_or("not computed", |t| t.code()),
                        c.points
                    ),
                    person_id: key,
                    crn: c.crn.clone(),
                }
            })
            .collect(),
        targets,
        reasons: TransferReason::ALL
            .iter()
            .map(|r| (r.code(), r.label(), r.code() == reason))
            .collect(),
        details: fields.get("details").chars().take(12_000).collect(),
        override_reason: fields.get("override-reason").chars().take(12_000).collect(),
        needing_officer,
        cases_error: error_for("cases"),
        to_error: error_for("to"),
        reason_error: error_for("reason"),
        details_error: error_for("details"),
        override_error: error_for("override-reason"),
        errors,
    }
}

/// `GET /workload/staff/{staff}/transfer`.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let staff_id = Uuid::parse_str(&raw).map_err(|_| AppError::NotFound)?;
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let today = state.clock.today();
    let load = state
        .write(move |conn| {
            let opened = match open_staff(
                conn,
                &actor,
                &actor_name,
                staff_id,
                "view_transfer",
                StaffNeed::Manage,
                now,
            )? {
                Ok(opened) => opened,
                Err(refusal) => return Ok(Err(refusal)),
            };
            Ok(Ok(read(conn, staff_id, opened.team.pdu_id, today)?))
        })
        .await?
        .map_err(refused)?;
    Ok(render(&page(
        &user,
        &load,
        &FormFields::default(),
        Vec::new(),
        true,
    ))?
    .into_response())
}

/// `POST /workload/staff/{staff}/transfer`.
pub async fn transfer(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let staff_id = Uuid::parse_str(&raw).map_err(|_| AppError::NotFound)?;
    let actor = user.account.actor();
    let posted = Posted::new(&user, &fields);
    let outcome = state
        .write(move |conn| {
            let now = state.clock.now();
            let today = now.date_naive();
            let opened = match open_staff(
                conn,
                &actor,
                &posted.actor_name,
                staff_id,
                "transfer_cases",
                StaffNeed::Manage,
                now,
            )? {
                Ok(opened) => opened,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let load = read(conn, staff_id, opened.team.pdu_id, today)?;
            let moved = move_cases(conn, &load, &posted, now)?;
            Ok(Ok(moved.map_refused(|errors| (load, errors))))
        })
        .await?
        .map_err(refused)?;
    forms::respond(
        outcome,
        |(moved, to)| Redirect::to(&format!("/workload/staff/{staff_id}?moved={moved}&to={to}")),
        |(load, errors)| page(&user, &load, &fields, errors, false),
    )
}

/// A transfer the domain allows: the cases chosen, who they go to, and the reasons to record.
struct Transfer<'a> {
    selected: Vec<&'a CaseWorkload>,
    target: &'a PractitionerWorkload,
    approved: ApprovedTransfer,
}

/// Reads the form against the practitioner's cases, the PDU's practitioners and the domain's
/// rules; every problem at once.
fn read_transfer<'a>(
    fields: &FormFields,
    load: &'a Caseload,
) -> Result<Transfer<'a>, Vec<FieldError>> {
    let mut validation = Validation::default();
    let selected: Vec<&CaseWorkload> = fields
        .0
        .iter()
        .filter(|(k, _)| k == "cases")
        .filter_map(|(_, raw)| {
            let held = Uuid::parse_str(raw)
                .ok()
                .and_then(|id| load.from.case_list.iter().find(|c| c.person_id == id));
            validation.required(
                held,
                "cases",
                "One of the selected cases is no longer held by this practitioner: nothing was \
                 moved. Check the list and try again",
            )
        })
        .collect();
    let target = Uuid::parse_str(fields.get("to"))
        .ok()
        .and_then(|id| load.others.iter().find(|p| p.staff_id == id));
    let target = validation.required(
        target,
        "to",
        if fields.get("to").is_empty() {
            "Select who the cases should go to"
        } else {
            "That practitioner cannot take cases here: choose one from the list"
        },
    );
    let to_move: Vec<CaseToMove> = selected
        .iter()
        .map(|c| CaseToMove {
            crn: c.crn.clone(),
            case: load.guidance.get(&c.person_id).copied().unwrap_or_default(),
        })
        .collect();
    let request = TransferRequest {
        cases: &to_move,
        to_grade: target.map_or(keepsafe_domain::staff::Grade::ProbationOfficer, |t| t.grade),
        to_same_practitioner: false,
        reason: TransferReason::parse(fields.get("reason")).ok(),
        details: fields.get("details"),
        override_reason: fields.get("override-reason"),
    };
    let approved = match check_transfer(&request) {
        Ok(approved) => Some(approved),
        Err(refusals) => {
            for refused in refusals {
                validation.add(FieldError::new(refused.field(), refused.to_string()));
            }
            None
        }
    };
    validation.finish(|| {
        Some(Transfer {
            selected,
            target: target?,
            approved: approved?,
        })
    })
}

/// Checks the form against the domain's rules and, if they allow it, moves the cases with an audit
/// row for each: how many moved and to whom, or the errors when nothing was moved.
fn move_cases(
    conn: &mut AnyConnection,
    load: &Caseload,
    posted: &Posted,
    now: chrono::DateTime<Utc>,
) -> Result<Submission<(usize, Uuid), Vec<FieldError>>, AppError> {
    let Transfer {
        selected,
        target,
        approved,
    } = match read_transfer(posted, load) {
        Ok(transfer) => transfer,
        Err(errors) => return Ok(Submission::Refused(errors)),
    };
    let person_ids: Vec<Uuid> = selected.iter().map(|c| c.person_id).collect();
    let moving = Move {
        reason: &approved.recorded_reason,
        override_reason: approved.override_reason.as_ref().map(|r| r.as_str()),
        by: posted.by,
        today: now.date_naive(),
        now,
    };
    let done = match allocation::transfer(
        conn,
        load.from.staff_id,
        &person_ids,
        target.staff_id,
        &moving,
    ) {
        Ok(done) => done,
        Err(StorageError::Conflict(message)) => {
            return Ok(Submission::Refused(vec![FieldError::new("cases", message)]))
        }
        Err(other) => return Err(other.into()),
    };
    let crn_of: HashMap<Uuid, &str> = selected
        .iter()
        .map(|c| (c.person_id, c.crn.as_str()))
        .collect();
    for moved in &done.moved {
        let overridden = crn_of
            .get(&moved.person_id)
            .is_some_and(|crn| approved.overridden.iter().any(|o| o == crn));
        audit::record(
            conn,
            &AuditEntry {
                person_id: Some(moved.person_id),
                crn: crn_of.get(&moved.person_id).map(|crn| (*crn).to_owned()),
                ..posted.audit(
                    "transfer_case",
                    format!(
                        "from {} to {} ({}); {}{}; handover task due {}",
                        load.from.name,
                        done.to.name,
                        done.to.grade.code(),
                        approved.recorded_reason,
                        if overridden {
                            "; grade guidance overridden"
                        } else {
                            ""
                        },
                        moved.task_due_on
                    ),
                )
            },
            now,
        )?;
    }
    Ok(Submission::Saved((done.moved.len(), target.staff_id)))
}
