//! The one Diesel schema both backends share. Written by hand to match the migrations in
//! `migrations/sqlite` and `migrations/postgres`; the conformance suite proves they agree.

diesel::table! {
    regions (id) {
        id -> Text,
        code -> Text,
        name -> Text,
    }
}

diesel::table! {
    pdus (id) {
        id -> Text,
        region_id -> Text,
        code -> Text,
        name -> Text,
    }
}

diesel::table! {
    teams (id) {
        id -> Text,
        pdu_id -> Text,
        code -> Text,
        name -> Text,
    }
}

diesel::table! {
    staff (id) {
        id -> Text,
        first_name -> Text,
        last_name -> Text,
        grade -> Text,
        contracted_hours -> Double,
        region_id -> Text,
        pdu_id -> Nullable<Text>,
        team_id -> Nullable<Text>,
        username -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        active -> Bool,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        partner_organisation_id -> Nullable<Text>,
        partner_role -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        staff_id -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    sign_in_attempts (id) {
        id -> BigInt,
        username -> Text,
        client_address -> Text,
        succeeded -> Bool,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    people (id) {
        id -> Text,
        crn -> Text,
        first_name -> Text,
        last_name -> Text,
        date_of_birth -> Date,
        sex -> Text,
        pdu_id -> Text,
        created_at -> Timestamp,
        age_at_first_sanction -> Nullable<Integer>,
        preferred_name -> Nullable<Text>,
        gender -> Nullable<Text>,
        gender_self_description -> Nullable<Text>,
        telephone -> Nullable<Text>,
        mobile -> Nullable<Text>,
        email -> Nullable<Text>,
        preferred_language -> Nullable<Text>,
        interpreter_needed -> Bool,
    }
}

diesel::table! {
    addresses (id) {
        id -> Text,
        person_id -> Text,
        line1 -> Text,
        line2 -> Nullable<Text>,
        town -> Text,
        postcode -> Text,
        status -> Text,
        start_date -> Date,
        end_date -> Nullable<Date>,
    }
}

diesel::table! {
    household_members (id) {
        id -> Text,
        person_id -> Text,
        first_name -> Text,
        last_name -> Text,
        relationship -> Text,
        date_of_birth -> Nullable<Date>,
        start_date -> Date,
        end_date -> Nullable<Date>,
    }
}

diesel::table! {
    events (id) {
        id -> Text,
        person_id -> Text,
        event_number -> Integer,
        offence_description -> Text,
        offence_category -> Text,
        offence_date -> Date,
        conviction_date -> Date,
        court -> Text,
        sentence_type -> Text,
        case_type -> Text,
        sentence_date -> Nullable<Date>,
        sentence_length_months -> Nullable<Integer>,
        release_date -> Nullable<Date>,
        expected_end_date -> Nullable<Date>,
        active -> Bool,
        sanctions_before -> Nullable<Integer>,
    }
}

diesel::table! {
    requirements (id) {
        id -> Text,
        event_id -> Text,
        kind -> Text,
        length -> Nullable<Integer>,
        detail -> Nullable<Text>,
        start_date -> Date,
        end_date -> Nullable<Date>,
        active -> Bool,
    }
}

diesel::table! {
    registrations (id) {
        id -> Text,
        person_id -> Text,
        kind -> Text,
        mappa_category -> Nullable<Text>,
        mappa_level -> Nullable<Text>,
        registered_on -> Date,
        next_review_on -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        notes -> Text,
        registered_by -> Nullable<Text>,
        end_reason -> Nullable<Text>,
        ended_by -> Nullable<Text>,
    }
}

diesel::table! {
    contacts (id) {
        id -> Text,
        person_id -> Text,
        event_id -> Nullable<Text>,
        contact_type -> Text,
        starts_at -> Timestamp,
        location -> Text,
        outcome -> Nullable<Text>,
        notes -> Text,
        staff_id -> Nullable<Text>,
        requirement_id -> Nullable<Text>,
        ends_at -> Nullable<Timestamp>,
        location_kind -> Text,
        sensitive -> Bool,
        enforceable -> Bool,
        status -> Text,
        series_id -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Nullable<Timestamp>,
        outcome_recorded_by -> Nullable<Text>,
        outcome_recorded_at -> Nullable<Timestamp>,
        late_reason -> Nullable<Text>,
        judgement -> Nullable<Text>,
        judgement_reason -> Nullable<Text>,
        judgement_evidence -> Nullable<Text>,
        evidence_due_on -> Nullable<Date>,
        judged_by -> Nullable<Text>,
        judged_at -> Nullable<Timestamp>,
        reschedule_requested_by -> Nullable<Text>,
        change_reason -> Nullable<Text>,
        rescheduled_to -> Nullable<Text>,
        changed_by -> Nullable<Text>,
        changed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    allocations (id) {
        id -> Text,
        person_id -> Text,
        staff_id -> Text,
        team_id -> Text,
        start_date -> Date,
        end_date -> Nullable<Date>,
        reason -> Text,
        allocated_by -> Nullable<Text>,
        override_reason -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        staff_id -> Nullable<Text>,
        actor -> Text,
        action -> Text,
        outcome -> Text,
        person_id -> Nullable<Text>,
        crn -> Nullable<Text>,
        detail -> Text,
        chain_position -> Nullable<BigInt>,
        previous_hash -> Nullable<Text>,
        row_hash -> Nullable<Text>,
    }
}

diesel::table! {
    check_requests (id) {
        id -> Text,
        person_id -> Text,
        kind -> Text,
        address_id -> Nullable<Text>,
        address_description -> Text,
        requested_on -> Date,
        deadline -> Date,
        deadline_rule -> Text,
        requested_by -> Text,
        response_received_on -> Nullable<Date>,
        response_known_to_agency -> Nullable<Bool>,
        response_summary -> Nullable<Text>,
        response_recorded_by -> Nullable<Text>,
        authorised_without_by -> Nullable<Text>,
        authorised_without_on -> Nullable<Date>,
        authorised_without_reason -> Nullable<Text>,
        created_at -> Timestamp,
        partner_organisation_id -> Nullable<Text>,
        status -> Nullable<Text>,
        acknowledged_on -> Nullable<Date>,
        closed_on -> Nullable<Date>,
        decline_reason -> Nullable<Text>,
        close_detail -> Nullable<Text>,
        response_risk_notes -> Nullable<Text>,
        responded_by -> Nullable<Text>,
    }
}

diesel::table! {
    rosh_assessments (id) {
        id -> Text,
        person_id -> Text,
        status -> Text,
        version -> Integer,
        case_type -> Text,
        nature_of_harm -> Text,
        who_is_at_risk -> Text,
        imminence -> Text,
        increasing_factors -> Text,
        reducing_factors -> Text,
        case_level -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
        completed_by -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
        countersigned_by -> Nullable<Text>,
        countersigned_at -> Nullable<Timestamp>,
        superseded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rosh_levels (assessment_id, risk_group) {
        assessment_id -> Text,
        risk_group -> Text,
        level -> Text,
    }
}

diesel::table! {
    rosh_considerations (assessment_id, subject_id) {
        assessment_id -> Text,
        subject_id -> Text,
        note -> Text,
    }
}

diesel::table! {
    rosh_check_references (assessment_id, check_id) {
        assessment_id -> Text,
        check_id -> Text,
        note -> Text,
    }
}

diesel::table! {
    review_tasks (id) {
        id -> Text,
        person_id -> Text,
        trigger_kind -> Text,
        occurred_on -> Date,
        details -> Text,
        due_on -> Date,
        rule_version -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        completed_on -> Nullable<Date>,
        completed_by_assessment -> Nullable<Text>,
    }
}

diesel::table! {
    predictor_scores (event_id, predictor) {
        event_id -> Text,
        predictor -> Text,
        person_id -> Text,
        one_year -> Nullable<Integer>,
        two_year -> Nullable<Integer>,
        band -> Nullable<Text>,
        inputs -> Text,
        explanation -> Text,
        error -> Nullable<Text>,
        rule_version -> Text,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    tier_results (person_id) {
        person_id -> Text,
        legacy_tier -> Text,
        protect_points -> Integer,
        change_points -> Nullable<Integer>,
        single_tier -> Nullable<Text>,
        single_status -> Text,
        single_provisional -> Bool,
        explanation -> Text,
        rule_version -> Text,
        computed_at -> Timestamp,
    }
}

diesel::joinable!(pdus -> regions (region_id));
diesel::joinable!(check_requests -> people (person_id));
diesel::joinable!(rosh_assessments -> people (person_id));
diesel::joinable!(rosh_levels -> rosh_assessments (assessment_id));
diesel::joinable!(review_tasks -> people (person_id));
diesel::joinable!(predictor_scores -> events (event_id));
diesel::joinable!(tier_results -> people (person_id));
diesel::joinable!(teams -> pdus (pdu_id));
diesel::joinable!(people -> pdus (pdu_id));
diesel::joinable!(addresses -> people (person_id));
diesel::joinable!(household_members -> people (person_id));
diesel::joinable!(events -> people (person_id));
diesel::joinable!(requirements -> events (event_id));
diesel::joinable!(registrations -> people (person_id));
diesel::joinable!(contacts -> people (person_id));
diesel::joinable!(allocations -> people (person_id));
diesel::joinable!(allocations -> teams (team_id));
diesel::joinable!(sessions -> staff (staff_id));

diesel::allow_tables_to_appear_in_same_query!(
    regions,
    pdus,
    teams,
    staff,
    sessions,
    sign_in_attempts,
    people,
    addresses,
    household_members,
    events,
    requirements,
    registrations,
    contacts,
    allocations,
    audit_log,
    check_requests,
    rosh_assessments,
    rosh_levels,
    rosh_considerations,
    rosh_check_references,
    review_tasks,
    predictor_scores,
    tier_results,
);

// Workload measurement (migration 2026-11-22-000003_workload). Appended after the list above, so
// the new tables are paired with the tables they are queried with one pair at a time.

diesel::table! {
    staff_reductions (id) {
        id -> Text,
        staff_id -> Text,
        kind -> Text,
        hours -> Double,
        from_date -> Date,
        to_date -> Nullable<Date>,
        reason -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    workload_snapshots (staff_id, week_start) {
        staff_id -> Text,
        week_start -> Date,
        total_points -> Integer,
        available_points -> Integer,
        percent -> Nullable<Double>,
        cases -> Integer,
        weights_version -> Text,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    court_reports (id) {
        id -> Text,
        person_id -> Text,
        staff_id -> Text,
        kind -> Text,
        requested_on -> Date,
        due_on -> Date,
        completed_on -> Nullable<Date>,
    }
}

diesel::joinable!(court_reports -> people (person_id));
diesel::allow_tables_to_appear_in_same_query!(court_reports, people);
diesel::allow_tables_to_appear_in_same_query!(staff_reductions, staff);
diesel::allow_tables_to_appear_in_same_query!(workload_snapshots, staff);

// Allocation (migration 2026-11-22-000004_allocation_tasks): the tasks allocating a case creates
// for its practitioner. `allocations` gained `allocated_by` and `override_reason` above.

diesel::table! {
    practitioner_tasks (id) {
        id -> Text,
        staff_id -> Text,
        person_id -> Text,
        kind -> Text,
        title -> Text,
        due_on -> Date,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        completed_on -> Nullable<Date>,
        completed_by -> Nullable<Text>,
    }
}

diesel::joinable!(practitioner_tasks -> people (person_id));
diesel::allow_tables_to_appear_in_same_query!(practitioner_tasks, people);
diesel::allow_tables_to_appear_in_same_query!(practitioner_tasks, staff);

// Partner exchange (migration 2026-12-02-000006_partner_exchange).

diesel::table! {
    partner_organisations (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        kind -> Text,
        region_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    partner_api_tokens (id) {
        id -> Text,
        organisation_id -> Text,
        name -> Text,
        token_hash -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    check_response_incidents (check_id, position) {
        check_id -> Text,
        position -> Integer,
        occurred_on -> Date,
        kind -> Text,
        summary -> Text,
    }
}

diesel::table! {
    check_response_involvement (check_id, involvement) {
        check_id -> Text,
        involvement -> Text,
    }
}

diesel::table! {
    partner_idempotency (token_id, idempotency_key) {
        token_id -> Text,
        idempotency_key -> Text,
        request_fingerprint -> Text,
        status -> Integer,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    partner_organisations,
    partner_api_tokens,
    check_response_incidents,
    check_response_involvement
);
diesel::allow_tables_to_appear_in_same_query!(partner_organisations, check_requests);
diesel::allow_tables_to_appear_in_same_query!(partner_organisations, people);
diesel::allow_tables_to_appear_in_same_query!(partner_organisations, staff);
diesel::allow_tables_to_appear_in_same_query!(partner_organisations, regions);
diesel::allow_tables_to_appear_in_same_query!(partner_api_tokens, staff);
diesel::allow_tables_to_appear_in_same_query!(check_response_incidents, check_requests);
diesel::allow_tables_to_appear_in_same_query!(check_response_involvement, check_requests);

// Partner reminders (migration 2026-12-02-000007_partner_reminders).

diesel::table! {
    partner_reminders (check_id, reminder_key) {
        check_id -> Text,
        reminder_key -> Text,
        audience -> Text,
        scheduled_for -> Date,
        recorded_at -> Timestamp,
        explanation -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(partner_reminders, check_requests);

// Address suitability checks (migration 2026-12-02-000008_address_checks).

diesel::table! {
    address_checks (id) {
        id -> Text,
        person_id -> Text,
        address_id -> Text,
        purpose -> Text,
        person_is_occupier -> Nullable<Bool>,
        main_occupier -> Nullable<Text>,
        occupier_consent -> Nullable<Text>,
        consent_confirmed_on -> Nullable<Date>,
        cautioned_against_resident -> Nullable<Bool>,
        electricity_supply -> Nullable<Bool>,
        home_visit_on -> Nullable<Date>,
        victim_at_or_near -> Bool,
        victim_liaison_on -> Nullable<Date>,
        victim_liaison_note -> Nullable<Text>,
        risk_note_on -> Nullable<Date>,
        risk_note -> Nullable<Text>,
        judgement -> Nullable<Text>,
        judgement_note -> Nullable<Text>,
        unsuitability_reason -> Nullable<Text>,
        approved_by -> Nullable<Text>,
        approved_on -> Nullable<Date>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    address_check_residents (check_id, position) {
        check_id -> Text,
        position -> Integer,
        name -> Text,
        relationship -> Text,
        date_of_birth -> Nullable<Date>,
        age_years -> Nullable<Integer>,
        sex -> Nullable<Text>,
    }
}

diesel::table! {
    address_check_references (check_id, request_id) {
        check_id -> Text,
        request_id -> Text,
        note -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(address_checks, addresses);

// Partner answer attachments and per-partner deadlines (migration 2026-12-02-000009).

diesel::table! {
    check_response_attachments (check_id, position) {
        check_id -> Text,
        position -> Integer,
        file_name -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        content -> Binary,
    }
}

diesel::table! {
    partner_deadline_overrides (organisation_id, request_type) {
        organisation_id -> Text,
        request_type -> Text,
        working_days -> Integer,
        reason -> Text,
        set_by -> Text,
        set_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(check_response_attachments, check_requests);
diesel::allow_tables_to_appear_in_same_query!(partner_deadline_overrides, partner_organisations);
diesel::joinable!(check_response_attachments -> check_requests (check_id));

// Quality assurance (migration 2026-12-02-000010).

diesel::table! {
    management_oversight (id) {
        id -> Text,
        person_id -> Text,
        kind -> Text,
        recorded_on -> Date,
        note -> Text,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    quality_samples (id) {
        id -> Text,
        framework -> Text,
        pdu_id -> Text,
        seed -> Text,
        requested -> Integer,
        rule_version -> Text,
        explanation -> Text,
        drawn_by -> Text,
        drawn_at -> Timestamp,
    }
}

diesel::table! {
    quality_sample_cases (sample_id, position) {
        sample_id -> Text,
        position -> Integer,
        person_id -> Text,
        stratum -> Text,
    }
}

diesel::table! {
    quality_audits (id) {
        id -> Text,
        framework -> Text,
        person_id -> Text,
        team_id -> Nullable<Text>,
        pdu_id -> Text,
        sample_id -> Nullable<Text>,
        moderates -> Nullable<Text>,
        audited_on -> Date,
        auditor_id -> Text,
        auditor_name -> Text,
        entered_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    quality_audit_answers (audit_id, question) {
        audit_id -> Text,
        question -> Text,
        answer -> Text,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    quality_judgements (id) {
        id -> Text,
        framework -> Text,
        scope_kind -> Text,
        scope_id -> Text,
        standard -> Text,
        kind -> Text,
        rating -> Text,
        reason -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    quality_recommendations (id) {
        id -> Text,
        scope_kind -> Text,
        scope_id -> Text,
        framework -> Text,
        standard -> Nullable<Text>,
        text -> Text,
        made_by -> Text,
        made_on -> Date,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    quality_actions (id) {
        id -> Text,
        recommendation_id -> Text,
        description -> Text,
        owner -> Text,
        due_on -> Date,
        status -> Text,
        dropped_reason -> Nullable<Text>,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(quality_audit_answers -> quality_audits (audit_id));
diesel::joinable!(quality_sample_cases -> quality_samples (sample_id));
diesel::joinable!(quality_actions -> quality_recommendations (recommendation_id));
diesel::allow_tables_to_appear_in_same_query!(quality_audit_answers, quality_audits);
diesel::allow_tables_to_appear_in_same_query!(quality_sample_cases, quality_samples);
diesel::allow_tables_to_appear_in_same_query!(quality_actions, quality_recommendations);
diesel::allow_tables_to_appear_in_same_query!(quality_audits, people);
diesel::allow_tables_to_appear_in_same_query!(quality_sample_cases, people);
diesel::allow_tables_to_appear_in_same_query!(management_oversight, staff);

// A deployment's own thresholds and bands (migration 2026-12-02-000011).

diesel::table! {
    quality_framework_settings (framework) {
        framework -> Text,
        outstanding_from -> Nullable<Integer>,
        good_from -> Nullable<Integer>,
        requires_improvement_from -> Nullable<Integer>,
        bands -> Nullable<Text>,
        reason -> Text,
        set_by -> Text,
        set_at -> Timestamp,
    }
}

// Weekly automated ratings (migration 2026-12-02-000012).

diesel::table! {
    quality_snapshots (scope_kind, scope_id, framework, week_start, question) {
        scope_kind -> Text,
        scope_id -> Text,
        framework -> Text,
        week_start -> Date,
        question -> Text,
        yes -> Integer,
        applicable -> Integer,
        cases -> Integer,
        measured_on -> Date,
    }
}

// Stored automated quality indicators and the queue of changed cases (migration
// 2026-12-06-000016_quality_aggregates).

diesel::table! {
    quality_case_indicators (person_id) {
        person_id -> Text,
        crn -> Text,
        team_id -> Nullable<Text>,
        pdu_id -> Text,
        region_id -> Text,
        results -> Text,
        computed_on -> Date,
        rule_version -> Text,
    }
}

diesel::table! {
    quality_dirty_cases (person_id) {
        person_id -> Text,
        marked -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(quality_case_indicators, people);
diesel::allow_tables_to_appear_in_same_query!(quality_case_indicators, teams);
diesel::allow_tables_to_appear_in_same_query!(quality_case_indicators, quality_dirty_cases);

// Supervision in practice (migration 2026-12-06-000013_supervision).

diesel::table! {
    case_documents (id) {
        id -> Text,
        person_id -> Text,
        kind -> Text,
        title -> Text,
        body -> Nullable<Text>,
        file_name -> Nullable<Text>,
        media_type -> Nullable<Text>,
        size_bytes -> Nullable<BigInt>,
        sha256 -> Nullable<Text>,
        content -> Nullable<Binary>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    enforcement_warnings (id) {
        id -> Text,
        person_id -> Text,
        event_id -> Nullable<Text>,
        contact_id -> Text,
        status -> Text,
        due_on -> Date,
        sent_on -> Nullable<Date>,
        sent_by -> Nullable<Text>,
        document_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    breach_actions (id) {
        id -> Text,
        person_id -> Text,
        event_id -> Nullable<Text>,
        contact_id -> Text,
        status -> Text,
        opened_on -> Date,
        due_on -> Date,
        proposal -> Nullable<Text>,
        report_document_id -> Nullable<Text>,
        reported_on -> Nullable<Date>,
        court_outcome -> Nullable<Text>,
        court_outcome_on -> Nullable<Date>,
        court_outcome_notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_by -> Nullable<Text>,
    }
}

diesel::table! {
    recalls (id) {
        id -> Text,
        person_id -> Text,
        event_id -> Nullable<Text>,
        contact_id -> Nullable<Text>,
        status -> Text,
        opened_on -> Date,
        opened_reason -> Text,
        reasons -> Nullable<Text>,
        alternatives_tried -> Nullable<Text>,
        current_risk -> Nullable<Text>,
        recall_type -> Nullable<Text>,
        emergency -> Bool,
        recommended_by -> Nullable<Text>,
        recommended_at -> Nullable<Timestamp>,
        recommendation_document_id -> Nullable<Text>,
        senior_decision -> Nullable<Text>,
        senior_by -> Nullable<Text>,
        senior_at -> Nullable<Timestamp>,
        senior_reason -> Nullable<Text>,
        head_decision -> Nullable<Text>,
        head_by -> Nullable<Text>,
        head_at -> Nullable<Timestamp>,
        head_reason -> Nullable<Text>,
        recall_date -> Nullable<Date>,
        decision_document_id -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contact_standards (effective_from, rosh_level) {
        effective_from -> Date,
        rosh_level -> Text,
        early_weeks -> Integer,
        early_every_days -> Integer,
        then_every_days -> Integer,
        source -> Text,
        set_by -> Nullable<Text>,
        set_at -> Timestamp,
    }
}

diesel::table! {
    reminder_preferences (person_id) {
        person_id -> Text,
        channel -> Text,
        mobile -> Nullable<Text>,
        email -> Nullable<Text>,
        consent_on -> Nullable<Date>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        person_id -> Text,
        contact_id -> Nullable<Text>,
        channel -> Text,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        status -> Text,
        send_after -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        provider_reference -> Nullable<Text>,
        created_at -> Timestamp,
        appointment_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    calendar_feeds (token) {
        token -> Text,
        staff_id -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(case_documents -> people (person_id));
diesel::joinable!(enforcement_warnings -> people (person_id));
diesel::joinable!(breach_actions -> people (person_id));
diesel::joinable!(recalls -> people (person_id));
diesel::joinable!(reminder_preferences -> people (person_id));
diesel::joinable!(outbox -> people (person_id));
diesel::joinable!(calendar_feeds -> staff (staff_id));
diesel::allow_tables_to_appear_in_same_query!(
    case_documents,
    enforcement_warnings,
    breach_actions,
    recalls,
    reminder_preferences,
    outbox,
    calendar_feeds,
);
diesel::allow_tables_to_appear_in_same_query!(case_documents, contacts);
diesel::allow_tables_to_appear_in_same_query!(case_documents, people);
diesel::allow_tables_to_appear_in_same_query!(case_documents, staff);
diesel::allow_tables_to_appear_in_same_query!(case_documents, events);
diesel::allow_tables_to_appear_in_same_query!(case_documents, teams);
diesel::allow_tables_to_appear_in_same_query!(case_documents, allocations);
diesel::allow_tables_to_appear_in_same_query!(case_documents, requirements);
diesel::allow_tables_to_appear_in_same_query!(enforcement_warnings, contacts);
diesel::allow_tables_to_appear_in_same_query!(enforcement_warnings, people);
diesel::allow_tables_to_appear_in_same_query!(enforcement_warnings, staff);
diesel::allow_tables_to_appear_in_same_query!(enforcement_warnings, events);
diesel::allow_tables_to_appear_in_same_query!(enforcement_warnings, teams);
diesel::allow_tables_to_appear_in_same_query!(enforcement_warnings, allocations);
diesel::allow_tables_to_appear_in_same_query!(enforcement_warnings, requirements);
diesel::allow_tables_to_appear_in_same_query!(breach_actions, contacts);
diesel::allow_tables_to_appear_in_same_query!(breach_actions, people);
diesel::allow_tables_to_appear_in_same_query!(breach_actions, staff);
diesel::allow_tables_to_appear_in_same_query!(breach_actions, events);
diesel::allow_tables_to_appear_in_same_query!(breach_actions, teams);
diesel::allow_tables_to_appear_in_same_query!(breach_actions, allocations);
diesel::allow_tables_to_appear_in_same_query!(breach_actions, requirements);
diesel::allow_tables_to_appear_in_same_query!(recalls, contacts);
diesel::allow_tables_to_appear_in_same_query!(recalls, people);
diesel::allow_tables_to_appear_in_same_query!(recalls, staff);
diesel::allow_tables_to_appear_in_same_query!(recalls, events);
diesel::allow_tables_to_appear_in_same_query!(recalls, teams);
diesel::allow_tables_to_appear_in_same_query!(recalls, allocations);
diesel::allow_tables_to_appear_in_same_query!(recalls, requirements);
diesel::allow_tables_to_appear_in_same_query!(reminder_preferences, contacts);
diesel::allow_tables_to_appear_in_same_query!(reminder_preferences, people);
diesel::allow_tables_to_appear_in_same_query!(reminder_preferences, staff);
diesel::allow_tables_to_appear_in_same_query!(reminder_preferences, events);
diesel::allow_tables_to_appear_in_same_query!(reminder_preferences, teams);
diesel::allow_tables_to_appear_in_same_query!(reminder_preferences, allocations);
diesel::allow_tables_to_appear_in_same_query!(reminder_preferences, requirements);
diesel::allow_tables_to_appear_in_same_query!(outbox, contacts);
diesel::allow_tables_to_appear_in_same_query!(outbox, people);
diesel::allow_tables_to_appear_in_same_query!(outbox, staff);
diesel::allow_tables_to_appear_in_same_query!(outbox, events);
diesel::allow_tables_to_appear_in_same_query!(outbox, teams);
diesel::allow_tables_to_appear_in_same_query!(outbox, allocations);
diesel::allow_tables_to_appear_in_same_query!(outbox, requirements);
diesel::allow_tables_to_appear_in_same_query!(calendar_feeds, contacts);
diesel::allow_tables_to_appear_in_same_query!(calendar_feeds, people);
diesel::allow_tables_to_appear_in_same_query!(calendar_feeds, staff);
diesel::allow_tables_to_appear_in_same_query!(calendar_feeds, events);
diesel::allow_tables_to_appear_in_same_query!(calendar_feeds, teams);
diesel::allow_tables_to_appear_in_same_query!(calendar_feeds, allocations);
diesel::allow_tables_to_appear_in_same_query!(calendar_feeds, requirements);

diesel::table! {
    dataset_imports (fingerprint) {
        fingerprint -> Text,
        started_at -> Timestamp,
        into_empty -> Bool,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    dataset_import_files (fingerprint, file) {
        fingerprint -> Text,
        file -> Text,
        committed_line -> BigInt,
        written -> BigInt,
    }
}

// Keeping the record current (migration 2026-12-06-000017_record_details).

diesel::table! {
    person_aliases (id) {
        id -> Text,
        person_id -> Text,
        first_name -> Text,
        last_name -> Text,
        date_of_birth -> Nullable<Date>,
        created_at -> Timestamp,
        created_by -> Nullable<Text>,
        ended_on -> Nullable<Date>,
        ended_by -> Nullable<Text>,
    }
}

diesel::table! {
    person_disabilities (id) {
        id -> Text,
        person_id -> Text,
        kind -> Text,
        details -> Text,
        adjustments -> Text,
        start_date -> Date,
        end_date -> Nullable<Date>,
        created_at -> Timestamp,
        created_by -> Nullable<Text>,
        ended_by -> Nullable<Text>,
    }
}

diesel::table! {
    personal_contacts (id) {
        id -> Text,
        person_id -> Text,
        kind -> Text,
        name -> Text,
        relationship -> Text,
        telephone -> Nullable<Text>,
        email -> Nullable<Text>,
        address -> Text,
        notes -> Text,
        created_at -> Timestamp,
        created_by -> Nullable<Text>,
        updated_at -> Nullable<Timestamp>,
        ended_on -> Nullable<Date>,
        ended_by -> Nullable<Text>,
    }
}

diesel::table! {
    person_corrections (id) {
        id -> Text,
        person_id -> Text,
        field -> Text,
        before_value -> Text,
        after_value -> Text,
        reason -> Text,
        corrected_by -> Text,
        corrected_at -> Timestamp,
    }
}

diesel::table! {
    registration_reviews (id) {
        id -> Text,
        registration_id -> Text,
        reviewed_on -> Date,
        reviewed_by -> Text,
        notes -> Text,
        next_review_on -> Nullable<Date>,
        mappa_category -> Nullable<Text>,
        mappa_level -> Nullable<Text>,
        rule_version -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(person_aliases -> people (person_id));
diesel::joinable!(person_disabilities -> people (person_id));
diesel::joinable!(personal_contacts -> people (person_id));
diesel::joinable!(person_corrections -> people (person_id));
diesel::joinable!(registration_reviews -> registrations (registration_id));
diesel::allow_tables_to_appear_in_same_query!(person_aliases, people);
diesel::allow_tables_to_appear_in_same_query!(person_disabilities, people);
diesel::allow_tables_to_appear_in_same_query!(personal_contacts, people);
diesel::allow_tables_to_appear_in_same_query!(person_corrections, people);
diesel::allow_tables_to_appear_in_same_query!(person_corrections, staff);
diesel::allow_tables_to_appear_in_same_query!(registration_reviews, registrations);
diesel::allow_tables_to_appear_in_same_query!(registration_reviews, staff);

// Needs assessments (migration 2026-12-06-000021_needs_assessment).

diesel::table! {
    needs_assessments (id) {
        id -> Text,
        person_id -> Text,
        status -> Text,
        version -> Integer,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
        completed_by -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
        completed_on -> Nullable<Date>,
        valid_until -> Nullable<Date>,
        rule_version -> Nullable<Text>,
        superseded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    needs_sections (assessment_id, section) {
        assessment_id -> Text,
        section -> Text,
        evidence -> Text,
        severity -> Nullable<Text>,
        linked_to_harm -> Nullable<Bool>,
        linked_to_reoffending -> Nullable<Bool>,
    }
}

diesel::table! {
    needs_answers (assessment_id, question) {
        assessment_id -> Text,
        question -> Text,
        answer -> Integer,
    }
}

diesel::table! {
    needs_reviews (id) {
        id -> Text,
        person_id -> Text,
        assessment_id -> Text,
        trigger_kind -> Text,
        occurred_on -> Date,
        details -> Text,
        due_on -> Date,
        rule_version -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        completed_on -> Nullable<Date>,
        completed_by_assessment -> Nullable<Text>,
    }
}

diesel::joinable!(needs_assessments -> people (person_id));
diesel::joinable!(needs_sections -> needs_assessments (assessment_id));
diesel::joinable!(needs_answers -> needs_assessments (assessment_id));
diesel::joinable!(needs_reviews -> people (person_id));
diesel::allow_tables_to_appear_in_same_query!(
    needs_assessments,
    needs_sections,
    needs_answers,
    needs_reviews,
    people
);

// Sentence plans (migration 000022).
diesel::table! {
    sentence_plans (id) {
        id -> Text,
        person_id -> Text,
        status -> Text,
        version -> Integer,
        starts_on -> Date,
        persons_words -> Text,
        agreement -> Nullable<Text>,
        disagreement_reason -> Text,
        case_level -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
        submitted_by -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        countersigned_by -> Nullable<Text>,
        countersigned_at -> Nullable<Timestamp>,
        activated_on -> Nullable<Date>,
        superseded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    plan_objectives (id) {
        id -> Text,
        plan_id -> Text,
        person_id -> Text,
        position -> Integer,
        description -> Text,
        progress -> Text,
        progress_note -> Text,
        progress_updated_by -> Nullable<Text>,
        progress_updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    plan_objective_links (objective_id, kind, code) {
        objective_id -> Text,
        person_id -> Text,
        kind -> Text,
        code -> Text,
    }
}

diesel::table! {
    plan_actions (id) {
        id -> Text,
        objective_id -> Text,
        person_id -> Text,
        position -> Integer,
        kind -> Text,
        what -> Text,
        owner -> Text,
        provider -> Text,
        due_on -> Date,
    }
}

diesel::table! {
    plan_reviews (id) {
        id -> Text,
        plan_id -> Text,
        person_id -> Text,
        reviewed_on -> Date,
        reason -> Text,
        note -> Text,
        reviewed_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    plan_review_tasks (id) {
        id -> Text,
        plan_id -> Text,
        person_id -> Text,
        reason -> Text,
        details -> Text,
        occurred_on -> Date,
        due_on -> Date,
        rule_version -> Text,
        created_at -> Timestamp,
        completed_on -> Nullable<Date>,
        completed_by_review -> Nullable<Text>,
    }
}

diesel::joinable!(sentence_plans -> people (person_id));
diesel::joinable!(plan_objectives -> sentence_plans (plan_id));
diesel::joinable!(plan_actions -> plan_objectives (objective_id));
diesel::joinable!(plan_reviews -> sentence_plans (plan_id));
diesel::joinable!(plan_review_tasks -> people (person_id));
diesel::allow_tables_to_appear_in_same_query!(sentence_plans, people);
diesel::allow_tables_to_appear_in_same_query!(plan_objectives, sentence_plans);
diesel::allow_tables_to_appear_in_same_query!(plan_actions, plan_objectives);
diesel::allow_tables_to_appear_in_same_query!(plan_reviews, sentence_plans);
diesel::allow_tables_to_appear_in_same_query!(plan_review_tasks, people);
diesel::allow_tables_to_appear_in_same_query!(plan_review_tasks, allocations);
diesel::allow_tables_to_appear_in_same_query!(plan_review_tasks, sentence_plans);

// Predictors recorded from an external assessment (migration 2026-12-06-000023_recorded_predictors).

diesel::table! {
    recorded_predictors (id) {
        id -> Text,
        person_id -> Text,
        predictor -> Text,
        percent -> Nullable<Double>,
        basis -> Nullable<Text>,
        band -> Nullable<Text>,
        score -> Nullable<Double>,
        points -> Nullable<Integer>,
        source -> Text,
        source_other -> Nullable<Text>,
        assessed_on -> Date,
        entered_by -> Text,
        entered_at -> Timestamp,
    }
}

diesel::joinable!(recorded_predictors -> people (person_id));
diesel::joinable!(recorded_predictors -> staff (entered_by));
diesel::allow_tables_to_appear_in_same_query!(recorded_predictors, people);
diesel::allow_tables_to_appear_in_same_query!(recorded_predictors, staff);
diesel::allow_tables_to_appear_in_same_query!(needs_reviews, allocations);

// Licences and release (migration 2026-12-06-000026_licences).

diesel::table! {
    licence_condition_catalogue (code) {
        code -> Text,
        kind -> Text,
        title -> Text,
        wording -> Text,
        position -> Integer,
        active -> Bool,
    }
}

diesel::table! {
    custody_key_dates (event_id) {
        event_id -> Text,
        person_id -> Text,
        release_date -> Nullable<Date>,
        hdc_eligibility_date -> Nullable<Date>,
        licence_end_date -> Nullable<Date>,
        sentence_end_date -> Nullable<Date>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    licence_tasks (id) {
        id -> Text,
        person_id -> Text,
        event_id -> Text,
        kind -> Text,
        visible_from -> Date,
        due_on -> Date,
        rule_version -> Text,
        completed_on -> Nullable<Date>,
        completed_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    licences (id) {
        id -> Text,
        person_id -> Text,
        event_id -> Text,
        released_on -> Nullable<Date>,
        licence_end_date -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    licence_versions (id) {
        id -> Text,
        licence_id -> Text,
        person_id -> Text,
        number -> Integer,
        kind -> Text,
        status -> Text,
        variation_reason -> Text,
        changes -> Text,
        lock -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        approved_by -> Nullable<Text>,
        approved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    licence_conditions (id) {
        id -> Text,
        version_id -> Text,
        person_id -> Text,
        position -> Integer,
        catalogue_code -> Nullable<Text>,
        kind -> Text,
        wording -> Text,
        curfew_from -> Nullable<Text>,
        curfew_to -> Nullable<Text>,
        details -> Text,
        victim_requested -> Bool,
        requested_by_vlo_name -> Nullable<Text>,
        requested_by_vlo -> Nullable<Text>,
    }
}

diesel::joinable!(licence_tasks -> people (person_id));
diesel::joinable!(licences -> events (event_id));
diesel::joinable!(licence_versions -> licences (licence_id));
diesel::joinable!(licence_conditions -> licence_versions (version_id));
diesel::allow_tables_to_appear_in_same_query!(licence_tasks, people);
diesel::allow_tables_to_appear_in_same_query!(licence_tasks, allocations);
diesel::allow_tables_to_appear_in_same_query!(licences, events);
diesel::allow_tables_to_appear_in_same_query!(licence_versions, licences);
diesel::allow_tables_to_appear_in_same_query!(licence_versions, staff);
diesel::allow_tables_to_appear_in_same_query!(licence_conditions, licence_versions);

// MAPPA meetings (migration 2026-12-06-000027_mappa_meetings).

diesel::table! {
    mappa_meetings (id) {
        id -> Text,
        registration_id -> Text,
        person_id -> Text,
        held_on -> Date,
        category -> Text,
        level -> Text,
        chair -> Text,
        agencies -> Text,
        decisions -> Text,
        next_meeting_on -> Date,
        rule_version -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(mappa_meetings -> registrations (registration_id));
diesel::joinable!(mappa_meetings -> people (person_id));
diesel::joinable!(mappa_meetings -> staff (recorded_by));
diesel::allow_tables_to_appear_in_same_query!(mappa_meetings, registrations);
diesel::allow_tables_to_appear_in_same_query!(mappa_meetings, people);
diesel::allow_tables_to_appear_in_same_query!(mappa_meetings, staff);
diesel::allow_tables_to_appear_in_same_query!(mappa_meetings, allocations);

// The statutory victim contact scheme (migration 2026-12-06-000024_victims).

diesel::table! {
    victim_referrals (person_id) {
        person_id -> Text,
        hospital_order -> Bool,
        made_on -> Nullable<Date>,
        made_by -> Nullable<Text>,
        declined_on -> Nullable<Date>,
        declined_reason -> Nullable<Text>,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    victims (id) {
        id -> Text,
        person_id -> Text,
        name -> Text,
        address -> Text,
        postcode -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        role -> Text,
        opted_in -> Nullable<Bool>,
        decided_on -> Nullable<Date>,
        liaison_officer -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    victim_contacts (id) {
        id -> Text,
        victim_id -> Text,
        person_id -> Text,
        stage -> Text,
        stage_on -> Date,
        due_on -> Date,
        triggered -> Bool,
        contacted_on -> Nullable<Date>,
        notes -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    victim_views (id) {
        id -> Text,
        victim_id -> Text,
        given_on -> Date,
        words -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    victim_conditions (id) {
        id -> Text,
        victim_id -> Text,
        person_id -> Text,
        kind -> Text,
        details -> Text,
        reason -> Text,
        status -> Text,
        status_reason -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(victims -> people (person_id));
diesel::joinable!(victims -> staff (liaison_officer));
diesel::joinable!(victim_contacts -> victims (victim_id));
diesel::joinable!(victim_views -> victims (victim_id));
diesel::joinable!(victim_conditions -> victims (victim_id));
diesel::allow_tables_to_appear_in_same_query!(victims, people);
diesel::allow_tables_to_appear_in_same_query!(victims, staff);
diesel::allow_tables_to_appear_in_same_query!(victims, events);
diesel::allow_tables_to_appear_in_same_query!(victim_contacts, victims);
diesel::allow_tables_to_appear_in_same_query!(victim_contacts, people);
diesel::allow_tables_to_appear_in_same_query!(victim_contacts, staff);
diesel::allow_tables_to_appear_in_same_query!(victim_views, victims);
diesel::allow_tables_to_appear_in_same_query!(victim_conditions, victims);
diesel::allow_tables_to_appear_in_same_query!(victim_conditions, staff);
diesel::allow_tables_to_appear_in_same_query!(victim_referrals, people);
diesel::allow_tables_to_appear_in_same_query!(victim_referrals, events);
diesel::joinable!(victim_contacts -> people (person_id));
diesel::allow_tables_to_appear_in_same_query!(victim_contacts, pdus);
diesel::allow_tables_to_appear_in_same_query!(victims, pdus);
diesel::allow_tables_to_appear_in_same_query!(victim_views, staff);
diesel::allow_tables_to_appear_in_same_query!(victim_referrals, staff);

diesel::table! {
    courts (id) {
        id -> Text,
        pdu_id -> Text,
        code -> Text,
        name -> Text,
    }
}

diesel::table! {
    court_hearings (id) {
        id -> Text,
        court_id -> Text,
        hearing_on -> Date,
        person_id -> Text,
        event_id -> Text,
        matched_by -> Text,
        offence -> Text,
        added_by -> Text,
        added_at -> Timestamp,
        sentence_type -> Nullable<Text>,
        sentence_length_months -> Nullable<Integer>,
        sentenced_on -> Nullable<Date>,
        sentence_recorded_by -> Nullable<Text>,
    }
}

diesel::table! {
    pre_sentence_reports (id) {
        id -> Text,
        hearing_id -> Text,
        person_id -> Text,
        kind -> Text,
        status -> Text,
        requested_on -> Date,
        due_on -> Date,
        rule_version -> Text,
        author_id -> Text,
        sources -> Text,
        offence_analysis -> Text,
        risk_analysis -> Text,
        checks_analysis -> Text,
        needs_analysis -> Text,
        proposed_sentence -> Nullable<Text>,
        proposed_requirements -> Text,
        justification -> Text,
        workload_report_id -> Nullable<Text>,
        completed_on -> Nullable<Date>,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    court_adjournments (id) {
        id -> Text,
        report_id -> Text,
        asked_on -> Date,
        reason -> Text,
        outcome -> Nullable<Text>,
        new_hearing_on -> Nullable<Date>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(courts, court_hearings);
diesel::allow_tables_to_appear_in_same_query!(courts, pdus);
diesel::allow_tables_to_appear_in_same_query!(courts, people);
diesel::allow_tables_to_appear_in_same_query!(courts, events);
diesel::allow_tables_to_appear_in_same_query!(courts, pre_sentence_reports);
diesel::allow_tables_to_appear_in_same_query!(courts, staff);
diesel::allow_tables_to_appear_in_same_query!(court_hearings, people);
diesel::allow_tables_to_appear_in_same_query!(court_hearings, events);
diesel::allow_tables_to_appear_in_same_query!(court_hearings, pdus);
diesel::allow_tables_to_appear_in_same_query!(court_hearings, pre_sentence_reports);
diesel::allow_tables_to_appear_in_same_query!(court_hearings, staff);
diesel::allow_tables_to_appear_in_same_query!(pre_sentence_reports, people);
diesel::allow_tables_to_appear_in_same_query!(pre_sentence_reports, staff);
diesel::allow_tables_to_appear_in_same_query!(pre_sentence_reports, events);
diesel::allow_tables_to_appear_in_same_query!(pre_sentence_reports, court_adjournments);
diesel::allow_tables_to_appear_in_same_query!(court_adjournments, staff);
diesel::joinable!(courts -> pdus (pdu_id));

// Programmes and interventions (migration 2026-12-06-000029_programmes).
diesel::table! {
    programmes (code) {
        code -> Text,
        name -> Text,
        kind -> Text,
        focus -> Text,
        delivery -> Text,
        sessions -> Integer,
        suited_to -> Text,
        description -> Text,
        position -> Integer,
        active -> Bool,
    }
}

diesel::table! {
    programme_referrals (id) {
        id -> Text,
        person_id -> Text,
        requirement_id -> Nullable<Text>,
        programme_code -> Text,
        status -> Text,
        referred_on -> Date,
        referred_by -> Text,
        notes -> Text,
        assessed_on -> Nullable<Date>,
        suitability_reason -> Text,
        started_on -> Nullable<Date>,
        cohort -> Nullable<Text>,
        ended_on -> Nullable<Date>,
        non_completion_reason -> Nullable<Text>,
        end_detail -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    programme_sessions (id) {
        id -> Text,
        referral_id -> Text,
        session_number -> Integer,
        held_on -> Date,
        contact_id -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(programme_referrals -> programmes (programme_code));
diesel::joinable!(programme_referrals -> people (person_id));
diesel::joinable!(programme_sessions -> programme_referrals (referral_id));
diesel::allow_tables_to_appear_in_same_query!(programme_referrals, programmes);
diesel::allow_tables_to_appear_in_same_query!(programme_referrals, people);
diesel::allow_tables_to_appear_in_same_query!(programme_referrals, pdus);
diesel::allow_tables_to_appear_in_same_query!(programme_referrals, teams);
diesel::allow_tables_to_appear_in_same_query!(programme_referrals, allocations);
diesel::allow_tables_to_appear_in_same_query!(programme_referrals, staff);
diesel::allow_tables_to_appear_in_same_query!(programme_referrals, requirements);
diesel::allow_tables_to_appear_in_same_query!(programme_referrals, events);
diesel::allow_tables_to_appear_in_same_query!(programme_referrals, programme_sessions);
diesel::allow_tables_to_appear_in_same_query!(programmes, people);
diesel::allow_tables_to_appear_in_same_query!(programmes, pdus);
diesel::allow_tables_to_appear_in_same_query!(programmes, allocations);
diesel::allow_tables_to_appear_in_same_query!(programmes, requirements);
diesel::allow_tables_to_appear_in_same_query!(programmes, events);
diesel::allow_tables_to_appear_in_same_query!(programmes, staff);
diesel::allow_tables_to_appear_in_same_query!(programmes, teams);
diesel::allow_tables_to_appear_in_same_query!(programme_sessions, contacts);
diesel::allow_tables_to_appear_in_same_query!(programme_sessions, staff);
diesel::allow_tables_to_appear_in_same_query!(programme_sessions, programmes);

// Serious further offences (migration 2026-12-06-000030_sfo).

diesel::table! {
    sfo_cases (id) {
        id -> Text,
        person_id -> Text,
        offence -> Text,
        committed_on -> Date,
        charged_on -> Date,
        known_on -> Date,
        reference -> Text,
        supervision_ended_on -> Nullable<Date>,
        reasons -> Text,
        notification_due -> Date,
        rule_version -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
        notified_on -> Nullable<Date>,
        notified_by -> Nullable<Text>,
        reviewer_id -> Nullable<Text>,
        reviewer_assigned_on -> Nullable<Date>,
        review_started_on -> Nullable<Date>,
        went_well -> Text,
        could_be_better -> Text,
        learning -> Text,
        completed_on -> Nullable<Date>,
        completed_by -> Nullable<Text>,
        recommendation_id -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(sfo_cases -> people (person_id));
diesel::allow_tables_to_appear_in_same_query!(sfo_cases, people);
diesel::allow_tables_to_appear_in_same_query!(sfo_cases, pdus);
diesel::allow_tables_to_appear_in_same_query!(sfo_cases, staff);
diesel::allow_tables_to_appear_in_same_query!(sfo_cases, allocations);
diesel::allow_tables_to_appear_in_same_query!(sfo_cases, events);

diesel::table! {
    upw_rules (effective_from) {
        effective_from -> Date,
        version -> Text,
        limit_removed_from -> Nullable<Date>,
        ete_share_percent -> Integer,
        max_travel_minutes -> Integer,
        pace_lookback_weeks -> Integer,
        minimum_weekly_hours -> Integer,
        settling_in_weeks -> Integer,
    }
}

diesel::table! {
    upw_projects (id) {
        id -> Text,
        pdu_id -> Text,
        name -> Text,
        kind -> Text,
        address -> Text,
        postcode -> Text,
        supervisor -> Text,
        capacity -> Integer,
        travel_credited -> Bool,
        ete_available -> Bool,
        active -> Bool,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    upw_sessions (id) {
        id -> Text,
        project_id -> Text,
        pdu_id -> Text,
        session_date -> Date,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        supervisor -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    upw_allocations (id) {
        id -> Text,
        session_id -> Text,
        person_id -> Text,
        requirement_id -> Text,
        contact_id -> Text,
        session_date -> Date,
        allocated_by -> Nullable<Text>,
        allocated_at -> Timestamp,
    }
}

diesel::table! {
    upw_attendance (allocation_id) {
        allocation_id -> Text,
        person_id -> Text,
        requirement_id -> Text,
        session_date -> Date,
        outcome -> Text,
        quality -> Nullable<Text>,
        behaviour -> Nullable<Text>,
        worked_minutes -> Integer,
        travel_minutes -> Integer,
        ete_minutes -> Integer,
        notes -> Text,
        recorded_by -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(upw_sessions -> upw_projects (project_id));
diesel::joinable!(upw_allocations -> upw_sessions (session_id));
diesel::allow_tables_to_appear_in_same_query!(upw_sessions, upw_projects);
diesel::allow_tables_to_appear_in_same_query!(upw_allocations, upw_sessions);
diesel::allow_tables_to_appear_in_same_query!(upw_allocations, upw_projects);
diesel::allow_tables_to_appear_in_same_query!(upw_allocations, people);
diesel::allow_tables_to_appear_in_same_query!(upw_allocations, upw_attendance);
diesel::allow_tables_to_appear_in_same_query!(upw_attendance, people);
diesel::allow_tables_to_appear_in_same_query!(upw_sessions, upw_attendance);
diesel::allow_tables_to_appear_in_same_query!(requirements, upw_attendance);
diesel::allow_tables_to_appear_in_same_query!(requirements, upw_allocations);
diesel::allow_tables_to_appear_in_same_query!(events, upw_attendance);
diesel::allow_tables_to_appear_in_same_query!(people, upw_sessions);
diesel::allow_tables_to_appear_in_same_query!(upw_allocations, contacts);
diesel::allow_tables_to_appear_in_same_query!(upw_projects, upw_attendance);
diesel::allow_tables_to_appear_in_same_query!(upw_projects, pdus);
diesel::allow_tables_to_appear_in_same_query!(upw_projects, people);
diesel::allow_tables_to_appear_in_same_query!(upw_projects, requirements);
diesel::allow_tables_to_appear_in_same_query!(upw_projects, events);
diesel::allow_tables_to_appear_in_same_query!(upw_projects, contacts);
diesel::allow_tables_to_appear_in_same_query!(upw_projects, staff);
diesel::allow_tables_to_appear_in_same_query!(upw_projects, allocations);
diesel::allow_tables_to_appear_in_same_query!(upw_sessions, pdus);
diesel::allow_tables_to_appear_in_same_query!(upw_sessions, requirements);
diesel::allow_tables_to_appear_in_same_query!(upw_sessions, events);
diesel::allow_tables_to_appear_in_same_query!(upw_sessions, contacts);
diesel::allow_tables_to_appear_in_same_query!(upw_sessions, staff);
diesel::allow_tables_to_appear_in_same_query!(upw_sessions, allocations);
diesel::allow_tables_to_appear_in_same_query!(upw_allocations, pdus);
diesel::allow_tables_to_appear_in_same_query!(upw_allocations, events);
diesel::allow_tables_to_appear_in_same_query!(upw_allocations, staff);
diesel::allow_tables_to_appear_in_same_query!(upw_allocations, allocations);
diesel::allow_tables_to_appear_in_same_query!(upw_attendance, pdus);
diesel::allow_tables_to_appear_in_same_query!(upw_attendance, contacts);
diesel::allow_tables_to_appear_in_same_query!(upw_attendance, staff);
diesel::allow_tables_to_appear_in_same_query!(upw_attendance, allocations);

// Reconvictions (migration 2026-12-06-000031_reconvictions).

diesel::table! {
    reconvictions (id) {
        id -> Text,
        person_id -> Text,
        event_id -> Text,
        offence -> Text,
        offence_category -> Text,
        offence_on -> Date,
        convicted_on -> Date,
        court -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(reconvictions -> people (person_id));
diesel::joinable!(reconvictions -> events (event_id));
diesel::joinable!(reconvictions -> staff (recorded_by));
diesel::allow_tables_to_appear_in_same_query!(reconvictions, people);
diesel::allow_tables_to_appear_in_same_query!(reconvictions, events);
diesel::allow_tables_to_appear_in_same_query!(reconvictions, staff);
diesel::allow_tables_to_appear_in_same_query!(reconvictions, pdus);

// Limited access cases (migration 2026-12-07-000032_limited_access).

diesel::table! {
    case_access_limits (id) {
        id -> Text,
        person_id -> Text,
        staff_id -> Text,
        list -> Text,
        reason -> Text,
        added_by -> Text,
        added_at -> Timestamp,
        removed_by -> Nullable<Text>,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(case_access_limits -> people (person_id));
diesel::allow_tables_to_appear_in_same_query!(case_access_limits, people);
diesel::allow_tables_to_appear_in_same_query!(case_access_limits, staff);
diesel::allow_tables_to_appear_in_same_query!(case_access_limits, pdus);
diesel::allow_tables_to_appear_in_same_query!(case_access_limits, allocations);

diesel::table! {
    audit_chain_head (id) {
        id -> Integer,
        last_position -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    sign_in_throttles (subject) {
        subject -> Text,
        locked_until -> Nullable<Timestamp>,
        refused_since -> Timestamp,
        refused -> Integer,
    }
}
