//! Workload measurement and allocation (reference §9): how much work a practitioner holds, how much
//! they can hold, when it has been too much for too long, and who a new case should go to.
//!
//! - [`points`]: workload points per case (case type × legacy tier, or the young-adult row) and per
//!   report, from effective-dated, configurable weights.
//! - [`capacity`]: available hours (contracted hours less reductions), available points and
//!   capacity %.
//! - [`excessive`]: the excessive-workload rule over weekly capacity snapshots.
//! - [`allocation`]: the order candidates are listed in for a new case, grade guidance, continuity
//!   and the reason an override needs.
//! - [`transfer`]: moving one case or a whole caseload to another practitioner (absence cover, a
//!   leaver, evening out workloads), with the guidance applied to every case and a handover task.
//! - [`insights`]: supervisor insights — overdue assessments, overdue reviews and missed contacts
//!   per practitioner, flagged only against like caseloads by a spread-based (IQR) rule.
//!
//! Every rule is pure: dates are passed in, nothing reads a clock or a store. Every number comes
//! back with an [`Explanation`] naming the facts it read and the rule version that produced it,
//! because every number keepsafe shows must say how it was computed (reference §13).

pub mod allocation;
pub mod capacity;
pub mod excessive;
pub mod insights;
pub mod points;
pub mod transfer;

pub use allocation::{
    check_override, needs_probation_officer, rank, AllocationCase, AllocationRefused, Candidate,
    RankedCandidate, ALLOCATION_RULE_VERSION, FULL_CAPACITY_PERCENT,
};
pub use capacity::{
    available_hours, available_points, capacity_percent, newly_qualified_reduction,
    trainee_reduction_on, trainee_reductions, union_duties_reduction, AvailableHours, Capacity,
    Reduction, ReductionKind, ReductionRefused, CAPACITY_RULE_VERSION,
};
pub use excessive::{
    assess_excessive_workload, CannotAssessWorkload, ExcessiveWorkload, ExcessiveWorkloadRule,
    WeeklySnapshot,
};
pub use insights::{
    compare, AgainstStandard, GroupSpread, InsightMeasure, InsightRules, InsightStandards,
    Judgement, MeasureComparison, OutlierRule, PractitionerRate, Quartiles, Rate, Standing,
};
pub use points::{
    case_points, report_points, CasePoints, ReportKind, ReportPoints, WeightsHistory,
    WeightsHistoryRefused, WorkloadWeights,
};
pub use transfer::{
    check_transfer, ApprovedTransfer, CaseToMove, TransferReason, TransferRefused, TransferRequest,
    HANDOVER_TITLE, HANDOVER_WORKING_DAYS,
};

/// How a workload number was computed: the rule version, the facts it read and each step, written
/// for the person reading the number (a practitioner, their manager or an inspector). Serialisable
/// so the CLI and the web can show the working beside the number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Explanation {
    /// The rule and its version, e.g. "workload-weights-2026/1" — stored beside the number.
    pub rule_version: String,
    /// Each fact the rule read, as a person reads it ("Case type" = "Community").
    pub inputs: Vec<Fact>,
    /// How the result follows from the facts, one sentence per step, in order.
    pub steps: Vec<String>,
}

/// One fact a rule read: its name and its value as shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fact {
    pub name: String,
    pub value: String,
}

impl Explanation {
    pub fn new(rule_version: impl Into<String>) -> Self {
        Self {
            rule_version: rule_version.into(),
            inputs: Vec::new(),
            steps: Vec::new(),
        }
    }

    /// Adds a fact the rule read.
    pub fn input(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.inputs.push(Fact {
            name: name.into(),
            value: value.into(),
        });
        self
    }

    /// Adds a step of the working.
    pub fn step(mut self, step: impl Into<String>) -> Self {
        self.steps.push(step.into());
        self
    }

    /// The value of the named fact, if the rule read it.
    pub fn input_value(&self, name: &str) -> Option<&str> {
        self.inputs
            .iter()
            .find(|fact| fact.name == name)
            .map(|fact| fact.value.as_str())
    }
}

/// Points with thousands separators, as the reference and the screens write them: 2,070.
pub(crate) fn format_points(points: u32) -> String {
    let digits: Vec<char> = points.to_string().chars().rev().collect();
    let groups: Vec<String> = digits
        .chunks(3)
        .map(|group| group.iter().rev().collect())
        .rev()
        .collect();
    groups.join(",")
}

/// A number of hours (or a threshold) as a person writes it: to at most two decimal places,
/// without trailing zeros (37, 35.2, 4.55, 110).
pub(crate) fn format_decimal(hours: f64) -> String {
    let fixed = format!("{hours:.2}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// A capacity percentage to one decimal place, as shown: 96.9%.
pub(crate) fn format_percent(percent: f64) -> String {
    format!("{percent:.1}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_written_with_thousands_separators() {
        assert_eq!(format_points(0), "0");
        assert_eq!(format_points(999), "999");
        assert_eq!(format_points(2070), "2,070");
        assert_eq!(format_points(1_234_567), "1,234,567");
    }

    #[test]
    fn hours_and_thresholds_are_written_without_trailing_zeros() {
        assert_eq!(format_decimal(37.0), "37");
        assert_eq!(format_decimal(35.2), "35.2");
        assert_eq!(format_decimal(4.55), "4.55");
        assert_eq!(format_decimal(0.0), "0");
        assert_eq!(format_decimal(110.0), "110");
    }

    #[test]
    fn an_explanation_names_its_rule_version_inputs_and_steps() {
        let explanation = Explanation::new("rule/1")
            .input("Case type", "Community")
            .step("206 points");
        assert_eq!(explanation.rule_version, "rule/1");
        assert_eq!(explanation.input_value("Case type"), Some("Community"));
        assert_eq!(explanation.input_value("Tier"), None);
        assert_eq!(explanation.steps, ["206 points"]);
    }
}
