package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/crypto/acme/autocert"
	"golang.org/x/net/publicsuffix"

	apphttp "github.com/metalpro/backend/http"
)

// loadEdge reads the settings of the server's edge: the storefront and the cookie layout.
func (c *config) loadEdge(getenv func(string) string) []string {
	var errs []string
	c.StaticDir = strings.TrimSpace(getenv("STATIC_DIR"))
	c.APIURL = strings.TrimRight(strings.TrimSpace(getenv("API_URL")), "/") // defaulted by defaultAPIURL
	if v := strings.TrimSpace(getenv("CROSS_SITE_COOKIES")); v != "" {
		var err error
		if c.CrossSiteCookies, err = strconv.ParseBool(v); err != nil {
			errs = append(errs, fmt.Sprintf("CROSS_SITE_COOKIES must be true or false, not %q", v))
		}
	}
	errs = append(errs, c.loadTLS(getenv)...)
	c.Activation = loadActivationEnv(getenv)
	return errs
}

// loadTLS reads the settings of TLS in the binary (a bare VM; off behind a proxy).
func (c *config) loadTLS(getenv func(string) string) []string {
	var errs []string
	c.TLSDomains = splitList(getenv("TLS_DOMAINS"))
	c.TLSCertFile = strings.TrimSpace(getenv("TLS_CERT_FILE"))
	c.TLSKeyFile = strings.TrimSpace(getenv("TLS_KEY_FILE"))
	c.ACMEDirectoryURL = strings.TrimSpace(getenv("ACME_DIRECTORY_URL"))
	if c.ACMEDirectoryURL == "" {
		c.ACMEDirectoryURL = autocert.DefaultACMEDirectory
	}
	c.ACMEEmail = strings.TrimSpace(getenv("ACME_EMAIL"))
	c.ACMECAFile = strings.TrimSpace(getenv("ACME_CA_FILE"))
	for _, p := range []struct {
		key string
		dst *int
		def int
	}{{"HTTPS_PORT", &c.HTTPSPort, 443}, {"HTTP_PORT", &c.HTTPPort, 80}} {
		*p.dst = p.def
		if v := strings.TrimSpace(getenv(p.key)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 65535 {
				errs = append(errs, fmt.Sprintf("%s must be a port number, not %q", p.key, v))
			}
			*p.dst = n
		}
	}
	switch {
	case len(c.TLSDomains) > 0 && c.TLSCertFile != "":
		errs = append(errs, "TLS_DOMAINS (automatic certificates) and TLS_CERT_FILE (your own) are both set: choose one")
	case (c.TLSCertFile == "") != (c.TLSKeyFile == ""):
		errs = append(errs, "TLS_CERT_FILE and TLS_KEY_FILE go together")
	}
	return errs
}

// tlsOn reports whether the binary terminates TLS itself.
func (c config) tlsOn() bool { return len(c.TLSDomains) > 0 || c.TLSCertFile != "" }

// listenAddr is the main listener's address: HTTPS_PORT when TLS is on, else PORT.
func (c config) listenAddr() string {
	if c.tlsOn() {
		return net.JoinHostPort(c.Host, strconv.Itoa(c.HTTPSPort))
	}
	return c.addr()
}

// siteProblems refuses a storefront and an API on two different sites, unless the guest
// cookie is set up to cross between them: the cookie is SameSite=Lax, which browsers send
// only within one site, so guest carts would silently come back empty. The supported
// layouts: one origin (STATIC_DIR, or a proxy putting both on one host), or the API on a
// subdomain of the storefront's site (api.metalpro.ro beside metalpro.ro).
func (c config) siteProblems() []string {
	api, err := url.Parse(c.APIURL)
	if err != nil || api.Scheme != "https" || api.Host == "" {
		return []string{fmt.Sprintf("API_URL must be the API's public https:// address, not %q", c.APIURL)}
	}
	if c.CrossSiteCookies || sameSite(c.FrontendURL, c.APIURL) {
		return nil
	}
	return []string{fmt.Sprintf("FRONTEND_URL (%s) and API_URL (%s) are different sites: browsers would not send "+
		"the guest cart cookie (SameSite=Lax) from the storefront to the API. Serve both from one origin "+
		"(STATIC_DIR, API_URL unset), put the API on a subdomain of the storefront's site (api.<site>), "+
		"or set CROSS_SITE_COOKIES=true (SameSite=None; Secure, with a cross-origin check on writes)",
		c.FrontendURL, c.APIURL)}
}

// sameSite reports whether two URLs are one site as browsers count it for SameSite
// cookies: the same scheme and the same registrable domain (metalpro.ro for
// api.metalpro.ro; the public suffix list knows that a.co.uk and b.co.uk are two sites).
func sameSite(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil || ua.Scheme != ub.Scheme {
		return false
	}
	return registrableDomain(ua.Hostname()) == registrableDomain(ub.Hostname())
}

// registrableDomain is host's eTLD+1, or host itself for an IP address or a name such as
// localhost that has none.
func registrableDomain(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if net.ParseIP(host) != nil {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// openStorefront opens STATIC_DIR, or returns nil when it is unset.
func openStorefront(cfg config, logger *slog.Logger) (*apphttp.Storefront, error) {
	if cfg.StaticDir == "" {
		return nil, nil
	}
	sf, err := apphttp.OpenStorefront(cfg.StaticDir)
	if err != nil {
		return nil, fmt.Errorf("refusing to start: %w", err)
	}
	logger.Info("serving the storefront", "static_dir", cfg.StaticDir)
	return sf, nil
}

// defaultAPIURL fills an unset API_URL once the port is known: the storefront's origin when
// the API shares it (production's one-origin layout, or STATIC_DIR), else this server on
// localhost (development, where the storefront runs on its own dev server).
// An unset BACKOFFICE_URL is then this server's own back office (API_URL + /admin).
func (c *config) defaultAPIURL() {
	defer func() {
		if c.BackofficeURL == "" {
			c.BackofficeURL = c.APIURL + "/admin"
		}
	}()
	if c.APIURL != "" {
		return
	}
	if c.production() || c.StaticDir != "" {
		c.APIURL = c.FrontendURL
		return
	}
	c.APIURL = "http://localhost:" + strconv.Itoa(c.Port)
}
