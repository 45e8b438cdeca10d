//! The public-protection work on each supervised case: RoSH assessments, the police
//! domestic-abuse and children's-services checks they rest on, and the reviews that changes in
//! circumstances call for (reference §3 and §4).
//!
//! Calibrated so the demo looks like a service mid-stream rather than one that has never assessed
//! anyone: about 55% of supervised cases have an assessment in force, about 10% a draft in
//! progress, about 15% a police check waiting for an answer (a third of them overdue) and about
//! 8% a review of the assessment due. Every completed assessment passes the completion gates on
//! the day it was completed: the police check on the address of the day answered and referenced,
//! the children's-services check likewise where children are involved, and every member of the
//! household considered. Deadlines come from the domain's rules, never made up.

use crate::calendar::{add_days, at, days_between};
use crate::model::{
    Address, Allocation, Assessment, CheckAnswer, CheckReferenceNote, CheckRequest,
    ConsiderationNote, Event, HouseholdMember, Person, ReviewTask, StaffMember,
};
use crate::random::DemoRng;
use crate::risk_text::{self as text, Analysis, Change, Circumstances, Subject};
use crate::spec::{DemoSpec, Scale};
use chrono::{NaiveDate, NaiveDateTime};
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::age::is_child_on;
use keepsafe_domain::calendar::{add_working_days, is_working_day, CALENDAR_RULE_VERSION};
use keepsafe_domain::checks::{CheckDeadlineRules, CheckKind};
use keepsafe_domain::event::{CaseType, OffenceCategory, SentenceType};
use keepsafe_domain::household::Relationship;
use keepsafe_domain::registration::{MappaLevel, RegistrationKind};
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::review::{ReviewRules, ReviewTrigger};
use keepsafe_domain::rosh::{AssessmentStatus, RiskGroup, RoshLevel};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::CodedValue;
use std::collections::{HashMap, HashSet};

/// Supervised cases with a completed assessment in force (reference §1: many cases are assessed,
/// but few well — so the share is only just over half).
const COMPLETED: f64 = 0.57;
/// Of those, the share assessed before as well (the earlier assessment superseded). Raised above
/// the 15% wanted because recent cases have had no time for a second assessment.
const REASSESSED: f64 = 0.2;
/// A draft in progress: a review on an assessed case, or a first assessment.
const DRAFT_WHEN_ASSESSED: f64 = 0.05;
const DRAFT_WHEN_NOT_ASSESSED: f64 = 0.17;
/// A draft's police check requested and not yet answered.
const DRAFT_CHECK_OUTSTANDING: f64 = 0.6;
/// A draft on an unassessed case whose police check has already come back.
const DRAFT_CHECK_ANSWERED: f64 = 0.5;
/// A draft's children's-services check outstanding, where children are involved.
const DRAFT_CHILDREN_CHECK_OUTSTANDING: f64 = 0.4;
/// No draft, but a police check waiting: a new request after the assessment (circumstances
/// changed) or one made at allocation for a case not yet assessed.
const RECHECK_OUTSTANDING: f64 = 0.1;
const FIRST_CHECK_OUTSTANDING: f64 = 0.14;
/// Outstanding checks past their deadline.
const OVERDUE: f64 = 1.0 / 3.0;
/// Assessed cases with an open review task (8% of all supervised cases).
const OPEN_REVIEW: f64 = 0.15;
/// Reassessed cases whose newer assessment answered a review task.
const ANSWERED_REVIEW: f64 = 0.6;
/// How far back assessments in force were completed, in days.
const OLDEST_IN_FORCE: i64 = 300;
/// How far back a superseded assessment can go, in days.
const OLDEST_SUPERSEDED: i64 = 730;
/// Open review tasks follow changes in the last 40 days.
const REVIEW_WINDOW: i64 = 40;

