package web

import (
	"errors"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/store"
)

// Staff download an RFQ's files here: the RFQ page and the operator's new-RFQ email link
// GET /admin/files/{id}. The staff session is the permission (the API's /api/files/{id}
// wants a Bearer token a link cannot carry); the answer is a redirect to the file store's
// short-lived signed URL, so the content never passes through a back-office page.

// errFileNotFound answers an unknown id and a file that belongs to no RFQ alike: the back
// office only hands out what was sent with a request (or a quote's PDF).
var errFileNotFound = store.ErrNotFound("Fișierul nu a fost găsit.", "File not found.")

// handleFile serves GET /admin/files/{id} (staffOnly).
func (h *Handler) handleFile(w http.ResponseWriter, r *http.Request) {
	if h.deps.Files == nil {
		h.renderError(w, r, files.ErrUnavailable)
		return
	}
	u, err := h.db.GetUpload(r.Context(), mux.Vars(r)["id"])
	if store.ErrorCode(err) == store.ECodeNotFound || (err == nil && u.RFQID == "") {
		h.renderError(w, r, errFileNotFound)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	link, err := h.deps.Files.SignedURL(r.Context(), u.StorageKey, files.Download{
		ID: u.ID, FileName: u.FileName, MIME: u.MimeType, TTL: files.SignedURLTTL})
	if err != nil {
		h.log.Warn("back office: could not sign a download link", "file_id", u.ID, "err", err)
		h.renderError(w, r, errors.Join(files.ErrUnavailable, err))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, link, http.StatusFound)
}
