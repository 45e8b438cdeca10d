-- The audit log page filters by who acted and by action, newest first (by id), as it already
-- does by case and username (migration 15); these let each filter read only its own rows.
CREATE INDEX audit_log_staff_id ON audit_log (staff_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
