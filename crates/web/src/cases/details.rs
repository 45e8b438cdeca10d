//! Changing a person's personal details: names, gender, contact details, language and
//! interpreter (`/cases/{crn}/personal-details`); correcting the date of birth with a reason
//! (`/cases/{crn}/date-of-birth`); aliases (`/cases/{crn}/aliases/…`); and disabilities with the
//! adjustments agreed (`/cases/{crn}/disabilities/…`).
//!
//! Every change opens the case for work (`Need::Work`), is validated and saved in that one
//! transaction, and writes an audit row saying each field's value before and after.

use crate::cases::access::{open_case_for, Need};
use crate::cases::editing::{date_fields, prefilled, Changed, FormState};
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
use keepsafe_domain::person::{
    optional_short_text, validate_date_of_birth, DateOfBirthCorrection, DisabilityKind, Gender,
    InvalidName, PersonName, RecordedGender, TelephoneNumber,
};
use keepsafe_domain::supervision::reminders::{EmailAddress, MobileNumber};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::details::{self, change, NewAlias, NewDisability, PersonalDetails};
use keepsafe_storage::cases::record as case_record;
use uuid::Uuid;

/// (code, label) of each value of a vocabulary, for radios and selects.
pub fn choices<T: CodedValue>() -> Vec<(String, String)> {
    T::ALL
        .iter()
        .map(|v| (v.code().to_owned(), v.label().to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Names, gender, contact details, language and interpreter.

#[derive(Template)]
#[template(path = "cases/personal_details_form.html")]
struct PersonalDetailsPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    genders: Vec<(String, String)>,
}

fn personal_details_page(
    user: &CurrentUser,
    heading: (String, String),
    fields: FormFields,
    errors: Vec<FieldError>,
) -> PersonalDetailsPage {
    PersonalDetailsPage {
        chrome: Chrome::for_form(user, "Change personal details", &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        genders: choices::<Gender>(),
    }
}

fn details_fields(details: &PersonalDetails) -> FormFields {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    prefilled(vec![
        ("first_name", details.first_name.clone()),
        ("last_name", details.last_name.clone()),
        ("preferred_name", text(&details.preferred_name)),
        (
            "gender",
            details
                .gender
                .map(|g| g.code().to_owned())
                .unwrap_or_default(),
        ),
        (
            "gender_self_description",
            text(&details.gender_self_description),
        ),
        ("telephone", text(&details.telephone)),
        ("mobile", text(&details.mobile)),
        ("email", text(&details.email)),
        ("preferred_language", text(&details.preferred_language)),
        (
            "interpreter_needed",
            if details.interpreter_needed {
                "yes"
            } else {
                "no"
            }
            .to_owned(),
        ),
    ])
}

/// `GET /cases/{crn}/personal-details`.
pub async fn personal_details_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let (heading, current) = open_case_for(
        &state,
        &user,
        &crn,
        "view_personal_details_form",
        Need::Work,
        |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                details::personal_details(conn, case.person_id)?,
            ))
        },
    )
    .await?;
    let page = personal_details_page(&user, heading, details_fields(&current), Vec::new());
    Ok(render(&page)?.into_response())
}

/// A name field: required, as printed on letters.
fn name_field(fields: &FormFields, field: &str, what: &str) -> Result<String, FieldError> {
    PersonName::parse(fields.get(field))
        .map(|name| name.as_str().to_owned())
        .map_err(|error| {
            let message = match error {
                InvalidName::Missing => format!("Enter the {what}"),
                other => format!("The {what}: {}", other.to_string().to_lowercase()),
            };
            FieldError::new(field, message)
        })
}

/// An optional short text field.
fn short_field(fields: &FormFields, field: &str, what: &str) -> Result<Option<String>, FieldError> {
    optional_short_text(fields.get(field))
        .map_err(|error| FieldError::new(field, format!("{what} {error}")))
}

