//! Measures generating and loading the default demo region on SQLite and PostgreSQL.
//! The target is under 10 seconds for the region in a release build.

use chrono::{NaiveDate, Utc};
use keepsafe_demo::{generate, install, DemoSpec, Scale};
use keepsafe_storage::risk::scores as risk_scores;
use keepsafe_storage::testing::{Backend, TestDatabase};
use keepsafe_storage::transaction;
use std::time::Instant;

fn main() {
    let spec = DemoSpec {
        seed: 2026,
        scale: Scale::Region,
        today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    };
    let started = Instant::now();
    let region = generate(&spec);
    let generated = started.elapsed();
    println!(
        "generate: {} people in {:.0} ms",
        region.people.len(),
        generated.as_secs_f64() * 1000.0
    );
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let db = TestDatabase::new(backend);
        let mut conn = db.database.connection().unwrap();
        let started = Instant::now();
        let summary = install::install(&mut conn, &region, Utc::now(), &mut |_, _| {})
            .unwrap()
            .unwrap();
        let elapsed = started.elapsed().as_secs_f64();
        println!(
            "load on {backend:?}: {} rows in {elapsed:.2} s ({:.0} rows/s); with generation {:.2} s",
            summary.rows,
            summary.rows as f64 / elapsed,
            elapsed + generated.as_secs_f64()
        );
        // The load above includes this; measured again on its own, as after a bulk change.
        let ids: Vec<_> = region.people.iter().map(|person| person.id).collect();
        let started = Instant::now();
        let recomputed = transaction::write(&mut conn, |conn| {
            risk_scores::recompute(conn, &ids, spec.today, Utc::now())
        })
        .unwrap();
        println!(
            "recompute scores and tiers on {backend:?}: {recomputed} people in {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }
}