/// Adds the risk work to every supervised case: allocated, with an active sentence (not awaiting
/// sentence). In the small region the cases of `po.demo` and `po.other` are left untouched, so the
/// tests that start assessments on them start from nothing.
pub(crate) fn add(
    rng: &mut DemoRng,
    people: &mut [Person],
    staff: &[StaffMember],
    spec: &DemoSpec,
) {
    let context = Context::new(staff, spec);
    for person in people.iter_mut() {
        let Some(allocation) = supervised(person) else {
            continue;
        };
        if context.untouched.contains(&allocation.staff_id) {
            continue;
        }
        let CaseWork {
            checks,
            assessments,
            review_tasks,
            ..
        } = CaseWork::generate(rng, person, &context);
        person.checks = checks;
        person.assessments = assessments;
        person.review_tasks = review_tasks;
    }
}

/// The current allocation of a case under supervision on an active sentence, if it is one.
pub(crate) fn supervised(person: &Person) -> Option<&Allocation> {
    let event = person.events.last()?;
    if !event.active || event.case_type == CaseType::PreSentence {
        return None;
    }
    person.allocations.iter().find(|a| a.end_date.is_none())
}

struct Context {
    today: NaiveDate,
    /// The senior probation officer of each team, who countersigns.
    seniors: HashMap<uuid::Uuid, uuid::Uuid>,
    untouched: HashSet<uuid::Uuid>,
    checks: CheckDeadlineRules,
    reviews: ReviewRules,
}

impl Context {
    fn new(staff: &[StaffMember], spec: &DemoSpec) -> Self {
        let seniors = staff
            .iter()
            .filter(|member| member.grade == Grade::SeniorProbationOfficer)
            .filter_map(|member| member.team_id.map(|team| (team, member.id)))
            .collect();
        let untouched = staff
            .iter()
            .filter(|_| spec.scale == Scale::Small)
            .filter(|member| matches!(member.username.as_deref(), Some("po.demo" | "po.other")))
            .map(|member| member.id)
            .collect();
        Self {
            today: spec.today,
            seniors,
            untouched,
            checks: CheckDeadlineRules::default(),
            reviews: ReviewRules::default(),
        }
    }

    /// The deadline rule as the application words it on a request.
    fn deadline_rule(&self, kind: CheckKind) -> String {
        format!(
            "{} working days, {} ({})",
            self.checks.working_days(kind),
            self.checks.version,
            CALENDAR_RULE_VERSION
        )
    }
}

/// What was true on a day: the facts the completion gates and the levels depend on.
struct Situation<'a> {
    day: NaiveDate,
    case_type: CaseType,
    address: &'a Address,
    household: Vec<&'a HouseholdMember>,
    children_at_home: bool,
    child_registration: bool,
    domestic_abuse: bool,
    mappa_level: Option<MappaLevel>,
    risk_to_children: bool,
}

impl<'a> Situation<'a> {
    fn on(person: &'a Person, day: NaiveDate) -> Option<Self> {
        let event = person.events.last()?;
        let household = household_on(person, day);
        let children_at_home = household.iter().any(|member| {
            member
                .date_of_birth
                .is_some_and(|born| is_child_on(born, day))
        });
        let active: Vec<_> = person
            .registrations
            .iter()
            .filter(|r| r.registered_on <= day && r.ended_on.is_none_or(|end| end > day))
            .collect();
        Some(Self {
            day,
            case_type: case_type_on(event, day),
            address: address_on(person, day)?,
            household,
            children_at_home,
            child_registration: active.iter().any(|r| r.kind.concerns_children()),
            // Registered as a perpetrator then or since: the offending behind a registration
            // made later was known when the assessment was written.
            domestic_abuse: person.registrations.iter().any(|r| {
                r.kind == RegistrationKind::DomesticAbusePerpetrator
                    && r.ended_on.is_none_or(|end| end > day)
            }),
            mappa_level: active
                .iter()
                .filter_map(|r| r.mappa_level)
                .max_by_key(|level| MappaLevel::ALL.iter().position(|l| l == level)),
            risk_to_children: active
                .iter()
                .any(|r| r.kind == RegistrationKind::RiskToChildren),
        })
    }

    /// Children's-services information is needed (the gate's rule).
    fn children_involved(&self) -> bool {
        self.children_at_home || self.child_registration
    }
}

