DROP TABLE programme_sessions;
DROP TABLE programme_referrals;
DROP TABLE programmes;
