package catalog

import "math"

// hollowArea is the cross-section of a rectangular or square hollow section
// per EN 10219-2 (annex B): A = 2t(B+H−2t) − (4−π)(ro²−ri²), with the
// standard's corner radii ro/ri = 2t/1t for t ≤ 6 mm, 2.5t/1.5t for
// t ≤ 10 mm and 3t/2t above.
func hollowArea(h, b, t float64) float64 {
	ro, ri := 2*t, t
	switch {
	case t > 10:
		ro, ri = 3*t, 2*t
	case t > 6:
		ro, ri = 2.5*t, 1.5*t
	}
	return 2*t*(b+h-2*t) - (4-math.Pi)*(ro*ro-ri*ri)
}

// tubeArea is the cross-section of a round tube: π·t·(D−t).
func tubeArea(d, t float64) float64 { return math.Pi * t * (d - t) }

// wallsFor lists the wall thicknesses stocked for a hollow section whose
// larger side is h mm.
func wallsFor(h float64) []float64 {
	switch {
	case h <= 30:
		return []float64{1.2, 1.5, 2, 2.5, 3}
	case h <= 50:
		return []float64{1.2, 1.5, 2, 2.5, 3, 4}
	case h <= 80:
		return []float64{1.5, 2, 2.5, 3, 4, 5, 6}
	case h <= 120:
		return []float64{2, 2.5, 3, 4, 5, 6, 8}
	case h <= 200:
		return []float64{3, 4, 5, 6, 8, 10}
	default:
		return []float64{5, 6, 8, 10, 12.5, 16}
	}
}

var rectSizes = [][2]float64{
	{20, 10}, {30, 15}, {30, 20}, {40, 20}, {40, 25}, {40, 30}, {50, 20}, {50, 25}, {50, 30}, {50, 40},
	{60, 20}, {60, 30}, {60, 40}, {70, 30}, {70, 40}, {70, 50}, {80, 20}, {80, 40}, {80, 50}, {80, 60},
	{90, 50}, {100, 40}, {100, 50}, {100, 60}, {100, 80}, {120, 40}, {120, 60}, {120, 80}, {140, 60}, {140, 80},
	{150, 50}, {150, 100}, {160, 80}, {180, 100}, {200, 100}, {200, 120}, {200, 150}, {250, 150}, {300, 100}, {300, 200},
}

var squareSizes = []float64{15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 120, 140, 150, 160, 180, 200, 250, 300}

