package web

import "testing"

func TestCount_RomanianPluralForms(t *testing.T) {
	for n, want := range map[int]string{
		0: "0 cereri", 1: "1 cerere", 2: "2 cereri", 19: "19 cereri", 20: "20 de cereri",
		99: "99 de cereri", 100: "100 de cereri", 101: "101 cereri", 119: "119 cereri", 120: "120 de cereri",
		10000: "10000 de cereri",
	} {
		if got := count("ro", "queue.total", n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
	if got := count("en", "queue.total", 1); got != "1 request" {
		t.Errorf("en 1: %q", got)
	}
	if got := count("en", "queue.total", 20); got != "20 requests" {
		t.Errorf("en 20: %q", got)
	}
}
