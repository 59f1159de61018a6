package apphttp

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/store"
)

// BOMMapper reads a BOM file's content and maps its lines to the catalog (package bom implements it).
type BOMMapper interface {
	MapBOM(ctx context.Context, r io.Reader, mimeType string) (any, error)
}

// bomError is how a BOMMapper says the file could not be read as a BOM: a 400 with its code
// and message.
type bomError interface {
	error
	BOMErrorCode() string
	BOMMessage(lang string) string
}

// fileService is the server's part for uploads and downloads.
type fileService struct {
	blobs  files.Blobs
	mapper BOMMapper
	urls   *files.URLSigner // the local store's download URLs, checked by handleFileContent
	limit  *limiter         // uploads per client IP
}

// maxUploadBody bounds an upload request: the file plus the multipart framing and a few
// small fields. The 1 MB JSON limit (Config.MaxBodyBytes) applies only where JSON is read.
const maxUploadBody = files.MaxUploadBytes + 1<<20

// uploadDrain is how much of an oversized body is still read after the 413 is decided, so a
// client that sent slightly too much gets the answer rather than a reset connection.
const uploadDrain = 4 << 20

func newFileService(s *Server, blobs files.Blobs, mapper BOMMapper) fileService {
	l := s.cfg.RateLimits.Upload
	if l == (Limit{}) {
		l = DefaultRateLimits().Upload
	}
	return fileService{blobs: blobs, mapper: mapper, urls: fileURLSigner(s.jwtKey), limit: newLimiter(l)}
}

// NewFileURLSigner is the signer of the local store's download URLs for a server with JWT
// secret jwtSecret (the same secret makes the same signer, so main builds the store's before
// the server). URLs are relative: the redirect resolves them against the API's own address.
// The key is derived from the secret, so a token key and a URL key are never the same bytes.
func NewFileURLSigner(jwtSecret string) *files.URLSigner { return fileURLSigner(jwtKey(jwtSecret)) }

func fileURLSigner(key []byte) *files.URLSigner {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("metalpro file download URLs"))
	return files.NewURLSigner("", m.Sum(nil))
}

// SetBOMMapper installs the BOM mapper (as Deps.BOMMapper does).
func (s *Server) SetBOMMapper(m BOMMapper) { s.files.mapper = m }

// fileJSON is an upload as the API shows it.
type fileJSON struct {
	ID       string `json:"id"`
	FileName string `json:"fileName"`
	FileSize int64  `json:"fileSize"`
	MimeType string `json:"mimeType"`
}

func newFileJSON(u *store.Upload) fileJSON {
	return fileJSON{ID: u.ID, FileName: u.FileName, FileSize: u.FileSize, MimeType: u.MimeType}
}

var (
	errFilesUnavailable = files.ErrUnavailable
	errFileNotFound     = store.ErrNotFound("Fișierul nu a fost găsit.", "File not found.")
	errNoFilePart       = store.Errorf(store.ECodeInvalid,
		"Trimite fișierul ca multipart/form-data, în câmpul „file”.",
		"Send the file as multipart/form-data, in the field “file”.")
	errBadDownloadLink = store.Errorf(store.ECodeForbidden,
		"Linkul de descărcare a expirat sau nu este valid. Deschide fișierul din nou din cont.",
		"The download link has expired or is not valid. Open the file again from your account.")
)

// handleUploadAttachment stores a drawing or document for a later RFQ.
func (s *Server) handleUploadAttachment(w http.ResponseWriter, r *http.Request) {
	u, spool, err := s.receiveUpload(w, r, files.KindAttachment)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	spool.Close()
	writeJSON(w, http.StatusCreated, newFileJSON(u))
}

// handleUploadBOM stores a BOM and answers with its mapping to the catalog. A BOM that cannot
// be read is not kept.
func (s *Server) handleUploadBOM(w http.ResponseWriter, r *http.Request) {
	if s.files.mapper == nil {
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Code: "bom_unavailable",
			Error: store.Text{RO: "Citirea automată a listelor de materiale nu este disponibilă acum.",
				EN: "Automatic reading of bills of materials is not available right now."}.In(lang(r))})
		return
	}
	u, spool, err := s.receiveUpload(w, r, files.KindBOM)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer spool.Close()
	mapped, err := s.files.mapper.MapBOM(r.Context(), spool.Reader(), u.MimeType)
	if err != nil {
		s.discardUpload(r, u)
		var be bomError
		if errors.As(err, &be) {
			writeJSON(w, http.StatusBadRequest, errorBody{Code: be.BOMErrorCode(), Error: be.BOMMessage(lang(r))})
			return
		}
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		File fileJSON `json:"file"`
		BOM  any      `json:"bom"`
	}{newFileJSON(u), mapped})
}

