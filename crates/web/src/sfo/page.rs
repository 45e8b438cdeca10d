//! `/sfo/{sfo}`: one serious further offence case — the charge and why it qualifies, the
//! notification and the review with their due dates and how each was worked out, the reviewer,
//! the findings — and its forms: recording the notification and assigning the reviewer (heads of
//! PDU and quality staff), saving draft findings and completing the review (the reviewer). Each
//! form posts to its own path and, refused, shows this page again with the errors, nothing
//! written; completing adds the actions to the PDU's quality improvement plan in the same
//! transaction.

use super::{open_sfo, SfoNeed};
use crate::cases::details::optional_date;
use crate::cases::editing::{date_fields, FormState};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::sfo::{
    check_reviewer, CompletionDraft, Findings, ReviewerCandidate, SfoRules, SfoState,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::sfo::cases::{self as sfo_cases, Candidate, SfoRecord};
use keepsafe_storage::AnyConnection;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "sfo/page.html")]
struct SfoPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    id: String,
    banner: Option<String>,
    offence: String,
    reference: String,
    committed: String,
    charged: String,
    known: String,
    recorded_by: String,
    reasons: Vec<String>,
    state: String,
    completed: bool,
    notification_due: String,
    notification_overdue: bool,
    notification_explained: String,
    notified: Option<String>,
    review_due: Option<String>,
    review_overdue: bool,
    review_explained: Option<String>,
    versions: String,
    reviewer: Option<String>,
    may_manage: bool,
    may_review: bool,
    candidates: Vec<(String, String)>,
    went_well: String,
    could_be_better: String,
    learning: String,
    completed_on: Option<String>,
    completed_by: String,
    plan_href: String,
}

/// The query after a step was saved, read leniently.
#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    recorded: Option<String>,
}

fn banner(query: &SavedQuery) -> Option<String> {
    match query.recorded.as_deref() {
        Some("charge") => Some("The charge has been recorded as a serious further offence.".into()),
        Some("notification") => Some("The notification has been recorded.".into()),
        Some("reviewer") => Some("The reviewer has been assigned.".into()),
        Some("draft") => Some("The draft findings have been saved.".into()),
        Some("completed") => Some(
            "The review has been completed and its actions added to the PDU's quality improvement plan."
                .into(),
        ),
        _ => None,
    }
}

/// What the page needs besides the case: whether the user may manage or review it, and the
/// reviewers they may choose from.
struct Extras {
    may_manage: bool,
    may_review: bool,
    candidates: Vec<Candidate>,
}

fn extras(
    conn: &mut AnyConnection,
    user: &keepsafe_domain::access::Actor,
    record: &SfoRecord,
) -> Result<Extras, AppError> {
    let may_manage = decide(user, Action::ManageSfo(&record.location)).is_allowed();
    let may_review = decide(
        user,
        Action::ReviewSfo {
            case: &record.location,
            reviewer: record.reviewer.as_ref().map(|(id, _)| *id),
        },
    )
    .is_allowed();
    let candidates = if may_manage && record.dates.completed_on.is_none() {
        sfo_cases::reviewer_candidates(conn, record.location.region, record.person_id)?
    } else {
        Vec::new()
    };
    Ok(Extras {
        may_manage,
        may_review,
        candidates,
    })
}

/// The form's fields when the page is first shown: the record's findings and today's dates.
fn first_fields(record: &SfoRecord, today: NaiveDate) -> FormFields {
    let mut pairs = date_fields("notified", Some(today));
    pairs.extend(date_fields("completed", Some(today)));
    pairs.extend(date_fields("actions_due", None));
    pairs.push(("went_well".into(), record.went_well.clone()));
    pairs.push(("could_be_better".into(), record.could_be_better.clone()));
    pairs.push(("learning".into(), record.learning.clone()));
    pairs.push((
        "reviewer".into(),
        record
            .reviewer
            .as_ref()
            .map(|(id, _)| id.to_string())
            .unwrap_or_default(),
    ));
    FormFields(pairs)
}

