package catalog

import "math"

var flatWidths = []float64{12, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 110, 120, 140, 150, 160, 180, 200}
var flatThicknesses = []float64{3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30}

// flatBars: EN 10058 flat bars w x t (t at most half the width) in S235JR
// and S355J2 (from 5 mm), and 304 stainless up to 100 mm wide.
func flatBars() []Product {
	var ps []Product
	mk := func(w, t float64, g gradeInfo, pop int, rate float64) Product {
		kind, std, kw := "Platbandă ", "EN 10058", []string{"platbanda", "lama", "bara", "plata", "otel"}
		switch g.Name {
		case inox304.Name, inox316.Name:
			kind, std = "Platbandă inox ", "EN 10088-3"
		case al6061.Name:
			kind, std, kw = "Platbandă aluminiu ", "EN 755-2", []string{"platbanda", "lama", "bara", "plata"}
		}
		return finish(Product{
			SKU: fsku("PL-%s-%s", skuX(w, t), g.SKU), Title: kind + dimsX(w, t) + " " + g.Name,
			CategorySlug: CatFlatBars, Grade: g.Name, Standard: std, Dimensions: dimsX(w, t) + " mm",
			BaseUnit: UnitM, Weight: massPerM(w*t, g.Density), LengthM: 6,
			Metadata: map[string]any{"widthMm": w, "thicknessMm": t, "process": "laminată la cald"},
			Family:   "flat_bar", Dims: []float64{w, t}, Thickness: t,
			Keywords: append(kw, g.Aliases...), Popularity: pop,
		}, rate)
	}
	for _, w := range flatWidths {
		for _, t := range flatThicknesses {
			if t > w/2 {
				continue
			}
			ps = append(ps, mk(w, t, s235, 0, 6.0))
			ps = append(ps, mk(w, t, s275, 1, 6.2))
			if t >= 5 {
				ps = append(ps, mk(w, t, s355, 2, 6.6))
			}
			if w <= 100 && t <= 10 {
				ps = append(ps, mk(w, t, inox304, 6, 30), mk(w, t, inox316, 7, 41), mk(w, t, al6061, 8, 33))
			}
		}
	}
	return ps
}

var roundBarDiameters = []float64{6, 8, 10, 12, 14, 16, 18, 20, 22, 25, 28, 30, 32, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 90, 100, 110, 120, 130, 140, 150, 160, 180, 200}
var stainlessBarDiameters = []float64{6, 8, 10, 12, 14, 16, 18, 20, 22, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100}
var aluBarDiameters = []float64{10, 12, 15, 16, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 120, 150}

// roundBars: EN 10060 round bars in S235JR and S355J2, stainless 304/316L
// (EN 10088-3) and aluminium 6061-T6 (EN 754-3). Up to Ø70 they are sold by
// the metre in 6 m bars; larger ones are cut to length and sold by the kg.
func roundBars() []Product {
	var ps []Product
	mk := func(d float64, g gradeInfo, std, kind string, pop int, rate float64) Product {
		unit, length := UnitM, 6.0
		if d > 70 {
			unit, length = UnitKg, 0
		}
		mass := massPerM(math.Pi*d*d/4, g.Density)
		kw := []string{"bara", "rotunda", "otel", "rotund", "trefilata"}
		if g.Name == al6061.Name {
			kw = []string{"bara", "rotunda", "rotund", "aluminiu"}
		}
		return finish(Product{
			SKU: fsku("BR-%s-%s", skuNum(d), g.SKU), Title: kind + "Ø" + num(d) + " " + g.Name,
			CategorySlug: CatRoundBars, Grade: g.Name, Standard: std, Dimensions: "Ø" + num(d) + " mm",
			BaseUnit: unit, Weight: mass, LengthM: length,
			Metadata: map[string]any{"diameterMm": d, "massKgPerM": round(mass, 3), "cutToLength": unit == UnitKg},
			Family:   "round_bar", Dims: []float64{d}, Thickness: d,
			Keywords: append(kw, g.Aliases...), Popularity: pop,
		}, rate)
	}
	for _, d := range roundBarDiameters {
		ps = append(ps, mk(d, s235, "EN 10060", "Bară rotundă ", 0, 5.8), mk(d, s275, "EN 10060", "Bară rotundă ", 1, 6.0), mk(d, s355, "EN 10060", "Bară rotundă ", 2, 6.4))
	}
	for _, d := range stainlessBarDiameters {
		ps = append(ps, mk(d, inox304, "EN 10088-3", "Bară rotundă inox ", 6, 29), mk(d, inox316, "EN 10088-3", "Bară rotundă inox ", 7, 40))
	}
	for _, d := range aluBarDiameters {
		ps = append(ps, mk(d, al6061, "EN 754-3", "Bară rotundă aluminiu ", 8, 32))
	}
	return ps
}

var squareBarSides = []float64{8, 10, 12, 14, 16, 18, 20, 22, 25, 30, 35, 40, 45, 50, 60, 70, 80, 100}

// squareBars: EN 10059 square bars in S235JR and S355J2, 6 m.
func squareBars() []Product {
	var ps []Product
	for _, a := range squareBarSides {
		for _, g := range []gradeInfo{s235, s275, s355} {
			ps = append(ps, finish(Product{
				SKU: fsku("BP-%s-%s", skuNum(a), g.SKU), Title: "Bară pătrată " + dimsX(a, a) + " " + g.Name,
				CategorySlug: CatSquareBars, Grade: g.Name, Standard: "EN 10059", Dimensions: dimsX(a, a) + " mm",
				BaseUnit: UnitM, Weight: massPerM(a*a, g.Density), LengthM: 6,
				Metadata: map[string]any{"sideMm": a, "process": "laminată la cald"},
				Family:   "square_bar", Dims: []float64{a, a}, Thickness: a,
				Keywords: append([]string{"bara", "patrata", "otel", "patrat"}, g.Aliases...), Popularity: g.Pop,
			}, map[string]float64{s235.Name: 6.0, s275.Name: 6.2, s355.Name: 6.6}[g.Name]))
		}
	}
	return ps
}
