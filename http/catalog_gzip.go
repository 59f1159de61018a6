package apphttp

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
)

// gzipMinSize matches the compression middleware's threshold: smaller bodies go plain.
const gzipMinSize = 1024

// gzipOf is body gzipped at the best speed (as the middleware would), or nil when body is
// too small to be worth it.
func gzipOf(body []byte) []byte {
	if len(body) < gzipMinSize {
		return nil
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil
	}
	if _, err := zw.Write(body); err != nil {
		return nil
	}
	if err := zw.Close(); err != nil {
		return nil
	}
	return buf.Bytes()
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip: listed by name
// (or as "*") with a q-value above zero (RFC 9110 §12.5.3). HEAD gets no body to encode.
func acceptsGzip(r *http.Request) bool {
	if r.Method == http.MethodHead {
		return false
	}
	gzipQ, anyQ := -1.0, -1.0 // -1: not listed
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		q := 1.0
		if name, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(strings.ToLower(name)) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		switch coding {
		case "gzip", "x-gzip":
			gzipQ = q
		case "*":
			anyQ = q
		}
	}
	if gzipQ >= 0 { // named beats "*"
		return gzipQ > 0
	}
	return anyQ > 0
}
