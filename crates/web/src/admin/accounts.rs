//! What administrators do to accounts in the browser, besides `keepsafe user` on the command line
//! (both through `storage::staff`):
//!
//! - `GET/POST /admin/users/new`, `POST /admin/users`: add an account, with a password typed or
//!   generated (a generated one is shown once);
//! - `GET/POST /admin/users/{staff}/role`: change the role, and the team, PDU or region it needs;
//! - `GET/POST /admin/users/{staff}/password`: reset the password (typed, or generated and shown
//!   once), which lifts any lockout and signs the user out everywhere;
//! - `POST /admin/users/{staff}/status`: deactivate (signing them out everywhere) or reactivate.
//!   Nobody may deactivate their own account, so there is always an administrator left to undo
//!   a mistake.
//!
//! Each is one transaction, with an audit row saying what the account was before and after.

use super::placement::{self, Choices, RoleFields};
use super::users::{account_view, place_words, AccountPage};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, Validation};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use keepsafe_domain::person::PersonName;
use keepsafe_domain::staff::{ContractedHours, NewPassword, Username};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::sign_in::{passwords, sessions};
use keepsafe_storage::staff::{self, NewAccount, StaffAccount};
use keepsafe_storage::StorageError;
use uuid::Uuid;

// -------------------------------------------------------------------------------------------
// Passwords, typed or generated.
// -------------------------------------------------------------------------------------------

/// A password the form asked for, hashed, and the generated text to show once (if generated).
struct ChosenPassword {
    hash: String,
    shown_once: Option<String>,
}

/// Reads the password fields (`password-choice`: "generate" or "set", and `password`) and hashes
/// the result on a blocking thread, as hashing is deliberately slow. The error, if any, is for the
/// field to fix.
async fn chosen_password(fields: &FormFields) -> Result<ChosenPassword, FieldError> {
    let (password, shown_once) = match fields.get("password-choice") {
        "generate" => {
            let generated = passwords::generate();
            let parsed = NewPassword::parse(&generated)
                .map_err(|e| FieldError::new("password-choice", e.to_string()))?;
            (parsed, Some(generated))
        }
        "set" => {
            let parsed = NewPassword::parse(fields.get("password"))
                .map_err(|e| FieldError::new("password", e.to_string()))?;
            (parsed, None)
        }
        _ => {
            return Err(FieldError::new(
                "password-choice",
                "Select whether to generate a password or type one",
            ))
        }
    };
    let hash = tokio::task::spawn_blocking(move || passwords::hash(password.expose()))
        .await
        .map_err(|e| FieldError::new("password", format!("The password could not be set: {e}")))?
        .map_err(|e| FieldError::new("password", format!("The password could not be set: {e}")))?;
    Ok(ChosenPassword { hash, shown_once })
}

/// The page shown after a change that generated a password: the account page, with the password
/// this once. It is not kept anywhere, and the browser is told not to store the page.
fn with_password_shown_once(page: &AccountPage) -> Result<Response, AppError> {
    let html = render(page)?;
    Ok(([(header::CACHE_CONTROL, "no-store")], html).into_response())
}

// -------------------------------------------------------------------------------------------
// Adding an account.
// -------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/user_new.html")]
struct NewAccountPage {
    chrome: Chrome,
    csrf_token: String,
    errors: Vec<FieldError>,
    first_name: String,
    last_name: String,
    username: String,
    hours: String,
    password_choice: String,
    first_name_error: Option<String>,
    last_name_error: Option<String>,
    username_error: Option<String>,
    hours_error: Option<String>,
    password_choice_error: Option<String>,
    password_error: Option<String>,
    role: RoleFields,
}

