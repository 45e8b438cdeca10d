//! `GET /find`: open a case by its CRN. Whether the user may see it is decided on the case page.

use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use askama::Template;
use axum::extract::Query;
use axum::response::{IntoResponse, Redirect, Response};
use keepsafe_domain::crn::Crn;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "cases/find.html")]
struct FindPage {
    chrome: Chrome,
    crn: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct FindQuery {
    crn: Option<String>,
}

pub async fn show(
    SignedIn(user): SignedIn,
    Query(query): Query<FindQuery>,
) -> Result<Response, AppError> {
    let typed = query.crn.unwrap_or_default();
    let error = if typed.trim().is_empty() {
        None
    } else {
        match Crn::parse(&typed) {
            Ok(crn) => return Ok(Redirect::to(&format!("/cases/{crn}")).into_response()),
            Err(invalid) => Some(invalid.to_string()),
        }
    };
    let title = if error.is_some() {
        "Error: Find a case"
    } else {
        "Find a case"
    };
    Ok(render(&FindPage {
        chrome: Chrome::for_user(&user, title, "/find"),
        crn: typed.chars().take(20).collect(),
        error,
    })?
    .into_response())
}
