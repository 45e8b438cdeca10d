//! The catalogue of additional licence conditions (`GET /licence-conditions`): what a licence can
//! be given besides the standard conditions, and the standard conditions themselves, so every
//! member of staff can see the wording a licence will use. The catalogue is data (seeded by
//! migration 26), not code.

use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use keepsafe_domain::licences::{LicenceRules, STANDARD_CONDITIONS};
use keepsafe_domain::CodedValue;
use keepsafe_storage::licences::catalogue;

#[derive(Template)]
#[template(path = "licences/catalogue.html")]
struct CataloguePage {
    chrome: Chrome,
    standard: Vec<&'static str>,
    /// (title, kind, wording, in use)
    entries: Vec<(String, &'static str, String, bool)>,
    rules: String,
}

/// `GET /licence-conditions`.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Response, AppError> {
    let entries = state
        .read(|conn| catalogue::list(conn, true).map_err(AppError::from))
        .await?;
    Ok(render(&CataloguePage {
        chrome: Chrome::for_user(&user, "Licence conditions", ""),
        standard: STANDARD_CONDITIONS.to_vec(),
        entries: entries
            .into_iter()
            .map(|e| (e.title, e.kind.label(), e.wording, e.active))
            .collect(),
        rules: LicenceRules::default().describe(),
    })?
    .into_response())
}
