//! Contact standards (`keepsafe_domain::supervision::standards`): whether each case is meeting its
//! minimum contact frequency, and how that was worked out.
//!
//! - `GET /cases/{crn}/contact-standard`: the case's standing with its inputs, the version and
//!   the working (the case record links here with one line, [`CaseLine`]).
//! - `GET /supervision/behind`: the cases behind their standard — a practitioner's own, a senior
//!   officer's team, a head of PDU's PDU — oldest first.
//! - `GET/POST /admin/contact-standards`: the versions, and a new version from a date
//!   (administrators), validated by the domain and audit-logged.

use crate::cases::access::open_case;
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, TypedDate, Validation};
use crate::layout::{render, Chrome};
use crate::routes::{Access, GradeAction, Registry, SignedIn};
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::Path;
use axum::extract::State;
use axum::http::Method;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::rosh::RoshLevel;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::standards::{
    self as rule, Assessment, ContactStandard, StandardHistory, Standing, TypedLevel,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::supervision::standards::{self as stored, Caseload};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// The routes of this page, added by the area's `routes`.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/contact-standard",
            Access::Case,
            get(show),
        )
        .add(
            Method::GET,
            "/supervision/behind",
            Access::Grade(GradeAction::ReviewTasks),
            get(behind),
        )
        .add(
            Method::GET,
            "/admin/contact-standards",
            Access::Grade(GradeAction::ManageUsers),
            get(versions),
        )
        .add(
            Method::POST,
            "/admin/contact-standards",
            Access::Grade(GradeAction::ManageUsers),
            axum::routing::post(add_version),
        )
}

/// The one line the case record shows: whether the case is meeting its standard, linking to why.
#[derive(Debug, Clone, Default)]
pub struct CaseLine {
    pub summary: String,
    pub behind: bool,
}

impl CaseLine {
    /// The case's standing today, read in the case record's own transaction.
    pub fn read(
        conn: &mut AnyConnection,
        person_id: Uuid,
        today: NaiveDate,
    ) -> Result<Self, AppError> {
        let assessment = assess_case(conn, person_id, today)?;
        Ok(Self {
            summary: assessment.summary(),
            behind: assessment.is_behind(),
        })
    }
}

fn assess_case(
    conn: &mut AnyConnection,
    person_id: Uuid,
    today: NaiveDate,
) -> Result<Assessment, AppError> {
    let history = stored::history(conn)?;
    let found = stored::for_people(conn, &[person_id], today)?;
    Ok(match found.get(&person_id) {
        Some(case) => rule::assess(&history, case, today),
        None => Assessment {
            standing: Standing::NotApplicable,
            version: None,
            every_days: None,
            level: None,
            last_contact: None,
            explanation: keepsafe_domain::workload::Explanation::new("none")
                .step("The case has no active event, so no contact standard applies."),
        },
    })
}

#[derive(Template)]
#[template(path = "supervision/standards_case.html")]
struct CasePage {
    chrome: Chrome,
    name: String,
    crn: String,
    summary: String,
    behind: bool,
    applies: bool,
    due_by: String,
    last_contact: String,
    every_days: String,
    inputs: Vec<(String, String)>,
    steps: Vec<String>,
    version: String,
}

/// `GET /cases/{crn}/contact-standard`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Html<String>, AppError> {
    let today = state.clock.today();
    let ((name, crn), assessment) = open_case(
        &state,
        &user,
        &crn,
        "view_contact_standard",
        move |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                assess_case(conn, case.person_id, today)?,
            ))
        },
    )
    .await?;
    let due_by = match assessment.standing {
        Standing::Meeting { due_by } | Standing::Behind { due_by, .. } => format::date(due_by),
        Standing::NotApplicable => String::new(),
    };
    render(&CasePage {
        chrome: Chrome::for_user(&user, format!("Contact standard: {name}"), ""),
        summary: assessment.summary(),
        behind: assessment.is_behind(),
        applies: assessment.standing != Standing::NotApplicable,
        due_by,
        last_contact: assessment
            .last_contact
            .map_or_else(|| "None since the start".to_owned(), format::date),
        every_days: assessment
            .every_days
            .map(|days| format!("At least every {days} days"))
            .unwrap_or_default(),
        inputs: assessment
            .explanation
            .inputs
            .iter()
            .map(|fact| (fact.name.clone(), fact.value.clone()))
            .collect(),
        steps: assessment.explanation.steps.clone(),
        version: assessment.explanation.rule_version.clone(),
        name,
        crn,
    })
}

/// One case behind its standard, as the list shows it.
struct BehindRow {
    crn: String,
    name: String,
    practitioner: String,
    since: String,
    days: i64,
    last_contact: String,
    level: String,
}

#[derive(Template)]
#[template(path = "supervision/standards_behind.html")]
struct BehindPage {
    chrome: Chrome,
    caption: String,
    with_practitioner: bool,
    rows: Vec<BehindRow>,
    checked: usize,
    version: String,
}

