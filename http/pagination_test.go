package apphttp

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

func TestParsePage(t *testing.T) {
	parse := func(raw string, maxPage int) (int, int, error) {
		q, err := url.ParseQuery(raw)
		require.NoError(t, err)
		v := &store.Validator{}
		page, limit := parsePage(v, q, maxPage)
		return page, limit, v.Err()
	}
	t.Run("Defaults", func(t *testing.T) {
		page, limit, err := parse("", 10)
		require.NoError(t, err)
		require.Equal(t, [2]int{1, 24}, [2]int{page, limit})
	})
	t.Run("OK", func(t *testing.T) {
		page, limit, err := parse("page=%203&limit=100", 10)
		require.NoError(t, err)
		require.Equal(t, [2]int{3, 100}, [2]int{page, limit})
	})
	for _, raw := range []string{"page=0", "page=11", "limit=0", "limit=101", "limit=x", "page=1&page=2"} {
		t.Run("Err "+raw, func(t *testing.T) {
			_, _, err := parse(raw, 10)
			require.Equal(t, store.ECodeInvalid, store.ErrorCode(err))
		})
	}
}
