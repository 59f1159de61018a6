package quotepdf

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkRender renders a 50-line quote (two pages); it reports the PDF's size.
func BenchmarkRender(b *testing.B) {
	doc := Document{Seller: DefaultCompany, Customer: Customer{Company: "Construcții Oțel SRL", CUI: "RO14399840"},
		Reference: "RFQ-2026-00042", Version: 1, Date: time.Now(), ValidUntil: "2026-12-31",
		VATRateBP: 2100, NetBani: 1_000_000_00, VATBani: 210_000_00, GrossBani: 1_210_000_00}
	for i := range 50 {
		doc.Lines = append(doc.Lines, Line{Name: fmt.Sprintf("Țeavă rectangulară 40x40x%d mm S235JR", i), SKU: "TR-40", Quantity: 12.5,
			Unit: "m", UnitPriceBani: 5100, LineTotalBani: 63750})
	}
	var size int
	for b.Loop() {
		out, err := Render(doc)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}
