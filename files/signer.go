package files

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"time"
)

// URLSigner makes and checks the expiring download URLs the application serves for the
// local store: GET {base}/api/files/{id}/content?expires=<unix>&sig=<HMAC-SHA256>.
type URLSigner struct {
	base string
	key  []byte
	now  func() time.Time
}

// NewURLSigner signs with key URLs under base (the API's public URL, no trailing slash).
func NewURLSigner(base string, key []byte) *URLSigner {
	return &URLSigner{base: base, key: key, now: time.Now}
}

// SetClock replaces the clock (tests).
func (s *URLSigner) SetClock(now func() time.Time) { s.now = now }

// URL is the download URL for file id, valid for ttl.
func (s *URLSigner) URL(id string, ttl time.Duration) string {
	exp := strconv.FormatInt(s.now().Add(ttl).Unix(), 10)
	q := url.Values{"expires": {exp}, "sig": {s.sign(id, exp)}}
	return s.base + "/api/files/" + url.PathEscape(id) + "/content?" + q.Encode()
}

// Valid reports whether expires and sig are a signature of id that has not expired.
func (s *URLSigner) Valid(id, expires, sig string) bool {
	exp, err := strconv.ParseInt(expires, 10, 64)
	if err != nil || s.now().Unix() > exp {
		return false
	}
	return hmac.Equal([]byte(sig), []byte(s.sign(id, expires)))
}

func (s *URLSigner) sign(id, expires string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("metalpro-file\x00" + id + "\x00" + expires))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