// hollowSections: black EN 10219 rectangular and square sections in S235JR
// and S355J2 (S355J2 from 3 mm wall), and galvanised ones from DX51D+Z275 strip.
func hollowSections() []Product {
	var ps []Product
	add := func(square bool, h, b, t float64, g gradeInfo, galv bool) {
		cat, kind, fam, prefix, kw := CatRectPipes, "rectangulară", "rect_pipe", "TR", []string{"teava", "rectangulara", "profil", "tubular"}
		if square {
			cat, kind, fam, prefix, kw = CatSquarePipes, "pătrată", "square_pipe", "TP", []string{"teava", "patrata", "profil", "tubular"}
		}
		length := 6.0
		if h >= 200 {
			length = 12
		}
		std := "EN 10219"
		rate := 6.4 * g.RONPerKg / s235.RONPerKg
		title := "Țeavă " + kind + " " + dimsX(h, b, t) + " " + g.Name
		sku := fsku("%s-%s-%s", prefix, skuX(h, b, t), g.SKU)
		pop := g.Pop
		if galv {
			// The tube is EN 10219; its strip is DX51D+Z275 to EN 10346 (in metadata).
			// One standard per product keeps the standard facet and filter clean.
			rate = 8.6
			title = "Țeavă " + kind + " zincată " + dimsX(h, b, t) + " " + g.Name
			sku = fsku("%sZ-%s", prefix, skuX(h, b, t))
			pop = 5
			kw = append(kw, "zincata")
		} else {
			kw = append(kw, "neagra") // black steel: "țeavă neagră" is how buyers tell it from galvanised
		}
		dims := []float64{h, b, t}
		if square {
			dims = []float64{h, h, t}
		}
		ps = append(ps, finish(Product{
			SKU: sku, Title: title, CategorySlug: cat, Grade: g.Name, Standard: std,
			Dimensions: dimsX(h, b, t) + " mm", BaseUnit: UnitM,
			Weight: massPerM(hollowArea(h, b, t), g.Density), LengthM: length,
			Metadata: map[string]any{"heightMm": h, "widthMm": b, "wallMm": t, "process": "sudată, formată la rece", "surface": map[bool]string{true: "zincat Z275 (bandă EN 10346)", false: "negru"}[galv]},
			Family:   fam, Dims: dims, Thickness: t, Keywords: append(kw, g.Aliases...), Popularity: pop,
		}, rate*thinPremium(t)))
	}
	for _, s := range rectSizes {
		for _, t := range wallsFor(s[0]) {
			add(false, s[0], s[1], t, s235, false)
			if t >= 3 {
				add(false, s[0], s[1], t, s355, false)
			}
			if s[0] <= 120 && t <= 3 {
				add(false, s[0], s[1], t, dx51d, true)
			}
		}
	}
	for _, a := range squareSizes {
		for _, t := range wallsFor(a) {
			add(true, a, a, t, s235, false)
			if t >= 3 {
				add(true, a, a, t, s355, false)
			}
			if a <= 120 && t <= 3 {
				add(true, a, a, t, dx51d, true)
			}
		}
	}
	return ps
}

var roundODs = []float64{21.3, 26.9, 33.7, 42.4, 48.3, 60.3, 76.1, 88.9, 101.6, 114.3, 139.7, 168.3, 193.7, 219.1, 244.5, 273, 323.9, 355.6, 406.4}

func roundWalls(d float64) []float64 {
	switch {
	case d < 40:
		return []float64{2, 2.6, 3.2}
	case d < 70:
		return []float64{2, 2.6, 3.2, 4, 5}
	case d < 120:
		return []float64{3, 3.6, 4, 5, 6.3}
	case d < 250:
		return []float64{4, 5, 6.3, 8, 10}
	default:
		return []float64{6.3, 8, 10, 12.5, 16}
	}
}

// waterPipe is one EN 10255 nominal size: DN, inch designation, outside
// diameter (from NominalSizes) and the medium (M) and heavy (H) series wall thicknesses.
type waterPipe struct {
	DN     int
	Inch   string
	D      float64
	TM, TH float64
}

// waterPipeWalls are the EN 10255 medium and heavy series walls of the DNs stocked.
var waterPipeWalls = []struct {
	DN     int
	TM, TH float64
}{
	{15, 2.6, 3.2}, {20, 2.6, 3.2}, {25, 3.2, 4.0}, {32, 3.2, 4.0}, {40, 3.2, 4.0},
	{50, 3.6, 4.5}, {65, 3.6, 4.5}, {80, 4.0, 5.0}, {100, 4.5, 5.4},
}

var waterPipes = func() []waterPipe {
	out := make([]waterPipe, len(waterPipeWalls))
	for i, w := range waterPipeWalls {
		n := nominalByDN(w.DN)
		out[i] = waterPipe{DN: w.DN, Inch: n.Inch + "\"", D: n.OD, TM: w.TM, TH: w.TH}
	}
	return out
}()

