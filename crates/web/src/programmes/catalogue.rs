//! `GET /programmes/catalogue`: the accredited programmes and structured interventions keepsafe
//! refers to — who each is for, what it works on, how it is delivered and how many sessions — so
//! a practitioner can choose before referring. Reference data, open to all staff.

use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use keepsafe_domain::CodedValue;
use keepsafe_storage::programmes::catalogue::{self, Programme};

#[derive(Template)]
#[template(path = "programmes/catalogue.html")]
struct CataloguePage {
    chrome: Chrome,
    entries: Vec<Entry>,
}

pub(crate) struct Entry {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub focus: String,
    pub delivery: String,
    pub sessions: u32,
    pub suited_to: String,
    pub description: String,
    pub active: bool,
}

pub(crate) fn entry(p: &Programme) -> Entry {
    Entry {
        code: p.code.clone(),
        name: p.name.clone(),
        kind: p.kind.label().to_owned(),
        focus: p.focus.label().to_owned(),
        delivery: p.delivery.label().to_owned(),
        sessions: p.sessions,
        suited_to: p.suited_to.clone(),
        description: p.description.clone(),
        active: p.active,
    }
}

/// `GET /programmes/catalogue`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let found = state.read(|conn| Ok(catalogue::all(conn)?)).await?;
    render(&CataloguePage {
        chrome: Chrome::for_user(&user, "Programmes and interventions", ""),
        entries: found.iter().map(entry).collect(),
    })
}
