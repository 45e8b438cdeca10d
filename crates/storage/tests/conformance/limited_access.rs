//! Limited access cases: the lists are read back with the case (`locate`), a removal keeps the
//! row but ends its effect, a member of staff is on one current list of a case once, and
//! `hidden_from` answers for every list which cases a member of staff may not see.

use crate::conformance;
use crate::support::{conn, with_small_region};
use keepsafe_demo::StaffMember;
use keepsafe_domain::access::limited::LimitList;
use keepsafe_domain::access::Actor;
use keepsafe_domain::staff::Grade;
use keepsafe_storage::cases::{limited, record};
use keepsafe_test_support::clock::now;
use keepsafe_test_support::limited_access::{exclude, restrict_to};

fn actor(staff: &StaffMember) -> Actor {
    Actor {
        staff_id: staff.id,
        grade: staff.grade,
        region: staff.region_id,
        pdu: staff.pdu_id,
        team: staff.team_id,
    }
}

conformance!(
    the_lists_are_read_with_the_case_and_hide_it_from_whom_they_should,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = &region.people[0];
        let in_pdu = |grade: Grade| {
            region
                .staff
                .iter()
                .find(|s| s.grade == grade && s.pdu_id == Some(person.pdu_id))
                .unwrap()
        };
        let head = in_pdu(Grade::HeadOfPdu);
        let officer = in_pdu(Grade::ProbationOfficer);
        let senior = in_pdu(Grade::SeniorProbationOfficer);
        let quality = region
            .staff
            .iter()
            .find(|s| s.grade == Grade::QualityInspection)
            .unwrap();

        exclude(&mut conn, person.id, officer.id, head.id, "A relative").unwrap();
        let located = record::locate(&mut conn, &person.crn).unwrap().unwrap();
        assert_eq!(located.limits.excluded, [officer.id]);
        assert!(located.limits.restricted_to.is_empty());

        let hidden = limited::hidden_from(&mut conn, &actor(officer)).unwrap();
        assert!(hidden.hides(person.id));
        assert!(hidden.hides_crn(&person.crn));
        assert!(!limited::hidden_from(&mut conn, &actor(senior))
            .unwrap()
            .hides(person.id));

        // Named once on one list: a second current entry is refused by the database.
        assert!(exclude(&mut conn, person.id, officer.id, head.id, "Again").is_err());

        let other = &region.people[1];
        restrict_to(&mut conn, other.id, &[senior.id], head.id, "Staff case").unwrap();
        for (who, hides) in [
            (senior, false),
            (head, false),
            (officer, true),
            (quality, true),
        ] {
            let hidden = limited::hidden_from(&mut conn, &actor(who)).unwrap();
            assert_eq!(hidden.hides(other.id), hides, "{:?}", who.grade);
        }

        let entries = limited::entries(&mut conn, person.id).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].list, LimitList::Exclusion);
        assert_eq!(entries[0].reason, "A relative");
        assert_eq!(
            entries[0].added_by,
            format!("{} {}", head.first_name, head.last_name)
        );
        let removed = limited::remove(&mut conn, person.id, entries[0].id, head.id, now()).unwrap();
        assert_eq!(removed, Some((LimitList::Exclusion, officer.id)));
        assert_eq!(
            limited::remove(&mut conn, person.id, entries[0].id, head.id, now()).unwrap(),
            None,
            "a removed entry is not removed twice"
        );
        assert!(!limited::limits_for(&mut conn, person.id)
            .unwrap()
            .is_limited());
        assert!(!limited::hidden_from(&mut conn, &actor(officer))
            .unwrap()
            .hides(person.id));
        // Once removed, the member of staff may be named again.
        exclude(&mut conn, person.id, officer.id, head.id, "Again, later").unwrap();
    }
);
