//! Registrations and flags: adding one with its kind, MAPPA category and level, and next review
//! date (`/cases/{crn}/registrations/new`); recording a review, which sets the next review date
//! and, for MAPPA, confirms or changes the category and level (`…/{registration}/review`); and
//! ending one with a reason (`…/{registration}/end`).
//!
//! The next review date is checked against [`RegistrationReviewRules`] (reference §7: MAPPA level 2
//! at least every 16 weeks, level 3 every 8); left blank, it is the date the rules propose. The
//! consequences — a "review the risk assessment" task for a domestic-abuse or children's
//! registration or a MAPPA change, and the tiers and predictors recomputed — happen in the same
//! transaction (`storage::cases::registrations`).

use crate::cases::access::{open_case_for, Need};
use crate::cases::details::{choices, long_text, optional_date, past_date};
use crate::cases::editing::{date_fields, review_due_words, Changed, FormState};
use crate::error::AppError;
use crate::format;
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
use keepsafe_domain::registration::{
    InvalidRegistration, MappaCategory, MappaLevel, RegistrationDetail, RegistrationKind,
    RegistrationReviewRules,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::details::change;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::cases::registrations::{self, NewRegistration, NewReview, RegistrationEntry};
use uuid::Uuid;

/// The review cadence in words, for the forms.
fn cadence_words(rules: &RegistrationReviewRules) -> String {
    format!(
        "MAPPA level 2 cases are reviewed at least every {} weeks and level 3 cases at least every {} weeks. Other registrations, and MAPPA level 1, are reviewed at least every {} weeks. Leave the date blank to review in {} weeks, or the MAPPA interval.",
        rules.mappa_level_2_weeks,
        rules.mappa_level_3_weeks,
        rules.longest_weeks,
        rules.default_weeks
    )
}

/// A registration as the forms summarise it.
struct RegistrationSummary {
    label: String,
    mappa: Option<String>,
    registered: String,
    review: String,
    notes: String,
    reviews: Vec<(String, String, String)>,
}

fn summary(entry: &RegistrationEntry, today: NaiveDate) -> RegistrationSummary {
    RegistrationSummary {
        label: entry.kind.label().to_owned(),
        mappa: entry
            .mappa_category
            .zip(entry.mappa_level)
            .map(|(c, l)| format!("{}; {}", c.label(), l.label())),
        registered: format::date(entry.registered_on),
        review: entry
            .next_review_on
            .map(|due| review_due_words(due, today))
            .unwrap_or_else(|| "No review date".into()),
        notes: entry.notes.clone(),
        reviews: entry
            .reviews
            .iter()
            .map(|r| {
                (
                    format::date(r.reviewed_on),
                    r.reviewed_by.clone(),
                    r.notes.clone(),
                )
            })
            .collect(),
    }
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// Reads the MAPPA category and level for `kind`, naming the missing field.
fn read_detail(
    validation: &mut Validation,
    fields: &FormFields,
    kind: Option<RegistrationKind>,
) -> Option<RegistrationDetail> {
    let category = MappaCategory::parse(fields.get("mappa_category")).ok();
    let level = MappaLevel::parse(fields.get("mappa_level")).ok();
    match RegistrationDetail::new(kind?, category, level) {
        Ok(detail) => Some(detail),
        Err(errors) => {
            for error in errors {
                let field = match error {
                    InvalidRegistration::CategoryMissing => "mappa_category",
                    InvalidRegistration::LevelMissing => "mappa_level",
                };
                validation.add(FieldError::new(field, error.to_string()));
            }
            None
        }
    }
}

/// The next review date: the one chosen, checked against the cadence from `from`, or the one the
/// rules propose when left blank.
fn read_next_review(
    validation: &mut Validation,
    fields: &FormFields,
    detail: Option<RegistrationDetail>,
    from: Option<NaiveDate>,
    rules: &RegistrationReviewRules,
) -> Option<NaiveDate> {
    let chosen = validation.field(optional_date(fields, "next_review", "the next review date"))?;
    let (detail, from) = (detail?, from?);
    match chosen {
        None => Some(rules.proposed_review(detail.kind, detail.level(), from)),
        Some(next) => validation.field(
            rules
                .check_next_review(detail.kind, detail.level(), from, next)
                .map_err(|error| FieldError::new("next_review-day", error.to_string())),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Adding a registration.

#[derive(Template)]
#[template(path = "cases/registration_form.html")]
struct NewRegistrationPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    kinds: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    cadence: String,
}

fn new_page(
    user: &CurrentUser,
    heading: (String, String),
    fields: FormFields,
    errors: Vec<FieldError>,
) -> NewRegistrationPage {
    NewRegistrationPage {
        chrome: Chrome::for_form(user, "Add a registration", &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        kinds: choices::<RegistrationKind>(),
        categories: choices::<MappaCategory>(),
        levels: choices::<MappaLevel>(),
        cadence: cadence_words(&RegistrationReviewRules::default()),
    }
}

/// `GET /cases/{crn}/registrations/new`.
pub async fn new_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let heading =
        crate::cases::access::heading_for_work(&state, &user, &crn, "view_registration_form")
            .await?;
    let fields = FormFields(date_fields("registered", Some(state.clock.today())));
    Ok(render(&new_page(&user, heading, fields, Vec::new()))?.into_response())
}

fn read_registration(
    fields: &FormFields,
    today: NaiveDate,
    rules: &RegistrationReviewRules,
) -> Result<NewRegistration, Vec<FieldError>> {
    let mut validation = Validation::default();
    let kind = validation.required(
        RegistrationKind::parse(fields.get("kind")).ok(),
        "kind",
        "Select the registration",
    );
    let detail = read_detail(&mut validation, fields, kind);
    let registered = validation.field(past_date(
        fields,
        "registered",
        "the date it was registered",
        today,
    ));
    let next = read_next_review(&mut validation, fields, detail, registered, rules);
    let notes = validation.field(long_text(fields, "notes", "Notes"));
    validation.finish(|| {
        Some(NewRegistration {
            detail: detail?,
            registered_on: registered?,
            next_review_on: next?,
            notes: notes?,
        })
    })
}

/// `POST /cases/{crn}/registrations/new`.
pub async fn add(
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
        "add_registration",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let rules = RegistrationReviewRules::default();
            let new = match read_registration(&posted, state.clock.today(), &rules) {
                Ok(new) => new,
                Err(errors) => return Ok(Submission::Refused((heading, errors))),
            };
            let now = state.clock.now();
            let (id, consequences) =
                registrations::add(conn, case.person_id, &new, posted.by, now)?;
            let added = registrations::registration(conn, case.person_id, id)?;
            let mut detail = change("registration", "", &added.describe());
            if let Some((_, due)) = consequences.review_task {
                detail.push_str(&format!("; risk assessment review due {due}"));
            }
            audit::record(
                conn,
                &posted.audit_on_case("add_registration", case, detail),
                now,
            )?;
            Ok(Submission::Saved((
                heading.1,
                consequences.review_task.map(|(_, due)| due),
            )))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |(crn, due)| Redirect::to(&Changed::RegistrationAdded.redirect(&crn, due)),
        |(heading, errors)| new_page(&user, heading, fields, errors),
    )
}

// ---------------------------------------------------------------------------------------------
// Reviewing a registration.

#[derive(Template)]
#[template(path = "cases/registration_review_form.html")]
struct ReviewPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    registration: String,
    summary: RegistrationSummary,
    is_mappa: bool,
    categories: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    cadence: String,
}

fn review_page(
    user: &CurrentUser,
    heading: (String, String),
    entry: &RegistrationEntry,
    today: NaiveDate,
    fields: FormFields,
    errors: Vec<FieldError>,
) -> ReviewPage {
    let title = format!("Review the {} registration", entry.kind.label());
    ReviewPage {
        chrome: Chrome::for_form(user, title, &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        registration: entry.id.to_string(),
        summary: summary(entry, today),
        is_mappa: entry.kind.has_mappa_detail(),
        categories: choices::<MappaCategory>(),
        levels: choices::<MappaLevel>(),
        cadence: cadence_words(&RegistrationReviewRules::default()),
    }
}

/// Opens a current registration of the case for a form.
async fn open_current(
    state: &AppState,
    user: &CurrentUser,
    crn: &str,
    purpose: &'static str,
    registration: Uuid,
) -> Result<((String, String), RegistrationEntry), AppError> {
    let (heading, entry) =
        open_case_for(state, user, crn, purpose, Need::Work, move |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                registrations::registration(conn, case.person_id, registration)?,
            ))
        })
        .await?;
    if entry.ended_on.is_some() {
        return Err(AppError::Conflict(format!(
            "The {} registration has ended",
            entry.kind.label()
        )));
    }
    Ok((heading, entry))
}

