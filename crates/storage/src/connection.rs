//! Connections: which backend a URL names, how each is opened and tuned, and the pool.

use crate::error::{StorageError, StorageResult};
use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// One connection type for both backends, so every query is written once.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// A parsed `--database-url`. Parsing never guesses: a URL for PostgreSQL that cannot be reached is
/// an error, never a silently created SQLite file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> StorageResult<Self> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(raw.to_owned()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .unwrap_or(raw);
        if path.is_empty() || path.contains("://") || path.starts_with(':') {
            return Err(StorageError::UnsupportedUrl(raw.to_owned()));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    /// How the database is named in messages: never includes a password.
    pub fn describe(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("SQLite file {}", path.display()),
            DatabaseUrl::Postgres(url) => format!("PostgreSQL {}", redact_password(url)),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseUrl::Sqlite(_))
    }

    /// Opens one connection, tuned for keepsafe.
    pub fn connect(&self) -> StorageResult<AnyConnection> {
        match self {
            DatabaseUrl::Sqlite(path) => connect_sqlite(path).map(AnyConnection::Sqlite),
            DatabaseUrl::Postgres(url) => PgConnection::establish(url)
                .map(AnyConnection::Postgresql)
                .map_err(|error| StorageError::Unreachable {
                    target: redact_password(url),
                    reason: first_line(&error.to_string()),
                }),
        }
    }
}

fn redact_password(url: &str) -> String {
    // postgres://user:secret@host → postgres://user:***@host
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

fn connect_sqlite(path: &Path) -> StorageResult<SqliteConnection> {
    let unwritable = |reason: String| StorageError::UnwritablePath {
        path: path.display().to_string(),
        reason,
    };
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(unwritable(format!(
            "the folder {} does not exist",
            parent.display()
        )));
    }
    let text = path
        .to_str()
        .ok_or_else(|| unwritable("the path is not valid UTF-8".into()))?;
    let mut conn =
        SqliteConnection::establish(text).map_err(|error| unwritable(error.to_string()))?;
    // WAL lets readers work while one writer writes; busy_timeout makes a second writer wait for
    // the lock rather than fail; write transactions take the lock up front (see transaction.rs).
    //
    // synchronous = FULL: every commit waits until its write-ahead log frames are on the disk, so
    // an acknowledged change to a case (and its audit row) survives a power cut or an operating
    // system crash, not only a crash of keepsafe. NORMAL, in WAL mode, syncs only at checkpoints
    // and can lose the last commits on power loss — never acceptable for case data. FULL costs
    // one fsync a commit (measured on the development VM: 3.5 ms a single-row transaction instead
    // of 0.03 ms, so at most about 290 writing transactions a second on SQLite); a bulk load
    // commits once per batch, so it pays almost nothing. docs/security.md, "Durability".
    conn.batch_execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
    )
    .map_err(|error| {
        let message = error.to_string();
        if message.contains("readonly") || message.contains("unable to open") {
            unwritable("the file or its folder is not writable".into())
        } else {
            unwritable(message)
        }
    })?;
    Ok(conn)
}

/// Opens connections for the pool, remembering whether the last attempt reached the database.
#[derive(Debug, Clone)]
pub struct Connector(DatabaseUrl, Arc<Reachability>);

/// Whether the database answered the pool's last attempt to connect. While it does not, asking
/// for a connection fails after [`QUICK_CHECKOUT`] instead of the pool's full timeout, so pages
/// say the service is unavailable at once; the next successful attempt (the pool keeps trying,
/// and every request tries) clears it, so keepsafe recovers without a restart.
#[derive(Debug, Default)]
pub struct Reachability {
    unreachable: AtomicBool,
}

impl Reachability {
    fn record<T>(&self, attempt: &StorageResult<T>) {
        self.unreachable.store(attempt.is_err(), Ordering::Relaxed);
    }

    pub fn is_unreachable(&self) -> bool {
        self.unreachable.load(Ordering::Relaxed)
    }
}

/// How long a request waits for a connection before asking whether the database is down.
const QUICK_CHECKOUT: Duration = Duration::from_secs(1);

impl ManageConnection for Connector {
    type Connection = AnyConnection;
    type Error = StorageError;

    fn connect(&self) -> Result<AnyConnection, StorageError> {
        let attempt = self.0.connect();
        self.1.record(&attempt);
        attempt
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), StorageError> {
        conn.ping().map_err(StorageError::Query)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        conn.is_broken()
    }
}

/// The application's database: a pool of connections to one backend.
#[derive(Clone)]
pub struct Database {
    pool: r2d2::Pool<Connector>,
    url: DatabaseUrl,
    /// SQLite has one writer at a time. Writers in this process queue here, in memory, before they
    /// take a connection, instead of each holding a connection while SQLite's busy handler makes
    /// it sleep and retry: that back-off (up to 100 ms a try) was the long tail of every page that
    /// writes an audit row. Shared by every clone of the database.
    writers: Arc<WriterQueue>,
    reachability: Arc<Reachability>,
}

