//! `keepsafe recompute`: works out every derived figure again from the record — each person's
//! OGRS3 scores and tiers, then every live case's automated quality indicators and this week's
//! ratings from them. Pages read the stored results; this is the full pass to run after changing rules
//! or loading data by other means, and the figure `scripts/bench` times.

use crate::cli::RecomputeArgs;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use keepsafe_domain::quality::IndicatorRules;
use keepsafe_storage::audit;
use keepsafe_storage::quality::{case_indicators, snapshots};
use keepsafe_storage::risk::scores;
use keepsafe_storage::{Clock, Database, StorageError};
use std::time::Instant;

pub fn run(database: Database, args: &RecomputeArgs, clock: Clock) -> Result<()> {
    let now = clock.now();
    let today = clock.today();
    let started = Instant::now();
    let people = scores::everyone(&mut *database.connection()?)?;
    let bar = ProgressBar::new(people.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "Recomputing tiers and predictors {bar:40} {pos}/{len} people ({eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // One transaction per batch: a pass over a national record never holds SQLite's write lock
    // for long, and an interrupted pass leaves every batch either old or new, never half-written.
    for batch in people.chunks(args.batch.max(1)) {
        database
            .write(|conn| scores::recompute(conn, batch, today, now))
            .context("could not recompute tiers and predictors")?;
        bar.inc(batch.len() as u64);
    }
    bar.finish_and_clear();
    let scored_in = started.elapsed();

    let rated = Instant::now();
    let runs = database
        .write(|conn| -> Result<_, StorageError> {
            let rules = IndicatorRules::default();
            case_indicators::recompute_all(conn, today, &rules, &mut |_, _| {})?;
            let runs = snapshots::record_all(conn, today, &rules)?;
            let detail = format!(
                "tiers and predictors for {} people; quality ratings for {} frameworks",
                people.len(),
                runs.len()
            );
            audit::record(conn, &super::cli_audit("recompute", detail), now)?;
            Ok(runs)
        })
        .context("could not recompute the quality ratings")?;
    let rated_in = rated.elapsed();

    let per_second = people.len() as f64 / scored_in.as_secs_f64().max(1e-9);
    println!(
        "Recomputed tiers and predictors for {} people in {:.1}s ({per_second:.0} people/s).",
        people.len(),
        scored_in.as_secs_f64()
    );
    for (framework, run) in &runs {
        println!(
            "Rated {} cases in {} units against {framework} for the week of {}.",
            run.cases, run.units, run.week_start
        );
    }
    println!(
        "Recomputed the quality ratings in {:.1}s; {:.1}s in all.",
        rated_in.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
