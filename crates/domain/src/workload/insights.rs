//! Supervisor insights (reference §13): how often each practitioner's cases have an overdue risk
//! assessment, an overdue review or a missed contact, compared fairly.
//!
//! Supervisors distrust league tables: a practitioner holding the PDU's most complex licence cases
//! will always look worse than one holding low-risk community orders. So keepsafe compares each
//! practitioner only with **like caseloads** — practitioners of the same grade in the same PDU,
//! because grade decides the risk of the cases held (high and very high RoSH and MAPPA level 2/3
//! cases go to probation officers) — and flags only rates that stand out by a **spread-based
//! rule**: more than one interquartile range above the group's median rate. Rankings are never
//! shown.
//!
//! How the rule reads the numbers (all of it shown on the page through [`Explanation`]):
//! - A practitioner's rate is `count ÷ out of` (for example 3 overdue assessments out of 30 cases
//!   = 10%). A rate out of fewer than [`OutlierRule::min_denominator`] is too small to judge and is
//!   neither compared nor used to set the group's spread.
//! - Quartiles use linear interpolation between closest ranks (the method spreadsheets call
//!   QUARTILE.INC): with the rates sorted, the *p*-th quantile sits at position *p* × (n − 1).
//! - A group of fewer than [`OutlierRule::min_group`] comparable practitioners has no spread worth
//!   the name: nobody in it is flagged, and the page says so.
//! - The threshold is median + multiplier × IQR; a rate is flagged when it is **strictly above**
//!   the threshold and above 0.
//!
//! Comparing like with like cannot see a problem everyone shares: if every probation officer in a
//! PDU has half their assessments overdue, 51% is "within the usual range" of their peers. So each
//! rate is also judged against an **absolute standard** ([`InsightStandards`], versioned), taken from
//! the inspectorate's rating bands (reference §12, HM Inspectorate of Probation's 2023 framework: a
//! key question answered yes in at least 80% of cases is Outstanding, 65–79% Good, 50–64% Requires
//! improvement, below 50% Inadequate). A rate of overdue or missed work is the complement of the
//! share done on time, so:
//! - at most 20% overdue (80% or more on time, the inspectorate's Outstanding band) **meets the
//!   standard**;
//! - more than 20% and at most 50% is **above the standard**;
//! - more than 50% (fewer than half on time, the Inadequate band) is **far above the standard**.
//!
//! A practitioner is flagged when either judgement finds a problem, and the page never calls a rate
//! above the standard "usual".

use super::Explanation;
use crate::coded_enum;
use crate::staff::Grade;
use crate::CodedValue;
use chrono::NaiveDate;
use uuid::Uuid;

coded_enum! {
    /// What a supervisor insight measures on a practitioner's current cases.
    pub enum InsightMeasure ("insight measure") {
        /// Current cases with no risk of serious harm assessment in force once it is due.
        OverdueAssessments => "overdue_assessments", "Overdue risk assessments",
        /// Current cases with a review after a change in circumstances past its deadline.
        OverdueReviews => "overdue_reviews", "Overdue reviews",
        /// Appointments in the look-back window that were missed or never had an outcome recorded.
        MissedContacts => "missed_contacts", "Missed contacts",
    }
}

impl InsightMeasure {
    /// What the rate's denominator counts, for "3 of 30 cases".
    pub fn out_of(self) -> &'static str {
        match self {
            InsightMeasure::OverdueAssessments | InsightMeasure::OverdueReviews => "cases",
            InsightMeasure::MissedContacts => "appointments",
        }
    }

    /// How the count is made, said once on the page.
    pub fn definition(self, rule: &InsightRules) -> String {
        match self {
            InsightMeasure::OverdueAssessments => format!(
                "Current cases (other than pre-sentence) with no risk of serious harm assessment in \
                 force more than {} working days after the case was allocated to the practitioner.",
                rule.assessment_due_working_days
            ),
            InsightMeasure::OverdueReviews => {
                "Current cases with at least one open review (after a change in circumstances) past \
                 its due date."
                    .to_owned()
            }
            InsightMeasure::MissedContacts => format!(
                "Appointments on the practitioner's current cases in the last {} days that the person \
                 missed (an acceptable or unacceptable absence) or whose outcome was never recorded.",
                rule.contact_window_days
            ),
        }
    }
}

