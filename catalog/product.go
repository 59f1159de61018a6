package catalog

import (
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
)

// Base units a product is sold in.
const (
	UnitKg  = "kg"
	UnitM   = "m"
	UnitPcs = "pcs"
)

// Availability values (the seed's spelling).
const (
	InStock    = "in_stock"
	OnOrder    = "on_order"
	OutOfStock = "out_of_stock"
)

// Product is one sellable catalog item. Weight is kg per base unit: kg/m for
// products sold by the metre, the mass of one piece for pcs, 1 for kg.
type Product struct {
	SKU          string
	Title        string // Romanian, comma-below diacritics
	CategorySlug string
	Grade        string
	Standard     string
	Dimensions   string // human-readable, e.g. "40x20x2 mm"
	Availability string
	BaseUnit     string
	PricePerUnit float64 // RON per base unit, 2 decimals
	Weight       float64 // kg per base unit
	LengthM      float64 // delivery length of bars, profiles and pipes; 0 when not applicable
	Metadata     map[string]any

	// Search: the product family ("rect_pipe", "hea", ...), its main
	// dimensions in the order people write them (e.g. 40,20,2 for a 40x20x2
	// pipe; thickness first for sheets), the thickness people mean by
	// "2 mm", and extra words people search it by.
	Family     string
	Dims       []float64
	Thickness  float64
	Format     string // sheets: the format W x L as buyers write it ("1500x3000"); "" otherwise
	Keywords   []string
	Popularity int // lower for the variant most people mean (S235JR before S355J2, 1000x2000 before 1500x3000)
}

// Products returns the whole seed catalog in display order (deterministic:
// the same slice on every call).
func Products() []Product {
	var ps []Product
	ps = append(ps, hollowSections()...)
	ps = append(ps, roundPipes()...)
	ps = append(ps, stainlessPipes()...)
	ps = append(ps, beams()...)
	ps = append(ps, angles()...)
	ps = append(ps, flatBars()...)
	ps = append(ps, roundBars()...)
	ps = append(ps, squareBars()...)
	ps = append(ps, blackSheets()...)
	ps = append(ps, galvanisedSheets()...)
	ps = append(ps, stainlessSheets()...)
	ps = append(ps, aluminiumSheets()...)
	ps = append(ps, meshes()...)
	return ps
}

// finish fills the derived fields: availability (deterministic from the SKU),
// price from the mass and the RON/kg rate, rounding.
func finish(p Product, ronPerKg float64) Product {
	p.Weight = round(p.Weight, 3)
	switch p.BaseUnit {
	case UnitKg:
		p.Weight = 1
		p.PricePerUnit = round(ronPerKg, 2)
	default:
		p.PricePerUnit = round(p.Weight*ronPerKg, 2)
	}
	p.Availability = availabilityFor(p.SKU)
	if p.Metadata == nil {
		p.Metadata = map[string]any{}
	}
	p.Metadata["pricePerKg"] = round(ronPerKg, 2)
	return p
}

// availabilityFor spreads availability deterministically: about 80 % in
// stock, 14 % on order, 6 % out of stock.
func availabilityFor(sku string) string {
	h := fnv.New32a()
	h.Write([]byte(sku))
	switch n := h.Sum32() % 100; {
	case n < 80:
		return InStock
	case n < 94:
		return OnOrder
	default:
		return OutOfStock
	}
}

// thinPremium makes thin gauges dearer per kg, as mills and service centres do.
func thinPremium(t float64) float64 {
	switch {
	case t < 1:
		return 1.12
	case t < 2:
		return 1.05
	default:
		return 1
	}
}

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// num formats a dimension the Romanian way: 1,5 not 1.5; no trailing zeros.
func num(v float64) string {
	return strings.ReplaceAll(strconv.FormatFloat(v, 'f', -1, 64), ".", ",")
}

// skuNum formats a dimension for a SKU: dot decimal, no trailing zeros.
func skuNum(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// dimsX joins dimensions as people write them: 40x20x2, 48,3x3,2.
func dimsX(vs ...float64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = num(v)
	}
	return strings.Join(s, "x")
}

// skuX joins dimensions for a SKU: 40x20x2, 48.3x3.2.
func skuX(vs ...float64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = skuNum(v)
	}
	return strings.Join(s, "x")
}

// gradeInfo describes a material grade: its short SKU code, the words people
// search it by, its density and its price per kg.
type gradeInfo struct {
	Name     string
	SKU      string
	Aliases  []string
	Density  float64 // kg/m³
	RONPerKg float64 // base price for long products; sheets and pipes adjust
	Pop      int
}

var (
	s235    = gradeInfo{"S235JR", "S235", []string{"s235", "s235jr", "s235jrh", "otel"}, 7850, 5.9, 0}
	s275    = gradeInfo{"S275JR", "S275", []string{"s275", "s275jr", "otel"}, 7850, 6.15, 1}
	s355    = gradeInfo{"S355J2", "S355", []string{"s355", "s355j2", "s355j2h", "otel"}, 7850, 6.5, 2}
	s195t   = gradeInfo{"S195T", "S195", []string{"s195", "s195t", "otel"}, 7850, 7.0, 0}
	dx51d   = gradeInfo{"DX51D+Z275", "DX51", []string{"dx51d", "z275", "zincata", "otel"}, 7850, 7.8, 0}
	inox304 = gradeInfo{"1.4301/304", "304", []string{"304", "1.4301", "aisi304", "x5crni18-10", "inox"}, 7900, 28, 0}
	inox316 = gradeInfo{"1.4404/316L", "316L", []string{"316l", "1.4404", "aisi316l", "x2crnimo17-12-2", "inox"}, 8000, 38, 1}
	// 5754 is an Al-Mg alloy slightly lighter than pure aluminium (2.67 g/cm³);
	// 6061 is 2.70 g/cm³ (EN 573-3 / producers' data sheets).
	al5754 = gradeInfo{"5754-H111", "5754", []string{"5754", "h111", "almg3", "aluminiu"}, 2670, 30, 0}
	al6061 = gradeInfo{"6061-T6", "6061", []string{"6061", "t6", "almg1sicu", "aluminiu"}, 2700, 34, 1}
	b500a  = gradeInfo{"B500A", "B500", []string{"b500a", "b500", "otel", "beton"}, 7850, 6.4, 0}
)

// massPerM returns kg/m of a cross-section of area mm² in a material of the
// given density (kg/m³): A[mm²]·1e-6 m²/mm² · ρ.
func massPerM(areaMM2, density float64) float64 {
	return areaMM2 * 1e-6 * density
}

func fsku(format string, a ...any) string { return fmt.Sprintf(format, a...) }
