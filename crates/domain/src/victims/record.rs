//! What victim liaison records about a victim: who they are and how to reach them, whether they
//! opted in, contacts at the scheme's stages, their views and the licence conditions they ask for.
//! Each form is checked here, every problem named by its field.

use crate::address::Postcode;
use crate::coded_enum;
use crate::person::TelephoneNumber;
use crate::supervision::reminders::EmailAddress;
use crate::text::LongText;
use crate::CodedValue;
use chrono::NaiveDate;

coded_enum! {
    /// Who the person in the scheme is (reference §6: the scheme covers parents or carers of child
    /// victims, and next of kin where the victim died).
    pub enum VictimRole ("who the victim is") {
        Victim => "victim", "Victim",
        ParentOrCarer => "parent_or_carer", "Parent or carer of a child victim",
        NextOfKin => "next_of_kin", "Next of kin of a victim who died",
    }
}

coded_enum! {
    /// The key stages at which victims in the scheme are contacted.
    pub enum VictimStage ("stage of the victim contact scheme") {
        Sentence => "sentence", "Sentence",
        ReleaseConsideration => "release_consideration", "Release being considered",
        Release => "release", "Release",
        Recall => "recall", "Recall",
        LicenceEnd => "licence_end", "End of licence",
    }
}

coded_enum! {
    /// The licence conditions a victim may ask for.
    pub enum ConditionKind ("licence condition asked for by a victim") {
        NoContact => "no_contact", "No contact with the victim",
        ExclusionZone => "exclusion_zone", "Exclusion zone",
        Other => "other", "Other condition",
    }
}

coded_enum! {
    /// Where a requested condition stands.
    pub enum ConditionStatus ("status of a requested condition") {
        Requested => "requested", "Requested",
        Included => "included", "Included in the licence",
        NotIncluded => "not_included", "Not included",
    }
}

/// A problem with what was typed, named by the form field that fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimProblem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> VictimProblem {
    VictimProblem {
        field,
        message: message.into(),
    }
}

/// A victim's details as typed.
#[derive(Debug, Clone, Default)]
pub struct VictimForm<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub postcode: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    /// "yes", "no" or "" (not asked yet).
    pub opted_in: &'a str,
    /// The day they said, read from the date input by the caller.
    pub decided_on: Option<NaiveDate>,
}

/// A victim's details, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVictim {
    pub name: String,
    pub address: String,
    pub postcode: Option<Postcode>,
    pub phone: Option<TelephoneNumber>,
    pub email: Option<EmailAddress>,
    pub role: VictimRole,
    pub opted_in: Option<bool>,
    pub decided_on: Option<NaiveDate>,
}

/// Checks a victim's details: a name, who they are, and the day they decided when they have.
pub fn check_victim(
    form: &VictimForm<'_>,
    today: NaiveDate,
) -> Result<NewVictim, Vec<VictimProblem>> {
    let mut problems = Vec::new();
    let name = form.name.trim();
    if name.is_empty() {
        problems.push(problem("name", "Enter the victim's name"));
    } else if name.chars().count() > 200 || name.chars().any(crate::text::is_unsafe_in_one_line) {
        problems.push(problem(
            "name",
            "The name must be 200 characters or fewer, on one line",
        ));
    }
    let address = LongText::optional(form.address).unwrap_or_else(|error| {
        problems.push(problem("address", format!("The address {error}")));
        LongText::default()
    });
    let postcode = optional(form.postcode, Postcode::parse, "postcode", &mut problems);
    let phone = optional(form.phone, TelephoneNumber::parse, "phone", &mut problems);
    let email = optional(form.email, EmailAddress::parse, "email", &mut problems);
    let role = VictimRole::parse(form.role).ok();
    if role.is_none() {
        problems.push(problem("role", "Select who they are"));
    }
    let opted_in = match form.opted_in {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    match (opted_in, form.decided_on) {
        (Some(_), None) => problems.push(problem(
            "decided_on",
            "Enter the date they chose whether to be contacted",
        )),
        (_, Some(day)) if day > today => problems.push(problem(
            "decided_on",
            "The date they chose must be today or in the past",
        )),
        (None, Some(_)) => problems.push(problem(
            "opted_in",
            "Select whether they want to be contacted, or clear the date",
        )),
        _ => {}
    }
    match (problems.is_empty(), role) {
        (true, Some(role)) => Ok(NewVictim {
            name: name.to_owned(),
            address: address.as_str().to_owned(),
            postcode,
            phone,
            email,
            role,
            opted_in,
            decided_on: form.decided_on,
        }),
        _ => Err(problems),
    }
}

fn optional<T, E: ToString>(
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
    field: &'static str,
    problems: &mut Vec<VictimProblem>,
) -> Option<T> {
    if raw.trim().is_empty() {
        return None;
    }
    parse(raw)
        .map_err(|error| problems.push(problem(field, error.to_string())))
        .ok()
}

/// A contact made with a victim at a stage, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    pub stage: VictimStage,
    pub contacted_on: NaiveDate,
    pub notes: LongText,
}

/// Checks a contact: its stage, a day not in the future, and notes of what was said.
pub fn check_contact(
    stage: &str,
    contacted_on: Option<NaiveDate>,
    notes: &str,
    today: NaiveDate,
) -> Result<NewContact, Vec<VictimProblem>> {
    let mut problems = Vec::new();
    let stage = VictimStage::parse(stage).ok();
    if stage.is_none() {
        problems.push(problem("stage", "Select the stage of the contact"));
    }
    if contacted_on.is_some_and(|day| day > today) {
        problems.push(problem(
            "contacted_on",
            "The date of the contact must be today or in the past",
        ));
    }
    let notes = LongText::required(notes).unwrap_or_else(|error| {
        problems.push(problem("notes", format!("Notes: {error}")));
        LongText::default()
    });
    match (stage, contacted_on, problems.is_empty()) {
        (Some(stage), Some(contacted_on), true) => Ok(NewContact {
            stage,
            contacted_on,
            notes,
        }),
        _ => Err(problems),
    }
}

