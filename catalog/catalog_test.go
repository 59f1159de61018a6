package catalog_test

import (
	"math"
	"strings"
	"testing"

	"github.com/metalpro/backend/catalog"
)

func bySKU(tb testing.TB) map[string]catalog.Product {
	tb.Helper()
	m := map[string]catalog.Product{}
	for _, p := range catalog.Products() {
		if _, dup := m[p.SKU]; dup {
			tb.Fatalf("duplicate SKU %s", p.SKU)
		}
		m[p.SKU] = p
	}
	return m
}

func TestCatalog_Size(t *testing.T) {
	ps := catalog.Products()
	if len(ps) < 3000 {
		t.Fatalf("catalog has %d products, want at least 3000", len(ps))
	}
	cats := map[string]bool{}
	for _, c := range catalog.Categories() {
		cats[c.Slug] = true
	}
	if len(cats) < 10 {
		t.Fatalf("%d categories, want at least 10", len(cats))
	}
	perCat := map[string]int{}
	for _, p := range ps {
		if !cats[p.CategorySlug] {
			t.Fatalf("%s: unknown category %q", p.SKU, p.CategorySlug)
		}
		perCat[p.CategorySlug]++
	}
	for c := range cats {
		if perCat[c] == 0 {
			t.Errorf("category %s is empty", c)
		}
	}
}

func TestCatalog_Deterministic(t *testing.T) {
	a, b := catalog.Products(), catalog.Products()
	for i := range a {
		if a[i].SKU != b[i].SKU || a[i].PricePerUnit != b[i].PricePerUnit || a[i].Availability != b[i].Availability {
			t.Fatalf("product %d differs between calls: %+v vs %+v", i, a[i], b[i])
		}
	}
}

func TestCatalog_Fields(t *testing.T) {
	m := bySKU(t)
	grades := map[string]bool{}
	units := map[string]bool{}
	avail := map[string]int{}
	for sku, p := range m {
		grades[p.Grade] = true
		units[p.BaseUnit] = true
		avail[p.Availability]++
		if strings.ContainsAny(p.Title, "şţŞŢ") {
			t.Errorf("%s: title %q uses cedilla ş/ţ instead of comma-below ș/ț", sku, p.Title)
		}
		if p.PricePerUnit <= 0 || p.PricePerUnit != math.Round(p.PricePerUnit*100)/100 {
			t.Errorf("%s: price %v not positive with 2 decimals", sku, p.PricePerUnit)
		}
		if p.Weight <= 0 {
			t.Errorf("%s: weight %v", sku, p.Weight)
		}
		switch p.BaseUnit {
		case catalog.UnitKg:
			if p.Weight != 1 {
				t.Errorf("%s: sold by kg, weight %v want 1", sku, p.Weight)
			}
		case catalog.UnitM, catalog.UnitPcs:
		default:
			t.Errorf("%s: base unit %q", sku, p.BaseUnit)
		}
		if strings.HasPrefix(p.Title, "Țeavă") || strings.HasPrefix(p.Title, "Profil") {
			if p.LengthM <= 0 {
				t.Errorf("%s: pipes and profiles need lengthM", sku)
			}
		}
		if strings.Contains(p.Standard, ",") || strings.Contains(p.Grade, ",") {
			t.Errorf("%s: a comma in grade/standard would split in the comma-separated filter", sku)
		}
		if p.Standard == "" || p.Grade == "" || p.Dimensions == "" {
			t.Errorf("%s: missing standard/grade/dimensions", sku)
		}
	}
	for _, g := range []string{"S235JR", "S275JR", "S355J2", "DX51D+Z275", "1.4301/304", "1.4404/316L", "6061-T6", "5754-H111"} {
		if !grades[g] {
			t.Errorf("no product in grade %s", g)
		}
	}
	for _, u := range []string{"kg", "m", "pcs"} {
		if !units[u] {
			t.Errorf("no product sold by %s", u)
		}
	}
	if avail[catalog.InStock] < len(m)/2 || avail[catalog.OnOrder] == 0 || avail[catalog.OutOfStock] == 0 {
		t.Errorf("availability mix %v", avail)
	}
	if p, ok := m["TR-40x20x2-S235"]; !ok || p.Title != "Țeavă rectangulară 40x20x2 S235JR" {
		t.Errorf("TR-40x20x2-S235 = %+v", p)
	}
}

