//! A charge as the practitioner or manager records it, and the decision whether it is a serious
//! further offence: the offence qualifies, and it was committed while the person was supervised
//! or within the rules' days (28) after supervision ended. The reasons are kept in words.

use super::offences::QualifyingOffence;
use super::rules::SfoRules;
use crate::calendar::long_date;
use crate::CodedValue;
use chrono::NaiveDate;
use thiserror::Error;

/// A spell of supervision: an event's order or licence from its start to its end (none while it
/// goes on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupervisedPeriod {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// The charge as the form gives it, before the checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChargeDraft {
    pub offence: Option<QualifyingOffence>,
    pub committed_on: Option<NaiveDate>,
    pub charged_on: Option<NaiveDate>,
    /// The day probation learned of the charge: the notification deadline runs from it.
    pub known_on: Option<NaiveDate>,
    /// The court or police reference.
    pub reference: String,
}

/// A charge that passed the checks and qualifies as a serious further offence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub offence: QualifyingOffence,
    pub committed_on: NaiveDate,
    pub charged_on: NaiveDate,
    pub known_on: NaiveDate,
    pub reference: String,
    /// When supervision ended, if it had by the day of the offence.
    pub supervision_ended_on: Option<NaiveDate>,
    /// Why it qualifies, in words, kept with the case.
    pub reasons: Vec<String>,
    pub notification_due: NaiveDate,
    pub rule_version: &'static str,
}

/// Why a charge was refused. Each names the field to correct.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidCharge {
    #[error("Select the offence the person was charged with")]
    OffenceMissing,
    #[error("Enter the date the offence was committed")]
    CommittedMissing,
    #[error("The date the offence was committed must be today or in the past")]
    CommittedInFuture,
    #[error("The offence was committed on {committed}, before the person was under supervision (from {from}): it is not a serious further offence")]
    CommittedBeforeSupervision { committed: String, from: String },
    #[error("The offence was committed on {committed}, more than {days} days after supervision ended on {ended} (the last day that counts is {last}): it is not a serious further offence")]
    CommittedAfterSupervision {
        committed: String,
        ended: String,
        last: String,
        days: i64,
    },
    #[error(
        "The person has no supervision recorded, so no charge can be a serious further offence"
    )]
    NeverSupervised,
    #[error("Enter the date the person was charged")]
    ChargedMissing,
    #[error("The date the person was charged must be today or in the past")]
    ChargedInFuture,
    #[error(
        "The date the person was charged must be on or after the date the offence was committed"
    )]
    ChargedBeforeOffence,
    #[error("Enter the date probation learned of the charge")]
    KnownMissing,
    #[error("The date probation learned of the charge must be today or in the past")]
    KnownInFuture,
    #[error("The date probation learned of the charge must be on or after the date of the charge")]
    KnownBeforeCharge,
    #[error("Enter the court or police reference for the charge")]
    ReferenceMissing,
    #[error("The court or police reference must be 60 characters or fewer")]
    ReferenceTooLong,
}

impl InvalidCharge {
    /// The form field the error belongs to, for the error summary's link.
    pub fn field(&self) -> &'static str {
        match self {
            Self::OffenceMissing => "offence",
            Self::CommittedMissing
            | Self::CommittedInFuture
            | Self::CommittedBeforeSupervision { .. }
            | Self::CommittedAfterSupervision { .. }
            | Self::NeverSupervised => "committed-day",
            Self::ChargedMissing | Self::ChargedInFuture | Self::ChargedBeforeOffence => {
                "charged-day"
            }
            Self::KnownMissing | Self::KnownInFuture | Self::KnownBeforeCharge => "known-day",
            Self::ReferenceMissing | Self::ReferenceTooLong => "reference",
        }
    }
}

const REFERENCE_MAX_CHARS: usize = 60;