/// The address the person lived at on `day` (the one the application would call current then).
pub(crate) fn address_on(person: &Person, day: NaiveDate) -> Option<&Address> {
    person
        .addresses
        .iter()
        .filter(|a| a.start_date <= day && a.end_date.is_none_or(|end| end > day))
        .filter(|a| a.status != AddressStatus::Secondary)
        .max_by_key(|a| a.start_date)
}

/// Who lived with the person on `day`.
pub(crate) fn household_on(person: &Person, day: NaiveDate) -> Vec<&HouseholdMember> {
    person
        .household
        .iter()
        .filter(|m| m.start_date <= day && m.end_date.is_none_or(|end| end > day))
        .collect()
}

/// The case type on `day`: a licence case was a custody case before release.
pub(crate) fn case_type_on(event: &Event, day: NaiveDate) -> CaseType {
    match event.case_type {
        CaseType::Licence if event.release_date.is_some_and(|released| day < released) => {
            CaseType::Custody
        }
        other => other,
    }
}

fn allocation_on(person: &Person, day: NaiveDate) -> Option<&Allocation> {
    person
        .allocations
        .iter()
        .find(|a| a.start_date <= day && a.end_date.is_none_or(|end| end > day))
}

/// Violence or robbery with a long or indeterminate prison sentence.
fn very_violent(event: &Event) -> bool {
    matches!(
        event.offence_category,
        OffenceCategory::Violence | OffenceCategory::Robbery
    ) && event.sentence_type.is_custodial()
        && (matches!(
            event.sentence_type,
            SentenceType::Life
                | SentenceType::ImprisonmentForPublicProtection
                | SentenceType::ExtendedDeterminate
        ) || event
            .sentence_length_months
            .is_none_or(|months| months >= 48))
}

/// The working day `count` working days before `day`.
fn working_days_before(day: NaiveDate, count: u32) -> NaiveDate {
    let mut date = day;
    let mut left = count;
    while left > 0 {
        date = add_days(date, -1);
        if is_working_day(date) {
            left -= 1;
        }
    }
    date
}

/// A working day between `earliest` and `latest` (inclusive), roughly uniformly; none if the
/// range holds no working day.
fn working_day_between(
    rng: &mut DemoRng,
    earliest: NaiveDate,
    latest: NaiveDate,
) -> Option<NaiveDate> {
    if earliest > latest {
        return None;
    }
    let mut day = add_days(earliest, rng.range(0..=days_between(earliest, latest)));
    while !is_working_day(day) && day > earliest {
        day = add_days(day, -1);
    }
    while !is_working_day(day) && day <= latest {
        day = add_days(day, 1);
    }
    (is_working_day(day) && day <= latest).then_some(day)
}

fn office_at(
    rng: &mut DemoRng,
    day: NaiveDate,
    hours: std::ops::RangeInclusive<u32>,
) -> NaiveDateTime {
    let hour = rng.range(hours);
    at(day, hour, rng.choose(&[0, 10, 15, 25, 30, 40, 45, 55]))
}

/// One case's checks, assessments and review tasks, built in date order.
struct CaseWork<'a> {
    person: &'a Person,
    context: &'a Context,
    officer: uuid::Uuid,
    checks: Vec<CheckRequest>,
    assessments: Vec<Assessment>,
    review_tasks: Vec<ReviewTask>,
}

impl<'a> CaseWork<'a> {
    fn generate(rng: &mut DemoRng, person: &'a Person, context: &'a Context) -> Self {
        let officer = supervised(person)
            .expect("only supervised cases get risk work")
            .staff_id;
        let mut work = Self {
            person,
            context,
            officer,
            checks: Vec::new(),
            assessments: Vec::new(),
            review_tasks: Vec::new(),
        };
        let today = context.today;
        let first_allocated = person.allocations[0].start_date;
        let in_force = if rng.chance(COMPLETED) {
            let earliest = first_allocated.max(add_days(today, -OLDEST_IN_FORCE));
            let reassessed = rng.chance(REASSESSED);
            working_day_between(rng, earliest, add_days(today, -1))
                .and_then(|day| work.assessed_on(rng, day, reassessed))
        } else {
            None
        };
        let assessed_until = in_force.map(|at| at.date());
        let drafting = rng.chance(if in_force.is_some() {
            DRAFT_WHEN_ASSESSED
        } else {
            DRAFT_WHEN_NOT_ASSESSED
        });
        if drafting {
            work.draft(rng, assessed_until);
        } else {
            let chance = if in_force.is_some() {
                RECHECK_OUTSTANDING
            } else {
                FIRST_CHECK_OUTSTANDING
            };
            if rng.chance(chance) {
                work.outstanding_check(rng, CheckKind::PoliceDomesticAbuse, assessed_until);
            }
        }
        if let Some(effective) = in_force {
            if rng.chance(OPEN_REVIEW) {
                work.open_review(rng, effective.date());
            }
        }
        work.checks.sort_by_key(|check| check.created_at);
        work
    }

