DROP TABLE partner_deadline_overrides;
DROP TABLE check_response_attachments;
