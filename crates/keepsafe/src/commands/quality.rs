//! `keepsafe quality import` and `keepsafe inspect`: audit results from files, and the rating
//! report for a unit. Both are audit-logged.

use super::cli_audit;
use crate::cli::{
    FrameworkArgs, ImportArgs, InspectArgs, QualityCommand, QualityRecomputeArgs, ReportFormat,
    SnapshotArgs,
};
use anyhow::{anyhow, bail, Context, Result};
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use keepsafe_domain::access::{decide, Action, Decision};
use keepsafe_domain::quality::import::{check_header, read, RawRow};
use keepsafe_domain::quality::{Framework, RatingThresholds};
use keepsafe_domain::staff::Username;
use keepsafe_storage::quality::{case_indicators, frameworks, import, units, Unit};
use keepsafe_storage::Clock;
use keepsafe_storage::{audit, staff, transaction, AnyConnection, Database, StorageError};
use keepsafe_web::quality::report as quality_report;

pub fn run(database: Database, command: &QualityCommand, clock: Clock) -> Result<()> {
    match command {
        QualityCommand::Import(args) => import_file(&database, args, clock),
        QualityCommand::Framework(args) => set_framework(&database, args, clock),
        QualityCommand::Frameworks => list_frameworks(&database),
        QualityCommand::Snapshot(args) => snapshot(&database, args, clock),
        QualityCommand::Recompute(args) => recompute(&database, args, clock),
    }
}

/// Three whole percentages: Outstanding, Good, Requires improvement.
fn thresholds_from(text: &str) -> Result<RatingThresholds> {
    let numbers: Vec<u32> = text
        .split(',')
        .map(|n| n.trim().parse())
        .collect::<Result<_, _>>()
        .map_err(|_| {
            anyhow!("--thresholds must be three whole percentages such as 80,65,50, not '{text}'")
        })?;
    let [outstanding, good, requires_improvement] = numbers[..] else {
        bail!("--thresholds must be three whole percentages such as 80,65,50, not '{text}'");
    };
    Ok(RatingThresholds::new(
        outstanding,
        good,
        requires_improvement,
    )?)
}

fn set_framework(database: &Database, args: &FrameworkArgs, clock: Clock) -> Result<()> {
    let framework = Framework::by_code(&args.framework).ok_or_else(|| {
        let known: Vec<String> = Framework::all().into_iter().map(|f| f.code).collect();
        anyhow!(
            "there is no framework '{}': use {}",
            args.framework,
            known.join(" or ")
        )
    })?;
    let mut conn = database.connection()?;
    let now = clock.now();
    if args.standard {
        let cleared = transaction::write(&mut conn, |conn| -> Result<_> {
            let cleared = frameworks::clear(conn, &framework.code)?;
            audit::record(
                conn,
                &cli_audit("clear_quality_framework_setting", framework.code.clone()),
                now,
            )?;
            Ok(cleared)
        })?;
        println!(
            "{} {} with its built-in thresholds and bands.",
            if cleared { "Rating" } else { "Already rating" },
            framework.code
        );
        return Ok(());
    }
    if args.bands.is_none() && args.thresholds.is_none() {
        bail!("give --bands, --thresholds or both (or --standard to go back to the built-in ones)");
    }
    let reason = args.reason.as_deref().unwrap_or_default();
    if reason.trim().is_empty() {
        bail!("--reason must say why these thresholds or bands are used");
    }
    let thresholds = args
        .thresholds
        .as_deref()
        .map(thresholds_from)
        .transpose()?;
    let applied = transaction::write(&mut conn, |conn| -> Result<_> {
        let applied = frameworks::set(
            conn,
            &frameworks::NewSetting {
                framework: &framework,
                thresholds,
                bands: args.bands.as_deref(),
                reason,
                set_by: "keepsafe-cli",
            },
            now,
        )?
        .map_err(|refused| anyhow!("--bands: {refused}"))?;
        audit::record(
            conn,
            &cli_audit(
                "set_quality_framework_setting",
                format!(
                    "{}: thresholds {}; bands {} ({reason})",
                    framework.code,
                    applied.thresholds.describe(),
                    applied.bands.describe()
                ),
            ),
            now,
        )?;
        Ok(applied)
    })?;
    println!(
        "{} now rates with: {}. {}.",
        applied.code,
        applied.thresholds.describe(),
        applied.bands.describe()
    );
    Ok(())
}

