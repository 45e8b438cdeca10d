//! Keeping a case's limited access lists (`/cases/{crn}/access`): the staff excluded from the case
//! and the staff it is restricted to, kept by the heads of the case's PDU
//! (`Action::ManageLimitedAccess`, through [`open_case_for`] with [`Need::ManageAccess`], so the
//! lists themselves apply: an excluded head of PDU is refused). Every addition needs a reason;
//! `keepsafe_domain::access::limited::check_addition` refuses excluding the case's practitioner
//! and a restriction that would leave them out. Each change is one transaction with its audit row;
//! a removal keeps the entry, marked removed.

use crate::cases::access::{open_case_for, Need};
use crate::cases::editing::FormState;
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keepsafe_domain::access::limited::{check_addition, check_removal, LimitList, LimitProblem};
use keepsafe_domain::staff::Username;
use keepsafe_storage::audit;
use keepsafe_storage::cases::limited::{self, LimitEntry};
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::{staff, AnyConnection};
use uuid::Uuid;

/// One entry as listed.
struct EntryLine {
    id: String,
    name: String,
    username: String,
    reason: String,
    added: String,
}

#[derive(Template)]
#[template(path = "cases/limited_access.html")]
struct AccessPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    excluded: Vec<EntryLine>,
    restricted: Vec<EntryLine>,
    lists: Vec<(String, String)>,
    /// Who manages the case now, so the page can say they must be on a restriction list.
    practitioner: Option<String>,
}

/// What the page shows besides the form.
struct Lists {
    heading: (String, String),
    entries: Vec<LimitEntry>,
    practitioner: Option<String>,
}

fn read_lists(conn: &mut AnyConnection, case: &LocatedCase) -> Result<Lists, AppError> {
    let practitioner = match limited::allocated_to(conn, case.person_id)? {
        Some(id) => Some(staff::find(conn, id)?.display_name()),
        None => None,
    };
    Ok(Lists {
        heading: case_record::heading(conn, case.person_id)?,
        entries: limited::entries(conn, case.person_id)?,
        practitioner,
    })
}

fn line(entry: &LimitEntry) -> EntryLine {
    EntryLine {
        id: entry.id.to_string(),
        name: entry.staff_name.clone(),
        username: entry.username.clone().unwrap_or_default(),
        reason: entry.reason.clone(),
        added: format!(
            "{} by {}",
            crate::format::date(entry.added_at.date()),
            entry.added_by
        ),
    }
}

fn page(
    user: &CurrentUser,
    lists: Lists,
    fields: FormFields,
    errors: Vec<FieldError>,
) -> AccessPage {
    let of = |list: LimitList| {
        lists
            .entries
            .iter()
            .filter(|e| e.list == list)
            .map(line)
            .collect()
    };
    AccessPage {
        chrome: Chrome::for_form(user, "Limited access", &errors, ""),
        errors: errors.clone(),
        excluded: of(LimitList::Exclusion),
        restricted: of(LimitList::Restriction),
        form: FormState::new(user, lists.heading, fields, errors),
        lists: vec![
            (
                LimitList::Exclusion.code().to_owned(),
                "Exclude them: they may never see the case".to_owned(),
            ),
            (
                LimitList::Restriction.code().to_owned(),
                "Restrict the case to them: only the staff named may see it".to_owned(),
            ),
        ],
        practitioner: lists.practitioner,
    }
}

/// `GET /cases/{crn}/access`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let lists = open_case_for(
        &state,
        &user,
        &crn,
        "view_limited_access",
        Need::ManageAccess,
        read_lists,
    )
    .await?;
    Ok(render(&page(&user, lists, FormFields::default(), Vec::new()))?.into_response())
}

fn problems_as_errors(problems: &[LimitProblem]) -> Vec<FieldError> {
    problems
        .iter()
        .map(|p| FieldError::new(p.field(), p.message()))
        .collect()
}

/// `POST /cases/{crn}/access`: adds someone to a list.
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
        "change_limited_access",
        Need::ManageAccess,
        move |conn, case| {
            let list = LimitList::parse(posted.get("list"));
            let found = match Username::parse(posted.get("username")) {
                Ok(username) => staff::find_by_username(conn, &username)?.filter(|a| a.active),
                Err(_) => None,
            };
            let reason = posted.get("reason").to_owned();
            let allocated = limited::allocated_to(conn, case.person_id)?;
            let mut errors = Vec::new();
            if list.is_none() {
                errors.push(FieldError::new("list", "Select which list to add them to"));
            }
            let problems = check_addition(
                list.unwrap_or(LimitList::Exclusion),
                found.as_ref().map(|a| a.id),
                &reason,
                &case.limits,
                allocated,
            );
            errors.extend(problems_as_errors(&problems));
            let (Some(list), Some(account), true) = (list, found, errors.is_empty()) else {
                return Ok(Submission::Refused((read_lists(conn, case)?, errors)));
            };
            let now = state.clock.now();
            limited::add(
                conn,
                case.person_id,
                account.id,
                list,
                &reason,
                posted.by,
                now,
            )?;
            let detail = format!(
                "{} {} ({}): {}",
                match list {
                    LimitList::Exclusion => "excluded",
                    LimitList::Restriction => "restricted to",
                },
                account.display_name(),
                account.id,
                reason.trim()
            );
            audit::record(
                conn,
                &posted.audit_on_case("add_limited_access", case, detail),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&format!("/cases/{crn}/access")),
        |(lists, errors)| page(&user, lists, fields, errors),
    )
}

/// `POST /cases/{crn}/access/remove`: removes the entry `entry` (a hidden field) from its list.
pub async fn remove(
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
        "change_limited_access",
        Need::ManageAccess,
        move |conn, case| {
            // Read after the decision, so a malformed post from the wrong user is refused.
            let entry = Uuid::parse_str(posted.get("entry")).map_err(|_| {
                AppError::BadRequest("Choose the entry to remove from its list.".into())
            })?;
            let current = limited::entries(conn, case.person_id)?;
            let Some(found) = current.iter().find(|e| e.id == entry) else {
                return Err(AppError::NotFound);
            };
            let allocated = limited::allocated_to(conn, case.person_id)?;
            if let Err(problem) = check_removal(found.list, found.staff_id, &case.limits, allocated)
            {
                let errors = vec![FieldError::new("username", problem.message())];
                return Ok(Submission::Refused((read_lists(conn, case)?, errors)));
            }
            let now = state.clock.now();
            if limited::remove(conn, case.person_id, entry, posted.by, now)?.is_none() {
                return Err(AppError::NotFound);
            }
            let detail = format!(
                "removed {} ({}) from the {} list",
                found.staff_name,
                found.staff_id,
                match found.list {
                    LimitList::Exclusion => "exclusion",
                    LimitList::Restriction => "restriction",
                }
            );
            audit::record(
                conn,
                &posted.audit_on_case("remove_limited_access", case, detail),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&format!("/cases/{crn}/access")),
        |(lists, errors)| page(&user, lists, FormFields::default(), errors),
    )
}
