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

/// Writes every row of `$rows` into `$table` the fastest way each backend has: PostgreSQL's
/// binary `COPY … FROM STDIN` for the whole slice, or on SQLite multi-row INSERTs of `$chunk`
/// rows each (SQLite has no COPY, and inside one transaction its INSERTs are already cheap).
/// The row type must derive `Insertable` with `treat_none_as_default_value = false`, so a
/// `None` is NULL on both paths.
macro_rules! copy_rows {
    ($conn:expr, $table:expr, $rows:expr, $chunk:expr) => {
        match $conn {
            $crate::connection::AnyConnection::Sqlite(c) => {
                let mut written = 0usize;
                for chunk in $rows.chunks($chunk) {
                    written += diesel::insert_into($table).values(chunk).execute(c)?;
                }
                Ok::<usize, diesel::result::Error>(written)
            }
            $crate::connection::AnyConnection::Postgresql(c) => {
                use diesel::prelude::ExecuteCopyFromDsl as _;
                diesel::copy_from($table).from_insertable($rows).execute(c)
            }
        }
    };
}

pub(crate) use copy_rows;
