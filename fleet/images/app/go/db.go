package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

type nopLogger struct{}

func (nopLogger) Print(...interface{}) {}

func dbConfig() *mysql.Config {
	c := mysql.NewConfig()
	c.User = getEnv("DB_USER", "")
	c.Passwd = getEnv("DB_PASSWORD", "")
	c.Net = "tcp"
	c.Addr = net.JoinHostPort(getEnvNonEmpty("DB_HOST", "127.0.0.1"), getEnvNonEmpty("DB_PORT", "3306"))
	c.DBName = getEnv("DB_NAME", "")
	c.Params = map[string]string{"charset": "utf8mb4"}
	c.ParseTime = true
	c.Loc = time.Local
	c.Timeout = 5 * time.Second // dial timeout, so an unroutable host fails a try instead of hanging
	return c
}

// connectDB: like the real setup.go, 5 tries 5 s apart (PXF_DB_TRIES / PXF_DB_RETRY_MS for tests),
// each failure logged with the driver's error; after the last one, log level=error and exit 1.
func connectDB() *sql.DB {
	_ = mysql.SetLogger(nopLogger{}) // the driver's own stderr lines would break the log format
	tries := testKnob("PXF_DB_TRIES", 5)
	if tries < 1 {
		tries = 1
	}
	wait := time.Duration(testKnob("PXF_DB_RETRY_MS", 5000)) * time.Millisecond
	cfg := dbConfig()
	var lastErr error
	for i := 1; i <= tries; i++ {
		db, err := sql.Open("mysql", cfg.FormatDSN())
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err = db.PingContext(ctx)
			cancel()
			if err == nil {
				db.SetMaxOpenConns(20)
				db.SetMaxIdleConns(5)
				db.SetConnMaxLifetime(time.Hour)
				db.SetConnMaxIdleTime(10 * time.Minute)
				logInfo("database connected", "addr", cfg.Addr, "name", cfg.DBName, "user", cfg.User, "try", fmt.Sprintf("%d/%d", i, tries))
				return db
			}
			db.Close()
		}
		lastErr = err
		if i < tries {
			logInfo("database connection failed, retrying", "try", fmt.Sprintf("%d/%d", i, tries), "retry_in", wait, "error", err)
			sleepOrStop(wait)
		} else {
			logInfo("database connection failed", "try", fmt.Sprintf("%d/%d", i, tries), "error", err)
		}
	}
	logError("database unreachable, giving up", "addr", cfg.Addr, "tries", tries, "error", lastErr)
	os.Exit(1)
	return nil
}

// ---- schema ------------------------------------------------------------------------------------
// The same tables and columns as fleet/images/app/migrations/ (000001, 000002) plus
// migrations-v1.1.0/ (000003) produce together: SHOW CREATE TABLE is identical either way.

type tableDDL struct{ name, ddl string }

const tableOpts = ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"

