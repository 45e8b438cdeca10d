//! The audit log's action codes in words, for the log page, its filter and its export. The codes
//! stay in the log (they are what the log is searched by); people read these. A code not listed
//! here (one added since) is still shown in words, made from the code itself.

/// Every action the log filter offers, as (code, words), by words.
const ACTIONS: &[(&str, &str)] = &[
    ("add_action", "Added an action to a quality action plan"),
    (
        "add_contact_standard",
        "Added a version of the contact standards",
    ),
    ("add_partner", "Added a partner organisation"),
    ("add_recommendation", "Added a quality recommendation"),
    ("add_reduction", "Added a workload reduction"),
    ("add_report", "Added a court or parole report"),
    ("add_user", "Added an account"),
    ("allocate_case", "Allocated a case"),
    ("arrange_appointment", "Arranged an appointment"),
    ("cancel_appointment", "Cancelled an appointment"),
    ("change_user_role", "Changed an account's role or team"),
    (
        "clear_quality_framework_setting",
        "Cleared a quality framework setting",
    ),
    ("complete_assessment", "Completed a risk assessment"),
    ("complete_report", "Completed a court or parole report"),
    ("complete_task", "Completed a task"),
    ("deactivate_user", "Deactivated an account"),
    ("delete_reduction", "Deleted a workload reduction"),
    (
        "download_check_attachment",
        "Downloaded a check's attachment",
    ),
    ("download_document", "Downloaded a document"),
    ("export_audit_log", "Exported the audit log"),
    ("export_dataset", "Exported the whole record to files"),
    ("fetch_calendar_feed", "Calendar feed fetched"),
    ("give_warning", "Gave a warning"),
    ("import_dataset", "Imported records from files"),
    ("judge_failure", "Judged a failure to comply"),
    ("not_found", "Asked for a page or record that was not found"),
    ("open_case_audit", "Opened a case quality audit"),
    ("open_document", "Opened a document"),
    ("record_predictors", "Recorded predictor scores"),
    ("open_moderation", "Opened a quality moderation"),
    ("open_page", "Opened a page"),
    ("open_recall", "Opened a recall"),
    ("outbox_send", "Sent queued emails"),
    ("partner_api", "Partner system request"),
    ("partner_view_queue", "Partner viewed their requests"),
    ("reactivate_user", "Reactivated an account"),
    ("recompute", "Recomputed scores and tiers"),
    ("record_case_audit", "Recorded a case quality audit"),
    ("record_change", "Recorded a change in circumstances"),
    (
        "record_check_response",
        "Recorded a partner's answer to a check",
    ),
    ("record_contact", "Recorded a contact"),
    ("record_court_outcome", "Recorded a court outcome"),
    ("record_moderation", "Recorded a quality moderation"),
    ("record_outcome", "Recorded an appointment outcome"),
    ("record_oversight", "Recorded management oversight"),
    ("record_panel_decision", "Recorded a panel decision"),
    ("record_quality_snapshots", "Recorded quality snapshots"),
    (
        "record_reminder_preference",
        "Recorded a reminder preference",
    ),
    ("report_breach", "Reported a breach"),
    ("request_address_checks", "Requested address checks"),
    ("request_check", "Requested a check"),
    ("reset_password", "Reset a password"),
    ("revoke_partner_token", "Revoked a partner's access token"),
    ("save_address_check", "Saved an address check"),
    ("send_warning", "Sent a warning"),
    ("set_partner_deadline", "Set a partner's answer deadline"),
    (
        "set_quality_framework_setting",
        "Changed a quality framework setting",
    ),
    ("sign_in", "Signed in"),
    ("sign_out", "Signed out"),
    ("start_address_check", "Started an address check"),
    ("upload_document", "Uploaded a document"),
    ("view_action_plan", "Viewed a quality action plan"),
    ("view_address_check", "Viewed an address check"),
    ("view_address_checks", "Viewed address checks"),
    ("view_allocation", "Viewed the allocation page"),
    ("view_appointment_outcome", "Viewed an appointment outcome"),
    ("view_assessment", "Viewed a risk assessment"),
    ("view_audit_log", "Viewed the audit log"),
    (
        "view_behind_standard",
        "Viewed cases behind their contact standard",
    ),
    ("view_breach", "Viewed a breach"),
    ("view_bulk_checks", "Viewed checks to request in bulk"),
    ("view_calendar_address", "Viewed a calendar feed address"),
    ("view_case", "Viewed a case record"),
    ("view_case_audit", "Viewed a case quality audit"),
    ("view_case_quality", "Viewed a case's quality"),
    ("view_caseload", "Viewed a caseload"),
    ("view_changes", "Viewed changes in circumstances"),
    ("view_check", "Viewed a check"),
    ("view_check_attachment", "Viewed a check's attachment"),
    ("view_contact", "Viewed a contact"),
    ("view_contact_log", "Viewed a contact log"),
    ("view_contact_standard", "Viewed a case's contact standard"),
    ("view_diary", "Viewed a diary"),
    ("view_documents", "Viewed documents"),
    ("view_enforcement", "Viewed enforcement"),
    ("view_insights", "Viewed supervisor insights"),
    ("view_oversight", "Viewed management oversight"),
    ("view_ovp", "Viewed how OVP was worked out"),
    ("view_own_allocations", "Viewed the cases they allocated"),
    ("view_panel_decisions", "Viewed panel decisions"),
    ("view_partner_statistics", "Viewed partner statistics"),
    ("view_predictors", "Viewed recorded predictors"),
    ("view_quality_cases", "Viewed quality cases"),
    ("view_quality_rating", "Viewed a quality rating"),
    ("view_quality_report", "Viewed a quality report"),
    ("view_quality_units", "Viewed quality by unit"),
    ("view_recall", "Viewed a recall"),
    ("view_reminders", "Viewed reminders"),
    ("view_risk", "Viewed a risk page"),
    ("view_sample", "Viewed a quality sample"),
    ("view_samples", "Viewed quality samples"),
    ("view_sensitive_contact", "Viewed a sensitive contact"),
    ("view_staff_workload", "Viewed a practitioner's workload"),
    ("view_tasks", "Viewed tasks"),
    ("view_team_caseload", "Viewed a team's caseload"),
    ("view_team_diary", "Viewed a team diary"),
    (
        "view_team_without_outcome",
        "Viewed a team's appointments without outcome",
    ),
    ("view_tier", "Viewed a tier"),
    ("view_transfer", "Viewed moving cases"),
    ("verify_audit_log", "Checked the audit log's chain"),
    ("view_user", "Viewed an account"),
    ("view_users", "Viewed the list of accounts"),
    (
        "view_without_outcome",
        "Viewed appointments without outcome",
    ),
    ("view_workload", "Viewed workload"),
];

