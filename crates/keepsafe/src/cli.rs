//! Command-line interface: every option also reads an environment variable, and has a sensible
//! default so `keepsafe demo` works on a fresh machine.

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(
    name = "keepsafe",
    version,
    about = "keepsafe: probation case supervision that makes public-protection failures hard to commit and impossible to miss",
    long_about = None
)]
pub struct Cli {
    /// Where keepsafe keeps its data: sqlite://PATH (embedded, the default) or
    /// postgres://USER@HOST:PORT/DATABASE (production).
    #[arg(
        long,
        env = "KEEPSAFE_DATABASE_URL",
        default_value = "sqlite://./keepsafe.db",
        global = true
    )]
    pub database_url: String,

    /// Log filter, for example "info" or "keepsafe_web=debug".
    #[arg(long, env = "KEEPSAFE_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Run as if the clock read this when keepsafe started, then let it run on: a time such as
    /// 2026-11-18T10:00:00Z, or a date (taken as 09:00 UTC). For training, demonstrations and
    /// tests, so deadlines and ages come out the same whatever the day; never in production.
    #[arg(long, env = "KEEPSAFE_NOW", global = true, value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application.
    Serve(ServeArgs),
    /// Create the demo region if the database has none, print the demo sign-ins, then serve.
    Demo(DemoArgs),
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Manage sign-in accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Compute actuarial predictors from files or pipes. Never opens the database.
    #[command(subcommand)]
    Predict(PredictCommand),
    /// Measure practitioners' workload: caseloads, points and capacity.
    #[command(subcommand)]
    Workload(WorkloadCommand),
    /// Partner organisations (police forces, local authorities) and their API tokens.
    #[command(subcommand)]
    Partner(PartnerCommand),
    /// Quality assurance against the inspectorate's standards: import audit results.
    #[command(subcommand)]
    Quality(QualityCommand),
    /// Print a unit's inspection-style rating report (JSON, Markdown or HTML).
    Inspect(InspectArgs),
    /// Practitioners' private calendar feeds of their appointments.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Messages to people on probation: appointment reminders by email or text message.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Write the service's records to a folder of CSV files (described in docs/dataset-files.md)
    Export(DatasetExportArgs),
    /// Load a folder of CSV files written by `keepsafe export` (or in its format), checking every
    /// row first
    Import(DatasetImportArgs),
    /// Work out every person's tiers and predictors and the quality ratings again, in full.
    Recompute(RecomputeArgs),
    /// Time a script of SQL statements on several connections (for scripts/bench).
    #[command(hide = true)]
    BenchSql(BenchSqlArgs),
    /// Write a consistent copy of the whole database to a file that carries its own checks
    ///
    /// SQLite is copied with VACUUM INTO while keepsafe serve carries on; PostgreSQL with pg_dump
    /// (which must be on PATH). The file holds a manifest (backend, schema migrations, the rows of
    /// every table, the SHA-256 of the data) that keepsafe restore checks.
    Backup(BackupArgs),
    /// Replace the database with a backup, after checking the backup in full
    ///
    /// Refuses a damaged backup, one from a newer keepsafe or from the other backend, before
    /// anything is changed. SQLite: stop keepsafe serve first; the checked copy is written beside
    /// the database and renamed over it. PostgreSQL: pg_restore (on PATH) drops and recreates
    /// keepsafe's tables and loads them in one transaction, so a failure changes nothing.
    Restore(RestoreArgs),
    /// The audit log: check that no row has been altered, deleted or moved.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write.
    pub file: std::path::PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file written by keepsafe backup.
    pub file: std::path::PathBuf,
    /// Replace a database that holds data (all of it is replaced by the backup's).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain from its first row and report the first broken link
    ///
    /// Exits non-zero when a row was altered, deleted or moved since it was written.
    Verify,
}

#[derive(Debug, Args)]
pub struct DatasetExportArgs {
    /// The folder to write the files into; created if it does not exist.
    pub dir: std::path::PathBuf,
    /// Write into a folder that already holds files, replacing the dataset's files there.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DatasetImportArgs {
    /// The folder holding the dataset's files.
    pub dir: std::path::PathBuf,
    /// Write the rows without problems and skip the others (each listed with its reasons),
    /// instead of writing nothing while any row has a problem.
    #[arg(long)]
    pub partial: bool,
    /// Rows written per transaction.
    #[arg(long, default_value_t = 5000, hide = true)]
    pub batch_size: usize,
    /// Stop after writing this many batches, as if interrupted: for testing resumption.
    #[arg(long, hide = true)]
    pub stop_after_batches: Option<usize>,
}