/// A licence condition a victim asks for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCondition {
    pub kind: ConditionKind,
    /// The area of an exclusion zone, or what an other condition says.
    pub details: String,
    pub reason: LongText,
    pub status: ConditionStatus,
    pub status_reason: String,
}

/// A requested condition as typed.
#[derive(Debug, Clone, Default)]
pub struct ConditionForm<'a> {
    pub kind: &'a str,
    pub details: &'a str,
    pub reason: &'a str,
    pub status: &'a str,
    pub status_reason: &'a str,
}

/// Checks a requested condition: an exclusion zone describes its area and another condition what
/// it says; every condition has victim liaison's reason; one not included says why.
pub fn check_condition(form: &ConditionForm<'_>) -> Result<NewCondition, Vec<VictimProblem>> {
    let mut problems = Vec::new();
    let kind = ConditionKind::parse(form.kind).ok();
    let status = ConditionStatus::parse(form.status).ok();
    if kind.is_none() {
        problems.push(problem("kind", "Select the condition asked for"));
    }
    if status.is_none() {
        problems.push(problem("status", "Select where the condition stands"));
    }
    let mut text = |field: &'static str, raw: &str, label: &str, required: bool| {
        let read = if required {
            LongText::required(raw)
        } else {
            LongText::optional(raw)
        };
        read.unwrap_or_else(|error| {
            problems.push(problem(field, format!("{label}: {error}")));
            LongText::default()
        })
    };
    let details = text(
        "details",
        form.details,
        match kind {
            Some(ConditionKind::ExclusionZone) => "Describe the area of the exclusion zone",
            _ => "The condition",
        },
        matches!(
            kind,
            Some(ConditionKind::ExclusionZone | ConditionKind::Other)
        ),
    );
    let reason = text("reason", form.reason, "Victim liaison's reason", true);
    let status_reason = text(
        "status_reason",
        form.status_reason,
        "Why it was not included",
        status == Some(ConditionStatus::NotIncluded),
    );
    match (kind, status, problems.is_empty()) {
        (Some(kind), Some(status), true) => Ok(NewCondition {
            kind,
            details: details.as_str().to_owned(),
            reason,
            status,
            status_reason: status_reason.as_str().to_owned(),
        }),
        _ => Err(problems),
    }
}

impl NewCondition {
    /// The condition in words, as the licence would say it.
    pub fn describe(kind: ConditionKind, details: &str) -> String {
        match kind {
            ConditionKind::NoContact => kind.label().to_owned(),
            ConditionKind::ExclusionZone => format!("Exclusion zone: {details}"),
            ConditionKind::Other => details.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    #[test]
    fn a_victim_without_name_or_role_is_refused_naming_both_fields() {
        let problems = check_victim(&VictimForm::default(), today()).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["name", "role"]);
    }

    #[test]
    fn opting_in_needs_the_day_they_chose() {
        let problems = check_victim(
            &VictimForm {
                name: "A Person",
                role: "victim",
                opted_in: "yes",
                ..VictimForm::default()
            },
            today(),
        )
        .unwrap_err();
        assert_eq!(problems[0].field, "decided_on");
    }

    #[test]
    fn a_victim_with_contact_details_is_checked_and_kept() {
        let victim = check_victim(
            &VictimForm {
                name: " Ada Lovelace ",
                address: "1 High Street\nMidchester",
                postcode: "ln11aa",
                phone: "01632 960 001",
                email: "ada@example.org",
                role: "parent_or_carer",
                opted_in: "yes",
                decided_on: Some(today()),
            },
            today(),
        )
        .unwrap();
        assert_eq!(victim.name, "Ada Lovelace");
        assert_eq!(victim.postcode.unwrap().as_str(), "LN1 1AA");
        assert_eq!(victim.role, VictimRole::ParentOrCarer);
        assert_eq!(victim.opted_in, Some(true));
    }

    #[test]
    fn a_bad_phone_and_email_are_named() {
        let problems = check_victim(
            &VictimForm {
                name: "A Person",
                role: "victim",
                phone: "12",
                email: "not an email",
                ..VictimForm::default()
            },
            today(),
        )
        .unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["phone", "email"]);
    }

    #[test]
    fn an_exclusion_zone_without_its_area_is_refused() {
        let problems = check_condition(&ConditionForm {
            kind: "exclusion_zone",
            reason: "She lives and works there",
            status: "requested",
            ..ConditionForm::default()
        })
        .unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "details");
        assert!(problems[0].message.starts_with("Describe the area"));
    }

    #[test]
    fn a_condition_not_included_needs_the_reason() {
        let problems = check_condition(&ConditionForm {
            kind: "no_contact",
            reason: "Asked for by the victim",
            status: "not_included",
            ..ConditionForm::default()
        })
        .unwrap_err();
        assert_eq!(problems[0].field, "status_reason");
    }

    #[test]
    fn a_contact_in_the_future_is_refused() {
        let tomorrow = today().succ_opt();
        let problems = check_contact("release", tomorrow, "Told of release", today()).unwrap_err();
        assert_eq!(problems[0].field, "contacted_on");
    }
}
