package apphttp

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// The "disk almost full" alert divides free space by size: both must be real numbers.
func TestMetrics_DiskFreeAndSize(t *testing.T) {
	s := MustNewServer(t, nil)
	rec := opsRequest(s, "/metrics", "127.0.0.1:50000", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	value := func(name string) float64 {
		m := regexp.MustCompile(`(?m)^` + name + ` (\S+)$`).FindStringSubmatch(rec.Body.String())
		require.NotNil(t, m, "%s missing from /metrics", name)
		v, err := strconv.ParseFloat(m[1], 64)
		require.NoError(t, err)
		return v
	}
	free, size := value("metalpro_disk_free_bytes"), value("metalpro_disk_size_bytes")
	require.Greater(t, free, 0.0)
	require.Greater(t, size, free)
}
