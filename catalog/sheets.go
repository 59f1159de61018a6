package catalog

// sheetFormat is a standard sheet size in mm.
type sheetFormat struct{ W, L float64 }

var (
	f1000x2000 = sheetFormat{1000, 2000}
	f1250x2500 = sheetFormat{1250, 2500}
	f1500x3000 = sheetFormat{1500, 3000}
	f2000x6000 = sheetFormat{2000, 6000}
)

// sheetMass is the mass of one sheet in kg: t·W·L·ρ (+ the zinc coating for
// galvanised sheet).
func sheetMass(t float64, f sheetFormat, density, coatingKgPerM2 float64) float64 {
	area := f.W * f.L * 1e-6 // m²
	return t*1e-3*area*density + coatingKgPerM2*area
}

type sheetSpec struct {
	prefix, kind, family, cat, std, finish string
	g                                      gradeInfo
	t                                      float64
	f                                      sheetFormat
	coating                                float64
	rate                                   float64
	pop                                    int
	kw                                     []string
}

func sheet(s sheetSpec) Product {
	fin := ""
	skuFin := ""
	if s.finish != "" {
		fin = " " + s.finish
		skuFin = "-" + s.finish
	}
	formatPop := map[sheetFormat]int{f1000x2000: 0, f1250x2500: 1, f1500x3000: 2, f2000x6000: 3}[s.f]
	return finish(Product{
		SKU:          fsku("%s-%s-%s%s", s.prefix, skuX(s.t, s.f.W, s.f.L), s.g.SKU, skuFin),
		Title:        fsku("%s %s mm %s%s", s.kind, dimsX(s.t, s.f.W, s.f.L), s.g.Name, fin),
		CategorySlug: s.cat, Grade: s.g.Name, Standard: s.std, Dimensions: dimsX(s.t, s.f.W, s.f.L) + " mm",
		BaseUnit: UnitPcs, Weight: sheetMass(s.t, s.f, s.g.Density, s.coating),
		Metadata: sheetMeta(s),
		Family:   s.family, Dims: []float64{s.t, s.f.W, s.f.L}, Thickness: s.t, Format: skuX(s.f.W, s.f.L),
		Keywords: append(append([]string{"tabla", "foaie"}, s.kw...), s.g.Aliases...), Popularity: s.pop*4 + formatPop,
	}, s.rate*thinPremium(s.t))
}

var blackThicknesses = []float64{0.5, 0.8, 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30}

// blackSheets: S235JR (all gauges) and S355J2 (from 3 mm) to EN 10025-2;
// 2000x6000 plates from 3 mm.
func blackSheets() []Product {
	var ps []Product
	for _, t := range blackThicknesses {
		formats := []sheetFormat{f1000x2000, f1250x2500, f1500x3000}
		if t >= 3 {
			formats = append(formats, f2000x6000)
		}
		kind, kw := "Tablă neagră laminată la rece", []string{"neagra", "laminata", "rece", "decapata"}
		if t >= 2 {
			kind, kw = "Tablă neagră", []string{"neagra", "laminata", "cald", "groasa"}
		}
		for _, f := range formats {
			ps = append(ps, sheet(sheetSpec{prefix: "TN", kind: kind, family: "sheet", cat: CatBlackSheets, std: "EN 10025-2", g: s235, t: t, f: f, rate: 5.6, pop: 0, kw: kw}))
			if t >= 3 {
				ps = append(ps, sheet(sheetSpec{prefix: "TN", kind: kind, family: "sheet", cat: CatBlackSheets, std: "EN 10025-2", g: s275, t: t, f: f, rate: 5.8, pop: 1, kw: kw}))
				ps = append(ps, sheet(sheetSpec{prefix: "TN", kind: kind, family: "sheet", cat: CatBlackSheets, std: "EN 10025-2", g: s355, t: t, f: f, rate: 6.2, pop: 2, kw: kw}))
			}
		}
	}
	return ps
}

var galvThicknesses = []float64{0.4, 0.5, 0.6, 0.7, 0.8, 1, 1.2, 1.5, 2, 2.5, 3}

// galvanisedSheets: DX51D+Z275 to EN 10346 (275 g/m² of zinc, both sides).
func galvanisedSheets() []Product {
	var ps []Product
	for _, t := range galvThicknesses {
		for _, f := range []sheetFormat{f1000x2000, f1250x2500, f1500x3000} {
			ps = append(ps, sheet(sheetSpec{prefix: "TZ", kind: "Tablă zincată", family: "sheet", cat: CatGalvSheets, std: "EN 10346", g: dx51d, t: t, f: f, coating: 0.275, rate: 7.8, pop: 1, kw: []string{"zincata", "galvanizata"}}))
		}
	}
	return ps
}

var stainlessThicknesses = []float64{0.5, 0.6, 0.8, 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}

