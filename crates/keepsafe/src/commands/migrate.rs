//! `keepsafe migrate`.

use anyhow::Result;
use keepsafe_storage::{migrations, Database, DatabaseUrl};

pub fn run(url: &DatabaseUrl) -> Result<()> {
    let database = Database::connect_without_migrating(url)?;
    let mut conn = database.connection()?;
    let report = migrations::run_pending(&mut conn, url)?;
    if report.applied_now.is_empty() {
        println!(
            "{} is up to date ({} migrations applied before).",
            url.describe(),
            report.already_applied
        );
    } else {
        println!(
            "Applied {} migration(s) to {}: {}",
            report.applied_now.len(),
            url.describe(),
            report.applied_now.join(", ")
        );
    }
    Ok(())
}
