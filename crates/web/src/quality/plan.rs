//! Recommendations and action plans for a unit (`/quality/{level}/{unit}/plan`). A status only
//! moves forward ([`keepsafe_domain::quality::Action::move_to`]), so the plan shows honestly what
//! was done, what was dropped and why, and what is overdue.
//!
//! Fields: the recommendation form (`POST …/plan/recommendations`) has `framework` (hidden),
//! `text`, `standard` (a select, blank for none), `made-by` and the date `made-on-day`,
//! `made-on-month`, `made-on-year`; the action form (`…/plan/recommendations/{recommendation}/
//! actions`) has `description`, `owner` and `due-day`, `due-month`, `due-year`; the status form
//! (`…/plan/actions/{action}/status`) has `status` (radios `in_progress`, `done`, `dropped`; ids
//! `status`, `status-done`, `status-dropped`) and `reason`, needed to drop an action.

use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, TypedDate, Validation};
use crate::layout::{render, Chrome};
use crate::quality::access::{open_unit, unit_path, UnitNeed};
use crate::quality::panel::{chosen_framework, samples_path, FrameworkQuery};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action as AccessAction, Actor};
use keepsafe_domain::quality::{Action, ActionStatus, Framework, PlanRefused, Recommendation};
use keepsafe_storage::audit;
use keepsafe_storage::quality::plans::{
    self, NewRecommendation, StoredAction, StoredRecommendation,
};
use keepsafe_storage::quality::UnitInfo;
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

fn plan_path(info: &UnitInfo) -> String {
    format!("{}/plan", unit_path(info))
}

/// An action as the plan shows it.
struct ActionRow {
    id: String,
    description: String,
    owner: String,
    due: String,
    status: String,
    status_colour: &'static str,
    dropped_reason: String,
    overdue: bool,
    is_final: bool,
    updated: String,
}

struct RecommendationView {
    id: String,
    text: String,
    standard: String,
    framework: String,
    made_by: String,
    made_on: String,
    actions: Vec<ActionRow>,
}

fn status_view(status: &ActionStatus) -> (&'static str, &'static str, bool) {
    match status {
        ActionStatus::Open => ("Open", "grey", false),
        ActionStatus::InProgress => ("In progress", "blue", false),
        ActionStatus::Done => ("Done", "green", true),
        ActionStatus::Dropped { .. } => ("Dropped", "orange", true),
    }
}

fn action_row(stored: &StoredAction, today: NaiveDate) -> ActionRow {
    let (status, colour, is_final) = status_view(&stored.action.status);
    ActionRow {
        id: stored.id.to_string(),
        description: stored.action.description.clone(),
        owner: stored.action.owner.clone(),
        due: format::date(stored.action.due),
        status: status.to_owned(),
        status_colour: colour,
        dropped_reason: match &stored.action.status {
            ActionStatus::Dropped { reason } => reason.clone(),
            _ => String::new(),
        },
        overdue: stored.action.is_overdue(today),
        is_final,
        updated: format!(
            "{}, {}",
            stored.updated_by,
            format::date_time(stored.updated_at)
        ),
    }
}

fn recommendation_view(stored: &StoredRecommendation, today: NaiveDate) -> RecommendationView {
    let standard = stored.recommendation.standard.as_deref().map_or_else(
        || "Not tied to a standard".to_owned(),
        |code| {
            Framework::by_code(&stored.framework)
                .and_then(|f| f.standard(code).map(|s| format!("{} {}", s.code, s.name)))
                .unwrap_or_else(|| code.to_owned())
        },
    );
    RecommendationView {
        id: stored.id.to_string(),
        text: stored.recommendation.text.clone(),
        standard,
        framework: stored.framework.clone(),
        made_by: stored.made_by.clone(),
        made_on: format::date(stored.made_on),
        actions: stored
            .actions
            .iter()
            .map(|a| action_row(a, today))
            .collect(),
    }
}

struct Choice {
    code: String,
    label: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "quality/plan.html")]
struct PlanPage {
    chrome: Chrome,
    csrf_token: String,
    unit_name: String,
    unit_path: String,
    samples_path: Option<String>,
    plan_path: String,
    recommendations: Vec<RecommendationView>,
    overdue: usize,
    may_manage: bool,
    frameworks: Vec<Choice>,
    framework_code: String,
    framework_name: String,
    standards: Vec<Choice>,
    errors: Vec<FieldError>,
    text: String,
    made_by: String,
    date: TypedDate,
    text_error: Option<String>,
    standard_error: Option<String>,
    made_by_error: Option<String>,
    made_on_error: Option<String>,
}