var schema = []tableDDL{
	{"users", `CREATE TABLE IF NOT EXISTS users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(150) NOT NULL DEFAULT '',
  email VARCHAR(255) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  role ENUM('user','admin') NOT NULL DEFAULT 'user',
  status ENUM('active','inactive','disabled') NOT NULL DEFAULT 'active',
  last_login_at DATETIME NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_users_email (email)
` + tableOpts},
	{"storage_pools", `CREATE TABLE IF NOT EXISTS storage_pools (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  base_path VARCHAR(500) NOT NULL,
  public_base_url VARCHAR(500) NOT NULL DEFAULT '',
  upload_api_url VARCHAR(500) NOT NULL DEFAULT '',
  node_id VARCHAR(100) NOT NULL DEFAULT '',
  storage_type ENUM('local','nfs','s3') NOT NULL DEFAULT 'local',
  storage_tier ENUM('hot','warm','cold','archive') NOT NULL DEFAULT 'hot',
  max_size BIGINT UNSIGNED NOT NULL DEFAULT 0,
  used_size BIGINT UNSIGNED NOT NULL DEFAULT 0,
  is_active TINYINT(1) NOT NULL DEFAULT 1,
  is_default TINYINT(1) NOT NULL DEFAULT 0,
  priority INT NOT NULL DEFAULT 100,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_storage_pools_name (name)
` + tableOpts},
	{"images", `CREATE TABLE IF NOT EXISTS images (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid CHAR(36) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  storage_pool_id BIGINT UNSIGNED NULL,
  file_name VARCHAR(255) NOT NULL,
  file_path VARCHAR(500) NOT NULL,
  file_size BIGINT UNSIGNED NOT NULL DEFAULT 0,
  file_type VARCHAR(100) NOT NULL DEFAULT 'image/jpeg',
  width INT UNSIGNED NOT NULL DEFAULT 0,
  height INT UNSIGNED NOT NULL DEFAULT 0,
  title VARCHAR(255) NOT NULL DEFAULT '',
  is_public TINYINT(1) NOT NULL DEFAULT 1,
  has_variants TINYINT(1) NOT NULL DEFAULT 0,
  view_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
  download_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_images_uuid (uuid),
  KEY idx_images_user_id (user_id),
  KEY idx_images_storage_pool_id (storage_pool_id),
  KEY idx_images_created_at (created_at),
  CONSTRAINT fk_images_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_images_storage_pool FOREIGN KEY (storage_pool_id) REFERENCES storage_pools (id) ON DELETE SET NULL
` + tableOpts},
	{"image_variants", `CREATE TABLE IF NOT EXISTS image_variants (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  image_id BIGINT UNSIGNED NOT NULL,
  variant_type ENUM('thumbnail_small','thumbnail_medium','webp','avif') NOT NULL,
  file_path VARCHAR(500) NOT NULL,
  file_size BIGINT UNSIGNED NOT NULL DEFAULT 0,
  width INT UNSIGNED NOT NULL DEFAULT 0,
  height INT UNSIGNED NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_image_variants_image_type (image_id, variant_type),
  CONSTRAINT fk_image_variants_image FOREIGN KEY (image_id) REFERENCES images (id) ON DELETE CASCADE
` + tableOpts},
	{"albums", `CREATE TABLE IF NOT EXISTS albums (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id BIGINT UNSIGNED NOT NULL,
  title VARCHAR(255) NOT NULL,
  description TEXT NULL,
  cover_image_id BIGINT UNSIGNED NULL,
  is_public TINYINT(1) NOT NULL DEFAULT 0,
  share_link CHAR(36) NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_albums_share_link (share_link),
  KEY idx_albums_user_id (user_id),
  CONSTRAINT fk_albums_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_albums_cover FOREIGN KEY (cover_image_id) REFERENCES images (id) ON DELETE SET NULL
` + tableOpts},
	{"album_images", `CREATE TABLE IF NOT EXISTS album_images (
  album_id BIGINT UNSIGNED NOT NULL,
  image_id BIGINT UNSIGNED NOT NULL,
  position INT NOT NULL DEFAULT 0,
  added_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (album_id, image_id),
  KEY idx_album_images_image_id (image_id),
  CONSTRAINT fk_album_images_album FOREIGN KEY (album_id) REFERENCES albums (id) ON DELETE CASCADE,
  CONSTRAINT fk_album_images_image FOREIGN KEY (image_id) REFERENCES images (id) ON DELETE CASCADE
` + tableOpts},
}

// Like GORM's AutoMigrate, columns and indexes missing from an existing table are added (e.g. a
// database that the v1.0.0 SQL migrations created lacks images.has_variants).
var extraColumns = []struct{ table, column, ddl string }{
	{"images", "has_variants", "ALTER TABLE images ADD COLUMN has_variants TINYINT(1) NOT NULL DEFAULT 0 AFTER is_public"},
}
var extraIndexes = []struct{ table, index, ddl string }{
	{"images", "idx_images_created_at", "CREATE INDEX idx_images_created_at ON images (created_at)"},
}

func lockTimeoutSec() (int, error) {
	raw := strings.TrimSpace(getEnv("DB_AUTO_MIGRATE_LOCK_TIMEOUT_SEC", ""))
	if raw == "" {
		return 30, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("invalid DB_AUTO_MIGRATE_LOCK_TIMEOUT_SEC value %q", raw)
	}
	return n, nil
}

