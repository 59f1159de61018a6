package apphttp

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"sort"
	"sync"
)

// The OpenAPI document is assembled from fragments, one per resource, so that each part of
// the API documents itself next to its handlers without editing one huge file.
//
//go:embed openapi/*.json
var openAPIFragments embed.FS

var (
	openAPIOnce sync.Once
	openAPIDoc  []byte
	openAPIErr  error
)

// OpenAPI returns the merged OpenAPI document. A fragment that redefines a path or schema
// another fragment defines is an error: two handlers cannot both own one route.
func OpenAPI() ([]byte, error) {
	openAPIOnce.Do(func() { openAPIDoc, openAPIErr = mergeOpenAPI() })
	return openAPIDoc, openAPIErr
}

func mergeOpenAPI() ([]byte, error) {
	entries, err := openAPIFragments.ReadDir("openapi")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names) // deterministic output; base.json sorts first
	var doc map[string]any
	for _, name := range names {
		raw, err := openAPIFragments.ReadFile(path.Join("openapi", name))
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := json.Unmarshal(raw, &frag); err != nil {
			return nil, fmt.Errorf("openapi/%s: %w", name, err)
		}
		if doc == nil {
			doc = map[string]any{}
		}
		if err := mergeInto(doc, frag, name, 0); err != nil {
			return nil, err
		}
	}
	addCommonResponses(doc)
	return json.Marshal(doc)
}

// operationMethods are the keys of a path item that are operations.
var operationMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// addCommonResponses documents what the middleware does for every route, so no fragment
// has to repeat it (and none can forget it): every response carries X-Request-Id, and any
// operation may be refused with 429 (the general limit on /api, the connection cap on all).
func addCommonResponses(doc map[string]any) {
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		ops, _ := item.(map[string]any)
		for _, method := range operationMethods {
			op, ok := ops[method].(map[string]any)
			if !ok {
				continue
			}
			responses, _ := op["responses"].(map[string]any)
			if responses == nil {
				continue
			}
			if _, ok := responses["429"]; !ok {
				responses["429"] = map[string]any{"$ref": "#/components/responses/TooManyRequests"}
			}
			for _, r := range responses {
				addRequestIDHeader(r)
			}
		}
	}
	components, _ := doc["components"].(map[string]any)
	responses, _ := components["responses"].(map[string]any)
	for _, r := range responses {
		addRequestIDHeader(r)
	}
}

// addRequestIDHeader adds X-Request-Id to a response object (a $ref is left to its target).
func addRequestIDHeader(r any) {
	resp, ok := r.(map[string]any)
	if !ok || resp["$ref"] != nil {
		return
	}
	headers, _ := resp["headers"].(map[string]any)
	if headers == nil {
		headers = map[string]any{}
		resp["headers"] = headers
	}
	if _, ok := headers["X-Request-Id"]; !ok {
		headers["X-Request-Id"] = map[string]any{"$ref": "#/components/headers/XRequestId"}
	}
}

// mergeInto merges src into dst. Under "paths" and "components" maps merge key by key
// (depth ≤ 2); deeper, a key both sides define is a conflict.
func mergeInto(dst, src map[string]any, file string, depth int) error {
	for k, v := range src {
		existing, ok := dst[k]
		if !ok {
			dst[k] = v
			continue
		}
		if depth == 0 && (k == "openapi" || k == "info" || k == "servers") {
			continue // fragments may repeat the header; the first one wins
		}
		dm, dOK := existing.(map[string]any)
		sm, sOK := v.(map[string]any)
		if dOK && sOK && depth < 2 {
			if err := mergeInto(dm, sm, file, depth+1); err != nil {
				return err
			}
			continue
		}
		return fmt.Errorf("openapi/%s: %q is defined twice", file, k)
	}
	return nil
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	doc, err := OpenAPI()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(doc)
}