/// The plan as read in the unit's transaction.
struct Plan {
    info: UnitInfo,
    recommendations: Vec<StoredRecommendation>,
    may_manage: bool,
}

fn load(conn: &mut AnyConnection, info: &UnitInfo, actor: &Actor) -> Result<Plan, AppError> {
    Ok(Plan {
        info: info.clone(),
        recommendations: plans::for_unit(conn, info.unit)?,
        may_manage: decide(actor, AccessAction::ManageQuality(&info.location)).is_allowed(),
    })
}

fn plan_page(
    user: &CurrentUser,
    plan: Plan,
    framework: &Framework,
    fields: &FormFields,
    errors: Vec<FieldError>,
    today: NaiveDate,
) -> PlanPage {
    let recommendations: Vec<RecommendationView> = plan
        .recommendations
        .iter()
        .map(|r| recommendation_view(r, today))
        .collect();
    let chosen_standard = fields.get("standard");
    PlanPage {
        chrome: Chrome::for_form(
            user,
            format!("Action plan: {}", plan.info.name),
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        unit_name: plan.info.name.clone(),
        unit_path: unit_path(&plan.info),
        samples_path: samples_path(&plan.info),
        plan_path: plan_path(&plan.info),
        overdue: recommendations
            .iter()
            .flat_map(|r| &r.actions)
            .filter(|a| a.overdue)
            .count(),
        recommendations,
        may_manage: plan.may_manage,
        frameworks: Framework::all()
            .into_iter()
            .map(|f| Choice {
                current: f.code == framework.code,
                label: f.name,
                code: f.code,
            })
            .collect(),
        framework_code: framework.code.clone(),
        framework_name: framework.name.clone(),
        standards: framework
            .standards
            .iter()
            .map(|s| Choice {
                current: s.code == chosen_standard,
                code: s.code.clone(),
                label: format!("{} {}", s.code, s.name),
            })
            .collect(),
        text: fields.get("text").chars().take(12_000).collect(),
        made_by: fields.get("made-by").chars().take(500).collect(),
        date: fields.typed_date("made-on"),
        text_error: forms::message_for(&errors, "text"),
        standard_error: forms::message_for(&errors, "standard"),
        made_by_error: forms::message_for(&errors, "made-by"),
        made_on_error: forms::message_for(&errors, "made-on-day"),
        errors,
    }
}

/// `GET /quality/{level}/{unit}/plan?framework=…`: the unit's recommendations and actions, the
/// overdue ones flagged; for whoever runs its quality assurance, the form for a recommendation.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((level, unit)): Path<(String, String)>,
    Query(query): Query<FrameworkQuery>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let framework = chosen_framework(query.framework.as_deref())?;
    let actor = user.account.actor();
    let plan = open_unit(
        &state,
        &user,
        &level,
        &unit,
        "view_action_plan",
        UnitNeed::View,
        move |conn, info| load(conn, info, &actor),
    )
    .await?;
    Ok(render(&plan_page(
        &user,
        plan,
        &framework,
        &FormFields::default(),
        Vec::new(),
        today,
    ))?
    .into_response())
}

/// Reads the recommendation form: the domain checks the text and the standard.
fn read_recommendation(
    framework: &Framework,
    fields: &FormFields,
) -> Result<(Recommendation, String, NaiveDate), Vec<FieldError>> {
    let mut validation = Validation::default();
    let standard = fields.filled("standard");
    let recommendation = validation.field(
        Recommendation::new(framework, fields.get("text"), standard).map_err(|refused| {
            let field = match refused {
                PlanRefused::UnknownStandard { .. } => "standard",
                _ => "text",
            };
            FieldError::new(field, refused.to_string())
        }),
    );
    let made_by = validation.required(
        fields.filled("made-by").map(str::to_owned),
        "made-by",
        "Enter who made the recommendation, like HM Inspectorate of Probation",
    );
    let made_on = validation.field(fields.date("made-on", "the date the recommendation was made"));
    validation.finish(|| Some((recommendation?, made_by?, made_on?)))
}

