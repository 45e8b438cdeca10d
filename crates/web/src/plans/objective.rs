//! Objectives of the plan being written: adding one (`/cases/{crn}/plan/objectives/new`) or
//! changing one (`…/objectives/{objective}`) — what the person will achieve, the needs and risks it
//! addresses, and its actions (what, constructive or restrictive, who, by when); and recording its
//! progress once the plan is active (`…/{objective}/progress`). Adding the first objective starts
//! the plan. Refused input is shown again with everything typed and each problem linked to its
//! field.

use super::page::{context, Context};
use super::{field_errors, version_of};
use crate::cases::access::{open_case, open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{Datelike, NaiveDate};
use keepsafe_domain::needs::Section;
use keepsafe_domain::plans::{
    check_objective, ActionDraft, ActionKind, ActionOwner, Objective, ObjectiveDraft, PlanStatus,
    Progress,
};
use keepsafe_domain::rosh::RiskGroup;
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::plans::{write, PlanRecord, STALE_MESSAGE};
use uuid::Uuid;

/// A checkbox.
struct Choice {
    code: &'static str,
    label: String,
    checked: bool,
}

/// A row of actions as typed, with its errors.
struct ActionRow {
    n: usize,
    what: String,
    kind: String,
    who: String,
    provider: String,
    day: String,
    month: String,
    year: String,
    what_error: Option<String>,
    kind_error: Option<String>,
    who_error: Option<String>,
    provider_error: Option<String>,
    by_error: Option<String>,
}

#[derive(Template)]
#[template(path = "plans/objective_form.html")]
struct ObjectiveForm {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    heading: &'static str,
    action_url: String,
    editable: bool,
    notice: String,
    version: i32,
    starts_on: String,
    errors: Vec<FieldError>,
    description: String,
    description_error: Option<String>,
    links_error: Option<String>,
    needs: Vec<Choice>,
    risks: Vec<Choice>,
    rows: Vec<ActionRow>,
    kinds: Vec<(&'static str, &'static str)>,
    owners: Vec<(&'static str, &'static str)>,
}

/// How many action rows the form offers beyond those filled in.
const SPARE_ROWS: usize = 2;

/// The highest action row number in the form.
fn row_count(fields: &FormFields) -> usize {
    fields
        .0
        .iter()
        .filter_map(|(key, _)| key.strip_prefix("action-")?.split('-').next()?.parse().ok())
        .max()
        .unwrap_or(0)
}

/// An objective as the form's fields, for the form shown first.
fn fields_of(objective: &Objective) -> FormFields {
    let mut pairs = vec![(
        "description".to_owned(),
        objective.description.as_str().to_owned(),
    )];
    pairs.extend(
        objective
            .needs
            .iter()
            .map(|n| ("needs".to_owned(), n.code().to_owned())),
    );
    pairs.extend(
        objective
            .risks
            .iter()
            .map(|r| ("risks".to_owned(), r.code().to_owned())),
    );
    for (index, action) in objective.actions.iter().enumerate() {
        let n = index + 1;
        let field = |name: &str| format!("action-{n}-{name}");
        pairs.push((field("what"), action.what.as_str().to_owned()));
        pairs.push((field("kind"), action.kind.code().to_owned()));
        pairs.push((field("who"), action.who.code().to_owned()));
        pairs.push((field("provider"), action.provider.clone()));
        pairs.push((field("by-day"), action.by_when.day().to_string()));
        pairs.push((field("by-month"), action.by_when.month().to_string()));
        pairs.push((field("by-year"), action.by_when.year().to_string()));
    }
    FormFields(pairs)
}

fn values<'a>(fields: &'a FormFields, name: &'a str) -> impl Iterator<Item = &'a str> {
    fields
        .0
        .iter()
        .filter(move |(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Reads the typed objective; text too long and dates that are not dates are field errors here,
/// the rest is the domain's to judge.
fn read(fields: &FormFields) -> (ObjectiveDraft, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut text = |field: String, label: String| match LongText::optional(fields.get(&field)) {
        Ok(text) => text,
        Err(error) => {
            errors.push(FieldError::new(field, format!("{label} {error}")));
            LongText::default()
        }
    };
    let description = text("description".into(), "The objective".into());
    let mut actions = Vec::new();
    for n in 1..=row_count(fields) {
        let what = text(format!("action-{n}-what"), format!("Action {n}"));
        actions.push((n, what));
    }
    let mut draft = ObjectiveDraft {
        description,
        needs: values(fields, "needs")
            .filter_map(|c| Section::parse(c).ok())
            .collect(),
        risks: values(fields, "risks")
            .filter_map(|c| RiskGroup::parse(c).ok())
            .collect(),
        actions: Vec::new(),
    };
    for (n, what) in actions {
        let field = |name: &str| format!("action-{n}-{name}");
        let typed = fields.typed_date(&field("by"));
        let by_when = if typed.day.trim().is_empty()
            && typed.month.trim().is_empty()
            && typed.year.trim().is_empty()
        {
            None
        } else {
            match fields.date(
                &field("by"),
                &format!("the date action {n} will be done by"),
            ) {
                Ok(day) => Some(day),
                Err(error) => {
                    errors.push(error);
                    None
                }
            }
        };
        draft.actions.push(ActionDraft {
            row: n,
            kind: ActionKind::parse(fields.get(&field("kind"))).ok(),
            what,
            who: ActionOwner::parse(fields.get(&field("who"))).ok(),
            provider: fields.get(&field("provider")).chars().take(200).collect(),
            by_when,
        });
    }
    (draft, errors)
}

/// The form for `fields`, with `errors`.
#[allow(clippy::too_many_arguments)]
fn form(
    user: &CurrentUser,
    ctx: &Context,
    objective: Option<Uuid>,
    fields: &FormFields,
    errors: Vec<FieldError>,
    version: i32,
    starts_on: NaiveDate,
    editable: bool,
) -> ObjectiveForm {
    let error = |field: &str| forms::message_for(&errors, field);
    let rows = (1..=row_count(fields) + SPARE_ROWS)
        .map(|n| {
            let field = |name: &str| format!("action-{n}-{name}");
            let typed = fields.typed_date(&field("by"));
            ActionRow {
                n,
                what: fields.get(&field("what")).chars().take(12_000).collect(),
                kind: fields.get(&field("kind")).to_owned(),
                who: fields.get(&field("who")).to_owned(),
                provider: fields.get(&field("provider")).chars().take(200).collect(),
                day: typed.day,
                month: typed.month,
                year: typed.year,
                what_error: error(&field("what")),
                kind_error: error(&field("kind")),
                who_error: error(&field("who")),
                provider_error: error(&field("provider")),
                by_error: error(&field("by-day")),
            }
        })
        .collect();
    let chosen = |name: &str, code: &str| values(fields, name).any(|v| v == code);
    let heading = if objective.is_some() {
        "Change an objective"
    } else {
        "Add an objective"
    };
    ObjectiveForm {
        chrome: Chrome::for_form(user, format!("{heading}: {}", ctx.crn), &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        heading,
        action_url: match objective {
            Some(id) => format!("/cases/{}/plan/objectives/{id}", ctx.crn),
            None => format!("/cases/{}/plan/objectives/new", ctx.crn),
        },
        editable,
        notice: if editable {
            String::new()
        } else {
            "This plan is no longer a draft, so its objectives cannot be changed. Revise the plan from the plan page to change them.".into()
        },
        version,
        starts_on: format::date(starts_on),
        description: fields.get("description").chars().take(12_000).collect(),
        description_error: error("description"),
        links_error: error("links"),
        needs: Section::ALL
            .iter()
            .map(|s| Choice {
                code: s.code(),
                label: s.label().to_owned(),
                checked: chosen("needs", s.code()),
            })
            .collect(),
        risks: RiskGroup::ALL
            .iter()
            .map(|g| Choice {
                code: g.code(),
                label: match ctx.levels.iter().find(|(group, _)| group == g) {
                    Some((_, level)) => format!(
                        "Risk to {} ({} in the assessment in force)",
                        g.label().to_lowercase(),
                        level.label().to_lowercase()
                    ),
                    None => format!("Risk to {}", g.label().to_lowercase()),
                },
                checked: chosen("risks", g.code()),
            })
            .collect(),
        rows,
        kinds: ActionKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        owners: ActionOwner::ALL
            .iter()
            .map(|o| (o.code(), o.label()))
            .collect(),
        errors,
    }
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// The plan of this case holding the objective.
fn plan_holding(ctx: &Context, objective: Uuid) -> Result<&PlanRecord, AppError> {
    ctx.plans
        .iter()
        .find(|p| p.objective(objective).is_some())
        .ok_or(AppError::NotFound)
}

/// `GET /cases/{crn}/plan/objectives/new`.
pub async fn new(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let ctx = open_case_for(
        &state,
        &user,
        &crn,
        "add_plan_objective",
        Need::Work,
        context,
    )
    .await?;
    let open = ctx.open();
    let editable = open.is_none_or(|p| p.status == PlanStatus::Draft);
    let page = form(
        &user,
        &ctx,
        None,
        &FormFields::default(),
        Vec::new(),
        open.map_or(0, |p| p.version),
        open.map_or(today, |p| p.starts_on),
        editable,
    );
    Ok(render(&page)?.into_response())
}

/// `GET /cases/{crn}/plan/objectives/{objective}`.
pub async fn edit(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, objective)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&objective)?;
    let ctx = open_case(&state, &user, &crn, "view_plan_objective", |conn, case| {
        context(conn, case)
    })
    .await?;
    let plan = plan_holding(&ctx, id)?;
    let fields = fields_of(plan.objective(id).expect("held"));
    let page = form(
        &user,
        &ctx,
        Some(id),
        &fields,
        Vec::new(),
        plan.version,
        plan.starts_on,
        plan.status == PlanStatus::Draft,
    );
    Ok(render(&page)?.into_response())
}

/// `POST /cases/{crn}/plan/objectives/new`.
pub async fn create(
    state: State<AppState>,
    user: SignedIn,
    Path(crn): Path<String>,
    fields: Form<FormFields>,
) -> Result<Response, AppError> {
    save(state, user, crn, None, fields).await
}

/// `POST /cases/{crn}/plan/objectives/{objective}`.
pub async fn update(
    state: State<AppState>,
    user: SignedIn,
    Path((crn, objective)): Path<(String, String)>,
    fields: Form<FormFields>,
) -> Result<Response, AppError> {
    let id = parse_id(&objective)?;
    save(state, user, crn, Some(id), fields).await
}

async fn save(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    crn: String,
    objective: Option<Uuid>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        "save_plan_objective",
        Need::Work,
        move |conn, case| {
            let version = version_of(&posted)?;
            let ctx = context(conn, case)?;
            let open = ctx.open();
            if open.is_some_and(|p| p.status != PlanStatus::Draft) {
                return Err(AppError::Conflict(
                    "The plan is awaiting countersignature, so it cannot be changed.".into(),
                ));
            }
            if let Some(id) = objective {
                if open.is_none_or(|p| p.objective(id).is_none()) {
                    return Err(AppError::Conflict(
                        "This objective is not part of a draft plan, so it cannot be changed."
                            .into(),
                    ));
                }
            }
            if open.is_none() && version != 0 {
                return Err(AppError::Conflict(STALE_MESSAGE.into()));
            }
            let starts_on = open.map_or(today, |p| p.starts_on);
            let (draft, mut errors) = read(&posted);
            let id = objective.unwrap_or_else(Uuid::new_v4);
            let checked = check_objective(id, &draft, starts_on);
            if let Err(problems) = &checked {
                for error in field_errors(problems) {
                    if forms::message_for(&errors, &error.field).is_none() {
                        errors.push(error);
                    }
                }
            }
            if !errors.is_empty() {
                return Ok(Submission::Refused((ctx, errors, version, starts_on)));
            }
            let checked = checked.expect("no problems");
            let now = state.clock.now();
            let (plan_id, version) = match open {
                Some(plan) => (plan.id, version),
                None => (write::start(conn, case.person_id, posted.by, now)?, 1),
            };
            write::save_objective(conn, plan_id, version, &checked, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "save_plan_objective",
                    case,
                    format!(
                        "{plan_id}: objective {id} with {} actions",
                        checked.actions.len()
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/plan")),
        |(ctx, errors, version, starts_on)| {
            form(
                &user, &ctx, objective, &fields, errors, version, starts_on, true,
            )
        },
    )
}

#[derive(Template)]
#[template(path = "plans/progress_form.html")]
struct ProgressForm {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    objective_id: String,
    description: String,
    editable: bool,
    version: i32,
    errors: Vec<FieldError>,
    progress: String,
    progress_error: Option<String>,
    note: String,
    note_error: Option<String>,
    options: Vec<(&'static str, &'static str)>,
}

fn progress_view(
    user: &CurrentUser,
    ctx: &Context,
    plan: &PlanRecord,
    id: Uuid,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ProgressForm {
    let objective = plan.objective(id).expect("held");
    ProgressForm {
        chrome: Chrome::for_form(user, format!("Record progress: {}", ctx.crn), &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        objective_id: id.to_string(),
        description: objective.description.as_str().to_owned(),
        editable: plan.status == PlanStatus::Active,
        version: plan.version,
        progress: match fields.get("progress") {
            "" => objective.progress.code().to_owned(),
            typed => typed.to_owned(),
        },
        note: if fields.0.is_empty() {
            objective.progress_note.as_str().to_owned()
        } else {
            fields.get("note").chars().take(12_000).collect()
        },
        options: Progress::ALL
            .iter()
            .map(|p| (p.code(), p.label()))
            .collect(),
        progress_error: forms::message_for(&errors, "progress"),
        note_error: forms::message_for(&errors, "note"),
        errors,
    }
}

/// `GET /cases/{crn}/plan/objectives/{objective}/progress`.
pub async fn progress_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, objective)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&objective)?;
    let ctx = open_case(&state, &user, &crn, "view_plan_objective", |conn, case| {
        context(conn, case)
    })
    .await?;
    let plan = plan_holding(&ctx, id)?;
    Ok(render(&progress_view(
        &user,
        &ctx,
        plan,
        id,
        &FormFields::default(),
        Vec::new(),
    ))?
    .into_response())
}

/// `POST /cases/{crn}/plan/objectives/{objective}/progress`: progress on an objective of the
/// plan in force, with a note.
pub async fn record_progress(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, objective)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let id = parse_id(&objective)?;
    let posted = Posted::new(&user, &fields);
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        "record_plan_progress",
        Need::Work,
        move |conn, case| {
            let version = version_of(&posted)?;
            let ctx = context(conn, case)?;
            let plan = ctx
                .active()
                .filter(|p| p.objective(id).is_some())
                .ok_or_else(|| {
                    AppError::Conflict(
                        "Progress is recorded on the objectives of the plan in force.".into(),
                    )
                })?;
            let mut errors = Vec::new();
            let progress = Progress::parse(posted.get("progress")).ok();
            if progress.is_none() {
                errors.push(FieldError::new(
                    "progress",
                    "Say how the objective is going",
                ));
            }
            let note = LongText::optional(posted.get("note")).unwrap_or_else(|error| {
                errors.push(FieldError::new("note", format!("The note {error}")));
                LongText::default()
            });
            if progress == Some(Progress::NoLongerRelevant) && note.is_empty() {
                errors.push(FieldError::new(
                    "note",
                    "Say why the objective is no longer relevant",
                ));
            }
            let Some(progress) = progress.filter(|_| errors.is_empty()) else {
                let plan_id = plan.id;
                return Ok(Submission::Refused((ctx, plan_id, errors)));
            };
            let now = state.clock.now();
            write::record_progress(conn, plan.id, version, id, progress, &note, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "record_plan_progress",
                    case,
                    format!("objective {id}: {}", progress.label()),
                ),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/plan")),
        |(ctx, plan_id, errors)| {
            let plan = ctx
                .plans
                .iter()
                .find(|p| p.id == plan_id)
                .expect("read in the transaction");
            progress_view(&user, &ctx, plan, id, &fields, errors)
        },
    )
}
