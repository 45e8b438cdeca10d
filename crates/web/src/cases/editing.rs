//! What the record-editing forms of the cases area share (personal details, personal contacts,
//! registrations): the form as typed with its errors, the answer after saving (back to the
//! record with a notification banner), and overdue said in words.

use crate::format;
use crate::forms::{self, FieldError, FormFields};
use crate::session::CurrentUser;
use chrono::NaiveDate;
use keepsafe_domain::review::is_overdue;
use serde::Deserialize;

/// A form as shown: the case it is about, what was typed (or the record's current values when
/// first shown) and the errors, read by the templates through [`FormState::value`] and
/// [`FormState::error`].
pub struct FormState {
    pub csrf_token: String,
    pub name: String,
    pub crn: String,
    pub fields: FormFields,
    pub errors: Vec<FieldError>,
}

impl FormState {
    pub fn new(
        user: &CurrentUser,
        (name, crn): (String, String),
        fields: FormFields,
        errors: Vec<FieldError>,
    ) -> Self {
        Self {
            csrf_token: user.csrf_token.clone(),
            name,
            crn,
            fields,
            errors,
        }
    }

    /// A field's value as typed, bounded so a huge post is not shown back whole.
    pub fn value(&self, field: &str) -> String {
        self.fields.get(field).chars().take(12_000).collect()
    }

    /// Whether a radio or option `choice` of `field` was chosen.
    pub fn chosen(&self, field: &str, choice: &str) -> bool {
        self.fields.get(field) == choice
    }

    /// A part ("day", "month", "year") of the date input `name`, as typed.
    pub fn date_part(&self, name: &str, part: &str) -> String {
        self.value(&format!("{name}-{part}"))
    }

    /// The message beside the date input `name` (its errors are linked to its day field).
    pub fn date_error(&self, name: &str) -> Option<String> {
        self.error(&format!("{name}-day"))
    }

    /// The choices of a yes/no question.
    pub fn yes_no(&self) -> Vec<(String, String)> {
        vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]
    }

    /// The message beside `field`, if it was refused.
    pub fn error(&self, field: &str) -> Option<String> {
        forms::message_for(&self.errors, field)
    }
}

/// Form fields from pairs, for showing a form filled in with the record's current values.
pub fn prefilled(pairs: Vec<(&str, String)>) -> FormFields {
    FormFields(
        pairs
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

/// A date as a GOV.UK date input's three fields, `{name}-day` and so on.
pub fn date_fields(name: &str, date: Option<NaiveDate>) -> Vec<(String, String)> {
    use chrono::Datelike;
    let parts = |date: NaiveDate| {
        [
            date.day().to_string(),
            date.month().to_string(),
            date.year().to_string(),
        ]
    };
    let [day, month, year] = date.map(parts).unwrap_or_default();
    vec![
        (format!("{name}-day"), day),
        (format!("{name}-month"), month),
        (format!("{name}-year"), year),
    ]
}

/// What was just changed, carried to the case record in the redirect's query so the record can
/// say so in a notification banner. Only these words are ever shown: nothing typed is echoed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    PersonalDetails,
    DateOfBirth,
    AliasAdded,
    AliasEnded,
    DisabilityAdded,
    DisabilityEnded,
    ContactAdded,
    ContactChanged,
    ContactEnded,
    RegistrationAdded,
    RegistrationReviewed,
    RegistrationEnded,
}

impl Changed {
    const ALL: [Changed; 12] = [
        Changed::PersonalDetails,
        Changed::DateOfBirth,
        Changed::AliasAdded,
        Changed::AliasEnded,
        Changed::DisabilityAdded,
        Changed::DisabilityEnded,
        Changed::ContactAdded,
        Changed::ContactChanged,
        Changed::ContactEnded,
        Changed::RegistrationAdded,
        Changed::RegistrationReviewed,
        Changed::RegistrationEnded,
    ];

    fn code(self) -> &'static str {
        match self {
            Changed::PersonalDetails => "personal-details",
            Changed::DateOfBirth => "date-of-birth",
            Changed::AliasAdded => "alias-added",
            Changed::AliasEnded => "alias-ended",
            Changed::DisabilityAdded => "disability-added",
            Changed::DisabilityEnded => "disability-ended",
            Changed::ContactAdded => "contact-added",
            Changed::ContactChanged => "contact-changed",
            Changed::ContactEnded => "contact-ended",
            Changed::RegistrationAdded => "registration-added",
            Changed::RegistrationReviewed => "registration-reviewed",
            Changed::RegistrationEnded => "registration-ended",
        }
    }

    fn message(self) -> &'static str {
        match self {
            Changed::PersonalDetails => "Personal details updated",
            Changed::DateOfBirth => {
                "Date of birth corrected. The predictors have been worked out again with the new age"
            }
            Changed::AliasAdded => "Alias added",
            Changed::AliasEnded => "Alias ended",
            Changed::DisabilityAdded => "Disability and adjustments added",
            Changed::DisabilityEnded => "Disability ended",
            Changed::ContactAdded => "Personal contact added",
            Changed::ContactChanged => "Personal contact changed",
            Changed::ContactEnded => "Personal contact ended",
            Changed::RegistrationAdded => {
                "Registration added. The tier and predictors have been worked out again"
            }
            Changed::RegistrationReviewed => "Registration review recorded",
            Changed::RegistrationEnded => {
                "Registration ended. The tier and predictors have been worked out again"
            }
        }
    }

    /// The section of the case record the change shows in.
    fn anchor(self) -> &'static str {
        match self {
            Changed::PersonalDetails | Changed::DateOfBirth => "personal-details",
            Changed::AliasAdded | Changed::AliasEnded => "aliases",
            Changed::DisabilityAdded | Changed::DisabilityEnded => "disabilities",
            Changed::ContactAdded | Changed::ContactChanged | Changed::ContactEnded => {
                "personal-contacts"
            }
            Changed::RegistrationAdded
            | Changed::RegistrationReviewed
            | Changed::RegistrationEnded => "flags",
        }
    }

    /// Where to go after saving: the case record, with the banner, at the changed section;
    /// `review_due` when the change created a "review the risk assessment" task.
    pub fn redirect(self, crn: &str, review_due: Option<NaiveDate>) -> String {
        let review = review_due
            .map(|due| format!("&review_due={due}"))
            .unwrap_or_default();
        format!(
            "/cases/{crn}?changed={}{review}#{}",
            self.code(),
            self.anchor()
        )
    }
}

