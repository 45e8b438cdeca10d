//! The court lists: the PDU's courts (`GET /courts`), a court's list for a day
//! (`GET /courts/{court}/{day}`, paged), adding one hearing (`POST …/hearings`) and importing a
//! day's list from a CSV file (`POST …/import`, columns in `docs/court-lists.md`). Each hearing
//! is matched to a case or makes a pre-sentence case (`storage::court::hearings`); a list that
//! names cases ambiguously is refused with the candidates shown, never guessed.

use super::{day_of, open_court};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, FormWithFiles, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{Days, NaiveDate};
use keepsafe_domain::calendar::add_working_days;
use keepsafe_domain::court::{
    parse_list, CourtRules, HearingLine, RawLine, ReportType, RowError, LIST_COLUMNS,
};
use keepsafe_domain::event::OffenceCategory;
use keepsafe_domain::person::Sex;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::court::courts::{self, Court};
use keepsafe_storage::court::hearings::{self, AddedHearing, HearingSummary, ListDay};
use keepsafe_storage::AnyConnection;
use serde::Deserialize;

/// Hearings per page of a list.
const PER_PAGE: i64 = 25;

/// A court as the index shows it.
pub struct CourtLink {
    pub name: String,
    pub today: String,
    pub next: String,
    pub next_label: String,
}

#[derive(Template)]
#[template(path = "court/courts.html")]
struct CourtsPage {
    chrome: Chrome,
    courts: Vec<CourtLink>,
    today: String,
}

/// `GET /courts`: the courts the user's PDU covers, each linked to today's list and the next
/// working day's.
pub async fn courts(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let pdu = user.account.actor().pdu;
    let found = state
        .read(move |conn| match pdu {
            Some(pdu) => Ok(courts::for_pdu(conn, pdu)?),
            None => Ok(Vec::new()),
        })
        .await?;
    let next = add_working_days(today, 1);
    let page = CourtsPage {
        chrome: Chrome::for_user(&user, "Court lists", "/courts"),
        courts: found
            .into_iter()
            .map(|court| CourtLink {
                today: format!("/courts/{}/{today}", court.code),
                next: format!("/courts/{}/{next}", court.code),
                next_label: format::date(next),
                name: court.name,
            })
            .collect(),
        today: format::date(today),
    };
    Ok(render(&page)?.into_response())
}

/// A hearing as the list shows it.
pub struct HearingRow {
    pub href: String,
    pub name: String,
    pub crn: String,
    pub date_of_birth: String,
    pub offence: String,
    pub matched_by: &'static str,
    pub report: String,
    pub sentence: String,
}

fn row(hearing: HearingSummary) -> HearingRow {
    HearingRow {
        href: format!("/court/hearings/{}", hearing.id),
        name: hearing.name,
        crn: hearing.crn,
        date_of_birth: format::date(hearing.date_of_birth),
        offence: hearing.offence,
        matched_by: hearings::matched_by_words(&hearing.matched_by),
        report: hearing.report.map_or_else(
            || "None asked for".to_owned(),
            |(kind, status, due)| {
                format!(
                    "{}: {}, due {}",
                    kind.label(),
                    status.label().to_lowercase(),
                    format::date(due)
                )
            },
        ),
        sentence: hearing
            .sentence
            .map_or_else(|| "Not yet recorded".to_owned(), |s| s.label().to_owned()),
    }
}

/// The add-a-hearing form as typed.
#[derive(Default)]
pub struct HearingForm {
    pub crn: String,
    pub first_name: String,
    pub last_name: String,
    pub dob: forms::TypedDate,
    pub sex: String,
    pub offence: String,
    pub offence_category: String,
    pub offence_date: forms::TypedDate,
    pub report_type: String,
}

impl HearingForm {
    fn from(fields: &FormFields) -> Self {
        let text = |name: &str| fields.get(name).chars().take(2_000).collect::<String>();
        Self {
            crn: text("crn"),
            first_name: text("first_name"),
            last_name: text("last_name"),
            dob: fields.typed_date("date_of_birth"),
            sex: text("sex"),
            offence: text("offence"),
            offence_category: text("offence_category"),
            offence_date: fields.typed_date("offence_date"),
            report_type: text("report_type"),
        }
    }
}

#[derive(Template)]
#[template(path = "court/list.html")]
struct ListPage {
    chrome: Chrome,
    csrf_token: String,
    court: String,
    code: String,
    day: String,
    day_iso: String,
    previous_day: String,
    next_day: String,
    hearings: Vec<HearingRow>,
    total: i64,
    page: i64,
    previous: Option<String>,
    next: Option<String>,
    errors: Vec<FieldError>,
    form: HearingForm,
    candidates: Vec<(String, String)>,
    sexes: Vec<(&'static str, &'static str)>,
    categories: Vec<(&'static str, &'static str)>,
    report_types: Vec<(&'static str, &'static str)>,
    rules: Vec<String>,
}

