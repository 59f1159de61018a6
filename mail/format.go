package mail

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// toFloat reads a number that came through JSON (float64), from Go code (ints, floats) or
// as a decimal string. nil reports ok=false; anything else is an error, so a template
// never prints garbage.
func toFloat(v any) (f float64, ok bool, err error) {
	switch n := v.(type) {
	case nil:
		return 0, false, nil
	case float64:
		return n, true, nil
	case float32:
		return float64(n), true, nil
	case int:
		return float64(n), true, nil
	case int64:
		return float64(n), true, nil
	case json.Number:
		f, err := n.Float64()
		return f, err == nil, err
	case string:
		if strings.TrimSpace(n) == "" {
			return 0, false, nil
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		if err != nil {
			return 0, false, fmt.Errorf("%q is not a number", n)
		}
		return f, true, nil
	default:
		return 0, false, fmt.Errorf("%v (%T) is not a number", v, v)
	}
}

// groupDigits formats a non-negative integer string with sep every three digits.
func groupDigits(digits string, sep string) string {
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatNumber formats f with decimals fixed decimals (or up to 3 when decimals < 0, no
// trailing zeros) in the language's convention: "1.234,56" in Romanian, "1,234.56" in
// English.
func formatNumber(f float64, decimals int, lang string) string {
	thousands, point := ".", ","
	if lang == "en" {
		thousands, point = ",", "."
	}
	neg := f < 0
	f = math.Abs(f)
	var s string
	if decimals >= 0 {
		s = strconv.FormatFloat(f, 'f', decimals, 64)
	} else {
		s = strconv.FormatFloat(f, 'f', 3, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	intPart, frac, _ := strings.Cut(s, ".")
	out := groupDigits(intPart, thousands)
	if frac != "" {
		out += point + frac
	}
	if neg && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}

// money formats an amount in lei: "1.234,56 RON" (Romanian), "1,234.56 RON" (English);
// "" for nil, so templates can say "to be calculated" instead.
func money(lang string) func(v any) (string, error) {
	return func(v any) (string, error) {
		f, ok, err := toFloat(v)
		if err != nil || !ok {
			return "", err
		}
		return formatNumber(f, 2, lang) + " RON", nil
	}
}

// quantity formats a quantity without useless decimals: 12 → "12", 12.5 → "12,5".
func quantity(lang string) func(v any) (string, error) {
	return func(v any) (string, error) {
		f, ok, err := toFloat(v)
		if err != nil || !ok {
			return "", err
		}
		return formatNumber(f, -1, lang), nil
	}
}

// formatDate turns "2026-03-05" (or an RFC 3339 time) into "05.03.2026"; "" for nil or
// an empty string.
func formatDate(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	s, isString := v.(string)
	if !isString {
		return "", fmt.Errorf("%v (%T) is not a date", v, v)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("02.01.2006"), nil
		}
	}
	return "", fmt.Errorf("%q is not a date", s)
}

// unitLabel writes the API's units as people read them: "pcs" is "buc." in Romanian, as
// the storefront shows it; m and kg are the same in both languages.
func unitLabel(lang string) func(unit string) string {
	return func(unit string) string {
		if unit == "pcs" && lang == "ro" {
			return "buc."
		}
		return unit
	}
}
