//! `GET/POST /cases/{crn}/allocate`: a senior probation officer (or the head of PDU) allocates a
//! case to a practitioner of its PDU (reference §9). The screen says first what the case is —
//! flags, offence, sentence, risk and tier — then lists the candidates as the domain ranks them
//! (probation officers, then probation services officers, then trainees, lowest potential capacity
//! first), the recommended one being the first in that order without grade guidance against them
//! who stays within capacity, and over-capacity candidates warned about in words. A senior
//! officer sees their own team's practitioners first, and may widen the list to the whole PDU.
//! Allocating against the grade guidance needs a recorded reason ([`check_override`]).
//!
//! Allocating creates the practitioner's task to arrange the induction appointment
//! (`storage::allocation::allocate`), then goes to `GET /workload/allocations`, which confirms it:
//! that page reads what the manager allocated rather than the case, so it works even when the case
//! has gone to another team the manager can no longer open.

use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, Validation};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::text::{LongText, TextError};
use keepsafe_domain::workload::{
    case_points, check_override, needs_probation_officer, rank, AllocationCase, Candidate,
    RankedCandidate,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::workload::{self, allocation};
use keepsafe_storage::{AnyConnection, StorageError};
use serde::Deserialize;
use uuid::Uuid;

/// One candidate as the radios show them.
struct CandidateView {
    id: String,
    name: String,
    hint: String,
    guidance: Option<String>,
    /// "Over capacity: 118% with this case", in words.
    over_capacity: Option<String>,
    recommended: bool,
    checked: bool,
}

/// Which practitioners the list shows: the senior officer's own team (the default for someone in
/// a team of the case's PDU) or the whole PDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Team(Uuid),
    Pdu,
}

/// The case as the top of the page describes it, in words.
struct CaseFacts {
    /// Registrations in force: "Domestic abuse perpetrator (review by 3 Jan 2027)".
    flags: Vec<String>,
    /// Each active event's offence.
    offences: Vec<String>,
    /// Each active event's sentence.
    sentences: Vec<String>,
    rosh: String,
    mappa: String,
    tier: String,
}

