//! "Needs attention": what is waiting on a practitioner's cases, each count linking to where it is
//! fixed — shown at the top of "My cases", and for a senior officer's team practitioner by
//! practitioner (`GET /teams/{code}/attention`). Everything is counted from the caseload the page
//! already read (a fixed number of queries), so a count and the filtered list it links to always
//! agree.

use crate::cases::list::{counted, AssessmentState};
use chrono::NaiveDate;
use keepsafe_storage::cases::caseload::CaseSummary;
use std::collections::BTreeMap;
use uuid::Uuid;

/// How many cases of a caseload have each kind of work waiting, and how many review tasks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseCounts {
    pub assessments_overdue: u32,
    pub checks_overdue: u32,
    pub checks_waiting: u32,
    pub reviews: u32,
    pub reviews_overdue: u32,
    pub review_tasks: u32,
    pub review_tasks_overdue: u32,
    pub flags_to_review: u32,
    pub outcomes: u32,
    pub evidence: u32,
    pub warnings: u32,
    pub breaches: u32,
}

impl CaseCounts {
    pub fn of<'a>(cases: impl IntoIterator<Item = &'a CaseSummary>, today: NaiveDate) -> Self {
        let mut counts = Self::default();
        for case in cases {
            counts.add(case, today);
        }
        counts
    }

    fn add(&mut self, case: &CaseSummary, today: NaiveDate) {
        let one = |yes: bool| u32::from(yes);
        self.assessments_overdue += one(AssessmentState::of(case, today).is_overdue());
        self.checks_overdue += one(case.checks.overdue > 0);
        self.checks_waiting += one(case.checks.outstanding > 0);
        self.reviews += one(case.reviews.open > 0);
        self.reviews_overdue += one(case.reviews.overdue > 0);
        self.review_tasks += case.reviews.open;
        self.review_tasks_overdue += case.reviews.overdue;
        self.flags_to_review += one(case.flags_to_review > 0);
        self.outcomes += one(case.supervision.outcomes > 0);
        self.evidence += one(case.supervision.evidence > 0);
        self.warnings += one(case.supervision.warnings > 0);
        self.breaches += one(case.supervision.breaches > 0);
    }
}

/// One line of the summary: what, how many in words, and where to go.
pub struct AttentionItem {
    pub label: &'static str,
    pub count: u32,
    /// "3 cases", "1 appointment", or "None".
    pub words: String,
    /// Where it is fixed; `None` when there is nothing to do.
    pub href: Option<String>,
    pub testid: &'static str,
}

fn item(
    label: &'static str,
    count: u32,
    (one, many): (&str, &str),
    href: String,
    testid: &'static str,
) -> AttentionItem {
    AttentionItem {
        label,
        count,
        words: if count == 0 {
            "None".into()
        } else {
            counted(count, one, many)
        },
        href: (count > 0).then_some(href),
        testid,
    }
}

/// Lengths of the supervision sections of the practitioner's tasks page, read with the same
/// storage queries as that page, so the counts here are the lines there.
#[derive(Debug, Clone, Copy, Default)]
pub struct TaskCounts {
    pub outcomes: u32,
    pub evidence: u32,
    pub warnings: u32,
    pub breaches: u32,
}

const CASES: (&str, &str) = ("case", "cases");

