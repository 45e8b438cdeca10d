//! A sentence plan's parts and the rules for writing one: every objective has at least one action,
//! every action says who does it and by when (not before the plan starts), the person's agreement
//! is recorded only with their own words, and a plan for a high or very high RoSH case is
//! countersigned by a senior officer who did not write it before it is active.

use crate::calendar::long_date;
use crate::coded_enum;
use crate::needs::Section;
use crate::rosh::{RiskGroup, RoshLevel};
use crate::text::LongText;
use crate::CodedValue;
use chrono::NaiveDate;
use uuid::Uuid;

coded_enum! {
    /// Where a plan is in its life. Only an active plan is "the plan" the indicators read.
    pub enum PlanStatus ("plan status") {
        Draft => "draft", "Draft",
        AwaitingCountersignature => "awaiting_countersignature", "Awaiting countersignature",
        Active => "active", "Agreed and active",
        Superseded => "superseded", "Replaced by a later plan",
    }
}

coded_enum! {
    /// Inspectors look for both kinds against each risk (reference §3): work that builds a life
    /// away from offending, and measures that limit the chance to cause harm.
    pub enum ActionKind ("kind of action") {
        Constructive => "constructive", "Constructive (for example a programme or help into work)",
        Restrictive => "restrictive", "Restrictive (for example a curfew, exclusion zone or no contact)",
    }
}

impl ActionKind {
    /// One word, for tables.
    pub fn short(self) -> &'static str {
        match self {
            ActionKind::Constructive => "Constructive",
            ActionKind::Restrictive => "Restrictive",
        }
    }
}

coded_enum! {
    /// Who does an action: the practitioner, the person, or another agency.
    pub enum ActionOwner ("who does the action") {
        Practitioner => "practitioner", "The probation practitioner",
        Person => "person", "The person on probation",
        Police => "police", "The police",
        ChildrensServices => "childrens_services", "Children's services",
        Provider => "provider", "A named provider or agency",
    }
}

impl ActionOwner {
    /// Another agency's work, which planning must link to.
    pub fn is_other_agency(self) -> bool {
        matches!(
            self,
            ActionOwner::Police | ActionOwner::ChildrensServices | ActionOwner::Provider
        )
    }
}

coded_enum! {
    /// How an objective is going.
    pub enum Progress ("progress") {
        NotStarted => "not_started", "Not started",
        InProgress => "in_progress", "In progress",
        Achieved => "achieved", "Achieved",
        NoLongerRelevant => "no_longer_relevant", "No longer relevant",
    }
}

coded_enum! {
    /// Whether the person agrees with the plan.
    pub enum Agreement ("agreement") {
        Agrees => "agrees", "Agrees with the plan",
        Disagrees => "disagrees", "Does not agree with the plan",
    }
}

/// One action of an objective.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanAction {
    pub kind: ActionKind,
    pub what: LongText,
    pub who: ActionOwner,
    /// The provider's or agency's name when `who` is [`ActionOwner::Provider`], else empty.
    pub provider: String,
    pub by_when: NaiveDate,
}

impl PlanAction {
    /// Who, in words: "The police", "Shelter (a named provider)".
    pub fn who_label(&self) -> String {
        match self.who {
            ActionOwner::Provider => self.provider.clone(),
            other => other.label().to_owned(),
        }
    }
}

/// An objective: what the person will achieve, which needs and risks it addresses, the actions,
/// and how it is going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objective {
    pub id: Uuid,
    pub description: LongText,
    pub needs: Vec<Section>,
    pub risks: Vec<RiskGroup>,
    pub actions: Vec<PlanAction>,
    pub progress: Progress,
    pub progress_note: LongText,
}

impl Objective {
    pub fn has(&self, kind: ActionKind) -> bool {
        self.actions.iter().any(|a| a.kind == kind)
    }
}

/// The person's own words about the plan and whether they agree.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonsView {
    pub words: LongText,
    pub agreement: Option<Agreement>,
    /// Why not, when they do not agree.
    pub disagreement_reason: LongText,
}

/// What a plan holds, for the checks on submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanContent {
    pub starts_on: NaiveDate,
    pub objectives: Vec<Objective>,
    pub persons_view: PersonsView,
}

/// An action as typed: a row of the objective form. `row` numbers the row from 1 so a problem
/// names its fields (`action-2-who`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionDraft {
    pub row: usize,
    pub kind: Option<ActionKind>,
    pub what: LongText,
    pub who: Option<ActionOwner>,
    pub provider: String,
    pub by_when: Option<NaiveDate>,
}

