//! Multi-row writes. Diesel's `MultiConnection` cannot express batch inserts, and one statement per
//! row would make bulk work (the demo load, recomputing scores, moving a caseload) take far longer,
//! especially on PostgreSQL; so each batch is dispatched to the concrete backend here, once.

/// Multi-row INSERT of `$rows` into `$table` on whichever backend `$conn` is.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::connection::AnyConnection::Sqlite(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
            $crate::connection::AnyConnection::Postgresql(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
        }
    };
}

pub(crate) use insert_rows;
