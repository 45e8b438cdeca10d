//! The case record's sections about the person and their flags: personal details (with the
//! date of birth's corrections), aliases, disabilities and adjustments, personal contacts, and
//! registrations with their next review (overdue said in words) — each with "Change", "Add",
//! "Review" or "End" for those who may work on the case. Read in the record's transaction, in a
//! fixed number of queries (`storage::cases::details::load`, `registrations::for_person`).

use crate::cases::editing::{review_due_words, ChangedQuery};
use crate::format;
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action, Actor};
use keepsafe_domain::age::age_on;
use keepsafe_domain::person::RecordedGender;
use keepsafe_domain::review::is_overdue;
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::details::{self, RecordDetails};
use keepsafe_storage::cases::record::{LocatedCase, PersonDetails};
use keepsafe_storage::cases::registrations::{self, RegistrationEntry};
use keepsafe_storage::{AnyConnection, StorageError};

/// What the sections are built from.
pub struct Sections {
    details: RecordDetails,
    registrations: Vec<RegistrationEntry>,
    may_change: bool,
}

impl Sections {
    /// Reads the sections, and whether `actor` may change them (the case's practitioner and
    /// team, as for any work on the case).
    pub fn read(
        conn: &mut AnyConnection,
        case: &LocatedCase,
        actor: &Actor,
    ) -> Result<Self, StorageError> {
        Ok(Self {
            details: details::load(conn, case.person_id)?,
            registrations: registrations::for_person(conn, case.person_id)?,
            may_change: decide(actor, Action::WorkOnCase(&case.location)).is_allowed(),
        })
    }
}

/// A row of the personal details list, with its action when the user may change it.
pub struct DetailRow {
    pub key: &'static str,
    pub value: String,
    /// (href, link text, what it changes for screen readers).
    pub action: Option<(String, &'static str, &'static str)>,
}

pub struct AliasView {
    pub id: String,
    pub name: String,
    pub date_of_birth: String,
    pub ended: Option<String>,
}

pub struct DisabilityView {
    pub id: String,
    pub kind: String,
    pub details: String,
    pub adjustments: String,
    pub dates: String,
    pub current: bool,
}

pub struct PersonalContactView {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub relationship: String,
    pub reach: Vec<String>,
    pub notes: String,
    pub ended: Option<String>,
}

pub struct FlagView {
    pub id: String,
    /// MAPPA registrations link to the case's MAPPA page, where meetings are recorded.
    pub is_mappa: bool,
    pub label: String,
    pub detail: String,
    pub registered: String,
    pub review: String,
    pub overdue: bool,
    pub ended: Option<String>,
}

/// The sections as the record's template shows them (`cases/record_details_*.html`).
#[derive(Default)]
pub struct SectionsView {
    pub crn: String,
    pub csrf_token: String,
    pub may_change: bool,
    /// The notification banner after a change.
    pub banner: Option<String>,
    pub personal: Vec<DetailRow>,
    pub aliases: Vec<AliasView>,
    pub disabilities: Vec<DisabilityView>,
    pub contacts: Vec<PersonalContactView>,
    pub flags: Vec<FlagView>,
    pub ended_flags: Vec<FlagView>,
}

fn or_not_recorded(value: Option<String>) -> String {
    value
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "Not recorded".into())
}

