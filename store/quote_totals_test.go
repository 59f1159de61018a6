package store

import "testing"

// The totals a customer can check on the PDF: each line rounded to the ban, VAT rounded per
// line and summed, gross = net + VAT.
func TestComputeQuoteTotals_RoundsPerLine(t *testing.T) {
	items := []RFQItem{{ID: "a", Quantity: 12.345}, {ID: "b", Quantity: 3}}
	prices := map[string]int64{"a": 1999, "b": 333} // 19,99 RON/m, 3,33 RON/buc.
	got := ComputeQuoteTotals(items, prices, []int64{45000}, 2100)
	// a: 12,345 × 19,99 = 246,77655 → 246,78; VAT 51,8238 → 51,82
	// b: 3 × 3,33 = 9,99; VAT 2,0979 → 2,10
	// transport 450,00; VAT 94,50
	if got.ItemLine["a"] != 24678 || got.ItemLine["b"] != 999 {
		t.Fatalf("line totals %v", got.ItemLine)
	}
	if got.Net != 24678+999+45000 || got.VAT != 5182+210+9450 || got.Gross != got.Net+got.VAT {
		t.Fatalf("totals net %d VAT %d gross %d", got.Net, got.VAT, got.Gross)
	}
}

func TestToBani_RefusesMoreThanTwoDecimals(t *testing.T) {
	for lei, want := range map[float64]int64{19.99: 1999, 0.1: 10, 1234567.5: 123456750} {
		if b, ok := toBani(lei); !ok || b != want {
			t.Errorf("%v → %d %v", lei, b, ok)
		}
	}
	for _, lei := range []float64{-1, 1.005, 1e12} {
		if _, ok := toBani(lei); ok {
			t.Errorf("%v accepted", lei)
		}
	}
}