/// A first-come, first-served queue of writers: each takes a ticket and writes when its number
/// comes up. A plain mutex lets a thread that has just written take the lock again ahead of
/// threads that have waited longer, which keeps the median low but the 99th percentile long.
#[derive(Debug, Default)]
pub struct WriterQueue {
    /// (next ticket to hand out, ticket now writing).
    tickets: Mutex<(u64, u64)>,
    turn_changed: Condvar,
}

/// A writer's turn; the next writer's begins when it is dropped, even by a panic.
pub struct WriterTurn<'a>(&'a WriterQueue);

impl WriterQueue {
    /// Waits for this caller's turn.
    pub fn wait_turn(&self) -> WriterTurn<'_> {
        let mut tickets = self.tickets();
        let mine = tickets.0;
        tickets.0 += 1;
        while tickets.1 != mine {
            tickets = self
                .turn_changed
                .wait(tickets)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        WriterTurn(self)
    }

    // The counters are only ever incremented whole, so a panic elsewhere cannot leave them torn.
    fn tickets(&self) -> MutexGuard<'_, (u64, u64)> {
        self.tickets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for WriterTurn<'_> {
    fn drop(&mut self) {
        self.0.tickets().1 += 1;
        self.0.turn_changed.notify_all();
    }
}

pub type PooledConnection = r2d2::PooledConnection<Connector>;

impl Database {
    /// Connects (failing fast with a clear error if the database cannot be reached or created),
    /// refuses a database written by a newer keepsafe, and applies pending migrations.
    pub fn open(url: &DatabaseUrl) -> StorageResult<Self> {
        let database = Self::connect_without_migrating(url)?;
        let mut conn = database.connection()?;
        crate::migrations::run_pending(&mut conn, url)?;
        Ok(database)
    }

    /// Connects without touching the schema (for `keepsafe migrate --check` and tests).
    pub fn connect_without_migrating(url: &DatabaseUrl) -> StorageResult<Self> {
        // Connect once directly so the first error is the real one, not a pool timeout.
        drop(url.connect()?);
        let pool_size = if url.is_sqlite() { 8 } else { 16 };
        let reachability = Arc::new(Reachability::default());
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(15))
            .build(Connector(url.clone(), reachability.clone()))
            .map_err(|error| StorageError::Pool(error.to_string()))?;
        Ok(Self {
            pool,
            url: url.clone(),
            writers: Arc::new(WriterQueue::default()),
            reachability,
        })
    }

    /// Runs `work` in one writing transaction (see [`crate::transaction::write`]) on a pooled
    /// connection. On SQLite it first waits its turn behind this process's other writers, so the
    /// transaction's `BEGIN IMMEDIATE` finds the write lock free (unless another process holds it,
    /// when the busy timeout still applies). Blocks: call it from a blocking thread.
    pub fn write<T, E>(&self, work: impl FnOnce(&mut AnyConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<diesel::result::Error> + From<StorageError>,
    {
        let _turn = match self.url {
            DatabaseUrl::Sqlite(_) => Some(self.writers.wait_turn()),
            DatabaseUrl::Postgres(_) => None,
        };
        let mut conn = self.connection()?;
        crate::transaction::write(&mut conn, work)
    }

    /// A pooled connection, checked before it is handed out. When the database cannot be reached
    /// this fails within about a second with [`StorageError::Unavailable`]; a pool that is only
    /// busy is waited on for its full timeout.
    pub fn connection(&self) -> StorageResult<PooledConnection> {
        if let Ok(conn) = self.pool.get_timeout(QUICK_CHECKOUT) {
            return Ok(conn);
        }
        let unavailable = || StorageError::Unavailable(self.url.describe());
        if self.reachability.is_unreachable() {
            return Err(unavailable());
        }
        self.pool.get().map_err(|error| {
            if self.reachability.is_unreachable() {
                unavailable()
            } else {
                StorageError::Pool(error.to_string())
            }
        })
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_choose_postgres() {
        assert_eq!(
            DatabaseUrl::parse("postgres://keepsafe@db:5432/keepsafe").unwrap(),
            DatabaseUrl::Postgres("postgres://keepsafe@db:5432/keepsafe".into())
        );
    }

    #[test]
    fn sqlite_urls_and_plain_paths_choose_sqlite() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://./keepsafe.db").unwrap(),
            DatabaseUrl::Sqlite("./keepsafe.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("/var/lib/keepsafe.db").unwrap(),
            DatabaseUrl::Sqlite("/var/lib/keepsafe.db".into())
        );
    }

    #[test]
    fn other_schemes_are_refused() {
        assert!(matches!(
            DatabaseUrl::parse("mysql://root@localhost/test"),
            Err(StorageError::UnsupportedUrl(_))
        ));
    }

    #[test]
    fn passwords_never_appear_in_descriptions() {
        let url = DatabaseUrl::parse("postgres://app:hunter2@db/keepsafe").unwrap();
        assert_eq!(url.describe(), "PostgreSQL postgres://app:***@db/keepsafe");
    }

    #[test]
    fn a_missing_folder_is_reported_as_such() {
        let url = DatabaseUrl::parse("sqlite:///no/such/folder/keepsafe.db").unwrap();
        let error = url.connect().err().unwrap();
        assert!(error.to_string().contains("does not exist"), "{error}");
    }
}