/// The rules behind the insights: configurable reference data, with the version shown on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct InsightRules {
    pub version: String,
    /// Working days from allocation by which a risk of serious harm assessment should be in force.
    pub assessment_due_working_days: u32,
    /// How many days back appointments count.
    pub contact_window_days: u32,
    pub outliers: OutlierRule,
    pub standards: InsightStandards,
}

impl InsightRules {
    /// keepsafe's defaults: an assessment within 15 working days of allocation, appointments over
    /// the last 13 weeks, flagged beyond one IQR above the median of like caseloads.
    pub fn reference() -> Self {
        Self {
            version: "supervisor-insights/1 (assessment due 15 working days after allocation; \
                      contacts over 91 days; outlier above median + 1 × IQR of like caseloads)"
                .to_owned(),
            assessment_due_working_days: 15,
            contact_window_days: 91,
            outliers: OutlierRule::reference(),
            standards: InsightStandards::reference(),
        }
    }

    /// The first day appointments count from, for a look-back ending on `today`.
    pub fn contact_window_start(&self, today: NaiveDate) -> NaiveDate {
        today - chrono::Days::new(u64::from(self.contact_window_days))
    }

    /// Whether a case allocated on `allocated_on`, with no assessment in force, is overdue on
    /// `today`: the assessment is due `assessment_due_working_days` working days after allocation.
    pub fn assessment_overdue(&self, allocated_on: NaiveDate, today: NaiveDate) -> bool {
        let due = crate::calendar::add_working_days(allocated_on, self.assessment_due_working_days);
        crate::review::is_overdue(due, today)
    }
}

/// The spread-based outlier rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutlierRule {
    /// How many interquartile ranges above the median a rate must be to be flagged.
    pub iqr_multiplier: f64,
    /// The fewest comparable practitioners a group needs before anyone in it is flagged.
    pub min_group: usize,
    /// The smallest denominator (cases or appointments) a rate needs to be compared.
    pub min_denominator: u32,
}

impl OutlierRule {
    /// More than one IQR above the median, in groups of at least 5, over at least 5 cases or
    /// appointments.
    pub fn reference() -> Self {
        Self {
            iqr_multiplier: 1.0,
            min_group: 5,
            min_denominator: 5,
        }
    }
}

/// The absolute standards every rate is judged against, whatever like caseloads do (see the module
/// documentation for where they come from). Reference data with a version, shown on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct InsightStandards {
    pub version: String,
    /// The highest rate (percent) that meets the standard.
    pub meets_at_most: f64,
    /// Above this rate (percent) a rate is far above the standard.
    pub far_above: f64,
}

impl InsightStandards {
    /// From the inspectorate's rating bands (HM Inspectorate of Probation, 2023 framework;
    /// reference §12): at least 80% on time is Outstanding, below 50% Inadequate.
    pub fn reference() -> Self {
        Self {
            version: "supervisor-insight-standards/1 (at most 20% overdue or missed meets the \
                      standard; more than 50% is far above it; from the inspectorate's 80% and 50% \
                      rating thresholds)"
                .to_owned(),
            meets_at_most: 20.0,
            far_above: 50.0,
        }
    }

    /// How a rate stands against the standard; out of fewer than `rule.min_denominator`, too few
    /// to judge, as for like caseloads.
    pub fn judge(&self, rate: Rate, rule: &OutlierRule) -> AgainstStandard {
        match comparable(rate, rule) {
            None => AgainstStandard::TooFewToJudge,
            Some(p) if p > self.far_above => AgainstStandard::FarAbove,
            Some(p) if p > self.meets_at_most => AgainstStandard::Above,
            Some(_) => AgainstStandard::Meets,
        }
    }

    /// The standard in a sentence, for the page.
    pub fn describe(&self) -> String {
        format!(
            "At most {}% overdue or missed meets the standard (at least {}% on time, the \
             inspectorate's Outstanding band). More than {}% is far above it (fewer than half on \
             time, the inspectorate's Inadequate band).",
            super::format_decimal(self.meets_at_most),
            super::format_decimal(100.0 - self.meets_at_most),
            super::format_decimal(self.far_above),
        )
    }
}

/// Where one rate stands against the absolute standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgainstStandard {
    Meets,
    Above,
    FarAbove,
    TooFewToJudge,
}

/// Both judgements of one practitioner's rate: against the absolute standard and against like
/// caseloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judgement {
    pub standard: AgainstStandard,
    pub like_caseloads: Standing,
}

