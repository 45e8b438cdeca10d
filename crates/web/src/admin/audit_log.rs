//! The audit log, for administrators and quality staff:
//!
//! - `GET /audit`: newest first, a page at a time, filtered by dates, the member of staff who
//!   acted, the case and the action, with the filter said in words ("Showing refusals by Pat
//!   Smith on case X123456 between 1 and 3 December 2026");
//! - `GET /audit.csv`: the same filter as a CSV file, read and sent in batches so a long log is
//!   never held in memory whole. Spreadsheet formulas in cells are neutralised.
//!
//! Reading the log and exporting it are both recorded in it.

use super::actions;
use crate::error::AppError;
use crate::format;
use crate::forms::{FieldError, FormFields, Validation};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use keepsafe_domain::staff::Username;
use keepsafe_storage::audit::{self, AuditEntry, AuditRecord, LogFilter, Outcome};
use keepsafe_storage::staff;
use keepsafe_storage::AnyConnection;

/// Entries on one page.
const PER_PAGE: i64 = 50;
/// Entries read per batch of the export.
const EXPORT_BATCH: i64 = 1000;

/// A filter as read from the query, with the words that describe it.
#[derive(Debug, Clone, Default)]
struct ReadFilter {
    filter: LogFilter,
    /// The name of the member of staff filtered by.
    person_name: Option<String>,
    /// The kind of processing filtered by.
    operation: Option<actions::Operation>,
}

/// Reads the filter fields: `from-*` and `to-*` date inputs, `person` (a username), `crn`,
/// `action` (a code from [`actions`]) and `outcome`. Looks the person up, so runs in a
/// transaction.
fn read_filter(
    conn: &mut AnyConnection,
    fields: &FormFields,
) -> Result<Result<ReadFilter, Vec<FieldError>>, AppError> {
    let mut validation = Validation::default();
    let typed = |name: &str| {
        ["day", "month", "year"]
            .iter()
            .any(|part| !fields.get(&format!("{name}-{part}")).trim().is_empty())
    };
    let from = if typed("from") {
        validation.field(fields.date("from", "the start date"))
    } else {
        None
    };
    let to = if typed("to") {
        validation.field(fields.date("to", "the end date"))
    } else {
        None
    };
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            validation.add(FieldError::new(
                "to-day",
                "The end date must be the same as or after the start date",
            ));
        }
    }
    let mut person = None;
    if let Some(typed) = fields.filled("person") {
        match Username::parse(typed) {
            Err(_) => validation.add(FieldError::new(
                "person",
                "Enter a username like pat.smith, using lower-case letters, digits, dots, hyphens \
                 or underscores",
            )),
            Ok(username) => match staff::find_by_username(conn, &username)? {
                Some(account) => person = Some(account),
                None => validation.add(FieldError::new(
                    "person",
                    format!(
                        "There is no account with the username {}",
                        username.as_str()
                    ),
                )),
            },
        }
    }
    let crn = fields.filled("crn").map(str::to_ascii_uppercase);
    if let Some(crn) = &crn {
        if crn.len() > 20 || !crn.chars().all(|c| c.is_ascii_alphanumeric()) {
            validation.add(FieldError::new(
                "crn",
                "Enter a case reference number (CRN) of letters and digits, like X123456",
            ));
        }
    }
    let action = fields.filled("action").map(str::to_owned);
    if let Some(code) = &action {
        if !actions::is_known(code) {
            validation.add(FieldError::new("action", "Select an action from the list"));
        }
    }
    let operation = actions::Operation::parse(fields.get("operation"));
    let outcome = match fields.get("outcome") {
        "refused" => Some(Outcome::Refused),
        "allowed" => Some(Outcome::Allowed),
        _ => None,
    };
    Ok(validation.finish(|| {
        Some(ReadFilter {
            filter: LogFilter {
                from,
                to,
                staff_id: person.as_ref().map(|p| p.id),
                crn,
                action,
                outcome,
                actions: operation.map(actions::operation_match),
            },
            person_name: person.map(|p| p.display_name()),
            operation,
        })
    }))
}

