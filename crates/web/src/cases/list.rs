//! The caseload table shared by "My cases" and team caseloads: filtering, sorting and the rows as
//! people read them.

use crate::format;
use chrono::{NaiveDate, NaiveDateTime};
use keepsafe_domain::age::age_on;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::caseload::CaseSummary;
use serde::Deserialize;
use std::cmp::Ordering;

/// The query string of a caseload page: `?sort=name&order=asc&case_type=licence&q=smith`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    pub sort: Option<String>,
    pub order: Option<String>,
    pub case_type: Option<String>,
    pub q: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Crn,
    CaseType,
    NextAppointment,
    LastContact,
    Practitioner,
}

impl SortKey {
    const ALL: [(SortKey, &'static str); 6] = [
        (SortKey::Name, "name"),
        (SortKey::Crn, "crn"),
        (SortKey::CaseType, "case_type"),
        (SortKey::NextAppointment, "next_appointment"),
        (SortKey::LastContact, "last_contact"),
        (SortKey::Practitioner, "practitioner"),
    ];

    fn parse(raw: Option<&str>) -> Self {
        Self::ALL
            .iter()
            .find(|(_, code)| Some(*code) == raw)
            .map(|(key, _)| *key)
            .unwrap_or(SortKey::Name)
    }

    fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(key, _)| *key == self)
            .map(|(_, code)| *code)
            .unwrap_or("name")
    }
}

/// A caseload line as it is shown.
pub struct CaseRow {
    pub crn: String,
    pub name: String,
    pub age: String,
    pub case_type: String,
    pub sentence: String,
    pub offence: String,
    pub flags: Vec<String>,
    pub next_appointment: String,
    pub last_contact: String,
    pub practitioner: String,
    pub rosh: String,
    pub tier: String,
}

/// A sortable column header.
pub struct SortHeader {
    pub label: &'static str,
    pub href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub aria_sort: &'static str,
}

/// Everything a caseload page needs for its table and filters.
pub struct CaseList {
    pub rows: Vec<CaseRow>,
    pub total: usize,
    pub headers: Vec<SortHeader>,
    pub q: String,
    pub case_type: String,
    pub case_type_options: Vec<(String, String, bool)>,
    pub counts_by_type: Vec<(String, usize)>,
}

pub fn build(
    summaries: Vec<CaseSummary>,
    query: &ListQuery,
    base_path: &str,
    with_practitioner: bool,
    today: NaiveDate,
) -> CaseList {
    let total = summaries.len();
    let counts_by_type = CaseType::ALL
        .iter()
        .map(|t| {
            let n = summaries
                .iter()
                .filter(|s| s.main_event.as_ref().map(|e| e.case_type) == Some(*t))
                .count();
            (t.label().to_owned(), n)
        })
        .collect();
    let wanted_type = query
        .case_type
        .as_deref()
        .and_then(|code| CaseType::parse(code).ok());
    let search = query.q.as_deref().unwrap_or("").trim().to_lowercase();
    let mut kept: Vec<CaseSummary> = summaries
        .into_iter()
        .filter(|s| {
            wanted_type.is_none() || s.main_event.as_ref().map(|e| e.case_type) == wanted_type
        })
        .filter(|s| search.is_empty() || matches_search(s, &search))
        .collect();
    let key = SortKey::parse(query.sort.as_deref());
    let descending = query.order.as_deref() == Some("desc");
    kept.sort_by(|a, b| {
        let ordering = compare(a, b, key).then_with(|| a.crn.cmp(&b.crn));
        if descending {
            ordering.reverse()
        } else {
            ordering
        }
    });

    let mut columns = vec![
        ("Name", SortKey::Name),
        ("Case type", SortKey::CaseType),
        ("Next appointment", SortKey::NextAppointment),
        ("Last contact", SortKey::LastContact),
    ];
    if with_practitioner {
        columns.push(("Practitioner", SortKey::Practitioner));
    }
    let headers = columns
        .into_iter()
        .map(|(label, column)| {
            let current = column == key;
            let next_order = if current && !descending {
                "desc"
            } else {
                "asc"
            };
            SortHeader {
                label,
                href: format!(
                    "{base_path}?sort={}&order={next_order}{}",
                    column.code(),
                    filter_suffix(query)
                ),
                aria_sort: match (current, descending) {
                    (true, false) => "ascending",
                    (true, true) => "descending",
                    _ => "none",
                },
            }
        })
        .collect();

    let selected = wanted_type.map(|t| t.code()).unwrap_or("");
    let mut case_type_options = vec![(
        "".to_owned(),
        "All case types".to_owned(),
        selected.is_empty(),
    )];
    case_type_options.extend(CaseType::ALL.iter().map(|t| {
        (
            t.code().to_owned(),
            t.label().to_owned(),
            t.code() == selected,
        )
    }));

    CaseList {
        rows: kept.iter().map(|s| row(s, today)).collect(),
        total,
        headers,
        q: query
            .q
            .clone()
            .unwrap_or_default()
            .chars()
            .take(100)
            .collect(),
        case_type: selected.to_owned(),
        case_type_options,
        counts_by_type,
    }
}

