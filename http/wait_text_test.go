package apphttp

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestWaitText(t *testing.T) {
	for _, tc := range []struct {
		retry  time.Duration
		ro, en string
	}{
		{30 * time.Second, "peste un minut", "in a minute"},
		{90 * time.Second, "peste 2 minute", "in 2 minutes"},
		{14*time.Minute + time.Second, "peste 15 minute", "in 15 minutes"},
		{59 * time.Minute, "peste 59 de minute", "in 59 minutes"},
	} {
		ro, en := waitText(tc.retry)
		require.Equal(t, tc.ro, ro)
		require.Equal(t, tc.en, en)
	}
}
