package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// recorder counts the status and the body bytes for the access log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	head   bool
	hijack bool
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	if !r.head {
		r.bytes += int64(n)
	}
	return n, err
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("hijack not supported")
	}
	r.hijack = true
	return hj.Hijack()
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t0 := time.Now()
	atomic.AddInt64(&inflight, 1)
	rec := &recorder{ResponseWriter: w, head: r.Method == http.MethodHead}
	if a.broken {
		logInfo("request received, not answering (broken build)", "method", r.Method, "path", r.RequestURI)
		atomic.AddInt64(&inflight, -1)
		hang(rec)
		return
	}
	h := w.Header()
	h.Set("Server", "pixelfox-standin")
	h.Set("X-App-Version", version)
	if stopping.Load() {
		h.Set("Connection", "close") // draining: answer, then close
	} else {
		h.Set("Connection", "keep-alive")
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				logError("panic while serving", "method", r.Method, "path", r.RequestURI, "error", fmt.Sprint(p))
				if rec.status == 0 {
					writeJSON(rec, r, http.StatusInternalServerError, apiErr("internal_server_error", "internal error"))
				}
			}
		}()
		a.route(rec, r)
	}()
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	atomic.AddInt64(&inflight, -1)
	accessLog(r.RemoteAddr, r.Method, r.RequestURI, rec.status, rec.bytes, time.Since(t0))
}

// hang takes the connection away from net/http (so nothing is ever written), reads and discards
// whatever the peer sends, and closes when the peer gives up or the app stops.
func hang(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		<-stopCh
		return
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		<-stopCh
		return
	}
	// net/http sends no StateClosed for a hijacked connection: it stays counted until closed here.
	go func() {
		defer func() {
			conn.Close()
			atomic.AddInt64(&activeConns, -1)
		}()
		buf := make([]byte, 4096)
		for {
			select {
			case <-stopCh:
				return
			default:
			}
			_ = conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
			if _, err := rw.Read(buf); err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					continue
				}
				return
			}
		}
	}()
}

// ---- answers -----------------------------------------------------------------------------------

func respond(w http.ResponseWriter, r *http.Request, status int, ctype string, body []byte) {
	h := w.Header()
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	if status == http.StatusNoContent || status == http.StatusNotModified {
		body = nil
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead && len(body) > 0 {
		_, _ = w.Write(body)
	}
}

func jsonBytes(v interface{}) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v interface{}) {
	respond(w, r, status, "application/json", jsonBytes(v))
}

func writeHTML(w http.ResponseWriter, r *http.Request, status int, body string) {
	respond(w, r, status, "text/html; charset=utf-8", []byte(body))
}

type obj = map[string]interface{}

// apiErr is the real app's error shape: {"error": "<code>", "message": "<text>"}.
func apiErr(code, msg string) obj { return obj{"error": code, "message": msg} }

func notFound(w http.ResponseWriter, r *http.Request) {
	respond(w, r, http.StatusNotFound, "application/json", []byte(`{"error":"not found"}`))
}

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	w.Header().Set("Location", to)
	respond(w, r, http.StatusFound, "text/plain; charset=utf-8", []byte("Found. Redirecting to "+to))
}

// wantsJSON: JSON answers for JSON requests or clients that accept JSON; otherwise form posts get
// redirects and pages get HTML, as in the real app.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "application/json") ||
		strings.Contains(strings.ToLower(r.Header.Get("Accept")), "application/json")
}

// input reads a JSON object, an urlencoded form or a multipart form into string values.
func input(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	switch {
	case strings.HasPrefix(ct, "application/json"):
		var m map[string]interface{}
		dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("invalid JSON body: %v", err)
		}
		for k, v := range m {
			switch x := v.(type) {
			case string:
				out[k] = x
			case nil:
			default:
				out[k] = fmt.Sprint(x)
			}
		}
	case strings.HasPrefix(ct, "multipart/form-data"):
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return nil, fmt.Errorf("invalid multipart form: %v", err)
		}
		for k, v := range r.MultipartForm.Value {
			if len(v) > 0 {
				out[k] = v[0]
			}
		}
	default:
		r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("invalid form: %v", err)
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				out[k] = v[0]
			}
		}
	}
	return out, nil
}

// ---- routes ------------------------------------------------------------------------------------

