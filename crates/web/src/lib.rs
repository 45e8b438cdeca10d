//! keepsafe's web interface: server-rendered GOV.UK Design System pages over axum.
//!
//! A request passes through the security headers, then the route's access rule
//! ([`routes::Access`]): sign-in and CSRF checks and the grade-level decision from
//! `keepsafe_domain::access`. Handlers then authorise against the specific case or team, call
//! storage on a blocking thread inside one transaction (with its audit row), and render a template.

pub mod assets;
mod charts;
pub mod config;
pub mod csrf;
pub mod error;
mod format;
pub mod forms;
pub mod pages;
pub mod partner_exchange;
pub mod quality_report;
pub mod routes;
pub mod security_headers;
pub mod session;
pub mod state;

pub use config::WebConfig;
pub use routes::{build, Access, RouteSpec};
pub use state::AppState;
