//! An import's bookkeeping. Each batch of rows is written in one transaction with the line it
//! reached, so after an interruption (a crash, `kill -9`, a lost connection) the same import run
//! again skips exactly what was committed: nothing twice, nothing lost. An import is named by the
//! fingerprint of its files, so a changed or different dataset starts afresh.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::schema::{dataset_import_files, dataset_imports, people};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::dataset::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// How far an import had got before this run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Whether the database held no people when the import first began.
    pub into_empty: bool,
    /// Whether an earlier run finished it.
    pub finished: bool,
    /// Per file (without `.csv`): the last line committed.
    pub committed_lines: HashMap<String, u64>,
}

/// Starts the import of the files with `fingerprint`, or finds how far it had got.
pub fn begin(
    conn: &mut AnyConnection,
    fingerprint: &str,
    now: NaiveDateTime,
) -> StorageResult<Progress> {
    crate::transaction::write(conn, |conn| {
        let run: Option<(bool, Option<NaiveDateTime>)> = dataset_imports::table
            .filter(dataset_imports::fingerprint.eq(fingerprint))
            .select((dataset_imports::into_empty, dataset_imports::finished_at))
            .first(conn)
            .optional()?;
        let (into_empty, finished) = match run {
            Some((into_empty, finished_at)) => (into_empty, finished_at.is_some()),
            None => {
                let people: i64 = people::table.count().get_result(conn)?;
                diesel::insert_into(dataset_imports::table)
                    .values((
                        dataset_imports::fingerprint.eq(fingerprint),
                        dataset_imports::started_at.eq(now),
                        dataset_imports::into_empty.eq(people == 0),
                    ))
                    .execute(conn)?;
                (people == 0, false)
            }
        };
        let committed_lines = dataset_import_files::table
            .filter(dataset_import_files::fingerprint.eq(fingerprint))
            .select((
                dataset_import_files::file,
                dataset_import_files::committed_line,
            ))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .map(|(file, line)| (file, line as u64))
            .collect();
        Ok(Progress {
            into_empty,
            finished,
            committed_lines,
        })
    })
}

/// Writes checked rows of `file` (without `.csv`) that run up to `last_line`, and records that
/// line, in one transaction.
pub fn write_batch(
    conn: &mut AnyConnection,
    fingerprint: &str,
    file: &str,
    last_line: u64,
    rows: Vec<Vec<Value>>,
) -> StorageResult<()> {
    let table = super::table_of(file)?;
    crate::transaction::write(conn, |conn| {
        let count = rows.len() as i64;
        table.insert(conn, rows)?;
        let this_file = dataset_import_files::table
            .filter(dataset_import_files::fingerprint.eq(fingerprint))
            .filter(dataset_import_files::file.eq(file));
        let updated = diesel::update(this_file)
            .set((
                dataset_import_files::committed_line.eq(last_line as i64),
                dataset_import_files::written.eq(dataset_import_files::written + count),
            ))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(dataset_import_files::table)
                .values((
                    dataset_import_files::fingerprint.eq(fingerprint),
                    dataset_import_files::file.eq(file),
                    dataset_import_files::committed_line.eq(last_line as i64),
                    dataset_import_files::written.eq(count),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Finishes the import: into a database that was empty, records what the application derives
/// from what was written (scores and tiers, workload history, quality ratings; see
/// [`crate::bulk::record_derived`]), so the imported service is ready to use. Returns whether it
/// did; an import finished before is left as it is.
pub fn finish(
    conn: &mut AnyConnection,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> StorageResult<bool> {
    crate::transaction::write(conn, |conn| {
        let (into_empty, finished_at): (bool, Option<NaiveDateTime>) = dataset_imports::table
            .filter(dataset_imports::fingerprint.eq(fingerprint))
            .select((dataset_imports::into_empty, dataset_imports::finished_at))
            .first(conn)?;
        if finished_at.is_some() {
            return Ok(false);
        }
        if into_empty {
            let ids = people::table
                .select(people::id)
                .load::<String>(conn)?
                .iter()
                .map(|id| Uuid::parse_str(id))
                .collect::<Result<Vec<_>, _>>()?;
            crate::bulk::record_derived(conn, &ids, now)?;
        }
        diesel::update(dataset_imports::table.filter(dataset_imports::fingerprint.eq(fingerprint)))
            .set(dataset_imports::finished_at.eq(now.naive_utc()))
            .execute(conn)?;
        Ok(into_empty)
    })
}
