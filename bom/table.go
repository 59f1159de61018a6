// Package bom reads a bill of materials (CSV or XLSX), finds its columns, parses each line
// (quantities, units, bar lengths) and maps it to the catalog through the catalog search's
// own normalisation (package catalog/search and the store's search), so a BOM line and a
// search box typed by hand find the same products.
package bom

import (
	"strings"
	"unicode/utf8"
)

// Limits of what a BOM may hold. A real bill of materials is tens to a few hundred lines;
// the caps keep one upload's memory and time small whatever the file holds.
const (
	MaxDataRows    = 5000     // data rows under the header
	headerScan     = 30       // rows searched for the header (title blocks sit above it)
	maxCells       = 64       // columns kept per row
	maxCellRunes   = 500      // characters kept per cell
	MaxCSVBytes    = 10 << 20 // a CSV is read whole into memory, so it is bounded
	MaxXLSXBytes   = 20 << 20 // the zip as uploaded
	maxXLSXUnzip   = 64 << 20 // all parts unzipped
	maxXLSXXMLPart = 16 << 20 // one sheet's XML unzipped
)

// rawRow is one non-empty row of the file: its line (CSV) or row number (XLSX), from 1,
// and its cells, trimmed.
type rawRow struct {
	Line  int
	Cells []string
}

// maxRawRows is how many non-empty rows a reader keeps before it refuses the file: the
// header scan plus the data cap, plus one to know the cap was passed.
const maxRawRows = headerScan + MaxDataRows + 1

// cleanCells trims cells, caps their number and length, and reports whether any is
// non-empty.
func cleanCells(cells []string) ([]string, bool) {
	if len(cells) > maxCells {
		cells = cells[:maxCells]
	}
	out := make([]string, len(cells))
	any := false
	for i, c := range cells {
		c = strings.TrimSpace(strings.ToValidUTF8(c, "\uFFFD"))
		if utf8.RuneCountInString(c) > maxCellRunes {
			c = string([]rune(c)[:maxCellRunes])
		}
		out[i] = c
		if c != "" {
			any = true
		}
	}
	return out, any
}