impl Judgement {
    /// Whether the rate needs a supervisor's attention: above the standard, or higher than like
    /// caseloads.
    pub fn flagged(self) -> bool {
        matches!(
            self.standard,
            AgainstStandard::Above | AgainstStandard::FarAbove
        ) || self.like_caseloads == Standing::Outlier
    }

    /// What the page says first. A rate above the standard is said to be so, and never "within
    /// the usual range", however common it is among like caseloads.
    pub fn headline(self, standards: &InsightStandards) -> String {
        let limit = super::format_decimal(standards.meets_at_most);
        match (self.standard, self.like_caseloads) {
            (AgainstStandard::TooFewToJudge, _) => Standing::TooFewToJudge.label().to_owned(),
            (AgainstStandard::FarAbove, _) => format!("Far above the standard of {limit}%"),
            (AgainstStandard::Above, _) => format!("Above the standard of {limit}%"),
            (AgainstStandard::Meets, Standing::Outlier) => {
                "Meets the standard, but higher than like caseloads".to_owned()
            }
            (AgainstStandard::Meets, _) => "Meets the standard".to_owned(),
        }
    }

    /// The comparison with like caseloads, said second.
    pub fn against_like_caseloads(self) -> &'static str {
        match (self.standard, self.like_caseloads) {
            (AgainstStandard::TooFewToJudge, _) => "",
            (AgainstStandard::Above | AgainstStandard::FarAbove, Standing::WithinSpread) => {
                "Like caseloads are as high: a problem they share"
            }
            (_, standing) => standing.label(),
        }
    }
}

/// A count out of a total: 3 of 30.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rate {
    pub count: u32,
    pub out_of: u32,
}

impl Rate {
    pub fn new(count: u32, out_of: u32) -> Self {
        Self { count, out_of }
    }

    /// The rate as a percentage; `None` out of nothing.
    pub fn percent(self) -> Option<f64> {
        (self.out_of > 0).then(|| f64::from(self.count) * 100.0 / f64::from(self.out_of))
    }
}

/// One practitioner's rate for one measure, with the grade that decides their comparison group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PractitionerRate {
    pub staff_id: Uuid,
    pub grade: Grade,
    pub rate: Rate,
}

/// Where one practitioner's rate stands against their like caseloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Within the spread of like caseloads.
    WithinSpread,
    /// More than the rule's IQRs above the median of like caseloads.
    Outlier,
    /// Out of too few cases or appointments to judge.
    TooFewToJudge,
    /// Too few like caseloads to have a spread.
    GroupTooSmall,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::WithinSpread => "Within the usual range of like caseloads",
            Standing::Outlier => "Higher than like caseloads",
            Standing::TooFewToJudge => "Too few to judge",
            Standing::GroupTooSmall => "Too few like caseloads to compare",
        }
    }
}

/// The spread of one comparison group (one grade) for one measure.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSpread {
    pub measure: InsightMeasure,
    pub grade: Grade,
    /// Comparable practitioners (rates out of enough to judge).
    pub compared: usize,
    /// `None` when the group is too small to have a spread.
    pub quartiles: Option<Quartiles>,
    /// Median + multiplier × IQR; `None` when the group is too small.
    pub threshold: Option<f64>,
    pub explanation: Explanation,
}

/// First quartile, median and third quartile of a set of percentages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quartiles {
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
}

impl Quartiles {
    /// Quartiles by linear interpolation between closest ranks (QUARTILE.INC); `None` for no
    /// values.
    pub fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(Self {
            q1: quantile(&sorted, 0.25),
            median: quantile(&sorted, 0.5),
            q3: quantile(&sorted, 0.75),
        })
    }

    pub fn iqr(self) -> f64 {
        self.q3 - self.q1
    }
}

fn quantile(sorted: &[f64], p: f64) -> f64 {
    let position = p * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let fraction = position - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * fraction
}

/// Every practitioner's standing for one measure, and each grade group's spread.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureComparison {
    pub measure: InsightMeasure,
    pub standings: Vec<(Uuid, Standing)>,
    pub groups: Vec<GroupSpread>,
}

impl MeasureComparison {
    /// The standing of one practitioner; `None` if they were not compared.
    pub fn standing_of(&self, staff_id: Uuid) -> Option<Standing> {
        self.standings
            .iter()
            .find(|(id, _)| *id == staff_id)
            .map(|(_, standing)| *standing)
    }