/// An optional field read by `parse` when filled in.
fn optional<T>(
    fields: &FormFields,
    field: &str,
    parse: impl FnOnce(&str) -> Result<T, &'static str>,
) -> Result<Option<T>, FieldError> {
    fields
        .filled(field)
        .map(|raw| parse(raw).map_err(|message| FieldError::new(field, message)))
        .transpose()
}

/// Reads the personal details form. An interpreter needs a language to interpret.
fn read_personal_details(fields: &FormFields) -> Result<PersonalDetails, Vec<FieldError>> {
    let mut validation = Validation::default();
    let first_name = validation.field(name_field(fields, "first_name", "first name"));
    let last_name = validation.field(name_field(fields, "last_name", "last name"));
    let preferred_name =
        validation.field(short_field(fields, "preferred_name", "The preferred name"));
    let gender = match fields.filled("gender") {
        None => Some(None),
        Some(code) => validation
            .required(
                Gender::parse(code).ok(),
                "gender",
                "Select a gender from the list",
            )
            .and_then(|gender| {
                validation.field(
                    RecordedGender::new(gender, fields.get("gender_self_description")).map_err(
                        |error| FieldError::new("gender_self_description", error.to_string()),
                    ),
                )
            })
            .map(Some),
    };
    let telephone = validation.field(optional(fields, "telephone", |raw| {
        TelephoneNumber::parse(raw).map(|n| n.as_str().to_owned())
    }));
    let mobile = validation.field(optional(fields, "mobile", |raw| {
        MobileNumber::parse(raw).map(|n| n.as_str().to_owned())
    }));
    let email = validation.field(optional(fields, "email", |raw| {
        EmailAddress::parse(raw).map(|e| e.as_str().to_owned())
    }));
    let language = validation.field(short_field(
        fields,
        "preferred_language",
        "The preferred language",
    ));
    let interpreter = validation.required(
        fields.yes_no("interpreter_needed"),
        "interpreter_needed",
        "Select yes if the person needs an interpreter",
    );
    if interpreter == Some(true) && language.as_ref().is_some_and(Option::is_none) {
        validation.add(FieldError::new(
            "preferred_language",
            "Enter the language the interpreter is needed for",
        ));
    }
    validation.finish(|| {
        let gender = gender?;
        Some(PersonalDetails {
            first_name: first_name?,
            last_name: last_name?,
            preferred_name: preferred_name?,
            gender: gender.as_ref().map(|g| g.gender),
            gender_self_description: gender.and_then(|g| g.self_description),
            telephone: telephone?,
            mobile: mobile?,
            email: email?,
            preferred_language: language?,
            interpreter_needed: interpreter?,
        })
    })
}

/// `POST /cases/{crn}/personal-details`.
pub async fn save_personal_details(
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
        "change_personal_details",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let details = match read_personal_details(&posted) {
                Ok(details) => details,
                Err(errors) => return Ok(Submission::Refused((heading, errors))),
            };
            let before = details::update_personal_details(conn, case.person_id, &details)?;
            let changes = details.changes_from(&before);
            let detail = if changes.is_empty() {
                "no change".to_owned()
            } else {
                changes.join("; ")
            };
            audit::record(
                conn,
                &posted.audit_on_case("change_personal_details", case, detail),
                state.clock.now(),
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&Changed::PersonalDetails.redirect(&crn, None)),
        |(heading, errors)| personal_details_page(&user, heading, fields, errors),
    )
}

// ---------------------------------------------------------------------------------------------
// Correcting the date of birth.

#[derive(Template)]
#[template(path = "cases/date_of_birth_form.html")]
struct DateOfBirthPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    recorded: String,
}

