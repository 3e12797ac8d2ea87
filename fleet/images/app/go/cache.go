package main

import (
	"fmt"
	"net"
	"os"
	"time"

	"github.com/gomodule/redigo/redis"
)

const (
	cacheDB   = 0 // general cache (the real app: cache + job queue)
	sessionDB = 1 // sessions (the real app: fiber session storage)
)

func cacheAddr() string {
	return net.JoinHostPort(getEnvNonEmpty("CACHE_HOST", "127.0.0.1"), getEnvNonEmpty("CACHE_PORT", "6379"))
}

func dialCache(db int) (redis.Conn, error) {
	opts := []redis.DialOption{
		redis.DialConnectTimeout(5 * time.Second),
		redis.DialReadTimeout(5 * time.Second),
		redis.DialWriteTimeout(5 * time.Second),
		redis.DialDatabase(db), // SELECT <db> unless 0
	}
	if pw := getEnv("CACHE_PASSWORD", ""); pw != "" {
		opts = append(opts, redis.DialPassword(pw)) // AUTH <password>
	}
	return redis.Dial("tcp", cacheAddr(), opts...)
}

func newCachePool(db int) *redis.Pool {
	return &redis.Pool{
		MaxIdle:     4,
		MaxActive:   16,
		Wait:        true,
		IdleTimeout: 4 * time.Minute,
		Dial:        func() (redis.Conn, error) { return dialCache(db) },
		TestOnBorrow: func(c redis.Conn, t time.Time) error {
			if time.Since(t) < time.Minute {
				return nil
			}
			_, err := c.Do("PING")
			return err
		},
	}
}

func pingCache(db int) error {
	c, err := dialCache(db)
	if err != nil {
		return err
	}
	defer c.Close()
	pong, err := redis.String(c.Do("PING"))
	if err != nil {
		return err
	}
	if pong != "PONG" {
		return fmt.Errorf("unexpected PING answer %q", pong)
	}
	return nil
}

// connectCache: AUTH (when CACHE_PASSWORD is set) + PING on DB 0 and SELECT 1 + PING for the
// sessions; 3 tries 2 s apart (PXF_CACHE_TRIES / PXF_CACHE_RETRY_MS for tests), then exit 1.
func connectCache() (*redis.Pool, *redis.Pool) {
	tries := testKnob("PXF_CACHE_TRIES", 3)
	if tries < 1 {
		tries = 1
	}
	wait := time.Duration(testKnob("PXF_CACHE_RETRY_MS", 2000)) * time.Millisecond
	auth := "none"
	if getEnv("CACHE_PASSWORD", "") != "" {
		auth = "password"
	}
	var lastErr error
	for i := 1; i <= tries; i++ {
		err := pingCache(cacheDB)
		if err == nil {
			err = pingCache(sessionDB)
		}
		if err == nil {
			logInfo("cache connected", "addr", cacheAddr(), "auth", auth, "cache_db", cacheDB, "session_db", sessionDB,
				"try", fmt.Sprintf("%d/%d", i, tries))
			return newCachePool(cacheDB), newCachePool(sessionDB)
		}
		lastErr = err
		if i < tries {
			logInfo("cache connection failed, retrying", "try", fmt.Sprintf("%d/%d", i, tries), "retry_in", wait, "error", err)
			sleepOrStop(wait)
		} else {
			logInfo("cache connection failed", "try", fmt.Sprintf("%d/%d", i, tries), "error", err)
		}
	}
	logError("cache unreachable, giving up", "addr", cacheAddr(), "auth", auth, "tries", tries, "error", lastErr)
	os.Exit(1)
	return nil, nil
}