    /// The assessment in force, completed on `day`, and (if `reassessed`) an earlier one it
    /// superseded. Returns when it took effect.
    fn assessed_on(
        &mut self,
        rng: &mut DemoRng,
        day: NaiveDate,
        reassessed: bool,
    ) -> Option<NaiveDateTime> {
        let first_allocated = self.person.allocations[0].start_date;
        let earlier = if reassessed {
            let earliest = first_allocated.max(add_days(self.context.today, -OLDEST_SUPERSEDED));
            working_day_between(rng, earliest, add_days(day, -42))
                .and_then(|earlier| self.completed(rng, earlier))
        } else {
            None
        };
        let answered_review = match earlier {
            Some(previous) if rng.chance(ANSWERED_REVIEW) => {
                let effective = self.effective(previous).date();
                // The review prompted the new assessment: it happened before the draft began.
                let started_by = add_days(day, -10);
                self.review_task(rng, add_days(effective, 1), started_by)
            }
            _ => None,
        };
        let Some(current) = self.completed(rng, day) else {
            // Nothing to supersede it: the earlier one stays in force.
            self.review_tasks.clear();
            return earlier.map(|index| self.effective(index));
        };
        let took_effect = self.effective(current);
        let current_id = self.assessments[current].id;
        if let Some(previous) = earlier {
            let superseded = &mut self.assessments[previous];
            superseded.status = AssessmentStatus::Superseded;
            superseded.superseded_at = Some(took_effect);
        }
        if let Some(task) = answered_review {
            let task = &mut self.review_tasks[task];
            task.completed_on = Some(took_effect.date());
            task.completed_by_assessment = Some(current_id);
        }
        Some(took_effect)
    }

    /// When an assessment took effect: on countersignature if it needed one.
    fn effective(&self, index: usize) -> NaiveDateTime {
        let assessment = &self.assessments[index];
        assessment
            .countersigned_at
            .or(assessment.completed_at)
            .expect("only completed assessments take effect")
    }

    /// A completed assessment on `day` by the officer then allocated, with the checks it needed.
    fn completed(&mut self, rng: &mut DemoRng, day: NaiveDate) -> Option<usize> {
        let person = self.person;
        let allocation = allocation_on(person, day)?;
        let situation = Situation::on(person, day)?;
        let officer = allocation.staff_id;
        let event = person.events.last()?;

        self.answered_check(rng, CheckKind::PoliceDomesticAbuse, &situation, officer);
        if situation.children_involved() {
            self.answered_check(rng, CheckKind::ChildrensServices, &situation, officer);
        }

        let levels = levels(rng, event, &situation);
        let case_level = levels.iter().map(|(_, level)| *level).max();
        let subject = Subject::new(person, &situation.household, day, situation.domestic_abuse);
        let analysis = text::analysis(rng, &subject, event, &levels);
        let check_references = self.references(rng, day, &subject);
        let considerations = situation
            .household
            .iter()
            .map(|member| ConsiderationNote {
                subject_id: member.id,
                note: text::consideration(rng, member, &subject),
            })
            .collect();

        let started = add_days(day, -rng.range(0..=10)).max(allocation.start_date);
        let created_at = office_at(rng, started, 9..=11);
        let completed_at = office_at(rng, day, 12..=14);
        let countersigned = case_level
            .filter(|level| level.needs_countersignature())
            .map(|_| {
                let senior = self.context.seniors[&allocation.team_id];
                let signed = add_days(day, rng.range(0..=5)).min(add_days(self.context.today, -1));
                (senior, office_at(rng, signed, 15..=16))
            });
        let saves: i32 = rng.range(1..=5);
        self.assessments.push(Assessment {
            id: rng.id(),
            status: AssessmentStatus::Completed,
            version: 1 + saves + 1 + i32::from(countersigned.is_some()),
            case_type: situation.case_type,
            levels,
            nature_of_harm: analysis.nature_of_harm,
            who_is_at_risk: analysis.who_is_at_risk,
            imminence: analysis.imminence,
            increasing_factors: analysis.increasing_factors,
            reducing_factors: analysis.reducing_factors,
            case_level,
            considerations,
            check_references,
            created_by: officer,
            created_at,
            updated_by: officer,
            updated_at: completed_at,
            completed_by: Some(officer),
            completed_at: Some(completed_at),
            countersigned_by: countersigned.map(|(senior, _)| senior),
            countersigned_at: countersigned.map(|(_, at)| at),
            superseded_at: None,
        });
        Some(self.assessments.len() - 1)
    }

