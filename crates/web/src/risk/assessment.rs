//! The RoSH assessment form: `GET/POST /cases/{crn}/risk/assessments/{assessment}`, starting one
//! (`POST /cases/{crn}/risk/assessments`) and countersigning one (`POST …/countersign`).
//!
//! Saving keeps the practitioner's work even when completion is refused; completion is refused
//! with the domain's list of exactly what is missing, each linked to the place to fix it.

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
use chrono::{DateTime, NaiveDate, Utc};
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::rosh::{
    assess_completion, AssessmentContent, AssessmentStatus, CheckReference, CompletionFacts,
    Consideration, RiskGroup, RoshLevel,
};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry};
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::risk::assessments::{self as rosh_assessments, AssessmentRecord};
use keepsafe_storage::risk::checks::{self, CheckRecord};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "risk/assessment.html")]
struct AssessmentPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    id: String,
    version: i32,
    status: String,
    editable: bool,
    may_countersign: bool,
    case_level: String,
    notice: String,
    errors: Vec<FieldError>,
    groups: Vec<GroupView>,
    texts: Vec<TextView>,
    considerations: Vec<TextView>,
    references: Vec<TextView>,
    unanswered_checks: Vec<String>,
    sections: Vec<SectionStatus>,
}

/// A line of the GOV.UK task list at the top of the form: each part and whether it is done.
struct SectionStatus {
    anchor: &'static str,
    title: &'static str,
    status: &'static str,
    done: bool,
}

struct GroupView {
    code: &'static str,
    label: String,
    selected: String,
    options: Vec<(&'static str, &'static str, bool)>,
    error: Option<String>,
}

struct TextView {
    field: String,
    label: String,
    hint: String,
    value: String,
    error: Option<String>,
}

const TEXTS: [(&str, &str, &str); 5] = [
    (
        "nature_of_harm",
        "Nature of the harm",
        "What harm could be caused, how, and how serious it would be.",
    ),
    (
        "who_is_at_risk",
        "Who is at risk",
        "Actual and potential victims: named people, household members, partners, groups.",
    ),
    (
        "imminence",
        "Imminence",
        "When the harm is most likely, and what would make it happen sooner.",
    ),
    (
        "increasing_factors",
        "Factors that increase the risk",
        "For example substance misuse, relationship conflict, loss of accommodation.",
    ),
    (
        "reducing_factors",
        "Factors that reduce the risk",
        "For example stable housing, engagement, protective relationships.",
    ),
];

fn text_of<'a>(content: &'a AssessmentContent, field: &str) -> &'a LongText {
    match field {
        "nature_of_harm" => &content.nature_of_harm,
        "who_is_at_risk" => &content.who_is_at_risk,
        "imminence" => &content.imminence,
        "increasing_factors" => &content.increasing_factors,
        _ => &content.reducing_factors,
    }
}

/// Everything the form shows besides the content.
struct Context {
    name: String,
    crn: String,
    record: AssessmentRecord,
    facts: CompletionFacts,
    checks: Vec<CheckRecord>,
}

fn context(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    id: Uuid,
    today: NaiveDate,
) -> Result<Context, AppError> {
    let record = rosh_assessments::find(conn, case.person_id, id)?;

    let (name, crn) = case_record::heading(conn, case.person_id)?;
    Ok(Context {
        facts: rosh_assessments::completion_facts(conn, case.person_id, record.case_type, today)?,
        checks: checks::for_person(conn, case.person_id)?,
        name,
        crn,
        record,
    })
}

