-- Curfew and home-address suitability checks (reference §5; domain::address_suitability): what the
-- officer has found about an address proposed for home detention curfew, a licence or a curfew
-- requirement, who lives there, and the judgement. An address is approved only when the domain's
-- assessment finds nothing missing.
CREATE TABLE address_checks (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    address_id TEXT NOT NULL REFERENCES addresses (id),
    -- domain::address_suitability CurfewPurpose: hdc, licence, curfew_requirement.
    purpose TEXT NOT NULL,
    person_is_occupier BOOLEAN,
    main_occupier TEXT,
    -- given, refused; NULL until asked.
    occupier_consent TEXT,
    consent_confirmed_on DATE,
    cautioned_against_resident BOOLEAN,
    electricity_supply BOOLEAN,
    home_visit_on DATE,
    victim_at_or_near BOOLEAN NOT NULL,
    victim_liaison_on DATE,
    victim_liaison_note TEXT,
    risk_note_on DATE,
    risk_note TEXT,
    -- suitable, unsuitable; NULL until judged.
    judgement TEXT,
    judgement_note TEXT,
    unsuitability_reason TEXT,
    -- Set when approved for its purpose.
    approved_by TEXT REFERENCES staff (id),
    approved_on DATE,
    created_by TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX address_checks_person ON address_checks (person_id);

CREATE TABLE address_check_residents (
    check_id TEXT NOT NULL REFERENCES address_checks (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    relationship TEXT NOT NULL,
    date_of_birth DATE,
    age_years INTEGER,
    sex TEXT,
    PRIMARY KEY (check_id, position)
);

-- How each answered police or children's-services check was considered in judging the address.
CREATE TABLE address_check_references (
    check_id TEXT NOT NULL REFERENCES address_checks (id),
    request_id TEXT NOT NULL REFERENCES check_requests (id),
    note TEXT NOT NULL,
    PRIMARY KEY (check_id, request_id)
);
