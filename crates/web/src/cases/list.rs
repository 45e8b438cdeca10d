//! The caseload table shared by "My cases" and team caseloads: what needs doing on each case
//! (checks, the risk assessment, reviews, supervision work), filtering and sorting by it, the
//! filter and sort said in words, and the rows as people read them.

use crate::format;
use chrono::{Days, NaiveDate, NaiveDateTime};
use keepsafe_domain::age::age_on;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::registration::RegistrationKind;
use keepsafe_domain::review::is_overdue;
use keepsafe_domain::supervision::diary::page_of;
use keepsafe_domain::workload::InsightRules;
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::caseload::CaseSummary;
use serde::Deserialize;
use std::cmp::Ordering;
use uuid::Uuid;

/// Rows on one page of a caseload. A team's caseload runs to hundreds of cases; rendering them
/// all made it the slowest page in the service, and nobody reads 300 rows at once.
pub const PAGE_SIZE: usize = 50;

/// How far ahead "due soon" looks for a risk assessment: two weeks.
const DUE_SOON_DAYS: u64 = 14;

/// The query string of a caseload page: `?sort=rosh&order=desc&checks=overdue&page=2`. Unknown
/// values are ignored, as if the filter were not set.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    pub sort: Option<String>,
    pub order: Option<String>,
    pub case_type: Option<String>,
    pub q: Option<String>,
    pub page: Option<usize>,
    pub rosh: Option<String>,
    pub tier: Option<String>,
    pub checks: Option<String>,
    pub assessment: Option<String>,
    pub reviews: Option<String>,
    pub flags: Option<String>,
    pub work: Option<String>,
    pub appointment: Option<String>,
    pub contact: Option<String>,
    /// A team caseload narrowed to one practitioner (their staff id), from the team's
    /// needs-attention table.
    pub practitioner: Option<String>,
    /// The page of the PDU's waiting list on a team caseload page.
    pub waiting_page: Option<usize>,
}

impl ListQuery {
    fn value(&self, name: &str) -> Option<&str> {
        let value = match name {
            "rosh" => &self.rosh,
            "tier" => &self.tier,
            "checks" => &self.checks,
            "assessment" => &self.assessment,
            "reviews" => &self.reviews,
            "flags" => &self.flags,
            "work" => &self.work,
            "appointment" => &self.appointment,
            "contact" => &self.contact,
            _ => &None,
        };
        value.as_deref()
    }
}

/// One of the filters of a caseload: its query-string name, its label, and its options as
/// (code, option label, phrase for "Showing cases with …").
pub struct FilterSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub any: &'static str,
    pub options: &'static [(&'static str, &'static str, &'static str)],
}

/// Every filter besides the name search and case type, in the order the form shows them.
pub const FILTERS: &[FilterSpec] = &[
    FilterSpec {
        name: "rosh",
        label: "Risk of serious harm",
        any: "Any level",
        options: &[
            ("very_high", "Very high", "risk of serious harm very high"),
            ("high", "High", "risk of serious harm high"),
            ("medium", "Medium", "risk of serious harm medium"),
            ("low", "Low", "risk of serious harm low"),
            (
                "none",
                "Not assessed",
                "no risk of serious harm assessment in force",
            ),
        ],
    },
    FilterSpec {
        name: "tier",
        label: "Tier",
        any: "Any tier",
        options: &[
            ("A", "A", "tier A"),
            ("B", "B", "tier B"),
            ("C", "C", "tier C"),
            ("D", "D", "tier D"),
            ("none", "Not computed", "no tier computed"),
        ],
    },
    FilterSpec {
        name: "checks",
        label: "Checks",
        any: "Any",
        options: &[
            ("overdue", "Overdue", "checks overdue"),
            (
                "outstanding",
                "Waiting for an answer",
                "checks waiting for an answer",
            ),
            ("none", "None outstanding", "no checks outstanding"),
        ],
    },
    FilterSpec {
        name: "assessment",
        label: "Risk assessment",
        any: "Any",
        options: &[
            ("overdue", "Overdue", "a risk assessment overdue"),
            (
                "due_soon",
                "Due in the next 2 weeks",
                "a risk assessment due in the next 2 weeks",
            ),
            ("none", "Nothing due", "no risk assessment due"),
        ],
    },
    FilterSpec {
        name: "reviews",
        label: "Reviews",
        any: "Any",
        options: &[
            ("overdue", "Overdue", "a review overdue"),
            ("open", "Due", "a review due"),
        ],
    },
    FilterSpec {
        name: "flags",
        label: "Flags",
        any: "Any",
        options: &[
            ("review", "Due for review", "a flag due for review"),
            ("mappa", "MAPPA", "a MAPPA registration"),
        ],
    },
    FilterSpec {
        name: "work",
        label: "Supervision work",
        any: "Any",
        options: &[
            (
                "outcomes",
                "Outcomes to record",
                "appointments without an outcome",
            ),
            ("evidence", "Evidence to judge", "evidence to judge"),
            ("warnings", "Warnings to send", "a warning to send"),
            ("breaches", "Breach actions due", "a breach action due"),
        ],
    },
    FilterSpec {
        name: "appointment",
        label: "Next appointment",
        any: "Any",
        options: &[
            ("none", "None booked", "no appointment booked"),
            (
                "week",
                "In the next 7 days",
                "an appointment in the next 7 days",
            ),
        ],
    },
    FilterSpec {
        name: "contact",
        label: "Last contact",
        any: "Any",
        options: &[
            (
                "over_4_weeks",
                "More than 4 weeks ago, or none",
                "no contact in the last 4 weeks",
            ),
            ("week", "In the last 7 days", "a contact in the last 7 days"),
        ],
    },
];

