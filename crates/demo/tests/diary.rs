//! Specifications for the demo's working diary: appointments arranged for the next four weeks at
//! the contact standard's rhythm, failures waiting for evidence, warnings and breach in realistic
//! proportions, recalls in the national proportion, feeds and reminder preferences. Ranges, not
//! exact counts: the generated data may change, the proportions may not.

use chrono::NaiveDate;
use keepsafe_demo::{generate, DemoRegion, DemoSpec, Person, Scale};
use keepsafe_domain::event::CaseType;
use keepsafe_domain::rosh::AssessmentStatus;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact::{
    counts_towards_enforcement, ContactType, FailureJudgement, LocationKind,
};
use keepsafe_domain::supervision::enforcement::{
    BreachStatus, DocumentKind, RecallStatus, WarningStatus,
};
use keepsafe_domain::supervision::standards::{
    assess, CaseContact, ContactStandard, StandardHistory,
};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use uuid::Uuid;

/// A Wednesday, as the application's tests use.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn region() -> &'static DemoRegion {
    static REGION: OnceLock<DemoRegion> = OnceLock::new();
    REGION.get_or_init(|| {
        generate(&DemoSpec {
            seed: 2026,
            scale: Scale::Region,
            today: today(),
        })
    })
}

fn small() -> &'static DemoRegion {
    static SMALL: OnceLock<DemoRegion> = OnceLock::new();
    SMALL.get_or_init(|| {
        generate(&DemoSpec {
            seed: 2026,
            scale: Scale::Small,
            today: today(),
        })
    })
}

fn case_type(person: &Person) -> CaseType {
    person.events.last().unwrap().case_type
}

fn current_officer(person: &Person) -> Option<Uuid> {
    person
        .allocations
        .iter()
        .find(|a| a.end_date.is_none())
        .map(|a| a.staff_id)
}