impl ListPage {
    fn error(&self, field: &str) -> Option<String> {
        forms::message_for(&self.errors, field)
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

struct Listed {
    court: Court,
    hearings: Vec<HearingSummary>,
    total: i64,
}

fn listed(
    conn: &mut AnyConnection,
    court: &Court,
    day: NaiveDate,
    page: i64,
) -> Result<Listed, AppError> {
    let (hearings, total) = hearings::list(conn, court.id, day, page, PER_PAGE)?;
    Ok(Listed {
        court: court.clone(),
        hearings,
        total,
    })
}

#[allow(clippy::too_many_arguments)]
fn list_page(
    user: &CurrentUser,
    listed: Listed,
    day: NaiveDate,
    page: i64,
    errors: Vec<FieldError>,
    form: HearingForm,
    candidates: Vec<(String, String)>,
) -> ListPage {
    let Listed {
        court,
        hearings,
        total,
    } = listed;
    let base = format!("/courts/{}/{day}", court.code);
    let rules = CourtRules::default();
    ListPage {
        chrome: Chrome::for_form(
            user,
            format!("{}: {}", court.name, format::date(day)),
            &errors,
            "/courts",
        ),
        csrf_token: user.csrf_token.clone(),
        court: court.name.clone(),
        code: court.code.clone(),
        day: format::date(day),
        day_iso: day.to_string(),
        previous_day: format!(
            "/courts/{}/{}",
            court.code,
            day.checked_sub_days(Days::new(1)).unwrap_or(day)
        ),
        next_day: format!(
            "/courts/{}/{}",
            court.code,
            day.checked_add_days(Days::new(1)).unwrap_or(day)
        ),
        hearings: hearings.into_iter().map(row).collect(),
        total,
        page,
        previous: (page > 1).then(|| format!("{base}?page={}", page - 1)),
        next: (page * PER_PAGE < total).then(|| format!("{base}?page={}", page + 1)),
        errors,
        form,
        candidates,
        sexes: Sex::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        categories: OffenceCategory::ALL
            .iter()
            .map(|c| (c.code(), c.label()))
            .collect(),
        report_types: ReportType::ALL
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        rules: ReportType::ALL.iter().map(|r| rules.describe(*r)).collect(),
    }
}

/// `GET /courts/{court}/{day}`: the day's list, a page at a time.
pub async fn day(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((code, day)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let day = day_of(&day)?;
    let page = query.page.unwrap_or(1).max(1);
    let found = open_court(
        &state,
        &user,
        &code,
        "view_court_list",
        move |conn, court| listed(conn, court, day, page),
    )
    .await?;
    let page = list_page(
        &user,
        found,
        day,
        page,
        Vec::new(),
        HearingForm::default(),
        Vec::new(),
    );
    Ok(render(&page)?.into_response())
}

/// Maps a line's problem to the form field it belongs to.
fn field_of(column: &str) -> String {
    match column {
        "date_of_birth" | "offence_date" => format!("{column}-day"),
        other => other.to_owned(),
    }
}

/// The audit row of a hearing added to a list.
fn audit_added(
    posted: &Posted,
    court: &Court,
    day: NaiveDate,
    added: &AddedHearing,
    how: &str,
) -> AuditEntry {
    AuditEntry {
        staff_id: Some(posted.by),
        actor: posted.actor_name.clone(),
        action: "add_court_hearing".into(),
        outcome: Outcome::Allowed,
        person_id: Some(added.person_id),
        crn: Some(added.crn.clone()),
        detail: format!(
            "{} on {day}, {how}: {}",
            court.code,
            hearings::matched_by_words(added.matched_by)
        ),
    }
}

/// `POST /courts/{court}/{day}/hearings`: adds one hearing.
pub async fn add_hearing(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((code, day)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let day = day_of(&day)?;
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let submission = open_court(
        &state,
        &user,
        &code,
        "add_court_hearing",
        move |conn, court| {
            let raw = RawLine {
                crn: posted.get("crn"),
                first_name: posted.get("first_name"),
                last_name: posted.get("last_name"),
                date_of_birth: posted
                    .date("date_of_birth", "the date of birth")
                    .map_err(|e| e.message),
                sex: posted.get("sex"),
                offence: posted.get("offence"),
                offence_category: posted.get("offence_category"),
                offence_date: posted
                    .date("offence_date", "the offence date")
                    .map_err(|e| e.message),
                report_type: posted.get("report_type"),
            };
            let line = match HearingLine::parse(&raw, day) {
                Ok(line) => line,
                Err(problems) => {
                    let errors = problems
                        .into_iter()
                        .map(|(column, message)| FieldError::new(field_of(column), message))
                        .collect();
                    return Ok(Submission::Refused((
                        listed(conn, court, day, 1)?,
                        errors,
                        Vec::new(),
                    )));
                }
            };
            let list_day = ListDay {
                court,
                hearing_on: day,
                by: posted.by,
                now,
            };
            match hearings::add(conn, &list_day, &line, &CourtRules::default())? {
                Ok(added) => {
                    audit::record(
                        conn,
                        &audit_added(&posted, court, day, &added, "added"),
                        now,
                    )?;
                    Ok(Submission::Saved(format!(
                        "/court/hearings/{}",
                        added.hearing_id
                    )))
                }
                Err(problem) => {
                    let candidates = match hearings::find_match(conn, &line)? {
                        keepsafe_domain::court::CaseMatch::Ambiguous(found) => {
                            found.into_iter().map(|c| (c.crn, c.name)).collect()
                        }
                        _ => Vec::new(),
                    };
                    Ok(Submission::Refused((
                        listed(conn, court, day, 1)?,
                        vec![FieldError::new("crn", problem)],
                        candidates,
                    )))
                }
            }
        },
    )
    .await?;
    forms::respond(
        submission,
        |href| Redirect::to(&href),
        |(found, errors, candidates)| {
            list_page(
                &user,
                found,
                day,
                1,
                errors,
                HearingForm::from(&fields),
                candidates,
            )
        },
    )
}

/// The problems with a file, as the error summary shows them (each linked to the file input).
fn file_errors(errors: &[RowError]) -> Vec<FieldError> {
    errors
        .iter()
        .map(|e| FieldError::new("list", e.describe()))
        .collect()
}

/// `POST /courts/{court}/{day}/import` (multipart, the file in `list`): imports a day's list,
/// every row or none.
pub async fn import(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((code, day)): Path<(String, String)>,
    form: FormWithFiles,
) -> Result<Response, AppError> {
    let day = day_of(&day)?;
    let posted = Posted::new(&user, &form.fields);
    let now = state.clock.now();
    let file = form.files.into_iter().find(|f| f.field == "list");
    let submission = open_court(
        &state,
        &user,
        &code,
        "import_court_list",
        move |conn, court| {
            let refuse = |conn: &mut AnyConnection, errors: Vec<FieldError>| {
                Ok(Submission::Refused((listed(conn, court, day, 1)?, errors)))
            };
            let Some(file) = file else {
                return refuse(
                    conn,
                    vec![FieldError::new(
                        "list",
                        "Choose the court list file to import",
                    )],
                );
            };
            let Ok(text) = String::from_utf8(file.bytes) else {
                return refuse(
                    conn,
                    vec![FieldError::new(
                        "list",
                        "The file must be a CSV file saved as UTF-8 text",
                    )],
                );
            };
            let lines = match parse_list(&text, day) {
                Ok(lines) => lines,
                Err(errors) => return refuse(conn, file_errors(&errors)),
            };
            let list_day = ListDay {
                court,
                hearing_on: day,
                by: posted.by,
                now,
            };
            match hearings::import(conn, &list_day, &lines, &CourtRules::default())? {
                Ok(added) => {
                    for hearing in &added {
                        audit::record(
                            conn,
                            &audit_added(&posted, court, day, hearing, "imported"),
                            now,
                        )?;
                    }
                    Ok(Submission::Saved(format!("/courts/{}/{day}", court.code)))
                }
                Err(errors) => refuse(conn, file_errors(&errors)),
            }
        },
    )
    .await?;
    forms::respond(
        submission,
        |href| Redirect::to(&href),
        |(found, errors)| {
            list_page(
                &user,
                found,
                day,
                1,
                errors,
                HearingForm::default(),
                Vec::new(),
            )
        },
    )
}

/// `GET /courts/court-list-template.csv`: the columns of a court list file with two example rows,
/// one for a known case and one for a new one.
pub async fn template() -> Response {
    let body = format!(
        "{}\r\nX123456,Jane,Smith,1990-05-01,female,Assault by beating,Violence against the person,2026-10-01,Short-format\r\n,Tom,Reed,1985-02-03,male,Theft from a shop,Theft (non-motor),2026-11-02,\r\n",
        LIST_COLUMNS.join(",")
    );
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"court-list-template.csv\"",
            ),
        ],
        body,
    )
        .into_response()
}
