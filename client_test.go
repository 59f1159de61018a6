package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
)

// clientDir is the TypeScript client and the Node tooling (linter, generator, compiler),
// pinned in its package.json and package-lock.json.
const clientDir = "clients/typescript"

// TestClient_TypeScript is the storefront developer's side, against the document as the
// server serves it (with every fragment merged, so new operations are held to it too):
// Redocly's recommended ruleset with no error and no warning; the committed generated types
// are what the generator makes now (else: make client); the client type-checks; and its
// journeys run against the real server on 127.0.0.1.
//
// It needs Node and npm. Without them it is skipped on a developer's machine, never in CI
// (.ci/run sets CI and installs Debian's nodejs and npm when they are missing).
func TestClient_TypeScript(t *testing.T) {
	t.Parallel()
	npm, errNpm := exec.LookPath("npm")
	_, errNode := exec.LookPath("node")
	if errNpm != nil || errNode != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI needs node and npm for the client checks (.ci/run installs them)")
		}
		t.Skip("node and npm are not installed: the TypeScript client checks are skipped (CI runs them)")
	}
	ctx, cancel := testContext(t)
	defer cancel()
	run := func(t *testing.T, env []string, name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = clientDir
		cmd.Env = append(os.Environ(), env...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		require.NoError(t, cmd.Run(), "%s %v:\n%s", name, args, out.String())
		return out.String()
	}
	if _, err := os.Stat(filepath.Join(clientDir, "node_modules", ".package-lock.json")); err != nil {
		run(t, nil, npm, "ci", "--no-audit", "--no-fund")
	}

	tmp := t.TempDir()
	doc, err := apphttp.OpenAPI()
	require.NoError(t, err)
	docPath := filepath.Join(tmp, "openapi.json")
	require.NoError(t, os.WriteFile(docPath, doc, 0o644))

	t.Run("LintsClean", func(t *testing.T) {
		run(t, nil, npm, "exec", "--", "redocly", "lint", docPath, "--config", "redocly.yaml", "--format", "stylish")
	})

	t.Run("GeneratedTypesAreCurrent", func(t *testing.T) {
		fresh := filepath.Join(tmp, "schema.d.ts")
		run(t, nil, npm, "exec", "--", "openapi-typescript", docPath, "-o", fresh)
		want, err := os.ReadFile(fresh)
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(clientDir, "src", "schema.d.ts"))
		require.NoError(t, err)
		require.True(t, bytes.Equal(want, got),
			"clients/typescript/src/schema.d.ts is stale: run `make client` and commit the result")
	})

	// Type-checks the client and the journeys and compiles them to dist/ (ignored by git;
	// inside the package, so Node finds openapi-fetch in its node_modules).
	run(t, nil, npm, "exec", "--", "tsc", "-p", "tsconfig.json")

	t.Run("Journeys", func(t *testing.T) {
		srv := startServer(t, map[string]string{
			"RATE_LIMIT_NEW_GUESTS_PER_IP": "100/1m", // every browser of the journeys is 127.0.0.1
			"LOG_LEVEL":                    "info",
		})
		run(t, []string{"METALPRO_API_URL=" + srv.URL, "METALPRO_MAIL_DIR=" + filepath.Join(srv.DataDir, "mail")},
			"node", "--test", filepath.Join("dist", "test", "journey.test.js"))
	})
}
