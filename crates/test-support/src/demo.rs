//! The small demo region in a throw-away database.

use chrono::NaiveDate;
use keepsafe_demo::{generate, install, DemoRegion, DemoSpec, Scale};
use keepsafe_storage::testing::{Backend, TestDatabase};
use std::path::PathBuf;

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

/// A SQLite database holding `region` (the small demo region every in-process test starts from),
/// copied from a template loaded once per build of the test binary.
///
/// nextest runs each test in its own process, so the template is a file shared between them:
/// named after the running test binary (its path, size and modification time, so a rebuild makes
/// a new one) and the region's seed and day, written under a temporary name and renamed into
/// place, so a process never reads a template half written.
pub fn sqlite_copy(region: &DemoRegion) -> TestDatabase {
    let template = template_path(region);
    if !template.exists() {
        let db = TestDatabase::new(Backend::Sqlite);
        install(&db, region);
        let partial = template.with_extension(format!("{}.partial", std::process::id()));
        db.save_sqlite_copy(&partial);
        std::fs::rename(&partial, &template).expect("put the template database in place");
    }
    TestDatabase::sqlite_copy_of(&template)
}

fn template_path(region: &DemoRegion) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.hash(&mut hasher);
    if let Ok(meta) = std::fs::metadata(&exe) {
        meta.len().hash(&mut hasher);
        meta.modified().ok().hash(&mut hasher);
    }
    region.people.len().hash(&mut hasher);
    region.people.first().map(|p| p.id).hash(&mut hasher);
    crate::clock::today().hash(&mut hasher);
    let folder = std::env::temp_dir().join("keepsafe-test-templates");
    std::fs::create_dir_all(&folder).expect("a folder for template databases");
    folder.join(format!("demo-{:016x}.db", hasher.finish()))
}
