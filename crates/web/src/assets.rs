//! Static assets, embedded in the binary: GOV.UK Frontend's stylesheet, script, fonts and images
//! from the npm package pinned in package-lock.json, and keepsafe's own small additions.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../node_modules/govuk-frontend/dist/govuk/"]
#[include = "govuk-frontend.min.css"]
#[include = "govuk-frontend.min.js"]
#[include = "assets/fonts/*"]
#[include = "assets/images/*"]
struct GovukFrontend;

#[derive(RustEmbed)]
#[folder = "static/"]
struct KeepsafeAssets;

/// Serves `/assets/...`: `app/…` from keepsafe's own files, everything else from GOV.UK Frontend
/// (its stylesheet expects fonts and images under `/assets/fonts` and `/assets/images`).
pub async fn serve(Path(path): Path<String>) -> Response {
    let found = match path.strip_prefix("app/") {
        Some(own) => KeepsafeAssets::get(own).map(|file| (file, "public, max-age=3600")),
        None => {
            let embedded = if path.starts_with("fonts/") || path.starts_with("images/") {
                format!("assets/{path}")
            } else {
                path.clone()
            };
            GovukFrontend::get(&embedded).map(|file| (file, "public, max-age=86400"))
        }
    };
    match found {
        Some((file, cache)) => (
            [
                (header::CONTENT_TYPE, file.metadata.mimetype().to_owned()),
                (header::CACHE_CONTROL, cache.to_owned()),
            ],
            file.data.into_owned(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn govuk_frontend_and_its_fonts_are_embedded() {
        assert!(GovukFrontend::get("govuk-frontend.min.css").is_some());
        assert!(GovukFrontend::get("govuk-frontend.min.js").is_some());
        assert!(GovukFrontend::iter().any(|name| name.starts_with("assets/fonts/")));
        assert!(KeepsafeAssets::get("app.css").is_some());
    }
}
