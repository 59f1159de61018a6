package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"mime"
	"net/http"
	"path"

	"github.com/gorilla/mux"
)

//go:embed assets
var assetFS embed.FS

// assetVersions maps each asset to a short hash of its content: URLs carry it, so a new
// build's assets are fetched at once while an unchanged one is cached for a year.
var assetVersions = func() map[string]string {
	out := map[string]string{}
	entries, err := assetFS.ReadDir("assets")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := assetFS.ReadFile("assets/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		out[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return out
}()

// assetURL is the versioned URL of an embedded asset, for the templates.
func assetURL(name string) string {
	v, ok := assetVersions[name]
	if !ok {
		panic("web: no asset " + name)
	}
	return Prefix + "/assets/" + name + "?v=" + v
}

// handleAsset serves GET /admin/assets/{name}: public, cached for a year (the URL changes
// with the content), never a directory listing.
func (h *Handler) handleAsset(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["name"]
	if _, ok := assetVersions[name]; !ok {
		h.notFound(w, r)
		return
	}
	b, err := assetFS.ReadFile("assets/" + name)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(b)
}
