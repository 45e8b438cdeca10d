//! The pre-sentence report's vocabularies: its type, where it stands, and what became of a request
//! to adjourn for the information it needs.

use crate::coded_enum;

coded_enum! {
    /// The kind of pre-sentence report the court asked for.
    pub enum ReportType ("report type") {
        Oral => "oral", "Oral report",
        ShortFormat => "short_format", "Short-format report",
        Standard => "standard", "Standard report",
    }
}

coded_enum! {
    /// A report is written as a draft and completed when it is submitted to the court.
    pub enum ReportStatus ("report status") {
        Draft => "draft", "Draft",
        Completed => "completed", "Submitted to court",
    }
}

coded_enum! {
    /// What the court decided about a request to adjourn (reference §4: when the checks' results
    /// are not back, the officer may ask the court for an adjournment).
    pub enum AdjournmentOutcome ("adjournment outcome") {
        Granted => "granted", "Adjournment granted",
        Refused => "refused", "Adjournment refused",
    }
}