    /// Both judgements of one practitioner's `rate` (too few to judge against like caseloads if
    /// they were not compared).
    pub fn judgement_of(&self, staff_id: Uuid, rate: Rate, rules: &InsightRules) -> Judgement {
        Judgement {
            standard: rules.standards.judge(rate, &rules.outliers),
            like_caseloads: self
                .standing_of(staff_id)
                .unwrap_or(Standing::TooFewToJudge),
        }
    }

    /// The spread of one grade's group.
    pub fn group(&self, grade: Grade) -> Option<&GroupSpread> {
        self.groups.iter().find(|group| group.grade == grade)
    }
}

/// Compares every practitioner's rate for `measure` with like caseloads (the same grade) and flags
/// those more than `rule.iqr_multiplier` interquartile ranges above their group's median.
pub fn compare(
    measure: InsightMeasure,
    rates: &[PractitionerRate],
    rule: &InsightRules,
) -> MeasureComparison {
    let mut grades: Vec<Grade> = rates.iter().map(|r| r.grade).collect();
    grades.sort();
    grades.dedup();
    let mut standings = Vec::with_capacity(rates.len());
    let mut groups = Vec::with_capacity(grades.len());
    for grade in grades {
        let members: Vec<&PractitionerRate> = rates.iter().filter(|r| r.grade == grade).collect();
        let group = spread(measure, grade, &members, rule);
        for member in &members {
            standings.push((
                member.staff_id,
                standing(member.rate, &group, &rule.outliers),
            ));
        }
        groups.push(group);
    }
    MeasureComparison {
        measure,
        standings,
        groups,
    }
}

fn comparable(rate: Rate, rule: &OutlierRule) -> Option<f64> {
    if rate.out_of < rule.min_denominator {
        return None;
    }
    rate.percent()
}

fn spread(
    measure: InsightMeasure,
    grade: Grade,
    members: &[&PractitionerRate],
    rules: &InsightRules,
) -> GroupSpread {
    let rule = &rules.outliers;
    let values: Vec<f64> = members
        .iter()
        .filter_map(|m| comparable(m.rate, rule))
        .collect();
    let mut explanation = Explanation::new(rules.version.clone())
        .input("Measure", measure.label())
        .input("Like caseloads", format!("{} in the PDU", plural(grade)))
        .input(
            "Practitioners compared",
            format!(
                "{} of {} (a rate needs at least {} {} to be compared)",
                values.len(),
                members.len(),
                rule.min_denominator,
                measure.out_of()
            ),
        );
    if values.len() < rule.min_group {
        explanation = explanation.step(format!(
            "Fewer than {} {} can be compared, too few for a spread: nobody is flagged.",
            rule.min_group,
            plural(grade).to_lowercase()
        ));
        return GroupSpread {
            measure,
            grade,
            compared: values.len(),
            quartiles: None,
            threshold: None,
            explanation,
        };
    }
    let quartiles = Quartiles::of(&values).expect("at least min_group values");
    let threshold = quartiles.median + rule.iqr_multiplier * quartiles.iqr();
    explanation = explanation
        .step(format!(
            "Quartiles of their rates (linear interpolation): first {:.1}%, median {:.1}%, third {:.1}%.",
            quartiles.q1, quartiles.median, quartiles.q3
        ))
        .step(format!(
            "Interquartile range = {:.1}% − {:.1}% = {:.1} points.",
            quartiles.q3,
            quartiles.q1,
            quartiles.iqr()
        ))
        .step(format!(
            "Threshold = median + {} × IQR = {:.1}%: a rate above it (and above 0) is flagged.",
            super::format_decimal(rule.iqr_multiplier),
            threshold
        ));
    GroupSpread {
        measure,
        grade,
        compared: values.len(),
        quartiles: Some(quartiles),
        threshold: Some(threshold),
        explanation,
    }
}

fn standing(rate: Rate, group: &GroupSpread, rule: &OutlierRule) -> Standing {
    let Some(percent) = comparable(rate, rule) else {
        return Standing::TooFewToJudge;
    };
    match group.threshold {
        None => Standing::GroupTooSmall,
        Some(threshold) if percent > threshold && percent > 0.0 => Standing::Outlier,
        Some(_) => Standing::WithinSpread,
    }
}

