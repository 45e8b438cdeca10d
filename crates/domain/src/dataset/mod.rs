//! The dataset: every record keepsafe moves in and out of a service as a folder of CSV files
//! (`keepsafe export` and `keepsafe import`), so a switch-over from another system, or to a new
//! server, loses nothing and proves it by counting.
//!
//! Pure: the files' specifications ([`files`]), parsing and formatting their fields ([`value`]),
//! checking every row before anything is written ([`validate`]), and the counts an import
//! reconciles at the end ([`reconcile`]). Reading and writing files and tables is the caller's.

pub mod files;
pub mod reconcile;
pub mod validate;
pub mod value;

pub use files::{file, Column, FileSpec, Kind, Vocabulary, FILES};
pub use reconcile::{FileCount, Reconciliation};
pub use validate::{check_header, parse_row, Problem, Validator};
pub use value::Value;
