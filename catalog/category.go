// Package catalog holds MetalPro's product catalog as data: the categories and
// the deterministic product list that `seed` loads, and the mass and price rules
// behind them. It has no database code: store/ persists what this package
// produces. The text normalisation that makes search understand metal
// ("țeavă 40 x 20 x 2", "HE 200 A", "tabla inox 2mm 304") is package
// catalog/search.
package catalog

// Category is one catalog section as the storefront shows it.
type Category struct {
	Slug        string
	Name        string // Romanian, with comma-below diacritics
	NameEn      string
	Description string // Romanian
	Icon        string // icon name the storefront maps to an SVG
	SortOrder   int
}

// Category slugs. Products refer to their category by slug.
const (
	CatRectPipes      = "tevi-rectangulare"
	CatSquarePipes    = "tevi-patrate"
	CatRoundPipes     = "tevi-rotunde"
	CatStainlessPipes = "tevi-inox"
	CatHBeams         = "profile-hea-heb"
	CatIPE            = "profile-ipe"
	CatUPN            = "profile-upn"
	CatAngles         = "corniere"
	CatFlatBars       = "platbanda"
	CatRoundBars      = "bare-rotunde"
	CatSquareBars     = "bare-patrate"
	CatBlackSheets    = "table-negre"
	CatGalvSheets     = "table-zincate"
	CatStainlessSheet = "table-inox"
	CatAluSheets      = "table-aluminiu"
	CatMesh           = "plase-sudate"
)

// Categories returns the catalog's categories in display order.
func Categories() []Category {
	return []Category{
		{CatRectPipes, "Țevi rectangulare", "Rectangular hollow sections", "Țevi rectangulare sudate din oțel negru S235JR/S355J2 (EN 10219) și zincate DX51D+Z275, livrate în bare de 6 m sau 12 m.", "pipe-rect", 10},
		{CatSquarePipes, "Țevi pătrate", "Square hollow sections", "Țevi pătrate sudate din oțel negru (EN 10219) și zincate, de la 15x15 la 300x300 mm.", "pipe-square", 20},
		{CatRoundPipes, "Țevi rotunde", "Round pipes", "Țevi rotunde pentru construcții (EN 10219, EN 10210) și țevi de apă negre sau zincate (EN 10255).", "pipe-round", 30},
		{CatStainlessPipes, "Țevi inox", "Stainless steel tubes", "Țevi inox rotunde, pătrate și rectangulare din 1.4301/304 și 1.4404/316L (EN 10217-7, EN 10296-2).", "pipe-stainless", 40},
		{CatHBeams, "Profile HEA / HEB", "HEA / HEB beams", "Profile laminate cu tălpi late HEA și HEB (EN 10365), S235JR, S275JR și S355J2, bare de 12 m.", "beam-h", 50},
		{CatIPE, "Profile IPE", "IPE beams", "Profile I cu tălpi paralele IPE 80–600 (EN 10365), bare de 12 m.", "beam-i", 60},
		{CatUPN, "Profile UPN", "UPN channels", "Profile U laminate UPN 50–400 (EN 10365), bare de 12 m.", "beam-u", 70},
		{CatAngles, "Corniere", "Angles", "Corniere cu aripi egale și inegale (EN 10056-1), bare de 6 m.", "angle", 80},
		{CatFlatBars, "Platbandă", "Flat bars", "Platbandă laminată la cald (EN 10058) din oțel negru, inox 304/316L și aluminiu 6061-T6, bare de 6 m.", "flat-bar", 90},
		{CatRoundBars, "Bare rotunde", "Round bars", "Oțel rotund laminat (EN 10060), bare inox și bare din aluminiu 6061-T6.", "round-bar", 100},
		{CatSquareBars, "Bare pătrate", "Square bars", "Oțel pătrat laminat la cald (EN 10059), bare de 6 m.", "square-bar", 110},
		{CatBlackSheets, "Table negre", "Hot and cold rolled steel sheets", "Tablă neagră S235JR și S355J2 (EN 10025-2), formate 1000x2000, 1250x2500, 1500x3000 și 2000x6000 mm.", "sheet", 120},
		{CatGalvSheets, "Table zincate", "Galvanised sheets", "Tablă zincată DX51D+Z275 (EN 10346), 0,4–3 mm.", "sheet-galvanised", 130},
		{CatStainlessSheet, "Table inox", "Stainless steel sheets", "Tablă inox 1.4301/304 și 1.4404/316L (EN 10088-2), finisaj 2B, satinat sau 1D.", "sheet-stainless", 140},
		{CatAluSheets, "Table aluminiu", "Aluminium sheets", "Tablă de aluminiu 5754-H111 și 6061-T6 (EN 485), inclusiv tablă striată.", "sheet-aluminium", 150},
		{CatMesh, "Plase sudate", "Welded mesh", "Plase sudate pentru beton armat B500A (EN 10080, SR 438-2), panouri 2x6 m.", "mesh", 160},
	}
}
