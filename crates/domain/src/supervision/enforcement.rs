//! Enforcement: what follows an unacceptable failure. Community and suspended sentence orders get a
//! warning letter and then breach action (Sentencing Code, Schedule 10); licences go to "consider
//! recall", a recommendation countersigned by the senior probation officer and then the head of
//! PDU. The vocabulary here is shared by storage, the web pages and the demo.

use crate::calendar::{add_working_days, long_date};
use crate::coded_enum;
use crate::event::CaseType;
use crate::staff::Grade;
use crate::supervision::contact::{ContactOutcome, FailureJudgement};
use crate::CodedValue;
use chrono::{Months, NaiveDate, NaiveDateTime};

coded_enum! {
    /// Where a warning letter stands.
    pub enum WarningStatus ("warning status") {
        Due => "due", "To send",
        Sent => "sent", "Sent",
    }
}

coded_enum! {
    /// Where breach action stands.
    pub enum BreachStatus ("breach status") {
        Open => "open", "Breach report to write",
        Reported => "reported", "With the court",
        Concluded => "concluded", "Court outcome recorded",
    }
}

coded_enum! {
    /// Where a recall stands, from considering it to the decision.
    pub enum RecallStatus ("recall status") {
        Considering => "considering", "Recall being considered",
        AwaitingSenior => "awaiting_senior", "Waiting for the senior probation officer",
        AwaitingHead => "awaiting_head", "Waiting for the head of PDU",
        Recalled => "recalled", "Recalled",
        Declined => "declined", "Recommendation declined",
        NotRecalled => "not_recalled", "Decided not to recall",
    }
}

coded_enum! {
    /// The kind of recall recommended.
    pub enum RecallType ("recall type") {
        Standard => "standard", "Standard recall",
        FixedTerm => "fixed_term", "Fixed-term recall",
    }
}

coded_enum! {
    /// A countersigner's decision on a recall recommendation.
    pub enum CountersignDecision ("decision") {
        Countersigned => "countersigned", "Countersigned",
        Declined => "declined", "Declined",
    }
}

coded_enum! {
    /// A document of the case: generated from the record, or uploaded.
    pub enum DocumentKind ("document") {
        WarningLetter => "warning_letter", "Warning letter",
        BreachReport => "breach_report", "Breach report",
        RecallRecommendation => "recall_recommendation", "Recall recommendation",
        RecallDecision => "recall_decision", "Recall decision",
        NoRecallLetter => "no_recall_letter", "Decision not to recall",
        Uploaded => "uploaded", "Uploaded document",
    }
}

coded_enum! {
    /// What the court decided on breach (Sentencing Code, Schedule 10, paragraphs 10 and 11 for
    /// community orders; Schedule 16 for suspended sentence orders).
    pub enum CourtOutcome ("court outcome") {
        OrderContinued => "order_continued", "Order continued",
        OrderAmended => "order_amended", "Order amended (more onerous requirements)",
        RevokedResentenced => "revoked_resentenced", "Order revoked and re-sentenced",
        Fine => "fine", "Fine",
        NoAction => "no_action", "No action",
    }
}

/// The configurable rules of enforcement. Defaults:
///
/// - **warning period 12 months**: a further unacceptable failure within 12 months of a warning
///   starts breach action (Sentencing Act 2020 — the Sentencing Code —, Schedule 10, paragraphs 5
///   and 6: the responsible officer gives a warning for a first failure without reasonable
///   excuse, and refers a further failure within 12 months of the warning to the court;
///   <https://www.legislation.gov.uk/ukpga/2020/17/schedule/10>; the same for suspended sentence
///   orders in Schedule 16, paragraphs 5 and 6);
/// - **breach action due in 10 working days** (keepsafe's default, the issue's, from the
///   Probation Service's enforcement practice of laying information promptly);
/// - **evidence awaited 5 working days** (see [`super::outcome::OutcomeRules`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnforcementRules {
    pub warning_period_months: u32,
    pub breach_due_working_days: u32,
    pub evidence_working_days: u32,
    /// Where the rules come from, shown beside enforcement decisions.
    pub source: &'static str,
}

impl Default for EnforcementRules {
    fn default() -> Self {
        Self {
            warning_period_months: 12,
            breach_due_working_days: 10,
            evidence_working_days: 5,
            source: "Sentencing Code (Sentencing Act 2020), Schedule 10 paragraphs 5 and 6 (community orders) and Schedule 16 paragraphs 5 and 6 (suspended sentence orders): a warning, then breach action for a further unacceptable failure within 12 months",
        }
    }
}

