//! Predictors recorded from an external assessment: the "Predictors" section of the risk page
//! ([`section`]), every score recorded with its source and who entered it
//! (`GET /cases/{crn}/predictors`), recording an assessment's scores
//! (`GET/POST /cases/{crn}/predictors/new`), and how OVP's percentages and band were worked out
//! from its points (`GET /cases/{crn}/ovp`).
//!
//! Recording is work on the case (`Need::Work`, as for the RoSH assessment): the scores, the audit
//! row and the recomputed tiers are written in one transaction.

use crate::cases::access::{heading_for_work, open_case, open_case_for, Need};
use crate::cases::details::choices;
use crate::cases::editing::{date_fields, FormState};
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
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::predictors::ovp;
use keepsafe_domain::predictors::recorded::{
    age_in_words, AssessmentScores, Freshness, OspBand, PredictorBasis, PredictorKind,
    PredictorRules, PredictorSource, PredictorValue, TypedScores,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::risk::predictors::{self as recorded, PredictorEntry};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// One recorded score as the pages show it.
pub struct PredictorRow {
    /// The predictor's code, for anchors (`current-arp`).
    pub code: &'static str,
    pub name: &'static str,
    pub value: String,
    pub band: String,
    pub source: String,
    /// "3 March 2026, 9 months ago".
    pub assessed: String,
    /// "Sam Patel on 4 March 2026".
    pub entered: String,
    /// Why the score is stale, when it is: "Stale since 3 March 2027: the assessment is 12 months
    /// old or more".
    pub stale: Option<String>,
    /// An OVP score, whose working is on the OVP page.
    pub is_ovp: bool,
    pub id: String,
}

fn row(entry: &PredictorEntry, rules: &PredictorRules, today: NaiveDate) -> PredictorRow {
    let recorded = &entry.recorded;
    let kind = recorded.value.kind();
    PredictorRow {
        code: kind.code(),
        name: kind.label(),
        value: recorded.value.value_words(),
        band: recorded.value.band_words().unwrap_or("No band").to_owned(),
        source: recorded.source.to_string(),
        assessed: format!(
            "{}, {}",
            format::date(recorded.assessed_on),
            age_in_words(recorded.assessed_on, today)
        ),
        entered: format!(
            "{} on {}",
            entry.entered_by,
            format::date(entry.entered_at.date())
        ),
        stale: match rules.freshness(recorded.assessed_on, today) {
            Freshness::Stale { since } => Some(format!(
                "Stale since {}: {}",
                format::date(since),
                rules.stale_reason()
            )),
            Freshness::Current { .. } => None,
        },
        is_ovp: kind == PredictorKind::Ovp,
        id: entry.id.to_string(),
    }
}

/// The risk page's "Predictors" section: the current score of each predictor recorded.
pub struct PredictorsSection {
    pub current: Vec<PredictorRow>,
    /// The predictors with nothing recorded, by name.
    pub not_recorded: Vec<&'static str>,
    pub stale_count: usize,
    pub stale_after_months: u32,
}

/// The section for the person's record on `today`; one query.
pub fn section(
    conn: &mut AnyConnection,
    person_id: Uuid,
    today: NaiveDate,
) -> Result<PredictorsSection, AppError> {
    let history = recorded::history(conn, person_id)?;
    let rules = PredictorRules::default();
    let current: Vec<PredictorRow> = recorded::current(&history)
        .into_iter()
        .map(|entry| row(entry, &rules, today))
        .collect();
    Ok(PredictorsSection {
        stale_count: current.iter().filter(|row| row.stale.is_some()).count(),
        not_recorded: PredictorKind::ALL
            .iter()
            .filter(|kind| !current.iter().any(|row| row.code == kind.code()))
            .map(|kind| kind.label())
            .collect(),
        current,
        stale_after_months: rules.stale_after_months,
    })
}

/// Where a tier explanation note about a recorded predictor ("ARP: 50% …") links to: the
/// predictor's current entry on the predictors page. `None` for other notes.
pub fn note_link(crn: &str, note: &str) -> Option<String> {
    let (name, _) = note.split_once(": ")?;
    PredictorKind::ALL
        .iter()
        .find(|kind| kind.short_name() == name)
        .map(|kind| format!("/cases/{crn}/predictors#current-{}", kind.code()))
}

// ---------------------------------------------------------------------------------------------
// Every score recorded.

#[derive(Template)]
#[template(path = "risk/predictors.html")]
struct HistoryPage {
    chrome: Chrome,
    name: String,
    crn: String,
    /// The current scores, named as the risk page names them so both include the same section.
    predictors: PredictorsSection,
    history: Vec<PredictorRow>,
    may_work: bool,
    rule_version: &'static str,
}

/// `GET /cases/{crn}/predictors`.
pub async fn history(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (heading, section, history, location) =
        open_case(&state, &user, &crn, "view_predictors", move |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                section(conn, case.person_id, today)?,
                recorded::history(conn, case.person_id)?,
                case.location.clone(),
            ))
        })
        .await?;
    let rules = PredictorRules::default();
    let (name, crn) = heading;
    let page = HistoryPage {
        chrome: Chrome::for_user(&user, format!("Predictors: {name} ({crn})"), ""),
        may_work: decide(&user.account.actor(), Action::WorkOnCase(&location)).is_allowed(),
        history: history.iter().map(|e| row(e, &rules, today)).collect(),
        rule_version: rules.rule_version,
        predictors: section,
        name,
        crn,
    };
    Ok(render(&page)?.into_response())
}

