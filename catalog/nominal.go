package catalog

// NominalSize is one row of the nominal pipe size table: the outside diameter a pipe is
// made to, the DN and inch designation it is ordered by (0 and "" when the size has none
// in common use) and the whole-millimetre names buyers round it to ("teava 60" means the
// 60.3 mm tube).
type NominalSize struct {
	OD      float64   // outside diameter, mm
	DN      int       // nominal diameter (DN), 0 when none
	Inch    string    // inch designation as written on the product: "1/2", "1 1/4", "2"; "" when none
	Names   []float64 // whole-mm names buyers use for this OD ("60" for 60.3)
	EN10255 bool      // a threaded water pipe size of EN 10255 (DN15 … DN100 in this catalog)
}

// NominalSizes is the one table of nominal pipe sizes, smallest first: DN ↔ inch ↔ OD of
// EN 10255 (water and gas pipes, ISO 65 ODs) continued with the EN 10220 ODs of the
// structural round tubes, and the rounded names buyers give them. Search and BOM matching
// both read it (see catalog/search: NominalByDN, NominalByInch, NominalByName); the seed's
// water pipes take their DN, inch and OD from it.
var NominalSizes = []NominalSize{
	{OD: 21.3, DN: 15, Inch: "1/2", Names: []float64{21}, EN10255: true},
	{OD: 26.9, DN: 20, Inch: "3/4", Names: []float64{27, 26}, EN10255: true},
	{OD: 33.7, DN: 25, Inch: "1", Names: []float64{33, 34}, EN10255: true},
	{OD: 42.4, DN: 32, Inch: "1 1/4", Names: []float64{42}, EN10255: true},
	{OD: 48.3, DN: 40, Inch: "1 1/2", Names: []float64{48}, EN10255: true},
	{OD: 60.3, DN: 50, Inch: "2", Names: []float64{60}, EN10255: true},
	{OD: 76.1, DN: 65, Inch: "2 1/2", Names: []float64{76}, EN10255: true},
	{OD: 88.9, DN: 80, Inch: "3", Names: []float64{89, 88}, EN10255: true},
	{OD: 101.6, DN: 90, Inch: "3 1/2", Names: []float64{102, 101}},
	{OD: 114.3, DN: 100, Inch: "4", Names: []float64{114}, EN10255: true},
	{OD: 139.7, DN: 125, Inch: "5", Names: []float64{140, 139}},
	{OD: 168.3, DN: 150, Inch: "6", Names: []float64{168}},
	{OD: 193.7, Names: []float64{194, 193}},
	{OD: 219.1, DN: 200, Inch: "8", Names: []float64{219}},
	{OD: 244.5, Names: []float64{245, 244}},
	{OD: 273, DN: 250, Inch: "10"},
	{OD: 323.9, DN: 300, Inch: "12", Names: []float64{324}},
	{OD: 355.6, DN: 350, Inch: "14", Names: []float64{356, 355}},
	{OD: 406.4, DN: 400, Inch: "16", Names: []float64{406}},
}

// nominalByDN is the row of a DN, for the seed's water pipes.
func nominalByDN(dn int) NominalSize {
	for _, n := range NominalSizes {
		if n.DN == dn {
			return n
		}
	}
	panic("catalog: no nominal size DN" + skuNum(float64(dn)))
}
