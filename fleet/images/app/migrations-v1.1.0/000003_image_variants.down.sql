ALTER TABLE images DROP COLUMN has_variants;
DROP TABLE IF EXISTS image_variants;
