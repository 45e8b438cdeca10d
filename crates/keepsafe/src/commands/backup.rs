//! `keepsafe backup FILE` and `keepsafe restore FILE`: a consistent copy of the whole database in
//! one file that carries what is needed to check it, and a restore that checks everything before
//! it touches the database.
//!
//! A backup file is three parts (format 1):
//!
//! 1. a first line `keepsafe-backup 1 <SHA-256 of the manifest line>`;
//! 2. the manifest, one line of JSON: format, backend, when and by which keepsafe it was taken,
//!    the schema migrations applied, the rows of every table, the PostgreSQL schema, and the
//!    payload's length and SHA-256;
//! 3. the payload: a standalone SQLite database (`VACUUM INTO`) or a `pg_dump --format=custom`
//!    archive of keepsafe's schema, taken in the snapshot the rows were counted in.
//!
//! Every byte is covered by a hash, so a truncated or altered file is refused before anything is
//! changed. A restore then opens the payload and checks it (SQLite's integrity and foreign key
//! checks, the migrations, the rows of every table), and only then replaces the database:
//! SQLite by writing the new file beside the old and renaming it over (one atomic step);
//! PostgreSQL by `pg_restore --single-transaction --clean`, which drops and recreates keepsafe's
//! tables and loads them in one transaction, so any failure leaves the database as it was.

use crate::cli::{BackupArgs, RestoreArgs};
use anyhow::{anyhow, bail, Context, Result};
use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use indicatif::{ProgressBar, ProgressStyle};
use keepsafe_storage::{backup, migrations, AnyConnection, Clock, DatabaseUrl};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The first word of every backup file.
const MAGIC: &str = "keepsafe-backup";
/// The layout described above; a restore refuses any other.
const FORMAT: u32 = 1;
/// The longest manifest line read: a manifest is a few kilobytes.
const MAX_MANIFEST: u64 = 1 << 20;

/// What a backup file says about itself.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    /// "sqlite" or "postgresql".
    backend: String,
    created_at: String,
    keepsafe_version: String,
    /// The PostgreSQL schema the tables were in (the archive recreates them there).
    schema: Option<String>,
    /// Schema migrations applied, oldest first.
    migrations: Vec<String>,
    /// Rows of every table.
    tables: BTreeMap<String, i64>,
    payload_bytes: u64,
    payload_sha256: String,
}

impl Manifest {
    fn rows(&self) -> i64 {
        self.tables.values().sum()
    }

    fn schema_version(&self) -> &str {
        self.migrations.last().map(String::as_str).unwrap_or("none")
    }
}

fn backend_name(url: &DatabaseUrl) -> &'static str {
    match url {
        DatabaseUrl::Sqlite(_) => "sqlite",
        DatabaseUrl::Postgres(_) => "postgresql",
    }
}

// ---------------------------------------------------------------------------------------------
// Backup

pub fn backup(url: &DatabaseUrl, args: &BackupArgs, clock: Clock) -> Result<()> {
    if args.file.exists() && !args.force {
        bail!(
            "{} already exists; give a new file name, or add --force to replace it",
            args.file.display()
        );
    }
    let payload = beside(&args.file, "payload");
    remove_if_present(&payload)?;
    let taken = match url {
        DatabaseUrl::Sqlite(path) => copy_sqlite(path, &payload),
        DatabaseUrl::Postgres(raw) => dump_postgres(url, raw, &payload),
    };
    let (migrations, tables, schema) = match taken {
        Ok(taken) => taken,
        Err(error) => {
            let _ = std::fs::remove_file(&payload);
            return Err(error);
        }
    };
    let written = write_backup(&args.file, &payload, |payload_bytes, payload_sha256| {
        Manifest {
            format: FORMAT,
            backend: backend_name(url).into(),
            created_at: clock.now().to_rfc3339(),
            keepsafe_version: env!("CARGO_PKG_VERSION").into(),
            schema,
            migrations,
            tables,
            payload_bytes,
            payload_sha256,
        }
    });
    let _ = std::fs::remove_file(&payload);
    let manifest = written?;
    println!(
        "Backed up {} to {}: {} tables, {} rows, schema migration {}, {} bytes, SHA-256 {}.",
        url.describe(),
        args.file.display(),
        manifest.tables.len(),
        manifest.rows(),
        manifest.schema_version(),
        manifest.payload_bytes,
        manifest.payload_sha256
    );
    Ok(())
}