// TestCatalog_Weights checks masses against the standards' tables and
// geometry × density.
func TestCatalog_Weights(t *testing.T) {
	m := bySKU(t)
	cases := []struct {
		sku  string
		want float64 // kg per base unit
		tol  float64 // relative
	}{
		{"HEA-200-S235", 42.3, 0.001},
		{"HEB-200-S235", 61.3, 0.001},
		{"IPE-200-S235", 22.4, 0.001},
		{"UPN-200-S235", 25.3, 0.001},
		{"HEA-1000-S355", 272, 0.001},
		{"TR-40x20x2-S235", 1.68, 0.01},    // EN 10219-2 table: 1.68 kg/m
		{"TP-40x40x3-S235", 3.30, 0.01},    // EN 10219-2: 3.30 kg/m
		{"TR-100x50x4-S235", 8.59, 0.01},   // EN 10219-2: 8.59 kg/m
		{"TRO-48.3x3.2-S235", 3.56, 0.01},  // EN 10219-2: 3.56 kg/m
		{"TAN-DN25-M", 2.41, 0.02},         // EN 10255 M 33.7x3.2 plain end: 2.41 kg/m
		{"BR-20-S235", 2.47, 0.01},         // π·10²·7.85e-3
		{"PL-40x4-S235", 1.256, 0.001},     // 40·4·7.85e-3
		{"BP-20-S235", 3.14, 0.001},        // 20²·7.85e-3
		{"CE-50x50x5-S235", 3.77, 0.01},    // EN 10056-1: 3.77 kg/m
		{"CE-100x100x10-S235", 15.1, 0.01}, // EN 10056-1: 15.1 kg/m
		{"TN-2x1000x2000-S235", 31.4, 0.001},
		{"TX-2x1000x2000-304-2B", 31.6, 0.001},
		{"TX-2x1000x2000-316L-2B", 32.0, 0.001},
		{"TAL-2x1000x2000-5754", 10.68, 0.001},
		{"TZ-0.5x1000x2000-DX51", 8.4, 0.001}, // 7.85 + 0.55 kg zinc
		{"BR-100-S235", 1, 0},                 // sold by kg
	}
	for _, c := range cases {
		p, ok := m[c.sku]
		if !ok {
			t.Errorf("%s missing", c.sku)
			continue
		}
		if math.Abs(p.Weight-c.want) > c.want*c.tol+1e-9 {
			t.Errorf("%s weight %.3f, want %.3f ±%.1f%%", c.sku, p.Weight, c.want, c.tol*100)
		}
	}
	// price per metre = kg/m × RON/kg
	p := m["HEA-200-S235"]
	if got := p.Weight * p.Metadata["pricePerKg"].(float64); math.Abs(got-p.PricePerUnit) > 0.01 {
		t.Errorf("HEA 200 price %v, want %v", p.PricePerUnit, got)
	}
}

// TestCatalog_NominalSizes: the water pipes take DN, inch and OD from the one nominal
// size table search and BOM matching read, and every sheet carries its format.
func TestCatalog_NominalSizes(t *testing.T) {
	byDN := map[int]catalog.NominalSize{}
	for _, n := range catalog.NominalSizes {
		byDN[n.DN] = n
	}
	water, sheets := 0, 0
	for _, p := range catalog.Products() {
		if dn, ok := p.Metadata["dn"].(int); ok {
			water++
			n := byDN[dn]
			if p.Metadata["outerDiameterMm"] != n.OD || p.Metadata["inch"] != n.Inch+`"` || !n.EN10255 {
				t.Errorf("%s: DN%d %v %v, table says %v %q", p.SKU, dn, p.Metadata["outerDiameterMm"], p.Metadata["inch"], n.OD, n.Inch)
			}
		}
		if p.Family == "sheet" {
			sheets++
			if want := strings.Join(strings.Split(p.SKU, "x")[1:], "x"); !strings.HasPrefix(want, p.Format+"-") || p.Metadata["format"] != p.Format {
				t.Errorf("%s: format %q, metadata %v", p.SKU, p.Format, p.Metadata["format"])
			}
		}
	}
	if water == 0 || sheets == 0 {
		t.Fatalf("%d water pipes, %d sheets", water, sheets)
	}
}
