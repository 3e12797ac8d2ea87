package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Log format (kept byte-compatible with the former C stand-in):
//   stderr: <ts> level=info|error version=<v> msg="..." k=v ...
//   stdout: <ts> <peer ip:port> "<METHOD> <path> HTTP/1.1" <status> <bytes> <ms>ms version=<v>

var (
	logMu   sync.Mutex
	version = "dev"
)

func timestamp() string { return time.Now().UTC().Format("2006-01-02T15:04:05.000Z") }

// fmtVal renders a k=v value: errors are always quoted (as the C version did for error="..."),
// other values only when they contain spaces, quotes or '='.
func fmtVal(v interface{}) string {
	var s string
	switch x := v.(type) {
	case error:
		return strconv.Quote(x.Error())
	case string:
		s = x
	case time.Duration:
		s = x.String()
	default:
		s = fmt.Sprint(x)
	}
	if strings.ContainsAny(s, " \"=\t\r\n\\") {
		return strconv.Quote(s)
	}
	return s
}

func logAt(level, msg string, kv ...interface{}) {
	var b strings.Builder
	b.WriteString(timestamp())
	b.WriteString(" level=")
	b.WriteString(level)
	b.WriteString(" version=")
	b.WriteString(version)
	b.WriteString(` msg="`)
	b.WriteString(msg)
	b.WriteByte('"')
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteByte(' ')
		b.WriteString(fmt.Sprint(kv[i]))
		b.WriteByte('=')
		b.WriteString(fmtVal(kv[i+1]))
	}
	b.WriteByte('\n')
	logMu.Lock()
	os.Stderr.WriteString(b.String())
	logMu.Unlock()
}

func logInfo(msg string, kv ...interface{})  { logAt("info", msg, kv...) }
func logError(msg string, kv ...interface{}) { logAt("error", msg, kv...) }

func accessLog(peer, method, uri string, status int, bytes int64, d time.Duration) {
	line := fmt.Sprintf("%s %s \"%s %s HTTP/1.1\" %d %d %.1fms version=%s\n", timestamp(), peer, method, uri,
		status, bytes, float64(d.Nanoseconds())/1e6, version)
	logMu.Lock()
	os.Stdout.WriteString(line)
	logMu.Unlock()
}

// strerror gives the libc wording of a syscall error ("Address already in use"), as the C version logged.
func strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return err.Error()
}
