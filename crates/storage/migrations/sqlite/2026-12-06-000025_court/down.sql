DROP INDEX people_date_of_birth;
DROP TABLE court_adjournments;
DROP TABLE pre_sentence_reports;
DROP TABLE court_hearings;
DROP TABLE courts;
