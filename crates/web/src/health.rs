//! `GET /health`: whether keepsafe can reach its database, for load balancers and monitoring.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use diesel::connection::SimpleConnection;
use serde_json::{json, Value};

pub async fn show(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let reachable = state
        .read(|conn| Ok(conn.batch_execute("SELECT 1")?))
        .await
        .is_ok();
    let backend = if state.db.url().is_sqlite() {
        "sqlite"
    } else {
        "postgresql"
    };
    let status = if reachable {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": if reachable { "ok" } else { "unavailable" },
            "database": { "backend": backend, "reachable": reachable },
            "version": env!("CARGO_PKG_VERSION"),
        })),
    )
}