fn plural(grade: Grade) -> String {
    match grade {
        Grade::ProbationOfficer => "Probation officers".to_owned(),
        Grade::ProbationServiceOfficer => "Probation services officers".to_owned(),
        Grade::TraineeOfficer => "Trainee probation officers".to_owned(),
        other => format!("{} staff", other.label()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn po(id: u128, count: u32, out_of: u32) -> PractitionerRate {
        PractitionerRate {
            staff_id: Uuid::from_u128(id),
            grade: Grade::ProbationOfficer,
            rate: Rate::new(count, out_of),
        }
    }

    fn pso(id: u128, count: u32, out_of: u32) -> PractitionerRate {
        PractitionerRate {
            grade: Grade::ProbationServiceOfficer,
            ..po(id, count, out_of)
        }
    }

    fn rules() -> InsightRules {
        InsightRules::reference()
    }

    #[test]
    fn quartiles_interpolate_between_closest_ranks() {
        let q = Quartiles::of(&[10.0, 20.0, 30.0, 40.0, 50.0]).unwrap();
        assert_eq!((q.q1, q.median, q.q3), (20.0, 30.0, 40.0));
        let q = Quartiles::of(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!((q.q1, q.median, q.q3), (1.75, 2.5, 3.25));
        assert_eq!(q.iqr(), 1.5);
        assert_eq!(Quartiles::of(&[]), None);
    }

    #[test]
    fn a_rate_more_than_one_iqr_above_the_median_of_like_caseloads_is_flagged() {
        // 10, 10, 20, 20, 30, 80 %: q1 12.5, median 20, q3 27.5, IQR 15, threshold 35.
        let rates = [
            po(1, 1, 10),
            po(2, 1, 10),
            po(3, 2, 10),
            po(4, 2, 10),
            po(5, 3, 10),
            po(6, 8, 10),
        ];
        let comparison = compare(InsightMeasure::OverdueAssessments, &rates, &rules());
        let group = comparison.group(Grade::ProbationOfficer).unwrap();
        assert_eq!(group.threshold, Some(35.0));
        assert_eq!(
            comparison.standing_of(Uuid::from_u128(6)),
            Some(Standing::Outlier)
        );
        for id in 1..=5 {
            assert_eq!(
                comparison.standing_of(Uuid::from_u128(id)),
                Some(Standing::WithinSpread)
            );
        }
        assert!(group.explanation.steps.iter().any(|s| s.contains("35.0%")));
        assert!(group
            .explanation
            .rule_version
            .starts_with("supervisor-insights/1"));
    }

    #[test]
    fn a_rate_exactly_at_the_threshold_is_not_flagged() {
        // 10, 10, 20, 20, 30, 35 %: q1 12.5, median 20, q3 27.5, threshold 35.
        let rates = [
            po(1, 1, 10),
            po(2, 1, 10),
            po(3, 2, 10),
            po(4, 2, 10),
            po(5, 3, 10),
            po(6, 7, 20),
        ];
        let comparison = compare(InsightMeasure::OverdueReviews, &rates, &rules());
        assert_eq!(
            comparison.standing_of(Uuid::from_u128(6)),
            Some(Standing::WithinSpread)
        );
    }

    #[test]
    fn practitioners_are_compared_only_with_their_own_grade() {
        // The PSOs' rates are all high (40 to 60%, threshold 60%); among POs one is high. A PSO at
        // 60% is unremarkable among PSOs, though it would stand out among POs (threshold 10%).
        let mut rates = vec![
            po(1, 0, 10),
            po(2, 1, 10),
            po(3, 1, 10),
            po(4, 1, 10),
            po(5, 6, 10),
        ];
        rates.extend([
            pso(11, 8, 20),
            pso(12, 9, 20),
            pso(13, 10, 20),
            pso(14, 11, 20),
            pso(15, 12, 20),
        ]);
        let comparison = compare(InsightMeasure::MissedContacts, &rates, &rules());
        assert_eq!(
            comparison.standing_of(Uuid::from_u128(5)),
            Some(Standing::Outlier)
        );
        assert_eq!(
            comparison.standing_of(Uuid::from_u128(15)),
            Some(Standing::WithinSpread)
        );
        assert_eq!(comparison.groups.len(), 2);
    }

    #[test]
    fn nobody_is_flagged_in_a_group_too_small_to_have_a_spread() {
        let rates = [po(1, 0, 10), po(2, 0, 10), po(3, 0, 10), po(4, 9, 10)];
        let comparison = compare(InsightMeasure::OverdueAssessments, &rates, &rules());
        assert_eq!(
            comparison.standing_of(Uuid::from_u128(4)),
            Some(Standing::GroupTooSmall)
        );
        let group = comparison.group(Grade::ProbationOfficer).unwrap();
        assert_eq!(group.threshold, None);
        assert!(group.explanation.steps[0].contains("too few for a spread"));
    }

    #[test]
    fn a_rate_out_of_too_few_cases_is_neither_judged_nor_counted_in_the_spread() {
        // Practitioner 6 has 2 of 2 overdue: 100%, but out of too few to judge; the five others
        // form the group.
        let rates = [
            po(1, 1, 10),
            po(2, 1, 10),
            po(3, 2, 10),
            po(4, 2, 10),
            po(5, 3, 10),
            po(6, 2, 2),
        ];
        let comparison = compare(InsightMeasure::OverdueAssessments, &rates, &rules());
        assert_eq!(
            comparison.standing_of(Uuid::from_u128(6)),
            Some(Standing::TooFewToJudge)
        );
        assert_eq!(
            comparison.group(Grade::ProbationOfficer).unwrap().compared,
            5
        );
    }

    #[test]
    fn when_everyone_is_at_zero_nobody_is_flagged() {
        let rates: Vec<_> = (1..=6).map(|id| po(id, 0, 10)).collect();
        let comparison = compare(InsightMeasure::OverdueReviews, &rates, &rules());
        assert!(comparison
            .standings
            .iter()
            .all(|(_, s)| *s == Standing::WithinSpread));
    }

    #[test]
    fn an_assessment_is_overdue_the_day_after_fifteen_working_days_from_allocation() {
        let rules = rules();
        let allocated = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        // 15 working days after Monday 2 November 2026 is Monday 23 November.
        assert!(
            !rules.assessment_overdue(allocated, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        );
        assert!(rules.assessment_overdue(allocated, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()));
    }

    #[test]
    fn a_high_rate_shared_by_like_caseloads_is_far_above_the_standard_not_usual() {
        // Everyone's assessments are about half overdue: 51% is inside the spread of like
        // caseloads (45, 48, 50, 51, 52%: threshold 53%), but fewer than half are on time.
        let rates = [
            po(1, 9, 20),
            po(2, 12, 25),
            po(3, 10, 20),
            po(4, 51, 100),
            po(5, 13, 25),
        ];
        let rules = rules();
        let comparison = compare(InsightMeasure::OverdueAssessments, &rates, &rules);
        let id = Uuid::from_u128(4);
        assert_eq!(comparison.standing_of(id), Some(Standing::WithinSpread));
        let judgement = comparison.judgement_of(id, Rate::new(51, 100), &rules);
        assert_eq!(judgement.standard, AgainstStandard::FarAbove);
        assert!(judgement.flagged());
        let headline = judgement.headline(&rules.standards);
        assert_eq!(headline, "Far above the standard of 20%");
        assert!(!headline.contains("usual range"));
        assert!(!judgement.against_like_caseloads().contains("usual range"));
    }

    #[test]
    fn the_standard_follows_the_inspectorates_bands() {
        let rules = rules();
        let judge = |count, out_of| {
            rules
                .standards
                .judge(Rate::new(count, out_of), &rules.outliers)
        };
        assert_eq!(judge(2, 10), AgainstStandard::Meets, "20% meets it");
        assert_eq!(judge(21, 100), AgainstStandard::Above);
        assert_eq!(
            judge(5, 10),
            AgainstStandard::Above,
            "50% is not yet far above"
        );
        assert_eq!(judge(51, 100), AgainstStandard::FarAbove);
        assert_eq!(judge(3, 4), AgainstStandard::TooFewToJudge);
        assert!(rules
            .standards
            .version
            .starts_with("supervisor-insight-standards/1"));
        assert!(rules.standards.describe().contains("Outstanding"));
    }

    #[test]
    fn a_rate_within_the_standard_but_above_like_caseloads_is_still_flagged() {
        let judgement = Judgement {
            standard: AgainstStandard::Meets,
            like_caseloads: Standing::Outlier,
        };
        assert!(judgement.flagged());
        assert_eq!(
            judgement.headline(&rules().standards),
            "Meets the standard, but higher than like caseloads"
        );
    }

    #[test]
    fn a_rate_is_a_percentage_of_something() {
        assert_eq!(Rate::new(3, 30).percent(), Some(10.0));
        assert_eq!(Rate::new(0, 0).percent(), None);
    }
}
