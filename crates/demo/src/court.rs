//! Court work for the demo (issue 17): the courts each PDU covers (the courts its cases' events
//! name), their lists over the recent and coming days — every pre-sentence case listed, most
//! matched by CRN, some by name and date of birth, some as new pre-sentence cases — pre-sentence
//! reports in every state (asked for and due, drafts part-written, submitted, one with a request to
//! adjourn for the checks), and hearings of the last fortnight's community sentences with the
//! sentence recorded. Drawn from a stream of its own (the seed, offset), so the rest of the region
//! is unchanged.

use crate::calendar::at;
use crate::model::DemoRegion;
use crate::random::DemoRng;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use keepsafe_domain::calendar::{add_working_days, is_working_day};
use keepsafe_domain::court::{AdjournmentOutcome, CourtRules, ReportStatus, ReportType};
use keepsafe_domain::event::{CaseType, SentenceType};
use keepsafe_domain::requirement::RequirementKind;
use std::collections::BTreeSet;
use uuid::Uuid;

/// Offsets the seed for this stream.
const STREAM: u64 = 0x5eed_0017;

/// The region's court work.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemoCourtWork {
    pub courts: Vec<DemoCourt>,
    pub hearings: Vec<DemoHearing>,
    pub reports: Vec<DemoReport>,
    pub adjournments: Vec<DemoAdjournment>,
}

/// A court a PDU's court team covers.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoCourt {
    pub id: Uuid,
    pub pdu_id: Uuid,
    pub code: String,
    pub name: String,
}

/// A hearing on a court's list.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoHearing {
    pub id: Uuid,
    pub court_id: Uuid,
    pub hearing_on: NaiveDate,
    pub person_id: Uuid,
    pub event_id: Uuid,
    /// `crn`, `name_and_date_of_birth` or `new_case`.
    pub matched_by: &'static str,
    pub offence: String,
    pub added_by: Uuid,
    pub added_at: NaiveDateTime,
    /// The sentence recorded: type, length in months, date.
    pub sentence: Option<(SentenceType, Option<i32>, NaiveDate)>,
}

/// A pre-sentence report.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoReport {
    pub id: Uuid,
    pub hearing_id: Uuid,
    pub person_id: Uuid,
    pub kind: ReportType,
    pub status: ReportStatus,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub rule_version: String,
    pub author_id: Uuid,
    /// Sources, offence analysis, risk, checks, needs, justification.
    pub sections: [String; 6],
    pub proposed_sentence: Option<SentenceType>,
    pub proposed_requirements: Vec<RequirementKind>,
    pub completed_on: Option<NaiveDate>,
    pub updated_at: NaiveDateTime,
}

/// A request to adjourn.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoAdjournment {
    pub id: Uuid,
    pub report_id: Uuid,
    pub asked_on: NaiveDate,
    pub reason: String,
    pub outcome: Option<AdjournmentOutcome>,
    pub new_hearing_on: Option<NaiveDate>,
    pub recorded_by: Uuid,
}

/// The working day `days` working days before `day` (after, when negative is not needed).
fn working_days_before(day: NaiveDate, days: u32) -> NaiveDate {
    let mut found = day;
    let mut left = days;
    while left > 0 {
        found = found.pred_opt().unwrap_or(found);
        if is_working_day(found) {
            left -= 1;
        }
    }
    found
}

/// The day itself when it is a working day, else the next working day.
fn on_a_working_day(day: NaiveDate) -> NaiveDate {
    if is_working_day(day) && !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day
    } else {
        add_working_days(day, 1)
    }
}

/// Working days from today of the hearings listed, in the order cases are listed (negative:
/// before today).
const OFFSETS: [i32; 12] = [0, -8, -3, 2, -12, -1, 4, -18, -5, 1, -20, 3];