    /// A note on every response received by `day`: how the latest of each kind informs the
    /// analysis, and that earlier ones were re-read.
    fn references(
        &self,
        rng: &mut DemoRng,
        day: NaiveDate,
        subject: &Subject,
    ) -> Vec<CheckReferenceNote> {
        let received = |check: &&CheckRequest| {
            check
                .response
                .as_ref()
                .is_some_and(|answer| answer.received_on <= day)
        };
        let mut notes = Vec::new();
        for check in self.checks.iter().filter(received) {
            let latest =
                !self.checks.iter().filter(received).any(|other| {
                    other.kind == check.kind && other.requested_on > check.requested_on
                });
            let note = match (&check.response, latest) {
                (Some(answer), true) => {
                    text::reference(rng, check.kind, answer.known_to_agency, subject)
                }
                _ => text::earlier_reference(check.kind, check.requested_on),
            };
            notes.push(CheckReferenceNote {
                check_id: check.id,
                note,
            });
        }
        notes
    }

    /// A check requested 10–30 days before `situation.day` for the address of the day and
    /// answered by then.
    fn answered_check(
        &mut self,
        rng: &mut DemoRng,
        kind: CheckKind,
        situation: &Situation,
        officer: uuid::Uuid,
    ) {
        let day = situation.day;
        let asked = working_day_between(
            rng,
            add_days(day, -30).max(situation.address.start_date),
            add_days(day, -10).max(situation.address.start_date),
        )
        .filter(|asked| *asked <= day)
        .unwrap_or(day);
        let received = add_working_days(asked, rng.range(2..=14)).min(day);
        let known = rng.chance(match kind {
            CheckKind::PoliceDomesticAbuse if situation.domestic_abuse => 0.8,
            CheckKind::PoliceDomesticAbuse => 0.2,
            CheckKind::ChildrensServices if situation.child_registration => 0.85,
            CheckKind::ChildrensServices => 0.3,
        });
        let summary = match kind {
            CheckKind::PoliceDomesticAbuse => {
                text::police_summary(rng, known, situation.domestic_abuse, received)
            }
            CheckKind::ChildrensServices => {
                text::childrens_summary(rng, known, situation.child_registration, received)
            }
        };
        let requested_by = allocation_on(self.person, asked).map_or(officer, |a| a.staff_id);
        let recorded_by = allocation_on(self.person, received).map_or(officer, |a| a.staff_id);
        let check = self.request(rng, kind, situation.address, asked, requested_by);
        check.response = Some(CheckAnswer {
            received_on: received,
            known_to_agency: known,
            summary,
            recorded_by,
        });
    }

