//! `keepsafe user add | reset-password | list`.

use super::cli_audit;
use crate::cli::{AddUserArgs, ResetPasswordArgs, UserCommand};
use anyhow::{anyhow, bail, Context, Result};
use keepsafe_domain::partner::PartnerRole;
use keepsafe_domain::person::PersonName;
use keepsafe_domain::staff::{ContractedHours, Grade, NewPassword, StaffScope, Username};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::sign_in::{passwords, sessions};
use keepsafe_storage::staff::{self, NewAccount, Placement};
use keepsafe_storage::Clock;
use keepsafe_storage::{organisation, transaction, Database, StorageError};
use std::io::Read;

pub fn run(database: Database, command: UserCommand, clock: Clock) -> Result<()> {
    match command {
        UserCommand::Add(args) => add(&database, &args, clock),
        UserCommand::ResetPassword(args) => reset_password(&database, &args, clock),
        UserCommand::List => list(&database, clock),
    }
}

/// Reads a password from standard input, or generates a strong one to print once.
fn password(from_stdin: bool) -> Result<(NewPassword, bool)> {
    if from_stdin {
        let mut typed = String::new();
        std::io::stdin()
            .read_to_string(&mut typed)
            .context("could not read the password from standard input")?;
        let typed = typed.trim_end_matches(['\r', '\n']);
        return Ok((NewPassword::parse(typed)?, false));
    }
    let generated = passwords::generate();
    Ok((NewPassword::parse(&generated)?, true))
}

fn add(database: &Database, args: &AddUserArgs, clock: Clock) -> Result<()> {
    let username = Username::parse(&args.username)?;
    let first_name = PersonName::parse(&args.first_name).context("--first-name")?;
    let last_name = PersonName::parse(&args.last_name).context("--last-name")?;
    let grade = Grade::parse(&args.grade).map_err(|e| {
        let valid: Vec<&str> = Grade::ALL.iter().map(|g| g.code()).collect();
        anyhow!("{e}; use one of: {}", valid.join(", "))
    })?;
    let hours = ContractedHours::parse(args.contracted_hours)?;
    let (password, generated) = password(args.password_stdin)?;
    let hash = passwords::hash(password.expose()).map_err(|e| anyhow!("hashing failed: {e}"))?;

    let mut conn = database.connection()?;
    let id = transaction::write(&mut conn, |conn| -> Result<_> {
        let (placement, partner) = placement(conn, grade, args)?;
        let account = NewAccount {
            username: username.clone(),
            first_name: first_name.as_str().to_owned(),
            last_name: last_name.as_str().to_owned(),
            grade,
            contracted_hours: hours,
            placement,
            password_hash: hash,
        };
        let id = staff::add_account(conn, &account, clock.now())?;
        if let Some((organisation, role)) = partner {
            keepsafe_storage::partners::make_partner_user(conn, id, organisation, role)?;
        }
        audit::record(
            conn,
            &cli_audit(
                "add_user",
                format!("{} ({})", username.as_str(), grade.code()),
            ),
            clock.now(),
        )?;
        Ok(id)
    })?;
    println!("Added {} ({grade}), id {id}.", username.as_str());
    if generated {
        println!("Password (shown once): {}", password.expose());
    }
    Ok(())
}

/// Turns "not found" into a message naming what was looked for.
fn not_found<'a>(what: &'a str, code: &'a str) -> impl Fn(StorageError) -> anyhow::Error + 'a {
    move |error| match error {
        StorageError::NotFound => anyhow!("there is no {what} with code {code}"),
        other => other.into(),
    }
}