/// What an unacceptable failure leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consequence {
    /// A warning letter to send (due the day the failure is judged).
    Warning { due_on: NaiveDate },
    /// Breach action, due by `due_on`.
    Breach { due_on: NaiveDate },
    /// Licence: consider recall.
    ConsiderRecall,
    /// Nothing (a custody or pre-sentence case: there is no order to enforce in the community).
    Nothing,
}

impl EnforcementRules {
    /// Whether a warning sent on `warned_on` still stands for a failure on `failed_on`: the
    /// failure is within the warning period after it.
    pub fn warning_stands(&self, warned_on: NaiveDate, failed_on: NaiveDate) -> bool {
        let ends = warned_on
            .checked_add_months(Months::new(self.warning_period_months))
            .unwrap_or(NaiveDate::MAX);
        warned_on <= failed_on && failed_on <= ends
    }

    /// What an unacceptable failure on `failed_on`, judged on `today`, leads to on a case of
    /// `case_type`, given the warnings sent on the case.
    pub fn consequence(
        &self,
        case_type: CaseType,
        warnings_sent: &[NaiveDate],
        failed_on: NaiveDate,
        today: NaiveDate,
    ) -> Consequence {
        match case_type {
            CaseType::Community => {
                if warnings_sent
                    .iter()
                    .any(|&warned| self.warning_stands(warned, failed_on))
                {
                    Consequence::Breach {
                        due_on: add_working_days(today, self.breach_due_working_days),
                    }
                } else {
                    Consequence::Warning { due_on: today }
                }
            }
            CaseType::Licence => Consequence::ConsiderRecall,
            CaseType::Custody | CaseType::PreSentence => Consequence::Nothing,
        }
    }
}

/// A warning is given only for a failure judged unacceptable.
pub fn may_warn(
    outcome: Option<ContactOutcome>,
    judgement: Option<FailureJudgement>,
) -> Result<(), &'static str> {
    match (outcome, judgement) {
        (Some(o), _) if !o.is_failure() => {
            Err("The person attended and complied: there is nothing to warn them about")
        }
        (Some(_), Some(FailureJudgement::Acceptable)) => {
            Err("This absence was judged acceptable: a warning cannot be given for it")
        }
        (Some(_), Some(FailureJudgement::Unacceptable)) => Ok(()),
        (Some(_), _) => Err("Judge the failure unacceptable before giving a warning"),
        (None, _) => Err("Record the outcome of the appointment first"),
    }
}

/// Why a recall step is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecallRefusal {
    /// The author of the recommendation cannot countersign it.
    OwnRecommendation,
    /// The step needs another grade (the senior officer first, then the head of PDU).
    WrongGrade(RecallStatus),
    /// The recall is not at this step.
    NotAtThisStep(RecallStatus),
}

impl RecallRefusal {
    pub fn message(&self) -> String {
        match self {
            RecallRefusal::OwnRecommendation => {
                "You wrote this recall recommendation: another manager must countersign it".into()
            }
            RecallRefusal::WrongGrade(RecallStatus::AwaitingSenior) => {
                "The senior probation officer countersigns this recommendation first".into()
            }
            RecallRefusal::WrongGrade(_) => {
                "Only the head of the PDU countersigns this recommendation now".into()
            }
            RecallRefusal::NotAtThisStep(status) => {
                format!(
                    "This recall is not waiting for that step: it is \"{}\"",
                    status.label()
                )
            }
        }
    }
}

/// The countersignature a recall waits for, and what it becomes. The senior probation officer
/// countersigns first (→ waiting for the head of PDU), then the head of PDU (→ recalled); either
/// may decline. The author can never countersign their own recommendation.
pub fn countersign(
    status: RecallStatus,
    author: Option<uuid::Uuid>,
    by: uuid::Uuid,
    grade: Grade,
    decision: CountersignDecision,
) -> Result<RecallStatus, RecallRefusal> {
    let needed = match status {
        RecallStatus::AwaitingSenior => Grade::SeniorProbationOfficer,
        RecallStatus::AwaitingHead => Grade::HeadOfPdu,
        other => return Err(RecallRefusal::NotAtThisStep(other)),
    };
    if author == Some(by) {
        return Err(RecallRefusal::OwnRecommendation);
    }
    if grade != needed {
        return Err(RecallRefusal::WrongGrade(status));
    }
    Ok(match (decision, status) {
        (CountersignDecision::Declined, _) => RecallStatus::Declined,
        (CountersignDecision::Countersigned, RecallStatus::AwaitingSenior) => {
            RecallStatus::AwaitingHead
        }
        (CountersignDecision::Countersigned, _) => RecallStatus::Recalled,
    })
}

