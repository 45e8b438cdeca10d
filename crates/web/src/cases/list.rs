//! The caseload table shared by "My cases" and team caseloads: filtering, sorting and the rows as
//! people read them.

use crate::format;
use chrono::{NaiveDate, NaiveDateTime};
use keepsafe_domain::age::age_on;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::supervision::diary::page_of;
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::caseload::CaseSummary;
use serde::Deserialize;
use std::cmp::Ordering;

/// Rows on one page of a caseload. A team's caseload runs to hundreds of cases; rendering them
/// all made it the slowest page in the service, and nobody reads 300 rows at once.
pub const PAGE_SIZE: usize = 50;

/// The query string of a caseload page: `?sort=name&order=asc&case_type=licence&q=smith&page=2`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    pub sort: Option<String>,
    pub order: Option<String>,
    pub case_type: Option<String>,
    pub q: Option<String>,
    pub page: Option<usize>,
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

/// Everything a caseload page needs for its table, filters and pages.
pub struct CaseList {
    /// This page's rows: at most [`PAGE_SIZE`].
    pub rows: Vec<CaseRow>,
    /// "Showing 20 of 31 cases." on one page; "Showing cases 51 to 100 of 330." on several.
    pub count: String,
    pub total: usize,
    pub pagination: Pagination,
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
    // Sorted in full before paging, so page 2 continues page 1 whatever the sort.
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

    let matching = kept.len();
    let (page, pages) = page_of(query.page, matching, PAGE_SIZE);
    let first = (page - 1) * PAGE_SIZE;
    let rows: Vec<CaseRow> = kept
        .iter()
        .skip(first)
        .take(PAGE_SIZE)
        .map(|s| row(s, today))
        .collect();
    let count = if pages == 1 {
        format!("Showing {matching} of {total} cases.")
    } else {
        let all = if matching < total {
            format!(" ({total} in all)")
        } else {
            String::new()
        };
        format!(
            "Showing cases {} to {} of {matching}{all}.",
            first + 1,
            first + rows.len()
        )
    };
    let sort_suffix = match (query.sort.as_deref(), query.order.as_deref()) {
        (None, _) => String::new(),
        (Some(_), order) => format!(
            "sort={}&order={}&",
            key.code(),
            if order == Some("desc") { "desc" } else { "asc" }
        ),
    };
    let page_href = |n: usize| format!("{base_path}?{sort_suffix}page={n}{}", filter_suffix(query));

    CaseList {
        rows,
        count,
        total,
        pagination: Pagination::new(page, pages, page_href),
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

/// GOV.UK pagination for a list: previous and next links, and a link to every page (lists of
/// cases run to a handful of pages, so every number fits).
pub struct Pagination {
    pub previous: Option<String>,
    pub next: Option<String>,
    /// (number, link, whether it is this page).
    pub pages: Vec<(usize, String, bool)>,
}

impl Pagination {
    pub fn new(page: usize, pages: usize, href: impl Fn(usize) -> String) -> Self {
        if pages <= 1 {
            return Self {
                previous: None,
                next: None,
                pages: Vec::new(),
            };
        }
        Self {
            previous: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
            pages: (1..=pages).map(|n| (n, href(n), n == page)).collect(),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use keepsafe_domain::person::Sex;
    use uuid::Uuid;

    fn caseload(size: usize) -> Vec<CaseSummary> {
        (1..=size)
            .map(|n| CaseSummary {
                person_id: Uuid::from_u128(n as u128),
                crn: format!("X{n:06}"),
                first_name: "Alex".into(),
                last_name: format!("Case {n:03}"),
                date_of_birth: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
                sex: Sex::Female,
                main_event: None,
                flags: Vec::new(),
                mappa_level: None,
                next_appointment: None,
                last_contact: None,
                allocation: None,
                rosh: None,
                tier: None,
            })
            .collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    #[test]
    fn a_long_caseload_is_shown_fifty_cases_a_page_in_the_chosen_order() {
        let query = ListQuery {
            sort: Some("crn".into()),
            order: Some("desc".into()),
            page: Some(2),
            ..ListQuery::default()
        };
        let list = build(caseload(120), &query, "/teams/N01", true, today());
        let crns: Vec<&str> = list.rows.iter().map(|r| r.crn.as_str()).collect();
        assert_eq!(crns.len(), PAGE_SIZE);
        assert_eq!(crns.first(), Some(&"X000070"), "page 2 continues page 1");
        assert_eq!(crns.last(), Some(&"X000021"));
        assert_eq!(list.count, "Showing cases 51 to 100 of 120.");
        let pages = &list.pagination;
        assert_eq!(
            pages.previous.as_deref(),
            Some("/teams/N01?sort=crn&order=desc&page=1")
        );
        assert_eq!(
            pages.next.as_deref(),
            Some("/teams/N01?sort=crn&order=desc&page=3")
        );
        let current: Vec<usize> = pages
            .pages
            .iter()
            .filter(|(_, _, current)| *current)
            .map(|(n, _, _)| *n)
            .collect();
        assert_eq!((pages.pages.len(), current), (3, vec![2]));
    }

    #[test]
    fn a_page_past_the_end_shows_the_last_page_and_a_search_keeps_its_terms() {
        let query = ListQuery {
            q: Some("case".into()),
            page: Some(9),
            ..ListQuery::default()
        };
        let list = build(caseload(60), &query, "/cases", false, today());
        assert_eq!(list.rows.len(), 10);
        assert_eq!(list.count, "Showing cases 51 to 60 of 60.");
        assert_eq!(
            list.pagination.previous.as_deref(),
            Some("/cases?page=1&q=case")
        );
        assert_eq!(list.pagination.next, None);
    }

    #[test]
    fn a_caseload_that_fits_on_one_page_has_no_pagination() {
        let list = build(
            caseload(31),
            &ListQuery::default(),
            "/cases",
            false,
            today(),
        );
        assert_eq!(list.rows.len(), 31);
        assert_eq!(list.count, "Showing 31 of 31 cases.");
        assert!(list.pagination.pages.is_empty());
    }
}
