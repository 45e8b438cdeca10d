//! The role fields the add-account and change-role forms share: a grade, and the place that grade
//! needs — a team for practitioners and senior officers, a PDU for heads of PDU, a region for
//! everyone else — chosen from the administrator's own region, so the lists stay short however
//! large the service. Partner users are not offered: they belong to a partner organisation, which
//! `keepsafe user add --partner` names.

use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Validation};
use keepsafe_domain::staff::{Grade, StaffScope};
use keepsafe_domain::CodedValue;
use keepsafe_storage::organisation::{self, PduRef, TeamRef};
use keepsafe_storage::staff::{Placement, StaffAccount};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// The places an administrator may put an account.
pub struct Choices {
    teams: Vec<TeamRef>,
    pdus: Vec<PduRef>,
    regions: Vec<(Uuid, String)>,
}

impl Choices {
    /// The teams and PDUs of `region_id`, and every region.
    pub fn read(conn: &mut AnyConnection, region_id: Uuid) -> Result<Self, AppError> {
        Ok(Self {
            teams: organisation::teams_in_region(conn, region_id)?,
            pdus: organisation::pdus_in_region(conn, region_id)?,
            regions: organisation::regions(conn)?,
        })
    }
}

/// One choice in a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The teams of one PDU, as an `<optgroup>`.
pub struct TeamGroup {
    pub pdu: String,
    pub teams: Vec<Choice>,
}

/// The role fields as the form shows them, with what was chosen and any errors.
pub struct RoleFields {
    pub grades: Vec<Choice>,
    pub teams: Vec<TeamGroup>,
    pub pdus: Vec<Choice>,
    pub regions: Vec<Choice>,
    pub grade_error: Option<String>,
    pub team_error: Option<String>,
    pub pdu_error: Option<String>,
    pub region_error: Option<String>,
}

/// The grades an administrator may give in the browser.
fn offered_grades() -> impl Iterator<Item = Grade> {
    Grade::ALL
        .iter()
        .copied()
        .filter(|g| *g != Grade::PartnerUser)
}

/// The fields for `fields` (as typed, or an account's current role), with `errors`.
pub fn fields_for(choices: &Choices, fields: &FormFields, errors: &[FieldError]) -> RoleFields {
    let choice = |value: String, label: &str, chosen: &str| Choice {
        selected: value == chosen,
        value,
        label: label.to_owned(),
    };
    let mut teams: Vec<TeamGroup> = Vec::new();
    for team in &choices.teams {
        let option = choice(team.id.to_string(), &team.name, fields.get("team"));
        match teams.last_mut() {
            Some(group) if group.pdu == team.pdu_name => group.teams.push(option),
            _ => teams.push(TeamGroup {
                pdu: team.pdu_name.clone(),
                teams: vec![option],
            }),
        }
    }
    RoleFields {
        grades: offered_grades()
            .map(|g| choice(g.code().to_owned(), g.label(), fields.get("grade")))
            .collect(),
        teams,
        pdus: choices
            .pdus
            .iter()
            .map(|p| choice(p.id.to_string(), &p.name, fields.get("pdu")))
            .collect(),
        regions: choices
            .regions
            .iter()
            .map(|(id, name)| choice(id.to_string(), name, fields.get("region")))
            .collect(),
        grade_error: forms::message_for(errors, "grade"),
        team_error: forms::message_for(errors, "team"),
        pdu_error: forms::message_for(errors, "pdu"),
        region_error: forms::message_for(errors, "region"),
    }
}

/// An account's current role as the form's fields, to start the change-role form from.
pub fn current(account: &StaffAccount) -> FormFields {
    let id = |value: Option<Uuid>| value.map(|v| v.to_string()).unwrap_or_default();
    FormFields(vec![
        ("grade".into(), account.grade.code().to_owned()),
        ("team".into(), id(account.team_id)),
        ("pdu".into(), id(account.pdu_id)),
        ("region".into(), account.region_id.to_string()),
    ])
}

/// Reads the grade and the place it needs, keeping any error in `validation`.
pub fn read(
    fields: &FormFields,
    choices: &Choices,
    validation: &mut Validation,
) -> Option<(Grade, Placement)> {
    let grade = Grade::parse(fields.get("grade"))
        .ok()
        .filter(|g| *g != Grade::PartnerUser);
    let grade = validation.required(grade, "grade", "Select a role")?;
    let who = grade.label().to_lowercase();
    let chosen = |name: &str| Uuid::parse_str(fields.get(name)).ok();
    match grade.scope() {
        StaffScope::Team => {
            let team = chosen("team").and_then(|id| choices.teams.iter().find(|t| t.id == id));
            let team =
                validation.required(team, "team", &format!("Select the team a {who} works in"))?;
            Some((
                grade,
                Placement {
                    region_id: team.region_id,
                    pdu_id: Some(team.pdu_id),
                    team_id: Some(team.id),
                },
            ))
        }
        StaffScope::Pdu => {
            let pdu = chosen("pdu").and_then(|id| choices.pdus.iter().find(|p| p.id == id));
            let pdu = validation.required(
                pdu,
                "pdu",
                &format!("Select the probation delivery unit a {who} leads"),
            )?;
            Some((
                grade,
                Placement {
                    region_id: pdu.region_id,
                    pdu_id: Some(pdu.id),
                    team_id: None,
                },
            ))
        }
        StaffScope::Region | StaffScope::PartnerOrganisation => {
            let region =
                chosen("region").and_then(|id| choices.regions.iter().find(|(r, _)| *r == id));
            let (region_id, _) = validation.required(
                region,
                "region",
                &format!("Select the region a {who} works in"),
            )?;
            Some((
                grade,
                Placement {
                    region_id: *region_id,
                    pdu_id: None,
                    team_id: None,
                },
            ))
        }
    }
}