/// Whether the practitioner can still recommend recall, or decide not to.
pub fn may_decide(status: RecallStatus) -> Result<(), RecallRefusal> {
    match status {
        RecallStatus::Considering | RecallStatus::Declined => Ok(()),
        other => Err(RecallRefusal::NotAtThisStep(other)),
    }
}

/// The facts a warning letter is written from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningFacts {
    pub name: String,
    pub crn: String,
    pub appointment_at: NaiveDateTime,
    pub place: String,
    /// The order or requirement the appointment counted towards ("Community order: rehabilitation
    /// activity requirement").
    pub requirement: String,
    pub practitioner: String,
    pub sent_on: NaiveDate,
}

/// A generated document: its title and its text, paragraphs separated by blank lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub title: String,
    pub body: String,
}

fn time_of(at: NaiveDateTime) -> String {
    at.format("%H:%M").to_string()
}

/// The warning letter: what was missed, what it counts towards, and what happens next.
pub fn warning_letter(facts: &WarningFacts, rules: &EnforcementRules) -> Letter {
    Letter {
        title: format!("Warning letter: {} ({})", facts.name, facts.crn),
        body: [
            format!("Date: {}", long_date(facts.sent_on)),
            format!("To: {}\nCase reference (CRN): {}", facts.name, facts.crn),
            format!("Dear {},", facts.name),
            format!(
                "You did not comply with your appointment on {} at {} at {}, and you have not given an acceptable reason.",
                long_date(facts.appointment_at.date()),
                time_of(facts.appointment_at),
                facts.place
            ),
            format!("This appointment was part of: {}.", facts.requirement),
            format!(
                "This is a formal warning. If you fail to comply again without an acceptable reason within the next {} months, you will be taken back to court for breach of your order. The court may add to your order, fine you, or end the order and sentence you again, which can include prison.",
                rules.warning_period_months
            ),
            "If you have a reason for missing the appointment that you have not told us about, contact your probation practitioner straight away.".to_owned(),
            format!("Yours sincerely,\n{}\nProbation practitioner", facts.practitioner),
        ]
        .join("\n\n"),
    }
}

/// A failure counted in a breach report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureLine {
    pub at: NaiveDateTime,
    pub what: String,
}

/// The facts a breach report is written from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreachFacts {
    pub name: String,
    pub crn: String,
    pub order: String,
    pub failures: Vec<FailureLine>,
    pub warnings_sent: Vec<NaiveDate>,
    pub attended: u32,
    pub acceptable_absences: u32,
    pub unacceptable_failures: u32,
    pub proposal: String,
    pub author: String,
    pub written_on: NaiveDate,
}

