package mail_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/mail"
)

func TestRetryPolicy(t *testing.T) {
	t.Run("GiveUp", func(t *testing.T) {
		p := mail.RetryPolicy{MaxAttempts: 3}
		busy := errors.New("503 busy")
		require.False(t, p.GiveUp(1, busy))
		require.False(t, p.GiveUp(2, busy))
		require.True(t, p.GiveUp(3, busy), "the last attempt allowed")
		require.True(t, p.GiveUp(1, mail.Permanent(busy)), "a permanent error at once")
		require.Equal(t, 10, mail.RetryPolicy{}.Limit(), "the default")
	})

	t.Run("BackoffDoublesWithJitter", func(t *testing.T) {
		p := mail.RetryPolicy{BaseDelay: time.Minute, MaxDelay: time.Hour}
		for attempt := 1; attempt <= 5; attempt++ {
			full := time.Minute << (attempt - 1)
			d := p.Backoff(attempt)
			require.GreaterOrEqual(t, d, full/2, "attempt %d", attempt)
			require.LessOrEqual(t, d, full, "attempt %d", attempt)
		}
	})

	t.Run("BackoffIsCapped", func(t *testing.T) {
		p := mail.RetryPolicy{BaseDelay: 30 * time.Second, MaxDelay: time.Hour}
		for _, attempts := range []int{1, 5, 8, 30, 1000} {
			d := p.Backoff(attempts)
			require.LessOrEqual(t, d, time.Hour)
			require.Greater(t, d, time.Duration(0))
		}
		require.GreaterOrEqual(t, p.Backoff(1000), 30*time.Minute)
	})
}
