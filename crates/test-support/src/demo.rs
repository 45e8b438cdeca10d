//! The small demo region in a throw-away database.

use chrono::NaiveDate;
use keepsafe_demo::{generate, install, DemoRegion, DemoSpec, Scale};
use keepsafe_storage::testing::TestDatabase;

/// The small demo region generated from `seed` as of `today`: the same records on every run.
pub fn small_region(seed: u64, today: NaiveDate) -> DemoRegion {
    generate(&DemoSpec {
        seed,
        scale: Scale::Small,
        today,
    })
}

/// Loads `region` into the empty database `db`, written at the test clock's now.
pub fn install(db: &TestDatabase, region: &DemoRegion) {
    let mut conn = db.database.connection().unwrap();
    install::install(&mut conn, region, crate::clock::now(), &mut |_, _| {})
        .unwrap()
        .expect("an empty database takes the demo region");
}
