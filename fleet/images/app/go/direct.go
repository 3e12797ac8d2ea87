package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const uploadTokenTTL = 30 * time.Minute // the real app's session TTL

// uploadClaims and the token format are the real app's (internal/pkg/security/upload_token.go):
// base64url(JSON claims) + "." + base64url(HMAC-SHA256(JSON claims, UPLOAD_TOKEN_SECRET)), unpadded.
type uploadClaims struct {
	UserID    int64 `json:"user_id"`
	PoolID    int64 `json:"pool_id"`
	MaxBytes  int64 `json:"max_bytes"`
	ExpiresAt int64 `json:"exp"`
}

func signUploadToken(c uploadClaims, secret string) (string, error) {
	if secret == "" {
		return "", errors.New("secret is required for token generation")
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(payload)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), nil
}

func verifyUploadToken(token, secret string) (*uploadClaims, error) {
	if secret == "" {
		return nil, errors.New("secret is required for token verification")
	}
	parts := strings.SplitN(token, ".", 2)
	if len(parts) != 2 {
		return nil, errors.New("invalid token format")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return nil, errors.New("invalid payload encoding")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, errors.New("invalid signature encoding")
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(payload)
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return nil, errors.New("invalid token signature")
	}
	var c uploadClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, errors.New("invalid payload")
	}
	if time.Now().Unix() > c.ExpiresAt {
		return nil, errors.New("token expired")
	}
	return &c, nil
}

func uploadSecret() string { return getEnv("UPLOAD_TOKEN_SECRET", "") }

// POST /api/internal/upload/sessions (logged-in user, JSON or form {file_size}).
func (a *app) handleUploadSession(w http.ResponseWriter, r *http.Request) {
	u, _ := a.currentUser(r)
	if u == nil {
		unauthorized(w, r, "Missing or invalid authentication")
		return
	}
	secret := uploadSecret()
	if secret == "" {
		logInfo("UPLOAD_TOKEN_SECRET not set; refusing to issue upload session")
		writeJSON(w, r, http.StatusServiceUnavailable, apiErr("service_unavailable", "upload token secret not configured"))
		return
	}
	in, err := input(r)
	if err != nil {
		writeJSON(w, r, http.StatusBadRequest, apiErr("bad_request", "Invalid request body"))
		return
	}
	size, _ := strconv.ParseInt(strings.TrimSpace(in["file_size"]), 10, 64)
	if size <= 0 {
		writeJSON(w, r, http.StatusBadRequest, apiErr("bad_request", "file_size must be > 0"))
		return
	}
	pl, err := a.selectPool()
	if err != nil {
		if err != sql.ErrNoRows {
			logError("select pool failed", "error", err)
		}
		writeJSON(w, r, http.StatusInternalServerError, apiErr("no_storage_pool", "no storage pool available"))
		return
	}
	if pl.uploadAPIURL == "" {
		writeJSON(w, r, http.StatusServiceUnavailable, apiErr("pool_misconfigured", "pool missing upload_api_url"))
		return
	}
	maxBytes := size
	if maxBytes > maxUploadBytes {
		maxBytes = maxUploadBytes
	}
	exp := time.Now().Add(uploadTokenTTL).Unix()
	token, err := signUploadToken(uploadClaims{UserID: u.UserID, PoolID: pl.id, MaxBytes: maxBytes, ExpiresAt: exp}, secret)
	if err != nil {
		writeJSON(w, r, http.StatusInternalServerError, apiErr("token_creation_failed", "failed to create token"))
		return
	}
	writeJSON(w, r, http.StatusOK, obj{"upload_url": pl.uploadAPIURL, "token": token, "pool_id": pl.id, "expires_at": exp, "max_bytes": maxBytes})
}

