package web

import (
	"math"

	"github.com/metalpro/backend/quotepdf"
)

// Template functions of the catalog pages, added to the shared set before the templates
// are parsed (New parses them, after every init).
func init() {
	funcs["unitPrice"] = unitPrice
	funcs["weight"] = weight
	funcs["leiAmount"] = func(lei float64) string { return quotepdf.Lei(toBani(lei)) }
}

// toBani rounds an amount in lei (the catalog's float prices) to whole bani.
func toBani(lei float64) int64 { return int64(math.Round(lei * 100)) }

// unitPrice shows a catalog price the way the storefront does: "12,50 RON / kg".
func unitPrice(lei float64, unit string) string {
	return quotepdf.Lei(toBani(lei)) + " / " + quotepdf.Unit(unit)
}

// weight shows kilograms per base unit, or a dash when the product has none.
func weight(kg *float64) string {
	if kg == nil {
		return "—"
	}
	return quotepdf.Quantity(*kg) + " kg"
}