type Taken = (Vec<String>, BTreeMap<String, i64>, Option<String>);

/// Copies a SQLite database with `VACUUM INTO` (one consistent snapshot, writers carry on), then
/// counts and checks the copy itself, so the manifest describes exactly the bytes it travels with.
fn copy_sqlite(path: &Path, payload: &Path) -> Result<Taken> {
    if !path.is_file() {
        bail!("there is no SQLite database at {}", path.display());
    }
    let mut conn = open_sqlite(path)?;
    let spinner = spinner("Copying the database");
    backup::sqlite_copy(&mut conn, payload).context("could not copy the database")?;
    spinner.finish_and_clear();
    drop(conn);
    let mut copy = AnyConnection::Sqlite(open_sqlite(payload)?);
    let migrations = backup::applied_migrations(&mut copy)?;
    let tables = backup::row_counts(&mut copy)?;
    Ok((migrations, tables, None))
}

/// Dumps keepsafe's PostgreSQL schema with `pg_dump`, in a snapshot exported by a transaction that
/// counts the rows meanwhile: the archive and the counts are the same moment's.
fn dump_postgres(url: &DatabaseUrl, raw: &str, payload: &Path) -> Result<Taken> {
    require_tool("pg_dump")?;
    let AnyConnection::Postgresql(mut pg) = url.connect()? else {
        unreachable!("a PostgreSQL URL opens a PostgreSQL connection")
    };
    let schema = backup::current_schema(&mut pg)?;
    let snapshot = backup::export_snapshot(&mut pg)?;
    let mut conn = AnyConnection::Postgresql(pg);
    let migrations = backup::applied_migrations(&mut conn)?;
    let tables = backup::row_counts(&mut conn)?;
    let spinner = spinner("Dumping the database with pg_dump");
    let dumped = run_tool(
        Command::new("pg_dump")
            .arg("--format=custom")
            .arg(format!("--schema={schema}"))
            .arg(format!("--snapshot={snapshot}"))
            .arg("--file")
            .arg(payload)
            .arg("--dbname")
            .arg(raw),
        "pg_dump",
    );
    spinner.finish_and_clear();
    if let AnyConnection::Postgresql(pg) = &mut conn {
        backup::end_snapshot(pg)?;
    }
    dumped?;
    Ok((migrations, tables, Some(schema)))
}

/// Writes the header, the manifest and the payload to a file beside `file`, makes it durable, and
/// only then renames it to `file`: an interrupted backup never leaves a half-written file under
/// the name asked for.
fn write_backup(
    file: &Path,
    payload: &Path,
    manifest: impl FnOnce(u64, String) -> Manifest,
) -> Result<Manifest> {
    let (bytes, sha256) = hash_file(payload)?;
    let manifest = manifest(bytes, sha256);
    let line = serde_json::to_string(&manifest)?;
    let partial = beside(file, "partial");
    let written = (|| -> Result<()> {
        let mut out = std::io::BufWriter::new(
            File::create(&partial)
                .with_context(|| format!("cannot write {}", partial.display()))?,
        );
        writeln!(
            out,
            "{MAGIC} {FORMAT} {}",
            hex(&Sha256::digest(line.as_bytes()))
        )?;
        writeln!(out, "{line}")?;
        let bar = byte_bar(bytes, "Writing the backup");
        std::io::copy(&mut bar.wrap_read(File::open(payload)?), &mut out)?;
        bar.finish_and_clear();
        let out = out.into_inner().map_err(|e| e.into_error())?;
        out.sync_all()?;
        Ok(())
    })();
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(error.context(format!("cannot write {}", file.display())));
    }
    std::fs::rename(&partial, file).with_context(|| format!("cannot write {}", file.display()))?;
    sync_folder(file);
    Ok(manifest)
}

