//! Storage errors: the few that people can act on are specific; the rest carry the database's
//! message for the log and are shown to users only as "something went wrong".

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StorageError {
    #[error("'{0}' is not a database URL keepsafe understands: use sqlite://PATH (or a file path) or postgres://USER@HOST:PORT/DATABASE")]
    UnsupportedUrl(String),
    #[error("cannot reach the PostgreSQL database at {target}: {reason}")]
    Unreachable { target: String, reason: String },
    #[error("cannot open or create the SQLite database {path}: {reason}")]
    UnwritablePath { path: String, reason: String },
    #[error("the database at {target} was written by a newer keepsafe (it has schema migration {version}, which this version does not know); run the newer keepsafe, or point --database-url at another database")]
    NewerSchema { target: String, version: String },
    #[error("could not bring the database schema up to date: {0}")]
    Migration(String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("no database connection available: {0}")]
    Pool(String),
    /// The database server cannot be reached just now (stopped, restarting, the network down).
    #[error("the database ({0}) cannot be reached just now")]
    Unavailable(String),
}

impl StorageError {
    /// Whether the database could not be reached (so trying again later may work), as opposed to
    /// a query it refused.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StorageError::Unreachable { .. } | StorageError::Unavailable(_) => true,
            StorageError::Query(error) => connection_lost(error),
            _ => false,
        }
    }
}

/// Whether a query failed because its connection to the server was lost mid-way.
pub fn connection_lost(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        error,
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _
        )
    )
}

impl From<keepsafe_domain::UnknownCode> for StorageError {
    fn from(error: keepsafe_domain::UnknownCode) -> Self {
        StorageError::Corrupt(error.to_string())
    }
}

impl From<uuid::Error> for StorageError {
    fn from(error: uuid::Error) -> Self {
        StorageError::Corrupt(format!("bad id: {error}"))
    }
}

pub type StorageResult<T> = Result<T, StorageError>;
