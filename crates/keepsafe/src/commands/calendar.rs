//! `keepsafe calendar url --username USER`: a practitioner's private calendar feed address, for
//! an administrator setting up a device. Issuing a first address is audit-logged.

use super::cli_audit;
use crate::cli::{CalendarCommand, CalendarUrlArgs};
use anyhow::{anyhow, Result};
use keepsafe_domain::staff::Username;
use keepsafe_domain::CodedValue;
use keepsafe_storage::{audit, staff, transaction, Clock, Database};
use keepsafe_web::supervision::calendar::{feed_url, live_or_issue};

pub fn run(database: Database, command: &CalendarCommand, clock: Clock) -> Result<()> {
    match command {
        CalendarCommand::Url(args) => url(&database, args, clock),
    }
}

fn url(database: &Database, args: &CalendarUrlArgs, clock: Clock) -> Result<()> {
    let base_url = args
        .base_url
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .ok_or_else(|| {
            anyhow!(
                "give the address people reach keepsafe at with --base-url or KEEPSAFE_BASE_URL, \
                 such as https://keepsafe.example.org"
            )
        })?;
    if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
        return Err(anyhow!(
            "--base-url must start with https:// or http://, not '{base_url}'"
        ));
    }
    let username = Username::parse(&args.username)
        .map_err(|e| anyhow!("'{}' is not a sign-in name: {e}", args.username))?;
    let mut conn = database.connection()?;
    let token = transaction::write(&mut conn, |conn| -> Result<String> {
        let account = staff::find_by_username(conn, &username)?
            .ok_or_else(|| anyhow!("there is no user '{}'", args.username))?;
        if !account.grade.holds_caseload() {
            return Err(anyhow!(
                "{} is a {}, who has no diary of appointments; calendar feeds are for \
                 practitioners who hold a caseload",
                args.username,
                account.grade.label().to_lowercase()
            ));
        }
        let (token, issued) = live_or_issue(conn, account.id, clock.now())?;
        audit::record(
            conn,
            &cli_audit(
                "calendar_url",
                format!(
                    "{}{}",
                    args.username,
                    if issued { ": first address issued" } else { "" }
                ),
            ),
            clock.now(),
        )?;
        Ok(token)
    })?;
    println!("{}", feed_url(base_url, &token));
    Ok(())
}
