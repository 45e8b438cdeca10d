//! `keepsafe demo`: create the demo region if the database has none, print the demo sign-ins,
//! then serve.

use crate::cli::DemoArgs;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use keepsafe_demo::install::{LoadSummary, Stage};
use keepsafe_demo::{demo_accounts, install, DemoPlan, DemoRegion, DemoSpec, Scale, DEMO_PASSWORD};
use keepsafe_storage::{AnyConnection, Clock, Database};
use std::time::Instant;

pub fn run(database: Database, args: &DemoArgs, clock: Clock) -> Result<()> {
    let scale: Scale = args.scale.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let spec = DemoSpec {
        seed: args.seed,
        scale,
        today: clock.today(),
    };
    let started = Instant::now();
    let plan = DemoPlan::new(&spec);
    let region = plan.generate(0);
    let mut conn = database.connection()?;
    let loaded = if plan.regions() == 1 {
        load_region(&mut conn, &region, clock)
    } else {
        load_nation(&mut conn, &plan, &region, clock)
    }
    .context("could not load the demo data; nothing was written")?;
    if loaded.is_some() {
        keepsafe_storage::bulk::analyse(&mut conn)
            .context("could not update the planner's statistics")?;
    }
    let existing: Vec<String> = keepsafe_storage::staff::list_accounts(&mut conn)?
        .into_iter()
        .map(|account| account.username)
        .collect();
    drop(conn);

    match loaded {
        Some(summary) => println!(
            "Created the demo {} in {:.1}s: {}{} PDUs, {} teams, {} staff, {} people ({} rows) in {}.",
            match scale {
                Scale::National => "nation".to_owned(),
                _ => format!("region {}", region.region.name),
            },
            started.elapsed().as_secs_f64(),
            match summary.regions {
                1 => String::new(),
                n => format!("{n} regions, "),
            },
            summary.pdus,
            summary.teams,
            summary.staff,
            summary.people,
            summary.rows,
            database.url().describe()
        ),
        None => println!(
            "{} already holds data; the demo data was not created again.",
            database.url().describe()
        ),
    }
    print_sign_ins(&region, &existing, args);
    if args.no_serve {
        return Ok(());
    }
    super::serve::run(database, &args.serve, clock)
}

/// One region in one transaction, with a bar counting rows.
fn load_region(
    conn: &mut AnyConnection,
    region: &DemoRegion,
    clock: Clock,
) -> keepsafe_storage::error::StorageResult<Option<LoadSummary>> {
    let bar = bar("Loading demo region {bar:40} {pos}/{len} rows ({eta})");
    let loaded = install::install(conn, region, clock.now(), &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    loaded
}

/// Every region of the nation in one transaction, with a bar counting people, then a spinner
/// while the scores, tiers, workload history and quality ratings are worked out.
fn load_nation(
    conn: &mut AnyConnection,
    plan: &DemoPlan,
    first: &DemoRegion,
    clock: Clock,
) -> keepsafe_storage::error::StorageResult<Option<LoadSummary>> {
    let bar = bar("Loading the national demo {bar:40} {pos}/{len} people ({eta})");
    bar.set_length(plan.people() as u64);
    let started = Instant::now();
    let mut written_in = None;
    let loaded = install::install_plan(conn, plan, first, clock.now(), &mut |stage| match stage {
        Stage::Writing { people, .. } => bar.set_position(people as u64),
        Stage::Deriving => {
            let elapsed = started.elapsed();
            written_in = Some(elapsed);
            bar.suspend(|| println!("Wrote every region in {:.1}s.", elapsed.as_secs_f64()));
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} Working out scores, tiers, workload history and quality ratings ({elapsed})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
        }
    });
    bar.finish_and_clear();
    if let (Ok(Some(_)), Some(written_in)) = (&loaded, written_in) {
        println!(
            "Worked out scores, tiers, workload history and quality ratings in {:.1}s.",
            (started.elapsed() - written_in).as_secs_f64()
        );
    }
    loaded
}

fn bar(template: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Prints the demo accounts that exist in this database: none, if it holds other data.
fn print_sign_ins(region: &DemoRegion, existing: &[String], args: &DemoArgs) {
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
