-- The statutory victim contact scheme (issue 17; storage::victims, reference §6). Victims'
-- identities and addresses are kept here and read only by victim liaison
-- (storage::victims::records); everyone else reads storage::victims::summary, which selects no
-- identity column.
--
-- One referral row per case: whether the court made a hospital order (keepsafe's sentence types
-- have none, so victim liaison records it), and the referral to the victim contact service, made
-- or declined by the victim with the reason.
CREATE TABLE victim_referrals (
    person_id TEXT PRIMARY KEY REFERENCES people (id),
    hospital_order BOOLEAN NOT NULL DEFAULT FALSE,
    made_on DATE,
    made_by TEXT REFERENCES staff (id),
    declined_on DATE,
    declined_reason TEXT,
    updated_by TEXT NOT NULL REFERENCES staff (id),
    updated_at TIMESTAMP NOT NULL,
    CHECK (made_on IS NULL OR declined_on IS NULL)
);
CREATE INDEX victim_referrals_made_by ON victim_referrals (made_by);
CREATE INDEX victim_referrals_updated_by ON victim_referrals (updated_by);

-- A victim (or a child victim's parent or carer, or a dead victim's next of kin) known to victim
-- liaison: role is a code of keepsafe_domain::victims::VictimRole; opted_in is NULL until they
-- have been asked. liaison_officer keeps the record (their name is shown on the case).
CREATE TABLE victims (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    postcode TEXT,
    phone TEXT,
    email TEXT,
    role TEXT NOT NULL,
    opted_in BOOLEAN,
    decided_on DATE,
    liaison_officer TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX victims_person ON victims (person_id);
CREATE INDEX victims_liaison_officer ON victims (liaison_officer);

-- Contacts with a victim at the scheme's stages (stage: a code of VictimStage). A contact due is a
-- row without contacted_on; triggered rows were made by stage_reached for a stage reached on
-- stage_on, once per victim, stage and day.
CREATE TABLE victim_contacts (
    id TEXT PRIMARY KEY,
    victim_id TEXT NOT NULL REFERENCES victims (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    stage TEXT NOT NULL,
    stage_on DATE NOT NULL,
    due_on DATE NOT NULL,
    triggered BOOLEAN NOT NULL,
    contacted_on DATE,
    notes TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX victim_contacts_victim ON victim_contacts (victim_id, stage_on);
CREATE INDEX victim_contacts_due ON victim_contacts (contacted_on, due_on);
CREATE INDEX victim_contacts_person ON victim_contacts (person_id);
CREATE INDEX victim_contacts_created_by ON victim_contacts (created_by);
CREATE UNIQUE INDEX victim_contacts_triggered_once ON victim_contacts (victim_id, stage, stage_on) WHERE triggered;

-- A victim's views, dated, in their words as victim liaison recorded them.
CREATE TABLE victim_views (
    id TEXT PRIMARY KEY,
    victim_id TEXT NOT NULL REFERENCES victims (id),
    given_on DATE NOT NULL,
    words TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX victim_views_victim ON victim_views (victim_id, given_on);
CREATE INDEX victim_views_recorded_by ON victim_views (recorded_by);

-- Licence conditions a victim asks for (kind: ConditionKind; status: ConditionStatus). details is
-- an exclusion zone's area or what another condition says, written to be shown to the case's
-- practitioners; reason is victim liaison's and stays with them.
CREATE TABLE victim_conditions (
    id TEXT PRIMARY KEY,
    victim_id TEXT NOT NULL REFERENCES victims (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    details TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX victim_conditions_victim ON victim_conditions (victim_id);
CREATE INDEX victim_conditions_person ON victim_conditions (person_id);
CREATE INDEX victim_conditions_recorded_by ON victim_conditions (recorded_by);
