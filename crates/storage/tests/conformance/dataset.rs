//! The dataset's tables: records that match the domain's files, keyset pages, and the import
//! bookkeeping that lets an interrupted import resume.

use crate::conformance;
use keepsafe_domain::dataset::{Value, FILES};
use keepsafe_storage::dataset::{self, imports};

#[test]
fn every_file_has_a_record_with_its_columns_in_order() {
    let fields = dataset::fields();
    assert_eq!(fields.len(), FILES.len());
    for (spec, (file, names)) in FILES.iter().zip(fields) {
        assert_eq!(spec.name, file);
        assert_eq!(spec.header(), names, "{file}");
    }
}

fn region(id: &str, code: &str) -> Vec<Value> {
    vec![
        Value::Text(id.into()),
        Value::Text(code.into()),
        Value::Text(format!("Region {code}")),
    ]
}

conformance!(
    a_batch_commits_with_its_line_and_pages_follow_the_key,
    |db| {
        let mut conn = db.database.connection().unwrap();
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 18)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let first = imports::begin(&mut conn, "fingerprint", now).unwrap();
        assert!(first.into_empty && !first.finished && first.committed_lines.is_empty());

        let rows = vec![
            region("00000000-0000-4000-8000-000000000002", "R2"),
            region("00000000-0000-4000-8000-000000000001", "R1"),
        ];
        imports::write_batch(&mut conn, "fingerprint", "regions", 3, rows).unwrap();
        let again = imports::begin(&mut conn, "fingerprint", now).unwrap();
        assert_eq!(again.committed_lines.get("regions"), Some(&3));
        let other = imports::begin(&mut conn, "another dataset", now).unwrap();
        assert!(other.committed_lines.is_empty());

        let regions = dataset::table_of("regions").unwrap();
        let page = regions.page(&mut conn, None, 1).unwrap();
        assert_eq!(
            page.rows,
            [region("00000000-0000-4000-8000-000000000001", "R1")]
        );
        let page = regions.page(&mut conn, page.next.as_deref(), 1).unwrap();
        assert_eq!(
            page.rows,
            [region("00000000-0000-4000-8000-000000000002", "R2")]
        );
        let last = regions.page(&mut conn, page.next.as_deref(), 1).unwrap();
        assert!(last.rows.is_empty() && last.next.is_none());
        assert!(regions
            .exists(&mut conn, "00000000-0000-4000-8000-000000000002")
            .unwrap());
    }
);
