package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/joho/godotenv"
)

// Like the real app (internal/pkg/env): a .env file is read first (./.env, then ../../.env, then
// ../../../.env; the first that parses wins) with godotenv. A key present in that file wins over the
// OS environment, even when its value is empty; the OS environment is used only for keys the file
// does not have, and only when non-empty; then the default.
var dotenv = map[string]string{}

type dotenvResult struct {
	file string
	keys int
	errs []string
}

func loadDotenv() dotenvResult {
	var res dotenvResult
	for _, f := range []string{".env", "../../.env", "../../../.env"} {
		m, err := godotenv.Read(f)
		if err == nil {
			dotenv = m
			abs, _ := filepath.Abs(f)
			res.file, res.keys = abs, len(m)
			return res
		}
		if !os.IsNotExist(err) {
			res.errs = append(res.errs, f+": "+err.Error())
		}
	}
	dotenv = map[string]string{}
	return res
}

func getEnv(key, def string) string {
	if v, ok := dotenv[key]; ok {
		return v
	}
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// getEnvNonEmpty is getEnv where an empty value (e.g. "DB_HOST=" in .env) also means the default.
func getEnvNonEmpty(key, def string) string {
	if v := getEnv(key, def); v != "" {
		return v
	}
	return def
}

// testKnob reads an undocumented test-only override (PXF_*) from the process environment.
func testKnob(key string, def int) int {
	if v, err := strconv.Atoi(strings.TrimSpace(os.Getenv(key))); err == nil && v >= 0 {
		return v
	}
	return def
}

func envBoolOff(key string) bool {
	switch strings.ToLower(strings.TrimSpace(getEnv(key, "1"))) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}
