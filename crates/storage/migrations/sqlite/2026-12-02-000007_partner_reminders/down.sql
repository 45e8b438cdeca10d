DROP TABLE partner_reminders;
