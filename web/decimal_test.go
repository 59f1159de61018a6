package web

import "testing"

// Prices are typed the Romanian way or the English way; anything else is refused, never
// guessed at.
func TestParseDecimal(t *testing.T) {
	for in, want := range map[string]float64{
		"11,50": 11.5, "11.50": 11.5, "1.234,56": 1234.56, "1 234,56": 1234.56, "1.234.567": 1234567,
		"200": 200, " 7,1 ": 7.1, "-5": -5, "0": 0, "1\u00a0000,5": 1000.5,
	} {
		if got, ok := parseDecimal(in); !ok || got != want {
			t.Errorf("%q → %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "1e3", "Inf", "NaN", "0x10", "1,2,3", "12.5.", "-", ".", "1-2", "+5"} {
		if got, ok := parseDecimal(in); ok {
			t.Errorf("%q accepted as %v", in, got)
		}
	}
}