/// Where a case's risk of serious harm assessment stands. keepsafe expects one in force within
/// [`InsightRules::assessment_due_working_days`] working days of allocation (the same rule as the
/// supervisor insights), for every case with a sentence to supervise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentState {
    InForce,
    /// Pre-sentence, or no active event: nothing to assess yet.
    NotNeeded,
    /// Waiting for allocation: the clock starts when it is allocated.
    NotAllocated,
    Due(NaiveDate),
    DueSoon(NaiveDate),
    Overdue(NaiveDate),
}

impl AssessmentState {
    pub fn of(summary: &CaseSummary, today: NaiveDate) -> Self {
        if summary.rosh.is_some() {
            return Self::InForce;
        }
        match summary.main_event.as_ref().map(|e| e.case_type) {
            None | Some(CaseType::PreSentence) => return Self::NotNeeded,
            Some(_) => {}
        }
        let Some(allocation) = &summary.allocation else {
            return Self::NotAllocated;
        };
        let due = keepsafe_domain::calendar::add_working_days(
            allocation.since,
            InsightRules::reference().assessment_due_working_days,
        );
        if is_overdue(due, today) {
            Self::Overdue(due)
        } else if due <= today + Days::new(DUE_SOON_DAYS) {
            Self::DueSoon(due)
        } else {
            Self::Due(due)
        }
    }

    /// The day it is or was due, while none is in force.
    fn due(self) -> Option<NaiveDate> {
        match self {
            Self::Due(d) | Self::DueSoon(d) | Self::Overdue(d) => Some(d),
            _ => None,
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Self::Overdue(_))
    }

    fn words(self) -> String {
        match self {
            Self::InForce => "In force".into(),
            Self::NotNeeded => "Not needed yet".into(),
            Self::NotAllocated => "Due once allocated".into(),
            Self::Due(d) | Self::DueSoon(d) => format!("Due {}", format::date(d)),
            Self::Overdue(d) => format!("Overdue: due {}", format::date(d)),
        }
    }
}

