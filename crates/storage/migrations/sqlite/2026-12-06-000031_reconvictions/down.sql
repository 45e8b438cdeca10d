DROP TABLE reconvictions;
