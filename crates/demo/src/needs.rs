//! Needs assessments for supervised cases (issue 16), so the demo's change levels read real needs
//! rather than all sitting at 2.
//!
//! Calibration: about 75% of supervised cases have a completed assessment valid today (completed in
//! the last year, after allocation), 10% one that has expired (completed 12 to 24 months ago,
//! perhaps in an earlier period of supervision), 5% a draft in progress and 10% none. Severities follow the case:
//! the higher the person's OGRS3, the more sections show a need and the more of them are severe;
//! drug misuse follows a drug offence, and the answers agree with the severities (a severe
//! accommodation need is no fixed abode, a thinking and behaviour need has items scored above 0).
//! Thinking and behaviour and lifestyle are the commonest needs, as in OASys; with these chances
//! most cases with a mandate for change sit at change level 2, about a quarter at 1 and a few at 3.
//!
//! In the small region the cases of `po.demo` and `po.other` are left untouched, as the risk work
//! leaves them, so tests that start needs assessments start from nothing. Drawn from a stream of
//! its own (the seed, offset), so every earlier draw — and the rest of the region — is unchanged.

use crate::calendar::{add_days, at};
use crate::model::{DemoNeedsAssessment, DemoRegion, Person};
use crate::random::DemoRng;
use crate::risk::supervised;
use crate::spec::{DemoSpec, Scale};
use chrono::NaiveDate;
use keepsafe_domain::event::OffenceCategory;
use keepsafe_domain::needs::{AssessmentStatus, NeedsRules, Question, Section, Severity};
use keepsafe_domain::CodedValue;
use std::collections::HashSet;

/// Offsets the seed for this stream.
const STREAM: u64 = 0x5eed_0016;

const VALID: f64 = 0.75;
const EXPIRED: f64 = 0.10;
const DRAFT: f64 = 0.05;

/// Adds the needs assessments to the region.
pub(crate) fn add(seed: u64, region: &mut DemoRegion, spec: &DemoSpec) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let untouched: HashSet<uuid::Uuid> = region
        .staff
        .iter()
        .filter(|_| spec.scale == Scale::Small)
        .filter(|member| matches!(member.username.as_deref(), Some("po.demo" | "po.other")))
        .map(|member| member.id)
        .collect();
    let rules = NeedsRules::default();
    let today = spec.today;
    let mut assessments = Vec::new();
    for person in &region.people {
        let Some(allocation) = supervised(person) else {
            continue;
        };
        if untouched.contains(&allocation.staff_id) {
            continue;
        }
        let first_allocated = person.allocations[0].start_date;
        let draw = rng.range(0.0..1.0);
        let officer = allocation.staff_id;
        let (status, completed_on) = if draw < VALID {
            let earliest = first_allocated.max(add_days(today, -364));
            if earliest >= today {
                continue;
            }
            let ago = rng.range(1..=(today - earliest).num_days());
            (AssessmentStatus::Completed, Some(add_days(today, -ago)))
        } else if draw < VALID + EXPIRED {
            // Possibly from an earlier period of supervision: not bounded by this allocation.
            let latest = add_days(today, -366);
            let earliest = add_days(today, -730);
            let ago = rng.range((today - latest).num_days()..=(today - earliest).num_days());
            (AssessmentStatus::Completed, Some(add_days(today, -ago)))
        } else if draw < VALID + EXPIRED + DRAFT {
            (AssessmentStatus::Draft, None)
        } else {
            continue;
        };
        let started_on = completed_on.unwrap_or_else(|| add_days(today, -rng.range(1..=20)));
        let profile = Profile::for_person(person, today);
        let mut needs = profile.draw(&mut rng);
        if status == AssessmentStatus::Draft {
            // Part-way through: the first few sections filled in.
            let done = rng.range(2..=7);
            needs.sections.truncate(done);
            let asked: Vec<Section> = needs.sections.iter().map(|s| s.0).collect();
            needs.answers.retain(|(q, _)| asked.contains(&q.section()));
        }
        assessments.push(DemoNeedsAssessment {
            id: rng.id(),
            person_id: person.id,
            status,
            created_by: officer,
            created_at: at(started_on, rng.range(9..=15), 0),
            completed_on,
            valid_until: completed_on.map(|day| rules.valid_until(day)),
            rule_version: completed_on.map(|_| rules.version.to_owned()),
            sections: needs.sections,
            answers: needs.answers,
        });
    }
    region.needs = assessments;
}

/// What a person's record says about their likely needs.
struct Profile {
    /// OGRS3 two-year percentage of the main event (50 when it cannot be worked out).
    ogrs: u8,
    drug_offence: bool,
    woman_with_children: bool,
}