/// The practitioner's summary, for the top of "My cases".
pub fn for_practitioner(cases: &CaseCounts, tasks: &TaskCounts) -> Vec<AttentionItem> {
    let reviews_words = match (cases.review_tasks, cases.review_tasks_overdue) {
        (0, _) => "None".to_owned(),
        (n, 0) => counted(n, "review", "reviews"),
        (n, overdue) => format!("{}, {overdue} overdue", counted(n, "review", "reviews")),
    };
    vec![
        item(
            "Risk assessments overdue",
            cases.assessments_overdue,
            CASES,
            "/cases?assessment=overdue".into(),
            "attention-assessments-overdue",
        ),
        item(
            "Checks overdue",
            cases.checks_overdue,
            CASES,
            "/cases?checks=overdue".into(),
            "attention-checks-overdue",
        ),
        item(
            "Checks waiting for an answer",
            cases.checks_waiting,
            CASES,
            "/cases?checks=outstanding".into(),
            "attention-checks-waiting",
        ),
        AttentionItem {
            words: reviews_words,
            ..item(
                "Risk assessment reviews due",
                cases.review_tasks,
                ("review", "reviews"),
                "/tasks#reviews".into(),
                "attention-reviews",
            )
        },
        item(
            "Flags to review",
            cases.flags_to_review,
            CASES,
            "/cases?flags=review".into(),
            "attention-flags",
        ),
        item(
            "Appointments without an outcome",
            tasks.outcomes,
            ("appointment", "appointments"),
            "/tasks#outcomes-to-record".into(),
            "attention-outcomes",
        ),
        item(
            "Evidence to judge",
            tasks.evidence,
            ("failure", "failures"),
            "/tasks#evidence-to-judge".into(),
            "attention-evidence",
        ),
        item(
            "Warnings to send",
            tasks.warnings,
            ("warning", "warnings"),
            "/tasks#warnings-to-send".into(),
            "attention-warnings",
        ),
        item(
            "Breach actions due",
            tasks.breaches,
            ("breach action", "breach actions"),
            "/tasks#breach-actions-due".into(),
            "attention-breaches",
        ),
    ]
}

/// The columns of the team table: heading, the filter that lists the cases behind the number,
/// and the count.
pub const TEAM_COLUMNS: [(&str, &str); 9] = [
    ("Risk assessments overdue", "assessment=overdue"),
    ("Checks overdue", "checks=overdue"),
    ("Checks waiting", "checks=outstanding"),
    ("Reviews due", "reviews=open"),
    ("Flags to review", "flags=review"),
    ("Appointments without an outcome", "work=outcomes"),
    ("Evidence to judge", "work=evidence"),
    ("Warnings to send", "work=warnings"),
    ("Breach actions due", "work=breaches"),
];

fn team_values(c: &CaseCounts) -> [u32; 9] {
    [
        c.assessments_overdue,
        c.checks_overdue,
        c.checks_waiting,
        c.reviews,
        c.flags_to_review,
        c.outcomes,
        c.evidence,
        c.warnings,
        c.breaches,
    ]
}

/// A cell of the team table: the number of cases and, when there are any, the link to them.
pub struct TeamCell {
    pub count: u32,
    pub href: Option<String>,
    /// For screen readers: "Checks overdue for Sam Jones".
    pub context: String,
}

/// A practitioner's line in the team table.
pub struct TeamLine {
    pub staff_id: String,
    pub name: String,
    pub grade: String,
    pub cases: usize,
    pub cells: Vec<TeamCell>,
}

/// The team's table, practitioner by practitioner (by name), with a total line. Each number
/// links to the team caseload narrowed to the practitioner and the filter behind it.
pub fn for_team(
    cases: &[CaseSummary],
    team_path: &str,
    today: NaiveDate,
) -> (Vec<TeamLine>, TeamLine) {
    let mut by_staff: BTreeMap<(String, Uuid), (String, Vec<&CaseSummary>)> = BTreeMap::new();
    for case in cases {
        if let Some(a) = &case.allocation {
            by_staff
                .entry((a.staff_name.clone(), a.staff_id))
                .or_insert_with(|| (a.grade.to_string(), Vec::new()))
                .1
                .push(case);
        }
    }
    let line = |name: String, grade: String, staff: Option<Uuid>, held: &[&CaseSummary]| {
        let counts = CaseCounts::of(held.iter().copied(), today);
        let cells = TEAM_COLUMNS
            .iter()
            .zip(team_values(&counts))
            .map(|((heading, filter), count)| TeamCell {
                count,
                href: (count > 0).then(|| match staff {
                    Some(id) => format!("{team_path}?practitioner={id}&{filter}"),
                    None => format!("{team_path}?{filter}"),
                }),
                context: format!("{heading}: {name}"),
            })
            .collect();
        TeamLine {
            staff_id: staff.map(|id| id.to_string()).unwrap_or_default(),
            cases: held.len(),
            name,
            grade,
            cells,
        }
    };
    let lines = by_staff
        .into_iter()
        .map(|((name, id), (grade, held))| line(name, grade, Some(id), &held))
        .collect();
    let all: Vec<&CaseSummary> = cases.iter().collect();
    let total = line("Whole team".into(), String::new(), None, &all);
    (lines, total)
}
