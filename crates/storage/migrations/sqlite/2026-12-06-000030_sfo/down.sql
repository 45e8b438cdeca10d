DROP TABLE sfo_cases;