// ---------------------------------------------------------------------------------------------
// Restore

pub fn restore(url: &DatabaseUrl, args: &RestoreArgs) -> Result<()> {
    let (manifest, mut reader) = read_manifest(&args.file)?;
    if manifest.backend != backend_name(url) {
        bail!(
            "{} is a backup of a {} database and cannot be restored into {}; to move between SQLite and PostgreSQL use keepsafe export and keepsafe import",
            args.file.display(),
            manifest.backend,
            url.describe()
        );
    }
    let known = migrations::known(url)?;
    if let Some(unknown) = manifest.migrations.iter().find(|v| !known.contains(v)) {
        bail!(
            "{} was taken by a newer keepsafe (it has schema migration {unknown}, which this version does not know); restore it with that version or newer. Nothing was changed",
            args.file.display()
        );
    }
    match url {
        DatabaseUrl::Sqlite(path) => restore_sqlite(url, path, &manifest, &mut reader, args),
        DatabaseUrl::Postgres(raw) => restore_postgres(url, raw, &manifest, &mut reader, args),
    }
}

/// Reads and checks the header and manifest, leaving the reader at the payload.
fn read_manifest(file: &Path) -> Result<(Manifest, BufReader<File>)> {
    let opened =
        File::open(file).with_context(|| format!("cannot read the backup {}", file.display()))?;
    let mut reader = BufReader::new(opened);
    let damaged = |why: &str| {
        anyhow!(
            "{} is not a keepsafe backup or is damaged ({why}); nothing was changed",
            file.display()
        )
    };
    let header = read_line(&mut reader, 200).map_err(|_| damaged("no header"))?;
    let mut words = header.split(' ');
    let (Some(MAGIC), Some(format), Some(expected), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return Err(damaged("no header"));
    };
    if format != FORMAT.to_string() {
        bail!(
            "{} is in backup format {format}, which this keepsafe cannot read (it reads format {FORMAT}); nothing was changed",
            file.display()
        );
    }
    let line =
        read_line(&mut reader, MAX_MANIFEST).map_err(|_| damaged("its manifest is cut short"))?;
    if hex(&Sha256::digest(line.as_bytes())) != expected {
        return Err(damaged("its manifest does not match its checksum"));
    }
    let manifest: Manifest =
        serde_json::from_str(&line).map_err(|_| damaged("its manifest cannot be read"))?;
    Ok((manifest, reader))
}

/// One line without its newline, refusing one longer than `limit` or not ended by a newline.
fn read_line(reader: &mut BufReader<File>, limit: u64) -> Result<String> {
    let mut line = Vec::new();
    reader.by_ref().take(limit).read_until(b'\n', &mut line)?;
    if line.pop() != Some(b'\n') {
        bail!("no line end");
    }
    Ok(String::from_utf8(line)?)
}

