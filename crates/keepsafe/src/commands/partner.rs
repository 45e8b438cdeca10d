//! `keepsafe partner add|list|token create|token revoke|reminders`: the partner organisations a region
//! exchanges checks with, the API tokens of their systems, and the daily reminders. Every change is
//! audit-logged.

use super::cli_audit;
use crate::cli::{
    AddPartnerArgs, CreateTokenArgs, DeadlineArgs, PartnerCommand, RemindersArgs, RevokeTokenArgs,
    TokenCommand,
};
use anyhow::{anyhow, Result};
use chrono::Duration;
use keepsafe_domain::partner::{
    DeadlineRules, OrganisationName, PartnerOrganisationCode, PartnerOrganisationKind, RequestType,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::Clock;
use keepsafe_storage::{audit, organisation, partners, transaction, Database, StorageError};
use uuid::Uuid;

pub fn run(database: Database, command: &PartnerCommand, clock: Clock) -> Result<()> {
    match command {
        PartnerCommand::Add(args) => add(&database, args, clock),
        PartnerCommand::List => list(&database),
        PartnerCommand::Token(TokenCommand::Create(args)) => create_token(&database, args, clock),
        PartnerCommand::Token(TokenCommand::Revoke(args)) => revoke_token(&database, args, clock),
        PartnerCommand::Reminders(args) => reminders(&database, args, clock),
        PartnerCommand::Deadline(args) => deadline(&database, args, clock),
    }
}

fn reminders(database: &Database, args: &RemindersArgs, clock: Clock) -> Result<()> {
    let today = match args.date.as_deref() {
        Some(text) => chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            anyhow!("--date must be a date written YYYY-MM-DD, such as 2026-12-07, not '{text}'")
        })?,
        None => clock.today(),
    };
    let mut conn = database.connection()?;
    let (run, rules) = transaction::write(&mut conn, |conn| -> Result<_> {
        let rules = partners::deadline_rules(conn, DeadlineRules::reference())?;
        let run = partners::run_reminders(conn, &rules, today, clock.now())?;
        audit::record(
            conn,
            &cli_audit(
                "partner_reminders",
                format!(
                    "{today}: {} partner reminders, {} escalations",
                    run.partner_reminders, run.escalations
                ),
            ),
            clock.now(),
        )?;
        Ok((run, rules))
    })?;
    println!(
        "{today}: looked at {} outstanding requests; recorded {} reminder{} to partners and {} escalation{} to senior probation officers{} (rules: {}).",
        run.requests,
        run.partner_reminders,
        if run.partner_reminders == 1 { "" } else { "s" },
        run.escalations,
        if run.escalations == 1 { "" } else { "s" },
        if run.unassigned_escalations > 0 {
            format!(", {} with no senior officer to give them to", run.unassigned_escalations)
        } else {
            String::new()
        },
        rules.version()
    );
    Ok(())
}

fn add(database: &Database, args: &AddPartnerArgs, clock: Clock) -> Result<()> {
    let code = PartnerOrganisationCode::parse(&args.code.to_ascii_uppercase())
        .map_err(|e| anyhow!("--code: {e}"))?;
    let name = OrganisationName::parse(&args.name).map_err(|e| anyhow!("--name: {e}"))?;
    let kind = PartnerOrganisationKind::parse(&args.kind).map_err(|e| {
        let valid: Vec<&str> = PartnerOrganisationKind::ALL
            .iter()
            .map(|k| k.code())
            .collect();
        anyhow!("--kind: {e}; use one of: {}", valid.join(", "))
    })?;
    let mut conn = database.connection()?;
    let id = transaction::write(&mut conn, |conn| -> Result<Uuid> {
        let (region, _) = organisation::region_by_code(conn, &args.region.to_ascii_uppercase())
            .map_err(|e| match e {
                StorageError::NotFound => anyhow!("there is no region with code {}", args.region),
                other => other.into(),
            })?;
        let id = partners::add_organisation(conn, &code, &name, kind, region, clock.now())?;
        audit::record(
            conn,
            &cli_audit(
                "add_partner",
                format!("{} ({})", code.as_str(), kind.code()),
            ),
            clock.now(),
        )?;
        Ok(id)
    })?;
    println!(
        "Added {} ({}), code {}, id {id}. Add its users with `keepsafe user add --grade partner --partner {}`.",
        name.as_str(),
        kind.label(),
        code.as_str(),
        code.as_str()
    );
    Ok(())
}

fn list(database: &Database) -> Result<()> {
    let mut conn = database.connection()?;
    let (regions, overrides) = transaction::read(&mut conn, |conn| -> Result<_> {
        let mut out = Vec::new();
        for region in organisation::regions(conn)? {
            out.push((
                region.1.clone(),
                partners::organisations_in_region(conn, region.0)?,
            ));
        }
        Ok((out, partners::deadline_overrides(conn)?))
    })?;
    for (region, organisations) in regions {
        println!("{region}:");
        if organisations.is_empty() {
            println!("  no partner organisations");
        }
        for org in organisations {
            println!(
                "  {:<10} {} ({})",
                org.organisation.code.as_str(),
                org.organisation.name.as_str(),
                org.organisation.kind.label()
            );
            for o in overrides
                .iter()
                .filter(|o| o.organisation_id == org.organisation.id)
            {
                println!(
                    "             own deadline: {} working days for {} ({})",
                    o.working_days,
                    o.request_type.label().to_lowercase(),
                    o.reason
                );
            }
        }
    }
    Ok(())
}

