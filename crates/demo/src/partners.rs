//! The partner organisations the demo region exchanges checks with — a police force and the
//! county's children's and adult social services — their demo sign-ins, and the calibrated PDU's
//! checks sent to them through keepsafe: the answered ones give the response-time dashboard its
//! history, the outstanding ones the partner portal its queue.
//!
//! Drawn from a stream of its own (the seed, offset), so adding it left the rest of the region
//! exactly as it was.

use crate::model::{DemoRegion, PartnerOrg, StaffMember};
use crate::organisation::staff_member;
use crate::random::DemoRng;
use keepsafe_domain::checks::CheckKind;
use keepsafe_domain::partner::{PartnerOrganisationKind, PartnerRole};
use keepsafe_domain::staff::Grade;

/// Offsets the seed for this stream.
const STREAM: u64 = 0x5eed_0004;

/// A demo partner: code, name, kind, and its demo sign-ins with their roles.
type PartnerPlan = (
    &'static str,
    &'static str,
    PartnerOrganisationKind,
    &'static [(&'static str, PartnerRole)],
);

const PARTNERS: [PartnerPlan; 3] = [
    (
        "MIDPOL",
        "Midshire Police",
        PartnerOrganisationKind::PoliceForce,
        &[
            ("police.demo", PartnerRole::Responder),
            ("police.manager", PartnerRole::Manager),
        ],
    ),
    (
        "MIDCS",
        "Midshire County Council Children's Services",
        PartnerOrganisationKind::ChildrensServices,
        &[("council.demo", PartnerRole::Responder)],
    ),
    (
        "MIDASC",
        "Midshire County Council Adult Social Care",
        PartnerOrganisationKind::AdultSocialCare,
        &[("adults.demo", PartnerRole::Responder)],
    ),
];

/// Adds the partners and, in the region with the demo accounts, their users; and sends the first
/// PDU's outstanding checks to them. The national scale's other regions have partners named after
/// the region, with no sign-ins.
pub(crate) fn add(seed: u64, region: &mut DemoRegion, demo_accounts: bool) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    for (code, name, kind, users) in PARTNERS {
        let (code, name, users) = if demo_accounts {
            (code.to_owned(), name.to_owned(), users)
        } else {
            let (short, named) = (&region.region.code, &region.region.name);
            match kind {
                PartnerOrganisationKind::PoliceForce => {
                    (format!("{short}POL"), format!("{named} Police"), &[][..])
                }
                PartnerOrganisationKind::ChildrensServices => (
                    format!("{short}CS"),
                    format!("{named} Council Children's Services"),
                    &[][..],
                ),
                PartnerOrganisationKind::AdultSocialCare => (
                    format!("{short}ASC"),
                    format!("{named} Council Adult Social Care"),
                    &[][..],
                ),
            }
        };
        let org = PartnerOrg {
            id: rng.id(),
            code,
            name,
            kind,
        };
        for (username, role) in users {
            region.staff.push(StaffMember {
                contracted_hours: 37.0,
                partner: Some((org.id, *role)),
                ..staff_member(
                    &mut rng,
                    region.region.id,
                    Grade::PartnerUser,
                    Some(username),
                )
            });
        }
        region.partners.push(org);
    }
    let police = region.partners[0].id;
    let childrens = region.partners[1].id;
    let Some(first_pdu) = region.pdus.first().map(|p| p.id) else {
        return;
    };
    for person in region.people.iter_mut().filter(|p| p.pdu_id == first_pdu) {
        for check in person.checks.iter_mut() {
            check.partner_organisation_id = Some(match check.kind {
                CheckKind::PoliceDomesticAbuse => police,
                CheckKind::ChildrensServices => childrens,
            });
        }
    }
}
