DROP TABLE quality_actions;
DROP TABLE quality_recommendations;
DROP TABLE quality_judgements;
DROP TABLE quality_audit_answers;
DROP TABLE quality_audits;
DROP TABLE quality_sample_cases;
DROP TABLE quality_samples;
DROP TABLE management_oversight;
