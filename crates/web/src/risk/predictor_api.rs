//! `POST /api/predictors/ogrs3`: OGRS3 for one set of inputs, as JSON, for a signed-in member of
//! staff's own tools. The body is what `keepsafe predict ogrs3` reads on one line, parsed by the
//! same domain code ([`json::ogrs3_inputs`]), so both accept and refuse exactly the same inputs.
//!
//! Nothing is stored or read: no case is involved, so nothing is audited. Like every
//! state-changing method, the route guard requires the session's CSRF token (the `x-csrf-token`
//! header).

use crate::routes::SignedIn;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use keepsafe_domain::predictors::json::{self, InputsError};
use keepsafe_domain::predictors::ogrs3::{ogrs3, RULE_VERSION};
use keepsafe_domain::CodedValue;
use serde::Serialize;
use serde_json::Value;

/// 200: the score.
#[derive(Serialize)]
struct Scored {
    one_year: u8,
    two_year: u8,
    band: &'static str,
    rule_version: &'static str,
}

/// 422: why the inputs cannot be scored, and the field to fix (`null` when the body as a whole is
/// unusable).
#[derive(Serialize)]
struct Refused {
    error: String,
    field: Option<&'static str>,
}

fn refuse(error: String, field: Option<&'static str>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(Refused { error, field }),
    )
        .into_response()
}

pub async fn ogrs3_score(SignedIn(_user): SignedIn, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(error) => return refuse(format!("the request body is not valid JSON: {error}"), None),
    };
    let inputs = match json::ogrs3_inputs(&value) {
        Ok(inputs) => inputs,
        Err(error @ InputsError::NotAnObject { .. }) => {
            return refuse(format!("the request body {error}"), None)
        }
        Err(InputsError::Field { field, message }) => return refuse(message, Some(field)),
    };
    match ogrs3(&inputs) {
        Ok(score) => Json(Scored {
            one_year: score.one_year,
            two_year: score.two_year,
            band: score.band.code(),
            rule_version: RULE_VERSION,
        })
        .into_response(),
        Err(error) => refuse(error.to_string(), Some(error.field())),
    }
}
