package files_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/files"
)

// officeZip is a minimal Office package with the given entries (name → content).
func officeZip(tb testing.TB, entries map[string]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range entries {
		w, err := zw.Create(name)
		require.NoError(tb, err)
		_, err = io.WriteString(w, content)
		require.NoError(tb, err)
	}
	require.NoError(tb, zw.Close())
	return buf.Bytes()
}

func xlsx(tb testing.TB) []byte {
	return officeZip(tb, map[string]string{
		"[Content_Types].xml":      `<?xml version="1.0"?><Types/>`,
		"xl/workbook.xml":          `<workbook/>`,
		"xl/worksheets/sheet1.xml": `<worksheet><sheetData/></worksheet>`,
	})
}

func docx(tb testing.TB) []byte {
	return officeZip(tb, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types/>`,
		"word/document.xml":   `<document/>`,
	})
}

// zipBomb is an XLSX whose sheet claims to expand past files.MaxExpandedBytes (a real bomb's
// headers say so; the data here is cut short, which the sniffer never gets to read). With
// lie, the headers declare 1,000 bytes and the data expands to 64 MB: only decompressing
// finds that out.
func zipBomb(tb testing.TB, lie bool) []byte {
	tb.Helper()
	var deflated bytes.Buffer
	fw, err := flate.NewWriter(&deflated, flate.BestSpeed)
	require.NoError(tb, err)
	zeros := make([]byte, 1<<20)
	for range 64 {
		_, err := fw.Write(zeros)
		require.NoError(tb, err)
	}
	require.NoError(tb, fw.Close())

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"} {
		w, err := zw.Create(name)
		require.NoError(tb, err)
		_, _ = io.WriteString(w, content)
	}
	declared := uint64(4 << 30)
	if lie {
		declared = 1000
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: uint64(deflated.Len()), UncompressedSize64: declared})
	require.NoError(tb, err)
	_, err = w.Write(deflated.Bytes())
	require.NoError(tb, err)
	require.NoError(tb, zw.Close())
	return buf.Bytes()
}

func sniff(b []byte) (files.Type, error) { return files.Sniff(bytes.NewReader(b), int64(len(b))) }

func TestSniffAcceptsWhatBuyersSend(t *testing.T) {
	for name, tc := range map[string]struct {
		content []byte
		want    files.Type
	}{
		"pdf":             {[]byte("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"), files.TypePDF},
		"png":             {append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 20)...), files.TypePNG},
		"jpeg":            {[]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), files.TypeJPEG},
		"dwg":             {append([]byte("AC1032\x00\x00\x00\x00"), 0x1f, 0x8b), files.TypeDWG},
		"ascii dxf":       {[]byte("  0\r\nSECTION\r\n  2\r\nHEADER\r\n  9\r\n$ACADVER\r\n  1\r\nAC1015\r\n"), files.TypeDXF},
		"dxf comment":     {[]byte("999\nmade by a CAD tool\n0\nSECTION\n2\nENTITIES\n"), files.TypeDXF},
		"binary dxf":      {[]byte("AutoCAD Binary DXF\r\n\x1a\x00\x00\x00"), files.TypeDXF},
		"xlsx":            {xlsx(t), files.TypeXLSX},
		"docx":            {docx(t), files.TypeDOCX},
		"csv utf-8":       {[]byte("Denumire;Cantitate;UM\nȚeavă rectangulară 40x20x2;12;buc\n"), files.TypeCSV},
		"csv utf-8 bom":   {[]byte("\xef\xbb\xbfCod,Denumire,Cant.\nHEA200,Grindă,2\n"), files.TypeCSV},
		"csv win-1250":    {[]byte("Denumire\tCantitate\n\xfeeav\xe3 40x20\t5\nTabl\xe3 zincat\xe3\t3\n"), files.TypeCSV},
		"csv starting MZ": {[]byte("MZ-100;5;buc\n"), files.TypeCSV},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := sniff(tc.content)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestSniffRefusesDangerousAndUnknownContent(t *testing.T) {
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 56)...)
	pe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 54)...)
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*7919 + i/13)
	}
	for name, tc := range map[string]struct {
		content []byte
		reason  string
	}{
		"elf":               {elf, "executable"},
		"pe":                {pe, "executable"},
		"mach-o":            {[]byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01"), "executable"},
		"shebang":           {[]byte("#!/bin/sh\nrm -rf /\n"), "executable"},
		"html":              {[]byte("<!DOCTYPE html><html><body>hi</body></html>"), "html"},
		"html after spaces": {[]byte("\n\n  <html><script>alert(1)</script>"), "html"},
		"svg with script":   {[]byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "svg_script"},
		"svg onload":        {[]byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "svg_script"},
		"plain svg":         {[]byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>`), "svg"},
		"empty":             {nil, "empty"},
		"garbage":           {garbage, "unknown"},
		"utf-16 text":       {[]byte("\xff\xfeD\x00e\x00n\x00"), "unknown"},
		"plain zip":         {officeZip(t, map[string]string{"a.txt": "x"}), "unknown"},
		"macro workbook": {officeZip(t, map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>",
			"xl/vbaProject.bin": "\x00"}), "macro"},
		"truncated zip": {xlsx(t)[:40], "unknown"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := sniff(tc.content)
			var r *files.Refusal
			require.True(t, errors.As(err, &r), "want a refusal, got %v", err)
			require.Equal(t, tc.reason, r.Reason, r.Detail)
		})
	}
}

func TestSniffRefusesZipBombs(t *testing.T) {
	for name, lie := range map[string]bool{"declared size": false, "lying headers": true} {
		t.Run(name, func(t *testing.T) {
			bomb := zipBomb(t, lie)
			require.Less(t, len(bomb), 2<<20, "the bomb is small on the wire")
			_, err := sniff(bomb)
			var r *files.Refusal
			require.True(t, errors.As(err, &r), "want a refusal, got %v", err)
			require.Equal(t, "zip_bomb", r.Reason, r.Detail)
		})
	}
}

func TestSanitizeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"Desen secțiune A-A.pdf":          "Desen secțiune A-A.pdf",
		"../../etc/passwd":                "passwd",
		`C:\Users\ana\Desktop\bom.xlsx`:   "bom.xlsx",
		"a\"b\r\nContent-Type: x.csv":     "a_b__Content-Type_ x.csv",
		"...":                             "fisier.csv",
		"":                                "fisier.csv",
		"\u202egnp.exe":                   "_gnp.exe",
		strings.Repeat("x", 300) + ".csv": strings.Repeat("x", 196) + ".csv",
	} {
		require.Equal(t, want, files.SanitizeFileName(in, ".csv"), "%q", in)
	}
	require.Equal(t, `attachment; filename*=utf-8''Desen%20sec%C8%9Biune.pdf`, files.ContentDisposition("Desen secțiune.pdf"))
	require.Equal(t, `attachment; filename=bom.csv`, files.ContentDisposition("bom.csv"))
}
