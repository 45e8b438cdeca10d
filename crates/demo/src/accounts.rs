//! The demo sign-in accounts, described so a person trying the demo can choose whose eyes to see
//! it through.

use crate::model::DemoRegion;
use keepsafe_domain::staff::{Grade, StaffScope};
use keepsafe_domain::CodedValue;

/// A demo account: sign in with `username` and [`crate::DEMO_PASSWORD`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: String,
    pub grade: Grade,
    /// The role and where it sits, e.g. "Probation officer, Midchester North team".
    pub description: String,
}

/// Every staff member with a username, in grade order (practitioners first, administrator last),
/// described by their grade and their team, PDU or region.
pub fn demo_accounts(region: &DemoRegion) -> Vec<DemoAccount> {
    let mut accounts: Vec<DemoAccount> = region
        .staff
        .iter()
        .filter_map(|member| {
            let username = member.username.clone()?;
            let place = match member.grade.scope() {
                StaffScope::Team => member
                    .team_id
                    .and_then(|id| region.teams.iter().find(|team| team.id == id))
                    .map(|team| format!("{} team", team.name)),
                StaffScope::Pdu => member
                    .pdu_id
                    .and_then(|id| region.pdus.iter().find(|pdu| pdu.id == id))
                    .map(|pdu| pdu.name.clone()),
                StaffScope::Region => Some(format!("{} region", region.region.name)),
                StaffScope::PartnerOrganisation => member
                    .partner
                    .and_then(|(id, _)| region.partners.iter().find(|p| p.id == id))
                    .map(|org| org.name.clone()),
            };
            let role = member.grade.label();
            Some(DemoAccount {
                username,
                grade: member.grade,
                description: place
                    .map_or_else(|| role.to_owned(), |place| format!("{role}, {place}")),
            })
        })
        .collect();
    let rank = |grade: Grade| Grade::ALL.iter().position(|g| *g == grade);
    accounts.sort_by(|a, b| {
        rank(a.grade)
            .cmp(&rank(b.grade))
            .then_with(|| a.username.cmp(&b.username))
    });
    accounts
}
