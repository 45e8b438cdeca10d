//! `keepsafe audit verify`: walks the audit log's hash chain (`storage::audit::chain`) from its
//! first row, a page at a time, and reports either how many rows it verified or the first broken
//! link: where, which row, when, and what is wrong. A broken chain exits non-zero, so a scheduled
//! check can alert on it. The check itself is audit-logged.

use crate::cli::AuditCommand;
use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressStyle};
use keepsafe_storage::audit::{self, chain};
use keepsafe_storage::{Clock, Database};

pub fn run(database: Database, command: &AuditCommand, clock: Clock) -> Result<()> {
    match command {
        AuditCommand::Verify => verify(database, clock),
    }
}

fn verify(database: Database, clock: Clock) -> Result<()> {
    let mut conn = database.connection()?;
    let length = chain::length(&mut conn)?;
    let bar = ProgressBar::new(length.max(0) as u64);
    bar.set_style(
        ProgressStyle::with_template("Verifying the audit log {bar:40} {pos}/{len} rows ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let result = chain::verify(&mut conn, &mut |done| bar.set_position(done))?;
    bar.finish_and_clear();
    let summary = match &result.broken {
        None => format!("{} rows verified, chain intact", result.verified),
        Some(link) => {
            let mut place = Vec::new();
            if let Some(position) = link.position {
                place.push(format!("at position {position}"));
            }
            if let Some(id) = link.row_id {
                place.push(format!("row {id}"));
            }
            if let Some(at) = link.occurred_at {
                place.push(format!(
                    "written {}",
                    at.format("%-d %B %Y at %H:%M:%S UTC")
                ));
            }
            format!(
                "Chain broken {}: {}. {} rows before it verified.",
                place.join(", "),
                link.problem.describe(),
                result.verified
            )
        }
    };
    let outcome = if result.broken.is_some() {
        "broken"
    } else {
        "intact"
    };
    database.write(|conn| {
        audit::record(
            conn,
            &super::cli_audit("verify_audit_log", format!("chain {outcome}: {summary}")),
            clock.now(),
        )
    })?;
    if result.broken.is_some() {
        bail!(summary);
    }
    println!("{summary}");
    Ok(())
}
