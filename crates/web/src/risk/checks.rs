//! Recording a check's response (`/cases/{crn}/checks/{check}/response`) and a senior officer's
//! authorisation to complete without an overdue one (`/cases/{crn}/checks/{check}/authorise`).

use crate::cases::access::{open_case_for, Need};
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
use keepsafe_domain::checks::{authorise_without_response, CheckResponse, InvalidResponse};
use keepsafe_domain::review::{ReviewRules, ReviewTrigger};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry};
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::cases::tasks::{self, NewTask};
use keepsafe_storage::risk::assessments;
use keepsafe_storage::risk::checks::{self, CheckRecord};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "risk/check_response.html")]
struct ResponsePage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    check_id: String,
    kind: String,
    address: String,
    requested: String,
    due: String,
    errors: Vec<FieldError>,
    date: TypedDate,
    known: String,
    summary: String,
    date_error: Option<String>,
    known_error: Option<String>,
    summary_error: Option<String>,
}

#[derive(Template)]
#[template(path = "risk/check_authorise.html")]
struct AuthorisePage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    check_id: String,
    kind: String,
    requested: String,
    due: String,
    errors: Vec<FieldError>,
    reason: String,
}

fn check_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// Opens the case for `need` to show one of its checks' forms: the case's name and CRN, and the
/// check.
async fn open_check(
    state: &AppState,
    user: &CurrentUser,
    crn: &str,
    check: &str,
    need: Need,
) -> Result<(String, String, CheckRecord), AppError> {
    let id = check_id(check)?;
    open_case_for(state, user, crn, "view_check", need, move |conn, case| {
        let (name, crn) = case_record::heading(conn, case.person_id)?;
        Ok((name, crn, checks::find(conn, case.person_id, id)?))
    })
    .await
}

fn response_page(
    user: &CurrentUser,
    name: String,
    check: &CheckRecord,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ResponsePage {
    let error_for = |field: &str| forms::message_for(&errors, field);
    ResponsePage {
        date_error: error_for("received-day"),
        known_error: error_for("known"),
        summary_error: error_for("summary"),
        chrome: Chrome::for_form(user, "Record a check response", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name,
        crn: String::new(),
        check_id: check.id.to_string(),
        kind: check.label().to_owned(),
        address: check.address_description.clone(),
        requested: format::date(check.requested_on),
        due: format::date(check.deadline),
        errors,
        date: fields.typed_date("received"),
        known: fields.get("known").chars().take(3).collect(),
        summary: fields.get("summary").chars().take(12_000).collect(),
    }
}

/// `GET /cases/{crn}/checks/{check}/response`.
pub async fn response_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, check)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (name, crn, record) = open_check(&state, &user, &crn, &check, Need::Work).await?;
    if record.response.is_some() {
        return Ok(Redirect::to(&format!("/cases/{crn}/risk#checks")).into_response());
    }
    let mut page = response_page(&user, name, &record, &FormFields::default(), Vec::new());
    page.crn = crn;
    Ok(render(&page)?.into_response())
}

/// Reads the response form; the domain checks the date against the request and today, and the
/// summary.
fn read_response(
    fields: &FormFields,
    requested_on: NaiveDate,
    today: NaiveDate,
) -> Result<CheckResponse, Vec<FieldError>> {
    let mut validation = Validation::default();
    let received = validation.field(fields.date("received", "the date the response was received"));
    let known = validation.required(
        fields.yes_no("known"),
        "known",
        "Select whether the agency knows the person, the address or the household",
    );
    let summary = fields.get("summary");
    let response = match (received, known) {
        (Some(received), Some(known)) => validation.field(
            CheckResponse::parse(received, known, summary, requested_on, today).map_err(
                |refused| match refused {
                    InvalidResponse::Summary(error) => {
                        FieldError::new("summary", format!("Summary: {error}"))
                    }
                    other => FieldError::new("received-day", other.to_string()),
                },
            ),
        ),
        _ => {
            if summary.trim().is_empty() {
                validation.add(FieldError::new("summary", "Summarise what the agency said"));
            }
            None
        }
    };
    validation.finish(|| response)
}

/// `POST /cases/{crn}/checks/{check}/response`. A response that shows the agency knows the person
/// or address is new partner information: if an assessment is in force it must be reviewed.
pub async fn record_response(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, check)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let id = check_id(&check)?;
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "record_check_response",
        Need::Work,
        move |conn, case| {
            let record = checks::find(conn, case.person_id, id)?;
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            let response = match read_response(&posted, record.requested_on, state.clock.today()) {
                Ok(response) => response,
                Err(errors) => return Ok(Submission::Refused((name, crn, record, errors))),
            };
            let now = state.clock.now();
            let by = posted.by;
            checks::record_response(conn, id, &response, by)?;
            keepsafe_storage::supervision::contacts::record_check_answered(
                conn,
                id,
                Some(by),
                "",
                now,
            )?;
            if response.known_to_agency && assessments::current(conn, case.person_id)?.is_some() {
                let rules = ReviewRules::default();
                tasks::create(
                    conn,
                    &NewTask {
                        person_id: case.person_id,
                        trigger: ReviewTrigger::PartnerInformation,
                        occurred_on: response.received_on,
                        details: format!(
                            "{} response: {}",
                            record.label(),
                            response
                                .summary
                                .as_str()
                                .chars()
                                .take(200)
                                .collect::<String>()
                        ),
                        due_on: rules.due(ReviewTrigger::PartnerInformation, response.received_on),
                        rule_version: rules.version.to_owned(),
                        created_by: Some(by),
                    },
                    now,
                )?;
            }
            audit::record(
                conn,
                &AuditEntry::on_case(
                    by,
                    posted.actor_name,
                    "record_check_response",
                    case,
                    record.kind.code().to_owned(),
                ),
                now,
            )?;
            Ok(Submission::Saved(crn))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&format!("/cases/{crn}/risk#checks")),
        |(name, crn, record, errors)| {
            let mut page = response_page(&user, name, &record, &fields, errors);
            page.crn = crn;
            page
        },
    )
}

