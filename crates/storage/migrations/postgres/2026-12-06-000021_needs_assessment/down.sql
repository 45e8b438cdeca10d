DROP TABLE needs_reviews;
DROP TABLE needs_answers;
DROP TABLE needs_sections;
DROP TABLE needs_assessments;
