-- Programmes and interventions (issue 18, part 2; keepsafe_domain::programmes, storage::programmes).

-- The catalogue of accredited programmes and structured interventions, kept as data so a service
-- can add its own and close those it no longer runs. kind, focus and delivery are codes of
-- keepsafe_domain::programmes::{ProgrammeKind, Focus, Delivery}. The descriptions are keepsafe's
-- own summaries of publicly described programmes, for a practitioner choosing where to refer.
CREATE TABLE programmes (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    focus TEXT NOT NULL,
    delivery TEXT NOT NULL,
    sessions INTEGER NOT NULL,
    suited_to TEXT NOT NULL,
    description TEXT NOT NULL,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO programmes (code, name, kind, focus, delivery, sessions, suited_to, description, position, active) VALUES
    ('bbr', 'Building Better Relationships', 'accredited', 'domestic_abuse', 'group', 30, 'Men who have been abusive to a female partner, assessed as medium risk of harm or above. Not for those who deny all of the abuse.', 'A group programme for men convicted of intimate partner violence: the thinking, beliefs and habits behind abuse, managing emotions, and building respectful relationships. Runs alongside a partner link worker for the victim.', 1, TRUE),
    ('tsp', 'Thinking Skills Programme', 'accredited', 'general', 'either', 19, 'Adults of medium to high likelihood of reoffending whose offending is linked to impulsive, poorly thought-through decisions. Not for those whose main need is sexual offending.', 'Teaches problem solving, self-control, perspective taking and setting goals for a life without offending. Group sessions with one-to-one sessions before, during and after.', 2, TRUE),
    ('horizon', 'Horizon', 'accredited', 'sexual', 'group', 31, 'Men convicted of a sexual offence (including internet offences) assessed as medium risk or above, with a learning ability in the typical range.', 'A strengths-based group programme for men with sexual convictions: understanding what led to offending, managing sexual interest and emotions, and building relationships and a life that keeps others safe.', 3, TRUE),
    ('kaizen', 'Kaizen', 'accredited', 'violence', 'either', 66, 'Men of high or very high risk of harm with convictions for general violence, intimate partner violence or sexual offences. Usually in custody or on licence.', 'An intensive programme for those at the highest risk: emotional control, relationships, attitudes supporting violence or sexual offending, and plans for a new life. Delivered in groups and individually over many months.', 4, TRUE),
    ('bnm_plus', 'Becoming New Me+', 'accredited', 'violence', 'group', 32, 'Adult men with a learning disability or challenges (adapted delivery) convicted of violent, sexual or intimate partner offences, of medium risk or above.', 'An adapted programme for men who need more accessible delivery: shorter sessions, pictures and repetition. Works on understanding emotions, relationships and the thinking behind harmful behaviour.', 5, TRUE),
    ('nms', 'New Me Strengths', 'accredited', 'general', 'group', 23, 'Adults with a learning disability or challenges convicted of general (non-sexual) offences, of medium to high likelihood of reoffending.', 'The adapted counterpart of the Thinking Skills Programme: problem solving, managing emotions and reaching personal goals, with accessible materials and smaller groups.', 6, TRUE),
    ('resolve', 'Resolve', 'accredited', 'violence', 'either', 25, 'Adult men convicted of violence, of medium to high risk of harm. Not for intimate partner violence alone, for which Building Better Relationships is offered.', 'A cognitive-behavioural programme on the thinking and emotions that lead to violence: recognising risky situations, managing anger and conflict, and the consequences of violence.', 7, TRUE),
    ('building_choices', 'Building Choices', 'accredited', 'general', 'group', 24, 'Adults with general, violent or intimate partner offending, of medium risk or above, who need help with thinking, emotions and relationships. Designed to replace several older programmes.', 'A modular group programme covering self-management, relationships and thinking patterns; people join at any module, which shortens waits for a place.', 8, TRUE),
    ('emotional_management', 'Emotional management', 'structured', 'emotional', 'either', 8, 'Anyone whose offending is linked to difficulty managing anger, frustration or stress, at any risk level, including under a rehabilitation activity requirement.', 'A short structured intervention on noticing emotions building, calming strategies and handling conflict without harm.', 9, TRUE),
    ('da_awareness', 'Domestic abuse awareness', 'structured', 'domestic_abuse', 'one_to_one', 6, 'People of low to medium risk with domestic abuse concerns who are not eligible for, or are waiting for, Building Better Relationships.', 'One-to-one sessions on recognising abusive behaviour and its effect on partners and children, and on respectful ways to handle disagreements.', 10, TRUE),
    ('dependency_recovery', 'Dependency and recovery', 'structured', 'substance', 'group', 10, 'People whose offending is linked to drug or alcohol use, alongside any treatment requirement, at any risk level.', 'A structured intervention on the links between substance use and offending, triggers and relapse prevention, and routes into recovery support in the community.', 11, TRUE),
    ('finance_benefit_debt', 'Finance, benefit and debt', 'structured', 'general', 'one_to_one', 4, 'Anyone with money worries linked to offending, typically under a rehabilitation activity requirement.', 'Practical one-to-one sessions on budgeting, claiming benefits, dealing with debt and finding advice.', 12, TRUE);

-- A referral of a case to a programme, and where it stands (status is a code of
-- keepsafe_domain::programmes::ReferralStatus, moved only by the domain's transitions; each write
-- is guarded by the status it was read in). requirement_id is the accredited programme or
-- rehabilitation activity requirement it was made under, when there is one.
CREATE TABLE programme_referrals (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    requirement_id TEXT REFERENCES requirements (id),
    programme_code TEXT NOT NULL REFERENCES programmes (code),
    status TEXT NOT NULL,
    referred_on DATE NOT NULL,
    referred_by TEXT NOT NULL REFERENCES staff (id),
    notes TEXT NOT NULL,
    assessed_on DATE,
    suitability_reason TEXT NOT NULL DEFAULT '',
    started_on DATE,
    cohort TEXT,
    ended_on DATE,
    non_completion_reason TEXT,
    end_detail TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL REFERENCES staff (id),
    updated_at TIMESTAMP NOT NULL
);
-- A case's referrals; the requirement a referral was made under; the dashboard's read of a
-- unit's referrals, and its list of the longest waiting.
CREATE INDEX programme_referrals_person ON programme_referrals (person_id, referred_on);
CREATE INDEX programme_referrals_requirement ON programme_referrals (requirement_id);
CREATE INDEX programme_referrals_status ON programme_referrals (status, referred_on);
CREATE INDEX programme_referrals_programme ON programme_referrals (programme_code);

-- The sessions recorded for a referral: each session once, with the contact-log entry it made
-- (a programme session contact, so attendance and failures show in the contact log and a failure
-- judged unacceptable goes on to enforcement).
CREATE TABLE programme_sessions (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES programme_referrals (id),
    session_number INTEGER NOT NULL,
    held_on DATE NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX programme_sessions_number ON programme_sessions (referral_id, session_number);
CREATE INDEX programme_sessions_contact ON programme_sessions (contact_id);