fn date_of_birth_page(
    user: &CurrentUser,
    heading: (String, String),
    recorded: NaiveDate,
    fields: FormFields,
    errors: Vec<FieldError>,
) -> DateOfBirthPage {
    DateOfBirthPage {
        chrome: Chrome::for_form(user, "Correct the date of birth", &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        recorded: crate::format::date(recorded),
    }
}

fn recorded_date_of_birth(
    conn: &mut keepsafe_storage::AnyConnection,
    person_id: Uuid,
) -> Result<NaiveDate, AppError> {
    Ok(details::date_of_birth(conn, person_id)?)
}

/// `GET /cases/{crn}/date-of-birth`.
pub async fn date_of_birth_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let (heading, recorded) = open_case_for(
        &state,
        &user,
        &crn,
        "view_date_of_birth_form",
        Need::Work,
        |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                recorded_date_of_birth(conn, case.person_id)?,
            ))
        },
    )
    .await?;
    let page = date_of_birth_page(&user, heading, recorded, FormFields::default(), Vec::new());
    Ok(render(&page)?.into_response())
}

/// Reads the correction: the new date (a real, plausible date of birth, not the one recorded)
/// and the reason, which is required.
fn read_correction(
    fields: &FormFields,
    recorded: NaiveDate,
    today: NaiveDate,
) -> Result<DateOfBirthCorrection, Vec<FieldError>> {
    let mut validation = Validation::default();
    let after = validation.field(fields.date("date_of_birth", "the correct date of birth"));
    match DateOfBirthCorrection::new(recorded, after, fields.get("reason"), today) {
        Ok(correction) => validation.finish(|| Some(correction)),
        Err(invalid) => {
            if let Some(message) = invalid.date {
                validation.add(FieldError::new("date_of_birth-day", message));
            }
            if let Some(message) = invalid.reason {
                validation.add(FieldError::new("reason", message));
            }
            Err(validation.into_errors())
        }
    }
}

/// `POST /cases/{crn}/date-of-birth`: corrects it, keeps the correction with its reason, and
/// recomputes the predictors in the same transaction.
pub async fn correct_date_of_birth(
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
        "correct_date_of_birth",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let recorded = recorded_date_of_birth(conn, case.person_id)?;
            let correction = match read_correction(&posted, recorded, state.clock.today()) {
                Ok(correction) => correction,
                Err(errors) => return Ok(Submission::Refused((heading, recorded, errors))),
            };
            let now = state.clock.now();
            details::correct_date_of_birth(conn, case.person_id, &correction, posted.by, now)?;
            let detail = format!(
                "{}; reason: {:?}",
                change(
                    "date_of_birth",
                    &correction.before.to_string(),
                    &correction.after.to_string()
                ),
                correction.reason
            );
            audit::record(
                conn,
                &posted.audit_on_case("correct_date_of_birth", case, detail),
                now,
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&Changed::DateOfBirth.redirect(&crn, None)),
        |(heading, recorded, errors)| date_of_birth_page(&user, heading, recorded, fields, errors),
    )
}

// ---------------------------------------------------------------------------------------------
// Aliases.

#[derive(Template)]
#[template(path = "cases/alias_form.html")]
struct AliasPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
}

fn alias_page(
    user: &CurrentUser,
    heading: (String, String),
    fields: FormFields,
    errors: Vec<FieldError>,
) -> AliasPage {
    AliasPage {
        chrome: Chrome::for_form(user, "Add an alias", &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
    }
}

/// `GET /cases/{crn}/aliases/new`.
pub async fn alias_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let heading =
        crate::cases::access::heading_for_work(&state, &user, &crn, "view_alias_form").await?;
    let page = alias_page(&user, heading, FormFields::default(), Vec::new());
    Ok(render(&page)?.into_response())
}

/// A date input that may be left blank.
pub fn optional_date(
    fields: &FormFields,
    name: &str,
    label: &str,
) -> Result<Option<NaiveDate>, FieldError> {
    let blank = ["day", "month", "year"]
        .iter()
        .all(|part| fields.get(&format!("{name}-{part}")).trim().is_empty());
    if blank {
        Ok(None)
    } else {
        fields.date(name, label).map(Some)
    }
}

