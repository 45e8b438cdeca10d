DROP TABLE dataset_import_files;
DROP TABLE dataset_imports;