// roundPipes: welded EN 10219 (S235JR, S355J2), seamless EN 10210 (S355J2,
// from 60.3 mm) and EN 10255 water pipes, black and hot-dip galvanised.
func roundPipes() []Product {
	var ps []Product
	for _, d := range roundODs {
		for _, t := range roundWalls(d) {
			for _, g := range []gradeInfo{s235, s355} {
				length := 6.0
				if d >= 219.1 {
					length = 12
				}
				ps = append(ps, finish(Product{
					SKU: fsku("TRO-%s-%s", skuX(d, t), g.SKU), Title: "Țeavă rotundă sudată " + dimsX(d, t) + " " + g.Name,
					CategorySlug: CatRoundPipes, Grade: g.Name, Standard: "EN 10219", Dimensions: "Ø" + dimsX(d, t) + " mm",
					BaseUnit: UnitM, Weight: massPerM(tubeArea(d, t), g.Density), LengthM: length,
					Metadata: map[string]any{"outerDiameterMm": d, "wallMm": t, "process": "sudată longitudinal", "surface": "negru"},
					Family:   "round_pipe", Dims: []float64{d, t}, Thickness: t,
					Keywords: append([]string{"teava", "rotunda", "sudata", "tub", "constructii", "neagra"}, g.Aliases...), Popularity: g.Pop,
				}, 6.6*g.RONPerKg/s235.RONPerKg))
			}
			if d >= 60.3 {
				ps = append(ps, finish(Product{
					SKU: fsku("TFS-%s-S355", skuX(d, t)), Title: "Țeavă rotundă fără sudură " + dimsX(d, t) + " S355J2",
					CategorySlug: CatRoundPipes, Grade: s355.Name, Standard: "EN 10210", Dimensions: "Ø" + dimsX(d, t) + " mm",
					BaseUnit: UnitM, Weight: massPerM(tubeArea(d, t), s355.Density), LengthM: 6,
					Metadata: map[string]any{"outerDiameterMm": d, "wallMm": t, "process": "fără sudură, finisată la cald", "surface": "negru"},
					Family:   "round_pipe", Dims: []float64{d, t}, Thickness: t,
					Keywords: append([]string{"teava", "rotunda", "fara", "sudura", "trasa", "laminata", "neagra"}, s355.Aliases...), Popularity: 4,
				}, 8.9))
			}
		}
	}
	for _, w := range waterPipes {
		for si, series := range []struct {
			name string
			t    float64
		}{{"mijlocie", w.TM}, {"grea", w.TH}} {
			for _, galv := range []bool{false, true} {
				title, sku, surface, rate, kw := "Țeavă apă neagră", fsku("TAN-DN%d-%s", w.DN, map[int]string{0: "M", 1: "H"}[si]), "negru", 7.2, []string{"teava", "apa", "neagra", "instalatii", "filetabila", "rotunda"}
				if galv {
					title, sku, surface, rate, kw = "Țeavă apă zincată", fsku("TAZ-DN%d-%s", w.DN, map[int]string{0: "M", 1: "H"}[si]), "zincat termic", 9.4, []string{"teava", "apa", "zincata", "instalatii", "filetabila", "rotunda"}
				}
				ps = append(ps, finish(Product{
					SKU: sku, Title: fsku("%s %s DN%d %s, serie %s", title, w.Inch, w.DN, dimsX(w.D, series.t), series.name),
					CategorySlug: CatRoundPipes, Grade: s195t.Name, Standard: "EN 10255", Dimensions: fsku("DN%d (%s) Ø%s mm", w.DN, w.Inch, dimsX(w.D, series.t)),
					BaseUnit: UnitM, Weight: massPerM(tubeArea(w.D, series.t), s195t.Density), LengthM: 6,
					Metadata: map[string]any{"dn": w.DN, "inch": w.Inch, "outerDiameterMm": w.D, "wallMm": series.t, "series": map[int]string{0: "M", 1: "H"}[si], "surface": surface},
					Family:   "water_pipe", Dims: []float64{w.D, series.t}, Thickness: series.t,
					Keywords: append(append(kw, fsku("dn%d", w.DN)), s195t.Aliases...), Popularity: si*2 + map[bool]int{false: 0, true: 1}[galv],
				}, rate))
			}
		}
	}
	return ps
}

