//! `/unpaid-work/sessions/{upw_session}/attendance`: recording a whole session's attendance on one
//! form, a row per person allocated — what happened, the work quality and behaviour, hours worked
//! (hours and minutes), travel time where the project credits it, and education, training or
//! employment time where the project offers it; a failure's judgement. Saved in one transaction:
//! any bad row refuses the whole save, each bad field named and linked, nothing written. Each
//! person's appointment takes the matching outcome, and an unacceptable failure goes to the
//! supervision area's enforcement (a warning, then breach action) in the same transaction.

use super::open_session;
use crate::cases::details::choices;
use crate::cases::editing::FormState;
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keepsafe_domain::supervision::contact::FailureJudgement;
use keepsafe_domain::supervision::contact_log::local_time;
use keepsafe_domain::supervision::outcome::{check_judgement, JudgementForm, OutcomeRules};
use keepsafe_domain::unpaid_work::{
    check_attendance, hours_and_minutes, AttendanceContext, AttendanceEntry, AttendanceOutcome,
    Rating, UnpaidWorkRules,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::supervision::enforcement::Opened;
use keepsafe_storage::unpaid_work::sessions::{self, Allocation, NewAttendance, Session};
use keepsafe_storage::unpaid_work::{self as stored, sessions::Attendance};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "unpaid_work/attendance.html")]
struct AttendancePage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    session_id: String,
    title: String,
    when: String,
    allowances: String,
    travel: bool,
    ete: bool,
    rows: Vec<RowView>,
    recorded: Vec<RecordedView>,
    outcomes: Vec<(String, String)>,
    ratings: Vec<(String, String)>,
    judgements: Vec<(String, String)>,
}

/// One person's row: the field ids, all prefixed `row-{allocation}-`.
struct RowView {
    allocation: String,
    name: String,
    crn: String,
    order: String,
    outcome: String,
    quality: String,
    behaviour: String,
    worked_hours: String,
    worked_minutes: String,
    travel_minutes: String,
    ete_hours: String,
    ete_minutes: String,
    judgement: String,
    reason: String,
    evidence: String,
}

struct RecordedView {
    name: String,
    crn: String,
    outcome: String,
    credited: String,
}

fn field(allocation: Uuid, name: &str) -> String {
    format!("row-{allocation}-{name}")
}

fn row_view(allocation: &Allocation) -> RowView {
    let f = |name: &str| field(allocation.id, name);
    RowView {
        allocation: allocation.id.to_string(),
        name: allocation.name.clone(),
        crn: allocation.crn.clone(),
        order: format!(
            "{} of {} hours credited so far",
            hours_and_minutes(allocation.credited_minutes),
            allocation.ordered_hours
        ),
        outcome: f("outcome"),
        quality: f("quality"),
        behaviour: f("behaviour"),
        worked_hours: f("worked_hours"),
        worked_minutes: f("worked_minutes"),
        travel_minutes: f("travel_minutes"),
        ete_hours: f("ete_hours"),
        ete_minutes: f("ete_minutes"),
        judgement: f("judgement"),
        reason: f("reason"),
        evidence: f("evidence"),
    }
}

fn page(
    user: &CurrentUser,
    session: &Session,
    people: &[Allocation],
    rules: &UnpaidWorkRules,
    fields: FormFields,
    errors: Vec<FieldError>,
) -> AttendancePage {
    let title = format!("Record attendance: {}", session.project);
    let mut allowances = vec![format!(
        "Hours worked are at most the session's length, {}.",
        hours_and_minutes(keepsafe_domain::unpaid_work::planning::session_minutes(
            session.starts_at,
            session.ends_at
        ))
    )];
    if session.travel_credited {
        allowances.push(format!(
            "This project credits travel time, up to {} a session.",
            hours_and_minutes(rules.max_travel_minutes)
        ));
    }
    if session.ete_available {
        allowances.push(format!(
            "It offers education, training or employment activity, which counts for up to {}% of the hours ordered (keepsafe's default, set locally).",
            rules.ete_share_percent
        ));
    }
    AttendancePage {
        chrome: Chrome::for_form(user, title.clone(), &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, (String::new(), String::new()), fields, errors),
        session_id: session.id.to_string(),
        title,
        when: format!(
            "{}, {} to {}",
            format::date(session.day),
            format::time(session.starts_at),
            format::time(session.ends_at)
        ),
        allowances: allowances.join(" "),
        travel: session.travel_credited,
        ete: session.ete_available,
        rows: people
            .iter()
            .filter(|a| a.attendance.is_none())
            .map(row_view)
            .collect(),
        recorded: people
            .iter()
            .filter_map(|a| {
                a.attendance
                    .as_ref()
                    .map(|recorded: &Attendance| RecordedView {
                        name: a.name.clone(),
                        crn: a.crn.clone(),
                        outcome: recorded.outcome.label().to_owned(),
                        credited: hours_and_minutes(recorded.total_minutes()),
                    })
            })
            .collect(),
        outcomes: choices::<AttendanceOutcome>(),
        ratings: choices::<Rating>(),
        judgements: choices::<FailureJudgement>(),
    }
}

