package apphttp_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// sendJSON sends one request as the storefront does: body is a string of raw JSON or a
// value to marshal, token (if any) goes in Authorization, extra headers come as name, value
// pairs. It returns the request (with its body readable again), the response and its body.
func sendJSON(tb testing.TB, client *http.Client, method, url string, body any, token string, headers ...string) (*http.Request, *http.Response, []byte) {
	tb.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		raw, err = json.Marshal(b)
		require.NoError(tb, err)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(tb, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := client.Do(req)
	require.NoError(tb, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(tb, err)
	req.Body = io.NopCloser(bytes.NewReader(raw))
	return req, resp, out
}
