package bom

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/metalpro/backend/store/storetest"
)

// bomError is the interface the HTTP side expects of errors meant for the user.
type bomError interface {
	error
	BOMErrorCode() string
	BOMMessage(lang string) string
}

func mapCSV(t *testing.T, m *Mapper, csv string) *Result {
	t.Helper()
	out, err := m.MapBOM(context.Background(), strings.NewReader(csv), MIMECSV)
	if err != nil {
		t.Fatalf("MapBOM: %v", err)
	}
	res, ok := out.(*Result)
	if !ok {
		t.Fatalf("MapBOM answered %T", out)
	}
	return res
}

func TestMapBOM_UnitsAndConversions(t *testing.T) {
	m := &Mapper{DB: storetest.MustOpenSeeded(t)}
	res := mapCSV(t, m, "Denumire;Cant.;UM;Cod\n"+
		"Teava rect 40x20x2 S235;120;kg;\n"+ // 2: kg of a product sold by the metre
		"HEA 200 S355;1,5;t;\n"+ // 3: tonnes
		"Teava rect 40x20x2 S235 L=3m;10;buc;\n"+ // 4: 10 pieces cut to 3 m
		"Teava rect 40x20x2 S235;4;bare;\n"+ // 5: whole 6 m bars
		"Tabla neagra 2x1000x2000 S235;30;m;\n"+ // 6: a sheet by the metre
		"orice;3;buc;tr-40x20x2-s235\n"+ // 7: SKU typed in lower case
		"Surub M12x40 gr. 8.8;100;buc;\n"+ // 8: not sold here
		"Cornier 50x50x5 S235;;;\n") // 9: no quantity
	byLine := map[int]Row{}
	for _, r := range res.Rows {
		byLine[r.Line] = r
	}
	r := byLine[2]
	if r.Match == nil || r.Match.SKU != "TR-40x20x2-S235" || r.Status != StatusMatched {
		t.Fatalf("line 2: %+v", r)
	}
	// 120 kg at 1.693 kg/m (the catalog's weight) is 70.880 m; the cart takes the kg as written.
	if r.ConvertedQuantity == nil || *r.ConvertedQuantity < 70 || *r.ConvertedQuantity > 72 || r.CartLine == nil || r.CartLine.Unit != "kg" || r.CartLine.Quantity != 120 {
		t.Errorf("line 2: converted %v, cart line %+v", r.ConvertedQuantity, r.CartLine)
	}
	if r := byLine[3]; r.Quantity == nil || *r.Quantity != 1500 || *r.Unit != "kg" {
		t.Errorf("line 3: 1,5 t read as %v %v", r.Quantity, r.Unit)
	}
	r = byLine[4]
	var specs map[string]any
	if r.CartLine == nil || r.CartLine.Unit != "m" || r.CartLine.Quantity != 30 || json.Unmarshal(r.CartLine.Specs, &specs) != nil || specs["lengthM"] != 3.0 || specs["cutToLength"] != true {
		t.Errorf("line 4: 10 pieces of 3 m: cart line %+v", r.CartLine)
	}
	r = byLine[5]
	if r.CartLine == nil || r.CartLine.Unit != "pcs" || r.CartLine.Quantity != 4 || r.ConvertedQuantity == nil || *r.ConvertedQuantity != 24 {
		t.Errorf("line 5: 4 bars of 6 m: cart line %+v, converted %v", r.CartLine, r.ConvertedQuantity)
	}
	if r := byLine[6]; r.Status != StatusUnitMismatch || r.CartLine != nil || r.Problem == nil || r.Problem.Code != "unit_not_sold" {
		t.Errorf("line 6: a sheet in metres: %+v", r)
	}
	if r := byLine[7]; r.Status != StatusMatched || r.Confidence != 1 || r.Match.SKU != "TR-40x20x2-S235" {
		t.Errorf("line 7: exact SKU: %+v", r)
	}
	if r := byLine[8]; r.Status == StatusMatched || r.Match != nil && r.Status != StatusAmbiguous {
		t.Errorf("line 8: a screw matched %+v", r)
	}
	if r := byLine[9]; r.Problem == nil || r.Problem.Code != "no_quantity" || r.CartLine != nil || r.Quantity != nil {
		t.Errorf("line 9: no quantity: %+v", r)
	}
	s := res.Summary
	if s.Total != 8 || s.Matched+s.Ambiguous+s.Unmatched+s.UnitMismatch != s.Total || s.UnitMismatch != 1 {
		t.Errorf("summary %+v", s)
	}
	for _, r := range res.Rows {
		for _, a := range r.Alternatives {
			if r.Status == StatusMatched && a.Confidence >= r.Confidence {
				t.Errorf("line %d: matched %s at %v, yet alternative %s is as likely (%v)", r.Line, r.Match.SKU, r.Confidence, a.SKU, a.Confidence)
			}
		}
		if r.Confidence < 0 || r.Confidence > 1 || len(r.Alternatives) > 3 || r.Text == "" {
			t.Errorf("line %d: confidence %v, %d alternatives, text %q", r.Line, r.Confidence, len(r.Alternatives), r.Text)
		}
	}
}

func TestMapBOM_ErrorsForTheUser(t *testing.T) {
	m := &Mapper{DB: storetest.MustOpenSeeded(t)}
	for _, tc := range []struct {
		name, mime, body, code string
	}{
		{"no recognisable columns", MIMECSV, "a;b\n1;2\n", CodeNoColumns},
		{"empty", MIMECSV, "", CodeEmpty},
		{"other type", "application/pdf", "%PDF-1.7", CodeUnsupported},
		{"not a workbook", MIMEXLSX, "Denumire;Cant\n", CodeUnreadable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.MapBOM(context.Background(), strings.NewReader(tc.body), tc.mime)
			var be bomError
			if !errors.As(err, &be) || be.BOMErrorCode() != tc.code {
				t.Fatalf("err %v, want %s", err, tc.code)
			}
			if be.BOMMessage("ro") == "" || be.BOMMessage("en") == "" || be.BOMMessage("ro") == be.BOMMessage("en") {
				t.Errorf("messages %q / %q", be.BOMMessage("ro"), be.BOMMessage("en"))
			}
		})
	}
}

func TestMapBOM_StopsWhenTheRequestEnds(t *testing.T) {
	m := &Mapper{DB: storetest.MustOpenSeeded(t)}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := m.MapBOM(ctx, strings.NewReader("Denumire;Cant\nHEA 200;1\n"), MIMECSV)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

// A line that names no grade gets the standard variant; the other grades stay as
// alternatives, less likely than it, so a buyer sees which one was assumed.
func TestMapBOM_UnstatedGradeTakesTheStandardVariant(t *testing.T) {
	m := &Mapper{DB: storetest.MustOpenSeeded(t)}
	res := mapCSV(t, m, "Denumire;Cant.;UM\nTeava rect. 40x20x2 L=6m;12;buc\n")
	r := res.Rows[0]
	if r.Status != StatusMatched || r.Match == nil || r.Match.SKU != "TR-40x20x2-S235" {
		t.Fatalf("want TR-40x20x2-S235 matched, got %+v", r)
	}
	if len(r.Alternatives) == 0 {
		t.Fatal("the other grades should be offered")
	}
	for _, a := range r.Alternatives {
		if a.Confidence >= r.Confidence {
			t.Errorf("alternative %s at %v is as likely as the assumed standard (%v)", a.SKU, a.Confidence, r.Confidence)
		}
	}
}
