-- The audit log is read newest first, by case or by who acted ("who has looked at this case?").
-- Every page view adds a row, so nationally it runs to millions: without these a search for a
-- quiet case walks the whole log from the newest row back.
CREATE INDEX audit_log_crn ON audit_log (crn, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