/// Whether a case passes one filter's chosen option.
fn passes(name: &str, code: &str, s: &CaseSummary, today: NaiveDate) -> bool {
    let now = today.and_hms_opt(0, 0, 0).unwrap_or_default();
    match (name, code) {
        ("rosh", "none") => s.rosh.is_none(),
        ("rosh", level) => s.rosh.is_some_and(|l| l.code() == level),
        ("tier", "none") => s.tier.is_none(),
        ("tier", letter) => s
            .tier
            .as_ref()
            .is_some_and(|t| t.legacy.starts_with(letter)),
        ("checks", "overdue") => s.checks.overdue > 0,
        ("checks", "outstanding") => s.checks.outstanding > 0,
        ("checks", "none") => s.checks.outstanding == 0,
        ("assessment", "overdue") => AssessmentState::of(s, today).is_overdue(),
        ("assessment", "due_soon") => {
            matches!(AssessmentState::of(s, today), AssessmentState::DueSoon(_))
        }
        ("assessment", "none") => AssessmentState::of(s, today).due().is_none(),
        ("reviews", "overdue") => s.reviews.overdue > 0,
        ("reviews", "open") => s.reviews.open > 0,
        ("flags", "review") => s.flags_to_review > 0,
        ("flags", "mappa") => s.flags.contains(&RegistrationKind::Mappa),
        ("work", "outcomes") => s.supervision.outcomes > 0,
        ("work", "evidence") => s.supervision.evidence > 0,
        ("work", "warnings") => s.supervision.warnings > 0,
        ("work", "breaches") => s.supervision.breaches > 0,
        ("appointment", "none") => s.next_appointment.is_none(),
        ("appointment", "week") => s.next_appointment.is_some_and(|at| at < now + Days::new(8)),
        ("contact", "over_4_weeks") => s.last_contact.is_none_or(|at| at < now - Days::new(28)),
        ("contact", "week") => s.last_contact.is_some_and(|at| at >= now - Days::new(7)),
        _ => true,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Crn,
    CaseType,
    Rosh,
    Tier,
    Checks,
    Assessment,
    NextAppointment,
    LastContact,
    Practitioner,
}

impl SortKey {
    /// (key, code, words for "sorted by …", the order a first click sorts in).
    const ALL: [(SortKey, &'static str, &'static str, bool); 10] = [
        (SortKey::Name, "name", "name", false),
        (SortKey::Crn, "crn", "CRN", false),
        (SortKey::CaseType, "case_type", "case type", false),
        (SortKey::Rosh, "rosh", "risk of serious harm", true),
        (SortKey::Tier, "tier", "tier", false),
        (SortKey::Checks, "checks", "checks outstanding", true),
        (
            SortKey::Assessment,
            "assessment",
            "risk assessment due",
            false,
        ),
        (
            SortKey::NextAppointment,
            "next_appointment",
            "next appointment",
            false,
        ),
        (SortKey::LastContact, "last_contact", "last contact", false),
        (SortKey::Practitioner, "practitioner", "practitioner", false),
    ];

    fn parse(raw: Option<&str>) -> Self {
        Self::ALL
            .iter()
            .find(|(_, code, _, _)| Some(*code) == raw)
            .map(|(key, _, _, _)| *key)
            .unwrap_or(SortKey::Name)
    }

    fn entry(self) -> (SortKey, &'static str, &'static str, bool) {
        Self::ALL
            .iter()
            .find(|(key, _, _, _)| *key == self)
            .copied()
            .unwrap_or(Self::ALL[0])
    }

    fn code(self) -> &'static str {
        self.entry().1
    }

    /// How the order reads: "highest first" rather than "descending".
    fn order_words(self, descending: bool) -> &'static str {
        match (self, descending) {
            (SortKey::Rosh, true) => "highest first",
            (SortKey::Rosh, false) => "lowest first",
            (SortKey::Tier, false) => "A first",
            (SortKey::Tier, true) => "D first",
            (SortKey::Checks, true) => "most overdue first",
            (SortKey::Checks, false) => "fewest first",
            (SortKey::Assessment | SortKey::NextAppointment | SortKey::LastContact, false) => {
                "earliest first"
            }
            (SortKey::Assessment | SortKey::NextAppointment | SortKey::LastContact, true) => {
                "latest first"
            }
            (_, false) => "A to Z",
            (_, true) => "Z to A",
        }
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
    /// "1 flag due for review", when any is.
    pub flags_review: String,
    pub next_appointment: String,
    pub last_contact: String,
    pub practitioner: String,
    pub rosh: String,
    pub tier: String,
    /// "None", or "2 waiting for an answer".
    pub checks: String,
    /// "1 overdue", said in words beside the count, when any is.
    pub checks_overdue: String,
    pub assessment: String,
    pub assessment_overdue: bool,
    /// "1 review overdue" / "2 reviews due", or empty.
    pub reviews: String,
    pub reviews_overdue: bool,
}

/// A sortable column header.
pub struct SortHeader {
    pub label: &'static str,
    pub href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub aria_sort: &'static str,
}

