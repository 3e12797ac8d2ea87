DROP INDEX idx_images_created_at ON images;
DROP TABLE IF EXISTS album_images;
DROP TABLE IF EXISTS albums;