/// `POST /quality/{level}/{unit}/plan/recommendations`: records a recommendation made to the unit.
pub async fn add_recommendation(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((level, unit)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let actor = user.account.actor();
    let posted = Posted::new(&user, &fields);
    let added = open_unit(
        &state,
        &user,
        &level,
        &unit,
        "add_recommendation",
        UnitNeed::Manage,
        move |conn, info| {
            let framework = chosen_framework(Some(posted.get("framework")))?;
            let (recommendation, made_by, made_on) = match read_recommendation(&framework, &posted)
            {
                Ok(read) => read,
                Err(errors) => {
                    let plan = load(conn, info, &actor)?;
                    return Ok(Submission::Refused((plan, framework, errors)));
                }
            };
            let now = state.clock.now();
            let id = plans::add_recommendation(
                conn,
                &NewRecommendation {
                    unit: info.unit,
                    framework: &framework.code,
                    recommendation: &recommendation,
                    made_by: &made_by,
                    made_on,
                    recorded_by: posted.by,
                },
                now,
            )?;
            let detail = format!(
                "recommendation {id} to {} {} ({})",
                info.unit.kind(),
                info.code,
                framework.code
            );
            audit::record(conn, &posted.audit("add_recommendation", detail), now)?;
            Ok(Submission::Saved(format!(
                "{}#recommendation-{id}",
                plan_path(info)
            )))
        },
    )
    .await?;
    forms::respond(
        added,
        |path| Redirect::to(&path),
        |(plan, framework, errors)| plan_page(&user, plan, &framework, &fields, errors, today),
    )
}

fn record_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

fn find_recommendation(
    conn: &mut AnyConnection,
    info: &UnitInfo,
    id: Uuid,
) -> Result<StoredRecommendation, AppError> {
    plans::for_unit(conn, info.unit)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "quality/action.html")]
struct ActionPage {
    chrome: Chrome,
    csrf_token: String,
    unit_name: String,
    plan_path: String,
    recommendation: RecommendationView,
    errors: Vec<FieldError>,
    description: String,
    owner: String,
    date: TypedDate,
    description_error: Option<String>,
    owner_error: Option<String>,
    due_error: Option<String>,
}

