//! `keepsafe export` and `keepsafe import`: the service's records as a folder of CSV files
//! (`docs/dataset-files.md`), for switch-overs that must lose nothing. Export reads one
//! consistent snapshot a page at a time; import checks every row of every file before writing
//! any, writes in batches that each commit with their bookkeeping (so an interrupted import run
//! again resumes), and ends by accounting for every row read.

use crate::cli::{DatasetExportArgs as ExportArgs, DatasetImportArgs as ImportArgs};
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use keepsafe_domain::dataset::{
    check_header, parse_row, FileCount, FileSpec, Problem, Reconciliation, Validator, Value, FILES,
};
use keepsafe_storage::audit;
use keepsafe_storage::dataset::{self, imports};
use keepsafe_storage::{AnyConnection, Clock, Database};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Rows read from the database per query while exporting.
const PAGE: i64 = 5_000;

/// The export is a disclosure of the whole record: it is audit-logged, with where it went.
pub fn export(database: Database, args: &ExportArgs, clock: Clock) -> Result<()> {
    prepare_folder(&args.dir, args.force)?;
    let started = Instant::now();
    let mut conn = database.connection()?;
    let counts = dataset::snapshot(&mut conn, |conn| -> Result<Vec<(String, u64)>> {
        let mut total = 0;
        for spec in FILES {
            total += dataset::table_of(spec.name)?.count(conn)?;
        }
        let bar = progress_bar(total, "Exporting");
        let counts = FILES
            .iter()
            .map(|spec| {
                let rows = export_file(conn, spec, &args.dir, &bar)?;
                Ok((spec.file_name(), rows))
            })
            .collect::<Result<Vec<_>>>()?;
        bar.finish_and_clear();
        Ok(counts)
    })?;
    let total: u64 = counts.iter().map(|(_, rows)| rows).sum();
    let detail = format!("{total} rows to {}", args.dir.display());
    database.write(|conn| {
        audit::record(
            conn,
            &super::cli_audit("export_dataset", detail),
            clock.now(),
        )
    })?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Exported {total} rows from {} to {} in {seconds:.1}s ({:.0} rows/s):",
        database.url().describe(),
        args.dir.display(),
        total as f64 / seconds.max(0.001)
    );
    for (file, rows) in counts {
        println!("  {file:<34} {rows:>10}");
    }
    Ok(())
}

/// Creates the folder, or refuses one holding files unless `force`.
fn prepare_folder(dir: &Path, force: bool) -> Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read the folder {}", dir.display()))?;
        if entries.next().is_some() && !force {
            bail!(
                "{} already holds files; export into an empty or new folder, or add --force to replace the dataset's files in it",
                dir.display()
            );
        }
        return Ok(());
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))
}

