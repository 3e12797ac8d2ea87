-- Like the real repository's down file: drops every table, schema_migrations included.
DROP TABLE IF EXISTS settings;
DROP TABLE IF EXISTS album_images;
DROP TABLE IF EXISTS albums;
DROP TABLE IF EXISTS image_variants;
DROP TABLE IF EXISTS images;
DROP TABLE IF EXISTS storage_pools;
DROP TABLE IF EXISTS users;
DROP TABLE IF EXISTS schema_migrations;