var stainlessRoundODs = []float64{12, 16, 20, 25, 30, 33.7, 40, 42.4, 48.3, 50.8, 60.3, 76.1, 88.9, 101.6, 114.3}
var stainlessRect = [][2]float64{{20, 10}, {30, 15}, {30, 20}, {40, 20}, {40, 30}, {50, 25}, {50, 30}, {60, 30}, {60, 40}, {80, 40}, {100, 50}}
var stainlessSquare = []float64{15, 20, 25, 30, 40, 50, 60, 80, 100}

// stainlessPipes: welded 1.4301/304 and 1.4404/316L tubes, round
// (EN 10217-7) and rectangular/square (EN 10296-2), brushed finish.
func stainlessPipes() []Product {
	var ps []Product
	walls := []float64{1.5, 2, 3}
	for _, g := range []gradeInfo{inox304, inox316} {
		rate := 32.0 * g.RONPerKg / inox304.RONPerKg
		for _, d := range stainlessRoundODs {
			for _, t := range walls {
				if d < 20 && t > 2 {
					continue
				}
				ps = append(ps, finish(Product{
					SKU: fsku("TIR-%s-%s", skuX(d, t), g.SKU), Title: "Țeavă rotundă inox " + dimsX(d, t) + " " + g.Name,
					CategorySlug: CatStainlessPipes, Grade: g.Name, Standard: "EN 10217-7", Dimensions: "Ø" + dimsX(d, t) + " mm",
					BaseUnit: UnitM, Weight: massPerM(tubeArea(d, t), g.Density), LengthM: 6,
					Metadata: map[string]any{"outerDiameterMm": d, "wallMm": t, "surface": "satinat K240"},
					Family:   "round_pipe", Dims: []float64{d, t}, Thickness: t,
					Keywords: append([]string{"teava", "rotunda", "tub"}, g.Aliases...), Popularity: 6 + g.Pop,
				}, rate*thinPremium(t)))
			}
		}
		for _, s := range stainlessRect {
			for _, t := range walls {
				ps = append(ps, finish(Product{
					SKU: fsku("TIX-%s-%s", skuX(s[0], s[1], t), g.SKU), Title: "Țeavă rectangulară inox " + dimsX(s[0], s[1], t) + " " + g.Name,
					CategorySlug: CatStainlessPipes, Grade: g.Name, Standard: "EN 10296-2", Dimensions: dimsX(s[0], s[1], t) + " mm",
					BaseUnit: UnitM, Weight: massPerM(hollowArea(s[0], s[1], t), g.Density), LengthM: 6,
					Metadata: map[string]any{"heightMm": s[0], "widthMm": s[1], "wallMm": t, "surface": "satinat K240"},
					Family:   "rect_pipe", Dims: []float64{s[0], s[1], t}, Thickness: t,
					Keywords: append([]string{"teava", "rectangulara", "profil", "tubular"}, g.Aliases...), Popularity: 6 + g.Pop,
				}, rate*thinPremium(t)))
			}
		}
		for _, a := range stainlessSquare {
			for _, t := range walls {
				ps = append(ps, finish(Product{
					SKU: fsku("TIP-%s-%s", skuX(a, a, t), g.SKU), Title: "Țeavă pătrată inox " + dimsX(a, a, t) + " " + g.Name,
					CategorySlug: CatStainlessPipes, Grade: g.Name, Standard: "EN 10296-2", Dimensions: dimsX(a, a, t) + " mm",
					BaseUnit: UnitM, Weight: massPerM(hollowArea(a, a, t), g.Density), LengthM: 6,
					Metadata: map[string]any{"heightMm": a, "widthMm": a, "wallMm": t, "surface": "satinat K240"},
					Family:   "square_pipe", Dims: []float64{a, a, t}, Thickness: t,
					Keywords: append([]string{"teava", "patrata", "profil", "tubular"}, g.Aliases...), Popularity: 6 + g.Pop,
				}, rate*thinPremium(t)))
			}
		}
	}
	return ps
}
