//! Conversions between stored text and domain values, shared by the repositories.

use crate::error::{StorageError, StorageResult};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

pub(crate) fn id(text: &str) -> StorageResult<Uuid> {
    Uuid::parse_str(text).map_err(StorageError::from)
}

pub(crate) fn opt_id(text: Option<&str>) -> StorageResult<Option<Uuid>> {
    text.map(id).transpose()
}

pub(crate) fn code<T: CodedValue>(text: &str) -> StorageResult<T> {
    T::parse(text).map_err(StorageError::from)
}

pub(crate) fn opt_code<T: CodedValue>(text: Option<&str>) -> StorageResult<Option<T>> {
    text.map(code).transpose()
}