fn snapshot(database: &Database, args: &SnapshotArgs, clock: Clock) -> Result<()> {
    let today = report_day(args.date.as_deref(), clock)?;
    let mut conn = database.connection()?;
    let bar = ProgressBar::new_spinner().with_message("Rating every live case");
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let runs = transaction::write(&mut conn, |conn| -> Result<_> {
        let runs = keepsafe_storage::quality::snapshots::record_all(
            conn,
            today,
            &keepsafe_domain::quality::IndicatorRules::default(),
        )?;
        audit::record(
            conn,
            &cli_audit("record_quality_snapshots", format!("as of {today}")),
            clock.now(),
        )?;
        Ok(runs)
    })?;
    bar.finish_and_clear();
    for (framework, run) in runs {
        println!(
            "{framework}: recorded the week beginning {} for {} units ({} live cases).",
            run.week_start, run.units, run.cases
        );
    }
    Ok(())
}

/// `keepsafe quality recompute`: the stored indicators rebuilt in one transaction, so the pages
/// never read a half-built set.
fn recompute(database: &Database, args: &QualityRecomputeArgs, clock: Clock) -> Result<()> {
    let today = report_day(args.date.as_deref(), clock)?;
    let rules = keepsafe_domain::quality::IndicatorRules::default();
    let mut conn = database.connection()?;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} cases {elapsed}")
            .expect("a valid progress template"),
    );
    let started = std::time::Instant::now();
    let done = transaction::write(&mut conn, |conn| -> Result<_> {
        let done = if args.incremental {
            case_indicators::bring_up_to_date(conn, today, &rules)?
        } else {
            case_indicators::recompute_all(conn, today, &rules, &mut |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })?
        };
        audit::record(
            conn,
            &cli_audit(
                "recompute_quality_indicators",
                format!(
                    "as of {today}{}",
                    if args.incremental {
                        ", incremental"
                    } else {
                        ""
                    }
                ),
            ),
            clock.now(),
        )?;
        Ok(done)
    })?;
    bar.finish_and_clear();
    println!(
        "Recomputed the automated indicators of {done} live cases as of {today} in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn list_frameworks(database: &Database) -> Result<()> {
    let mut conn = database.connection()?;
    let settings = frameworks::settings(&mut conn)?;
    for framework in Framework::all() {
        let configured = frameworks::configured(&mut conn, &framework.code)?.unwrap_or(framework);
        let local = settings.iter().find(|s| s.framework == configured.code);
        println!(
            "{} ({} standards): {}. {}. {}",
            configured.code,
            configured.standards.len(),
            configured.thresholds.describe(),
            configured.bands.describe(),
            local.map_or_else(
                || "Built in.".to_owned(),
                |s| format!(
                    "Set here on {} by {}: {}",
                    s.set_at.date(),
                    s.set_by,
                    s.reason
                )
            )
        );
    }
    Ok(())
}

/// A unit named as LEVEL/CODE ("pdu/MIDW").
fn unit_named(conn: &mut AnyConnection, raw: &str) -> Result<Unit> {
    let (level, code) = raw.split_once('/').ok_or_else(|| {
        anyhow!("--unit must be LEVEL/CODE, such as pdu/MIDW, team/N07T01, region/MSF or nation/all, not '{raw}'")
    })?;
    match units::find(conn, level, code) {
        Ok(unit) => Ok(unit),
        Err(StorageError::NotFound) => bail!(
            "there is no {level} with the code '{code}' (levels: team, pdu, region, nation/all)"
        ),
        Err(other) => Err(other.into()),
    }
}

/// Reads the CSV file into rows, with line numbers (the header is line 1).
fn read_rows(path: &std::path::Path) -> Result<Vec<RawRow>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let header: Vec<String> = reader
        .headers()
        .with_context(|| format!("{} has no header row", path.display()))?
        .iter()
        .map(|h| h.to_lowercase())
        .collect();
    check_header(&header)?;
    let column = |name: &str| header.iter().position(|h| h == name);
    let positions: Vec<Option<usize>> = [
        "framework",
        "crn",
        "question",
        "answer",
        "reason",
        "auditor",
        "audited_on",
        "role",
    ]
    .iter()
    .map(|name| column(name))
    .collect();
    let bar = ProgressBar::new_spinner().with_message("Reading rows");
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record
            .with_context(|| format!("line {line} of {} is not valid CSV", path.display()))?;
        let field = |i: usize| {
            positions[i]
                .and_then(|p| record.get(p))
                .unwrap_or_default()
                .to_owned()
        };
        rows.push(RawRow {
            line,
            framework: field(0),
            crn: field(1),
            question: field(2),
            answer: field(3),
            reason: field(4),
            auditor: field(5),
            audited_on: field(6),
            role: field(7),
        });
        if line % 500 == 0 {
            bar.set_message(format!("Read {line} rows"));
            bar.tick();
        }
    }
    bar.finish_and_clear();
    Ok(rows)
}

