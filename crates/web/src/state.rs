//! Shared state and the bridge from async handlers to synchronous storage.

use crate::body_limits::Uploads;
use crate::config::WebConfig;
use crate::error::AppError;
use keepsafe_storage::audit::{self, AuditEntry};
use keepsafe_storage::{transaction, AnyConnection, Clock, Database};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub config: Arc<WebConfig>,
    /// Every handler reads "today" and "now" from here, never from the system clock, so tests
    /// run as of a fixed moment.
    pub clock: Clock,
    /// The turns for reading uploads, so a few large bodies at once cannot exhaust memory.
    pub uploads: Uploads,
}

impl AppState {
    pub fn new(db: Database, config: WebConfig, clock: Clock) -> Self {
        Self {
            db,
            config: Arc::new(config),
            clock,
            uploads: Uploads::default(),
        }
    }

    /// Runs `work` in one writing transaction on a blocking thread: use it for every action that
    /// changes data or must write an audit row.
    pub async fn write<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || db.write(work))
            .await
            .map_err(|error| AppError::Internal(format!("storage task failed: {error}")))?
    }

    /// Reads a list or dashboard in one read transaction, then writes the audit row `work`
    /// returns in a short writing transaction of its own, before the page is sent: no view goes
    /// unlogged. On SQLite only that one-row insert waits its turn behind the other writers; the
    /// reads, nearly all of a list's time, run beside other requests instead of holding the one
    /// write lock while every other page's audit row waits. The case record keeps its audit row in
    /// the read's own transaction (`cases::access::open_case`).
    pub async fn read_then_audit<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<(T, AuditEntry), AppError> + Send + 'static,
    {
        let (value, entry) = self.read(work).await?;
        let clock = self.clock;
        self.write(move |conn| Ok(audit::record(conn, &entry, clock.now())?))
            .await?;
        Ok(value)
    }

    /// Runs `work` in one read transaction on a blocking thread.
    pub async fn read<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
    {
        self.blocking(move |conn| transaction::read(conn, work))
            .await
    }

    async fn blocking<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.connection()?;
            work(&mut conn)
        })
        .await
        .map_err(|error| AppError::Internal(format!("storage task failed: {error}")))?
    }
}
