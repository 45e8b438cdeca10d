//! One module per command.

mod audit;
mod backup;
mod bench_sql;
mod calendar;
mod dataset;
mod demo;
mod migrate;
mod outbox;
mod partner;
mod predict;
mod quality;
mod recompute;
mod serve;
mod user;
mod workload;

use crate::cli::{Cli, Command};
use anyhow::Result;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::{Clock, Database, DatabaseUrl};

pub fn run(cli: Cli) -> Result<()> {
    let Cli {
        database_url,
        command,
        now,
        ..
    } = cli;
    let clock = now.map(Clock::starting_at).unwrap_or_default();
    match command {
        // Predictors are pure calculations: they never read the database URL, so they cannot open,
        // create or migrate a database.
        Command::Predict(command) => predict::run(&command),
        Command::Serve(args) => serve::run(open(&database_url)?, &args, clock),
        Command::Demo(args) => demo::run(open(&database_url)?, &args, clock),
        Command::Migrate => migrate::run(&DatabaseUrl::parse(&database_url)?),
        Command::User(command) => user::run(open(&database_url)?, command, clock),
        Command::Workload(command) => workload::run(open(&database_url)?, &command, clock),
        Command::Partner(command) => partner::run(open(&database_url)?, &command, clock),
        Command::Quality(command) => quality::run(open(&database_url)?, &command, clock),
        Command::Inspect(args) => quality::inspect(open(&database_url)?, &args, clock),
        Command::Calendar(command) => calendar::run(open(&database_url)?, &command, clock),
        Command::Outbox(command) => outbox::run(open(&database_url)?, &command, clock),
        Command::Export(args) => dataset::export(open(&database_url)?, &args, clock),
        Command::Import(args) => dataset::import(open(&database_url)?, &args, clock),
        Command::Recompute(args) => recompute::run(open(&database_url)?, &args, clock),
        Command::BenchSql(args) => bench_sql::run(&database_url, &args),
        // Neither opens the database through the pool: a backup reads it as it is, a restore
        // may find none yet, and neither migrates the database it is given.
        Command::Backup(args) => backup::backup(&DatabaseUrl::parse(&database_url)?, &args, clock),
        Command::Restore(args) => backup::restore(&DatabaseUrl::parse(&database_url)?, &args),
        Command::Audit(command) => audit::run(open(&database_url)?, &command, clock),
    }
}

/// Opens the database, applying migrations; errors are already one clear line.
fn open(database_url: &str) -> Result<Database> {
    let url = DatabaseUrl::parse(database_url)?;
    Ok(Database::open(&url)?)
}

/// The audit row of an administrative action taken at the command line.
pub(crate) fn cli_audit(action: &str, detail: String) -> AuditEntry {
    AuditEntry {
        staff_id: None,
        actor: "keepsafe-cli".into(),
        action: action.into(),
        outcome: Outcome::Allowed,
        person_id: None,
        crn: None,
        detail,
    }
}
