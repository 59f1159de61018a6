package apphttp

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Storefront serves the React storefront's build (STATIC_DIR) from the API's own origin,
// so the guest cart cookie and the API need no CORS in production. Every file is opened
// through an os.Root: no request path, "..", or symlink in the build reaches outside it.
type Storefront struct {
	root *os.Root

	mu    sync.Mutex
	etags map[string]etagEntry // by file name inside the build
}

// etagEntry remembers a file's content hash for as long as its size and time stay the
// same, so index.html is hashed once per deploy of the storefront, not once per request.
type etagEntry struct {
	size    int64
	modTime time.Time
	etag    string
}

// OpenStorefront opens the build in dir; it must hold an index.html.
func OpenStorefront(dir string) (*Storefront, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("STATIC_DIR: %w", err)
	}
	info, err := root.Stat("index.html")
	if err != nil || !info.Mode().IsRegular() {
		root.Close()
		return nil, fmt.Errorf("STATIC_DIR %s has no index.html (is it the storefront's build output?)", dir)
	}
	return &Storefront{root: root, etags: map[string]etagEntry{}}, nil
}

// Close releases the build folder.
func (sf *Storefront) Close() error { return sf.root.Close() }

// reservedPath reports whether p belongs to the API side: those paths never fall back to
// the storefront's index.html, so a wrong API URL is a JSON 404, not a page.
func reservedPath(p string) bool {
	first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	switch first {
	case "api", "admin", "health", "metrics", "debug":
		return true
	}
	return false
}

// storefrontCSP replaces the API's "default-src 'none'" on storefront responses: the
// pages run scripts and load hCaptcha and images. It still forbids framing (clickjacking),
// plugins and a <base> pointing elsewhere.
const storefrontCSP = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// withStorefront sends GET and HEAD requests outside the API's paths to the storefront;
// everything else, and a path the build does not have that is not a page navigation,
// goes to api (whose 404 is in the error shape).
func (s *Server) withStorefront(api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if reservedPath(r.URL.Path) || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			api.ServeHTTP(w, r)
			return
		}
		if info := requestInfoFrom(r.Context()); info != nil {
			info.route.template = "storefront" // one metrics series for every page and asset
		}
		if !s.storefront.serve(w, r) {
			s.notFound(w, r)
		}
	})
}

// serve answers r from the build and reports whether it did: the file named by the path,
// or index.html for a page navigation the build has no file for (the SPA's own routes).
func (sf *Storefront) serve(w http.ResponseWriter, r *http.Request) bool {
	if name, ok := fileName(r.URL.Path); ok && sf.serveFile(w, r, name) {
		return true
	}
	if acceptsHTML(r) {
		return sf.serveFile(w, r, "index.html")
	}
	return false
}

// fileName maps a URL path to a name inside the build: "" and "/" are index.html; a
// segment starting with a dot (.git, .env, ..) is never served.
func fileName(urlPath string) (string, bool) {
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" {
		return "index.html", true
	}
	if strings.ContainsAny(name, "\\\x00") {
		return "", false
	}
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return "", false
		}
	}
	return name, true
}

// serveFile writes the file name (or its precompressed sibling when the client accepts
// it), with its caching headers; false when name is not a regular file in the build.
func (sf *Storefront) serveFile(w http.ResponseWriter, r *http.Request, name string) bool {
	f, info, ok := sf.openRegular(name)
	if !ok {
		return false
	}
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	for _, enc := range []struct{ coding, suffix string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !acceptsEncoding(r, enc.coding) {
			continue
		}
		if cf, cinfo, ok := sf.openRegular(name + enc.suffix); ok {
			f.Close()
			f, info = cf, cinfo
			h.Set("Content-Encoding", enc.coding) // the on-the-fly compressor then stays out
			break
		}
	}
	defer f.Close()
	h.Set("Content-Type", contentType(name))
	h.Set("Content-Security-Policy", storefrontCSP)
	if fingerprinted(name) {
		// The name changes whenever the content does: a browser never needs to ask again.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		// index.html names the current assets: always revalidated, cheaply, by its ETag.
		h.Set("Cache-Control", "no-cache")
	}
	etag, err := sf.etag(name+h.Get("Content-Encoding"), f, info)
	if err != nil {
		return false
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, name, info.ModTime(), f)
	return true
}

func (sf *Storefront) openRegular(name string) (*os.File, fs.FileInfo, bool) {
	f, err := sf.root.Open(name)
	if err != nil {
		return nil, nil, false
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, false
	}
	return f, info, true
}

// etag is a strong validator from the content's hash, kept while size and time match.
func (sf *Storefront) etag(key string, f *os.File, info fs.FileInfo) (string, error) {
	sf.mu.Lock()
	e, ok := sf.etags[key]
	sf.mu.Unlock()
	if ok && e.size == info.Size() && e.modTime.Equal(info.ModTime()) {
		return e.etag, nil
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	e = etagEntry{size: info.Size(), modTime: info.ModTime(), etag: `"` + hex.EncodeToString(sum.Sum(nil)[:16]) + `"`}
	sf.mu.Lock()
	sf.etags[key] = e
	sf.mu.Unlock()
	return e.etag, nil
}

// hashedName matches the bundler's fingerprint: name-HASH.ext, HASH at least 8 characters
// of base64url with a digit or capital in it (an ordinary word such as "component" is not
// a hash; a rare all-lowercase hash merely loses the long cache, never gets a stale one).
var hashedName = regexp.MustCompile(`-([A-Za-z0-9_]{8,})\.[A-Za-z0-9]+$`)

// fingerprinted reports whether name is a build asset whose name changes with its content.
func fingerprinted(name string) bool {
	if !strings.HasPrefix(name, "assets/") {
		return false
	}
	m := hashedName.FindStringSubmatch(path.Base(name))
	return m != nil && strings.ContainsAny(m[1], "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

// contentTypes are the storefront's file types, fixed here rather than read from the
// machine's /etc/mime.types, so a response's type does not depend on the host.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".ttf":         "font/ttf",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "application/xml",
	".pdf":         "application/pdf",
	".wasm":        "application/wasm",
}

// contentType is name's type; unknown types are binary (never sniffed into HTML).
func contentType(name string) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// acceptsHTML reports whether r is a page navigation (a browser asks for text/html).
func acceptsHTML(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept") {
		if strings.Contains(v, "text/html") {
			return true
		}
	}
	return false
}

// acceptsEncoding reports whether r's Accept-Encoding allows coding (listed, q not 0).
func acceptsEncoding(r *http.Request, coding string) bool {
	for _, line := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(line, ",") {
			token, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(token), coding) {
				continue
			}
			q := strings.ReplaceAll(params, " ", "")
			return !(q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000")
		}
	}
	return false
}
