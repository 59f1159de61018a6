package apphttp_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
)

// The conventions every operation of the merged document follows, checked without Node
// (the full lint with Redocly's ruleset runs in TestClient_TypeScript): a unique
// lowerCamelCase operationId, tags, a summary, security with the declared schemes, a 4xx,
// and 429 with Retry-After; X-Request-Id on every response.
func TestOpenAPI_EveryOperationFollowsTheConventions(t *testing.T) {
	raw, err := apphttp.OpenAPI()
	require.NoError(t, err)
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			SecuritySchemes map[string]any            `json:"securitySchemes"`
			Headers         map[string]any            `json:"headers"`
			Responses       map[string]map[string]any `json:"responses"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	require.Contains(t, doc.Components.SecuritySchemes, "bearerAuth")
	require.Contains(t, doc.Components.SecuritySchemes, "guestSession")
	for _, h := range []string{"XRequestId", "RetryAfter", "IdempotentReplayed", "SetGuestSession"} {
		require.Contains(t, doc.Components.Headers, h)
	}

	lowerCamel := regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)
	ids := map[string]string{}
	for path, item := range doc.Paths {
		for method, rawOp := range item {
			if !strings.Contains("get put post delete patch", method) {
				continue
			}
			var op struct {
				OperationID string                                `json:"operationId"`
				Tags        []string                              `json:"tags"`
				Summary     string                                `json:"summary"`
				Security    *[]map[string][]string                `json:"security"`
				Responses   map[string]map[string]json.RawMessage `json:"responses"`
			}
			require.NoError(t, json.Unmarshal(rawOp, &op))
			name := strings.ToUpper(method) + " " + path
			require.Regexp(t, lowerCamel, op.OperationID, name)
			require.NotContains(t, ids, op.OperationID, "%s repeats the operationId of %s", name, ids[op.OperationID])
			ids[op.OperationID] = name
			require.NotEmpty(t, op.Tags, name)
			require.NotEmpty(t, op.Summary, name)
			require.NotNil(t, op.Security, "%s: security ([] for public operations)", name)
			for _, req := range *op.Security {
				for scheme := range req {
					require.Contains(t, doc.Components.SecuritySchemes, scheme, name)
				}
			}
			has4xx := false
			for code, resp := range op.Responses {
				has4xx = has4xx || strings.HasPrefix(code, "4")
				if _, isRef := resp["$ref"]; !isRef {
					require.Contains(t, string(resp["headers"]), "X-Request-Id", "%s %s", name, code)
				}
			}
			require.True(t, has4xx, name)
			require.Contains(t, op.Responses, "429", name)
		}
	}
	require.Contains(t, ids, "submitRfq")
}
