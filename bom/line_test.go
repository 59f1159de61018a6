package bom

import (
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]float64{
		"12": 12, "12,5": 12.5, "12.5": 12.5, "1.250": 1250, "1.250,5": 1250.5, "1,250.5": 1250.5,
		"1 250": 1250, "0,5": 0.5, "~ 6": 6, "2.400": 2400, "1.2": 1.2, "12.000,75": 12000.75,
	} {
		got, ok := parseNumber(in)
		if !ok || got != want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "1,2,3", "1.2,3.4", "12a", "-", "1e400"} {
		if v, ok := parseNumber(in); ok {
			t.Errorf("parseNumber(%q) = %v, want refused", in, v)
		}
	}
}

func TestParseQuantityCell(t *testing.T) {
	for _, tc := range []struct {
		in   string
		qty  float64
		unit string
	}{
		{"12", 12, ""}, {"12,5 ml", 12.5, "m"}, {"1.200 kg", 1200, "kg"}, {"3 buc.", 3, "pcs"},
		{"1,5 t", 1500, "kg"}, {"2 to", 2000, "kg"}, {"4 bare", 4, "pcs"}, {"6 bucăți", 6, "pcs"},
	} {
		q, u, ok := parseQuantityCell(tc.in)
		if !ok || q != tc.qty || u != tc.unit {
			t.Errorf("%q: %v %q %v, want %v %q", tc.in, q, u, ok, tc.qty, tc.unit)
		}
	}
	if _, _, ok := parseQuantityCell("12 mp"); ok {
		t.Error(`"12 mp": a unit the cart does not sell in must not be read as a bare number`)
	}
}

func TestParseUnit(t *testing.T) {
	for in, want := range map[string]string{"buc": "pcs", "BUC.": "pcs", "bucăți": "pcs", "bare": "pcs", "ml": "m",
		"m.l.": "m", "M": "m", "kg": "kg", "Kg": "kg", "to": "kg", "t": "kg", "tone": "kg", "pcs": "pcs"} {
		u, _, ok := parseUnit(in)
		if !ok || u != want {
			t.Errorf("parseUnit(%q) = %q, %v; want %q", in, u, ok, want)
		}
	}
	if _, scale, _ := parseUnit("to"); scale != 1000 {
		t.Errorf("a tonne is %v kg", scale)
	}
	for _, in := range []string{"mp", "m2", "l", "set", ""} {
		if u, _, ok := parseUnit(in); ok {
			t.Errorf("parseUnit(%q) = %q, want unknown", in, u)
		}
	}
}

func TestParseLine(t *testing.T) {
	for _, tc := range []struct {
		in      string
		search  string
		qty     float64
		unit    string
		lengthM float64
	}{
		{"cornier 50x50x5 - 12 buc", "cornier 50x50x5", 12, "pcs", 0},
		{"Teava rect. 40x20x2 L=6m", "Teava rect. 40x20x2", 0, "", 6},
		{"Teava rect. 40x20x2 L = 6000 mm - 4 bare", "Teava rect. 40x20x2", 4, "pcs", 6},
		{"HEB 200 - 6 buc x 12m", "HEB 200", 6, "pcs", 12},
		{"Teava patrata 40x40x3 12 bare de 6 m", "Teava patrata 40x40x3", 12, "pcs", 6},
		{"Platbandă 40x5 (120 kg)", "Platbandă 40x5", 120, "kg", 0},
		{"HEA200 S355 1,5 t", "HEA200 S355", 1500, "kg", 0},
		{"Teava 48,3x3,2 - 36 ml", "Teava 48,3x3,2", 36, "m", 0},
		{"tabla zincata 0,5 mm", "tabla zincata 0,5 mm", 0, "", 0},
		{"Plasă sudată Ø5 100x100 panou 2,15x6 m", "Plasă sudată Ø5 100x100 panou 2,15x6 m", 0, "", 0},
		{"HEA 200 S355", "HEA 200 S355", 0, "", 0},
		{"Teava rect 40x20x2 lungime 3 m", "Teava rect 40x20x2", 0, "", 3},
	} {
		l := ParseLine(tc.in)
		if l.Search != tc.search || l.Quantity != tc.qty || l.Unit != tc.unit || l.LengthM != tc.lengthM {
			t.Errorf("ParseLine(%q) = %+v; want search %q, %v %q, L %v", tc.in, l, tc.search, tc.qty, tc.unit, tc.lengthM)
		}
	}
}

// A dimension is never a quantity: "40x20x2" keeps its 2, "Ø5" its 5.
func TestParseLine_DimensionsStay(t *testing.T) {
	for _, in := range []string{"Teava 40x20x2", "Bara rotunda Ø20", "Tabla 2 mm 1000x2000", "HE 200 A", "Cornier 50 x 50 x 5"} {
		l := ParseLine(in)
		if l.Quantity != 0 || !strings.EqualFold(strings.Join(strings.Fields(l.Search), " "), strings.Join(strings.Fields(in), " ")) {
			t.Errorf("ParseLine(%q) = %+v", in, l)
		}
	}
}