fn import_file(database: &Database, args: &ImportArgs, clock: Clock) -> Result<()> {
    let rows = read_rows(&args.file)?;
    let (plan, problems) = read(&rows);
    let mut conn = database.connection()?;
    let username = Username::parse(&args.recorded_by).map_err(|e| anyhow!("--recorded-by: {e}"))?;
    let account = staff::find_by_username(&mut conn, &username)?.ok_or_else(|| {
        anyhow!(
            "there is no account with the sign-in name '{}'",
            args.recorded_by
        )
    })?;
    let unit = unit_named(&mut conn, &args.unit)?;
    let info = units::describe(&mut conn, unit)?;
    if let Decision::Refused(refusal) =
        decide(&account.actor(), Action::ManageQuality(&info.location))
    {
        bail!(
            "{} may not run quality assurance for {}: {}",
            args.recorded_by,
            info.name,
            refusal.message()
        );
    }
    let bar = ProgressBar::new(plan.audits.len() as u64 + plan.decisions.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message("Checking and writing");
    let now = clock.now();
    let dry_run = args.dry_run;
    let outcome = transaction::write(&mut conn, |conn| -> Result<_> {
        let applied = import::apply(conn, &plan, problems, Some(unit), account.id, now)?;
        let summary = applied?;
        if dry_run {
            // Roll the checked writes back: a dry run leaves the database as it was.
            return Err(DryRun(summary).into());
        }
        audit::record(
            conn,
            &cli_audit(
                "import_quality_audits",
                format!(
                    "{}: {} audits, {} moderations, {} panel decisions for {} {} recorded by {}",
                    args.file.display(),
                    summary.audits,
                    summary.moderations,
                    summary.decisions,
                    info.unit.kind(),
                    info.code,
                    args.recorded_by
                ),
            ),
            now,
        )?;
        Ok(summary)
    });
    bar.finish_and_clear();
    let (summary, written) = match outcome {
        Ok(summary) => (summary, true),
        Err(error) => match error.downcast::<DryRun>() {
            Ok(DryRun(summary)) => (summary, false),
            Err(other) => return Err(other),
        },
    };
    println!(
        "{} {} audit{}, {} moderation{} and {} panel decision{} for {}.",
        if written {
            "Imported"
        } else {
            "Checked (dry run, nothing written):"
        },
        summary.audits,
        plural(summary.audits),
        summary.moderations,
        plural(summary.moderations),
        summary.decisions,
        plural(summary.decisions),
        info.name
    );
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Carries a dry run's summary out of the transaction it rolls back.
#[derive(Debug)]
struct DryRun(import::ImportSummary);

impl std::fmt::Display for DryRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dry run")
    }
}

impl std::error::Error for DryRun {}

/// The day a report is as of.
fn report_day(raw: Option<&str>, clock: Clock) -> Result<NaiveDate> {
    match raw {
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            anyhow!("--date must be a date written YYYY-MM-DD, such as 2026-12-07, not '{text}'")
        }),
        None => Ok(clock.today()),
    }
}

/// `keepsafe inspect`: the same report as the web's printable report page
/// (`keepsafe_web::quality::report`), as JSON, Markdown or a standalone HTML document.
pub fn inspect(database: Database, args: &InspectArgs, clock: Clock) -> Result<()> {
    if Framework::by_code(&args.framework).is_none() {
        let known: Vec<String> = Framework::all().into_iter().map(|f| f.code).collect();
        bail!(
            "there is no framework '{}': use {}",
            args.framework,
            known.join(" or ")
        );
    }
    let today = report_day(args.date.as_deref(), clock)?;
    let mut conn = database.connection()?;
    let unit = unit_named(&mut conn, &args.unit)?;
    let bar = ProgressBar::new_spinner().with_message("Rating every case");
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let report = transaction::read(&mut conn, |conn| -> Result<_> {
        let report = quality_report::build(conn, unit, &args.framework, today)
            .map_err(|e| anyhow!("could not build the report: {e}"))?;
        Ok(report)
    })?;
    bar.finish_and_clear();
    audit::record(
        &mut conn,
        &cli_audit(
            "inspect_report",
            format!(
                "{} {} against {} as of {today} ({:?})",
                unit.kind(),
                args.unit,
                args.framework,
                args.format
            ),
        ),
        clock.now(),
    )?;
    let text = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&report)?,
        ReportFormat::Markdown => quality_report::render_markdown(&report),
        ReportFormat::Html => quality_report::render_html_document(&report),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("Wrote the report on {} to {}.", args.unit, path.display());
        }
        None => println!("{text}"),
    }
    Ok(())
}