/// The query of the case record after a change. Both are read leniently (as text), so a link
/// mangled in copying still opens the record, without the banner.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChangedQuery {
    pub changed: Option<String>,
    pub review_due: Option<String>,
}

impl ChangedQuery {
    /// The banner's words, if the query names a known change.
    pub fn banner(&self) -> Option<String> {
        let changed = Changed::ALL
            .into_iter()
            .find(|c| Some(c.code()) == self.changed.as_deref())?;
        let review = self
            .review_due
            .as_deref()
            .and_then(|due| due.parse::<NaiveDate>().ok())
            .map(|due| {
                format!(
                    ". A review of the risk assessment is due by {}, listed under Tasks",
                    format::date(due)
                )
            })
            .unwrap_or_default();
        Some(format!("{}{review}.", changed.message()))
    }
}

/// A review date in words: "due today", "overdue by 3 days", "due in 5 weeks" — so overdue is
/// never said by colour alone.
pub fn review_due_words(due: NaiveDate, today: NaiveDate) -> String {
    let days = (due - today).num_days();
    let span = |days: i64| match days {
        1 => "1 day".to_owned(),
        2..=13 => format!("{days} days"),
        _ if days < 7 * 9 => format!("{} weeks", days / 7),
        _ => format!("{} months", days / 30),
    };
    if days == 0 {
        format!("Due today ({})", format::date(due))
    } else if is_overdue(due, today) {
        format!("Overdue by {} (was due {})", span(-days), format::date(due))
    } else {
        format!("Due {} (in {})", format::date(due), span(days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn overdue_reviews_are_said_in_words() {
        let today = date(2026, 12, 2);
        assert_eq!(
            review_due_words(date(2026, 11, 18), today),
            "Overdue by 2 weeks (was due 18 November 2026)"
        );
        assert_eq!(
            review_due_words(today, today),
            "Due today (2 December 2026)"
        );
        assert_eq!(
            review_due_words(date(2026, 12, 3), today),
            "Due 3 December 2026 (in 1 day)"
        );
    }

    #[test]
    fn the_banner_says_only_known_words() {
        let query = ChangedQuery {
            changed: Some("<script>".into()),
            review_due: Some("not a date".into()),
        };
        assert_eq!(query.banner(), None);
        let query = ChangedQuery {
            changed: Some("registration-added".into()),
            review_due: Some("2026-12-09".into()),
        };
        assert!(query
            .banner()
            .unwrap()
            .contains("A review of the risk assessment is due by 9 December 2026"));
    }
}
