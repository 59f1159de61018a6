package files_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func mustQuery(tb testing.TB, link string) url.Values {
	tb.Helper()
	u, err := url.Parse(link)
	require.NoError(tb, err)
	return u.Query()
}
