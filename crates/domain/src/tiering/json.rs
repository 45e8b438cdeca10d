//! Tiering inputs written as JSON, as `keepsafe predict tier` reads them: one object per line with
//! every input the two rule sets read, and the answer it writes back. Parsing and answering are
//! pure and live here, so they are tested without a process; the command only reads and writes
//! lines.
//!
//! Every field must be written, `null` where the input is absent (no RSR, no needs assessment),
//! so a misspelt field is reported as the real one missing instead of silently counting as
//! absent. `sex` and `has_active_event` cannot be `null`; a `null` yes/no field counts as no.
//! Other fields are ignored. Errors name the first wrong field in the order of [`FIELDS`].

use super::legacy::{ChangeInputs, LegacyTierInputs, NeedsAssessment};
use super::single::{
    LifeOrIpp, PredictorType, ReleaseRecency, SexualPredictor, SexualPredictorBand,
    SingleTierInputs,
};
use super::{
    InvalidTieringInput, LegacyTier, NeedSeverity, RoshLevel, SingleTier, SingleTierOutcome,
    LEGACY_TIERING_RULE_VERSION, SINGLE_TIERING_RULE_VERSION,
};
use crate::coded_enum;
use crate::needs::Section;
use crate::person::Sex;
use crate::predictors::json::{coded, date, kind, shorten, InputsError};
use crate::registration::{MappaCategory, MappaLevel, RegistrationKind};
use crate::CodedValue;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

/// Every field of an input line, in the order they are checked.
pub const FIELDS: [&str; 23] = [
    "sex",
    "rosh",
    "rsr_percent",
    "mappa_level",
    "mappa_category",
    "registrations",
    "ogrs3_two_year_percent",
    "needs",
    "iom_nominal",
    "has_custodial_sentence",
    "non_restrictive_requirements",
    "breach_or_recall",
    "arp_percent",
    "csrp_percent",
    "arp_type",
    "csrp_type",
    "osp_band",
    "dcsrp_score",
    "life_or_ipp_released_on",
    "sexual_offence_ever",
    "has_active_event",
    "unsupervised",
    "as_of",
];

/// The needs sections a needs object must give, each 0–2. Finance and emotional wellbeing weigh
/// nothing in the change level, so they may be left out; when given they are checked too.
const REQUIRED_NEEDS: [Section; 8] = [
    Section::Accommodation,
    Section::EducationTrainingEmployability,
    Section::Relationships,
    Section::Lifestyle,
    Section::DrugMisuse,
    Section::AlcoholMisuse,
    Section::ThinkingAndBehaviour,
    Section::Attitudes,
];

coded_enum! {
    /// A registration as analysts' exports name it. Most are keepsafe registrations; two are
    /// women's factors, which are answers in the needs assessment and so count only with one.
    pub enum BatchRegistration ("registration") {
        DomesticAbusePerpetrator => "domestic_abuse_perpetrator", "Domestic abuse perpetrator",
        DomesticAbuseHistory => "domestic_abuse_history", "Domestic abuse history",
        Stalking => "stalking", "Stalking",
        ChildProtection => "child_protection", "Child protection",
        ChildConcerns => "child_concerns", "Child concerns",
        RiskToChildren => "risk_to_children", "Risk to children",
        MentalHealthIssues => "mental_health_issues", "Mental health issues",
        AttemptedSuicideOrSelfHarm => "attempted_suicide_or_self_harm", "Attempted suicide or self-harm",
        Vulnerability => "vulnerability", "Vulnerability",
        PublicInterest => "public_interest", "Public interest",
        AdultAtRisk => "adult_at_risk", "Adult at risk",
        StreetGangs => "street_gangs", "Street gangs",
        TerrorismActOffender => "terrorism_act_offender", "Terrorism Act offender",
        ParentingResponsibilities => "parenting_responsibilities", "Parenting responsibilities",
        ImpulsivityTemper => "impulsivity_temper", "Impulsivity or temper control problems",
    }
}

