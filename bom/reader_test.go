package bom

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// readTable reads a CSV and returns its header columns and data rows, as MapBOM does
// before it matches anything.
func readTable(t *testing.T, b []byte) (columns, []rawRow) {
	t.Helper()
	rows, err := readCSV(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("readCSV: %v", err)
	}
	h, cols, ok := findHeader(rows)
	if !ok {
		t.Fatalf("no header in %q", b)
	}
	return cols, rows[h+1:]
}

func TestReadCSV_DelimitersEncodingsAndQuotes(t *testing.T) {
	win1250, _ := charmap.Windows1250.NewEncoder().String("Denumire;Cant.;U.M.\r\nŢeavă pătrată 40x40x3 „urgent”;12,5;ml\r\n")
	iso, _ := charmap.ISO8859_2.NewEncoder().String("Denumire,Cantitate,UM\nşină ţeavă,3,buc\n")
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("Denumire\tCantitate\tUM\nȚeavă 40x40x3\t7\tm\n")
	for _, tc := range []struct {
		name, in        string
		desc, qty, unit string
	}{
		{"semicolon with decimal commas", "Denumire;Cantitate;UM\nTeava 40x20x2;1,5;t\nCornier 50x50x5;12;ml\n", "Teava 40x20x2", "1,5", "t"},
		{"comma, quoted field with comma and newline", "Description,Qty,Unit\n\"Tube 48,3x3,2\nline two\",12,m\n", "Tube 48,3x3,2\nline two", "12", "m"},
		{"tab", "Cod articol\tDescriere\tCantitate\tUM\n\tHEA 200\t24\tml\n", "HEA 200", "24", "ml"},
		{"UTF-8 BOM and CRLF", "\xEF\xBB\xBFDenumire;Cant.;U.M.\r\nȚeavă rotundă 48,3x3,2;6;buc\r\n", "Țeavă rotundă 48,3x3,2", "6", "buc"},
		{"Windows-1250", win1250, "Ţeavă pătrată 40x40x3 „urgent”", "12,5", "ml"},
		{"ISO-8859-2", iso, "şină ţeavă", "3", "buc"},
		{"UTF-16 (Excel Unicode text)", utf16, "Țeavă 40x40x3", "7", "m"},
		{"header under a title block", "SC Metal SRL;;\nOfertă nr. 12;;\n;;\nNr.;Denumire material;Cantitate (kg)\n1;Platbandă 40x5;120\n", "Platbandă 40x5", "120", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cols, data := readTable(t, []byte(tc.in))
			if len(data) == 0 {
				t.Fatal("no data rows")
			}
			r := data[0]
			if got := cols.cell(r, colDesc); got != tc.desc {
				t.Errorf("description %q, want %q", got, tc.desc)
			}
			if got := cols.cell(r, colQty); got != tc.qty {
				t.Errorf("quantity %q, want %q", got, tc.qty)
			}
			if got := cols.cell(r, colUnit); got != tc.unit {
				t.Errorf("unit %q, want %q", got, tc.unit)
			}
		})
	}
}

