//! Victims: records kept for victim liaison, the summary everyone else reads (with no identity
//! in it), contacts due when a stage is reached (once per stage and day), and the worklist's
//! referrals and measures.

use crate::conformance;
use crate::support::{conn, with_small_region};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_demo::DemoRegion;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::victims::{ConditionStatus, VictimContactRules, VictimStage};
use keepsafe_storage::schema::events;
use keepsafe_storage::victims::referrals::{self, ReferralUpdate};
use keepsafe_storage::victims::{records, stage_reached, summary, worklist};
use keepsafe_storage::{transaction, AnyConnection};
use keepsafe_test_support::clock;
use keepsafe_test_support::victims::{record_victim, EMAIL, NAME, PHONE, POSTCODE, STREET, ZONE};
use uuid::Uuid;

fn vlo(region: &DemoRegion) -> Uuid {
    region
        .staff
        .iter()
        .find(|s| s.grade == Grade::VictimLiaisonOfficer)
        .expect("the demo region has victim liaison")
        .id
}

fn vlo_name(region: &DemoRegion) -> String {
    let staff = region
        .staff
        .iter()
        .find(|s| s.grade == Grade::VictimLiaisonOfficer)
        .unwrap();
    format!("{} {}", staff.first_name, staff.last_name)
}

/// Makes the person's events one active event: violence, `months` in custody, sentenced on
/// `sentenced_on`, released on `release_on`.
fn violent_custody(
    conn: &mut AnyConnection,
    person: Uuid,
    months: i32,
    sentenced_on: NaiveDate,
    release_on: Option<NaiveDate>,
) {
    let ids: Vec<String> = events::table
        .filter(events::person_id.eq(person.to_string()))
        .order(events::event_number.desc())
        .select(events::id)
        .load(conn)
        .unwrap();
    diesel::update(events::table.filter(events::id.eq_any(&ids[1..])))
        .set(events::active.eq(false))
        .execute(conn)
        .unwrap();
    diesel::update(events::table.filter(events::id.eq(&ids[0])))
        .set((
            events::active.eq(true),
            events::offence_category.eq("violence"),
            events::sentence_type.eq("determinate_custody"),
            events::case_type.eq("custody"),
            events::sentence_length_months.eq(Some(months)),
            events::sentence_date.eq(Some(sentenced_on)),
            events::release_date.eq(release_on),
        ))
        .execute(conn)
        .unwrap();
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

conformance!(
    victim_liaison_records_keep_details_contacts_views_and_conditions,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[0].id;
        let (victim, condition) = record_victim(&mut conn, person, vlo(&region));
        let found = records::for_case(&mut conn, person).unwrap();
        assert_eq!(found.len(), 1);
        let record = &found[0];
        assert_eq!(record.id, victim);
        assert_eq!(record.name, NAME);
        assert!(record.address.starts_with(STREET));
        assert_eq!(record.postcode.as_deref(), Some(POSTCODE));
        assert_eq!(record.phone.as_deref(), Some(PHONE));
        assert_eq!(record.email.as_deref(), Some(EMAIL));
        assert_eq!(record.opted_in, Some(true));
        assert_eq!(record.liaison_officer, vlo_name(&region));
        assert_eq!(record.contacts.len(), 1);
        assert_eq!(record.contacts[0].stage, VictimStage::Sentence);
        assert_eq!(record.contacts[0].contacted_on, Some(clock::today()));
        assert_eq!(record.views.len(), 1);
        assert_eq!(record.conditions[0].id, condition);
        assert_eq!(record.conditions[0].details, ZONE);
        // Another case's id finds nothing.
        assert!(records::find(&mut conn, region.people[1].id, victim)
            .unwrap()
            .is_none());
    }
);

conformance!(
    the_case_summary_has_conditions_and_the_liaison_officer_but_no_identity,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[0].id;
        let (victim, condition) = record_victim(&mut conn, person, vlo(&region));
        let mut stored = records::find(&mut conn, person, victim)
            .unwrap()
            .unwrap()
            .conditions
            .remove(0);
        let included = keepsafe_domain::victims::NewCondition {
            kind: stored.kind,
            details: stored.details.clone(),
            reason: keepsafe_domain::text::LongText::required(&stored.reason).unwrap(),
            status: ConditionStatus::Included,
            status_reason: String::new(),
        };
        transaction::write(&mut conn, |conn| {
            records::update_condition(conn, person, victim, condition, &included, clock::now())
        })
        .unwrap();
        stored.status = ConditionStatus::Included;

        let summary = summary::for_case(&mut conn, person).unwrap();
        assert_eq!(summary.known, 1);
        assert_eq!(summary.in_scheme, 1);
        assert_eq!(summary.liaison_officers, [vlo_name(&region)]);
        assert_eq!(summary.conditions.len(), 1);
        assert_eq!(summary.conditions[0].status, ConditionStatus::Included);
        assert_eq!(
            summary.conditions[0].describe(),
            format!("Exclusion zone: {ZONE}")
        );
        let everything = format!("{summary:?}");
        for secret in [NAME, STREET, POSTCODE, PHONE, EMAIL] {
            assert!(!everything.contains(secret), "{secret} in {everything}");
        }
        let considered = summary::to_consider(&mut conn, person).unwrap();
        assert_eq!(considered.len(), 1);
        assert_eq!(considered[0].id, victim);
        assert_eq!(considered[0].name, "Victim known to victim liaison");
        assert_eq!(considered[0].relationship, "In the victim contact scheme");
    }
);