/// An action code in words: "view_case" is "Viewed a case record".
pub fn words(code: &str) -> String {
    match ACTIONS.iter().find(|(known, _)| *known == code) {
        Some((_, words)) => (*words).to_owned(),
        None => {
            let spaced = code.replace('_', " ");
            let mut chars = spaced.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        }
    }
}

/// The refusal codes audit details carry (`domain::access::Refusal::code`), in words.
const REFUSALS: &[(&str, &str)] = &[
    ("case_outside_team", "the case is held by another team"),
    ("outside_pdu", "outside their probation delivery unit"),
    ("outside_region", "outside their region"),
    ("grade_not_permitted", "their role does not allow it"),
];

/// An audit row's detail as people read it: refusal codes in it become words ("GET /audit
/// (grade_not_permitted)" is "GET /audit (their role does not allow it)").
pub fn detail_words(detail: &str) -> String {
    // A detail that is only an outcome code ("signed_in", "wrong_password") reads as words.
    let bare_code = detail.contains('_')
        && detail
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if bare_code && !REFUSALS.iter().any(|(code, _)| *code == detail) {
        return words(detail);
    }
    REFUSALS
        .iter()
        .fold(detail.to_owned(), |text, (code, words)| {
            text.replace(code, words)
        })
}

/// Whether the filter offers this code.
pub fn is_known(code: &str) -> bool {
    ACTIONS.iter().any(|(known, _)| *known == code)
}