fn filter_suffix(query: &ListQuery) -> String {
    let mut suffix = String::new();
    if let Some(t) = query
        .case_type
        .as_deref()
        .filter(|t| CaseType::parse(t).is_ok())
    {
        suffix.push_str(&format!("&case_type={t}"));
    }
    if let Some(q) = query.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let encoded: String = serde_urlencoded::to_string([("q", q)]).unwrap_or_default();
        suffix.push('&');
        suffix.push_str(&encoded);
    }
    suffix
}

fn matches_search(summary: &CaseSummary, search: &str) -> bool {
    let name = format!("{} {}", summary.first_name, summary.last_name).to_lowercase();
    name.contains(search) || summary.crn.to_lowercase().contains(search)
}

fn compare(a: &CaseSummary, b: &CaseSummary, key: SortKey) -> Ordering {
    match key {
        SortKey::Name => (a.last_name.to_lowercase(), a.first_name.to_lowercase())
            .cmp(&(b.last_name.to_lowercase(), b.first_name.to_lowercase())),
        SortKey::Crn => a.crn.cmp(&b.crn),
        SortKey::CaseType => case_type(a).cmp(case_type(b)),
        SortKey::NextAppointment => none_last(a.next_appointment, b.next_appointment),
        SortKey::LastContact => none_last(a.last_contact, b.last_contact),
        SortKey::Practitioner => practitioner(a).cmp(&practitioner(b)),
    }
}

fn none_last(a: Option<NaiveDateTime>, b: Option<NaiveDateTime>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn case_type(summary: &CaseSummary) -> &'static str {
    summary
        .main_event
        .as_ref()
        .map(|e| e.case_type.label())
        .unwrap_or("")
}

fn practitioner(summary: &CaseSummary) -> String {
    summary
        .allocation
        .as_ref()
        .map(|a| a.staff_name.clone())
        .unwrap_or_default()
}

fn row(summary: &CaseSummary, today: NaiveDate) -> CaseRow {
    let mut flags: Vec<String> = summary.flags.iter().map(|f| f.label().to_owned()).collect();
    if let Some(level) = summary.mappa_level {
        if let Some(position) = flags.iter().position(|f| f == "MAPPA") {
            flags[position] = format!("MAPPA level {}", level.code());
        }
    }
    CaseRow {
        crn: summary.crn.clone(),
        name: format!("{} {}", summary.first_name, summary.last_name),
        age: age_on(summary.date_of_birth, today)
            .map(|a| format!("{a}"))
            .unwrap_or_default(),
        case_type: case_type(summary).to_owned(),
        sentence: summary
            .main_event
            .as_ref()
            .map(|e| e.sentence_type.label().to_owned())
            .unwrap_or_else(|| "No active sentence".into()),
        offence: summary
            .main_event
            .as_ref()
            .map(|e| e.offence_description.clone())
            .unwrap_or_default(),
        flags,
        next_appointment: summary
            .next_appointment
            .map(format::date_time)
            .unwrap_or_else(|| "None booked".into()),
        last_contact: summary
            .last_contact
            .map(|at| format::short_date(at.date()))
            .unwrap_or_else(|| "None recorded".into()),
        tier: summary
            .tier
            .as_ref()
            .map(|t| t.legacy.clone())
            .unwrap_or_else(|| "Not computed".into()),
        rosh: summary
            .rosh
            .map(|level| level.label().to_owned())
            .unwrap_or_else(|| "Not assessed".into()),
        practitioner: summary
            .allocation
            .as_ref()
            .map(|a| format!("{} ({})", a.staff_name, a.grade))
            .unwrap_or_else(|| "Unallocated".into()),
    }
}
