DROP TABLE recorded_predictors;
