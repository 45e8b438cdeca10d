//! The demo's limited access cases (issue 19), so the service shows them: in the demo accounts'
//! PDU, three cases each excluding a practitioner of another team (a relative, a neighbour, a
//! former partner), and in each other PDU two cases restricted to their own practitioner (a member
//! of staff's relative, a case in the news). Chosen from the generated region alone, so the same
//! seed and day give the same lists; no demo account is named, so the demo accounts' own work is
//! as before.

use crate::model::DemoRegion;
use keepsafe_domain::access::limited::LimitList;
use keepsafe_domain::staff::Grade;
use uuid::Uuid;

/// One entry on a case's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLimit {
    pub person_id: Uuid,
    pub staff_id: Uuid,
    pub list: LimitList,
    pub reason: &'static str,
    pub added_by: Uuid,
}

const EXCLUSION_REASONS: [&str; 3] = [
    "A relative of the person on probation",
    "Lives on the same street as the person on probation",
    "A former partner of the person's sister",
];

const RESTRICTION_REASONS: [&str; 2] = [
    "The person is a relative of a member of staff in this PDU",
    "The case has been in the local news: only the practitioner and the head of PDU need it",
];

/// The region's limited access entries.
pub fn choose(region: &DemoRegion) -> Vec<DemoLimit> {
    let demo_pdu = region
        .staff
        .iter()
        .find(|s| s.username.is_some() && s.grade == Grade::HeadOfPdu)
        .and_then(|s| s.pdu_id);
    let head_of = |pdu: Uuid| {
        region
            .staff
            .iter()
            .find(|s| s.grade == Grade::HeadOfPdu && s.pdu_id == Some(pdu))
            .map(|s| s.id)
    };
    let is_account = |id: Uuid| {
        region
            .staff
            .iter()
            .any(|s| s.id == id && s.username.is_some())
    };
    // Cases held by a practitioner without a demo account: (person, practitioner, team, PDU).
    let mut held: Vec<(&str, Uuid, Uuid, Uuid, Uuid)> = region
        .people
        .iter()
        .filter_map(|p| {
            let current = p.allocations.iter().find(|a| a.end_date.is_none())?;
            (!is_account(current.staff_id)).then_some((
                p.crn.as_str(),
                p.id,
                current.staff_id,
                current.team_id,
                p.pdu_id,
            ))
        })
        .collect();
    held.sort();
    let mut limits = Vec::new();
    if let Some(pdu) = demo_pdu {
        let Some(head) = head_of(pdu) else {
            return limits;
        };
        let others: Vec<_> = region
            .staff
            .iter()
            .filter(|s| s.grade.holds_caseload() && s.username.is_none() && s.pdu_id == Some(pdu))
            .collect();
        let in_pdu = held.iter().filter(|case| case.4 == pdu);
        for (n, (_, person, _, team, _)) in in_pdu.take(EXCLUSION_REASONS.len()).enumerate() {
            let excluded = others.iter().filter(|s| s.team_id != Some(*team)).nth(n);
            if let Some(excluded) = excluded {
                limits.push(DemoLimit {
                    person_id: *person,
                    staff_id: excluded.id,
                    list: LimitList::Exclusion,
                    reason: EXCLUSION_REASONS[n],
                    added_by: head,
                });
            }
        }
    }
    for pdu in region.pdus.iter().filter(|p| Some(p.id) != demo_pdu) {
        let Some(head) = head_of(pdu.id) else {
            continue;
        };
        let in_pdu = held.iter().filter(|case| case.4 == pdu.id);
        for (n, (_, person, practitioner, _, _)) in
            in_pdu.take(RESTRICTION_REASONS.len()).enumerate()
        {
            limits.push(DemoLimit {
                person_id: *person,
                staff_id: *practitioner,
                list: LimitList::Restriction,
                reason: RESTRICTION_REASONS[n],
                added_by: head,
            });
        }
    }
    limits
}
