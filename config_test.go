package main

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// productionEnv is a production configuration that starts; each test breaks one setting.
func productionEnv(overrides map[string]string) func(string) string {
	env := map[string]string{
		"APP_ENV":              "production",
		"JWT_SECRET":           "pZ3q7Kx1vRb9T0sWmYc4LhN8gEaU2dJf6oQiVtXkBnSe5rCwM",
		"SENDGRID_API_KEY":     "SG.test",
		"LITESTREAM_S3_BUCKET": "metalpro-db",
		"FRONTEND_URL":         "https://metalpro.ro",
		"HCAPTCHA_SECRET":      "0x0000000000000000000000000000000000000000",
	}
	for k, v := range overrides {
		env[k] = v
	}
	return func(k string) string { return env[k] }
}

func loadProduction(t *testing.T, overrides map[string]string) error {
	t.Helper()
	_, err := loadConfig("serve", nil, productionEnv(overrides), io.Discard)
	return err
}

func TestConfig_Production(t *testing.T) {
	t.Parallel()
	t.Run("OK", func(t *testing.T) {
		require.NoError(t, loadProduction(t, nil))
	})

	t.Run("ErrLowEntropyJWTSecret", func(t *testing.T) {
		for _, secret := range []string{
			strings.Repeat("a", 32),
			strings.Repeat("password", 4),
			"abcdefghijklmnopqrstuvwxyz123456",
		} {
			err := loadProduction(t, map[string]string{"JWT_SECRET": secret})
			require.ErrorContains(t, err, "JWT_SECRET is too predictable", secret)
		}
	})

	t.Run("RandomSecretsAccepted", func(t *testing.T) {
		for range 200 {
			secret, err := randomSecret()
			require.NoError(t, err)
			require.Empty(t, jwtSecretProblem(secret), secret)
		}
		require.Empty(t, jwtSecretProblem("9f86d081884c7d659a2feaa0c55ad015"), "32 hex digits are 128 random bits")
	})

	t.Run("ErrCORSWildcard", func(t *testing.T) {
		err := loadProduction(t, map[string]string{"CORS_ORIGINS": "*"})
		require.ErrorContains(t, err, `CORS_ORIGINS must list origins, not "*"`)
	})

	t.Run("ErrCORSPlainHTTP", func(t *testing.T) {
		err := loadProduction(t, map[string]string{"CORS_ORIGINS": "https://metalpro.ro, http://admin.metalpro.ro"})
		require.ErrorContains(t, err, `CORS_ORIGINS: "http://admin.metalpro.ro" is not an https:// origin`)
		require.NotContains(t, err.Error(), `"https://metalpro.ro"`)
	})

	t.Run("ErrCaptchaMissing", func(t *testing.T) {
		err := loadProduction(t, map[string]string{"HCAPTCHA_SECRET": ""})
		require.ErrorContains(t, err, "HCAPTCHA_SECRET is missing")
		require.ErrorContains(t, err, "HCAPTCHA_DISABLED=true")
	})

	t.Run("CaptchaExplicitlyDisabled", func(t *testing.T) {
		require.NoError(t, loadProduction(t, map[string]string{"HCAPTCHA_SECRET": "", "HCAPTCHA_DISABLED": "true"}))
	})

	t.Run("ErrCaptchaDisabledAndSecret", func(t *testing.T) {
		err := loadProduction(t, map[string]string{"HCAPTCHA_DISABLED": "true"})
		require.ErrorContains(t, err, "HCAPTCHA_DISABLED=true and HCAPTCHA_SECRET are both set")
	})

	t.Run("EveryProblemNamedAtOnce", func(t *testing.T) {
		err := loadProduction(t, map[string]string{
			"JWT_SECRET": strings.Repeat("a", 32), "CORS_ORIGINS": "*", "HCAPTCHA_SECRET": "",
		})
		for _, want := range []string{"JWT_SECRET", "CORS_ORIGINS", "HCAPTCHA_SECRET"} {
			require.ErrorContains(t, err, want)
		}
	})
}

// TestServe_CaptchaDisabledWarns: running without a captcha on purpose is said at every
// start, as a warning, so nobody forgets it was switched off.
func TestServe_CaptchaDisabledWarns(t *testing.T) {
	t.Parallel()
	srv := startServer(t, map[string]string{"HCAPTCHA_DISABLED": "true"})
	var warned bool
	for _, l := range srv.Logs() {
		msg, _ := l["msg"].(string)
		warned = warned || (l["level"] == "WARN" && strings.Contains(msg, "HCAPTCHA_DISABLED=true"))
	}
	require.True(t, warned, "a warning names HCAPTCHA_DISABLED=true")
}