/// Every action the filter offers, as (code, words), in the order of the words.
pub fn all() -> Vec<(&'static str, &'static str)> {
    let mut all = ACTIONS.to_vec();
    all.sort_by_key(|(_, words)| *words);
    all
}

/// The kinds of processing the Data Protection Act 2018, section 62, requires a log of, and a
/// kind for the rest (signing in and out, pages and records not found).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Collection,
    Alteration,
    Consultation,
    Disclosure,
    Combination,
    Erasure,
    Access,
}

impl Operation {
    pub const ALL: [Operation; 7] = [
        Operation::Collection,
        Operation::Alteration,
        Operation::Consultation,
        Operation::Disclosure,
        Operation::Combination,
        Operation::Erasure,
        Operation::Access,
    ];

    /// The value the filter's query carries.
    pub fn code(self) -> &'static str {
        match self {
            Operation::Collection => "collection",
            Operation::Alteration => "alteration",
            Operation::Consultation => "consultation",
            Operation::Disclosure => "disclosure",
            Operation::Combination => "combination",
            Operation::Erasure => "erasure",
            Operation::Access => "access",
        }
    }

    pub fn parse(code: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.code() == code)
    }

    /// In words, for the filter and the log.
    pub fn words(self) -> &'static str {
        match self {
            Operation::Collection => "Collection (records added)",
            Operation::Alteration => "Alteration (records changed)",
            Operation::Consultation => "Consultation (records viewed)",
            Operation::Disclosure => {
                "Disclosure (sent to partners, downloaded, exported or printed)"
            }
            Operation::Combination => "Combination (searches, imports and recalculations)",
            Operation::Erasure => "Erasure (records deleted)",
            Operation::Access => "Signing in and out, and pages not found",
        }
    }
}

/// Actions whose kind their code's first word would not give.
const OPERATIONS: &[(&str, Operation)] = &[
    ("download_check_attachment", Operation::Disclosure),
    ("download_document", Operation::Disclosure),
    ("export_audit_log", Operation::Disclosure),
    ("fetch_calendar_feed", Operation::Disclosure),
    ("partner_api", Operation::Disclosure),
    ("partner_view_queue", Operation::Disclosure),
    ("request_check", Operation::Disclosure),
    ("request_address_checks", Operation::Disclosure),
    ("send_checks_again", Operation::Disclosure),
    ("outbox_send", Operation::Disclosure),
    ("send_warning", Operation::Disclosure),
    ("search_cases", Operation::Combination),
    ("import_court_list", Operation::Combination),
    ("import_dataset", Operation::Combination),
    ("recompute", Operation::Combination),
    ("record_quality_snapshots", Operation::Combination),
    ("reduction_deleted", Operation::Erasure),
    ("report_breach", Operation::Collection),
    ("give_warning", Operation::Collection),
    ("judge_failure", Operation::Collection),
    ("open_recall", Operation::Collection),
    ("open_case_audit", Operation::Collection),
    ("open_moderation", Operation::Collection),
    ("open_document", Operation::Consultation),
    ("open_action_form", Operation::Consultation),
    ("open_action_status", Operation::Consultation),
    ("verify_audit_log", Operation::Consultation),
    ("sign_in", Operation::Access),
    ("sign_out", Operation::Access),
    ("not_found", Operation::Access),
    ("open_page", Operation::Access),
];

