package quotepdf

import (
	"strings"
	"testing"
	"time"

	"github.com/metalpro/backend/internal/pdftext"
)

func plainText(t *testing.T, b []byte) string {
	t.Helper()
	text, err := pdftext.Text(b)
	if err != nil {
		t.Fatalf("the PDF does not parse: %v", err)
	}
	return text
}

func TestRenderShowsTheQuoteInRomanian(t *testing.T) {
	doc := Document{
		Seller:    DefaultCompany,
		Customer:  Customer{Company: "Construcții Oțelărie S.R.L.", CUI: "RO18547290", Contact: "Ștefan Țăran", Email: "stefan@example.ro", Phone: "+40722123456", Address: "Str. Mării 3, Brașov"},
		Reference: "RFQ-2026-00042", Version: 2, Date: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), ValidUntil: "2026-12-15",
		Lines:     []Line{{Name: "Țeavă rectangulară 40x40x3", SKU: "TR-40403", Quantity: 120.5, Unit: "m", UnitPriceBani: 2345, LineTotalBani: 282573}},
		Extras:    []Extra{{Description: "Transport București", AmountBani: 45000}},
		VATRateBP: 2100, NetBani: 327573, VATBani: 68790, GrossBani: 396363,
		Notes: "Livrare în două tranșe.",
	}
	b, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	text := plainText(t, b)
	for _, want := range []string{"RFQ-2026-00042", "Țeavă rectangulară 40x40x3", "Transport București", "3.963,63 RON",
		"RO18547290", "Construcții Oțelărie", "15.12.2026", "120,5", "OFERTĂ DE PREȚ"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Lei(123456789), "1.234.567,89 RON"}, {Lei(5), "0,05 RON"}, {Lei(100000), "1.000,00 RON"},
		{Quantity(1250.5), "1.250,5"}, {Quantity(3), "3"}, {Unit("pcs"), "buc."}, {Percent(950), "9,5"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
