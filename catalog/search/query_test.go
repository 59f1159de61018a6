package search_test

import (
	"strings"
	"testing"

	"github.com/metalpro/backend/catalog/search"
)

// TestParseQuery_BuyerSpelling: how a query is understood, as the FTS5 expression it
// becomes (the terms, their alternatives, the exclusions).
func TestParseQuery_BuyerSpelling(t *testing.T) {
	cases := []struct{ in, match string }{
		{"profil u 100", `"profil" AND "upn100"`},
		{"profil u100", `"profil" AND "upn100"`},
		{"i 200", `"ipe200"`},
		{"profil H 200", `"profil" AND ("hea200" OR "heb200")`},
		{"he a 200", `"hea200"`},
		{"l 50x5", `"cornier" AND "50x5"`},
		{"5754-H111", `"5754" AND "h111"`}, // a temper, not an H beam
		{"teava rotunda 60", `"teava" AND "rotunda" AND ("60" OR "60.3")`},
		{"teava rotunda 48x3,2", `"teava" AND "rotunda" AND ("48x3.2" OR "48.3x3.2")`},
		{"teava rectangulara 60x40x3", `"teava" AND "rectangulara" AND "60x40x3"`}, // not a round tube
		{"teava 3/4", `"teava" AND ("3_4in" OR "dn20")`},
		{"teava 1 1/4", `"teava" AND ("1_1_4in" OR "dn32")`},
		{`teava 2"`, `"teava" AND ("2in" OR "dn50")`},
		{"dn 15", `("dn15" OR "1_2in")`},
		{"teava 40/20/2", `"teava" AND "40x20x2"`},
		{"tabla inox 1.4301/304", `"tabla" AND "inox" AND "304"`},
		{"tabla 2x1500x3000", `"tabla" AND "2x1500x3000"`},
		{"rhs 40x20x2", `"teava" AND "rectangulara" AND "40x20x2"`},
		{"SHS 40x40x3", `"teava" AND "patrata" AND "40x40x3"`},
		{"CHS 48.3x3.2", `"teava" AND "rotunda" AND "48.3x3.2"`},
		{"t.rect. 40x20x2", `"teava" AND "rectangulara" AND "40x20x2"`},
		{"tv patr 40x40x3", `"teava" AND "patrata" AND "40x40x3"`},
		{"pl. 40x4", `"platbanda" AND "40x4"`},
		{"cor. 50x5", `"cornier" AND "50x5"`},
		{"bara plata 40x4", `"platbanda" AND "40x4"`},
		{"oțel inoxidabil bara 20", `"inox" AND "bara" AND "20"`},
		{"teava 40x20x2 6m", `"teava" AND "40x20x2"`},
		{"teava -zincata", `("teava") NOT ("zincata")`},
		{"teava -galvanizată -inox", `("teava") NOT ("zincata" OR "inox")`},
		{"he-200-a", `"hea200"`}, // a "-" inside a word is no exclusion
		{"teava rectangulra 40x20x2", `"teava" AND "rectangulara" AND "40x20x2"`},
		{"platbnda 40x4", `"platbanda" AND "40x4"`},
		{"teava 40x20x3", `"teava" AND "40x20x3"`}, // numbers are never corrected
		{"teva 40", `"teva" AND "40"`},             // four letters: too short to guess
		{"tabla decapata 2", `"tabla" AND ("decapata" OR "neagra") AND "2"`},
		{"tabla laminata la cald 3", `"tabla" AND ("laminata" OR "neagra") AND ("cald" OR "neagra") AND "3"`},
		{"teava laminata", `"teava" AND "laminata"`}, // a finish of sheets only
	}
	for _, c := range cases {
		if got := search.ParseQuery(c.in).Match(); got != c.match {
			t.Errorf("ParseQuery(%q).Match() = %s, want %s", c.in, got, c.match)
		}
	}
}