/// The kind an action's code gives by its first word ("view_…" is consultation).
const PREFIXES: &[(&str, Operation)] = &[
    ("view_", Operation::Consultation),
    ("add_", Operation::Collection),
    ("record_", Operation::Collection),
    ("start_", Operation::Collection),
    ("upload_", Operation::Collection),
    ("arrange_", Operation::Collection),
    ("create_", Operation::Collection),
    ("change_", Operation::Alteration),
    ("save_", Operation::Alteration),
    ("edit_", Operation::Alteration),
    ("set_", Operation::Alteration),
    ("clear_", Operation::Alteration),
    ("complete_", Operation::Alteration),
    ("end_", Operation::Alteration),
    ("cancel_", Operation::Alteration),
    ("correct_", Operation::Alteration),
    ("review_", Operation::Alteration),
    ("approve_", Operation::Alteration),
    ("countersign_", Operation::Alteration),
    ("submit_", Operation::Alteration),
    ("transfer_", Operation::Alteration),
    ("allocate_", Operation::Alteration),
    ("reset_", Operation::Alteration),
    ("deactivate_", Operation::Alteration),
    ("reactivate_", Operation::Alteration),
    ("revoke_", Operation::Alteration),
    ("withdraw_", Operation::Alteration),
    ("report_", Operation::Alteration),
    ("delete_", Operation::Erasure),
    ("remove_", Operation::Erasure),
    ("export_", Operation::Disclosure),
    ("download_", Operation::Disclosure),
    ("print_", Operation::Disclosure),
    ("send_", Operation::Disclosure),
    ("import_", Operation::Combination),
    ("search_", Operation::Combination),
];

/// The kind of processing an action is, under section 62; `None` for a code no rule covers.
pub fn operation(code: &str) -> Option<Operation> {
    OPERATIONS
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, operation)| *operation)
        .or_else(|| {
            PREFIXES
                .iter()
                .find(|(prefix, _)| code.starts_with(prefix))
                .map(|(_, operation)| *operation)
        })
}

/// Which action codes are of `kind`, as the storage filter takes them: the codes listed for it,
/// and codes starting with its first words that are not listed for another kind.
pub fn operation_match(kind: Operation) -> keepsafe_storage::audit::ActionMatch {
    keepsafe_storage::audit::ActionMatch {
        codes: OPERATIONS
            .iter()
            .filter(|(_, operation)| *operation == kind)
            .map(|(code, _)| (*code).to_owned())
            .collect(),
        prefixes: PREFIXES
            .iter()
            .filter(|(_, operation)| *operation == kind)
            .map(|(prefix, _)| (*prefix).to_owned())
            .collect(),
        except: OPERATIONS
            .iter()
            .filter(|(_, operation)| *operation != kind)
            .map(|(code, _)| (*code).to_owned())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_read_as_words_and_unknown_ones_lose_their_underscores() {
        assert_eq!(words("view_case"), "Viewed a case record");
        assert_eq!(words("rebuild_index_now"), "Rebuild index now");
        assert!(is_known("sign_in"));
        assert!(!is_known("rebuild_index_now"));
    }

    #[test]
    fn every_action_keepsafe_logs_is_of_a_section_62_kind() {
        for (code, _) in ACTIONS {
            assert!(operation(code).is_some(), "{code} has no kind");
        }
        assert_eq!(operation("view_case"), Some(Operation::Consultation));
        assert_eq!(operation("add_victim"), Some(Operation::Collection));
        assert_eq!(operation("change_victim"), Some(Operation::Alteration));
        assert_eq!(operation("delete_reduction"), Some(Operation::Erasure));
        assert_eq!(operation("export_audit_log"), Some(Operation::Disclosure));
        assert_eq!(operation("partner_api"), Some(Operation::Disclosure));
        assert_eq!(operation("print_licence"), Some(Operation::Disclosure));
        assert_eq!(operation("search_cases"), Some(Operation::Combination));
        assert_eq!(operation("sign_in"), Some(Operation::Access));
        assert_eq!(
            operation("record_quality_snapshots"),
            Some(Operation::Combination)
        );
    }

    #[test]
    fn a_detail_that_is_only_a_code_reads_as_words() {
        assert_eq!(detail_words("signed_in"), "Signed in");
        assert_eq!(detail_words("3 cases listed"), "3 cases listed");
    }

    #[test]
    fn refusal_codes_in_details_read_as_words() {
        assert_eq!(
            detail_words("GET /audit (grade_not_permitted)"),
            "GET /audit (their role does not allow it)"
        );
        assert_eq!(
            detail_words("case_outside_team"),
            "the case is held by another team"
        );
        assert_eq!(detail_words("viewed the record"), "viewed the record");
    }

    #[test]
    fn each_code_is_listed_once() {
        let mut codes: Vec<_> = ACTIONS.iter().map(|(code, _)| *code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ACTIONS.len());
    }
}
