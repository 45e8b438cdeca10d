//! `GET /admin/courts` and `POST /admin/courts`: the courts each PDU of the administrator's region
//! covers, and adding one — a code (what court lists and the CSV import name it by) and a name,
//! under the PDU whose staff work its lists. Audit-logged like every administrative change.

use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keepsafe_domain::court::check_new_court;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::court::courts;
use keepsafe_storage::organisation::{self, PduRef};
use keepsafe_storage::StorageError;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "court/admin.html")]
struct CourtsPage {
    chrome: Chrome,
    csrf_token: String,
    errors: Vec<FieldError>,
    courts: Vec<(String, String, String)>,
    pdus: Vec<(String, String)>,
    code: String,
    name: String,
    pdu: String,
    added: Option<String>,
}

impl CourtsPage {
    fn error(&self, field: &str) -> Option<String> {
        forms::message_for(&self.errors, field)
    }
}

/// What the page shows: the region's courts and PDUs.
struct Listing {
    courts: Vec<(String, String, String)>,
    pdus: Vec<PduRef>,
}

fn read(conn: &mut keepsafe_storage::AnyConnection, region: Uuid) -> Result<Listing, AppError> {
    Ok(Listing {
        courts: courts::for_region(conn, region)?
            .into_iter()
            .map(|(court, pdu)| (court.code, court.name, pdu))
            .collect(),
        pdus: organisation::pdus_in_region(conn, region)?,
    })
}

fn page(
    user: &CurrentUser,
    listing: Listing,
    fields: &FormFields,
    errors: Vec<FieldError>,
    added: Option<String>,
) -> CourtsPage {
    CourtsPage {
        chrome: Chrome::for_form(user, "Courts", &errors, "/admin/courts"),
        csrf_token: user.csrf_token.clone(),
        courts: listing.courts,
        pdus: listing
            .pdus
            .into_iter()
            .map(|p| (p.id.to_string(), p.name))
            .collect(),
        code: fields.get("code").chars().take(40).collect(),
        name: fields.get("name").chars().take(200).collect(),
        pdu: fields.get("pdu").to_owned(),
        errors,
        added,
    }
}

/// The added court's code, read leniently from the query.
#[derive(Debug, Default, serde::Deserialize)]
pub struct AddedQuery {
    added: Option<String>,
}

/// `GET /admin/courts`.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    axum::extract::Query(query): axum::extract::Query<AddedQuery>,
) -> Result<Response, AppError> {
    let region = user.account.region_id;
    let staff_id = user.account.id;
    let actor = user.audit_name();
    let listing = state
        .read_then_audit(move |conn| {
            let listing = read(conn, region)?;
            let entry = AuditEntry {
                staff_id: Some(staff_id),
                actor,
                action: "view_courts".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!("{} courts listed", listing.courts.len()),
            };
            Ok((listing, entry))
        })
        .await?;
    let added = query
        .added
        .filter(|code| listing.courts.iter().any(|c| &c.0 == code));
    Ok(render(&page(
        &user,
        listing,
        &FormFields::default(),
        Vec::new(),
        added,
    ))?
    .into_response())
}

/// `POST /admin/courts`.
pub async fn add(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let region = user.account.region_id;
    let now = state.clock.now();
    let outcome = state
        .write(move |conn| {
            let listing = read(conn, region)?;
            let mut errors: Vec<FieldError> = Vec::new();
            let checked =
                check_new_court(posted.get("code"), posted.get("name")).map_err(|found| {
                    errors.extend(
                        found
                            .iter()
                            .map(|e| FieldError::new(e.field(), e.to_string())),
                    );
                });
            let pdu = listing
                .pdus
                .iter()
                .find(|p| p.id.to_string() == posted.get("pdu"))
                .map(|p| p.id);
            if pdu.is_none() {
                errors.push(FieldError::new(
                    "pdu",
                    "Choose the probation delivery unit that covers the court",
                ));
            }
            let (Ok(court), Some(pdu)) = (checked, pdu) else {
                return Ok(Submission::Refused((listing, errors)));
            };
            if !errors.is_empty() {
                return Ok(Submission::Refused((listing, errors)));
            }
            match courts::add(conn, &court.code, &court.name, pdu) {
                Ok(id) => {
                    audit::record(
                        conn,
                        &posted.audit(
                            "add_court",
                            format!("court {id} {} in PDU {pdu}", court.code),
                        ),
                        now,
                    )?;
                    Ok(Submission::Saved(court.code))
                }
                Err(StorageError::Conflict(message)) => Ok(Submission::Refused((
                    listing,
                    vec![FieldError::new(
                        "code",
                        format!("{message}: choose another"),
                    )],
                ))),
                Err(other) => Err(other.into()),
            }
        })
        .await?;
    forms::respond(
        outcome,
        |code: String| Redirect::to(&format!("/admin/courts?added={code}")),
        |(listing, errors)| page(&user, listing, &fields, errors, None),
    )
}
