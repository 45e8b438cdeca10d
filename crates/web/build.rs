//! The GOV.UK Frontend assets are embedded from node_modules; say how to get them if missing.

fn main() {
    let frontend = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css");
    println!("cargo:rerun-if-changed={}", frontend.display());
    if !frontend.exists() {
        panic!(
            "GOV.UK Frontend is not installed. Run `npm ci` in the repository root (scripts/setup does this for you)."
        );
    }
}
