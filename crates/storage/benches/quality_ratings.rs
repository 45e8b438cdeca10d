//! Measures the quality ratings on the default demo region, on SQLite and PostgreSQL: the
//! automated rating reads every live case of the region (the bulk path, a fixed number of queries
//! per 500 cases), the audit rating and its quarterly trend read the year's audits. Target: the
//! region's automated rating in under 2 seconds in a release build, so a page can compute it on
//! request.

use chrono::{Duration, NaiveDate, Utc};
use keepsafe_demo::{generate, install, DemoSpec, Scale};
use keepsafe_domain::quality::{IndicatorRules, UnratedStandards, HMIP_PDU_2023};
use keepsafe_storage::quality::{ratings, Unit};
use keepsafe_storage::testing::{Backend, TestDatabase};
use std::time::Instant;

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let region = generate(&DemoSpec {
        seed: 2026,
        scale: Scale::Region,
        today,
    });
    let unit = Unit::Region(region.region.id);
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let db = TestDatabase::new(backend);
        let mut conn = db.database.connection().unwrap();
        install::install(&mut conn, &region, Utc::now(), &mut |_, _| {})
            .unwrap()
            .unwrap();
        let started = Instant::now();
        let (automated, _) = ratings::automated(
            &mut conn,
            unit,
            HMIP_PDU_2023,
            today,
            &IndicatorRules::default(),
        )
        .unwrap();
        println!(
            "automated rating of the region on {backend:?}: {} cases in {:.2} s",
            automated.cases.len(),
            started.elapsed().as_secs_f64()
        );
        let started = Instant::now();
        let audited = ratings::audited(
            &mut conn,
            unit,
            HMIP_PDU_2023,
            today - Duration::days(365),
            today,
            UnratedStandards::Refuse,
        )
        .unwrap();
        let trend = ratings::audited_trend(&mut conn, unit, HMIP_PDU_2023, today, 4).unwrap();
        println!(
            "audit rating and trend of the region on {backend:?}: {} cases, {} quarters in {:.2} s",
            audited.cases.len(),
            trend.len(),
            started.elapsed().as_secs_f64()
        );
    }
}
