package apphttp

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/ristretto/v2"
)

// catalogCacheControl lets browsers and CDNs reuse a catalog answer for a minute and then
// revalidate it with If-None-Match (a cheap 304). A minute bounds how long a price change
// takes to reach every customer; the server-side cache is cleared on every write.
const catalogCacheControl = "public, max-age=60"

// catalogCacheTTL is how long a cached catalog response lives when no write clears it
// first (the seed's Redis TTL).
const catalogCacheTTL = time.Hour

// catalogCacheMaxBytes bounds the cache by the size of the bodies it keeps.
const catalogCacheMaxBytes = 64 << 20

// cachedResponse is a rendered catalog response and its entity tag.
type cachedResponse struct {
	body []byte
	// gz is body gzipped once when it is cached (nil when too small to be worth it), so
	// a cache hit costs a copy, not a compression: compressing was most of a hit's CPU.
	gz   []byte
	etag string // a weak ETag (W/"..."): gzip may change the bytes on the wire, not the meaning
	// The header values a hit sends, built once when cached rather than per request (a
	// Header.Set allocates its value's slice every time): ETag, and Content-Length of the
	// plain and of the gzipped body.
	etagHeader, plainLength, gzLength []string
}

// newCachedResponse is body with its gzipped copy, ETag and prebuilt header values.
func newCachedResponse(body []byte, gz []byte) cachedResponse {
	v := cachedResponse{body: body, gz: gz, etag: etagOf(body)}
	v.etagHeader = []string{v.etag}
	v.plainLength = []string{strconv.Itoa(len(body))}
	if gz != nil {
		v.gzLength = []string{strconv.Itoa(len(gz))}
	}
	return v
}

// Header values every catalog answer shares (see cachedResponse: assigned, never written into).
var (
	catalogCacheControlHeader = []string{catalogCacheControl}
	jsonContentTypeHeader     = []string{"application/json; charset=utf-8"}
	gzipEncodingHeader        = []string{"gzip"}
)

// catalogCache keeps rendered catalog responses (the public catalog is the same for
// everyone). Every key carries the cache generation, which the store's catalog hook bumps
// after every catalog write commits: a reader that started before the write and stores its
// (old) answer afterwards stores it under the old generation, where nobody looks.
type catalogCache struct {
	once  sync.Once // the cache is built on first use: most servers in tests never read the catalog
	cache *ristretto.Cache[string, cachedResponse]
	gen   atomic.Uint64
	// disabled makes every read render afresh (the benchmarks compare warm and cold).
	disabled atomic.Bool
}

func (c *catalogCache) get() *ristretto.Cache[string, cachedResponse] {
	c.once.Do(func() {
		cache, err := ristretto.NewCache(&ristretto.Config[string, cachedResponse]{
			NumCounters: 100_000, // ~10× the entries we expect
			MaxCost:     catalogCacheMaxBytes,
			BufferItems: 64,
		})
		if err != nil {
			panic(err) // only for an invalid config
		}
		c.cache = cache
	})
	return c.cache
}

// lookup returns the cached response for key, or renders it with render and caches it for
// catalogCacheTTL. Errors are never cached. The ETag is a hash of the body, so it is the
// same for the same content across restarts.
func (c *catalogCache) lookup(key string, render func() ([]byte, error)) (cachedResponse, error) {
	if c.disabled.Load() {
		body, err := render()
		return newCachedResponse(body, nil), err
	}
	// The generation is read before rendering, so a write that commits meanwhile leaves
	// this answer under a key nobody asks for any more.
	k := strconv.FormatUint(c.gen.Load(), 10) + "|" + key
	cache := c.get()
	if v, ok := cache.Get(k); ok {
		return v, nil
	}
	body, err := render()
	if err != nil {
		return cachedResponse{}, err
	}
	v := newCachedResponse(body, gzipOf(body))
	if cache.SetWithTTL(k, v, int64(len(body)+len(v.gz)+len(k)+64), catalogCacheTTL) {
		cache.Wait() // sets are buffered; wait (on a miss only) so the next request hits
	}
	return v, nil
}

// invalidate drops every cached response. The store calls it after the commit of any
// catalog write (store.DB.OnCatalogChanged).
func (c *catalogCache) invalidate() {
	c.gen.Add(1)
	c.get().Clear()
}

// close stops the cache's background goroutines.
func (c *catalogCache) close() {
	c.once.Do(func() {}) // a cache never built stays unbuilt
	if c.cache != nil {
		c.cache.Close()
	}
}

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `W/"` + base64.RawURLEncoding.EncodeToString(sum[:15]) + `"`
}

// serveCatalog answers a public catalog read from the catalog cache, rendering it with
// load on a miss, with an ETag and Cache-Control, and 304 when the client's copy is
// current. The ETag is weak because the gzip middleware may re-encode the bytes.
func (s *Server) serveCatalog(w http.ResponseWriter, r *http.Request, key string, load func() (any, error)) {
	cached, err := s.catalog.lookup(key, func() ([]byte, error) {
		v, err := load()
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// The header values are shared slices assigned whole (what Set does, minus an
	// allocation per header per hit); a later Set replaces them, an Add copies.
	h := w.Header()
	h["Etag"] = cached.etagHeader
	h["Cache-Control"] = catalogCacheControlHeader
	if etagMatches(r.Header.Get("If-None-Match"), cached.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Type"] = jsonContentTypeHeader
	body, length := cached.body, cached.plainLength
	if cached.gz != nil && acceptsGzip(r) {
		// Already encoded: the compression middleware passes it through as it is.
		body, length = cached.gz, cached.gzLength
		h["Content-Encoding"] = gzipEncodingHeader
		if !slices.Contains(h.Values("Vary"), "Accept-Encoding") {
			h.Add("Vary", "Accept-Encoding")
		}
	}
	h["Content-Length"] = length
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// etagMatches implements If-None-Match's weak comparison (RFC 9110 §13.1.2): "*" or any
// listed tag equal to etag once the W/ prefixes are ignored.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}