/// Whether an offence committed on `committed_on` falls in supervision or the days after it:
/// the reasons it does, or why not.
pub fn supervision_reasons(
    committed_on: NaiveDate,
    periods: &[SupervisedPeriod],
    rules: &SfoRules,
) -> Result<(Vec<String>, Option<NaiveDate>), InvalidCharge> {
    let Some(first) = periods.iter().map(|p| p.from).min() else {
        return Err(InvalidCharge::NeverSupervised);
    };
    // Supervised on the day itself.
    if let Some(period) = periods
        .iter()
        .find(|p| p.from <= committed_on && p.to.is_none_or(|to| committed_on <= to))
    {
        let reason = match period.to {
            None => format!(
                "It was committed on {}, while the person was under supervision (since {}).",
                long_date(committed_on),
                long_date(period.from)
            ),
            Some(to) => format!(
                "It was committed on {}, while the person was under supervision ({} to {}).",
                long_date(committed_on),
                long_date(period.from),
                long_date(to)
            ),
        };
        return Ok((vec![reason], None));
    }
    // Within the days after a spell ended (the latest spell ending before the offence).
    let ended = periods
        .iter()
        .filter_map(|p| p.to)
        .filter(|to| *to < committed_on)
        .max();
    match ended {
        Some(ended) if committed_on <= rules.last_qualifying_day(ended) => {
            let days = (committed_on - ended).num_days();
            Ok((
                vec![format!(
                    "It was committed on {}, {} after supervision ended on {}: within the {} days after supervision that count.",
                    long_date(committed_on),
                    if days == 1 { "1 day".to_owned() } else { format!("{days} days") },
                    long_date(ended),
                    rules.days_after_supervision
                )],
                Some(ended),
            ))
        }
        Some(ended) => Err(InvalidCharge::CommittedAfterSupervision {
            committed: long_date(committed_on),
            ended: long_date(ended),
            last: long_date(rules.last_qualifying_day(ended)),
            days: rules.days_after_supervision,
        }),
        None => Err(InvalidCharge::CommittedBeforeSupervision {
            committed: long_date(committed_on),
            from: long_date(first),
        }),
    }
}

