package apphttp_test

import (
	"net/http"
	"testing"

	apphttp "github.com/metalpro/backend/http"
)

// BenchmarkUploadAttachment50MB measures one 50 MB upload end to end over loopback: multipart
// parsing, spooling, sniffing, the local store's write and fsync, and the row.
func BenchmarkUploadAttachment50MB(b *testing.B) {
	s := startFileShop(b, nil, nil, func(c *apphttp.Config) { c.RateLimits.Upload = apphttp.Limit{Max: 1 << 30, Window: 1 << 40} })
	v := s.NewVisitor(b)
	const size = 50<<20 - 9
	b.SetBytes(size + 9)
	b.ResetTimer()
	for range b.N {
		if r := v.Upload("/api/upload/attachment", "mare.pdf", pdfStream(size)); r.StatusCode != http.StatusCreated {
			b.Fatalf("%d %s", r.StatusCode, r.Body)
		}
	}
}
