package catalog

import "math"

// beamSize is one row of an EN 10365 table: nominal size, height h and
// flange width b in mm, and the standard mass G in kg/m.
type beamSize struct {
	N    int
	H, B float64
	G    float64
}

// Masses and main dimensions from EN 10365:2017 (the same values as the
// Arcelor/Salzgitter section tables).
var (
	heaTable = []beamSize{
		{100, 96, 100, 16.7}, {120, 114, 120, 19.9}, {140, 133, 140, 24.7}, {160, 152, 160, 30.4},
		{180, 171, 180, 35.5}, {200, 190, 200, 42.3}, {220, 210, 220, 50.5}, {240, 230, 240, 60.3},
		{260, 250, 260, 68.2}, {280, 270, 280, 76.4}, {300, 290, 300, 88.3}, {320, 310, 300, 97.6},
		{340, 330, 300, 105}, {360, 350, 300, 112}, {400, 390, 300, 125}, {450, 440, 300, 140},
		{500, 490, 300, 155}, {550, 540, 300, 166}, {600, 590, 300, 178}, {650, 640, 300, 190},
		{700, 690, 300, 204}, {800, 790, 300, 224}, {900, 890, 300, 252}, {1000, 990, 300, 272},
	}
	hebTable = []beamSize{
		{100, 100, 100, 20.4}, {120, 120, 120, 26.7}, {140, 140, 140, 33.7}, {160, 160, 160, 42.6},
		{180, 180, 180, 51.2}, {200, 200, 200, 61.3}, {220, 220, 220, 71.5}, {240, 240, 240, 83.2},
		{260, 260, 260, 93.0}, {280, 280, 280, 103}, {300, 300, 300, 117}, {320, 320, 300, 127},
		{340, 340, 300, 134}, {360, 360, 300, 142}, {400, 400, 300, 155}, {450, 450, 300, 171},
		{500, 500, 300, 187}, {550, 550, 300, 199}, {600, 600, 300, 212}, {650, 650, 300, 225},
		{700, 700, 300, 241}, {800, 800, 300, 262}, {900, 900, 300, 291}, {1000, 1000, 300, 314},
	}
	ipeTable = []beamSize{
		{80, 80, 46, 6.0}, {100, 100, 55, 8.1}, {120, 120, 64, 10.4}, {140, 140, 73, 12.9},
		{160, 160, 82, 15.8}, {180, 180, 91, 18.8}, {200, 200, 100, 22.4}, {220, 220, 110, 26.2},
		{240, 240, 120, 30.7}, {270, 270, 135, 36.1}, {300, 300, 150, 42.2}, {330, 330, 160, 49.1},
		{360, 360, 170, 57.1}, {400, 400, 180, 66.3}, {450, 450, 190, 77.6}, {500, 500, 200, 90.7},
		{550, 550, 210, 106}, {600, 600, 220, 122},
	}
	upnTable = []beamSize{
		{50, 50, 38, 5.59}, {65, 65, 42, 7.09}, {80, 80, 45, 8.64}, {100, 100, 50, 10.6},
		{120, 120, 55, 13.4}, {140, 140, 60, 16.0}, {160, 160, 65, 18.8}, {180, 180, 70, 22.0},
		{200, 200, 75, 25.3}, {220, 220, 80, 29.4}, {240, 240, 85, 33.2}, {260, 260, 90, 37.9},
		{280, 280, 95, 41.8}, {300, 300, 100, 46.2}, {320, 320, 100, 59.5}, {350, 350, 100, 60.6},
		{380, 380, 102, 63.1}, {400, 400, 110, 71.8},
	}
)

// beams: HEA, HEB, IPE and UPN in S235JR, S275JR and S355J2, 12 m bars,
// sold by the metre with the standard's mass per metre.
func beams() []Product {
	var ps []Product
	families := []struct {
		code, family, cat, kind string
		table                   []beamSize
	}{
		{"HEA", "hea", CatHBeams, "Profil HEA", heaTable},
		{"HEB", "heb", CatHBeams, "Profil HEB", hebTable},
		{"IPE", "ipe", CatIPE, "Profil IPE", ipeTable},
		{"UPN", "upn", CatUPN, "Profil UPN", upnTable},
	}
	for _, f := range families {
		for _, s := range f.table {
			for _, g := range []gradeInfo{s235, s275, s355} {
				ps = append(ps, finish(Product{
					SKU:          fsku("%s-%d-%s", f.code, s.N, g.SKU),
					Title:        fsku("%s %d %s", f.kind, s.N, g.Name),
					CategorySlug: f.cat, Grade: g.Name, Standard: "EN 10365", Dimensions: fsku("%s %d (h=%s, b=%s mm)", f.code, s.N, num(s.H), num(s.B)),
					BaseUnit: UnitM, Weight: s.G, LengthM: 12,
					Metadata: map[string]any{"series": f.code, "size": s.N, "heightMm": s.H, "flangeWidthMm": s.B, "massKgPerM": s.G, "process": "laminat la cald"},
					Family:   f.family, Dims: []float64{float64(s.N)},
					Keywords: append([]string{"profil", "grinda", "laminat", f.family, fsku("%s%d", f.family, s.N)}, g.Aliases...), Popularity: g.Pop,
				}, 6.1*g.RONPerKg/s235.RONPerKg))
			}
		}
	}
	return ps
}

