package apphttp

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCatalogCache(t *testing.T) {
	c := &catalogCache{}
	t.Cleanup(c.close)
	calls := 0
	render := func() ([]byte, error) {
		calls++
		return []byte(fmt.Sprintf(`{"v":%d}`, calls)), nil
	}

	t.Run("SecondReadHits", func(t *testing.T) {
		a, err := c.lookup("k1", render)
		require.NoError(t, err)
		b, err := c.lookup("k1", render)
		require.NoError(t, err)
		require.Equal(t, 1, calls)
		require.Equal(t, a, b)
		require.Regexp(t, `^W/".+"$`, a.etag)
	})
	t.Run("WriteInvalidates", func(t *testing.T) {
		c.invalidate()
		v, err := c.lookup("k1", render)
		require.NoError(t, err)
		require.Equal(t, 2, calls)
		require.JSONEq(t, `{"v":2}`, string(v.body))
	})
	t.Run("ReadOverlappingAWriteIsNotServedLater", func(t *testing.T) {
		_, err := c.lookup("k2", func() ([]byte, error) {
			c.invalidate() // a write commits while this read renders old data
			return []byte(`"old"`), nil
		})
		require.NoError(t, err)
		v, err := c.lookup("k2", func() ([]byte, error) { return []byte(`"new"`), nil })
		require.NoError(t, err)
		require.Equal(t, `"new"`, string(v.body))
	})
	t.Run("ErrorsAreNotCached", func(t *testing.T) {
		_, err := c.lookup("k3", func() ([]byte, error) { return nil, errors.New("boom") })
		require.Error(t, err)
		v, err := c.lookup("k3", func() ([]byte, error) { return []byte(`1`), nil })
		require.NoError(t, err)
		require.Equal(t, `1`, string(v.body))
	})
	t.Run("SameBodySameETag", func(t *testing.T) {
		// The ETag hashes the body, so a restarted server (an empty cache) answers 304 to
		// the tags it gave out before.
		fresh := &catalogCache{}
		t.Cleanup(fresh.close)
		v, err := fresh.lookup("k4", func() ([]byte, error) { return []byte(`"x"`), nil })
		require.NoError(t, err)
		require.Equal(t, etagOf([]byte(`"x"`)), v.etag)
	})
	t.Run("Off", func(t *testing.T) {
		c.disabled.Store(true)
		defer c.disabled.Store(false)
		before := calls
		_, _ = c.lookup("k1", render)
		_, _ = c.lookup("k1", render)
		require.Equal(t, before+2, calls)
	})
}
