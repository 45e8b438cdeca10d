//! Shared state and the bridge from async handlers to synchronous storage.

use crate::config::WebConfig;
use crate::error::AppError;
use keepsafe_storage::{transaction, AnyConnection, Clock, Database};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub config: Arc<WebConfig>,
    /// Every handler reads "today" and "now" from here, never from the system clock, so tests
    /// run as of a fixed moment.
    pub clock: Clock,
}

impl AppState {
    pub fn new(db: Database, config: WebConfig, clock: Clock) -> Self {
        Self {
            db,
            config: Arc::new(config),
            clock,
        }
    }

    /// Runs `work` in one writing transaction on a blocking thread: use it for every action that
    /// changes data or must write an audit row.
    pub async fn write<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
    {
        self.blocking(move |conn| transaction::write(conn, work))
            .await
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