fn in_community(person: &Person) -> bool {
    matches!(case_type(person), CaseType::Community | CaseType::Licence)
        && current_officer(person).is_some()
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

#[test]
fn every_supervised_case_has_appointments_arranged_for_the_next_four_weeks_with_its_practitioner() {
    let region = region();
    let supervised: Vec<&Person> = region.people.iter().filter(|p| in_community(p)).collect();
    let mut with_diary = 0;
    let mut at_home = 0;
    let mut future_total = 0;
    for person in &supervised {
        let future: Vec<_> = person
            .contacts
            .iter()
            .filter(|c| c.starts_at.date() >= today() && !c.contact_type.is_system_event())
            // Unpaid work sessions are supervised on the project, not by the practitioner.
            .filter(|c| c.contact_type != ContactType::UnpaidWorkSession)
            .collect();
        if !future.is_empty() {
            with_diary += 1;
        }
        for contact in &future {
            assert!(
                (contact.starts_at.date() - today()).num_days() <= 32,
                "{contact:?}"
            );
            assert_eq!(contact.staff_id, current_officer(person));
            assert!(contact.outcome.is_none());
        }
        future_total += future.len();
        at_home += future
            .iter()
            .filter(|c| c.location_kind == LocationKind::Home)
            .count();
    }
    assert!(share(with_diary, supervised.len()) > 0.97, "{with_diary}");
    let per_case = share(future_total, supervised.len());
    assert!(
        (1.5..=4.5).contains(&per_case),
        "{per_case} appointments a case"
    );
    let home = share(at_home, future_total);
    assert!((0.08..=0.22).contains(&home), "{home} at home");
}

#[test]
fn most_cases_meet_their_contact_standard_and_some_are_behind() {
    let region = region();
    let history = StandardHistory::new(vec![ContactStandard::keepsafe_default()]);
    let mut behind = 0;
    let mut counted = 0;
    for person in region.people.iter().filter(|p| in_community(p)) {
        let event = person.events.last().unwrap();
        let last_contact = person
            .contacts
            .iter()
            .filter(|c| c.starts_at.date() <= today())
            .filter(|c| {
                keepsafe_domain::supervision::standards::counts_towards_standard(
                    c.contact_type,
                    c.status,
                    c.outcome,
                )
            })
            .map(|c| c.starts_at.date())
            .max();
        let level = person
            .assessments
            .iter()
            .find(|a| a.status == AssessmentStatus::Completed && a.superseded_at.is_none())
            .and_then(|a| a.case_level);
        let result = assess(
            &history,
            &CaseContact {
                case_type: event.case_type,
                start: match event.case_type {
                    CaseType::Licence => event.release_date,
                    _ => event.sentence_date,
                },
                rosh_level: level,
                last_contact,
            },
            today(),
        );
        counted += 1;
        if result.is_behind() {
            behind += 1;
        }
    }
    let behind = share(behind, counted);
    assert!((0.1..=0.6).contains(&behind), "{behind} behind");
}

#[test]
fn some_recent_absences_wait_for_evidence_with_a_date_for_it() {
    let region = region();
    let waiting: Vec<_> = region
        .people
        .iter()
        .flat_map(|p| &p.contacts)
        .filter(|c| c.judgement == Some(FailureJudgement::AwaitingEvidence))
        .collect();
    assert!(waiting.len() >= 20, "{}", waiting.len());
    for contact in waiting {
        let due = contact.evidence_due_on.expect("a date for the evidence");
        assert!(due > contact.starts_at.date());
        assert!((today() - contact.starts_at.date()).num_days() <= 9);
    }
}

#[test]
fn most_unacceptable_failures_on_community_orders_get_a_warning_letter() {
    let region = region();
    let enforcement = &region.enforcement;
    let failures = region
        .people
        .iter()
        .filter(|p| case_type(p) == CaseType::Community && current_officer(p).is_some())
        .flat_map(|p| &p.contacts)
        .filter(|c| {
            c.starts_at.date() < today() && counts_towards_enforcement(c.outcome, c.judgement)
        })
        .count();
    let warned = share(enforcement.warnings.len(), failures);
    assert!(
        (0.5..=0.95).contains(&warned),
        "{warned} of failures warned"
    );
    let documents: HashMap<Uuid, DocumentKind> = enforcement
        .documents
        .iter()
        .map(|d| (d.id, d.kind))
        .collect();
    let sent = enforcement
        .warnings
        .iter()
        .filter(|w| w.status == WarningStatus::Sent)
        .count();
    assert!(share(sent, enforcement.warnings.len()) > 0.9);
    for warning in &enforcement.warnings {
        match warning.status {
            WarningStatus::Sent => {
                let document = warning.document_id.expect("a sent warning has its letter");
                assert_eq!(documents[&document], DocumentKind::WarningLetter);
                assert!(warning.sent_on.unwrap() < today());
            }
            WarningStatus::Due => assert!(warning.document_id.is_none()),
        }
    }
    let letter = enforcement
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::WarningLetter)
        .unwrap();
    assert!(letter.body.contains("formal warning"));
}

#[test]
fn breach_action_follows_a_warning_on_a_few_community_orders_at_every_stage() {
    let region = region();
    let enforcement = &region.enforcement;
    let community = region
        .people
        .iter()
        .filter(|p| case_type(p) == CaseType::Community)
        .count();
    let breached = share(enforcement.breaches.len(), community);
    assert!(
        (0.01..=0.15).contains(&breached),
        "{breached} of community cases"
    );
    let statuses: HashSet<BreachStatus> = enforcement.breaches.iter().map(|b| b.status).collect();
    assert_eq!(statuses.len(), 3, "{statuses:?}");
    let warned: HashMap<Uuid, NaiveDate> = enforcement
        .warnings
        .iter()
        .filter_map(|w| w.sent_on.map(|on| (w.person_id, on)))
        .collect();
    for breach in &enforcement.breaches {
        assert!(warned[&breach.person_id] <= breach.opened_on);
        if breach.status != BreachStatus::Open {
            assert!(breach.report_document_id.is_some() && breach.proposal.is_some());
        }
        if breach.status == BreachStatus::Concluded {
            assert!(breach.court_outcome.is_some());
        }
    }
}

