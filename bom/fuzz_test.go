package bom

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets: go test -tags sqlite_fts5 -run '^$' -fuzz FuzzReadCSV ./bom/ (and
// FuzzReadXLSX, FuzzParseLine). The seed corpus is testdata/fuzz/<target>/ plus the
// quality corpus files added below.

// checkTable holds for whatever a reader accepts: at most MaxDataRows rows, cells valid
// UTF-8 within their length cap, line numbers increasing.
func checkTable(t *testing.T, cols columns, data []rawRow) {
	if len(data) > MaxDataRows {
		t.Fatalf("%d data rows accepted", len(data))
	}
	last := 0
	for _, r := range data {
		if r.Line <= last {
			t.Fatalf("line %d after %d", r.Line, last)
		}
		last = r.Line
		if len(r.Cells) > maxCells {
			t.Fatalf("%d cells", len(r.Cells))
		}
		for _, c := range r.Cells {
			if !utf8.ValidString(c) || utf8.RuneCountInString(c) > maxCellRunes {
				t.Fatalf("cell %q", c)
			}
		}
	}
	if cols.idx[colDesc] < 0 && cols.idx[colSKU] < 0 {
		t.Fatal("a header without description or SKU column was accepted")
	}
}

func addCorpusSeeds(f *testing.F, suffix string) {
	files, _ := filepath.Glob("testdata/corpus/*" + suffix)
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	addCorpusSeeds(f, ".csv")
	f.Add([]byte("Denumire;Cant.;UM\r\n\"Teava \"\"40x20x2\"\";\n\";1,5;t\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cols, data, err := readBOM(bytes.NewReader(b), MIMECSV)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("an error not meant for the user: %v", err)
			}
			return
		}
		checkTable(t, cols, data)
	})
}

func FuzzReadXLSX(f *testing.F) {
	addCorpusSeeds(f, ".xlsx")
	f.Fuzz(func(t *testing.T, b []byte) {
		cols, data, err := readBOM(bytes.NewReader(b), MIMEXLSX)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("an error not meant for the user: %v", err)
			}
			return
		}
		checkTable(t, cols, data)
	})
}

func FuzzParseLine(f *testing.F) {
	for _, s := range []string{"cornier 50x50x5 - 12 buc", "Teava rect. 40x20x2 L=6m", "HEB 200 - 6 buc x 12m",
		"Platbandă 40x5 (120 kg)", "1.250,5 kg", "12 bare de 6 m", "L=6000", "HEA200 S355 1,5 t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l := ParseLine(s)
		for _, v := range []float64{l.Quantity, l.LengthM} {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("ParseLine(%q) = %+v", s, l)
			}
		}
		if l.Quantity > 0 && l.Unit == "" {
			t.Fatalf("ParseLine(%q): a quantity without a unit: %+v", s, l)
		}
		if len(l.Search) > len(s) {
			t.Fatalf("ParseLine(%q): search text %q longer than the line", s, l.Search)
		}
		if q, u, ok := parseQuantityCell(s); ok && (q < 0 || math.IsNaN(q) || math.IsInf(q, 0) || u != "" && u != "kg" && u != "m" && u != "pcs") {
			t.Fatalf("parseQuantityCell(%q) = %v %q", s, q, u)
		}
		if strings.TrimSpace(s) == "" && l.Search != "" {
			t.Fatalf("ParseLine(%q) = %+v", s, l)
		}
	})
}