func TestParseQuery_Structure(t *testing.T) {
	q := search.ParseQuery("tabla zincata 0,5 1250x2500")
	if q.Thickness != 0.5 || len(q.Format) != 2 || q.Format[0] != 1250 || q.Format[1] != 2500 {
		t.Errorf("sheet thickness and format: %+v", q)
	}
	q = search.ParseQuery("tabla 3000x1500x2")
	if q.Thickness != 2 || len(q.Format) != 2 || q.Format[0] != 1500 {
		t.Errorf("thickness last, format either way: %+v", q)
	}
	q = search.ParseQuery("teava apa 3/4")
	if q.Nominal == nil || q.Nominal.DN != 20 || q.Nominal.OD != 26.9 || len(q.Dims) != 1 || q.Dims[0] != 26.9 {
		t.Errorf("3/4: %+v", q)
	}
	q = search.ParseQuery("teava rotunda 60x3")
	if len(q.Dims) != 2 || q.Dims[0] != 60.3 || q.Dims[1] != 3 {
		t.Errorf("nominal 60x3: %+v", q.Dims)
	}
	q = search.ParseQuery("teava rectangulra blah 40x20x2 s355")
	kinds := map[string]string{}
	for _, term := range q.Terms {
		kinds[term.Text] = term.Kind
	}
	want := map[string]string{"teava": search.KindType, "rectangulra": search.KindType, "blah": search.KindWord,
		"40x20x2": search.KindDimension, "s355j2": search.KindGrade}
	for w, k := range want {
		if kinds[w] != k {
			t.Errorf("kind of %q = %q, want %q (%+v)", w, kinds[w], k, q.Terms)
		}
	}
	if strings.Join(q.Unknown, ",") != "blah" {
		t.Errorf("unknown words %v", q.Unknown)
	}
}

func TestNominalSizes(t *testing.T) {
	for _, c := range []struct {
		lookup string
		od     float64
		dn     int
		inch   string
		ok     bool
		byInch bool
		byName float64
		byDN   int
	}{
		{lookup: "1/2\"", od: 21.3, dn: 15, inch: "1/2", ok: true, byInch: true},
		{lookup: "3_4in", od: 26.9, dn: 20, inch: "3/4", ok: true, byInch: true},
		{lookup: "1 1/4", od: 42.4, dn: 32, inch: "1 1/4", ok: true, byInch: true},
		{byName: 60, od: 60.3, dn: 50, inch: "2", ok: true},
		{byName: 48, od: 48.3, dn: 40, inch: "1 1/2", ok: true},
		{byName: 42, od: 42.4, dn: 32, inch: "1 1/4", ok: true},
		{byName: 33, od: 33.7, dn: 25, inch: "1", ok: true},
		{byName: 61},
		{byDN: 80, od: 88.9, dn: 80, inch: "3", ok: true},
	} {
		var od float64
		var dn int
		var inch string
		var ok bool
		switch {
		case c.byInch:
			n, found := search.NominalByInch(c.lookup)
			od, dn, inch, ok = n.OD, n.DN, n.Inch, found
		case c.byName > 0:
			n, found := search.NominalByName(c.byName)
			od, dn, inch, ok = n.OD, n.DN, n.Inch, found
		default:
			n, found := search.NominalByDN(c.byDN)
			od, dn, inch, ok = n.OD, n.DN, n.Inch, found
		}
		if ok != c.ok || od != c.od || dn != c.dn || inch != c.inch {
			t.Errorf("%+v: got %v %v %q %v", c, od, dn, inch, ok)
		}
	}
}

func TestCorrections(t *testing.T) {
	for w, want := range map[string]string{
		"rectangulra":  "rectangulara", // a letter dropped
		"rectanuglara": "rectangulara", // neighbours swapped
		"rectngulra":   "",             // two letters dropped
		"platbnada":    "platbanda",
		"coriner":      "cornier", // neighbours swapped
		"zincta":       "zincata",
		"tabal":        "tabla",
		"teava":        "", // a catalog word is no typo
		"teva":         "", // too short
		"40x20x3":      "", // never a number
	} {
		if got := strings.Join(search.Corrections(w), ","); got != want {
			t.Errorf("Corrections(%q) = %q, want %q", w, got, want)
		}
	}
}
