package bom

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads the first sheet that has data. The zip is read whole (at most
// MaxXLSXBytes) and excelize is told how far it may unzip, so a zip bomb is refused
// instead of filling memory; rows are streamed and at most maxRawRows kept.
func readXLSX(r io.Reader) ([]rawRow, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxXLSXBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxXLSXBytes {
		return nil, errTooLarge(MaxXLSXBytes)
	}
	if err := checkUnzippedSize(b); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit:    maxXLSXUnzip,
		UnzipXMLSizeLimit: maxXLSXXMLPart,
	})
	if err != nil {
		return nil, errUnreadable("nu este un fișier XLSX valid.", "it is not a valid XLSX file.")
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := sheetRows(f, sheet)
		if err != nil {
			return nil, err
		}
		if len(rows) > 0 {
			return rows, nil
		}
	}
	return nil, errEmpty
}

// checkUnzippedSize refuses a zip whose parts would unzip past maxXLSXUnzip (a zip
// bomb) with a message that says so. excelize enforces the same limit, but its error is
// only text; a zip that is not one is left to excelize to refuse.
func checkUnzippedSize(b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxXLSXUnzip {
			return &Error{CodeTooLarge,
				fmt.Sprintf("Fișierul XLSX se dezarhivează în mai mult de %d MB; salvați lista de materiale ca un fișier mai mic sau ca CSV.", maxXLSXUnzip>>20),
				fmt.Sprintf("The XLSX file unzips to more than %d MB; save the bill of materials as a smaller file or as CSV.", maxXLSXUnzip>>20)}
		}
	}
	return nil
}

// sheetRows streams one sheet's non-empty rows with their row numbers.
func sheetRows(f *excelize.File, sheet string) ([]rawRow, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, errUnreadable("foaia „"+sheet+"” nu poate fi citită.", "sheet \""+sheet+"\" cannot be read.")
	}
	defer it.Close()
	var out []rawRow
	for n := 1; it.Next(); n++ {
		cols, err := it.Columns()
		if err != nil {
			return nil, errUnreadable("foaia „"+sheet+"” nu poate fi citită.", "sheet \""+sheet+"\" cannot be read.")
		}
		cells, ok := cleanCells(cols)
		if !ok {
			continue
		}
		out = append(out, rawRow{Line: n, Cells: cells})
		if len(out) >= maxRawRows {
			return nil, errTooManyRows()
		}
	}
	if it.Error() != nil {
		return nil, errUnreadable("foaia „"+sheet+"” nu poate fi citită.", "sheet \""+sheet+"\" cannot be read.")
	}
	return out, nil
}
