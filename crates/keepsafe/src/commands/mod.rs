//! One module per command.

mod demo;
mod migrate;
mod serve;
mod user;

use crate::cli::{Cli, Command};
use anyhow::Result;
use keepsafe_storage::{Database, DatabaseUrl};

pub fn run(cli: Cli) -> Result<()> {
    let url = DatabaseUrl::parse(&cli.database_url)?;
    match cli.command {
        Command::Serve(args) => serve::run(open(&url)?, &args),
        Command::Demo(args) => demo::run(open(&url)?, &args),
        Command::Migrate => migrate::run(&url),
        Command::User(command) => user::run(open(&url)?, command),
    }
}

/// Opens the database, applying migrations; errors are already one clear line.
fn open(url: &DatabaseUrl) -> Result<Database> {
    Ok(Database::open(url)?)
}