fn read_alias(fields: &FormFields, today: NaiveDate) -> Result<NewAlias, Vec<FieldError>> {
    let mut validation = Validation::default();
    let first_name = validation.field(name_field(fields, "first_name", "first name"));
    let last_name = validation.field(name_field(fields, "last_name", "last name"));
    let date_of_birth = validation.field(
        optional_date(
            fields,
            "date_of_birth",
            "the date of birth used with this name",
        )
        .and_then(|date| {
            date.map(|d| {
                validate_date_of_birth(d, today)
                    .map_err(|error| FieldError::new("date_of_birth-day", error.to_string()))
            })
            .transpose()
        }),
    );
    validation.finish(|| {
        Some(NewAlias {
            first_name: first_name?,
            last_name: last_name?,
            date_of_birth: date_of_birth?,
        })
    })
}

/// `POST /cases/{crn}/aliases/new`.
pub async fn add_alias(
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
        "add_alias",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let alias = match read_alias(&posted, state.clock.today()) {
                Ok(alias) => alias,
                Err(errors) => return Ok(Submission::Refused((heading, errors))),
            };
            let now = state.clock.now();
            details::add_alias(conn, case.person_id, &alias, posted.by, now)?;
            let dob = alias
                .date_of_birth
                .map(|d| d.to_string())
                .unwrap_or_default();
            let detail = format!(
                "alias: \"\" → {:?}",
                format!("{} {} {dob}", alias.first_name, alias.last_name).trim()
            );
            audit::record(conn, &posted.audit_on_case("add_alias", case, detail), now)?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&Changed::AliasAdded.redirect(&crn, None)),
        |(heading, errors)| alias_page(&user, heading, fields, errors),
    )
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// `POST /cases/{crn}/aliases/{alias}/end`: the alias is kept, marked ended today.
pub async fn end_alias(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, alias)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let alias = parse_id(&alias)?;
    let posted = Posted::new(&user, &fields);
    let crn = open_case_for(
        &state,
        &user,
        &crn,
        "end_alias",
        Need::Work,
        move |conn, case| {
            let now = state.clock.now();
            let ended =
                details::end_alias(conn, case.person_id, alias, posted.by, now.date_naive())?;
            let detail = format!(
                "{}; {}",
                ended.describe(),
                change("ended_on", "", &now.date_naive().to_string())
            );
            audit::record(conn, &posted.audit_on_case("end_alias", case, detail), now)?;
            Ok(case.crn.clone())
        },
    )
    .await?;
    Ok(Redirect::to(&Changed::AliasEnded.redirect(&crn, None)).into_response())
}

// ---------------------------------------------------------------------------------------------
// Disabilities and adjustments.

#[derive(Template)]
#[template(path = "cases/disability_form.html")]
struct DisabilityPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    kinds: Vec<(String, String)>,
}

fn disability_page(
    user: &CurrentUser,
    heading: (String, String),
    fields: FormFields,
    errors: Vec<FieldError>,
) -> DisabilityPage {
    DisabilityPage {
        chrome: Chrome::for_form(user, "Add a disability and adjustments", &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        kinds: choices::<DisabilityKind>(),
    }
}

/// `GET /cases/{crn}/disabilities/new`.
pub async fn disability_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let heading =
        crate::cases::access::heading_for_work(&state, &user, &crn, "view_disability_form").await?;
    let today = state.clock.today();
    let fields = FormFields(date_fields("start", Some(today)));
    let page = disability_page(&user, heading, fields, Vec::new());
    Ok(render(&page)?.into_response())
}

/// Optional free text, with the field named in the error.
pub fn long_text(fields: &FormFields, field: &str, what: &str) -> Result<String, FieldError> {
    LongText::optional(fields.get(field))
        .map(|text| text.as_str().to_owned())
        .map_err(|error| FieldError::new(field, format!("{what} {error}")))
}

/// A date not in the future.
pub fn past_date(
    fields: &FormFields,
    name: &str,
    label: &str,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    fields.date(name, label).and_then(|date| {
        if date > today {
            let mut chars = label.chars();
            let label: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            Err(FieldError::new(
                format!("{name}-day"),
                format!("{label} cannot be in the future"),
            ))
        } else {
            Ok(date)
        }
    })
}