// receiveUpload takes the multipart field "file" from the request, judges it, writes the
// blob and then its row (a failed row write removes the blob). The caller closes the spool.
func (s *Server) receiveUpload(w http.ResponseWriter, r *http.Request, kind files.Kind) (*store.Upload, *files.Spooled, error) {
	if s.files.blobs == nil {
		return nil, nil, errFilesUnavailable
	}
	if ok, retry := s.files.limit.Allow(clientIPFrom(r.Context()), time.Now()); !ok {
		return nil, nil, errRateLimited(retry,
			"Prea multe fișiere încărcate. Te rugăm să încerci mai târziu.",
			"Too many files uploaded. Please try again later.")
	}
	owner, done, err := s.cartOwnerForWrite(r)
	if err != nil {
		return nil, nil, err
	}
	ok := false
	defer func() { done(ok) }()

	body := r.Body
	r.Body = http.MaxBytesReader(w, body, maxUploadBody)
	spool, name, err := s.spoolFilePart(r, kind)
	if errors.Is(err, files.ErrTooLarge) {
		_, _ = io.CopyN(io.Discard, body, uploadDrain)
	}
	if err != nil {
		return nil, nil, err
	}
	key := string(kind) + "/" + store.NewID()
	if err := s.files.blobs.Put(r.Context(), key, spool.Reader(), spool.Size, spool.Type.MIME); err != nil {
		spool.Close()
		return nil, nil, err
	}
	u, err := s.db.CreateUpload(r.Context(), owner, store.NewUpload{Kind: string(kind),
		FileName: files.SanitizeFileName(name, spool.Type.Ext), FileSize: spool.Size,
		MimeType: spool.Type.MIME, StorageKey: key})
	if err != nil {
		spool.Close()
		s.deleteBlob(r, key)
		return nil, nil, err
	}
	ok = true
	return u, spool, nil
}

// spoolFilePart finds the part named "file" and spools it; other fields are skipped.
func (s *Server) spoolFilePart(r *http.Request, kind files.Kind) (*files.Spooled, string, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, "", errNoFilePart
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", errNoFilePart
	}
	for {
		part, err := mr.NextPart()
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return nil, "", files.ErrTooLarge
		case err != nil:
			return nil, "", errNoFilePart
		}
		if part.FormName() != "file" {
			continue
		}
		spool, err := files.Spool(r.Context(), s.cfg.UploadTempDir, kind, part)
		return spool, part.FileName(), err
	}
}

// discardUpload removes a row and its blob that must not be kept (a BOM that could not be read).
func (s *Server) discardUpload(r *http.Request, u *store.Upload) {
	ctx := context.WithoutCancel(r.Context())
	if err := s.db.DeleteUpload(ctx, u.ID); err != nil {
		s.logger.Error("files: could not delete an upload's row", "id", u.ID, "err", err)
		return // the sweep removes blob and row within a day
	}
	s.deleteBlob(r, u.StorageKey)
}

func (s *Server) deleteBlob(r *http.Request, key string) {
	if err := s.files.blobs.Delete(context.WithoutCancel(r.Context()), key); err != nil {
		s.logger.Error("files: could not delete a blob; it stays unreferenced", "key", key, "err", err,
			"request_id", requestID(r.Context()))
	}
}

// handleGetFile redirects the file's owner (uploader, staff, the RFQ's owner) to a signed
// download URL; everyone else gets 404, as if the file did not exist.
func (s *Server) handleGetFile(w http.ResponseWriter, r *http.Request) {
	if s.files.blobs == nil {
		s.writeError(w, r, errFilesUnavailable)
		return
	}
	u, err := s.db.GetUpload(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var userID, role string
	if user := userFrom(r.Context()); user != nil {
		userID, role = user.ID, user.Role
	}
	if !u.ReadableBy(userID, role, s.guestID(r)) {
		s.writeError(w, r, errFileNotFound)
		return
	}
	link, err := s.files.blobs.SignedURL(r.Context(), u.StorageKey, files.Download{
		ID: u.ID, FileName: u.FileName, MIME: u.MimeType, TTL: files.SignedURLTTL})
	if err != nil {
		s.writeError(w, r, errors.Join(errFilesUnavailable, err))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if wantsJSONLink(r) {
		// A storefront that signs in with a Bearer token cannot put the token on a plain
		// link; it asks for the signed URL as JSON and then opens that URL.
		s.respond(w, r, http.StatusOK, fileLink{URL: link, ExpiresAt: time.Now().Add(files.SignedURLTTL).UTC().Truncate(time.Second),
			FileName: u.FileName}, nil)
		return
	}
	http.Redirect(w, r, link, http.StatusFound)
}

// fileLink is GET /api/files/{id}'s answer for a caller that asks for JSON.
type fileLink struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expiresAt"`
	FileName  string    `json:"fileName"`
}

// wantsJSONLink: the caller named application/json in Accept (a browser following a link
// never does; fetch's default "*/*" gets the redirect).
func wantsJSONLink(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept") {
		if strings.Contains(v, "application/json") {
			return true
		}
	}
	return false
}

// handleFileContent serves a local-store file behind a signed URL. The signature is the
// permission: an expired or altered link is 403, a deleted file 404.
func (s *Server) handleFileContent(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	q := r.URL.Query()
	if !s.files.urls.Valid(id, q.Get("expires"), q.Get("sig")) {
		s.writeError(w, r, errBadDownloadLink)
		return
	}
	if s.files.blobs == nil {
		s.writeError(w, r, errFilesUnavailable)
		return
	}
	u, err := s.db.GetUpload(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	content, err := s.files.blobs.Get(r.Context(), u.StorageKey)
	if errors.Is(err, files.ErrNotExist) {
		s.writeError(w, r, errFileNotFound)
		return
	}
	if err != nil {
		s.writeError(w, r, errors.Join(errFilesUnavailable, err))
		return
	}
	defer content.Close()
	h := w.Header()
	h.Set("Content-Type", u.MimeType)
	h.Set("Content-Disposition", files.ContentDisposition(u.FileName))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'") // never rendered as our page
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, content)
}