/// A filter as the form shows it: (value, label, selected) per option.
pub struct FilterControl {
    pub name: &'static str,
    pub label: &'static str,
    pub options: Vec<(String, String, bool)>,
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
    pub filters: Vec<FilterControl>,
    /// The filters and sort in words ("Cases with checks overdue, sorted by tier, A first."),
    /// empty when none is set.
    pub described: String,
    /// Whether any filter or sort is set, so the page offers to clear them.
    pub narrowed: bool,
    pub base_path: String,
    /// The practitioner the list is narrowed to, kept through the form.
    pub practitioner: String,
}

/// The filters set in the query, with valid values only: (name, code, phrase).
fn active_filters(query: &ListQuery) -> Vec<(&'static str, &'static str, &'static str)> {
    FILTERS
        .iter()
        .filter_map(|spec| {
            let chosen = query.value(spec.name)?;
            spec.options
                .iter()
                .find(|(code, _, _)| *code == chosen)
                .map(|(code, _, phrase)| (spec.name, *code, *phrase))
        })
        .collect()
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
    let practitioner = query
        .practitioner
        .as_deref()
        .and_then(|id| Uuid::parse_str(id).ok());
    let active = active_filters(query);
    let practitioner_name = practitioner.and_then(|id| {
        summaries
            .iter()
            .find_map(|s| s.allocation.as_ref().filter(|a| a.staff_id == id))
            .map(|a| a.staff_name.clone())
    });
    let mut kept: Vec<CaseSummary> = summaries
        .into_iter()
        .filter(|s| {
            wanted_type.is_none() || s.main_event.as_ref().map(|e| e.case_type) == wanted_type
        })
        .filter(|s| search.is_empty() || matches_search(s, &search))
        .filter(|s| {
            practitioner.is_none() || s.allocation.as_ref().map(|a| a.staff_id) == practitioner
        })
        .filter(|s| {
            active
                .iter()
                .all(|(name, code, _)| passes(name, code, s, today))
        })
        .collect();
    let key = SortKey::parse(query.sort.as_deref());
    let descending = query.order.as_deref() == Some("desc");
    // Sorted in full before paging, so page 2 continues page 1 whatever the sort.
    kept.sort_by(|a, b| compare(a, b, key, descending, today).then_with(|| a.crn.cmp(&b.crn)));

    let suffix = filter_suffix(query);
    let mut columns = vec![
        ("Name", SortKey::Name),
        ("Risk of serious harm", SortKey::Rosh),
        ("Tier", SortKey::Tier),
        ("Checks", SortKey::Checks),
        ("Risk assessment", SortKey::Assessment),
        ("Next appointment", SortKey::NextAppointment),
        ("Last contact", SortKey::LastContact),
    ];
    if with_practitioner {
        columns.push(("Practitioner", SortKey::Practitioner));
    }
    let headers = columns
        .into_iter()
        .map(|(label, column)| {
            let current = column == key && query.sort.is_some();
            let first_descending = column.entry().3;
            let next_descending = if current {
                !descending
            } else {
                first_descending
            };
            SortHeader {
                label,
                href: format!(
                    "{base_path}?sort={}&order={}{suffix}",
                    column.code(),
                    if next_descending { "desc" } else { "asc" },
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
    let filters = FILTERS
        .iter()
        .map(|spec| {
            let chosen = active
                .iter()
                .find(|(name, _, _)| *name == spec.name)
                .map(|(_, code, _)| *code);
            let mut options = vec![("".to_owned(), spec.any.to_owned(), chosen.is_none())];
            options.extend(spec.options.iter().map(|(code, label, _)| {
                (
                    (*code).to_owned(),
                    (*label).to_owned(),
                    chosen == Some(*code),
                )
            }));
            FilterControl {
                name: spec.name,
                label: spec.label,
                options,
            }
        })
        .collect();

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
    let page_href = |n: usize| format!("{base_path}?{sort_suffix}page={n}{suffix}");
    let described = describe(
        query,
        wanted_type,
        &active,
        practitioner.map(|_| practitioner_name.unwrap_or_else(|| "one practitioner".into())),
        key,
        descending,
    );

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
        filters,
        narrowed: !described.is_empty(),
        described,
        base_path: base_path.to_owned(),
        practitioner: practitioner.map(|id| id.to_string()).unwrap_or_default(),
    }
}

/// The filters and sort in a sentence: "Cases of Sam Jones with checks overdue and risk of
/// serious harm high, sorted by tier, A first."
fn describe(
    query: &ListQuery,
    case_type: Option<CaseType>,
    active: &[(&str, &str, &str)],
    practitioner: Option<String>,
    key: SortKey,
    descending: bool,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(t) = case_type {
        parts.push(format!("case type {}", t.label().to_lowercase()));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        parts.push(format!("a name or CRN containing “{q}”"));
    }
    parts.extend(active.iter().map(|(_, _, phrase)| (*phrase).to_owned()));
    let mut sentence = String::new();
    if let Some(name) = practitioner {
        sentence.push_str(&format!("Cases of {name}"));
    }
    if !parts.is_empty() {
        let joined = match parts.len() {
            1 => parts[0].clone(),
            n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
        };
        if sentence.is_empty() {
            sentence.push_str("Cases");
        }
        sentence.push_str(&format!(" with {joined}"));
    }
    if query.sort.is_some() {
        let sort = format!(
            "sorted by {}, {}",
            key.entry().2,
            key.order_words(descending)
        );
        if sentence.is_empty() {
            sentence = format!("All cases, {sort}");
        } else {
            sentence.push_str(&format!(", {sort}"));
        }
    }
    if !sentence.is_empty() {
        sentence.push('.');
    }
    sentence
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

    /// The page links with an ellipsis (`None`) wherever numbers are skipped, as the GOV.UK
    /// pagination component shows a window of a long list.
    pub fn items(&self) -> Vec<Option<&(usize, String, bool)>> {
        let mut items = Vec::new();
        let mut last = 0;
        for page in &self.pages {
            if page.0 > last + 1 {
                items.push(None);
            }
            items.push(Some(page));
            last = page.0;
        }
        items
    }

    /// As [`Pagination::new`], listing only the first and last pages and the two either side of
    /// this one: for lists, such as search results, that may run to hundreds of pages.
    pub fn windowed(page: usize, pages: usize, href: impl Fn(usize) -> String) -> Self {
        if pages <= 1 {
            return Self::new(page, pages, href);
        }
        let near = page.saturating_sub(2).max(1)..=(page + 2).min(pages);
        let mut numbers: Vec<usize> = vec![1];
        numbers.extend(near);
        numbers.push(pages);
        numbers.sort_unstable();
        numbers.dedup();
        Self {
            previous: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
            pages: numbers
                .into_iter()
                .map(|n| (n, href(n), n == page))
                .collect(),
        }
    }
}

/// The filters of the query as `&name=value` pairs, valid values only, for links that keep them.
fn filter_suffix(query: &ListQuery) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(t) = query
        .case_type
        .as_deref()
        .filter(|t| CaseType::parse(t).is_ok())
    {
        pairs.push(("case_type", t.to_owned()));
    }
    if let Some(q) = query.q.as_deref().filter(|q| !q.trim().is_empty()) {
        pairs.push(("q", q.to_owned()));
    }
    for (name, code, _) in active_filters(query) {
        pairs.push((name, code.to_owned()));
    }
    if let Some(id) = query
        .practitioner
        .as_deref()
        .and_then(|id| Uuid::parse_str(id).ok())
    {
        pairs.push(("practitioner", id.to_string()));
    }
    pairs
        .into_iter()
        .map(|pair| {
            format!(
                "&{}",
                serde_urlencoded::to_string([pair]).unwrap_or_default()
            )
        })
        .collect()
}

fn matches_search(summary: &CaseSummary, search: &str) -> bool {
    let name = format!("{} {}", summary.first_name, summary.last_name).to_lowercase();
    name.contains(search) || summary.crn.to_lowercase().contains(search)
}

/// Orders two cases by `key`; a case with no value (not assessed, none booked) comes last in
/// either direction, so the cases that have one stay at the top.
fn compare(
    a: &CaseSummary,
    b: &CaseSummary,
    key: SortKey,
    descending: bool,
    today: NaiveDate,
) -> Ordering {
    fn by<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) if descending => b.cmp(&a),
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    let name = |s: &CaseSummary| (s.last_name.to_lowercase(), s.first_name.to_lowercase());
    match key {
        SortKey::Name => by(Some(name(a)), Some(name(b)), descending),
        SortKey::Crn => by(Some(&a.crn), Some(&b.crn), descending),
        SortKey::CaseType => by(Some(case_type(a)), Some(case_type(b)), descending),
        SortKey::Rosh => by(a.rosh, b.rosh, descending),
        SortKey::Tier => by(
            a.tier.as_ref().map(|t| &t.legacy),
            b.tier.as_ref().map(|t| &t.legacy),
            descending,
        ),
        SortKey::Checks => by(
            Some((a.checks.overdue, a.checks.outstanding)),
            Some((b.checks.overdue, b.checks.outstanding)),
            descending,
        ),
        SortKey::Assessment => by(
            AssessmentState::of(a, today).due(),
            AssessmentState::of(b, today).due(),
            descending,
        ),
        SortKey::NextAppointment => by(a.next_appointment, b.next_appointment, descending),
        SortKey::LastContact => by(a.last_contact, b.last_contact, descending),
        SortKey::Practitioner => by(
            a.allocation.as_ref().map(|x| &x.staff_name),
            b.allocation.as_ref().map(|x| &x.staff_name),
            descending,
        ),
    }
}

fn case_type(summary: &CaseSummary) -> &'static str {
    summary
        .main_event
        .as_ref()
        .map(|e| e.case_type.label())
        .unwrap_or("")
}

