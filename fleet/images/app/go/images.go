package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomodule/redigo/redis"
)

const (
	maxUploadBytes   = 50 << 20 // per file (the real app: per plan)
	maxPixels        = 40_000_000
	thumbSmall       = 200 // the real app's SmallThumbnailSize
	uploadsPerMinute = 60  // the real app's seeded upload_user_rate_limit_per_minute
)

var imageTypes = map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}
var allowedExt = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true}
var contentTypes = map[string]string{".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}

type uploadErr struct {
	status    int
	code, msg string
}

func (e *uploadErr) Error() string { return e.msg }

type storedImage struct {
	ID          int64
	UUID        string
	Title       string
	FileName    string
	FilePath    string // relative dir, e.g. original/2026/01/31
	FileSize    int64
	FileType    string
	Width       int
	Height      int
	ThumbPath   string // relative file, e.g. variants/2026/01/31/<uuid>_small.png ("" when none)
	ThumbWidth  int
	ThumbHeight int
	BaseURL     string
	CreatedAt   time.Time
}

func (s *storedImage) originalRel() string { return path.Join(s.FilePath, s.FileName) }

func absURL(base, rel string) string {
	p := "/uploads/" + rel
	if base == "" {
		return p
	}
	return strings.TrimSuffix(base, "/") + p
}

// payload is the upload answer, shaped like the real app's buildUploadResponseExtras.
func (s *storedImage) payload() obj {
	orig := absURL(s.BaseURL, s.originalRel())
	family := obj{"original": obj{"url": orig}}
	p := obj{
		"image_uuid": s.UUID, "view_url": "/image/" + s.UUID, "url": orig, "path": "/uploads/" + s.originalRel(),
		"content_type": s.FileType, "file_size": s.FileSize, "width": s.Width, "height": s.Height, "title": s.Title,
		"thumbnail": nil, "available_variants": []string{"original"}, "duplicate": false,
	}
	if s.ThumbPath != "" {
		t := absURL(s.BaseURL, s.ThumbPath)
		family["small"] = obj{"url": t}
		p["thumbnail"] = obj{"url": t, "path": "/uploads/" + s.ThumbPath, "width": s.ThumbWidth, "height": s.ThumbHeight}
	}
	p["variants"] = obj{"original": family}
	if !s.CreatedAt.IsZero() {
		p["created_at"] = s.CreatedAt.UTC().Format(time.RFC3339)
	}
	return p
}

// rateLimited counts uploads per user per minute in Redis DB 0 (key as in the real app).
func (a *app) rateLimited(userID int64) bool {
	conn := a.cache.Get()
	defer conn.Close()
	key := fmt.Sprintf("rate:upload:user:%d", userID)
	n, err := redis.Int(conn.Do("INCR", key))
	if err != nil {
		logError("upload rate counter failed", "error", err)
		return false
	}
	if n == 1 {
		_, _ = conn.Do("EXPIRE", key, 60)
	}
	return n > uploadsPerMinute
}

func writeFileAtomic(dst string, r io.Reader) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, err
	}
	tmp := dst + ".part"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return n, err
}