// autoMigrate creates the tables (and the default storage pool when there is none) while holding
// the named lock, on one connection (MySQL locks belong to a session).
func autoMigrate(db *sql.DB, uploadDir string) error {
	ctx := context.Background()
	lockName := getEnvNonEmpty("DB_AUTO_MIGRATE_LOCK_NAME", "pixelfox_automigrate")
	timeout, err := lockTimeoutSec()
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()

	start := time.Now()
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", lockName, timeout).Scan(&got); err != nil {
		return fmt.Errorf("failed to acquire automigrate lock %q: %w", lockName, err)
	}
	if !got.Valid || got.Int64 != 1 {
		return fmt.Errorf("failed to acquire automigrate lock %q within %ds", lockName, timeout)
	}
	logInfo("auto-migrate: lock acquired", "lock", lockName, "waited_ms", time.Since(start).Milliseconds())
	defer func() {
		var rel sql.NullInt64
		if err := conn.QueryRowContext(ctx, "SELECT RELEASE_LOCK(?)", lockName).Scan(&rel); err != nil {
			logError("auto-migrate: failed to release lock", "lock", lockName, "error", err)
		} else if !rel.Valid || rel.Int64 != 1 {
			logError("auto-migrate: lock was not released cleanly", "lock", lockName, "result", rel.Int64)
		} else {
			logInfo("auto-migrate: lock released", "lock", lockName)
		}
	}()

	exists := func(q string, args ...interface{}) (bool, error) {
		var n int
		err := conn.QueryRowContext(ctx, q, args...).Scan(&n)
		return n > 0, err
	}
	var created, kept []string
	for _, t := range schema {
		had, err := exists("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", t.name)
		if err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, t.ddl); err != nil {
			return fmt.Errorf("create table %s: %w", t.name, err)
		}
		if had {
			kept = append(kept, t.name)
		} else {
			created = append(created, t.name)
		}
	}
	for _, c := range extraColumns {
		has, err := exists("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?", c.table, c.column)
		if err != nil {
			return err
		}
		if !has {
			if _, err := conn.ExecContext(ctx, c.ddl); err != nil {
				return fmt.Errorf("add column %s.%s: %w", c.table, c.column, err)
			}
			logInfo("auto-migrate: added missing column", "column", c.table+"."+c.column)
		}
	}
	for _, ix := range extraIndexes {
		has, err := exists("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ?", ix.table, ix.index)
		if err != nil {
			return err
		}
		if !has {
			if _, err := conn.ExecContext(ctx, ix.ddl); err != nil {
				return fmt.Errorf("create index %s: %w", ix.index, err)
			}
			logInfo("auto-migrate: added missing index", "index", ix.table+"."+ix.index)
		}
	}
	logInfo("auto-migrate: tables ready", "created", strings.Join(created, ","), "existing", strings.Join(kept, ","))

	var pools int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM storage_pools").Scan(&pools); err != nil {
		return err
	}
	if pools == 0 {
		base, upload := poolURLs()
		res, err := conn.ExecContext(ctx, `INSERT INTO storage_pools (name, base_path, public_base_url, upload_api_url, node_id,
  storage_type, storage_tier, max_size, used_size, is_active, is_default, priority)
VALUES ('Default Local Storage', ?, ?, ?, 'local', 'local', 'hot', 107374182400, 0, 1, 1, 99)`, uploadDir, base, upload)
		if err != nil {
			return fmt.Errorf("insert default storage pool: %w", err)
		}
		id, _ := res.LastInsertId()
		logInfo("auto-migrate: inserted the default storage pool", "id", id, "public_base_url", base, "upload_api_url", upload)
	}
	return nil
}

// poolURLs derives the default pool's URLs from PUBLIC_DOMAIN as the real setup.go does:
// public_base_url = PUBLIC_DOMAIN, upload_api_url = PUBLIC_DOMAIN (without a trailing /) + /api/internal/upload.
func poolURLs() (string, string) {
	base := getEnv("PUBLIC_DOMAIN", "")
	if base == "" {
		return "", ""
	}
	return base, strings.TrimSuffix(base, "/") + "/api/internal/upload"
}

// applyStoragePoolDefaults mirrors the real applyStoragePoolDefaults: on every start (auto-migrate
// or not), the default pool's empty public_base_url / upload_api_url / node_id are filled in.
func applyStoragePoolDefaults(db *sql.DB) {
	var id int64
	var base, upload, node string
	err := db.QueryRow("SELECT id, public_base_url, upload_api_url, node_id FROM storage_pools WHERE is_default = 1 ORDER BY id LIMIT 1").Scan(&id, &base, &upload, &node)
	if err != nil {
		if err != sql.ErrNoRows {
			logInfo("storage pool defaults skipped", "error", err)
		}
		return
	}
	changed := []string{}
	if base == "" {
		base = getEnv("PUBLIC_DOMAIN", "")
		if base != "" {
			changed = append(changed, "public_base_url")
		}
	}
	if upload == "" && base != "" {
		upload = strings.TrimSuffix(base, "/") + "/api/internal/upload"
		changed = append(changed, "upload_api_url")
	}
	if node == "" {
		node = "local"
		changed = append(changed, "node_id")
	}
	if len(changed) == 0 {
		return
	}
	if _, err := db.Exec("UPDATE storage_pools SET public_base_url = ?, upload_api_url = ?, node_id = ? WHERE id = ?", base, upload, node, id); err != nil {
		logError("failed to apply storage pool defaults", "error", err)
		return
	}
	logInfo("storage pool defaults applied", "id", id, "fields", strings.Join(changed, ","), "public_base_url", base, "upload_api_url", upload)
}

type pool struct {
	id            int64
	publicBaseURL string
	uploadAPIURL  string
}

// selectPool picks the pool for a new upload: active, default first, then by priority.
func (a *app) selectPool() (*pool, error) {
	p := &pool{}
	err := a.db.QueryRow(`SELECT id, public_base_url, upload_api_url FROM storage_pools WHERE is_active = 1
ORDER BY is_default DESC, priority ASC, id ASC LIMIT 1`).Scan(&p.id, &p.publicBaseURL, &p.uploadAPIURL)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (a *app) poolByID(id int64) (*pool, error) {
	p := &pool{}
	err := a.db.QueryRow("SELECT id, public_base_url, upload_api_url FROM storage_pools WHERE id = ?", id).Scan(&p.id, &p.publicBaseURL, &p.uploadAPIURL)
	if err != nil {
		return nil, err
	}
	return p, nil
}
