//! The ratings panel's decisions for a unit (`/quality/{level}/{unit}/judgements`): its
//! judgement of each judgement standard (domain one: leadership, staffing, services), which no
//! case audit can answer, and any departure from a case standard's computed rating. Each needs a
//! reason; the latest for a standard stands and the history is kept, newest first.
//!
//! The forms' fields (one form per kind, told apart by the hidden `kind`): `framework` (hidden),
//! `kind` (`judgement` or `departure`), `{kind}-standard` (radios for a judgement, a select for a
//! departure), `{kind}-rating` (radios of rating codes; ids `{kind}-rating` for the first and
//! `{kind}-rating-{code}` for the rest) and `{kind}-reason`.

use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, Validation};
use crate::layout::{render, Chrome};
use crate::quality::access::{open_unit, unit_path, UnitNeed};
use crate::quality::report::{audit_period, unrated_rule};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action, Actor};
use keepsafe_domain::quality::{
    panel_reason, Framework, PanelDeparture, Rating, RatingRefused, HMIP_PDU_2023,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::quality::judgements::{self, JudgementKind, NewJudgement, StoredJudgement};
use keepsafe_storage::quality::{ratings, Unit, UnitInfo};
use keepsafe_storage::AnyConnection;
use serde::Deserialize;
use std::collections::HashMap;

/// The samples page of a PDU (samples are drawn per PDU), for the links between quality pages.
pub(crate) fn samples_path(info: &UnitInfo) -> Option<String> {
    matches!(info.unit, Unit::Pdu(_)).then(|| format!("/quality/pdu/{}/samples", info.code))
}

/// `?framework=` on the page.
#[derive(Debug, Default, Deserialize)]
pub struct FrameworkQuery {
    pub framework: Option<String>,
}

/// A framework named in a query or form, the 2023 PDU framework when none is.
pub(crate) fn chosen_framework(code: Option<&str>) -> Result<Framework, AppError> {
    let code = code
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or(HMIP_PDU_2023);
    Framework::by_code(code)
        .ok_or_else(|| AppError::BadRequest(format!("There is no inspection framework {code}")))
}

struct Choice {
    code: String,
    label: String,
}

struct FrameworkLink {
    code: String,
    name: String,
    current: bool,
}

struct DecisionRow {
    standard: String,
    kind: &'static str,
    rating: &'static str,
    reason: String,
    recorded_by: String,
    recorded_at: String,
}

/// One of the two forms, with what was submitted and its errors.
struct DecisionForm {
    kind: &'static str,
    standards: Vec<Choice>,
    standard: String,
    rating: String,
    reason: String,
    standard_error: Option<String>,
    rating_error: Option<String>,
    reason_error: Option<String>,
}

#[derive(Template)]
#[template(path = "quality/judgements.html")]
struct JudgementsPage {
    chrome: Chrome,
    csrf_token: String,
    unit_name: String,
    unit_path: String,
    samples_path: Option<String>,
    action: String,
    frameworks: Vec<FrameworkLink>,
    framework_code: String,
    framework_name: String,
    current: Vec<DecisionRow>,
    /// Each judgement standard and the panel's standing rating of it, if judged: what the
    /// overall rating still waits for.
    judged: Vec<(String, Option<&'static str>)>,
    history: Vec<DecisionRow>,
    may_record: bool,
    ratings: Vec<Choice>,
    judgement: DecisionForm,
    departure: DecisionForm,
    errors: Vec<FieldError>,
}

fn kind_label(kind: JudgementKind) -> &'static str {
    match kind {
        JudgementKind::Judgement => "Judgement",
        JudgementKind::Departure => "Departure from the computed rating",
    }
}

fn rows(framework: &Framework, stored: &[StoredJudgement]) -> Vec<DecisionRow> {
    stored
        .iter()
        .map(|j| DecisionRow {
            standard: framework
                .standard(&j.standard)
                .map_or_else(|| j.standard.clone(), |s| format!("{} {}", s.code, s.name)),
            kind: kind_label(j.kind),
            rating: j.rating.label(),
            reason: j.reason.clone(),
            recorded_by: j.recorded_by.clone(),
            recorded_at: format::date_time(j.recorded_at),
        })
        .collect()
}

fn decision_form(
    kind: JudgementKind,
    framework: &Framework,
    computed: &HashMap<String, String>,
    fields: &FormFields,
    errors: &[FieldError],
) -> DecisionForm {
    let prefix = kind.code();
    let submitted = fields.get("kind") == prefix;
    let value = |name: &str| {
        if submitted {
            fields
                .get(&format!("{prefix}-{name}"))
                .chars()
                .take(12_000)
                .collect()
        } else {
            String::new()
        }
    };
    let error_for = |name: &str| forms::message_for(errors, &format!("{prefix}-{name}"));
    let case_standards = kind == JudgementKind::Departure;
    DecisionForm {
        kind: prefix,
        standards: framework
            .standards
            .iter()
            .filter(|s| s.is_case_standard() == case_standards)
            .map(|s| Choice {
                code: s.code.clone(),
                // A departure names the computed rating it departs from.
                label: match computed.get(&s.code) {
                    Some(rating) if case_standards => {
                        format!("{} {} (computed from audits: {rating})", s.code, s.name)
                    }
                    _ => format!("{} {}", s.code, s.name),
                },
            })
            .collect(),
        standard: value("standard"),
        rating: value("rating"),
        reason: value("reason"),
        standard_error: error_for("standard"),
        rating_error: error_for("rating"),
        reason_error: error_for("reason"),
    }
}

/// What the page shows, read in the unit's transaction.
struct Decisions {
    info: UnitInfo,
    framework: Framework,
    /// Each case standard's rating computed from the audit period's audits, before any departure.
    computed: HashMap<String, String>,
    current: Vec<StoredJudgement>,
    history: Vec<StoredJudgement>,
    may_record: bool,
}

fn load(
    conn: &mut AnyConnection,
    info: &UnitInfo,
    framework: Framework,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Decisions, AppError> {
    let history = judgements::history(conn, info.unit, &framework.code)?;
    let current = judgements::standing(&history);
    let (from, to) = audit_period(today);
    let audited = ratings::audited(
        conn,
        info.unit,
        &framework.code,
        from,
        to,
        unrated_rule(info.unit),
    )?;
    let computed = audited
        .rating
        .standards
        .iter()
        .map(|s| {
            (
                s.standard.clone(),
                s.computed
                    .map_or_else(|| "not rated".to_owned(), |r| r.label().to_owned()),
            )
        })
        .collect();
    Ok(Decisions {
        computed,
        info: info.clone(),
        may_record: decide(actor, Action::ManageQuality(&info.location)).is_allowed(),
        framework,
        current,
        history,
    })
}

fn page(
    user: &CurrentUser,
    decisions: Decisions,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> JudgementsPage {
    let Decisions {
        info,
        framework,
        computed,
        current,
        history,
        may_record,
    } = decisions;
    let title = format!("Ratings panel decisions: {}", info.name);
    JudgementsPage {
        chrome: Chrome::for_form(user, title, &errors, ""),
        csrf_token: user.csrf_token.clone(),
        unit_name: info.name.clone(),
        action: format!("{}/judgements", unit_path(&info)),
        unit_path: unit_path(&info),
        samples_path: samples_path(&info),
        frameworks: Framework::all()
            .into_iter()
            .map(|f| FrameworkLink {
                current: f.code == framework.code,
                code: f.code,
                name: f.name,
            })
            .collect(),
        judged: framework
            .standards
            .iter()
            .filter(|s| !s.is_case_standard())
            .map(|s| {
                let rating = current
                    .iter()
                    .find(|j| j.standard == s.code && j.kind == JudgementKind::Judgement)
                    .map(|j| j.rating.label());
                (format!("{} {}", s.code, s.name), rating)
            })
            .collect(),
        current: rows(&framework, &current),
        history: rows(&framework, &history),
        may_record,
        ratings: Rating::ALL
            .iter()
            .map(|r| Choice {
                code: r.code().to_owned(),
                label: r.label().to_owned(),
            })
            .collect(),
        judgement: decision_form(
            JudgementKind::Judgement,
            &framework,
            &computed,
            fields,
            &errors,
        ),
        departure: decision_form(
            JudgementKind::Departure,
            &framework,
            &computed,
            fields,
            &errors,
        ),
        framework_code: framework.code.clone(),
        framework_name: framework.name.clone(),
        errors,
    }
}

/// `GET /quality/{level}/{unit}/judgements?framework=…`: the decisions that stand and their
/// history, and for whoever runs the unit's quality assurance the forms that record more.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((level, unit)): Path<(String, String)>,
    Query(query): Query<FrameworkQuery>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let framework = chosen_framework(query.framework.as_deref())?;
    let actor = user.account.actor();
    let decisions = open_unit(
        &state,
        &user,
        &level,
        &unit,
        "view_panel_decisions",
        UnitNeed::View,
        move |conn, info| load(conn, info, framework, &actor, today),
    )
    .await?;
    Ok(render(&page(&user, decisions, &FormFields::default(), Vec::new()))?.into_response())
}

/// A decision the domain accepts.
struct Decision {
    kind: JudgementKind,
    standard: String,
    rating: Rating,
    reason: String,
}

/// Reads one form: the standard must be of the framework and of the right kind (a judgement only
/// for a judgement standard, a departure only from a case standard), the rating one of the four,
/// and the reason given.
fn read_decision(
    framework: &Framework,
    kind: JudgementKind,
    fields: &FormFields,
) -> Result<Decision, Vec<FieldError>> {
    let prefix = kind.code();
    let field = |name: &str| format!("{prefix}-{name}");
    let mut validation = Validation::default();
    let standard = validation.field(
        standard_for(framework, kind, fields.get(&field("standard")).trim())
            .map_err(|message| FieldError::new(field("standard"), message)),
    );
    let rating = validation.required(
        Rating::parse(fields.get(&field("rating"))).ok(),
        &field("rating"),
        "Select the panel's rating",
    );
    let reason = fields.get(&field("reason")).trim().to_owned();
    let reason_error = match (kind, rating) {
        (JudgementKind::Departure, Some(rating)) => PanelDeparture::new(rating, &reason)
            .err()
            .map(|e| e.to_string()),
        _ => match panel_reason(&reason) {
            Err(problem) => Some(format!("The panel's reason {problem}")),
            Ok(reason) if reason.is_empty() => Some(match kind {
                JudgementKind::Judgement => {
                    "Record the panel's reason for its judgement".to_owned()
                }
                JudgementKind::Departure => {
                    "Record the panel's reason for departing from the computed rating".to_owned()
                }
            }),
            Ok(_) => None,
        },
    };
    if let Some(message) = reason_error {
        validation.add(FieldError::new(field("reason"), message));
    }
    validation.finish(|| {
        Some(Decision {
            kind,
            standard: standard?,
            rating: rating?,
            reason,
        })
    })
}

/// The standard `code` names, if the framework has it and it is of the kind the decision is
/// about; otherwise what to do.
fn standard_for(framework: &Framework, kind: JudgementKind, code: &str) -> Result<String, String> {
    match framework.standard(code) {
        None if code.is_empty() => Err("Select the standard".to_owned()),
        None => Err(RatingRefused::UnknownStandard(code.to_owned()).to_string()),
        Some(s) if kind == JudgementKind::Judgement && s.is_case_standard() => {
            Err(RatingRefused::JudgementForCaseStandard(code.to_owned()).to_string())
        }
        Some(s) if kind == JudgementKind::Departure && !s.is_case_standard() => {
            Err(RatingRefused::DepartureFromJudgement(code.to_owned()).to_string())
        }
        Some(s) => Ok(s.code.clone()),
    }
}

/// `POST /quality/{level}/{unit}/judgements`: records one decision with its audit row; a
/// refusal shows the page again with the form as it was sent and what to change.
pub async fn record(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((level, unit)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let actor = user.account.actor();
    let posted = Posted::new(&user, &fields);
    let recorded = open_unit(
        &state,
        &user,
        &level,
        &unit,
        "record_panel_decision",
        UnitNeed::Manage,
        move |conn, info| {
            let framework = chosen_framework(Some(posted.get("framework")))?;
            let kind = match posted.get("kind") {
                "departure" => JudgementKind::Departure,
                _ => JudgementKind::Judgement,
            };
            let decision = match read_decision(&framework, kind, &posted) {
                Ok(decision) => decision,
                Err(errors) => {
                    let decisions = load(conn, info, framework, &actor, today)?;
                    return Ok(Submission::Refused((decisions, errors)));
                }
            };
            let now = state.clock.now();
            let id = judgements::record(
                conn,
                &NewJudgement {
                    framework: &framework.code,
                    unit: info.unit,
                    standard: &decision.standard,
                    kind: decision.kind,
                    rating: decision.rating,
                    reason: &decision.reason,
                    recorded_by: posted.by,
                },
                now,
            )?;
            let entry = posted.audit(
                "record_panel_decision",
                format!(
                    "{} {id}: {} {} {} {} rated {}",
                    decision.kind.code(),
                    info.unit.kind(),
                    info.code,
                    framework.code,
                    decision.standard,
                    decision.rating.code()
                ),
            );
            audit::record(conn, &entry, now)?;
            Ok(Submission::Saved(format!(
                "{}/judgements?framework={}",
                unit_path(info),
                framework.code
            )))
        },
    )
    .await?;
    forms::respond(
        recorded,
        |path| Redirect::to(&path),
        |(decisions, errors)| page(&user, decisions, &fields, errors),
    )
}