fn authorise_page(
    user: &CurrentUser,
    name: String,
    crn: String,
    check: &CheckRecord,
    reason: &str,
    errors: Vec<FieldError>,
) -> AuthorisePage {
    AuthorisePage {
        chrome: Chrome::for_form(user, "Authorise completion without a response", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name,
        crn,
        check_id: check.id.to_string(),
        kind: check.label().to_owned(),
        requested: format::date(check.requested_on),
        due: format::date(check.deadline),
        errors,
        reason: reason.chars().take(12_000).collect(),
    }
}

/// `GET /cases/{crn}/checks/{check}/authorise`: senior officers only.
pub async fn authorise_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, check)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (name, crn, record) = open_check(&state, &user, &crn, &check, Need::ManageRisk).await?;
    Ok(render(&authorise_page(&user, name, crn, &record, "", Vec::new()))?.into_response())
}

/// `POST /cases/{crn}/checks/{check}/authorise`: allowed only after the deadline, with a reason.
pub async fn authorise(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, check)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let id = check_id(&check)?;
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "authorise_without_response",
        Need::ManageRisk,
        move |conn, case| {
            let record = checks::find(conn, case.person_id, id)?;
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            let today = state.clock.today();
            let reason = match authorise_without_response(
                record.deadline,
                record.response.is_some(),
                posted.get("reason"),
                today,
            ) {
                Ok(reason) => reason,
                Err(refused) => {
                    let error = FieldError::new("reason", refused.to_string());
                    return Ok(Submission::Refused((name, crn, record, error)));
                }
            };
            let now = state.clock.now();
            checks::authorise_without_response(conn, id, posted.by, today, reason.as_str())?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "authorise_without_response",
                    case,
                    format!(
                        "{}: {}",
                        record.kind.code(),
                        reason.as_str().chars().take(200).collect::<String>()
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(crn))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&format!("/cases/{crn}/risk#checks")),
        |(name, crn, record, error)| {
            authorise_page(&user, name, crn, &record, fields.get("reason"), vec![error])
        },
    )
}

/// `POST /cases/{crn}/checks/{check}/withdraw`: the practitioner withdraws a request sent to a
/// partner that is no longer needed (the person moved, the case ended), with a reason the partner
/// sees. A request already answered or declined cannot be withdrawn; the refusal says why.
pub async fn withdraw(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, check)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let id = check_id(&check)?;
    let by = user.account.id;
    let actor_name = user.audit_name();
    let reason = fields.get("withdraw-reason").to_owned();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "withdraw_check",
        Need::Work,
        move |conn, case| {
            let stored = match keepsafe_storage::partners::request(conn, id) {
                Ok(stored) if stored.person_id == case.person_id => stored,
                Ok(_) => return Err(AppError::NotFound),
                Err(keepsafe_storage::StorageError::NotFound) => {
                    // One of this person's checks, but recorded rather than sent: nobody to tell.
                    checks::find(conn, case.person_id, id)?;
                    return Ok(Err(
                        "This check was made outside keepsafe and recorded here, so \
                                   there is no request to withdraw"
                            .to_owned(),
                    ));
                }
                Err(other) => return Err(other.into()),
            };
            let today = state.clock.today();
            let before = stored.request.status();
            let after = match stored.request.withdraw(&reason, today) {
                Ok(after) => after,
                Err(refused) => return Ok(Err(refused.to_string())),
            };
            match keepsafe_storage::partners::store_transition(conn, before, &after, "") {
                Ok(()) => {}
                Err(keepsafe_storage::StorageError::Conflict(message)) => return Ok(Err(message)),
                Err(other) => return Err(other.into()),
            }
            audit::record(
                conn,
                &AuditEntry::on_case(
                    by,
                    actor_name,
                    "withdraw_check",
                    case,
                    format!("{} withdrawn: {reason}", stored.request.request_type.code()),
                ),
                state.clock.now(),
            )?;
            Ok(Ok(()))
        },
    )
    .await?;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{crn}/risk#checks")).into_response()),
        Err(message) => Err(AppError::Conflict(message)),
    }
}

/// `GET /cases/{crn}/checks/{check}/attachments/{position}`: a file the partner attached to the
/// answer, for those who may read the case (the read is audit-logged with the file's name). Sent
/// as a download with its stored type, never rendered inline, so a file cannot run in
/// keepsafe's pages.
pub async fn attachment(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, check, position)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let id = check_id(&check)?;
    let position: i32 = position.parse().map_err(|_| AppError::NotFound)?;
    let by = user.account.id;
    let actor = user.audit_name();
    let (file, bytes) = open_case_for(
        &state,
        &user,
        &crn,
        "view_check_attachment",
        Need::View,
        move |conn, case| {
            // The request must be this person's: another case's file is not found.
            let record = checks::find(conn, case.person_id, id)?;
            let (file, _sha, bytes) =
                keepsafe_storage::partners::attachment(conn, record.id, position)?;
            audit::record(
                conn,
                &AuditEntry::on_case(
                    by,
                    actor,
                    "download_check_attachment",
                    case,
                    format!("{} ({})", file.file_name, record.kind.code()),
                ),
                state.clock.now(),
            )?;
            Ok((file, bytes))
        },
    )
    .await?;
    let safe_name: String = file
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                file.media_type.code().to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe_name}\""),
            ),
            (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