func TestDecodeText_NamesTheEncoding(t *testing.T) {
	w, _ := charmap.Windows1250.NewEncoder().String("Ţeavă „x”")
	i, _ := charmap.ISO8859_2.NewEncoder().String("Ţeavă şină")
	for in, want := range map[string]string{"ţeavă": "utf-8", "\xEF\xBB\xBFa": "utf-8", w: "windows-1250", i: "iso-8859-2"} {
		if _, got := decodeText([]byte(in)); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
}

func TestFindHeader_RomanianAndEnglishNames(t *testing.T) {
	for _, header := range [][]string{
		{"Nr. crt.", "Denumire", "Cant.", "U.M.", "Cod"},
		{"Nr", "Descriere", "Cantitate", "UM", "Cod articol"},
		{"Poz.", "DENUMIRE PRODUS", "CANTITATE", "U. M.", "Cod produs"},
		{"#", "Denumire / specificație", "Cantit.", "Unitate de măsură", "Cod material"},
		{"Item", "Description", "Quantity", "Unit", "SKU"},
		{"Item", "SKU", "Material description", "Qty", "UoM"},
	} {
		_, c, ok := findHeader([]rawRow{{Line: 1, Cells: []string{"Listă de materiale"}}, {Line: 2, Cells: header}})
		if !ok {
			t.Errorf("%q: no header found", header)
			continue
		}
		want := map[int]string{colDesc: "desc", colQty: "qty", colUnit: "unit", colSKU: "sku"}
		for kind := range want {
			if c.idx[kind] < 0 {
				t.Errorf("%q: column %s not found", header, want[kind])
			}
		}
		if d := header[c.idx[colDesc]]; !strings.Contains(strings.ToLower(d), "descri") && !strings.Contains(strings.ToLower(d), "denumire") {
			t.Errorf("%q: description column is %q", header, d)
		}
	}
}

func TestReadCSV_Refusals(t *testing.T) {
	var many strings.Builder
	many.WriteString("Denumire;Cantitate;UM\n")
	for i := 0; i < MaxDataRows+1; i++ { // one over, under a header: refused
		many.WriteString("Teava 40x20x2;1;m\n")
	}
	for _, tc := range []struct {
		name, in, code string
	}{
		{"empty", "", CodeEmpty},
		{"blank lines only", "\n;;\n\r\n", CodeEmpty},
		{"too many rows", many.String(), CodeTooManyRows},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readBOM(strings.NewReader(tc.in), MIMECSV)
			var be *Error
			if !errors.As(err, &be) || be.BOMErrorCode() != tc.code {
				t.Fatalf("err %v, want %s", err, tc.code)
			}
			if !strings.ContainsAny(be.BOMMessage("ro"), "ăâîșț") || be.BOMMessage("en") == be.BOMMessage("ro") {
				t.Errorf("messages: %q / %q", be.BOMMessage("ro"), be.BOMMessage("en"))
			}
		})
	}
	big := bytes.Repeat([]byte("a;"), MaxCSVBytes/2+1)
	if _, err := readCSV(bytes.NewReader(big)); !isCode(err, CodeTooLarge) {
		t.Errorf("a file over %d bytes: %v", MaxCSVBytes, err)
	}
}

func TestNoColumns_NamesTheColumnsLookedFor(t *testing.T) {
	rows, err := readCSV(strings.NewReader("a;b;c\n1;2;3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := findHeader(rows); ok {
		t.Fatal("found a header in a table without one")
	}
	for _, want := range []string{"denumire", "cantitate", "U.M.", "cod articol"} {
		if !strings.Contains(errNoColumns.BOMMessage("ro"), want) {
			t.Errorf("Romanian message does not name %q: %s", want, errNoColumns.BOMMessage("ro"))
		}
	}
	for _, want := range []string{"description", "quantity", "unit", "SKU"} {
		if !strings.Contains(errNoColumns.BOMMessage("en"), want) {
			t.Errorf("English message does not name %q", want)
		}
	}
}

func TestReadXLSX_FirstSheetWithDataAndRowNumbers(t *testing.T) {
	f := excelize.NewFile()
	if _, err := f.NewSheet("Date"); err != nil {
		t.Fatal(err)
	}
	for cell, v := range map[string]any{"A1": "Listă materiale", "A4": "Denumire", "B4": "Cantitate", "C4": "UM",
		"A5": "HEA 200", "B5": 24.5, "C5": "ml", "A7": "Cornier 50x50x5", "B7": 12, "C7": "buc"} {
		if err := f.SetCellValue("Date", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := readXLSX(&buf)
	if err != nil {
		t.Fatal(err)
	}
	h, cols, ok := findHeader(rows)
	if !ok {
		t.Fatal("no header")
	}
	data := rows[h+1:]
	if len(data) != 2 || data[0].Line != 5 || data[1].Line != 7 {
		t.Fatalf("rows %+v, want lines 5 and 7 (row 6 is empty)", data)
	}
	if q := cols.cell(data[0], colQty); q != "24.5" {
		t.Errorf("quantity cell %q", q)
	}
}

func TestReadXLSX_NotAWorkbook(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("PK\x03\x04garbage"), []byte("Denumire;Cant\n")} {
		if _, err := readXLSX(bytes.NewReader(in)); !isCode(err, CodeUnreadable) {
			t.Errorf("%q: %v, want %s", in, err, CodeUnreadable)
		}
	}
}

func isCode(err error, code string) bool {
	var be *Error
	return errors.As(err, &be) && be.Code == code
}

// A zip bomb dressed as XLSX: 80 MB of one sheet's XML in a few hundred kilobytes.
func TestReadXLSX_ZipBombRefused(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml":     `<?xml version="1.0"?><workbook/>`,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < 80; i++ {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = readXLSX(bytes.NewReader(buf.Bytes()))
	var be *Error
	if !errors.As(err, &be) || be.Code != CodeTooLarge || !strings.Contains(be.BOMMessage("ro"), "dezarhivează") {
		t.Fatalf("a %d KB zip of 80 MB: %v", buf.Len()>>10, err)
	}
}