/// Copies the payload to `target`, hashing it as it goes: refuses (and removes `target`) unless
/// its length and SHA-256 are the manifest's.
fn unpack_payload(
    reader: &mut BufReader<File>,
    manifest: &Manifest,
    target: &Path,
    file: &Path,
) -> Result<()> {
    let bar = byte_bar(manifest.payload_bytes, "Checking the backup");
    let copied = (|| -> Result<(u64, String)> {
        let mut out =
            File::create(target).with_context(|| format!("cannot write {}", target.display()))?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 20];
        let mut bytes = 0u64;
        loop {
            let read = reader.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
            out.write_all(&buffer[..read])?;
            bytes += read as u64;
            bar.set_position(bytes);
        }
        out.sync_all()?;
        Ok((bytes, hex(&hasher.finalize())))
    })();
    bar.finish_and_clear();
    let problem = match copied {
        Err(error) => Some(format!("{error:#}")),
        Ok((bytes, _)) if bytes != manifest.payload_bytes => Some(format!(
            "it holds {bytes} bytes of data where its manifest says {}: it is cut short or added to",
            manifest.payload_bytes
        )),
        Ok((_, sha)) if sha != manifest.payload_sha256 => {
            Some("its data does not match its SHA-256 checksum: it has been altered or damaged".into())
        }
        Ok(_) => None,
    };
    if let Some(problem) = problem {
        let _ = std::fs::remove_file(target);
        bail!(
            "{} cannot be restored: {problem}. Nothing was changed",
            file.display()
        );
    }
    Ok(())
}

fn restore_sqlite(
    url: &DatabaseUrl,
    path: &Path,
    manifest: &Manifest,
    reader: &mut BufReader<File>,
    args: &RestoreArgs,
) -> Result<()> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !folder.is_dir() {
        bail!("the folder {} does not exist", folder.display());
    }
    let restoring = beside(path, "restoring");
    remove_sqlite_files(&restoring)?;
    unpack_payload(reader, manifest, &restoring, &args.file)?;
    let checked = check_sqlite_copy(&restoring, manifest)
        .and_then(|()| ready_target(path, args.force))
        .and_then(|()| bring_up_to_date(&restoring));
    if let Err(error) = checked {
        let _ = remove_sqlite_files(&restoring);
        return Err(error.context(format!(
            "{} was not restored; {} was not changed",
            args.file.display(),
            url.describe()
        )));
    }
    std::fs::rename(&restoring, path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    sync_folder(path);
    println!(
        "Restored {} into {}: {} tables, {} rows, schema migration {}, all checked against the backup's manifest.",
        args.file.display(),
        url.describe(),
        manifest.tables.len(),
        manifest.rows(),
        manifest.schema_version()
    );
    Ok(())
}

/// SQLite's integrity and foreign key checks, then the migrations and every table's rows against
/// the manifest.
fn check_sqlite_copy(copy: &Path, manifest: &Manifest) -> Result<()> {
    let mut conn = open_sqlite(copy)?;
    let problems = backup::sqlite_problems(&mut conn)
        .map_err(|error| anyhow!("SQLite cannot read its database ({error})"))?;
    if !problems.is_empty() {
        bail!(
            "SQLite's integrity check found problems in its database: {}",
            problems.join("; ")
        );
    }
    let mut conn = AnyConnection::Sqlite(conn);
    check_against_manifest(&mut conn, manifest)
}

/// The migrations and every table's rows are the manifest's.
fn check_against_manifest(conn: &mut AnyConnection, manifest: &Manifest) -> Result<()> {
    if backup::applied_migrations(conn)? != manifest.migrations {
        bail!("its schema migrations are not the ones its manifest lists");
    }
    let counts = backup::row_counts(conn)?;
    if counts != manifest.tables {
        let differing: Vec<String> = manifest
            .tables
            .iter()
            .filter(|(table, rows)| counts.get(*table) != Some(rows))
            .map(|(table, rows)| {
                format!(
                    "{table} has {} rows where the manifest says {rows}",
                    counts.get(table).copied().unwrap_or(0)
                )
            })
            .collect();
        bail!(
            "its tables are not the ones its manifest counts: {}",
            if differing.is_empty() {
                "it has tables the manifest does not list".to_owned()
            } else {
                differing.join("; ")
            }
        );
    }
    Ok(())
}

