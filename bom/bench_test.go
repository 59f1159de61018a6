package bom

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/metalpro/backend/catalog"
	"github.com/metalpro/backend/store/storetest"
)

// hugeCSV is a 100,000-row BOM (about 4 MB).
func hugeCSV(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("Nr.;Denumire;Cantitate;UM\r\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "%d;Teava rectangulara 40x20x2 S235JR L=6m;%d;buc\r\n", i+1, i%50+1)
	}
	return b.Bytes()
}

// BenchmarkMapBOM_100kRowCSV measures how a 100,000-row CSV is refused: read up to the
// 5,000-row cap, then bom_too_many_rows, in bounded time and memory (B/op is everything
// allocated, the file's own 4 MB included).
func BenchmarkMapBOM_100kRowCSV(b *testing.B) {
	m := &Mapper{DB: storetest.MustOpenSeeded(b)}
	data := hugeCSV(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, err := m.MapBOM(context.Background(), bytes.NewReader(data), MIMECSV)
		if !isCode(err, CodeTooManyRows) {
			b.Fatalf("err %v, want %s", err, CodeTooManyRows)
		}
	}
}

// BenchmarkMapBOM_5000DistinctRows maps the largest BOM accepted, every line a different
// catalog product (the worst case: no two lines share a search).
func BenchmarkMapBOM_5000DistinctRows(b *testing.B) {
	m := &Mapper{DB: storetest.MustOpenSeeded(b)}
	var buf bytes.Buffer
	buf.WriteString("Denumire;Cantitate;UM\n")
	ps := catalog.Products()
	for i := 0; i < MaxDataRows; i++ {
		p := ps[i%len(ps)]
		if i >= len(ps) {
			fmt.Fprintf(&buf, "%s - %s;%d;m\n", p.SKU, p.Title, i%7+1) // the SKU first: another line text
			continue
		}
		fmt.Fprintf(&buf, "%s;%d;m\n", p.Title, i%7+1)
	}
	data := buf.Bytes()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := m.Map(context.Background(), bytes.NewReader(data), MIMECSV)
		if err != nil || res.Summary.Total != MaxDataRows {
			b.Fatalf("%v %+v", err, res)
		}
	}
}

// BenchmarkMapBOM_Corpus maps the 14 files of the quality corpus (about 330 lines).
func BenchmarkMapBOM_Corpus(b *testing.B) {
	m := &Mapper{DB: storetest.MustOpenSeeded(b)}
	files := corpusFiles(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			if _, err := m.Map(context.Background(), bytes.NewReader(f.data), f.mime); err != nil {
				b.Fatal(err)
			}
		}
	}
}