fn page(
    user: &CurrentUser,
    ctx: &Context,
    content: &AssessmentContent,
    version: i32,
    errors: Vec<FieldError>,
    notice: String,
    location: &keepsafe_domain::access::CaseLocation,
) -> AssessmentPage {
    let actor = user.account.actor();
    let editable = ctx.record.status == AssessmentStatus::Draft
        && decide(&actor, Action::WorkOnCase(location)).is_allowed();
    let may_countersign = ctx.record.status == AssessmentStatus::AwaitingCountersignature
        && decide(&actor, Action::ManageCaseRisk(location)).is_allowed();
    let groups = RiskGroup::for_case(ctx.record.case_type)
        .into_iter()
        .map(|group| {
            let selected = content.level_for(group);
            GroupView {
                code: group.code(),
                label: group.label().to_owned(),
                selected: selected
                    .map(|l| l.label().to_owned())
                    .unwrap_or_else(|| "Not given".into()),
                options: RoshLevel::ALL
                    .iter()
                    .map(|level| (level.code(), level.label(), selected == Some(*level)))
                    .collect(),
                error: forms::message_for(&errors, &format!("level-{}", group.code())),
            }
        })
        .collect();
    let texts = TEXTS
        .iter()
        .map(|(field, label, hint)| TextView {
            field: (*field).to_owned(),
            label: (*label).to_owned(),
            hint: (*hint).to_owned(),
            value: text_of(content, field).as_str().to_owned(),
            error: forms::message_for(&errors, field),
        })
        .collect();
    let considerations = ctx
        .facts
        .people_to_consider
        .iter()
        .map(|person| {
            let field = format!("consider-{}", person.id);
            let age = person.age.map(|a| format!(", age {a}")).unwrap_or_default();
            TextView {
                label: format!(
                    "{} ({}{age})",
                    person.name,
                    person.relationship.to_lowercase()
                ),
                hint: if person.is_child {
                    "A child in the household: consider the risk to them and who protects them."
                        .into()
                } else {
                    "Consider the risk to them and any risk they pose or protect against.".into()
                },
                value: content
                    .considerations
                    .iter()
                    .find(|c| c.subject_id == person.id)
                    .map(|c| c.note.as_str().to_owned())
                    .unwrap_or_default(),
                error: forms::message_for(&errors, &field),
                field,
            }
        })
        .collect();
    let references = ctx
        .checks
        .iter()
        .filter_map(|check| check.response.as_ref().map(|response| (check, response)))
        .map(|(check, response)| {
            let field = format!("reference-{}", check.id);
            TextView {
                label: format!(
                    "{} response received {}",
                    check.label(),
                    format::short_date(response.received_on)
                ),
                hint: format!(
                    "The response said: “{}”. Say how this information informs your analysis.",
                    response.summary
                ),
                value: content
                    .check_references
                    .iter()
                    .find(|r| r.check_id == check.id)
                    .map(|r| r.note.as_str().to_owned())
                    .unwrap_or_default(),
                error: forms::message_for(&errors, &field),
                field,
            }
        })
        .collect();
    let unanswered_checks = ctx
        .checks
        .iter()
        .filter(|c| c.response.is_none())
        .map(|c| {
            format!(
                "{} requested {}, due {}",
                c.label(),
                format::short_date(c.requested_on),
                format::short_date(c.deadline)
            )
        })
        .collect();
    AssessmentPage {
        sections: sections(ctx, content),
        chrome: Chrome::for_form(
            user,
            format!("Risk of serious harm assessment: {}", ctx.crn),
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        id: ctx.record.id.to_string(),
        version,
        status: ctx.record.status.label().to_owned(),
        editable,
        may_countersign,
        case_level: content
            .case_level()
            .map(|l| format!("{} (the highest level given to any group)", l.label()))
            .unwrap_or_else(|| "Not decided: give a level for each group".into()),
        notice,
        errors,
        groups,
        texts,
        considerations,
        references,
        unanswered_checks,
    }
}

/// Where each part of the assessment stands, from the same gates completion uses.
fn sections(ctx: &Context, content: &AssessmentContent) -> Vec<SectionStatus> {
    use keepsafe_domain::rosh::Missing;
    let missing = assess_completion(content, &ctx.facts)
        .err()
        .unwrap_or_default();
    let any = |test: fn(&Missing) -> bool| missing.iter().any(test);
    let status = |incomplete: bool, started: bool| match (incomplete, started) {
        (false, _) => ("Completed", true),
        (true, true) => ("In progress", false),
        (true, false) => ("Not yet started", false),
    };
    let levels = status(
        any(|m| matches!(m, Missing::Level(_))),
        !content.levels.is_empty(),
    );
    let analysis = status(
        any(|m| {
            matches!(
                m,
                Missing::NatureOfHarm
                    | Missing::WhoIsAtRisk
                    | Missing::Imminence
                    | Missing::IncreasingFactors
                    | Missing::ReducingFactors
            )
        }),
        !content.nature_of_harm.is_empty(),
    );
    let people = status(
        any(|m| matches!(m, Missing::PersonNotConsidered { .. })),
        !content.considerations.is_empty(),
    );
    let agencies = status(
        any(|m| {
            matches!(
                m,
                Missing::CheckNotRequested { .. }
                    | Missing::ResponseOutstanding { .. }
                    | Missing::ResponseNotReferenced { .. }
            )
        }),
        !ctx.checks.is_empty(),
    );
    [
        ("levels", "Risk levels", levels),
        ("analysis", "Risk analysis", analysis),
        ("household", "People in the household", people),
        ("checks", "Information from other agencies", agencies),
    ]
    .into_iter()
    .map(|(anchor, title, (status, done))| SectionStatus {
        anchor,
        title,
        status,
        done,
    })
    .collect()
}

fn parse_uuid(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// `GET /cases/{crn}/risk/assessments/{assessment}`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, assessment)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let id = parse_uuid(&assessment)?;
    let (ctx, location) = open_case(&state, &user, &crn, "view_assessment", move |conn, case| {
        Ok((context(conn, case, id, today)?, case.location.clone()))
    })
    .await?;
    let content = ctx.record.content.clone();
    let version = ctx.record.version;
    Ok(render(&page(
        &user,
        &ctx,
        &content,
        version,
        Vec::new(),
        String::new(),
        &location,
    ))?
    .into_response())
}

/// `POST /cases/{crn}/risk/assessments`: starts a draft for the case's current sentence.
pub async fn start(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let by = user.account.id;
    let (id, crn) = open_case_for(
        &state,
        &user,
        &crn,
        "start_assessment",
        Need::Work,
        move |conn, case| {
            let case_type =
                case_record::main_case_type(conn, case.person_id)?.ok_or_else(|| {
                    AppError::Conflict(
                        "This person has no active sentence, so there is nothing to assess.".into(),
                    )
                })?;
            let id =
                rosh_assessments::start(conn, case.person_id, case_type, by, state.clock.now())?;
            Ok((id, case.crn.clone()))
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/cases/{crn}/risk/assessments/{id}")).into_response())
}

/// Reads the submitted form into content; too-long text is a field error and nothing is saved.
fn content_from(fields: &FormFields) -> Result<AssessmentContent, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut content = AssessmentContent::default();
    for group in RiskGroup::ALL {
        let raw = fields.get(&format!("level-{}", group.code()));
        if let Ok(level) = RoshLevel::parse(raw) {
            content.levels.push((*group, level));
        }
    }
    let mut text = |field: &str, label: &str| match LongText::optional(fields.get(field)) {
        Ok(text) => text,
        Err(error) => {
            errors.push(FieldError::new(field, format!("{label} {error}")));
            LongText::default()
        }
    };
    content.nature_of_harm = text("nature_of_harm", "Nature of the harm");
    content.who_is_at_risk = text("who_is_at_risk", "Who is at risk");
    content.imminence = text("imminence", "Imminence");
    content.increasing_factors = text("increasing_factors", "Factors that increase the risk");
    content.reducing_factors = text("reducing_factors", "Factors that reduce the risk");
    for (id, note) in fields.with_prefix("consider-") {
        let Ok(subject_id) = Uuid::parse_str(id) else {
            continue;
        };
        match LongText::optional(note) {
            Ok(note) => content
                .considerations
                .push(Consideration { subject_id, note }),
            Err(error) => errors.push(FieldError::new(
                format!("consider-{id}"),
                format!("This note {error}"),
            )),
        }
    }
    for (id, note) in fields.with_prefix("reference-") {
        let Ok(check_id) = Uuid::parse_str(id) else {
            continue;
        };
        match LongText::optional(note) {
            Ok(note) => content
                .check_references
                .push(CheckReference { check_id, note }),
            Err(error) => errors.push(FieldError::new(
                format!("reference-{id}"),
                format!("This note {error}"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(content)
    } else {
        Err(errors)
    }
}

/// A saved assessment: completed, or kept as a draft and shown again with a notice.
enum Saved {
    Completed(String),
    Draft(Box<FormState>),
}

/// The form to show again: after a plain save, a refused completion or invalid input.
struct FormState {
    ctx: Context,
    content: AssessmentContent,
    version: i32,
    errors: Vec<FieldError>,
    notice: String,
    location: keepsafe_domain::access::CaseLocation,
}

impl FormState {
    fn page(self, user: &CurrentUser) -> AssessmentPage {
        page(
            user,
            &self.ctx,
            &self.content,
            self.version,
            self.errors,
            self.notice,
            &self.location,
        )
    }
}

/// `POST /cases/{crn}/risk/assessments/{assessment}`: save, or save and complete. Saving keeps
/// the work even when completion is then refused.
pub async fn save(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, assessment)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let id = parse_uuid(&assessment)?;
    let posted = Posted::new(&user, &fields);
    let completing = fields.get("action") == "complete";
    let saved = open_case_for(
        &state,
        &user,
        &crn,
        "edit_assessment",
        Need::Work,
        move |conn, case| {
            let version: i32 = posted.get("version").parse().map_err(|_| {
                AppError::BadRequest(
                    "The form is missing its version; reload the page and try again.".into(),
                )
            })?;
            let ctx = context(conn, case, id, today)?;
            let form = |ctx, content, version, errors, notice: &str| {
                let location = case.location.clone();
                let notice = notice.to_owned();
                Box::new(FormState {
                    ctx,
                    content,
                    version,
                    errors,
                    notice,
                    location,
                })
            };
            let content = match content_from(&posted) {
                Ok(content) => content,
                Err(errors) => {
                    let typed = lenient_content(&posted);
                    return Ok(Submission::Refused(form(ctx, typed, version, errors, "")));
                }
            };
            let now = state.clock.now();
            let version =
                rosh_assessments::save_draft(conn, id, version, &content, posted.by, now)?;
            let saved = form(
                ctx,
                content,
                version,
                Vec::new(),
                "Your changes have been saved.",
            );
            if !completing {
                return Ok(Submission::Saved(Saved::Draft(saved)));
            }
            complete(conn, case, saved, &posted, now)
        },
    )
    .await?;
    forms::respond(
        saved,
        |saved| match saved {
            Saved::Completed(crn) => Redirect::to(&format!("/cases/{crn}/risk")).into_response(),
            Saved::Draft(form) => render(&form.page(&user)).into_response(),
        },
        |form| form.page(&user),
    )
}

/// Completes the saved draft, with its audit row, if the domain finds nothing missing; otherwise
/// the form again, saved, listing exactly what is missing.
fn complete(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    mut form: Box<FormState>,
    posted: &Posted,
    now: DateTime<Utc>,
) -> Result<Submission<Saved, Box<FormState>>, AppError> {
    let ready = match assess_completion(&form.content, &form.ctx.facts) {
        Ok(ready) => ready,
        Err(missing) => {
            form.errors = missing
                .iter()
                .map(|m| FieldError::new(m.anchor(), m.message()))
                .collect();
            form.ctx.record.version = form.version;
            form.notice =
                "Your changes have been saved, but the assessment cannot be completed yet.".into();
            return Ok(Submission::Refused(form));
        }
    };
    let status = rosh_assessments::complete(
        conn,
        form.ctx.record.id,
        form.version,
        ready.case_level,
        ready.needs_countersignature,
        posted.by,
        now,
    )?;
    let detail = format!("{} ({})", ready.case_level.label(), status.label());
    audit::record(
        conn,
        &posted.audit_on_case("complete_assessment", case, detail),
        now,
    )?;
    crate::risk::overview::after_risk_change(conn, case.person_id, now)?;
    Ok(Submission::Saved(Saved::Completed(case.crn.clone())))
}

/// What was typed, kept (trimmed to the limit) so a refused form does not lose it.
fn lenient_content(fields: &FormFields) -> AssessmentContent {
    let clip = |raw: &str| {
        LongText::optional(&raw.chars().take(LongText::MAX_CHARS).collect::<String>())
            .unwrap_or_default()
    };
    let mut content = AssessmentContent {
        nature_of_harm: clip(fields.get("nature_of_harm")),
        who_is_at_risk: clip(fields.get("who_is_at_risk")),
        imminence: clip(fields.get("imminence")),
        increasing_factors: clip(fields.get("increasing_factors")),
        reducing_factors: clip(fields.get("reducing_factors")),
        ..Default::default()
    };
    for group in RiskGroup::ALL {
        if let Ok(level) = RoshLevel::parse(fields.get(&format!("level-{}", group.code()))) {
            content.levels.push((*group, level));
        }
    }
    for (id, note) in fields.with_prefix("consider-") {
        if let Ok(subject_id) = Uuid::parse_str(id) {
            content.considerations.push(Consideration {
                subject_id,
                note: clip(note),
            });
        }
    }
    for (id, note) in fields.with_prefix("reference-") {
        if let Ok(check_id) = Uuid::parse_str(id) {
            content.check_references.push(CheckReference {
                check_id,
                note: clip(note),
            });
        }
    }
    content
}

/// `POST /cases/{crn}/risk/assessments/{assessment}/countersign`.
pub async fn countersign(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, assessment)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_uuid(&assessment)?;
    let by = user.account.id;
    let actor_name = user.audit_name();
    let crn = open_case_for(
        &state,
        &user,
        &crn,
        "countersign_assessment",
        Need::ManageRisk,
        move |conn, case| {
            let record = rosh_assessments::find(conn, case.person_id, id)?;
            let now = state.clock.now();
            rosh_assessments::countersign(conn, record.id, by, now)?;
            audit::record(
                conn,
                &AuditEntry::on_case(
                    by,
                    actor_name,
                    "countersign_assessment",
                    case,
                    record
                        .case_level
                        .map(|l| l.label().to_owned())
                        .unwrap_or_default(),
                ),
                now,
            )?;
            crate::risk::overview::after_risk_change(conn, case.person_id, now)?;
            Ok(case.crn.clone())
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/cases/{crn}/risk")).into_response())
}
