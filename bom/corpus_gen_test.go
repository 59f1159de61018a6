package bom

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite bom/testdata/corpus/*.xlsx from testdata/corpus/src/*.tsv")

// TestWriteXLSXCorpus writes the XLSX files of the quality corpus from their tab-separated
// sources (go test ./bom -run WriteXLSXCorpus -update-corpus). Numbers become numeric
// cells, as Excel keeps them; profile_laminate.xlsx gets an empty first sheet, so the
// reader must find the first sheet with data.
func TestWriteXLSXCorpus(t *testing.T) {
	if !*updateCorpus {
		t.Skip("run with -update-corpus to rewrite the XLSX corpus")
	}
	srcs, err := filepath.Glob("testdata/corpus/src/*.tsv")
	if err != nil || len(srcs) == 0 {
		t.Fatalf("no sources: %v", err)
	}
	for _, src := range srcs {
		name := strings.TrimSuffix(filepath.Base(src), ".tsv")
		raw, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		// Line by line, not encoding/csv: that skips the title block's empty rows, and
		// the expected line numbers count them.
		var recs [][]string
		for _, l := range strings.Split(strings.TrimRight(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n"), "\n") {
			var rec []string
			if l != "" {
				rec = strings.Split(l, "\t")
			}
			for i, c := range rec {
				if len(c) >= 2 && c[0] == '"' && c[len(c)-1] == '"' {
					rec[i] = strings.ReplaceAll(c[1:len(c)-1], `""`, `"`)
				}
			}
			recs = append(recs, rec)
		}
		f := excelize.NewFile()
		sheet := "Lista"
		if name == "profile_laminate.xlsx" {
			if err := f.SetSheetName("Sheet1", "Cuprins"); err != nil {
				t.Fatal(err)
			}
			if _, err := f.NewSheet(sheet); err != nil {
				t.Fatal(err)
			}
		} else if err := f.SetSheetName("Sheet1", sheet); err != nil {
			t.Fatal(err)
		}
		for i, rec := range recs {
			cells := make([]any, len(rec))
			for j, c := range rec {
				cells[j] = c
				if v, ok := parseNumber(c); ok && !strings.ContainsAny(c, "xX") {
					cells[j] = v
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SaveAs(filepath.Join("testdata/corpus", name)); err != nil {
			t.Fatal(err)
		}
	}
}