impl BatchRegistration {
    /// The keepsafe registration the rules read; `None` for the two women's factors.
    ///
    /// A history of domestic abuse reads as the perpetrator registration: the service treats
    /// both as its one domestic-abuse flag (single tier E, no complexity points).
    pub fn registration(self) -> Option<RegistrationKind> {
        Some(match self {
            BatchRegistration::DomesticAbusePerpetrator
            | BatchRegistration::DomesticAbuseHistory => RegistrationKind::DomesticAbusePerpetrator,
            BatchRegistration::Stalking => RegistrationKind::Stalking,
            BatchRegistration::ChildProtection => RegistrationKind::ChildProtection,
            BatchRegistration::ChildConcerns => RegistrationKind::ChildConcerns,
            BatchRegistration::RiskToChildren => RegistrationKind::RiskToChildren,
            BatchRegistration::MentalHealthIssues => RegistrationKind::MentalHealthIssues,
            BatchRegistration::AttemptedSuicideOrSelfHarm => RegistrationKind::SuicideOrSelfHarm,
            BatchRegistration::Vulnerability => RegistrationKind::Vulnerability,
            BatchRegistration::PublicInterest => RegistrationKind::PublicInterest,
            BatchRegistration::AdultAtRisk => RegistrationKind::AdultAtRisk,
            BatchRegistration::StreetGangs => RegistrationKind::StreetGangs,
            BatchRegistration::TerrorismActOffender => RegistrationKind::TerrorismActOffender,
            BatchRegistration::ParentingResponsibilities | BatchRegistration::ImpulsivityTemper => {
                return None
            }
        })
    }
}

/// Both rule sets' inputs, read from one line.
#[derive(Debug, Clone, PartialEq)]
pub struct TierInputs {
    pub legacy: LegacyTierInputs,
    pub single: SingleTierInputs,
}

/// What `predict tier` writes for a line it could read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierAnswer {
    /// The legacy tier as written, "B2", or "B2S" for an unsupervised case.
    pub legacy: String,
    /// A letter A–G, "missing" (no ARP or CSRP) or "not_supervised" (no active event).
    pub single: String,
    /// Always false for "missing" and "not_supervised".
    pub provisional: bool,
    pub rule_version: String,
}

/// Both rule sets' versions, as stored beside a tier and written by `predict tier`.
pub fn rule_versions() -> String {
    format!("{LEGACY_TIERING_RULE_VERSION}; {SINGLE_TIERING_RULE_VERSION}")
}

/// Reads one line's inputs and computes both tiers, or names the field at fault.
pub fn tier_answer(value: &Value) -> Result<TierAnswer, InputsError> {
    let inputs = tier_inputs(value)?;
    let legacy = LegacyTier::compute(&inputs.legacy).map_err(refusal)?;
    let (single, provisional) = match SingleTier::compute(&inputs.single).map_err(refusal)? {
        SingleTierOutcome::Tiered(tier) => (tier.tier.code().to_owned(), tier.provisional),
        SingleTierOutcome::Missing { .. } => ("missing".to_owned(), false),
        SingleTierOutcome::NotSupervised => ("not_supervised".to_owned(), false),
    };
    Ok(TierAnswer {
        legacy: legacy.written().to_string(),
        single,
        provisional,
        rule_version: rule_versions(),
    })
}

/// The rules' refusal of a value the reader let through, against the field it came from.
fn refusal(error: InvalidTieringInput) -> InputsError {
    let field = match &error {
        InvalidTieringInput::NotAPercentage { predictor, .. } => match *predictor {
            "RSR" => "rsr_percent",
            "OGRS" => "ogrs3_two_year_percent",
            "ARP" => "arp_percent",
            _ => "csrp_percent",
        },
        InvalidTieringInput::SexualPredictorScoreNotANumber
        | InvalidTieringInput::MediumSexualPredictorScoreTooLow { .. } => "dcsrp_score",
    };
    InputsError::field(field, error.to_string())
}

