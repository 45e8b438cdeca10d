//! keepsafe's web interface: server-rendered GOV.UK Design System pages over axum.
//!
//! A request passes through the security headers, then the route's access rule
//! ([`routes::Access`]): sign-in and CSRF checks and the grade-level decision from
//! `keepsafe_domain::access`. Handlers then authorise against the specific case or team, call
//! storage on a blocking thread inside one transaction (with its audit row), and render a template.
//!
//! One module per area of the service's work, named as its folder of templates (the map of areas
//! in docs/architecture.md gives its storage and domain modules too), and declaring its own routes.
//! The other modules at the root are shared by every area.

// The areas.
pub mod admin;
pub mod cases;
pub mod court;
pub mod licences;
pub mod mappa;
pub mod needs;
pub mod partners;
pub mod plans;
pub mod programmes;
pub mod quality;
pub mod reoffending;
pub mod risk;
pub mod sfo;
pub mod sign_in;
pub mod supervision;
pub mod victims;
pub mod workload;

// Shared by every area.
pub mod assets;
pub mod body_limits;
mod charts;
pub mod config;
pub mod csrf;
pub mod error;
mod format;
pub mod forms;
pub mod health;
pub mod layout;
pub mod routes;
pub mod security_headers;
pub mod session;
pub mod state;

pub use config::WebConfig;
pub use routes::{build, Access, RouteSpec};
pub use state::AppState;
pub mod unpaid_work;