/// A draw of every section and answer.
struct Drawn {
    sections: Vec<(Section, Severity, bool, bool, String)>,
    answers: Vec<(Question, u8)>,
}

impl Profile {
    fn for_person(person: &Person, today: NaiveDate) -> Self {
        let event = person.events.last();
        let ogrs = event
            .and_then(|event| crate::events::ogrs3_two_year(person, event, today))
            .unwrap_or(50);
        let drug_offence = event.is_some_and(|e| {
            matches!(
                e.offence_category,
                OffenceCategory::DrugPossessionSupply | OffenceCategory::DrugImportExportProduction
            )
        });
        let woman_with_children = person.sex == keepsafe_domain::person::Sex::Female
            && person.household.iter().any(|m| {
                m.end_date.is_none()
                    && m.date_of_birth
                        .is_some_and(|born| keepsafe_domain::age::is_child_on(born, today))
            });
        Self {
            ogrs,
            drug_offence,
            woman_with_children,
        }
    }

    /// A severity for a section: the chance of any need and of a severe one rise with OGRS3.
    fn severity(&self, rng: &mut DemoRng, section: Section) -> Severity {
        let risk = f64::from(self.ogrs) / 100.0;
        let base = match section {
            Section::ThinkingAndBehaviour | Section::Lifestyle => 0.65,
            Section::EducationTrainingEmployability | Section::Finance => 0.5,
            Section::Attitudes | Section::Relationships | Section::EmotionalWellbeing => 0.45,
            Section::Accommodation | Section::AlcoholMisuse => 0.35,
            Section::DrugMisuse if self.drug_offence => 0.8,
            Section::DrugMisuse => 0.25,
        };
        let any = (base + 0.5 * risk).min(0.95);
        if !rng.chance(any) {
            Severity::NoNeed
        } else if rng.chance(0.3 + 0.5 * risk) {
            Severity::Severe
        } else {
            Severity::Standard
        }
    }

    fn draw(&self, rng: &mut DemoRng) -> Drawn {
        let mut sections = Vec::new();
        let mut answers = Vec::new();
        for &section in Section::ALL {
            let severity = self.severity(rng, section);
            let level = u8::try_from(severity.score()).unwrap_or(0);
            for question in Question::in_section(section) {
                answers.push((question, self.answer(rng, question, level)));
            }
            let linked_to_reoffending = severity != Severity::NoNeed && rng.chance(0.85);
            let linked_to_harm = severity == Severity::Severe && rng.chance(0.4);
            sections.push((
                section,
                severity,
                linked_to_harm,
                linked_to_reoffending,
                evidence(section, severity).to_owned(),
            ));
        }
        Drawn { sections, answers }
    }

    /// An answer consistent with the section's severity (0 none, 1 standard, 2 severe).
    fn answer(&self, rng: &mut DemoRng, question: Question, level: u8) -> u8 {
        match question {
            Question::NoFixedAbode => u8::from(level == 2),
            Question::Unemployed => u8::from(level > 0 && rng.chance(0.8)),
            Question::ParentingResponsibilities => u8::from(self.woman_with_children),
            Question::DrugMisuse => level,
            _ if level == 0 => 0,
            _ => rng.range(level.saturating_sub(1)..=level),
        }
    }
}

/// The practitioner's evidence, in a few words that fit the severity.
fn evidence(section: Section, severity: Severity) -> &'static str {
    match (section, severity) {
        (_, Severity::NoNeed) => {
            "No concerns identified from interview, the record or other agencies."
        }
        (Section::Accommodation, Severity::Severe) => {
            "Sofa-surfing since leaving custody; no settled address. Referred to housing."
        }
        (Section::Accommodation, _) => "Private let with arrears; at risk of losing the tenancy.",
        (Section::EducationTrainingEmployability, _) => {
            "Out of work for over a year; left school without qualifications."
        }
        (Section::Finance, _) => "Debts to doorstep lenders; relies on family for food.",
        (Section::Relationships, _) => {
            "Relationship marked by conflict; limited contact with their children."
        }
        (Section::Lifestyle, _) => "Spends most days with peers who are also offending.",
        (Section::DrugMisuse, Severity::Severe) => {
            "Daily heroin and crack use; not engaging with treatment."
        }
        (Section::DrugMisuse, _) => "Regular cannabis use; says it helps them sleep.",
        (Section::AlcoholMisuse, _) => "Binge drinks at weekends; offences committed when drunk.",
        (Section::EmotionalWellbeing, _) => "Low mood; on a GP waiting list for counselling.",
        (Section::ThinkingAndBehaviour, _) => {
            "Acts on impulse and struggles to see the consequences; loses temper quickly."
        }
        (Section::Attitudes, _) => "Minimises the offence and blames the victim.",
    }
}