impl ChargeDraft {
    /// Checks the charge against the person's spells of supervision and `today`, returning every
    /// problem at once; a charge that passes qualifies, with its reasons and notification date.
    pub fn check(
        &self,
        periods: &[SupervisedPeriod],
        today: NaiveDate,
        rules: &SfoRules,
    ) -> Result<Charge, Vec<InvalidCharge>> {
        let mut errors = Vec::new();
        if self.offence.is_none() {
            errors.push(InvalidCharge::OffenceMissing);
        }
        let committed = match self.committed_on {
            None => {
                errors.push(InvalidCharge::CommittedMissing);
                None
            }
            Some(day) if day > today => {
                errors.push(InvalidCharge::CommittedInFuture);
                None
            }
            Some(day) => match supervision_reasons(day, periods, rules) {
                Ok(found) => Some((day, found)),
                Err(error) => {
                    errors.push(error);
                    None
                }
            },
        };
        let charged = match self.charged_on {
            None => {
                errors.push(InvalidCharge::ChargedMissing);
                None
            }
            Some(day) if day > today => {
                errors.push(InvalidCharge::ChargedInFuture);
                None
            }
            Some(day) if self.committed_on.is_some_and(|c| day < c) => {
                errors.push(InvalidCharge::ChargedBeforeOffence);
                None
            }
            Some(day) => Some(day),
        };
        let known = match self.known_on {
            None => {
                errors.push(InvalidCharge::KnownMissing);
                None
            }
            Some(day) if day > today => {
                errors.push(InvalidCharge::KnownInFuture);
                None
            }
            Some(day) if self.charged_on.is_some_and(|c| day < c) => {
                errors.push(InvalidCharge::KnownBeforeCharge);
                None
            }
            Some(day) => Some(day),
        };
        let reference = self.reference.trim().to_owned();
        if reference.is_empty() {
            errors.push(InvalidCharge::ReferenceMissing);
        } else if reference.chars().count() > REFERENCE_MAX_CHARS {
            errors.push(InvalidCharge::ReferenceTooLong);
        }
        match (self.offence, committed, charged, known) {
            (
                Some(offence),
                Some((committed_on, (mut reasons, ended))),
                Some(charged_on),
                Some(known_on),
            ) if errors.is_empty() => {
                reasons.insert(
                    0,
                    format!("{} is a qualifying serious offence.", offence.label()),
                );
                Ok(Charge {
                    offence,
                    committed_on,
                    charged_on,
                    known_on,
                    reference,
                    supervision_ended_on: ended,
                    reasons,
                    notification_due: rules.notification_due(known_on),
                    rule_version: rules.version,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2026, 12, 2);

    fn today() -> NaiveDate {
        date(TODAY.0, TODAY.1, TODAY.2)
    }

    fn ended_on_1_october() -> Vec<SupervisedPeriod> {
        vec![SupervisedPeriod {
            from: date(2025, 4, 1),
            to: Some(date(2026, 10, 1)),
        }]
    }

    fn draft(committed: NaiveDate) -> ChargeDraft {
        ChargeDraft {
            offence: Some(QualifyingOffence::GbhWithIntent),
            committed_on: Some(committed),
            charged_on: Some(date(2026, 11, 20)),
            known_on: Some(date(2026, 11, 23)),
            reference: "MID/26/4411".into(),
        }
    }

    #[test]
    fn an_offence_committed_while_supervised_qualifies_with_its_reasons() {
        let periods = vec![SupervisedPeriod {
            from: date(2025, 4, 1),
            to: None,
        }];
        let charge = draft(date(2026, 11, 14))
            .check(&periods, today(), &SfoRules::default())
            .unwrap();
        assert_eq!(
            charge.reasons,
            vec![
                "Wounding or causing grievous bodily harm with intent is a qualifying serious offence.".to_owned(),
                "It was committed on 14 November 2026, while the person was under supervision (since 1 April 2025).".to_owned(),
            ]
        );
        assert_eq!(charge.supervision_ended_on, None);
        // Known Monday 23 November 2026: 10 working days is Monday 7 December.
        assert_eq!(charge.notification_due, date(2026, 12, 7));
    }

    #[test]
    fn an_offence_on_the_twenty_eighth_day_after_supervision_ended_qualifies() {
        let charge = draft(date(2026, 10, 29))
            .check(&ended_on_1_october(), today(), &SfoRules::default())
            .unwrap();
        assert_eq!(charge.supervision_ended_on, Some(date(2026, 10, 1)));
        assert!(charge.reasons[1].contains("28 days after supervision ended on 1 October 2026"));
    }

    #[test]
    fn an_offence_on_the_twenty_ninth_day_after_supervision_ended_is_refused_on_the_date_committed()
    {
        let errors = draft(date(2026, 10, 30))
            .check(&ended_on_1_october(), today(), &SfoRules::default())
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field(), "committed-day");
        assert_eq!(
            errors[0].to_string(),
            "The offence was committed on 30 October 2026, more than 28 days after supervision ended on 1 October 2026 (the last day that counts is 29 October 2026): it is not a serious further offence"
        );
    }

    #[test]
    fn an_offence_before_supervision_began_is_refused() {
        let errors = draft(date(2025, 3, 31))
            .check(&ended_on_1_october(), today(), &SfoRules::default())
            .unwrap_err();
        assert_eq!(
            errors,
            vec![InvalidCharge::CommittedBeforeSupervision {
                committed: "31 March 2025".into(),
                from: "1 April 2025".into()
            }]
        );
    }

    #[test]
    fn a_later_spell_of_supervision_counts_for_an_offence_in_it() {
        let mut periods = ended_on_1_october();
        periods.push(SupervisedPeriod {
            from: date(2026, 11, 1),
            to: None,
        });
        let charge = draft(date(2026, 11, 10))
            .check(&periods, today(), &SfoRules::default())
            .unwrap();
        assert!(charge.reasons[1].contains("since 1 November 2026"));
    }

    #[test]
    fn future_dates_and_a_charge_before_the_offence_are_refused_each_on_its_field() {
        let mut future = draft(date(2026, 12, 3));
        future.charged_on = Some(date(2026, 12, 3));
        future.known_on = Some(date(2026, 12, 3));
        let fields: Vec<_> = future
            .check(&ended_on_1_october(), today(), &SfoRules::default())
            .unwrap_err()
            .iter()
            .map(InvalidCharge::field)
            .collect();
        assert_eq!(fields, vec!["committed-day", "charged-day", "known-day"]);

        let mut early = draft(date(2026, 10, 20));
        early.charged_on = Some(date(2026, 10, 19));
        early.known_on = Some(date(2026, 10, 18));
        assert_eq!(
            early
                .check(&ended_on_1_october(), today(), &SfoRules::default())
                .unwrap_err(),
            vec![
                InvalidCharge::ChargedBeforeOffence,
                InvalidCharge::KnownBeforeCharge
            ]
        );
    }

    #[test]
    fn every_missing_field_is_named_at_once() {
        let fields: Vec<_> = ChargeDraft::default()
            .check(&ended_on_1_october(), today(), &SfoRules::default())
            .unwrap_err()
            .iter()
            .map(InvalidCharge::field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "offence",
                "committed-day",
                "charged-day",
                "known-day",
                "reference"
            ]
        );
    }

    #[test]
    fn a_person_never_supervised_has_no_serious_further_offence() {
        assert_eq!(
            draft(date(2026, 11, 1))
                .check(&[], today(), &SfoRules::default())
                .unwrap_err(),
            vec![InvalidCharge::NeverSupervised]
        );
    }
}