impl ActionDraft {
    /// A row left wholly blank is not an action.
    pub fn is_blank(&self) -> bool {
        self.kind.is_none()
            && self.what.is_empty()
            && self.who.is_none()
            && self.provider.trim().is_empty()
            && self.by_when.is_none()
    }
}

/// An objective as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectiveDraft {
    pub description: LongText,
    pub needs: Vec<Section>,
    pub risks: Vec<RiskGroup>,
    pub actions: Vec<ActionDraft>,
}

/// Something wrong with what was typed or with the plan as submitted, worded as what to do and
/// naming the field it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanProblem {
    NoDescription,
    NotLinked,
    NoAction,
    ActionWhat(usize),
    ActionKind(usize),
    ActionWho(usize),
    ActionProvider(usize),
    ActionByWhen(usize),
    ActionBeforeStart { row: usize, starts_on: NaiveDate },
    AgreementWithoutWords,
    AgreementUnanswered,
    NoDisagreementReason,
    NoObjectives,
    ObjectiveWithoutAction { position: usize },
    AuthorCountersigning,
}

impl PlanProblem {
    /// The id of the field the message links to.
    pub fn field(&self) -> String {
        match self {
            PlanProblem::NoDescription => "description".into(),
            PlanProblem::NotLinked => "links".into(),
            PlanProblem::NoAction => "action-1-what".into(),
            PlanProblem::ActionWhat(row) => format!("action-{row}-what"),
            PlanProblem::ActionKind(row) => format!("action-{row}-kind"),
            PlanProblem::ActionWho(row) => format!("action-{row}-who"),
            PlanProblem::ActionProvider(row) => format!("action-{row}-provider"),
            PlanProblem::ActionByWhen(row) | PlanProblem::ActionBeforeStart { row, .. } => {
                format!("action-{row}-by-day")
            }
            PlanProblem::AgreementWithoutWords => "words".into(),
            PlanProblem::AgreementUnanswered => "agreement".into(),
            PlanProblem::NoDisagreementReason => "disagreement_reason".into(),
            PlanProblem::NoObjectives | PlanProblem::ObjectiveWithoutAction { .. } => {
                "objectives".into()
            }
            PlanProblem::AuthorCountersigning => "countersign".into(),
        }
    }

    /// What to do, for the error summary.
    pub fn message(&self) -> String {
        match self {
            PlanProblem::NoDescription => "Describe the objective: what the person will achieve".into(),
            PlanProblem::NotLinked => "Link the objective to at least one need or risk".into(),
            PlanProblem::NoAction => "Add at least one action to the objective: what will be done, who will do it and by when".into(),
            PlanProblem::ActionWhat(row) => format!("Say what action {row} is"),
            PlanProblem::ActionKind(row) => format!("Say whether action {row} is constructive or restrictive"),
            PlanProblem::ActionWho(row) => format!("Say who will do action {row}"),
            PlanProblem::ActionProvider(row) => format!("Name the provider or agency that will do action {row}"),
            PlanProblem::ActionByWhen(row) => format!("Give the date action {row} will be done by"),
            PlanProblem::ActionBeforeStart { row, starts_on } => format!(
                "The date for action {row} must be on or after the day the plan started, {}",
                long_date(*starts_on)
            ),
            PlanProblem::AgreementWithoutWords => "Record the person's own words about the plan before recording that they agree with it".into(),
            PlanProblem::AgreementUnanswered => "Say whether the person agrees with the plan".into(),
            PlanProblem::NoDisagreementReason => "Say why the person does not agree with the plan".into(),
            PlanProblem::NoObjectives => "Add at least one objective before submitting the plan".into(),
            PlanProblem::ObjectiveWithoutAction { position } => format!("Add an action to objective {position} before submitting the plan"),
            PlanProblem::AuthorCountersigning => "You wrote this plan, so another senior probation officer must countersign it".into(),
        }
    }
}