/// Adds the region's court work.
pub(crate) fn add(seed: u64, region: &mut DemoRegion, today: NaiveDate) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let rules = CourtRules::default();
    let mut work = DemoCourtWork::default();
    for pdu in &region.pdus {
        let names: BTreeSet<&str> = region
            .people
            .iter()
            .filter(|p| p.pdu_id == pdu.id)
            .flat_map(|p| p.events.iter().map(|e| e.court.as_str()))
            .collect();
        for (i, name) in names.into_iter().enumerate() {
            work.courts.push(DemoCourt {
                id: rng.id(),
                pdu_id: pdu.id,
                code: format!("{}{:02}", pdu.code, i + 1),
                name: name.to_owned(),
            });
        }
    }
    let court_of = |pdu: Uuid, name: &str| {
        work.courts
            .iter()
            .find(|c| c.pdu_id == pdu && c.name == name)
            .map(|c| c.id)
    };
    let mut hearings = Vec::new();
    let mut reports = Vec::new();
    let mut adjournments = Vec::new();
    let mut listed = 0usize;
    // Cases awaiting sentence listed so far: they take the days in OFFSETS' order.
    let mut awaiting = 0usize;
    for person in &region.people {
        let writers: Vec<Uuid> = region
            .staff
            .iter()
            .filter(|s| s.pdu_id == Some(person.pdu_id) && s.grade.holds_caseload())
            .map(|s| s.id)
            .collect();
        let Some(&author) = writers.first() else {
            continue;
        };
        let author = if writers.len() > 1 {
            *rng.pick(&writers)
        } else {
            author
        };
        for event in person.events.iter().filter(|e| e.active) {
            let Some(court) = court_of(person.pdu_id, &event.court) else {
                continue;
            };
            let recently_sentenced = event.case_type == CaseType::Community
                && event
                    .sentence_date
                    .is_some_and(|d| d <= today && (today - d).num_days() <= 14);
            if event.case_type != CaseType::PreSentence && !recently_sentenced {
                continue;
            }
            listed += 1;
            if !recently_sentenced {
                awaiting += 1;
            }
            let hearing_on = match event.sentence_date.filter(|_| recently_sentenced) {
                Some(day) => day,
                // Spread over the recent and coming working days in an order that gives every
                // state early: the first case listed today (a standard report just asked for),
                // the next eight days ago (a short-format report submitted), and so on.
                None => {
                    let offset = OFFSETS[(awaiting - 1) % OFFSETS.len()];
                    if offset <= 0 {
                        on_a_working_day(working_days_before(today, offset.unsigned_abs()))
                    } else {
                        add_working_days(today, offset as u32)
                    }
                }
            };
            let matched_by = match listed % 7 {
                0 | 4 => "name_and_date_of_birth",
                3 => "new_case",
                _ => "crn",
            };
            let hearing = DemoHearing {
                id: rng.id(),
                court_id: court,
                hearing_on,
                person_id: person.id,
                event_id: event.id,
                matched_by,
                offence: event.offence_description.clone(),
                added_by: author,
                added_at: at(working_days_before(hearing_on, 1), 8, 30),
                sentence: recently_sentenced.then_some((
                    event.sentence_type,
                    event.sentence_length_months,
                    hearing_on,
                )),
            };
            if !recently_sentenced && hearing_on <= today {
                let kind = [
                    ReportType::Standard,
                    ReportType::ShortFormat,
                    ReportType::Oral,
                ][(awaiting - 1) % 3];
                let due_on = rules.due_on(kind, hearing_on);
                let completed = due_on < today || (kind == ReportType::Oral && hearing_on < today);
                let report = report(
                    &mut rng,
                    &hearing,
                    kind,
                    due_on,
                    completed,
                    author,
                    &rules,
                    person.first_name.as_str(),
                );
                if !completed && awaiting % 2 == 1 {
                    adjournments.push(DemoAdjournment {
                        id: rng.id(),
                        report_id: report.id,
                        asked_on: hearing_on,
                        reason: "The police domestic-abuse check and the children's services check have not been answered, and a curfew may be proposed.".into(),
                        outcome: Some(AdjournmentOutcome::Granted),
                        new_hearing_on: Some(add_working_days(due_on, 1)),
                        recorded_by: author,
                    });
                }
                reports.push(report);
            }
            hearings.push(hearing);
        }
    }
    work.hearings = hearings;
    work.reports = reports;
    work.adjournments = adjournments;
    region.court = work;
}

#[allow(clippy::too_many_arguments)]
fn report(
    rng: &mut DemoRng,
    hearing: &DemoHearing,
    kind: ReportType,
    due_on: NaiveDate,
    completed: bool,
    author: Uuid,
    rules: &CourtRules,
    first_name: &str,
) -> DemoReport {
    let offence = hearing.offence.to_lowercase();
    let mut sections: [String; 6] = Default::default();
    sections[0] = format!(
        "Interview with {first_name} at court; the case record; the Crown Prosecution Service's summary of the {offence}."
    );
    let proposal = if completed || rng.chance(0.5) {
        sections[1] = format!(
            "{first_name} accepts responsibility for the {offence} and says it happened when drinking; the victim's statement describes lasting distress."
        );
        sections[2] = "The risk of serious harm is to a known adult, when drinking and in conflict; no indicators of risk to children.".into();
        sections[3] = "The police report two call-outs to the address in 2025; children's services hold no information. Both were considered in the risk analysis.".into();
        sections[4] = "Alcohol misuse and thinking and behaviour are linked to the offence.".into();
        sections[5] = "A community order with unpaid work and a rehabilitation activity requirement addresses the offence and the needs while keeping the known adult safe.".into();
        Some(SentenceType::CommunityOrder)
    } else {
        None
    };
    DemoReport {
        id: rng.id(),
        hearing_id: hearing.id,
        person_id: hearing.person_id,
        kind,
        status: if completed {
            ReportStatus::Completed
        } else {
            ReportStatus::Draft
        },
        requested_on: hearing.hearing_on,
        due_on,
        rule_version: rules.version.clone(),
        author_id: author,
        sections,
        proposed_sentence: proposal,
        proposed_requirements: if proposal.is_some() {
            vec![
                RequirementKind::UnpaidWork,
                RequirementKind::RehabilitationActivity,
            ]
        } else {
            Vec::new()
        },
        completed_on: completed.then_some(due_on),
        updated_at: at(hearing.hearing_on, 16, 0),
    }
}

#[cfg(test)]
mod tests {
    use crate::spec::{DemoSpec, Scale};

    #[test]
    fn every_pre_sentence_case_is_on_a_list_and_reports_are_in_every_state() {
        let region = crate::generate(&DemoSpec {
            seed: 7,
            scale: Scale::Small,
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        });
        let work = &region.court;
        assert!(!work.courts.is_empty());
        let pre_sentence = region
            .people
            .iter()
            .flat_map(|p| &p.events)
            .filter(|e| e.active && e.case_type == keepsafe_domain::event::CaseType::PreSentence)
            .count();
        assert!(
            work.hearings.len() >= pre_sentence,
            "{} hearings, {pre_sentence} cases",
            work.hearings.len()
        );
        let statuses: std::collections::HashSet<_> =
            work.reports.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses.len(),
            2,
            "drafts and submitted reports: {:?}",
            work.reports
                .iter()
                .map(|r| (r.kind, r.requested_on, r.due_on, r.status))
                .collect::<Vec<_>>()
        );
        assert!(work.hearings.iter().any(|h| h.sentence.is_some()));
        assert!(!work.adjournments.is_empty());
    }
}
