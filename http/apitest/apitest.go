// Package apitest checks real HTTP responses against the served OpenAPI document, so the
// document cannot drift from what the server does. Only tests import it.
package apitest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	apphttp "github.com/metalpro/backend/http"
)

var (
	once   sync.Once
	router routers.Router
	doc    *openapi3.T
	err    error
)

// Doc loads and validates the merged OpenAPI document.
func Doc(tb testing.TB) *openapi3.T {
	tb.Helper()
	load(tb)
	return doc
}

func load(tb testing.TB) {
	tb.Helper()
	once.Do(func() {
		var raw []byte
		raw, err = apphttp.OpenAPI()
		if err != nil {
			return
		}
		loader := openapi3.NewLoader()
		doc, err = loader.LoadFromData(raw)
		if err != nil {
			return
		}
		if err = doc.Validate(context.Background()); err != nil {
			return
		}
		router, err = gorillamux.NewRouter(doc)
	})
	if err != nil {
		tb.Fatalf("openapi document: %v", err)
	}
}

// Check fails the test unless the response (status, headers, body) is one the document
// describes for req's operation. req is the request that was sent; body is the response
// body already read.
func Check(tb testing.TB, req *http.Request, resp *http.Response, body []byte) {
	tb.Helper()
	load(tb)
	route, params, err := router.FindRoute(req)
	if err != nil {
		tb.Fatalf("openapi: %s %s is not documented: %v", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    req,
			PathParams: params,
			Route:      route,
		},
		Status: resp.StatusCode,
		Header: resp.Header,
		Body:   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		tb.Fatalf("openapi: %s %s -> %d does not match the document: %v\nbody: %.2000s",
			req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
}