fn read_disability(
    fields: &FormFields,
    today: NaiveDate,
) -> Result<NewDisability, Vec<FieldError>> {
    let mut validation = Validation::default();
    let kind = validation.required(
        DisabilityKind::parse(fields.get("kind")).ok(),
        "kind",
        "Select the disability or condition",
    );
    let details = validation.field(long_text(fields, "details", "Details"));
    let adjustments = validation.field(long_text(fields, "adjustments", "The adjustments"));
    if kind == Some(DisabilityKind::Other) && details.as_ref().is_some_and(String::is_empty) {
        validation.add(FieldError::new(
            "details",
            "Enter the disability or condition, as you selected other",
        ));
    }
    let start = validation.field(past_date(
        fields,
        "start",
        "the date it was recorded from",
        today,
    ));
    validation.finish(|| {
        Some(NewDisability {
            kind: kind?,
            details: details?,
            adjustments: adjustments?,
            start_date: start?,
        })
    })
}

/// `POST /cases/{crn}/disabilities/new`.
pub async fn add_disability(
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
        "add_disability",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let disability = match read_disability(&posted, state.clock.today()) {
                Ok(disability) => disability,
                Err(errors) => return Ok(Submission::Refused((heading, errors))),
            };
            let now = state.clock.now();
            details::add_disability(conn, case.person_id, &disability, posted.by, now)?;
            let detail = [
                change("kind", "", disability.kind.code()),
                change("details", "", &disability.details),
                change("adjustments", "", &disability.adjustments),
                change("start_date", "", &disability.start_date.to_string()),
            ]
            .join("; ");
            audit::record(
                conn,
                &posted.audit_on_case("add_disability", case, detail),
                now,
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&Changed::DisabilityAdded.redirect(&crn, None)),
        |(heading, errors)| disability_page(&user, heading, fields, errors),
    )
}

/// `POST /cases/{crn}/disabilities/{disability}/end`.
pub async fn end_disability(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, disability)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let disability = parse_id(&disability)?;
    let posted = Posted::new(&user, &fields);
    let crn = open_case_for(
        &state,
        &user,
        &crn,
        "end_disability",
        Need::Work,
        move |conn, case| {
            let now = state.clock.now();
            let today = now.date_naive();
            let ended =
                details::end_disability(conn, case.person_id, disability, posted.by, today)?;
            let detail = format!(
                "{}; {}",
                ended.kind.code(),
                change("end_date", "", &today.to_string())
            );
            audit::record(
                conn,
                &posted.audit_on_case("end_disability", case, detail),
                now,
            )?;
            Ok(case.crn.clone())
        },
    )
    .await?;
    Ok(Redirect::to(&Changed::DisabilityEnded.redirect(&crn, None)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormFields {
        FormFields(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn an_interpreter_needs_a_language_and_each_bad_field_is_named() {
        let errors = read_personal_details(&form(&[
            ("first_name", ""),
            ("last_name", "Smith"),
            ("telephone", "12345"),
            ("mobile", "01632 960 001"),
            ("email", "not an email"),
            ("gender", "self_describe"),
            ("interpreter_needed", "yes"),
        ]))
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "first_name",
                "gender_self_description",
                "telephone",
                "mobile",
                "email",
                "preferred_language"
            ]
        );
    }

    #[test]
    fn personal_details_are_kept_in_their_stored_forms() {
        let details = read_personal_details(&form(&[
            ("first_name", " Ann "),
            ("last_name", "Smith"),
            ("gender", "woman"),
            ("gender_self_description", "ignored"),
            ("mobile", "+44 7700 900 982"),
            ("preferred_language", "Polish"),
            ("interpreter_needed", "yes"),
        ]))
        .unwrap();
        assert_eq!(details.first_name, "Ann");
        assert_eq!(details.gender, Some(Gender::Woman));
        assert_eq!(details.gender_self_description, None);
        assert_eq!(details.mobile.as_deref(), Some("07700900982"));
        assert!(details.interpreter_needed);
    }
}