    fn request(
        &mut self,
        rng: &mut DemoRng,
        kind: CheckKind,
        address: &Address,
        requested_on: NaiveDate,
        requested_by: uuid::Uuid,
    ) -> &mut CheckRequest {
        self.checks.push(CheckRequest {
            id: rng.id(),
            kind,
            address_id: Some(address.id),
            address_description: format!("{}, {}", address.line1, address.town),
            requested_on,
            deadline: self.context.checks.deadline(kind, requested_on),
            deadline_rule: self.context.deadline_rule(kind),
            requested_by,
            response: None,
            created_at: office_at(rng, requested_on, 9..=16),
            partner_organisation_id: None,
        });
        self.checks.last_mut().expect("just pushed")
    }

    /// A check still waiting for an answer, a third of them past their deadline. Only after the
    /// assessment in force (a request before it would have blocked its completion).
    fn outstanding_check(&mut self, rng: &mut DemoRng, kind: CheckKind, after: Option<NaiveDate>) {
        let today = self.context.today;
        let working_days = if rng.chance(OVERDUE) {
            rng.range(15..=45)
        } else {
            rng.range(1..=9)
        };
        let asked = working_days_before(today, working_days);
        if after.is_some_and(|assessed| asked <= assessed) {
            return;
        }
        let Some(address) = address_on(self.person, asked) else {
            return;
        };
        let requested_by = allocation_on(self.person, asked).map_or(self.officer, |a| a.staff_id);
        self.request(rng, kind, address, asked, requested_by);
    }

    /// A draft started 1–20 days ago (after the assessment in force, if any), partly written,
    /// with the checks it is waiting for.
    fn draft(&mut self, rng: &mut DemoRng, after: Option<NaiveDate>) {
        let person = self.person;
        let today = self.context.today;
        let allocation = supervised(person).expect("only supervised cases get drafts");
        let mut earliest = add_days(today, -20).max(allocation.start_date);
        if let Some(assessed) = after {
            earliest = earliest.max(add_days(assessed, 1));
        }
        let Some(started) = working_day_between(rng, earliest, add_days(today, -1)) else {
            return;
        };
        let (Some(now), Some(then)) =
            (Situation::on(person, today), Situation::on(person, started))
        else {
            return;
        };
        if rng.chance(DRAFT_CHECK_OUTSTANDING) {
            self.outstanding_check(rng, CheckKind::PoliceDomesticAbuse, after);
        } else if after.is_none() && rng.chance(DRAFT_CHECK_ANSWERED) {
            self.answered_check(rng, CheckKind::PoliceDomesticAbuse, &then, self.officer);
        }
        if now.children_involved() && rng.chance(DRAFT_CHILDREN_CHECK_OUTSTANDING) {
            self.outstanding_check(rng, CheckKind::ChildrensServices, after);
        }

        let event = person
            .events
            .last()
            .expect("supervised cases have an active event");
        let stage = rng.weighted(&[(0u8, 3), (1, 4), (2, 3)]);
        let mut levels = levels(rng, event, &now);
        let subject = Subject::new(person, &now.household, today, now.domestic_abuse);
        let mut analysis = text::analysis(rng, &subject, event, &levels);
        let mut considerations = Vec::new();
        let mut check_references = Vec::new();
        match stage {
            0 => {
                levels.clear();
                analysis = Analysis::default();
            }
            1 => {
                levels.truncate(rng.range(1..=2));
                analysis.imminence.clear();
                analysis.increasing_factors.clear();
                analysis.reducing_factors.clear();
            }
            _ => {
                for member in &now.household {
                    if rng.chance(0.7) {
                        considerations.push(ConsiderationNote {
                            subject_id: member.id,
                            note: text::consideration(rng, member, &subject),
                        });
                    }
                }
                check_references = self.references(rng, today, &subject);
            }
        }
        let saves: i32 = match stage {
            0 => 0,
            1 => rng.range(1..=2),
            _ => rng.range(2..=6),
        };
        let created_at = office_at(rng, started, 9..=11);
        let updated_at = if saves == 0 {
            created_at
        } else {
            let day = add_days(
                started,
                rng.range(0..=days_between(started, add_days(today, -1))),
            );
            office_at(rng, day, 12..=16)
        };
        self.assessments.push(Assessment {
            id: rng.id(),
            status: AssessmentStatus::Draft,
            version: 1 + saves,
            case_type: now.case_type,
            levels,
            nature_of_harm: analysis.nature_of_harm,
            who_is_at_risk: analysis.who_is_at_risk,
            imminence: analysis.imminence,
            increasing_factors: analysis.increasing_factors,
            reducing_factors: analysis.reducing_factors,
            case_level: None,
            considerations,
            check_references,
            created_by: self.officer,
            created_at,
            updated_by: self.officer,
            updated_at,
            completed_by: None,
            completed_at: None,
            countersigned_by: None,
            countersigned_at: None,
            superseded_at: None,
        });
    }

