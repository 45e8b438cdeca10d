//! `/unpaid-work/projects`: the PDU's unpaid work projects — group and individual placements with
//! where they are, their supervisor and the places a session has — and the forms by which its
//! senior officers and head add and change them (closing a project stops new sessions on it).

use super::{decide_and_audit, may_manage, open_project, Asking};
use crate::cases::details::choices;
use crate::cases::editing::FormState;
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use keepsafe_domain::access::Action;
use keepsafe_domain::unpaid_work::{check_project, ProjectDraft, ProjectFacts, ProjectKind};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::unpaid_work::projects::{self, Project};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "unpaid_work/projects.html")]
struct ListPage {
    chrome: Chrome,
    may_manage: bool,
    projects: Vec<ProjectLine>,
}

struct ProjectLine {
    id: String,
    name: String,
    kind: String,
    place: String,
    supervisor: String,
    capacity: u32,
    allowances: String,
    active: bool,
}

fn line(project: &Project) -> ProjectLine {
    let mut allowances = Vec::new();
    if project.travel_credited {
        allowances.push("travel time credited");
    }
    if project.ete_available {
        allowances.push("education, training or employment hours");
    }
    ProjectLine {
        id: project.id.to_string(),
        name: project.name.clone(),
        kind: project.kind.label().to_owned(),
        place: format!("{}, {}", project.address, project.postcode),
        supervisor: project.supervisor.clone(),
        capacity: project.capacity,
        allowances: if allowances.is_empty() {
            "None".into()
        } else {
            allowances.join("; ")
        },
        active: project.active,
    }
}

/// The actor's PDU and region, or a refusal for staff without a PDU.
fn home(user: &CurrentUser) -> Result<(Uuid, Uuid), AppError> {
    let actor = user.account.actor();
    actor.pdu.map(|pdu| (actor.region, pdu)).ok_or_else(|| {
        AppError::Refused(
            "Unpaid work is run by a probation delivery unit: your account has none.".into(),
        )
    })
}

/// `GET /unpaid-work/projects`.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let (region, pdu) = home(&user)?;
    let asking = Asking::of(&user);
    let found = state
        .read_then_audit(move |conn| {
            let found = projects::for_pdu(conn, pdu)?;
            let entry = asking.audit(
                "view_upw_projects",
                None,
                format!("{} projects of PDU {pdu}", found.len()),
            );
            Ok((found, entry))
        })
        .await?;
    render(&ListPage {
        chrome: Chrome::for_user(&user, "Unpaid work projects", ""),
        may_manage: may_manage(&user, region, pdu),
        projects: found.iter().map(line).collect(),
    })
}

#[derive(Template)]
#[template(path = "unpaid_work/project_form.html")]
struct FormPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    heading: String,
    action: String,
    editing: bool,
    kinds: Vec<(String, String)>,
    yes_no: Vec<(String, String)>,
}

fn form_page(
    user: &CurrentUser,
    editing: Option<Uuid>,
    fields: FormFields,
    errors: Vec<FieldError>,
) -> FormPage {
    let heading = if editing.is_some() {
        "Change an unpaid work project"
    } else {
        "Add an unpaid work project"
    };
    FormPage {
        chrome: Chrome::for_form(user, heading, &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, (String::new(), String::new()), fields, errors),
        heading: heading.into(),
        action: match editing {
            Some(id) => format!("/unpaid-work/projects/{id}"),
            None => "/unpaid-work/projects/new".into(),
        },
        editing: editing.is_some(),
        kinds: choices::<ProjectKind>(),
        yes_no: vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())],
    }
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.into()
}

fn fields_of(project: &Project) -> FormFields {
    FormFields(vec![
        ("name".into(), project.name.clone()),
        ("kind".into(), project.kind.code().into()),
        ("address".into(), project.address.clone()),
        ("postcode".into(), project.postcode.clone()),
        ("supervisor".into(), project.supervisor.clone()),
        ("capacity".into(), project.capacity.to_string()),
        ("travel_credited".into(), yes_no(project.travel_credited)),
        ("ete_available".into(), yes_no(project.ete_available)),
        ("active".into(), yes_no(project.active)),
    ])
}

