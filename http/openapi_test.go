package apphttp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/http/apitest"
)

func TestOpenAPI_DocumentIsValid(t *testing.T) {
	doc := apitest.Doc(t)
	require.NotNil(t, doc.Paths.Find("/health"))
}

func TestOpenAPI_HealthMatches(t *testing.T) {
	srv := httptest.NewServer(mustServer(t).Handler())
	defer srv.Close()
	for _, path := range []string{"/health", "/health/ready", "/health/live"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		apitest.Check(t, req, resp, body)
	}
}

func mustServer(t *testing.T) *apphttp.Server {
	return apphttp.MustServerForTest(t)
}