#[test]
fn recalls_follow_the_national_proportion_of_recalls_to_releases() {
    let region = region();
    let window = today() - chrono::Days::new(90);
    let releases = region
        .people
        .iter()
        .filter_map(|p| p.events.last())
        .filter(|e| e.case_type == CaseType::Licence)
        .filter(|e| e.release_date.is_some_and(|r| r >= window && r <= today()))
        .count();
    let recalled = region
        .enforcement
        .recalls
        .iter()
        .filter(|r| r.status == RecallStatus::Recalled)
        .count();
    // Reference §1: about 10,400 recalls against 15,700 releases a quarter (0.66).
    let ratio = share(recalled, releases);
    assert!(
        (0.55..=0.77).contains(&ratio),
        "{recalled} recalls for {releases} releases"
    );
    let people: HashMap<Uuid, &Person> = region.people.iter().map(|p| (p.id, p)).collect();
    for recall in &region.enforcement.recalls {
        let person = people[&recall.person_id];
        match recall.status {
            // A recalled person is back in prison.
            RecallStatus::Recalled => {
                assert_eq!(case_type(person), CaseType::Custody);
                assert!(recall.recall_date.is_some() && recall.decision_document_id.is_some());
                assert!(recall.senior.is_some() && recall.head.is_some());
            }
            _ => assert_eq!(case_type(person), CaseType::Licence),
        }
    }
}

#[test]
fn the_demo_team_has_recalls_waiting_for_each_countersignature() {
    let region = small();
    let team = region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("spo.demo"))
        .and_then(|s| s.team_id);
    let in_team = |person_id: Uuid| {
        region.people.iter().any(|p| {
            p.id == person_id
                && p.allocations
                    .iter()
                    .any(|a| a.end_date.is_none() && Some(a.team_id) == team)
        })
    };
    for status in [RecallStatus::AwaitingSenior, RecallStatus::AwaitingHead] {
        assert!(
            region
                .enforcement
                .recalls
                .iter()
                .any(|r| r.status == status && in_team(r.person_id)),
            "{status:?}"
        );
    }
}

#[test]
fn every_practitioner_has_one_calendar_feed_with_a_distinct_token() {
    let region = region();
    let practitioners: HashSet<Uuid> = region
        .staff
        .iter()
        .filter(|s| s.grade.holds_caseload())
        .map(|s| s.id)
        .collect();
    let feeds = &region.enforcement.feeds;
    assert_eq!(feeds.len(), practitioners.len());
    let tokens: HashSet<&str> = feeds.iter().map(|f| f.token.as_str()).collect();
    assert_eq!(tokens.len(), feeds.len());
    assert!(feeds
        .iter()
        .all(|f| practitioners.contains(&f.staff_id) && f.token.len() >= 32));
    assert!(!region
        .staff
        .iter()
        .filter(|s| s.grade == Grade::Administrator)
        .any(|s| feeds.iter().any(|f| f.staff_id == s.id)));
}

#[test]
fn some_people_chose_reminders_by_text_or_email_with_consent() {
    let region = region();
    let supervised = region.people.iter().filter(|p| in_community(p)).count();
    let reminders = &region.enforcement.reminders;
    let chose = share(reminders.len(), supervised);
    assert!((0.05..=0.25).contains(&chose), "{chose}");
    for preference in reminders {
        match preference.channel {
            "text" => assert!(preference
                .mobile
                .as_deref()
                .unwrap()
                .starts_with("07700 900")),
            "email" => assert!(preference
                .email
                .as_deref()
                .unwrap()
                .ends_with("@example.com")),
            other => panic!("{other}"),
        }
        assert!(preference.consent_on <= today());
    }
}

#[test]
fn system_events_mark_warnings_breaches_and_recalls_on_the_contact_log() {
    let region = region();
    let count = |kind: ContactType| {
        region
            .people
            .iter()
            .flat_map(|p| &p.contacts)
            .filter(|c| c.contact_type == kind)
            .count()
    };
    let sent = region
        .enforcement
        .warnings
        .iter()
        .filter(|w| w.status == WarningStatus::Sent)
        .count();
    assert_eq!(count(ContactType::WarningLetter), sent);
    assert_eq!(
        count(ContactType::BreachAction),
        region.enforcement.breaches.len()
    );
    assert_eq!(count(ContactType::Recall), region.enforcement.recalls.len());
}

#[test]
fn the_diary_is_the_same_for_the_same_seed() {
    let again = generate(&DemoSpec {
        seed: 2026,
        scale: Scale::Small,
        today: today(),
    });
    assert_eq!(&again.enforcement, &small().enforcement);
}