/// Reads and checks the project form; `editing` also reads whether it is open.
fn read(fields: &FormFields, editing: bool) -> Result<(ProjectFacts, bool), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut flag = |name: &'static str, message: &str| match fields.yes_no(name) {
        Some(value) => value,
        None => {
            errors.push(FieldError::new(name, message));
            false
        }
    };
    let travel_credited = flag(
        "travel_credited",
        "Select whether travel time to this project is credited",
    );
    let ete_available = flag(
        "ete_available",
        "Select whether this project offers education, training or employment activity",
    );
    let active = if editing {
        flag("active", "Select whether the project is open for sessions")
    } else {
        true
    };
    let draft = ProjectDraft {
        name: fields.get("name").into(),
        kind: ProjectKind::parse(fields.get("kind")).ok(),
        address: fields.get("address").into(),
        postcode: fields.get("postcode").into(),
        supervisor: fields.get("supervisor").into(),
        capacity: fields.get("capacity").into(),
        travel_credited,
        ete_available,
    };
    let checked = check_project(&draft);
    let mut all: Vec<FieldError> = match &checked {
        Ok(_) => Vec::new(),
        Err(found) => found
            .iter()
            .map(|(field, message)| FieldError::new(*field, message.clone()))
            .collect(),
    };
    all.extend(errors);
    match checked {
        Ok(facts) if all.is_empty() => Ok((facts, active)),
        _ => Err(order(all)),
    }
}

/// Errors in the order the fields are on the page.
fn order(mut errors: Vec<FieldError>) -> Vec<FieldError> {
    const FIELDS: [&str; 9] = [
        "name",
        "kind",
        "address",
        "postcode",
        "supervisor",
        "capacity",
        "travel_credited",
        "ete_available",
        "active",
    ];
    errors.sort_by_key(|e| FIELDS.iter().position(|f| *f == e.field));
    errors
}

/// `GET /unpaid-work/projects/new`.
pub async fn new_form(
    State(_state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Response, AppError> {
    home(&user)?;
    let fields = FormFields(vec![
        ("travel_credited".into(), "no".into()),
        ("ete_available".into(), "no".into()),
    ]);
    Ok(render(&form_page(&user, None, fields, Vec::new()))?.into_response())
}

/// `POST /unpaid-work/projects/new`.
pub async fn add(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let (region, pdu) = home(&user)?;
    let posted = Posted::new(&user, &fields);
    let asking = Asking::of(&user);
    let now = state.clock.now();
    let outcome = state
        .write(move |conn| {
            if let Err(refused) = decide_and_audit(
                conn,
                &asking,
                Action::ManageUnpaidWorkProjectsIn { region, pdu },
                "add_upw_project_form",
                format!("PDU {pdu}"),
                now,
            )? {
                return Ok(Err(refused));
            }
            let (facts, _) = match read(&posted, false) {
                Ok(read) => read,
                Err(errors) => return Ok(Ok(Submission::Refused(errors))),
            };
            let id = projects::add(conn, pdu, &facts, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit(
                    "add_upw_project",
                    format!(
                        "project {id} {}: {} places, {}",
                        facts.name,
                        facts.capacity,
                        facts.kind.code()
                    ),
                ),
                now,
            )?;
            Ok(Ok(Submission::Saved(id)))
        })
        .await?
        .map_err(AppError::Refused)?;
    forms::respond(
        outcome,
        |_| Redirect::to("/unpaid-work/projects?saved=project"),
        |errors| form_page(&user, None, fields, errors),
    )
}

/// `GET /unpaid-work/projects/{upw_project}`.
pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let project = open_project(
        &state,
        &user,
        &raw,
        "view_upw_project_form",
        true,
        |_, p, _| Ok(p.clone()),
    )
    .await?;
    let page = form_page(&user, Some(project.id), fields_of(&project), Vec::new());
    Ok(render(&page)?.into_response())
}

/// `POST /unpaid-work/projects/{upw_project}`.
pub async fn update(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let outcome = open_project(&state, &user, &raw, "change_upw_project_form", true, {
        move |conn, project, _| {
            let (facts, active) = match read(&posted, true) {
                Ok(read) => read,
                Err(errors) => return Ok(Submission::Refused((project.id, errors))),
            };
            let before = projects::update(conn, project.id, &facts, active, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit(
                    "change_upw_project",
                    format!(
                        "project {}: {} → {}, {} → {} places, open {} → {}",
                        project.id,
                        before.name,
                        facts.name,
                        before.capacity,
                        facts.capacity,
                        before.active,
                        active
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(()))
        }
    })
    .await?;
    forms::respond(
        outcome,
        |_| Redirect::to("/unpaid-work/projects?saved=project"),
        |(id, errors)| form_page(&user, Some(id), fields, errors),
    )
}
