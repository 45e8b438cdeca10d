//! `GET /cases/{crn}/ogp`: the OASys general predictor for the main event — its inputs (OGRS3
//! and the needs-assessment answers), every step of the working and the rule version — or why it
//! has not been computed. Opened through [`open_case`], so every view is audit-logged.

use crate::cases::access::open_case;
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use keepsafe_domain::predictors::ogp::OgpBand;
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::risk::scores::{self as risk_scores, EventScore};

#[derive(Template)]
#[template(path = "needs/ogp.html")]
struct OgpPage {
    chrome: Chrome,
    name: String,
    crn: String,
    score: Option<ScoreView>,
}

struct ScoreView {
    heading: String,
    error: Option<String>,
    one_year: String,
    two_year: String,
    band: String,
    inputs: Vec<(String, String)>,
    explanation: Vec<String>,
    rule_version: String,
    computed: String,
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Html<String>, AppError> {
    let ((name, crn), score) = open_case(&state, &user, &crn, "view_ogp", |conn, case| {
        Ok((
            case_record::heading(conn, case.person_id)?,
            risk_scores::ogp_for_person(conn, case.person_id)?,
        ))
    })
    .await?;
    render(&OgpPage {
        chrome: Chrome::for_user(&user, format!("OGP: {name} ({crn})"), ""),
        name,
        crn,
        score: score.map(score_view),
    })
}

fn score_view(score: EventScore) -> ScoreView {
    let percent = |value: Option<u8>| value.map(|p| format!("{p}%")).unwrap_or_default();
    ScoreView {
        heading: format!("Event {}: {}", score.event_number, score.offence),
        one_year: percent(score.one_year),
        two_year: percent(score.two_year),
        // Stored with the same band codes as OGRS3's; read back as OGP's own bands.
        band: score
            .band
            .and_then(|band| OgpBand::parse(band.code()).ok())
            .map(|band| band.label().to_owned())
            .unwrap_or_default(),
        error: score.error,
        inputs: score
            .inputs
            .iter()
            .map(|line| match line.split_once(": ") {
                Some((key, value)) => (key.to_owned(), value.to_owned()),
                None => (line.clone(), String::new()),
            })
            .collect(),
        explanation: score.explanation,
        rule_version: score.rule_version,
        computed: format!("{} (UTC)", format::date_time(score.computed_at)),
    }
}