/// Everything about the case and the candidates, read in the case's transaction.
struct Allocation {
    reallocating: bool,
    name: String,
    crn: String,
    facts: CaseFacts,
    guidance: Option<String>,
    case: AllocationCase,
    new_case_points: u32,
    points_note: String,
    /// Every practitioner of the PDU, ranked, with each one's name, team id and hint: the form
    /// accepts any of them whichever list was shown.
    everyone: Vec<(RankedCandidate, String, Uuid, String)>,
    /// The list shown, ranked on its own so "Recommended" is the first qualifying in it.
    shown: Vec<(RankedCandidate, String, Uuid, String)>,
    shown_what: Shown,
    /// The senior officer's team's name, when they have one in this PDU.
    own_team: Option<(Uuid, String)>,
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
    facts: CaseFacts,
    guidance: Option<String>,
    points_note: String,
    candidates: Vec<CandidateView>,
    /// What the list shows, in words, and the link to the other list.
    showing: String,
    other_list: Option<(String, String)>,
    /// "pdu" when the whole PDU is shown, kept through a refused form.
    show: &'static str,
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

/// The flags, offences and sentences of the case, in words, from its record.
fn case_facts(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    rosh: String,
    mappa: String,
    tier: String,
) -> Result<CaseFacts, AppError> {
    let record = case_record::load(conn, case.person_id, 0)?;
    let flags = record
        .registrations
        .iter()
        .filter(|r| r.ended_on.is_none())
        .map(|r| {
            let mut flag = r.kind.label().to_owned();
            if let Some(level) = r.mappa_level {
                flag.push_str(&format!(", {}", level.label()));
            }
            if let Some(review) = r.next_review_on {
                flag.push_str(&format!(" (review by {})", format::date(review)));
            }
            flag
        })
        .collect();
    let active: Vec<_> = record.events.iter().filter(|e| e.active).collect();
    // The offence as the court record describes it; its OGRS3 category only when there is no
    // description (the category is for the predictor, not for people).
    let offences = active
        .iter()
        .map(|e| {
            if e.offence_description.trim().is_empty() {
                e.offence_category.label().to_owned()
            } else {
                e.offence_description.clone()
            }
        })
        .collect();
    let sentences = active
        .iter()
        .map(|e| {
            let mut sentence = e.sentence_type.label().to_owned();
            if let Some(months) = e.sentence_length_months {
                sentence.push_str(&format!(" of {months} months"));
            }
            if let Some(date) = e.sentence_date {
                sentence.push_str(&format!(", sentenced {}", format::date(date)));
            }
            sentence
        })
        .collect();
    Ok(CaseFacts {
        flags,
        offences,
        sentences,
        rosh,
        mappa,
        tier,
    })
}

/// Reads the case and ranks the practitioners of its PDU for it, on `today`: the whole PDU, and
/// the list `user` asked to see (`whole_pdu`, or their own team by default).
fn read(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    user: &keepsafe_storage::staff::StaffAccount,
    whole_pdu: bool,
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
                    "This case scores {points} points ({}, tier {}, age {age}).",
                    case_type.label().to_lowercase(),
                    tier.code(),
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
    let own_team = user.team_id.and_then(|team| {
        people
            .iter()
            .find(|p| p.team_id == team)
            .map(|p| (team, p.team.clone()))
            .or_else(|| {
                // A senior officer whose team has nobody to allocate to yet is still offered it.
                keepsafe_storage::organisation::team(conn, team)
                    .ok()
                    .filter(|t| t.pdu_id == facts.pdu_id)
                    .map(|t| (team, t.name))
            })
    });
    let shown_what = match (&own_team, whole_pdu) {
        (Some((team, _)), false) => Shown::Team(*team),
        _ => Shown::Pdu,
    };
    let ranked_from = |people: &[&workload::PractitionerWorkload]| {
        let candidates: Vec<Candidate> = people
            .iter()
            .map(|p| p.as_candidate(facts.previous_staff.contains(&p.staff_id)))
            .collect();
        rank(&candidates, new_case_points, &allocation_case)
            .into_iter()
            .filter_map(|r| {
                let p = people.iter().find(|p| p.staff_id == r.staff_id)?;
                let now = whole_percent(p.percent);
                let with = whole_percent(r.potential_percent);
                let mut hint = format!(
                    "{}, {}: {now} of capacity now, {with} with this case",
                    r.grade.label(),
                    p.team
                );
                if r.previously_managed {
                    hint.push_str("; managed this person before");
                }
                Some((r, p.name.clone(), p.team_id, hint))
            })
            .collect::<Vec<_>>()
    };
    let all: Vec<&workload::PractitionerWorkload> = people.iter().collect();
    let everyone = ranked_from(&all);
    let shown = match shown_what {
        Shown::Pdu => everyone.clone(),
        Shown::Team(team) => {
            let in_team: Vec<_> = people.iter().filter(|p| p.team_id == team).collect();
            ranked_from(&in_team)
        }
    };
    let rosh = facts
        .rosh
        .map_or("Not assessed", |level| level.label())
        .to_owned();
    let mappa = facts
        .mappa_level
        .map_or("None", |level| level.label())
        .to_owned();
    let tier = facts
        .tier
        .map_or_else(|| "Not yet worked out".to_owned(), |t| t.code().to_owned());
    Ok(Allocation {
        reallocating: case.location.team.is_some(),
        name,
        crn,
        facts: case_facts(conn, case, rosh, mappa, tier)?,
        guidance: needs_probation_officer(&allocation_case)
            .map(|why| format!("{why}: this case should go to a probation officer.")),
        case: allocation_case,
        new_case_points,
        points_note,
        everyone,
        shown,
        shown_what,
        own_team,
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
    let path = format!("/cases/{}/allocate", allocation.crn);
    let (showing, other_list) = match (&allocation.shown_what, &allocation.own_team) {
        (Shown::Team(_), Some((_, team))) => (
            format!(
                "Showing the practitioners of your team, {team}: {} of {} in the PDU.",
                allocation.shown.len(),
                allocation.everyone.len()
            ),
            Some((
                format!("{path}?show=pdu"),
                "Show every practitioner in the PDU".to_owned(),
            )),
        ),
        (_, Some((_, team))) => (
            format!(
                "Showing every practitioner in the PDU ({}).",
                allocation.everyone.len()
            ),
            Some((path.clone(), format!("Show only your team, {team}"))),
        ),
        (_, None) => (
            format!(
                "Showing every practitioner in the PDU ({}).",
                allocation.everyone.len()
            ),
            None,
        ),
    };
    AllocatePage {
        verb,
        chrome: Chrome::for_form(user, format!("{verb} the case"), &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name: allocation.name,
        crn: allocation.crn,
        facts: allocation.facts,
        guidance: allocation.guidance,
        points_note: allocation.points_note,
        showing,
        other_list,
        show: if allocation.shown_what == Shown::Pdu {
            "pdu"
        } else {
            ""
        },
        candidates: allocation
            .shown
            .into_iter()
            .map(|(ranked, name, _, hint)| CandidateView {
                id: ranked.staff_id.to_string(),
                checked: ranked.staff_id.to_string() == chosen,
                over_capacity: ranked.over_capacity().then(|| {
                    format!(
                        "Over capacity: {} with this case",
                        whole_percent(ranked.potential_percent)
                    )
                }),
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

/// The allocation page's query: `show=pdu` to list the whole PDU.
#[derive(Debug, Default, Deserialize)]
pub struct AllocateQuery {
    #[serde(default)]
    show: String,
}

/// `GET /cases/{crn}/allocate`.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(query): Query<AllocateQuery>,
) -> Result<Response, AppError> {
    let clock = state.clock;
    let account = user.account.clone();
    let whole_pdu = query.show == "pdu";
    let allocation = open_case_for(
        &state,
        &user,
        &crn,
        "view_allocation",
        Need::ManageRisk,
        move |conn, case| read(conn, case, &account, whole_pdu, clock.today()),
    )
    .await?;
    Ok(render(&page(&user, allocation, &FormFields::default(), Vec::new()))?.into_response())
}

/// Whom the case goes to, as the form chose from the candidates: their id, grade and name.
type Chosen = (Uuid, keepsafe_domain::staff::Grade, String);

/// Reads the form against the ranked candidates of the whole PDU: who (one of them), why, and the
/// reason for going against the grade guidance where the domain needs one.
fn read_choice(
    fields: &FormFields,
    allocation: &Allocation,
) -> Result<(Chosen, LongText), Vec<FieldError>> {
    let mut validation = Validation::default();
    let chosen = Uuid::parse_str(fields.get("staff")).ok().and_then(|id| {
        allocation
            .everyone
            .iter()
            .find(|(ranked, _, _, _)| ranked.staff_id == id)
            .map(|(ranked, name, _, _)| (ranked.staff_id, ranked.grade, name.clone()))
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
    let account = user.account.clone();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "allocate_case",
        Need::ManageRisk,
        move |conn, case| {
            let now = state.clock.now();
            let today = now.date_naive();
            let whole_pdu = posted.get("show") == "pdu";
            let allocation = read(conn, case, &account, whole_pdu, today)?;
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
                        grade.label(),
                        allocation.new_case_points,
                        if override_reason.is_some() {
                            "; grade guidance overridden"
                        } else {
                            ""
                        },
                        done.task_kind.replace('_', " "),
                        format::date(done.task_due_on)
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(done.allocation_id))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |id| Redirect::to(&format!("/workload/allocations?allocated={id}")),
        |(allocation, errors)| page(&user, allocation, &fields, errors),
    )
}

// -------------------------------------------------------------------------------------------
// The confirmation: what the manager allocated.
// -------------------------------------------------------------------------------------------

/// How far back the confirmation page lists a manager's allocations.
const RECENT_DAYS: i64 = 14;
/// At most this many.
const RECENT_LIMIT: i64 = 50;

struct MadeView {
    crn: String,
    person: String,
    staff: String,
    when: String,
    task: String,
    ended: bool,
}

#[derive(Template)]
#[template(path = "workload/allocations.html")]
struct AllocationsPage {
    chrome: Chrome,
    /// The allocation just made, for the banner: the heading and what happens next.
    banner: Option<(String, String)>,
    made: Vec<MadeView>,
    days: i64,
}

/// The task in a sentence: "Sam Townsend has a task to arrange the induction appointment by
/// 9 December 2026".
fn task_sentence(staff: &str, task: &Option<(String, NaiveDate)>) -> String {
    match task {
        Some((title, due)) => {
            let mut chars = title.chars();
            let title = chars.next().map_or_else(String::new, |first| {
                first.to_lowercase().chain(chars).collect::<String>()
            });
            format!("{staff} has a task to {title} by {}.", format::date(*due))
        }
        None => format!("{staff} now holds the case."),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AllocationsQuery {
    #[serde(default)]
    allocated: String,
}

/// `GET /workload/allocations`: the cases the signed-in manager allocated in the last
/// [`RECENT_DAYS`] days, with the task each gave; after allocating, a banner naming the new
/// practitioner and their induction task. Only the manager's own allocations are read, so it
/// needs no case access; reading it is audit-logged, as it names people.
pub async fn made(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<AllocationsQuery>,
) -> Result<Html<String>, AppError> {
    let by = user.account.id;
    let actor = user.audit_name();
    let since = state.clock.today() - chrono::Duration::days(RECENT_DAYS);
    let made = state
        .read_then_audit(move |conn| {
            let made = allocation::made_by(conn, by, since, RECENT_LIMIT)?;
            let entry = AuditEntry {
                staff_id: Some(by),
                actor,
                action: "view_own_allocations".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!("{} allocations", made.len()),
            };
            Ok((made, entry))
        })
        .await?;
    let just_made = Uuid::parse_str(&query.allocated).ok();
    let banner = made.iter().find(|m| Some(m.id) == just_made).map(|m| {
        (
            format!(
                "{} ({}) is allocated to {}",
                m.person_name, m.crn, m.staff_name
            ),
            task_sentence(&m.staff_name, &m.task),
        )
    });
    render(&AllocationsPage {
        chrome: Chrome::for_user(&user, "Cases you allocated", "/workload"),
        banner,
        made: made
            .into_iter()
            .map(|m| MadeView {
                task: task_sentence(&m.staff_name, &m.task),
                crn: m.crn,
                person: m.person_name,
                staff: m.staff_name,
                when: format::date(m.start_date),
                ended: m.ended,
            })
            .collect(),
        days: RECENT_DAYS,
    })
}