/// The flags of a case as labels, MAPPA with its level.
pub fn flag_labels(summary: &CaseSummary) -> Vec<String> {
    let mut flags: Vec<String> = summary.flags.iter().map(|f| f.label().to_owned()).collect();
    if let Some(level) = summary.mappa_level {
        if let Some(position) = flags.iter().position(|f| f == "MAPPA") {
            flags[position] = format!("MAPPA level {}", level.code());
        }
    }
    flags
}

/// "1 thing" or "2 things".
pub fn counted(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn rosh_words(summary: &CaseSummary) -> String {
    summary
        .rosh
        .map(|level| level.label().to_owned())
        .unwrap_or_else(|| "Not assessed".into())
}

fn row(summary: &CaseSummary, today: NaiveDate) -> CaseRow {
    let assessment = AssessmentState::of(summary, today);
    let reviews = &summary.reviews;
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
            .map(|e| e.offence_category.label().to_owned())
            .unwrap_or_default(),
        flags: flag_labels(summary),
        flags_review: if summary.flags_to_review > 0 {
            format!(
                "{} due for review",
                counted(summary.flags_to_review, "flag", "flags")
            )
        } else {
            String::new()
        },
        next_appointment: summary
            .next_appointment
            .map(format::date_time)
            .unwrap_or_else(|| "None booked".into()),
        last_contact: summary
            .last_contact
            .map(|at: NaiveDateTime| format::short_date(at.date()))
            .unwrap_or_else(|| "None recorded".into()),
        tier: summary
            .tier
            .as_ref()
            .map(|t| t.legacy.clone())
            .unwrap_or_else(|| "Not computed".into()),
        rosh: rosh_words(summary),
        checks: match summary.checks.outstanding {
            0 => "None".into(),
            n => format!("{n} waiting for an answer"),
        },
        checks_overdue: match summary.checks.overdue {
            0 => String::new(),
            n => format!("{n} overdue"),
        },
        assessment: assessment.words(),
        assessment_overdue: assessment.is_overdue(),
        reviews: match (reviews.open, reviews.overdue) {
            (0, _) => String::new(),
            (_, 0) => format!("{} due", counted(reviews.open, "review", "reviews")),
            (_, overdue) => format!("{} overdue", counted(overdue, "review", "reviews")),
        },
        reviews_overdue: reviews.overdue > 0,
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
                checks: Default::default(),
                reviews: Default::default(),
                flags_to_review: 0,
                supervision: Default::default(),
                waiting_since: None,
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
    fn a_long_list_shows_a_window_of_pages_with_the_gaps_marked() {
        let pages = Pagination::windowed(7, 20, |n| format!("?page={n}"));
        let shown: Vec<Option<usize>> = pages.items().iter().map(|i| i.map(|p| p.0)).collect();
        assert_eq!(
            shown,
            [
                Some(1),
                None,
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                Some(9),
                None,
                Some(20)
            ]
        );
        let near_start = Pagination::windowed(1, 3, |n| format!("?page={n}"));
        assert!(near_start.items().iter().all(Option::is_some));
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
