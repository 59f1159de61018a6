package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The README and docs link only to files inside the repository: a clone has nothing else.
func TestDocs_LinksStayInTheRepository(t *testing.T) {
	t.Parallel()
	link := regexp.MustCompile(`\]\(([^)#]+)(#[^)]*)?\)`)
	files, err := filepath.Glob("docs/*.md")
	require.NoError(t, err)
	files = append(files, "README.md")
	root, err := filepath.Abs(".")
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			abs, err := filepath.Abs(filepath.Join(filepath.Dir(f), target))
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(abs, root+string(filepath.Separator)), "%s links outside the repository: %s", f, target)
			_, err = os.Stat(abs)
			require.NoError(t, err, "%s links to a missing file: %s", f, target)
		}
	}
}
