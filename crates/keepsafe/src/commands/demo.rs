//! `keepsafe demo`: create the demo region if the database has none, print the demo sign-ins,
//! then serve.

use crate::cli::DemoArgs;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use keepsafe_demo::{demo_accounts, generate, install, DemoSpec, Scale, DEMO_PASSWORD};
use keepsafe_storage::{Clock, Database};
use std::time::Instant;

pub fn run(database: Database, args: &DemoArgs, clock: Clock) -> Result<()> {
    let scale: Scale = args.scale.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let spec = DemoSpec {
        seed: args.seed,
        scale,
        today: clock.today(),
    };
    let started = Instant::now();
    let region = generate(&spec);
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("Loading demo region {bar:40} {pos}/{len} rows ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut conn = database.connection()?;
    let loaded = install::install(&mut conn, &region, clock.now(), &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .context("could not load the demo region; nothing was written")?;
    bar.finish_and_clear();
    let existing: Vec<String> = keepsafe_storage::staff::list_accounts(&mut conn)?
        .into_iter()
        .map(|account| account.username)
        .collect();
    drop(conn);

    match loaded {
        Some(summary) => println!(
            "Created the demo region {} in {:.1}s: {} PDUs, {} teams, {} staff, {} people ({} rows) in {}.",
            region.region.name,
            started.elapsed().as_secs_f64(),
            summary.pdus,
            summary.teams,
            summary.staff,
            summary.people,
            summary.rows,
            database.url().describe()
        ),
        None => println!(
            "{} already holds data; the demo region was not created again.",
            database.url().describe()
        ),
    }
    print_sign_ins(&region, &existing, args);
    if args.no_serve {
        return Ok(());
    }
    super::serve::run(database, &args.serve, clock)
}

/// Prints the demo accounts that exist in this database: none, if it holds other data.
fn print_sign_ins(region: &keepsafe_demo::DemoRegion, existing: &[String], args: &DemoArgs) {
    let accounts: Vec<_> = demo_accounts(region)
        .into_iter()
        .filter(|account| existing.contains(&account.username))
        .collect();
    if accounts.is_empty() {
        println!("This database has no demo accounts; sign in with an account from `keepsafe user list`.");
        return;
    }
    println!();
    println!(
        "Demo sign-ins (password for all: {DEMO_PASSWORD}) at http://{}/sign-in",
        args.serve.listen
    );
    for account in accounts {
        println!("  {:<14} {}", account.username, account.description);
    }
    println!("These accounts exist only in demo data. Never load demo data into a live database.");
    println!();
}
