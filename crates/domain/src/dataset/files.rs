//! The files of a dataset: their names, columns, kinds of value and what each refers to, in the
//! order they are written and read (parents before children, so a row only ever refers to files
//! before its own). `docs/dataset-files.md` describes the same files for people.

use crate::address::AddressStatus;
use crate::checks::CheckKind;
use crate::event::{CaseType, OffenceCategory, SentenceType};
use crate::household::Relationship;
use crate::partner::organisation::{PartnerOrganisationKind, PartnerRole};
use crate::partner::request::RequestStatus;
use crate::person::{DisabilityKind, Gender, PersonalContactKind, Sex};
use crate::registration::{MappaCategory, MappaLevel, RegistrationKind};
use crate::requirement::RequirementKind;
use crate::rosh::{AssessmentStatus, RiskGroup, RoshLevel};
use crate::staff::Grade;
use crate::supervision::contact::{
    ContactOutcome, ContactStatus, ContactType, FailureJudgement, LocationKind, RescheduleRequester,
};
use crate::CodedValue;

/// One dataset file.
#[derive(Debug, Clone, Copy)]
pub struct FileSpec {
    /// The file's name without `.csv`; other files' references name it.
    pub name: &'static str,
    pub columns: &'static [Column],
    /// The columns that identify a row: unique within the file.
    pub key: &'static [&'static str],
    /// Another column whose values must be unique (a CRN, a username), if any.
    pub unique: Option<&'static str>,
}

impl FileSpec {
    /// The file's name on disk.
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    /// The header row, in order.
    pub fn header(&self) -> Vec<&'static str> {
        self.columns.iter().map(|column| column.name).collect()
    }

    /// Where `column` is in a row.
    pub fn position(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == column)
    }
}

/// One column of a file.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    /// Whether the field must have a value. An optional text field may be empty.
    pub required: bool,
}

