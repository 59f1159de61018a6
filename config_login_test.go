package main

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
)

// LOGIN_CONCURRENCY_PER_IP raises the per-address cap on password checks in flight (a load
// test signs many users in from one address); a cap of 0 or less, or not a number, is
// refused with the setting's name rather than silently turning the cap off.
func TestConfig_LoginConcurrencyPerIP(t *testing.T) {
	t.Parallel()
	load := func(v string) (config, error) {
		env := map[string]string{"LOGIN_CONCURRENCY_PER_IP": v}
		return loadConfig("serve", nil, func(k string) string { return env[k] }, io.Discard)
	}
	c, err := load("")
	require.NoError(t, err)
	require.Equal(t, apphttp.DefaultPasswordWorkPerIP, c.RateLimits.PasswordWorkPerIP, "default")
	require.Equal(t, 3, c.RateLimits.PasswordWorkPerIP, "the documented default")

	c, err = load("64")
	require.NoError(t, err)
	require.Equal(t, 64, c.RateLimits.PasswordWorkPerIP)

	for _, bad := range []string{"0", "-2", "many", "2.5"} {
		_, err := load(bad)
		require.ErrorContains(t, err, "LOGIN_CONCURRENCY_PER_IP must be a whole number", bad)
	}
}
