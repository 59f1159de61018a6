package bom

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/metalpro/backend/store/storetest"
)

// The floors the corpus must keep. They are what the matcher reaches today, rounded
// down; a change to search or to the matcher that loses accuracy fails here.
const (
	floorTop1        = 0.90
	floorTop3        = 0.98
	ceilWrongMatched = 0.01
)

// TestCorpusQuality maps every BOM in testdata/corpus with the seeded catalog and
// compares each line with its expected SKU (NAME.expect: "line<TAB>SKU", "-" for a line
// the catalog does not sell). It reports top-1 and top-3 accuracy and how often a row
// marked matched is wrong, and asserts the floors.
func TestCorpusQuality(t *testing.T) {
	db := storetest.MustOpenSeeded(t)
	m := &Mapper{DB: db}
	expects, err := filepath.Glob("testdata/corpus/*.expect")
	if err != nil || len(expects) < 12 {
		t.Fatalf("want at least 12 corpus files, found %d (%v)", len(expects), err)
	}
	var lines, top1, top3, matched, wrongMatched, notInCatalog, notInCatalogOK int
	for _, exp := range expects {
		file := strings.TrimSuffix(exp, ".expect")
		want := readExpect(t, exp)
		res := mapFile(t, m, file)
		got := map[int]Row{}
		for _, r := range res.Rows {
			got[r.Line] = r
		}
		for line, sku := range want {
			r, ok := got[line]
			if !ok {
				t.Errorf("%s:%d: no row (want %s)", filepath.Base(file), line, sku)
				continue
			}
			if r.Status == StatusMatched || r.Status == StatusUnitMismatch {
				matched++
			}
			if sku == "-" {
				notInCatalog++
				if r.Status == StatusMatched || r.Status == StatusUnitMismatch {
					wrongMatched++
					t.Logf("%s:%d %q: matched %s, but the catalog has no such product", filepath.Base(file), line, r.Description, r.Match.SKU)
				} else {
					notInCatalogOK++
				}
				continue
			}
			lines++
			var ranked []string
			if r.Match != nil {
				ranked = append(ranked, r.Match.SKU)
			}
			for _, a := range r.Alternatives {
				ranked = append(ranked, a.SKU)
			}
			switch {
			case len(ranked) > 0 && ranked[0] == sku:
				top1++
				top3++
			case contains(ranked[:min(3, len(ranked))], sku):
				top3++
				t.Logf("%s:%d %q: %s first, want %s (%s, %.2f)", filepath.Base(file), line, r.Description, ranked[0], sku, r.Status, r.Confidence)
			default:
				t.Logf("%s:%d %q: want %s, got %v (%s, %.2f)", filepath.Base(file), line, r.Description, sku, ranked, r.Status, r.Confidence)
			}
			if (r.Status == StatusMatched || r.Status == StatusUnitMismatch) && (len(ranked) == 0 || ranked[0] != sku) {
				wrongMatched++
				t.Logf("%s:%d %q: WRONG MATCHED %v, want %s", filepath.Base(file), line, r.Description, ranked, sku)
			}
		}
	}
	p1, p3 := ratio(top1, lines), ratio(top3, lines)
	wm := ratio(wrongMatched, matched)
	t.Logf("corpus: %d files, %d catalog lines, %d lines the catalog does not sell (%d not matched)", len(expects), lines, notInCatalog, notInCatalogOK)
	t.Logf("top-1 %.1f%% (%d/%d), top-3 %.1f%% (%d/%d), matched rows %d, wrong among matched %.2f%% (%d)",
		100*p1, top1, lines, 100*p3, top3, lines, matched, 100*wm, wrongMatched)
	if p1 < floorTop1 || p3 < floorTop3 || wm > ceilWrongMatched {
		t.Errorf("quality under the floor: top-1 %.3f (floor %.2f), top-3 %.3f (floor %.2f), wrong matched %.3f (ceiling %.2f)",
			p1, floorTop1, p3, floorTop3, wm, ceilWrongMatched)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func readExpect(t *testing.T, path string) map[int]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[int]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 2 {
			continue
		}
		n, err := strconv.Atoi(parts[0])
		if err != nil {
			t.Fatalf("%s: %q", path, sc.Text())
		}
		out[n] = parts[1]
	}
	return out
}

func mapFile(t *testing.T, m *Mapper, path string) *Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mime := MIMECSV
	if strings.HasSuffix(path, ".xlsx") {
		mime = MIMEXLSX
	}
	res, err := m.Map(context.Background(), f, mime)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res
}

type corpusFile struct {
	name string
	data []byte
	mime string
}

func corpusFiles(tb testing.TB) []corpusFile {
	tb.Helper()
	expects, err := filepath.Glob("testdata/corpus/*.expect")
	if err != nil {
		tb.Fatal(err)
	}
	var out []corpusFile
	for _, e := range expects {
		name := strings.TrimSuffix(e, ".expect")
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		mime := MIMECSV
		if strings.HasSuffix(name, ".xlsx") {
			mime = MIMEXLSX
		}
		out = append(out, corpusFile{name, data, mime})
	}
	return out
}
