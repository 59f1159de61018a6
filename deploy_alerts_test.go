package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The alerting rules fire and stay quiet as their unit tests say (promtool, from Debian's
// prometheus package: .ci/run installs it, and sets METALPRO_REQUIRE_PROMTOOL so CI never
// skips this).
func TestAlerts_PromtoolRuleTests(t *testing.T) {
	t.Parallel()
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("METALPRO_REQUIRE_PROMTOOL") != "" {
			t.Fatal("promtool is required here (apt-get install prometheus)")
		}
		t.Skip("promtool not installed (apt-get install prometheus); CI runs this test")
	}
	for _, args := range [][]string{
		{"check", "rules", "alerts.yml"},
		{"test", "rules", "alerts_test.yml"},
	} {
		cmd := exec.CommandContext(t.Context(), promtool, args...)
		cmd.Dir = filepath.Join("deploy", "prometheus")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "promtool %s:\n%s", strings.Join(args, " "), out)
	}
}

// Every metric the alerts and the dashboard use is one the server registers (a renamed
// metric would leave an alert that can never fire), and every runbook link leads to a
// section of docs/RUNBOOK.md.
func TestAlerts_UseServedMetricsAndRunbookSections(t *testing.T) {
	t.Parallel()
	registered := registeredMetricNames(t)
	for _, file := range []string{"deploy/prometheus/alerts.yml", "deploy/grafana/metalpro.json"} {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		used := regexp.MustCompile(`\bmetalpro_[a-z_]+`).FindAllString(string(raw), -1)
		require.NotEmpty(t, used, file)
		for _, name := range used {
			base := regexp.MustCompile(`_(bucket|count|sum)$`).ReplaceAllString(name, "")
			require.True(t, registered[name] || registered[base], "%s uses %s, which no code registers", file, name)
		}
	}

	runbook, err := os.ReadFile("docs/RUNBOOK.md")
	require.NoError(t, err)
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^#+ (.+)$`).FindAllStringSubmatch(string(runbook), -1) {
		anchors[githubAnchor(m[1])] = true
	}
	alerts, err := os.ReadFile("deploy/prometheus/alerts.yml")
	require.NoError(t, err)
	links := regexp.MustCompile(`runbook_url: \S+/docs/RUNBOOK\.md#(\S+)`).FindAllStringSubmatch(string(alerts), -1)
	require.Len(t, links, strings.Count(string(alerts), "- alert:"), "every alert has a runbook link")
	for _, l := range links {
		require.True(t, anchors[l[1]], "RUNBOOK.md has no section #%s", l[1])
	}
}

// registeredMetricNames are the metric names written as string literals in the program's
// own (non-test) Go files.
func registeredMetricNames(t *testing.T) map[string]bool {
	t.Helper()
	names := map[string]bool{"up": true}
	literal := regexp.MustCompile(`"(metalpro_[a-z_]+)"`)
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			names[m[1]] = true
		}
		return nil
	})
	require.NoError(t, err)
	return names
}

// githubAnchor is the fragment GitHub gives a Markdown heading: lower case, spaces to
// hyphens, punctuation other than hyphens and underscores dropped.
func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}