#[derive(Debug, Args)]
pub struct RecomputeArgs {
    /// People recomputed in each transaction.
    #[arg(long, default_value_t = 2000)]
    pub batch: usize,
}

#[derive(Debug, Args)]
pub struct BenchSqlArgs {
    /// The script: one SQL statement a line, run in order; lines starting with -- are comments.
    #[arg(long)]
    pub script: std::path::PathBuf,
    /// Connections, each running the script over and over on its own thread.
    #[arg(long, default_value_t = 8)]
    pub connections: usize,
    /// Seconds to run before measuring.
    #[arg(long, default_value_t = 1.0)]
    pub warm_up: f64,
    /// Seconds to measure.
    #[arg(long, default_value_t = 8.0)]
    pub seconds: f64,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print a user's current calendar feed address, issuing one if they have none
    ///
    /// For an administrator setting up a device: subscribe Outlook or Google Calendar to the
    /// address printed. The user can renew it from their diary, which stops the old one at once.
    Url(CalendarUrlArgs),
}

#[derive(Debug, Args)]
pub struct CalendarUrlArgs {
    /// The user's sign-in name.
    #[arg(long)]
    pub username: String,
    /// The address people reach keepsafe at, such as https://keepsafe.example.org.
    #[arg(long, env = "KEEPSAFE_BASE_URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Write tomorrow's appointment reminders and send every message due, once
    ///
    /// keepsafe serve does this on an interval (--outbox-interval). Each appointment gets at
    /// most one reminder; one whose appointment has moved or been cancelled is cancelled; a
    /// failed message is tried again after 1, 5, 30 and 120 minutes, then marked failed. With no
    /// email server or text message provider configured, messages are kept unsent and the case
    /// says why.
    Send(OutboxSendArgs),
}

#[derive(Debug, Args)]
pub struct OutboxSendArgs {
    #[command(flatten)]
    pub delivery: DeliveryArgs,
}

/// Where reminders to people on probation are sent from.
#[derive(Debug, Clone, Args)]
pub struct DeliveryArgs {
    /// The email server: smtp://HOST:PORT (plain), smtp://HOST:PORT?tls=required (STARTTLS) or
    /// smtps://HOST:PORT, with USER:PASSWORD@ before the host if it asks for them.
    #[arg(long, env = "KEEPSAFE_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of reminder emails, such as "Probation service <reminders@example.org>".
    #[arg(long, env = "KEEPSAFE_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// A GOV.UK Notify API key, for text messages.
    #[arg(long, env = "KEEPSAFE_NOTIFY_API_KEY", hide_env_values = true)]
    pub notify_api_key: Option<String>,
    /// The Notify text message template to send through: its body should be ((message)).
    #[arg(long, env = "KEEPSAFE_NOTIFY_SMS_TEMPLATE_ID")]
    pub notify_sms_template_id: Option<String>,
    /// Notify's API address, if not the usual one.
    #[arg(long, env = "KEEPSAFE_NOTIFY_BASE_URL", hide = true)]
    pub notify_base_url: Option<String>,
}