/// What a column holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// The row's own identifier: a UUID, unique in the file.
    Id,
    /// The identifier of a row of the named file (or already in the database).
    Ref(&'static str),
    /// A UUID that groups or links rows and is not checked against any file.
    Uuid,
    /// A case reference number (CRN), such as X123456.
    Crn,
    Text,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]`, in UTC.
    DateTime,
    Integer,
    Decimal,
    /// `true` or `false`.
    Bool,
    /// A code from a closed vocabulary.
    Code(Vocabulary),
}

/// A closed vocabulary's name and codes.
#[derive(Debug, Clone, Copy)]
pub struct Vocabulary {
    pub name: &'static str,
    pub codes: fn() -> Vec<&'static str>,
}

impl Vocabulary {
    pub fn allows(&self, code: &str) -> bool {
        (self.codes)().contains(&code)
    }
}

fn codes_of<T: CodedValue>() -> Vec<&'static str> {
    T::ALL.iter().map(|value| value.code()).collect()
}

const fn code<T: CodedValue>() -> Kind {
    Kind::Code(Vocabulary {
        name: T::VOCABULARY,
        codes: codes_of::<T>,
    })
}

const fn required(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        required: true,
    }
}

const fn optional(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        required: false,
    }
}

const ID: Column = required("id", Kind::Id);

/// The staff column `name`, which may be empty.
const fn by(name: &'static str) -> Column {
    optional(name, Kind::Ref("staff"))
}

/// Every file, parents before children.
pub const FILES: &[FileSpec] = &[
    FileSpec {
        name: "regions",
        columns: &[
            ID,
            required("code", Kind::Text),
            required("name", Kind::Text),
        ],
        key: &["id"],
        unique: Some("code"),
    },
    FileSpec {
        name: "pdus",
        columns: &[
            ID,
            required("region_id", Kind::Ref("regions")),
            required("code", Kind::Text),
            required("name", Kind::Text),
        ],
        key: &["id"],
        unique: Some("code"),
    },
    FileSpec {
        name: "teams",
        columns: &[
            ID,
            required("pdu_id", Kind::Ref("pdus")),
            required("code", Kind::Text),
            required("name", Kind::Text),
        ],
        key: &["id"],
        unique: Some("code"),
    },
    FileSpec {
        name: "partner_organisations",
        columns: &[
            ID,
            required("code", Kind::Text),
            required("name", Kind::Text),
            required("kind", code::<PartnerOrganisationKind>()),
            required("region_id", Kind::Ref("regions")),
            required("created_at", Kind::DateTime),
        ],
        key: &["id"],
        unique: Some("code"),
    },
    FileSpec {
        name: "staff",
        columns: &[
            ID,
            required("first_name", Kind::Text),
            required("last_name", Kind::Text),
            required("grade", code::<Grade>()),
            required("contracted_hours", Kind::Decimal),
            required("region_id", Kind::Ref("regions")),
            optional("pdu_id", Kind::Ref("pdus")),
            optional("team_id", Kind::Ref("teams")),
            optional("username", Kind::Text),
            optional("password_hash", Kind::Text),
            required("active", Kind::Bool),
            required("created_at", Kind::DateTime),
            optional(
                "partner_organisation_id",
                Kind::Ref("partner_organisations"),
            ),
            optional("partner_role", code::<PartnerRole>()),
        ],
        key: &["id"],
        unique: Some("username"),
    },
    FileSpec {
        name: "people",
        columns: &[
            ID,
            required("crn", Kind::Crn),
            required("first_name", Kind::Text),
            required("last_name", Kind::Text),
            required("date_of_birth", Kind::Date),
            required("sex", code::<Sex>()),
            required("pdu_id", Kind::Ref("pdus")),
            required("created_at", Kind::DateTime),
            optional("age_at_first_sanction", Kind::Integer),
            optional("preferred_name", Kind::Text),
            optional("gender", code::<Gender>()),
            optional("gender_self_description", Kind::Text),
            optional("telephone", Kind::Text),
            optional("mobile", Kind::Text),
            optional("email", Kind::Text),
            optional("preferred_language", Kind::Text),
            required("interpreter_needed", Kind::Bool),
        ],
        key: &["id"],
        unique: Some("crn"),
    },
    FileSpec {
        name: "addresses",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            required("line1", Kind::Text),
            optional("line2", Kind::Text),
            required("town", Kind::Text),
            required("postcode", Kind::Text),
            required("status", code::<AddressStatus>()),
            required("start_date", Kind::Date),
            optional("end_date", Kind::Date),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "household_members",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            required("first_name", Kind::Text),
            required("last_name", Kind::Text),
            required("relationship", code::<Relationship>()),
            optional("date_of_birth", Kind::Date),
            required("start_date", Kind::Date),
            optional("end_date", Kind::Date),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "events",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            required("event_number", Kind::Integer),
            required("offence_description", Kind::Text),
            required("offence_category", code::<OffenceCategory>()),
            required("offence_date", Kind::Date),
            required("conviction_date", Kind::Date),
            required("court", Kind::Text),
            required("sentence_type", code::<SentenceType>()),
            required("case_type", code::<CaseType>()),
            optional("sentence_date", Kind::Date),
            optional("sentence_length_months", Kind::Integer),
            optional("release_date", Kind::Date),
            optional("expected_end_date", Kind::Date),
            required("active", Kind::Bool),
            optional("sanctions_before", Kind::Integer),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "requirements",
        columns: &[
            ID,
            required("event_id", Kind::Ref("events")),
            required("kind", code::<RequirementKind>()),
            optional("length", Kind::Integer),
            optional("detail", Kind::Text),
            required("start_date", Kind::Date),
            optional("end_date", Kind::Date),
            required("active", Kind::Bool),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "registrations",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            required("kind", code::<RegistrationKind>()),
            optional("mappa_category", code::<MappaCategory>()),
            optional("mappa_level", code::<MappaLevel>()),
            required("registered_on", Kind::Date),
            optional("next_review_on", Kind::Date),
            optional("ended_on", Kind::Date),
            optional("notes", Kind::Text),
            optional("registered_by", Kind::Ref("staff")),
            optional("end_reason", Kind::Text),
            optional("ended_by", Kind::Ref("staff")),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "person_aliases",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            required("first_name", Kind::Text),
            required("last_name", Kind::Text),
            optional("date_of_birth", Kind::Date),
            required("created_at", Kind::DateTime),
            optional("created_by", Kind::Ref("staff")),
            optional("ended_on", Kind::Date),
            optional("ended_by", Kind::Ref("staff")),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "person_disabilities",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            required("kind", code::<DisabilityKind>()),
            optional("details", Kind::Text),
            optional("adjustments", Kind::Text),
            required("start_date", Kind::Date),
            optional("end_date", Kind::Date),
            required("created_at", Kind::DateTime),
            optional("created_by", Kind::Ref("staff")),
            optional("ended_by", Kind::Ref("staff")),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "personal_contacts",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            required("kind", code::<PersonalContactKind>()),
            required("name", Kind::Text),
            optional("relationship", Kind::Text),
            optional("telephone", Kind::Text),
            optional("email", Kind::Text),
            optional("address", Kind::Text),
            optional("notes", Kind::Text),
            required("created_at", Kind::DateTime),
            optional("created_by", Kind::Ref("staff")),
            optional("updated_at", Kind::DateTime),
            optional("ended_on", Kind::Date),
            optional("ended_by", Kind::Ref("staff")),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "person_corrections",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            required("field", Kind::Text),
            required("before_value", Kind::Text),
            required("after_value", Kind::Text),
            required("reason", Kind::Text),
            required("corrected_by", Kind::Ref("staff")),
            required("corrected_at", Kind::DateTime),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "registration_reviews",
        columns: &[
            ID,
            required("registration_id", Kind::Ref("registrations")),
            required("reviewed_on", Kind::Date),
            required("reviewed_by", Kind::Ref("staff")),
            required("notes", Kind::Text),
            optional("next_review_on", Kind::Date),
            optional("mappa_category", code::<MappaCategory>()),
            optional("mappa_level", code::<MappaLevel>()),
            optional("rule_version", Kind::Text),
            required("created_at", Kind::DateTime),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "contacts",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            optional("event_id", Kind::Ref("events")),
            required("contact_type", code::<ContactType>()),
            required("starts_at", Kind::DateTime),
            optional("location", Kind::Text),
            optional("outcome", code::<ContactOutcome>()),
            optional("notes", Kind::Text),
            by("staff_id"),
            optional("requirement_id", Kind::Ref("requirements")),
            optional("ends_at", Kind::DateTime),
            required("location_kind", code::<LocationKind>()),
            required("sensitive", Kind::Bool),
            required("enforceable", Kind::Bool),
            required("status", code::<ContactStatus>()),
            optional("series_id", Kind::Uuid),
            by("created_by"),
            optional("created_at", Kind::DateTime),
            by("outcome_recorded_by"),
            optional("outcome_recorded_at", Kind::DateTime),
            optional("late_reason", Kind::Text),
            optional("judgement", code::<FailureJudgement>()),
            optional("judgement_reason", Kind::Text),
            optional("judgement_evidence", Kind::Text),
            optional("evidence_due_on", Kind::Date),
            by("judged_by"),
            optional("judged_at", Kind::DateTime),
            optional("reschedule_requested_by", code::<RescheduleRequester>()),
            optional("change_reason", Kind::Text),
            // The appointment that replaced this one: a later row of the same file.
            optional("rescheduled_to", Kind::Uuid),
            by("changed_by"),
            optional("changed_at", Kind::DateTime),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "allocations",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            required("staff_id", Kind::Ref("staff")),
            required("team_id", Kind::Ref("teams")),
            required("start_date", Kind::Date),
            optional("end_date", Kind::Date),
            optional("reason", Kind::Text),
            by("allocated_by"),
            optional("override_reason", Kind::Text),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "checks",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            required("kind", code::<CheckKind>()),
            optional("address_id", Kind::Ref("addresses")),
            optional("address_description", Kind::Text),
            required("requested_on", Kind::Date),
            required("deadline", Kind::Date),
            optional("deadline_rule", Kind::Text),
            required("requested_by", Kind::Ref("staff")),
            optional("response_received_on", Kind::Date),
            optional("response_known_to_agency", Kind::Bool),
            optional("response_summary", Kind::Text),
            by("response_recorded_by"),
            by("authorised_without_by"),
            optional("authorised_without_on", Kind::Date),
            optional("authorised_without_reason", Kind::Text),
            required("created_at", Kind::DateTime),
            optional(
                "partner_organisation_id",
                Kind::Ref("partner_organisations"),
            ),
            optional("status", code::<RequestStatus>()),
            optional("acknowledged_on", Kind::Date),
            optional("closed_on", Kind::Date),
            optional("decline_reason", Kind::Text),
            optional("close_detail", Kind::Text),
            optional("response_risk_notes", Kind::Text),
            // Who answered for the partner organisation, as they gave it.
            optional("responded_by", Kind::Text),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "assessments",
        columns: &[
            ID,
            required("person_id", Kind::Ref("people")),
            required("status", code::<AssessmentStatus>()),
            required("version", Kind::Integer),
            required("case_type", code::<CaseType>()),
            optional("nature_of_harm", Kind::Text),
            optional("who_is_at_risk", Kind::Text),
            optional("imminence", Kind::Text),
            optional("increasing_factors", Kind::Text),
            optional("reducing_factors", Kind::Text),
            optional("case_level", code::<RoshLevel>()),
            required("created_by", Kind::Ref("staff")),
            required("created_at", Kind::DateTime),
            required("updated_by", Kind::Ref("staff")),
            required("updated_at", Kind::DateTime),
            by("completed_by"),
            optional("completed_at", Kind::DateTime),
            by("countersigned_by"),
            optional("countersigned_at", Kind::DateTime),
            optional("superseded_at", Kind::DateTime),
        ],
        key: &["id"],
        unique: None,
    },
    FileSpec {
        name: "assessment_levels",
        columns: &[
            required("assessment_id", Kind::Ref("assessments")),
            required("risk_group", code::<RiskGroup>()),
            required("level", code::<RoshLevel>()),
        ],
        key: &["assessment_id", "risk_group"],
        unique: None,
    },
    FileSpec {
        name: "assessment_considerations",
        columns: &[
            required("assessment_id", Kind::Ref("assessments")),
            // A household member, or someone else the assessment names.
            required("subject_id", Kind::Uuid),
            optional("note", Kind::Text),
        ],
        key: &["assessment_id", "subject_id"],
        unique: None,
    },
    FileSpec {
        name: "assessment_check_references",
        columns: &[
            required("assessment_id", Kind::Ref("assessments")),
            required("check_id", Kind::Ref("checks")),
            optional("note", Kind::Text),
        ],
        key: &["assessment_id", "check_id"],
        unique: None,
    },
];

/// The file called `name` (without `.csv`).
pub fn file(name: &str) -> Option<&'static FileSpec> {
    FILES.iter().find(|spec| spec.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_names_an_earlier_file_so_parents_are_read_first() {
        for (position, spec) in FILES.iter().enumerate() {
            for column in spec.columns {
                if let Kind::Ref(target) = column.kind {
                    let parent = FILES.iter().position(|f| f.name == target);
                    assert!(
                        parent.is_some_and(|p| p < position),
                        "{}.{} refers to {target}",
                        spec.name,
                        column.name
                    );
                }
            }
        }
    }

    #[test]
    fn every_key_and_unique_column_is_a_required_column_of_its_file() {
        for spec in FILES {
            for name in spec.key.iter().chain(spec.unique.iter()) {
                let position = spec.position(name).expect("a column of the file");
                let column = spec.columns[position];
                assert!(
                    column.required || spec.unique == Some(name),
                    "{}.{name}",
                    spec.name
                );
            }
        }
    }
}