// ---------------------------------------------------------------------------------------------
// Recording an assessment's scores.

#[derive(Template)]
#[template(path = "risk/predictors_form.html")]
struct RecordPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    sources: Vec<(String, String)>,
    bases: Vec<(String, String)>,
    bands: Vec<(String, String)>,
    ovp_hint: String,
}

fn record_page(
    user: &CurrentUser,
    heading: (String, String),
    fields: FormFields,
    errors: Vec<FieldError>,
) -> RecordPage {
    RecordPage {
        chrome: Chrome::for_form(user, "Record predictor scores", &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        sources: choices::<PredictorSource>(),
        bases: choices::<PredictorBasis>(),
        bands: choices::<OspBand>(),
        ovp_hint: format!(
            "A whole number from 0 to {}. keepsafe works out the percentages and band from the \
             points",
            ovp::MAXIMUM_POINTS
        ),
    }
}

/// `GET /cases/{crn}/predictors/new`.
pub async fn new_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let heading = heading_for_work(&state, &user, &crn, "view_predictor_form").await?;
    let fields = FormFields(date_fields("assessed_on", None));
    Ok(render(&record_page(&user, heading, fields, Vec::new()))?.into_response())
}

/// The scores typed, or every error with its field.
fn read_scores(fields: &FormFields, today: NaiveDate) -> Result<AssessmentScores, Vec<FieldError>> {
    let date = fields.date("assessed_on", "the date of the assessment");
    let typed = TypedScores {
        source: fields.get("source"),
        source_other: fields.get("source_other"),
        assessed_on: date.as_ref().ok().copied(),
        rsr_percent: fields.get("rsr_percent"),
        arp_percent: fields.get("arp_percent"),
        arp_basis: fields.get("arp_basis"),
        csrp_percent: fields.get("csrp_percent"),
        csrp_basis: fields.get("csrp_basis"),
        dc_band: fields.get("dc_band"),
        dc_score: fields.get("dc_score"),
        iic_band: fields.get("iic_band"),
        ovp_points: fields.get("ovp_points"),
    };
    let parsed = typed.parse(today);
    let mut errors: Vec<FieldError> = match &parsed {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|error| {
                let field = match error.field() {
                    "assessed_on" => "assessed_on-day",
                    field => field,
                };
                FieldError::new(field, error.to_string())
            })
            .collect(),
    };
    if let Err(error) = date {
        // The date's own error comes where the form shows it: after the source, before the scores.
        let at = errors
            .iter()
            .position(|e| !e.field.starts_with("source"))
            .unwrap_or(errors.len());
        errors.insert(at, error);
    }
    match parsed {
        Ok(scores) if errors.is_empty() => Ok(scores),
        _ => Err(errors),
    }
}