/// Where the account sits: a team for team grades, a PDU for heads of PDU, a partner organisation
/// (and its region) for partner users, a region otherwise.
fn placement(
    conn: &mut keepsafe_storage::AnyConnection,
    grade: Grade,
    args: &AddUserArgs,
) -> Result<(Placement, Option<(uuid::Uuid, PartnerRole)>)> {
    let place = |region_id, pdu_id, team_id| Placement {
        region_id,
        pdu_id,
        team_id,
    };
    let missing = |what: &str| anyhow!("a {grade} needs {what}");
    match grade.scope() {
        StaffScope::Team => {
            let code = args.team.as_deref().ok_or_else(|| missing("--team CODE"))?;
            let team = organisation::team_by_code(conn, &code.to_ascii_uppercase())
                .map_err(not_found("team", code))?;
            Ok((
                place(team.region_id, Some(team.pdu_id), Some(team.id)),
                None,
            ))
        }
        StaffScope::Pdu => {
            let code = args.pdu.as_deref().ok_or_else(|| missing("--pdu CODE"))?;
            let pdu = organisation::pdu_by_code(conn, &code.to_ascii_uppercase())
                .map_err(not_found("PDU", code))?;
            Ok((place(pdu.region_id, Some(pdu.id), None), None))
        }
        StaffScope::Region => {
            let code = args
                .region
                .as_deref()
                .ok_or_else(|| missing("--region CODE"))?;
            let (region_id, _) = organisation::region_by_code(conn, &code.to_ascii_uppercase())
                .map_err(not_found("region", code))?;
            Ok((place(region_id, None, None), None))
        }
        StaffScope::PartnerOrganisation => {
            let code = args
                .partner
                .as_deref()
                .ok_or_else(|| missing("--partner CODE (the partner organisation)"))?;
            let found =
                keepsafe_storage::partners::organisation_by_code(conn, &code.to_ascii_uppercase())
                    .map_err(not_found("partner organisation", code))?;
            let role = PartnerRole::parse(&format!("partner_{}", args.partner_role))
                .map_err(|_| anyhow!("--partner-role must be responder or manager"))?;
            Ok((
                place(found.region_id, None, None),
                Some((found.organisation.id, role)),
            ))
        }
    }
}

fn reset_password(database: &Database, args: &ResetPasswordArgs, clock: Clock) -> Result<()> {
    let username = Username::parse(&args.username)?;
    let (password, generated) = password(args.password_stdin)?;
    let hash = passwords::hash(password.expose()).map_err(|e| anyhow!("hashing failed: {e}"))?;
    let mut conn = database.connection()?;
    let ended = transaction::write(&mut conn, |conn| -> Result<usize> {
        let id = match staff::set_password(conn, &username, &hash) {
            Err(StorageError::NotFound) => {
                bail!("there is no account called {}", username.as_str())
            }
            other => other?,
        };
        let ended = sessions::delete_for_staff(conn, id)?;
        audit::record(
            conn,
            &cli_audit("reset_password", username.as_str().to_owned()),
            clock.now(),
        )?;
        Ok(ended)
    })?;
    println!(
        "Reset the password for {}; lifted any lockout; ended {ended} session(s).",
        username.as_str()
    );
    if generated {
        println!("Password (shown once): {}", password.expose());
    }
    Ok(())
}

fn list(database: &Database, clock: Clock) -> Result<()> {
    let mut conn = database.connection()?;
    let accounts = staff::list_accounts(&mut conn)?;
    if accounts.is_empty() {
        println!("No accounts yet. Add one with `keepsafe user add`, or load the demo with `keepsafe demo`.");
        return Ok(());
    }
    println!(
        "{:<20} {:<28} {:<34} {:<28} STATUS",
        "USERNAME", "NAME", "ROLE", "TEAM OR PDU"
    );
    let now = clock.now();
    for account in accounts {
        let status = if !account.active {
            "deactivated"
        } else if account.locked_until.is_some_and(|t| t > now) {
            "locked"
        } else {
            "active"
        };
        println!(
            "{:<20} {:<28} {:<34} {:<28} {status}",
            account.username,
            account.name,
            account.grade.label(),
            account
                .team
                .or(account.pdu)
                .unwrap_or_else(|| "region".into())
        );
    }
    Ok(())
}