/// A date range in words, shortened as people write it: "between 1 and 3 December 2026",
/// "between 30 November and 3 December 2026", "on 2 December 2026".
fn range_words(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<String> {
    match (from, to) {
        (None, None) => None,
        (Some(from), None) => Some(format!("from {}", format::date(from))),
        (None, Some(to)) => Some(format!("up to {}", format::date(to))),
        (Some(from), Some(to)) if from == to => Some(format!("on {}", format::date(from))),
        (Some(from), Some(to)) => {
            let start = if from.year() != to.year() {
                format::date(from)
            } else if from.month() != to.month() {
                from.format("%-d %B").to_string()
            } else {
                from.day().to_string()
            };
            Some(format!("between {start} and {}", format::date(to)))
        }
    }
}

/// What the filter shows, in words: "Showing refusals by Pat Smith on case X123456 between 1
/// and 3 December 2026, newest first."
fn sentence(read: &ReadFilter) -> String {
    let filter = &read.filter;
    let mut words = String::from("Showing ");
    words.push_str(&match (&filter.action, filter.outcome) {
        (Some(code), None) => format!("“{}”", actions::words(code)),
        (Some(code), Some(Outcome::Refused)) => {
            format!("refusals of “{}”", actions::words(code))
        }
        (Some(code), Some(Outcome::Allowed)) => {
            format!("“{}”, where allowed", actions::words(code))
        }
        (None, Some(Outcome::Refused)) => "refusals".to_owned(),
        (None, Some(Outcome::Allowed)) => "allowed actions".to_owned(),
        (None, None) => "every entry".to_owned(),
    });
    if let Some(operation) = read.operation {
        words.push_str(&format!(
            " of the kind “{}”",
            operation.words().to_lowercase()
        ));
    }
    if let Some(name) = &read.person_name {
        words.push_str(&format!(" by {name}"));
    }
    if let Some(crn) = &filter.crn {
        words.push_str(&format!(" on case {crn}"));
    }
    if let Some(range) = range_words(filter.from, filter.to) {
        words.push(' ');
        words.push_str(&range);
    }
    words.push_str(", newest first.");
    words
}

#[derive(Template)]
#[template(path = "admin/audit_log.html")]
struct AuditLogPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    entries: Vec<EntryView>,
    sentence: String,
    from: crate::forms::TypedDate,
    to: crate::forms::TypedDate,
    from_error: Option<String>,
    to_error: Option<String>,
    person: String,
    person_error: Option<String>,
    crn: String,
    crn_error: Option<String>,
    actions: Vec<super::placement::Choice>,
    action_error: Option<String>,
    outcome: String,
    operations: Vec<super::placement::Choice>,
    operation: String,
    /// How far the log's hash chain was last checked, in words.
    chain: String,
    /// The same filter as CSV.
    export: Option<String>,
    page: i64,
    previous: Option<String>,
    next: Option<String>,
}

struct EntryView {
    when: String,
    actor: String,
    action: String,
    refused: bool,
    kind: String,
    crn: String,
    detail: String,
}

