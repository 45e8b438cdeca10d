//! Enforcement: what follows an unacceptable failure. Community and suspended sentence orders get a
//! warning letter and then breach action (Sentencing Code, Schedule 10); licences go to "consider
//! recall", a recommendation countersigned by the senior probation officer and then the head of
//! PDU. The vocabulary here is shared by storage, the web pages and the demo.

use crate::coded_enum;

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
