package search_test

import (
	"strings"
	"testing"

	"github.com/metalpro/backend/catalog"
	"github.com/metalpro/backend/catalog/search"
)

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Țeavă pătrată":      "teava patrata",
		"ţeavă":              "teava", // legacy cedilla
		"ȘIȚ şi ŞI":          "sit si si",
		"Tablă ÎNĂLȚIME Âa":  "tabla inaltime aa",
		"Ø20 40×20":          " 20 40x20",
		"oțel inoxidabil 2B": "otel inoxidabil 2b",
	}
	for in, want := range cases {
		if got := search.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Țeavă rectangulară 40x20x2 S235JR", "teava rectangulara 40x20x2 s235jr"},
		{"țeavă 40 x 20 x 2", "teava 40x20x2"},
		{"Teava rect 40X20X2", "teava rectangulara 40x20x2"},
		{"teava 40x20x1,5", "teava 40x20x1.5"},
		{"teava 40x20x1.50 mm", "teava 40x20x1.5"},
		{"hea200", "hea200"},
		{"HEA 200", "hea200"},
		{"HE 200 A", "hea200"},
		{"he200b", "heb200"},
		{"UNP 100", "upn100"},
		{"tabla inox 2mm 304", "tabla inox 2mm 304"},
		{"tabla inox 2 mm 1.4301", "tabla inox 2mm 304"},
		{"foaie tablă inoxidabilă 316", "tabla inox 316l"},
		{"bară rotundă Ø20", "bara rotunda 20"},
		{"otel rotund d20", "otel rotunda 20"},
		{"corniera 50x50x5", "cornier 50x50x5"},
		{"tablă galvanizată", "tabla zincata"},
		{"5754-H111", "5754 h111"},
		{"DX51D+Z275", "dx51d z275"},
		{"S235", "s235jr"},
		{"Țeavă apă 1/2\" DN15", "teava apa 1_2in dn15"},
		{"teava 1 1/4\"", "teava 1_1_4in"},
		{"2", "2"},
		{"20", "20"},
		{"de la 2 la 3 mm", "2 3mm"},
	}
	for _, c := range cases {
		if got := strings.Join(search.Tokens(c.in), " "); got != c.want {
			t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	q := search.ParseQuery("teava 40 x 20 x 2")
	if len(q.Dims) != 3 || q.Dims[0] != 40 || q.Dims[1] != 20 || q.Dims[2] != 2 {
		t.Errorf("dims %v", q.Dims)
	}
	q = search.ParseQuery("HE 200 A")
	if q.Family != "hea" || len(q.Dims) != 1 || q.Dims[0] != 200 {
		t.Errorf("HE 200 A: %+v", q)
	}
	q = search.ParseQuery("tabla inox 2 mm 304")
	if q.Thickness != 2 || q.Dims != nil {
		t.Errorf("tabla 2 mm: %+v", q)
	}
	if q := search.ParseQuery("teava inox 1.4301"); q.Grade != "304" {
		t.Errorf("grade of 1.4301: %q", q.Grade)
	}
	for grade, key := range map[string]string{"1.4301/304": "304", "1.4404/316L": "316l", "S235JR": "s235jr", "DX51D+Z275": "dx51d", "5754-H111": "5754", "6061-T6": "6061"} {
		if got := search.GradeKey(grade); got != key {
			t.Errorf("GradeKey(%q) = %q, want %q", grade, got, key)
		}
	}
	if got := search.MatchExpr([]string{"teava", "40x20x2"}, false); got != `"teava" AND "40x20x2"` {
		t.Errorf("MatchExpr = %s", got)
	}
}

func TestDocument_DimensionTokens(t *testing.T) {
	for _, p := range catalog.Products() {
		if p.SKU != "TR-40x20x2-S235" {
			continue
		}
		doc := search.Document(p)
		all := " " + doc.Title + " " + doc.Keywords + " "
		for _, tok := range []string{"40x20x2", "40x20", "20x40", "2mm", "2", "40", "20", "s235jr", "rectangulara", "teava"} {
			if !strings.Contains(all, " "+tok+" ") {
				t.Errorf("document %q lacks token %q", all, tok)
			}
		}
		return
	}
	t.Fatal("TR-40x20x2-S235 not in the catalog")
}