/// Makes sure nothing else has the SQLite database open (a running `keepsafe serve` would go on
/// writing to the replaced file), that its data is replaced only with `--force`, and that its
/// write-ahead log is empty, so the log of the old database cannot be applied to the new one.
fn ready_target(path: &Path, force: bool) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let mut conn = open_sqlite(path)?;
    // A connection in exclusive locking mode keeps its lock; it cannot take it while any other
    // connection, busy or idle, has the database open.
    conn.batch_execute("PRAGMA busy_timeout = 2000; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .map_err(|_| {
            anyhow!(
                "{} is in use by another program (is keepsafe serve running?); stop it and restore again",
                path.display()
            )
        })?;
    let mut conn = AnyConnection::Sqlite(conn);
    if let Ok(counts) = backup::row_counts(&mut conn) {
        if backup::holds_data(&counts) && !force {
            bail!(
                "{} holds data; restoring replaces all of it with the backup's. Add --force to replace it",
                path.display()
            );
        }
    }
    if let AnyConnection::Sqlite(sqlite) = &mut conn {
        sqlite.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")?;
    }
    drop(conn);
    let wal = with_suffix(path, "-wal");
    if std::fs::metadata(&wal)
        .map(|m| m.len() > 0)
        .unwrap_or(false)
    {
        bail!(
            "{} still has changes in its write-ahead log {}: is another program using it?",
            path.display(),
            wal.display()
        );
    }
    remove_if_present(&wal)?;
    remove_if_present(&with_suffix(path, "-shm"))?;
    Ok(())
}

/// Applies the migrations this keepsafe has and the backup lacks to the checked copy, before it
/// takes the database's place, and leaves it without a write-ahead log.
fn bring_up_to_date(copy: &Path) -> Result<()> {
    let url = DatabaseUrl::Sqlite(copy.to_path_buf());
    let mut conn = url.connect()?;
    migrations::run_pending(&mut conn, &url)?;
    if let AnyConnection::Sqlite(sqlite) = &mut conn {
        sqlite.batch_execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
    }
    drop(conn);
    remove_if_present(&with_suffix(copy, "-wal"))?;
    remove_if_present(&with_suffix(copy, "-shm"))?;
    let file = File::open(copy)?;
    file.sync_all()?;
    Ok(())
}

fn restore_postgres(
    url: &DatabaseUrl,
    raw: &str,
    manifest: &Manifest,
    reader: &mut BufReader<File>,
    args: &RestoreArgs,
) -> Result<()> {
    require_tool("pg_restore")?;
    let archive =
        std::env::temp_dir().join(format!("keepsafe-restore-{}.dump", std::process::id()));
    unpack_payload(reader, manifest, &archive, &args.file)?;
    let restored = (|| -> Result<()> {
        run_tool(
            Command::new("pg_restore").arg("--list").arg(&archive),
            "pg_restore",
        )
        .map_err(|error| {
            anyhow!("pg_restore cannot read its archive: {error:#}. Nothing was changed")
        })?;
        let AnyConnection::Postgresql(mut pg) = url.connect()? else {
            unreachable!("a PostgreSQL URL opens a PostgreSQL connection")
        };
        let schema = backup::current_schema(&mut pg)?;
        if manifest.schema.as_deref() != Some(schema.as_str()) {
            bail!(
                "the backup holds the schema {}, but {} keeps keepsafe's tables in the schema {schema}; set the URL's search_path to the backup's schema. Nothing was changed",
                manifest.schema.as_deref().unwrap_or("(none)"),
                url.describe()
            );
        }
        let mut conn = AnyConnection::Postgresql(pg);
        let counts = backup::row_counts(&mut conn)?;
        if backup::holds_data(&counts) && !args.force {
            bail!(
                "{} holds data; restoring replaces all of it with the backup's. Add --force to replace it. Nothing was changed",
                url.describe()
            );
        }
        drop(conn);
        let spinner = spinner("Restoring the database with pg_restore");
        let loaded = run_tool(
            Command::new("pg_restore")
                .args([
                    "--single-transaction",
                    "--exit-on-error",
                    "--clean",
                    "--if-exists",
                ])
                .args(["--no-owner", "--no-privileges"])
                .arg("--dbname")
                .arg(raw)
                .arg(&archive),
            "pg_restore",
        );
        spinner.finish_and_clear();
        loaded.map_err(|error| {
            anyhow!(
                "{error:#}. pg_restore ran in one transaction, so {} was not changed",
                url.describe()
            )
        })?;
        let mut conn = url.connect()?;
        check_against_manifest(&mut conn, manifest).map_err(|error| {
            anyhow!(
                "the backup was restored into {}, but checking it afterwards failed: {error:#}. Restore it again, or an earlier backup",
                url.describe()
            )
        })?;
        migrations::run_pending(&mut conn, url)?;
        Ok(())
    })();
    let _ = std::fs::remove_file(&archive);
    restored?;
    println!(
        "Restored {} into {}: {} tables, {} rows, schema migration {}, all checked against the backup's manifest.",
        args.file.display(),
        url.describe(),
        manifest.tables.len(),
        manifest.rows(),
        manifest.schema_version()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Files, tools and progress

fn open_sqlite(path: &Path) -> Result<SqliteConnection> {
    let text = path
        .to_str()
        .ok_or_else(|| anyhow!("{} is not a valid UTF-8 path", path.display()))?;
    let mut conn = SqliteConnection::establish(text)
        .map_err(|error| anyhow!("cannot open {}: {error}", path.display()))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000;")?;
    Ok(conn)
}

/// `file` with `.word` added to its name, in the same folder (so a rename is atomic).
fn beside(file: &Path, word: &str) -> PathBuf {
    with_suffix(file, &format!(".{word}"))
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(anyhow!("cannot remove {}: {error}", path.display()))
        }
        _ => Ok(()),
    }
}