    /// An open review of the assessment in force (effective on `assessed`) after a change in
    /// the last 40 days.
    fn open_review(&mut self, rng: &mut DemoRng, assessed: NaiveDate) {
        let today = self.context.today;
        let earliest = add_days(assessed, 1).max(add_days(today, -REVIEW_WINDOW));
        self.review_task(rng, earliest, add_days(today, -1));
    }

    /// A review task after a change between `earliest` and `latest`: a change the record shows
    /// (a move, someone joining or leaving the household, a release, a MAPPA registration) when
    /// there is one, otherwise an incident, information, arrest or breach.
    fn review_task(
        &mut self,
        rng: &mut DemoRng,
        earliest: NaiveDate,
        latest: NaiveDate,
    ) -> Option<usize> {
        if earliest > latest {
            return None;
        }
        let person = self.person;
        let within = |day: NaiveDate| earliest <= day && day <= latest;
        let mut changes: Vec<(ReviewTrigger, NaiveDate, Change)> = Vec::new();
        for address in person.addresses.iter().skip(1) {
            if within(address.start_date) && address.status != AddressStatus::Secondary {
                changes.push((
                    ReviewTrigger::AddressChange,
                    address.start_date,
                    Change::Moved(address),
                ));
            }
        }
        for member in &person.household {
            if within(member.start_date) {
                changes.push((
                    ReviewTrigger::HouseholdChange,
                    member.start_date,
                    Change::Joined(member),
                ));
            }
            if let Some(left) = member.end_date.filter(|day| within(*day)) {
                changes.push((ReviewTrigger::HouseholdChange, left, Change::Left(member)));
            }
        }
        let event = person
            .events
            .last()
            .expect("supervised cases have an active event");
        if let Some(released) = event.release_date.filter(|day| within(*day)) {
            let to = address_on(person, released);
            changes.push((ReviewTrigger::Release, released, Change::Released(to)));
        }
        for registration in &person.registrations {
            if registration.mappa_level.is_some() && within(registration.registered_on) {
                changes.push((
                    ReviewTrigger::MappaChange,
                    registration.registered_on,
                    Change::Mappa(registration),
                ));
            }
        }
        let (trigger, occurred_on, change) = if !changes.is_empty() && rng.chance(0.8) {
            let index = rng.range(0..changes.len());
            changes.swap_remove(index)
        } else {
            let day = add_days(earliest, rng.range(0..=days_between(earliest, latest)));
            let trigger = if case_type_on(event, day) == CaseType::Custody {
                // In prison: news comes from the prison or the police.
                ReviewTrigger::PartnerInformation
            } else {
                let domestic_abuse = person
                    .registrations
                    .iter()
                    .any(|r| r.kind == RegistrationKind::DomesticAbusePerpetrator);
                rng.weighted(&[
                    (
                        ReviewTrigger::DomesticAbuseIncident,
                        if domestic_abuse { 4 } else { 1 },
                    ),
                    (ReviewTrigger::PartnerInformation, 3),
                    (ReviewTrigger::ArrestOrCharge, 2),
                    (ReviewTrigger::Breach, 3),
                ])
            };
            (trigger, day, Change::Other(trigger))
        };
        let household = household_on(person, occurred_on);
        let circumstances = Circumstances {
            case_type: case_type_on(event, occurred_on),
            partner: household
                .iter()
                .copied()
                .find(|m| m.relationship == Relationship::Partner),
            children_at_home: household.iter().any(|m| {
                m.date_of_birth
                    .is_some_and(|born| is_child_on(born, occurred_on))
            }),
            curfew: event.requirements.iter().any(|r| {
                r.kind == RequirementKind::Curfew
                    && r.start_date <= occurred_on
                    && r.end_date.is_none_or(|end| end > occurred_on)
            }),
        };
        let details = text::review_details(rng, &change, &circumstances, occurred_on);
        let recorded =
            add_days(occurred_on, rng.range(0..=2)).min(add_days(self.context.today, -1));
        let created_by = allocation_on(person, recorded).map_or(self.officer, |a| a.staff_id);
        let reviews = &self.context.reviews;
        self.review_tasks.push(ReviewTask {
            id: rng.id(),
            trigger,
            occurred_on,
            details,
            due_on: reviews.due(trigger, occurred_on),
            rule_version: reviews.version.to_owned(),
            created_by: Some(created_by),
            created_at: office_at(rng, recorded.max(occurred_on), 9..=16),
            completed_on: None,
            completed_by_assessment: None,
        });
        Some(self.review_tasks.len() - 1)
    }
}

