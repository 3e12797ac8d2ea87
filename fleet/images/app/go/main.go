// Stand-in PixelFox app for the sandbox fleet (replaces the former C stand-in).
//
// Start-up mirrors the real app (ManuelReschke/PixelFox, cmd/pixelfox + internal/pkg/database,
// internal/pkg/cache): read .env, connect to MySQL/MariaDB (5 tries, 5 s apart, then exit), run the
// auto-migrate under GET_LOCK('pixelfox_automigrate') unless DB_AUTO_MIGRATE is off, connect to the
// cache (Redis protocol), then listen on APP_HOST:APP_PORT. A version containing "-broken" does all
// of that, then accepts connections and reads requests but never answers.
// Routes and answers: README.md beside this file.
package main

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gomodule/redigo/redis"
)

const (
	idleTimeout  = 60 * time.Second
	drainTimeout = 5 * time.Second
)

type app struct {
	db        *sql.DB
	cache     *redis.Pool // Redis DB 0: general cache (rate-limit counters)
	sessions  *redis.Pool // Redis DB 1: sessions
	uploadDir string
	broken    bool
	nodeID    string
	envName   string
}

var (
	activeConns int64 // open connections (hijacked broken-mode ones included)
	inflight    int64 // requests being processed
	stopping    atomic.Bool
	serving     atomic.Bool
	stopCh      = make(chan struct{})
	stopOnce    sync.Once
)

func readVersion() string {
	v := "dev"
	if b, err := os.ReadFile("/app/VERSION"); err == nil {
		line := strings.SplitN(string(b), "\n", 2)[0]
		v = strings.TrimRight(line, "\r")
	}
	if ov := getEnv("APP_VERSION_OVERRIDE", ""); ov != "" {
		v = ov
	}
	return v
}

// resolveHost accepts an IPv4 literal or "localhost" (127.0.0.1), as the C version did.
func resolveHost(h string) (net.IP, bool) {
	if h == "" || h == "localhost" {
		h = "127.0.0.1"
	}
	ip := net.ParseIP(h)
	if ip == nil || ip.To4() == nil {
		return nil, false
	}
	return ip.To4(), true
}

func exitStopped() {
	logInfo("SIGTERM received, draining", "open_connections", 0, "inflight", 0)
	logInfo("stopped", "open_connections", 0)
	os.Exit(0)
}

// sleepOrStop waits d, or exits 0 (with the usual drain lines) when SIGTERM/SIGINT arrives first.
func sleepOrStop(d time.Duration) {
	select {
	case <-time.After(d):
	case <-stopCh:
		exitStopped()
	}
}

func main() {
	env := loadDotenv()
	version = readVersion()
	a := &app{
		broken:    strings.Contains(version, "-broken"),
		nodeID:    getEnvNonEmpty("NODE_ID", "app"),
		envName:   getEnvNonEmpty("APP_ENV", "dev"),
		uploadDir: "/app/uploads",
	}
	if d := os.Getenv("PXF_UPLOAD_DIR"); d != "" {
		a.uploadDir = d
	}

	sigCh := make(chan os.Signal, 2)
	signal.Notify(sigCh, syscall.SIGTERM, syscall.SIGINT)
	signal.Ignore(syscall.SIGPIPE)
	go func() {
		for range sigCh {
			if !serving.Load() { // still starting up: nothing to drain
				exitStopped()
			}
			stopOnce.Do(func() { close(stopCh) })
		}
	}()

	host := getEnvNonEmpty("APP_HOST", "localhost")
	portStr := getEnvNonEmpty("APP_PORT", "4000")
	port, _ := strconv.Atoi(portStr)
	ip, ok := resolveHost(host)
	if !ok {
		logInfo("cannot resolve APP_HOST", "host", host)
		os.Exit(2)
	}

	logInfo("PixelFox stand-in starting", "env", a.envName, "node", a.nodeID)
	logInfo("config", "db", getEnvNonEmpty("DB_HOST", "127.0.0.1")+":"+getEnvNonEmpty("DB_PORT", "3306")+"/"+getEnv("DB_NAME", ""),
		"cache", getEnvNonEmpty("CACHE_HOST", "127.0.0.1")+":"+getEnvNonEmpty("CACHE_PORT", "6379"), "domain", getEnv("PUBLIC_DOMAIN", ""))
	if a.broken {
		logInfo("WARNING: broken build, requests will hang")
	}
	for _, e := range env.errs {
		logInfo(".env file not usable, skipped", "error", e)
	}
	if env.file != "" {
		logInfo(".env loaded (its values win over the OS environment)", "file", env.file, "keys", env.keys)
	} else {
		logInfo("no .env file found, using the OS environment")
	}

	a.db = connectDB()
	if envBoolOff("DB_AUTO_MIGRATE") {
		logInfo("auto-migrate disabled by DB_AUTO_MIGRATE", "value", getEnv("DB_AUTO_MIGRATE", ""))
	} else if err := autoMigrate(a.db, a.uploadDir); err != nil {
		logError("auto-migrate failed", "error", err)
		os.Exit(1)
	}
	applyStoragePoolDefaults(a.db)
	a.cache, a.sessions = connectCache()

	ln, err := net.Listen("tcp4", net.JoinHostPort(ip.String(), strconv.Itoa(port)))
	if err != nil {
		logInfo("listen failed", "addr", host+":"+strconv.Itoa(port), "error", strerror(err))
		os.Exit(1)
	}
	srv := &http.Server{
		Handler:           a,
		IdleTimeout:       idleTimeout,
		ReadHeaderTimeout: idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
		ConnState: func(c net.Conn, s http.ConnState) {
			switch s {
			case http.StateNew:
				atomic.AddInt64(&activeConns, 1)
			case http.StateClosed:
				atomic.AddInt64(&activeConns, -1)
			}
		},
	}
	srv.SetKeepAlivesEnabled(true)
	logInfo("listening", "addr", host+":"+strconv.Itoa(port))
	serving.Store(true)
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			logError("serve failed", "error", err)
			os.Exit(1)
		}
	}()

	<-stopCh
	stopping.Store(true)
	deadline := time.Now().Add(drainTimeout)
	logInfo("SIGTERM received, draining", "open_connections", atomic.LoadInt64(&activeConns), "inflight", atomic.LoadInt64(&inflight))
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	_ = srv.Shutdown(ctx) // closes the listener and idle keep-alive connections, waits for in-flight requests
	cancel()
	for time.Now().Before(deadline) && atomic.LoadInt64(&activeConns) > 0 {
		time.Sleep(100 * time.Millisecond) // hijacked (broken-mode) connections close on stopCh
	}
	logInfo("stopped", "open_connections", atomic.LoadInt64(&activeConns))
	_ = srv.Close()
	a.db.Close()
	a.cache.Close()
	a.sessions.Close()
	os.Exit(0)
}