impl Sections {
    pub fn view(
        self,
        person: &PersonDetails,
        today: NaiveDate,
        csrf_token: &str,
        changed: &ChangedQuery,
    ) -> SectionsView {
        let crn = person.crn.clone();
        let may_change = self.may_change;
        let action = |path: &str, text: &'static str, what: &'static str| {
            may_change.then(|| (format!("/cases/{crn}/{path}"), text, what))
        };
        let change = |what: &'static str| action("personal-details", "Change", what);
        let d = &self.details.details;
        let gender = d.gender.map(|gender| {
            RecordedGender {
                gender,
                self_description: d.gender_self_description.clone(),
            }
            .describe()
        });
        let age = age_on(person.date_of_birth, today)
            .map(|a| format!(" (age {a})"))
            .unwrap_or_default();
        let corrected = self
            .details
            .corrections
            .iter()
            .find(|c| c.field == "date_of_birth")
            .map(|c| {
                let before = c
                    .before
                    .parse::<NaiveDate>()
                    .map(format::date)
                    .unwrap_or_else(|_| c.before.clone());
                format!(
                    ". Corrected on {} by {} from {before}: {}",
                    format::date(c.corrected_at.date()),
                    c.corrected_by,
                    c.reason
                )
            })
            .unwrap_or_default();
        let personal = vec![
            DetailRow {
                key: "Name",
                value: format!("{} {}", d.first_name, d.last_name),
                action: change("name"),
            },
            DetailRow {
                key: "Preferred name",
                value: or_not_recorded(d.preferred_name.clone()),
                action: change("preferred name"),
            },
            DetailRow {
                key: "Date of birth",
                value: format!("{}{age}{corrected}", format::date(person.date_of_birth)),
                action: action("date-of-birth", "Correct", "date of birth"),
            },
            DetailRow {
                key: "Sex (as the predictors read it)",
                value: person.sex.label().to_owned(),
                action: None,
            },
            DetailRow {
                key: "Gender",
                value: or_not_recorded(gender),
                action: change("gender"),
            },
            DetailRow {
                key: "Telephone",
                value: or_not_recorded(d.telephone.clone()),
                action: change("telephone"),
            },
            DetailRow {
                key: "Mobile",
                value: or_not_recorded(d.mobile.clone()),
                action: change("mobile"),
            },
            DetailRow {
                key: "Email",
                value: or_not_recorded(d.email.clone()),
                action: change("email"),
            },
            DetailRow {
                key: "Language",
                value: format!(
                    "{}; {}",
                    or_not_recorded(d.preferred_language.clone()),
                    if d.interpreter_needed {
                        "needs an interpreter"
                    } else {
                        "no interpreter needed"
                    }
                ),
                action: change("language and interpreter"),
            },
        ];
        let (flags, ended_flags): (Vec<_>, Vec<_>) = self
            .registrations
            .iter()
            .map(|r| flag_view(r, today))
            .partition(|f| f.ended.is_none());
        SectionsView {
            banner: changed.banner(),
            csrf_token: csrf_token.to_owned(),
            may_change,
            personal,
            aliases: self
                .details
                .aliases
                .iter()
                .map(|a| AliasView {
                    id: a.id.to_string(),
                    name: format!("{} {}", a.first_name, a.last_name),
                    date_of_birth: a
                        .date_of_birth
                        .map(|d| format!("born {}", format::date(d)))
                        .unwrap_or_default(),
                    ended: a.ended_on.map(format::date),
                })
                .collect(),
            disabilities: self
                .details
                .disabilities
                .iter()
                .map(|x| DisabilityView {
                    id: x.id.to_string(),
                    kind: x.kind.label().to_owned(),
                    details: x.details.clone(),
                    adjustments: if x.adjustments.is_empty() {
                        "None recorded".into()
                    } else {
                        x.adjustments.clone()
                    },
                    dates: match x.end_date {
                        Some(end) => format!(
                            "From {} to {}",
                            format::date(x.start_date),
                            format::date(end)
                        ),
                        None => format!("Since {}", format::date(x.start_date)),
                    },
                    current: x.end_date.is_none(),
                })
                .collect(),
            contacts: self
                .details
                .contacts
                .iter()
                .map(|c| PersonalContactView {
                    id: c.id.to_string(),
                    kind: c.fields.kind.label().to_owned(),
                    name: c.fields.name.clone(),
                    relationship: c.fields.relationship.clone(),
                    reach: [
                        c.fields.telephone.clone(),
                        c.fields.email.clone(),
                        Some(c.fields.address.replace('\n', ", ")),
                    ]
                    .into_iter()
                    .flatten()
                    .filter(|v| !v.is_empty())
                    .collect(),
                    notes: c.fields.notes.clone(),
                    ended: c.ended_on.map(format::date),
                })
                .collect(),
            flags,
            ended_flags,
            crn,
        }
    }
}

fn flag_view(r: &RegistrationEntry, today: NaiveDate) -> FlagView {
    let detail = match (r.mappa_category, r.mappa_level) {
        (Some(category), Some(level)) => format!("{}; {}", category.label(), level.label()),
        _ => r.notes.clone(),
    };
    FlagView {
        id: r.id.to_string(),
        is_mappa: r.kind.has_mappa_detail(),
        label: r.kind.label().to_owned(),
        detail,
        registered: format::date(r.registered_on),
        review: r
            .next_review_on
            .map(|due| review_due_words(due, today))
            .unwrap_or_else(|| "No review date set".into()),
        overdue: r.next_review_on.is_some_and(|due| is_overdue(due, today)),
        ended: r.ended_on.map(|ended| {
            let reason = r
                .end_reason
                .as_deref()
                .map(|reason| format!(": {reason}"))
                .unwrap_or_default();
            format!("Ended {}{reason}", format::date(ended))
        }),
    }
}