fn action_page(
    user: &CurrentUser,
    info: &UnitInfo,
    recommendation: &StoredRecommendation,
    fields: &FormFields,
    errors: Vec<FieldError>,
    today: NaiveDate,
) -> ActionPage {
    ActionPage {
        chrome: Chrome::for_form(user, "Add an action", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        unit_name: info.name.clone(),
        plan_path: plan_path(info),
        recommendation: recommendation_view(recommendation, today),
        description: fields.get("description").chars().take(12_000).collect(),
        owner: fields.get("owner").chars().take(500).collect(),
        date: fields.typed_date("due"),
        description_error: forms::message_for(&errors, "description"),
        owner_error: forms::message_for(&errors, "owner"),
        due_error: forms::message_for(&errors, "due-day"),
        errors,
    }
}

/// `GET /quality/{level}/{unit}/plan/recommendations/{recommendation}/actions`: the action form.
pub async fn action_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((level, unit, recommendation)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let id = record_id(&recommendation)?;
    let (info, found) = open_unit(
        &state,
        &user,
        &level,
        &unit,
        "open_action_form",
        UnitNeed::Manage,
        move |conn, info| Ok((info.clone(), find_recommendation(conn, info, id)?)),
    )
    .await?;
    Ok(render(&action_page(
        &user,
        &info,
        &found,
        &FormFields::default(),
        Vec::new(),
        today,
    ))?
    .into_response())
}

/// Reads the action form. The domain checks description then owner; each is asked about on its
/// own so the error summary names everything missing at once.
fn read_action(fields: &FormFields) -> Result<Action, Vec<FieldError>> {
    let mut validation = Validation::default();
    let (description, owner) = (fields.get("description"), fields.get("owner"));
    let any_day = NaiveDate::MIN;
    if let Err(refused) = Action::new(description, "owner", any_day) {
        validation.add(FieldError::new("description", refused.to_string()));
    }
    if let Err(refused) = Action::new("description", owner, any_day) {
        validation.add(FieldError::new("owner", refused.to_string()));
    }
    let due = validation.field(fields.date("due", "the date the action is due"));
    let due = validation.finish(|| due)?;
    Action::new(description, owner, due)
        .map_err(|refused| vec![FieldError::new("description", refused.to_string())])
}

/// `POST /quality/{level}/{unit}/plan/recommendations/{recommendation}/actions`: adds an open
/// action to the recommendation.
pub async fn add_action(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((level, unit, recommendation)): Path<(String, String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let id = record_id(&recommendation)?;
    let posted = Posted::new(&user, &fields);
    let added = open_unit(
        &state,
        &user,
        &level,
        &unit,
        "add_action",
        UnitNeed::Manage,
        move |conn, info| {
            let found = find_recommendation(conn, info, id)?;
            let action = match read_action(&posted) {
                Ok(action) => action,
                Err(errors) => return Ok(Submission::Refused((info.clone(), found, errors))),
            };
            let now = state.clock.now();
            let action_id = plans::add_action(conn, id, &action, posted.by, now)?;
            let detail = format!("action {action_id} for recommendation {id}");
            audit::record(conn, &posted.audit("add_action", detail), now)?;
            Ok(Submission::Saved(format!(
                "{}#recommendation-{id}",
                plan_path(info)
            )))
        },
    )
    .await?;
    forms::respond(
        added,
        |path| Redirect::to(&path),
        |(info, found, errors)| action_page(&user, &info, &found, &fields, errors, today),
    )
}

#[derive(Template)]
#[template(path = "quality/action_status.html")]
struct StatusPage {
    chrome: Chrome,
    csrf_token: String,
    unit_name: String,
    plan_path: String,
    recommendation_text: String,
    action: ActionRow,
    errors: Vec<FieldError>,
    status: String,
    reason: String,
    status_error: Option<String>,
    reason_error: Option<String>,
}

/// An action found in the unit's plan, with its recommendation.
struct FoundAction {
    info: UnitInfo,
    recommendation_id: Uuid,
    recommendation_text: String,
    action: StoredAction,
}

fn find_action(
    conn: &mut AnyConnection,
    info: &UnitInfo,
    id: Uuid,
) -> Result<FoundAction, AppError> {
    plans::for_unit(conn, info.unit)?
        .into_iter()
        .find_map(|r| {
            let action = r.actions.iter().find(|a| a.id == id)?.clone();
            Some(FoundAction {
                info: info.clone(),
                recommendation_id: r.id,
                recommendation_text: r.recommendation.text.clone(),
                action,
            })
        })
        .ok_or(AppError::NotFound)
}

fn status_page(
    user: &CurrentUser,
    found: &FoundAction,
    fields: &FormFields,
    errors: Vec<FieldError>,
    today: NaiveDate,
) -> StatusPage {
    StatusPage {
        chrome: Chrome::for_form(user, "Update an action", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        unit_name: found.info.name.clone(),
        plan_path: plan_path(&found.info),
        recommendation_text: found.recommendation_text.clone(),
        action: action_row(&found.action, today),
        status: fields.get("status").chars().take(20).collect(),
        reason: fields.get("reason").chars().take(12_000).collect(),
        status_error: forms::message_for(&errors, "status"),
        reason_error: forms::message_for(&errors, "reason"),
        errors,
    }
}

/// `GET /quality/{level}/{unit}/plan/actions/{action}/status`: the status form.
pub async fn status_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((level, unit, action)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let id = record_id(&action)?;
    let found = open_unit(
        &state,
        &user,
        &level,
        &unit,
        "open_action_status",
        UnitNeed::Manage,
        move |conn, info| find_action(conn, info, id),
    )
    .await?;
    Ok(render(&status_page(
        &user,
        &found,
        &FormFields::default(),
        Vec::new(),
        today,
    ))?
    .into_response())
}

/// `POST /quality/{level}/{unit}/plan/actions/{action}/status`: moves the action on as the domain
/// allows; a move back (a done action reopened) is refused with the domain's reason.
pub async fn move_status(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((level, unit, action)): Path<(String, String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let id = record_id(&action)?;
    let posted = Posted::new(&user, &fields);
    let moved = open_unit(
        &state,
        &user,
        &level,
        &unit,
        "move_action",
        UnitNeed::Manage,
        move |conn, info| {
            let found = find_action(conn, info, id)?;
            let status = posted.get("status");
            let to = match status {
                "in_progress" => ActionStatus::InProgress,
                "done" => ActionStatus::Done,
                "dropped" => ActionStatus::Dropped {
                    reason: posted.get("reason").to_owned(),
                },
                _ => {
                    let error = FieldError::new("status", "Select the action's new status");
                    return Ok(Submission::Refused((found, error)));
                }
            };
            let now = state.clock.now();
            let refused =
                plans::move_action(conn, found.recommendation_id, id, to, posted.by, now)?;
            if let Err(refused) = refused {
                let field = match refused {
                    PlanRefused::MissingDropReason | PlanRefused::Text { .. } => "reason",
                    _ => "status",
                };
                let error = FieldError::new(field, refused.to_string());
                return Ok(Submission::Refused((found, error)));
            }
            let detail = format!("action {id} moved to {status}");
            audit::record(conn, &posted.audit("move_action", detail), now)?;
            Ok(Submission::Saved(format!(
                "{}#recommendation-{}",
                plan_path(info),
                found.recommendation_id
            )))
        },
    )
    .await?;
    forms::respond(
        moved,
        |path| Redirect::to(&path),
        |(found, error)| status_page(&user, &found, &fields, vec![error], today),
    )
}
