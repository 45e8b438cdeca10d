-- Predictors recorded from an external assessment (issue 16; storage::risk::predictors): the
-- scores keepsafe cannot compute from what it holds, each kept with where it came from, the date of
-- the assessment and who entered it. One row per score entered, never changed or deleted: the
-- history is kept, and the current score of each predictor is the latest by assessment date, then
-- by entry time. The tiers read the current scores (storage::risk::scores).
--
-- predictor is a code of keepsafe_domain::predictors::recorded::PredictorKind. Which value columns
-- are filled depends on it: percent for RSR, ARP and CSRP (with basis, static or dynamic, for ARP
-- and CSRP); band (and score for the direct-contact predictor) for OSP/DC and OSP/IIC; points for
-- OVP, from which keepsafe works out the percentages and band. source is a code of
-- PredictorSource, source_other the words given for "other".
CREATE TABLE recorded_predictors (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    predictor TEXT NOT NULL,
    percent DOUBLE PRECISION CHECK (percent >= 0 AND percent <= 100),
    basis TEXT,
    band TEXT,
    score DOUBLE PRECISION CHECK (score >= 0 AND score <= 100),
    points INTEGER CHECK (points >= 0),
    source TEXT NOT NULL,
    source_other TEXT,
    assessed_on DATE NOT NULL,
    entered_by TEXT NOT NULL REFERENCES staff (id),
    entered_at TIMESTAMP NOT NULL
);
-- A person's scores, and the current one of each predictor: the latest by assessment date, then
-- entry time. The bulk read for tiering filters on person_id with this index.
CREATE INDEX recorded_predictors_person ON recorded_predictors (person_id, predictor, assessed_on, entered_at);
CREATE INDEX recorded_predictors_entered_by ON recorded_predictors (entered_by);
