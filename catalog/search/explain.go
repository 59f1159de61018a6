package search

// Explanation is how a query was understood, as operators see it (GET /api/products?explain=true)
// and as a BOM report can show it per row.
type Explanation struct {
	Terms      []Term      `json:"terms"`      // the words matched, each with its kind and the tokens that satisfy it
	Type       []string    `json:"type"`       // words naming the kind of product (teava, tabla, cornier ...)
	Family     string      `json:"family"`     // profile family named with its size (hea, upn ...), "" if none
	Dimensions []float64   `json:"dimensions"` // the size ranked on: the first chain, else a nominal size's OD
	Thickness  float64     `json:"thickness"`  // 0 if none
	Format     []float64   `json:"format"`     // sheet format W, L; empty if none
	Grade      string      `json:"grade"`      // grade key, "" if none
	Nominal    *NominalRef `json:"nominal"`    // the nominal pipe size named, null if none
	Excluded   []string    `json:"excluded"`   // tokens no result may have
	Unknown    []string    `json:"unknown"`    // words neither the catalog nor a one-letter correction knows
	Expression string      `json:"expression"` // the FTS5 expression of the full match
}

// Explain is q's Explanation. Lists are never nil, so they encode as [].
func (q Query) Explain() Explanation {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	e := Explanation{Terms: q.Terms, Type: nonNil(q.typeWord), Family: q.Family, Dimensions: q.Dims,
		Thickness: q.Thickness, Format: q.Format, Grade: q.Grade, Nominal: q.Nominal,
		Excluded: nonNil(q.Exclude), Unknown: nonNil(q.Unknown), Expression: q.Match()}
	if e.Terms == nil {
		e.Terms = []Term{}
	}
	if e.Dimensions == nil {
		e.Dimensions = []float64{}
	}
	if e.Format == nil {
		e.Format = []float64{}
	}
	return e
}