/// `GET /cases/{crn}/registrations/{registration}/review`.
pub async fn review_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, registration)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let registration = parse_id(&registration)?;
    let (heading, entry) = open_current(
        &state,
        &user,
        &crn,
        "view_registration_review_form",
        registration,
    )
    .await?;
    let today = state.clock.today();
    let mut pairs = date_fields("reviewed", Some(today));
    pairs.push((
        "mappa_category".into(),
        entry
            .mappa_category
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
    ));
    pairs.push((
        "mappa_level".into(),
        entry
            .mappa_level
            .map(|l| l.code().to_owned())
            .unwrap_or_default(),
    ));
    let page = review_page(&user, heading, &entry, today, FormFields(pairs), Vec::new());
    Ok(render(&page)?.into_response())
}

fn read_review(
    fields: &FormFields,
    entry: &RegistrationEntry,
    today: NaiveDate,
    rules: &RegistrationReviewRules,
) -> Result<NewReview, Vec<FieldError>> {
    let mut validation = Validation::default();
    let reviewed = validation.field(
        past_date(fields, "reviewed", "the date of the review", today).and_then(|date| {
            if date < entry.registered_on {
                Err(FieldError::new(
                    "reviewed-day",
                    format!(
                        "The date of the review must be on or after the date it was registered, {}",
                        format::date(entry.registered_on)
                    ),
                ))
            } else {
                Ok(date)
            }
        }),
    );
    let detail = read_detail(&mut validation, fields, Some(entry.kind));
    let notes = validation.field(long_text(fields, "notes", "The review").and_then(|notes| {
        if notes.is_empty() {
            Err(FieldError::new("notes", "Enter what the review found"))
        } else {
            Ok(notes)
        }
    }));
    let next = read_next_review(&mut validation, fields, detail, reviewed, rules);
    validation.finish(|| {
        Some(NewReview {
            reviewed_on: reviewed?,
            notes: notes?,
            next_review_on: next?,
            mappa: detail?.mappa,
            rule_version: rules.version.to_owned(),
        })
    })
}