fn view(
    user: &CurrentUser,
    record: &SfoRecord,
    extras: Extras,
    fields: FormFields,
    errors: Vec<FieldError>,
    banner: Option<String>,
    today: NaiveDate,
) -> SfoPage {
    let rules = SfoRules::by_version(&record.rule_version);
    let dates = record.dates;
    let state = dates.state();
    let review_due = dates.review_due(&rules);
    let overdue = dates.is_overdue(&rules, today);
    SfoPage {
        chrome: Chrome::for_form(user, "Serious further offence review", &errors, "/sfo"),
        errors: errors.clone(),
        form: FormState::new(
            user,
            (record.name.clone(), record.crn.clone()),
            fields,
            errors,
        ),
        id: record.id.to_string(),
        banner,
        offence: record.offence.label().to_owned(),
        reference: record.reference.clone(),
        committed: format::date(record.committed_on),
        charged: format::date(dates.charged_on),
        known: format::date(record.known_on),
        recorded_by: record.recorded_by.clone(),
        reasons: record.reasons.clone(),
        state: state.label().to_owned(),
        completed: state == SfoState::Completed,
        notification_due: format::date(dates.notification_due),
        notification_overdue: overdue && state == SfoState::AwaitingNotification,
        notification_explained: rules.explain_notification(record.known_on),
        notified: dates.notified_on.map(format::date),
        review_due: review_due.map(format::date),
        review_overdue: overdue && matches!(state, SfoState::Notified | SfoState::UnderReview),
        review_explained: dates.notified_on.map(|on| rules.explain_review(on)),
        versions: rules.versions(),
        reviewer: record
            .reviewer
            .as_ref()
            .map(|(_, name)| match record.reviewer_assigned_on {
                Some(on) => format!("{name}, assigned on {}", format::date(on)),
                None => name.clone(),
            }),
        may_manage: extras.may_manage,
        may_review: extras.may_review,
        candidates: extras
            .candidates
            .into_iter()
            .map(|c| {
                (
                    c.id.to_string(),
                    format!("{} ({})", c.name, c.grade.label()),
                )
            })
            .collect(),
        went_well: record.went_well.clone(),
        could_be_better: record.could_be_better.clone(),
        learning: record.learning.clone(),
        completed_on: dates.completed_on.map(format::date),
        completed_by: record.completed_by.clone().unwrap_or_default(),
        plan_href: format!("/quality/pdu/{}/plan", record.pdu_code),
    }
}

/// `GET /sfo/{sfo}`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let actor = user.account.actor();
    let (record, extras) = open_sfo(
        &state,
        &user,
        &id,
        "view_sfo",
        SfoNeed::View,
        move |conn, record| Ok((record.clone(), extras(conn, &actor, record)?)),
    )
    .await?;
    let today = state.clock.today();
    let fields = first_fields(&record, today);
    Ok(render(&view(
        &user,
        &record,
        extras,
        fields,
        Vec::new(),
        banner(&query),
        today,
    ))?
    .into_response())
}

type Refused = (SfoRecord, Extras, Vec<FieldError>);