fn export_file(
    conn: &mut AnyConnection,
    spec: &FileSpec,
    dir: &Path,
    bar: &ProgressBar,
) -> Result<u64> {
    let path = dir.join(spec.file_name());
    bar.set_message(spec.file_name());
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_path(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    writer.write_record(spec.header())?;
    let table = dataset::table_of(spec.name)?;
    let mut after: Option<Vec<String>> = None;
    let mut rows = 0u64;
    loop {
        let page = table.page(conn, after.as_deref(), PAGE)?;
        for row in &page.rows {
            writer.write_record(row.iter().map(Value::to_field))?;
        }
        rows += page.rows.len() as u64;
        bar.inc(page.rows.len() as u64);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    writer
        .flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(rows)
}

/// A progress bar counting rows, with the file being worked on as its message.
fn progress_bar(rows: u64, doing: &str) -> ProgressBar {
    styled_bar(
        rows,
        &format!("{doing} {{msg}} {{bar:40}} {{pos}}/{{len}} rows ({{per_sec}}, {{eta}})"),
    )
}

fn styled_bar(length: u64, template: &str) -> ProgressBar {
    let bar = ProgressBar::new(length);
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// What checking the files found, for writing them.
struct Checked {
    /// The dataset's fingerprint: SHA-256 of every file's name and bytes.
    fingerprint: String,
    /// Files that can be read (present, with the right header).
    readable: HashSet<&'static str>,
    /// Per file: data rows read, and the lines of rows with problems.
    rows: HashMap<&'static str, u64>,
    bad_lines: HashMap<&'static str, HashSet<u64>>,
    problems: Vec<Problem>,
}

pub fn import(database: Database, args: &ImportArgs, clock: Clock) -> Result<()> {
    if !args.dir.is_dir() {
        bail!(
            "{} is not a folder; give the folder `keepsafe export` wrote",
            args.dir.display()
        );
    }
    let started = Instant::now();
    let mut conn = database.connection()?;
    let checked = check_files(&mut conn, &args.dir)?;
    if !checked.problems.is_empty() && !args.partial {
        for problem in &checked.problems {
            eprintln!("{problem}");
        }
        bail!(
            "{} problem(s) in {}; nothing was written. Correct them and import again, or add --partial to write the rows without problems",
            checked.problems.len(),
            args.dir.display()
        );
    }
    let progress = imports::begin(&mut conn, &checked.fingerprint, clock.now().naive_utc())?;
    let total: u64 = checked.rows.values().sum();
    let bar = progress_bar(total, "Importing");
    let mut reconciliation = Reconciliation::default();
    let mut writer = Writer {
        conn: &mut conn,
        dir: &args.dir,
        fingerprint: &checked.fingerprint,
        args,
        bar: &bar,
        batches: 0,
    };
    for spec in FILES {
        let mut count = FileCount {
            file: spec.file_name(),
            read: checked.rows.get(spec.name).copied().unwrap_or(0),
            ..FileCount::default()
        };
        if checked.readable.contains(spec.name) {
            let committed = progress
                .committed_lines
                .get(spec.name)
                .copied()
                .unwrap_or(0);
            let bad = checked.bad_lines.get(spec.name);
            writer.write_file(spec, committed, bad, &mut count)?;
        } else {
            count.skipped = count.read;
        }
        reconciliation.files.push(count);
    }
    bar.finish_and_clear();
    let derived = imports::finish(&mut conn, &checked.fingerprint, clock.now())?;
    let total = reconciliation.total();
    let detail = format!(
        "from {}: {} rows written, {} already present, {} skipped",
        args.dir.display(),
        total.written,
        total.already_present,
        total.skipped
    );
    database.write(|conn| {
        audit::record(
            conn,
            &super::cli_audit("import_dataset", detail),
            clock.now(),
        )
    })?;
    report(&database, args, &checked, &reconciliation, derived, started);
    if !reconciliation.balances() {
        bail!("the counts do not balance: some rows are unaccounted for");
    }
    Ok(())
}

fn report(
    database: &Database,
    args: &ImportArgs,
    checked: &Checked,
    reconciliation: &Reconciliation,
    derived: bool,
    started: Instant,
) {
    if !checked.problems.is_empty() {
        println!("Skipped, with their reasons (--partial):");
        for problem in &checked.problems {
            println!("  {problem}");
        }
    }
    let total = reconciliation.total();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Imported {} into {} in {seconds:.1}s ({:.0} rows/s): {} rows written, {} already present from an earlier run, {} skipped.",
        args.dir.display(),
        database.url().describe(),
        total.written as f64 / seconds.max(0.001),
        total.written,
        total.already_present,
        total.skipped
    );
    print!("{reconciliation}");
    if derived {
        println!("Recorded scores and tiers, workload history and quality ratings from the imported records.");
    }
}

/// Checks every file: present, the right header, every row. Reads each file once, computing the
/// dataset's fingerprint from the same bytes.
fn check_files(conn: &mut AnyConnection, dir: &Path) -> Result<Checked> {
    let size: u64 = FILES
        .iter()
        .filter_map(|spec| std::fs::metadata(dir.join(spec.file_name())).ok())
        .map(|metadata| metadata.len())
        .sum();
    let bar = styled_bar(
        size,
        "Checking {msg} {bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    );
    let mut fingerprint = Sha256::new();
    let mut validator = Validator::new();
    let mut known: HashMap<(&'static str, String), bool> = HashMap::new();
    let mut lookup_error = None;
    let mut checked_bytes = 0u64;
    let mut checked = Checked {
        fingerprint: String::new(),
        readable: HashSet::new(),
        rows: HashMap::new(),
        bad_lines: HashMap::new(),
        problems: Vec::new(),
    };
    for spec in FILES {
        let path = dir.join(spec.file_name());
        let Ok(file) = File::open(&path) else {
            checked
                .problems
                .push(Problem::with_file(spec, "the file is missing"));
            continue;
        };
        let mut reader = csv_reader(Counted::new(file));
        let mut header = csv::StringRecord::new();
        let header = match reader.read_record(&mut header) {
            Ok(true) => fields(&header),
            _ => Vec::new(),
        };
        if let Some(problem) = check_header(spec, &header) {
            checked.problems.push(problem);
            continue;
        }
        checked.readable.insert(spec.name);
        bar.set_message(spec.file_name());
        let mut in_database = |file: &'static str, id: &str| -> bool {
            *known.entry((file, id.to_owned())).or_insert_with(|| {
                dataset::table_of(file)
                    .and_then(|table| table.exists(conn, id))
                    .unwrap_or_else(|error| {
                        lookup_error.get_or_insert(error);
                        false
                    })
            })
        };
        let mut rows = 0u64;
        let mut record = csv::StringRecord::new();
        loop {
            let line = reader.position().line();
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    rows += 1;
                    let line = record.position().map_or(line, |p| p.line());
                    let fields = fields(&record);
                    if let Err(problems) = validator.check(spec, line, &fields, &mut in_database) {
                        checked.problems.extend(problems);
                        checked.bad_lines.entry(spec.name).or_default().insert(line);
                    }
                }
                Err(error) => {
                    let line = error.position().map_or(line, |p| p.line());
                    if error.is_io_error() {
                        bail!("cannot read {}: {error}", path.display());
                    }
                    rows += 1;
                    checked.problems.push(Problem {
                        file: spec.file_name(),
                        line: Some(line),
                        column: None,
                        message: format!("cannot be read as CSV: {error}"),
                    });
                    checked.bad_lines.entry(spec.name).or_default().insert(line);
                }
            }
            if rows.is_multiple_of(4096) {
                bar.set_position(checked_bytes + reader.get_ref().bytes);
            }
        }
        checked.rows.insert(spec.name, rows);
        let counted = reader.into_inner();
        checked_bytes += counted.bytes;
        bar.set_position(checked_bytes);
        fingerprint.update(spec.name.as_bytes());
        fingerprint.update(counted.digest.finalize());
    }
    bar.finish_and_clear();
    if let Some(error) = lookup_error {
        return Err(error).context("could not look up a reference in the database");
    }
    checked.fingerprint = format!("{:x}", fingerprint.finalize());
    Ok(checked)
}

/// Writes the checked files' rows, batch by batch.
struct Writer<'a> {
    conn: &'a mut AnyConnection,
    dir: &'a Path,
    fingerprint: &'a str,
    args: &'a ImportArgs,
    bar: &'a ProgressBar,
    /// Batches committed by this run.
    batches: usize,
}

