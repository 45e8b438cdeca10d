//! MAPPA meetings for the demo's level 2 and level 3 cases (reference §7), so the MAPPA pages and
//! list show a history rather than a bare level.
//!
//! Each level 2 or 3 registration was last met one cadence before its next review (the demo's
//! registrations already set that review on the level's cadence, some of them overdue), and met
//! on the cadence before that back to its registration, at most four meetings. The police and
//! probation attend every meeting; the other agencies with a duty to co-operate come as the case
//! calls for them. Drawn from a stream of its own, so adding it left every earlier draw as it was.

use crate::model::{DemoMappaMeeting, DemoRegion, Person};
use crate::random::DemoRng;
use chrono::Duration;
use keepsafe_domain::mappa::MappaAgency;
use keepsafe_domain::registration::{
    MappaCategory, MappaLevel, RegistrationKind, RegistrationReviewRules,
};

/// The stream offset of this module's draws.
const STREAM: u64 = 0x5eed_0017_3a99;
/// At most this many meetings are kept per registration.
const MOST_MEETINGS: usize = 4;

pub(crate) fn add(seed: u64, region: &mut DemoRegion) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let rules = RegistrationReviewRules::default();
    let mut meetings = Vec::new();
    for person in &region.people {
        meetings.extend(meetings_for(&mut rng, person, &rules));
    }
    region.mappa_meetings = meetings;
}

fn meetings_for(
    rng: &mut DemoRng,
    person: &Person,
    rules: &RegistrationReviewRules,
) -> Vec<DemoMappaMeeting> {
    let Some(recorded_by) = person
        .allocations
        .iter()
        .find(|a| a.end_date.is_none())
        .map(|a| a.staff_id)
    else {
        return Vec::new();
    };
    let mut meetings = Vec::new();
    for registration in person
        .registrations
        .iter()
        .filter(|r| r.kind == RegistrationKind::Mappa && r.ended_on.is_none())
    {
        let (Some(category), Some(level), Some(next)) = (
            registration.mappa_category,
            registration.mappa_level,
            registration.next_review_on,
        ) else {
            continue;
        };
        if level == MappaLevel::Ordinary {
            continue;
        }
        let cadence = Duration::weeks(i64::from(
            rules.cadence_weeks(RegistrationKind::Mappa, Some(level)),
        ));
        let mut held_on = next - cadence;
        let mut next_meeting_on = next;
        let chair = chair(rng);
        while held_on >= registration.registered_on && meetings.len() < MOST_MEETINGS {
            meetings.push(DemoMappaMeeting {
                id: rng.id(),
                registration_id: registration.id,
                person_id: person.id,
                held_on,
                category,
                level,
                chair: chair.clone(),
                agencies: agencies(rng, category),
                decisions: decisions(rng, category, level).to_owned(),
                next_meeting_on,
                rule_version: rules.version.to_owned(),
                recorded_by,
            });
            next_meeting_on = held_on;
            // Meetings slip by a few days either way.
            held_on = held_on - cadence + Duration::days(rng.range(-4..=4));
        }
    }
    meetings
}

/// Who chairs the panel: a police inspector or a probation manager, by role rather than name.
fn chair(rng: &mut DemoRng) -> String {
    rng.pick(&[
        "Detective Inspector, public protection unit",
        "Senior probation officer, public protection",
        "Head of probation delivery unit",
        "Detective Chief Inspector, public protection unit",
    ])
    .to_string()
}

fn agencies(rng: &mut DemoRng, category: MappaCategory) -> Vec<MappaAgency> {
    let mut agencies = vec![MappaAgency::Police, MappaAgency::Probation];
    let others: &[(MappaAgency, f64)] = match category {
        MappaCategory::RegisteredSexOffender => &[
            (MappaAgency::ChildrensServices, 0.8),
            (MappaAgency::Housing, 0.5),
            (MappaAgency::ElectronicMonitoring, 0.2),
        ],
        MappaCategory::Terrorism => &[
            (MappaAgency::Prison, 0.6),
            (MappaAgency::Health, 0.4),
            (MappaAgency::Housing, 0.3),
        ],
        MappaCategory::ViolentOffender | MappaCategory::OtherDangerous => &[
            (MappaAgency::ChildrensServices, 0.4),
            (MappaAgency::Health, 0.4),
            (MappaAgency::Housing, 0.5),
            (MappaAgency::AdultSocialCare, 0.2),
            (MappaAgency::JobcentrePlus, 0.15),
        ],
    };
    for (agency, chance) in others {
        if rng.chance(*chance) {
            agencies.push(*agency);
        }
    }
    agencies
}

fn decisions(rng: &mut DemoRng, category: MappaCategory, level: MappaLevel) -> &'static str {
    let options: &[&str] = match (category, level) {
        (MappaCategory::RegisteredSexOffender, _) => &[
            "Risk management plan reviewed. Police to carry out unannounced home visits monthly; children's services to be told of any new relationship with a parent of young children. Continue at this level.",
            "Disclosure to the new partner considered and agreed. Housing to confirm the address is not near a school. Review internet-use conditions at the next meeting.",
        ],
        (_, MappaLevel::SeniorOversight) => &[
            "Risk remains imminent. Approved premises place to continue; police to share intelligence weekly. Senior managers to fund the additional curfew monitoring.",
            "Exclusion zone around the victim's area confirmed. Police flag placed on the victim's address. Health to arrange the mental health assessment before the next meeting.",
        ],
        _ => &[
            "Risk management plan reviewed. Exclusion zone to continue; police to check compliance. Housing to support the move to settled accommodation.",
            "Compliance has been good. Consider lowering to level 1 at the next meeting if the accommodation holds and there is no new intelligence.",
            "New intelligence of contact with the previous partner. Police to speak to her; probation to discuss at the next supervision and record the outcome.",
        ],
    };
    rng.choose(options)
}

#[cfg(test)]
mod tests {
    use crate::{generate, DemoSpec, Scale};

    #[test]
    fn level_2_and_3_cases_have_meetings_on_their_cadence_ending_at_the_next_review() {
        let spec = DemoSpec {
            seed: 7,
            scale: Scale::Small,
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        };
        let region = generate(&spec);
        assert!(!region.mappa_meetings.is_empty(), "the demo has meetings");
        for meeting in &region.mappa_meetings {
            assert!(meeting.held_on < meeting.next_meeting_on);
            assert!(meeting.held_on <= spec.today);
            assert!(meeting.agencies.len() >= 2);
        }
    }
}