// saveImage validates, stores the original under <uploadDir>/original/YYYY/MM/DD/<uuid><ext>,
// records it in images, then writes a thumbnail (max 200 px, same format) under
// <uploadDir>/variants/YYYY/MM/DD/<uuid>_small<ext> and records it in image_variants.
func (a *app) saveImage(userID int64, pl *pool, fh *multipart.FileHeader) (*storedImage, error) {
	ext := strings.ToLower(filepath.Ext(fh.Filename))
	if !allowedExt[ext] {
		return nil, &uploadErr{http.StatusUnsupportedMediaType, "unsupported_media_type", "only PNG, JPEG and GIF files (.png, .jpg, .jpeg, .gif) are supported"}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, &uploadErr{http.StatusInternalServerError, "internal_server_error", "failed to open file"}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxUploadBytes+1))
	if err != nil {
		return nil, &uploadErr{http.StatusInternalServerError, "internal_server_error", "failed to read file"}
	}
	if len(data) > maxUploadBytes {
		return nil, &uploadErr{http.StatusRequestEntityTooLarge, "payload_too_large", fmt.Sprintf("file larger than %d bytes", maxUploadBytes)}
	}
	mimeType := http.DetectContentType(data)
	if _, ok := imageTypes[mimeType]; !ok {
		return nil, &uploadErr{http.StatusUnsupportedMediaType, "unsupported_media_type", "file content is not PNG, JPEG or GIF (detected " + mimeType + ")"}
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, &uploadErr{http.StatusUnsupportedMediaType, "unsupported_media_type", "cannot decode image: " + err.Error()}
	}
	if cfg.Width*cfg.Height > maxPixels {
		return nil, &uploadErr{http.StatusRequestEntityTooLarge, "payload_too_large", "image has too many pixels"}
	}
	if contentTypes[ext] != mimeType { // store under the extension of what the file really is
		ext = imageTypes[mimeType]
	}

	now := time.Now()
	s := &storedImage{UUID: newUUID(), Title: truncate(fh.Filename, 255), FileType: mimeType, Width: cfg.Width, Height: cfg.Height}
	rel := fmt.Sprintf("%d/%02d/%02d", now.Year(), now.Month(), now.Day())
	s.FileName = s.UUID + ext
	s.FilePath = path.Join("original", rel)
	dst := filepath.Join(a.uploadDir, filepath.FromSlash(s.originalRel()))
	if s.FileSize, err = writeFileAtomic(dst, bytes.NewReader(data)); err != nil {
		logError("storing upload failed", "path", dst, "error", err)
		return nil, &uploadErr{http.StatusInternalServerError, "internal_server_error", "failed to store file"}
	}
	var poolID interface{}
	if pl != nil {
		poolID = pl.id
		s.BaseURL = pl.publicBaseURL
	}
	res, err := a.db.Exec(`INSERT INTO images (uuid, user_id, storage_pool_id, file_name, file_path, file_size, file_type, width, height, title, is_public)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, s.UUID, userID, poolID, s.FileName, s.FilePath, s.FileSize, s.FileType, s.Width, s.Height, s.Title)
	if err != nil {
		os.Remove(dst)
		logError("image record failed", "error", err)
		return nil, &uploadErr{http.StatusInternalServerError, "internal_server_error", "failed to create image record: " + err.Error()}
	}
	s.ID, _ = res.LastInsertId()
	if err := a.makeThumbnail(s, data, rel, ext); err != nil {
		logError("thumbnail failed", "image_uuid", s.UUID, "error", err)
	}
	logInfo("image stored", "image_uuid", s.UUID, "user_id", userID, "path", s.originalRel(), "bytes", s.FileSize, "thumbnail", s.ThumbPath)
	return s, nil
}

func (a *app) makeThumbnail(s *storedImage, data []byte, rel, ext string) error {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return err
	}
	th := scaleDown(src, thumbSmall)
	var buf bytes.Buffer
	switch s.FileType {
	case "image/png":
		err = png.Encode(&buf, th)
	case "image/jpeg":
		err = jpeg.Encode(&buf, th, &jpeg.Options{Quality: 85})
	case "image/gif":
		err = gif.Encode(&buf, th, nil)
	}
	if err != nil {
		return err
	}
	relFile := path.Join("variants", rel, s.UUID+"_small"+ext)
	dst := filepath.Join(a.uploadDir, filepath.FromSlash(relFile))
	n, err := writeFileAtomic(dst, &buf)
	if err != nil {
		return err
	}
	b := th.Bounds()
	if _, err := a.db.Exec("INSERT INTO image_variants (image_id, variant_type, file_path, file_size, width, height) VALUES (?, 'thumbnail_small', ?, ?, ?, ?)",
		s.ID, relFile, n, b.Dx(), b.Dy()); err != nil {
		os.Remove(dst)
		return err
	}
	if _, err := a.db.Exec("UPDATE images SET has_variants = 1 WHERE id = ?", s.ID); err != nil {
		return err
	}
	s.ThumbPath, s.ThumbWidth, s.ThumbHeight = relFile, b.Dx(), b.Dy()
	return nil
}

// scaleDown fits src into max×max (never enlarges) with a box filter (at most 8×8 samples a pixel).
func scaleDown(src image.Image, max int) image.Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	nw, nh := w, h
	if w > max || h > max {
		if w >= h {
			nw, nh = max, h*max/w
		} else {
			nw, nh = w*max/h, max
		}
	}
	if nw < 1 {
		nw = 1
	}
	if nh < 1 {
		nh = 1
	}
	dst := image.NewNRGBA(image.Rect(0, 0, nw, nh))
	for y := 0; y < nh; y++ {
		y0, y1 := b.Min.Y+y*h/nh, b.Min.Y+(y+1)*h/nh
		if y1 <= y0 {
			y1 = y0 + 1
		}
		sy := (y1 - y0 + 7) / 8
		for x := 0; x < nw; x++ {
			x0, x1 := b.Min.X+x*w/nw, b.Min.X+(x+1)*w/nw
			if x1 <= x0 {
				x1 = x0 + 1
			}
			sx := (x1 - x0 + 7) / 8
			var r, g, bl, al, n uint64
			for yy := y0; yy < y1; yy += sy {
				for xx := x0; xx < x1; xx += sx {
					cr, cg, cb, ca := src.At(xx, yy).RGBA()
					r, g, bl, al, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), al+uint64(ca), n+1
				}
			}
			dst.Set(x, y, color.RGBA64{uint16(r / n), uint16(g / n), uint16(bl / n), uint16(al / n)})
		}
	}
	return dst
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func answerUploadErr(w http.ResponseWriter, r *http.Request, err error) {
	if ue, ok := err.(*uploadErr); ok {
		writeJSON(w, r, ue.status, apiErr(ue.code, ue.msg))
		return
	}
	writeJSON(w, r, http.StatusInternalServerError, apiErr("internal_server_error", err.Error()))
}

// parseUpload parses a multipart body (limited to maxUploadBytes + 1 MiB) and returns field "file".
func parseUpload(w http.ResponseWriter, r *http.Request) (*multipart.FileHeader, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes+(1<<20))
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if strings.Contains(err.Error(), "too large") {
			return nil, &uploadErr{http.StatusRequestEntityTooLarge, "payload_too_large", "request body too large"}
		}
		return nil, &uploadErr{http.StatusBadRequest, "bad_request", "invalid multipart form"}
	}
	fh := multipartFile(r)
	if fh == nil {
		return nil, &uploadErr{http.StatusBadRequest, "bad_request", "file missing (multipart field \"file\")"}
	}
	return fh, nil
}

// POST /upload: a logged-in user's upload (the real app's HandleUpload).
func (a *app) handleUpload(w http.ResponseWriter, r *http.Request) {
	s, _ := a.currentUser(r)
	if s == nil {
		unauthorized(w, r, "login required")
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
	if a.rateLimited(s.UserID) {
		writeJSON(w, r, http.StatusTooManyRequests, apiErr("too_many_requests", "upload rate limit exceeded"))
		return
	}
	pl, err := a.selectPool()
	if err != nil && err != sql.ErrNoRows {
		answerUploadErr(w, r, err)
		return
	}
	img, err := a.saveImage(s.UserID, pl, fh)
	if err != nil {
		answerUploadErr(w, r, err)
		return
	}
	if wantsJSON(r) {
		writeJSON(w, r, http.StatusOK, img.payload())
		return
	}
	redirect(w, r, "/image/"+img.UUID)
}

const imageCols = `i.id, i.uuid, i.title, i.file_name, i.file_path, i.file_size, i.file_type, i.width, i.height, i.created_at,
  COALESCE(v.file_path, ''), COALESCE(v.width, 0), COALESCE(v.height, 0), COALESCE(p.public_base_url, '')
FROM images i
LEFT JOIN image_variants v ON v.image_id = i.id AND v.variant_type = 'thumbnail_small'
LEFT JOIN storage_pools p ON p.id = i.storage_pool_id`

func scanImage(sc interface{ Scan(...interface{}) error }) (*storedImage, error) {
	s := &storedImage{}
	err := sc.Scan(&s.ID, &s.UUID, &s.Title, &s.FileName, &s.FilePath, &s.FileSize, &s.FileType, &s.Width, &s.Height, &s.CreatedAt,
		&s.ThumbPath, &s.ThumbWidth, &s.ThumbHeight, &s.BaseURL)
	return s, err
}

// GET /image/<uuid>: the image's page (JSON with Accept: application/json).
func (a *app) handleImagePage(w http.ResponseWriter, r *http.Request, uuid string) {
	s, err := scanImage(a.db.QueryRow("SELECT "+imageCols+" WHERE i.uuid = ?", uuid))
	if err == sql.ErrNoRows {
		notFound(w, r)
		return
	} else if err != nil {
		writeJSON(w, r, http.StatusInternalServerError, apiErr("internal_server_error", err.Error()))
		return
	}
	if wantsJSON(r) {
		writeJSON(w, r, http.StatusOK, s.payload())
		return
	}
	body := fmt.Sprintf(`<p><img id="image" src="/uploads/%s" alt="%s"></p>`, html.EscapeString(s.originalRel()), html.EscapeString(s.Title))
	if s.ThumbPath != "" {
		body += fmt.Sprintf(`<p><img id="thumbnail" src="/uploads/%s" alt="thumbnail"></p>`, html.EscapeString(s.ThumbPath))
	}
	writeHTML(w, r, http.StatusOK, page(s.Title, body))
}

// GET /user/images: the logged-in user's images, newest first (at most 100).
func (a *app) handleUserImages(w http.ResponseWriter, r *http.Request) {
	u := a.requireUser(w, r, true)
	if u == nil {
		return
	}
	rows, err := a.db.Query("SELECT "+imageCols+" WHERE i.user_id = ? ORDER BY i.id DESC LIMIT 100", u.UserID)
	if err != nil {
		writeJSON(w, r, http.StatusInternalServerError, apiErr("internal_server_error", err.Error()))
		return
	}
	defer rows.Close()
	list := []obj{}
	items := ""
	for rows.Next() {
		s, err := scanImage(rows)
		if err != nil {
			writeJSON(w, r, http.StatusInternalServerError, apiErr("internal_server_error", err.Error()))
			return
		}
		list = append(list, s.payload())
		items += fmt.Sprintf(`<li><a href="/image/%s">%s</a></li>`, s.UUID, html.EscapeString(s.Title))
	}
	if wantsJSON(r) {
		writeJSON(w, r, http.StatusOK, obj{"images": list})
		return
	}
	writeHTML(w, r, http.StatusOK, page("My images", "<ul>"+items+"</ul>"))
}

// POST /user/images/delete/<uuid>: deletes one's own image, its variants (rows and files).
func (a *app) handleDelete(w http.ResponseWriter, r *http.Request, uuid string) {
	u, _ := a.currentUser(r)
	if u == nil {
		unauthorized(w, r, "login required")
		return
	}
	var id, owner int64
	var filePath, fileName string
	err := a.db.QueryRow("SELECT id, user_id, file_path, file_name FROM images WHERE uuid = ?", uuid).Scan(&id, &owner, &filePath, &fileName)
	if err == sql.ErrNoRows || (err == nil && owner != u.UserID) {
		writeJSON(w, r, http.StatusNotFound, apiErr("not_found", "image not found"))
		return
	} else if err != nil {
		writeJSON(w, r, http.StatusInternalServerError, apiErr("internal_server_error", err.Error()))
		return
	}
	files := []string{path.Join(filePath, fileName)}
	if rows, err := a.db.Query("SELECT file_path FROM image_variants WHERE image_id = ?", id); err == nil {
		for rows.Next() {
			var p string
			if rows.Scan(&p) == nil {
				files = append(files, p)
			}
		}
		rows.Close()
	}
	if _, err := a.db.Exec("DELETE FROM image_variants WHERE image_id = ?", id); err != nil {
		writeJSON(w, r, http.StatusInternalServerError, apiErr("internal_server_error", err.Error()))
		return
	}
	if _, err := a.db.Exec("DELETE FROM images WHERE id = ?", id); err != nil {
		writeJSON(w, r, http.StatusInternalServerError, apiErr("internal_server_error", err.Error()))
		return
	}
	removed := 0
	for _, f := range files {
		if full, ok := a.uploadPath(f); ok && os.Remove(full) == nil {
			removed++
		}
	}
	logInfo("image deleted", "image_uuid", uuid, "user_id", u.UserID, "files_removed", removed)
	if wantsJSON(r) {
		writeJSON(w, r, http.StatusOK, obj{"status": "deleted", "image_uuid": uuid, "files_removed": removed})
		return
	}
	redirect(w, r, "/user/images")
}

// uploadPath maps a relative path to a file under uploadDir, refusing anything that leaves it.
func (a *app) uploadPath(rel string) (string, bool) {
	clean := strings.TrimPrefix(path.Clean("/"+rel), "/")
	if clean == "" || clean == "." {
		return "", false
	}
	return filepath.Join(a.uploadDir, filepath.FromSlash(clean)), true
}

// GET /uploads/<path>: the stored files (the real app serves ./uploads statically).
func (a *app) handleUploadsFile(w http.ResponseWriter, r *http.Request, rel string) {
	full, ok := a.uploadPath(rel)
	if !ok || strings.HasSuffix(full, ".part") {
		notFound(w, r)
		return
	}
	f, err := os.Open(full)
	if err != nil {
		notFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		notFound(w, r)
		return
	}
	ct := contentTypes[strings.ToLower(filepath.Ext(full))]
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=604800")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", st.ModTime(), f)
}