/// The scores as the audit log names them, in words: "RSR 7.5%; ARP 50% (dynamic); from OASys
/// assessed 3 March 2026".
fn describe(scores: &AssessmentScores) -> String {
    let values: Vec<String> = scores
        .values
        .iter()
        .map(|value| {
            let band = value
                .band_words()
                .map(|band| format!(", band {}", band.to_lowercase()))
                .unwrap_or_default();
            format!(
                "{} {}{band}",
                value.kind().short_name(),
                value.value_words()
            )
        })
        .collect();
    format!(
        "{}; from {} assessed {}",
        values.join("; "),
        scores.source,
        format::date(scores.assessed_on)
    )
}

/// `POST /cases/{crn}/predictors/new`.
pub async fn record(
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
        "record_predictors",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let today = state.clock.today();
            let scores = match read_scores(&posted, today) {
                Ok(scores) => scores,
                Err(errors) => return Ok(Submission::Refused((heading, errors))),
            };
            let now = state.clock.now();
            recorded::record(conn, case.person_id, &scores, posted.by, now, today)?;
            audit::record(
                conn,
                &posted.audit_on_case("record_predictors", case, describe(&scores)),
                now,
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&format!("/cases/{crn}/risk#predictors")),
        |(heading, errors)| record_page(&user, heading, fields, errors),
    )
}

// ---------------------------------------------------------------------------------------------
// How OVP was worked out.

#[derive(Template)]
#[template(path = "risk/predictors_ovp.html")]
struct OvpPage {
    chrome: Chrome,
    name: String,
    crn: String,
    /// Newest first; the first is current.
    scores: Vec<OvpView>,
    rule_version: &'static str,
}

struct OvpView {
    row: PredictorRow,
    one_year: String,
    two_year: String,
    band: String,
    steps: Vec<String>,
}

fn ovp_view(entry: &PredictorEntry, rules: &PredictorRules, today: NaiveDate) -> Option<OvpView> {
    let score = match entry.recorded.value {
        PredictorValue::Ovp { .. } => entry.recorded.value.ovp()?,
        _ => return None,
    };
    Some(OvpView {
        row: row(entry, rules, today),
        one_year: format!("{}%", score.one_year),
        two_year: format!("{}%", score.two_year),
        band: score.band.label().to_owned(),
        steps: score.steps(),
    })
}

/// `GET /cases/{crn}/ovp`.
pub async fn ovp_working(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (heading, history) = open_case(&state, &user, &crn, "view_ovp", |conn, case| {
        Ok((
            case_record::heading(conn, case.person_id)?,
            recorded::history(conn, case.person_id)?,
        ))
    })
    .await?;
    let rules = PredictorRules::default();
    let (name, crn) = heading;
    let page = OvpPage {
        chrome: Chrome::for_user(&user, format!("OVP: {name} ({crn})"), ""),
        scores: history
            .iter()
            .filter_map(|entry| ovp_view(entry, &rules, today))
            .collect(),
        rule_version: ovp::RULE_VERSION,
        name,
        crn,
    };
    Ok(render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_about_a_recorded_predictor_links_to_its_current_entry() {
        assert_eq!(
            note_link("M123456", "ARP: 50% (dynamic), from OASys").as_deref(),
            Some("/cases/M123456/predictors#current-arp")
        );
        assert_eq!(
            note_link("M123456", "OSP/DC: not recorded").as_deref(),
            Some("/cases/M123456/predictors#current-osp_dc")
        );
        assert_eq!(
            note_link("M123456", "RoSH: High, from the assessment"),
            None
        );
    }
}
