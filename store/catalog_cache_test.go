package store_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store/storetest"
)

func TestCatalogCache(t *testing.T) {
	db := storetest.MustOpenSeeded(t)
	calls := 0
	render := func() ([]byte, error) {
		calls++
		return []byte(fmt.Sprintf(`{"v":%d}`, calls)), nil
	}

	t.Run("SecondReadHits", func(t *testing.T) {
		a, err := db.CatalogCached("k1", render)
		require.NoError(t, err)
		b, err := db.CatalogCached("k1", render)
		require.NoError(t, err)
		require.Equal(t, 1, calls)
		require.Equal(t, a, b)
		require.Regexp(t, `^W/".+"$`, a.ETag)
	})
	t.Run("WriteInvalidates", func(t *testing.T) {
		db.InvalidateCatalog()
		v, err := db.CatalogCached("k1", render)
		require.NoError(t, err)
		require.Equal(t, 2, calls)
		require.JSONEq(t, `{"v":2}`, string(v.Body))
	})
	t.Run("ReadOverlappingAWriteIsNotServedLater", func(t *testing.T) {
		_, err := db.CatalogCached("k2", func() ([]byte, error) {
			db.InvalidateCatalog() // a write commits while this read renders old data
			return []byte(`"old"`), nil
		})
		require.NoError(t, err)
		v, err := db.CatalogCached("k2", func() ([]byte, error) { return []byte(`"new"`), nil })
		require.NoError(t, err)
		require.Equal(t, `"new"`, string(v.Body))
	})
	t.Run("ErrorsAreNotCached", func(t *testing.T) {
		_, err := db.CatalogCached("k3", func() ([]byte, error) { return nil, errors.New("boom") })
		require.Error(t, err)
		v, err := db.CatalogCached("k3", func() ([]byte, error) { return []byte(`1`), nil })
		require.NoError(t, err)
		require.Equal(t, `1`, string(v.Body))
	})
	t.Run("Off", func(t *testing.T) {
		db.SetCatalogCache(false)
		defer db.SetCatalogCache(true)
		before := calls
		_, _ = db.CatalogCached("k1", render)
		_, _ = db.CatalogCached("k1", render)
		require.Equal(t, before+2, calls)
	})
}