/// The partner organisation a `--partner` code names, in any case; an unknown code says so.
fn partner_by_code(
    conn: &mut keepsafe_storage::AnyConnection,
    code: &str,
) -> Result<partners::StoredOrganisation> {
    partners::organisation_by_code(conn, &code.to_ascii_uppercase()).map_err(|e| match e {
        StorageError::NotFound => anyhow!("there is no partner organisation with code {code}"),
        other => other.into(),
    })
}

fn deadline(database: &Database, args: &DeadlineArgs, clock: Clock) -> Result<()> {
    let request_type = RequestType::parse(args.request_type.trim()).map_err(|_| {
        anyhow!(
            "--type must be one of {}, not '{}'",
            RequestType::ALL
                .iter()
                .map(|t| t.code())
                .collect::<Vec<_>>()
                .join(", "),
            args.request_type
        )
    })?;
    let reason = args.reason.as_deref().map(str::trim).unwrap_or_default();
    if !args.standard {
        if args.working_days == Some(0) {
            return Err(anyhow!("--working-days must be at least 1"));
        }
        if reason.is_empty() || reason.chars().count() > 300 {
            return Err(anyhow!(
                "--reason must be 1 to 300 characters: say why this partner has its own timescale"
            ));
        }
    }
    let mut conn = database.connection()?;
    let org = transaction::write(&mut conn, |conn| -> Result<_> {
        let org = partner_by_code(conn, &args.partner)?;
        if !request_type.can_be_sent_to(org.organisation.kind) {
            return Err(anyhow!(
                "{} is {}, which is not sent {} requests",
                org.organisation.name.as_str(),
                org.organisation.kind.label().to_lowercase(),
                request_type.label().to_lowercase()
            ));
        }
        let detail = match args.working_days.filter(|_| !args.standard) {
            Some(days) => {
                partners::set_deadline_override(
                    conn,
                    org.organisation.id,
                    request_type,
                    days,
                    reason,
                    "keepsafe CLI",
                    clock.now(),
                )?;
                format!(
                    "{} {}: {days} working days ({reason})",
                    org.organisation.code.as_str(),
                    request_type.code()
                )
            }
            None => {
                partners::clear_deadline_override(conn, org.organisation.id, request_type)?;
                format!(
                    "{} {}: standard timescale",
                    org.organisation.code.as_str(),
                    request_type.code()
                )
            }
        };
        audit::record(
            conn,
            &cli_audit("set_partner_deadline", detail),
            clock.now(),
        )?;
        Ok(org)
    })?;
    let standard = DeadlineRules::reference();
    match args.working_days.filter(|_| !args.standard) {
        Some(days) => {
            println!(
            "{} now has {days} working days for {} requests sent from now on (the standard is {}).",
            org.organisation.name.as_str(),
            request_type.label().to_lowercase(),
            standard.allowed(request_type, uuid::Uuid::nil()).working_days
        )
        }
        None => println!(
            "{} is back on the standard {} working days for {} requests.",
            org.organisation.name.as_str(),
            standard
                .allowed(request_type, uuid::Uuid::nil())
                .working_days,
            request_type.label().to_lowercase()
        ),
    }
    Ok(())
}

fn create_token(database: &Database, args: &CreateTokenArgs, clock: Clock) -> Result<()> {
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(anyhow!("--name must be 1 to 100 characters"));
    }
    let expires = args
        .expires_in_days
        .map(|days| clock.now() + Duration::days(i64::from(days)));
    let mut conn = database.connection()?;
    let (issued, org) = transaction::write(&mut conn, |conn| -> Result<_> {
        let org = partner_by_code(conn, &args.partner)?;
        let issued =
            partners::issue_token(conn, org.organisation.id, name, expires, None, clock.now())?;
        audit::record(
            conn,
            &cli_audit(
                "issue_partner_token",
                format!(
                    "{} for {}: {name}",
                    issued.id,
                    org.organisation.code.as_str()
                ),
            ),
            clock.now(),
        )?;
        Ok((issued, org))
    })?;
    println!(
        "Issued token {} to {} ({name}){}.",
        issued.id,
        org.organisation.name.as_str(),
        expires
            .map(|at| format!(", expiring {}", at.format("%-d %B %Y")))
            .unwrap_or_default()
    );
    println!(
        "Token (shown once; send it as 'Authorization: Bearer …'): {}",
        issued.secret
    );
    Ok(())
}

fn revoke_token(database: &Database, args: &RevokeTokenArgs, clock: Clock) -> Result<()> {
    let id = Uuid::parse_str(args.id.trim()).map_err(|_| anyhow!("--id must be a token id"))?;
    let mut conn = database.connection()?;
    transaction::write(&mut conn, |conn| -> Result<()> {
        partners::revoke_token(conn, id, clock.now()).map_err(|e| match e {
            StorageError::NotFound => anyhow!("there is no token with id {id}"),
            other => other.into(),
        })?;
        audit::record(
            conn,
            &cli_audit("revoke_partner_token", id.to_string()),
            clock.now(),
        )?;
        Ok(())
    })?;
    println!("Revoked token {id}. Requests made with it are refused from now on.");
    Ok(())
}
