//! `keepsafe workload report | snapshot`: each practitioner's workload in a PDU, and the weekly
//! capacity snapshots the excessive-workload rule reads.
//!
//! The numbers come from `keepsafe_storage::workload`, which applies the domain's rules; this
//! module only chooses the people, formats the answer and writes the snapshots.

use crate::cli::{WorkloadCommand, WorkloadReportArgs, WorkloadSnapshotArgs};
use anyhow::{anyhow, bail, Result};
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::workload::{ExcessiveWorkload, ExcessiveWorkloadRule, CAPACITY_RULE_VERSION};
use keepsafe_domain::CodedValue;
use keepsafe_storage::organisation::{self, PduRef};
use keepsafe_storage::workload::{self, PractitionerWorkload};
use keepsafe_storage::Clock;
use keepsafe_storage::{transaction, AnyConnection, Database, StorageError};
use serde::Serialize;
use std::io::{self, BufWriter, Write};

/// Snapshots written between progress-bar updates.
const SNAPSHOTS_PER_STEP: usize = 50;

pub fn run(database: Database, command: &WorkloadCommand, clock: Clock) -> Result<()> {
    match command {
        WorkloadCommand::Report(args) => report(&database, args, clock),
        WorkloadCommand::Snapshot(args) => snapshot(&database, args, clock),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Table,
    Csv,
    Json,
}

impl Format {
    fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "table" => Ok(Format::Table),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            _ => bail!("unknown --format '{text}'; use table, csv or json"),
        }
    }
}

/// Everything a report shows, read in one transaction.
struct Report {
    pdu: PduRef,
    as_at: NaiveDate,
    practitioners: Vec<PractitionerWorkload>,
    /// The excessive-workload assessment of each practitioner, in the same order.
    excessive: Vec<Option<ExcessiveWorkload>>,
    weights_version: String,
    weights_from: NaiveDate,
}