/// Runs one step on the case `id` for `need` in one transaction: `step` checks the form and
/// saves, or says what is wrong; the page is shown again with the errors.
async fn step<F>(
    state: AppState,
    user: CurrentUser,
    id: String,
    purpose: &'static str,
    need: SfoNeed,
    fields: FormFields,
    step: F,
) -> Result<Response, AppError>
where
    F: FnOnce(
            &mut AnyConnection,
            &SfoRecord,
            &Posted,
        ) -> Result<Result<(&'static str, String), Vec<FieldError>>, AppError>
        + Send
        + 'static,
{
    let posted = Posted::new(&user, &fields);
    let actor = user.account.actor();
    let now = state.clock.now();
    let outcome = open_sfo(
        &state,
        &user,
        &id,
        purpose,
        need,
        move |conn, record| match step(conn, record, &posted)? {
            Ok((recorded, detail)) => {
                audit::record(
                    conn,
                    &AuditEntry {
                        staff_id: Some(posted.by),
                        actor: posted.actor_name.clone(),
                        action: purpose.into(),
                        outcome: Outcome::Allowed,
                        person_id: Some(record.person_id),
                        crn: Some(record.crn.clone()),
                        detail: format!("SFO {}: {detail}", record.id),
                    },
                    now,
                )?;
                Ok(Submission::Saved((record.id, recorded)))
            }
            Err(errors) => Ok(Submission::Refused((
                record.clone(),
                extras(conn, &actor, record)?,
                errors,
            ))),
        },
    )
    .await?;
    let today = state.clock.today();
    forms::respond(
        outcome,
        |(id, recorded): (Uuid, &str)| Redirect::to(&format!("/sfo/{id}?recorded={recorded}")),
        |(record, extras, errors): Refused| {
            view(&user, &record, extras, fields, errors, None, today)
        },
    )
}

/// `POST /sfo/{sfo}/notification`: the day HMPPS was notified — not before the charge, not in
/// the future, once.
pub async fn notify(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let clock = state.clock;
    step(
        state,
        user,
        id,
        "record_sfo_notification",
        SfoNeed::Manage,
        fields,
        move |conn, record, posted| {
            let notified_on = match optional_date(posted, "notified", "the date HMPPS was notified")
            {
                Ok(day) => day,
                Err(error) => return Ok(Err(vec![error])),
            };
            let day = match record.dates.check_notification(notified_on, today) {
                Ok(day) => day,
                Err(error) => {
                    return Ok(Err(vec![FieldError::new(error.field(), error.to_string())]))
                }
            };
            sfo_cases::record_notification(conn, record.id, day, posted.by, clock.now())?;
            let rules = SfoRules::by_version(&record.rule_version);
            Ok(Ok((
                "notification",
                format!("notified {day}, review due {}", rules.review_due(day)),
            )))
        },
    )
    .await
}

/// `POST /sfo/{sfo}/reviewer`: a senior officer, head of PDU or quality staff of the region who
/// never managed the case.
pub async fn assign(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let clock = state.clock;
    step(
        state,
        user,
        id,
        "assign_sfo_reviewer",
        SfoNeed::Manage,
        fields,
        move |conn, record, posted| {
            if record.dates.completed_on.is_some() {
                return Ok(Err(vec![FieldError::new(
                    "reviewer",
                    "The review is already completed",
                )]));
            }
            let chosen = Uuid::parse_str(posted.get("reviewer").trim()).ok();
            let candidate = match chosen {
                None => None,
                Some(staff_id) => {
                    match sfo_cases::staff_grade(conn, record.location.region, staff_id)? {
                        None => None,
                        Some(grade) => Some(ReviewerCandidate {
                            grade,
                            managed_the_case: sfo_cases::managed_the_case(
                                conn,
                                record.person_id,
                                staff_id,
                            )?,
                        }),
                    }
                }
            };
            if let Err(error) = check_reviewer(candidate) {
                return Ok(Err(vec![FieldError::new(error.field(), error.to_string())]));
            }
            let Some(reviewer) = chosen else {
                return Ok(Err(vec![FieldError::new(
                    "reviewer",
                    "Select the reviewer",
                )]));
            };
            sfo_cases::assign_reviewer(conn, record.id, reviewer, today, clock.now())?;
            Ok(Ok(("reviewer", format!("reviewer {reviewer}"))))
        },
    )
    .await
}

/// `POST /sfo/{sfo}/review`: saves the draft findings (`intent=draft`) or completes the review
/// (`intent=complete`), which adds its actions to the PDU's quality improvement plan.
pub async fn review(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let clock = state.clock;
    step(state, user, id, "review_sfo", SfoNeed::Review, fields, move |conn, record, posted| {
        let findings = Findings {
            went_well: posted.get("went_well").to_owned(),
            could_be_better: posted.get("could_be_better").to_owned(),
            learning: posted.get("learning").to_owned(),
        };
        let to_errors = |found: Vec<keepsafe_domain::sfo::InvalidReview>| {
            found
                .into_iter()
                .map(|e| FieldError::new(e.field(), e.to_string()))
                .collect::<Vec<_>>()
        };
        if posted.get("intent") != "complete" {
            if record.dates.completed_on.is_some() {
                return Ok(Err(vec![FieldError::new("went_well", "The review is already completed")]));
            }
            let checked = match findings.check_draft() {
                Ok(checked) => checked,
                Err(found) => return Ok(Err(to_errors(found))),
            };
            sfo_cases::save_draft(conn, record.id, &checked, today, clock.now())?;
            return Ok(Ok(("draft", "draft findings saved".to_owned())));
        }
        let mut errors = Vec::new();
        let mut unreadable = Vec::new();
        let mut date = |name: &'static str, label: &str| match optional_date(posted, name, label) {
            Ok(day) => day,
            Err(error) => {
                errors.push(error);
                unreadable.push(format!("{name}-day"));
                None
            }
        };
        let completed_on = date("completed", "the date the review was completed");
        let actions_due = date("actions_due", "the date the actions are due");
        let draft = CompletionDraft {
            completed_on,
            findings,
            actions: posted.get("actions").to_owned(),
            action_owner: posted.get("action_owner").to_owned(),
            actions_due,
        };
        let completion = match draft.check(&record.dates, today) {
            Ok(done) if errors.is_empty() => done,
            Ok(_) => return Ok(Err(errors)),
            Err(found) => {
                for error in to_errors(found) {
                    if !unreadable.contains(&error.field) {
                        errors.push(error);
                    }
                }
                return Ok(Err(errors));
            }
        };
        let recommendation = sfo_cases::complete(
            conn,
            record.id,
            record.location.pdu,
            &completion,
            posted.by,
            clock.now(),
        )?;
        Ok(Ok((
            "completed",
            format!(
                "review completed {}; {} actions added to the PDU's plan (recommendation {recommendation})",
                completion.completed_on,
                completion.actions.len()
            ),
        )))
    })
    .await
}