impl DeliveryArgs {
    pub fn config(&self) -> keepsafe_web::supervision::delivery::DeliveryConfig {
        keepsafe_web::supervision::delivery::DeliveryConfig {
            smtp_url: self.smtp_url.clone(),
            mail_from: self.mail_from.clone(),
            notify_api_key: self.notify_api_key.clone(),
            notify_sms_template_id: self.notify_sms_template_id.clone(),
            notify_base_url: self.notify_base_url.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum QualityCommand {
    /// Import case audit results and panel judgements from a CSV file
    ///
    /// One row per case and key question; rows without a CRN are the ratings panel's judgements
    /// of domain-one standards (or departures from a case standard's rating) for --unit. The
    /// format is described in the README under "Importing audit results". The whole file is
    /// checked first: any problem is reported with its line and nothing is written.
    Import(ImportArgs),
    /// Set this deployment's rating thresholds or overall bands for a framework, or go back to
    /// the built-in ones
    ///
    /// The 7-standard framework's overall bands are not published by the inspectorate; keepsafe
    /// uses proportional cut-points (0-3, 4-10, 11-17, 18-21) until you set your own. Every
    /// rating from then on uses them and shows them in its working. Audit-logged.
    Framework(FrameworkArgs),
    /// List the frameworks with the thresholds and bands each rates with here
    Frameworks,
    /// Record this week's automated rating of every unit (keepsafe serve does this every hour)
    ///
    /// The automated trend on the quality pages is made of these weekly records: the record as it
    /// stood each week. Recording again in the same week replaces that week's.
    Snapshot(SnapshotArgs),
    /// Recompute every live case's stored automated indicators from the record
    ///
    /// The quality pages read stored results that keepsafe serve keeps current as cases change
    /// and once a day; this rebuilds them all from scratch (after restoring a backup, say), or with
    /// --incremental only those changed or computed on another day.
    Recompute(QualityRecomputeArgs),
}

#[derive(Debug, Args)]
pub struct QualityRecomputeArgs {
    /// The day to measure the indicators' windows from (YYYY-MM-DD); today by default.
    #[arg(long)]
    pub date: Option<String>,
    /// Recompute only the cases changed since, or computed on another day.
    #[arg(long)]
    pub incremental: bool,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The day to measure on (YYYY-MM-DD); today by default.
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct FrameworkArgs {
    /// The framework: hmip-pdu-2023 or hmip-2018.
    #[arg(long)]
    pub framework: String,
    /// Overall bands as four point ranges, worst first, e.g. 0-4,5-10,11-17,18-21.
    #[arg(long)]
    pub bands: Option<String>,
    /// Key-question thresholds as three whole percentages: Outstanding, Good, Requires
    /// improvement, e.g. 80,65,50.
    #[arg(long)]
    pub thresholds: Option<String>,
    /// Why (recorded and shown with the setting).
    #[arg(long, required_unless_present = "standard")]
    pub reason: Option<String>,
    /// Go back to the built-in thresholds and bands.
    #[arg(long, conflicts_with_all = ["bands", "thresholds", "reason"])]
    pub standard: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file to import.
    pub file: std::path::PathBuf,
    /// The sign-in name of the member of staff responsible for the import (head of PDU or
    /// quality staff), who must be allowed to run quality assurance for --unit.
    #[arg(long, env = "KEEPSAFE_IMPORTED_BY")]
    pub recorded_by: String,
    /// The unit the file is for, as LEVEL/CODE: team/N07T01, pdu/MIDW, region/MSF. Every case must
    /// be in it; panel judgements are recorded for it.
    #[arg(long)]
    pub unit: String,
    /// Check the file and say what would be imported, without writing anything.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum PartnerCommand {
    /// Add a partner organisation to a region
    Add(AddPartnerArgs),
    /// List the partner organisations of every region
    List,
    /// Issue or revoke API tokens for a partner's own system
    #[command(subcommand)]
    Token(TokenCommand),
    /// Record the reminders and escalations due today for requests sent to partners
    ///
    /// Reminders go to the partner (shown in their queue and API) before the deadline and on the
    /// day; once overdue, an escalation becomes a task for the case's senior probation officer.
    /// Each is recorded once, so running this again (keepsafe serve also runs it every hour) is
    /// harmless.
    Reminders(RemindersArgs),
    /// Set or clear a partner's own deadline for one request type
    ///
    /// Some partners agree a longer (or shorter) timescale than the standard 10 working days, for
    /// example a council whose safeguarding searches take three weeks. The override applies to
    /// requests sent from now on; each deadline shows whether it is the standard or the
    /// partner's own. Audit-logged.
    Deadline(DeadlineArgs),
}

#[derive(Debug, Args)]
pub struct DeadlineArgs {
    /// The partner organisation's code.
    #[arg(long)]
    pub partner: String,
    /// police_domestic_abuse, childrens_services or occupier.
    #[arg(long = "type")]
    pub request_type: String,
    /// Working days the partner has to answer (England and Wales bank holidays excluded).
    #[arg(
        long,
        required_unless_present = "standard",
        conflicts_with = "standard"
    )]
    pub working_days: Option<u32>,
    /// Why this partner has its own timescale, such as "agreed at the 2026 information-sharing
    /// review".
    #[arg(long, required_unless_present = "standard")]
    pub reason: Option<String>,
    /// Go back to the standard timescale for this partner and request type.
    #[arg(long)]
    pub standard: bool,
}

#[derive(Debug, Args)]
pub struct RemindersArgs {
    /// The day to run for (YYYY-MM-DD); by default, today.
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddPartnerArgs {
    /// Short code: capital letters, digits and '-', such as MIDPOL.
    #[arg(long)]
    pub code: String,
    #[arg(long)]
    pub name: String,
    /// police_force, childrens_services or adult_social_care.
    #[arg(long)]
    pub kind: String,
    /// The region's code.
    #[arg(long)]
    pub region: String,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue a token; it is printed once and only its SHA-256 is kept
    Create(CreateTokenArgs),
    /// Revoke a token at once
    Revoke(RevokeTokenArgs),
}

#[derive(Debug, Args)]
pub struct CreateTokenArgs {
    /// The partner organisation's code.
    #[arg(long)]
    pub partner: String,
    /// What the token is for, such as "Force records system".
    #[arg(long)]
    pub name: String,
    /// Days until it expires; by default it does not expire.
    #[arg(long)]
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Args)]
pub struct RevokeTokenArgs {
    /// The token's id, as printed when it was issued.
    #[arg(long)]
    pub id: String,
}

#[derive(Debug, Subcommand)]
pub enum WorkloadCommand {
    /// Print each practitioner's workload in a PDU today
    ///
    /// One line per practitioner: grade, team, cases (and how many are community, licence,
    /// custody and pre-sentence), workload points, available points, capacity % and whether the
    /// workload is excessive (over 110% for 4 consecutive weekly snapshots), then the average
    /// cases per probation officer and per probation services officer and the versions of the
    /// weights and rules used. --format csv gives one row per practitioner; --format json adds
    /// each practitioner's working, line by line.
    Report(WorkloadReportArgs),
    /// Record this week's capacity snapshot for every practitioner
    ///
    /// The excessive-workload rule reads one snapshot a week (weeks start on Monday). Recording a
    /// week again replaces its snapshots, so running this twice is harmless. Run it weekly, for
    /// example from cron. --week YYYY-MM-DD records the week containing that day instead (to fill
    /// a missed week), measured with the cases each practitioner held on that week's Monday.
    Snapshot(WorkloadSnapshotArgs),
}

#[derive(Debug, Args)]
pub struct WorkloadReportArgs {
    /// The PDU's code.
    #[arg(long)]
    pub pdu: String,
    /// table (the default), csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

#[derive(Debug, Args)]
pub struct WorkloadSnapshotArgs {
    /// A day in the week to record (YYYY-MM-DD); by default, today.
    #[arg(long)]
    pub week: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PredictCommand {
    /// Score OGRS3 for each JSON line on standard input
    ///
    /// OGRS3 is the Offender Group Reconviction Scale version 3 (2009), computed as OASys does.
    ///
    /// Reads JSON Lines on standard input, one person per line:
    ///
    ///   {"sex": "male", "date_of_birth": "1965-12-07", "conviction_date": "2025-05-13",
    ///    "followup_start_date": "2026-12-12", "total_sanctions": 2,
    ///    "age_at_first_sanction": 47, "offence_category": "soliciting"}
    ///
    /// sex is male or female; dates are YYYY-MM-DD; followup_start_date is the sentence date for
    /// a community sentence or the release date from custody; total_sanctions counts convictions,
    /// cautions, reprimands and warnings including the current conviction; offence_category is one
    /// of violence, robbery, public_order, sexual_not_children, sexual_children, soliciting,
    /// burglary_domestic, burglary_other, theft_non_motor, handling, fraud_forgery,
    /// absconding_bail, vehicle_theft, theft_from_vehicle, other_motoring, drink_driving,
    /// criminal_damage, drug_import_export_production, drug_possession_supply, other. Other fields
    /// are ignored.
    ///
    /// Writes one JSON line per non-blank input line, in order:
    ///
    ///   {"one_year":8,"two_year":16,"band":"low","rule_version":"OGRS3 (2009), ..."}
    ///
    /// or, for a line that cannot be scored, the reason, the field at fault (null when the line
    /// as a whole is unreadable) and the line number, then carries on with the next line:
    ///
    ///   {"error":"total_sanctions is missing","field":"total_sanctions","line":3}
    ///
    /// Blank lines are skipped; lines over 64 KiB are refused. Exits 1 if any line was refused.
    #[command(verbatim_doc_comment)]
    Ogrs3,
    /// Work out the legacy and single tiers for each JSON line on standard input
    ///
    /// The tiering rules of reference §10, as the service's public tiering service codes them.
    ///
    /// Reads JSON Lines on standard input, one case per line. Every field must be written, null
    /// where the input is absent (a null yes/no field counts as no):
    ///
    ///   {"sex": "female", "rosh": "medium", "rsr_percent": 3.2, "mappa_level": null,
    ///    "mappa_category": null, "registrations": ["vulnerability"],
    ///    "ogrs3_two_year_percent": 59, "needs": {"accommodation": 1,
    ///    "education_training_employability": 0, "relationships": 2, "lifestyle": 1,
    ///    "drug_misuse": 0, "alcohol_misuse": 0, "thinking_and_behaviour": 2, "attitudes": 1},
    ///    "iom_nominal": false, "has_custodial_sentence": false,
    ///    "non_restrictive_requirements": true, "breach_or_recall": true, "arp_percent": 40.5,
    ///    "csrp_percent": 1.2, "arp_type": "dynamic", "csrp_type": "dynamic", "osp_band": null,
    ///    "dcsrp_score": null, "life_or_ipp_released_on": null, "sexual_offence_ever": false,
    ///    "has_active_event": true, "unsupervised": false, "as_of": "2026-12-06"}
    ///
    /// sex is male or female (never null); rosh is low, medium, high or very_high; rsr_percent,
    /// arp_percent and csrp_percent are percentages 0-100; mappa_level is 1-3 (legacy tier) and
    /// mappa_category 1-4 (single tier); registrations lists any of domestic_abuse_perpetrator,
    /// domestic_abuse_history, stalking, child_protection, child_concerns, risk_to_children,
    /// mental_health_issues, attempted_suicide_or_self_harm, vulnerability, public_interest,
    /// adult_at_risk, street_gangs, terrorism_act_offender, parenting_responsibilities,
    /// impulsivity_temper (the last two count only with a needs assessment);
    /// ogrs3_two_year_percent is a whole percentage; needs is null without a needs assessment,
    /// otherwise each of its eight sections is 0, 1 or 2 (finance and emotional_wellbeing may be
    /// added and weigh nothing); non_restrictive_requirements means a current event has a
    /// requirement that is neither restrictive nor unpaid work; arp_type and csrp_type are
    /// static or dynamic; osp_band is the direct-contact sexual predictor's band (low, medium,
    /// high, very_high or not_applicable) and dcsrp_score its score; life_or_ipp_released_on is
    /// a date (YYYY-MM-DD), and as_of the day to tier on, needed with it; has_active_event is
    /// true or false (never null); unsupervised is the "two-thirds" registration. Scores are
    /// compared with the thresholds as the decimals written (6.8999999 is below 6.9). Other
    /// fields are ignored.
    ///
    /// Writes one JSON line per non-blank input line, in order:
    ///
    ///   {"legacy":"C2","single":"E","provisional":false,"rule_version":"legacy-two-axis/2; ..."}
    ///
    /// legacy is the two-axis tier, with S after it for an unsupervised case; single is a letter
    /// A-G, "missing" (no ARP or CSRP) or "not_supervised" (no active event). For a line that
    /// cannot be read, the reason, the field at fault (null when the line as a whole is
    /// unreadable) and the line number, then carries on with the next line:
    ///
    ///   {"error":"registrations: 'mappa' is not a known registration; ...","field":"registrations","line":3}
    ///
    /// Blank lines are skipped; lines over 64 KiB are refused. Exits 1 if any line was refused.
    #[command(verbatim_doc_comment)]
    Tier,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "KEEPSAFE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Send cookies without the Secure attribute. Only for development set-ups where the browser
    /// reaches keepsafe over plain HTTP on an address other than localhost.
    #[arg(long, env = "KEEPSAFE_INSECURE_COOKIES")]
    pub insecure_cookies: bool,

    /// The address people reach keepsafe at, such as https://keepsafe.example.org: used in
    /// calendar feed addresses. Without it, pages use the address their request came to.
    #[arg(long, env = "KEEPSAFE_BASE_URL")]
    pub base_url: Option<String>,

    /// Seconds between passes of the outbox (writing tomorrow's reminders, sending what is due).
    #[arg(long, env = "KEEPSAFE_OUTBOX_INTERVAL", default_value_t = 60)]
    pub outbox_interval: u64,

    #[command(flatten)]
    pub delivery: DeliveryArgs,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Seed for the generated region: the same seed gives the same people.
    #[arg(long, env = "KEEPSAFE_DEMO_SEED", default_value_t = 2026)]
    pub seed: u64,

    /// How much to generate: "region" (three PDUs, about 4,000 people), "national" (12
    /// regions, 110 PDUs, about 250,000 people, for benchmarks and imports) or "small" (one PDU,
    /// about 60 people, for tests).
    #[arg(long, env = "KEEPSAFE_DEMO_SCALE", default_value = "region")]
    pub scale: String,

    /// Load the demo data and exit without serving.
    #[arg(long)]
    pub no_serve: bool,

    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a member of staff with a sign-in account. Prints a generated password unless
    /// --password-stdin is given.
    Add(AddUserArgs),
    /// Set a new password (generated unless --password-stdin), lift any lockout and end the
    /// user's sessions.
    ResetPassword(ResetPasswordArgs),
    /// List the accounts that can sign in.
    List,
}

#[derive(Debug, Args)]
pub struct AddUserArgs {
    /// Sign-in name: lower-case letters, digits, '.', '-' or '_'.
    #[arg(long)]
    pub username: String,
    #[arg(long)]
    pub first_name: String,
    #[arg(long)]
    pub last_name: String,
    /// One of: po, pso, trainee, spo, head_of_pdu, vlo, quality, admin, partner.
    #[arg(long)]
    pub grade: String,
    /// Team code, for practitioners and senior probation officers.
    #[arg(long, conflicts_with_all = ["pdu", "region"])]
    pub team: Option<String>,
    /// PDU code, for heads of PDU.
    #[arg(long, conflicts_with = "region")]
    pub pdu: Option<String>,
    /// Region code, for victim liaison, quality and administrators.
    #[arg(long)]
    pub region: Option<String>,
    /// Partner organisation code, for partner users (grade partner).
    #[arg(long, conflicts_with_all = ["team", "pdu", "region"])]
    pub partner: Option<String>,
    /// For partner users: responder (answers requests) or manager (also sees statistics).
    #[arg(long, default_value = "responder")]
    pub partner_role: String,
    /// Contracted hours a week.
    #[arg(long, default_value_t = 37.0)]
    pub contracted_hours: f64,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct ResetPasswordArgs {
    #[arg(long)]
    pub username: String,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The unit to report on, as LEVEL/CODE: team/N07T01, pdu/MIDW, region/MSF or nation/all.
    #[arg(long, default_value = "nation/all")]
    pub unit: String,
    /// The inspection framework: hmip-pdu-2023 (7 standards) or hmip-2018 (10 standards).
    #[arg(long, default_value = "hmip-pdu-2023")]
    pub framework: String,
    /// json, markdown or html.
    #[arg(long, default_value = "markdown")]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long)]
    pub output: Option<std::path::PathBuf>,
    /// The day to report as of (YYYY-MM-DD); today by default.
    #[arg(long)]
    pub date: Option<String>,
}

/// How `keepsafe inspect` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Json,
    Markdown,
    Html,
}

/// Reads `--now`: an RFC 3339 time, or a date meaning 09:00 UTC that day.
fn parse_now(raw: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(time) = DateTime::parse_from_rfc3339(raw) {
        return Ok(time.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(9, 0, 0))
        .map(|time| time.and_utc())
        .ok_or_else(|| {
            format!(
                "'{raw}' is not a time; write 2026-11-18T10:00:00Z or a date such as 2026-11-18"
            )
        })
}