/// `GET /unpaid-work/sessions/{upw_session}/attendance`.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (session, people, rules) = open_session(
        &state,
        &user,
        &raw,
        "view_upw_attendance_form",
        move |conn, s, _| {
            Ok((
                s.clone(),
                sessions::allocations(conn, s.id)?,
                stored::rules(conn, today)?,
            ))
        },
    )
    .await?;
    let fields = FormFields(
        people
            .iter()
            .filter(|a| a.attendance.is_none())
            .flat_map(|a| {
                [
                    (field(a.id, "worked_hours"), String::new()),
                    (field(a.id, "travel_minutes"), "0".to_owned()),
                ]
            })
            .collect(),
    );
    let page = page(&user, &session, &people, &rules, fields, Vec::new());
    Ok(render(&page)?.into_response())
}

/// A whole number from 0 to `max` (blank is 0).
fn number(fields: &FormFields, name: &str, max: u32, what: &str) -> Result<u32, FieldError> {
    let text = fields.get(name).trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<u32>()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| {
            FieldError::new(
                name,
                format!("Enter {what} as a whole number from 0 to {max}"),
            )
        })
}

/// One checked row, ready to write.
struct Checked<'a> {
    allocation: &'a Allocation,
    new: NewAttendance,
}

/// Reads and checks every row; nothing is written here.
fn read_rows<'a>(
    fields: &FormFields,
    session: &Session,
    people: &'a [Allocation],
    rules: &UnpaidWorkRules,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Checked<'a>>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut checked = Vec::new();
    // Minutes credited per order by the rows already read, so two rows of one order add up.
    let mut batch: HashMap<Uuid, (u32, u32)> = HashMap::new();
    let by_id: HashMap<String, &Allocation> =
        people.iter().map(|a| (a.id.to_string(), a)).collect();
    let local_now = local_time(now);
    for (_, raw) in fields.0.iter().filter(|(key, _)| key == "row") {
        let Some(allocation) = by_id.get(raw.as_str()).copied() else {
            errors.push(FieldError::new(
                "rows",
                "Someone in the form is not allocated to this session: open the form again",
            ));
            continue;
        };
        let f = |name: &str| field(allocation.id, name);
        if !seen.insert(allocation.id) {
            errors.push(FieldError::new(
                f("outcome"),
                format!(
                    "{} is in the form twice: a session is credited once for each person",
                    allocation.name
                ),
            ));
            continue;
        }
        let outcome = AttendanceOutcome::parse(fields.get(&f("outcome"))).ok();
        let blank = [
            "outcome",
            "quality",
            "behaviour",
            "worked_hours",
            "worked_minutes",
            "ete_hours",
            "ete_minutes",
        ]
        .iter()
        .all(|name| fields.get(&f(name)).trim().is_empty())
            && matches!(fields.get(&f("travel_minutes")).trim(), "" | "0");
        if blank && allocation.attendance.is_none() {
            // Left for later: a row with nothing typed records nothing.
            continue;
        }
        let mut row_errors = Vec::new();
        let mut read = |name: &str, max: u32, what: &str| match number(fields, &f(name), max, what)
        {
            Ok(n) => n,
            Err(error) => {
                row_errors.push(error);
                0
            }
        };
        let worked_hours = read("worked_hours", 10, "the hours worked");
        let worked_minutes = read("worked_minutes", 59, "the minutes worked");
        let travel_minutes = read("travel_minutes", 600, "the travel time in minutes");
        let ete_hours = read(
            "ete_hours",
            10,
            "the education, training or employment hours",
        );
        let ete_minutes = read(
            "ete_minutes",
            59,
            "the education, training or employment minutes",
        );
        let (so_far, ete_so_far) = batch
            .get(&allocation.requirement_id)
            .copied()
            .unwrap_or_default();
        let entry = AttendanceEntry {
            outcome,
            quality: Rating::parse(fields.get(&f("quality"))).ok(),
            behaviour: Rating::parse(fields.get(&f("behaviour"))).ok(),
            worked_minutes: worked_hours * 60 + worked_minutes,
            travel_minutes,
            ete_minutes: ete_hours * 60 + ete_minutes,
        };
        let context = AttendanceContext {
            session_starts_at: session.starts_at,
            session_ends_at: session.ends_at,
            now: local_now,
            already_recorded: allocation.attendance.is_some()
                || allocation.contact_outcome_recorded,
            travel_credited: session.travel_credited,
            ete_available: session.ete_available,
            ordered_hours: allocation.ordered_hours,
            credited_minutes: allocation.credited_minutes + so_far,
            ete_credited_minutes: allocation.ete_credited_minutes + ete_so_far,
        };
        let credit = match check_attendance(&entry, &context, rules) {
            Ok(credit) if row_errors.is_empty() => Some(credit),
            Ok(_) => None,
            Err(found) => {
                for error in found {
                    let id = f(error.field);
                    if !row_errors.iter().any(|e| e.field == id) {
                        row_errors.push(FieldError::new(
                            id,
                            format!("{}: {}", allocation.name, error.message),
                        ));
                    }
                }
                None
            }
        };
        let judgement = match outcome {
            Some(o) if o.is_failure() => {
                let form = JudgementForm {
                    judgement: FailureJudgement::parse(fields.get(&f("judgement"))).ok(),
                    reason: fields.get(&f("reason")).to_owned(),
                    evidence: fields.get(&f("evidence")).to_owned(),
                };
                match check_judgement(&form, now.date_naive(), &OutcomeRules::default(), true) {
                    Ok(judgement) => Some(judgement),
                    Err(found) => {
                        if credit.is_some()
                            || row_errors.iter().all(|e| !e.field.ends_with("-outcome"))
                        {
                            for (name, message) in found {
                                row_errors.push(FieldError::new(
                                    f(name),
                                    format!("{}: {message}", allocation.name),
                                ));
                            }
                        }
                        None
                    }
                }
            }
            _ => None,
        };
        if let (Some(credit), true) = (credit, row_errors.is_empty()) {
            let total = batch.entry(allocation.requirement_id).or_default();
            total.0 += credit.total_minutes();
            total.1 += credit.ete_minutes;
            checked.push(Checked {
                allocation,
                new: NewAttendance {
                    credit,
                    judgement,
                    notes: String::new(),
                },
            });
        }
        errors.extend(row_errors);
    }
    if errors.is_empty() && checked.is_empty() {
        let first = people
            .iter()
            .find(|a| a.attendance.is_none())
            .map(|a| field(a.id, "outcome"))
            .unwrap_or_else(|| "rows".into());
        errors.push(FieldError::new(
            first,
            "Record what happened at the session for at least one person",
        ));
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

fn opened_detail(opened: Opened) -> &'static str {
    match opened {
        Opened::Warning(_) => "; warning to send",
        Opened::Breach(_) => "; breach action started",
        Opened::Recall(_) => "; consider recall opened",
        Opened::Nothing => "",
    }
}