/// The filter's query string without the page, for the export and the paging links.
fn filter_query(fields: &FormFields) -> String {
    let kept: Vec<(&str, &str)> = fields
        .0
        .iter()
        .filter(|(key, value)| key != "page" && !value.trim().is_empty())
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

fn with_page(query: &str, page: i64) -> String {
    if query.is_empty() {
        format!("/audit?page={page}")
    } else {
        format!("/audit?{query}&page={page}")
    }
}

/// An action's section 62 kind, short, for the table and the export.
fn kind_words(code: &str) -> String {
    actions::operation(code)
        .map(|o| o.words().split(" (").next().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

/// The last `keepsafe audit verify`, in words: cheap to show on every page, unlike a walk of the
/// whole chain.
fn chain_words(last_check: Option<&AuditRecord>) -> String {
    match last_check {
        None => "The log's hash chain has not been checked yet: run keepsafe audit verify.".into(),
        Some(check) => format!(
            "The log's hash chain was last checked on {}: {}",
            format::date_time(check.occurred_at.naive_utc()),
            check
                .detail
                .split_once(": ")
                .map(|(_, summary)| summary)
                .unwrap_or(&check.detail)
        ),
    }
}

fn page_view(
    user: &CurrentUser,
    fields: &FormFields,
    errors: Vec<FieldError>,
    found: Option<(ReadFilter, Vec<AuditRecord>, bool)>,
    page: i64,
    chain: String,
) -> AuditLogPage {
    let error_for = |field: &str| crate::forms::message_for(&errors, field);
    let query = filter_query(fields);
    let chosen_action = fields.get("action");
    let (sentence, entries, more, export) = match found {
        Some((read, records, more)) => (
            sentence(&read),
            records
                .into_iter()
                .map(|r| EntryView {
                    when: format::date_time(r.occurred_at.naive_utc()),
                    refused: r.outcome == Outcome::Refused.code(),
                    actor: r.actor,
                    kind: kind_words(&r.action),
                    action: actions::words(&r.action),
                    crn: r.crn.unwrap_or_default(),
                    detail: actions::detail_words(&r.detail),
                })
                .collect(),
            more,
            Some(if query.is_empty() {
                "/audit.csv".to_owned()
            } else {
                format!("/audit.csv?{query}")
            }),
        ),
        None => (String::new(), Vec::new(), false, None),
    };
    AuditLogPage {
        chrome: Chrome::for_form(user, "Audit log", &errors, "/audit"),
        sentence,
        entries,
        from: fields.typed_date("from"),
        to: fields.typed_date("to"),
        from_error: error_for("from-day"),
        to_error: error_for("to-day"),
        person: fields.get("person").trim().chars().take(64).collect(),
        person_error: error_for("person"),
        crn: fields.get("crn").trim().chars().take(20).collect(),
        crn_error: error_for("crn"),
        actions: actions::all()
            .into_iter()
            .map(|(code, words)| super::placement::Choice {
                selected: code == chosen_action,
                value: code.to_owned(),
                label: words.to_owned(),
            })
            .collect(),
        action_error: error_for("action"),
        outcome: fields.get("outcome").chars().take(10).collect(),
        operations: actions::Operation::ALL
            .into_iter()
            .map(|o| super::placement::Choice {
                selected: o.code() == fields.get("operation"),
                value: o.code().to_owned(),
                label: o.words().to_owned(),
            })
            .collect(),
        operation: actions::Operation::parse(fields.get("operation"))
            .map(|o| o.code().to_owned())
            .unwrap_or_default(),
        chain,
        export,
        page,
        previous: (page > 1).then(|| with_page(&query, page - 1)),
        next: more.then(|| with_page(&query, page + 1)),
        errors,
    }
}

/// `GET /audit`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(fields): Query<FormFields>,
) -> Result<Response, AppError> {
    let page = fields
        .get("page")
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, 100_000);
    let staff_id = user.account.id;
    let actor = user.audit_name();
    let query_fields = fields.clone();
    let found = state
        .read_then_audit(move |conn| {
            let read = read_filter(conn, &query_fields)?;
            let last_check = audit::page(
                conn,
                &LogFilter {
                    action: Some("verify_audit_log".into()),
                    ..Default::default()
                },
                0,
                1,
            )?;
            let chain = chain_words(last_check.first());
            let (found, detail) = match read {
                Ok(read) => {
                    let mut records =
                        audit::page(conn, &read.filter, (page - 1) * PER_PAGE, PER_PAGE + 1)?;
                    let more = records.len() as i64 > PER_PAGE;
                    records.truncate(PER_PAGE as usize);
                    let detail = format!("{} Page {page}.", sentence(&read));
                    (Ok((read, records, more)), detail)
                }
                Err(errors) => (Err(errors), "Filter refused".to_owned()),
            };
            let entry = AuditEntry {
                staff_id: Some(staff_id),
                actor,
                action: "view_audit_log".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail,
            };
            Ok(((found, chain), entry))
        })
        .await?;
    let (found, chain) = found;
    match found {
        Ok(found) => Ok(render(&page_view(
            &user,
            &fields,
            Vec::new(),
            Some(found),
            page,
            chain,
        ))?
        .into_response()),
        Err(errors) => {
            crate::layout::unprocessable(&page_view(&user, &fields, errors, None, page, chain))
        }
    }
}

// -------------------------------------------------------------------------------------------
// The CSV export.
// -------------------------------------------------------------------------------------------

/// One CSV cell: a value a spreadsheet would run as a formula (starting `=`, `+`, `-` or `@`, or
/// a tab or carriage return that some read past) gets a leading `'`, so it is shown as text;
/// then RFC 4180 quoting — in double quotes, with quotes doubled, when it holds a comma, quote
/// or line break.
fn cell(value: &str) -> String {
    let neutral = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if neutral.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// One CSV line, ending CRLF as RFC 4180 asks.
fn csv_line(cells: &[&str]) -> String {
    let mut line = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

const CSV_HEADER: [&str; 8] = [
    "When (UTC)",
    "Who",
    "Action",
    "Outcome",
    "Case (CRN)",
    "Detail",
    "Action code",
    "Kind (DPA 2018 s.62)",
];

fn csv_record(record: &AuditRecord) -> String {
    let when = record.occurred_at.format("%Y-%m-%d %H:%M:%S").to_string();
    let outcome = if record.outcome == Outcome::Refused.code() {
        "Refused"
    } else {
        "Allowed"
    };
    csv_line(&[
        &when,
        &record.actor,
        &actions::words(&record.action),
        outcome,
        record.crn.as_deref().unwrap_or_default(),
        &actions::detail_words(&record.detail),
        &record.action,
        &kind_words(&record.action),
    ])
}

/// Where the export has got to: the filter, and the oldest entry sent so far.
struct Export {
    state: AppState,
    filter: LogFilter,
    before: Option<i64>,
    finished: bool,
}

/// The next batch of the export as CSV text, or `None` when every entry has been sent.
async fn next_batch(mut export: Export) -> Option<(Result<Bytes, AppError>, Export)> {
    if export.finished {
        return None;
    }
    let filter = export.filter.clone();
    let before = export.before;
    let batch = export
        .state
        .read(move |conn| Ok(audit::batch_before(conn, &filter, before, EXPORT_BATCH)?))
        .await;
    match batch {
        Err(error) => {
            export.finished = true;
            Some((Err(error), export))
        }
        Ok(records) => {
            export.finished = (records.len() as i64) < EXPORT_BATCH;
            export.before = records.last().map(|r| r.id);
            if records.is_empty() {
                return None;
            }
            let text: String = records.iter().map(csv_record).collect();
            Some((Ok(Bytes::from(text)), export))
        }
    }
}

/// `GET /audit.csv`: the filter of `/audit` (the same query) as CSV. A filter that cannot be read
/// goes back to the log page, which says what to fix.
pub async fn export(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(fields): Query<FormFields>,
) -> Result<Response, AppError> {
    let staff_id = user.account.id;
    let actor = user.audit_name();
    let query_fields = fields.clone();
    let now = state.clock.now();
    let read = state
        .write(move |conn| {
            let read = read_filter(conn, &query_fields)?;
            if let Ok(read) = &read {
                audit::record(
                    conn,
                    &AuditEntry {
                        staff_id: Some(staff_id),
                        actor,
                        action: "export_audit_log".into(),
                        outcome: Outcome::Allowed,
                        person_id: None,
                        crn: None,
                        detail: format!("CSV: {}", sentence(read)),
                    },
                    now,
                )?;
            }
            Ok(read)
        })
        .await?;
    let Ok(read) = read else {
        let query = filter_query(&fields);
        return Ok(Redirect::to(&format!("/audit?{query}")).into_response());
    };
    let header_line =
        futures_util::stream::once(async { Ok::<_, AppError>(Bytes::from(csv_line(&CSV_HEADER))) });
    let rows = futures_util::stream::unfold(
        Export {
            state,
            filter: read.filter,
            before: None,
            finished: false,
        },
        next_batch,
    );
    use futures_util::StreamExt;
    let body = Body::from_stream(header_line.chain(rows));
    let filename = format!("audit-log-{}.csv", now.format("%Y-%m-%d"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_quoting_follows_rfc_4180() {
        assert_eq!(cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=a,b"), "\"'=a,b\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_line(&["a", "b"]), "a,b\r\n");
    }

    #[test]
    fn date_ranges_are_shortened_as_people_write_them() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(
            range_words(Some(day(1)), Some(day(3))).unwrap(),
            "between 1 and 3 December 2026"
        );
        assert_eq!(
            range_words(NaiveDate::from_ymd_opt(2026, 11, 30), Some(day(3))).unwrap(),
            "between 30 November and 3 December 2026"
        );
        assert_eq!(
            range_words(Some(day(2)), Some(day(2))).unwrap(),
            "on 2 December 2026"
        );
        assert_eq!(range_words(None, None), None);
    }
}
