package files_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"testing"

	"github.com/metalpro/backend/files"
)

// BenchmarkSniffXLSX measures judging a workbook whose sheet XML is about 67 MB expanded (the
// sniffer decompresses every entry to check the real size).
func BenchmarkSniffXLSX(b *testing.B) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(n)
		w.Write([]byte("<x/>"))
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	for i := 0; i < 1_000_000; i++ {
		fmt.Fprintf(w, "<row r=\"%d\"><c><v>Teava rect. 40x20x2 L=6m %d</v></c></row>\n", i, i*7)
	}
	zw.Close()
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		if _, err := files.Sniff(bytes.NewReader(data), int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/(1<<20), "MB-compressed")
}
