DROP TABLE address_check_references;
DROP TABLE address_check_residents;
DROP TABLE address_checks;
