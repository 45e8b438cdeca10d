//! The work that counts towards a practitioner's workload besides their cases (reference §9):
//! reductions of available hours and the court and parole reports being written.
//!
//! Calibration, so the demo shows the capacity picture the service reports rather than every
//! practitioner at full hours with nothing but cases:
//! - **Trainees** are somewhere in their 18 months of training, with the three trainee reductions
//!   (80%, 60%, 40% of contracted hours) the domain works out from their start date.
//! - About 1 in 7 **probation officers** qualified in the last year and has the newly qualified
//!   reduction (20%) for their first 12 months.
//! - One probation officer per PDU is a **union** representative (7.4 hours a week).
//! - About 1 in 8 practitioners has **another** standing reduction of 3.7 hours (practice tutor,
//!   MAPPA chair, programme facilitation).
//! - Every allocated **pre-sentence** case has its court report being written by its practitioner
//!   (standard or fast), and about 1 in 8 **custody** cases a parole report.
//!
//! Drawn from a stream of its own (the seed, offset), so adding it left every earlier draw — and so
//! the rest of the region — exactly as it was.

use crate::model::{CourtReport, Person, StaffMember, StaffReduction};
use crate::random::DemoRng;
use chrono::{Days, Months, NaiveDate};
use keepsafe_domain::calendar::add_working_days;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::staff::{ContractedHours, Grade};
use keepsafe_domain::workload::{
    newly_qualified_reduction, trainee_reductions, ReductionKind, ReportKind,
};

/// Offsets the seed for this stream.
const STREAM: u64 = 0x5eed_0009;

/// Working days a court report is prepared in, from the request.
const STANDARD_REPORT_WORKING_DAYS: u32 = 15;
const FAST_REPORT_WORKING_DAYS: u32 = 5;
/// Working days a parole report is prepared in.
const PAROLE_REPORT_WORKING_DAYS: u32 = 60;

const OTHER_REASONS: [&str; 3] = [
    "Practice tutor for a trainee",
    "Chairs MAPPA level 1 reviews",
    "Co-facilitates an accredited programme",
];

/// Reductions and open reports for the region.
pub(crate) fn add(
    seed: u64,
    staff: &[StaffMember],
    people: &[Person],
    today: NaiveDate,
) -> (Vec<StaffReduction>, Vec<CourtReport>) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    (
        reductions(&mut rng, staff, today),
        reports(&mut rng, people, today),
    )
}

fn months_ago(today: NaiveDate, months: u32, days: u64) -> NaiveDate {
    today
        .checked_sub_months(Months::new(months))
        .unwrap_or(today)
        .checked_sub_days(Days::new(days))
        .unwrap_or(today)
}

fn reductions(rng: &mut DemoRng, staff: &[StaffMember], today: NaiveDate) -> Vec<StaffReduction> {
    let mut out = Vec::new();
    let mut union_rep_in = std::collections::HashSet::new();
    for member in staff.iter().filter(|m| m.grade.holds_caseload()) {
        let Ok(contracted) = ContractedHours::parse(member.contracted_hours) else {
            continue;
        };
        let mut push = |rng: &mut DemoRng, kind, hours, from, to, reason: &str| {
            out.push(StaffReduction {
                id: rng.id(),
                staff_id: member.id,
                kind,
                hours,
                from,
                to,
                reason: reason.to_owned(),
            })
        };
        match member.grade {
            Grade::TraineeOfficer => {
                let start = months_ago(today, rng.range(1..17), rng.range(0..28));
                for r in trainee_reductions(contracted, start) {
                    push(
                        rng,
                        r.kind,
                        r.hours,
                        r.from,
                        r.to,
                        "Professional qualification in probation",
                    );
                }
            }
            Grade::ProbationOfficer if rng.chance(1.0 / 7.0) => {
                let from = months_ago(today, rng.range(0..11), rng.range(0..28));
                let to = from
                    .checked_add_months(Months::new(12))
                    .and_then(|d| d.pred_opt());
                let r = newly_qualified_reduction(contracted, from, to);
                push(
                    rng,
                    r.kind,
                    r.hours,
                    r.from,
                    r.to,
                    "First year after qualifying",
                );
            }
            _ => {}
        }
        if member.grade == Grade::ProbationOfficer
            && member.username.is_none()
            && member.pdu_id.is_some_and(|pdu| union_rep_in.insert(pdu))
        {
            let from = months_ago(today, rng.range(6..36), 0);
            push(
                rng,
                ReductionKind::UnionDuties,
                7.4,
                from,
                None,
                "Union representative",
            );
        } else if rng.chance(1.0 / 8.0) {
            let from = months_ago(today, rng.range(1..24), rng.range(0..28));
            let reason = rng.choose(&OTHER_REASONS);
            push(rng, ReductionKind::Other, 3.7, from, None, reason);
        }
    }
    out
}

fn reports(rng: &mut DemoRng, people: &[Person], today: NaiveDate) -> Vec<CourtReport> {
    let mut out = Vec::new();
    for person in people {
        let Some(current) = person.allocations.iter().find(|a| a.end_date.is_none()) else {
            continue;
        };
        let Some(main) = person
            .events
            .iter()
            .filter(|e| e.active)
            .max_by_key(|e| e.number)
        else {
            continue;
        };
        let (kind, working_days, back) = match main.case_type {
            CaseType::PreSentence if rng.chance(0.55) => (
                ReportKind::StandardCourtReport,
                STANDARD_REPORT_WORKING_DAYS,
                14,
            ),
            CaseType::PreSentence => (ReportKind::FastCourtReport, FAST_REPORT_WORKING_DAYS, 4),
            CaseType::Custody if rng.chance(1.0 / 8.0) => {
                (ReportKind::ParoleReport, PAROLE_REPORT_WORKING_DAYS, 60)
            }
            _ => continue,
        };
        let requested_on = today - Days::new(rng.range(0..=back));
        let requested_on = requested_on.max(current.start_date);
        out.push(CourtReport {
            id: rng.id(),
            person_id: person.id,
            staff_id: current.staff_id,
            kind,
            requested_on,
            due_on: add_working_days(requested_on, working_days),
        });
    }
    out
}