/// `POST /unpaid-work/sessions/{upw_session}/attendance`.
pub async fn record(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let today = state.clock.today();
    let outcome = open_session(&state, &user, &raw, "record_upw_attendance_form", {
        move |conn, session, asking| {
            let people = sessions::allocations(conn, session.id)?;
            let rules = stored::rules(conn, today)?;
            let checked = match read_rows(&posted, session, &people, &rules, now) {
                Ok(checked) => checked,
                Err(errors) => {
                    return Ok(Submission::Refused((session.clone(), people, rules, errors)))
                }
            };
            let count = checked.len();
            for row in &checked {
                let opened = match sessions::record_attendance(
                    conn,
                    session,
                    row.allocation,
                    &row.new,
                    posted.by,
                    today,
                    now,
                )? {
                    Ok(opened) => opened,
                    // Someone recorded the appointment's outcome meanwhile: undo everything.
                    Err(first) => {
                        return Err(AppError::Conflict(format!(
                            "{} recorded the outcome of {}'s appointment first: nothing was saved. Open the form again.",
                            first.by, row.allocation.name
                        )))
                    }
                };
                let credit = &row.new.credit;
                audit::record(
                    conn,
                    &asking.audit(
                        "record_upw_attendance",
                        Some((row.allocation.person_id, &row.allocation.crn)),
                        format!(
                            "allocation {} session {} on {}: {} worked {} travel {} ete {} minutes{}{}",
                            row.allocation.id,
                            session.id,
                            session.day,
                            credit.outcome.code(),
                            credit.worked_minutes,
                            credit.travel_minutes,
                            credit.ete_minutes,
                            row.new
                                .judgement
                                .as_ref()
                                .map(|j| format!(", {}", j.kind().code()))
                                .unwrap_or_default(),
                            opened_detail(opened)
                        ),
                    ),
                    now,
                )?;
            }
            Ok(Submission::Saved((session.id, count)))
        }
    })
    .await?;
    forms::respond(
        outcome,
        |(id, count)| Redirect::to(&format!("/unpaid-work/sessions/{id}?recorded={count}")),
        |(session, people, rules, errors)| page(&user, &session, &people, &rules, fields, errors),
    )
}
