//! The quality indicators of a pre-sentence report (reference §12: inspectors asked for better
//! court reports, with advice obtained before sentence). Each says whether it is met and how that
//! was worked out, so a report can be improved before it goes to court and a manager can see why.

use crate::calendar::long_date;
use chrono::NaiveDate;

/// What the indicators read about one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFacts {
    pub sources_recorded: bool,
    pub checks_analysis_recorded: bool,
    /// Both the police and children's-services responses are in.
    pub checks_answered: bool,
    pub risk_analysis_recorded: bool,
    /// A risk of serious harm assessment is in force for the case.
    pub rosh_in_force: bool,
    pub sentence_proposed: bool,
    pub justification_recorded: bool,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
}

/// One indicator: its name, whether it is met, and how that was worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub name: &'static str,
    pub met: bool,
    pub how: String,
}

/// The report's indicators on `today`.
pub fn indicators(facts: &ReportFacts, today: NaiveDate) -> Vec<Indicator> {
    vec![
        Indicator {
            name: "Sources of information recorded",
            met: facts.sources_recorded,
            how: "Met when the report lists the sources of information it drew on (interviews, the case record, other agencies).".into(),
        },
        Indicator {
            name: "Checks obtained and analysed",
            met: facts.checks_answered && facts.checks_analysis_recorded,
            how: format!(
                "Met when both the police domestic-abuse and the children's-services responses are in ({}) and the report says how they were considered ({}).",
                if facts.checks_answered { "they are" } else { "they are not" },
                if facts.checks_analysis_recorded { "it does" } else { "it does not" }
            ),
        },
        Indicator {
            name: "Risk of serious harm addressed",
            met: facts.risk_analysis_recorded && facts.rosh_in_force,
            how: format!(
                "Met when the report analyses the risk of serious harm ({}) and a risk of serious harm assessment is in force for the case ({}).",
                if facts.risk_analysis_recorded { "it does" } else { "it does not" },
                if facts.rosh_in_force { "one is" } else { "none is" }
            ),
        },
        Indicator {
            name: "Proposal justified",
            met: facts.sentence_proposed && facts.justification_recorded,
            how: "Met when the report proposes a sentence and says why it fits the offence, the risks and the needs.".into(),
        },
        timeliness(facts, today),
    ]
}

fn timeliness(facts: &ReportFacts, today: NaiveDate) -> Indicator {
    let due = long_date(facts.due_on);
    let (met, how) = match facts.completed_on {
        Some(on) if on <= facts.due_on => (
            true,
            format!(
                "Submitted on {}, on or before its due date, {due}.",
                long_date(on)
            ),
        ),
        Some(on) => (
            false,
            format!("Submitted on {}, after its due date, {due}.", long_date(on)),
        ),
        None if today <= facts.due_on => (true, format!("Not yet submitted; due by {due}.")),
        None => (
            false,
            format!("Not yet submitted and overdue: it was due by {due}."),
        ),
    };
    Indicator {
        name: "Submitted on time",
        met,
        how,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn full() -> ReportFacts {
        ReportFacts {
            sources_recorded: true,
            checks_analysis_recorded: true,
            checks_answered: true,
            risk_analysis_recorded: true,
            rosh_in_force: true,
            sentence_proposed: true,
            justification_recorded: true,
            due_on: date(2026, 12, 9),
            completed_on: Some(date(2026, 12, 8)),
        }
    }

    #[test]
    fn a_complete_report_submitted_on_time_meets_every_indicator() {
        assert!(indicators(&full(), date(2026, 12, 10))
            .iter()
            .all(|i| i.met));
    }

    #[test]
    fn checks_not_answered_are_not_analysed_whatever_the_report_says() {
        let facts = ReportFacts {
            checks_answered: false,
            ..full()
        };
        let found = indicators(&facts, date(2026, 12, 10));
        let checks = found
            .iter()
            .find(|i| i.name == "Checks obtained and analysed")
            .unwrap();
        assert!(!checks.met);
        assert!(checks.how.contains("they are not"));
    }

    #[test]
    fn a_report_past_its_due_date_and_not_submitted_is_late() {
        let facts = ReportFacts {
            completed_on: None,
            ..full()
        };
        let late = indicators(&facts, date(2026, 12, 10));
        assert!(!late.last().unwrap().met);
        assert!(late.last().unwrap().how.contains("9 December 2026"));
        let on_time = indicators(&facts, date(2026, 12, 9));
        assert!(on_time.last().unwrap().met);
    }
}
