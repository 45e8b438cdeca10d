//! A person's personal contacts — next of kin, emergency contacts, family, the GP, social workers
//! and other professionals: adding one (`/cases/{crn}/personal-contacts/new`), changing one
//! (`/cases/{crn}/personal-contacts/{personal_contact}`) and ending one (`…/end`). Ended contacts
//! are kept, as a record of who was known then.

use crate::cases::access::{open_case_for, Need};
use crate::cases::details::{choices, long_text};
use crate::cases::editing::{prefilled, Changed, FormState};
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
use keepsafe_domain::person::{
    optional_short_text, PersonName, PersonalContactKind, TelephoneNumber,
};
use keepsafe_domain::supervision::reminders::EmailAddress;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::details::{self, change, PersonalContactFields};
use keepsafe_storage::cases::record as case_record;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "cases/personal_contact_form.html")]
struct ContactPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    kinds: Vec<(String, String)>,
    /// The contact being changed, or `None` when adding one.
    contact: Option<String>,
    heading: &'static str,
}

fn contact_page(
    user: &CurrentUser,
    heading: (String, String),
    contact: Option<Uuid>,
    fields: FormFields,
    errors: Vec<FieldError>,
) -> ContactPage {
    let title = if contact.is_some() {
        "Change a personal contact"
    } else {
        "Add a personal contact"
    };
    ContactPage {
        chrome: Chrome::for_form(user, title, &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        kinds: choices::<PersonalContactKind>(),
        contact: contact.map(|id| id.to_string()),
        heading: title,
    }
}

fn contact_fields(contact: &PersonalContactFields) -> FormFields {
    prefilled(vec![
        ("kind", contact.kind.code().to_owned()),
        ("name", contact.name.clone()),
        ("relationship", contact.relationship.clone()),
        ("telephone", contact.telephone.clone().unwrap_or_default()),
        ("email", contact.email.clone().unwrap_or_default()),
        ("address", contact.address.clone()),
        ("notes", contact.notes.clone()),
    ])
}

/// The longest address kept: enough for any postal address, short enough to print on a letter.
const ADDRESS_MAX: usize = 500;

/// Reads the form. A contact is kept to be reached, so it needs at least one of a telephone
/// number, an email address or an address.
fn read_contact(fields: &FormFields) -> Result<PersonalContactFields, Vec<FieldError>> {
    let mut validation = Validation::default();
    let kind = validation.required(
        PersonalContactKind::parse(fields.get("kind")).ok(),
        "kind",
        "Select who the contact is",
    );
    let name = validation.field(
        PersonName::parse(fields.get("name"))
            .map(|name| name.as_str().to_owned())
            .map_err(|_| {
                FieldError::new(
                    "name",
                    "Enter the contact's name, in 100 characters or fewer",
                )
            }),
    );
    let relationship = validation.field(
        optional_short_text(fields.get("relationship"))
            .map(Option::unwrap_or_default)
            .map_err(|error| {
                FieldError::new(
                    "relationship",
                    format!("The relationship or organisation {error}"),
                )
            }),
    );
    let telephone = validation.field(
        fields
            .filled("telephone")
            .map(|raw| {
                TelephoneNumber::parse(raw)
                    .map(|n| n.as_str().to_owned())
                    .map_err(|message| FieldError::new("telephone", message))
            })
            .transpose(),
    );
    let email = validation.field(
        fields
            .filled("email")
            .map(|raw| {
                EmailAddress::parse(raw)
                    .map(|e| e.as_str().to_owned())
                    .map_err(|message| FieldError::new("email", message))
            })
            .transpose(),
    );
    let address = validation.field(long_text(fields, "address", "The address").and_then(
        |address| {
            if address.chars().count() > ADDRESS_MAX {
                Err(FieldError::new(
                    "address",
                    format!("The address must be {ADDRESS_MAX} characters or fewer"),
                ))
            } else {
                Ok(address)
            }
        },
    ));
    let notes = validation.field(long_text(fields, "notes", "Notes"));
    let unreachable = matches!(telephone, Some(None))
        && matches!(email, Some(None))
        && address.as_ref().is_some_and(String::is_empty);
    if unreachable {
        validation.add(FieldError::new(
            "telephone",
            "Enter a telephone number, an email address or an address, so the contact can be reached",
        ));
    }
    validation.finish(|| {
        Some(PersonalContactFields {
            kind: kind?,
            name: name?,
            relationship: relationship?,
            telephone: telephone?,
            email: email?,
            address: address?,
            notes: notes?,
        })
    })
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// `GET /cases/{crn}/personal-contacts/new`.
pub async fn new_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let heading =
        crate::cases::access::heading_for_work(&state, &user, &crn, "view_personal_contact_form")
            .await?;
    let page = contact_page(&user, heading, None, FormFields::default(), Vec::new());
    Ok(render(&page)?.into_response())
}

/// `POST /cases/{crn}/personal-contacts/new`.
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
        "add_personal_contact",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let contact = match read_contact(&posted) {
                Ok(contact) => contact,
                Err(errors) => return Ok(Submission::Refused((heading, errors))),
            };
            let now = state.clock.now();
            details::add_personal_contact(conn, case.person_id, &contact, posted.by, now)?;
            let empty = PersonalContactFields {
                kind: contact.kind,
                name: String::new(),
                relationship: String::new(),
                telephone: None,
                email: None,
                address: String::new(),
                notes: String::new(),
            };
            let mut changes = vec![change("kind", "", contact.kind.code())];
            changes.extend(contact.changes_from(&empty));
            audit::record(
                conn,
                &posted.audit_on_case("add_personal_contact", case, changes.join("; ")),
                now,
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&Changed::ContactAdded.redirect(&crn, None)),
        |(heading, errors)| contact_page(&user, heading, None, fields, errors),
    )
}