/// Reads both rule sets' inputs from one JSON object (see the module's documentation).
pub fn tier_inputs(value: &Value) -> Result<TierInputs, InputsError> {
    let Value::Object(object) = value else {
        return Err(InputsError::NotAnObject { kind: kind(value) });
    };
    let sex = coded::<Sex>(object, "sex")?;
    let rosh = nullable_coded::<RoshLevel>(object, "rosh")?;
    let rsr_percent = percentage(object, "rsr_percent")?;
    let mappa_level = mappa_number::<MappaLevel>(object, "mappa_level", "1, 2 or 3")?;
    let mappa_category = mappa_number::<MappaCategory>(object, "mappa_category", "1, 2, 3 or 4")?;
    let batch_registrations = registrations(object)?;
    let ogrs_percent = whole_percentage(object, "ogrs3_two_year_percent")?;
    let mut needs = needs(object)?;
    let iom_nominal = flag(object, "iom_nominal")?;
    let custodial = flag(object, "has_custodial_sentence")?;
    let non_restrictive = flag(object, "non_restrictive_requirements")?;
    let breach_or_recall = flag(object, "breach_or_recall")?;
    let arp_percent = percentage(object, "arp_percent")?;
    let csrp_percent = percentage(object, "csrp_percent")?;
    let arp_type = nullable_coded::<PredictorType>(object, "arp_type")?;
    let csrp_type = nullable_coded::<PredictorType>(object, "csrp_type")?;
    let osp_band = nullable_coded::<SexualPredictorBand>(object, "osp_band")?;
    let dcsrp_score = score(object, "dcsrp_score")?;
    let released_on = nullable_date(object, "life_or_ipp_released_on")?;
    let sexual_offence_ever = flag(object, "sexual_offence_ever")?;
    let has_active_event = required_flag(object, "has_active_event")?;
    let unsupervised = flag(object, "unsupervised")?;
    let as_of = nullable_date(object, "as_of")?;

    let life_or_ipp =
        match (released_on, as_of) {
            (None, _) => None,
            (Some(released), Some(as_of)) => Some(LifeOrIpp {
                released_within: ReleaseRecency::on(released, as_of),
            }),
            (Some(_), None) => return Err(InputsError::field(
                "as_of",
                "as_of is null; give the day to tier on (YYYY-MM-DD), to tell how long ago the \
                 release on life_or_ipp_released_on was",
            )),
        };
    if let Some(needs) = needs.as_mut() {
        needs.parenting_responsibilities =
            batch_registrations.contains(&BatchRegistration::ParentingResponsibilities);
        needs.impulsivity_or_temper =
            batch_registrations.contains(&BatchRegistration::ImpulsivityTemper);
    }
    let registrations: Vec<RegistrationKind> = batch_registrations
        .iter()
        .filter_map(|registration| registration.registration())
        .collect();

    Ok(TierInputs {
        legacy: LegacyTierInputs {
            rsr_percent,
            rosh,
            mappa_level,
            registrations: registrations.clone(),
            sex,
            breach_or_recall,
            unsupervised,
            change: ChangeInputs {
                // Reference §10: a mandate needs a current event with a custodial sentence or
                // a requirement other than unpaid work or restrictive ones.
                has_mandate_for_change: has_active_event && (custodial || non_restrictive),
                needs_assessment: needs,
                ogrs_percent,
                iom_nominal,
            },
        },
        single: SingleTierInputs {
            has_active_event,
            arp_percent,
            csrp_percent,
            arp_type,
            csrp_type,
            sexual_predictor: osp_band.map(|band| SexualPredictor {
                band,
                score: dcsrp_score,
            }),
            mappa_category,
            rosh,
            life_or_ipp,
            registrations,
            any_sexual_offence_ever: sexual_offence_ever,
        },
    })
}