fn report(database: &Database, args: &WorkloadReportArgs, clock: Clock) -> Result<()> {
    let format = Format::parse(&args.format)?;
    let as_at = clock.today();
    let weights = workload::weights_on(as_at)?;
    let mut conn = database.connection()?;
    let pdu = find_pdu(&mut conn, &args.pdu)?;
    let (practitioners, excessive) =
        transaction::read(&mut conn, |conn| -> Result<_, StorageError> {
            let practitioners = workload::for_pdu(conn, pdu.id, as_at)?;
            let ids: Vec<_> = practitioners.iter().map(|p| p.staff_id).collect();
            let mut assessed = workload::excessive(conn, &ids, as_at)?;
            let excessive = ids.iter().map(|id| assessed.remove(id)).collect();
            Ok((practitioners, excessive))
        })?;
    drop(conn);
    let report = Report {
        pdu,
        as_at,
        practitioners,
        excessive,
        weights_version: weights.version,
        weights_from: weights.effective_from,
    };

    let mut out = BufWriter::new(io::stdout().lock());
    match format {
        Format::Table => write_table(&mut out, &report)?,
        Format::Csv => write_csv(&mut out, &report)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &JsonReport::from(&report))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The PDU with this code, or a one-line error listing the codes there are.
fn find_pdu(conn: &mut AnyConnection, code: &str) -> Result<PduRef> {
    match organisation::pdu_by_code(conn, code.trim()) {
        Ok(pdu) => Ok(pdu),
        Err(StorageError::NotFound) => {
            let codes: Vec<String> = workload::pdus(conn)?
                .into_iter()
                .map(|(_, code, _)| code)
                .collect();
            if codes.is_empty() {
                Err(anyhow!(
                    "no PDU has the code '{code}': this database has no PDUs yet (load the demo \
                     region with `keepsafe demo`)"
                ))
            } else {
                Err(anyhow!(
                    "no PDU has the code '{code}'; use one of: {}",
                    codes.join(", ")
                ))
            }
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Averages.

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
struct Averages {
    /// Mean current cases per probation officer; `None` with no probation officers.
    cases_per_po: Option<f64>,
    probation_officers: usize,
    /// Mean current cases per probation services officer.
    cases_per_pso: Option<f64>,
    probation_services_officers: usize,
    /// Mean capacity % of the practitioners who have one.
    capacity_percent: Option<f64>,
}

fn mean(values: impl Iterator<Item = f64>) -> (Option<f64>, usize) {
    let (sum, count) = values.fold((0.0, 0), |(sum, count), value| (sum + value, count + 1));
    ((count > 0).then(|| sum / count as f64), count)
}

fn averages(practitioners: &[PractitionerWorkload]) -> Averages {
    let cases_of = |grade: Grade| {
        mean(
            practitioners
                .iter()
                .filter(move |p| p.grade == grade)
                .map(|p| f64::from(p.cases)),
        )
    };
    let (cases_per_po, probation_officers) = cases_of(Grade::ProbationOfficer);
    let (cases_per_pso, probation_services_officers) = cases_of(Grade::ProbationServiceOfficer);
    let (capacity_percent, _) = mean(practitioners.iter().filter_map(|p| p.percent));
    Averages {
        cases_per_po,
        probation_officers,
        cases_per_pso,
        probation_services_officers,
        capacity_percent,
    }
}

// ---------------------------------------------------------------------------------------------
// Table.

/// The grade as the table shows it.
fn short_grade(grade: Grade) -> String {
    match grade {
        Grade::ProbationOfficer => "PO".to_owned(),
        Grade::ProbationServiceOfficer => "PSO".to_owned(),
        Grade::TraineeOfficer => "Trainee".to_owned(),
        other => other.label().to_owned(),
    }
}

/// Points with thousands separators: 2,070.
fn points(value: u32) -> String {
    let digits: Vec<char> = value.to_string().chars().rev().collect();
    let groups: Vec<String> = digits
        .chunks(3)
        .map(|group| group.iter().rev().collect())
        .rev()
        .collect();
    groups.join(",")
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |p| format!("{p:.1}%"))
}

fn excessive_cell(assessed: Option<&ExcessiveWorkload>) -> String {
    match assessed {
        Some(a) if a.excessive => match a.excessive_since {
            Some(since) => format!("YES since {since}"),
            None => "YES".to_owned(),
        },
        _ => "no".to_owned(),
    }
}

fn write_table(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let practitioners = &report.practitioners;
    writeln!(
        out,
        "Workload in {} ({}) on {}: {} practitioner{}",
        report.pdu.name,
        report.pdu.code,
        report.as_at,
        practitioners.len(),
        if practitioners.len() == 1 { "" } else { "s" }
    )?;
    writeln!(out)?;

    const HEADERS: [&str; 12] = [
        "Practitioner",
        "Grade",
        "Team",
        "Cases",
        "Community",
        "Licence",
        "Custody",
        "Pre-sentence",
        "Points",
        "Available",
        "Capacity",
        "Excessive",
    ];
    // Text columns are left-aligned, numbers right-aligned.
    const LEFT: [bool; 12] = [
        true, true, true, false, false, false, false, false, false, false, false, true,
    ];
    let rows: Vec<[String; 12]> = practitioners
        .iter()
        .zip(&report.excessive)
        .map(|(p, assessed)| {
            let by_type = p.cases_by_type;
            [
                if p.active {
                    p.name.clone()
                } else {
                    format!("{} (left)", p.name)
                },
                short_grade(p.grade),
                p.team.clone(),
                p.cases.to_string(),
                by_type.community.to_string(),
                by_type.licence.to_string(),
                by_type.custody.to_string(),
                by_type.pre_sentence.to_string(),
                points(p.total_points),
                points(p.available_points),
                percent(p.percent),
                excessive_cell(assessed.as_ref()),
            ]
        })
        .collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[&str]| -> io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            let pad = widths[i].saturating_sub(cell.chars().count());
            if LEFT[i] {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad));
            } else {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, &HEADERS)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(out, &rule.iter().map(String::as_str).collect::<Vec<_>>())?;
    for row in &rows {
        line(out, &row.iter().map(String::as_str).collect::<Vec<_>>())?;
    }
    writeln!(out)?;

    let averages = averages(practitioners);
    let per = |value: Option<f64>, count: usize, who: &str| match value {
        Some(value) => format!("{value:.1} per {who} ({count})"),
        None => format!("no {who}s"),
    };
    writeln!(
        out,
        "Average cases: {}; {}. Average capacity: {}.",
        per(
            averages.cases_per_po,
            averages.probation_officers,
            "probation officer"
        ),
        per(
            averages.cases_per_pso,
            averages.probation_services_officers,
            "probation services officer"
        ),
        percent(averages.capacity_percent),
    )?;

    let untiered: usize = practitioners
        .iter()
        .flat_map(|p| &p.case_list)
        .filter(|c| c.case_type.is_some() && c.tier.is_none())
        .count();
    if untiered > 0 {
        writeln!(
            out,
            "Cases with no computed tier, which score 0 points until it is computed: {untiered}."
        )?;
    }
    let snapshots_missing = report
        .excessive
        .iter()
        .filter(|assessed| assessed.as_ref().is_none_or(|a| a.as_at.is_none()))
        .count();
    let rule = ExcessiveWorkloadRule::reference();
    writeln!(
        out,
        "Points: weights {} (in force from {}); pre-sentence cases score their court reports, not \
         case points. Capacity: rule {}. Excessive: rule {}, from the weekly snapshots{}.",
        report.weights_version,
        report.weights_from,
        CAPACITY_RULE_VERSION,
        rule.version,
        if snapshots_missing == 0 {
            String::new()
        } else {
            format!(
                " ({snapshots_missing} practitioner{} none recorded: run `keepsafe workload \
                 snapshot` weekly)",
                if snapshots_missing == 1 {
                    " has"
                } else {
                    "s have"
                }
            )
        }
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// CSV.

/// One CSV field. A text a spreadsheet would run as a formula (starting `=`, `+`, `-` or `@`, or
/// a tab or carriage return that some read past) gets a leading `'`, so it is shown as text;
/// a number, negative or not, is left as it is. Then it is quoted when it holds a comma, a
/// quote, a line break or surrounding spaces (RFC 4180), with quotes doubled.
fn csv_field(text: &str) -> String {
    let formula =
        text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.trim().parse::<f64>().is_err();
    let text = if formula {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    let needs_quotes =
        text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ');
    if needs_quotes {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn write_csv(out: &mut impl Write, report: &Report) -> io::Result<()> {
    const HEADER: [&str; 22] = [
        "staff_id",
        "practitioner",
        "grade",
        "team_code",
        "team",
        "cases",
        "community",
        "licence",
        "custody",
        "pre_sentence",
        "no_active_event",
        "case_points",
        "report_points",
        "total_points",
        "contracted_hours",
        "available_hours",
        "available_points",
        "capacity_percent",
        "excessive",
        "excessive_since",
        "weights_version",
        "as_at",
    ];
    write!(out, "{}\r\n", HEADER.join(","))?;
    for (p, assessed) in report.practitioners.iter().zip(&report.excessive) {
        let assessed = assessed.as_ref();
        let by_type = p.cases_by_type;
        let fields = [
            p.staff_id.to_string(),
            p.name.clone(),
            p.grade.code().to_owned(),
            p.team_code.clone(),
            p.team.clone(),
            p.cases.to_string(),
            by_type.community.to_string(),
            by_type.licence.to_string(),
            by_type.custody.to_string(),
            by_type.pre_sentence.to_string(),
            by_type.no_active_event.to_string(),
            p.case_points.to_string(),
            p.report_points.to_string(),
            p.total_points.to_string(),
            p.contracted_hours.to_string(),
            format!("{:.2}", p.available_hours),
            p.available_points.to_string(),
            p.percent.map_or_else(String::new, |v| format!("{v:.1}")),
            assessed.is_some_and(|a| a.excessive).to_string(),
            assessed
                .and_then(|a| a.excessive_since)
                .map_or_else(String::new, |d| d.to_string()),
            p.weights_version.clone(),
            report.as_at.to_string(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        write!(out, "{}\r\n", line.join(","))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// JSON.

#[derive(Serialize)]
struct JsonReport<'a> {
    /// The PDU's code.
    pdu: &'a str,
    pdu_name: &'a str,
    as_at: NaiveDate,
    weights_version: &'a str,
    weights_in_force_from: NaiveDate,
    capacity_rule_version: &'static str,
    excessive_rule_version: String,
    practitioners: Vec<JsonPractitioner<'a>>,
    averages: Averages,
}

#[derive(Serialize)]
struct JsonPractitioner<'a> {
    staff_id: String,
    name: &'a str,
    grade: &'static str,
    grade_label: &'static str,
    team_code: &'a str,
    team: &'a str,
    active: bool,
    cases: u32,
    cases_by_type: JsonCasesByType,
    case_points: u32,
    report_points: u32,
    open_reports: usize,
    total_points: u32,
    contracted_hours: f64,
    available_hours: f64,
    available_points: u32,
    /// Unrounded; null with no available points.
    capacity_percent: Option<f64>,
    excessive: bool,
    /// Consecutive weekly snapshots over the threshold, ending with the latest.
    weeks_over: u32,
    excessive_since: Option<NaiveDate>,
    /// The latest snapshot week the excessive assessment read; null with none.
    excessive_as_at: Option<NaiveDate>,
    explanation: &'a [String],
}

#[derive(Serialize)]
struct JsonCasesByType {
    community: u32,
    licence: u32,
    custody: u32,
    pre_sentence: u32,
    no_active_event: u32,
}

impl<'a> From<&'a Report> for JsonReport<'a> {
    fn from(report: &'a Report) -> Self {
        JsonReport {
            pdu: &report.pdu.code,
            pdu_name: &report.pdu.name,
            as_at: report.as_at,
            weights_version: &report.weights_version,
            weights_in_force_from: report.weights_from,
            capacity_rule_version: CAPACITY_RULE_VERSION,
            excessive_rule_version: ExcessiveWorkloadRule::reference().version,
            practitioners: report
                .practitioners
                .iter()
                .zip(&report.excessive)
                .map(|(p, assessed)| {
                    let assessed = assessed.as_ref();
                    let by_type = p.cases_by_type;
                    JsonPractitioner {
                        staff_id: p.staff_id.to_string(),
                        name: &p.name,
                        grade: p.grade.code(),
                        grade_label: p.grade.label(),
                        team_code: &p.team_code,
                        team: &p.team,
                        active: p.active,
                        cases: p.cases,
                        cases_by_type: JsonCasesByType {
                            community: by_type.community,
                            licence: by_type.licence,
                            custody: by_type.custody,
                            pre_sentence: by_type.pre_sentence,
                            no_active_event: by_type.no_active_event,
                        },
                        case_points: p.case_points,
                        report_points: p.report_points,
                        open_reports: p.reports.len(),
                        total_points: p.total_points,
                        contracted_hours: p.contracted_hours,
                        available_hours: p.available_hours,
                        available_points: p.available_points,
                        capacity_percent: p.percent,
                        excessive: assessed.is_some_and(|a| a.excessive),
                        weeks_over: assessed.map_or(0, |a| a.weeks_over),
                        excessive_since: assessed.and_then(|a| a.excessive_since),
                        excessive_as_at: assessed.and_then(|a| a.as_at),
                        explanation: &p.explanation,
                    }
                })
                .collect(),
            averages: averages(&report.practitioners),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots.

fn snapshot(database: &Database, args: &WorkloadSnapshotArgs, clock: Clock) -> Result<()> {
    let now = clock.now();
    let today = now.date_naive();
    let day = match args.week.as_deref() {
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            anyhow!("--week must be a date written YYYY-MM-DD, such as 2026-11-16, not '{text}'")
        })?,
        None => today,
    };
    let week = workload::week_start(day);
    if week > today {
        bail!(
            "the week of {week} has not started yet; record this week (the default) or an \
             earlier one"
        );
    }
    let measured_on = workload::measurement_day(week, today);
    let weights = workload::weights_on(measured_on)?;

    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("Recording workload snapshots {bar:40} {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut conn = database.connection()?;
    let (recorded, over, excessive) =
        transaction::write(&mut conn, |conn| -> Result<_, StorageError> {
            let practitioners = workload::for_all(conn, measured_on)?;
            bar.set_length(practitioners.len() as u64);
            let mut recorded = 0;
            for chunk in practitioners.chunks(SNAPSHOTS_PER_STEP) {
                recorded += workload::record_snapshots(conn, chunk, week, now)?;
                bar.inc(chunk.len() as u64);
            }
            let threshold = ExcessiveWorkloadRule::reference().threshold_percent;
            let over = practitioners
                .iter()
                .filter(|p| p.percent.is_some_and(|percent| percent > threshold))
                .count();
            let ids: Vec<_> = practitioners.iter().map(|p| p.staff_id).collect();
            let excessive = workload::excessive(conn, &ids, today)?
                .values()
                .filter(|assessed| assessed.excessive)
                .count();
            Ok((recorded, over, excessive))
        })?;
    bar.finish_and_clear();

    if recorded == 0 {
        println!(
            "{} has no practitioners in a team; no workload snapshots were recorded.",
            database.url().describe()
        );
        return Ok(());
    }
    println!(
        "Recorded the workload snapshots for the week of Monday {week} for {recorded} \
         practitioner{} in {} (weights {}): {over} over 110% capacity, {excessive} with an \
         excessive workload (over 110% for 4 consecutive weeks).",
        if recorded == 1 { "" } else { "s" },
        database.url().describe(),
        weights.version,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_they_need_it() {
        assert_eq!(csv_field("Jo Bloggs"), "Jo Bloggs");
        assert_eq!(csv_field("Bloggs, Jo"), "\"Bloggs, Jo\"");
        assert_eq!(csv_field("Jo \"JB\" Bloggs"), "\"Jo \"\"JB\"\" Bloggs\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field(" padded"), "\" padded\"");
        assert_eq!(csv_field(""), "");
    }

    #[test]
    fn a_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_field("+44 7700"), "'+44 7700");
        assert_eq!(csv_field("-cmd|' /C calc'!A0"), "'-cmd|' /C calc'!A0");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tTab"), "'\tTab");
        assert_eq!(csv_field("-12.5"), "-12.5");
        assert_eq!(csv_field("104%"), "104%");
    }

    #[test]
    fn points_have_thousands_separators() {
        assert_eq!(points(0), "0");
        assert_eq!(points(999), "999");
        assert_eq!(points(2070), "2,070");
        assert_eq!(points(1_234_567), "1,234,567");
    }

    #[test]
    fn formats_are_named_in_any_case() {
        assert_eq!(Format::parse("CSV").unwrap(), Format::Csv);
        assert_eq!(
            Format::parse("xml").unwrap_err().to_string(),
            "unknown --format 'xml'; use table, csv or json"
        );
    }
}