/// `POST /cases/{crn}/registrations/{registration}/review`.
pub async fn review(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, registration)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let registration = parse_id(&registration)?;
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "review_registration",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let entry = registrations::registration(conn, case.person_id, registration)?;
            let rules = RegistrationReviewRules::default();
            let new = match read_review(&posted, &entry, state.clock.today(), &rules) {
                Ok(new) => new,
                Err(errors) => return Ok(Submission::Refused((heading, entry, errors))),
            };
            let now = state.clock.now();
            let (before, consequences) =
                registrations::review(conn, case.person_id, registration, &new, posted.by, now)?;
            let text = |date: Option<NaiveDate>| date.map(|d| d.to_string()).unwrap_or_default();
            let code = |value: Option<&str>| value.unwrap_or_default().to_owned();
            let mut changes = vec![
                format!("{} reviewed {}", before.kind.code(), new.reviewed_on),
                change(
                    "next_review_on",
                    &text(before.next_review_on),
                    &new.next_review_on.to_string(),
                ),
            ];
            if let Some((category, level)) = new.mappa {
                changes.push(change(
                    "mappa_category",
                    &code(before.mappa_category.map(|c| c.code())),
                    category.code(),
                ));
                changes.push(change(
                    "mappa_level",
                    &code(before.mappa_level.map(|l| l.code())),
                    level.code(),
                ));
            }
            if let Some((_, due)) = consequences.review_task {
                changes.push(format!("risk assessment review due {due}"));
            }
            audit::record(
                conn,
                &posted.audit_on_case("review_registration", case, changes.join("; ")),
                now,
            )?;
            Ok(Submission::Saved((
                heading.1,
                consequences.review_task.map(|(_, due)| due),
            )))
        },
    )
    .await?;
    let today = state.clock.today();
    forms::respond(
        outcome,
        |(crn, due)| Redirect::to(&Changed::RegistrationReviewed.redirect(&crn, due)),
        |(heading, entry, errors)| review_page(&user, heading, &entry, today, fields, errors),
    )
}

