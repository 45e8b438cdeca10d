//! The dataset's tables: reading them a page at a time for `keepsafe export`, writing checked
//! rows for `keepsafe import`, and the import's bookkeeping ([`imports`]) that lets an
//! interrupted import resume. The files' columns and kinds are the domain's
//! ([`keepsafe_domain::dataset::FILES`]); each file has a record here with the same fields in the
//! same order ([`records`]), and rows cross between the two as [`Value`]s.

pub mod imports;
mod records;

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use diesel::RunQueryDsl;
use keepsafe_domain::dataset::Value;

#[cfg(feature = "testing")]
pub use records::fields;
pub use records::table;

/// One page of a table, in key order.
pub struct Page {
    pub rows: Vec<Vec<Value>>,
    /// The key of the last row, to read the next page after; `None` on the last page.
    pub next: Option<Vec<String>>,
}

/// What each dataset table can do. Implemented once per record, in [`records`].
pub trait Table: Sync {
    /// Up to `limit` rows whose key comes after `after`, in key order: keyset paging, so
    /// reading five million contacts never holds more than a page and never rescans.
    fn page(
        &self,
        conn: &mut AnyConnection,
        after: Option<&[String]>,
        limit: i64,
    ) -> StorageResult<Page>;
    /// Writes checked rows, many to a statement.
    fn insert(&self, conn: &mut AnyConnection, rows: Vec<Vec<Value>>) -> StorageResult<()>;
    /// Whether a row with this identifier is already stored.
    fn exists(&self, conn: &mut AnyConnection, id: &str) -> StorageResult<bool>;
    /// How many rows the table holds.
    fn count(&self, conn: &mut AnyConnection) -> StorageResult<u64>;
}

/// The dataset table behind `file` (a file name without `.csv`), or an error naming it.
pub fn table_of(file: &str) -> StorageResult<&'static dyn Table> {
    table(file).ok_or_else(|| StorageError::Corrupt(format!("no dataset table for {file}")))
}

/// Runs `work` in one read transaction that sees a single consistent snapshot of the whole
/// database, however long it takes: PostgreSQL's repeatable read (its default, read committed,
/// would let each page see later commits); SQLite's deferred read in WAL mode already is one.
pub fn snapshot<T, E>(
    conn: &mut AnyConnection,
    work: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    crate::transaction::read(conn, |conn| {
        if let AnyConnection::Postgresql(_) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(conn)?;
        }
        work(conn)
    })
}

/// A field of a record, crossing to and from the domain's [`Value`].
trait Cell: Sized {
    fn into_value(self) -> Value;
    fn from_value(value: Value) -> Result<Self, String>;
}

fn wrong(value: &Value, wanted: &str) -> String {
    format!("expected {wanted}, not '{}'", value.to_field())
}

/// A text column that may not be null reads an empty field as the empty text.
impl Cell for String {
    fn into_value(self) -> Value {
        Value::Text(self)
    }
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Text(text) => Ok(text),
            Value::Empty => Ok(String::new()),
            other => Err(wrong(&other, "text")),
        }
    }
}

macro_rules! cell {
    ($ty:ty, $variant:ident, $wanted:literal) => {
        impl Cell for $ty {
            fn into_value(self) -> Value {
                Value::$variant(self)
            }
            fn from_value(value: Value) -> Result<Self, String> {
                match value {
                    Value::$variant(inner) => Ok(inner),
                    other => Err(wrong(&other, $wanted)),
                }
            }
        }
    };
}

cell!(chrono::NaiveDate, Date, "a date");
cell!(chrono::NaiveDateTime, DateTime, "a date and time");
cell!(i32, Integer, "a whole number");
cell!(f64, Decimal, "a number");
cell!(bool, Bool, "true or false");

impl<T: Cell> Cell for Option<T> {
    fn into_value(self) -> Value {
        self.map_or(Value::Empty, Cell::into_value)
    }
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Empty => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}
