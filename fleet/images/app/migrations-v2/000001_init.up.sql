-- Like the real PixelFox's first migration: seed rows only. The tables are created by the app's
-- auto-migrate at start, so on a database where the app has never started this fails
-- ("Table 'pixelfox_db.storage_pools' doesn't exist"); after one start it succeeds.

-- Default storage pool, only when there is none (the real seed's values; the app inserts its own
-- default pool from PUBLIC_DOMAIN at first start, so after a start this inserts nothing).
INSERT INTO `storage_pools` (`name`, `base_path`, `max_size`, `used_size`, `is_active`, `is_default`, `priority`, `storage_type`, `storage_tier`, `public_base_url`, `upload_api_url`, `node_id`, `created_at`, `updated_at`)
SELECT 'Default Local Storage', '/app/uploads', 107374182400, 0, 1, 1, 99, 'local', 'hot', 'http://localhost:8080', 'http://app:4000/api/internal/upload', 'local', NOW(), NOW()
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM `storage_pools` WHERE `is_default` = 1);

-- The real repository's two well-known test accounts, with its fixed, publicly known bcrypt hash
-- (explicit ids 1 and 2, as there: this fails if users with those ids already exist).
INSERT INTO `users` (`id`, `name`, `email`, `password_hash`, `role`, `status`, `last_login_at`, `created_at`, `updated_at`) VALUES
(1, 'admin', 'admin@test.de', '$2a$10$snSiiIIhQmVFVfELdcE0GOSbpVKkpY0PRGfA1JANIetlyrkUp0Ui6', 'admin', 'active', '2025-03-15 12:02:34', '2024-10-09 19:06:20', '2025-03-15 12:02:34'),
(2, 'test', 'test@test.de', '$2a$10$snSiiIIhQmVFVfELdcE0GOSbpVKkpY0PRGfA1JANIetlyrkUp0Ui6', 'user', 'active', '2025-04-29 17:53:04', '2024-10-09 19:07:44', '2025-04-29 17:53:04');