/// A field that must be written; `None` when it is `null`.
fn written<'a>(
    object: &'a Map<String, Value>,
    field: &'static str,
) -> Result<Option<&'a Value>, InputsError> {
    match object.get(field) {
        None => Err(InputsError::field(
            field,
            format!("{field} is missing; write null when there is none"),
        )),
        Some(Value::Null) => Ok(None),
        Some(value) => Ok(Some(value)),
    }
}

fn nullable_coded<T: CodedValue>(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<T>, InputsError> {
    match written(object, field)? {
        None => Ok(None),
        Some(_) => coded(object, field).map(Some),
    }
}

fn nullable_date(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<NaiveDate>, InputsError> {
    match written(object, field)? {
        None => Ok(None),
        Some(_) => date(object, field).map(Some),
    }
}

/// A yes/no input; `null` counts as no.
fn flag(object: &Map<String, Value>, field: &'static str) -> Result<bool, InputsError> {
    match written(object, field)? {
        None => Ok(false),
        Some(Value::Bool(yes)) => Ok(*yes),
        Some(other) => Err(InputsError::field(
            field,
            format!("{field} must be true, false or null, not {}", kind(other)),
        )),
    }
}

/// A yes/no input that decides too much to default: `null` is refused.
fn required_flag(object: &Map<String, Value>, field: &'static str) -> Result<bool, InputsError> {
    match written(object, field)? {
        Some(Value::Bool(yes)) => Ok(*yes),
        other => Err(InputsError::field(
            field,
            format!(
                "{field} must be true or false, not {}",
                other.map_or("null", kind)
            ),
        )),
    }
}

/// A number, refused with `expected` in the message when it is not one or `accept` says no.
fn number(
    object: &Map<String, Value>,
    field: &'static str,
    expected: &str,
    accept: impl Fn(f64) -> bool,
) -> Result<Option<f64>, InputsError> {
    let Some(value) = written(object, field)? else {
        return Ok(None);
    };
    match value.as_f64() {
        Some(number) if accept(number) => Ok(Some(number)),
        _ => Err(InputsError::field(
            field,
            format!(
                "{field} must be {expected} or null, not {}",
                shorten(&value.to_string())
            ),
        )),
    }
}

/// A predictor percentage, 0–100.
fn percentage(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<f64>, InputsError> {
    number(object, field, "a percentage from 0 to 100", |percent| {
        (0.0..=100.0).contains(&percent)
    })
}

/// A score of 0 or more.
fn score(object: &Map<String, Value>, field: &'static str) -> Result<Option<f64>, InputsError> {
    number(object, field, "a number, 0 or more", |score| {
        score.is_finite() && score >= 0.0
    })
}

/// A whole percentage, 0–100 (OGRS3 is reported in whole percentages).
fn whole_percentage(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<u8>, InputsError> {
    let Some(value) = written(object, field)? else {
        return Ok(None);
    };
    value
        .as_u64()
        .filter(|percent| *percent <= 100)
        .and_then(|percent| u8::try_from(percent).ok())
        .map(Some)
        .ok_or_else(|| {
            InputsError::field(
                field,
                format!(
                    "{field} must be a whole percentage from 0 to 100 or null, not {}",
                    shorten(&value.to_string())
                ),
            )
        })
}

/// A MAPPA level or category, written as its number.
fn mappa_number<T: CodedValue>(
    object: &Map<String, Value>,
    field: &'static str,
    expected: &str,
) -> Result<Option<T>, InputsError> {
    let Some(value) = written(object, field)? else {
        return Ok(None);
    };
    value
        .as_u64()
        .and_then(|number| T::parse(&number.to_string()).ok())
        .map(Some)
        .ok_or_else(|| {
            InputsError::field(
                field,
                format!(
                    "{field} must be {expected} or null, not {}",
                    shorten(&value.to_string())
                ),
            )
        })
}

/// The registrations list; `null` is none.
fn registrations(object: &Map<String, Value>) -> Result<Vec<BatchRegistration>, InputsError> {
    const FIELD: &str = "registrations";
    let items = match written(object, FIELD)? {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(InputsError::field(
                FIELD,
                format!("{FIELD} must be a list or null, not {}", kind(other)),
            ))
        }
    };
    items
        .iter()
        .map(|item| {
            let Value::String(code) = item else {
                return Err(InputsError::field(
                    FIELD,
                    format!("{FIELD} must list strings, not {}", kind(item)),
                ));
            };
            BatchRegistration::parse(code).map_err(|unknown| {
                let known: Vec<&str> = BatchRegistration::ALL.iter().map(|r| r.code()).collect();
                InputsError::field(
                    FIELD,
                    format!("{FIELD}: {unknown}; use any of {}", known.join(", ")),
                )
            })
        })
        .collect()
}

/// The needs assessment's severities; `null` when there is no needs assessment.
fn needs(object: &Map<String, Value>) -> Result<Option<NeedsAssessment>, InputsError> {
    const FIELD: &str = "needs";
    let sections = match written(object, FIELD)? {
        None => return Ok(None),
        Some(Value::Object(sections)) => sections,
        Some(other) => {
            return Err(InputsError::field(
                FIELD,
                format!("{FIELD} must be an object or null, not {}", kind(other)),
            ))
        }
    };
    let mut needs = NeedsAssessment::default();
    for &section in Section::ALL {
        let value = sections.get(section.code());
        let required = REQUIRED_NEEDS.contains(&section);
        let severity = match value {
            None if !required => continue,
            Some(value) => value.as_i64().and_then(NeedSeverity::from_score),
            None => None,
        };
        let Some(severity) = severity else {
            let written = value.map_or_else(|| "missing".to_owned(), |v| shorten(&v.to_string()));
            return Err(InputsError::field(
                FIELD,
                format!("needs.{} must be 0, 1 or 2, not {written}", section.code()),
            ));
        };
        needs = needs.with(section, severity);
    }
    Ok(Some(needs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A man on a community order with predictors of ARP 10% and CSRP 0.1% and nothing else
    /// recorded: every field written, most of them `null`.
    fn line() -> Value {
        let mut object: Map<String, Value> = FIELDS
            .iter()
            .map(|field| ((*field).to_owned(), Value::Null))
            .collect();
        for (field, value) in [
            ("sex", json!("male")),
            ("non_restrictive_requirements", json!(true)),
            ("arp_percent", json!(10.0)),
            ("csrp_percent", json!(0.1)),
            ("arp_type", json!("dynamic")),
            ("csrp_type", json!("dynamic")),
            ("has_active_event", json!(true)),
            ("as_of", json!("2026-12-06")),
        ] {
            object.insert(field.to_owned(), value);
        }
        Value::Object(object)
    }

    fn with(changes: &[(&str, Value)]) -> Value {
        let mut value = line();
        for (field, change) in changes {
            value[*field] = change.clone();
        }
        value
    }

    fn answer(value: &Value) -> TierAnswer {
        tier_answer(value).expect("a tier")
    }

    fn refused(value: &Value) -> (Option<&'static str>, String) {
        let error = tier_answer(value).unwrap_err();
        (error.field_name(), error.to_string())
    }

    fn needs_of(score: i64) -> Value {
        json!({
            "accommodation": score, "education_training_employability": score,
            "relationships": score, "lifestyle": score, "drug_misuse": score,
            "alcohol_misuse": score, "thinking_and_behaviour": score, "attitudes": score,
        })
    }

    #[test]
    fn a_plain_line_is_d2_and_single_g() {
        assert_eq!(
            answer(&line()),
            TierAnswer {
                legacy: "D2".into(),
                single: "G".into(),
                provisional: true,
                rule_version: rule_versions(),
            }
        );
        assert_eq!(
            serde_json::to_string(&answer(&with(&[("rosh", json!("low"))]))).unwrap(),
            format!(
                r#"{{"legacy":"D2","single":"G","provisional":false,"rule_version":"{}"}}"#,
                rule_versions()
            )
        );
    }

    #[test]
    fn every_field_of_the_issue_is_read() {
        let value = with(&[
            ("sex", json!("female")),
            ("rosh", json!("high")),
            ("rsr_percent", json!(7.5)),
            ("mappa_level", json!(1)),
            ("mappa_category", json!(2)),
            (
                "registrations",
                json!([
                    "domestic_abuse_history",
                    "attempted_suicide_or_self_harm",
                    "parenting_responsibilities",
                    "impulsivity_temper"
                ]),
            ),
            ("ogrs3_two_year_percent", json!(59)),
            ("needs", needs_of(1)),
            ("iom_nominal", json!(true)),
            ("breach_or_recall", json!(true)),
            ("arp_percent", json!(50)),
            ("csrp_percent", json!(1.0)),
            ("arp_type", json!("static")),
            ("osp_band", json!("medium")),
            ("dcsrp_score", json!(2.5)),
            ("life_or_ipp_released_on", json!("2026-06-01")),
            ("sexual_offence_ever", json!(true)),
            ("unsupervised", json!(true)),
        ]);
        let inputs = tier_inputs(&value).unwrap();
        let legacy = &inputs.legacy;
        assert_eq!(legacy.sex, Sex::Female);
        assert_eq!(legacy.mappa_level, Some(MappaLevel::Ordinary));
        assert_eq!(
            legacy.registrations,
            [
                RegistrationKind::DomesticAbusePerpetrator,
                RegistrationKind::SuicideOrSelfHarm
            ]
        );
        let needs = legacy.change.needs_assessment.as_ref().unwrap();
        assert!(needs.parenting_responsibilities && needs.impulsivity_or_temper);
        assert_eq!(needs.severity(Section::Attitudes), NeedSeverity::Standard);
        assert!(legacy.change.has_mandate_for_change && legacy.change.iom_nominal);
        assert_eq!(legacy.change.ogrs_percent, Some(59));
        assert!(legacy.breach_or_recall && legacy.unsupervised);

        let single = &inputs.single;
        assert_eq!(single.mappa_category, Some(MappaCategory::ViolentOffender));
        assert_eq!(single.arp_type, Some(PredictorType::Static));
        assert_eq!(
            single.sexual_predictor,
            Some(SexualPredictor {
                band: SexualPredictorBand::Medium,
                score: Some(2.5)
            })
        );
        assert_eq!(
            single.life_or_ipp,
            Some(LifeOrIpp {
                released_within: ReleaseRecency::WithinOneYear
            })
        );
        assert!(single.any_sexual_offence_ever);

        // Protect: RSR 20 + MAPPA 5 + self-harm 2 + three women's factors 6 = 33 → B.
        // Change: OGRS 5 + IOM 2 + 6 × 1 + 2 × 2 = 17 → 2. Single: life within a year → B.
        let answer = answer(&value);
        assert_eq!(answer.legacy, "B2S");
        assert_eq!(answer.single, "B");
    }

    #[test]
    fn women_s_factors_from_the_needs_assessment_need_one() {
        let value = with(&[
            ("sex", json!("female")),
            ("registrations", json!(["parenting_responsibilities"])),
        ]);
        assert!(tier_inputs(&value)
            .unwrap()
            .legacy
            .change
            .needs_assessment
            .is_none());
    }

    #[test]
    fn no_active_event_is_not_supervised_with_change_level_0() {
        let value = with(&[
            ("has_active_event", json!(false)),
            ("has_custodial_sentence", json!(true)),
        ]);
        let answer = answer(&value);
        assert_eq!(
            (answer.legacy.as_str(), answer.single.as_str()),
            ("D0", "not_supervised")
        );
        assert!(!answer.provisional);
    }

    #[test]
    fn no_arp_is_missing() {
        let answer = answer(&with(&[("arp_percent", Value::Null)]));
        assert_eq!(answer.single, "missing");
        assert!(!answer.provisional);
    }

    #[test]
    fn a_field_left_out_is_named_so_a_misspelling_is_caught() {
        let mut value = line();
        value.as_object_mut().unwrap().remove("rsr_percent");
        value["rsr_precent"] = json!(8.0);
        assert_eq!(
            refused(&value),
            (
                Some("rsr_percent"),
                "rsr_percent is missing; write null when there is none".into()
            )
        );
    }

    #[test]
    fn an_unknown_registration_is_refused_with_the_known_ones() {
        let (field, message) = refused(&with(&[("registrations", json!(["stalking", "mappa"]))]));
        assert_eq!(field, Some("registrations"));
        assert!(
            message.starts_with("registrations: 'mappa' is not a known registration; use any of domestic_abuse_perpetrator, domestic_abuse_history,"),
            "{message}"
        );
    }

    #[test]
    fn a_medium_dcsrp_below_0_60_is_refused_against_the_score() {
        let (field, message) = refused(&with(&[
            ("osp_band", json!("medium")),
            ("dcsrp_score", json!(0.59)),
        ]));
        assert_eq!(field, Some("dcsrp_score"));
        assert_eq!(
            message,
            "A medium sexual reoffending predictor band needs a score of 0.60 or more, not 0.59; correct the band or the score"
        );
    }

    #[test]
    fn values_out_of_range_are_refused_against_their_field() {
        for (field, bad) in [
            ("sex", json!("unknown")),
            ("rosh", json!("very high")),
            ("rsr_percent", json!(100.5)),
            ("mappa_level", json!(4)),
            ("mappa_category", json!(0)),
            ("registrations", json!("stalking")),
            ("ogrs3_two_year_percent", json!(59.5)),
            ("iom_nominal", json!("yes")),
            ("arp_percent", json!(-1)),
            ("csrp_type", json!("partial")),
            ("osp_band", json!("none")),
            ("dcsrp_score", json!(-0.1)),
            ("life_or_ipp_released_on", json!("2026-02-30")),
            ("has_active_event", Value::Null),
            ("as_of", json!("6 December 2026")),
        ] {
            let (named, message) = refused(&with(&[(field, bad.clone())]));
            assert_eq!(named, Some(field), "{field} = {bad}: {message}");
        }
    }

    #[test]
    fn a_needs_severity_outside_0_to_2_or_a_section_left_out_is_refused() {
        let mut needs = needs_of(0);
        needs["attitudes"] = json!(3);
        assert_eq!(
            refused(&with(&[("needs", needs)])),
            (
                Some("needs"),
                "needs.attitudes must be 0, 1 or 2, not 3".into()
            )
        );
        let mut needs = needs_of(0);
        needs.as_object_mut().unwrap().remove("lifestyle");
        assert_eq!(
            refused(&with(&[("needs", needs)])).1,
            "needs.lifestyle must be 0, 1 or 2, not missing"
        );
        let mut needs = needs_of(0);
        needs["finance"] = json!(2);
        assert!(tier_answer(&with(&[("needs", needs)])).is_ok());
    }

    #[test]
    fn a_life_release_date_needs_the_day_to_tier_on() {
        let (field, _) = refused(&with(&[
            ("life_or_ipp_released_on", json!("2026-06-01")),
            ("as_of", Value::Null),
        ]));
        assert_eq!(field, Some("as_of"));
    }

    #[test]
    fn the_field_list_is_the_issue_s_list_without_repeats() {
        let mut fields = FIELDS.to_vec();
        fields.sort_unstable();
        fields.dedup();
        assert_eq!(fields.len(), FIELDS.len());
        assert!(FIELDS.contains(&"life_or_ipp_released_on") && FIELDS.contains(&"osp_band"));
    }

    #[test]
    fn something_other_than_an_object_is_refused_as_a_whole() {
        let error = tier_answer(&json!("a string")).unwrap_err();
        assert_eq!(error, InputsError::NotAnObject { kind: "a string" });
    }
}
