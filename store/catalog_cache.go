package store

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/ristretto/v2"
)

// CatalogCacheTTL is how long a cached catalog response lives when no write clears it
// first (the seed's Redis TTL).
const CatalogCacheTTL = time.Hour

// catalogCacheMaxBytes bounds the cache by the size of the bodies it keeps.
const catalogCacheMaxBytes = 64 << 20

// CachedBody is a rendered catalog response and its entity tag.
type CachedBody struct {
	Body []byte
	ETag string // a weak ETag (W/"..."): gzip may change the bytes on the wire, not the meaning
}

// catalogCache keeps rendered catalog responses (the public catalog is the same for
// everyone). Every key carries the cache generation, which every catalog write bumps
// after commit: a reader that started before the write and stores its (old) answer
// afterwards stores it under the old generation, where nobody looks.
type catalogCache struct {
	once     sync.Once
	cache    *ristretto.Cache[string, CachedBody]
	gen      atomic.Uint64
	disabled atomic.Bool
}

func (c *catalogCache) get() *ristretto.Cache[string, CachedBody] {
	c.once.Do(func() {
		cache, err := ristretto.NewCache(&ristretto.Config[string, CachedBody]{
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

func (c *catalogCache) close() {
	if c.cache != nil {
		c.cache.Close()
	}
}

// CatalogCached returns the cached response for key, or renders it with fn and caches it
// for CatalogCacheTTL. Errors are never cached. The ETag is a hash of the body, so it is
// the same for the same content across restarts.
func (db *DB) CatalogCached(key string, fn func() ([]byte, error)) (CachedBody, error) {
	c := &db.catalog
	if c.disabled.Load() {
		body, err := fn()
		return CachedBody{Body: body, ETag: etagOf(body)}, err
	}
	k := strconv.FormatUint(c.gen.Load(), 10) + "|" + key
	cache := c.get()
	if v, ok := cache.Get(k); ok {
		return v, nil
	}
	body, err := fn()
	if err != nil {
		return CachedBody{}, err
	}
	v := CachedBody{Body: body, ETag: etagOf(body)}
	if cache.SetWithTTL(k, v, int64(len(body)+len(k)+64), CatalogCacheTTL) {
		cache.Wait() // sets are buffered; wait (on a miss only) so the next request hits
	}
	return v, nil
}

// InvalidateCatalog drops every cached catalog response. Call it after the commit of any
// catalog write (tx.AfterCommit(db.InvalidateCatalog)).
func (db *DB) InvalidateCatalog() {
	db.catalog.gen.Add(1)
	db.catalog.get().Clear()
}

// SetCatalogCache turns the catalog cache on or off (benchmarks compare cold and warm).
func (db *DB) SetCatalogCache(on bool) {
	db.catalog.disabled.Store(!on)
	db.InvalidateCatalog()
}

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `W/"` + base64.RawURLEncoding.EncodeToString(sum[:15]) + `"`
}
