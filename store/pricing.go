package store

import (
	"math"
	"strconv"
)

// Units a product can be sold in.
const (
	UnitKg  = "kg"
	UnitM   = "m"
	UnitPcs = "pcs"
)

// MaxQuantity bounds one cart line per unit: far above any real order, low enough that
// a typo (or an attack) cannot make totals meaningless.
var MaxQuantity = map[string]float64{UnitKg: 1_000_000, UnitM: 100_000, UnitPcs: 100_000}

// SaleProduct is what pricing needs to know about a catalog product.
type SaleProduct struct {
	ID           string
	SKU          string
	Title        string
	BaseUnit     string
	PricePerUnit float64  // RON per base unit
	Weight       *float64 // kg per base unit
	LengthM      *float64 // length of one bar/profile/pipe, in metres
	Availability string
	IsActive     bool
}

// unitFactor is how many base units one `unit` is, and whether the product is sold in that
// unit at all. The rules:
//   - the base unit, always;
//   - kg, when the product is sold by m or pcs and has a weight (kg per m or per piece):
//     1 kg = 1/weight base units;
//   - m, when the product is sold by the piece and a piece has a length (lengthM):
//     1 m = 1/lengthM pieces;
//   - pcs, when the product is sold by the metre and comes in bars of lengthM metres:
//     1 piece = lengthM metres (a whole bar).
//
// A product sold by kg offers no other unit: its weight is 1 kg/kg and says nothing about
// metres or pieces.
func (p SaleProduct) unitFactor(unit string) (float64, bool) {
	if unit == p.BaseUnit {
		return 1, true
	}
	positive := func(v *float64) bool { return v != nil && *v > 0 && !math.IsInf(*v, 0) }
	switch {
	case unit == UnitKg && p.BaseUnit != UnitKg && positive(p.Weight):
		return 1 / *p.Weight, true
	case unit == UnitM && p.BaseUnit == UnitPcs && positive(p.LengthM):
		return 1 / *p.LengthM, true
	case unit == UnitPcs && p.BaseUnit == UnitM && positive(p.LengthM):
		return *p.LengthM, true
	}
	return 0, false
}

// Units lists the units the product is sold in, base unit first.
func (p SaleProduct) Units() []string {
	units := []string{p.BaseUnit}
	for _, u := range []string{UnitM, UnitPcs, UnitKg} {
		if _, ok := p.unitFactor(u); ok && u != p.BaseUnit {
			units = append(units, u)
		}
	}
	return units
}

// UnitPriceBani is the price of one `unit` of the product in bani (RON/100): the catalog
// price per base unit converted through the weight or length, rounded half away from zero.
func (p SaleProduct) UnitPriceBani(unit string) (int64, bool) {
	f, ok := p.unitFactor(unit)
	if !ok {
		return 0, false
	}
	return int64(math.Round(p.PricePerUnit * f * 100)), true
}

// LineTotalBani is quantity × unit price in bani, rounded half up. Quantities carry at most
// three decimals, so the product is done in integers (thousandths × bani): no float drift
// in totals. A customer can check it: line total = quantity × the unit price shown.
func LineTotalBani(unitPriceBani int64, quantity float64) int64 {
	milli := int64(math.Round(quantity * 1000))
	return (unitPriceBani*milli + 500) / 1000
}

// Lei turns bani into RON as a JSON number with two decimals.
func Lei(bani int64) float64 { return float64(bani) / 100 }

// quantityProblem explains why quantity is not acceptable in unit, or returns "" when it
// is: positive, finite, within MaxQuantity, whole for pieces and at most three decimals
// for kg and m.
func quantityProblem(quantity float64, unit string) Text {
	max := MaxQuantity[unit]
	switch {
	case math.IsNaN(quantity) || math.IsInf(quantity, 0):
		return Text{"Cantitatea trebuie să fie un număr.", "Quantity must be a number."}
	case quantity <= 0:
		return Text{"Cantitatea trebuie să fie mai mare decât zero.", "Quantity must be greater than zero."}
	case roundQty(quantity) <= 0: // 1e-10 kg would be stored as 0
		return Text{"Cantitatea minimă este 0,001.", "The smallest quantity is 0.001."}
	case max > 0 && quantity > max:
		return Text{
			"Cantitatea depășește maximul de " + formatQty(max) + " " + unitRO(unit) + " pe linie.",
			"Quantity exceeds the maximum of " + formatQty(max) + " " + unit + " per line."}
	case unit == UnitPcs && quantity != math.Trunc(quantity):
		return Text{"Bucățile se comandă în număr întreg.", "Pieces must be a whole number."}
	case math.Abs(quantity*1000-math.Round(quantity*1000)) > 1e-6:
		return Text{"Cantitatea poate avea cel mult 3 zecimale.", "Quantity may have at most 3 decimals."}
	}
	return Text{}
}

// roundQty keeps three decimals, so 0.1+0.2 is stored as 0.3.
func roundQty(q float64) float64 { return math.Round(q*1000) / 1000 }

func unitRO(unit string) string {
	if unit == UnitPcs {
		return "buc."
	}
	return unit
}

func formatQty(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
