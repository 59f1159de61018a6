package main

import (
	"fmt"
	"math"
	"net/url"
	"strings"
)

// Checks of settings whose values, not only their presence, production cannot accept.

// minSecretBits is the least a JWT secret may carry by the character-frequency estimate.
// 32 random hex digits (128 real bits) estimate at 88 or more; 32 × "a" at 0.
const minSecretBits = 80

// jwtSecretProblem says why secret is too predictable to sign tokens with, or "". A secret
// can be 32 characters long and still guessable: one character repeated, a word repeated, a
// keyboard run. The estimate is a floor check, not a proof of randomness.
func jwtSecretProblem(secret string) string {
	const advice = " (use `openssl rand -base64 48`)"
	switch {
	case estimatedBits(secret) < minSecretBits:
		return fmt.Sprintf("JWT_SECRET is too predictable: about %.0f bits by character frequency, at least %d needed%s",
			estimatedBits(secret), minSecretBits, advice)
	case repeatsItself(secret):
		return "JWT_SECRET is too predictable: it is one short piece repeated" + advice
	case longestSequence(secret) >= 8:
		return "JWT_SECRET is too predictable: it contains a run of consecutive characters such as abcdefgh or 12345678" + advice
	}
	return ""
}

// estimatedBits is the Shannon entropy of secret's own character frequencies times its length.
func estimatedBits(s string) float64 {
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	bits := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		bits -= p * math.Log2(p)
	}
	return bits * float64(n)
}

// repeatsItself reports whether s is a shorter string written out again and again.
func repeatsItself(s string) bool {
	for period := 1; period <= len(s)/2; period++ {
		if strings.Repeat(s[:period], len(s)/period+1)[:len(s)] == s {
			return true
		}
	}
	return false
}

// longestSequence is the longest run of characters each one above or below the previous.
func longestSequence(s string) int {
	longest, run, step := 1, 1, 0
	prev := rune(-10)
	for i, r := range []rune(s) {
		d := int(r - prev)
		switch {
		case i > 0 && (d == 1 || d == -1) && (run == 1 || d == step):
			run++
		case i > 0 && (d == 1 || d == -1):
			run = 2
		default:
			run = 1
		}
		step, prev = d, r
		longest = max(longest, run)
	}
	return longest
}

// corsProblems names every CORS origin production must not allow with credentials: a
// wildcard (rs/cors would then echo any site's Origin back, cookies included) and plain
// http (anyone on the path could inject script that calls the API as the customer).
func corsProblems(origins []string) []string {
	var p []string
	for _, o := range origins {
		if strings.Contains(o, "*") {
			p = append(p, fmt.Sprintf("CORS_ORIGINS must list origins, not %q: requests carry the customer's cookies", o))
			continue
		}
		if u, err := url.Parse(o); err != nil || u.Scheme != "https" || u.Host == "" {
			p = append(p, fmt.Sprintf("CORS_ORIGINS: %q is not an https:// origin", o))
		}
	}
	return p
}

// captchaProblem is why production may not run with the captcha as configured, or "".
// Without it, anyone can make the server email any address (guest RFQs) and script signups;
// going without must be a decision someone wrote down (HCAPTCHA_DISABLED=true).
func (c config) captchaProblem() string {
	if c.HCaptchaSecret == "" && !c.HCaptchaDisabled {
		return "HCAPTCHA_SECRET is missing (signups, password resets and guest RFQs would be open to scripts; " +
			"set HCAPTCHA_DISABLED=true to run without a captcha on purpose)"
	}
	return ""
}
