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
    }
}

diesel::joinable!(pdus -> regions (region_id));
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
);