/// Checks a typed objective against the plan's start, giving the objective (keeping `id`) or
/// every problem with the field each is about. Blank action rows are ignored.
pub fn check_objective(
    id: Uuid,
    draft: &ObjectiveDraft,
    starts_on: NaiveDate,
) -> Result<Objective, Vec<PlanProblem>> {
    let mut problems = Vec::new();
    if draft.description.is_empty() {
        problems.push(PlanProblem::NoDescription);
    }
    if draft.needs.is_empty() && draft.risks.is_empty() {
        problems.push(PlanProblem::NotLinked);
    }
    let rows: Vec<&ActionDraft> = draft.actions.iter().filter(|a| !a.is_blank()).collect();
    if rows.is_empty() {
        problems.push(PlanProblem::NoAction);
    }
    let mut actions = Vec::new();
    for row in rows {
        let n = row.row;
        if row.what.is_empty() {
            problems.push(PlanProblem::ActionWhat(n));
        }
        if row.kind.is_none() {
            problems.push(PlanProblem::ActionKind(n));
        }
        match row.who {
            None => problems.push(PlanProblem::ActionWho(n)),
            Some(ActionOwner::Provider) if row.provider.trim().is_empty() => {
                problems.push(PlanProblem::ActionProvider(n))
            }
            Some(_) => {}
        }
        match row.by_when {
            None => problems.push(PlanProblem::ActionByWhen(n)),
            Some(day) if day < starts_on => {
                problems.push(PlanProblem::ActionBeforeStart { row: n, starts_on })
            }
            Some(_) => {}
        }
        if let (Some(kind), Some(who), Some(by_when)) = (row.kind, row.who, row.by_when) {
            actions.push(PlanAction {
                kind,
                what: row.what.clone(),
                who,
                provider: if who == ActionOwner::Provider {
                    row.provider.trim().to_owned()
                } else {
                    String::new()
                },
                by_when,
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Objective {
        id,
        description: draft.description.clone(),
        needs: draft.needs.clone(),
        risks: draft.risks.clone(),
        actions,
        progress: Progress::NotStarted,
        progress_note: LongText::default(),
    })
}

/// Checks the person's view: agreeing needs their own words, not agreeing needs the reason.
pub fn check_persons_view(view: &PersonsView) -> Result<(), Vec<PlanProblem>> {
    let mut problems = Vec::new();
    match view.agreement {
        Some(Agreement::Agrees) if view.words.is_empty() => {
            problems.push(PlanProblem::AgreementWithoutWords)
        }
        Some(Agreement::Disagrees) if view.disagreement_reason.is_empty() => {
            problems.push(PlanProblem::NoDisagreementReason)
        }
        None if !view.words.is_empty() => problems.push(PlanProblem::AgreementUnanswered),
        _ => {}
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A plan that may be submitted, and what happens next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Submitted {
    /// Active, or awaiting a senior officer's countersignature.
    pub status: PlanStatus,
    pub needs_countersignature: bool,
}

/// Submits a plan: it needs at least one objective, each with an action. A plan for a case whose
/// RoSH level (from the assessment in force) is high or very high waits for a countersignature;
/// any other becomes active. The person's words are not required to submit — a plan must be in
/// place even when the person will not engage — but the planning indicator reports their absence.
pub fn submit(
    content: &PlanContent,
    rosh_level: Option<RoshLevel>,
) -> Result<Submitted, Vec<PlanProblem>> {
    let mut problems = Vec::new();
    if content.objectives.is_empty() {
        problems.push(PlanProblem::NoObjectives);
    }
    for (index, objective) in content.objectives.iter().enumerate() {
        if objective.actions.is_empty() {
            problems.push(PlanProblem::ObjectiveWithoutAction {
                position: index + 1,
            });
        }
    }
    if let Err(more) = check_persons_view(&content.persons_view) {
        problems.extend(more);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let needs_countersignature = rosh_level.is_some_and(RoshLevel::needs_countersignature);
    Ok(Submitted {
        status: if needs_countersignature {
            PlanStatus::AwaitingCountersignature
        } else {
            PlanStatus::Active
        },
        needs_countersignature,
    })
}

/// A countersignature is a second pair of eyes: the senior officer who wrote or submitted the
/// plan cannot countersign it.
pub fn countersign(
    author: Uuid,
    submitted_by: Option<Uuid>,
    countersigner: Uuid,
) -> Result<(), PlanProblem> {
    if countersigner == author || submitted_by == Some(countersigner) {
        Err(PlanProblem::AuthorCountersigning)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn text(t: &str) -> LongText {
        LongText::required(t).unwrap()
    }

    const START: (i32, u32, u32) = (2026, 12, 2);

    fn start() -> NaiveDate {
        date(START.0, START.1, START.2)
    }

    fn action_row(row: usize) -> ActionDraft {
        ActionDraft {
            row,
            kind: Some(ActionKind::Constructive),
            what: text("Attend the Building Better Relationships programme"),
            who: Some(ActionOwner::Person),
            provider: String::new(),
            by_when: Some(date(2027, 3, 31)),
        }
    }

    fn objective_draft() -> ObjectiveDraft {
        ObjectiveDraft {
            description: text("Manage conflict in relationships without violence"),
            needs: vec![Section::Relationships],
            risks: vec![RiskGroup::KnownAdult],
            actions: vec![
                action_row(1),
                ActionDraft {
                    row: 2,
                    ..Default::default()
                },
            ],
        }
    }

    #[test]
    fn an_objective_with_actions_who_and_dates_is_accepted_and_blank_rows_ignored() {
        let objective = check_objective(Uuid::nil(), &objective_draft(), start()).unwrap();
        assert_eq!(objective.actions.len(), 1);
        assert_eq!(objective.progress, Progress::NotStarted);
    }

    #[test]
    fn an_objective_with_no_action_is_refused_naming_the_first_action_field() {
        let mut draft = objective_draft();
        draft.actions = vec![ActionDraft {
            row: 1,
            ..Default::default()
        }];
        let problems = check_objective(Uuid::nil(), &draft, start()).unwrap_err();
        assert_eq!(problems, vec![PlanProblem::NoAction]);
        assert_eq!(problems[0].field(), "action-1-what");
        assert!(problems[0].message().starts_with("Add at least one action"));
    }

    #[test]
    fn an_action_with_no_who_or_no_by_when_is_refused_naming_its_fields() {
        let mut draft = objective_draft();
        draft.actions[0].who = None;
        draft.actions[0].by_when = None;
        let problems = check_objective(Uuid::nil(), &draft, start()).unwrap_err();
        let fields: Vec<String> = problems.iter().map(PlanProblem::field).collect();
        assert_eq!(fields, ["action-1-who", "action-1-by-day"]);
    }

    #[test]
    fn a_named_provider_must_be_named() {
        let mut draft = objective_draft();
        draft.actions[0].who = Some(ActionOwner::Provider);
        let problems = check_objective(Uuid::nil(), &draft, start()).unwrap_err();
        assert_eq!(problems, vec![PlanProblem::ActionProvider(1)]);
    }

    #[test]
    fn a_by_when_before_the_plan_started_is_refused() {
        let mut draft = objective_draft();
        draft.actions[0].by_when = Some(date(2026, 12, 1));
        let problems = check_objective(Uuid::nil(), &draft, start()).unwrap_err();
        assert_eq!(
            problems[0].message(),
            "The date for action 1 must be on or after the day the plan started, 2 December 2026"
        );
    }

    #[test]
    fn an_objective_linked_to_nothing_is_refused() {
        let mut draft = objective_draft();
        draft.needs.clear();
        draft.risks.clear();
        let problems = check_objective(Uuid::nil(), &draft, start()).unwrap_err();
        assert_eq!(problems, vec![PlanProblem::NotLinked]);
    }

    #[test]
    fn agreeing_with_no_words_is_refused_and_disagreeing_needs_the_reason() {
        let agrees = PersonsView {
            agreement: Some(Agreement::Agrees),
            ..Default::default()
        };
        assert_eq!(
            check_persons_view(&agrees).unwrap_err(),
            vec![PlanProblem::AgreementWithoutWords]
        );
        let disagrees = PersonsView {
            words: text("I don't need a course."),
            agreement: Some(Agreement::Disagrees),
            ..Default::default()
        };
        assert_eq!(
            check_persons_view(&disagrees).unwrap_err()[0].field(),
            "disagreement_reason"
        );
    }

    fn content() -> PlanContent {
        PlanContent {
            starts_on: start(),
            objectives: vec![check_objective(Uuid::nil(), &objective_draft(), start()).unwrap()],
            persons_view: PersonsView::default(),
        }
    }

    #[test]
    fn a_plan_for_a_high_rosh_case_waits_for_a_countersignature() {
        let submitted = submit(&content(), Some(RoshLevel::High)).unwrap();
        assert_eq!(submitted.status, PlanStatus::AwaitingCountersignature);
        let submitted = submit(&content(), Some(RoshLevel::Medium)).unwrap();
        assert_eq!(submitted.status, PlanStatus::Active);
        assert_eq!(submit(&content(), None).unwrap().status, PlanStatus::Active);
    }

    #[test]
    fn a_plan_without_objectives_cannot_be_submitted() {
        let mut empty = content();
        empty.objectives.clear();
        assert_eq!(
            submit(&empty, None).unwrap_err(),
            vec![PlanProblem::NoObjectives]
        );
    }

    #[test]
    fn the_author_cannot_countersign_their_own_plan() {
        let author = Uuid::from_u128(1);
        let senior = Uuid::from_u128(2);
        assert_eq!(
            countersign(author, Some(author), author),
            Err(PlanProblem::AuthorCountersigning)
        );
        assert_eq!(countersign(author, Some(author), senior), Ok(()));
    }
}