/// Whose cases the user sees: their own (practitioners), their team (senior officers), their PDU
/// (heads of PDU).
fn caseload_of(user: &CurrentUser) -> Result<(Caseload, String), AppError> {
    let account = &user.account;
    let missing = || {
        AppError::Refused("Your account has no team or PDU. Ask an administrator to set it.".into())
    };
    Ok(match account.grade {
        Grade::SeniorProbationOfficer => (
            Caseload::Team(account.team_id.ok_or_else(missing)?),
            "Your team's cases".to_owned(),
        ),
        Grade::HeadOfPdu => (
            Caseload::Pdu(account.pdu_id.ok_or_else(missing)?),
            "Your PDU's cases".to_owned(),
        ),
        _ => (
            Caseload::Practitioner(account.id),
            format!("Cases managed by {}", account.display_name()),
        ),
    })
}

/// `GET /supervision/behind`.
pub async fn behind(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let (caseload, caption) = caseload_of(&user)?;
    let staff_id = user.account.id;
    let actor = user.audit_name();
    let today = state.clock.today();
    let (history, cases) = state
        .write(move |conn| {
            let history = stored::history(conn)?;
            let cases = stored::caseload(conn, caseload, today)?;
            audit::record(
                conn,
                &AuditEntry {
                    staff_id: Some(staff_id),
                    actor,
                    action: "view_behind_standard".into(),
                    outcome: Outcome::Allowed,
                    person_id: None,
                    crn: None,
                    detail: format!("{} cases checked", cases.len()),
                },
                state.clock.now(),
            )?;
            Ok((history, cases))
        })
        .await?;
    let checked = cases.len();
    let mut rows: Vec<(NaiveDate, BehindRow)> = cases
        .into_iter()
        .filter_map(|case| {
            let assessment = rule::assess(&history, &case.contact, today);
            let Standing::Behind { since, days, .. } = assessment.standing else {
                return None;
            };
            Some((
                since,
                BehindRow {
                    crn: case.crn,
                    name: case.name,
                    practitioner: case.practitioner,
                    since: format::date(since),
                    days,
                    last_contact: assessment
                        .last_contact
                        .map_or_else(|| "None since the start".to_owned(), format::date),
                    level: match case.contact.rosh_level {
                        Some(level) => level.label().to_owned(),
                        None => format!(
                            "Not assessed ({} used)",
                            rule::FALLBACK_LEVEL.label().to_lowercase()
                        ),
                    },
                },
            ))
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.crn.cmp(&b.1.crn)));
    render(&BehindPage {
        chrome: Chrome::for_user(&user, "Cases behind their contact standard", ""),
        with_practitioner: !matches!(caseload, Caseload::Practitioner(_)),
        caption,
        rows: rows.into_iter().map(|(_, row)| row).collect(),
        checked,
        version: history
            .in_force_on(today)
            .map_or_else(|| "none".to_owned(), ContactStandard::version),
    })
}

/// One version as the table shows it.
struct VersionRow {
    effective_from: String,
    in_force: bool,
    levels: Vec<(String, String, String, String)>,
    source: String,
    set_by: String,
}

/// The form's numbers for one level: its name, the field prefix, and what was typed.
struct LevelFields {
    label: String,
    prefix: String,
    early_weeks: String,
    early_every_days: String,
    then_every_days: String,
    early_weeks_error: Option<String>,
    early_every_days_error: Option<String>,
    then_every_days_error: Option<String>,
}

#[derive(Template)]
#[template(path = "supervision/standards_versions.html")]
struct VersionsPage {
    chrome: Chrome,
    csrf_token: String,
    versions: Vec<VersionRow>,
    errors: Vec<FieldError>,
    date: TypedDate,
    date_error: Option<String>,
    source: String,
    source_error: Option<String>,
    levels: Vec<LevelFields>,
    fallback: String,
}

fn levels() -> [RoshLevel; 4] {
    [
        RoshLevel::Low,
        RoshLevel::Medium,
        RoshLevel::High,
        RoshLevel::VeryHigh,
    ]
}

fn prefix(level: RoshLevel) -> String {
    level.code().replace('_', "-")
}