// stainlessSheets: 1.4301/304 and 1.4404/316L to EN 10088-2; cold rolled 2B
// up to 6 mm, hot rolled 1D from 4 mm, brushed (satinat) 304 up to 3 mm.
func stainlessSheets() []Product {
	var ps []Product
	for _, g := range []gradeInfo{inox304, inox316} {
		for _, t := range stainlessThicknesses {
			formats := []sheetFormat{f1000x2000, f1250x2500, f1500x3000}
			if t >= 3 {
				formats = append(formats, f2000x6000)
			}
			for _, f := range formats {
				base := sheetSpec{prefix: "TX", kind: "Tablă inox", family: "sheet", cat: CatStainlessSheet, std: "EN 10088-2", g: g, t: t, f: f, rate: g.RONPerKg, pop: 3 + g.Pop*2, kw: []string{"inoxidabila"}}
				if t <= 6 {
					s := base
					s.finish = "2B"
					ps = append(ps, sheet(s))
				}
				if t >= 4 {
					s := base
					s.finish = "1D"
					s.rate *= 0.95
					ps = append(ps, sheet(s))
				}
				if g.Name == inox304.Name && t <= 3 {
					s := base
					s.finish = "satinat"
					s.rate *= 1.12
					s.pop++
					ps = append(ps, sheet(s))
				}
			}
		}
	}
	return ps
}

var aluThicknesses = []float64{0.5, 0.8, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}

// aluminiumSheets: 5754-H111 (all gauges, plus checker plate) and 6061-T6
// plate from 2 mm, to EN 485.
func aluminiumSheets() []Product {
	var ps []Product
	for _, t := range aluThicknesses {
		for _, f := range []sheetFormat{f1000x2000, f1250x2500, f1500x3000} {
			ps = append(ps, sheet(sheetSpec{prefix: "TAL", kind: "Tablă aluminiu", family: "sheet", cat: CatAluSheets, std: "EN 485", g: al5754, t: t, f: f, rate: al5754.RONPerKg * thinPremium(t), pop: 5}))
			if t >= 2 {
				ps = append(ps, sheet(sheetSpec{prefix: "TAL", kind: "Tablă aluminiu", family: "sheet", cat: CatAluSheets, std: "EN 485", g: al6061, t: t, f: f, rate: al6061.RONPerKg, pop: 6}))
			}
			if t >= 1.5 && t <= 5 {
				ps = append(ps, sheet(sheetSpec{prefix: "TALS", kind: "Tablă aluminiu striată", family: "sheet", cat: CatAluSheets, std: "EN 485", g: al5754, t: t, f: f, rate: 33, pop: 7, kw: []string{"striata", "antiderapanta", "lacrima"}}))
			}
		}
	}
	return ps
}

// meshes: B500A welded reinforcing mesh panels 2x6 m (SR 438-2 / EN 10080),
// square meshes; sold by the panel.
func meshes() []Product {
	var ps []Product
	for _, d := range []float64{4, 5, 6, 7, 8, 10} {
		for _, a := range []float64{100, 150, 200} {
			for _, panel := range []sheetFormat{{2000, 6000}, {2150, 6000}} {
				// wires in both directions: (1000/a) wires per metre each way.
				perM2 := 2 * (1000 / a) * massPerM(3.141592653589793*d*d/4, b500a.Density)
				mass := perM2 * panel.W * panel.L * 1e-6
				ps = append(ps, finish(Product{
					SKU:          fsku("PS-%s-%s-%s", skuNum(d), skuX(a, a), skuX(panel.W/1000, panel.L/1000)),
					Title:        fsku("Plasă sudată Ø%s %s mm, panou %sx%s m", num(d), dimsX(a, a), num(panel.W/1000), num(panel.L/1000)),
					CategorySlug: CatMesh, Grade: b500a.Name, Standard: "EN 10080", Dimensions: fsku("Ø%s, ochi %s mm, %sx%s m", num(d), dimsX(a, a), num(panel.W/1000), num(panel.L/1000)),
					BaseUnit: UnitPcs, Weight: mass,
					Metadata: map[string]any{"wireDiameterMm": d, "meshMm": a, "panelWidthM": panel.W / 1000, "panelLengthM": panel.L / 1000, "massKgPerM2": round(perM2, 3)},
					Family:   "mesh", Dims: []float64{d, a, a}, Thickness: d,
					Keywords: append([]string{"plasa", "sudata", "armare", "sarma", "buiandrug"}, b500a.Aliases...), Popularity: map[float64]int{2000: 0, 2150: 1}[panel.W],
				}, b500a.RONPerKg))
			}
		}
	}
	return ps
}

func sheetMeta(s sheetSpec) map[string]any {
	m := map[string]any{"thicknessMm": s.t, "widthMm": s.f.W, "lengthMm": s.f.L, "format": skuX(s.f.W, s.f.L),
		"massKgPerM2": round(sheetMass(s.t, sheetFormat{1000, 1000}, s.g.Density, s.coating), 3)}
	if s.finish != "" {
		m["finish"] = s.finish
	}
	if s.coating > 0 {
		m["zincCoatingGPerM2"] = s.coating * 1000
	}
	return m
}