impl Writer<'_> {
    /// Writes a file's rows after the line an earlier run committed, leaving out `bad` lines, in
    /// batches of `--batch-size` rows, each in its own transaction with its bookkeeping.
    fn write_file(
        &mut self,
        spec: &'static FileSpec,
        committed: u64,
        bad: Option<&HashSet<u64>>,
        count: &mut FileCount,
    ) -> Result<()> {
        let path: PathBuf = self.dir.join(spec.file_name());
        self.bar.set_message(spec.file_name());
        let file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut reader = csv_reader(std::io::BufReader::new(file));
        let mut header = csv::StringRecord::new();
        reader.read_record(&mut header)?;
        let mut batch = Vec::with_capacity(self.args.batch_size);
        let mut last_line = committed;
        let mut record = csv::StringRecord::new();
        loop {
            let line = reader.position().line();
            let more = match reader.read_record(&mut record) {
                Ok(more) => more,
                // Rows that cannot be read were found and counted when checking.
                Err(error) if !error.is_io_error() => {
                    count.skipped += 1;
                    self.bar.inc(1);
                    continue;
                }
                Err(error) => bail!("cannot read {}: {error}", path.display()),
            };
            if !more {
                break;
            }
            self.bar.inc(1);
            let line = record.position().map_or(line, |p| p.line());
            if bad.is_some_and(|bad| bad.contains(&line)) {
                count.skipped += 1;
                continue;
            }
            if line <= committed {
                count.already_present += 1;
                continue;
            }
            let values = parse_row(spec, line, &fields(&record)).map_err(|problems| {
                anyhow::anyhow!(
                    "{} changed while it was being imported: {}",
                    spec.file_name(),
                    problems[0]
                )
            })?;
            batch.push(values);
            last_line = line;
            if batch.len() == self.args.batch_size {
                self.write_batch(spec, last_line, &mut batch, count)?;
            }
        }
        if !batch.is_empty() {
            self.write_batch(spec, last_line, &mut batch, count)?;
        }
        Ok(())
    }

    /// Commits a batch with the line it reached; then stops the import, as if interrupted, once
    /// `--stop-after-batches` have been: a deterministic interruption for testing resumption.
    fn write_batch(
        &mut self,
        spec: &FileSpec,
        last_line: u64,
        batch: &mut Vec<Vec<Value>>,
        count: &mut FileCount,
    ) -> Result<()> {
        let rows = std::mem::take(batch);
        let written = rows.len() as u64;
        imports::write_batch(self.conn, self.fingerprint, spec.name, last_line, rows)
            .with_context(|| {
                format!(
                    "could not write {} up to line {last_line}; the batches before it were written, and running the same import again resumes after them",
                    spec.file_name()
                )
            })?;
        count.written += written;
        self.batches += 1;
        if self.args.stop_after_batches == Some(self.batches) {
            bail!(
                "stopped after {} batch(es), as --stop-after-batches asked; run the same import again to resume",
                self.batches
            );
        }
        Ok(())
    }
}

/// A CSV reader that ends records at line feeds only, so each record's position is the line it
/// starts on whether the file's lines end in CRLF (as RFC 4180 has it) or LF; [`fields`] takes
/// off the carriage return. Rows with the wrong number of fields are read, to be reported.
fn csv_reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(input)
}

/// A record's fields, without the carriage return of a CRLF line ending.
fn fields(record: &csv::StringRecord) -> Vec<&str> {
    let mut fields: Vec<&str> = record.iter().collect();
    if let Some(last) = fields.last_mut() {
        *last = last.strip_suffix('\r').unwrap_or(last);
    }
    fields
}

/// A file being read, with the SHA-256 of its bytes and how many have been read.
struct Counted {
    file: File,
    digest: Sha256,
    bytes: u64,
}

impl Counted {
    fn new(file: File) -> Self {
        Self {
            file,
            digest: Sha256::new(),
            bytes: 0,
        }
    }
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        self.digest.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}