fn new_account_page(
    user: &CurrentUser,
    choices: &Choices,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> NewAccountPage {
    let typed = |name: &str| fields.get(name).chars().take(100).collect::<String>();
    let error_for = |name: &str| forms::message_for(&errors, name);
    NewAccountPage {
        chrome: Chrome::for_form(user, "Add an account", &errors, "/admin/users"),
        csrf_token: user.csrf_token.clone(),
        first_name: typed("first-name"),
        last_name: typed("last-name"),
        username: typed("username"),
        hours: if fields.0.is_empty() {
            "37".to_owned()
        } else {
            typed("contracted-hours")
        },
        password_choice: typed("password-choice"),
        first_name_error: error_for("first-name"),
        last_name_error: error_for("last-name"),
        username_error: error_for("username"),
        hours_error: error_for("contracted-hours"),
        password_choice_error: error_for("password-choice"),
        password_error: error_for("password"),
        role: placement::fields_for(choices, fields, &errors),
        errors,
    }
}

/// `GET /admin/users/new`.
pub async fn new_account(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let region = user.account.region_id;
    let choices = state.read(move |conn| Choices::read(conn, region)).await?;
    render(&new_account_page(
        &user,
        &choices,
        &FormFields::default(),
        Vec::new(),
    ))
}

/// A name field, with a message naming which name to fix.
fn name(fields: &FormFields, field: &str, label: &str) -> Result<PersonName, FieldError> {
    PersonName::parse(fields.get(field)).map_err(|error| {
        let message = match error {
            keepsafe_domain::person::InvalidName::Missing => format!("Enter the {label}"),
            other => format!("The {label}: {}", lower_first(&other.to_string())),
        };
        FieldError::new(field, message)
    })
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

fn hours(fields: &FormFields) -> Result<ContractedHours, FieldError> {
    let typed = fields.get("contracted-hours").trim();
    if typed.is_empty() {
        return Err(FieldError::new(
            "contracted-hours",
            "Enter the contracted hours a week, like 37 or 22.5",
        ));
    }
    typed
        .parse::<f64>()
        .ok()
        .and_then(|h| ContractedHours::parse(h).ok())
        .ok_or_else(|| {
            FieldError::new(
                "contracted-hours",
                "Contracted hours must be a number of hours a week greater than 0 and at most 48, like 37 or 22.5",
            )
        })
}

/// `POST /admin/users`.
pub async fn add(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let password = chosen_password(&fields).await;
    let region = user.account.region_id;
    let viewer = user.account.id;
    let outcome = state
        .write(move |conn| {
            let choices = Choices::read(conn, region)?;
            let mut validation = Validation::default();
            let first = validation.field(name(&posted, "first-name", "first name"));
            let last = validation.field(name(&posted, "last-name", "last name"));
            let username = validation.field(
                Username::parse(posted.get("username"))
                    .map_err(|e| FieldError::new("username", e.to_string())),
            );
            let role = placement::read(&posted, &choices, &mut validation);
            let hours = validation.field(hours(&posted));
            let password = validation.field(password);
            let (first, last, username, (grade, placement), hours, password) = match validation
                .finish(|| Some((first?, last?, username?, role?, hours?, password?)))
            {
                Ok(read) => read,
                Err(errors) => return Ok(Submission::Refused((choices, errors))),
            };
            let now = state.clock.now();
            let account = NewAccount {
                username: username.clone(),
                first_name: first.as_str().to_owned(),
                last_name: last.as_str().to_owned(),
                grade,
                contracted_hours: hours,
                placement: placement.clone(),
                password_hash: password.hash,
            };
            let id = match staff::add_account(conn, &account, now) {
                Ok(id) => id,
                Err(StorageError::Conflict(_)) => {
                    let errors = vec![FieldError::new(
                        "username",
                        format!(
                            "The username {} is already taken: choose another",
                            username.as_str()
                        ),
                    )];
                    return Ok(Submission::Refused((choices, errors)));
                }
                Err(other) => return Err(other.into()),
            };
            let place = place_words(
                conn,
                placement.region_id,
                placement.pdu_id,
                placement.team_id,
            )?;
            audit::record(
                conn,
                &posted.audit(
                    "add_user",
                    format!(
                        "added {}: {} {}; {}, {place}; {} hours a week; password {}",
                        username.as_str(),
                        first.as_str(),
                        last.as_str(),
                        grade.label(),
                        hours.hours(),
                        if password.shown_once.is_some() {
                            "generated"
                        } else {
                            "typed"
                        }
                    ),
                ),
                now,
            )?;
            let view = account_view(conn, id, viewer, now)?;
            Ok(Submission::Saved((view, password.shown_once)))
        })
        .await?;
    match outcome {
        Submission::Saved((view, Some(shown_once))) => {
            let banner = Some(format!("Account added for {}", view.name));
            with_password_shown_once(&AccountPage::new(
                &user,
                view,
                banner,
                Some(shown_once),
                Vec::new(),
            ))
        }
        saved_or_refused => forms::respond(
            saved_or_refused,
            |(view, _)| Redirect::to(&format!("/admin/users/{}?done=added", view.id)),
            |(choices, errors)| new_account_page(&user, &choices, &fields, errors),
        ),
    }
}

// -------------------------------------------------------------------------------------------
// Changing the role and place.
// -------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/user_role.html")]
struct RolePage {
    chrome: Chrome,
    csrf_token: String,
    errors: Vec<FieldError>,
    id: String,
    name: String,
    role: RoleFields,
}

fn role_page(
    user: &CurrentUser,
    account: &StaffAccount,
    choices: &Choices,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> RolePage {
    RolePage {
        chrome: Chrome::for_form(
            user,
            format!("Change {}'s role or team", account.display_name()),
            &errors,
            "/admin/users",
        ),
        csrf_token: user.csrf_token.clone(),
        id: account.id.to_string(),
        name: account.display_name(),
        role: placement::fields_for(choices, fields, &errors),
        errors,
    }
}

/// The account with this id, if it is one that can sign in.
fn sign_in_account(
    conn: &mut keepsafe_storage::AnyConnection,
    id: &str,
) -> Result<StaffAccount, AppError> {
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    let account = staff::find(conn, id)?;
    if account.username.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(account)
}

/// `GET /admin/users/{staff}/role`.
pub async fn role_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let region = user.account.region_id;
    let (account, choices) = state
        .read(move |conn| {
            let account = sign_in_account(conn, &id)?;
            Ok((account, Choices::read(conn, region)?))
        })
        .await?;
    let current = placement::current(&account);
    render(&role_page(&user, &account, &choices, &current, Vec::new()))
}

/// `POST /admin/users/{staff}/role`.
pub async fn change_role(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let region = user.account.region_id;
    let outcome = state
        .write(move |conn| {
            let account = sign_in_account(conn, &id)?;
            let choices = Choices::read(conn, region)?;
            let mut validation = Validation::default();
            let role = placement::read(&posted, &choices, &mut validation);
            if let Some((grade, _)) = &role {
                // As with deactivating: an administrator cannot lock themselves out.
                if account.id == posted.by && *grade != keepsafe_domain::staff::Grade::Administrator
                {
                    validation.add(FieldError::new(
                        "grade",
                        "You cannot take away your own administrator role: ask another \
                         administrator to do it",
                    ));
                }
            }
            let (grade, placement) = match validation.finish(|| role) {
                Ok(role) => role,
                Err(errors) => return Ok(Submission::Refused((account, choices, errors))),
            };
            let before = format!(
                "{}, {}",
                account.grade.label(),
                place_words(conn, account.region_id, account.pdu_id, account.team_id)?
            );
            staff::change_role(conn, account.id, grade, &placement)?;
            let after = format!(
                "{}, {}",
                grade.label(),
                place_words(
                    conn,
                    placement.region_id,
                    placement.pdu_id,
                    placement.team_id
                )?
            );
            audit::record(
                conn,
                &posted.audit(
                    "change_user_role",
                    format!(
                        "{}: {before} → {after}",
                        account.username.as_deref().unwrap_or_default()
                    ),
                ),
                state.clock.now(),
            )?;
            Ok(Submission::Saved(account.id))
        })
        .await?;
    forms::respond(
        outcome,
        |id| Redirect::to(&format!("/admin/users/{id}?done=role")),
        |(account, choices, errors)| role_page(&user, &account, &choices, &fields, errors),
    )
}

// -------------------------------------------------------------------------------------------
// Resetting the password.
// -------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/user_password.html")]
struct PasswordPage {
    chrome: Chrome,
    csrf_token: String,
    errors: Vec<FieldError>,
    id: String,
    name: String,
    password_choice: String,
    password_choice_error: Option<String>,
    password_error: Option<String>,
}

fn password_page(
    user: &CurrentUser,
    account: &StaffAccount,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> PasswordPage {
    PasswordPage {
        chrome: Chrome::for_form(
            user,
            format!("Reset {}'s password", account.display_name()),
            &errors,
            "/admin/users",
        ),
        csrf_token: user.csrf_token.clone(),
        id: account.id.to_string(),
        name: account.display_name(),
        password_choice: fields.get("password-choice").chars().take(10).collect(),
        password_choice_error: forms::message_for(&errors, "password-choice"),
        password_error: forms::message_for(&errors, "password"),
        errors,
    }
}

/// `GET /admin/users/{staff}/password`.
pub async fn password_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let account = state.read(move |conn| sign_in_account(conn, &id)).await?;
    render(&password_page(
        &user,
        &account,
        &FormFields::default(),
        Vec::new(),
    ))
}

/// `POST /admin/users/{staff}/password`.
pub async fn reset_password(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let password = chosen_password(&fields).await;
    let viewer = user.account.id;
    let outcome = state
        .write(move |conn| {
            let account = sign_in_account(conn, &id)?;
            let password = match password {
                Ok(password) => password,
                Err(error) => return Ok(Submission::Refused((account, vec![error]))),
            };
            let username = Username::parse(account.username.as_deref().unwrap_or_default())
                .map_err(|e| AppError::Internal(format!("stored username: {e}")))?;
            staff::set_password(conn, &username, &password.hash)?;
            let ended = sessions::delete_for_staff(conn, account.id)?;
            let now = state.clock.now();
            audit::record(
                conn,
                &posted.audit(
                    "reset_password",
                    format!(
                        "{}: password {}; lockout {}; {ended} session{} ended",
                        username.as_str(),
                        if password.shown_once.is_some() {
                            "generated"
                        } else {
                            "typed"
                        },
                        if account.locked_until.is_some_and(|until| until > now) {
                            "lifted"
                        } else {
                            "none"
                        },
                        if ended == 1 { "" } else { "s" }
                    ),
                ),
                now,
            )?;
            let view = account_view(conn, account.id, viewer, now)?;
            Ok(Submission::Saved((view, password.shown_once)))
        })
        .await?;
    match outcome {
        Submission::Saved((view, Some(shown_once))) => {
            let banner = Some(format!(
                "{}'s password is reset: any lockout is lifted and they were signed out everywhere",
                view.name
            ));
            with_password_shown_once(&AccountPage::new(
                &user,
                view,
                banner,
                Some(shown_once),
                Vec::new(),
            ))
        }
        saved_or_refused => forms::respond(
            saved_or_refused,
            |(view, _)| Redirect::to(&format!("/admin/users/{}?done=password", view.id)),
            |(account, errors)| password_page(&user, &account, &fields, errors),
        ),
    }
}

// -------------------------------------------------------------------------------------------
// Deactivating and reactivating.
// -------------------------------------------------------------------------------------------

/// `POST /admin/users/{staff}/status`: `active` is "no" to deactivate, "yes" to reactivate.
pub async fn set_status(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let viewer = user.account.id;
    let outcome = state
        .write(move |conn| {
            let account = sign_in_account(conn, &id)?;
            let now = state.clock.now();
            let refuse = |conn: &mut keepsafe_storage::AnyConnection, message: &str| {
                let view = account_view(conn, account.id, viewer, now)?;
                Ok::<_, AppError>(Submission::Refused((
                    view,
                    vec![FieldError::new("active", message)],
                )))
            };
            let active = match posted.yes_no("active") {
                Some(active) => active,
                None => {
                    return refuse(
                        conn,
                        "Choose whether to deactivate or reactivate the account",
                    )
                }
            };
            if !active && account.id == posted.by {
                return refuse(
                    conn,
                    "You cannot deactivate your own account: ask another administrator to do it",
                );
            }
            staff::set_active(conn, account.id, active)?;
            let ended = if active {
                0
            } else {
                sessions::delete_for_staff(conn, account.id)?
            };
            let word = |active: bool| if active { "active" } else { "deactivated" };
            audit::record(
                conn,
                &posted.audit(
                    if active {
                        "reactivate_user"
                    } else {
                        "deactivate_user"
                    },
                    format!(
                        "{}: {} → {}{}",
                        account.username.as_deref().unwrap_or_default(),
                        word(account.active),
                        word(active),
                        if active {
                            String::new()
                        } else {
                            format!(
                                "; {ended} session{} ended",
                                if ended == 1 { "" } else { "s" }
                            )
                        }
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved((account.id, active)))
        })
        .await?;
    forms::respond(
        outcome,
        |(id, active)| {
            Redirect::to(&format!(
                "/admin/users/{id}?done={}",
                if active { "reactivated" } else { "deactivated" }
            ))
        },
        |(view, errors)| AccountPage::new(&user, view, None, None, errors),
    )
}