// angleSize is an EN 10056-1 angle a x b x t with its root radius r1.
type angleSize struct{ A, B, T, R float64 }

var equalAngles = []angleSize{
	{20, 20, 3, 3.5}, {25, 25, 3, 3.5}, {25, 25, 4, 3.5}, {30, 30, 3, 5}, {30, 30, 4, 5}, {35, 35, 4, 5},
	{40, 40, 4, 6}, {40, 40, 5, 6}, {45, 45, 5, 7}, {50, 50, 5, 7}, {50, 50, 6, 7}, {60, 60, 6, 8},
	{60, 60, 8, 8}, {65, 65, 7, 9}, {70, 70, 7, 9}, {75, 75, 8, 9}, {80, 80, 8, 10}, {80, 80, 10, 10},
	{90, 90, 9, 11}, {100, 100, 10, 12}, {100, 100, 12, 12}, {120, 120, 10, 13}, {120, 120, 12, 13},
	{150, 150, 12, 16}, {150, 150, 15, 16}, {200, 200, 16, 18}, {200, 200, 20, 18},
}

var unequalAngles = []angleSize{
	{30, 20, 3, 4}, {40, 20, 4, 4}, {45, 30, 4, 4.5}, {50, 30, 5, 5}, {60, 40, 5, 6}, {60, 40, 6, 6},
	{65, 50, 5, 6}, {70, 50, 6, 7}, {75, 50, 6, 7}, {80, 40, 6, 7}, {80, 60, 7, 8}, {100, 50, 8, 9},
	{100, 65, 7, 10}, {100, 75, 8, 10}, {120, 80, 8, 11}, {120, 80, 10, 11}, {150, 90, 10, 12}, {150, 100, 10, 12},
	{200, 100, 10, 15},
}

// angleArea: two legs t(a+b−t) plus the root fillet (1−π/4)r1² minus the
// two toe roundings (r2 = r1/2) — within 1 % of the EN 10056-1 tables.
func angleArea(s angleSize) float64 {
	r2 := s.R / 2
	return s.T*(s.A+s.B-s.T) + (1-math.Pi/4)*(s.R*s.R-2*r2*r2)
}

// angles: equal and unequal angles in S235JR and S355J2, 6 m bars, plus
// equal 304 stainless angles up to 60 mm.
func angles() []Product {
	var ps []Product
	mk := func(s angleSize, g gradeInfo, equal bool, pop int, rate float64) Product {
		kind, code, kw := "Cornier egal", "CE", []string{"cornier", "egal", "profil", "l"}
		if !equal {
			kind, code, kw = "Cornier neegal", "CN", []string{"cornier", "neegal", "inegal", "profil", "l"}
		}
		if g.Name == inox304.Name {
			kind += " inox"
		}
		return finish(Product{
			SKU: fsku("%s-%s-%s", code, skuX(s.A, s.B, s.T), g.SKU), Title: kind + " " + dimsX(s.A, s.B, s.T) + " " + g.Name,
			CategorySlug: CatAngles, Grade: g.Name, Standard: "EN 10056-1", Dimensions: dimsX(s.A, s.B, s.T) + " mm",
			BaseUnit: UnitM, Weight: massPerM(angleArea(s), g.Density), LengthM: 6,
			Metadata: map[string]any{"legAMm": s.A, "legBMm": s.B, "thicknessMm": s.T, "rootRadiusMm": s.R, "process": "laminat la cald"},
			Family:   "angle", Dims: []float64{s.A, s.B, s.T}, Thickness: s.T,
			Keywords: append(kw, g.Aliases...), Popularity: pop,
		}, rate)
	}
	for _, s := range equalAngles {
		ps = append(ps, mk(s, s235, true, 0, 6.0), mk(s, s275, true, 1, 6.2), mk(s, s355, true, 2, 6.6))
		if s.A <= 60 {
			ps = append(ps, mk(s, inox304, true, 6, 31))
		}
	}
	for _, s := range unequalAngles {
		ps = append(ps, mk(s, s235, false, 0, 6.1), mk(s, s275, false, 1, 6.3), mk(s, s355, false, 2, 6.7))
	}
	return ps
}