/// A SQLite file with its write-ahead log and shared-memory index.
fn remove_sqlite_files(path: &Path) -> Result<()> {
    remove_if_present(path)?;
    remove_if_present(&with_suffix(path, "-wal"))?;
    remove_if_present(&with_suffix(path, "-shm"))
}

/// Makes a rename in `file`'s folder durable (best effort: not every system can open a folder).
fn sync_folder(file: &Path) {
    let folder = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Ok(folder) = File::open(folder) {
        let _ = folder.sync_all();
    }
}

fn hash_file(path: &Path) -> Result<(u64, String)> {
    let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bytes = file.metadata()?.len();
    let bar = byte_bar(bytes, "Checksumming");
    let mut hasher = Sha256::new();
    std::io::copy(&mut bar.wrap_read(file), &mut hasher)?;
    bar.finish_and_clear();
    Ok((bytes, hex(&hasher.finalize())))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Refuses clearly when a PostgreSQL client tool is not installed.
fn require_tool(tool: &str) -> Result<()> {
    match Command::new(tool).arg("--version").output() {
        Ok(output) if output.status.success() => Ok(()),
        _ => bail!(
            "{tool} was not found: install PostgreSQL's client tools (the server's major version or newer) and make sure {tool} is on PATH"
        ),
    }
}

/// Runs a PostgreSQL tool, turning a failure into its first lines of errors.
fn run_tool(command: &mut Command, tool: &str) -> Result<()> {
    let output = command
        .output()
        .with_context(|| format!("cannot run {tool}"))?;
    if output.status.success() {
        return Ok(());
    }
    let errors = String::from_utf8_lossy(&output.stderr);
    let first: Vec<&str> = errors
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(3)
        .collect();
    bail!("{tool} failed: {}", first.join(" / "))
}

fn spinner(doing: &str) -> ProgressBar {
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    spinner.set_message(doing.to_owned());
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}

fn byte_bar(bytes: u64, doing: &str) -> ProgressBar {
    let bar = ProgressBar::new(bytes);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{doing} {{bar:40}} {{bytes}}/{{total_bytes}} ({{bytes_per_sec}}, {{eta}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
