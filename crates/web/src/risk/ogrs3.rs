//! `GET /cases/{crn}/ogrs3`: OGRS3 for each active event, with the inputs, every step of the
//! working and the rule version, or what to record before it can be computed. Opened through
//! [`open_case`], so every view is authorised and audit-logged.

use crate::cases::access::open_case;
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::risk::scores::{self as risk_scores, EventScore};

#[derive(Template)]
#[template(path = "risk/ogrs3.html")]
struct Ogrs3Page {
    chrome: Chrome,
    name: String,
    crn: String,
    events: Vec<EventView>,
}

struct EventView {
    heading: String,
    /// What to record or correct; when present there is no score.
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
    let (record, scores) = open_case(&state, &user, &crn, "view_ogrs3", |conn, case| {
        let record = case_record::load(conn, case.person_id, 0)?;
        let scores = risk_scores::for_person(conn, case.person_id)?;
        Ok((record, scores))
    })
    .await?;
    let person = &record.person;
    let name = format!("{} {}", person.first_name, person.last_name);
    let page = Ogrs3Page {
        chrome: Chrome::for_user(&user, format!("OGRS3: {name} ({})", person.crn), ""),
        crn: person.crn.clone(),
        name,
        events: scores.ogrs3.into_iter().map(event_view).collect(),
    };
    render(&page)
}

fn event_view(score: EventScore) -> EventView {
    let percent = |value: Option<u8>| value.map(|p| format!("{p}%")).unwrap_or_default();
    EventView {
        heading: format!("Event {}: {}", score.event_number, score.offence),
        one_year: percent(score.one_year),
        two_year: percent(score.two_year),
        band: score.band.map(|b| b.to_string()).unwrap_or_default(),
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