// POST /api/internal/upload and POST /api/v1/upload: multipart "file", token in
// "Authorization: Bearer <token>" or form field "token".
func (a *app) handleDirectUpload(w http.ResponseWriter, r *http.Request) {
	secret := uploadSecret()
	if secret == "" {
		writeJSON(w, r, http.StatusServiceUnavailable, apiErr("service_unavailable", "direct upload disabled: UPLOAD_TOKEN_SECRET not configured"))
		return
	}
	token := ""
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(strings.ToLower(auth), "bearer ") {
		token = strings.TrimSpace(auth[7:])
	}
	fh, perr := parseUpload(w, r)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if token == "" && r.MultipartForm != nil && len(r.MultipartForm.Value["token"]) > 0 {
		token = strings.TrimSpace(r.MultipartForm.Value["token"][0])
	}
	if token == "" {
		unauthorized(w, r, "missing token")
		return
	}
	claims, err := verifyUploadToken(token, secret)
	if err != nil {
		writeJSON(w, r, http.StatusUnauthorized, obj{"error": "unauthorized", "message": "invalid token", "reason": err.Error()})
		return
	}
	if perr != nil {
		answerUploadErr(w, r, perr)
		return
	}
	if fh.Size > claims.MaxBytes {
		writeJSON(w, r, http.StatusRequestEntityTooLarge, apiErr("payload_too_large", "file too large for session"))
		return
	}
	if a.rateLimited(claims.UserID) {
		writeJSON(w, r, http.StatusTooManyRequests, apiErr("too_many_requests", "upload rate limit exceeded"))
		return
	}
	pl, err := a.poolByID(claims.PoolID)
	if err != nil {
		writeJSON(w, r, http.StatusBadRequest, apiErr("bad_request", "invalid pool"))
		return
	}
	img, err := a.saveImage(claims.UserID, pl, fh)
	if err != nil {
		answerUploadErr(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, img.payload())
}

// PUT /api/internal/replicate: server-to-server copy of one file (the real HandleStorageReplicate).
// Auth "Authorization: Bearer <REPLICATION_SECRET>" or "X-Replicate-Secret: <secret>"; multipart
// pool_id, stored_path (original/... or variants/...), file, optional size and sha256.
func (a *app) handleReplicate(w http.ResponseWriter, r *http.Request) {
	secret := strings.TrimSpace(getEnv("REPLICATION_SECRET", ""))
	if secret == "" {
		logInfo("REPLICATION_SECRET not set; replication endpoint disabled")
		writeJSON(w, r, http.StatusServiceUnavailable, apiErr("service_unavailable", "replication disabled: REPLICATION_SECRET not configured"))
		return
	}
	ok := false
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(strings.ToLower(auth), "bearer ") {
		ok = hmac.Equal([]byte(strings.TrimSpace(auth[7:])), []byte(secret))
	}
	if !ok && hmac.Equal([]byte(strings.TrimSpace(r.Header.Get("X-Replicate-Secret"))), []byte(secret)) {
		ok = true
	}
	if !ok {
		logInfo("replication: unauthorized attempt", "peer", r.RemoteAddr)
		unauthorized(w, r, "invalid replication secret")
		return
	}
	fh, err := parseUpload(w, r)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if err != nil {
		answerUploadErr(w, r, err)
		return
	}
	val := func(k string) string {
		if v := r.MultipartForm.Value[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	poolID, err := strconv.ParseInt(val("pool_id"), 10, 64)
	if err != nil {
		writeJSON(w, r, http.StatusBadRequest, apiErr("bad_request", "missing or invalid pool_id"))
		return
	}
	if _, err := a.poolByID(poolID); err != nil {
		writeJSON(w, r, http.StatusBadRequest, apiErr("bad_request", "invalid pool_id"))
		return
	}
	stored := val("stored_path")
	if stored == "" && val("relative_path") != "" && val("file_name") != "" {
		stored = path.Join(strings.Trim(val("relative_path"), "/"), strings.Trim(val("file_name"), "/"))
	}
	if stored == "" {
		writeJSON(w, r, http.StatusBadRequest, apiErr("bad_request", "missing stored_path"))
		return
	}
	clean := strings.TrimPrefix(path.Clean("/"+stored), "/")
	if strings.Contains("/"+stored+"/", "/../") {
		writeJSON(w, r, http.StatusBadRequest, apiErr("bad_request", "invalid stored_path"))
		return
	}
	if !strings.HasPrefix(clean, "original/") && !strings.HasPrefix(clean, "variants/") {
		writeJSON(w, r, http.StatusBadRequest, apiErr("bad_request", "invalid path root"))
		return
	}
	want := strings.ToLower(val("sha256"))
	if want != "" && len(want) != 64 {
		writeJSON(w, r, http.StatusBadRequest, apiErr("bad_request", "invalid sha256"))
		return
	}
	expected := int64(-1)
	if s, err := strconv.ParseInt(val("size"), 10, 64); err == nil {
		expected = s
	}
	full, _ := a.uploadPath(clean)
	if st, err := os.Stat(full); err == nil && !st.IsDir() && want == "" {
		size := expected
		if size < 0 {
			size = fh.Size
		}
		if st.Size() == size {
			writeJSON(w, r, http.StatusOK, obj{"status": "ok", "skipped": true, "reason": "exists"})
			return
		}
	}
	f, err := fh.Open()
	if err != nil {
		writeJSON(w, r, http.StatusInternalServerError, apiErr("internal_server_error", "failed to open file"))
		return
	}
	defer f.Close()
	h := sha256.New()
	n, err := writeFileAtomic(full, io.TeeReader(f, h))
	if err != nil {
		logError("replication: store failed", "path", full, "error", err)
		writeJSON(w, r, http.StatusInternalServerError, apiErr("internal_server_error", "failed to store file"))
		return
	}
	if want != "" && hex.EncodeToString(h.Sum(nil)) != want {
		os.Remove(full)
		writeJSON(w, r, http.StatusUnprocessableEntity, apiErr("unprocessable_entity", "checksum mismatch"))
		return
	}
	logInfo("replication: stored file", "pool_id", poolID, "path", filepath.ToSlash(clean), "bytes", n, "peer", r.RemoteAddr)
	writeJSON(w, r, http.StatusOK, obj{"status": "ok"})
}