fn versions_page(
    user: &CurrentUser,
    history: &StandardHistory,
    today: NaiveDate,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> VersionsPage {
    let in_force = history.in_force_on(today).map(|v| v.effective_from);
    let error_for = |field: &str| forms::message_for(&errors, field);
    // A blank form starts from the version in force, so a change is a small edit.
    let current = history.in_force_on(today).cloned();
    let typed = |name: &str, fallback: Option<u32>| {
        if fields.0.is_empty() {
            fallback.map(|n| n.to_string()).unwrap_or_default()
        } else {
            fields.get(name).chars().take(4).collect()
        }
    };
    VersionsPage {
        chrome: Chrome::for_form(user, "Contact standards", &errors, "/admin/users"),
        csrf_token: user.csrf_token.clone(),
        versions: history
            .versions()
            .iter()
            .rev()
            .map(|version| VersionRow {
                effective_from: format::date(version.effective_from),
                in_force: Some(version.effective_from) == in_force,
                levels: levels()
                    .into_iter()
                    .map(|level| {
                        let standard = version.for_level(level);
                        (
                            level.label().to_owned(),
                            format!("Every {} days", standard.early_every_days),
                            format!("{} weeks", standard.early_weeks),
                            format!("Every {} days", standard.then_every_days),
                        )
                    })
                    .collect(),
                source: version.source.clone(),
                set_by: version
                    .set_by
                    .clone()
                    .unwrap_or_else(|| "Installed with keepsafe".to_owned()),
            })
            .collect(),
        date: fields.typed_date("effective-from"),
        date_error: error_for("effective-from-day"),
        source: fields.get("source").chars().take(1_000).collect(),
        source_error: error_for("source"),
        levels: levels()
            .into_iter()
            .map(|level| {
                let p = prefix(level);
                let standard = current.as_ref().map(|c| *c.for_level(level));
                LevelFields {
                    label: level.label().to_owned(),
                    early_weeks: typed(
                        &format!("{p}-early-weeks"),
                        standard.map(|s| s.early_weeks),
                    ),
                    early_every_days: typed(
                        &format!("{p}-early-every-days"),
                        standard.map(|s| s.early_every_days),
                    ),
                    then_every_days: typed(
                        &format!("{p}-then-every-days"),
                        standard.map(|s| s.then_every_days),
                    ),
                    early_weeks_error: error_for(&format!("{p}-early-weeks")),
                    early_every_days_error: error_for(&format!("{p}-early-every-days")),
                    then_every_days_error: error_for(&format!("{p}-then-every-days")),
                    prefix: p,
                }
            })
            .collect(),
        fallback: rule::FALLBACK_LEVEL.label().to_lowercase(),
        errors,
    }
}

/// `GET /admin/contact-standards`.
pub async fn versions(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let history = state.read(|conn| Ok(stored::history(conn)?)).await?;
    render(&versions_page(
        &user,
        &history,
        state.clock.today(),
        &FormFields::default(),
        Vec::new(),
    ))
}

/// A whole number as typed, or `None` when it is not one.
fn number(fields: &FormFields, name: &str) -> Option<u32> {
    fields.get(name).trim().parse().ok()
}

/// A checked new version: from when, each level's numbers, and the source.
type NewVersion = (NaiveDate, [(RoshLevel, rule::LevelStandard); 4], String);

/// Reads and checks the form against the versions already kept.
fn read_version(
    fields: &FormFields,
    history: &StandardHistory,
    today: NaiveDate,
) -> Result<NewVersion, Vec<FieldError>> {
    let mut validation = Validation::default();
    let date = validation.field(fields.date("effective-from", "the date it takes effect"));
    let typed = levels().map(|level| {
        let p = prefix(level);
        (
            level,
            TypedLevel {
                early_weeks: number(fields, &format!("{p}-early-weeks")),
                early_every_days: number(fields, &format!("{p}-early-every-days")),
                then_every_days: number(fields, &format!("{p}-then-every-days")),
            },
        )
    });
    let source = fields.get("source").trim().to_owned();
    // Without a date the domain checks the numbers against the earliest possible one (today),
    // so every error is shown at once.
    let checked = rule::validate_version(date.unwrap_or(today), typed, history, today, &source);
    let mut errors = validation.into_errors();
    match checked {
        Ok(levels) if errors.is_empty() => Ok((date.expect("no error, so a date"), levels, source)),
        Ok(_) => Err(errors),
        Err(refused) => {
            // The date's own error comes first; the domain's date error only when it was typed.
            errors.extend(
                refused
                    .into_iter()
                    .filter(|e| date.is_some() || e.field != "effective-from-day")
                    .map(|e| FieldError::new(e.field, e.message)),
            );
            Err(errors)
        }
    }
}

/// `POST /admin/contact-standards`.
pub async fn add_version(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let outcome = state
        .write(move |conn| {
            let history = stored::history(conn)?;
            let (from, levels, source) = match read_version(&posted, &history, today) {
                Ok(version) => version,
                Err(errors) => return Ok(Submission::Refused((history, errors))),
            };
            let now = state.clock.now();
            stored::add_version(conn, from, &levels, &source, posted.by, now)?;
            let numbers: Vec<String> = levels
                .iter()
                .map(|(level, s)| {
                    format!(
                        "{} {}w/{}d then {}d",
                        level.code(),
                        s.early_weeks,
                        s.early_every_days,
                        s.then_every_days
                    )
                })
                .collect();
            audit::record(
                conn,
                &posted.audit(
                    "add_contact_standard",
                    format!("from {from}: {}", numbers.join("; ")),
                ),
                now,
            )?;
            Ok(Submission::Saved(()))
        })
        .await?;
    forms::respond(
        outcome,
        |()| Redirect::to("/admin/contact-standards"),
        |(history, errors)| versions_page(&user, &history, today, &fields, errors),
    )
    .map(IntoResponse::into_response)
}