// ---------------------------------------------------------------------------------------------
// Ending a registration.

#[derive(Template)]
#[template(path = "cases/registration_end_form.html")]
struct EndPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    registration: String,
    summary: RegistrationSummary,
}

fn end_page(
    user: &CurrentUser,
    heading: (String, String),
    entry: &RegistrationEntry,
    today: NaiveDate,
    fields: FormFields,
    errors: Vec<FieldError>,
) -> EndPage {
    let title = format!("End the {} registration", entry.kind.label());
    EndPage {
        chrome: Chrome::for_form(user, title, &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        registration: entry.id.to_string(),
        summary: summary(entry, today),
    }
}

/// `GET /cases/{crn}/registrations/{registration}/end`.
pub async fn end_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, registration)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let registration = parse_id(&registration)?;
    let (heading, entry) = open_current(
        &state,
        &user,
        &crn,
        "view_registration_end_form",
        registration,
    )
    .await?;
    let page = end_page(
        &user,
        heading,
        &entry,
        state.clock.today(),
        FormFields::default(),
        Vec::new(),
    );
    Ok(render(&page)?.into_response())
}

/// The longest reason for ending a registration.
const END_REASON_MAX: usize = 2_000;

fn read_end_reason(fields: &FormFields) -> Result<String, Vec<FieldError>> {
    let reason = long_text(fields, "reason", "The reason").map_err(|e| vec![e])?;
    if reason.is_empty() {
        Err(vec![FieldError::new(
            "reason",
            "Enter why the registration is ending",
        )])
    } else if reason.chars().count() > END_REASON_MAX {
        Err(vec![FieldError::new(
            "reason",
            format!("The reason must be {END_REASON_MAX} characters or fewer"),
        )])
    } else {
        Ok(reason)
    }
}

/// `POST /cases/{crn}/registrations/{registration}/end`.
pub async fn end(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, registration)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let registration = parse_id(&registration)?;
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "end_registration",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let entry = registrations::registration(conn, case.person_id, registration)?;
            let reason = match read_end_reason(&posted) {
                Ok(reason) => reason,
                Err(errors) => return Ok(Submission::Refused((heading, entry, errors))),
            };
            let now = state.clock.now();
            let before =
                registrations::end(conn, case.person_id, registration, &reason, posted.by, now)?;
            let detail = format!(
                "{}; {}; reason: {reason:?}",
                before.describe(),
                change("ended_on", "", &now.date_naive().to_string())
            );
            audit::record(
                conn,
                &posted.audit_on_case("end_registration", case, detail),
                now,
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    let today = state.clock.today();
    forms::respond(
        outcome,
        |crn| Redirect::to(&Changed::RegistrationEnded.redirect(&crn, None)),
        |(heading, entry, errors)| end_page(&user, heading, &entry, today, fields, errors),
    )
}