/// The breach report to court: the failures with their dates, the compliance history over the
/// order, and the proposal.
pub fn breach_report(facts: &BreachFacts) -> Letter {
    let failures = facts
        .failures
        .iter()
        .map(|f| {
            format!(
                "- {} at {}: {}",
                long_date(f.at.date()),
                time_of(f.at),
                f.what
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let warnings = if facts.warnings_sent.is_empty() {
        "No warning letter was sent.".to_owned()
    } else {
        format!(
            "Warning letters sent: {}.",
            facts
                .warnings_sent
                .iter()
                .map(|d| long_date(*d))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Letter {
        title: format!("Breach report: {} ({})", facts.name, facts.crn),
        body: [
            format!(
                "Breach report to the court\nName: {}\nCase reference (CRN): {}\nOrder: {}\nDate of report: {}",
                facts.name,
                facts.crn,
                facts.order,
                long_date(facts.written_on)
            ),
            format!("The failures to comply without an acceptable reason:\n{failures}"),
            format!(
                "Compliance history over the order: attended and complied {}; acceptable absences {}; unacceptable failures {}. {}",
                facts.attended, facts.acceptable_absences, facts.unacceptable_failures, warnings
            ),
            format!("Proposal to the court:\n{}", facts.proposal),
            format!("{}\nProbation practitioner", facts.author),
        ]
        .join("\n\n"),
    }
}

/// A recall recommendation as the practitioner writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub reasons: String,
    pub alternatives_tried: String,
    pub current_risk: String,
    pub recall_type: RecallType,
    pub emergency: bool,
}

/// The recommendation document.
pub fn recall_recommendation(
    name: &str,
    crn: &str,
    recommendation: &Recommendation,
    author: &str,
    on: NaiveDate,
) -> Letter {
    Letter {
        title: format!("Recall recommendation: {name} ({crn})"),
        body: [
            format!(
                "Recommendation to recall\nName: {name}\nCase reference (CRN): {crn}\nDate: {}\nRecall type: {}\nEmergency recall: {}",
                long_date(on),
                recommendation.recall_type.label(),
                if recommendation.emergency { "Yes" } else { "No" }
            ),
            format!("Reasons for recall:\n{}", recommendation.reasons),
            format!("Alternatives to recall tried:\n{}", recommendation.alternatives_tried),
            format!("Current risk:\n{}", recommendation.current_risk),
            format!("{author}\nProbation practitioner"),
        ]
        .join("\n\n"),
    }
}

/// The letter recording a decision not to recall.
pub fn no_recall_letter(
    name: &str,
    crn: &str,
    reasons: &str,
    author: &str,
    on: NaiveDate,
) -> Letter {
    Letter {
        title: format!("Decision not to recall: {name} ({crn})"),
        body: [
            format!("Date: {}\nTo: {name}\nCase reference (CRN): {crn}", long_date(on)),
            format!("Dear {name},"),
            "Your probation practitioner considered whether you should be recalled to prison for not keeping to your licence. They decided not to recall you at this time.".to_owned(),
            format!("Why:\n{reasons}"),
            "You must keep to every condition of your licence. If you fail to do so again, recall will be considered again.".to_owned(),
            format!("Yours sincerely,\n{author}\nProbation practitioner"),
        ]
        .join("\n\n"),
    }
}

/// The record of the recall decision, once the head of PDU has countersigned.
pub fn recall_decision(
    name: &str,
    crn: &str,
    recall_date: NaiveDate,
    countersigners: &str,
) -> Letter {
    Letter {
        title: format!("Recall decision: {name} ({crn})"),
        body: [
            format!("Recall decision\nName: {name}\nCase reference (CRN): {crn}"),
            format!(
                "The recommendation to recall was countersigned by {countersigners}. {name} is recalled to custody from {}.",
                long_date(recall_date)
            ),
        ]
        .join("\n\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_first_unacceptable_failure_on_a_community_order_gets_a_warning() {
        let rules = EnforcementRules::default();
        assert_eq!(
            rules.consequence(
                CaseType::Community,
                &[],
                date(2026, 12, 1),
                date(2026, 12, 2)
            ),
            Consequence::Warning {
                due_on: date(2026, 12, 2)
            }
        );
    }

    #[test]
    fn a_second_unacceptable_failure_within_twelve_months_of_a_warning_starts_breach_action() {
        let rules = EnforcementRules::default();
        assert_eq!(
            rules.consequence(
                CaseType::Community,
                &[date(2026, 3, 1)],
                date(2026, 12, 1),
                date(2026, 12, 2)
            ),
            // Ten working days from Wednesday 2 December 2026.
            Consequence::Breach {
                due_on: date(2026, 12, 16)
            }
        );
    }

    #[test]
    fn after_twelve_months_a_failure_gets_a_warning_again() {
        let rules = EnforcementRules::default();
        assert_eq!(
            rules.consequence(
                CaseType::Community,
                &[date(2025, 11, 30)],
                date(2026, 12, 1),
                date(2026, 12, 2)
            ),
            Consequence::Warning {
                due_on: date(2026, 12, 2)
            }
        );
        assert!(rules.warning_stands(date(2025, 12, 1), date(2026, 12, 1)));
        assert!(!rules.warning_stands(date(2025, 11, 30), date(2026, 12, 1)));
    }

    #[test]
    fn a_failure_before_the_warning_was_sent_is_not_a_failure_after_it() {
        let rules = EnforcementRules::default();
        assert!(matches!(
            rules.consequence(
                CaseType::Community,
                &[date(2026, 12, 2)],
                date(2026, 12, 1),
                date(2026, 12, 2)
            ),
            Consequence::Warning { .. }
        ));
    }

    #[test]
    fn the_warning_period_is_configurable() {
        let rules = EnforcementRules {
            warning_period_months: 6,
            ..EnforcementRules::default()
        };
        assert!(matches!(
            rules.consequence(
                CaseType::Community,
                &[date(2026, 3, 1)],
                date(2026, 12, 1),
                date(2026, 12, 2)
            ),
            Consequence::Warning { .. }
        ));
    }

    #[test]
    fn an_unacceptable_failure_on_licence_opens_consider_recall() {
        let rules = EnforcementRules::default();
        assert_eq!(
            rules.consequence(
                CaseType::Licence,
                &[date(2026, 3, 1)],
                date(2026, 12, 1),
                date(2026, 12, 2)
            ),
            Consequence::ConsiderRecall
        );
        assert_eq!(
            rules.consequence(CaseType::Custody, &[], date(2026, 12, 1), date(2026, 12, 2)),
            Consequence::Nothing
        );
    }

    #[test]
    fn an_acceptable_absence_cannot_get_a_warning() {
        use ContactOutcome::*;
        use FailureJudgement::*;
        assert!(may_warn(Some(FailedToAttend), Some(Acceptable)).is_err());
        assert!(may_warn(Some(FailedToAttend), Some(AwaitingEvidence)).is_err());
        assert!(may_warn(Some(Attended), None).is_err());
        assert!(may_warn(Some(AttendedFailedToComply), Some(Unacceptable)).is_ok());
    }

    #[test]
    fn a_recall_is_countersigned_by_the_senior_officer_then_the_head_of_pdu() {
        let (author, spo, head) = (
            uuid::Uuid::new_v4(),
            uuid::Uuid::new_v4(),
            uuid::Uuid::new_v4(),
        );
        let yes = CountersignDecision::Countersigned;
        assert_eq!(
            countersign(
                RecallStatus::AwaitingSenior,
                Some(author),
                spo,
                Grade::SeniorProbationOfficer,
                yes
            ),
            Ok(RecallStatus::AwaitingHead)
        );
        assert_eq!(
            countersign(
                RecallStatus::AwaitingHead,
                Some(author),
                head,
                Grade::HeadOfPdu,
                yes
            ),
            Ok(RecallStatus::Recalled)
        );
        assert_eq!(
            countersign(
                RecallStatus::AwaitingSenior,
                Some(author),
                head,
                Grade::HeadOfPdu,
                yes
            ),
            Err(RecallRefusal::WrongGrade(RecallStatus::AwaitingSenior))
        );
        assert_eq!(
            countersign(
                RecallStatus::AwaitingHead,
                Some(author),
                head,
                Grade::HeadOfPdu,
                CountersignDecision::Declined
            ),
            Ok(RecallStatus::Declined)
        );
        assert_eq!(
            countersign(
                RecallStatus::Considering,
                Some(author),
                spo,
                Grade::SeniorProbationOfficer,
                yes
            ),
            Err(RecallRefusal::NotAtThisStep(RecallStatus::Considering))
        );
    }

    #[test]
    fn a_recall_countersigned_by_its_author_is_refused() {
        let author = uuid::Uuid::new_v4();
        assert_eq!(
            countersign(
                RecallStatus::AwaitingSenior,
                Some(author),
                author,
                Grade::SeniorProbationOfficer,
                CountersignDecision::Countersigned
            ),
            Err(RecallRefusal::OwnRecommendation)
        );
    }

    #[test]
    fn the_warning_letter_names_the_appointment_missed_and_what_happens_next() {
        let letter = warning_letter(
            &WarningFacts {
                name: "Sam Jones".into(),
                crn: "M123456".into(),
                appointment_at: date(2026, 12, 1).and_hms_opt(14, 30, 0).unwrap(),
                place: "Midchester probation office".into(),
                requirement: "Community order".into(),
                practitioner: "Alex Smith".into(),
                sent_on: date(2026, 12, 2),
            },
            &EnforcementRules::default(),
        );
        assert!(letter
            .body
            .contains("1 December 2026 at 14:30 at Midchester probation office"));
        assert!(letter.body.contains("M123456"));
        assert!(letter.body.contains("within the next 12 months"));
    }
}