/// The risk levels for each group the case type needs, consistent with the case's flags:
/// MAPPA level 3 or very serious violence gives high or very high; MAPPA level 2 high; a
/// domestic-abuse perpetrator medium or high for a known adult; most others low or medium.
fn levels(rng: &mut DemoRng, event: &Event, situation: &Situation) -> Vec<(RiskGroup, RoshLevel)> {
    use RoshLevel::{High, Low, Medium, VeryHigh};
    let category = event.offence_category;
    let violent = matches!(
        category,
        OffenceCategory::Violence | OffenceCategory::Robbery
    );
    let senior_oversight = situation.mappa_level == Some(MappaLevel::SeniorOversight);
    let serious = senior_oversight || very_violent(event);
    let multi_agency = situation.mappa_level == Some(MappaLevel::ActiveMultiAgency);
    let domestic_abuse = situation.domestic_abuse;
    let children_first = category == OffenceCategory::SexualChildren
        || (category.is_sexual() && situation.risk_to_children);
    let sexual = category.is_sexual();
    let top = if serious {
        let very_high = if senior_oversight { 0.35 } else { 0.15 };
        if rng.chance(very_high) {
            VeryHigh
        } else {
            High
        }
    } else if multi_agency {
        High
    } else if sexual {
        rng.weighted(&[(Medium, 3), (High, 2)])
    } else if violent && !domestic_abuse {
        rng.weighted(&[(Low, 15), (Medium, 70), (High, 15)])
    } else {
        rng.weighted(&[(Low, 55), (Medium, 45)])
    };
    // Domestic abuse puts the weight on the known adult (high under MAPPA); graver offending
    // on the public, or on children for sexual offending against them.
    let partner_led = domestic_abuse && !serious && !sexual;
    let known_adult = if domestic_abuse {
        if serious || multi_agency {
            High
        } else {
            rng.weighted(&[(Medium, 65), (High, 35)])
        }
    } else if violent {
        rng.weighted(&[(Low, 70), (Medium, 30)])
    } else {
        Low
    };
    let children = if children_first {
        top
    } else if (situation.children_at_home && domestic_abuse)
        || situation.child_registration
        || situation.risk_to_children
    {
        Medium
    } else {
        Low
    };
    let public = if !partner_led && !children_first {
        top
    } else if violent || children_first {
        rng.weighted(&[(Low, 1), (Medium, 1)])
    } else {
        Low
    };
    let staff = if serious {
        rng.weighted(&[(Low, 1), (Medium, 1)])
    } else if violent {
        rng.weighted(&[(Low, 85), (Medium, 15)])
    } else {
        Low
    };
    let prisoners = if violent {
        rng.weighted(&[(Low, 3), (Medium, 2)])
    } else {
        Low
    };
    RiskGroup::for_case(situation.case_type)
        .into_iter()
        .map(|group| {
            let level = match group {
                RiskGroup::Children => children,
                RiskGroup::Public => public,
                RiskGroup::KnownAdult => known_adult,
                RiskGroup::Staff => staff,
                RiskGroup::Prisoners => prisoners,
            };
            (group, level)
        })
        .collect()
}