/// `GET /cases/{crn}/personal-contacts/{personal_contact}`: the change form, filled in.
pub async fn change_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, contact)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let contact = parse_id(&contact)?;
    let (heading, record) = open_case_for(
        &state,
        &user,
        &crn,
        "view_personal_contact_form",
        Need::Work,
        move |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                details::personal_contact(conn, case.person_id, contact)?,
            ))
        },
    )
    .await?;
    if record.ended_on.is_some() {
        return Err(AppError::Conflict(format!(
            "{} is no longer a current contact, so cannot be changed",
            record.fields.name
        )));
    }
    let fields = contact_fields(&record.fields);
    let page = contact_page(&user, heading, Some(contact), fields, Vec::new());
    Ok(render(&page)?.into_response())
}

/// `POST /cases/{crn}/personal-contacts/{personal_contact}`.
pub async fn save_change(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, contact)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let contact = parse_id(&contact)?;
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "change_personal_contact",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            // A contact of another case is not found before the form is read.
            details::personal_contact(conn, case.person_id, contact)?;
            let fields = match read_contact(&posted) {
                Ok(fields) => fields,
                Err(errors) => return Ok(Submission::Refused((heading, errors))),
            };
            let now = state.clock.now();
            let before =
                details::update_personal_contact(conn, case.person_id, contact, &fields, now)?;
            let changes = fields.changes_from(&before.fields);
            let detail = format!(
                "{}: {}",
                before.fields.name,
                if changes.is_empty() {
                    "no change".to_owned()
                } else {
                    changes.join("; ")
                }
            );
            audit::record(
                conn,
                &posted.audit_on_case("change_personal_contact", case, detail),
                now,
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&Changed::ContactChanged.redirect(&crn, None)),
        |(heading, errors)| contact_page(&user, heading, Some(contact), fields, errors),
    )
}

/// `POST /cases/{crn}/personal-contacts/{personal_contact}/end`.
pub async fn end(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, contact)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let contact = parse_id(&contact)?;
    let posted = Posted::new(&user, &fields);
    let crn = open_case_for(
        &state,
        &user,
        &crn,
        "end_personal_contact",
        Need::Work,
        move |conn, case| {
            let now = state.clock.now();
            let today = now.date_naive();
            let ended =
                details::end_personal_contact(conn, case.person_id, contact, posted.by, today)?;
            let detail = format!(
                "{} ({}); {}",
                ended.fields.name,
                ended.fields.kind.code(),
                change("ended_on", "", &today.to_string())
            );
            audit::record(
                conn,
                &posted.audit_on_case("end_personal_contact", case, detail),
                now,
            )?;
            Ok(case.crn.clone())
        },
    )
    .await?;
    Ok(Redirect::to(&Changed::ContactEnded.redirect(&crn, None)).into_response())
}