conformance!(
    a_stage_reached_makes_one_contact_due_per_opted_in_victim_once,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[0].id;
        let by = vlo(&region);
        let (victim, _) = record_victim(&mut conn, person, by);
        // A second victim who opted out gets no contact.
        let mut opted_out = keepsafe_test_support::victims::victim();
        opted_out.opted_in = Some(false);
        transaction::write(&mut conn, |conn| {
            records::add(conn, person, &opted_out, by, clock::now())
        })
        .unwrap();
        let recalled = day(2026, 11, 27);
        let made = |conn: &mut AnyConnection| {
            transaction::write(conn, |conn| {
                stage_reached(
                    conn,
                    person,
                    VictimStage::Recall,
                    recalled,
                    by,
                    clock::now(),
                )
            })
            .unwrap()
        };
        assert_eq!(made(&mut conn), 1);
        assert_eq!(
            made(&mut conn),
            0,
            "the same stage and day again makes none"
        );
        let record = records::find(&mut conn, person, victim).unwrap().unwrap();
        let due: Vec<_> = record
            .contacts
            .iter()
            .filter(|c| c.stage == VictimStage::Recall)
            .collect();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].contacted_on, None);
        // Friday 27 November 2026 + 5 working days.
        assert_eq!(due[0].due_on, day(2026, 12, 4));
        // Recording the contact answers the one due.
        transaction::write(&mut conn, |conn| {
            records::record_contact(
                conn,
                person,
                victim,
                &keepsafe_domain::victims::NewContact {
                    stage: VictimStage::Recall,
                    contacted_on: clock::today(),
                    notes: keepsafe_domain::text::LongText::required("Told of the recall").unwrap(),
                },
                by,
                clock::now(),
            )
        })
        .unwrap();
        let record = records::find(&mut conn, person, victim).unwrap().unwrap();
        let recall: Vec<_> = record
            .contacts
            .iter()
            .filter(|c| c.stage == VictimStage::Recall)
            .collect();
        assert_eq!(recall.len(), 1);
        assert_eq!(recall[0].contacted_on, Some(clock::today()));
    }
);

conformance!(
    the_worklist_lists_referrals_due_until_made_and_counts_them_in_the_measure,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[0].id;
        let crn = region.people[0].crn.clone();
        let by = vlo(&region);
        let today = clock::today();
        // Sentenced 2 November 2026: the referral was due 30 November, before today.
        violent_custody(
            &mut conn,
            person,
            24,
            day(2026, 11, 2),
            Some(day(2027, 1, 15)),
        );
        let rules = VictimContactRules::default();
        let list = worklist::for_region(&mut conn, region.region.id, today, &rules).unwrap();
        let line = list
            .referrals_due
            .iter()
            .find(|r| r.case.crn == crn)
            .expect("the referral is due");
        assert_eq!(line.due_on, day(2026, 11, 30));
        let before = list.offered_in_time.clone();

        transaction::write(&mut conn, |conn| {
            referrals::save(
                conn,
                person,
                &ReferralUpdate::Made {
                    on: day(2026, 11, 20),
                    hospital_order: false,
                },
                by,
                clock::now(),
            )
        })
        .unwrap();
        let (victim, _) = record_victim(&mut conn, person, by);
        let list = worklist::for_region(&mut conn, region.region.id, today, &rules).unwrap();
        assert!(!list.referrals_due.iter().any(|r| r.case.crn == crn));
        assert_eq!(list.offered_in_time.out_of, before.out_of);
        assert_eq!(list.offered_in_time.met, before.met + 1);
        // Released 15 January 2027: representations are due 20 November 2026, already past.
        let asked = list
            .representations_due
            .iter()
            .find(|r| r.victim_id == victim)
            .expect("representations are due");
        assert_eq!(asked.due_on, day(2026, 11, 20));
        assert!(asked.explained.contains("8 weeks"));
    }
);