func (a *app) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	m := r.Method
	head := m == http.MethodHead
	get := m == http.MethodGet || head
	post := m == http.MethodPost
	switch {
	case get && p == "/api/v1/ping":
		respond(w, r, http.StatusOK, "application/json", []byte(`{"ping":"pong"}`))
	case (head || m == http.MethodOptions) && p == "/api/internal/upload":
		respond(w, r, http.StatusNoContent, "", nil)
	case get && p == "/api/v1/status":
		a.handleStatus(w, r)
	case get && p == "/":
		a.handleIndex(w, r)

	case get && p == "/register":
		writeHTML(w, r, http.StatusOK, registerPage(r))
	case post && p == "/register":
		a.handleRegister(w, r)
	case get && p == "/login":
		writeHTML(w, r, http.StatusOK, loginPage(r))
	case post && p == "/login":
		a.handleLogin(w, r)
	case post && p == "/logout":
		a.handleLogout(w, r)
	case get && p == "/user/profile":
		a.handleProfile(w, r)

	case post && p == "/upload":
		a.handleUpload(w, r)
	case get && p == "/user/images":
		a.handleUserImages(w, r)
	case post && strings.HasPrefix(p, "/user/images/delete/"):
		a.handleDelete(w, r, strings.TrimPrefix(p, "/user/images/delete/"))
	case get && strings.HasPrefix(p, "/image/"):
		a.handleImagePage(w, r, strings.TrimPrefix(p, "/image/"))
	case get && strings.HasPrefix(p, "/uploads/"):
		a.handleUploadsFile(w, r, strings.TrimPrefix(p, "/uploads/"))

	case post && p == "/api/internal/upload/sessions":
		a.handleUploadSession(w, r)
	case post && (p == "/api/internal/upload" || p == "/api/v1/upload"):
		a.handleDirectUpload(w, r)
	case m == http.MethodPut && p == "/api/internal/replicate":
		a.handleReplicate(w, r)
	default:
		notFound(w, r)
	}
}

func tcpReachable(host string, port int) bool {
	if host == "localhost" {
		host = "127.0.0.1"
	}
	c, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(port)), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

type statusDB struct {
	Host      string `json:"host"`
	Port      int    `json:"port"`
	Name      string `json:"name"`
	Reachable bool   `json:"reachable"`
}
type statusCache struct {
	Host      string `json:"host"`
	Port      int    `json:"port"`
	Reachable bool   `json:"reachable"`
}
type statusBody struct {
	Version string      `json:"version"`
	NodeID  string      `json:"nodeId"`
	Env     string      `json:"env"`
	DB      statusDB    `json:"db"`
	Cache   statusCache `json:"cache"`
}

// handleStatus: the same JSON as the C stand-in (TCP reachability of DB and cache, 1 s each).
func (a *app) handleStatus(w http.ResponseWriter, r *http.Request) {
	dbh := getEnvNonEmpty("DB_HOST", "127.0.0.1")
	dbp, _ := strconv.Atoi(getEnvNonEmpty("DB_PORT", "3306"))
	ch := getEnvNonEmpty("CACHE_HOST", "127.0.0.1")
	cp, _ := strconv.Atoi(getEnvNonEmpty("CACHE_PORT", "6379"))
	body := statusBody{
		Version: version, NodeID: a.nodeID, Env: a.envName,
		DB:    statusDB{Host: dbh, Port: dbp, Name: getEnv("DB_NAME", ""), Reachable: tcpReachable(dbh, dbp)},
		Cache: statusCache{Host: ch, Port: cp, Reachable: tcpReachable(ch, cp)},
	}
	writeJSON(w, r, http.StatusOK, body)
}

func (a *app) handleIndex(w http.ResponseWriter, r *http.Request) {
	writeHTML(w, r, http.StatusOK, fmt.Sprintf("<!doctype html><html><head><title>PixelFox</title></head><body>"+
		"<h1>PixelFox</h1><p>Image sharing (sandbox stand-in).</p>"+
		"<p id=\"version\">Version %s</p><p>Domain: %s</p></body></html>\n",
		html.EscapeString(version), html.EscapeString(getEnvNonEmpty("PUBLIC_DOMAIN", "http://localhost"))))
}

func page(title, body string) string {
	return "<!doctype html><html><head><title>PixelFox | " + html.EscapeString(title) + "</title></head><body>" +
		"<h1>" + html.EscapeString(title) + "</h1>" + body + "</body></html>\n"
}

func flashFromQuery(r *http.Request) string {
	if e := r.URL.Query().Get("error"); e != "" {
		return `<p id="error">` + html.EscapeString(e) + `</p>`
	}
	if m := r.URL.Query().Get("message"); m != "" {
		return `<p id="message">` + html.EscapeString(m) + `</p>`
	}
	return ""
}

func loginPage(r *http.Request) string {
	return page("Login", flashFromQuery(r)+`<form method="post" action="/login">`+
		`<label>E-Mail <input name="email" type="email"></label> <label>Password <input name="password" type="password"></label>`+
		`<button type="submit">Login</button></form>`)
}

func registerPage(r *http.Request) string {
	return page("Register", flashFromQuery(r)+`<form method="post" action="/register">`+
		`<label>Username <input name="username"></label> <label>E-Mail <input name="email" type="email"></label>`+
		`<label>Password <input name="password" type="password"></label> <label>Repeat <input name="password_confirm" type="password"></label>`+
		`<button type="submit">Register</button></form>`)
}

// multipartFile returns the first file of field "file" of a parsed multipart form.
func multipartFile(r *http.Request) *multipart.FileHeader {
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return nil
	}
	return r.MultipartForm.File["file"][0]
}
